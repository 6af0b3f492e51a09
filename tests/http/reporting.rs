//! Reports sent up the chain: a participating organization's entered figures, a branch, the
//! centre, the Department and the Agency; returns, corrections, completeness and
//! reconciliation (Circular 02/2011 art. 5–9).

use serde_json::{json, Value};
use tgpl_tests::TestApp;

const REPORTS: &str = "/api/v1/statistics/reports";
const FORM: &str = "tt02-2011-bm1";
/// The six months to 31 March 2026: over, every level's due date past, and no demo report.
const PERIOD: &str = "2026-6M";

fn start(app: &TestApp, token: &str, org: &str, source: &str) -> Value {
    let r = app.post(
        REPORTS,
        token,
        json!({"organization_id": org, "form": FORM, "period": PERIOD, "source": source}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

fn step(app: &TestApp, token: &str, id: &str, step: &str, body: Value) -> Value {
    let r = app.post(&format!("{REPORTS}/{id}/{step}"), token, body);
    assert_eq!(r.status, 200, "{step}: {}", r.body);
    r.json()
}

fn read(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app.get(&format!("{REPORTS}/{id}"), token);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The report's ETag as read now, for an edit's `If-Match`.
fn etag(app: &TestApp, token: &str, id: &str) -> String {
    let r = app.get(&format!("{REPORTS}/{id}"), token);
    assert_eq!(r.status, 200, "{}", r.body);
    r.header("etag").unwrap().to_owned()
}

/// The rows of an organization's table, as entered figures.
fn rows_of(app: &TestApp, token: &str, org: &str) -> Value {
    let r = app.get(
        &format!("/api/v1/statistics/forms/{FORM}?organization_id={org}&period={PERIOD}"),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let rows: Vec<Value> = r.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| json!({"code": row["code"], "cells": row["cells"]}))
        .collect();
    Value::Array(rows)
}

fn total(rows: &Value, column: usize) -> i64 {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "total")
        .unwrap()["cells"][column]
        .as_i64()
        .unwrap()
}

fn revision(app: &TestApp, token: &str, id: &str, n: i64) -> Value {
    let r = app.get(&format!("{REPORTS}/{id}/revisions/{n}"), token);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// A case of the Hà Nội centre accepted inside the period.
fn case_accepted_in_period(app: &TestApp) {
    let gd = app.token("gd.hn");
    let id = app.open_case(&gd, "2026-03-01");
    let r = app.post(
        &format!("/api/v1/cases/{id}/steps/accept"),
        &gd,
        json!({"on": "2026-03-02"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn figures_travel_from_the_units_up_to_the_agency_with_returns_and_corrections() {
    let app = TestApp::spawn();
    let (ctl, cn1, gd, tgv, stp, admin) = (
        app.token("ctl.hn"),
        app.token("cn1.hn"),
        app.token("gd.hn"),
        app.token("tgv.hn"),
        app.token("stp.hn"),
        app.admin(),
    );
    let (firm, branch, center, department) = (
        app.org_id("CTL-HN"),
        app.org_id("TTTGPL-HN-CN1"),
        app.org_id("TTTGPL-HN"),
        app.org_id("STP-HN"),
    );

    // The law firm enters its figures: one that breaks a rule is refused with the rule
    // results and nothing is stored.
    let firm_report = start(&app, &ctl, &firm, "entered");
    let firm_id = firm_report["id"].as_str().unwrap().to_owned();
    assert_eq!(firm_report["status"], "draft");
    assert_eq!(firm_report["receiver_id"], department.as_str());
    assert_eq!(firm_report["due_on"], "2026-04-20");
    let entered = rows_of(&app, &gd, &center);
    assert!(total(&entered, 0) > 0, "the demo centre has cases");
    let mut broken = entered.clone();
    broken[0]["cells"][0] = json!(total(&entered, 0) + 1);
    let r = app
        .request("PATCH", &format!("{REPORTS}/{firm_id}"))
        .bearer(&ctl)
        .header("If-Match", &etag(&app, &ctl, &firm_id))
        .json(json!({"entered_figures": broken}));
    let problem = r.assert_problem(422, "rules_broken");
    assert!(!problem["rules"].as_array().unwrap().is_empty());
    assert_eq!(read(&app, &ctl, &firm_id)["entered_figures"], Value::Null);
    // It uploads the form as exported, filled in.
    let file = download(&app, &gd, &center, "xlsx");
    let r = upload(&app, &ctl, &firm_id, &file);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["entered_figures"], entered);
    let firm_report = step(&app, &ctl, &firm_id, "submit", json!({}));
    assert_eq!(firm_report["status"], "submitted");
    assert_eq!(firm_report["current_revision"], 1);
    assert_eq!(firm_report["timeliness"]["code"], "late");
    assert!(firm_report["timeliness"]["days_late"].as_i64().unwrap() > 0);
    // Submitted figures change only by a correction.
    let r = app
        .request("PATCH", &format!("{REPORTS}/{firm_id}"))
        .bearer(&ctl)
        .header("If-Match", &etag(&app, &ctl, &firm_id))
        .json(json!({"entered_figures": entered}));
    r.assert_problem(409, "report_submitted");

    // The branch head submits the branch's computed figures; the centre accepts them.
    let branch_id = start(&app, &cn1, &branch, "computed")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    step(&app, &cn1, &branch_id, "submit", json!({}));
    // An officer does not accept; the branch does not accept its own report.
    let r = app.post(&format!("{REPORTS}/{branch_id}/accept"), &tgv, json!({}));
    r.assert_problem(403, "forbidden");
    app.post(&format!("{REPORTS}/{branch_id}/accept"), &cn1, json!({}))
        .assert_problem(403, "forbidden");
    assert_eq!(
        step(&app, &gd, &branch_id, "accept", json!({}))["status"],
        "accepted"
    );

    // The centre: an officer prepares, only the head submits.
    let center_id = start(&app, &tgv, &center, "computed")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.post(&format!("{REPORTS}/{center_id}/submit"), &tgv, json!({}));
    r.assert_problem(403, "forbidden");
    // A centre keeps its records here: it enters no figures.
    let r = app.post(
        REPORTS,
        &cn1,
        json!({"organization_id": branch, "form": FORM, "period": PERIOD, "source": "entered"}),
    );
    r.assert_problem(422, "validation_failed");
    // Nobody above a unit prepares or signs its report.
    let r = app.post(
        REPORTS,
        &gd,
        json!({"organization_id": branch, "form": "tt02-2011-bm3", "period": PERIOD}),
    );
    r.assert_problem(403, "forbidden");
    step(&app, &gd, &center_id, "submit", json!({}));

    // The Department cannot submit while reports below are missing or not accepted.
    let department_id = start(&app, &stp, &department, "computed")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.post(
        &format!("{REPORTS}/{department_id}/submit"),
        &stp,
        json!({}),
    );
    let problem = r.assert_problem(422, "missing_reports");
    let missing = problem["missing"].as_array().unwrap();
    assert!(missing.contains(&json!(center)) && missing.contains(&json!(firm)));

    // It returns the firm's report; the firm resubmits; both are accepted.
    let returned = step(
        &app,
        &stp,
        &firm_id,
        "return",
        json!({"reason": "Kiểm tra lại cột 1"}),
    );
    assert_eq!(returned["status"], "returned");
    assert_eq!(returned["return_reason"], "Kiểm tra lại cột 1");
    let resubmitted = step(&app, &ctl, &firm_id, "submit", json!({}));
    assert_eq!(resubmitted["current_revision"], 2);
    assert_eq!(resubmitted["revisions"][0]["decision"], "returned");
    step(&app, &stp, &firm_id, "accept", json!({}));
    step(&app, &stp, &center_id, "accept", json!({}));

    // With the counselling centre still missing, the Department says why and submits. Its
    // figures are the records of its subtree but the firm's, plus the firm's entered figures.
    let department_table = rows_of(&app, &stp, &department);
    let firm_records = rows_of(&app, &stp, &firm);
    let submitted = step(
        &app,
        &stp,
        &department_id,
        "submit",
        json!({"missing_explanation": "Trung tâm tư vấn chưa gửi báo cáo"}),
    );
    assert_eq!(submitted["status"], "submitted");
    let frozen = revision(&app, &stp, &department_id, 1);
    assert_eq!(
        total(&frozen["rows"], 0),
        total(&department_table, 0) - total(&firm_records, 0) + total(&entered, 0)
    );
    assert_eq!(
        frozen["entered_reports"][0]["organization_id"],
        firm.as_str()
    );
    assert_eq!(frozen["entered_reports"][0]["revision"], 2);
    assert!(!frozen["records_of"]
        .as_array()
        .unwrap()
        .contains(&json!(firm)));
    step(&app, &admin, &department_id, "accept", json!({}));

    // The Department neither accepts what the centre receives nor signs for the centre.
    app.post(
        &format!("{REPORTS}/{branch_id}/return"),
        &stp,
        json!({"reason": "x"}),
    )
    .assert_problem(403, "forbidden");
    app.post(
        &format!("{REPORTS}/{center_id}/corrections"),
        &stp,
        json!({"reason": "x"}),
    )
    .assert_problem(403, "forbidden");

    // Another province does not see the reports of Hà Nội.
    let r = app.get(&format!("{REPORTS}/{center_id}"), &app.token("gd.dn"));
    r.assert_problem(404, "not_found");
    let r = app.get(
        &format!("{REPORTS}?form={FORM}&page_size=100"),
        &app.token("gd.dn"),
    );
    let hanoi = [&firm, &branch, &center, &department];
    assert!(
        r.json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| !hanoi.contains(&&item["organization_id"].as_str().unwrap().to_owned())),
        "{}",
        r.body
    );

    // A case entered late: the centre corrects its figures; nothing changes until its head
    // confirms; then the Department's report is flagged.
    case_accepted_in_period(&app);
    let r = app.post(
        &format!("{REPORTS}/{center_id}/corrections"),
        &tgv,
        json!({"reason": "Vụ việc nhập muộn"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let proposed = r.json();
    assert_eq!(proposed["revision"], 2);
    assert_eq!(proposed["confirmed_at"], Value::Null);
    assert!(!proposed["changes"].as_array().unwrap().is_empty());
    let still = read(&app, &gd, &center_id);
    assert_eq!(still["current_revision"], 1);
    assert_eq!(still["pending_correction"], 2);
    // What comes next is the head's confirmation, not another correction.
    assert!(still["next_steps"]
        .as_array()
        .unwrap()
        .contains(&json!("confirm")));
    assert!(!still["next_steps"]
        .as_array()
        .unwrap()
        .contains(&json!("correct")));
    assert_eq!(
        read(&app, &stp, &department_id)["needs_resubmission"],
        false
    );
    let r = app.post(
        &format!("{REPORTS}/{center_id}/corrections/2/confirm"),
        &tgv,
        json!({}),
    );
    r.assert_problem(403, "forbidden");
    let confirmed = step(&app, &gd, &center_id, "corrections/2/confirm", json!({}));
    assert_eq!(confirmed["current_revision"], 2);
    assert_eq!(confirmed["status"], "submitted");
    assert_eq!(confirmed["accepted_revision"], 1);
    assert_eq!(read(&app, &stp, &department_id)["needs_resubmission"], true);
    let second = revision(&app, &gd, &center_id, 2);
    assert_eq!(second["compared_with"], 1);
    let change = second["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["row"] == "total")
        .unwrap()
        .clone();
    assert_eq!(change["difference"], 1);

    // The Department's report beside the records now: the late case is the gap.
    let r = app.get(&format!("{REPORTS}/{department_id}/reconciliation"), &admin);
    assert_eq!(r.status, 200, "{}", r.body);
    let reconciliation = r.json();
    assert!(reconciliation["gap"].as_u64().unwrap() >= 1);
    let href = reconciliation["differences"][0]["records_href"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.get(&href, &admin).status, 200);
    let r = app.get(
        &format!("/api/v1/statistics/reconciliation?form={FORM}&period={PERIOD}"),
        &admin,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()[0]["organization_id"], department.as_str());

    // The Department returns the centre's correction: the accepted revision 1 still stands,
    // and is what the records are reconciled with.
    let returned = step(
        &app,
        &stp,
        &center_id,
        "return",
        json!({"reason": "Thiếu giải trình"}),
    );
    assert_eq!(returned["status"], "returned");
    assert_eq!(returned["accepted_revision"], 1);
    let r = app.get(&format!("{REPORTS}/{center_id}/reconciliation"), &stp);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["revision"], 1);

    // Completeness for the Agency: every unit owing the form, missing ones with contacts.
    let r = app.get(
        &format!("/api/v1/statistics/completeness?form={FORM}&period={PERIOD}"),
        &admin,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let view = r.json();
    let reports = view["reports"].as_array().unwrap();
    let of = |org: &str| {
        reports
            .iter()
            .find(|r| r["organization_id"] == org)
            .unwrap()
    };
    assert_eq!(of(&firm)["status"], "accepted");
    assert_eq!(of(&firm)["timeliness"]["code"], "late");
    assert_eq!(of(&center)["status"], "returned");
    let tttv = of(&app.org_id("TTTV-HN"));
    assert_eq!(tttv["status"], Value::Null);
    assert_eq!(tttv["timeliness"]["code"], "missing");
    assert!(tttv["contact"].is_object());
    assert_eq!(reports[0]["timeliness"]["code"], "missing", "missing first");
    let rates = &view["rates"];
    assert!(rates["expected"].as_u64().unwrap() >= 5);
    assert_eq!(rates["on_time"], 0);
    assert!(rates["completeness"].as_f64().unwrap() < 1.0);
    // A returned report was received (and counted as returned); one accepted once stays
    // accepted; every expected report is received or missing (all are due), and every
    // received one on time or late.
    let n = |k: &str| rates[k].as_u64().unwrap();
    assert!(n("returned") >= 1, "{rates}");
    assert_eq!(n("received") + n("missing"), n("expected"), "{rates}");
    assert_eq!(n("on_time") + n("late"), n("received"), "{rates}");
    assert!(n("accepted") >= 2, "the firm's and the centre's: {rates}");
    assert!(view["provinces"].as_array().unwrap().len() >= 3);

    // Every step is in the audit log.
    let r = app.get(
        &format!("/api/v1/audit-log?resource_id={center_id}&page_size=100"),
        &admin,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let actions: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    for action in [
        "statistical_report.create",
        "statistical_report.submit",
        "statistical_report.accept",
        "statistical_report.correction_propose",
        "statistical_report.correction_confirm",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

#[test]
fn bad_reports_are_refused_clearly_and_change_nothing() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let post = |body: Value| app.post(REPORTS, &gd, body);
    post(json!({"form": "nope", "period": PERIOD})).assert_problem(422, "validation_failed");
    post(json!({"form": FORM, "period": "2026-01-01/2026-01-31"}))
        .assert_problem(422, "validation_failed");
    post(json!({"form": FORM, "period": "2026-13M"})).assert_problem(422, "validation_failed");
    post(json!({"organization_id": app.org_id("TTTGPL-DN"), "form": FORM, "period": PERIOD}))
        .assert_problem(404, "not_found");
    // Twice: the second answers which report exists.
    let first = start(&app, &gd, &center, "computed");
    let again = post(json!({"form": FORM, "period": PERIOD}));
    let problem = again.assert_problem(409, "report_exists");
    assert_eq!(problem["id"], first["id"]);
    // A period not over cannot be submitted.
    let current = start_current(&app, &gd);
    let r = app.post(&format!("{REPORTS}/{current}/submit"), &gd, json!({}));
    r.assert_problem(409, "period_not_over");
    // An explanation is at most 4,000 characters, when prepared or at submission.
    let r = app.post(
        &format!("{REPORTS}/{}/submit", first["id"].as_str().unwrap()),
        &gd,
        json!({"missing_explanation": "x".repeat(4001)}),
    );
    let problem = r.assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "missing_explanation");
    // Accepting a draft is no step of a draft.
    let r = app.post(
        &format!("{REPORTS}/{}/accept", first["id"].as_str().unwrap()),
        &app.token("stp.hn"),
        json!({}),
    );
    r.assert_problem(409, "illegal_step");
    // Entered figures in the wrong layout name each wrong place.
    let ctl = app.token("ctl.hn");
    let firm = start(&app, &ctl, &app.org_id("CTL-HN"), "entered");
    let id = firm["id"].as_str().unwrap();
    let r = app
        .request("PATCH", &format!("{REPORTS}/{id}"))
        .bearer(&ctl)
        .header("If-Match", &etag(&app, &ctl, id))
        .json(json!({"entered_figures": [
            {"code": "total", "cells": [0, -1, 0, 0, 0, 0, 0]},
            {"code": "X.nothing", "cells": [0]}
        ]}));
    let problem = r.assert_problem(422, "validation_failed");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"entered_figures[total][2]"), "{fields:?}");
    assert!(fields.contains(&"entered_figures[X.nothing]"), "{fields:?}");
    assert!(
        fields.iter().any(|f| f.starts_with("entered_figures[I.")),
        "{fields:?}"
    );
    assert_eq!(read(&app, &ctl, id)["entered_figures"], Value::Null);
    // A statistics office reads no reports.
    let office = app
        .client_grant("thong-ke", "demo-statistics-secret-2026")
        .json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get(REPORTS, &office).assert_problem(403, "forbidden");
}

/// A report of the current reporting year, which has not ended.
fn start_current(app: &TestApp, token: &str) -> String {
    use chrono::Datelike;
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let year = today.year() + i32::from(today.month() >= 10);
    let r = app.post(
        REPORTS,
        token,
        json!({"form": FORM, "period": format!("{year}-Y")}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

/// A firm's report of entered figures, as a draft, and the token of its reporter.
fn firm_draft(app: &TestApp) -> (String, String) {
    let ctl = app.token("ctl.hn");
    let id = start(app, &ctl, &app.org_id("CTL-HN"), "entered")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (ctl, id)
}

fn upload(app: &TestApp, token: &str, id: &str, bytes: &[u8]) -> tgpl_tests::http::Resp {
    app.request("PUT", &format!("{REPORTS}/{id}/figures"))
        .bearer(token)
        .bytes("application/octet-stream", bytes)
}

fn download(app: &TestApp, token: &str, org: &str, format: &str) -> Vec<u8> {
    let r = app.get(
        &format!(
            "/api/v1/statistics/forms/{FORM}?organization_id={org}&period={PERIOD}&format={format}"
        ),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.raw.clone()
}

#[test]
fn figures_are_uploaded_as_the_files_the_forms_export() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let (ctl, id) = firm_draft(&app);
    let expected = rows_of(&app, &gd, &center);
    for format in ["xlsx", "csv"] {
        let file = download(&app, &gd, &center, format);
        let r = upload(&app, &ctl, &id, &file);
        assert_eq!(r.status, 200, "{format}: {}", r.body);
        assert_eq!(r.json()["entered_figures"], expected, "{format}");
    }
    // As a spreadsheet set to Vietnamese saves it: fields separated by `;`.
    let csv = String::from_utf8(download(&app, &gd, &center, "csv")).unwrap();
    let mut quoted = false;
    let semicolons: String = csv
        .chars()
        .map(|c| {
            quoted ^= c == '"';
            if c == ',' && !quoted {
                ';'
            } else {
                c
            }
        })
        .collect();
    assert_ne!(semicolons, csv);
    let r = upload(&app, &ctl, &id, semicolons.as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["entered_figures"], expected);
    // Excel may say so on a first line of its own.
    let r = upload(&app, &ctl, &id, format!("sep=;\r\n{semicolons}").as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["entered_figures"], expected);
    let submitted = step(&app, &ctl, &id, "submit", json!({}));
    assert_eq!(submitted["status"], "submitted");
    // Once submitted, no file changes it.
    let file = download(&app, &gd, &center, "csv");
    upload(&app, &ctl, &id, &file).assert_problem(409, "report_submitted");
}

#[test]
fn bad_uploads_name_the_cell_and_store_nothing() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let (ctl, id) = firm_draft(&app);
    let nothing_stored = || assert_eq!(read(&app, &ctl, &id)["entered_figures"], Value::Null);
    let csv = String::from_utf8(download(&app, &gd, &center, "csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    let with_line = |n: usize, cell: usize, value: &str| {
        let mut out = lines.clone();
        let mut fields: Vec<String> = out[n].split(',').map(str::to_owned).collect();
        fields[cell] = value.to_owned();
        let line = fields.join(",");
        out[n] = &line;
        out.join("\r\n").into_bytes()
    };
    // Text in a number cell: row 2 of the file (the total), its first figure (column D).
    let problem =
        upload(&app, &ctl, &id, &with_line(1, 3, "mười")).assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "file[D2]");
    assert_eq!(problem["errors"][0]["code"], "not_a_number");
    let problem =
        upload(&app, &ctl, &id, &with_line(1, 4, "-3")).assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "file[E2]");
    assert_eq!(problem["errors"][0]["code"], "negative");
    let problem = upload(&app, &ctl, &id, &with_line(1, 3, "9223372036854775807"))
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "too_large", "{problem}");
    // Above ten million: named by its cell, as every other wrong figure is, and together
    // with the others of the file.
    let mut both = lines.clone();
    let mut fields: Vec<String> = both[1].split(',').map(str::to_owned).collect();
    fields[3] = "-1".into();
    fields[4] = "10000001".into();
    let line = fields.join(",");
    both[1] = &line;
    assert_eq!(
        upload(&app, &ctl, &id, both.join("\r\n").as_bytes()).refused_fields(),
        [
            ("file[D2]".into(), "negative".into()),
            ("file[E2]".into(), "too_large".into())
        ]
    );
    // A figure on a line of no row is refused where it stands, not dropped.
    let stray = format!("{}\r\n,,,5,0\r\n", lines.join("\r\n"));
    let problem =
        upload(&app, &ctl, &id, stray.as_bytes()).assert_problem(422, "validation_failed");
    assert_eq!(
        problem["errors"][0]["field"],
        format!("file[D{}]", lines.len() + 1)
    );
    assert_eq!(problem["errors"][0]["code"], "outside_layout");
    // A total the rows do not add up to breaks the form's rules.
    upload(&app, &ctl, &id, &with_line(1, 3, "999999")).assert_problem(422, "rules_broken");
    // A row the form does not have.
    let problem = upload(&app, &ctl, &id, &with_line(2, 0, "IX.nothing"))
        .assert_problem(422, "validation_failed");
    assert!(problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "entered_figures[IX.nothing]"));
    // Neither xlsx nor CSV; empty; far too large.
    upload(&app, &ctl, &id, &[0xff, 0xfe, 0x00, 0x81, 0x90])
        .assert_problem(415, "unsupported_file");
    upload(&app, &ctl, &id, b"PK\x03\x04 not a zip").assert_problem(415, "unsupported_file");
    upload(&app, &ctl, &id, b"").assert_problem(415, "unsupported_file");
    upload(&app, &ctl, &id, &vec![b'1'; 2 * 1024 * 1024]).assert_problem(413, "too_large");
    // An xlsx with a formula, and one of 1,000,000 rows.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(7, 0, "A").unwrap();
    sheet.write_string(7, 1, "B").unwrap();
    sheet.write_formula(8, 2, "=1+1").unwrap();
    let problem = upload(&app, &ctl, &id, &workbook.save_to_buffer().unwrap())
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "file[C9]");
    assert_eq!(problem["errors"][0]["code"], "formula");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for row in 0..1_000_000u32 {
        sheet.write_number(row, 0, 1.0).unwrap();
    }
    let big = workbook.save_to_buffer().unwrap();
    let r = upload(&app, &ctl, &id, &big);
    assert!(
        r.status == 413 || r.json()["code"] == "validation_failed",
        "{}: {}",
        r.status,
        r.body
    );
    // A figure beside the form's columns, in an otherwise well-filled copy of its workbook.
    let file = download(&app, &gd, &center, "xlsx");
    let mut source: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(file)).unwrap();
    let range = calamine::Reader::worksheet_range(&mut source, "Biểu mẫu").unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, c, value) in range.used_cells() {
        let (r, c) = (r as u32, c as u16);
        match value {
            calamine::Data::String(text) => {
                sheet.write_string(r, c, text).unwrap();
            }
            calamine::Data::Float(n) => {
                sheet.write_number(r, c, *n).unwrap();
            }
            calamine::Data::Int(n) => {
                sheet.write_number(r, c, *n as f64).unwrap();
            }
            _ => {}
        }
    }
    sheet.write_number(10, 12, 7.0).unwrap();
    let problem = upload(&app, &ctl, &id, &workbook.save_to_buffer().unwrap())
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "file[M11]", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "outside_layout");
    // A label out of the form's place names its cell.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(7, 0, "A").unwrap();
    sheet.write_string(7, 1, "B").unwrap();
    for column in 1..=7u16 {
        sheet
            .write_number(7, column + 1, f64::from(column))
            .unwrap();
    }
    sheet.write_string(8, 1, "Không phải tổng số").unwrap();
    let problem = upload(&app, &ctl, &id, &workbook.save_to_buffer().unwrap())
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "file[B9]");
    assert_eq!(problem["errors"][0]["code"], "wrong_layout");
    nothing_stored();
}

/// Columns are read by their numbers, not their places: a copy whose columns were moved is
/// refused where they stand, and a date is no figure.
#[test]
fn moved_columns_are_named_not_read_into_others() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let (ctl, id) = firm_draft(&app);
    // CSV: columns 5 and 7 swapped, headers and figures alike.
    let csv = String::from_utf8(download(&app, &gd, &center, "csv")).unwrap();
    let swapped: Vec<String> = csv
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(',').collect();
            fields.swap(7, 9);
            fields.join(",")
        })
        .collect();
    assert_eq!(
        upload(&app, &ctl, &id, swapped.join("\r\n").as_bytes()).refused_fields(),
        [
            ("file[H1]".into(), "wrong_layout".into()),
            ("file[J1]".into(), "wrong_layout".into())
        ]
    );
    // A header that only renames the columns keeps their numbers, and is read.
    let mut renamed: Vec<String> = csv.lines().map(str::to_owned).collect();
    renamed[0] = format!(
        "row,section,label,{}",
        (1..=7)
            .map(|n| format!("{n} x"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let r = upload(&app, &ctl, &id, renamed.join("\r\n").as_bytes());
    assert_eq!(r.status, 200, "{}", r.body);
    // A column too many.
    let mut wider = renamed.clone();
    wider[0].push_str(",8 x");
    let problem = upload(&app, &ctl, &id, wider.join("\r\n").as_bytes())
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "file[K1]", "{problem}");
    // xlsx: the line numbering the columns says 2, 1 where the form says 1, 2; and a date.
    let numbered = |numbers: [f64; 7], date_in_total: bool| {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(7, 0, "A").unwrap();
        sheet.write_string(7, 1, "B").unwrap();
        for (i, n) in numbers.iter().enumerate() {
            sheet.write_number(7, i as u16 + 2, *n).unwrap();
        }
        sheet.write_string(8, 1, "Tổng số").unwrap();
        if date_in_total {
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(1900, 1, 3).unwrap();
            let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
            sheet
                .write_datetime_with_format(8, 2, &date, &format)
                .unwrap();
        }
        workbook.save_to_buffer().unwrap()
    };
    let problem = upload(
        &app,
        &ctl,
        &id,
        &numbered([2., 1., 3., 4., 5., 6., 7.], false),
    )
    .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "file[C8]", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "wrong_layout");
    let problem = upload(
        &app,
        &ctl,
        &id,
        &numbered([1., 2., 3., 4., 5., 6., 7.], true),
    )
    .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "file[C9]", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "not_a_number");
    assert_eq!(
        problem["errors"][1]["field"], "file[B10]",
        "then the row out of place: {problem}"
    );
}

