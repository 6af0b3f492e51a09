//! Rules that hold when the same request arrives many times at once. On SQLite the server's
//! single writer runs writes one after another; on PostgreSQL they run side by side, so these
//! tests are the ones that show a "check, then write" rule kept or broken there.

use std::sync::Barrier;

use diesel::RunQueryDsl;
use serde_json::{json, Value};
use tgpl_tests::{Resp, TestApp};

/// Sends `n` requests made by `send` from as many threads, released together.
pub(crate) fn at_once(n: usize, send: impl Fn(usize) -> Resp + Sync) -> Vec<Resp> {
    let start = Barrier::new(n);
    std::thread::scope(|s| {
        let running: Vec<_> = (0..n)
            .map(|i| {
                let (start, send) = (&start, &send);
                s.spawn(move || {
                    start.wait();
                    send(i)
                })
            })
            .collect();
        running
            .into_iter()
            .map(|t| t.join().expect("request thread"))
            .collect()
    })
}

/// Asserts that exactly one answer is `success` and every other one the problem
/// `status`/`code`; returns the successful one.
pub(crate) fn one_wins(answers: Vec<Resp>, success: u16, status: u16, code: &str) -> Resp {
    let (won, lost): (Vec<Resp>, Vec<Resp>) =
        answers.into_iter().partition(|r| r.status == success);
    assert_eq!(
        won.len(),
        1,
        "exactly one succeeds; answers: {:?}",
        won.iter()
            .chain(&lost)
            .map(|r| (r.status, &r.body))
            .collect::<Vec<_>>()
    );
    for r in &lost {
        r.assert_problem(status, code);
    }
    won.into_iter().next().expect("one")
}

/// A count from the test's own connection.
pub(crate) fn count(app: &TestApp, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(sql)
        .get_result::<Count>(&mut **app.pool.get().expect("connection"))
        .expect("count")
        .n
}

#[test]
fn identical_recipients_sent_at_once_are_created_once() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let center = app.org_id("TTTGPL-HN");
    // A race shows only now and then: a few rounds, each of another person.
    for (name, citizen_id) in [
        ("Lê Văn Bình", "001085123452"),
        ("Lê Văn Cường", "001085123460"),
        ("Lê Văn Dũng", "001085123471"),
    ] {
        let body: Value = json!({
            "organization_id": center, "full_name": name,
            "gender": "male", "date_of_birth": "1985-03-04", "citizen_id": citizen_id,
        });
        let answers = at_once(5, |_| app.post("/api/v1/recipients", &token, body.clone()));
        one_wins(answers, 201, 409, "possible_duplicates");
        assert_eq!(
            count(
                &app,
                &format!("SELECT COUNT(*) AS n FROM recipients WHERE citizen_id = '{citizen_id}'")
            ),
            1
        );
    }
}

