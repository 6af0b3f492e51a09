use serde_json::{json, Value};
use tgpl_tests::TestApp;

fn person(org: &str, name: &str, citizen_id: Option<&str>) -> Value {
    json!({"organization_id": org, "full_name": name, "gender": "female", "date_of_birth": "1960-02-14",
           "ethnicity": "kinh", "citizen_id": citizen_id, "province_code": "ha_noi", "commune": "Phường Ba Đình"})
}

#[test]
fn recipients_are_created_with_checked_citizen_ids() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let center = app.org_id("TTTGPL-HN");
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "Đặng Thị Lan", Some("001160123456")),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r
        .header("location")
        .unwrap()
        .starts_with("/api/v1/recipients/"));
    for (id, code) in [
        ("00116012345", "invalid_format"),
        ("003160123456", "unknown_province"),
        ("001060123456", "inconsistent"),
        ("001170123456", "inconsistent"),
    ] {
        let r = app.post(
            "/api/v1/recipients",
            &token,
            person(&center, "Người Khác", Some(id)),
        );
        let body = r.assert_problem(422, "validation_failed");
        assert_eq!(
            (
                body["errors"][0]["field"].as_str(),
                body["errors"][0]["code"].as_str()
            ),
            (Some("citizen_id"), Some(code)),
            "{id}"
        );
    }
    // A date of birth before 1900 is a slip of the keyboard.
    for born in ["0000-01-01", "1800-01-01", "1899-12-31"] {
        let mut body = person(&center, "Người Khác", None);
        body["date_of_birth"] = serde_json::json!(born);
        let problem = app
            .post("/api/v1/recipients", &token, body)
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["code"], "too_early", "{born}");
    }
}

#[test]
fn likely_duplicates_are_shown_before_creating_anyway() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let center = app.org_id("TTTGPL-HN");
    let existing = app
        .post(
            "/api/v1/recipients",
            &token,
            person(&center, "Nguyễn Thị Thu", Some("001160999888")),
        )
        .json();
    // Same citizen ID.
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "Tên khác hẳn", Some("001160999888")),
    );
    let body = r.assert_problem(409, "possible_duplicates");
    assert_eq!(body["candidates"][0]["id"], existing["id"]);
    assert_eq!(body["candidates"][0]["matched_on"], "citizen_id");
    assert_eq!(body["candidates"][0]["citizen_id_masked"], "*********888");
    // Same name without diacritics and upper-cased, same date of birth, no citizen ID.
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "NGUYEN THI THU", None),
    );
    let body = r.assert_problem(409, "possible_duplicates");
    assert_eq!(body["candidates"][0]["matched_on"], "name_and_birth_date");
    // "Ð" (U+00D0), which some keyboards give for "Đ", is the same letter: for the duplicate
    // check and for search.
    let dua = app
        .post(
            "/api/v1/recipients",
            &token,
            person(&center, "Phạm Văn Đua", None),
        )
        .json();
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "Phạm Văn \u{00d0}ua", None),
    );
    let body = r.assert_problem(409, "possible_duplicates");
    assert_eq!(body["candidates"][0]["id"], dua["id"]);
    let found = app.get("/api/v1/recipients?q=%C3%90ua", &token).json();
    assert_eq!(found["items"][0]["id"], dua["id"], "{found}");
    // Nor do characters shown as nothing make another person.
    for hidden in ["\u{2060}", "\u{200d}", "\u{00ad}", "\u{3164}"] {
        let r = app.post(
            "/api/v1/recipients",
            &token,
            person(&center, &format!("Phạm{hidden} Văn Đua"), None),
        );
        let body = r.assert_problem(409, "possible_duplicates");
        assert_eq!(body["candidates"][0]["id"], dua["id"], "{hidden:?}");
    }
    // A different person of the same name, deliberately created.
    let mut again = person(&center, "NGUYEN THI THU", None);
    again["create_anyway"] = json!(true);
    assert_eq!(app.post("/api/v1/recipients", &token, again).status, 201);
    // Another province's officer does not learn of the existing record.
    let other = person(
        &app.org_id("TTTGPL-DN"),
        "Nguyễn Thị Thu",
        Some("001160999888"),
    );
    assert_eq!(
        app.post("/api/v1/recipients", &app.token("tgv.dn"), other)
            .status,
        201
    );
}

