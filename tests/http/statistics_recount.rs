//! Form 1 recounted in the test from the cases the API lists: for several organizations and
//! periods, every cell equals a count written here from each case's dates, independently of
//! the server's engine and its tallies.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde_json::Value;
use tgpl_tests::TestApp;

/// Every case the administrator can list (all of them), following the pages.
fn all_cases(app: &TestApp, token: &str) -> Vec<Value> {
    let mut cases = Vec::new();
    let mut next = Some("/api/v1/cases?page_size=100".to_owned());
    while let Some(path) = next {
        let page = app.get(&path, token).json();
        cases.extend(page["items"].as_array().unwrap().iter().cloned());
        next = page["next"].as_str().map(str::to_owned);
    }
    cases
}

fn day(v: &Value) -> Option<NaiveDate> {
    v.as_str()
        .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

/// The seven columns of form 1 for one case in the period from `f` to `t`, from its dates:
/// open at the end of the day before the period, accepted in it, ended in it, open at its end.
fn columns(case: &Value, f: NaiveDate, t: NaiveDate) -> [u64; 7] {
    let Some(accepted) = day(&case["accepted_on"]) else {
        return [0; 7];
    };
    let closed = day(&case["closed_on"]);
    let open_after = |d: NaiveDate| accepted <= d && closed.is_none_or(|c| c > d);
    let before = open_after(f.pred_opt().unwrap());
    let arrived = f <= accepted && accepted <= t;
    let left = closed.is_some_and(|c| f <= c && c <= t);
    let moved_in = !case["transferred_from_case_id"].is_null();
    let moved_out = !case["transferred_to_organization_id"].is_null();
    [
        u64::from(before || arrived),
        u64::from(before),
        u64::from(arrived && moved_in),
        u64::from(arrived && !moved_in),
        u64::from(left && !moved_out),
        u64::from(left && moved_out),
        u64::from(open_after(t)),
    ]
}

#[test]
fn every_cell_of_form_1_equals_a_recount_from_the_listed_cases() {
    let app = TestApp::spawn();
    let admin = app.admin();
    // Some cases of today besides the demo's: one finished, one archived.
    app.closed_case(false);
    app.closed_case(true);
    let cases = all_cases(&app, &admin);
    assert!(cases.len() > 30, "{} cases", cases.len());
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let year = today.year() + i32::from(today.month() >= 10);
    let periods = [
        format!("{year}-3M"),
        format!("{year}-Y"),
        format!("{}-Y", year - 1),
        format!("{}-6M", year - 1),
        "2026-02-01/2026-08-15".to_owned(),
    ];
    let mut checked = 0;
    for org in ["CUC-TGPL", "STP-HN", "TTTGPL-HN", "TTTGPL-DN"] {
        let org = app.org_id(org);
        for period in &periods {
            for recount in [false, true] {
                let table = app
                    .get(
                        &format!("/api/v1/statistics/forms/tt02-2011-bm1?organization_id={org}&period={period}&recount={recount}"),
                        &admin,
                    )
                    .json();
                let covered: Vec<&str> = table["organizations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| o.as_str().unwrap())
                    .collect();
                let (f, t) = (day(&table["from"]).unwrap(), day(&table["to"]).unwrap());
                let mut expected: BTreeMap<String, [u64; 7]> = BTreeMap::new();
                for case in cases
                    .iter()
                    .filter(|c| covered.contains(&c["organization_id"].as_str().unwrap()))
                {
                    let counts = columns(case, f, t);
                    let provider = case["provider_kind"].as_str().unwrap_or("none");
                    for row in [
                        "total".to_owned(),
                        format!("I.{}", case["field"].as_str().unwrap()),
                        format!("II.{}", case["form"].as_str().unwrap()),
                        format!("III.{}", case["place"].as_str().unwrap()),
                        format!("IV.{provider}"),
                    ] {
                        let cells = expected.entry(row).or_default();
                        for (cell, n) in cells.iter_mut().zip(counts) {
                            *cell += n;
                        }
                    }
                }
                for row in table["rows"].as_array().unwrap() {
                    let code = row["code"].as_str().unwrap();
                    let got: Vec<u64> = row["cells"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|n| n.as_u64().unwrap())
                        .collect();
                    let want = expected.get(code).copied().unwrap_or_default();
                    assert_eq!(got, want, "{org} {period} recount={recount} row {code}");
                }
                assert!(
                    table["rows"][0]["cells"][0].as_u64().unwrap() > 0 || period.contains('/'),
                    "{org} {period}: an empty table proves little"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 5 * 2);
}
