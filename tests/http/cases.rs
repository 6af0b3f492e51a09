use serde_json::{json, Value};
use tgpl_tests::TestApp;

/// A demo recipient of the province's centre.
fn recipient(app: &TestApp, token: &str) -> String {
    let r = app.get("/api/v1/recipients?q=tran%20van%20be", token);
    r.json()["items"][0]["id"].as_str().unwrap().to_owned()
}

fn staff_id(app: &TestApp, token: &str, name: &str) -> String {
    let r = app.get(
        &format!("/api/v1/staff?q={}", name.replace(' ', "%20")),
        token,
    );
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["full_name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn new_case(app: &TestApp, token: &str, center: &str, form: &str) -> Value {
    let mut body = json!({"organization_id": app.org_id(center), "recipient_id": recipient(app, token), "received_on": "2026-03-02",
                      "field": "criminal", "form": form, "place": "detention", "group_ref": "VA-2026-15",
                      "summary": "Bào chữa cho bị can 16 tuổi trong vụ trộm cắp tài sản"});
    if form == "litigation" {
        body["litigation"] = json!({"role": "defence"});
    }
    let r = app.post("/api/v1/cases", token, body);
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

fn step(app: &TestApp, token: &str, case: &str, step: &str, body: Value) -> tgpl_tests::Resp {
    app.post(&format!("/api/v1/cases/{case}/steps/{step}"), token, body)
}

#[test]
fn a_case_goes_from_request_to_archive_with_its_history() {
    let app = TestApp::spawn();
    let (gd, tgv) = (app.token("gd.hn"), app.token("tgv.hn"));
    let case = new_case(&app, &tgv, "TTTGPL-HN", "litigation");
    assert!(case["code"]
        .as_str()
        .unwrap()
        .starts_with("TTTGPL-HN-2026-"));
    assert_eq!(case["state"], "received");
    let id = case["id"].as_str().unwrap().to_owned();
    let provider = staff_id(&app, &gd, "Nguyễn Văn An");

    step(&app, &tgv, &id, "accept", json!({})).assert_problem(403, "forbidden");
    let r = step(&app, &gd, &id, "accept", json!({"on": "2026-03-03"}));
    assert_eq!(r.json()["accepted_on"], "2026-03-03");
    assert_eq!(
        step(
            &app,
            &gd,
            &id,
            "assign_provider",
            json!({"provider_id": provider})
        )
        .json()["provider_kind"],
        "legal_aid_officer"
    );
    assert_eq!(
        step(&app, &tgv, &id, "start", json!({})).json()["state"],
        "in_progress"
    );
    let r = step(
        &app,
        &tgv,
        &id,
        "complete",
        json!({"outcome": {"outcome": "Tòa tuyên 2 năm tù treo", "defence_accepted": true}}),
    );
    // Named where it was sent, as `outcome.defence_accepted` is.
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "outcome.success_kind"
    );
    let r = step(
        &app,
        &tgv,
        &id,
        "complete",
        json!({"outcome": {"outcome": "Tòa tuyên 2 năm tù treo", "defence_accepted": true, "success_kind": "below_procuracy_proposal"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["locked"], true);
    let r = step(
        &app,
        &app.token("stp.hn"),
        &id,
        "evaluate_quality",
        json!({"grade": "good"}),
    );
    assert_eq!(r.json()["quality"]["grade"], "good");
    assert_eq!(
        step(&app, &tgv, &id, "archive", json!({})).json()["state"],
        "archived"
    );

    let history = app.get(&format!("/api/v1/cases/{id}/history"), &tgv).json();
    let steps: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        vec![
            "receive",
            "accept",
            "assign_provider",
            "start",
            "complete",
            "evaluate_quality",
            "archive"
        ]
    );
    assert_eq!(history[2]["actor_username"], "gd.hn");
}

#[test]
fn illegal_steps_answer_409_with_what_is_allowed() {
    let app = TestApp::spawn();
    let gd = app.token("gd.dn");
    let case = new_case(&app, &gd, "TTTGPL-DN", "counselling");
    let id = case["id"].as_str().unwrap();
    let all = [
        "accept",
        "refuse",
        "assign_provider",
        "change_provider",
        "start",
        "complete",
        "discontinue",
        "withdraw",
        "transfer_out",
        "evaluate_quality",
        "archive",
    ];
    for illegal in [
        "assign_provider",
        "change_provider",
        "start",
        "complete",
        "discontinue",
        "evaluate_quality",
        "archive",
    ] {
        let body = step(&app, &gd, id, illegal, json!({})).assert_problem(409, "illegal_step");
        assert_eq!(body["state"], "received");
        assert_eq!(
            body["allowed_steps"],
            json!(["accept", "refuse", "withdraw", "transfer_out"]),
            "{illegal}"
        );
    }
    assert_eq!(all.len(), 11);
    // Said for people in their words; the codes are in the fields above.
    let body = step(&app, &gd, id, "start", json!({})).assert_problem(409, "illegal_step");
    assert_eq!(
        body["detail"],
        "Không thể thực hiện bước \"Bắt đầu thực hiện\" khi vụ việc đang ở trạng thái \"Đã tiếp nhận yêu cầu\"."
    );
    step(&app, &gd, id, "fly", json!({})).assert_problem(404, "not_found");
    step(&app, &gd, id, "refuse", json!({})).assert_problem(422, "validation_failed");
    let r = step(
        &app,
        &gd,
        id,
        "refuse",
        json!({"reason": "Không thuộc diện được trợ giúp pháp lý"}),
    );
    assert_eq!(r.json()["state"], "refused");
    for any in all {
        step(&app, &gd, id, any, json!({"reason": "x"})).assert_problem(409, "illegal_step");
    }
}

#[test]
fn closed_cases_are_locked_for_everyone() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hcm");
    let case = new_case(&app, &gd, "TTTGPL-HCM", "counselling");
    let id = case["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/cases/{id}");
    let r = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", "\"1\"")
        .json(json!({"summary": "Tư vấn về thừa kế đất đai"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let provider = staff_id(&app, &gd, "Nguyễn Văn An");
    step(&app, &gd, &id, "accept", json!({}));
    step(
        &app,
        &gd,
        &id,
        "assign_provider",
        json!({"provider_id": provider}),
    );
    step(&app, &gd, &id, "start", json!({}));
    let done = step(&app, &gd, &id, "complete", json!({}));
    let etag = done.header("etag").unwrap().to_owned();
    for user in ["gd.hcm", "tgv.hcm"] {
        app.request("PATCH", &path)
            .bearer(&app.token(user))
            .header("If-Match", &etag)
            .json(json!({"summary": "x"}))
            .assert_problem(409, "case_locked");
        app.request("DELETE", &path)
            .bearer(&app.token(user))
            .send()
            .assert_problem(409, "case_locked");
    }
    // The data centre changes cases only by approving change requests.
    app.request("PATCH", &path)
        .bearer(&app.admin())
        .header("If-Match", &etag)
        .json(json!({"summary": "x"}))
        .assert_problem(403, "forbidden");
    app.post(&format!("{path}/steps/archive"), &app.admin(), json!({}))
        .assert_problem(403, "forbidden");
    assert_eq!(
        app.get(&path, &gd).json()["summary"],
        "Tư vấn về thừa kế đất đai"
    );
}

#[test]
fn open_cases_are_deleted_softly_and_codes_are_never_reused() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let first = new_case(&app, &gd, "TTTGPL-HN", "counselling");
    let path = format!("/api/v1/cases/{}", first["id"].as_str().unwrap());
    assert_eq!(app.request("DELETE", &path).bearer(&gd).send().status, 204);
    app.get(&path, &gd).assert_problem(404, "not_found");
    let second = new_case(&app, &gd, "TTTGPL-HN", "counselling");
    assert_ne!(first["code"], second["code"]);
    let audit = app
        .get(
            &format!(
                "/api/v1/audit-log?action=case.delete&resource_id={}",
                first["id"].as_str().unwrap()
            ),
            &app.admin(),
        )
        .json();
    assert_eq!(audit["total"], 1);
}

/// Cases created at the same moment in one centre each get a number of their own, also for
/// the first cases of a year, whose counter does not exist yet.
#[test]
fn concurrent_creations_get_distinct_codes() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let body = json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient(&app, &gd),
                      "received_on": "2025-12-30", "field": "civil", "form": "counselling",
                      "place": "at_office", "summary": "Tư vấn pháp luật dân sự"});
    let codes: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    (0..3)
                        .map(|_| {
                            let r = app.post("/api/v1/cases", &gd, body.clone());
                            assert_eq!(r.status, 201, "{}", r.body);
                            r.json()["code"].as_str().unwrap().to_owned()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let mut numbers: Vec<u32> = codes
        .iter()
        .map(|c| {
            assert!(c.contains("-2025-"), "{c}");
            c.rsplit('-').next().unwrap().parse().unwrap()
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=24).collect::<Vec<_>>(), "{codes:?}");
}

#[test]
fn a_collaborator_with_a_revoked_card_cannot_be_assigned() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = new_case(&app, &gd, "TTTGPL-HN", "counselling");
    let id = case["id"].as_str().unwrap();
    step(&app, &gd, id, "accept", json!({}));
    let revoked = staff_id(&app, &gd, "Hoàng Văn Em");
    let r = step(
        &app,
        &gd,
        id,
        "assign_provider",
        json!({"provider_id": revoked}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "no_valid_card"
    );
    let accountant = staff_id(&app, &gd, "Đỗ Thị Giang");
    let r = step(
        &app,
        &gd,
        id,
        "assign_provider",
        json!({"provider_id": accountant}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_a_provider"
    );
    let valid = staff_id(&app, &gd, "Phạm Thị Dung");
    let r = step(
        &app,
        &gd,
        id,
        "assign_provider",
        json!({"provider_id": valid}),
    );
    assert_eq!(r.json()["provider_kind"], "collaborator");
    step(
        &app,
        &gd,
        id,
        "change_provider",
        json!({"provider_id": valid, "reason": "x"}),
    )
    .assert_problem(422, "validation_failed");
    let officer = staff_id(&app, &gd, "Nguyễn Văn An");
    step(
        &app,
        &gd,
        id,
        "change_provider",
        json!({"provider_id": officer}),
    )
    .assert_problem(422, "validation_failed");
    let r = step(
        &app,
        &gd,
        id,
        "change_provider",
        json!({"provider_id": officer, "reason": "Cộng tác viên ốm"}),
    );
    assert_eq!(r.json()["provider_id"], officer);
}

#[test]
fn a_transfer_is_seen_from_both_provinces() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = new_case(&app, &gd, "TTTGPL-HN", "litigation");
    let id = case["id"].as_str().unwrap().to_owned();
    step(&app, &gd, &id, "accept", json!({}));
    let r = step(
        &app,
        &gd,
        &id,
        "transfer_out",
        json!({"to_organization_id": app.org_id("TTTGPL-HN-CN1")}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_another_province_centre"
    );
    let r = step(
        &app,
        &gd,
        &id,
        "transfer_out",
        json!({"to_organization_id": app.org_id("TTTGPL-DN"), "reason": "Bị can chuyển nơi tạm giam"}),
    );
    assert_eq!(r.json()["state"], "transferred_out");
    // The receiving centre's case was made from it: the sender no longer edits or deletes it.
    assert_eq!(r.json()["locked"], true);
    let etag = r.header("etag").unwrap().to_owned();
    app.request("DELETE", &format!("/api/v1/cases/{id}"))
        .bearer(&gd)
        .header("If-Match", &etag)
        .send()
        .assert_problem(409, "case_locked");
    // The receiving centre sees a case transferred in, with the history it came with.
    let received = app
        .get("/api/v1/cases?state=received", &app.token("gd.dn"))
        .json();
    let incoming = received["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["transferred_from_case_id"] == id.as_str())
        .unwrap()
        .clone();
    assert!(incoming["code"].as_str().unwrap().starts_with("TTTGPL-DN-"));
    let history = app
        .get(
            &format!("/api/v1/cases/{}/history", incoming["id"].as_str().unwrap()),
            &app.token("gd.dn"),
        )
        .json();
    let steps: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, vec!["receive", "accept", "transfer_out", "receive"]);
    // The recipient is now visible to the receiving centre too, and the sender keeps its case.
    let recipient = app.get(
        &format!(
            "/api/v1/recipients/{}",
            case["recipient_id"].as_str().unwrap()
        ),
        &app.token("tgv.dn"),
    );
    assert_eq!(recipient.status, 200);
    assert_eq!(
        app.get(&format!("/api/v1/cases/{id}"), &gd).json()["transferred_to_organization_id"],
        app.org_id("TTTGPL-DN")
    );
    app.get(&format!("/api/v1/cases/{id}"), &app.token("gd.dn"))
        .assert_problem(404, "not_found");
}

#[test]
fn another_province_cannot_see_or_touch_a_case() {
    let app = TestApp::spawn();
    let case = new_case(&app, &app.token("gd.hn"), "TTTGPL-HN", "counselling");
    let path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
    for user in ["gd.dn", "tgv.dn", "stp.dn"] {
        let token = app.token(user);
        app.get(&path, &token).assert_problem(404, "not_found");
        app.request("PATCH", &path)
            .bearer(&token)
            .header("If-Match", "\"1\"")
            .json(json!({"summary": "x"}))
            .assert_problem(404, "not_found");
        app.post(&format!("{path}/steps/accept"), &token, json!({}))
            .assert_problem(404, "not_found");
    }
    assert_eq!(
        app.get(&path, &app.token("stp.hn")).status,
        200,
        "the Department oversees its province"
    );
    let (portal, secret) = tgpl_api::demo::PORTAL_CLIENT;
    let portal = app.client_grant(portal, secret).json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.get("/api/v1/cases", &portal)
        .assert_problem(403, "forbidden");
}

#[test]
fn stale_etags_lose_nothing() {
    let app = TestApp::spawn();
    let (gd, tgv) = (app.token("gd.hn"), app.token("tgv.hn"));
    let case = new_case(&app, &gd, "TTTGPL-HN", "counselling");
    let path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
    let first = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", "\"1\"")
        .json(json!({"summary": "Bản của lãnh đạo"}));
    assert_eq!(first.status, 200);
    app.request("PATCH", &path)
        .bearer(&tgv)
        .header("If-Match", "\"1\"")
        .json(json!({"summary": "Bản của trợ giúp viên"}))
        .assert_problem(412, "precondition_failed");
    app.request("POST", &format!("{path}/steps/accept"))
        .bearer(&gd)
        .header("If-Match", "\"1\"")
        .json(json!({}))
        .assert_problem(412, "precondition_failed");
    assert_eq!(app.get(&path, &gd).json()["summary"], "Bản của lãnh đạo");
}

#[test]
fn lists_filter_and_search_cases() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    new_case(&app, &gd, "TTTGPL-HN", "litigation");
    new_case(&app, &gd, "TTTGPL-HN", "counselling");
    let r = app
        .get("/api/v1/cases?q=bi%20can%2016%20tuoi&form=litigation", &gd)
        .json();
    assert_eq!(
        r["total"], 1,
        "search over the summary without diacritics, with a filter"
    );
    assert_eq!(
        app.get(
            "/api/v1/cases?q=bi%20can%2016%20tuoi&state=received,accepted&sort=code",
            &gd
        )
        .json()["total"],
        2
    );
    assert_eq!(
        app.get("/api/v1/cases?q=bi%20can%2016%20tuoi", &app.token("gd.dn"))
            .json()["total"],
        0
    );
    app.get("/api/v1/cases?state=flying", &gd)
        .assert_problem(422, "validation_failed");
    // Demo cases: every state of the life cycle is represented.
    let all = app.get("/api/v1/cases?page_size=100", &gd).json();
    let mut states: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap().to_owned())
        .collect();
    states.sort();
    states.dedup();
    assert_eq!(states.len(), 11, "{states:?}");
    assert!(
        app.get("/api/v1/cases?recipient_category=elderly", &gd)
            .json()["total"]
            .as_i64()
            .unwrap()
            >= 1
    );
}