#[test]
fn memberships_sent_at_once_are_added_once() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let r = app.post(
        "/api/v1/staff",
        &gd,
        json!({"full_name": "Vũ Thị Hoa",
               "membership": {"organization_id": app.org_id("TTTGPL-HN"), "relation": "employee", "title": "legal_aid_officer"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().expect("id").to_owned();
    let branch = app.org_id("TTTGPL-HN-CN1");
    let path = format!("/api/v1/staff/{id}/memberships");
    let body =
        json!({"organization_id": branch, "relation": "employee", "title": "legal_aid_officer"});
    let answers = at_once(5, |_| app.post(&path, &gd, body.clone()));
    one_wins(answers, 201, 409, "already_member");
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM staff_memberships WHERE staff_id = '{id}' AND organization_id = '{branch}'")
        ),
        1
    );
}

#[test]
fn cards_issued_at_once_leave_one_valid_card() {
    let app = TestApp::spawn();
    let center = app.org_id("TTTGPL-HCM");
    let r = app.post(
        "/api/v1/staff",
        &app.token("gd.hcm"),
        json!({"full_name": "Đinh Văn Phúc", "provider_kind": "collaborator",
               "membership": {"organization_id": center, "relation": "collaborator", "title": "collaborator"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().expect("id").to_owned();
    let stp = app.token("stp.hcm");
    let path = format!("/api/v1/staff/{id}/collaborator-cards");
    let answers = at_once(5, |i| {
        app.post(
            &path,
            &stp,
            json!({"card_number": format!("CTV-{i}"), "issued_on": "2026-01-01", "expires_on": "2030-12-31"}),
        )
    });
    let issued = one_wins(answers, 201, 409, "card_exists");
    let card = issued.json()["collaborator_cards"][0]["id"]
        .as_str()
        .expect("card")
        .to_owned();
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM collaborator_cards WHERE staff_id = '{id}'")
        ),
        1
    );
    // Revoking it at once, without If-Match: one revokes, the others learn it is revoked.
    let answers = at_once(5, |_| {
        app.post(
            &format!("/api/v1/collaborator-cards/{card}/revoke"),
            &stp,
            json!({"reason": "Vi phạm quy chế"}),
        )
    });
    one_wins(answers, 200, 409, "card_not_valid");
}

/// One card number for five collaborators at once: one gets it, the others are told the
/// number is taken (not a bare conflict from the unique index).
#[test]
fn one_card_number_given_at_once_to_several_people_is_given_once() {
    let app = TestApp::spawn();
    let center = app.org_id("TTTGPL-HCM");
    let leader = app.token("gd.hcm");
    let people: Vec<String> = (0..5)
        .map(|i| {
            let r = app.post(
                "/api/v1/staff",
                &leader,
                json!({"full_name": format!("Cộng Tác Viên {i}"), "provider_kind": "collaborator",
                       "membership": {"organization_id": center, "relation": "collaborator", "title": "collaborator"}}),
            );
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["id"].as_str().expect("id").to_owned()
        })
        .collect();
    let stp = app.token("stp.hcm");
    let answers = at_once(5, |i| {
        app.post(
            &format!("/api/v1/staff/{}/collaborator-cards", people[i]),
            &stp,
            json!({"card_number": "CTV-HCM-0001", "issued_on": "2026-01-01", "expires_on": "2030-12-31"}),
        )
    });
    one_wins(answers, 201, 409, "card_number_taken");
}

/// Contracts of one organization with one centre for the same days, signed at once: one is
/// in force, the others are refused for overlapping it.
#[test]
fn overlapping_contracts_signed_at_once_are_signed_once() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hn");
    let firm = app.org_id("CTL-HN");
    let path = format!("/api/v1/organizations/{firm}/contracts");
    let answers = at_once(5, |i| {
        app.post(
            &path,
            &stp,
            json!({"center_id": app.org_id("TTTGPL-HN"), "contract_number": format!("{i}/2027/HĐ"),
                   "signed_on": "2026-11-02", "valid_from": "2027-01-02", "valid_to": "2027-12-31"}),
        )
    });
    one_wins(answers, 201, 409, "contract_overlaps");
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM participation_contracts WHERE organization_id = '{firm}'")
        ),
        2
    );
}

#[test]
fn accounts_and_organizations_created_at_once_take_their_name_once() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hn");
    let account = json!({"username": "tgv.binh", "display_name": "Trần Thị Bình", "role": "legal_aid_officer",
                         "organization_id": app.org_id("TTTGPL-HN"), "password": "Khởi-tạo-2026"});
    let answers = at_once(5, |_| app.post("/api/v1/accounts", &stp, account.clone()));
    one_wins(answers, 201, 409, "username_taken");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM accounts WHERE username = 'tgv.binh'"
        ),
        1
    );
    let branch = json!({"code": "TTTGPL-HN-CN2", "name": "Chi nhánh số 2", "kind": "branch",
                        "parent_id": app.org_id("TTTGPL-HN")});
    let answers = at_once(5, |_| {
        app.post("/api/v1/organizations", &stp, branch.clone())
    });
    one_wins(answers, 201, 409, "code_taken");
}