/// Form 3 of Hà Nội up to the Agency: the centre, then the Department (saying why the other
/// units are missing), accepted by the data centre. Answers the Department's report id.
fn person_times_up_to_the_agency(app: &TestApp) -> (String, String) {
    let (gd, stp, admin) = (app.token("gd.hn"), app.token("stp.hn"), app.admin());
    let post = |token: &str, org: &str| {
        let r = app.post(
            REPORTS,
            token,
            json!({"organization_id": org, "form": "tt02-2011-bm3", "period": PERIOD}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_owned()
    };
    let center = post(&gd, &app.org_id("TTTGPL-HN"));
    step(
        app,
        &gd,
        &center,
        "submit",
        json!({"missing_explanation": "Chi nhánh chưa gửi"}),
    );
    step(app, &stp, &center, "accept", json!({}));
    let department = post(&stp, &app.org_id("STP-HN"));
    step(
        app,
        &stp,
        &department,
        "submit",
        json!({"missing_explanation": "Các tổ chức tham gia chưa gửi"}),
    );
    step(app, &admin, &department, "accept", json!({}));
    (center, department)
}

fn statistics_office(app: &TestApp, client: &str, secret: &str) -> String {
    let r = app.client_grant(client, secret);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["access_token"].as_str().unwrap().to_owned()
}

#[test]
fn releases_are_vintages_the_statistics_offices_pull() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let office = statistics_office(&app, "thong-ke", "demo-statistics-secret-2026");
    let data = "/api/v1/statistics/released-data?form=tt02-2011-bm3&period=2026-6M";
    // Nothing released: nothing to read, and the reports themselves stay in the chain.
    let r = app.get(data, &office);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["observations"], json!([]));
    let release = json!({"form": "tt02-2011-bm3", "period": PERIOD});
    app.post("/api/v1/statistics/releases", &admin, release.clone())
        .assert_problem(409, "nothing_accepted");
    let (center, department) = person_times_up_to_the_agency(&app);
    app.get(&format!("{REPORTS}/{department}"), &office)
        .assert_problem(404, "not_found");
    app.post(
        "/api/v1/statistics/releases",
        &app.token("cuc.xem"),
        release.clone(),
    )
    .assert_problem(403, "forbidden");
    let r = app.post("/api/v1/statistics/releases", &admin, release.clone());
    assert_eq!(r.status, 201, "{}", r.body);
    let first = r.json();
    assert_eq!(first["vintage"], 1);
    assert_eq!(first["provinces"][0]["province_code"], "ha_noi");
    // Hà Nội alone: its "country" is not the country's, and says so.
    assert_eq!(first["provinces"].as_array().unwrap().len(), 1);
    assert_eq!(
        first["provinces_expected"], 3,
        "three provinces have a Department"
    );
    assert_eq!(first["covers_the_country"], false);
    app.post("/api/v1/statistics/releases", &admin, release.clone())
        .assert_problem(409, "no_change");

    // JSON: the person-times indicator for Hà Nội and the country, by sex and category.
    let r = app.get(data, &office);
    assert_eq!(r.status, 200, "{}", r.body);
    let etag = r.header("etag").unwrap().to_owned();
    let observations = r.json()["observations"].as_array().unwrap().clone();
    let find = |area: &str, sex: &str, category: &str| {
        observations
            .iter()
            .find(|o| {
                o["ref_area"] == area && o["sex"] == sex && o["recipient_category"] == category
            })
            .unwrap_or_else(|| panic!("{area} {sex} {category}"))
            .clone()
    };
    let hanoi = find("ha_noi", "_T", "_T");
    assert_eq!(hanoi["indicator"], "PERSON_TIMES");
    assert_eq!(hanoi["vintage"], 1);
    let frozen = revision(&app, &admin, &department, 1);
    let person_times = total(&frozen["rows"], 0);
    // Shown as frozen, or withheld: a small count, or one that would give a small one away
    // (here the few people by sex and category add up to it).
    match hanoi["status"].as_str().unwrap() {
        "A" => assert_eq!(hanoi["value"], person_times),
        status => {
            assert_eq!(status, "C");
            assert!(hanoi["value"].is_null() && person_times > 0, "{hanoi}");
        }
    }
    assert_eq!(find("VN", "_T", "_T")["value"], hanoi["value"]);
    find("ha_noi", "M", "_T");
    find("ha_noi", "_T", "poor_household");
    // Unchanged: 304; nothing released since: empty.
    let r = app
        .request("GET", data)
        .bearer(&office)
        .header("If-None-Match", &etag)
        .send();
    assert_eq!(r.status, 304, "{}", r.body);
    // If-None-Match compares weakly (RFC 9110).
    let r = app
        .request("GET", data)
        .bearer(&office)
        .header("If-None-Match", &format!("W/{etag}"))
        .send();
    assert_eq!(r.status, 304, "{}", r.body);
    let released_at = first["released_at"].as_str().unwrap().to_owned();
    let r = app.get(
        &format!("{data}&updatedAfter={}", released_at.replace('+', "%2B")),
        &office,
    );
    assert_eq!(r.json()["observations"], json!([]), "{}", r.body);
    // SDMX-CSV 2.0.
    let r = app
        .request("GET", data)
        .bearer(&office)
        .header("Accept", "application/vnd.sdmx.data+csv;version=2.0.0")
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/vnd.sdmx.data+csv"));
    let mut lines = r.body.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("STRUCTURE,STRUCTURE_ID,ACTION,FORM,REF_AREA"));
    assert!(lines
        .next()
        .unwrap()
        .starts_with("dataflow,VN_MOJ:DF_TGPL(1.0),I,tt02-2011-bm3,"));
    assert_eq!(r.header("vary"), Some("Accept"));
    // Chosen by the weights `Accept` gives; neither format acceptable is 406.
    let chosen = |accept: &str| {
        let r = app
            .request("GET", data)
            .bearer(&office)
            .header("Accept", accept)
            .send();
        (
            r.status,
            r.header("content-type").unwrap_or_default().to_owned(),
        )
    };
    for (accept, csv) in [
        (
            "application/json, application/vnd.sdmx.data+csv;q=0.5",
            false,
        ),
        ("application/vnd.sdmx.data+csv;q=0, */*", false),
        (
            "application/json;q=0.4, application/vnd.sdmx.data+csv",
            true,
        ),
        ("application/json;q=0, application/*", true),
        ("*/*", false),
    ] {
        let (status, content_type) = chosen(accept);
        assert_eq!(status, 200, "{accept}");
        assert_eq!(
            content_type.starts_with("application/vnd.sdmx.data+csv"),
            csv,
            "{accept}"
        );
    }
    for accept in ["application/xml", "text/csv"] {
        assert_eq!(chosen(accept).0, 406, "{accept}");
    }

    // A case entered late: the centre and then the Department correct, the Agency accepts
    // again, and the release is the next vintage; the first never changes.
    case_accepted_in_period(&app);
    let (gd, stp) = (app.token("gd.hn"), app.token("stp.hn"));
    for (token, id) in [(&gd, &center), (&stp, &department)] {
        let r = app.post(
            &format!("{REPORTS}/{id}/corrections"),
            token,
            json!({"reason": "Vụ việc nhập muộn"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let n = r.json()["revision"].as_i64().unwrap();
        step(
            &app,
            token,
            id,
            &format!("corrections/{n}/confirm"),
            json!({}),
        );
    }
    step(&app, &stp, &center, "accept", json!({}));
    step(&app, &admin, &department, "accept", json!({}));
    let r = app.post("/api/v1/statistics/releases", &admin, release);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["vintage"], 2);
    let old = app.get(
        &format!(
            "/api/v1/statistics/releases/{}",
            first["id"].as_str().unwrap()
        ),
        &office,
    );
    assert_eq!(old.json(), first);
    let r = app
        .request("GET", data)
        .bearer(&office)
        .header("If-None-Match", &etag)
        .send();
    assert_eq!(r.status, 200);
    let newest = r.json()["observations"].as_array().unwrap().clone();
    assert!(newest.iter().all(|o| o["vintage"] == 2));
    // The first vintage's figures stay readable where its release says they are.
    let r = app.get(first["data_href"].as_str().unwrap(), &office);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["observations"], json!(observations));
    app.get(&format!("{data}&vintage=3"), &office)
        .assert_problem(404, "not_found");
    app.get(&format!("{data}&vintage=0"), &office)
        .assert_problem(422, "validation_failed");
    let problem = app
        .get("/api/v1/statistics/released-data?vintage=1", &office)
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "vintage");

    // A province's statistics office reads its own province only.
    let r = app.post(
        "/api/v1/organizations",
        &admin,
        json!({"code": "CTK-DN", "name": "Thống kê Đà Nẵng", "kind": "statistics_office", "province_code": "da_nang"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let org = r.json()["id"].as_str().unwrap().to_owned();
    let r = app.post(
        "/api/v1/service-clients",
        &admin,
        json!({"client_id": "thong-ke-dn", "name": "Thống kê Đà Nẵng", "role": "statistics_office", "organization_id": org}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let secret = r.json()["client_secret"].as_str().unwrap().to_owned();
    let provincial = statistics_office(&app, "thong-ke-dn", &secret);
    let r = app.get(data, &provincial);
    assert_eq!(
        r.json()["observations"],
        json!([]),
        "Đà Nẵng released nothing"
    );
    // The portal reads no statistics.
    let portal = statistics_office(&app, "dvc-portal", "demo-portal-secret-2026");
    app.get(data, &portal).assert_problem(403, "forbidden");
    // The schedule of the annual figures.
    let r = app.get("/api/v1/statistics/release-schedule?year=2026", &admin);
    assert_eq!(r.status, 200, "{}", r.body);
    let schedule = r.json();
    let bm3 = schedule
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["form"] == "tt02-2011-bm3")
        .unwrap();
    assert_eq!(bm3["due_on"], "2027-02-27");
    assert_eq!(bm3["period"], "2025-10-01/P12M");
    assert_eq!(
        bm3["latest_vintage"],
        Value::Null,
        "the six months were released, not the year"
    );
    assert_ne!(bm3["status"], "released");
}

#[test]
fn the_demo_has_a_reporting_year_in_progress_and_released_figures() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let r = app.get(&format!("{REPORTS}?page_size=100"), &admin);
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.json()["items"].as_array().unwrap().clone();
    for status in ["draft", "submitted", "accepted", "returned"] {
        assert!(
            items.iter().any(|i| i["status"] == status),
            "a demo report {status}"
        );
    }
    let releases = app.get("/api/v1/statistics/releases", &admin).json();
    assert_eq!(releases.as_array().unwrap().len(), 2, "{releases}");
    let office = statistics_office(&app, "thong-ke", "demo-statistics-secret-2026");
    let r = app.get(
        "/api/v1/statistics/released-data?form=tt02-2011-bm3",
        &office,
    );
    let areas: std::collections::BTreeSet<String> = r.json()["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["ref_area"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        areas.into_iter().collect::<Vec<_>>(),
        ["VN", "da_nang", "ha_noi"]
    );
}

#[test]
fn the_same_step_sent_many_times_at_once_is_taken_once() {
    use crate::concurrency::{at_once, count, one_wins};
    let app = TestApp::spawn();
    let (gd, stp) = (app.token("gd.hn"), app.token("stp.hn"));
    let center = app.org_id("TTTGPL-HN");
    // Twelve starts of one report: one report.
    let answers = at_once(12, |_| {
        app.post(
            REPORTS,
            &gd,
            json!({"organization_id": center, "form": FORM, "period": PERIOD}),
        )
    });
    let report = one_wins(answers, 201, 409, "report_exists").json();
    let id = report["id"].as_str().unwrap().to_owned();
    // Twelve submissions: one revision.
    let answers = at_once(12, |_| {
        app.post(
            &format!("{REPORTS}/{id}/submit"),
            &gd,
            json!({"missing_explanation": "Chi nhánh chưa gửi"}),
        )
    });
    one_wins(answers, 200, 409, "report_submitted");
    // Twelve acceptances: one decision.
    let answers = at_once(12, |_| {
        app.post(&format!("{REPORTS}/{id}/accept"), &stp, json!({}))
    });
    one_wins(answers, 200, 409, "illegal_step");
    // Twelve corrections proposed at once: one waits for confirmation.
    case_accepted_in_period(&app);
    let answers = at_once(12, |_| {
        app.post(
            &format!("{REPORTS}/{id}/corrections"),
            &gd,
            json!({"reason": "Vụ việc nhập muộn"}),
        )
    });
    one_wins(answers, 201, 409, "correction_pending");
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) AS n FROM statistical_report_revisions WHERE report_id = '{id}'"
            )
        ),
        2
    );
    // Twelve releases of the same figures: one vintage.
    let app = TestApp::spawn();
    person_times_up_to_the_agency(&app);
    let admin = app.admin();
    let answers = at_once(12, |_| {
        app.post(
            "/api/v1/statistics/releases",
            &admin,
            json!({"form": "tt02-2011-bm3", "period": PERIOD}),
        )
    });
    let (won, lost): (Vec<_>, Vec<_>) = answers.into_iter().partition(|r| r.status == 201);
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        lost.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    for r in lost {
        let code = r.json()["code"].as_str().unwrap().to_owned();
        assert!(
            code == "no_change" || code == "release_conflict",
            "{}",
            r.body
        );
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM statistical_releases WHERE form = 'tt02-2011-bm3' AND period = '2025-10-01/P6M'"
        ),
        1
    );
}

