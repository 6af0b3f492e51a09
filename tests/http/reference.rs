use serde_json::json;
use tgpl_tests::TestApp;

#[test]
fn every_vocabulary_has_codes_with_both_labels() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let names = app.get("/api/v1/reference", &token).json();
    assert_eq!(names.as_array().unwrap().len(), 22);
    // The words of casework too, so that a front end labels a case's state and steps.
    for (name, code) in [
        ("case_states", "archived"),
        ("case_steps", "assign_provider"),
        ("litigation_roles", "defence"),
        ("success_kinds", "acquittal"),
        ("change_request_statuses", "pending"),
    ] {
        let codes = app.get(&format!("/api/v1/reference/{name}"), &token).json();
        assert!(
            codes.as_array().unwrap().iter().any(|c| c["code"] == code),
            "{name}: {codes}"
        );
    }
    for name in names.as_array().unwrap() {
        let r = app.get(
            &format!("/api/v1/reference/{}", name.as_str().unwrap()),
            &token,
        );
        assert_eq!(r.status, 200, "{name}: {}", r.body);
        for item in r.json().as_array().unwrap() {
            let code = item["code"].as_str().unwrap();
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'_'
                    || b == b'.'),
                "{code}"
            );
            assert!(!item["label"]["vi"].as_str().unwrap().is_empty());
            assert!(!item["label"]["en"].as_str().unwrap().is_empty());
        }
    }
    let ethnic = app.get("/api/v1/reference/ethnic_groups", &token).json();
    assert_eq!(ethnic.as_array().unwrap().len(), 54);
    assert_eq!(
        ethnic[0],
        json!({"code": "kinh", "label": {"vi": "Kinh", "en": "Kinh"}, "official_code": "01"})
    );
    let categories = app
        .get("/api/v1/reference/recipient_categories", &token)
        .json();
    let regimes: Vec<&str> = categories
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["regime"].as_str().unwrap())
        .collect();
    assert_eq!(regimes.iter().filter(|r| **r == "2017").count(), 14);
    assert_eq!(regimes.iter().filter(|r| **r == "2006").count(), 7);
    let fields = app.get("/api/v1/reference/fields", &token).json();
    assert!(fields
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["code"] != "business"));
    app.get("/api/v1/reference/banks", &token)
        .assert_problem(404, "not_found");
    app.request("GET", "/api/v1/reference/fields")
        .send()
        .assert_problem(401, "unauthorized");
}

#[test]
fn the_34_provinces_are_loaded_and_the_agency_maintains_them() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let provinces = app.get("/api/v1/provinces", &token).json();
    assert_eq!(provinces.as_array().unwrap().len(), 34);
    let cities = provinces
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "city")
        .count();
    assert_eq!(cities, 6);

    let new = json!({"code": "ha_giang", "name_vi": "Hà Giang", "name_en": "Ha Giang", "kind": "province"});
    app.post("/api/v1/provinces", &token, new.clone())
        .assert_problem(403, "forbidden");
    let admin = app.admin();
    let r = app.post("/api/v1/provinces", &admin, new.clone());
    assert_eq!(r.status, 201, "{}", r.body);
    app.post("/api/v1/provinces", &admin, new)
        .assert_problem(409, "code_taken");
    let r = app
        .request("PATCH", "/api/v1/provinces/ha_giang")
        .bearer(&admin)
        .header("If-Match", "\"1\"")
        .json(json!({"active": false}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.get("/api/v1/provinces", &token)
            .json()
            .as_array()
            .unwrap()
            .len(),
        34
    );
    assert_eq!(
        app.get("/api/v1/provinces?include_inactive=true", &token)
            .json()
            .as_array()
            .unwrap()
            .len(),
        35
    );
    // An organization cannot be placed in a province no longer in force.
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "STP-HG", "name": "Sở Tư pháp Hà Giang", "kind": "department", "parent_id": app.org_id("CUC-TGPL"), "province_code": "ha_giang"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "unknown_province"
    );
}