#[test]
fn the_aided_persons_name_is_searched_only_by_those_who_may_see_it() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = new_case(&app, &gd, "TTTGPL-HN", "counselling");
    let found = app.get("/api/v1/cases?q=TRAN%20VAN%20BE", &gd).json();
    assert!(
        found["total"].as_i64().unwrap() >= 1,
        "the centre finds its cases by the person's name"
    );
    let log = app
        .get(
            &format!(
                "/api/v1/recipient-access-log?recipient_id={}",
                case["recipient_id"].as_str().unwrap()
            ),
            &app.admin(),
        )
        .json();
    assert!(
        log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["access"] == "case_search"),
        "and that search is logged"
    );
    let stp = app.token("stp.hn");
    assert_eq!(
        app.get("/api/v1/cases?q=TRAN%20VAN%20BE", &stp).json()["total"],
        0,
        "the Department cannot search by name"
    );
    let seen = app
        .get(
            &format!("/api/v1/cases/{}", case["id"].as_str().unwrap()),
            &stp,
        )
        .json();
    assert!(seen["requester_name"].is_null());
    app.get(
        &format!(
            "/api/v1/cases?recipient_id={}",
            case["recipient_id"].as_str().unwrap()
        ),
        &stp,
    )
    .assert_problem(403, "forbidden");
}

