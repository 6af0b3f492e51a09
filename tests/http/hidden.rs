//! What a caller cannot see answers 404 exactly as an unknown id does; 403 only when the
//! caller sees the thing but the role may not act on it.

use serde_json::json;
use tgpl_tests::{Resp, TestApp};

const UNKNOWN: &str = "01900000-0000-7000-8000-000000000000";

fn client(app: &TestApp, (id, secret): (&str, &str)) -> String {
    app.client_grant(id, secret).json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The unknown-id answer and the out-of-scope answer, compared field by field.
fn same_as_unknown(out_of_scope: Resp, unknown: Resp, what: &str) {
    assert_eq!(out_of_scope.status, 404, "{what}: {}", out_of_scope.body);
    assert_eq!(unknown.status, 404, "{what} (unknown): {}", unknown.body);
    let (a, b) = (out_of_scope.json(), unknown.json());
    for field in ["type", "title", "status", "code", "detail"] {
        assert_eq!(a[field], b[field], "{what}: {field}");
    }
}

fn open_case_with_document(app: &TestApp) -> (String, String) {
    let tgv = app.token("tgv.hn");
    let case = app.open_case(&tgv, "2026-04-01");
    let r = app
        .request(
            "POST",
            &format!("/api/v1/cases/{case}/attachments?file_name=don.pdf"),
        )
        .bearer(&tgv)
        .bytes("application/octet-stream", b"%PDF-1.7\n%%EOF\n");
    assert_eq!(r.status, 201, "{}", r.body);
    (case, r.json()["id"].as_str().unwrap().to_owned())
}

#[test]
fn documents_are_hidden_from_those_who_cannot_see_the_case_file() {
    let app = TestApp::spawn();
    let (case, document) = open_case_with_document(&app);
    let callers = [
        ("portal", client(&app, tgpl_api::demo::PORTAL_CLIENT)),
        (
            "statistics office",
            client(&app, tgpl_api::demo::STATISTICS_CLIENT),
        ),
        ("agency viewer", app.token("cuc.xem")),
        ("department", app.token("stp.hn")),
        ("another province", app.token("tgv.dn")),
    ];
    for (who, token) in &callers {
        for method in ["GET", "DELETE"] {
            let seen = app
                .request(method, &format!("/api/v1/attachments/{document}"))
                .bearer(token)
                .send();
            let unknown = app
                .request(method, &format!("/api/v1/attachments/{UNKNOWN}"))
                .bearer(token)
                .send();
            same_as_unknown(seen, unknown, &format!("{method} attachment as {who}"));
        }
        same_as_unknown(
            app.get(&format!("/api/v1/cases/{case}/attachments"), token),
            app.get(&format!("/api/v1/cases/{UNKNOWN}/attachments"), token),
            &format!("attachment list as {who}"),
        );
    }
    // Service clients read no cases at all: the case is as unknown to them as a made-up id.
    for (who, token) in &callers[..2] {
        for path in ["", "/history"] {
            same_as_unknown(
                app.get(&format!("/api/v1/cases/{case}{path}"), token),
                app.get(&format!("/api/v1/cases/{UNKNOWN}{path}"), token),
                &format!("case{path} as {who}"),
            );
        }
    }
    // The data centre reads the case file but does no casework: refused, not deceived.
    app.request("DELETE", &format!("/api/v1/attachments/{document}"))
        .bearer(&app.admin())
        .send()
        .assert_problem(403, "forbidden");
    assert_eq!(
        app.get(
            &format!("/api/v1/attachments/{document}"),
            &app.token("gd.hn")
        )
        .status,
        200
    );
}

#[test]
fn change_requests_out_of_scope_are_unknown_to_their_deciders_too() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let id = app.closed_case(false)["id"].as_str().unwrap().to_owned();
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "delete", "reason": "Nhập trùng", "cases": [{"case_id": id}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let request = r.json()["id"].as_str().unwrap().to_owned();
    let decide = |token: &str, request: &str, decision: &str| {
        app.post(
            &format!("/api/v1/change-requests/{request}/{decision}"),
            token,
            json!({"reason": "Không đủ căn cứ"}),
        )
    };
    for who in ["gd.dn", "stp.dn", "tgv.dn"] {
        let token = app.token(who);
        for decision in ["approve", "reject"] {
            same_as_unknown(
                decide(&token, &request, decision),
                decide(&token, UNKNOWN, decision),
                &format!("{decision} as {who}"),
            );
        }
        same_as_unknown(
            app.get(&format!("/api/v1/change-requests/{request}"), &token),
            app.get(&format!("/api/v1/change-requests/{UNKNOWN}"), &token),
            &format!("read as {who}"),
        );
    }
    // Those who see the request but do not decide are refused.
    for who in ["gd.hn", "stp.hn", "cuc.xem"] {
        for decision in ["approve", "reject"] {
            decide(&app.token(who), &request, decision).assert_problem(403, "forbidden");
        }
    }
    decide(&app.admin(), UNKNOWN, "approve").assert_problem(404, "not_found");
    assert_eq!(decide(&app.admin(), &request, "reject").status, 200);
}

#[test]
fn staff_records_are_unknown_to_roles_that_read_no_staff() {
    let app = TestApp::spawn();
    let person = app
        .get("/api/v1/staff?q=nguyen%20van%20an", &app.token("gd.hn"))
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let portal = client(&app, tgpl_api::demo::PORTAL_CLIENT);
    same_as_unknown(
        app.get(&format!("/api/v1/staff/{person}"), &portal),
        app.get(&format!("/api/v1/staff/{UNKNOWN}"), &portal),
        "staff as the portal",
    );
    let patch = |id: &str| {
        app.request("PATCH", &format!("/api/v1/staff/{id}"))
            .bearer(&portal)
            .header("If-Match", "\"1\"")
            .json(json!({}))
    };
    same_as_unknown(patch(&person), patch(UNKNOWN), "staff change by the portal");
}
