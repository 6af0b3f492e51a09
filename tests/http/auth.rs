use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;
use tgpl_tests::{TestApp, DEMO_PASSWORD, JWT_SECRET};

#[test]
fn a_person_logs_in_and_sees_themselves() {
    let app = TestApp::spawn();
    let r = app.password_grant("tgv.hn", DEMO_PASSWORD);
    assert_eq!(r.status, 200, "{}", r.body);
    let body = r.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let token = body["access_token"].as_str().unwrap();

    let me = app.get("/api/v1/me", token);
    assert_eq!(me.status, 200, "{}", me.body);
    let me = me.json();
    assert_eq!(me["account"]["username"], "tgv.hn");
    assert_eq!(me["account"]["role"], "legal_aid_officer");
    assert_eq!(me["account"]["kind"], "person");
    assert_eq!(me["organization"]["code"], "TTTGPL-HN");
    assert_eq!(me["role_label"]["vi"], "Trợ giúp viên pháp lý");
    assert!(me["account"].get("password_hash").is_none());
}

#[test]
fn wrong_password_and_unknown_user_look_the_same() {
    let app = TestApp::spawn();
    let wrong = app.password_grant("tgv.hn", "Wrong-password-1");
    let unknown = app.password_grant("nobody.here", "Wrong-password-1");
    for r in [&wrong, &unknown] {
        let body = r.assert_problem(401, "unauthorized");
        assert_eq!(body["error"], "invalid_grant");
    }
    assert_eq!(wrong.json()["detail"], unknown.json()["detail"]);
}

#[test]
fn malformed_token_requests_are_refused_with_oauth_codes() {
    let app = TestApp::spawn();
    let r = app
        .request("POST", "/api/v1/auth/token")
        .form(&[("grant_type", "authorization_code")]);
    assert_eq!(
        r.assert_problem(400, "unsupported_grant_type")["error"],
        "unsupported_grant_type"
    );
    let r = app
        .request("POST", "/api/v1/auth/token")
        .form(&[("grant_type", "password"), ("username", "tgv.hn")]);
    assert_eq!(
        r.assert_problem(400, "invalid_request")["error"],
        "invalid_request"
    );
    let r = app
        .request("POST", "/api/v1/auth/token")
        .form(&[("username", "tgv.hn")]);
    r.assert_problem(400, "invalid_request");
    let r = app
        .request("POST", "/api/v1/auth/token")
        .body("application/json", r#"{"grant_type":"password"}"#);
    let problem = r.assert_problem(400, "invalid_request");
    assert_eq!(problem["error"], "invalid_request");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("application/x-www-form-urlencoded"),
        "{problem}"
    );
    // A missing field is said in Vietnamese, naming it.
    let problem = app
        .request("POST", "/api/v1/auth/token")
        .form(&[("username", "tgv.hn")])
        .json();
    let detail = problem["detail"].as_str().unwrap();
    assert_eq!(
        detail,
        "Biểu mẫu không hợp lệ: Thiếu trường bắt buộc `grant_type`."
    );
    // A body over the form's limit is too large, as any body over its limit is.
    let padding = "x".repeat(17 * 1024);
    let r = app
        .request("POST", "/api/v1/auth/token")
        .form(&[("grant_type", "password"), ("username", &padding)]);
    r.assert_problem(413, "payload_too_large");
}