#[test]
fn the_data_centre_does_no_casework() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let recipient = app
        .get("/api/v1/recipients?q=tran%20van%20be", &admin)
        .json()["items"][0]["id"]
        .clone();
    let r = app.post(
        "/api/v1/cases",
        &admin,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient, "received_on": "2026-03-02",
               "field": "criminal", "form": "counselling", "place": "at_office", "summary": "x"}),
    );
    r.assert_problem(403, "forbidden");
}

/// Dates that cannot be: a receipt before state legal aid existed; an outcome after the case
/// ended on it. A litigation case ends saying whether the defence view was accepted.
#[test]
fn a_case_keeps_its_dates_possible_and_litigation_ends_with_its_outcome() {
    let app = TestApp::spawn();
    let gd = app.token("gd.dn");
    let body = json!({"organization_id": app.org_id("TTTGPL-DN"), "recipient_id": recipient(&app, &gd),
                      "received_on": "1900-01-01", "field": "civil", "form": "counselling",
                      "place": "at_office", "summary": "Tư vấn"});
    let problem = app
        .post("/api/v1/cases", &gd, body)
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "before_legal_aid");
    let case = new_case(&app, &gd, "TTTGPL-DN", "litigation");
    let id = case["id"].as_str().unwrap();
    let lawyer = staff_id(&app, &gd, "Nguyễn Văn An");
    for (name, body) in [
        ("accept", json!({"on": "2026-03-03"})),
        (
            "assign_provider",
            json!({"provider_id": lawyer, "on": "2026-03-04"}),
        ),
        ("start", json!({"on": "2026-03-05"})),
    ] {
        let r = step(&app, &gd, id, name, body);
        assert_eq!(r.status, 200, "{name}: {}", r.body);
    }
    let complete = |body: Value| app.post(&format!("/api/v1/cases/{id}/steps/complete"), &gd, body);
    let problem = complete(json!({"on": "2026-06-01"})).assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "outcome.defence_accepted");
    let problem = complete(json!({"on": "2026-06-01", "outcome": {"outcome_on": "2026-06-02", "defence_accepted": false}}))
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "out_of_range");
    let done = complete(
        json!({"on": "2026-06-01", "outcome": {"outcome_on": "2026-05-30", "defence_accepted": false}}),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.json()["defence_accepted"], false);
}

