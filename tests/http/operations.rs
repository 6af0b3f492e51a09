//! What an operator does on a fresh server: create the first administrator, load demo data.

use serde_json::json;
use tgpl_tests::TestApp;

#[test]
fn create_admin_bootstraps_an_empty_database() {
    let app = TestApp::spawn_empty();
    let mut conn = app.pool.get().unwrap();
    let weak = tgpl_api::bootstrap::create_admin(&mut conn, "root.admin", "Quản trị", "short");
    assert!(weak.unwrap_err().contains("policy"));
    tgpl_api::bootstrap::create_admin(&mut conn, "root.admin", "Quản trị", "Quản-trị-2026")
        .unwrap();
    let again =
        tgpl_api::bootstrap::create_admin(&mut conn, "root.admin", "Quản trị", "Quản-trị-2026");
    assert!(again.unwrap_err().contains("taken"));

    let token = app.login_as("root.admin", "Quản-trị-2026");
    let me = app.get("/api/v1/me", &token).json();
    assert_eq!(me["account"]["role"], "data_center_admin");
    assert_eq!(me["organization"]["code"], "CUC-TGPL");
    let orgs = app.get("/api/v1/organizations", &token).json();
    assert_eq!(orgs["total"], 2, "the Ministry and the Agency");
    // The new administrator can build the country from there.
    let r = app.post(
        "/api/v1/organizations",
        &token,
        json!({"code": "STP-CT", "name": "Sở Tư pháp thành phố Cần Thơ", "kind": "department",
               "parent_id": me["organization"]["id"], "province_code": "can_tho"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let audit = app
        .get("/api/v1/audit-log?action=account.create", &token)
        .json();
    assert_eq!(
        audit["items"][0]["actor"]["username"],
        "system:create-admin"
    );
}

/// Demo and benchmark data come with public passwords: they go into a new database, or one
/// they loaded before, never into one an operator set up.
#[test]
fn demo_and_benchmark_data_never_go_into_a_real_database() {
    let app = TestApp::spawn_empty();
    let mut conn = app.pool.get().unwrap();
    tgpl_api::bootstrap::create_admin(&mut conn, "root.admin", "Quản trị", "Quản-trị-2026")
        .unwrap();
    let Err(refused) = tgpl_api::demo::seed(&mut conn) else {
        panic!("the demo went into a real database")
    };
    assert!(refused.contains("seed-demo did not create"), "{refused}");
    let refused = tgpl_api::bench_data::generate(&mut conn, 34, 7).expect_err("refused");
    assert!(refused.contains("generate-bench-data"), "{refused}");
    let token = app.login_as("root.admin", "Quản-trị-2026");
    let accounts = app.get("/api/v1/accounts?page_size=100", &token).json();
    assert_eq!(accounts["total"], 1, "{accounts}");
}

/// The audit log's entries other than its own reads (`log.read`, recorded after each read).
fn writes_audited(app: &TestApp) -> i64 {
    let total = |query: &str| {
        app.get(
            &format!("/api/v1/audit-log?page_size=1{query}"),
            &app.admin(),
        )
        .json()["total"]
            .as_i64()
            .unwrap()
    };
    let all = total("");
    // This count sees the read just made; the one before did not see itself.
    all - (total("&action=log.read") - 1)
}

#[test]
fn seeding_the_demo_twice_changes_nothing() {
    let app = TestApp::spawn();
    app.admin();
    let before = writes_audited(&app);
    let mut conn = app.pool.get().unwrap();
    let logins = tgpl_api::demo::seed(&mut conn).unwrap();
    assert_eq!(logins.len(), 25);
    let admin = app.admin();
    assert_eq!(app.get("/api/v1/organizations", &admin).json()["total"], 18);
    let after = app
        .get("/api/v1/audit-log?action=organization.create", &admin)
        .json()["total"]
        .clone();
    assert_eq!(after, 18);
    // The administrator's token was issued before the first count: nothing was written since.
    assert_eq!(writes_audited(&app), before);
}

#[test]
fn api_responses_are_not_cached_or_sniffed() {
    let app = TestApp::spawn();
    let r = app.get("/api/v1/me", &app.token("tgv.hn"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let r = app.get("/api/v1/reference/fields", &app.token("tgv.hn"));
    assert_eq!(r.header("cache-control"), Some("private, max-age=3600"));
}

#[test]
fn the_benchmark_generator_loads_cases_that_the_api_serves() {
    let app = TestApp::spawn_empty();
    let mut conn = app.pool.get().unwrap();
    let done = tgpl_api::bench_data::generate(&mut conn, 680, 7).unwrap();
    assert!(
        done.starts_with("generated 680 cases in 34 centres; counted into the statistics' tallies"),
        "{done}"
    );
    let token = app.login_as("bench.ha-noi", tgpl_api::bench_data::BENCH_PASSWORD);
    let cases = app.get("/api/v1/cases?page_size=100", &token).json();
    assert_eq!(cases["total"], 20);
    let id = cases["items"][0]["id"].as_str().unwrap();
    assert_eq!(app.get(&format!("/api/v1/cases/{id}"), &token).status, 200);
    let history = app
        .get(&format!("/api/v1/cases/{id}/history"), &token)
        .json();
    assert_eq!(history[0]["step"], "receive");
    let recipients = app.get("/api/v1/recipients?page_size=1", &token).json();
    let people = recipients["total"].as_i64().unwrap();
    assert!(
        (8..=20).contains(&people),
        "about seven in ten cases bring a new person: {people}"
    );
    // New cases continue the generated numbering.
    let recipient = recipients["items"][0]["id"].clone();
    let me = app.get("/api/v1/me", &token).json();
    let r = app.post(
        "/api/v1/cases",
        &token,
        json!({"organization_id": me["organization"]["id"], "recipient_id": recipient, "received_on": "2026-11-01",
               "field": "civil", "form": "counselling", "place": "at_office", "summary": "x"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    // The generated cases were counted into the statistics' tallies: the centre's form 1
    // from them equals the form counted from its cases.
    let org = me["organization"]["id"].as_str().unwrap();
    let form = |recount: bool| {
        let r = app.get(
            &format!("/api/v1/statistics/forms/tt02-2011-bm1?organization_id={org}&period=2025-Y&recount={recount}"),
            &token,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    };
    let (kept, counted) = (form(false), form(true));
    assert_eq!(kept["counted_from"], "tallies");
    assert!(kept["rows"][0]["cells"][0].as_u64().unwrap() > 0);
    assert_eq!(kept["rows"], counted["rows"]);
}
