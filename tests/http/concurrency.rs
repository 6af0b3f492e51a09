//! Rules that hold when the same request arrives many times at once. On SQLite the server's
//! single writer runs writes one after another; on PostgreSQL they run side by side, so these
//! tests are the ones that show a "check, then write" rule kept or broken there.

use std::sync::Barrier;

use diesel::RunQueryDsl;
use serde_json::{json, Value};
use tgpl_tests::{Resp, TestApp};

/// Sends `n` requests made by `send` from as many threads, released together.
fn at_once(n: usize, send: impl Fn(usize) -> Resp + Sync) -> Vec<Resp> {
    let start = Barrier::new(n);
    std::thread::scope(|s| {
        let running: Vec<_> = (0..n)
            .map(|i| {
                let (start, send) = (&start, &send);
                s.spawn(move || {
                    start.wait();
                    send(i)
                })
            })
            .collect();
        running
            .into_iter()
            .map(|t| t.join().expect("request thread"))
            .collect()
    })
}

/// Asserts that exactly one answer is `success` and every other one the problem
/// `status`/`code`; returns the successful one.
fn one_wins(answers: Vec<Resp>, success: u16, status: u16, code: &str) -> Resp {
    let (won, lost): (Vec<Resp>, Vec<Resp>) =
        answers.into_iter().partition(|r| r.status == success);
    assert_eq!(
        won.len(),
        1,
        "exactly one succeeds; answers: {:?}",
        won.iter()
            .chain(&lost)
            .map(|r| (r.status, &r.body))
            .collect::<Vec<_>>()
    );
    for r in &lost {
        r.assert_problem(status, code);
    }
    won.into_iter().next().expect("one")
}

/// A count from the test's own connection.
fn count(app: &TestApp, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Count>(&mut **app.pool.get().expect("connection"))
        .expect("count")
        .n
}

#[test]
fn identical_recipients_sent_at_once_are_created_once() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let body: Value = json!({
        "organization_id": app.org_id("TTTGPL-HN"), "full_name": "Lê Văn Bình",
        "gender": "male", "date_of_birth": "1985-03-04", "citizen_id": "001085123452",
    });
    let answers = at_once(5, |_| app.post("/api/v1/recipients", &token, body.clone()));
    one_wins(answers, 201, 409, "possible_duplicates");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM recipients WHERE citizen_id = '001085123452'"
        ),
        1
    );
}

#[test]
fn right_passwords_sent_at_once_all_log_in() {
    let app = TestApp::spawn();
    for n in [6, 10] {
        let answers = at_once(n, |_| {
            app.password_grant("tgv.hn", tgpl_tests::DEMO_PASSWORD)
        });
        for r in &answers {
            assert_eq!(r.status, 200, "{n} at once: {}", r.body);
        }
    }
    // Nothing was counted against the name.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM login_attempts WHERE subject = 'tgv.hn'"
        ),
        0
    );
}

#[test]
fn wrong_passwords_sent_at_once_are_checked_at_most_five_times() {
    let app = TestApp::spawn();
    let answers = at_once(10, |_| app.password_grant("tgv.hn", "Sai-mat-khau-1"));
    let failures = answers.iter().filter(|r| r.status == 401).count();
    let refused: Vec<&Resp> = answers.iter().filter(|r| r.status == 429).collect();
    assert_eq!(
        failures + refused.len(),
        10,
        "{:?}",
        answers
            .iter()
            .map(|r| (r.status, &r.body))
            .collect::<Vec<_>>()
    );
    assert!(failures <= 5, "{failures} wrong passwords were checked");
    assert_eq!(refused.len(), 5);
    for r in refused {
        // Fifteen minutes from the block, which began as the fifth failure was known.
        let seconds: u64 = r
            .header("retry-after")
            .and_then(|s| s.parse().ok())
            .expect("Retry-After");
        assert!((890..=900).contains(&seconds), "Retry-After: {seconds}");
    }
    // Blocked now, even with the right password.
    app.password_grant("tgv.hn", tgpl_tests::DEMO_PASSWORD)
        .assert_problem(429, "too_many_attempts");
}
