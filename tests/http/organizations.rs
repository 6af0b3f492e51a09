use serde_json::json;
use tgpl_tests::TestApp;

/// Who sees which organization: 200 inside the scope, 404 outside, for every demo role.
#[test]
fn the_role_matrix_of_reading_organizations() {
    let app = TestApp::spawn();
    let orgs = [
        "CUC-TGPL",
        "STP-HN",
        "TTTGPL-HN",
        "TTTGPL-HN-CN1",
        "CTL-HN",
        "TTTGPL-DN",
    ];
    let ids: Vec<String> = orgs.iter().map(|c| app.org_id(c)).collect();
    // One letter per organization above: V visible (200), H hidden (404).
    let rows = [
        ("admin", "VVVVVV"),
        ("cuc.xem", "VVVVVV"),
        ("stp.hn", "HVVVVH"),
        ("gd.hn", "HHVVHH"),
        ("cn1.hn", "HHHVHH"),
        ("tgv.hn", "HHVVHH"),
        ("chung.hn", "HHVVHH"),
        ("ls.hn", "HHVVHH"),
        ("ctl.hn", "HHHHVH"),
        ("stp.dn", "HHHHHV"),
    ];
    for (user, expected) in rows {
        let token = app.token(user);
        let got: String = ids
            .iter()
            .map(|id| {
                match app
                    .get(&format!("/api/v1/organizations/{id}"), &token)
                    .status
                {
                    200 => 'V',
                    404 => 'H',
                    other => panic!("{user}: unexpected {other}"),
                }
            })
            .collect();
        assert_eq!(got, expected, "{user}");
    }
    let (portal, secret) = tgpl_api::demo::PORTAL_CLIENT;
    let token = app.client_grant(portal, secret).json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/organizations/{}", ids[5]), &token)
            .status,
        200
    );
}

#[test]
fn lists_show_only_the_callers_scope() {
    let app = TestApp::spawn();
    let codes = |user: &str| -> Vec<String> {
        let r = app.get(
            "/api/v1/organizations?page_size=100&sort=code",
            &app.token(user),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        codes("stp.dn"),
        vec!["CTL-DN", "STP-DN", "TTTGPL-DN", "TTTGPL-DN-CN1", "TTTV-DN"]
    );
    assert_eq!(codes("gd.hcm"), vec!["TTTGPL-HCM", "TTTGPL-HCM-CN1"]);
    assert_eq!(codes("admin").len(), 18);
}

fn center_body(app: &TestApp, code: &str, parent: &str) -> serde_json::Value {
    json!({"code": code, "name": "Chi nhánh số 2", "kind": "branch", "parent_id": app.org_id(parent)})
}

#[test]
fn creating_is_allowed_in_scope_hidden_outside_and_forbidden_by_role() {
    let app = TestApp::spawn();
    let r = app.post(
        "/api/v1/organizations",
        &app.token("stp.hn"),
        center_body(&app, "TTTGPL-HN-CN2", "TTTGPL-HN"),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    assert_eq!(
        created["province_code"], "ha_noi",
        "the province follows the parent"
    );
    assert_eq!(created["parent_id"], app.org_id("TTTGPL-HN"));
    assert_eq!(
        r.header("location").unwrap(),
        format!("/api/v1/organizations/{}", created["id"].as_str().unwrap())
    );
    assert_eq!(r.header("etag"), Some("\"1\""));

    app.post(
        "/api/v1/organizations",
        &app.token("stp.hn"),
        center_body(&app, "TTTGPL-DN-CN2", "TTTGPL-DN"),
    )
    .assert_problem(404, "not_found");
    app.post(
        "/api/v1/organizations",
        &app.token("gd.hn"),
        center_body(&app, "TTTGPL-HN-CN3", "TTTGPL-HN"),
    )
    .assert_problem(403, "forbidden");
    app.post(
        "/api/v1/organizations",
        &app.token("cuc.xem"),
        center_body(&app, "TTTGPL-HN-CN4", "TTTGPL-HN"),
    )
    .assert_problem(403, "forbidden");
    // Nothing was created by the refused calls.
    let r = app.get("/api/v1/organizations?q=TTTGPL-DN-CN2", &app.admin());
    assert_eq!(r.json()["total"], 0);
}

#[test]
fn the_tree_rules_are_enforced() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        center_body(&app, "WRONG-1", "STP-HN"),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "wrong_parent_kind"
    );
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "ORPHAN", "name": "Trung tâm", "kind": "center", "province_code": "ha_noi"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "required"
    );
    // Whoever asks: the Department may create clubs, and is told a club needs a parent.
    let r = app.post(
        "/api/v1/organizations",
        &app.token("stp.hn"),
        json!({"code": "CLB-ORPHAN", "name": "Câu lạc bộ", "kind": "club"}),
    );
    let problem = r.assert_problem(422, "validation_failed");
    assert_eq!(
        (
            &problem["errors"][0]["field"],
            &problem["errors"][0]["code"]
        ),
        (&json!("parent_id"), &json!("required"))
    );
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "MISMATCH", "name": "Chi nhánh", "kind": "branch", "parent_id": app.org_id("TTTGPL-HN"), "province_code": "da_nang"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "province_mismatch"
    );
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "TTV-REG", "name": "Trung tâm tư vấn", "kind": "counselling_center", "parent_id": app.org_id("STP-HN"),
               "participation": {"mode": "registration", "valid_from": "2026-01-01"}}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "participation.certificate_number"
    );
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "TTV-REG", "name": "Trung tâm tư vấn Ánh Dương", "kind": "counselling_center", "parent_id": app.org_id("STP-HN"),
               "participation": {"mode": "registration", "certificate_number": "05/2026/GĐK", "forms": ["counselling"],
                                 "fields": ["civil", "land"], "beneficiaries": ["child"], "valid_from": "2026-01-01", "valid_to": "2029-01-01"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        r.json()["participation"]["fields"],
        json!(["civil", "land"])
    );
    // A ministry is a root, made only by the data centre.
    let r = app.post(
        "/api/v1/organizations",
        &app.token("stp.hn"),
        json!({"code": "ROOT-2", "name": "Bộ", "kind": "ministry"}),
    );
    r.assert_problem(403, "forbidden");
}

