use serde_json::{json, Value};
use tgpl_tests::{TestApp, ATTACHMENT_LIMIT};

fn open_case(app: &TestApp, token: &str) -> String {
    let recipient =
        app.get("/api/v1/recipients?q=lo%20van%20pao", token).json()["items"][0]["id"].clone();
    let r = app.post(
        "/api/v1/cases",
        token,
        json!({"organization_id": app.org_id("TTTGPL-HN"), "recipient_id": recipient, "received_on": "2026-04-01",
               "field": "land", "form": "counselling", "place": "at_office", "summary": "Tư vấn"}),
    );
    r.json()["id"].as_str().unwrap().to_owned()
}

fn upload(app: &TestApp, token: &str, case: &str, name: &str, content: &[u8]) -> tgpl_tests::Resp {
    app.request(
        "POST",
        &format!("/api/v1/cases/{case}/attachments?file_name={name}"),
    )
    .bearer(token)
    .bytes("application/octet-stream", content)
}

fn listed(app: &TestApp, token: &str, case: &str) -> Vec<Value> {
    app.get(&format!("/api/v1/cases/{case}/attachments"), token)
        .json()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn documents_are_uploaded_listed_downloaded_and_deleted() {
    let app = TestApp::spawn();
    let tgv = app.token("tgv.hn");
    let case = open_case(&app, &tgv);
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".to_vec();
    let r = upload(&app, &tgv, &case, "don-yeu-cau.pdf", &pdf);
    assert_eq!(r.status, 201, "{}", r.body);
    let attachment = r.json();
    assert_eq!(attachment["content_type"], "application/pdf");
    assert_eq!(attachment["size_bytes"], pdf.len());
    assert_eq!(attachment["sha256"].as_str().unwrap().len(), 64);
    let id = attachment["id"].as_str().unwrap();
    assert_eq!(listed(&app, &tgv, &case).len(), 1);
    let download = app.get(&format!("/api/v1/attachments/{id}"), &app.token("gd.hn"));
    assert_eq!(download.status, 200);
    assert_eq!(download.raw, pdf);
    assert_eq!(download.header("content-type"), Some("application/pdf"));
    assert!(download
        .header("content-disposition")
        .unwrap()
        .contains("don-yeu-cau.pdf"));
    app.get(&format!("/api/v1/attachments/{id}"), &app.token("gd.dn"))
        .assert_problem(404, "not_found");
    // The Department oversees the case, not the aided person's documents.
    app.get(&format!("/api/v1/attachments/{id}"), &app.token("stp.hn"))
        .assert_problem(404, "not_found");
    app.get(
        &format!("/api/v1/cases/{case}/attachments"),
        &app.token("stp.hn"),
    )
    .assert_problem(404, "not_found");
    let log = app
        .get("/api/v1/recipient-access-log?page_size=100", &app.admin())
        .json();
    assert!(log["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["access"] == "attachment" && e["username"] == "gd.hn"));
    assert_eq!(
        app.request("DELETE", &format!("/api/v1/attachments/{id}"))
            .bearer(&tgv)
            .send()
            .status,
        204
    );
    assert!(listed(&app, &tgv, &case).is_empty());
    app.get(&format!("/api/v1/attachments/{id}"), &tgv)
        .assert_problem(404, "not_found");
}

#[test]
fn oversized_or_forbidden_files_are_refused_with_nothing_stored() {
    let app = TestApp::spawn();
    let tgv = app.token("tgv.hn");
    let case = open_case(&app, &tgv);
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(ATTACHMENT_LIMIT + 1, b'x');
    upload(&app, &tgv, &case, "lon.pdf", &big).assert_problem(413, "attachment_too_large");
    upload(
        &app,
        &tgv,
        &case,
        "hoa-don.pdf",
        b"MZ\x90\x00 this is a program",
    )
    .assert_problem(415, "unsupported_attachment_type");
    upload(
        &app,
        &tgv,
        &case,
        "trang.html",
        b"<html><script>alert(1)</script>",
    )
    .assert_problem(415, "unsupported_attachment_type");
    let r = upload(&app, &tgv, &case, "don.exe", b"%PDF-1.7");
    assert_eq!(
        r.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "file_name_disagrees"
    );
    upload(&app, &tgv, &case, "rong.pdf", b"").assert_problem(422, "validation_failed");
    assert!(listed(&app, &tgv, &case).is_empty(), "nothing was recorded");
    let stored = std::fs::read_dir(app.db.scratch_dir().join("attachments"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(stored, 0, "nothing was written to the store");
    upload(&app, &app.token("tgv.dn"), &case, "don.pdf", b"%PDF-1.7")
        .assert_problem(404, "not_found");
}

#[test]
fn an_archived_case_takes_no_files_and_a_closed_one_keeps_them() {
    let app = TestApp::spawn();
    let gd = app.token("gd.hn");
    let case = open_case(&app, &gd);
    let provider =
        app.get("/api/v1/staff?q=nguyen%20van%20an", &gd).json()["items"][0]["id"].clone();
    let kept = upload(&app, &gd, &case, "bien-ban.pdf", b"%PDF-1.4 ...").json();
    for (step, body) in [
        ("accept", json!({})),
        ("assign_provider", json!({"provider_id": provider})),
        ("start", json!({})),
        ("complete", json!({})),
    ] {
        assert_eq!(
            app.post(&format!("/api/v1/cases/{case}/steps/{step}"), &gd, body)
                .status,
            200
        );
    }
    assert_eq!(
        upload(&app, &gd, &case, "bo-sung.png", b"\x89PNG\r\n\x1a\n....").status,
        201,
        "a completed case still takes files"
    );
    app.request(
        "DELETE",
        &format!("/api/v1/attachments/{}", kept["id"].as_str().unwrap()),
    )
    .bearer(&gd)
    .send()
    .assert_problem(409, "case_locked");
    assert_eq!(
        app.post(
            &format!("/api/v1/cases/{case}/steps/archive"),
            &gd,
            json!({})
        )
        .status,
        200
    );
    upload(&app, &gd, &case, "muon.pdf", b"%PDF-1.4").assert_problem(409, "case_archived");
    assert_eq!(listed(&app, &gd, &case).len(), 2);
}
