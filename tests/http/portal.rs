//! Online applications from the national portal, end to end over HTTP: filing (and filing
//! again), validation, the handling organization's steps, the clock, the feed, the report.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine;
use serde_json::{json, Value};
use tgpl_tests::{Resp, TestApp};

use crate::concurrency::{at_once, count};

/// A PDF small enough to send inline.
pub(crate) fn pdf() -> String {
    base64::engine::general_purpose::STANDARD
        .encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
}

/// The portal's side of a test: its token and the procedures' codes by kind.
pub(crate) struct Portal<'a> {
    pub app: &'a TestApp,
    pub token: String,
    pub codes: HashMap<String, String>,
}

impl<'a> Portal<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        let r = app.client_grant("dvc-portal", "demo-portal-secret-2026");
        assert_eq!(r.status, 200, "{}", r.body);
        let token = r.json()["access_token"].as_str().expect("token").to_owned();
        let procedures = app.get("/api/v1/portal/procedures", &token).json();
        let codes = procedures
            .as_array()
            .expect("procedures")
            .iter()
            .map(|p| {
                (
                    p["kind"].as_str().unwrap().to_owned(),
                    p["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        Self { app, token, codes }
    }

    /// A dossier of procedure `kind` for organization `org`, received now, with what the
    /// procedure needs.
    pub fn dossier(&self, code: &str, kind: &str, org: &str) -> Value {
        let mut body = json!({
            "dossier_code": code,
            "procedure_code": self.codes[kind],
            "organization_id": org,
            "received_at": chrono::Utc::now().to_rfc3339(),
            "applicant": {"kind": "person", "name": "Trần Thị Bình", "citizen_id": "001190012345",
                "gender": "female", "date_of_birth": "1990-05-06"},
            "contact": {"phone": "0987654321"},
            "summary": format!("Hồ sơ {kind}"),
            "documents": [{"file_name": "don.pdf", "content_base64": pdf()}],
        });
        match kind {
            "legal_aid_request" => {
                body["legal_aid"] = json!({
                    "person": {"full_name": "Trần Thị Bình", "citizen_id": "001190012345",
                        "gender": "female", "date_of_birth": "1990-05-06"},
                    "category": "poor_household",
                    "proof": {"document_kind": "Giấy chứng nhận hộ nghèo", "document_number": "45/GCN"},
                    "field": "land",
                    "matter": "Tranh chấp quyền sử dụng đất"
                })
            }
            "provider_change" | "complaint_at_organization" | "complaint_at_department" => {
                body["case_code"] = json!("TTTGPL-HN-2026-000001")
            }
            "card_reissue" => body["card_number"] = json!("CTV-HN-0001"),
            _ => {}
        }
        body
    }

    pub fn file(&self, body: &Value) -> Resp {
        self.app
            .post("/api/v1/portal/dossiers", &self.token, body.clone())
    }

    /// Files `body` and answers the dossier's id.
    pub fn filed(&self, body: &Value) -> String {
        let r = self.file(body);
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().expect("id").to_owned()
    }

    /// The whole feed after `after`, page by page.
    pub fn feed(&self, after: i64) -> Vec<Value> {
        let mut entries = Vec::new();
        let mut cursor = after;
        loop {
            let r = self.app.get(
                &format!("/api/v1/portal/feed?after={cursor}&limit=50"),
                &self.token,
            );
            assert_eq!(r.status, 200, "{}", r.body);
            let page = r.json();
            let got = page["entries"].as_array().expect("entries").clone();
            cursor = page["next_cursor"].as_i64().expect("cursor");
            let more = page["more"].as_bool().unwrap();
            entries.extend(got);
            if !more {
                return entries;
            }
        }
    }

    pub fn head(&self) -> i64 {
        self.feed(0)
            .last()
            .map_or(0, |e| e["position"].as_i64().unwrap())
    }
}

fn step(app: &TestApp, token: &str, id: &str, step: &str, body: Value) -> Value {
    let r = app.post(&format!("/api/v1/dossiers/{id}/steps/{step}"), token, body);
    assert_eq!(r.status, 200, "{step}: {}", r.body);
    r.json()
}

#[test]
fn each_procedure_is_filed_handled_and_told_to_the_portal() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let department = app.org_id("STP-HN");
    let gd = app.token("gd.hn");
    let stp = app.token("stp.hn");
    let start = portal.head();
    let note = |text: &str| json!({ "note": text });

    // A request for legal aid: accepting it records the person and opens the case.
    let id = portal.filed(&portal.dossier("E2E-1", "legal_aid_request", &centre));
    let accepted = step(
        &app,
        &gd,
        &id,
        "accept",
        json!({"case": {"form": "counselling", "place": "at_office"}}),
    );
    assert_eq!(
        accepted["status"], "in_progress",
        "answered once its case is decided"
    );
    assert_eq!(accepted["next_steps"], json!([]));
    app.post(
        &format!("/api/v1/dossiers/{id}/steps/complete"),
        &gd,
        note("Đã xong"),
    )
    .assert_problem(409, "answered_by_case");
    let case_id = accepted["case_id"].as_str().expect("a case").to_owned();
    let case = app.get(&format!("/api/v1/cases/{case_id}"), &gd).json();
    assert_eq!(case["state"], "received");
    assert_eq!(case["recipient_id"], accepted["recipient_id"]);
    assert_eq!(case["field"], "land");
    // The portal is given the case's code, which a later procedure about it quotes.
    assert_eq!(accepted["case_code"], case["code"]);
    let seen = app.get(&format!("/api/v1/portal/dossiers/{id}"), &portal.token);
    assert_eq!(seen.json()["case_code"], case["code"], "{}", seen.body);
    let history = app
        .get(&format!("/api/v1/cases/{case_id}/history"), &gd)
        .json();
    assert_eq!(
        history[0]["details"]["dossier_id"],
        id.as_str(),
        "the case points back"
    );
    let person = app
        .get(
            &format!(
                "/api/v1/recipients/{}",
                accepted["recipient_id"].as_str().unwrap()
            ),
            &gd,
        )
        .json();
    assert_eq!(person["full_name"], "Trần Thị Bình");
    assert_eq!(person["proofs"][0]["category"], "poor_household");
    // The centre accepts the case (thụ lý): that answers the request, on the portal too.
    let r = app.post(
        &format!("/api/v1/cases/{case_id}/steps/accept"),
        &gd,
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let answered = app
        .get(&format!("/api/v1/portal/dossiers/{id}"), &portal.token)
        .json();
    assert_eq!(answered["status"], "completed");
    let code = case["code"].as_str().unwrap();
    assert_eq!(answered["note"], format!("Đã thụ lý vụ việc {code}."));

    // The centre's procedures.
    let id = portal.filed(&portal.dossier("E2E-2", "provider_change", &centre));
    step(&app, &gd, &id, "accept", json!({}));
    step(
        &app,
        &gd,
        &id,
        "complete",
        note("Đã thay đổi người thực hiện"),
    );
    let id = portal.filed(&portal.dossier("E2E-3", "complaint_at_organization", &centre));
    let refused = step(&app, &gd, &id, "refuse", note("Khiếu nại quá thời hiệu"));
    assert_eq!(refused["status"], "refused");
    assert_eq!(refused["next_steps"], json!([]));

    // The Department's procedures.
    for (i, kind) in [
        "complaint_at_department",
        "participation_registration",
        "participation_change",
        "participation_end",
        "card_reissue",
    ]
    .iter()
    .enumerate()
    {
        let id = portal.filed(&portal.dossier(&format!("E2E-D{i}"), kind, &department));
        step(&app, &stp, &id, "accept", json!({}));
        let done = step(&app, &stp, &id, "complete", note("Đã giải quyết"));
        assert_eq!(done["status"], "completed", "{kind}");
    }

    // A procedure filed with an organization that does not handle it.
    let r = portal.file(&portal.dossier("E2E-X", "card_reissue", &centre));
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_handling"
    );

    // Every step is in the feed, in order, without gaps, with the portal's codes.
    let feed = portal.feed(start);
    let positions: Vec<i64> = feed
        .iter()
        .map(|e| e["position"].as_i64().unwrap())
        .collect();
    assert_eq!(
        positions,
        ((start + 1)..=(start + positions.len() as i64)).collect::<Vec<_>>()
    );
    assert_eq!(feed.len(), 3 + 3 + 2 + 5 * 3);
    let first: Vec<(&str, &str)> = feed[..3]
        .iter()
        .map(|e| {
            (
                e["step"].as_str().unwrap(),
                e["portal_status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [("submit", "2"), ("accept", "4"), ("complete", "10")]
    );
    assert_eq!(feed[0]["dossier_code"], "E2E-1");
    // Every status of ours has a code of the portal's, each its own.
    let codes = app.get("/api/v1/portal/status-codes", &portal.token).json();
    let statuses: Vec<&str> = codes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "received",
            "awaiting_supplement",
            "in_progress",
            "refused",
            "completed"
        ]
    );
    let distinct: BTreeSet<&str> = codes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["portal_code"].as_str().unwrap())
        .collect();
    assert_eq!(distinct.len(), 5);
    assert_eq!(feed[0]["occurred_at_portal"].as_str().unwrap().len(), 14);
}

#[test]
fn a_retry_answers_the_first_answer_once_even_at_once_and_other_content_conflicts() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let body = portal.dossier("RETRY-1", "provider_change", &centre);
    let first = portal.file(&body);
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = portal.file(&body);
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.json(), first.json(), "the first answer, as it was");

    // Twelve retries of a new dossier at once: one dossier, one answer.
    let body = portal.dossier("RETRY-2", "provider_change", &centre);
    let answers = at_once(12, |_| portal.file(&body));
    let ids: BTreeSet<String> = answers
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM dossiers WHERE dossier_code = 'RETRY-2'"
        ),
        1
    );
    let id = ids.into_iter().next().unwrap();
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM dossier_progress WHERE dossier_id = '{id}'")
        ),
        1,
        "one submission in the feed"
    );

    // The same code with other content.
    let mut other = body.clone();
    other["summary"] = json!("Nội dung khác");
    portal
        .file(&other)
        .assert_problem(409, "dossier_code_conflict");
    let answers = at_once(6, |i| {
        let mut b = portal.dossier("RETRY-3", "provider_change", &centre);
        b["summary"] = json!(format!("Phiên bản {}", i % 2));
        portal.file(&b)
    });
    let created = answers.iter().filter(|r| r.status == 201).count();
    let conflicts = answers.iter().filter(|r| r.status == 409).count();
    assert!(
        created >= 1 && created + conflicts == 6,
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM dossiers WHERE dossier_code = 'RETRY-3'"
        ),
        1
    );
}

