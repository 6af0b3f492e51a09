//! Text reaches the database as the system keeps it: no control characters (PostgreSQL
//! cannot store U+0000, so both engines refuse it alike), NFC, trimmed, names collapsed.

use base64::Engine;
use serde_json::{json, Value};
use tgpl_tests::{Resp, TestApp};

const DECOMPOSED: &str =
    "Nguye\u{0302}\u{0303}n  Thi\u{0323}\u{00A0}\u{00A0}Hu\u{031b}o\u{031b}\u{0300}ng";
const COMPOSED: &str = "Nguyễn Thị Hường";

/// Percent-encodes everything but the unreserved characters.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn person(org: &str, name: &str) -> Value {
    json!({"organization_id": org, "full_name": name, "gender": "female",
           "date_of_birth": "1971-05-02", "province_code": "ha_noi"})
}

/// Asserts a problem whose first field error names `field` as holding a control character.
fn assert_control(r: &Resp, status: u16, code: &str, field: &str) -> Value {
    let body = r.assert_problem(status, code);
    assert_eq!(body["errors"][0]["field"], field, "{}", r.body);
    assert_eq!(body["errors"][0]["code"], "control_character", "{}", r.body);
    body
}

#[test]
fn a_nul_byte_is_refused_alike_on_every_input_path() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let center = app.org_id("TTTGPL-HN");

    // The token endpoint answers in OAuth style, before any lookup.
    let body = assert_control(
        &app.password_grant("gd\0hn", "x"),
        400,
        "invalid_request",
        "username",
    );
    assert_eq!(body["error"], "invalid_request");
    assert_control(
        &app.password_grant("gd.hn", "TroGiup@2026\0"),
        400,
        "invalid_request",
        "password",
    );
    assert_control(
        &app.client_grant("dvc\0portal", "demo-portal-secret-2026"),
        400,
        "invalid_request",
        "client_id",
    );
    let basic = base64::engine::general_purpose::STANDARD.encode("dvc-po\0rtal:secret");
    let r = app
        .request("POST", "/api/v1/auth/token")
        .header("Authorization", &format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")]);
    assert_control(&r, 400, "invalid_request", "client_id");

    // JSON bodies: 422 naming the field's path, nested ones included.
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "Nguyễn\0Văn A"),
    );
    assert_control(&r, 422, "validation_failed", "full_name");
    let r = app.post(
        "/api/v1/staff",
        &app.token("gd.hn"),
        json!({"full_name": "Lê Văn B", "membership": {"organization_id": "x\u{0}y",
               "relation": "employee", "title": "legal_aid_officer"}}),
    );
    assert_control(&r, 422, "validation_failed", "membership.organization_id");
    // Other control characters too; tabs and line breaks are text.
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "Nguyễn \u{1b}[31mVăn A"),
    );
    assert_control(&r, 422, "validation_failed", "full_name");
    // And the controls that reorder what is shown, which make a name read as another.
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "\u{202e}Nguyễn Văn A"),
    );
    assert_control(&r, 422, "validation_failed", "full_name");

    // Query strings: 422 naming the parameter.
    let r = app.get("/api/v1/cases?q=%00", &token);
    assert_control(&r, 422, "validation_failed", "q");
    let r = app.get("/api/v1/recipients?citizen_id=0011%0060", &token);
    assert_control(&r, 422, "validation_failed", "citizen_id");
    // The file name of an upload comes from the query.
    let r = app
        .request("POST", "/api/v1/cases/x/attachments?file_name=a%00.pdf")
        .bearer(&token)
        .bytes("application/pdf", b"%PDF-1.4\n");
    assert_control(&r, 422, "validation_failed", "file_name");

    // Path segments: no such resource.
    app.get("/api/v1/cases/abc%00def", &token)
        .assert_problem(404, "not_found");
    app.get("/api/v1/recipients/abc%00def", &token)
        .assert_problem(404, "not_found");
    app.request("PATCH", "/api/v1/organizations/x%1Fy")
        .bearer(&token)
        .header("If-Match", "\"1\"")
        .json(json!({"name": "Tên"}))
        .assert_problem(404, "not_found");
}