#[test]
fn service_clients_use_client_credentials_in_the_form_or_basic_auth() {
    let app = TestApp::spawn();
    let (id, secret) = tgpl_api::demo::PORTAL_CLIENT;
    let r = app.client_grant(id, secret);
    assert_eq!(r.status, 200, "{}", r.body);
    let token = r.json()["access_token"].as_str().unwrap().to_owned();
    let me = app.get("/api/v1/me", &token).json();
    assert_eq!(me["account"]["kind"], "service");
    assert_eq!(me["account"]["role"], "portal");

    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
    let r = app
        .request("POST", "/api/v1/auth/token")
        .header("Authorization", &format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")]);
    assert_eq!(r.status, 200, "{}", r.body);

    let r = app.client_grant(id, "wrong-secret");
    assert_eq!(
        r.assert_problem(401, "unauthorized")["error"],
        "invalid_client"
    );
    assert_eq!(r.header("www-authenticate"), Some("Basic realm=\"tgpl\""));
}

#[test]
fn people_and_services_cannot_use_each_others_grant() {
    let app = TestApp::spawn();
    let (id, secret) = tgpl_api::demo::PORTAL_CLIENT;
    app.password_grant(id, secret)
        .assert_problem(401, "unauthorized");
    app.client_grant("tgv.hn", DEMO_PASSWORD)
        .assert_problem(401, "unauthorized");
}

#[test]
fn repeated_failures_are_refused_for_a_while_even_with_the_right_password() {
    let app = TestApp::spawn();
    for _ in 0..5 {
        app.password_grant("gd.dn", "Wrong-password-1")
            .assert_problem(401, "unauthorized");
    }
    let r = app.password_grant("gd.dn", DEMO_PASSWORD);
    r.assert_problem(429, "too_many_attempts");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= 900, "{retry}");
    // Other accounts are not affected.
    app.token("gd.hn");
}

/// Attempts for names that never log in do not pile up: once their window and any block are
/// over, the next new name's attempt removes them; recent ones stay counted.
#[test]
fn spent_login_attempts_are_forgotten() {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Subject {
        #[diesel(sql_type = diesel::sql_types::Text)]
        subject: String,
    }
    let app = TestApp::spawn();
    let sql = |q: &str| {
        diesel::sql_query(q)
            .execute(&mut **app.pool.get().unwrap())
            .unwrap();
    };
    sql(
        "INSERT INTO login_attempts (subject, attempts, window_started_at, blocked_until) \
         VALUES ('guessed-long-ago', 6, '2026-01-01 08:00:00', '2026-01-01 08:15:00')",
    );
    for _ in 0..2 {
        app.password_grant("guessed-just-now", "Wrong-password-1")
            .assert_problem(401, "unauthorized");
    }
    app.password_grant("another-guess", "Wrong-password-1")
        .assert_problem(401, "unauthorized");
    let left: Vec<String> =
        diesel::sql_query("SELECT subject FROM login_attempts ORDER BY subject")
            .load::<Subject>(&mut **app.pool.get().unwrap())
            .unwrap()
            .into_iter()
            .map(|s| s.subject)
            .collect();
    assert_eq!(left, ["another-guess", "guessed-just-now"]);
}

fn forged(claims: serde_json::Value, key: &[u8]) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(key),
    )
    .unwrap()
}

#[test]
fn forged_expired_and_unsigned_tokens_are_refused() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let me = app.get("/api/v1/me", &token).json();
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64| {
        json!({
            "sub": me["account"]["id"], "role": "data_center_admin", "org": me["organization"]["id"],
            "epoch": 0, "iat": now, "exp": exp, "iss": "tgpl", "aud": "tgpl-api"
        })
    };
    // Signed with another key.
    let resigned = forged(claims(now + 600), b"someone-elses-secret-someone-else");
    // Expired, with the right key.
    let expired = forged(claims(now - 600), JWT_SECRET);
    // alg: none.
    let payload = token.split('.').nth(1).unwrap();
    let unsigned = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    // Tampered payload.
    let tampered = {
        let parts: Vec<&str> = token.split('.').collect();
        let body =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims(now + 600).to_string());
        format!("{}.{}.{}", parts[0], body, parts[2])
    };
    for bad in [
        resigned,
        expired,
        unsigned,
        tampered,
        "not-a-token".to_owned(),
    ] {
        let r = app.get("/api/v1/me", &bad);
        r.assert_problem(401, "unauthorized");
        assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    }
    app.request("GET", "/api/v1/me")
        .send()
        .assert_problem(401, "unauthorized");
    // A well-formed token with the right key still works: the checks above are not vacuous.
    assert_eq!(
        app.get("/api/v1/me", &forged(claims(now + 600), JWT_SECRET))
            .status,
        200
    );
}