#[test]
fn bad_input_lists_every_bad_field_and_stores_nothing() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let before = count(&app, "SELECT COUNT(*) AS n FROM dossiers");
    let mut body = portal.dossier("BAD 1", "legal_aid_request", &centre);
    body["received_at"] = json!("2099-01-01T00:00:00Z");
    body["applicant"]["citizen_id"] = json!("001090012345");
    body["legal_aid"]["person"]["citizen_id"] = json!("12345");
    body["legal_aid"]["person"]["province_code"] = json!("atlantis");
    body["legal_aid"]["proof"]["issued_on"] = json!("1980-01-01");
    body["case_code"] = json!("TTTGPL-HN-2026-000001");
    body["documents"] = json!([{"file_name": "a.pdf", "content_base64": "not base64!"},
        {"file_name": "b.png", "content_base64": pdf()},
        {"file_name": "c.pdf", "content_base64": ""},
        {"file_name": "d.pdf", "content_base64": "aGVsbG8="}]);
    body["contact"] = json!({});
    let r = portal.file(&body);
    let problem = r.assert_problem(422, "validation_failed");
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["field"].as_str().unwrap(),
                e["code"].as_str().unwrap()
            )
        })
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "applicant.citizen_id:inconsistent",
            "case_code:not_for_procedure",
            "contact.phone:required",
            "documents[0].content_base64:invalid_base64",
            "documents[1].file_name:file_name_disagrees",
            "documents[2].content_base64:empty_file",
            "documents[3].content_base64:unsupported_attachment_type",
            "dossier_code:invalid",
            "legal_aid.person.citizen_id:invalid_format",
            "legal_aid.person.province_code:unknown_province",
            "legal_aid.proof.issued_on:before_birth",
            "received_at:in_future",
        ]
    );
    // The wrong procedure's part, an unknown procedure and organization.
    let mut body = portal.dossier("BAD-2", "participation_end", &centre);
    body["legal_aid"] = portal.dossier("x", "legal_aid_request", &centre)["legal_aid"].clone();
    body["procedure_code"] = json!("KHONG-CO");
    body["organization_id"] = json!("khong-co");
    let codes: Vec<String> = portal
        .file(&body)
        .refused_fields()
        .into_iter()
        .map(|(_, code)| code)
        .collect();
    assert_eq!(codes, ["unknown_procedure", "unknown_organization"]);
    // Shape errors, and callers other than the portal.
    let r = app
        .request("POST", "/api/v1/portal/dossiers")
        .bearer(&portal.token)
        .json(json!({"dossier_code": "X"}));
    r.assert_problem(422, "validation_failed");
    let gd = app.token("gd.hn");
    app.post(
        "/api/v1/portal/dossiers",
        &gd,
        portal.dossier("BAD-3", "provider_change", &centre),
    )
    .assert_problem(403, "forbidden");
    app.post(
        "/api/v1/portal/dossiers",
        &app.admin(),
        portal.dossier("BAD-4", "provider_change", &centre),
    )
    .assert_problem(403, "forbidden");
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM dossiers"),
        before,
        "nothing stored"
    );
}