/// A contracted lawyer works the cases they perform, and only those (seed 003 §c: "cập nhật
/// vụ việc do luật sư thực hiện"); they neither record the centre's requests nor delete them.
/// The centre's own people work every case of the centre.
#[test]
fn a_contracted_lawyer_works_only_the_cases_they_perform() {
    let app = TestApp::spawn();
    let (gd, ls) = (app.token("gd.hn"), app.token("ls.hn"));
    let lawyer = staff_id(&app, &gd, "Lê Minh Cường");
    let officer = staff_id(&app, &gd, "Lò Thị Mai");
    let theirs = app.open_case(&gd, "2026-11-01");
    let others = app.open_case(&gd, "2026-11-01");
    for (case, provider) in [(&theirs, &lawyer), (&others, &officer)] {
        let r = step(&app, &gd, case, "accept", json!({"on": "2026-11-02"}));
        assert_eq!(r.status, 200, "{}", r.body);
        let r = step(
            &app,
            &gd,
            case,
            "assign_provider",
            json!({"on": "2026-11-03", "provider_id": provider}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // Someone else's case is hidden from them, as are its person and its papers.
    let path = format!("/api/v1/cases/{others}");
    let etag = app.get(&path, &gd).header("etag").unwrap().to_owned();
    for hidden in [
        path.clone(),
        format!("{path}/history"),
        format!("{path}/attachments"),
    ] {
        app.get(&hidden, &ls).assert_problem(404, "not_found");
    }
    step(&app, &ls, &others, "start", json!({"on": "2026-11-04"})).assert_problem(404, "not_found");
    app.request("PATCH", &path)
        .bearer(&ls)
        .header("If-Match", &etag)
        .json(json!({"summary": "Sửa hộ"}))
        .assert_problem(404, "not_found");
    app.request("DELETE", &path)
        .bearer(&ls)
        .header("If-Match", &etag)
        .send()
        .assert_problem(404, "not_found");
    let listed = app.get("/api/v1/cases?page_size=100", &ls).json();
    let providers: Vec<&Value> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["provider_id"])
        .collect();
    assert!(
        !providers.is_empty() && providers.iter().all(|p| **p == json!(lawyer)),
        "{listed}"
    );
    let people = app.get("/api/v1/recipients?page_size=100", &ls).json();
    let centre_people = app.get("/api/v1/recipients?page_size=100", &gd).json()["total"]
        .as_i64()
        .unwrap();
    assert!(
        people["total"].as_i64().unwrap() < centre_people,
        "only the people of their cases: {people}"
    );
    for person in people["items"].as_array().unwrap() {
        let theirs = app
            .get(
                &format!(
                    "/api/v1/cases?recipient_id={}",
                    person["id"].as_str().unwrap()
                ),
                &ls,
            )
            .json();
        assert!(theirs["total"].as_i64().unwrap() > 0, "{person}");
    }
    let others_person = app.get(&path, &gd).json()["recipient_id"].clone();
    let lawyer_case_people: Vec<&Value> = people["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["id"])
        .collect();
    if !lawyer_case_people.contains(&&others_person) {
        app.get(
            &format!("/api/v1/recipients/{}", others_person.as_str().unwrap()),
            &ls,
        )
        .assert_problem(404, "not_found");
    }
    app.post(
        "/api/v1/recipients",
        &ls,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "full_name": "Trần Văn Mới",
               "gender": "male", "date_of_birth": "1990-01-01"}),
    )
    .assert_problem(403, "forbidden");
    // Their own: worked, but not deleted; and no request recorded.
    let r = step(&app, &ls, &theirs, "start", json!({"on": "2026-11-04"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let own = format!("/api/v1/cases/{theirs}");
    let etag = app.get(&own, &ls).header("etag").unwrap().to_owned();
    app.request("DELETE", &own)
        .bearer(&ls)
        .header("If-Match", &etag)
        .send()
        .assert_problem(403, "forbidden");
    // They complete their work; the centre files it, after its evaluation if any.
    let r = step(&app, &ls, &theirs, "complete", json!({"on": "2026-11-05"}));
    assert_eq!(r.status, 200, "{}", r.body);
    step(&app, &ls, &theirs, "archive", json!({"on": "2026-11-05"}))
        .assert_problem(403, "forbidden");
    let recipient =
        app.get("/api/v1/recipients?q=lo%20van%20pao", &ls).json()["items"][0]["id"].clone();
    app.post(
        "/api/v1/cases",
        &ls,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient,
               "received_on": "2026-11-01", "field": "land", "form": "counselling",
               "place": "at_office", "summary": "x"}),
    )
    .assert_problem(403, "forbidden");
    // Nor does a request around the rule do it: no deletion asked of the data centre, no
    // request for review about someone else's case or about none.
    app.post(
        "/api/v1/change-requests",
        &ls,
        json!({"kind": "delete", "reason": "x", "cases": [{"case_id": theirs}]}),
    )
    .assert_problem(403, "forbidden");
    let review_about = |case: Value| {
        app.post(
            "/api/v1/review-requests",
            &ls,
            json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "case_resolution",
                   "addressee": "Tòa án", "content": "Kiến nghị", "case_id": case}),
        )
    };
    let problem = review_about(json!(others)).assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "unknown_case", "{problem}");
    review_about(Value::Null).assert_problem(403, "forbidden");
    let r = app.post(
        "/api/v1/review-requests",
        &ls,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "case_resolution",
               "addressee": "Tòa án", "content": "Kiến nghị", "case_id": theirs}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    // The centre's requests for review about other cases, or about none, are not theirs
    // to read.
    let r = app.post(
        "/api/v1/review-requests",
        &gd,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "kind": "case_resolution",
               "addressee": "Tòa án", "content": "Kiến nghị", "case_id": others}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    app.get(
        &format!(
            "/api/v1/review-requests/{}",
            r.json()["id"].as_str().unwrap()
        ),
        &ls,
    )
    .assert_problem(404, "not_found");
    let reviews = app.get("/api/v1/review-requests?page_size=100", &ls).json();
    assert_eq!(reviews["total"], 1, "{reviews}");
    assert_eq!(reviews["items"][0]["case_id"], json!(theirs));
    assert_eq!(
        app.get("/api/v1/change-requests", &ls).json()["total"],
        0,
        "nothing asked by them"
    );
    // The centre's own people work every case.
    let r = step(
        &app,
        &app.token("tgv.hn"),
        &others,
        "start",
        json!({"on": "2026-11-04"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

/// A case closed early stays in order when corrected: it is not received after it closed.
#[test]
fn a_closed_case_is_not_received_after_it_closed() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let id = app.open_case(&gd, "2026-11-01");
    let r = step(&app, &gd, &id, "withdraw", json!({"on": "2026-11-03"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let path = format!("/api/v1/cases/{id}");
    let etag = app.get(&path, &gd).header("etag").unwrap().to_owned();
    let problem = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"received_on": "2026-11-20"}))
        .assert_problem(422, "validation_failed");
    assert_eq!(
        (
            &problem["errors"][0]["field"],
            &problem["errors"][0]["code"]
        ),
        (&json!("received_on"), &json!("out_of_order"))
    );
    // An outcome is the complete step's, named as sent.
    let problem = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"outcome_on": "2026-11-02"}))
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "outcome_on");
}

