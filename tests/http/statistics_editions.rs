//! The forms of Circular 03/2019: calendar-year editions with estimated figures and printed
//! receipt dates, rows by field split by form of aid.

use serde_json::{json, Value};
use tgpl_tests::TestApp;

use crate::statistics::{all_rules_hold, cell};

const FORM_25: &str = "/api/v1/statistics/forms/tt03-2019-bm25";

fn table(app: &TestApp, token: &str, path: &str, org: &str, period: &str) -> Value {
    let r = app.get(
        &format!("{path}?organization_id={org}&period={period}"),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let table = r.json();
    all_rules_hold(&table);
    table
}

#[test]
fn form_25_counts_a_case_in_its_calendar_year_editions_with_the_estimated_days_flagged() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    // The case is accepted and completed today (in 2026): the annual estimate and the
    // official annual report of 2026 count it; the six-month report of 2026 does not.
    let before: Vec<Value> = ["2026-CYE", "2026-CY", "2026-H1"]
        .iter()
        .map(|p| table(&app, &gd, FORM_25, &center, p))
        .collect();
    app.closed_case(false);
    let after: Vec<Value> = ["2026-CYE", "2026-CY", "2026-H1"]
        .iter()
        .map(|p| table(&app, &gd, FORM_25, &center, p))
        .collect();
    for i in 0..2 {
        for (row, column) in [
            ("total", 1),
            ("total", 3),
            ("total", 4),
            ("total", 13),
            ("I.land", 1),
            ("I.land.counselling", 1),
            ("I.land.counselling", 4),
        ] {
            assert_eq!(
                cell(&after[i], row, column),
                cell(&before[i], row, column) + 1,
                "{} {row} {column}",
                after[i]["period"]
            );
        }
        assert_eq!(cell(&after[i], "total", 2), cell(&before[i], "total", 2));
    }
    assert_eq!(after[2]["rows"], before[2]["rows"]);

    let estimate = &after[0];
    assert_eq!(estimate["period"], "2026-CYE");
    assert_eq!(
        (estimate["from"].as_str(), estimate["to"].as_str()),
        (Some("2026-01-01"), Some("2026-12-31"))
    );
    assert_eq!(estimate["estimated_from"], "2026-11-01");
    let estimated: Vec<u64> = estimate["estimated_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert!(!estimated.contains(&2) && estimated.contains(&1) && estimated.contains(&13));
    let received: Vec<(&str, &str)> = estimate["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["kind"].as_str().unwrap(), d["on"].as_str().unwrap()))
        .collect();
    assert_eq!(
        received,
        [("received_by", "2026-11-07"), ("received_by", "2026-11-28")]
    );
    // The official annual report has no estimate, and is received in the next year.
    let annual = &after[1];
    assert_eq!(annual["estimated_from"], Value::Null);
    assert_eq!(annual["estimated_columns"], serde_json::json!([]));
    assert_eq!(annual["deadlines"][0]["on"], "2027-01-20");
    assert_eq!(annual["regime"]["code"], "tt03-2019");
}

#[test]
fn each_form_counts_only_in_the_periods_of_its_own_regime() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    for (path, period) in [
        (FORM_25, "2026-Y"),
        ("/api/v1/statistics/forms/tt03-2019-bm24", "2026-9M"),
        ("/api/v1/statistics/forms/tt02-2011-bm1", "2026-H1"),
        ("/api/v1/statistics/forms/tt02-2011-bm3", "2026-CY"),
    ] {
        let problem = app
            .get(
                &format!("{path}?organization_id={center}&period={period}"),
                &gd,
            )
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "period");
        assert_eq!(
            problem["errors"][0]["code"], "not_a_period_of_the_form",
            "{path} {period}"
        );
    }
    // A range of days is a period of every regime.
    table(&app, &gd, FORM_25, &center, "2026-01-01/2026-03-31");
    // Even when its days are those of a cumulative period of the other regime.
    let nine = table(&app, &gd, FORM_25, &center, "2025-10-01/2026-06-30");
    assert_eq!(nine["period"], "2025-10-01/2026-06-30");
    for bad in ["2026-H2", "2026-CYX", "26-CY"] {
        app.get(
            &format!("{FORM_25}?organization_id={center}&period={bad}"),
            &gd,
        )
        .assert_problem(422, "validation_failed");
    }
}