#[test]
fn a_missing_document_stops_the_clock_until_the_portal_sends_it() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let department = app.org_id("STP-HN");
    let stp = app.token("stp.hn");
    let id = portal.filed(&portal.dossier("SUPP-1", "complaint_at_department", &department));
    let filed = app.get(&format!("/api/v1/dossiers/{id}"), &stp).json();
    app.post(
        &format!("/api/v1/dossiers/{id}/steps/request_supplement"),
        &stp,
        json!({}),
    )
    .assert_problem(422, "validation_failed");
    let waiting = step(
        &app,
        &stp,
        &id,
        "request_supplement",
        json!({"note": "Thiếu bản sao quyết định"}),
    );
    assert_eq!(waiting["status"], "awaiting_supplement");
    let left = waiting["days_left"].as_i64().expect("days left");
    assert!((14..=16).contains(&left), "{left}");
    assert_eq!(
        waiting["next_steps"],
        json!(["refuse"]),
        "the handler waits for the portal"
    );
    // Accepting or completing while waiting is not allowed.
    let r = app.post(
        &format!("/api/v1/dossiers/{id}/steps/accept"),
        &stp,
        json!({}),
    );
    assert_eq!(
        r.assert_problem(409, "illegal_step")["allowed_steps"],
        json!(["refuse"]),
        "what the handler may do, as next_steps says"
    );

    // The portal sends the document by upload, then the supplement: the clock runs again.
    let upload = |key: &str, bytes: &[u8]| {
        app.request(
            "POST",
            &format!("/api/v1/portal/dossiers/{id}/documents?file_name=ban-sao.pdf"),
        )
        .bearer(&portal.token)
        .header("Idempotency-Key", key)
        .bytes("application/octet-stream", bytes)
    };
    let pdf_bytes = b"%PDF-1.4\nban sao\n%%EOF";
    let first = upload("up-1", pdf_bytes);
    assert_eq!(first.status, 201, "{}", first.body);
    let again = upload("up-1", pdf_bytes);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json()["id"], first.json()["id"]);
    upload("up-1", b"%PDF-1.4\nkhac\n%%EOF").assert_problem(409, "idempotency_key_reused");
    // A key is one document of one dossier: the same key and file on another dossier conflicts.
    let other = portal.filed(&portal.dossier("SUPP-2", "complaint_at_department", &department));
    app.request(
        "POST",
        &format!("/api/v1/portal/dossiers/{other}/documents?file_name=ban-sao.pdf"),
    )
    .bearer(&portal.token)
    .header("Idempotency-Key", "up-1")
    .bytes("application/octet-stream", pdf_bytes)
    .assert_problem(409, "idempotency_key_reused");
    // Content of no accepted kind is answered as a case attachment's is.
    upload("up-2", b"MZ not a document").assert_problem(415, "unsupported_attachment_type");
    let supplement = |key: &str| {
        app.request("POST", &format!("/api/v1/portal/dossiers/{id}/supplement"))
            .bearer(&portal.token)
            .header("Idempotency-Key", key)
            .json(json!({"note": "Gửi bổ sung bản sao"}))
    };
    let resumed = supplement("sup-1");
    assert_eq!(resumed.status, 200, "{}", resumed.body);
    let resumed = resumed.json();
    assert_eq!(resumed["status"], "received");
    assert_eq!(resumed["days_left"], Value::Null);
    assert!(resumed["due_on"].as_str().unwrap() >= filed["due_on"].as_str().unwrap());
    assert_eq!(resumed["documents"].as_array().unwrap().len(), 2);
    // Its retry is the same answer; a second supplement, unasked, is refused.
    assert_eq!(
        supplement("sup-1").header("idempotent-replayed"),
        Some("true")
    );
    supplement("sup-2").assert_problem(409, "illegal_step");
    let steps: Vec<&str> = resumed["progress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["submit", "request_supplement", "receive_supplement"]
    );
    // The handler downloads what arrived.
    let doc = first.json()["id"].as_str().unwrap().to_owned();
    let r = app.get(&format!("/api/v1/dossiers/{id}/documents/{doc}"), &stp);
    assert_eq!(r.raw, pdf_bytes);
    // Named as a case attachment is: `filename` for every client.
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"ban-sao.pdf\"")
    );
    // The note is the last step's: accepting without one leaves none, not the portal's.
    assert_eq!(resumed["note"], "Gửi bổ sung bản sao");
    let accepted = step(&app, &stp, &id, "accept", json!({}));
    assert_eq!(accepted["note"], Value::Null, "{accepted}");
}

