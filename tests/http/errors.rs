//! Every error, including the framework's own, is an RFC 9457 problem with a stable code.

use serde_json::json;
use tgpl_tests::TestApp;

#[test]
fn unknown_routes_and_wrong_methods() {
    let app = TestApp::spawn();
    app.request("GET", "/api/v1/no-such-thing")
        .send()
        .assert_problem(404, "route_not_found");
    app.request("GET", "/nothing/here")
        .send()
        .assert_problem(404, "route_not_found");
    let r = app.request("DELETE", "/api/v1/organizations").send();
    r.assert_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, HEAD, POST"));
    let r = app.request("PUT", "/api/v1/organizations/some-id").send();
    r.assert_problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), Some("GET, HEAD, PATCH"));
    // A trailing slash is another path, which no route has: not a method to change.
    for path in [
        "/health/live/",
        "/api/v1/organizations/",
        "/api/v1/organizations/x/",
    ] {
        app.request("GET", path)
            .send()
            .assert_problem(404, "route_not_found");
    }
}

#[test]
fn malformed_json_wrong_content_type_and_oversized_bodies() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let r = app
        .request("POST", "/api/v1/organizations")
        .bearer(&admin)
        .body("application/json", "{\"code\": \"X1\", ");
    r.assert_problem(400, "malformed_json");
    let r = app
        .request("POST", "/api/v1/organizations")
        .bearer(&admin)
        .body("text/plain", "{}");
    r.assert_problem(415, "unsupported_media_type");
    let big = format!(
        "{{\"code\":\"BIG\",\"name\":\"{}\"}}",
        "x".repeat(300 * 1024)
    );
    let r = app
        .request("POST", "/api/v1/organizations")
        .bearer(&admin)
        .body("application/json", &big);
    r.assert_problem(413, "payload_too_large");
}

/// HEAD answers what GET would, headers only (RFC 9110): the same status, ETag and length.
#[test]
fn head_is_answered_wherever_get_is() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let live = app.request("HEAD", "/health/live").send();
    assert_eq!(live.status, 200);
    assert!(live.raw.is_empty());
    let path = format!("/api/v1/organizations/{}", app.org_id("STP-HN"));
    let got = app.get(&path, &admin);
    let head = app.request("HEAD", &path).bearer(&admin).send();
    assert_eq!(head.status, 200);
    assert!(head.raw.is_empty(), "{}", head.body);
    assert_eq!(head.header("etag"), got.header("etag"));
    assert_eq!(
        head.header("content-length"),
        Some(got.raw.len().to_string().as_str())
    );
    // Headers only, for errors too; and a path that takes no GET takes no HEAD.
    let r = app.request("HEAD", &path).send();
    assert_eq!(r.status, 401);
    assert!(r.raw.is_empty());
    let r = app.request("HEAD", "/api/v1/auth/token").send();
    assert_eq!(r.status, 405);
    assert_eq!(r.header("allow"), Some("POST"));
}

/// A field named twice in one object has no single meaning: 422 naming it, nothing stored,
/// however deep it sits and whichever route takes the body.
#[test]
fn a_field_named_twice_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let parent = app.org_id("STP-HN");
    let body = format!(
        r#"{{"code": "DUP-1", "name": "Trung tâm A", "name": "Trung tâm B", "kind": "center", "parent_id": "{parent}"}}"#
    );
    let r = app
        .request("POST", "/api/v1/organizations")
        .bearer(&admin)
        .body("application/json", &body);
    let problem = r.assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "name");
    assert_eq!(problem["errors"][0]["code"], "duplicate_key");
    let listed = app.get("/api/v1/organizations?q=DUP-1", &admin).json();
    assert_eq!(listed["total"], 0, "{listed}");

    let nested = r#"{"full_name": "Lê Văn Tám", "date_of_birth": "1990-01-01", "gender": "male",
        "address": {"province_code": "01", "province_code": "48"}}"#;
    let r = app
        .request("POST", "/api/v1/recipients")
        .bearer(&app.token("gd.hn"))
        .body("application/json", nested);
    let problem = r.assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "address.province_code");
    // The same name in two objects is no duplicate, and a body without duplicates still works.
    let r = app
        .request("POST", "/api/v1/organizations")
        .bearer(&admin)
        .body(
            "application/json",
            &body.replace(r#""name": "Trung tâm B", "#, ""),
        );
    assert_eq!(r.status, 201, "{}", r.body);
}

