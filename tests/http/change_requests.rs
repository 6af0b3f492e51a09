use serde_json::json;
use tgpl_tests::TestApp;

#[test]
fn a_locked_case_is_edited_only_through_an_approved_request() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = app.closed_case(false);
    let id = case["id"].as_str().unwrap();
    let body = json!({"kind": "edit", "reason": "Nhập sai lĩnh vực", "cases": [{"case_id": id, "changes": {"field": "civil"}}]});
    let r = app.post("/api/v1/change-requests", &gd, body.clone());
    assert_eq!(r.status, 201, "{}", r.body);
    let request = r.json();
    assert_eq!(request["status"], "pending");
    let again = app.post("/api/v1/change-requests", &gd, body);
    assert_eq!(
        again.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "pending_request"
    );

    let path = format!(
        "/api/v1/change-requests/{}",
        request["id"].as_str().unwrap()
    );
    for user in ["gd.hn", "stp.hn", "cuc.xem"] {
        app.post(&format!("{path}/approve"), &app.token(user), json!({}))
            .assert_problem(403, "forbidden");
    }
    assert_eq!(
        app.get(&format!("/api/v1/cases/{id}"), &gd).json()["field"],
        "land",
        "nothing changed before approval"
    );
    let queue = app
        .get("/api/v1/change-requests?status=pending", &app.admin())
        .json();
    assert_eq!(queue["total"], 1);

    let r = app.post(
        &format!("{path}/approve"),
        &app.admin(),
        json!({"reason": "Đồng ý"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "approved");
    assert_eq!(r.json()["decided_by"], "admin");
    let case = app.get(&format!("/api/v1/cases/{id}"), &gd).json();
    assert_eq!(case["field"], "civil");
    assert_eq!(case["state"], "completed", "still locked");
    let history = app.get(&format!("/api/v1/cases/{id}/history"), &gd).json();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["step"], "change_request_edit");
    assert_eq!(last["details"]["requested_by"], "gd.hn");
    app.post(&format!("{path}/approve"), &app.admin(), json!({}))
        .assert_problem(409, "already_decided");
    let audit = app
        .get(
            &format!("/api/v1/audit-log?action=case.update&resource_id={id}"),
            &app.admin(),
        )
        .json();
    assert_eq!(audit["items"][0]["actor"]["username"], "admin");
    assert_eq!(audit["items"][0]["before"]["field"], "land");
}

#[test]
fn requests_are_only_for_what_the_unit_cannot_do_itself() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let open = app.open_case(&gd, "2026-04-01");
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "delete", "reason": "x", "cases": [{"case_id": open}]}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_needed"
    );
    let locked = app.closed_case(false);
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "unarchive", "reason": "x", "cases": [{"case_id": locked["id"]}]}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_needed"
    );
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "edit", "reason": "x", "cases": [{"case_id": locked["id"]}]}),
    );
    r.assert_problem(422, "validation_failed");
    let r = app.post(
        "/api/v1/change-requests",
        &app.token("gd.dn"),
        json!({"kind": "delete", "reason": "x", "cases": [{"case_id": locked["id"]}]}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "unknown_case"
    );
}

#[test]
fn deletion_and_unarchiving_of_several_cases_at_once_or_a_reasoned_rejection() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let (a, b) = (app.closed_case(true), app.closed_case(true));
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "unarchive", "reason": "Bổ sung tài liệu vào hồ sơ", "cases": [{"case_id": a["id"]}, {"case_id": b["id"]}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let path = format!(
        "/api/v1/change-requests/{}",
        r.json()["id"].as_str().unwrap()
    );
    app.post(&format!("{path}/reject"), &app.admin(), json!({}))
        .assert_problem(422, "validation_failed");
    let r = app.post(&format!("{path}/approve"), &app.admin(), json!({}));
    assert_eq!(r.status, 200, "{}", r.body);
    for case in [&a, &b] {
        let now = app
            .get(
                &format!("/api/v1/cases/{}", case["id"].as_str().unwrap()),
                &gd,
            )
            .json();
        assert_eq!(
            now["state"], "completed",
            "back to the state it was archived from"
        );
    }
    // A deletion request rejected with its reason changes nothing.
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "delete", "reason": "Nhập trùng", "cases": [{"case_id": a["id"]}]}),
    );
    let path = format!(
        "/api/v1/change-requests/{}",
        r.json()["id"].as_str().unwrap()
    );
    let r = app.post(
        &format!("{path}/reject"),
        &app.admin(),
        json!({"reason": "Không phải vụ việc trùng"}),
    );
    assert_eq!(r.json()["status"], "rejected");
    assert_eq!(r.json()["decision_reason"], "Không phải vụ việc trùng");
    assert_eq!(
        app.get(&format!("/api/v1/cases/{}", a["id"].as_str().unwrap()), &gd)
            .status,
        200
    );
    // Approved, it deletes.
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "delete", "reason": "Nhập trùng", "cases": [{"case_id": b["id"]}]}),
    );
    let path = format!(
        "/api/v1/change-requests/{}",
        r.json()["id"].as_str().unwrap()
    );
    assert_eq!(
        app.post(&format!("{path}/approve"), &app.admin(), json!({}))
            .status,
        200
    );
    app.get(&format!("/api/v1/cases/{}", b["id"].as_str().unwrap()), &gd)
        .assert_problem(404, "not_found");
    // The unit sees its requests; another province does not.
    assert_eq!(app.get("/api/v1/change-requests", &gd).json()["total"], 3);
    assert_eq!(
        app.get("/api/v1/change-requests", &app.token("gd.dn"))
            .json()["total"],
        0
    );
    app.get(&path, &app.token("gd.dn"))
        .assert_problem(404, "not_found");
}