#[test]
fn figures_entered_late_below_flag_the_report_above_and_records_are_reconciled_alone() {
    let app = TestApp::spawn();
    let (ctl, gd, stp) = (app.token("ctl.hn"), app.token("gd.hn"), app.token("stp.hn"));
    let (firm, department) = (app.org_id("CTL-HN"), app.org_id("STP-HN"));
    // A report started as computed can still become one of entered figures.
    let firm_report = start(&app, &ctl, &firm, "computed");
    let firm_id = firm_report["id"].as_str().unwrap().to_owned();
    let entered = rows_of(&app, &gd, &app.org_id("TTTGPL-HN"));
    // Figures are edited on the version read, as every PATCH is (README: 428 without it).
    app.request("PATCH", &format!("{REPORTS}/{firm_id}"))
        .bearer(&ctl)
        .json(json!({"source": "entered", "entered_figures": entered}))
        .assert_problem(428, "precondition_required");
    app.request("PATCH", &format!("{REPORTS}/{firm_id}"))
        .bearer(&ctl)
        .header("If-Match", "\"0\"")
        .json(json!({"source": "entered", "entered_figures": entered}))
        .assert_problem(412, "precondition_failed");
    let r = app
        .request("PATCH", &format!("{REPORTS}/{firm_id}"))
        .bearer(&ctl)
        .header("If-Match", &etag(&app, &ctl, &firm_id))
        .json(json!({"source": "entered", "entered_figures": entered}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["source"], "entered");
    // The Department reports before the firm.
    let department_id = start(&app, &stp, &department, "computed")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    step(
        &app,
        &stp,
        &department_id,
        "submit",
        json!({"missing_explanation": "Chưa đủ báo cáo"}),
    );
    step(&app, &ctl, &firm_id, "submit", json!({}));
    assert_eq!(
        read(&app, &stp, &department_id)["needs_resubmission"],
        false
    );
    step(&app, &stp, &firm_id, "accept", json!({}));
    assert_eq!(read(&app, &stp, &department_id)["needs_resubmission"], true);
    // The records' side of a reconciliation counts records only: the firm's entered figures
    // are not records.
    let reconciliation = app
        .get(&format!("{REPORTS}/{department_id}/reconciliation"), &stp)
        .json();
    let department_records = rows_of(&app, &stp, &department);
    let records_total: i64 = department_records[0]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_i64().unwrap())
        .sum();
    assert_eq!(reconciliation["records_total"], records_total);
    assert_eq!(reconciliation["gap"], 0, "{reconciliation}");
    // Once submitted, the source stays.
    let r = app
        .request("PATCH", &format!("{REPORTS}/{firm_id}"))
        .bearer(&ctl)
        .header("If-Match", &etag(&app, &ctl, &firm_id))
        .json(json!({"source": "computed"}));
    r.assert_problem(409, "source_fixed");
}

