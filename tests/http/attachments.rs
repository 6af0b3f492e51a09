use serde_json::{json, Value};
use tgpl_tests::{TestApp, ATTACHMENT_LIMIT};

fn open_case(app: &TestApp, token: &str) -> String {
    app.open_case(token, "2026-04-01")
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
    // A Vietnamese name travels encoded (RFC 8187), with an ASCII fallback.
    let r = upload(
        &app,
        &tgv,
        &case,
        "Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf",
        &pdf,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let named = app.get(
        &format!("/api/v1/attachments/{}", r.json()["id"].as_str().unwrap()),
        &tgv,
    );
    assert_eq!(
        named.header("content-disposition"),
        Some("attachment; filename=\"bien ban hop.pdf\"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf")
    );
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
    assert_eq!(listed(&app, &tgv, &case).len(), 1, "the other document");
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
        r.refused_field(),
        ("file_name".to_owned(), "file_name_disagrees".to_owned())
    );
    upload(&app, &tgv, &case, "rong.pdf", b"").assert_problem(422, "validation_failed");
    // A name that is only an extension, or a path, names nothing.
    for name in [".pdf", "..", "..%2Fdon.pdf", "%E2%80%AEfdp.exe.pdf"] {
        let problem =
            upload(&app, &tgv, &case, name, b"%PDF-1.7").assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "file_name", "{name}");
    }
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

/// Makes a file look as old as a crash long ago would have left it.
fn age(path: &std::path::Path) {
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(long_ago))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// A crash at any point between receiving a document's bytes and recording them leaves the
/// store and the records in agreement once the server starts again. The test server runs
/// in the test's own process, so the crash is not a real kill: the test leaves on disk
/// exactly what a kill at each point leaves (an upload is staged in a partial file at the
/// store's root, kept under a pending name, the record is committed, the pending name is
/// confirmed) and restarts.
#[test]
fn a_crash_between_storing_and_recording_a_document_leaves_no_orphan() {
    let mut app = TestApp::spawn();
    let tgv = app.token("tgv.hn");
    let case = open_case(&app, &tgv);
    let root = app.attachments_dir();
    let store = root.join(&case);
    let pdf = b"%PDF-1.7\n%%EOF\n";

    // An upload that went through: recorded and confirmed, nothing pending.
    let r = upload(&app, &tgv, &case, "don.pdf", pdf);
    assert_eq!(r.status, 201, "{}", r.body);
    let done = r.json()["id"].as_str().unwrap().to_owned();
    assert!(store.join(&done).is_file());
    assert!(!store.join(format!("{done}.pending")).exists());

    // Killed after the record, before the confirmation: the bytes are still pending, and
    // reads find them all the same.
    let r = upload(&app, &tgv, &case, "bien-ban.pdf", pdf);
    assert_eq!(r.status, 201, "{}", r.body);
    let recorded = r.json()["id"].as_str().unwrap().to_owned();
    let pending_recorded = store.join(format!("{recorded}.pending"));
    std::fs::rename(store.join(&recorded), &pending_recorded).unwrap();
    age(&pending_recorded);
    assert_eq!(
        app.get(&format!("/api/v1/attachments/{recorded}"), &tgv)
            .raw,
        pdf
    );

    // Killed after the bytes were kept, before the record: a pending file nobody records.
    let orphan = store.join("0192f000-0000-7000-8000-00000000dead.pending");
    std::fs::write(&orphan, pdf).unwrap();
    age(&orphan);
    // Killed while the upload arrived: a staged, partial file.
    let partial = root.join("0192f0000000700080000000000beef.partial");
    std::fs::write(&partial, &pdf[..4]).unwrap();
    age(&partial);
    // Uploads under way on another server sharing the store: young, left alone.
    let under_way = store.join("0192f000-0000-7000-8000-00000000f00d.pending");
    std::fs::write(&under_way, pdf).unwrap();
    let arriving = root.join("0192f0000000700080000000000f00d.partial");
    std::fs::write(&arriving, &pdf[..4]).unwrap();

    app.restart();

    assert!(!orphan.exists(), "the unrecorded file is removed");
    assert!(!partial.exists(), "the partial write is removed");
    assert!(
        under_way.exists() && arriving.exists(),
        "uploads under way elsewhere are spared"
    );
    assert!(
        store.join(&recorded).is_file(),
        "the recorded file is confirmed"
    );
    assert!(!pending_recorded.exists());
    assert!(store.join(&done).is_file());
    for id in [&done, &recorded] {
        let r = app.get(&format!("/api/v1/attachments/{id}"), &tgv);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.raw, pdf);
    }
    assert_eq!(listed(&app, &tgv, &case).len(), 2);
}