#[test]
fn names_of_only_white_space_are_refused_like_empty_ones() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let center = app.org_id("TTTGPL-HN");
    let empty = app
        .post("/api/v1/recipients", &token, person(&center, ""))
        .assert_problem(422, "validation_failed");
    assert_eq!(empty["errors"][0]["field"], "full_name");
    for blank in [
        "     ",
        "\u{00A0}\u{00A0}",
        "\t\t",
        "\u{3000}",
        " \u{200B} \n ",
    ] {
        let r = app.post("/api/v1/recipients", &token, person(&center, blank));
        let body = r.assert_problem(422, "validation_failed");
        assert_eq!(body["errors"], empty["errors"], "{blank:?}");
    }
    // Free text is trimmed too, so a blank summary is as empty as "".
    let r = app.post(
        "/api/v1/review-requests",
        &app.token("gd.hn"),
        json!({"organization_id": center, "kind": "case_resolution", "addressee": "\u{3000}",
               "content": " \n "}),
    );
    let body = r.assert_problem(422, "validation_failed");
    let mut fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["addressee", "content"], "{body}");
}

#[test]
fn names_are_stored_composed_trimmed_and_collapsed_and_found_however_typed() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let center = app.org_id("TTTGPL-HN");
    let mut body = person(&center, &format!(" \u{3000}{DECOMPOSED}\t"));
    body["address"] = json!("\u{00A0} Số 1,  phố Tràng Tiền\n");
    body["commune"] = json!("Phu\u{031b}o\u{031b}\u{0300}ng   Ba\tĐình");
    let r = app.post("/api/v1/recipients", &token, body);
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    assert_eq!(created["full_name"], COMPOSED);
    assert_eq!(created["commune"], "Phường Ba Đình");
    // Free text: NFC and trimmed, inner spacing kept.
    assert_eq!(created["address"], "Số 1,  phố Tràng Tiền");
    let id = created["id"].as_str().unwrap();
    let read = app.get(&format!("/api/v1/recipients/{id}"), &token).json();
    assert_eq!(read["full_name"], COMPOSED);

    // Searches fold the query after normalising it: decomposed, composed or bare.
    for q in [
        "Hu\u{031b}o\u{031b}\u{0300}ng",
        "hường",
        "THI\u{0323}  HUONG",
        "nguyen thi huong",
    ] {
        let found = app
            .get(&format!("/api/v1/recipients?q={}", enc(q)), &token)
            .json();
        assert_eq!(found["total"], 1, "{q:?}: {found}");
        assert_eq!(found["items"][0]["id"], id.to_owned().as_str());
    }

    // The same person typed composed is a likely duplicate of the decomposed one.
    let r = app.post("/api/v1/recipients", &token, person(&center, COMPOSED));
    r.assert_problem(409, "possible_duplicates");

    // A partial update is held to the same rules.
    let etag = app
        .get(&format!("/api/v1/recipients/{id}"), &token)
        .header("etag")
        .unwrap()
        .to_owned();
    let r = app
        .request("PATCH", &format!("/api/v1/recipients/{id}"))
        .bearer(&token)
        .header("If-Match", &etag)
        .json(json!({"full_name": format!("{DECOMPOSED} \u{00A0}A"), "phone": " 090  123\u{00A0}4567 "}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["full_name"], format!("{COMPOSED} A"));
    assert_eq!(r.json()["phone"], "090 123 4567");
    let r = app
        .request("PATCH", &format!("/api/v1/recipients/{id}"))
        .bearer(&token)
        .header("If-Match", r.header("etag").unwrap())
        .json(json!({"full_name": "\u{00A0}"}));
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "full_name"
    );
}

