//! Forms 3 to 6: the persons aided, the centre's staff, the collaborators and the
//! participating organizations, moved by what the units enter.

use chrono::Datelike;
use serde_json::{json, Value};
use tgpl_tests::TestApp;

use crate::statistics::{all_rules_hold, cell};

/// The current reporting year's 3-month period, which holds today (Viet Nam time) only
/// from October to December; the rest of the year, the cumulative period that does.
fn current_period() -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let year = today.year() + i32::from(today.month() >= 10);
    let months = match today.month() {
        10..=12 => 3,
        1..=3 => 6,
        4..=6 => 9,
        _ => 12,
    };
    format!("{year}-{months}M")
}

fn form(app: &TestApp, token: &str, code: &str, org: &str) -> Value {
    let r = app.get(
        &format!(
            "/api/v1/statistics/forms/{code}?organization_id={org}&period={}",
            current_period()
        ),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let table = r.json();
    all_rules_hold(&table);
    small_counts_are_marked_withheld(&table);
    table
}

/// Every count of one or two is among the cells withheld outside the reporting chain.
fn small_counts_are_marked_withheld(table: &Value) {
    let withheld: Vec<(String, u64)> = table["withheld_outside_chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["row"].as_str().unwrap().to_owned(),
                c["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let columns = table["columns"].as_array().unwrap();
    for row in table["rows"].as_array().unwrap() {
        for (i, n) in row["cells"].as_array().unwrap().iter().enumerate() {
            if matches!(n.as_u64(), Some(1 | 2)) {
                let cell = (
                    row["code"].as_str().unwrap().to_owned(),
                    columns[i]["number"].as_u64().unwrap(),
                );
                assert!(withheld.contains(&cell), "{cell:?} is {n} and shown");
            }
        }
    }
}

/// The cells of `table` that differ from `before`, as (row, column, difference).
fn moved(before: &Value, after: &Value) -> Vec<(String, usize, i64)> {
    let mut moves = Vec::new();
    for (b, a) in before["rows"]
        .as_array()
        .unwrap()
        .iter()
        .zip(after["rows"].as_array().unwrap())
    {
        assert_eq!(b["code"], a["code"]);
        for (c, (x, y)) in b["cells"]
            .as_array()
            .unwrap()
            .iter()
            .zip(a["cells"].as_array().unwrap())
            .enumerate()
        {
            let d = y.as_i64().unwrap() - x.as_i64().unwrap();
            if d != 0 {
                moves.push((a["code"].as_str().unwrap().to_owned(), c + 1, d));
            }
        }
    }
    moves.sort();
    moves
}

fn expect(moves: &[(&str, usize, i64)]) -> Vec<(String, usize, i64)> {
    let mut v: Vec<_> = moves
        .iter()
        .map(|(r, c, d)| (r.to_string(), *c, *d))
        .collect();
    v.sort();
    v
}

/// An accepted counselling case of the Hà Nội centre for `recipient`, at the office.
fn accepted_case(app: &TestApp, token: &str, recipient: &str) {
    let r = app.post(
        "/api/v1/cases",
        token,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient,
               "received_on": "2026-10-02", "field": "labour", "form": "counselling", "place": "mobile",
               "summary": "Tư vấn về hợp đồng lao động"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = app.post(
        &format!("/api/v1/cases/{id}/steps/accept"),
        token,
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn form_3_counts_one_person_time_per_case_under_the_first_proven_category() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let before = form(&app, &gd, "tt02-2011-bm3", &center);
    let closed_year_before = app
        .get(
            &format!(
                "/api/v1/statistics/forms/tt02-2011-bm3?organization_id={center}&period=2026-Y"
            ),
            &gd,
        )
        .json();
    let r = app.post(
        "/api/v1/recipients",
        &gd,
        json!({"organization_id": center, "full_name": "Lò Văn Sáng", "gender": "male"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let aided = r.json()["id"].as_str().unwrap().to_owned();
    for (category, day) in [
        ("poor_household", "2026-10-05"),
        ("meritorious", "2026-10-06"),
    ] {
        let r = app.post(
            &format!("/api/v1/recipients/{aided}/proofs"),
            &gd,
            json!({"kind": "status", "category": category, "document_kind": "Giấy chứng nhận", "provided_on": day}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    // Two cases of one person: two person-times, both under the category proven first.
    accepted_case(&app, &gd, &aided);
    accepted_case(&app, &gd, &aided);
    let after = form(&app, &gd, "tt02-2011-bm3", &center);
    let twice = |row: &'static str, column| (row, column, 2);
    assert_eq!(
        moved(&before, &after),
        expect(&[
            twice("total", 1),
            twice("total", 2),
            twice("total", 4),
            twice("I.labour", 1),
            twice("I.labour", 2),
            twice("I.labour", 4),
            twice("II.counselling", 1),
            twice("II.counselling", 2),
            twice("II.counselling", 4),
            twice("III.mobile", 1),
            twice("III.mobile", 2),
            twice("III.mobile", 4),
            twice("IV.none", 1),
            twice("IV.none", 2),
            twice("IV.none", 4),
        ])
    );
    // A person with neither gender nor proof is counted in the columns that say so.
    let r = app.post(
        "/api/v1/recipients",
        &gd,
        json!({"organization_id": center, "full_name": "Người Chưa Rõ"}),
    );
    let unknown = r.json()["id"].as_str().unwrap().to_owned();
    accepted_case(&app, &gd, &unknown);
    let last = form(&app, &gd, "tt02-2011-bm3", &center);
    assert_eq!(cell(&last, "total", 1), cell(&after, "total", 1) + 1);
    assert_eq!(cell(&last, "total", 19), cell(&after, "total", 19) + 1);
    assert_eq!(cell(&last, "total", 20), cell(&after, "total", 20) + 1);
    // The year that ended on 30 September 2026 does not move: a person-time falls in the
    // period its case is accepted in.
    let closed_year = app
        .get(
            &format!(
                "/api/v1/statistics/forms/tt02-2011-bm3?organization_id={center}&period=2026-Y"
            ),
            &gd,
        )
        .json();
    assert_eq!(closed_year["rows"], closed_year_before["rows"]);
}

#[test]
fn form_4_counts_each_employee_once_on_the_last_day_by_title_qualification_and_age() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let before = form(&app, &gd, "tt02-2011-bm4", &center);
    let r = app.post(
        "/api/v1/staff",
        &gd,
        json!({"full_name": "Hoàng Thị Mai", "gender": "female", "ethnicity": "tay", "date_of_birth": "1990-05-01",
               "qualification": "law_degree_or_higher", "provider_kind": "legal_aid_officer",
               "membership": {"organization_id": app.org_id("TTTGPL-HN-CN1"), "relation": "employee",
                              "title": "legal_aid_officer", "valid_from": "2026-10-01"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let after = form(&app, &gd, "tt02-2011-bm4", &center);
    let to = after["to"].as_str().unwrap();
    let age = chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d")
        .unwrap()
        .years_since(chrono::NaiveDate::from_ymd_opt(1990, 5, 1).unwrap())
        .unwrap();
    let group = match age {
        30..=39 => "III.30_39",
        40..=49 => "III.40_49",
        _ => panic!("age {age}"),
    };
    let once = |row: &'static str, column| (row, column, 1);
    let mut want = Vec::new();
    for row in [
        "total",
        "I.legal_aid_officer",
        "II.law_degree_or_higher",
        group,
    ] {
        for column in [1, 3, 5] {
            want.push(once(row, column));
        }
    }
    assert_eq!(moved(&before, &after), expect(&want));
    // A second membership, at the centre itself, does not make a second person.
    let r = app.post(
        &format!("/api/v1/staff/{id}/memberships"),
        &gd,
        json!({"organization_id": center, "relation": "employee", "title": "deputy_director", "valid_from": "2026-10-02"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let twice = form(&app, &gd, "tt02-2011-bm4", &center);
    assert_eq!(moved(&after, &twice), Vec::new());
}

#[test]
fn form_5_counts_collaborators_only_while_their_card_is_valid() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let before = form(&app, &gd, "tt02-2011-bm5", &center);
    let r = app.post(
        "/api/v1/staff",
        &gd,
        json!({"full_name": "Triệu Văn Lâm", "gender": "male", "ethnicity": "kinh", "qualification": "no_degree",
               "provider_kind": "collaborator",
               "membership": {"organization_id": center, "relation": "collaborator", "title": "collaborator",
                              "valid_from": "2026-10-01"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        moved(&before, &form(&app, &gd, "tt02-2011-bm5", &center)),
        Vec::new(),
        "no card yet"
    );
    let stp = app.token("stp.hn");
    let r = app.post(
        &format!("/api/v1/staff/{id}/collaborator-cards"),
        &stp,
        json!({"card_number": "CTV-HN-0900", "issued_on": "2026-10-01", "expires_on": "2031-09-30"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let card = r.json()["collaborator_cards"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let carded = form(&app, &gd, "tt02-2011-bm5", &center);
    let once = |row: &'static str, column| (row, column, 1);
    let mut want = Vec::new();
    for row in ["total", "I.no_degree", "II.none", "III.center"] {
        for column in [1, 2, 4] {
            want.push(once(row, column));
        }
    }
    assert_eq!(moved(&before, &carded), expect(&want));
    let r = app.post(
        &format!("/api/v1/collaborator-cards/{card}/revoke"),
        &stp,
        json!({"reason": "Không còn đáp ứng tiêu chuẩn"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        moved(&before, &form(&app, &gd, "tt02-2011-bm5", &center)),
        Vec::new(),
        "a revoked card no longer counts on the period's last day"
    );
}

#[test]
fn form_6_counts_the_participating_organizations_of_the_department() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hn");
    let department = app.org_id("STP-HN");
    let before = form(&app, &stp, "tt02-2011-bm6", &department);
    let r = app.post(
        "/api/v1/organizations",
        &app.admin(),
        json!({"code": "TTV-ANHDUONG", "name": "Trung tâm tư vấn pháp luật Ánh Dương", "kind": "counselling_center",
               "parent_id": department,
               "participation": {"mode": "registration", "certificate_number": "07/2026/GĐK", "forms": ["counselling"],
                                 "valid_from": "2026-10-01"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let after = form(&app, &stp, "tt02-2011-bm6", &department);
    let once = |row: &'static str, column| (row, column, 1);
    let mut want = Vec::new();
    for row in ["total", "I.no_litigation", "II.open_ended"] {
        for column in [1, 4, 6] {
            want.push(once(row, column));
        }
    }
    assert_eq!(moved(&before, &after), expect(&want));
}

#[test]
fn every_form_is_defined_and_fills_for_the_whole_country() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let forms = app.get("/api/v1/statistics/forms", &admin).json();
    let codes: Vec<&str> = forms
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "tt02-2011-bm1",
            "tt02-2011-bm2",
            "tt02-2011-bm3",
            "tt02-2011-bm4",
            "tt02-2011-bm5",
            "tt02-2011-bm6",
            "tt03-2019-bm24",
            "tt03-2019-bm25"
        ]
    );
    let agency = app.org_id("CUC-TGPL");
    for code in codes {
        let period = if code.starts_with("tt03") {
            "2026-CY"
        } else {
            "2026-Y"
        };
        for format in ["json", "csv", "xlsx"] {
            let r = app.get(
                &format!("/api/v1/statistics/forms/{code}?organization_id={agency}&period={period}&format={format}"),
                &admin,
            );
            assert_eq!(r.status, 200, "{code} {format}: {}", r.body);
            if format == "json" {
                all_rules_hold(&r.json());
            }
        }
    }
}