/// A counselling case of the Hà Nội centre taken to `completed`, where it is locked.
fn completed_case(app: &TestApp) -> String {
    let gd = app.token("gd.hn");
    let provider =
        app.get("/api/v1/staff?q=nguyen%20van%20an", &gd).json()["items"][0]["id"].clone();
    let id = app.open_case(&gd, "2026-04-01");
    // The same step sent at once: one takes it, the others are told it is no longer allowed.
    let answers = at_once(5, |_| {
        app.post(&format!("/api/v1/cases/{id}/steps/accept"), &gd, json!({}))
    });
    one_wins(answers, 200, 409, "illegal_step");
    assert_eq!(
        count(
            app,
            &format!(
                "SELECT COUNT(*) AS n FROM case_events WHERE case_id = '{id}' AND step = 'accept'"
            )
        ),
        1
    );
    for (step, body) in [
        ("assign_provider", json!({"provider_id": provider})),
        ("start", json!({})),
        ("complete", json!({})),
    ] {
        let r = app.post(&format!("/api/v1/cases/{id}/steps/{step}"), &gd, body);
        assert_eq!(r.status, 200, "{step}: {}", r.body);
    }
    id
}

#[test]
fn case_steps_and_change_requests_sent_at_once_are_taken_once() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = completed_case(&app);
    let body = json!({"kind": "edit", "reason": "Nhập sai lĩnh vực",
                      "cases": [{"case_id": case, "changes": {"field": "civil"}}]});
    let answers = at_once(5, |_| {
        app.post("/api/v1/change-requests", &gd, body.clone())
    });
    let (won, lost): (Vec<Resp>, Vec<Resp>) = answers.into_iter().partition(|r| r.status == 201);
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        lost.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    for r in &lost {
        assert_eq!(
            r.assert_problem(422, "validation_failed")["errors"][0]["code"],
            "pending_request"
        );
    }
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM change_request_items WHERE case_id = '{case}'")
        ),
        1
    );
    // Approved at once without If-Match: one carries it out, the others hear it is decided.
    let request = won[0].json()["id"].as_str().expect("id").to_owned();
    let admin = app.admin();
    let answers = at_once(5, |_| {
        app.post(
            &format!("/api/v1/change-requests/{request}/approve"),
            &admin,
            json!({}),
        )
    });
    one_wins(answers, 200, 409, "already_decided");
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM case_events WHERE case_id = '{case}' AND step = 'change_request_edit'")
        ),
        1
    );
}

#[test]
fn right_passwords_sent_at_once_all_log_in() {
    let app = TestApp::spawn();
    for n in [6, 10] {
        let answers = at_once(n, |_| {
            app.password_grant("tgv.hn", tgpl_tests::DEMO_PASSWORD)
        });
        for r in &answers {
            assert_eq!(r.status, 200, "{n} at once: {}", r.body);
        }
    }
    // Nothing was counted against the name.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM login_attempts WHERE subject = 'tgv.hn'"
        ),
        0
    );
}

/// The same change of one's own password sent many times at once: one changes it, the others
/// learn the account changed; none counts as a wrong guess, so the new password logs in.
#[test]
fn own_password_changes_sent_at_once_change_it_once_and_lock_nothing() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let new_password = "Moi-MatKhau-2026";
    let answers = at_once(8, |_| {
        app.post(
            "/api/v1/me/password",
            &token,
            json!({"current_password": tgpl_tests::DEMO_PASSWORD, "new_password": new_password}),
        )
    });
    let (won, lost): (Vec<Resp>, Vec<Resp>) = answers.into_iter().partition(|r| r.status == 204);
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        lost.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    for r in &lost {
        // Those that arrive after the change find their token revoked.
        assert!(
            r.status == 401 || (r.status == 409 && r.json()["code"] == "concurrent_change"),
            "{} {}",
            r.status,
            r.body
        );
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM login_attempts WHERE subject = 'tgv.hn'"
        ),
        0
    );
    assert_eq!(app.password_grant("tgv.hn", new_password).status, 200);
}

