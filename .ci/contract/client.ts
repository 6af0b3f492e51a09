// Compiled against the types openapi-typescript generates from openapi.yaml (.ci/contract/run):
// a client written from the contract alone must type-check.
import type { components, operations, paths } from "./api";

type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;

export type CaseList = Json<paths["/api/v1/cases"]["get"]["responses"][200]>;
export type CaseCreated = Json<operations["createCase"]["responses"][201]>;
export type Problem = components["schemas"]["Problem"];

export const firstCaseCode = (list: CaseList): string | undefined => list.items[0]?.code;
export const problemCode = (p: Problem): string => p.code;
export const used: Array<keyof operations> = ["listCases", "createCase", "issueToken", "listRecipients"];
