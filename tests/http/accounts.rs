use serde_json::json;
use tgpl_tests::TestApp;

fn new_account(app: &TestApp, username: &str, role: &str, org: &str) -> serde_json::Value {
    json!({"username": username, "display_name": "Trần Thị Bình", "role": role,
           "organization_id": app.org_id(org), "password": "Khởi-tạo-2026"})
}

#[test]
fn administrators_create_accounts_only_within_scope_and_grantable_roles() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hn");
    let r = app.post(
        "/api/v1/accounts",
        &stp,
        new_account(&app, "tgv.binh", "legal_aid_officer", "TTTGPL-HN"),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["status"], "active");
    assert!(r
        .header("location")
        .unwrap()
        .starts_with("/api/v1/accounts/"));
    app.login_as("tgv.binh", "Khởi-tạo-2026");

    app.post(
        "/api/v1/accounts",
        &stp,
        new_account(&app, "tgv.other", "legal_aid_officer", "TTTGPL-DN"),
    )
    .assert_problem(404, "not_found");
    app.post(
        "/api/v1/accounts",
        &stp,
        new_account(&app, "stp.second", "department_officer", "STP-HN"),
    )
    .assert_problem(403, "forbidden");
    app.post(
        "/api/v1/accounts",
        &app.token("tgv.hn"),
        new_account(&app, "tgv.self", "legal_aid_officer", "TTTGPL-HN"),
    )
    .assert_problem(403, "forbidden");
    let r = app.post(
        "/api/v1/accounts",
        &stp,
        new_account(&app, "gd.wrong", "center_leader", "CTL-HN"),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "role_not_allowed_here"
    );
    app.post(
        "/api/v1/accounts",
        &stp,
        new_account(&app, "tgv.binh", "legal_aid_officer", "TTTGPL-HN"),
    )
    .assert_problem(409, "username_taken");
    let mut weak = new_account(&app, "tgv.weak", "legal_aid_officer", "TTTGPL-HN");
    weak["password"] = json!("password");
    let r = app.post("/api/v1/accounts", &stp, weak);
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "password"
    );
    let r = app.post(
        "/api/v1/accounts",
        &app.admin(),
        new_account(&app, "portal2", "portal", "CUC-TGPL"),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "service_role"
    );
    // A centre leader grants officer roles in the centre and its branches.
    let r = app.post(
        "/api/v1/accounts",
        &app.token("gd.hn"),
        new_account(&app, "tgv.cn1", "legal_aid_officer", "TTTGPL-HN-CN1"),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

#[test]
fn account_lists_are_scoped_and_searchable() {
    let app = TestApp::spawn();
    let names = |token: &str, query: &str| -> Vec<String> {
        let r = app.get(&format!("/api/v1/accounts?page_size=100{query}"), token);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["username"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&app.token("gd.dn"), ""),
        vec!["chung.dn", "cn1.dn", "gd.dn", "ls.dn", "tgv.dn"]
    );
    assert_eq!(
        names(&app.token("stp.dn"), "").len(),
        6,
        "the department sees below itself, not its own office"
    );
    assert_eq!(
        names(&app.admin(), "&q=TRO%20GIUP%20VIEN"),
        vec!["tgv.dn", "tgv.hcm", "tgv.hn"]
    );
    assert!(
        names(&app.admin(), "").iter().all(|n| n != "dvc-portal"),
        "service clients are listed apart"
    );
    app.get("/api/v1/accounts", &app.token("tgv.hn"))
        .assert_problem(403, "forbidden");
    app.get(
        &format!("/api/v1/accounts/{}", app.account_id("tgv.hn")),
        &app.token("gd.dn"),
    )
    .assert_problem(404, "not_found");
}

#[test]
fn lock_unlock_reset_and_deactivate_follow_their_states() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hcm");
    let id = app.account_id("chung.hcm");
    let path = |action: &str| format!("/api/v1/accounts/{id}/{action}");
    app.post(&path("unlock"), &gd, json!({}))
        .assert_problem(409, "invalid_account_state");
    let locked = app.post(&path("lock"), &gd, json!({}));
    assert_eq!(locked.status, 200, "{}", locked.body);
    let r = app.post(&path("lock"), &gd, json!({}));
    assert_eq!(
        r.assert_problem(409, "invalid_account_state")["allowed_actions"],
        json!(["unlock", "reset_password", "deactivate"])
    );

    // Reset needs the current ETag if one is sent.
    let r = app
        .request("POST", &path("reset-password"))
        .bearer(&gd)
        .header("If-Match", "\"1\"")
        .json(json!({"new_password": "Đặt-lại-2026"}));
    r.assert_problem(412, "precondition_failed");
    let r = app
        .request("POST", &path("reset-password"))
        .bearer(&gd)
        .header("If-Match", locked.header("etag").unwrap())
        .json(json!({"new_password": "Đặt-lại-2026"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "locked", "a reset does not unlock");
    assert_eq!(app.post(&path("unlock"), &gd, json!({})).status, 200);
    app.login_as("chung.hcm", "Đặt-lại-2026");

    let r = app.post(&path("deactivate"), &gd, json!({}));
    assert_eq!(r.json()["status"], "deactivated");
    app.password_grant("chung.hcm", "Đặt-lại-2026")
        .assert_problem(401, "unauthorized");
    app.post(&path("unlock"), &gd, json!({}))
        .assert_problem(409, "invalid_account_state");
    // Kept as it was: who held it stays on record.
    app.post(&path("staff"), &gd, json!({"staff_id": null}))
        .assert_problem(409, "invalid_account_state");

    // A leader cannot administer another leader, nor their own account.
    app.post(
        &format!("/api/v1/accounts/{}/lock", app.account_id("cn1.hcm")),
        &gd,
        json!({}),
    )
    .assert_problem(403, "forbidden");
    app.post(
        &format!("/api/v1/accounts/{}/lock", app.account_id("admin")),
        &app.admin(),
        json!({}),
    )
    .assert_problem(409, "own_account");
}

#[test]
fn service_clients_get_a_secret_once_which_rotates_and_revokes() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let body = json!({"client_id": "dvc-test", "name": "Cổng thử nghiệm", "role": "portal", "organization_id": app.org_id("CUC-TGPL")});
    let r = app.post(
        "/api/v1/service-clients",
        &app.token("stp.hn"),
        body.clone(),
    );
    r.assert_problem(404, "not_found");
    let r = app.post("/api/v1/service-clients", &admin, body);
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    let id = created["client"]["id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 64);
    let read = app.get(&format!("/api/v1/service-clients/{id}"), &admin);
    assert!(
        !read.body.contains(&secret),
        "the secret is never shown again"
    );
    assert_eq!(read.json()["kind"], "service");
    app.get(&format!("/api/v1/accounts/{id}"), &admin)
        .assert_problem(404, "not_found");

    let token = app.client_grant("dvc-test", &secret).json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.get("/api/v1/me", &token).status, 200);
    let rotated = app.post(
        &format!("/api/v1/service-clients/{id}/rotate-secret"),
        &admin,
        json!({}),
    );
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new_secret = rotated.json()["client_secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, secret);
    app.get("/api/v1/me", &token)
        .assert_problem(401, "unauthorized");
    app.client_grant("dvc-test", &secret)
        .assert_problem(401, "unauthorized");
    let token = app.client_grant("dvc-test", &new_secret).json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = app.post(
        &format!("/api/v1/service-clients/{id}/revoke"),
        &admin,
        json!({}),
    );
    assert_eq!(r.json()["status"], "deactivated");
    for again in ["revoke", "rotate-secret"] {
        let r = app.post(
            &format!("/api/v1/service-clients/{id}/{again}"),
            &admin,
            json!({}),
        );
        let problem = r.assert_problem(409, "invalid_account_state");
        assert_eq!(problem["detail"], "Ứng dụng đã bị thu hồi.", "{again}");
        assert!(problem.get("allowed_actions").is_none(), "{again}");
    }
    app.get("/api/v1/me", &token)
        .assert_problem(401, "unauthorized");
    app.client_grant("dvc-test", &new_secret)
        .assert_problem(401, "unauthorized");
    let listed = app.get("/api/v1/service-clients", &admin).json();
    assert_eq!(listed["total"], 3);
    let statistics = json!({"client_id": "tk-2", "name": "Thống kê", "role": "statistics_office", "organization_id": app.org_id("CUC-TGPL")});
    let r = app.post("/api/v1/service-clients", &admin, statistics);
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "role_not_allowed_here"
    );
}

#[test]
fn service_clients_cannot_change_passwords_or_administer() {
    let app = TestApp::spawn();
    let (id, secret) = tgpl_api::demo::STATISTICS_CLIENT;
    let token = app.client_grant(id, secret).json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        "/api/v1/me/password",
        &token,
        json!({"current_password": secret, "new_password": "Anything-2026"}),
    )
    .assert_problem(403, "forbidden");
    app.get("/api/v1/accounts", &token)
        .assert_problem(403, "forbidden");
    app.get("/api/v1/audit-log", &token)
        .assert_problem(403, "forbidden");
}