/// A document as large as allowed is served in pieces from the store, and arrives whole, byte
/// for byte, with its length announced before it.
#[test]
fn a_document_at_the_size_limit_comes_back_whole() {
    const LIMIT: usize = 3 * 1024 * 1024 + 17;
    let app = TestApp::spawn_with(true, TestApp::pool_settings(), |options| {
        options.attachment_max_bytes = LIMIT;
    });
    let tgv = app.token("tgv.hn");
    let case = open_case(&app, &tgv);
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend((0..LIMIT - pdf.len()).map(|i| (i % 251) as u8));
    let r = upload(&app, &tgv, &case, "ho-so-day-du.pdf", &pdf);
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let download = app.get(&format!("/api/v1/attachments/{id}"), &tgv);
    assert_eq!(download.status, 200);
    let announced = pdf.len().to_string();
    assert_eq!(download.header("content-length"), Some(announced.as_str()));
    assert!(download.raw == pdf, "the bytes come back as they went");
}

/// A stored file that is no longer the size recorded (damaged on disk) is never served as
/// the document: the download fails, and says so in the log.
#[test]
fn a_damaged_stored_file_is_not_served() {
    let app = TestApp::spawn();
    let tgv = app.token("tgv.hn");
    let case = open_case(&app, &tgv);
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(4096, b'x');
    let r = upload(&app, &tgv, &case, "bien-ban.pdf", &pdf);
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let stored: Vec<_> = walk(&app.attachments_dir())
        .into_iter()
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() == 4096))
        .collect();
    assert_eq!(stored.len(), 1, "{stored:?}");
    std::fs::write(&stored[0], &pdf[..1000]).unwrap();
    app.get(&format!("/api/v1/attachments/{id}"), &tgv)
        .assert_problem(500, "internal_error");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// A store the server can no longer write to is the operator's to mend: an upload is
/// answered 503 with `Retry-After` and records nothing, and works again once it is mended.
#[test]
fn an_upload_to_a_store_that_cannot_be_written_is_answered_503() {
    let app = TestApp::spawn();
    let tgv = app.token("tgv.hn");
    let case = open_case(&app, &tgv);
    let dir = app.attachments_dir();
    let kept = upload(&app, &tgv, &case, "giu.pdf", b"%PDF-1.7 kept");
    assert_eq!(kept.status, 201, "{}", kept.body);
    let kept = format!(
        "/api/v1/attachments/{}",
        kept.json()["id"].as_str().unwrap()
    );
    // A store out of reach (moved away, not mounted): downloads wait for it, like uploads.
    let away = dir.with_extension("away");
    std::fs::rename(&dir, &away).unwrap();
    let r = app.get(&kept, &tgv);
    r.assert_problem(503, "service_unavailable");
    assert!(r.header("retry-after").is_some());
    std::fs::rename(&away, &dir).unwrap();
    assert_eq!(app.get(&kept, &tgv).status, 200);
    app.request("DELETE", &kept).bearer(&tgv).send();
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"not a directory").unwrap();
    let r = upload(&app, &tgv, &case, "don.pdf", b"%PDF-1.7 a request");
    r.assert_problem(503, "service_unavailable");
    assert!(r.header("retry-after").is_some());
    assert!(listed(&app, &tgv, &case).is_empty(), "nothing was recorded");
    std::fs::remove_file(&dir).unwrap();
    std::fs::create_dir(&dir).unwrap();
    let r = upload(&app, &tgv, &case, "don.pdf", b"%PDF-1.7 a request");
    assert_eq!(r.status, 201, "{}", r.body);
}

/// A contracted lawyer adds to the file of the case they perform and removes what they put
/// there, never the documents the centre filed.
#[test]
fn a_contracted_lawyer_removes_only_the_documents_they_uploaded() {
    let app = TestApp::spawn();
    let (gd, tgv, ls) = (app.token("gd.hn"), app.token("tgv.hn"), app.token("ls.hn"));
    let lawyer = app
        .get("/api/v1/staff?q=L%C3%AA%20Minh%20C%C6%B0%E1%BB%9Dng", &gd)
        .json()["items"][0]["id"]
        .clone();
    let case = open_case(&app, &tgv);
    let step = |name: &str, body: Value| {
        let r = app.post(&format!("/api/v1/cases/{case}/steps/{name}"), &gd, body);
        assert_eq!(r.status, 200, "{}", r.body);
    };
    step("accept", json!({"on": "2026-04-02"}));
    step(
        "assign_provider",
        json!({"on": "2026-04-03", "provider_id": lawyer}),
    );
    let pdf = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n".to_vec();
    let id_of = |r: tgpl_tests::Resp| {
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_owned()
    };
    let centres = id_of(upload(&app, &tgv, &case, "don.pdf", &pdf));
    let lawyers = id_of(upload(&app, &ls, &case, "ban-tu-bao-chua.pdf", &pdf));
    let remove = |token: &str, id: &str| {
        app.request("DELETE", &format!("/api/v1/attachments/{id}"))
            .bearer(token)
            .send()
    };
    remove(&ls, &centres).assert_problem(403, "forbidden");
    assert_eq!(listed(&app, &tgv, &case).len(), 2, "nothing removed");
    assert_eq!(remove(&ls, &lawyers).status, 204);
    let again = id_of(upload(&app, &ls, &case, "ban-tu-bao-chua.pdf", &pdf));
    assert_eq!(remove(&tgv, &again).status, 204, "the centre removes any");
    let left: Vec<Value> = listed(&app, &tgv, &case);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], json!(centres));
}