/// An edit asked of the data centre leaves the case as the steps would: a completed
/// litigation case says whether the defence view was accepted, an outcome falls between the
/// receipt and the closing; a refusal names the field inside its item; an edit that changes
/// nothing is not asked for.
#[test]
fn an_edit_requested_keeps_the_case_whole_and_changes_something() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let locked = app.closed_case(false);
    let id = locked["id"].as_str().unwrap();
    let closed_on = locked["closed_on"].as_str().unwrap().to_owned();
    let refused = |changes: serde_json::Value| {
        app.post(
            "/api/v1/change-requests",
            &gd,
            json!({"kind": "edit", "reason": "Sửa sai", "cases": [{"case_id": id, "changes": changes}]}),
        )
        .refused_field()
    };
    assert_eq!(
        refused(json!({"form": "litigation", "field": "criminal"})),
        (
            "cases[0].changes.defence_accepted".to_owned(),
            "required".to_owned()
        )
    );
    assert_eq!(
        refused(
            json!({"form": "litigation", "field": "criminal", "defence_accepted": false, "outcome_on": "2099-01-01"})
        ),
        (
            "cases[0].changes.outcome_on".to_owned(),
            "out_of_order".to_owned()
        )
    );
    assert_eq!(
        refused(json!({"received_on": "2026-12-31"})).0,
        "cases[0].changes.received_on"
    );
    assert_eq!(
        refused(json!({})),
        ("cases[0].changes".to_owned(), "no_change".to_owned())
    );
    // Every item's refusal at once.
    let other = app.closed_case(false);
    let problem = app
        .post(
            "/api/v1/change-requests",
            &gd,
            json!({"kind": "edit", "reason": "Sửa sai", "cases": [
                {"case_id": id, "changes": {}},
                {"case_id": other["id"], "changes": {"received_on": "2026-12-31"}}]}),
        )
        .assert_problem(422, "validation_failed");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["cases[0].changes", "cases[1].changes.received_on"],
        "{problem}"
    );
    // Whole, it is asked for.
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "edit", "reason": "Sửa sai", "cases": [{"case_id": id, "changes":
            {"form": "litigation", "field": "criminal", "defence_accepted": false, "outcome_on": closed_on}}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

/// A case recorded as litigation by mistake goes back to counselling: `null` clears the
/// proceedings and the outcome, where a field left out keeps them (and the form alone is
/// refused, since the proceedings would stay). The request shows only what it changes.
#[test]
fn a_case_recorded_as_litigation_by_mistake_is_corrected_back() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let locked = app.closed_case(false);
    let id = locked["id"].as_str().unwrap();
    let closed_on = locked["closed_on"].as_str().unwrap().to_owned();
    let approved = |changes: serde_json::Value| {
        let r = app.post(
            "/api/v1/change-requests",
            &gd,
            json!({"kind": "edit", "reason": "Sửa sai", "cases": [{"case_id": id, "changes": changes}]}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let request = r.json();
        let path = format!(
            "/api/v1/change-requests/{}",
            request["id"].as_str().unwrap()
        );
        let r = app.post(&format!("{path}/approve"), &app.admin(), json!({}));
        assert_eq!(r.status, 200, "{}", r.body);
        (request, app.get(&format!("/api/v1/cases/{id}"), &gd).json())
    };
    let (_, case) = approved(json!({"form": "litigation", "field": "criminal",
        "litigation": {"role": "defence"}, "defence_accepted": false, "outcome_on": closed_on}));
    assert_eq!(case["form"], "litigation");
    assert_eq!(case["litigation"]["role"], "defence");

    let problem = app
        .post(
            "/api/v1/change-requests",
            &gd,
            json!({"kind": "edit", "reason": "Sửa sai", "cases": [{"case_id": id, "changes": {"form": "counselling"}}]}),
        )
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "not_litigation", "{problem}");

    let (request, case) = approved(json!({"form": "counselling", "litigation": null,
        "defence_accepted": null, "outcome_on": null, "group_ref": null}));
    assert_eq!(
        request["cases"][0]["changes"],
        json!({"form": "counselling", "litigation": null, "defence_accepted": null,
            "outcome_on": null, "group_ref": null}),
        "null is kept as sent, what was left out is not shown"
    );
    assert_eq!(case["form"], "counselling");
    assert_eq!(case["field"], "criminal", "left out, kept");
    for cleared in ["litigation", "defence_accepted", "outcome_on", "group_ref"] {
        assert!(case[cleared].is_null(), "{cleared}: {case}");
    }
}