/// Quality is evaluated on litigation and representation cases, from which its sample is
/// drawn: a counselling case offers no such step.
#[test]
fn a_counselling_case_is_not_evaluated() {
    let app = TestApp::spawn();
    let closed = app.closed_case(false);
    let id = closed["id"].as_str().unwrap();
    assert_eq!(closed["form"], "counselling");
    assert!(!closed["next_steps"]
        .as_array()
        .unwrap()
        .contains(&json!("evaluate_quality")));
    step(
        &app,
        &app.token("gd.hn"),
        id,
        "evaluate_quality",
        json!({"grade": "good"}),
    )
    .assert_problem(409, "not_evaluable");
}

/// An acquittal or a lighter sentence is the accused's, obtained by their defence: not
/// recorded for a victim's protection; and no outcome is dated before the case was accepted.
#[test]
fn the_accused_outcomes_are_recorded_for_a_defence_after_the_acceptance() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let provider = staff_id(&app, &gd, "Nguyễn Văn An");
    let case = new_case(&app, &gd, "TTTGPL-HN", "litigation");
    let id = case["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/cases/{id}");
    let etag = app.get(&path, &gd).header("etag").unwrap().to_owned();
    let r = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"litigation": {"role": "victim_protection"}}));
    assert_eq!(r.status, 200, "{}", r.body);
    for (name, body) in [
        ("accept", json!({"on": "2026-03-05"})),
        ("assign_provider", json!({"provider_id": provider})),
        ("start", json!({})),
    ] {
        assert_eq!(step(&app, &gd, &id, name, body).status, 200, "{name}");
    }
    let refused = |outcome: Value| {
        step(&app, &gd, &id, "complete", json!({"outcome": outcome})).refused_field()
    };
    assert_eq!(
        refused(json!({"defence_accepted": true, "success_kind": "acquittal"})),
        ("outcome.success_kind".into(), "not_of_the_role".into())
    );
    assert_eq!(
        refused(json!({"defence_accepted": false, "outcome_on": "2026-03-04"})),
        ("outcome.outcome_on".into(), "out_of_range".into())
    );
    let r = step(
        &app,
        &gd,
        &id,
        "complete",
        json!({"outcome": {"defence_accepted": true, "success_kind": "proceedings_dropped", "outcome_on": "2026-03-05"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn only_officers_and_lawyers_take_part_in_proceedings_or_represent() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let collaborator = staff_id(&app, &gd, "Phạm Thị Dung");
    let litigation = new_case(&app, &gd, "TTTGPL-HN", "litigation");
    let id = litigation["id"].as_str().unwrap();
    step(&app, &gd, id, "accept", json!({}));
    let assign = |case: &str, provider: &str| {
        step(
            &app,
            &gd,
            case,
            "assign_provider",
            json!({"provider_id": provider}),
        )
    };
    assert_eq!(
        assign(id, &collaborator).refused_field(),
        ("provider_id".into(), "not_for_form".into())
    );
    let officer = staff_id(&app, &gd, "Nguyễn Văn An");
    assert_eq!(assign(id, &officer).status, 200);

    // A collaborator counsels; the counselling case cannot become representation under them.
    let counselling = new_case(&app, &gd, "TTTGPL-HN", "counselling");
    let id = counselling["id"].as_str().unwrap();
    step(&app, &gd, id, "accept", json!({}));
    let r = assign(id, &collaborator);
    assert_eq!(r.status, 200, "{}", r.body);
    let path = format!("/api/v1/cases/{id}");
    let etag = r.header("etag").unwrap().to_owned();
    let r = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"form": "representation"}));
    assert_eq!(
        r.refused_field(),
        ("form".into(), "not_for_provider".into())
    );
    assert_eq!(app.get(&path, &gd).json()["form"], "counselling");
}