#[test]
fn form_24_is_laid_out_with_split_rows_the_edition_note_and_three_signatures() {
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let path = "/api/v1/statistics/forms/tt03-2019-bm24";
    let json = table(&app, &gd, path, &center, "2026-H1");
    let split = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "I.criminal.litigation")
        .expect("a split row");
    assert_eq!(split["parent"], "I.criminal");
    // Split rows in the printed order: 1.1 counselling, 1.2 litigation, then representation.
    let codes: Vec<&str> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    let at = codes.iter().position(|c| *c == "I.criminal").unwrap();
    assert_eq!(
        codes[at + 1..at + 4],
        [
            "I.criminal.counselling",
            "I.criminal.litigation",
            "I.criminal.representation"
        ]
    );
    let definitions = app.get("/api/v1/statistics/forms", &gd).json();
    let form = definitions
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "tt03-2019-bm24")
        .unwrap();
    assert_eq!(form["columns"].as_array().unwrap().len(), 20);
    assert_eq!(form["sections"][0]["split_by"][0]["code"], "counselling");
    assert_eq!(form["regime"]["periods"], "calendar_editions");

    let r = app.get(
        &format!("{path}?organization_id={center}&period=2026-H1&format=xlsx"),
        &gd,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(r.raw.clone())).unwrap();
    let sheet = book.worksheet_range("Biểu mẫu").unwrap();
    let all: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        .collect();
    for needed in [
        "Biểu số 24/BTP/TGPL",
        "1.1",
        "1.2",
        "NGƯỜI LẬP BIỂU",
        "NGƯỜI KIỂM TRA",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Số liệu thực tế đến ngày 31/05/2026, từ ngày 01/06/2026 là số liệu ước tính. Ngày nhận báo cáo: Sở Tư pháp: 06/06/2026; Bộ Tư pháp (Vụ Kế hoạch - Tài chính): 25/06/2026",
    ] {
        assert!(all.iter().any(|c| c == needed), "{needed} missing");
    }
}

/// Where LibreOffice is installed (it is not on every machine: this test then says so and
/// checks nothing more), every form's xlsx converts headless to CSV with its title, its first
/// column header and its signature block intact.
#[test]
fn every_forms_xlsx_opens_in_libreoffice_where_installed() {
    let Ok(soffice) = which_soffice() else {
        eprintln!("LibreOffice (soffice) is not installed: the xlsx files were not opened in it");
        return;
    };
    let app = TestApp::spawn();
    let admin = app.admin();
    let agency = app.org_id("CUC-TGPL");
    let dir = tempfile_dir();
    let forms = app.get("/api/v1/statistics/forms", &admin).json();
    for form in forms.as_array().unwrap() {
        let code = form["code"].as_str().unwrap();
        let period = if code.starts_with("tt03") {
            "2026-CY"
        } else {
            "2026-Y"
        };
        let r = app.get(
            &format!("/api/v1/statistics/forms/{code}?organization_id={agency}&period={period}&format=xlsx"),
            &admin,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let file = dir.join(format!("{code}.xlsx"));
        std::fs::write(&file, &r.raw).unwrap();
        let status = std::process::Command::new(&soffice)
            .args([
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76",
                "--outdir",
            ])
            .arg(&dir)
            .arg(&file)
            .env("HOME", &dir)
            .output()
            .unwrap();
        assert!(status.status.success(), "{code}: {status:?}");
        let csv = std::fs::read_to_string(dir.join(format!("{code}.csv"))).unwrap();
        for needed in [
            form["title"]["vi"].as_str().unwrap(),
            form["columns"][0]["header"]["vi"].as_str().unwrap(),
            "NGƯỜI LẬP BIỂU",
            "THỦ TRƯỞNG ĐƠN VỊ",
        ] {
            assert!(
                csv.contains(needed),
                "{code}: {needed} missing from LibreOffice's reading"
            );
        }
    }
}

fn which_soffice() -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join("soffice"))
        .find(|p| p.is_file())
        .ok_or(())
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tgpl-lo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_forms_of_a_period_are_those_of_the_regime_in_force_on_its_last_day() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let codes = |period: &str| -> Vec<String> {
        let r = app.get(&format!("/api/v1/statistics/forms?period={period}"), &gd);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes("2013-Y").len(), 6);
    assert!(codes("2013-Y").iter().all(|c| c.starts_with("tt02-2011")));
    assert_eq!(codes("2025-H1"), ["tt03-2019-bm24", "tt03-2019-bm25"]);
    assert_eq!(
        codes("2025-01-01/2025-03-31"),
        ["tt03-2019-bm24", "tt03-2019-bm25"]
    );
    assert!(
        codes("2016-Y").is_empty(),
        "Circulars 20/2013 and 04/2016 are not defined"
    );
    let all = app.get("/api/v1/statistics/forms", &gd).json();
    assert_eq!(all.as_array().unwrap().len(), 8);
    app.get("/api/v1/statistics/forms?period=2025-13M", &gd)
        .assert_problem(422, "validation_failed");
}

/// The annual estimate is due on 7 November, before its year ends: its report goes up once
/// its actual figures (to 31 October) are complete, not only after 31 December.
#[test]
fn an_estimated_edition_is_submitted_once_its_actual_figures_are_complete() {
    use chrono::Datelike;
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let r = app.post(
        "/api/v1/statistics/reports",
        &gd,
        json!({"form": "tt03-2019-bm25", "period": format!("{}-CYE", today.year())}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let submitted = app.post(
        &format!("/api/v1/statistics/reports/{id}/submit"),
        &gd,
        json!({"missing_explanation": "Chi nhánh chưa gửi"}),
    );
    if today.month() >= 11 {
        assert_eq!(submitted.status, 200, "{}", submitted.body);
        assert_eq!(submitted.json()["status"], "submitted");
    } else {
        let problem = submitted.assert_problem(409, "period_not_over");
        let from = format!("{}-11-01", today.year());
        assert!(
            problem["detail"].as_str().unwrap().contains(&from),
            "{problem}"
        );
    }
}