#[test]
fn overdue_dossiers_come_first_and_count_late_in_the_report() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let head = app.token("gd.hn");
    // Received on Monday 1 June 2026, three working days: due Thursday 4 June.
    let mut old = portal.dossier("LATE-1", "provider_change", &centre);
    old["received_at"] = json!("2026-06-01T08:30:00+07:00");
    let late = portal.filed(&old);
    let fresh = portal.filed(&portal.dossier("LATE-2", "provider_change", &centre));
    let list = app.get("/api/v1/dossiers?status=received", &head).json();
    let codes: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["dossier_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[0], "LATE-1", "{codes:?}");
    assert_eq!(list["items"][0]["due_on"], "2026-06-04");
    assert_eq!(list["items"][0]["overdue"], true);
    let overdue = app.get("/api/v1/dossiers?overdue=true", &head).json();
    assert!(overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["overdue"] == true));
    assert!(overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == late.as_str()));
    assert!(!overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["id"] == fresh.as_str()));
    step(&app, &head, &late, "accept", json!({}));
    step(
        &app,
        &head,
        &late,
        "complete",
        json!({"note": "Đã giải quyết"}),
    );
    step(
        &app,
        &head,
        &fresh,
        "refuse",
        json!({"note": "Không thuộc diện"}),
    );

    // The report: the first half counts the late one's receipt; the year counts both.
    let agency = app.token("cuc.xem");
    let year = app.get(
        "/api/v1/portal/reports/online-services?period=2026-CY&province_code=ha_noi",
        &agency,
    );
    assert_eq!(year.status, 200, "{}", year.body);
    let row = year.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["procedure"] == "provider_change" && r["channel"] == "online")
        .cloned()
        .expect("a row");
    assert!(row["received"].as_u64().unwrap() >= 2);
    assert!(row["late"].as_u64().unwrap() >= 1);
    assert!(row["refused"].as_u64().unwrap() >= 1);
    let half = app
        .get(
            "/api/v1/portal/reports/online-services?period=2026-H1&province_code=ha_noi",
            &agency,
        )
        .json();
    let row = half["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["procedure"] == "provider_change")
        .cloned()
        .expect("a row");
    assert_eq!(
        (
            row["received"].as_u64(),
            row["handled"].as_u64(),
            row["still_open"].as_u64()
        ),
        (Some(1), Some(0), Some(1))
    );
    let csv = app.get(
        "/api/v1/portal/reports/online-services?period=2026-H1&format=csv",
        &agency,
    );
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("provider_change"), "{}", csv.body);
    let xlsx = app.get(
        "/api/v1/portal/reports/online-services?period=2026-H1&format=xlsx",
        &agency,
    );
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.raw.starts_with(b"PK"));
    app.get(
        "/api/v1/portal/reports/online-services?period=2026-H1",
        &head,
    )
    .assert_problem(403, "forbidden");
    app.get(
        "/api/v1/portal/reports/online-services?period=soon",
        &agency,
    )
    .assert_problem(422, "validation_failed");
}

#[test]
fn dossiers_are_seen_only_by_those_who_handle_them() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let id = portal.filed(&portal.dossier("SEEN-1", "provider_change", &app.org_id("TTTGPL-HN")));
    for who in ["gd.dn", "stp.hn", "ls.hn", "cuc.xem"] {
        let token = app.token(who);
        app.get(&format!("/api/v1/dossiers/{id}"), &token)
            .assert_problem(404, "not_found");
        app.post(
            &format!("/api/v1/dossiers/{id}/steps/accept"),
            &token,
            json!({}),
        )
        .assert_problem(404, "not_found");
    }
    assert_eq!(
        app.get(&format!("/api/v1/dossiers/{id}"), &app.admin())
            .status,
        200
    );
    app.post(
        &format!("/api/v1/dossiers/{id}/steps/accept"),
        &app.admin(),
        json!({}),
    )
    .assert_problem(403, "forbidden");
    app.get("/api/v1/dossiers", &portal.token)
        .assert_problem(403, "forbidden");
    app.get("/api/v1/portal/feed", &app.token("gd.hn"))
        .assert_problem(403, "forbidden");
    assert_eq!(
        app.get("/api/v1/dossiers", &app.token("tgv.hn")).status,
        200
    );
    // Two leaders accepting at once: one wins, the other is told the step is taken.
    let gd = app.token("gd.hn");
    let answers = at_once(4, |_| {
        app.post(
            &format!("/api/v1/dossiers/{id}/steps/accept"),
            &gd,
            json!({}),
        )
    });
    crate::concurrency::one_wins(answers, 200, 409, "illegal_step");
}

#[test]
fn the_feed_has_no_gap_and_no_repeat_under_concurrent_writes() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let start = portal.head();
    let done = AtomicBool::new(false);
    let (seen, answers) = std::thread::scope(|s| {
        // A reader follows the feed while the writes go on, as the portal would.
        let reader = s.spawn(|| {
            let mut seen: Vec<i64> = Vec::new();
            let mut cursor = start;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let page = app
                    .get(
                        &format!("/api/v1/portal/feed?after={cursor}&limit=7"),
                        &portal.token,
                    )
                    .json();
                for e in page["entries"].as_array().unwrap() {
                    seen.push(e["position"].as_i64().unwrap());
                }
                cursor = page["next_cursor"].as_i64().unwrap();
                if finished && !page["more"].as_bool().unwrap() {
                    return seen;
                }
            }
        });
        let answers = at_once(16, |i| {
            let mut last = None;
            for j in 0..4 {
                let r = portal.file(&portal.dossier(
                    &format!("FEED-{i}-{j}"),
                    "provider_change",
                    &centre,
                ));
                assert_eq!(r.status, 201, "{}", r.body);
                last = Some(r);
            }
            last.expect("four filed")
        });
        done.store(true, Ordering::SeqCst);
        (reader.join().unwrap(), answers)
    });
    assert_eq!(answers.len(), 16);
    let expected: Vec<i64> = ((start + 1)..=(start + 64)).collect();
    assert_eq!(seen, expected, "every position once, in order");
}