#[test]
fn invalid_fields_are_listed_one_by_one() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "OK-CODE", "name": "", "kind": "center", "email": "not-an-email", "parent_id": app.org_id("STP-HN")}),
    );
    let body = r.assert_problem(422, "validation_failed");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"email"),
        "{fields:?}"
    );
    for e in body["errors"].as_array().unwrap() {
        assert!(!e["code"].as_str().unwrap().is_empty());
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    // A field of the wrong type or an unknown code names its path.
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "X2", "name": "A", "kind": "business"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "kind"
    );
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "X3", "name": "A", "kind": "law_firm", "parent_id": app.org_id("STP-HN"),
               "participation": {"mode": "registration", "forms": ["litigation", "lobbying"], "valid_from": "2026-01-01"}}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "participation.forms[1]"
    );
}

#[test]
fn bad_query_parameters() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let r = app.get("/api/v1/organizations?page_size=abc", &admin);
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "page_size"
    );
    let r = app.get("/api/v1/organizations?page_size=1000", &admin);
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "page_size"
    );
    let r = app.get("/api/v1/organizations?kind=bank", &admin);
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "unknown_code"
    );
}

/// A misspelt filter would answer the unfiltered list as if it were the filtered one: a
/// parameter the operation does not document is refused, on every method, as an unknown
/// field of a body is.
#[test]
fn undocumented_query_parameters_are_refused() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    // The filter is `state`.
    let r = app.get("/api/v1/cases?status=archived", &gd);
    let problem = r.assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "status", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "unknown_parameter");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("page_size"),
        "the accepted ones are listed: {problem}"
    );
    assert_eq!(
        app.request("HEAD", "/api/v1/cases?status=archived")
            .bearer(&gd)
            .send()
            .status,
        422
    );
    // Documented ones, and a query left empty, pass.
    assert_eq!(app.get("/api/v1/cases?field=land&page=1", &gd).status, 200);
    assert_eq!(app.get("/api/v1/cases?", &gd).status, 200);
    // Nothing is recorded from a refused write.
    let before = app.get("/api/v1/cases", &gd).json()["total"].clone();
    let r = app.post(
        &format!("/api/v1/cases?organization_id={}", app.org_id("TTTGPL-HN")),
        &gd,
        serde_json::json!({}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "organization_id"
    );
    assert_eq!(app.get("/api/v1/cases", &gd).json()["total"], before);
    // Outside the contract (the documentation), and on unknown paths, nothing changes.
    assert_eq!(app.get("/docs/?lang=vi", &gd).status, 200);
    app.get("/api/v1/nowhere?x=1", &gd)
        .assert_problem(404, "route_not_found");
}

#[test]
fn messages_are_vietnamese_by_default_and_english_on_request() {
    let app = TestApp::spawn();
    let vi = app.request("GET", "/api/v1/nope").send();
    assert_eq!(vi.header("content-language"), Some("vi"));
    assert_eq!(vi.json()["title"], "Không có đường dẫn này");
    let en = app
        .request("GET", "/api/v1/nope")
        .header("Accept-Language", "en-GB,en;q=0.9,vi;q=0.5")
        .send();
    assert_eq!(en.header("content-language"), Some("en"));
    assert_eq!(en.json()["title"], "No such route");
    let vi_preferred = app
        .request("GET", "/api/v1/nope")
        .header("Accept-Language", "vi,en;q=0.8")
        .send();
    assert_eq!(vi_preferred.header("content-language"), Some("vi"));
    let r = app
        .request("POST", "/api/v1/organizations")
        .bearer(&app.admin())
        .header("Accept-Language", "en")
        .json(
            json!({"code": "Q1", "name": "", "kind": "center", "parent_id": app.org_id("STP-HN")}),
        );
    assert_eq!(
        r.json()["errors"][0]["message"],
        "Length must be between 1 and 255 characters."
    );
}