#[test]
fn etags_guard_against_lost_updates() {
    let app = TestApp::spawn();
    let token = app.token("gd.hn");
    let id = app.org_id("TTTGPL-HN");
    let path = format!("/api/v1/organizations/{id}");
    let read = app.get(&path, &token);
    let etag = read.header("etag").unwrap().to_owned();
    assert_eq!(etag, "\"1\"");

    let patch = |etag: Option<&str>, body: serde_json::Value| {
        let mut req = app.request("PATCH", &path).bearer(&token);
        if let Some(e) = etag {
            req = req.header("If-Match", e);
        }
        req.json(body)
    };
    patch(None, json!({"phone": "024 3333 4444"})).assert_problem(428, "precondition_required");
    let first = patch(
        Some(&etag),
        json!({"phone": "024 3333 4444", "address": "Số 1 Phố Huế"}),
    );
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.header("etag"), Some("\"2\""));
    // A second writer still holding the first ETag loses nothing and changes nothing.
    patch(Some(&etag), json!({"phone": "024 3333 0000"}))
        .assert_problem(412, "precondition_failed");
    let now = app.get(&path, &token).json();
    assert_eq!(now["phone"], "024 3333 4444");
    assert_eq!(now["address"], "Số 1 Phố Huế");
    // null clears, absent keeps.
    let r = patch(Some("\"2\""), json!({"phone": null}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["phone"], serde_json::Value::Null);
    assert_eq!(r.json()["address"], "Số 1 Phố Huế");
    // Another centre's leader cannot touch it.
    app.request("PATCH", &path)
        .bearer(&app.token("gd.dn"))
        .header("If-Match", "\"3\"")
        .json(json!({"phone": "024 3333 1111"}))
        .assert_problem(404, "not_found");
    // An officer of the centre can read but not change it.
    app.request("PATCH", &path)
        .bearer(&app.token("tgv.hn"))
        .header("If-Match", "\"3\"")
        .json(json!({"phone": "024 3333 1111"}))
        .assert_problem(403, "forbidden");
}

