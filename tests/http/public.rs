use serde_json::json;
use tgpl_tests::TestApp;

const PRIVATE: [&str; 8] = [
    "date_of_birth",
    "ethnicity",
    "gender",
    "phone",
    "email",
    "qualification",
    "citizen_id",
    "memberships",
];

#[test]
fn the_published_lists_need_no_login_and_show_nothing_private() {
    let app = TestApp::spawn();
    let r = app
        .request("GET", "/api/v1/public/providers?page_size=100")
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("public, max-age=300"));
    for field in PRIVATE {
        assert!(
            !r.body.contains(&format!("\"{field}\"")),
            "{field} leaked: {}",
            r.body
        );
    }
    assert!(!r.body.contains("0900 000 000"));
    let names: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["full_name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        names.contains(&"Phạm Thị Dung".to_owned()),
        "a carded collaborator is listed"
    );
    assert!(
        !names.contains(&"Hoàng Văn Em".to_owned()),
        "a revoked collaborator is not"
    );
    assert!(
        !names.contains(&"Đỗ Thị Giang".to_owned()),
        "staff who give no legal aid are not"
    );
    // Per organization: the lawyer appears for the firm and for the centre.
    assert_eq!(
        names.iter().filter(|n| *n == "Lê Minh Cường").count(),
        6,
        "3 provinces × (firm + centre)"
    );

    let hn = app
        .request(
            "GET",
            "/api/v1/public/providers?province_code=ha_noi&kind=collaborator",
        )
        .send()
        .json();
    assert_eq!(hn["total"], 1);
    assert_eq!(hn["items"][0]["card_number"], "CTV-HN-001");
    assert_eq!(hn["items"][0]["valid_to"], "2029-01-14");

    let r = app
        .request("GET", "/api/v1/public/organizations?province_code=da_nang")
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    let kinds: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        r.json()["total"],
        4,
        "centre, branch, law firm, counselling centre: {kinds:?}"
    );
    assert!(!kinds.contains(&"department".to_owned()));
    for field in ["phone", "email", "version", "search_text"] {
        assert!(
            !r.body.contains(&format!("\"{field}\"")),
            "{field} in {}",
            r.body
        );
    }
    let registered = app
        .request(
            "GET",
            "/api/v1/public/organizations?kind=counselling_center&province_code=ha_noi",
        )
        .send()
        .json();
    assert_eq!(
        registered["items"][0]["participation"]["certificate_number"],
        "01/2024/GĐK-STP-HN"
    );
    app.request("GET", "/api/v1/public/providers?kind=judge")
        .send()
        .assert_problem(422, "validation_failed");
}