#[test]
fn accepting_a_request_for_someone_already_recorded_asks_before_linking_them() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let gd = app.token("gd.hn");
    let first = portal.filed(&portal.dossier("DUP-1", "legal_aid_request", &centre));
    let second = portal.filed(&portal.dossier("DUP-2", "legal_aid_request", &centre));
    let case = json!({"case": {"form": "counselling", "place": "at_office"}});
    let person = step(&app, &gd, &first, "accept", case.clone())["recipient_id"].clone();
    // The same citizen ID: the candidates, and nothing done.
    let r = app.post(
        &format!("/api/v1/dossiers/{second}/steps/accept"),
        &gd,
        case,
    );
    let problem = r.assert_problem(409, "possible_duplicates");
    assert_eq!(problem["candidates"][0]["id"], person);
    assert_eq!(problem["candidates"][0]["matched_on"], "citizen_id");
    assert_eq!(
        app.get(&format!("/api/v1/dossiers/{second}"), &gd).json()["status"],
        "received"
    );
    // Linked to the record found, with the case accepted at once by the director.
    let linked = step(
        &app,
        &gd,
        &second,
        "accept",
        json!({"case": {"form": "counselling", "place": "at_office",
        "recipient_id": person, "accept": true}}),
    );
    assert_eq!(linked["recipient_id"], person);
    let case = app
        .get(
            &format!("/api/v1/cases/{}", linked["case_id"].as_str().unwrap()),
            &gd,
        )
        .json();
    assert_eq!(case["state"], "accepted");
    // What only some steps take, and steps that are not the handler's.
    let other = portal.filed(&portal.dossier("DUP-3", "provider_change", &centre));
    let r = app.post(
        &format!("/api/v1/dossiers/{other}/steps/accept"),
        &gd,
        json!({"case": {"form": "counselling", "place": "at_office"}}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_for_procedure"
    );
    for step in ["receive_supplement", "submit", "archive"] {
        app.post(
            &format!("/api/v1/dossiers/{other}/steps/{step}"),
            &gd,
            json!({}),
        )
        .assert_problem(404, "not_found");
    }
    // A legal aid officer records the case but may not accept it: the leader's step.
    let third = portal.filed(&portal.dossier("DUP-4", "legal_aid_request", &centre));
    let tgv = app.token("tgv.hn");
    let r = app.post(&format!("/api/v1/dossiers/{third}/steps/accept"), &tgv,
        json!({"case": {"form": "counselling", "place": "at_office", "recipient_id": person, "accept": true}}));
    r.assert_problem(403, "forbidden");
    let r = app.post(
        &format!("/api/v1/dossiers/{third}/steps/accept"),
        &tgv,
        json!({"case": {"form": "counselling", "place": "at_office", "recipient_id": person}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn what_the_first_round_of_breaking_found_stays_fixed() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let department = app.org_id("STP-HN");
    let codes = |r: Resp| -> Vec<String> {
        r.refused_fields()
            .into_iter()
            .map(|(field, code)| format!("{field}:{code}"))
            .collect()
    };
    // Length rules, identity, the calendar and the stored data, all in one answer.
    let mut body = portal.dossier("FIX-1", "legal_aid_request", &centre);
    body["summary"] = json!("");
    body["received_at"] = json!("2024-06-03T09:00:00+07:00");
    body["contact"]["phone"] = json!("abc");
    body["legal_aid"]["category"] = json!("child");
    body["legal_aid"]["person"]["full_name"] = json!("\u{0301}");
    body["applicant"]["name"] = json!("😀");
    let mut got = codes(portal.file(&body));
    got.sort();
    assert_eq!(
        got,
        [
            "applicant.name:no_letter",
            "contact.phone:invalid_phone",
            "legal_aid.category:age_mismatch",
            "legal_aid.person.full_name:stray_marks",
            "received_at:no_calendar",
            "summary:length"
        ]
    );
    // The ethnic minority category is no Kinh person's, online as at the counter.
    let mut body = portal.dossier("FIX-1B", "legal_aid_request", &centre);
    body["legal_aid"]["category"] = json!("ethnic_minority_hardship_area");
    body["legal_aid"]["person"]["ethnicity"] = json!("kinh");
    assert_eq!(
        codes(portal.file(&body)),
        ["legal_aid.category:ethnicity_mismatch"]
    );
    let mut body = portal.dossier("FIX-2", "complaint_at_organization", &centre);
    body["case_code"] = json!("TTTGPL-HCM-2026-000001");
    body["applicant"] =
        json!({"kind": "organization", "name": "Công ty A", "citizen_id": "001190012345"});
    let mut got = codes(portal.file(&body));
    got.sort();
    assert_eq!(
        got,
        [
            "applicant.citizen_id:not_for_applicant",
            "case_code:unknown_case"
        ]
    );
    // A Department answers for its province's cases.
    let mut body = portal.dossier("FIX-3", "complaint_at_department", &department);
    body["case_code"] = json!("TTTGPL-HCM-2026-000001");
    assert_eq!(codes(portal.file(&body)), ["case_code:unknown_case"]);
    // The default channel written out is the same filing.
    let mut body = portal.dossier("FIX-4", "provider_change", &centre);
    portal.filed(&body);
    body["channel"] = json!("online");
    assert_eq!(
        portal.file(&body).header("idempotent-replayed"),
        Some("true")
    );

    // A supplement brings documents; sent at once, one is taken and the others told why.
    let stp = app.token("stp.hn");
    let id = portal.filed(&portal.dossier("FIX-5", "participation_end", &department));
    step(
        &app,
        &stp,
        &id,
        "request_supplement",
        json!({"note": "Thiếu quyết định"}),
    );
    let empty = app.post(
        &format!("/api/v1/portal/dossiers/{id}/supplement"),
        &portal.token,
        json!({}),
    );
    assert_eq!(codes(empty), ["documents:required"]);
    let with_document = json!({"documents": [{"file_name": "qd.pdf", "content_base64": pdf()}]});
    let answers = at_once(6, |_| {
        app.post(
            &format!("/api/v1/portal/dossiers/{id}/supplement"),
            &portal.token,
            with_document.clone(),
        )
    });
    crate::concurrency::one_wins(answers, 200, 409, "illegal_step");
    // Uploads up to the attachment limit, streamed.
    let big = {
        let mut b = b"%PDF-1.4\n".to_vec();
        b.resize(tgpl_tests::ATTACHMENT_LIMIT - 10, b'x');
        b
    };
    let r = app
        .request(
            "POST",
            &format!("/api/v1/portal/dossiers/{id}/documents?file_name=lon.pdf"),
        )
        .bearer(&portal.token)
        .bytes("application/octet-stream", &big);
    assert_eq!(r.status, 201, "{}", r.body);
    let location = r.header("location").unwrap().to_owned();
    assert_eq!(
        app.get(&location, &portal.token).raw,
        big,
        "the portal reads what it sent"
    );
    let mut bigger = big.clone();
    bigger.resize(tgpl_tests::ATTACHMENT_LIMIT + 10, b'x');
    app.request(
        "POST",
        &format!("/api/v1/portal/dossiers/{id}/documents?file_name=lon.pdf"),
    )
    .bearer(&portal.token)
    .bytes("application/octet-stream", &bigger)
    .assert_problem(413, "attachment_too_large");

    // Reference data keeps its sense.
    let admin = app.admin();
    let put = |path: &str, body: Value| app.request("PUT", path).bearer(&admin).json(body);
    assert_eq!(
        codes(put(
            "/api/v1/calendar/days/2026-04-26",
            json!({"kind": "holiday", "name": "Chủ nhật"})
        )),
        ["kind:not_an_exception"]
    );
    assert_eq!(
        codes(put(
            "/api/v1/calendar/days/1990-04-30",
            json!({"kind": "holiday", "name": "Xưa"})
        )),
        ["day:out_of_range"]
    );
    assert_eq!(
        put(
            "/api/v1/calendar/days/2028-04-14",
            json!({"kind": "holiday", "name": "Giỗ Tổ"})
        )
        .status,
        200
    );
    assert_eq!(
        codes(app.get("/api/v1/calendar/days?year=99999", &admin)),
        ["year:out_of_range"]
    );
    put(
        &format!("/api/v1/portal/procedures/{}", portal.codes["card_reissue"]),
        json!({"kind": "legal_aid_request", "active": true}),
    )
    .assert_problem(409, "procedure_kind_fixed");
    assert_eq!(
        codes(put(
            "/api/v1/portal/status-codes/received",
            json!({"portal_code": "2 x"})
        )),
        ["portal_code:invalid"]
    );

    // Callbacks go to routable addresses only; a stopped one is neither listed nor resent.
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1:9/x\r\nX-Injected: 1",
        "http://[fe80::1]/x",
    ] {
        app.post("/api/v1/portal/webhooks", &admin, json!({"url": url}))
            .assert_problem(422, "validation_failed");
    }

    // The second half of the year, and provinces that exist.
    let agency = app.token("cuc.xem");
    let h2 = app.get(
        "/api/v1/portal/reports/online-services?period=2026-h2",
        &agency,
    );
    assert_eq!(h2.status, 200, "{}", h2.body);
    assert_eq!(
        (h2.json()["period"].as_str(), h2.json()["from"].as_str()),
        (Some("2026-H2"), Some("2026-07-01"))
    );
    assert_eq!(
        codes(app.get(
            "/api/v1/portal/reports/online-services?period=2026-H1&province_code=atlantis",
            &agency
        )),
        ["province_code:unknown_province"]
    );
}

#[test]
fn a_stopped_callback_is_neither_listed_failing_nor_sent_again() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let r = app.post(
        "/api/v1/portal/webhooks",
        &admin,
        json!({"url": format!("http://{addr}/cb")}),
    );
    let hook = r.json()["id"].as_str().unwrap().to_owned();
    let portal = Portal::new(&app);
    portal.filed(&portal.dossier("STOP-1", "provider_change", &app.org_id("TTTGPL-HN")));
    let mut failing = Value::Null;
    tgpl_tests::eventually("a failed delivery", || {
        failing = app.get("/api/v1/portal/webhook-deliveries", &admin).json();
        failing.as_array().is_some_and(|f| !f.is_empty())
    });
    let delivery = failing[0]["id"].as_str().unwrap().to_owned();
    let r = app
        .request("DELETE", &format!("/api/v1/portal/webhooks/{hook}"))
        .bearer(&admin)
        .send();
    assert_eq!(r.status, 204);
    assert_eq!(
        app.get("/api/v1/portal/webhook-deliveries", &admin).json(),
        json!([])
    );
    app.post(
        &format!("/api/v1/portal/webhook-deliveries/{delivery}/redeliver"),
        &admin,
        json!({}),
    )
    .assert_problem(409, "webhook_inactive");
}

#[test]
fn what_the_second_round_of_breaking_found_stays_fixed() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let department = app.org_id("STP-HN");
    // One key, one request, whatever the call.
    let stp = app.token("stp.hn");
    let id = portal.filed(&portal.dossier("R2-1", "participation_end", &department));
    step(
        &app,
        &stp,
        &id,
        "request_supplement",
        json!({"note": "Thiếu quyết định"}),
    );
    let upload = |name: &str, key: &str| {
        app.request(
            "POST",
            &format!("/api/v1/portal/dossiers/{id}/documents?file_name={name}"),
        )
        .bearer(&portal.token)
        .header("Idempotency-Key", key)
        .bytes("application/octet-stream", b"%PDF-1.4\nqd\n%%EOF")
    };
    assert_eq!(upload("qd.pdf", "K").status, 201);
    app.request("POST", &format!("/api/v1/portal/dossiers/{id}/supplement"))
        .bearer(&portal.token)
        .header("Idempotency-Key", "K")
        .json(json!({}))
        .assert_problem(409, "idempotency_key_reused");
    // File names say what they are.
    for name in [
        "a%0d%0aX-Evil:%201.pdf",
        "%E2%80%AEfdp.exe.pdf",
        "a%09b.pdf",
    ] {
        upload(name, &format!("K-{name}")).assert_problem(422, "validation_failed");
    }
    // Twenty documents at most, said as documents.
    let mut body = portal.dossier("R2-2", "provider_change", &centre);
    body["documents"] = json!(vec![
        json!({"file_name": "a.pdf", "content_base64": pdf()});
        21
    ]);
    let problem = portal.file(&body).assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "too_many");
    // Each portal code names one status.
    app.request("PUT", "/api/v1/portal/status-codes/received")
        .bearer(&app.admin())
        .json(json!({"portal_code": "4"}))
        .assert_problem(409, "portal_code_taken");
    // A dossier showing a person aided is a read of their data, logged.
    let gd = app.token("gd.hn");
    let request = portal.filed(&portal.dossier("R2-3", "legal_aid_request", &centre));
    let accepted = step(
        &app,
        &gd,
        &request,
        "accept",
        json!({"case": {"form": "counselling", "place": "at_office"}}),
    );
    let person = accepted["recipient_id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/dossiers/{request}"), &gd).status,
        200
    );
    let log = app.get(
        &format!("/api/v1/recipient-access-log?recipient_id={person}&page_size=100"),
        &app.admin(),
    );
    assert_eq!(log.status, 200, "{}", log.body);
    let kinds: Vec<String> = log.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["access"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(kinds.iter().any(|k| k == "dossier"), "{kinds:?}");
}

