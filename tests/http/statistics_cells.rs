//! The records behind a cell: exactly those its figure counts.

use serde_json::Value;
use tgpl_tests::TestApp;

fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let r = app.get(path, token);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.json()
}

/// Every record id behind `link` (a cell's link), following the pages.
fn all_ids(app: &TestApp, token: &str, link: &str) -> (i64, Vec<String>) {
    let mut ids = Vec::new();
    let mut next = Some(format!("{link}&page_size=100"));
    let mut total = 0;
    while let Some(path) = next {
        let page = get(app, token, &path);
        total = page["total"].as_i64().unwrap();
        for item in page["items"].as_array().unwrap() {
            ids.push(item["id"].as_str().unwrap().to_owned());
            assert!(item["href"].as_str().unwrap().starts_with("/api/v1/"));
        }
        next = page["next"].as_str().map(str::to_owned);
    }
    (total, ids)
}

#[test]
fn every_cell_of_every_form_opens_on_exactly_the_records_it_counts() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let case = app.closed_case(false);
    let case_id = case["id"].as_str().unwrap();
    let forms = get(&app, &gd, "/api/v1/statistics/forms");
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let mut opened = 0;
    for form in forms.as_array().unwrap() {
        let code = form["code"].as_str().unwrap();
        let period = if code.starts_with("tt03") {
            format!("{}-CY", today.year())
        } else {
            format!("{}-Y", today.year() + i32::from(today.month() >= 10))
        };
        let table = get(
            &app,
            &gd,
            &format!("/api/v1/statistics/forms/{code}?organization_id={center}&period={period}"),
        );
        let template = table["cell_link"].as_str().unwrap().to_owned();
        let columns: Vec<u64> = table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["number"].as_u64().unwrap())
            .collect();
        for row in table["rows"].as_array().unwrap() {
            let row_code = row["code"].as_str().unwrap();
            for (i, number) in columns.iter().enumerate() {
                let figure = row["cells"][i].as_i64().unwrap();
                // Every cell of the total row; the others where they count something.
                if row_code != "total" && figure == 0 {
                    continue;
                }
                let link = template
                    .replace("{row}", row_code)
                    .replace("{column}", &number.to_string());
                let (total, ids) = all_ids(&app, &gd, &link);
                assert_eq!(total, figure, "{code} {row_code} {number}");
                assert_eq!(ids.len() as i64, figure, "{code} {row_code} {number}");
                opened += 1;
            }
        }
        if code == "tt02-2011-bm1" {
            let link = template.replace("{row}", "I.land").replace("{column}", "5");
            assert!(all_ids(&app, &gd, &link).1.iter().any(|id| id == case_id));
            let link = template
                .replace("{row}", "I.civil")
                .replace("{column}", "5");
            assert!(!all_ids(&app, &gd, &link).1.iter().any(|id| id == case_id));
        }
    }
    assert!(opened > 50, "{opened} cells opened");
}

#[test]
fn a_cell_that_is_not_on_the_form_is_not_found_and_access_is_the_tables() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let base = "/api/v1/statistics/forms/tt02-2011-bm1/cells";
    for cell in [
        "total/8",
        "total/0",
        "total/x",
        "total/01",
        "total/+1",
        "I.business/1",
        "I.none/1",
        "I.civil.litigation/1",
        "VI.civil/1",
    ] {
        app.get(
            &format!("{base}/{cell}?organization_id={center}&period=2026-Y"),
            &gd,
        )
        .assert_problem(404, "not_found");
    }
    app.get(
        &format!("{base}/total/1?organization_id={center}&period=2026-H1"),
        &gd,
    )
    .assert_problem(422, "validation_failed");
    app.get(
        &format!(
            "{base}/total/1?organization_id={}&period=2026-Y",
            app.org_id("TTTGPL-DN")
        ),
        &gd,
    )
    .assert_problem(404, "not_found");
    let problem = app
        .get(
            &format!("{base}/total/1?organization_id={center}&period=2026-Y&page_size=1000"),
            &gd,
        )
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "page_size");
}
