//! The tallies kept as records move give the figures the records give, after every kind of
//! change that moves them, and under concurrent changes.

use chrono::Datelike;
use serde_json::{json, Value};
use tgpl_tests::TestApp;

use crate::concurrency::at_once;

fn table(app: &TestApp, token: &str, form: &str, org: &str, period: &str, recount: bool) -> Value {
    let r = app.get(
        &format!(
            "/api/v1/statistics/forms/{form}?organization_id={org}&period={period}&recount={recount}"
        ),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// For every form kept in tallies, organization and whole-month period: the tallies' table
/// equals the records'.
fn tallies_agree_with_records(app: &TestApp) {
    let admin = app.admin();
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let year = today.year() + i32::from(today.month() >= 10);
    let old: Vec<String> = vec![
        format!("{year}-Y"),
        format!("{year}-3M"),
        format!("{}-Y", year - 1),
        format!("{}-9M", year - 1),
    ];
    let new: Vec<String> = vec![
        format!("{}-CY", today.year()),
        format!("{}-CYE", today.year()),
        format!("{}-H1", today.year()),
    ];
    let mut compared = 0;
    for org in ["TTTGPL-HN", "STP-HN", "TTTGPL-DN", "CUC-TGPL"] {
        let org = app.org_id(org);
        for (form, periods) in [
            ("tt02-2011-bm1", &old),
            ("tt02-2011-bm3", &old),
            ("tt03-2019-bm24", &new),
            ("tt03-2019-bm25", &new),
        ] {
            for period in periods {
                let kept = table(app, &admin, form, &org, period, false);
                let counted = table(app, &admin, form, &org, period, true);
                assert_eq!(kept["counted_from"], "tallies", "{form} {period}");
                assert_eq!(counted["counted_from"], "records", "{form} {period}");
                assert_eq!(kept["rows"], counted["rows"], "{form} {org} {period}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 4 * (4 + 4 + 3 + 3));
}

fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let current = app.get(path, token);
    let etag = current.header("etag").expect("etag").to_owned();
    let r = app
        .request("PATCH", path)
        .bearer(token)
        .header("If-Match", &etag)
        .json(body);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

#[test]
fn tallies_follow_steps_change_requests_people_and_proofs() {
    let app = TestApp::spawn();
    tallies_agree_with_records(&app);
    let gd = app.token("gd.hn");
    // Steps to the end, then a change request that edits the locked case and one that
    // deletes another.
    let edited = app.closed_case(false);
    let deleted = app.closed_case(true);
    for (kind, case, changes) in [
        (
            "edit",
            &edited,
            json!({"field": "civil", "place": "mobile"}),
        ),
        ("delete", &deleted, Value::Null),
    ] {
        let mut item = json!({"case_id": case["id"]});
        if !changes.is_null() {
            item["changes"] = changes;
        }
        let r = app.post(
            "/api/v1/change-requests",
            &gd,
            json!({"kind": kind, "reason": "Nhập sai", "cases": [item]}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let path = format!(
            "/api/v1/change-requests/{}/approve",
            r.json()["id"].as_str().unwrap()
        );
        let r = app.post(&path, &app.admin(), json!({"reason": "Đồng ý"}));
        assert_eq!(r.status, 200, "{}", r.body);
    }
    tallies_agree_with_records(&app);
    // The person of those cases: a new proof, and their gender recorded differently.
    let recipient = edited["recipient_id"].as_str().unwrap().to_owned();
    let r = app.post(
        &format!("/api/v1/recipients/{recipient}/proofs"),
        &gd,
        json!({"kind": "status", "category": "hiv", "document_kind": "Giấy xác nhận", "provided_on": "2020-01-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app.post(
        &format!("/api/v1/recipients/{recipient}/proofs"),
        &gd,
        json!({"kind": "financial_hardship", "document_kind": "Giấy xác nhận hộ cận nghèo", "provided_on": "2020-01-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let path = format!("/api/v1/recipients/{recipient}");
    let person = app.get(&path, &gd).json();
    if person["citizen_id"].is_null() {
        let gender = if person["gender"] == "male" {
            "female"
        } else {
            "male"
        };
        patch(&app, &gd, &path, json!({"gender": gender}));
    }
    tallies_agree_with_records(&app);
}

#[test]
fn tallies_lose_no_step_taken_at_once_in_one_centre() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let recipient =
        app.get("/api/v1/recipients?q=lo%20van%20pao", &gd).json()["items"][0]["id"].clone();
    let ids: Vec<String> = (0..8)
        .map(|i| {
            let field = ["civil", "land"][i % 2];
            let r = app.post(
                "/api/v1/cases",
                &gd,
                json!({"organization_id": center, "recipient_id": recipient, "received_on": "2026-10-05",
                       "field": field, "form": "counselling", "place": "at_office",
                       "summary": "Tư vấn pháp luật"}),
            );
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["id"].as_str().unwrap().to_owned()
        })
        .collect();
    for step in ["accept", "withdraw"] {
        let body = if step == "withdraw" {
            json!({"reason": "Người yêu cầu rút yêu cầu"})
        } else {
            json!({})
        };
        let answers = at_once(ids.len(), |i| {
            app.post(
                &format!("/api/v1/cases/{}/steps/{step}", ids[i]),
                &gd,
                body.clone(),
            )
        });
        for r in answers {
            assert_eq!(r.status, 200, "{step}: {}", r.body);
        }
        tallies_agree_with_records(&app);
    }
}