#[test]
fn recipients_are_visible_only_to_the_organizations_handling_them() {
    let app = TestApp::spawn();
    let center = app.org_id("TTTGPL-HN");
    let created = app
        .post(
            "/api/v1/recipients",
            &app.token("tgv.hn"),
            person(&center, "Mai Thị Cúc", None),
        )
        .json();
    let path = format!("/api/v1/recipients/{}", created["id"].as_str().unwrap());
    for user in ["tgv.hn", "gd.hn", "chung.hn", "admin"] {
        assert_eq!(app.get(&path, &app.token(user)).status, 200, "{user}");
    }
    // The contracted lawyer sees the people of the cases they perform, and this person has
    // none.
    for user in [
        "tgv.dn", "gd.dn", "stp.hn", "cuc.xem", "cn1.hn", "ctl.hn", "ls.hn",
    ] {
        app.get(&path, &app.token(user))
            .assert_problem(404, "not_found");
    }
    for (id, secret) in [
        tgpl_api::demo::PORTAL_CLIENT,
        tgpl_api::demo::STATISTICS_CLIENT,
    ] {
        let token = app.client_grant(id, secret).json()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        app.get(&path, &token).assert_problem(404, "not_found");
        app.get("/api/v1/recipients", &token)
            .assert_problem(403, "forbidden");
    }
    app.get("/api/v1/recipients", &app.token("stp.hn"))
        .assert_problem(403, "forbidden");
    let listed = app
        .get("/api/v1/recipients?q=mai%20thi%20cuc", &app.token("gd.hn"))
        .json();
    assert_eq!(listed["total"], 1);
    assert_eq!(
        app.get("/api/v1/recipients?q=mai%20thi%20cuc", &app.token("gd.dn"))
            .json()["total"],
        0
    );
    let by_id = app
        .get(
            "/api/v1/recipients?citizen_id=001150012345",
            &app.token("gd.hn"),
        )
        .json();
    assert_eq!(by_id["items"][0]["full_name"], "Nguyễn Thị Hoa");
}

#[test]
fn every_read_of_personal_data_is_logged_for_the_administrator() {
    let app = TestApp::spawn();
    let token = app.token("gd.hcm");
    let list = app
        .request("GET", "/api/v1/recipients?page_size=2")
        .bearer(&token)
        .header("X-Request-Id", "list-1")
        .send()
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/recipients/{id}"), &token).status,
        200
    );
    app.get(&format!("/api/v1/recipients/{id}"), &app.token("gd.dn"))
        .assert_problem(404, "not_found");

    let admin = app.admin();
    let log = app
        .get(
            &format!("/api/v1/recipient-access-log?recipient_id={id}"),
            &admin,
        )
        .json();
    let accesses: Vec<(&str, &str)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["username"].as_str().unwrap(),
                e["access"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        accesses,
        vec![("gd.hcm", "read"), ("gd.hcm", "list")],
        "the refused read is not a read"
    );
    assert_eq!(log["items"][1]["request_id"], "list-1");
    let by_account = app
        .get(
            &format!(
                "/api/v1/recipient-access-log?account_id={}",
                app.account_id("gd.hcm")
            ),
            &admin,
        )
        .json();
    assert_eq!(by_account["total"], 3);
    app.get("/api/v1/recipient-access-log", &token)
        .assert_problem(403, "forbidden");
    app.get("/api/v1/recipient-access-log", &app.token("cuc.xem"))
        .assert_problem(403, "forbidden");
}