#[test]
fn a_defence_a_charge_and_a_criminal_stage_belong_to_criminal_cases() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let person = recipient(&app, &gd);
    let create = |field: &str, litigation: Value| {
        app.post(
            "/api/v1/cases",
            &gd,
            json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": person,
                   "received_on": "2026-03-02", "field": field, "form": "litigation",
                   "place": "at_office", "summary": "Tranh chấp hợp đồng",
                   "litigation": litigation}),
        )
    };
    for (litigation, detail) in [
        (json!({"role": "defence"}), "litigation.role"),
        (json!({"stage": "investigation"}), "litigation.stage"),
        (json!({"charge": "Trộm cắp tài sản"}), "litigation.charge"),
        (
            json!({"proposed_sentence": "24 tháng tù"}),
            "litigation.proposed_sentence",
        ),
    ] {
        assert_eq!(
            create("civil", litigation.clone()).refused_field(),
            (detail.into(), "criminal_only".into()),
            "{litigation}"
        );
        assert_eq!(create("criminal", litigation).status, 201);
    }
    let r = create(
        "civil",
        json!({"role": "representation", "stage": "first_instance"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // A defence case does not become civil by a correction of its field.
    let defence = new_case(&app, &gd, "TTTGPL-HN", "litigation");
    let path = format!("/api/v1/cases/{}", defence["id"].as_str().unwrap());
    let etag = app.get(&path, &gd).header("etag").unwrap().to_owned();
    let r = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"field": "civil"}));
    assert_eq!(
        r.refused_field(),
        ("litigation.role".into(), "criminal_only".into())
    );
    let r = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"field": "civil", "litigation": {"role": "victim_protection"}}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["field"], "civil");
}

