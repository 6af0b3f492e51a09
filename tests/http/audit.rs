use serde_json::{json, Value};
use tgpl_tests::TestApp;

#[test]
fn every_write_is_in_the_audit_log_with_before_and_after() {
    let app = TestApp::spawn();
    let stp = app.token("stp.dn");
    let r = app.post(
        "/api/v1/organizations",
        &stp,
        json!({"code": "CLB-DN", "name": "Câu lạc bộ TGPL xã Hòa Vang", "kind": "club", "parent_id": app.org_id("TTTGPL-DN")}),
    );
    assert_eq!(r.status, 201);
    let org = r.json()["id"].as_str().unwrap().to_owned();
    let r = app
        .request("PATCH", &format!("/api/v1/organizations/{org}"))
        .bearer(&stp)
        .header("If-Match", "\"1\"")
        .header("X-Request-Id", "audit-check-1")
        .json(json!({"name": "Câu lạc bộ TGPL Hòa Vang"}));
    assert_eq!(r.status, 200);
    let account = app.account_id("tgv.dn");
    assert_eq!(
        app.post(
            &format!("/api/v1/accounts/{account}/lock"),
            &app.token("chung.dn"),
            json!({})
        )
        .status,
        403
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/accounts/{account}/lock"),
            &app.token("gd.dn"),
            json!({})
        )
        .status,
        200
    );

    let admin = app.admin();
    let entries = app
        .get(&format!("/api/v1/audit-log?resource_id={org}"), &admin)
        .json();
    let items = entries["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let update = &items[0];
    assert_eq!(update["action"], "organization.update");
    assert_eq!(update["actor"]["username"], "stp.dn");
    assert_eq!(update["actor"]["role"], "department_officer");
    assert_eq!(update["actor"]["organization_id"], app.org_id("STP-DN"));
    assert_eq!(update["request_id"], "audit-check-1");
    assert_eq!(update["before"]["name"], "Câu lạc bộ TGPL xã Hòa Vang");
    assert_eq!(update["after"]["name"], "Câu lạc bộ TGPL Hòa Vang");
    // The record's instants say their zone, as the API's do.
    for at in [
        &update["before"]["updated_at"],
        &update["after"]["updated_at"],
    ] {
        let at = at.as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(at).is_ok() && at.ends_with('Z'),
            "{at}"
        );
    }
    assert_eq!(items[1]["action"], "organization.create");
    assert!(items[1]["before"].is_null());

    let locks = app
        .get(
            &format!("/api/v1/audit-log?action=account.lock&resource_id={account}"),
            &admin,
        )
        .json();
    assert_eq!(locks["total"], 1, "the refused lock left nothing");
    assert_eq!(locks["items"][0]["after"]["status"], "locked");
    assert!(
        !locks.to_string().contains("argon2"),
        "no password hash in the log"
    );

    let logins = app
        .get("/api/v1/audit-log?action=auth.token_issued", &admin)
        .json();
    assert!(logins["total"].as_i64().unwrap() >= 3);
    let seeded = app
        .get(
            "/api/v1/audit-log?action=organization.create&page_size=100",
            &admin,
        )
        .json();
    assert_eq!(seeded["total"], 19, "18 demo organizations and the club");
    let future = app
        .get("/api/v1/audit-log?from=2999-01-01T00:00:00Z", &admin)
        .json();
    assert_eq!(future["total"], 0);
    app.get("/api/v1/audit-log?action=anything", &admin)
        .assert_problem(422, "validation_failed");
}

#[test]
fn only_the_data_centre_reads_the_audit_log() {
    let app = TestApp::spawn();
    for user in ["cuc.xem", "stp.hn", "gd.hn", "tgv.hn"] {
        app.get("/api/v1/audit-log", &app.token(user))
            .assert_problem(403, "forbidden");
    }
}

#[test]
fn the_audit_log_refuses_changes_at_the_storage_level() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn();
    let mut conn = app.pool.get().unwrap();
    let update = diesel::sql_query("UPDATE audit_log SET actor_username = 'someone else'")
        .execute(&mut **conn);
    assert!(update.is_err(), "update was allowed");
    let delete = diesel::sql_query("DELETE FROM audit_log").execute(&mut **conn);
    assert!(delete.is_err(), "delete was allowed");
    let entries = app.get("/api/v1/audit-log", &app.admin()).json();
    assert!(entries["total"].as_i64().unwrap() > 0);
    // So do the cases' histories and the statistics released: they are records too.
    for statement in [
        "UPDATE case_events SET reason = 'rewritten'",
        "DELETE FROM case_events",
        "UPDATE statistical_releases SET vintage = vintage",
        "DELETE FROM statistical_releases",
    ] {
        let changed = diesel::sql_query(statement).execute(&mut **conn);
        assert!(changed.is_err(), "{statement} was allowed");
    }
}