#[test]
fn the_first_proven_category_counts() {
    let app = TestApp::spawn();
    let token = app.token("tgv.dn");
    let created = app
        .post(
            "/api/v1/recipients",
            &token,
            person(&app.org_id("TTTGPL-DN"), "Hà Văn Nam", None),
        )
        .json();
    let proofs = format!(
        "/api/v1/recipients/{}/proofs",
        created["id"].as_str().unwrap()
    );
    let add = |body: Value| app.post(&proofs, &token, body);
    // Disabled (needs financial difficulty) first, on 1 March; no hardship proof yet.
    let r = add(
        json!({"kind": "status", "category": "disabled", "document_kind": "Giấy xác nhận khuyết tật", "provided_on": "2026-03-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["statistical_category"], Value::Null);
    // Meritorious on 5 March: counts at once.
    let r = add(
        json!({"kind": "status", "category": "meritorious", "document_kind": "Quyết định", "provided_on": "2026-03-05"}),
    );
    assert_eq!(
        r.json()["statistical_category"],
        json!({"category": "meritorious", "proven_on": "2026-03-05"})
    );
    // Hardship proof on 4 March, entered late: disabled now counts from 4 March, before meritorious.
    let r = add(
        json!({"kind": "financial_hardship", "document_kind": "Giấy xác nhận hộ cận nghèo", "provided_on": "2026-03-04"}),
    );
    assert_eq!(
        r.json()["statistical_category"],
        json!({"category": "disabled", "proven_on": "2026-03-04"})
    );
    assert_eq!(r.json()["proofs"].as_array().unwrap().len(), 3);
    // Bad proofs change nothing.
    add(json!({"kind": "status", "document_kind": "X", "provided_on": "2026-03-01"}))
        .assert_problem(422, "validation_failed");
    add(json!({"kind": "financial_hardship", "category": "hiv", "document_kind": "X", "provided_on": "2026-03-01"})).assert_problem(422, "validation_failed");
    add(json!({"kind": "status", "category": "child", "document_kind": "X", "provided_on": "2999-01-01"})).assert_problem(422, "validation_failed");
    app.post(&proofs, &app.token("tgv.hn"), json!({"kind": "status", "category": "child", "document_kind": "X", "provided_on": "2026-03-01"}))
        .assert_problem(404, "not_found");
    // The demo recipient with elderly + hardship counts as elderly from the second proof.
    let hoa = app
        .get("/api/v1/recipients?q=nguyen%20thi%20hoa", &token)
        .json();
    assert_eq!(
        hoa["items"][0]["statistical_category"],
        json!({"category": "elderly", "proven_on": "2026-03-05"})
    );
}

#[test]
fn recipient_updates_need_the_etag() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let created = app
        .post(
            "/api/v1/recipients",
            &token,
            person(&app.org_id("TTTGPL-HN"), "Bùi Thị Yến", None),
        )
        .json();
    let path = format!("/api/v1/recipients/{}", created["id"].as_str().unwrap());
    app.request("PATCH", &path)
        .bearer(&token)
        .json(json!({"phone": "0987 654 321"}))
        .assert_problem(428, "precondition_required");
    let r = app
        .request("PATCH", &path)
        .bearer(&token)
        .header("If-Match", "\"1\"")
        .json(json!({"citizen_id": "001160555444", "phone": "0987 654 321"}));
    assert_eq!(r.status, 200, "{}", r.body);
    app.request("PATCH", &path)
        .bearer(&token)
        .header("If-Match", "\"1\"")
        .json(json!({"phone": "0912 000 111"}))
        .assert_problem(412, "precondition_failed");
    let r = app
        .request("PATCH", &path)
        .bearer(&token)
        .header("If-Match", "\"2\"")
        .json(json!({"gender": "male"}));
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "inconsistent"
    );
    assert_eq!(
        app.get(&path, &token).json()["gender"],
        "female",
        "nothing changed"
    );
}

#[test]
fn the_audit_log_keeps_no_personal_data_and_creation_is_a_logged_read() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let created = app
        .post(
            "/api/v1/recipients",
            &token,
            person(
                &app.org_id("TTTGPL-HN"),
                "Cao Thị Riêng",
                Some("001160777666"),
            ),
        )
        .json();
    let id = created["id"].as_str().unwrap();
    let admin = app.admin();
    let audit = app.get(&format!("/api/v1/audit-log?resource_id={id}"), &admin);
    assert!(
        !audit.body.contains("Cao Thị Riêng") && !audit.body.contains("001160777666"),
        "{}",
        audit.body
    );
    assert!(audit.json()["items"][0]["after"]["fields"]
        .as_array()
        .unwrap()
        .contains(&json!("citizen_id")));
    let log = app
        .get(
            &format!("/api/v1/recipient-access-log?recipient_id={id}"),
            &admin,
        )
        .json();
    assert_eq!(log["items"][0]["access"], "create");
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(
            &app.org_id("TTTGPL-HN"),
            "Người Tương Lai",
            Some("001560123456"),
        ),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "invalid_century"
    );
}