#[test]
fn wrong_passwords_sent_at_once_are_checked_at_most_five_times() {
    let app = TestApp::spawn();
    let answers = at_once(10, |_| app.password_grant("tgv.hn", "Sai-mat-khau-1"));
    let failures = answers.iter().filter(|r| r.status == 401).count();
    let refused: Vec<&Resp> = answers.iter().filter(|r| r.status == 429).collect();
    assert_eq!(
        failures + refused.len(),
        10,
        "{:?}",
        answers
            .iter()
            .map(|r| (r.status, &r.body))
            .collect::<Vec<_>>()
    );
    assert!(failures <= 5, "{failures} wrong passwords were checked");
    assert_eq!(refused.len(), 5);
    for r in refused {
        // Fifteen minutes from the block, which began as the fifth failure was known.
        let seconds: u64 = r
            .header("retry-after")
            .and_then(|s| s.parse().ok())
            .expect("Retry-After");
        assert!((890..=900).contains(&seconds), "Retry-After: {seconds}");
    }
    // Blocked now, even with the right password.
    app.password_grant("tgv.hn", tgpl_tests::DEMO_PASSWORD)
        .assert_problem(429, "too_many_attempts");
}

/// A document deleted many times at once is deleted once: one 204, one audit entry, and the
/// others find it gone.
#[test]
fn an_attachment_deleted_at_once_is_deleted_once() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = app.open_case(&gd, "2026-04-01");
    let r = app
        .request(
            "POST",
            &format!("/api/v1/cases/{case}/attachments?file_name=don.pdf"),
        )
        .bearer(&gd)
        .bytes("application/pdf", b"%PDF-1.7\n%%EOF\n");
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/attachments/{id}");
    one_wins(
        at_once(12, |_| app.request("DELETE", &path).bearer(&gd).send()),
        204,
        404,
        "not_found",
    );
    let audit = app
        .get(
            &format!("/api/v1/audit-log?action=attachment.delete&resource_id={id}"),
            &app.admin(),
        )
        .json();
    assert_eq!(audit["total"], 1, "{audit}");
}