#[test]
fn staff_names_and_phone_numbers_are_collapsed_and_found_however_typed() {
    let app = TestApp::spawn();
    let token = app.token("gd.hcm");
    let center = app.org_id("TTTGPL-HCM");
    let r = app.post(
        "/api/v1/staff",
        &token,
        json!({"full_name": format!("\u{FEFF}{DECOMPOSED}\u{00A0}"), "provider_kind": "collaborator",
               "phone": "\t0909   123 456 ",
               "membership": {"organization_id": center, "relation": "collaborator", "title": "collaborator"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let person = r.json();
    assert_eq!(person["full_name"], COMPOSED);
    assert_eq!(person["phone"], "0909 123 456");
    let found = app
        .get(
            &format!(
                "/api/v1/staff?q={}",
                enc("thi\u{0323} hu\u{031b}o\u{031b}\u{0300}ng")
            ),
            &token,
        )
        .json();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["id"], person["id"]);
}

#[test]
fn passwords_are_taken_exactly_as_typed() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    // Decomposed, with spaces at both ends: hashed as sent.
    let typed = " Me\u{0302}\u{0323}t kha\u{0302}\u{0309}u 2026 ";
    let r = app.post(
        "/api/v1/me/password",
        &token,
        json!({"current_password": "TroGiup@2026", "new_password": typed}),
    );
    assert!(r.status < 300, "{}", r.body);
    app.login_as("tgv.hn", typed);
    assert_eq!(
        app.password_grant("tgv.hn", "Mệt khẩu 2026").status,
        401,
        "the normalised spelling is another password"
    );
    assert_eq!(app.password_grant("tgv.hn", typed.trim()).status, 401);
    // U+0000 is the one character refused in a secret.
    let token = app.login_as("tgv.hn", typed);
    let r = app.post(
        "/api/v1/me/password",
        &token,
        json!({"current_password": typed, "new_password": "Mật\u{0}khẩu-2026"}),
    );
    assert_control(&r, 422, "validation_failed", "new_password");
}

/// Sends `body` as a correction of `path` over its current version.
fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> Resp {
    let etag = app.get(path, token).header("etag").unwrap().to_owned();
    app.request("PATCH", path)
        .bearer(token)
        .header("If-Match", &etag)
        .json(body)
}

#[test]
fn null_never_passes_for_keep_on_a_required_field() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = format!("/api/v1/cases/{}", app.open_case(&gd, "2026-03-02"));
    let staff = app.get("/api/v1/staff?page_size=1", &gd).json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let review = app.post(
        "/api/v1/review-requests",
        &app.token("tgv.hn"),
        json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "public_duty",
               "addressee": "Công an huyện", "content": "Kiến nghị"}),
    );
    let review = format!(
        "/api/v1/review-requests/{}",
        review.json()["id"].as_str().unwrap()
    );
    let admin = app.admin();
    let stp = app.token("stp.hn");
    let firm = app.org_id("CTL-HN");
    let contract = app
        .get(&format!("/api/v1/organizations/{firm}/contracts"), &stp)
        .json()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused: [(&str, &str, &[&str]); 5] = [
        (
            &stp,
            &format!("/api/v1/contracts/{contract}"),
            &["contract_number", "forms", "fields", "beneficiaries"],
        ),
        (
            &gd,
            &case,
            &["received_on", "field", "form", "place", "summary"],
        ),
        (&gd, &format!("/api/v1/staff/{staff}"), &["status"]),
        (&gd, &review, &["kind", "addressee", "content"]),
        (
            &admin,
            "/api/v1/provinces/ha_noi",
            &["name_vi", "name_en", "kind", "active"],
        ),
    ];
    for (token, path, fields) in refused {
        let before = app.get(path, token).json();
        for field in fields {
            let problem = patch(&app, token, path, json!({ *field: null }))
                .assert_problem(422, "validation_failed");
            assert_eq!(problem["errors"][0]["field"], *field, "{path}: {problem}");
        }
        assert_eq!(app.get(path, token).json(), before, "{path} changed");
    }
    // An optional link is cleared by null: the request for review no longer names a case.
    let linked = patch(
        &app,
        &gd,
        &review,
        json!({"case_id": case.rsplit('/').next()}),
    );
    assert_eq!(linked.status, 200, "{}", linked.body);
    let detached = patch(&app, &gd, &review, json!({"case_id": null}));
    assert_eq!(detached.status, 200, "{}", detached.body);
    assert_eq!(detached.json()["case_id"], Value::Null);
}