/// The audit entry of a case's step says which step, on what day and why, with the case as
/// it left it: an auditor needs no other table to follow the case.
#[test]
fn a_case_step_is_audited_with_the_step_and_its_reason() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = app.open_case(&gd, "2026-11-01");
    let r = app.post(
        &format!("/api/v1/cases/{case}/steps/refuse"),
        &gd,
        json!({"on": "2026-11-02", "reason": "Không thuộc diện được trợ giúp pháp lý"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let entries = app
        .get(
            &format!("/api/v1/audit-log?resource_id={case}&action=case.step"),
            &app.admin(),
        )
        .json();
    let entry = &entries["items"][0];
    assert_eq!(entry["after"]["state"], "refused");
    assert_eq!(entry["after"]["step"]["step"], "refuse");
    assert_eq!(entry["after"]["step"]["occurred_on"], "2026-11-02");
    assert_eq!(
        entry["after"]["step"]["reason"],
        "Không thuộc diện được trợ giúp pháp lý"
    );
    assert!(entry["before"]["step"].is_null(), "{entry}");
}

/// A refused login at an existing account is audited, anonymous, with how it was made and
/// why it was refused; a name that is no account leaves nothing (it is often a password
/// typed in the wrong field).
#[test]
fn refused_logins_at_existing_accounts_are_audited() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let tgv = app.account_id("tgv.hn");
    let wrong = app
        .request("POST", "/api/v1/auth/token")
        .header("User-Agent", "kiem-toan/1.0")
        .header("X-Forwarded-For", "203.0.113.7")
        .form(&[
            ("grant_type", "password"),
            ("username", "tgv.hn"),
            ("password", "Sai-mat-khau-1"),
        ]);
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(app.password_grant("Mat-Khau-Go-Nham-1", "x").status, 401);
    let r = app.post(
        &format!("/api/v1/accounts/{tgv}/lock"),
        &app.token("gd.hn"),
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.password_grant("tgv.hn", tgpl_tests::DEMO_PASSWORD)
            .status,
        401
    );
    assert_eq!(
        app.client_grant("tgv.hn", tgpl_tests::DEMO_PASSWORD).status,
        401
    );

    let failed = app
        .get(
            "/api/v1/audit-log?action=auth.login_failed&page_size=100",
            &admin,
        )
        .json();
    let items = failed["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{failed}");
    assert!(
        items
            .iter()
            .all(|e| e["resource_id"] == tgv.as_str() && e["actor"]["username"] == "anonymous"),
        "{failed}"
    );
    let reasons: Vec<&Value> = items.iter().map(|e| &e["after"]["refused"]).collect();
    assert_eq!(
        reasons,
        [
            &json!("wrong_grant"),
            &json!("account_not_active"),
            &json!("wrong_secret")
        ],
        "newest first: {failed}"
    );
    let first = &items[2]["after"];
    assert_eq!(first["user_agent"], "kiem-toan/1.0");
    assert_eq!(first["forwarded_for"], "203.0.113.7");
    assert_eq!(first["peer_address"], "127.0.0.1");
    assert!(!failed.to_string().contains("Mat-Khau-Go-Nham-1"));
    assert!(!failed.to_string().contains("Sai-mat-khau"));
}

/// An auditor paging through a log while it grows reads it as the first page saw it: the
/// `next` link holds `until_id`, so that new entries neither repeat an entry on the next page
/// nor join the pages.
#[test]
fn paging_through_a_growing_log_neither_repeats_nor_skips() {
    let app = TestApp::spawn();
    let admin = app.admin();
    for log in ["/api/v1/audit-log", "/api/v1/recipient-access-log"] {
        // Something in each log first.
        app.get("/api/v1/recipients?page_size=5", &app.token("gd.hn"));
        let first = app.get(&format!("{log}?page_size=2"), &admin).json();
        let next = first["next"].as_str().expect("a second page").to_owned();
        let newest = first["items"][0]["id"].as_i64().unwrap();
        assert!(next.contains(&format!("until_id={newest}")), "{next}");
        // The log grows meanwhile.
        app.token("tgv.hn");
        app.get("/api/v1/recipients?page_size=5", &app.token("gd.hn"));
        let second = app.get(&next, &admin).json();
        let ids = |page: &Value| -> Vec<i64> {
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_i64().unwrap())
                .collect()
        };
        let (a, b) = (ids(&first), ids(&second));
        assert!(
            b.iter().all(|id| id < a.last().unwrap()),
            "{log}: {a:?} then {b:?}"
        );
        assert_eq!(first["total"], second["total"], "{log}: the same log");
        if let Some(third) = second["next"].as_str() {
            assert_eq!(third.matches("until_id=").count(), 1, "held once: {third}");
        }
    }
    for log in ["/api/v1/audit-log", "/api/v1/recipient-access-log"] {
        let r = app.get(&format!("{log}?until_id=0"), &admin);
        assert_eq!(
            r.assert_problem(422, "validation_failed")["errors"][0]["field"],
            "until_id"
        );
    }
    // Who reads the logs, which hold personal data, is itself in the audit log.
    let reads = app
        .get("/api/v1/audit-log?action=log.read&page_size=100", &admin)
        .json();
    let logs: Vec<&str> = reads["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["actor"]["username"], "admin", "{e}");
            e["resource_type"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        logs,
        [
            "recipient_access_log",
            "recipient_access_log",
            "audit_log",
            "audit_log"
        ],
        "{reads}"
    );
    assert!(reads["items"][0]["after"]["query"]
        .as_str()
        .unwrap()
        .contains("until_id="));
}
