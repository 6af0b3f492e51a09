//! The Agency's national compilations: the monthly litigation notice and the ranking of
//! provinces by how they keep their data.

use serde_json::{json, Value};
use tgpl_tests::TestApp;

/// A litigation case of the Hà Nội centre, in defence, accepted today and completed today
/// with the defence view accepted.
fn successful_defence_today(app: &TestApp) {
    let gd = app.token("gd.hn");
    let recipient =
        app.get("/api/v1/recipients?q=tran%20van%20be", &gd).json()["items"][0]["id"].clone();
    let provider =
        app.get("/api/v1/staff?q=nguyen%20van%20an", &gd).json()["items"][0]["id"].clone();
    let r = app.post(
        "/api/v1/cases",
        &gd,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient, "received_on": "2026-06-01",
               "field": "criminal", "form": "litigation", "place": "detention", "summary": "Bào chữa",
               "litigation": {"role": "defence", "stage": "first_instance"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    for (step, body) in [
        ("accept", json!({})),
        ("assign_provider", json!({"provider_id": provider})),
        ("start", json!({})),
        (
            "complete",
            json!({"outcome": {"outcome": "Tòa tuyên án treo", "defence_accepted": true, "success_kind": "lighter_penalty"}}),
        ),
    ] {
        let r = app.post(&format!("/api/v1/cases/{id}/steps/{step}"), &gd, body);
        assert_eq!(r.status, 200, "{step}: {}", r.body);
    }
}

fn this_month() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m")
        .to_string()
}

fn hanoi(notice: &Value) -> Value {
    notice["provinces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["province_code"] == "ha_noi")
        .unwrap()
        .clone()
}

#[test]
fn the_monthly_litigation_notice_is_compiled_from_the_records() {
    let app = TestApp::spawn();
    let viewer = app.token("cuc.xem");
    let path = format!(
        "/api/v1/statistics/litigation-notice?month={}",
        this_month()
    );
    let r = app.get(&path, &viewer);
    assert_eq!(r.status, 200, "{}", r.body);
    let before = r.json();
    assert!(before["as_of"].is_string());
    successful_defence_today(&app);
    let after = app.get(&path, &viewer).json();
    let (b, a) = (hanoi(&before), hanoi(&after));
    for (figure, more) in [
        ("accepted", 1),
        ("accepted_defence", 1),
        ("accepted_protection", 0),
        ("closed", 1),
        ("successful", 1),
        ("appraised", 0),
    ] {
        assert_eq!(
            a["month"][figure].as_i64().unwrap() - b["month"][figure].as_i64().unwrap(),
            more,
            "{figure}"
        );
        assert_eq!(
            a["change"][figure].as_i64().unwrap() - b["change"][figure].as_i64().unwrap(),
            more,
            "{figure}"
        );
    }
    assert_eq!(
        after["national"]["accepted"].as_i64().unwrap(),
        before["national"]["accepted"].as_i64().unwrap() + 1
    );
    assert_eq!(a["updated_cases"], true);
    let without: Vec<&str> = after["provinces_without_updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(!without.contains(&"ha_noi"));
    assert_eq!(
        without.len(),
        after["provinces"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["updated_cases"] == false)
            .count()
    );
    for format in ["csv", "xlsx"] {
        let r = app.get(&format!("{path}&format={format}"), &viewer);
        assert_eq!(r.status, 200, "{format}: {}", r.body);
    }
    let csv = app.get(&format!("{path}&format=csv"), &viewer).body;
    assert!(csv.contains("Toàn quốc"), "{csv}");
    for bad in ["2026-13", "2026-1", "1990-01", "2999-01", "nope"] {
        app.get(
            &format!("/api/v1/statistics/litigation-notice?month={bad}"),
            &viewer,
        )
        .assert_problem(422, "validation_failed");
    }
    app.get(&path, &app.token("gd.hn"))
        .assert_problem(403, "forbidden");
}

fn ranked(ranking: &Value, code: &str) -> Value {
    ranking["provinces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["province_code"] == code)
        .unwrap()
        .clone()
}

#[test]
fn provinces_are_ranked_by_how_they_keep_their_data() {
    let app = TestApp::spawn();
    let viewer = app.token("cuc.xem");
    let path = "/api/v1/statistics/quality-ranking?year=2026";
    let r = app.get(path, &viewer);
    assert_eq!(r.status, 200, "{}", r.body);
    let before = r.json();
    let provinces = before["provinces"].as_array().unwrap();
    assert!(provinces.len() >= 3);
    let mut last = 0;
    let mut unranked = false;
    for p in provinces {
        // Ranked provinces first, best first; then those with nothing to rank them by.
        let Some(rank) = p["rank"].as_u64() else {
            unranked = true;
            assert_eq!(p["measures"]["cases_accepted"], 0, "{p}");
            assert_eq!(p["score"], Value::Null, "{p}");
            continue;
        };
        assert!(!unranked, "a ranked province after an unranked one");
        assert!(rank >= last);
        last = rank;
        let score = p["score"].as_f64().expect("a ranked province's score");
        assert!((0.0..=100.0).contains(&score), "{p}");
    }
    let hn = ranked(&before, "ha_noi");
    assert!(hn["rank"].as_u64().is_some_and(|r| r <= 3), "{hn}");
    // Every unit of Hà Nội owed its reports of 2026 and sent none: none on time, and no
    // annual report to reconcile.
    assert!(hn["measures"]["reports_expected"].as_u64().unwrap() > 0);
    assert_eq!(hn["measures"]["reports_on_time"], 0);
    assert_eq!(hn["components"]["timeliness"], 0.0);
    assert_eq!(hn["components"]["reconciliation"], 0.0);
    assert!(hn["measures"]["cases_accepted"].as_u64().unwrap() > 0);

    // A case accepted in April is entered only now, and has no provider.
    let gd = app.token("gd.hn");
    let id = app.open_case(&gd, "2026-04-01");
    let r = app.post(
        &format!("/api/v1/cases/{id}/steps/accept"),
        &gd,
        json!({"on": "2026-04-02"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let after = app.get(path, &viewer).json();
    let hn_after = ranked(&after, "ha_noi");
    let measure = |v: &Value, m: &str| v["measures"][m].as_u64().unwrap();
    assert_eq!(
        measure(&hn_after, "cases_accepted"),
        measure(&hn, "cases_accepted") + 1
    );
    assert!(
        measure(&hn_after, "entry_delay_days") >= measure(&hn, "entry_delay_days") + 200,
        "accepted on 2 April, entered in the last days of November"
    );
    assert_eq!(
        measure(&hn_after, "cases_missing_facts"),
        measure(&hn, "cases_missing_facts") + 1
    );
    assert!(hn_after["score"].as_f64().unwrap() <= hn["score"].as_f64().unwrap());
    // Its provider assigned and its closing dated in April, recorded only now.
    let provider =
        app.get("/api/v1/staff?q=nguyen%20van%20an", &gd).json()["items"][0]["id"].clone();
    for (step, body) in [
        (
            "assign_provider",
            json!({"provider_id": provider, "on": "2026-04-03"}),
        ),
        ("start", json!({"on": "2026-04-04"})),
        ("complete", json!({"on": "2026-04-10"})),
    ] {
        let r = app.post(&format!("/api/v1/cases/{id}/steps/{step}"), &gd, body);
        assert_eq!(r.status, 200, "{step}: {}", r.body);
    }
    let closed = ranked(&app.get(path, &viewer).json(), "ha_noi");
    assert_eq!(
        measure(&closed, "cases_closed"),
        measure(&hn_after, "cases_closed") + 1
    );
    assert!(
        measure(&closed, "closing_delay_days") >= measure(&hn_after, "closing_delay_days") + 200,
        "closed on 10 April, recorded in the last days of November"
    );
    for format in ["csv", "xlsx"] {
        let r = app.get(&format!("{path}&format={format}"), &viewer);
        assert_eq!(r.status, 200, "{format}: {}", r.body);
    }
    app.get("/api/v1/statistics/quality-ranking?year=3000", &viewer)
        .assert_problem(422, "validation_failed");
    app.get(path, &app.token("stp.hn"))
        .assert_problem(403, "forbidden");
}