#[test]
fn request_ids_are_echoed_and_quoted() {
    let app = TestApp::spawn();
    let r = app
        .request("GET", "/api/v1/nope")
        .header("X-Request-Id", "portal-retry-42")
        .send();
    assert_eq!(r.header("x-request-id"), Some("portal-retry-42"));
    assert_eq!(r.json()["request_id"], "portal-retry-42");
    let r = app
        .request("GET", "/health/live")
        .header("X-Request-Id", "bad id with spaces")
        .send();
    let generated = r.header("x-request-id").unwrap();
    assert_ne!(generated, "bad id with spaces");
    assert_eq!(generated.len(), 32);
}

#[test]
fn problems_carry_no_internals() {
    let app = TestApp::spawn();
    let admin = app.admin();
    // A duplicate code is refused by the application; nothing of SQL reaches the client.
    let body = json!({"code": "TTTGPL-HN", "name": "Trùng", "kind": "center", "parent_id": app.org_id("STP-HN")});
    let r = app.post("/api/v1/organizations", &admin, body);
    r.assert_problem(409, "code_taken");
    for needle in [
        "SELECT", "INSERT", "sqlite", "postgres", "diesel", "panicked", "UNIQUE",
    ] {
        assert!(!r.body.contains(needle), "{needle} in {}", r.body);
    }
}

/// Found by schemathesis: what the contract allows is accepted, what it forbids is refused.
#[test]
fn the_server_holds_to_the_contract_at_its_edges() {
    let app = TestApp::spawn();
    let admin = app.admin();
    // An optional body sent as JSON `null` is an absent body.
    let firm = app.org_id("CTL-HN");
    let r = app
        .request("POST", &format!("/api/v1/organizations/{firm}/deactivate"))
        .bearer(&admin)
        .body("application/json", "null");
    assert_eq!(r.status, 200, "{}", r.body);
    // Pages past the documented maximum are refused, not answered empty.
    let r = app.get("/api/v1/cases?page=1000001", &admin);
    let body = r.assert_problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "page");
    assert_eq!(app.get("/api/v1/cases?page=1000000", &admin).status, 200);
    // An empty filter value is not a code.
    let r = app.get("/api/v1/cases?state=", &admin);
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "state"
    );
    // A reissued card is a whole card: a reason alone is not a valid body.
    let r = app.post(
        "/api/v1/collaborator-cards/01a22c38-d8eb-77f7-b513-984ca590b223/reissue",
        &admin,
        json!({"reason": "lost"}),
    );
    r.assert_problem(422, "validation_failed");
}

/// A required field left out is named, at its path, with the code `required`.
#[test]
fn a_missing_field_is_named_where_it_is_missing() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let problem = app
        .post("/api/v1/cases", &gd, json!({}))
        .assert_problem(422, "validation_failed");
    assert_eq!(
        problem["errors"][0]["field"], "organization_id",
        "{problem}"
    );
    assert_eq!(problem["errors"][0]["code"], "required");
    let problem = app
        .post(
            "/api/v1/staff",
            &gd,
            json!({"full_name": "Lê Thị Hoa", "membership": {"relation": "employee", "title": "legal_aid_officer"}}),
        )
        .assert_problem(422, "validation_failed");
    assert_eq!(
        problem["errors"][0]["field"], "membership.organization_id",
        "{problem}"
    );
    assert_eq!(problem["errors"][0]["code"], "required");
}

/// A body is a JSON object: an array of a record's fields in order is not one.
#[test]
fn a_body_that_is_not_an_object_is_refused() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    for body in [json!(["x", "y"]), json!("text"), json!(42)] {
        let problem = app
            .post("/api/v1/cases", &gd, body)
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["code"], "not_an_object", "{problem}");
    }
}

/// Where a body may be left out, an empty one is left out, whatever `Content-Type` says:
/// clients that always send `application/json` send it on empty bodies too.
#[test]
fn an_empty_body_is_a_body_left_out() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let id = app.open_case(&gd, "2026-11-02");
    let r = app
        .request("POST", &format!("/api/v1/cases/{id}/steps/accept"))
        .bearer(&gd)
        .body("application/json", "");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["state"], "accepted");
    // A body that is there is still read: whitespace alone is no JSON.
    let r = app
        .request("POST", &format!("/api/v1/cases/{id}/steps/withdraw"))
        .bearer(&gd)
        .body("application/json", " ");
    r.assert_problem(400, "malformed_json");
}