#[test]
fn a_locked_accounts_token_stops_working_at_once_and_stays_revoked() {
    let app = TestApp::spawn();
    let token = app.token("tgv.dn");
    assert_eq!(app.get("/api/v1/me", &token).status, 200);
    let case = app.get("/api/v1/cases?page_size=1", &token).json()["items"][0].clone();
    let new_case = json!({
        "organization_id": case["organization_id"], "recipient_id": case["recipient_id"],
        "received_on": "2026-11-01", "field": "civil", "form": "counselling",
        "place": "at_office", "summary": "Tư vấn pháp luật dân sự",
    });
    let id = app.account_id("tgv.dn");
    let r = app.post(
        &format!("/api/v1/accounts/{id}/lock"),
        &app.admin(),
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "locked");
    app.get("/api/v1/me", &token)
        .assert_problem(401, "unauthorized");
    // Handlers that check the token inside their own database work refuse it just the same.
    for path in [
        format!("/api/v1/cases/{}", case["id"].as_str().unwrap()),
        "/api/v1/cases?q=nguyen".to_owned(),
        "/api/v1/recipients?q=nguyen".to_owned(),
    ] {
        app.get(&path, &token).assert_problem(401, "unauthorized");
    }
    app.post("/api/v1/cases", &token, new_case)
        .assert_problem(401, "unauthorized");
    app.password_grant("tgv.dn", DEMO_PASSWORD)
        .assert_problem(401, "unauthorized");

    let r = app.post(
        &format!("/api/v1/accounts/{id}/unlock"),
        &app.admin(),
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    app.get("/api/v1/me", &token)
        .assert_problem(401, "unauthorized");
    let fresh = app.token("tgv.dn");
    assert_eq!(app.get("/api/v1/me", &fresh).status, 200);
}

/// An account locked by something other than this server (another server on the same
/// database, an operator's SQL) loses its tokens too: at once on SQLite, within moments on
/// PostgreSQL, where the server keeps account checks and hears of changes by notification.
#[test]
fn an_account_locked_elsewhere_loses_its_tokens_within_moments() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn();
    let token = app.token("tgv.dn");
    assert_eq!(app.get("/api/v1/me", &token).status, 200);
    let locked = diesel::sql_query(format!(
        "UPDATE accounts SET status = 'locked' WHERE id = '{}'",
        app.account_id("tgv.dn")
    ))
    .execute(&mut **app.pool.get().unwrap())
    .unwrap();
    assert_eq!(locked, 1);
    tgpl_tests::eventually(
        "the token of an account locked elsewhere is refused",
        || app.get("/api/v1/me", &token).status == 401,
    );
}

#[test]
fn changing_ones_password_revokes_tokens_and_the_new_one_works() {
    let app = TestApp::spawn();
    let token = app.token("ls.hn");
    let r = app.post(
        "/api/v1/me/password",
        &token,
        json!({"current_password": "Wrong-password-1", "new_password": "Mới-mật-khẩu-2026"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "current_password"
    );
    let r = app.post(
        "/api/v1/me/password",
        &token,
        json!({"current_password": DEMO_PASSWORD, "new_password": "short1"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "too_short"
    );
    assert_eq!(
        app.get("/api/v1/me", &token).status,
        200,
        "a refused change revokes nothing"
    );

    let r = app.post(
        "/api/v1/me/password",
        &token,
        json!({"current_password": DEMO_PASSWORD, "new_password": "Mới-mật-khẩu-2026"}),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    app.get("/api/v1/me", &token)
        .assert_problem(401, "unauthorized");
    app.password_grant("ls.hn", DEMO_PASSWORD)
        .assert_problem(401, "unauthorized");
    app.login_as("ls.hn", "Mới-mật-khẩu-2026");
}
