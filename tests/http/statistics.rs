use serde_json::Value;
use tgpl_tests::TestApp;

const FORM_1: &str = "/api/v1/statistics/forms/tt02-2011-bm1";

fn table(app: &TestApp, token: &str, org: &str, period: &str) -> Value {
    let r = app.get(
        &format!("{FORM_1}?organization_id={org}&period={period}"),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

pub(crate) fn cell(table: &Value, row: &str, column: usize) -> u64 {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == row)
        .unwrap_or_else(|| panic!("no row {row}"))["cells"][column - 1]
        .as_u64()
        .unwrap()
}

pub(crate) fn all_rules_hold(table: &Value) {
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
    assert_eq!(form["code"], "tt02-2011-bm1");
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
    assert_eq!(
        before["provisional"], true,
        "the current year has not ended"
    );
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
    for (query, code) in [
        (format!("organization_id={center}"), "required"),
        (
            format!("organization_id={center}&period=2025-Y&period=2025-9M"),
            "duplicate_key",
        ),
    ] {
        let problem = app
            .get(&format!("{FORM_1}?{query}"), &gd)
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "period", "{query}");
        assert_eq!(problem["errors"][0]["code"], code, "{query}");
    }
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
            &format!(
                "/api/v1/statistics/forms/tt02-2011-bm2?organization_id={center}&period={period}"
            ),
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

#[test]
fn form_1_exports_as_csv_and_as_an_xlsx_laid_out_as_the_paper_form() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let query = format!("{FORM_1}?organization_id={center}&period=2026-Y");
    let json = app.get(&query, &gd).json();
    let total: Vec<u64> = json["rows"][0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert!(total[0] > 0, "the demo data has cases in year 2026");

    let r = app.get(&format!("{query}&format=csv"), &gd);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let mut lines = r.body.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "row,section,label,1 Tổng số,2 Kỳ trước chuyển qua,3 Nơi khác chuyển đến,4 Phát sinh trong kỳ,5 Đã hoàn thành,6 Chuyển đi nơi khác,7 Chuyển sang kỳ sau"
    );
    let first = lines.next().unwrap();
    let numbers: Vec<u64> = first
        .split(',')
        .skip(3)
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(first.starts_with("total,,Tổng số,"), "{first}");
    assert_eq!(numbers, total);

    let r = app.get(&format!("{query}&format=xlsx"), &gd);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .header("content-disposition")
        .unwrap()
        .contains("bieu-mau-tt02-2011-bm1-TTTGPL-HN-2025-10-01-2026-09-30.xlsx"));
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(r.raw.clone())).unwrap();
    let sheet = book.worksheet_range("Biểu mẫu").unwrap();
    let text = |row: u32, col: u32| match sheet.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(text(0, 0), "Biểu mẫu số 1");
    assert_eq!(text(1, 0), "Thống kê vụ việc trợ giúp pháp lý");
    assert_eq!(
        text(2, 0),
        "Kỳ thống kê: từ ngày 01/10/2025 đến ngày 30/09/2026 (2025-10-01/P12M)"
    );
    assert!(text(3, 0).contains("TTTGPL-HN"), "{}", text(3, 0));
    assert_eq!(text(4, 0), "Đơn vị tính: vụ việc");
    assert_eq!(text(6, 2), "Tổng số");
    assert_eq!(
        (text(7, 0), text(7, 2), text(7, 8)),
        ("A".into(), "1".into(), "7".into())
    );
    assert_eq!(text(8, 1), "Tổng số");
    let cells: Vec<u64> = (2..9)
        .map(|c| match sheet.get_value((8, c)) {
            Some(Data::Float(f)) => *f as u64,
            other => panic!("cell {c}: {other:?}"),
        })
        .collect();
    assert_eq!(cells, total);
    assert_eq!(
        (text(9, 0), text(9, 1)),
        ("I".into(), "Phân theo lĩnh vực".into())
    );
    let all: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        .collect();
    for needed in [
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Chưa cử người thực hiện",
    ] {
        assert!(all.iter().any(|c| c == needed), "{needed} missing");
    }

    app.get(&format!("{query}&format=pdf"), &gd)
        .assert_problem(422, "validation_failed");
}

#[test]
fn a_change_request_that_edits_or_deletes_a_locked_case_moves_form_1_with_it() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let period = format!("{}-Y", today.year() + i32::from(today.month() >= 10));
    let before = table(&app, &gd, &center, &period);
    let case = app.closed_case(false);
    let id = case["id"].as_str().unwrap();
    let decide = |kind: &str, changes: serde_json::Value| {
        let mut item = serde_json::json!({"case_id": id});
        if !changes.is_null() {
            item["changes"] = changes;
        }
        let body = serde_json::json!({"kind": kind, "reason": "Nhập sai", "cases": [item]});
        let r = app.post("/api/v1/change-requests", &gd, body);
        assert_eq!(r.status, 201, "{}", r.body);
        let path = format!(
            "/api/v1/change-requests/{}/approve",
            r.json()["id"].as_str().unwrap()
        );
        let r = app.post(&path, &app.admin(), serde_json::json!({"reason": "Đồng ý"}));
        assert_eq!(r.status, 200, "{}", r.body);
    };
    decide("edit", serde_json::json!({"field": "civil"}));
    let edited = table(&app, &gd, &center, &period);
    all_rules_hold(&edited);
    assert_eq!(cell(&edited, "total", 1), cell(&before, "total", 1) + 1);
    assert_eq!(cell(&edited, "I.civil", 1), cell(&before, "I.civil", 1) + 1);
    assert_eq!(cell(&edited, "I.land", 1), cell(&before, "I.land", 1));

    decide("delete", serde_json::Value::Null);
    let deleted = table(&app, &gd, &center, &period);
    all_rules_hold(&deleted);
    assert_eq!(
        deleted["rows"], before["rows"],
        "a deleted case is not counted"
    );
}

#[test]
fn whose_figures_and_who_reads_them_follow_the_tree_of_the_periods_last_day() {
    let app = TestApp::spawn();
    let firm = app.org_id("CTL-HN");
    let r = app.post(
        &format!("/api/v1/organizations/{firm}/parents"),
        &app.admin(),
        serde_json::json!({"parent_id": app.org_id("STP-DN"), "effective_from": "2025-07-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let (hn, dn) = (app.token("stp.hn"), app.token("stp.dn"));
    let read = |token: &str, period: &str| {
        app.get(
            &format!("{FORM_1}?organization_id={firm}&period={period}"),
            token,
        )
        .status
    };
    // Until 30 June 2025 the firm was under Hà Nội's Department; from 1 July, Đà Nẵng's.
    assert_eq!((read(&hn, "2025-9M"), read(&dn, "2025-9M")), (200, 404));
    assert_eq!((read(&hn, "2025-Y"), read(&dn, "2025-Y")), (404, 200));
    let covers = |token: &str, department: &str, period: &str| {
        table(&app, token, &app.org_id(department), period)["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == firm.as_str())
    };
    assert!(covers(&hn, "STP-HN", "2025-9M"));
    assert!(!covers(&hn, "STP-HN", "2025-Y"));
    assert!(covers(&dn, "STP-DN", "2025-Y"));
}