/// Changes of different kinds to one person (an edit, a membership, a card; an edit and
/// proofs), each sent with the same `If-Match`: the person's version covers them all, so one
/// passes and the others are told the record changed.
#[test]
fn changes_of_several_kinds_decided_on_one_version_pass_once() {
    let app = TestApp::spawn();
    let (gd, stp) = (app.token("gd.hn"), app.token("stp.hn"));
    let r = app.post(
        "/api/v1/staff",
        &gd,
        json!({"full_name": "Trịnh Văn Khải", "provider_kind": "collaborator",
               "membership": {"organization_id": app.org_id("TTTGPL-HN"), "relation": "collaborator", "title": "collaborator"}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let person = format!("/api/v1/staff/{}", r.json()["id"].as_str().expect("id"));
    let branch = app.org_id("TTTGPL-HN-CN1");
    // A race shows only now and then: a few rounds, each from the version the last one left.
    for round in 0..3 {
        let etag = app
            .get(&person, &gd)
            .header("etag")
            .expect("etag")
            .to_owned();
        let answers = at_once(3, |i| {
            match i {
            0 => app
                .request("PATCH", &person)
                .bearer(&gd)
                .header("If-Match", &etag)
                .json(json!({"phone": format!("09120000{round}{round}")})),
            1 => app
                .request("POST", &format!("{person}/memberships"))
                .bearer(&gd)
                .header("If-Match", &etag)
                .json(json!({"organization_id": branch, "relation": "collaborator",
                             "title": "collaborator", "valid_from": format!("2026-0{}-01", round + 1)})),
            _ => app
                .request("POST", &format!("{person}/collaborator-cards"))
                .bearer(&stp)
                .header("If-Match", &etag)
                .json(json!({"card_number": format!("CTV-K-{round}"), "issued_on": "2026-01-01",
                             "expires_on": "2030-12-31"})),
        }
        });
        let (won, lost): (Vec<Resp>, Vec<Resp>) = answers.into_iter().partition(|r| r.status < 300);
        assert_eq!(
            won.len(),
            1,
            "round {round}: {:?}",
            lost.iter().map(|r| &r.body).collect::<Vec<_>>()
        );
        for r in lost {
            // A loser that would have been refused anyway (a second card, a membership
            // overlapping the winner's) may say so instead.
            assert!(
                [412, 409].contains(&r.status),
                "round {round}: {} {}",
                r.status,
                r.body
            );
        }
    }

    let tgv = app.token("tgv.hn");
    let r = app.post(
        "/api/v1/recipients",
        &tgv,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "full_name": "Hà Thị Lan",
               "gender": "female", "date_of_birth": "1950-05-06"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/recipients/{id}");
    let etag = r.header("etag").expect("etag").to_owned();
    let answers = at_once(6, |i| {
        if i == 0 {
            app.request("PATCH", &path)
                .bearer(&tgv)
                .header("If-Match", &etag)
                .json(json!({"commune": "Phường Ba Đình"}))
        } else {
            app.request("POST", &format!("{path}/proofs"))
                .bearer(&tgv)
                .header("If-Match", &etag)
                .json(json!({"kind": "status", "category": "meritorious",
                             "document_kind": "Giấy chứng nhận", "provided_on": format!("2026-01-0{i}")}))
        }
    });
    let (won, lost): (Vec<Resp>, Vec<Resp>) = answers.into_iter().partition(|r| r.status < 300);
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        lost.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    for r in &lost {
        r.assert_problem(412, "precondition_failed");
    }
    // The proof stored is the winner's, if a proof won.
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM recipient_proofs WHERE recipient_id = '{id}'")
        ),
        i64::from(won[0].status == 201),
    );
}

#[test]
fn identical_staff_sent_at_once_are_recorded_once() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let body = json!({"full_name": "Lý Văn Phong", "date_of_birth": "1988-08-08",
                      "provider_kind": "lawyer", "lawyer_card_number": "LS-31415/HN",
                      "membership": {"organization_id": app.org_id("TTTGPL-HN"), "relation": "contract", "title": "lawyer"}});
    let answers = at_once(5, |_| app.post("/api/v1/staff", &gd, body.clone()));
    one_wins(answers, 201, 409, "possible_duplicates");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM staff WHERE lawyer_card_number = 'LS-31415/HN'"
        ),
        1
    );
}

/// One provider named at once for the defence and for the victims of one proceedings: one
/// side gets them, the other is told the interests are opposed.
#[test]
fn one_provider_assigned_at_once_to_both_sides_of_a_proceeding_gets_one() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let recipient =
        app.get("/api/v1/recipients?q=tran%20van%20be", &gd).json()["items"][0]["id"].clone();
    let officer =
        app.get("/api/v1/staff?q=nguyen%20van%20an", &gd).json()["items"][0]["id"].clone();
    let cases: Vec<String> = ["defence", "victim_protection", "victim_protection"]
        .iter()
        .map(|role| {
            let r = app.post(
                "/api/v1/cases",
                &gd,
                json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient,
                       "received_on": "2026-03-02", "field": "criminal", "form": "litigation",
                       "place": "at_office", "group_ref": "VA-RACE-1", "summary": "Vụ án",
                       "litigation": {"role": role}}),
            );
            let id = r.json()["id"].as_str().expect("id").to_owned();
            let r = app.post(&format!("/api/v1/cases/{id}/steps/accept"), &gd, json!({}));
            assert_eq!(r.status, 200, "{}", r.body);
            id
        })
        .collect();
    let answers = at_once(3, |i| {
        app.post(
            &format!("/api/v1/cases/{}/steps/assign_provider", cases[i]),
            &gd,
            json!({"provider_id": officer}),
        )
    });
    let won: Vec<usize> = (0..3).filter(|i| answers[*i].status == 200).collect();
    // The defence alone, or the two victims' cases (the same side) together.
    assert!(won == [0] || won == [1, 2], "{won:?}");
    for (i, r) in answers.iter().enumerate() {
        if !won.contains(&i) {
            assert_eq!(
                r.refused_field(),
                ("provider_id".into(), "opposed_interests".into())
            );
        }
    }
}