/// Each change of what the Agency keeps for the portal is in the audit log, with the change
/// itself; a refused change leaves no entry, and a callback's secret never enters the log.
#[test]
fn the_agencys_portal_settings_are_audited() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let portal = Portal::new(&app);
    let put = |path: &str, body: Value| app.request("PUT", path).bearer(&admin).json(body);
    let delete = |path: &str| app.request("DELETE", path).bearer(&admin).send();
    let entries = |action: &str| -> Vec<Value> {
        let r = app.get(&format!("/api/v1/audit-log?action={action}"), &admin);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["items"].as_array().unwrap().clone()
    };
    let before = entries("portal_reference.update").len();
    let day = "/api/v1/calendar/days/2028-04-14";
    let r = put(day, json!({"kind": "holiday", "name": "Giỗ Tổ"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(delete(day).status, 204);
    delete(day).assert_problem(404, "not_found");
    let code = &portal.codes["card_reissue"];
    let r = put(
        &format!("/api/v1/portal/procedures/{code}"),
        json!({"kind": "card_reissue", "time_limit_days": 5, "active": true}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = put(
        "/api/v1/portal/status-codes/received",
        json!({"portal_code": "R-99"}),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let reference = entries("portal_reference.update");
    assert_eq!(reference.len(), before + 4, "{reference:?}");
    let ids: Vec<&str> = reference[..4]
        .iter()
        .map(|e| e["resource_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "status_code:received".to_owned(),
            format!("procedure:{code}"),
            "calendar_day:2028-04-14".to_owned(),
            "calendar_day:2028-04-14".to_owned(),
        ]
    );
    // Each entry holds the record as it was and as it is, as the audit entry's schema says:
    // what a change replaced, and what a removal took away.
    assert_eq!(reference[0]["after"]["portal_code"], "R-99");
    assert_eq!(reference[1]["after"]["time_limit_days"], 5);
    assert!(
        reference[1]["before"]["time_limit_days"].is_i64(),
        "{}",
        reference[1]
    );
    assert_eq!(reference[2]["before"]["name"], "Giỗ Tổ");
    assert!(reference[2]["after"].is_null());
    assert!(reference[3]["before"].is_null());
    assert_eq!(reference[3]["after"]["kind"], "holiday");
    assert_eq!(reference[3]["after"]["name"], "Giỗ Tổ");

    let r = app.post(
        "/api/v1/portal/webhooks",
        &admin,
        json!({"url": "http://127.0.0.1:9/cb"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let hook = r.json()["id"].as_str().unwrap().to_owned();
    let secret = r.json()["secret"].as_str().unwrap().to_owned();
    app.post(
        "/api/v1/portal/webhooks",
        &admin,
        json!({"url": "http://127.0.0.1:9/cb"}),
    )
    .assert_problem(409, "webhook_exists");
    assert_eq!(
        delete(&format!("/api/v1/portal/webhooks/{hook}")).status,
        204
    );
    let registered = entries("webhook.register");
    assert_eq!(registered.len(), 1, "the refused one is not logged");
    assert_eq!(registered[0]["resource_id"], hook.as_str());
    assert_eq!(
        registered[0]["after"],
        json!({"url": "http://127.0.0.1:9/cb"})
    );
    assert!(!registered[0].to_string().contains(&secret));
    let stopped = entries("webhook.deactivate");
    assert_eq!(stopped.len(), 1);
    assert_eq!(stopped[0]["resource_id"], hook.as_str());
}

/// A request for legal aid received by a branch that has stopped operating since opens no
/// case there: it handled no cases that day.
#[test]
fn a_dossier_of_an_organization_that_stopped_operating_opens_no_case() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let branch = app.org_id("TTTGPL-HN-CN1");
    let id = portal.filed(&portal.dossier("CLOSED-1", "legal_aid_request", &branch));
    let r = app.post(
        &format!("/api/v1/organizations/{branch}/deactivate"),
        &app.token("stp.hn"),
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    app.post(
        &format!("/api/v1/dossiers/{id}/steps/accept"),
        &app.token("gd.hn"),
        json!({"case": {"form": "counselling", "place": "at_office"}}),
    )
    .assert_problem(409, "not_handling_cases");
    let dossier = app
        .get(&format!("/api/v1/dossiers/{id}"), &app.token("gd.hn"))
        .json();
    assert_ne!(dossier["status"], "completed", "{dossier}");
}

/// An entry of the feed says the portal's code its status had when it was written: the
/// Agency changing the mapping changes the entries written after, not those the portal has
/// read and been called back with.
#[test]
fn the_feed_keeps_the_codes_it_was_written_with() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let admin = app.admin();
    let set = |code: &str| {
        let r = app
            .request("PUT", "/api/v1/portal/status-codes/received")
            .bearer(&admin)
            .json(json!({"portal_code": code}));
        assert_eq!(r.status, 204, "{}", r.body);
    };
    let centre = app.org_id("TTTGPL-HN");
    set("RCV");
    let first = portal.filed(&portal.dossier("CODE-1", "provider_change", &centre));
    set("2");
    let second = portal.filed(&portal.dossier("CODE-2", "provider_change", &centre));
    let codes: Vec<(String, String)> = portal
        .feed(0)
        .iter()
        .filter(|e| e["dossier_id"] == first.as_str() || e["dossier_id"] == second.as_str())
        .map(|e| {
            (
                e["dossier_code"].as_str().unwrap().to_owned(),
                e["portal_status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            ("CODE-1".to_owned(), "RCV".to_owned()),
            ("CODE-2".to_owned(), "2".to_owned())
        ]
    );
}

/// The `overdue` filter says what each dossier's `overdue` says, both ways: the demo's
/// dossiers (late, waiting, finished late among them) split between the two lists.
#[test]
fn the_overdue_filter_agrees_with_the_dossiers() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let list = |query: &str| {
        let r = app.get(&format!("/api/v1/dossiers?page_size=100{query}"), &gd);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    };
    let all = list("")["total"].as_i64().unwrap();
    let late = list("&overdue=true");
    let on_time = list("&overdue=false");
    for (page, expected) in [(&late, true), (&on_time, false)] {
        for d in page["items"].as_array().unwrap() {
            assert_eq!(d["overdue"], expected, "{d}");
        }
    }
    assert!(
        late["total"].as_i64().unwrap() > 0,
        "the demo has late dossiers"
    );
    assert_eq!(
        late["total"].as_i64().unwrap() + on_time["total"].as_i64().unwrap(),
        all
    );
}

/// Law on Legal Aid 2017 art. 30: the centre accepts a request or refuses it in writing with
/// its reasons. The portal's applicant is told that decision, not the recording of the case.
#[test]
fn a_request_for_legal_aid_is_answered_by_its_cases_decision() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let gd = app.token("gd.hn");
    let person = std::cell::RefCell::new(Value::Null);
    let accept = |code: &str, at_once: bool| {
        let id = portal.filed(&portal.dossier(code, "legal_aid_request", &centre));
        let case = json!({"form": "counselling", "place": "at_office", "accept": at_once,
                          "recipient_id": *person.borrow()});
        let accepted = step(&app, &gd, &id, "accept", json!({ "case": case }));
        person.replace(accepted["recipient_id"].clone());
        (id, accepted)
    };
    // Accepted at once: answered at once.
    let (_, accepted) = accept("ANS-1", true);
    assert_eq!(accepted["status"], "completed", "{accepted}");
    // Refused: the refusal and its grounds reach the portal.
    let (id, accepted) = accept("ANS-2", false);
    let case_id = accepted["case_id"].as_str().unwrap();
    // Meanwhile nothing but the case answers it: not a hand, not a request for documents,
    // and the case is not deleted from under it.
    for by_hand in ["complete", "refuse", "request_supplement"] {
        app.post(
            &format!("/api/v1/dossiers/{id}/steps/{by_hand}"),
            &gd,
            json!({"note": "x"}),
        )
        .assert_problem(409, "answered_by_case");
    }
    app.request("DELETE", &format!("/api/v1/cases/{case_id}"))
        .bearer(&gd)
        .send()
        .assert_problem(409, "answers_dossier");
    let grounds = "Không thuộc diện được trợ giúp pháp lý";
    let r = app.post(
        &format!("/api/v1/cases/{case_id}/steps/refuse"),
        &gd,
        json!({ "reason": grounds }),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let seen = app
        .get(&format!("/api/v1/portal/dossiers/{id}"), &portal.token)
        .json();
    assert_eq!(seen["status"], "refused");
    assert!(seen["note"].as_str().unwrap().ends_with(grounds), "{seen}");
    let last = portal.feed(0).pop().unwrap();
    assert_eq!(
        (last["dossier_id"].as_str(), last["step"].as_str()),
        (Some(id.as_str()), Some("refuse"))
    );
    // Withdrawn by the person before acceptance: the request ends, told as such.
    let (id, accepted) = accept("ANS-3", false);
    let case_id = accepted["case_id"].as_str().unwrap();
    let r = app.post(
        &format!("/api/v1/cases/{case_id}/steps/withdraw"),
        &gd,
        json!({ "reason": "Người yêu cầu rút yêu cầu" }),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let seen = app
        .get(&format!("/api/v1/portal/dossiers/{id}"), &portal.token)
        .json();
    assert_eq!(seen["status"], "completed");
    assert!(
        seen["note"].as_str().unwrap().contains("rút yêu cầu"),
        "{seen}"
    );
    // A request links only a record of the person it names.
    let other = app.post(
        "/api/v1/recipients",
        &gd,
        json!({"organization_id": centre, "full_name": "Lê Văn Khác", "date_of_birth": "1970-01-01"}),
    );
    let id = portal.filed(&portal.dossier("ANS-4", "legal_aid_request", &centre));
    let case =
        json!({"form": "counselling", "place": "at_office", "recipient_id": other.json()["id"]});
    let refused = app.post(
        &format!("/api/v1/dossiers/{id}/steps/accept"),
        &gd,
        json!({ "case": case }),
    );
    assert_eq!(
        refused.refused_field(),
        ("case.recipient_id".to_owned(), "not_the_person".to_owned())
    );
}

/// An applicant's data in a dossier is personal data whether or not the applicant is a
/// recipient yet: every read of the dossier and of its documents, by the organization, the
/// data centre or the portal, is in the access log with the dossier or document read.
#[test]
fn every_read_of_a_dossier_and_its_documents_is_in_the_access_log() {
    let app = TestApp::spawn();
    let portal = Portal::new(&app);
    let tgv = app.token("tgv.hn");
    let id = portal.filed(&portal.dossier(
        "READ-1",
        "complaint_at_organization",
        &app.org_id("TTTGPL-HN"),
    ));
    let dossier = app.get(&format!("/api/v1/dossiers/{id}"), &tgv);
    assert_eq!(dossier.status, 200, "{}", dossier.body);
    assert!(dossier.json()["recipient_id"].is_null());
    let document = dossier.json()["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = app.get("/api/v1/dossiers?page_size=100", &tgv);
    assert_eq!(listed.status, 200, "{}", listed.body);
    for (path, token) in [
        (format!("/api/v1/dossiers/{id}/documents/{document}"), &tgv),
        (
            format!("/api/v1/portal/dossiers/{id}/documents/{document}"),
            &portal.token,
        ),
    ] {
        let r = app.get(&path, token);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    assert_eq!(
        app.get(&format!("/api/v1/portal/dossiers/{id}"), &portal.token)
            .status,
        200
    );
    let log = |record: &str| {
        let r = app.get(
            &format!("/api/v1/recipient-access-log?record_id={record}&page_size=100"),
            &app.admin(),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["items"].as_array().unwrap().clone()
    };
    let reads: Vec<(String, String)> = log(&id)
        .iter()
        .map(|e| {
            assert!(e["recipient_id"].is_null(), "{e}");
            (
                e["username"].as_str().unwrap().to_owned(),
                e["access"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let read = |who: &str| (who.to_owned(), "dossier".to_owned());
    // Newest first: the portal's read, the list, the single read.
    assert_eq!(reads, [read("dvc-portal"), read("tgv.hn"), read("tgv.hn")]);
    let downloads: Vec<String> = log(&document)
        .iter()
        .map(|e| {
            assert_eq!(e["access"], "dossier_document", "{e}");
            e["username"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(downloads, ["dvc-portal", "tgv.hn"]);
}