#[test]
fn a_revoked_registration_leaves_the_published_list() {
    let app = TestApp::spawn();
    let stp = app.token("stp.dn");
    let counselling = app.org_id("TTTV-DN");
    let firm = app.org_id("CTL-DN");
    app.post(
        &format!("/api/v1/organizations/{firm}/participation/revoke"),
        &stp,
        json!({"reason": "x"}),
    )
    .assert_problem(409, "not_a_registration");
    app.post(
        &format!("/api/v1/organizations/{counselling}/participation/revoke"),
        &app.token("gd.dn"),
        json!({"reason": "x"}),
    )
    .assert_problem(404, "not_found");
    let r = app.post(
        &format!("/api/v1/organizations/{counselling}/participation/revoke"),
        &stp,
        json!({"on": "2026-10-01", "reason": "Không còn đủ điều kiện tham gia"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "revoked");
    let listed = app
        .request("GET", "/api/v1/public/organizations?province_code=da_nang")
        .send()
        .json();
    assert_eq!(listed["total"], 3);
    let org = app
        .get(&format!("/api/v1/organizations/{counselling}"), &stp)
        .json();
    assert_eq!(org["participation"]["status"], "revoked");
    assert_eq!(org["participation"]["ended_on"], "2026-10-01");
    app.post(
        &format!("/api/v1/organizations/{counselling}/participation/terminate"),
        &stp,
        json!({"reason": "x"}),
    )
    .assert_problem(409, "participation_not_in_force");
    // Registering again puts it back.
    let r = app
        .request("PATCH", &format!("/api/v1/organizations/{counselling}"))
        .bearer(&stp)
        .header("If-Match", &format!("\"{}\"", org["version"]))
        .json(json!({"participation": {"mode": "registration", "certificate_number": "02/2026/GĐK", "valid_from": "2026-11-01"}}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["participation"]["status"], "active");
    let actions = app
        .get(
            &format!("/api/v1/audit-log?resource_id={counselling}"),
            &app.admin(),
        )
        .json();
    let codes: Vec<&str> = actions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        &codes[..2],
        &["participation.register", "participation.revoke"]
    );
}

#[test]
fn amending_a_registration_is_dated_and_contracts_have_a_life_cycle() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hn");
    let counselling = app.org_id("TTTV-HN");
    let org = app
        .get(&format!("/api/v1/organizations/{counselling}"), &stp)
        .json();
    let r = app
        .request("PATCH", &format!("/api/v1/organizations/{counselling}"))
        .bearer(&stp)
        .header("If-Match", &format!("\"{}\"", org["version"]))
        .json(json!({"participation": {"mode": "registration", "certificate_number": "01/2024/GĐK-STP-HN",
                      "forms": ["counselling"], "fields": ["civil"], "valid_from": "2024-01-01", "valid_to": "2028-12-31"}}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["participation"]["status"], "active");
    assert!(r.json()["participation"]["amended_on"].is_string());
    assert_eq!(
        app.get(
            &format!("/api/v1/audit-log?action=participation.amend&resource_id={counselling}"),
            &app.admin()
        )
        .json()["total"],
        1
    );

    let firm = app.org_id("CTL-HN");
    let contracts = app
        .get(&format!("/api/v1/organizations/{firm}/contracts"), &stp)
        .json();
    assert_eq!(contracts.as_array().unwrap().len(), 1);
    let wrong = json!({"center_id": app.org_id("TTTGPL-DN"), "contract_number": "02/2026", "signed_on": "2026-01-05", "valid_from": "2026-01-05"});
    assert_eq!(
        app.post(
            &format!("/api/v1/organizations/{firm}/contracts"),
            &stp,
            wrong
        )
        .assert_problem(422, "validation_failed")["errors"][0]["code"],
        "not_a_center_here"
    );
    // The demo contract with the Hà Nội centre is in force until 2027-01-01 inclusive: a
    // second one for any of those days is refused, one from the day after is signed.
    let signed = |from: &str| {
        app.post(
            &format!("/api/v1/organizations/{firm}/contracts"),
            &stp,
            json!({"center_id": app.org_id("TTTGPL-HN"), "contract_number": "02/2026/HĐ", "signed_on": "2026-01-05",
                   "forms": ["litigation"], "fields": ["criminal", "land"], "valid_from": from, "valid_to": "2027-06-30"}),
        )
    };
    signed("2027-01-01").assert_problem(409, "contract_overlaps");
    // A contract is signed on a day that has come.
    let sign = |body: serde_json::Value| {
        app.post(
            &format!("/api/v1/organizations/{firm}/contracts"),
            &stp,
            body,
        )
    };
    let one_day_body = || {
        json!({"center_id": app.org_id("TTTGPL-HN"), "contract_number": "01/2030/HĐ", "signed_on": "2026-01-05",
               "valid_from": "2030-01-01", "valid_to": "2030-01-31"})
    };
    let one_day = one_day_body();
    assert_eq!(sign(one_day.clone()).status, 201);
    let mut future = one_day;
    future["signed_on"] = json!("2099-01-01");
    future["valid_from"] = json!("2031-01-01");
    future["valid_to"] = json!("2031-01-31");
    assert_eq!(
        sign(future).assert_problem(422, "validation_failed")["errors"][0]["field"],
        "signed_on"
    );
    // The firm takes part from 2024-01-01 to 2028-12-31: a contract signed on a day outside
    // those is refused, though its status is active.
    let mut before_it_took_part = one_day_body();
    before_it_took_part["signed_on"] = json!("2023-06-01");
    sign(before_it_took_part).assert_problem(409, "participation_not_in_force");
    let r = signed("2027-01-02");
    assert_eq!(r.status, 201, "{}", r.body);
    // A centre gives a number once: another contract of it, signed or amended, takes another.
    let mut same_number = one_day_body();
    same_number["contract_number"] = json!(" 02/2026/HĐ ");
    same_number["valid_from"] = json!("2032-01-01");
    same_number["valid_to"] = json!("2032-01-31");
    sign(same_number).assert_problem(409, "contract_number_taken");
    let demo = &contracts[0];
    app.request(
        "PATCH",
        &format!("/api/v1/contracts/{}", demo["id"].as_str().unwrap()),
    )
    .bearer(&stp)
    .header("If-Match", &format!("\"{}\"", demo["version"]))
    .json(json!({"contract_number": "02/2026/HĐ"}))
    .assert_problem(409, "contract_number_taken");
    app.request(
        "PATCH",
        &format!("/api/v1/contracts/{}", demo["id"].as_str().unwrap()),
    )
    .bearer(&stp)
    .header("If-Match", &format!("\"{}\"", demo["version"]))
    .json(json!({"valid_to": "2027-03-01"}))
    .assert_problem(409, "contract_overlaps");
    let contract = r.json()["id"].as_str().unwrap().to_owned();
    let location = r.header("location").unwrap().to_owned();
    let read = app.get(&location, &stp);
    assert_eq!(
        (read.status, read.header("etag"), read.json()["id"].as_str()),
        (200, Some("\"1\""), Some(contract.as_str()))
    );
    app.get(&location, &app.token("stp.dn"))
        .assert_problem(404, "not_found");
    app.request("PATCH", &format!("/api/v1/contracts/{contract}"))
        .bearer(&stp)
        .json(json!({"valid_to": "2028-01-05"}))
        .assert_problem(428, "precondition_required");
    let r = app
        .request("PATCH", &format!("/api/v1/contracts/{contract}"))
        .bearer(&stp)
        .header("If-Match", "\"1\"")
        .json(json!({"valid_to": "2028-01-05", "amended_on": "2026-06-01"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["amended_on"], "2026-06-01");
    // An amendment is dated in the contract's life and changes something.
    let amend = |body: serde_json::Value| {
        app.request("PATCH", &format!("/api/v1/contracts/{contract}"))
            .bearer(&stp)
            .header("If-Match", "\"2\"")
            .json(body)
            .refused_field()
    };
    assert_eq!(
        amend(json!({"valid_to": "2028-02-05", "amended_on": "2099-01-01"})),
        ("amended_on".to_owned(), "out_of_range".to_owned())
    );
    assert_eq!(
        amend(json!({"valid_to": "2028-01-05"})),
        ("body".to_owned(), "no_change".to_owned())
    );
    // A term over before it was signed is no contract.
    let mut over = one_day_body();
    over["contract_number"] = json!("03/2019/HĐ");
    over["valid_from"] = json!("2019-01-01");
    over["valid_to"] = json!("2019-12-31");
    assert_eq!(
        sign(over).refused_field(),
        ("valid_to".to_owned(), "before_signing".to_owned())
    );
    // It ends on a day between its signing and today.
    for on in ["2026-01-04", "2099-01-01"] {
        let problem = app
            .post(
                &format!("/api/v1/contracts/{contract}/terminate"),
                &stp,
                json!({"on": on, "reason": "Hai bên thỏa thuận"}),
            )
            .assert_problem(422, "validation_failed");
        assert_eq!(
            (
                &problem["errors"][0]["field"],
                &problem["errors"][0]["code"]
            ),
            (&json!("on"), &json!("out_of_range")),
            "{on}"
        );
    }
    let r = app.post(
        &format!("/api/v1/contracts/{contract}/terminate"),
        &stp,
        json!({"on": "2026-09-30", "reason": "Hai bên thỏa thuận"}),
    );
    assert_eq!(r.json()["status"], "terminated");
    assert_eq!(
        r.json()["ended_on"],
        "2027-01-02",
        "ended before it began: never in force"
    );
    app.post(
        &format!("/api/v1/contracts/{contract}/terminate"),
        &stp,
        json!({"reason": "x"}),
    )
    .assert_problem(409, "contract_terminated");
    app.post(
        &format!("/api/v1/contracts/{contract}/terminate"),
        &app.token("stp.dn"),
        json!({"reason": "x"}),
    )
    .assert_problem(404, "not_found");
}

#[test]
fn participation_cannot_be_erased_and_its_end_takes_contracts_and_people_off_the_lists() {
    let app = TestApp::spawn();
    let stp = app.token("stp.hcm");
    let firm = app.org_id("CTL-HCM");
    let org = app
        .get(&format!("/api/v1/organizations/{firm}"), &stp)
        .json();
    app.request("PATCH", &format!("/api/v1/organizations/{firm}"))
        .bearer(&stp)
        .header("If-Match", &format!("\"{}\"", org["version"]))
        .json(json!({"participation": null}))
        .assert_problem(409, "participation_has_history");
    // Nor does its mode change.
    assert_eq!(org["participation"]["mode"], "contract", "{org}");
    app.request("PATCH", &format!("/api/v1/organizations/{firm}"))
        .bearer(&stp)
        .header("If-Match", &format!("\"{}\"", org["version"]))
        .json(
            json!({"participation": {"mode": "registration", "certificate_number": "GCN-01",
            "forms": ["counselling"], "fields": ["civil"], "valid_from": "2024-01-01"}}),
        )
        .assert_problem(409, "participation_has_history");
    let lawyers = |app: &TestApp| -> i64 {
        app.request(
            "GET",
            "/api/v1/public/providers?province_code=ho_chi_minh&kind=lawyer",
        )
        .send()
        .json()["total"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(lawyers(&app), 2, "for the firm and for the centre");
    // Where the firm's lawyer can take cases, read as the firm's Department does.
    let lawyer = app.get("/api/v1/staff?q=le%20minh%20cuong", &stp).json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let takes_cases_for_firm = || {
        app.get(&format!("/api/v1/staff/{lawyer}"), &stp).json()["can_take_cases_for"]
            .as_array()
            .unwrap()
            .contains(&json!(firm))
    };
    assert!(takes_cases_for_firm());
    app.post(
        &format!("/api/v1/organizations/{firm}/participation/terminate"),
        &stp,
        json!({"on": "2999-01-01", "reason": "x"}),
    )
    .assert_problem(422, "validation_failed");
    let r = app.post(
        &format!("/api/v1/organizations/{firm}/participation/terminate"),
        &stp,
        json!({"reason": "Công ty giải thể"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let ended_on = r.json()["ended_on"].as_str().unwrap().to_owned();
    assert_eq!(lawyers(&app), 1, "only the centre's contract remains");
    assert!(!takes_cases_for_firm(), "the firm no longer takes part");
    let contracts = app
        .get(&format!("/api/v1/organizations/{firm}/contracts"), &stp)
        .json();
    assert_eq!(contracts[0]["status"], "terminated");
    let r = app.post(
        &format!("/api/v1/organizations/{firm}/contracts"),
        &stp,
        json!({"center_id": app.org_id("TTTGPL-HCM"), "contract_number": "9/2026", "signed_on": ended_on, "valid_from": ended_on}),
    );
    r.assert_problem(409, "participation_not_in_force");
}
