use serde_json::Value;
use tgpl_tests::TestApp;

const FORM_1: &str = "/api/v1/statistics/forms/02_2011.1";

fn table(app: &TestApp, token: &str, org: &str, period: &str) -> Value {
    let r = app.get(
        &format!("{FORM_1}?organization_id={org}&period={period}"),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn cell(table: &Value, row: &str, column: usize) -> u64 {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == row)
        .unwrap_or_else(|| panic!("no row {row}"))["cells"][column - 1]
        .as_u64()
        .unwrap()
}

fn all_rules_hold(table: &Value) {
    let rules = table["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        assert_eq!(rule["holds"], true, "{rule}");
        assert_eq!(rule["imbalance"], 0, "{rule}");
    }
}

#[test]
fn form_1_is_defined_as_data_with_its_columns_sections_and_rules() {
    let app = TestApp::spawn();
    let r = app.get("/api/v1/statistics/forms", &app.token("gd.hn"));
    assert_eq!(r.status, 200, "{}", r.body);
    let forms = r.json();
    let form = &forms[0];
    assert_eq!(form["code"], "02_2011.1");
    assert_eq!(form["unit"]["vi"], "vụ việc");
    assert_eq!(form["columns"].as_array().unwrap().len(), 7);
    assert_eq!(form["columns"][1]["header"]["vi"], "Kỳ trước chuyển qua");
    let sections: Vec<&str> = form["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["number"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["I", "II", "III", "IV"]);
    assert_eq!(form["rules"][0]["left"], serde_json::json!([2, 3, 4]));
    assert_eq!(form["rules"][0]["right"], serde_json::json!([1]));
}

#[test]
fn a_case_accepted_and_completed_moves_form_1_and_every_rule_holds() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    // Today (in the reporting year that began on 1 October) is inside the 3-month period of
    // the current year, and the whole previous year is closed.
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let year = today.year() + i32::from(today.month() >= 10);
    let period = format!("{year}-Y");
    let before = table(&app, &gd, &center, &period);
    all_rules_hold(&before);
    assert_eq!(before["period"], format!("{}-10-01/P12M", year - 1));
    assert_eq!(before["organizations"][0], center.as_str());

    app.closed_case(false);
    let after = table(&app, &gd, &center, &period);
    all_rules_hold(&after);
    for (row, column) in [
        ("total", 1),
        ("total", 4),
        ("total", 5),
        ("I.land", 1),
        ("II.counselling", 4),
        ("III.at_office", 5),
        ("IV.legal_aid_officer", 1),
    ] {
        assert_eq!(
            cell(&after, row, column),
            cell(&before, row, column) + 1,
            "{row} column {column}"
        );
    }
    for (row, column) in [("total", 2), ("total", 3), ("total", 6), ("total", 7)] {
        assert_eq!(
            cell(&after, row, column),
            cell(&before, row, column),
            "{row} column {column}"
        );
    }

    // The Department's table covers the centre and everything else under it.
    let department = table(
        &app,
        &gd_of_department(&app),
        &app.org_id("STP-HN"),
        &period,
    );
    all_rules_hold(&department);
    assert!(cell(&department, "total", 1) >= cell(&after, "total", 1));
    let covered = department["organizations"].as_array().unwrap();
    assert!(covered.iter().any(|o| o == center.as_str()));
}

fn gd_of_department(app: &TestApp) -> String {
    app.token("stp.hn")
}

#[test]
fn bad_periods_unknown_forms_and_foreign_organizations_are_refused() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    for (period, code) in [
        ("2025-13M", "not_a_reporting_period"),
        ("2025-06-30%2F2024-10-01", "from_after_to"),
        ("next-year", "invalid_format"),
        ("1990-Y", "out_of_range"),
    ] {
        let r = app.get(
            &format!("{FORM_1}?organization_id={center}&period={period}"),
            &gd,
        );
        let problem = r.assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "period", "{period}");
        assert_eq!(problem["errors"][0]["code"], code, "{period}");
    }
    app.get(&format!("{FORM_1}?organization_id={center}"), &gd)
        .assert_problem(422, "validation_failed");
    app.get(
        &format!("/api/v1/statistics/forms/99_9999.9?organization_id={center}&period=2025-Y"),
        &gd,
    )
    .assert_problem(404, "not_found");
    let elsewhere = app.org_id("TTTGPL-DN");
    app.get(
        &format!("{FORM_1}?organization_id={elsewhere}&period=2025-Y"),
        &gd,
    )
    .assert_problem(404, "not_found");
    let (portal, secret) = tgpl_api::demo::PORTAL_CLIENT;
    let r = app.client_grant(portal, secret);
    let portal = r.json()["access_token"].as_str().unwrap().to_owned();
    app.get(
        &format!("{FORM_1}?organization_id={center}&period=2025-Y"),
        &portal,
    )
    .assert_problem(403, "forbidden");
}

#[test]
fn form_2_counts_requests_for_review_sent_and_answered_in_the_period() {
    let app = TestApp::spawn();
    let (gd, tgv) = (app.token("gd.hn"), app.token("tgv.hn"));
    let center = app.org_id("TTTGPL-HN");
    let form_2 = |period: &str| {
        let r = app.get(
            &format!("/api/v1/statistics/forms/02_2011.2?organization_id={center}&period={period}"),
            &gd,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    };
    // Sent on the last day of the previous reporting year, answered today.
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let year = today.year() + i32::from(today.month() >= 10);
    let (previous, current) = (format!("{}-Y", year - 1), format!("{year}-Y"));
    let before = (form_2(&previous), form_2(&current));
    let r = app.post(
        "/api/v1/review-requests",
        &tgv,
        serde_json::json!({"organization_id": center, "kind": "legislation", "addressee": "Bộ Tư pháp",
                           "content": "Kiến nghị sửa đổi quy định về diện người được trợ giúp pháp lý"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let path = format!(
        "/api/v1/review-requests/{}",
        r.json()["id"].as_str().unwrap()
    );
    let r = app.post(
        &format!("{path}/send"),
        &gd,
        serde_json::json!({"sent_on": format!("{}-09-30", year - 1)}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app.post(
        &format!("{path}/answer"),
        &tgv,
        serde_json::json!({"answered_on": today.to_string(), "answer": "Bộ sẽ nghiên cứu, tiếp thu"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let after = (form_2(&previous), form_2(&current));
    assert_eq!(cell(&after.0, "total", 1), cell(&before.0, "total", 1) + 1);
    assert_eq!(cell(&after.0, "total", 2), cell(&before.0, "total", 2));
    for column in [2, 5] {
        assert_eq!(
            cell(&after.1, "total", column),
            cell(&before.1, "total", column) + 1
        );
    }
    assert_eq!(cell(&after.1, "total", 1), cell(&before.1, "total", 1));
    all_rules_hold(&after.0);
    all_rules_hold(&after.1);
}
