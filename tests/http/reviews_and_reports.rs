use serde_json::{json, Value};
use tgpl_tests::TestApp;

fn litigation_case(
    app: &TestApp,
    token: &str,
    center: &str,
    success: Option<&str>,
    outcome_on: &str,
) -> Value {
    charged_case(
        app,
        token,
        center,
        success,
        outcome_on,
        "Cố ý gây thương tích, Điều 134",
    )
}

fn charged_case(
    app: &TestApp,
    token: &str,
    center: &str,
    success: Option<&str>,
    outcome_on: &str,
    charge: &str,
) -> Value {
    let recipient = app
        .get("/api/v1/recipients?q=tran%20van%20be", token)
        .json()["items"][0]["id"]
        .clone();
    let provider =
        app.get("/api/v1/staff?q=nguyen%20van%20an", token).json()["items"][0]["id"].clone();
    let r = app.post(
        "/api/v1/cases",
        token,
        json!({"organization_id": app.org_id(center), "recipient_id": recipient, "received_on": "2025-06-01", "field": "criminal",
               "form": "litigation", "place": "detention", "summary": "Bào chữa, vụ cố ý gây thương tích",
               "litigation": {"role": "defence", "stage": "first_instance", "charge": charge,
                              "procedural_agency": "Tòa án nhân dân khu vực 1", "proposed_sentence": "3 năm tù"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    for (step, body) in [
        ("accept", json!({"on": "2025-06-02"})),
        ("assign_provider", json!({"provider_id": provider})),
        ("start", json!({})),
    ] {
        assert_eq!(
            app.post(&format!("/api/v1/cases/{id}/steps/{step}"), token, body)
                .status,
            200
        );
    }
    let outcome = match success {
        Some(kind) => {
            json!({"outcome": "Tòa tuyên 18 tháng tù", "outcome_on": outcome_on, "defence_accepted": true, "success_kind": kind})
        }
        None => {
            json!({"outcome": "Tòa tuyên 3 năm tù", "outcome_on": outcome_on, "defence_accepted": false})
        }
    };
    let r = app.post(
        &format!("/api/v1/cases/{id}/steps/complete"),
        token,
        json!({"outcome": outcome}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[test]
fn successful_litigation_cases_for_any_period_as_json_and_csv() {
    let app = TestApp::spawn();
    let (hn, dn) = (app.token("gd.hn"), app.token("gd.dn"));
    litigation_case(
        &app,
        &hn,
        "TTTGPL-HN",
        Some("below_procuracy_proposal"),
        "2026-05-20",
    );
    litigation_case(&app, &hn, "TTTGPL-HN", None, "2026-05-21");
    litigation_case(&app, &hn, "TTTGPL-HN", Some("acquittal"), "2025-09-30");
    litigation_case(&app, &dn, "TTTGPL-DN", Some("lighter_charge"), "2026-06-01");

    let r = app.get(
        // The demo data has successful cases decided in early May; this period leaves them out.
        "/api/v1/reports/successful-litigation?from=2026-05-15&to=2026-09-30",
        &app.token("stp.hn"),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let report = r.json();
    assert_eq!(
        report["total"], 1,
        "one successful case of Hà Nội in the period"
    );
    assert_eq!(
        report["cases"][0]["success_kind"],
        "below_procuracy_proposal"
    );
    assert_eq!(
        report["cases"][0]["success_label"],
        "Mức án thấp hơn đề nghị của Viện Kiểm sát"
    );
    assert_eq!(
        report["cases"][0]["charge"],
        "Cố ý gây thương tích, Điều 134"
    );
    assert_eq!(report["cases"][0]["provider_name"], "Nguyễn Văn An");
    let national = app
        .get(
            "/api/v1/reports/successful-litigation?from=2026-05-15&to=2026-09-30",
            &app.token("cuc.xem"),
        )
        .json();
    assert_eq!(national["total"], 2);
    let older = app
        .get(
            "/api/v1/reports/successful-litigation?from=2025-09-01&to=2025-10-31",
            &app.admin(),
        )
        .json();
    assert_eq!(older["cases"][0]["success_kind"], "acquittal");
    let everything = app
        .get(
            "/api/v1/reports/successful-litigation?from=2025-01-01&to=2026-12-31",
            &app.admin(),
        )
        .json();
    assert_eq!(
        everything["total"], 6,
        "three of the tests and one demo case per province"
    );

    let csv = app.get(
        "/api/v1/reports/successful-litigation?from=2025-09-01&to=2026-09-30&format=csv",
        &app.admin(),
    );
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.raw.starts_with(b"\xEF\xBB\xBF"),
        "a UTF-8 byte order mark"
    );
    let lines: Vec<&str> = csv
        .body
        .trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        lines.len(),
        7,
        "a header and six cases (three of the tests, three of the demo)"
    );
    assert!(lines[0].starts_with("case_id,code,organization_code"));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("\"Cố ý gây thương tích, Điều 134\"")),
        "fields with commas are quoted"
    );

    app.get(
        "/api/v1/reports/successful-litigation?from=2026-02-01&to=2026-01-01",
        &hn,
    )
    .assert_problem(422, "validation_failed");
    app.get("/api/v1/reports/successful-litigation?from=2026-01-01", &hn)
        .assert_problem(422, "validation_failed");
    app.get(&format!("/api/v1/reports/successful-litigation?from=2026-01-01&to=2026-12-31&organization_id={}", app.org_id("TTTGPL-DN")), &hn)
        .assert_problem(404, "not_found");
}

/// Excel reads a CSV with a byte order mark as UTF-8, and runs cells that begin with `=`,
/// `+`, `-` or `@` as formulas unless they are made text.
#[test]
fn the_csv_report_opens_in_a_spreadsheet_as_written_and_runs_nothing() {
    let app = TestApp::spawn();
    let hn = app.token("gd.hn");
    charged_case(
        &app,
        &hn,
        "TTTGPL-HN",
        Some("acquittal"),
        "2026-05-20",
        "=HYPERLINK(\"http://example.com/x\",\"Xem chi tiết\")",
    );
    charged_case(
        &app,
        &hn,
        "TTTGPL-HN",
        Some("lighter_charge"),
        "2026-05-21",
        "-Trộm cắp tài sản, Điều 173",
    );
    let csv = app.get(
        "/api/v1/reports/successful-litigation?from=2026-05-15&to=2026-05-31&format=csv",
        &hn,
    );
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv
        .header("content-disposition")
        .unwrap()
        .contains("vu-viec-thanh-cong-2026-05-15-2026-05-31.csv"));
    assert_eq!(
        &csv.raw[..3],
        b"\xEF\xBB\xBF",
        "a UTF-8 byte order mark first"
    );
    let text = std::str::from_utf8(&csv.raw[3..]).expect("UTF-8");
    assert!(text.starts_with("case_id,code,"));
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://example.com/x\"\",\"\"Xem chi tiết\"\")\""),
        "the formula comes out as text: {text}"
    );
    assert!(!text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"));
    assert!(
        text.contains(",\"'-Trộm cắp tài sản, Điều 173\","),
        "{text}"
    );
    assert!(
        text.contains("Trung tâm Trợ giúp pháp lý nhà nước") && text.contains("Hà Nội"),
        "Vietnamese intact: {text}"
    );
    assert!(
        text.contains(",Được tuyên trắng án, vô tội,")
            || text.contains(",\"Được tuyên trắng án, vô tội\","),
        "{text}"
    );
}

#[test]
fn quality_samples_are_reproducible() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hcm");
    for day in 1..=12 {
        litigation_case(&app, &gd, "TTTGPL-HCM", None, &format!("2026-05-{day:02}"));
    }
    let center = app.org_id("TTTGPL-HCM");
    let url = |seed: u32| {
        // Cases closed today: the demo's were closed earlier in the year.
        format!("/api/v1/reports/quality-sample?organization_id={center}&from=2026-11-01&to=2026-12-31&share=0.25&seed={seed}")
    };
    let a = app.get(&url(7), &app.token("stp.hcm")).json();
    assert_eq!(a["population"], 12);
    assert_eq!(a["cases"].as_array().unwrap().len(), 3);
    let codes = |v: &Value| -> Vec<String> {
        v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_owned())
            .collect()
    };
    // The Department and the centre draw the same cases (each seeing its own next steps).
    let b = app.get(&url(7), &gd).json();
    assert_eq!(codes(&a), codes(&b), "same seed, same sample");
    let others: Vec<Vec<String>> = (1..=5)
        .map(|seed| codes(&app.get(&url(seed), &gd).json()))
        .collect();
    assert!(
        others.iter().any(|o| *o != codes(&a)),
        "other seeds draw other cases"
    );
    app.get(&format!("/api/v1/reports/quality-sample?organization_id={center}&from=2026-01-01&to=2026-12-31&share=0&seed=1"), &gd)
        .assert_problem(422, "validation_failed");
}

#[test]
fn requests_for_review_are_drafted_sent_answered_and_then_locked() {
    let app = TestApp::spawn();
    let (gd, tgv) = (app.token("gd.hn"), app.token("tgv.hn"));
    let legislation = |app: &TestApp| {
        app.get(
            "/api/v1/review-requests?kind=legislation",
            &app.token("stp.hn"),
        )
        .json()["total"]
            .as_i64()
            .unwrap()
    };
    let demo_legislation = legislation(&app);
    let body = json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "legislation", "addressee": "Bộ Tư pháp",
                      "content": "Kiến nghị sửa đổi quy định về diện người được trợ giúp pháp lý"});
    let r = app.post("/api/v1/review-requests", &tgv, body.clone());
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["state"], "draft");
    let path = format!(
        "/api/v1/review-requests/{}",
        r.json()["id"].as_str().unwrap()
    );
    app.post(&format!("{path}/answer"), &tgv, json!({"answer": "x"}))
        .assert_problem(409, "illegal_step");
    app.post(&format!("{path}/send"), &tgv, json!({}))
        .assert_problem(403, "forbidden");
    // Not before state legal aid began (a slip of the keyboard), nor in the future.
    for wrong in ["0001-01-01", "2099-01-01"] {
        let problem = app
            .post(&format!("{path}/send"), &gd, json!({"sent_on": wrong}))
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "sent_on", "{wrong}");
    }
    let r = app.post(
        &format!("{path}/send"),
        &gd,
        json!({"sent_on": "2026-06-01"}),
    );
    assert_eq!(r.json()["state"], "sent");
    app.post(
        &format!("{path}/answer"),
        &tgv,
        json!({"answered_on": "2026-05-01", "answer": "x"}),
    )
    .assert_problem(422, "validation_failed");
    let r = app.post(
        &format!("{path}/answer"),
        &tgv,
        json!({"answered_on": "2026-07-15", "answer": "Bộ sẽ nghiên cứu, tiếp thu"}),
    );
    assert_eq!(r.json()["state"], "answered");
    let etag = r.header("etag").unwrap().to_owned();
    app.request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"content": "x"}))
        .assert_problem(409, "review_locked");
    app.request("DELETE", &path)
        .bearer(&gd)
        .send()
        .assert_problem(409, "review_locked");
    app.post(&format!("{path}/send"), &gd, json!({}))
        .assert_problem(409, "illegal_step");

    let draft = app.post("/api/v1/review-requests", &tgv, json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "public_duty",
        "addressee": "Công an huyện", "content": "Kiến nghị về việc không thông báo cho Trung tâm"})).json();
    assert_eq!(
        app.request(
            "DELETE",
            &format!("/api/v1/review-requests/{}", draft["id"].as_str().unwrap())
        )
        .bearer(&gd)
        .send()
        .status,
        204
    );
    assert_eq!(legislation(&app), demo_legislation + 1);
    assert_eq!(
        app.get("/api/v1/review-requests?q=dien%20nguoi%20duoc", &gd)
            .json()["total"],
        1
    );
    app.get(&path, &app.token("gd.dn"))
        .assert_problem(404, "not_found");
    let wrong_case = app.post(
        "/api/v1/review-requests",
        &tgv,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "case_resolution",
        "addressee": "Tòa án", "content": "x", "case_id": "no-such-case"}),
    );
    assert_eq!(
        wrong_case.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "case_id"
    );
    // A request about a case is sent once the case was received, not before.
    let case = app.open_case(&gd, "2026-11-01");
    let r = app.post(
        "/api/v1/review-requests",
        &tgv,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "case_resolution",
        "addressee": "Tòa án", "content": "Kiến nghị về vụ việc", "case_id": case}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let about_case = format!(
        "/api/v1/review-requests/{}/send",
        r.json()["id"].as_str().unwrap()
    );
    let problem = app
        .post(&about_case, &gd, json!({"sent_on": "2026-10-01"}))
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "sent_on");
    let r = app.post(&about_case, &gd, json!({"sent_on": "2026-11-01"}));
    assert_eq!(r.status, 200, "{}", r.body);
}

/// A contracted lawyer does not see a request for review about a case they do not perform:
/// every step on it answers as an unknown one does, `send` included.
#[test]
fn a_request_for_review_outside_a_lawyers_cases_is_not_found_by_any_step() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = app.open_case(&gd, "2026-03-02");
    let draft = app.post(
        "/api/v1/review-requests",
        &app.token("tgv.hn"),
        json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "case_resolution",
               "addressee": "Tòa án", "content": "Kiến nghị", "case_id": case}),
    );
    assert_eq!(draft.status, 201, "{}", draft.body);
    let path = format!(
        "/api/v1/review-requests/{}",
        draft.json()["id"].as_str().unwrap()
    );
    let ls = app.token("ls.hn");
    app.get(&path, &ls).assert_problem(404, "not_found");
    for (step, body) in [("send", json!({})), ("answer", json!({"answer": "x"}))] {
        app.post(&format!("{path}/{step}"), &ls, body)
            .assert_problem(404, "not_found");
    }
}