/// A contracted lawyer's account is a lawyer's: it is not linked to a collaborator's record.
#[test]
fn a_contracted_lawyer_s_account_belongs_to_a_lawyer() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let staff = app.get("/api/v1/staff?page_size=100", &gd).json();
    let collaborator = staff["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["provider_kind"] == "collaborator")
        .unwrap_or_else(|| panic!("a collaborator in the demo: {staff}"))["id"]
        .clone();
    let id = app.account_id("ls.hn");
    let r = app.post(
        &format!("/api/v1/accounts/{id}/staff"),
        &gd,
        json!({"staff_id": collaborator}),
    );
    assert_eq!(
        r.refused_field(),
        ("staff_id".to_owned(), "not_a_lawyer".to_owned())
    );
}

/// A password an administrator chose is known to them: its holder logs in with it only to
/// replace it, and a login with it is audited as made with a password someone else set, with
/// its address and user agent, so that an administrator's use of it shows.
#[test]
fn a_password_set_by_an_administrator_is_replaced_before_anything_else() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hn");
    let created = app.post(
        "/api/v1/accounts",
        &stp,
        new_account(&app, "gd2.hn", "center_leader", "TTTGPL-HN"),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.json()["password_change_required"], true);
    let reset = {
        let gd = app.token("gd.hn");
        let id = app.account_id("tgv.hn");
        let r = app.post(
            &format!("/api/v1/accounts/{id}/reset-password"),
            &gd,
            json!({"new_password": "Đặt-lại-2026"}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        ("tgv.hn", "Đặt-lại-2026")
    };
    for (username, password) in [("gd2.hn", "Khởi-tạo-2026"), reset] {
        let token = app.login_as(username, password);
        app.get("/api/v1/recipients", &token)
            .assert_problem(403, "password_change_required");
        app.get("/api/v1/cases", &token)
            .assert_problem(403, "password_change_required");
        let me = app.get("/api/v1/me", &token);
        assert_eq!(me.status, 200, "{}", me.body);
        let changed = app.post(
            "/api/v1/me/password",
            &token,
            json!({"current_password": password, "new_password": "Của-riêng-tôi-2026"}),
        );
        assert_eq!(changed.status, 204, "{}", changed.body);
        let token = app.login_as(username, "Của-riêng-tôi-2026");
        assert_eq!(app.get("/api/v1/cases", &token).status, 200);
        assert_eq!(
            app.get("/api/v1/me", &token).json()["account"]["password_change_required"],
            false
        );
    }
    let logins = app
        .get(
            &format!(
                "/api/v1/audit-log?action=auth.token_issued&resource_id={}",
                app.account_id("tgv.hn")
            ),
            &app.admin(),
        )
        .json();
    let set_by_another: Vec<&serde_json::Value> = logins["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["after"]["password_set_by_another"])
        .collect();
    // Newest first: the holder's own password, then the one the director set.
    assert_eq!(set_by_another, [&json!(false), &json!(true)], "{logins}");
    let first = &logins["items"][1]["after"];
    assert_eq!(first["grant"], "password", "{first}");
    assert_eq!(first["peer_address"], "127.0.0.1", "{first}");
}