/// A Department's report adds the accepted figures of a firm that enters its own. Reconciled
/// with the records (seed 000 §2b), those figures stand on both sides and are no gap; a case
/// entered since is.
#[test]
fn figures_entered_below_are_no_gap_and_a_case_entered_since_is() {
    let app = TestApp::spawn();
    let (ctl, gd, stp) = (app.token("ctl.hn"), app.token("gd.hn"), app.token("stp.hn"));
    let (firm, department) = (app.org_id("CTL-HN"), app.org_id("STP-HN"));
    case_accepted_in_period(&app);
    let entered = rows_of(&app, &gd, &app.org_id("TTTGPL-HN"));
    assert!(total(&entered, 0) > 0, "{entered}");
    let firm_id = start(&app, &ctl, &firm, "entered")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .request("PATCH", &format!("{REPORTS}/{firm_id}"))
        .bearer(&ctl)
        .header("If-Match", &etag(&app, &ctl, &firm_id))
        .json(json!({"entered_figures": entered}));
    assert_eq!(r.status, 200, "{}", r.body);
    step(&app, &ctl, &firm_id, "submit", json!({}));
    step(&app, &stp, &firm_id, "accept", json!({}));
    let department_id = start(&app, &stp, &department, "computed")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    step(
        &app,
        &stp,
        &department_id,
        "submit",
        json!({"missing_explanation": "Chưa đủ báo cáo"}),
    );
    let reconciled = || {
        app.get(&format!("{REPORTS}/{department_id}/reconciliation"), &stp)
            .json()
    };
    let reconciliation = reconciled();
    assert_eq!(reconciliation["gap"], 0, "{reconciliation}");
    assert_eq!(reconciliation["differences"], json!([]), "{reconciliation}");
    // The firm's figures are in the Department's: the gap is not theirs.
    let submitted = total(&revision(&app, &stp, &department_id, 1)["rows"], 0);
    assert!(submitted >= total(&entered, 0));
    // A case entered since: the records are ahead of the report, and only by it.
    case_accepted_in_period(&app);
    let reconciliation = reconciled();
    let total_row: Vec<&Value> = reconciliation["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["row"] == "total")
        .collect();
    assert!(!total_row.is_empty(), "{reconciliation}");
    assert!(
        total_row.iter().all(|d| d["difference"] == 1),
        "{reconciliation}"
    );
}
