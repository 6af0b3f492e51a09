//! The requester of aid (a private person), and the aided person's record, are seen only by
//! those who may see the aided person: the organizations handling them and the data centre.
//! The Agency viewer and the Department see the cases without them, in every representation
//! of case data: the record's id would link one person's cases across the country.

use serde_json::{json, Value};
use tgpl_tests::TestApp;

const NAME: &str = "Phạm Thị Hoa";
const RELATION: &str = "Mẹ đẻ";
const PROPOSED_NAME: &str = "Phạm Thị Hồng";
const PROPOSED_RELATION: &str = "Chị gái";

/// Those who see the requester, and those who do not.
const SEE: [&str; 2] = ["gd.hn", "admin"];
const DO_NOT_SEE: [&str; 2] = ["cuc.xem", "stp.hn"];

/// A successful litigation case of the Hà Nội centre, requested by the aided person's
/// mother, closed, with a pending change request that corrects the requester.
fn requested_case(app: &TestApp) -> (String, String) {
    let gd = app.token("gd.hn");
    let recipient =
        app.get("/api/v1/recipients?q=tran%20van%20be", &gd).json()["items"][0]["id"].clone();
    let provider =
        app.get("/api/v1/staff?q=nguyen%20van%20an", &gd).json()["items"][0]["id"].clone();
    let r = app.post(
        "/api/v1/cases",
        &gd,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient, "received_on": "2026-03-01",
               "requester_name": NAME, "requester_relation": RELATION,
               "field": "criminal", "form": "litigation", "place": "detention", "summary": "Bào chữa cho người chưa thành niên",
               "litigation": {"role": "defence", "stage": "first_instance", "charge": "Trộm cắp tài sản, Điều 173",
                              "procedural_agency": "Tòa án nhân dân khu vực 2", "proposed_sentence": "2 năm tù"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["requester_name"], NAME);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    for (step, body) in [
        ("accept", json!({"on": "2026-03-02"})),
        ("assign_provider", json!({"provider_id": provider})),
        ("start", json!({})),
        (
            "complete",
            json!({"outcome": {"outcome": "Tòa tuyên 9 tháng tù cho hưởng án treo", "outcome_on": "2026-05-10",
                                        "defence_accepted": true, "success_kind": "below_procuracy_proposal"}}),
        ),
    ] {
        let r = app.post(&format!("/api/v1/cases/{id}/steps/{step}"), &gd, body);
        assert_eq!(r.status, 200, "{step}: {}", r.body);
    }
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "edit", "reason": "Ghi sai người yêu cầu", "cases": [{"case_id": id,
               "changes": {"requester_name": PROPOSED_NAME, "requester_relation": PROPOSED_RELATION, "field": "criminal"}}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let request = r.json()["id"].as_str().unwrap().to_owned();
    (id, request)
}

fn token(app: &TestApp, user: &str) -> String {
    if user == "admin" {
        app.admin()
    } else {
        app.token(user)
    }
}

fn assert_requester(case: &Value, seen: bool, what: &str) {
    if seen {
        assert_eq!(case["requester_name"], NAME, "{what}");
        assert_eq!(case["requester_relation"], RELATION, "{what}");
        assert!(case["recipient_id"].is_string(), "{what}: {case}");
    } else {
        assert!(case["requester_name"].is_null(), "{what}: {case}");
        assert!(case["requester_relation"].is_null(), "{what}: {case}");
        assert!(case["recipient_id"].is_null(), "{what}: {case}");
    }
}

fn assert_nothing_personal(body: &str, what: &str) {
    for private in [NAME, RELATION, PROPOSED_NAME, PROPOSED_RELATION] {
        assert!(!body.contains(private), "{what} shows {private}: {body}");
    }
}

#[test]
fn the_single_case_list_and_history_show_the_requester_only_to_those_who_see_the_person() {
    let app = TestApp::spawn();
    let (id, _) = requested_case(&app);
    let recipient = app
        .get(&format!("/api/v1/cases/{id}"), &app.token("gd.hn"))
        .json()["recipient_id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (users, seen) in [(SEE, true), (DO_NOT_SEE, false)] {
        for user in users {
            let t = token(&app, user);
            let single = app.get(&format!("/api/v1/cases/{id}"), &t);
            assert_eq!(single.status, 200, "{user}: {}", single.body);
            assert_requester(&single.json(), seen, &format!("single case as {user}"));

            let list = app.get("/api/v1/cases?form=litigation&page_size=100", &t);
            assert_eq!(list.status, 200, "{user}: {}", list.body);
            let listed = list.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id.as_str())
                .cloned()
                .unwrap_or_else(|| panic!("{user} lists the case"));
            assert_requester(&listed, seen, &format!("case list as {user}"));

            let history = app.get(&format!("/api/v1/cases/{id}/history"), &t);
            assert_eq!(history.status, 200, "{user}: {}", history.body);
            assert_nothing_personal(&history.body, &format!("history as {user}"));
            if !seen {
                assert_nothing_personal(&single.body, &format!("single case as {user}"));
                assert_nothing_personal(&list.body, &format!("case list as {user}"));
                for body in [&single.body, &list.body, &history.body] {
                    assert!(
                        !body.contains(&recipient),
                        "{user} links the person: {body}"
                    );
                }
            }
        }
    }
}

#[test]
fn reports_and_exports_show_no_requester_to_oversight() {
    let app = TestApp::spawn();
    let (id, _) = requested_case(&app);
    let center = app.org_id("TTTGPL-HN");
    for (users, seen) in [(SEE, true), (DO_NOT_SEE, false)] {
        for user in users {
            let t = token(&app, user);
            let sample = app.get(
                &format!("/api/v1/reports/quality-sample?organization_id={center}&from=2025-01-01&to=2027-12-31&share=1&seed=7"),
                &t,
            );
            assert_eq!(sample.status, 200, "{user}: {}", sample.body);
            let sampled = sample.json()["cases"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id.as_str())
                .cloned()
                .unwrap_or_else(|| panic!("{user}: the whole population is sampled"));
            assert_requester(&sampled, seen, &format!("quality sample as {user}"));

            for format in ["json", "csv"] {
                let report = app.get(
                    &format!("/api/v1/reports/successful-litigation?from=2026-05-01&to=2026-05-31&format={format}"),
                    &t,
                );
                assert_eq!(report.status, 200, "{user}: {}", report.body);
                assert!(
                    report.body.contains(&id),
                    "{user} {format}: the case is reported"
                );
                // The report carries no requester for anyone; for oversight that is the rule.
                assert_nothing_personal(&report.body, &format!("{format} report as {user}"));
            }
            if !seen {
                assert_nothing_personal(&sample.body, &format!("quality sample as {user}"));
            }
        }
    }
}

#[test]
fn change_requests_show_proposed_requesters_only_to_those_who_see_the_person() {
    let app = TestApp::spawn();
    let (_, request) = requested_case(&app);
    for (users, seen) in [(SEE, true), (DO_NOT_SEE, false)] {
        for user in users {
            let t = token(&app, user);
            let single = app.get(&format!("/api/v1/change-requests/{request}"), &t);
            assert_eq!(single.status, 200, "{user}: {}", single.body);
            let list = app.get("/api/v1/change-requests?page_size=100", &t);
            assert_eq!(list.status, 200, "{user}: {}", list.body);
            let listed = list.json()["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == request.as_str())
                .cloned()
                .unwrap_or_else(|| panic!("{user} lists the request"));
            for (view, what) in [(single.json(), "request"), (listed, "request list")] {
                let changes = &view["cases"][0]["changes"];
                assert_eq!(changes["field"], "criminal", "{what} as {user}: {view}");
                if seen {
                    assert_eq!(changes["requester_name"], PROPOSED_NAME, "{what} as {user}");
                    assert_eq!(changes["requester_relation"], PROPOSED_RELATION);
                } else {
                    assert!(changes.get("requester_name").is_none(), "{what} as {user}");
                    assert!(
                        changes.get("requester_relation").is_none(),
                        "{what} as {user}"
                    );
                }
            }
            if !seen {
                assert_nothing_personal(&single.body, &format!("request as {user}"));
                assert_nothing_personal(&list.body, &format!("request list as {user}"));
            }
        }
    }
    // The data centre decides with the whole proposal in front of it, and the answer shows it.
    let r = app.post(
        &format!("/api/v1/change-requests/{request}/approve"),
        &app.admin(),
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["cases"][0]["changes"]["requester_name"],
        PROPOSED_NAME
    );
}