/// Who handles a person is one decision for reads and lists: a centre that received a case
/// by transfer lists the person, as it reads them, and a deleted case hands nobody over.
#[test]
fn a_centre_lists_the_people_of_cases_transferred_in_to_it() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let r = app.post(
        "/api/v1/recipients",
        &gd,
        person(&center, "Hoàng Thị Chuyển", Some("001160654321")),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let recipient = r.json()["id"].as_str().unwrap().to_owned();
    let lists = |token: &str| -> bool {
        let r = app.get("/api/v1/recipients?q=hoang%20thi%20chuyen", token);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == recipient.as_str())
    };
    let new_case = || {
        let r = app.post(
            "/api/v1/cases",
            &gd,
            json!({"organization_id": center, "recipient_id": recipient, "received_on": "2026-04-01",
                   "field": "criminal", "form": "litigation", "place": "detention", "summary": "Bào chữa"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_owned()
    };
    let dn = app.token("gd.dn");
    assert!(lists(&gd));
    assert!(!lists(&dn), "Đà Nẵng handles nothing of hers yet");
    app.get(&format!("/api/v1/recipients/{recipient}"), &dn)
        .assert_problem(404, "not_found");

    // A case that is deleted while open hands nobody over.
    let deleted = new_case();
    assert_eq!(
        app.request("DELETE", &format!("/api/v1/cases/{deleted}"))
            .bearer(&gd)
            .send()
            .status,
        204
    );
    assert!(!lists(&dn));

    let case = new_case();
    let r = app.post(
        &format!("/api/v1/cases/{case}/steps/transfer_out"),
        &gd,
        json!({"to_organization_id": app.org_id("TTTGPL-DN"), "reason": "Bị can chuyển nơi tạm giam"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    for user in ["gd.dn", "tgv.dn"] {
        let token = app.token(user);
        assert_eq!(
            app.get(&format!("/api/v1/recipients/{recipient}"), &token)
                .status,
            200,
            "{user} reads her"
        );
        assert!(lists(&token), "{user} lists her as it reads her");
        let everyone = app.get("/api/v1/recipients?page_size=100", &token).json();
        assert!(everyone["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == recipient.as_str()));
        assert!(everyone["total"].as_i64().unwrap() >= 1);
    }
    assert!(lists(&gd), "the sender still handles her");
    assert!(!lists(&app.token("gd.hcm")));
}

/// Nothing in a person's record comes before their birth: no case received, no document
/// provided, and no date of birth moved after what is recorded; a category fits the
/// person's age on the day it was proven.
#[test]
fn a_record_begins_with_the_person() {
    let app = TestApp::spawn();
    let token = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let mut body = person(&center, "Lò Thị Bé", None);
    body["date_of_birth"] = json!("2015-05-05");
    let created = app.post("/api/v1/recipients", &token, body);
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let case = |received_on: &str| {
        app.post(
            "/api/v1/cases",
            &token,
            json!({"organization_id": center, "recipient_id": id, "received_on": received_on,
                   "field": "civil", "form": "counselling", "place": "at_office", "summary": "Tư vấn"}),
        )
    };
    assert_eq!(
        case("2005-01-01").refused_field(),
        ("received_on".into(), "before_birth".into())
    );
    assert_eq!(case("2020-06-01").status, 201);
    let proofs = format!("/api/v1/recipients/{id}/proofs");
    let proof = |category: &str, provided_on: &str| {
        app.post(
            &proofs,
            &token,
            json!({"kind": "status", "category": category, "document_kind": "Giấy khai sinh",
                   "provided_on": provided_on}),
        )
    };
    assert_eq!(
        proof("child", "2000-01-01").refused_field(),
        ("provided_on".into(), "before_birth".into())
    );
    assert_eq!(
        proof("elderly", "2026-01-01").refused_field(),
        ("category".into(), "age_mismatch".into())
    );
    assert_eq!(proof("child", "2026-01-01").status, 201);
    let path = format!("/api/v1/recipients/{id}");
    let etag = app.get(&path, &token).header("etag").unwrap().to_owned();
    let moved = app
        .request("PATCH", &path)
        .bearer(&token)
        .header("If-Match", &etag)
        .json(json!({"date_of_birth": "2026-11-01"}));
    assert_eq!(
        moved.refused_field(),
        ("date_of_birth".into(), "after_records".into())
    );
    let r = app
        .request("PATCH", &path)
        .bearer(&token)
        .header("If-Match", &etag)
        .json(json!({"date_of_birth": "2015-06-01"}));
    assert_eq!(r.status, 200, "{}", r.body);
}

/// A name names somebody and a phone number is one, for people aided and staff alike.
#[test]
fn names_have_letters_and_phones_digits() {
    let app = TestApp::spawn();
    let token = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let refused = |path: &str, body: Value| app.post(path, &token, body).refused_field();
    let mut marks = person(&center, "\u{0301}\u{0301}", None);
    assert_eq!(
        refused("/api/v1/recipients", marks.clone()),
        ("full_name".into(), "stray_marks".into())
    );
    marks["full_name"] = json!("12345");
    assert_eq!(
        refused("/api/v1/recipients", marks),
        ("full_name".into(), "no_letter".into())
    );
    for phone in ["abc", "=1+1"] {
        let mut body = person(&center, "Đinh Văn Thoại", None);
        body["phone"] = json!(phone);
        assert_eq!(
            refused("/api/v1/recipients", body),
            ("phone".into(), "invalid_phone".into())
        );
    }
    let org = app.org_id("TTTGPL-HN");
    let path = format!("/api/v1/organizations/{org}");
    let etag = app.get(&path, &token).header("etag").unwrap().to_owned();
    let problem = app
        .request("PATCH", &path)
        .bearer(&token)
        .header("If-Match", &etag)
        .json(json!({"phone": "gọi tôi"}))
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "invalid_phone");
    // A required name is not cleared: null is refused, not taken for "keep".
    let problem = app
        .request("PATCH", &path)
        .bearer(&token)
        .header("If-Match", &etag)
        .json(json!({"name": null}))
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "name", "{problem}");
    let mut ok = person(&center, "Đinh Văn Thoại", None);
    ok["phone"] = json!("+84 (24) 3825-1234");
    assert_eq!(app.post("/api/v1/recipients", &token, ok).status, 201);
}

#[test]
fn the_ethnic_minority_category_is_never_proven_for_a_kinh_person() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let center = app.org_id("TTTGPL-HN");
    let r = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "Nông Văn Páo", None),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let path = format!("/api/v1/recipients/{}", r.json()["id"].as_str().unwrap());
    let proof = json!({"kind": "status", "category": "ethnic_minority_hardship_area",
                       "document_kind": "Giấy xác nhận cư trú", "provided_on": "2026-01-05"});
    assert_eq!(
        app.post(&format!("{path}/proofs"), &token, proof.clone())
            .refused_field(),
        ("category".into(), "ethnicity_mismatch".into())
    );
    let patch = |ethnicity: &str| {
        let etag = app.get(&path, &token).header("etag").unwrap().to_owned();
        app.request("PATCH", &path)
            .bearer(&token)
            .header("If-Match", &etag)
            .json(json!({"ethnicity": ethnicity}))
    };
    assert_eq!(patch("tay").status, 200);
    let r = app.post(&format!("{path}/proofs"), &token, proof);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        patch("kinh").refused_field(),
        ("ethnicity".into(), "category_proven".into())
    );
    assert_eq!(app.get(&path, &token).json()["ethnicity"], "tay");
}

#[test]
fn a_correction_does_not_give_a_person_another_persons_citizen_id() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let center = app.org_id("TTTGPL-HN");
    let first = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "Đặng Thị Lan", Some("001160123456")),
    );
    assert_eq!(first.status, 201, "{}", first.body);
    let second = app.post(
        "/api/v1/recipients",
        &token,
        person(&center, "Đỗ Thị Mai", None),
    );
    assert_eq!(second.status, 201, "{}", second.body);
    let path = format!(
        "/api/v1/recipients/{}",
        second.json()["id"].as_str().unwrap()
    );
    let correct = |citizen_id: &str| {
        let etag = app.get(&path, &token).header("etag").unwrap().to_owned();
        app.request("PATCH", &path)
            .bearer(&token)
            .header("If-Match", &etag)
            .json(json!({"citizen_id": citizen_id}))
    };
    correct("001160123456").assert_problem(409, "citizen_id_recorded");
    assert_eq!(app.get(&path, &token).json()["citizen_id"], Value::Null);
    let r = correct("001160123457");
    assert_eq!(r.status, 200, "{}", r.body);
    // Its own number, sent again, is no conflict.
    assert_eq!(correct("001160123457").status, 200);
}