/// A span whose end comes before its start lists nothing by mistake: it is refused, naming
/// the end, on every list that filters by a span.
#[test]
fn a_list_span_that_ends_before_it_starts_is_refused() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let admin = app.admin();
    for (path, token, end) in [
        (
            "/api/v1/cases?received_from=2026-05-01&received_to=2026-04-30",
            &gd,
            "received_to",
        ),
        (
            "/api/v1/review-requests?sent_from=2026-05-01&sent_to=2026-04-30",
            &gd,
            "sent_to",
        ),
        (
            "/api/v1/dossiers?received_from=2026-05-01&received_to=2026-04-30",
            &gd,
            "received_to",
        ),
        (
            "/api/v1/audit-log?from=2026-05-01T00:00:00Z&to=2026-04-30T00:00:00Z",
            &admin,
            "to",
        ),
    ] {
        let problem = app
            .get(path, token)
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], end, "{path}");
        assert_eq!(problem["errors"][0]["code"], "before_start", "{path}");
    }
    // A span of one day is a span.
    let r = app.get(
        "/api/v1/cases?received_from=2026-05-01&received_to=2026-05-01",
        &gd,
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

/// A person tied to the centre as a collaborator acts there as one, whatever kind of
/// provider they are recorded as: without the Department's card they are not assigned.
#[test]
fn a_collaborator_recorded_as_another_kind_still_needs_a_card() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let r = app.post(
        "/api/v1/staff",
        &gd,
        json!({"full_name": "Đào Văn Tĩnh", "provider_kind": "legal_aid_officer",
               "qualification": "law_degree_or_higher",
               "membership": {"organization_id": app.org_id("TTTGPL-HN"), "relation": "collaborator",
                              "title": "collaborator", "valid_from": "2026-01-01"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let person = r.json()["id"].as_str().unwrap().to_owned();
    let case = new_case(&app, &gd, "TTTGPL-HN", "counselling");
    let id = case["id"].as_str().unwrap();
    step(&app, &gd, id, "accept", json!({}));
    let r = step(
        &app,
        &gd,
        id,
        "assign_provider",
        json!({"provider_id": person}),
    );
    assert_eq!(
        r.refused_field(),
        ("provider_id".into(), "no_valid_card".into())
    );
    // The Department gives them the card they act under, and they counsel.
    let r = app.post(
        &format!("/api/v1/staff/{person}/collaborator-cards"),
        &app.token("stp.hn"),
        json!({"card_number": "CTV-HN-4242", "issued_on": "2026-01-01", "expires_on": "2030-12-31"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = step(
        &app,
        &gd,
        id,
        "assign_provider",
        json!({"provider_id": person}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["provider_kind"], "collaborator");
}

/// One provider does not defend the accused and protect the victim of the same proceedings
/// (the cases sharing a group reference).
#[test]
fn nobody_serves_both_sides_of_one_proceeding() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let officer = staff_id(&app, &gd, "Nguyễn Văn An");
    let defence = new_case(&app, &gd, "TTTGPL-HN", "litigation");
    let defence = defence["id"].as_str().unwrap();
    step(&app, &gd, defence, "accept", json!({}));
    let r = step(
        &app,
        &gd,
        defence,
        "assign_provider",
        json!({"provider_id": officer}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let victim = app.post(
        "/api/v1/cases",
        &gd,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient(&app, &gd),
               "received_on": "2026-03-02", "field": "criminal", "form": "litigation",
               "place": "at_office", "group_ref": "VA-2026-15", "summary": "Bảo vệ bị hại",
               "litigation": {"role": "victim_protection"}}),
    );
    assert_eq!(victim.status, 201, "{}", victim.body);
    let victim = victim.json()["id"].as_str().unwrap().to_owned();
    step(&app, &gd, &victim, "accept", json!({}));
    let r = step(
        &app,
        &gd,
        &victim,
        "assign_provider",
        json!({"provider_id": officer}),
    );
    assert_eq!(
        r.refused_field(),
        ("provider_id".into(), "opposed_interests".into())
    );
    let other = staff_id(&app, &gd, "Lò Thị Mai");
    let r = step(
        &app,
        &gd,
        &victim,
        "assign_provider",
        json!({"provider_id": other}),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    // Nor do corrections put them there: a case of theirs moved into the group, or its role
    // turned to the other side.
    let third = app.post(
        "/api/v1/cases",
        &gd,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient(&app, &gd),
               "received_on": "2026-03-02", "field": "criminal", "form": "litigation",
               "place": "at_office", "summary": "Bảo vệ bị hại khác",
               "litigation": {"role": "victim_protection"}}),
    );
    let third = third.json()["id"].as_str().unwrap().to_owned();
    step(&app, &gd, &third, "accept", json!({}));
    let r = step(
        &app,
        &gd,
        &third,
        "assign_provider",
        json!({"provider_id": officer}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let patch = |case: &str, body: Value| {
        let path = format!("/api/v1/cases/{case}");
        let etag = app.get(&path, &gd).header("etag").unwrap().to_owned();
        app.request("PATCH", &path)
            .bearer(&gd)
            .header("If-Match", &etag)
            .json(body)
    };
    assert_eq!(
        patch(&third, json!({"group_ref": "VA-2026-15"})).refused_field(),
        ("group_ref".into(), "opposed_interests".into())
    );
    // The other provider's victim case turned into a defence opposes the first's defence
    // only if they were the same person: they are not.
    let r = patch(&victim, json!({"litigation": {"role": "representation"}}));
    assert_eq!(r.status, 200, "{}", r.body);
    // The first provider's defence turned against their own other case: refused.
    let r = patch(&third, json!({"group_ref": "VA-2026-16"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let r = patch(&third, json!({"litigation": {"role": "defence"}}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        patch(
            defence,
            json!({"group_ref": "VA-2026-16", "litigation": {"role": "victim_protection"}})
        )
        .refused_field(),
        ("group_ref".into(), "opposed_interests".into())
    );
    // Once the case is completed, a change request that would do it is refused when
    // submitted.
    step(&app, &gd, defence, "start", json!({}));
    let r = step(
        &app,
        &gd,
        defence,
        "complete",
        json!({"outcome": {"defence_accepted": false}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app.post(
        "/api/v1/change-requests",
        &gd,
        json!({"kind": "edit", "reason": "Ghép vụ án",
               "cases": [{"case_id": defence, "changes": {"group_ref": "VA-2026-16", "litigation": {"role": "victim_protection"}}}]}),
    );
    assert_eq!(
        r.refused_field(),
        (
            "cases[0].changes.group_ref".into(),
            "opposed_interests".into()
        )
    );
}

#[test]
fn a_correction_of_the_proceedings_keeps_what_it_leaves_out() {
    let app = TestApp::spawn();
    let tgv = app.token("tgv.hn");
    let case = new_case(&app, &tgv, "TTTGPL-HN", "litigation");
    let path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
    let correct = |changes: Value| {
        let etag = app.get(&path, &tgv).header("etag").unwrap().to_owned();
        let r = app
            .request("PATCH", &path)
            .bearer(&tgv)
            .header("If-Match", &etag)
            .json(json!({ "litigation": changes }));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["litigation"].clone()
    };
    correct(
        json!({"stage": "investigation", "charge": "Trộm cắp tài sản (Điều 173 BLHS)",
                   "procedural_agency": "Cơ quan CSĐT Công an quận Hai Bà Trưng"}),
    );
    let after = correct(json!({"stage": "prosecution"}));
    assert_eq!(after["role"], "defence", "{after}");
    assert_eq!(after["stage"], "prosecution");
    assert_eq!(after["charge"], "Trộm cắp tài sản (Điều 173 BLHS)");
    assert_eq!(
        after["procedural_agency"],
        "Cơ quan CSĐT Công an quận Hai Bà Trưng"
    );
    // `null` clears one detail, and only that one.
    let after = correct(json!({"procedural_agency": null}));
    assert_eq!(after["procedural_agency"], Value::Null);
    assert_eq!(after["charge"], "Trộm cắp tài sản (Điều 173 BLHS)");
    assert_eq!(after["role"], "defence");
}

#[test]
fn a_case_offers_the_steps_the_callers_role_takes_and_says_who_takes_the_others() {
    let app = TestApp::spawn();
    let (gd, tgv) = (app.token("gd.hn"), app.token("tgv.hn"));
    let case = new_case(&app, &tgv, "TTTGPL-HN", "counselling");
    assert_eq!(case["next_steps"], json!(["withdraw"]), "{case}");
    let path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
    assert_eq!(
        app.get(&path, &gd).json()["next_steps"],
        json!(["accept", "refuse", "withdraw", "transfer_out"])
    );
    let refused = app
        .request("POST", &format!("{path}/steps/accept"))
        .bearer(&tgv)
        .header("Accept-Language", "en")
        .json(json!({}))
        .assert_problem(403, "forbidden");
    let detail = refused["detail"].as_str().unwrap();
    assert!(
        detail.contains("is taken by") && detail.contains("leader"),
        "{detail}"
    );
}

/// The court's decision is part of the outcome, which the `complete` step records.
#[test]
fn the_decision_of_the_proceedings_is_recorded_by_completing_the_case() {
    let app = TestApp::spawn();
    let tgv = app.token("tgv.hn");
    let mut body = json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient(&app, &tgv),
        "received_on": "2026-03-02", "field": "criminal", "form": "litigation", "place": "detention",
        "summary": "Bào chữa", "litigation": {"role": "defence", "outcome": "Tuyên trắng án"}});
    let refused = app
        .post("/api/v1/cases", &tgv, body.clone())
        .refused_field();
    assert_eq!(
        refused,
        ("litigation.outcome".into(), "outcome_via_complete".into())
    );
    body["litigation"] = json!({"role": "defence"});
    let case = app.post("/api/v1/cases", &tgv, body);
    assert_eq!(case.status, 201, "{}", case.body);
    let path = format!("/api/v1/cases/{}", case.json()["id"].as_str().unwrap());
    let refused = app
        .request("PATCH", &path)
        .bearer(&tgv)
        .header("If-Match", case.header("etag").unwrap())
        .json(json!({"litigation": {"outcome": "Tuyên trắng án"}}))
        .refused_field();
    assert_eq!(
        refused,
        ("litigation.outcome".into(), "outcome_via_complete".into())
    );
}

/// An officer's connection drops before the answer comes, or a double click sends the form
/// twice: with an `Idempotency-Key`, the request is recorded once and every repeat, even sent
/// at the same moment, gets the first answer.
#[test]
fn a_new_case_sent_again_under_its_key_is_recorded_once() {
    let app = TestApp::spawn();
    let tgv = app.token("tgv.hn");
    let body = json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient(&app, &tgv),
                      "received_on": "2026-03-02", "field": "land", "form": "counselling",
                      "place": "at_office", "summary": "Tư vấn tranh chấp đất"});
    let total = || {
        app.get("/api/v1/cases?page_size=1", &tgv).json()["total"]
            .as_i64()
            .unwrap()
    };
    let before = total();
    let send = |key: &str, body: &Value| {
        app.request("POST", "/api/v1/cases")
            .bearer(&tgv)
            .header("Idempotency-Key", key)
            .json(body.clone())
    };
    let answers = crate::concurrency::at_once(4, |_| send("don-2026-03-02-1", &body));
    let ids: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1, "one case for all four");
    assert_eq!(
        answers
            .iter()
            .filter(|r| r.header("idempotent-replayed") == Some("true"))
            .count(),
        3
    );
    let again = send("don-2026-03-02-1", &body);
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        again.header("location").unwrap(),
        format!("/api/v1/cases/{}", ids.first().unwrap())
    );
    assert_eq!(total(), before + 1);
    // The key is the caller's: another request under it is refused, and nothing is recorded.
    let mut other = body.clone();
    other["summary"] = json!("Một yêu cầu khác");
    send("don-2026-03-02-1", &other).assert_problem(409, "idempotency_key_reused");
    assert_eq!(total(), before + 1);
    // Without a key, each request is a new case, as before.
    assert_eq!(app.post("/api/v1/cases", &tgv, body.clone()).status, 201);
    assert_eq!(total(), before + 2);
}