#[test]
fn deactivation_needs_no_active_children() {
    let app = TestApp::spawn();
    let token = app.token("stp.hn");
    let center = app.org_id("TTTGPL-HN");
    let branch = app.org_id("TTTGPL-HN-CN1");
    app.post(
        &format!("/api/v1/organizations/{center}/deactivate"),
        &token,
        json!({}),
    )
    .assert_problem(409, "has_active_children");
    // Not from a day still to come, nor before it began.
    for on in ["2099-01-01", "1990-01-01"] {
        let refused = app
            .post(
                &format!("/api/v1/organizations/{branch}/deactivate"),
                &token,
                json!({"on": on}),
            )
            .refused_field();
        assert_eq!(
            refused,
            ("on".to_owned(), "out_of_range".to_owned()),
            "{on}"
        );
    }
    let r = app.post(
        &format!("/api/v1/organizations/{branch}/deactivate"),
        &token,
        json!({"on": "2026-06-30"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "inactive");
    assert_eq!(r.json()["deactivated_on"], "2026-06-30");
    // The hierarchy of a day shows it as it was that day.
    let status_on = |day: &str| {
        let nodes = app
            .get(
                &format!("/api/v1/organizations/{center}/subtree?as_of={day}"),
                &token,
            )
            .json();
        nodes
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == branch.as_str())
            .map(|n| n["status"].clone())
    };
    assert_eq!(status_on("2026-06-29"), Some(json!("active")));
    assert_eq!(status_on("2026-06-30"), Some(json!("inactive")));
    app.post(
        &format!("/api/v1/organizations/{branch}/deactivate"),
        &token,
        json!({}),
    )
    .assert_problem(409, "already_inactive");
    // Accounts of an inactive organization cannot log in.
    let r = app.post(
        "/api/v1/organizations",
        &token,
        json!({"code": "UNDER-DEAD", "name": "X", "kind": "club", "parent_id": branch}),
    );
    r.assert_problem(409, "parent_inactive");
    app.password_grant("cn1.hn", tgpl_tests::DEMO_PASSWORD)
        .assert_problem(401, "unauthorized");
    // It handles no case received from the day it stopped; one received before is recorded.
    let gd = app.token("gd.hn");
    let recipient =
        app.get("/api/v1/recipients?q=lo%20van%20pao", &gd).json()["items"][0]["id"].clone();
    let case = |received_on: &str| {
        app.post(
            "/api/v1/cases",
            &gd,
            json!({"organization_id": branch, "recipient_id": recipient, "received_on": received_on,
                   "field": "land", "form": "counselling", "place": "at_office", "summary": "x"}),
        )
    };
    case("2026-06-30").assert_problem(409, "not_handling_cases");
    let r = case("2026-06-29");
    assert_eq!(r.status, 201, "{}", r.body);
    // Nor does it take new people aided, staff or memberships.
    app.post(
        "/api/v1/recipients",
        &gd,
        json!({"organization_id": branch, "full_name": "Người Mới", "date_of_birth": "1980-01-01"}),
    )
    .assert_problem(409, "organization_inactive");
    app.post(
        "/api/v1/staff",
        &gd,
        json!({"full_name": "Người Mới", "membership": {"organization_id": branch,
               "relation": "employee", "title": "legal_aid_officer"}}),
    )
    .assert_problem(409, "organization_inactive");
}

#[test]
fn a_deactivated_organizations_tokens_stop_working_and_bad_bodies_are_refused() {
    let app = TestApp::spawn();
    let token = app.token("ctl.dn");
    let firm = app.org_id("CTL-DN");
    let stp = app.token("stp.dn");
    let r = app.post(
        &format!("/api/v1/organizations/{firm}/deactivate"),
        &stp,
        json!({"on": "30/06/2026"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "on"
    );
    app.request("POST", &format!("/api/v1/organizations/{firm}/deactivate"))
        .bearer(&stp)
        .body("text/plain", "on=today")
        .assert_problem(415, "unsupported_media_type");
    assert_eq!(app.get("/api/v1/me", &token).status, 200, "nothing changed");
    let r = app
        .request("POST", &format!("/api/v1/organizations/{firm}/deactivate"))
        .bearer(&stp)
        .send();
    assert_eq!(r.status, 200, "no body at all means today: {}", r.body);
    app.get("/api/v1/me", &token)
        .assert_problem(401, "unauthorized");
}

#[test]
fn a_move_into_another_province_takes_the_subtree_along() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let center = app.org_id("TTTGPL-DN");
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "CLB-DN-1", "name": "Câu lạc bộ TGPL", "kind": "club", "parent_id": app.org_id("TTTGPL-DN-CN1")}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let club = r.json()["id"].as_str().unwrap().to_owned();
    let r = app.post(
        &format!("/api/v1/organizations/{center}/parents"),
        &admin,
        json!({"parent_id": app.org_id("STP-HN")}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    for id in [center, app.org_id("TTTGPL-DN-CN1"), club] {
        assert_eq!(
            app.get(&format!("/api/v1/organizations/{id}"), &admin)
                .json()["province_code"],
            "ha_noi"
        );
    }
}

/// The merger of 1 July 2025: a branch moves to another centre; the tree of any day before
/// still shows it where it was.
#[test]
fn moves_are_dated_and_past_trees_stay_as_they_were() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let branch = app.org_id("TTTGPL-DN-CN1");
    let hn_center = app.org_id("TTTGPL-HN");
    let dn_center = app.org_id("TTTGPL-DN");
    let r = app.post(
        &format!("/api/v1/organizations/{branch}/parents"),
        &admin,
        json!({"parent_id": hn_center, "effective_from": "2025-07-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let history = app
        .get(&format!("/api/v1/organizations/{branch}/parents"), &admin)
        .json();
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[0]["parent_id"], dn_center);
    assert_eq!(history[0]["valid_to"], "2025-07-01");
    assert_eq!(history[1]["parent_id"], hn_center);

    let subtree = |root: &str, day: &str| -> Vec<String> {
        let r = app.get(
            &format!("/api/v1/organizations/{root}/subtree?as_of={day}"),
            &admin,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        subtree(&dn_center, "2025-06-30"),
        vec!["TTTGPL-DN", "TTTGPL-DN-CN1"]
    );
    assert_eq!(subtree(&dn_center, "2025-07-01"), vec!["TTTGPL-DN"]);
    assert_eq!(
        subtree(&hn_center, "2025-07-01"),
        vec!["TTTGPL-HN", "TTTGPL-HN-CN1", "TTTGPL-DN-CN1"]
    );
    let moved = app
        .get(&format!("/api/v1/organizations/{branch}"), &admin)
        .json();
    assert_eq!(moved["province_code"], "ha_noi");
    assert_eq!(moved["parent_id"], hn_center);
    // Cycles and backdating are refused.
    let r = app.post(
        &format!("/api/v1/organizations/{hn_center}/parents"),
        &admin,
        json!({"parent_id": branch}),
    );
    r.assert_problem(422, "validation_failed");
    let r = app.post(
        &format!("/api/v1/organizations/{branch}/parents"),
        &admin,
        json!({"parent_id": dn_center, "effective_from": "2025-07-01"}),
    );
    r.assert_problem(409, "invalid_effective_date");
    // A move dated before the organization's latest link would give it two parents.
    let r = app.post(
        &format!("/api/v1/organizations/{branch}/parents"),
        &admin,
        json!({"parent_id": dn_center, "effective_from": "2024-01-01"}),
    );
    r.assert_problem(409, "invalid_effective_date");
    // A move into another province is recorded when it takes effect, not ahead of it.
    let hcm_center = app.org_id("TTTGPL-HCM");
    let r = app.post(
        &format!("/api/v1/organizations/{branch}/parents"),
        &admin,
        json!({"parent_id": hcm_center, "effective_from": "2999-01-01"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "future_province_change"
    );
    // The move changed the version; a stale ETag is refused.
    assert_eq!(moved["version"], 2);
    let r = app
        .request("POST", &format!("/api/v1/organizations/{branch}/parents"))
        .bearer(&admin)
        .header("If-Match", "\"1\"")
        .json(json!({"parent_id": hcm_center}));
    r.assert_problem(412, "precondition_failed");
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "LATER", "name": "Chi nhánh", "kind": "branch", "parent_id": hn_center, "valid_from": "2999-01-01"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "in_future"
    );
}

#[test]
fn lists_filter_search_without_diacritics_sort_and_page() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let r = app.get(
        "/api/v1/organizations?q=trung%20tam%20tro%20giup&sort=code",
        &admin,
    );
    let codes: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes, vec!["TTTGPL-DN", "TTTGPL-HCM", "TTTGPL-HN"]);
    let r = app.get(
        "/api/v1/organizations?q=S%E1%BB%9E%20T%C6%AF%20PH%C3%81P",
        &admin,
    ); // "SỞ TƯ PHÁP"
    assert_eq!(r.json()["total"], 3);
    let r = app.get(
        "/api/v1/organizations?kind=law_firm&province_code=da_nang",
        &admin,
    );
    assert_eq!(r.json()["total"], 1);
    assert_eq!(r.json()["items"][0]["participation"]["mode"], "contract");
    let r = app.get(
        "/api/v1/organizations?participation_mode=registration",
        &admin,
    );
    assert_eq!(r.json()["total"], 3);
    let r = app.get(
        &format!("/api/v1/organizations?parent_id={}", app.org_id("STP-HN")),
        &admin,
    );
    assert_eq!(r.json()["total"], 3);

    let mut seen = Vec::new();
    let mut next = Some("/api/v1/organizations?page_size=5&sort=-code".to_owned());
    while let Some(path) = next {
        let page = app.get(&path, &admin).json();
        assert!(page["items"].as_array().unwrap().len() <= 5);
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["code"].as_str().unwrap().to_owned()),
        );
        next = page["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen.len(), 18);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted, "stable, complete, descending");
    app.get("/api/v1/organizations?sort=secret", &admin)
        .assert_problem(422, "validation_failed");
}

/// Servers keep the organization tree in memory: a move this server makes changes who may
/// see what from the very next request, and one that something else wrote into the links
/// (another server on the same database, the command line) within moments: on PostgreSQL the
/// server hears of it by notification.
#[test]
fn access_follows_a_move_wherever_it_was_made() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn();
    let branch = app.org_id("TTTGPL-DN-CN1");
    let path = format!("/api/v1/organizations/{branch}");
    let (hn, dn) = (app.token("gd.hn"), app.token("gd.dn"));
    let sees = |token: &str| app.get(&path, token).status;
    assert_eq!((sees(&dn), sees(&hn)), (200, 404));

    let r = app.post(
        &format!("{path}/parents"),
        &app.admin(),
        json!({"parent_id": app.org_id("TTTGPL-HN")}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        (sees(&dn), sees(&hn)),
        (404, 200),
        "after a move through the API"
    );

    let moved_back = diesel::sql_query(format!(
        "UPDATE organization_links SET parent_id = '{}' WHERE org_id = '{branch}' AND valid_to IS NULL",
        app.org_id("TTTGPL-DN")
    ))
    .execute(&mut **app.pool.get().unwrap())
    .unwrap();
    assert_eq!(moved_back, 1);
    tgpl_tests::eventually("access follows a change made elsewhere", || {
        (sees(&dn), sees(&hn)) == (200, 404)
    });
}

/// An organization hangs only under one in the hierarchy that day: a club placed under a
/// branch before the branch existed would be in no Department's tree meanwhile.
#[test]
fn a_parent_is_in_the_hierarchy_on_the_day() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hn");
    let center = app.org_id("TTTGPL-HN");
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let r = app.post(
        "/api/v1/organizations",
        &stp,
        json!({"code": "T-CN-NEW", "name": "Chi nhánh mới", "kind": "branch", "parent_id": center}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let branch = r.json()["id"].as_str().unwrap().to_owned();
    let earlier = (today - chrono::Duration::days(30)).to_string();
    let r = app.post(
        "/api/v1/organizations",
        &stp,
        json!({"code": "T-CLB-OLD", "name": "Câu lạc bộ", "kind": "club", "parent_id": branch,
               "valid_from": earlier}),
    );
    r.assert_problem(409, "parent_not_in_place");
    let r = app.post(
        "/api/v1/organizations",
        &stp,
        json!({"code": "T-CLB", "name": "Câu lạc bộ", "kind": "club", "parent_id": center,
               "valid_from": "2024-01-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let club = r.json()["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/organizations/{club}/parents"),
        &stp,
        json!({"parent_id": branch, "effective_from": earlier}),
    )
    .assert_problem(409, "parent_not_in_place");
    let r = app.post(
        &format!("/api/v1/organizations/{club}/parents"),
        &stp,
        json!({"parent_id": branch, "effective_from": today.to_string()}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

/// A move to another province takes the subtree along as it stands: moves recorded ahead in
/// it, decided for the old province, would later take a club across provinces unseen, so
/// they are refused until those days have passed.
#[test]
fn a_move_to_another_province_waits_for_moves_recorded_ahead() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let branch = app.org_id("TTTGPL-HN-CN1");
    let center = app.org_id("TTTGPL-HN");
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "T-CLB-AHEAD", "name": "Câu lạc bộ", "kind": "club", "parent_id": branch}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let club = r.json()["id"].as_str().unwrap().to_owned();
    let r = app.post(
        &format!("/api/v1/organizations/{club}/parents"),
        &admin,
        json!({"parent_id": center, "effective_from": "2099-01-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    app.post(
        &format!("/api/v1/organizations/{branch}/parents"),
        &admin,
        json!({"parent_id": app.org_id("TTTGPL-DN")}),
    )
    .assert_problem(409, "moves_ahead");
}
