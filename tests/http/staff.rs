use serde_json::{json, Value};
use tgpl_tests::TestApp;

fn staff_named(app: &TestApp, token: &str, name: &str) -> Value {
    let r = app.get(
        &format!("/api/v1/staff?q={}&page_size=100", name.replace(' ', "%20")),
        token,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["full_name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no {name}"))
}

fn new_person(org: &str) -> Value {
    json!({
        "full_name": "Vũ Thị Hạnh", "gender": "female", "date_of_birth": "1990-05-06", "ethnicity": "tay",
        "qualification": "law_degree_or_higher", "provider_kind": "legal_aid_officer",
        "membership": {"organization_id": org, "relation": "employee", "title": "legal_aid_officer", "officer_rank": "grade_3", "valid_from": "2026-01-01"}
    })
}

#[test]
fn staff_are_created_read_and_listed_within_scope() {
    let app = TestApp::spawn();
    let center = app.org_id("TTTGPL-HN");
    let r = app.post("/api/v1/staff", &app.token("gd.hn"), new_person(&center));
    assert_eq!(r.status, 201, "{}", r.body);
    let person = r.json();
    assert_eq!(person["memberships"][0]["title"], "legal_aid_officer");
    assert_eq!(person["can_take_cases_for"], json!([center]));
    let path = format!("/api/v1/staff/{}", person["id"].as_str().unwrap());

    app.post("/api/v1/staff", &app.token("tgv.hn"), new_person(&center))
        .assert_problem(403, "forbidden");
    app.post("/api/v1/staff", &app.token("gd.dn"), new_person(&center))
        .assert_problem(404, "not_found");
    let mut bad = new_person(&center);
    bad["membership"]["title"] = json!("director");
    assert_eq!(
        app.post("/api/v1/staff", &app.token("gd.hn"), bad)
            .assert_problem(422, "validation_failed")["errors"][0]["field"],
        "officer_rank"
    );

    assert_eq!(app.get(&path, &app.token("tgv.hn")).status, 200);
    app.get(&path, &app.token("tgv.dn"))
        .assert_problem(404, "not_found");
    let (portal, secret) = tgpl_api::demo::PORTAL_CLIENT;
    let portal = app.client_grant(portal, secret).json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Service clients read no staff: the record is as unknown to them as a made-up id.
    app.get(&path, &portal).assert_problem(404, "not_found");

    // Search ignores diacritics and case.
    let found = app
        .get("/api/v1/staff?q=VU%20THI%20HANH", &app.token("stp.hn"))
        .json();
    assert_eq!(found["total"], 1);
    assert_eq!(
        app.get("/api/v1/staff?q=vu%20thi%20hanh", &app.token("stp.dn"))
            .json()["total"],
        0
    );
    let officers = app
        .get(
            &format!("/api/v1/staff?organization_id={center}&title=legal_aid_officer"),
            &app.token("gd.hn"),
        )
        .json();
    assert_eq!(officers["total"], 3, "two demo officers and the new one");

    // ETag on updates.
    let r = app
        .request("PATCH", &path)
        .bearer(&app.token("gd.hn"))
        .header("If-Match", "\"1\"")
        .json(json!({"phone": "0912 345 678", "ethnicity": null}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["ethnicity"], Value::Null);
    app.request("PATCH", &path)
        .bearer(&app.token("gd.hn"))
        .header("If-Match", "\"1\"")
        .json(json!({"phone": "0912 000 111"}))
        .assert_problem(412, "precondition_failed");
}

#[test]
fn a_lawyer_belongs_to_a_firm_and_holds_a_centre_contract() {
    let app = TestApp::spawn();
    let lawyer = staff_named(&app, &app.token("stp.hn"), "Lê Minh Cường");
    let orgs: Vec<&str> = lawyer["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["organization_id"].as_str().unwrap())
        .collect();
    let (firm, center) = (app.org_id("CTL-HN"), app.org_id("TTTGPL-HN"));
    assert_eq!(orgs, vec![firm.as_str(), center.as_str()]);
    assert!(lawyer["lawyer_card_number"]
        .as_str()
        .unwrap()
        .starts_with("LS-"));
    // The same lawyer seen from the centre.
    let seen = staff_named(&app, &app.token("gd.hn"), "Lê Minh Cường");
    assert_eq!(seen["id"], lawyer["id"]);
    // A second current membership in the same organization is refused.
    let r = app.post(
        &format!(
            "/api/v1/staff/{}/memberships",
            lawyer["id"].as_str().unwrap()
        ),
        &app.token("stp.hn"),
        json!({"organization_id": center, "relation": "contract", "title": "lawyer"}),
    );
    r.assert_problem(409, "already_member");
}

#[test]
fn ending_a_membership_ends_access_to_that_organization() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let officer = staff_named(&app, &app.token("gd.hn"), "Nguyễn Văn An");
    let account = app
        .get(
            &format!("/api/v1/accounts/{}", app.account_id("tgv.hn")),
            &app.admin(),
        )
        .json();
    assert_eq!(account["staff_id"], officer["id"]);
    let id = officer["id"].as_str().unwrap();
    let membership = officer["memberships"][0]["id"].as_str().unwrap();
    let end = format!("/api/v1/staff/{id}/memberships/{membership}/end");
    app.post(
        &end,
        &app.token("tgv.hn"),
        json!({"reason": "Chuyển công tác"}),
    )
    .assert_problem(403, "forbidden");
    let r = app.post(
        &end,
        &app.token("gd.hn"),
        json!({"reason": "Chuyển công tác"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["memberships"][0]["current"], false);
    assert_eq!(r.json()["can_take_cases_for"], json!([]));
    app.get("/api/v1/me", &token)
        .assert_problem(401, "unauthorized");
    let account = app
        .get(
            &format!("/api/v1/accounts/{}", app.account_id("tgv.hn")),
            &app.admin(),
        )
        .json();
    assert_eq!(account["status"], "deactivated");
    app.post(&end, &app.token("gd.hn"), json!({}))
        .assert_problem(409, "invalid_membership_end");
}

#[test]
fn accounts_link_only_to_members_of_their_organization() {
    let app = TestApp::spawn();
    let gd = app.token("gd.dn");
    let account = app.account_id("chung.dn");
    let outsider = staff_named(&app, &app.token("stp.hn"), "Nguyễn Văn An")["id"].clone();
    let r = app.post(
        &format!("/api/v1/accounts/{account}/staff"),
        &gd,
        json!({"staff_id": outsider}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_a_member"
    );
    let member = staff_named(&app, &gd, "Lò Thị Mai")["id"].clone();
    let r = app.post(
        &format!("/api/v1/accounts/{account}/staff"),
        &gd,
        json!({"staff_id": member}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["staff_id"], member);
}

#[test]
fn collaborators_take_cases_only_with_a_valid_card() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hcm");
    let center = app.org_id("TTTGPL-HCM");
    let valid = staff_named(&app, &stp, "Phạm Thị Dung");
    assert_eq!(valid["can_take_cases_for"], json!([center]));
    let revoked = staff_named(&app, &stp, "Hoàng Văn Em");
    assert_eq!(revoked["collaborator_cards"][0]["status"], "revoked");
    assert_eq!(
        revoked["can_take_cases_for"],
        json!([]),
        "a revoked card: no cases"
    );

    // A new collaborator: no card, no cases; an expired card, no cases; a valid one, cases.
    let r = app.post(
        "/api/v1/staff",
        &app.token("gd.hcm"),
        json!({"full_name": "Đinh Văn Phúc", "provider_kind": "collaborator",
               "membership": {"organization_id": center, "relation": "collaborator", "title": "collaborator"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["can_take_cases_for"], json!([]));
    let cards = format!("/api/v1/staff/{id}/collaborator-cards");
    app.post(
        &cards,
        &app.token("gd.hcm"),
        json!({"card_number": "X-1", "issued_on": "2026-01-01", "expires_on": "2030-01-01"}),
    )
    .assert_problem(403, "forbidden");
    let r = app.post(
        &cards,
        &stp,
        json!({"card_number": "CTV-OLD", "issued_on": "2020-01-01", "expires_on": "2021-01-01"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["collaborator_cards"][0]["valid_today"], false);
    assert_eq!(
        r.json()["can_take_cases_for"],
        json!([]),
        "an expired card: no cases"
    );
    assert_eq!(
        r.json()["collaborator_cards"][0]["issued_by"],
        app.org_id("STP-HCM")
    );
    let r = app.post(
        &cards,
        &stp,
        json!({"card_number": "CTV-NEW", "issued_on": "2026-01-01", "expires_on": "2030-12-31"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["can_take_cases_for"], json!([center]));
    let card = r.json()["collaborator_cards"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &cards,
        &stp,
        json!({"card_number": "CTV-THIRD", "issued_on": "2026-02-01", "expires_on": "2030-12-31"}),
    )
    .assert_problem(409, "card_exists");
    app.post(
        &cards,
        &stp,
        json!({"card_number": "CTV-NEW", "issued_on": "2026-02-01", "expires_on": "2020-12-31"}),
    )
    .assert_problem(422, "validation_failed");
    // The expired card is not reissued beside the valid one: that would be a second valid
    // card, which revoking the first would leave.
    let expired = r.json()["collaborator_cards"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/collaborator-cards/{expired}/reissue"),
        &stp,
        json!({"card_number": "CTV-OLD-2", "issued_on": "2026-01-02", "expires_on": "2030-01-01", "reason": "Hết hạn"}),
    )
    .assert_problem(409, "card_exists");

    // Reissue: the old card is replaced, the new one valid.
    let r = app.post(
        &format!("/api/v1/collaborator-cards/{card}/reissue"),
        &stp,
        json!({"card_number": "CTV-NEW-2", "issued_on": "2026-03-01", "expires_on": "2031-02-28", "reason": "Mất thẻ"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let body = r.json();
    let statuses: Vec<&str> = body["collaborator_cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["valid", "replaced", "valid"]);
    let new_card = body["collaborator_cards"][2]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/collaborator-cards/{card}/revoke"),
        &stp,
        json!({"reason": "x"}),
    )
    .assert_problem(409, "card_not_valid");
    // Revoke: no more cases.
    let r = app.post(
        &format!("/api/v1/collaborator-cards/{new_card}/revoke"),
        &stp,
        json!({"reason": "Vi phạm quy chế"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["can_take_cases_for"], json!([]));
    // Only collaborators get cards.
    let officer = staff_named(&app, &stp, "Nguyễn Văn An")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app.post(
        &format!("/api/v1/staff/{officer}/collaborator-cards"),
        &stp,
        json!({"card_number": "CTV-9", "issued_on": "2026-01-01", "expires_on": "2030-01-01"}),
    );
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_a_collaborator"
    );
    let audit = app
        .get(
            &format!("/api/v1/audit-log?action=collaborator_card.revoke&resource_id={new_card}"),
            &app.admin(),
        )
        .json();
    assert_eq!(audit["total"], 1);
}

#[test]
fn a_former_organization_reads_but_cannot_change_a_person() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let officer = staff_named(&app, &gd, "Lò Thị Mai");
    let id = officer["id"].as_str().unwrap();
    let membership = officer["memberships"][0]["id"].as_str().unwrap();
    let r = app.post(
        &format!("/api/v1/staff/{id}/memberships/{membership}/end"),
        &gd,
        json!({"reason": "Chuyển công tác"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let etag = r.header("etag").unwrap().to_owned();
    assert_eq!(app.get(&format!("/api/v1/staff/{id}"), &gd).status, 200);
    app.request("PATCH", &format!("/api/v1/staff/{id}"))
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"phone": "0900 111 222"}))
        .assert_problem(403, "forbidden");
    // A day in the future is refused; child changes move the person's ETag.
    let other = staff_named(&app, &gd, "Nguyễn Văn An");
    let other_id = other["id"].as_str().unwrap();
    let other_membership = other["memberships"][0]["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/staff/{other_id}/memberships/{other_membership}/end"),
        &gd,
        json!({"on": "2999-01-01"}),
    )
    .assert_problem(422, "validation_failed");
    app.request(
        "POST",
        &format!("/api/v1/staff/{other_id}/memberships/{other_membership}/end"),
    )
    .bearer(&gd)
    .header("If-Match", "\"999\"")
    .json(json!({}))
    .assert_problem(412, "precondition_failed");
}

#[test]
fn only_the_department_turns_a_collaborator_into_another_provider() {
    let app = TestApp::spawn();
    let revoked = staff_named(&app, &app.token("gd.dn"), "Hoàng Văn Em");
    let path = format!("/api/v1/staff/{}", revoked["id"].as_str().unwrap());
    let etag = format!("\"{}\"", revoked["version"]);
    let r = app
        .request("PATCH", &path)
        .bearer(&app.token("gd.dn"))
        .header("If-Match", &etag)
        .json(json!({"provider_kind": "legal_counsellor"}));
    r.assert_problem(403, "forbidden");
    let r = app
        .request("PATCH", &path)
        .bearer(&app.token("stp.dn"))
        .header("If-Match", &etag)
        .json(json!({"provider_kind": "lawyer"}));
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "lawyer_card_number"
    );
    let r = app
        .request("PATCH", &path)
        .bearer(&app.token("stp.dn"))
        .header("If-Match", &etag)
        .json(json!({"provider_kind": "legal_counsellor"}));
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn a_card_revoked_later_still_counted_before() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hn");
    let valid = staff_named(&app, &stp, "Phạm Thị Dung");
    let card = valid["collaborator_cards"][0]["id"].as_str().unwrap();
    app.post(
        &format!("/api/v1/collaborator-cards/{card}/revoke"),
        &stp,
        json!({"on": "2999-01-01", "reason": "x"}),
    )
    .assert_problem(422, "validation_failed");
    app.post(
        &format!("/api/v1/collaborator-cards/{card}/revoke"),
        &app.token("stp.dn"),
        json!({"reason": "x"}),
    )
    .assert_problem(404, "not_found");
    let r = app.post(
        &format!("/api/v1/collaborator-cards/{card}/revoke"),
        &stp,
        json!({"on": "2026-06-01", "reason": "Vi phạm"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["collaborator_cards"][0]["ended_on"], "2026-06-01");
    assert_eq!(r.json()["can_take_cases_for"], json!([]));
}

/// A person who belongs to organizations of two provinces has one record: neither centre
/// changes it for the other (a director of Đà Nẵng does not deactivate Hà Nội's officer);
/// the data centre, which manages both, does.
#[test]
fn a_record_shared_by_two_provinces_is_changed_by_who_manages_both() {
    let app = TestApp::spawn();
    let admin = app.admin();
    let officer = staff_named(&app, &app.token("gd.hn"), "Nguyễn Văn An");
    let id = officer["id"].as_str().unwrap().to_owned();
    // Employed by one organization at a time: not by the centre of Đà Nẵng as well.
    app.post(
        &format!("/api/v1/staff/{id}/memberships"),
        &admin,
        json!({"organization_id": app.org_id("TTTGPL-DN"), "relation": "employee", "title": "legal_aid_officer"}),
    )
    .assert_problem(409, "already_employed");
    let r = app.post(
        &format!("/api/v1/staff/{id}/memberships"),
        &admin,
        json!({"organization_id": app.org_id("TTTGPL-DN"), "relation": "collaborator", "title": "collaborator"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let path = format!("/api/v1/staff/{id}");
    for director in ["gd.dn", "gd.hn"] {
        let token = app.token(director);
        let etag = app.get(&path, &token).header("etag").unwrap().to_owned();
        app.request("PATCH", &path)
            .bearer(&token)
            .header("If-Match", &etag)
            .json(json!({"status": "inactive"}))
            .assert_problem(403, "forbidden");
    }
    let etag = app.get(&path, &admin).header("etag").unwrap().to_owned();
    let r = app
        .request("PATCH", &path)
        .bearer(&admin)
        .header("If-Match", &etag)
        .json(json!({"phone": "0912 345 678"}));
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Nobody works before being born: a first membership, a membership added later and a
/// date of birth corrected are each held to the others.
#[test]
fn nobody_works_before_being_born() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let create = |born: &str| {
        app.post(
            "/api/v1/staff",
            &gd,
            json!({"full_name": "Phạm Văn Trẻ", "date_of_birth": born, "provider_kind": "legal_aid_officer",
                   "membership": {"organization_id": center, "relation": "employee",
                                  "title": "legal_aid_officer", "valid_from": "2005-01-01"}}),
        )
    };
    assert_eq!(
        create("2010-01-01").refused_field(),
        ("date_of_birth".to_owned(), "before_birth".to_owned())
    );
    let r = create("1980-01-01");
    assert_eq!(r.status, 201, "{}", r.body);
    let path = format!("/api/v1/staff/{}", r.json()["id"].as_str().unwrap());
    let etag = r.header("etag").unwrap().to_owned();
    let moved = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"date_of_birth": "2024-01-01"}));
    assert_eq!(
        moved.refused_field(),
        ("date_of_birth".to_owned(), "before_birth".to_owned())
    );
    // Nor before being of age: 18 on the first day of work.
    assert_eq!(
        create("1988-01-02").refused_field(),
        ("date_of_birth".to_owned(), "under_age".to_owned())
    );
    assert_eq!(create("1987-01-01").status, 201);
    let moved = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", &etag)
        .json(json!({"date_of_birth": "1990-01-01"}));
    assert_eq!(
        moved.refused_field(),
        ("date_of_birth".to_owned(), "under_age".to_owned())
    );
}

/// A legal aid officer and a lawyer hold a law degree (seed 004, form 4).
#[test]
fn officers_and_lawyers_hold_a_law_degree() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let mut body = new_person(&app.org_id("TTTGPL-HN"));
    body["qualification"] = json!("no_degree");
    assert_eq!(
        app.post("/api/v1/staff", &gd, body.clone()).refused_field(),
        ("qualification".to_owned(), "law_degree_required".to_owned())
    );
    body["qualification"] = json!("law_degree_or_higher");
    let r = app.post("/api/v1/staff", &gd, body);
    assert_eq!(r.status, 201, "{}", r.body);
    let path = format!("/api/v1/staff/{}", r.json()["id"].as_str().unwrap());
    let r = app
        .request("PATCH", &path)
        .bearer(&gd)
        .header("If-Match", r.header("etag").unwrap())
        .json(json!({"qualification": "other_degree"}));
    assert_eq!(
        r.refused_field(),
        ("qualification".to_owned(), "law_degree_required".to_owned())
    );
}

/// One record per person: the same lawyer's card, or the same name and date of birth, where
/// the caller can see it, is answered with the candidates; `create_anyway` records all the same.
#[test]
fn a_person_already_recorded_is_offered_before_a_second_record() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let center = app.org_id("TTTGPL-HN");
    let body = json!({"full_name": "Vũ Thị Hạnh", "date_of_birth": "1990-05-06",
                      "qualification": "law_degree_or_higher", "provider_kind": "legal_aid_officer",
                      "membership": {"organization_id": center, "relation": "employee", "title": "legal_aid_officer"}});
    let first = app.post("/api/v1/staff", &gd, body.clone());
    assert_eq!(first.status, 201, "{}", first.body);
    let mut again = body.clone();
    again["full_name"] = json!("VŨ THỊ HẠNH");
    let problem = app
        .post("/api/v1/staff", &gd, again.clone())
        .assert_problem(409, "possible_duplicates");
    assert_eq!(problem["candidates"][0]["id"], first.json()["id"]);
    assert_eq!(
        problem["candidates"][0]["matched_on"],
        "name_and_birth_date"
    );
    again["create_anyway"] = json!(true);
    assert_eq!(app.post("/api/v1/staff", &gd, again).status, 201);
    // A lawyer's card names one lawyer.
    let lawyer = json!({"full_name": "Trần Văn Luật", "provider_kind": "lawyer",
                        "lawyer_card_number": "LS-99999/HN",
                        "membership": {"organization_id": center, "relation": "contract", "title": "lawyer"}});
    assert_eq!(app.post("/api/v1/staff", &gd, lawyer.clone()).status, 201);
    let mut renamed = lawyer;
    renamed["full_name"] = json!("Trần Luật");
    let problem = app
        .post("/api/v1/staff", &gd, renamed)
        .assert_problem(409, "possible_duplicates");
    assert_eq!(problem["candidates"][0]["matched_on"], "lawyer_card_number");
    // Nor does a correction give a lawyer another's card.
    let other = app.post(
        "/api/v1/staff",
        &gd,
        json!({"full_name": "Đặng Văn Khác", "provider_kind": "lawyer", "lawyer_card_number": "LS-11111/HN",
               "membership": {"organization_id": center, "relation": "contract", "title": "lawyer"}}),
    );
    assert_eq!(other.status, 201, "{}", other.body);
    let path = format!("/api/v1/staff/{}", other.json()["id"].as_str().unwrap());
    let correct = |card: &str| {
        let etag = app.get(&path, &gd).header("etag").unwrap().to_owned();
        app.request("PATCH", &path)
            .bearer(&gd)
            .header("If-Match", &etag)
            .json(json!({"lawyer_card_number": card}))
    };
    correct("LS-99999/HN").assert_problem(409, "lawyer_card_recorded");
    assert_eq!(correct("LS-11112/HN").status, 200);
}
