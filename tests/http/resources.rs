//! What an unfriendly or broken client can hold: connections, memory, database connections.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;
use tgpl_api::http::body_deadline::BodyDeadline;
use tgpl_tests::TestApp;

/// Opens a connection and sends `head` (request line and headers, without the blank line
/// that ends them) and then `body`, which may be shorter than the head declares.
fn send_raw(app: &TestApp, head: &str, body: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(app.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    let mut request = format!("{head}\r\nHost: test\r\n\r\n").into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).expect("send");
    stream
}

/// Reads a whole answer on a connection the server closes after it: its status and body.
fn read_until_closed(mut stream: TcpStream) -> (u16, Value) {
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .expect("the server answers and closes the connection");
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text}"));
    let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn short_body_deadline(
    app_deadline: Duration,
) -> impl FnOnce(&mut tgpl_api::server::ServerOptions) {
    move |options| {
        options.body_deadline = BodyDeadline {
            base: app_deadline,
            min_rate: 1024,
        }
    }
}

/// Connections that declare a body and never send it (all of it) hold nothing up: the
/// service and logins answer meanwhile, and each of them is answered 408 once its deadline
/// is past, and closed.
#[test]
fn bodies_that_never_arrive_are_answered_408_and_hold_nothing_up() {
    let app = TestApp::spawn_with(
        true,
        TestApp::pool_settings(),
        short_body_deadline(Duration::from_secs(2)),
    );
    let token = app.token("gd.hn");
    let started = Instant::now();
    let mut stalled = Vec::new();
    for i in 0..150 {
        // The token endpoint takes anyone; the JSON endpoint a signed-in person.
        stalled.push(send_raw(
            &app,
            "POST /api/v1/auth/token HTTP/1.1\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200",
            if i % 2 == 0 { b"" } else { b"grant_type=pass" },
        ));
        stalled.push(send_raw(
            &app,
            &format!(
                "POST /api/v1/recipients HTTP/1.1\r\nAuthorization: Bearer {token}\r\n\
                 Content-Type: application/json\r\nContent-Length: 500"
            ),
            b"{\"full_name\":",
        ));
    }
    let r = app.request("GET", "/health/live").send();
    assert_eq!(r.status, 200);
    app.token("tgv.hn");
    for stream in stalled {
        let (status, body) = read_until_closed(stream);
        assert_eq!(status, 408, "{body}");
        assert_eq!(body["code"], "request_timeout", "{body}");
    }
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "nobody was cut off before the deadline"
    );
    // The server goes on.
    assert_eq!(app.request("GET", "/health/live").send().status, 200);
}

fn open_case(app: &TestApp, token: &str) -> String {
    app.open_case(token, "2026-04-01")
}

/// Files in the attachment store, staged ones (`*.partial`) apart.
fn stored_files(app: &TestApp) -> (usize, usize) {
    let root = app.db.scratch_dir().join("attachments");
    let mut staged = 0;
    let mut kept = 0;
    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().ends_with(".partial") {
            staged += 1;
        } else if entry.path().is_dir() {
            kept += std::fs::read_dir(entry.path()).unwrap().count();
        }
    }
    (staged, kept)
}

/// A declared length over the limit is refused at once, without waiting for the body.
#[test]
fn an_oversized_declared_upload_is_refused_before_its_body() {
    let app = TestApp::spawn();
    let token = app.token("tgv.hn");
    let case = open_case(&app, &token);
    let started = Instant::now();
    let stream = send_raw(
        &app,
        &format!(
            "POST /api/v1/cases/{case}/attachments?file_name=lon.pdf HTTP/1.1\r\n\
             Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n\
             Content-Length: 314572800"
        ),
        b"%PDF-1.7\n",
    );
    let (status, body) = read_until_closed(stream);
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["code"], "attachment_too_large");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "answered before the body deadline (30 s)"
    );
    assert_eq!(stored_files(&app), (0, 0));
}

/// Uploads in progress are bounded: one more is refused with 503 and `Retry-After`, and
/// uploads that are given up leave nothing in the store.
#[test]
fn uploads_in_progress_are_bounded_and_leave_nothing_when_given_up() {
    let app = TestApp::spawn_with(true, TestApp::pool_settings(), |options| {
        options.max_uploads = 2
    });
    let token = app.token("tgv.hn");
    let case = open_case(&app, &token);
    let upload_head = format!(
        "POST /api/v1/cases/{case}/attachments?file_name=don.pdf HTTP/1.1\r\n\
         Authorization: Bearer {token}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: 30000"
    );
    let started: Vec<TcpStream> = (0..2)
        .map(|_| send_raw(&app, &upload_head, b"%PDF-1.7\n"))
        .collect();
    // Both are under way: their bytes are being written to the store.
    tgpl_tests::eventually("two uploads in progress", || stored_files(&app).0 == 2);
    let upload = |name: &str| {
        app.request(
            "POST",
            &format!("/api/v1/cases/{case}/attachments?file_name={name}"),
        )
        .bearer(&token)
        .bytes("application/octet-stream", b"%PDF-1.7\n")
    };
    let r = upload("them.pdf");
    r.assert_problem(503, "too_many_uploads");
    assert_eq!(r.header("retry-after"), Some("5"));
    // The two clients give up: what they sent is removed, and uploads are taken again.
    for stream in started {
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
    tgpl_tests::eventually("given-up uploads leave nothing", || {
        stored_files(&app) == (0, 0)
    });
    tgpl_tests::eventually("uploads are taken again", || {
        upload("sau.pdf").status == 201
    });
    assert_eq!(stored_files(&app), (0, 1));
}

/// When PostgreSQL holds a request's work (here a lock taken from outside, standing in for a
/// server that stops answering), the request is answered 503 once its task timeout is past,
/// long before the statement timeout; a request queueing behind it for the only connection
/// is answered 503 after the pool timeout. Both recover once the database answers again.
#[test]
fn a_database_that_stops_answering_is_answered_503_within_the_deadline() {
    let pool = tgpl_persistence::PoolSettings {
        max_size: 1,
        acquire_timeout: Duration::from_secs(2),
        task_timeout: Duration::from_secs(2),
        ..tgpl_persistence::PoolSettings::default()
    };
    let app = TestApp::spawn_with(true, pool, |_| {});
    if !app.db.is_postgres() {
        eprintln!("skipped: needs PostgreSQL (TEST_DATABASE_URL), whose locks stand in for a wedged server");
        return;
    }
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let token = app.token("gd.hn");
    assert_eq!(app.get("/api/v1/organizations", &token).status, 200);
    let mut blocker = diesel::PgConnection::establish(&app.db.url()).unwrap();
    blocker
        .batch_execute("BEGIN; LOCK TABLE organizations IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    let started = Instant::now();
    let held = std::thread::scope(|s| {
        let held = s.spawn(|| app.get("/api/v1/organizations", &token));
        std::thread::sleep(Duration::from_millis(300));
        let queued_at = Instant::now();
        let queued = app.request("GET", "/health/ready").send();
        queued.assert_problem(503, "service_unavailable");
        assert!(
            queued_at.elapsed() < Duration::from_secs(10),
            "the pool timeout (2 s) is waited once: {:?}",
            queued_at.elapsed()
        );
        held.join().unwrap()
    });
    held.assert_problem(503, "service_unavailable");
    assert!(held.header("retry-after").is_some());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "answered within its deadline (2 s + 2 s), not the statement timeout (30 s): {:?}",
        started.elapsed()
    );
    blocker.batch_execute("ROLLBACK").unwrap();
    tgpl_tests::eventually("the service recovers", || {
        app.get("/api/v1/organizations", &token).status == 200
    });
}

/// Past `max_connections` new connections wait to be accepted instead of being served (or
/// exhausting the process's files); when one closes, the next waiting one is served.
#[test]
fn connections_past_the_cap_wait_until_one_closes() {
    let app = TestApp::spawn_with(true, TestApp::pool_settings(), |options| {
        options.max_connections = 3;
    });
    let live = "GET /health/live HTTP/1.1";
    // Three kept-alive connections, each served once and then left open.
    let held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut stream = send_raw(&app, live, b"");
            let mut answer = [0u8; 12];
            stream.read_exact(&mut answer).expect("served");
            assert_eq!(&answer, b"HTTP/1.1 200");
            stream
        })
        .collect();
    let mut waiting = send_raw(&app, live, b"");
    waiting
        .set_read_timeout(Some(Duration::from_millis(700)))
        .expect("read timeout");
    let mut answer = [0u8; 12];
    assert!(
        waiting.read_exact(&mut answer).is_err(),
        "a fourth connection is not served while three are held"
    );
    drop(held);
    waiting
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    waiting
        .read_exact(&mut answer)
        .expect("served once a held connection closes");
    assert_eq!(&answer, b"HTTP/1.1 200");
}

/// Clients that ask for a large download and stop reading it do not hold their connections
/// for ever: once what was sent stays unread past `stalled_client`, the connection is dropped,
/// and the server, with every connection slot taken by them meanwhile, serves others again.
#[test]
fn downloads_nobody_reads_do_not_hold_the_server() {
    const SIZE: usize = 20 * 1024 * 1024;
    let app = TestApp::spawn_with(true, TestApp::pool_settings(), |options| {
        options.attachment_max_bytes = SIZE;
        options.max_connections = 2;
        options.stalled_client = Duration::from_secs(2);
    });
    let token = app.token("tgv.hn");
    let case = open_case(&app, &token);
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(SIZE, b'x');
    let r = app
        .request(
            "POST",
            &format!("/api/v1/cases/{case}/attachments?file_name=ho-so.pdf"),
        )
        .bearer(&token)
        .bytes("application/octet-stream", &pdf);
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let head = format!("GET /api/v1/attachments/{id} HTTP/1.1\r\nAuthorization: Bearer {token}");
    // Both connection slots, each with a download its client never reads.
    let stalled: Vec<TcpStream> = (0..2).map(|_| send_raw(&app, &head, b"")).collect();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let mut live = send_raw(&app, "GET /health/live HTTP/1.1", b"");
    live.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    let mut answer = [0u8; 12];
    live.read_exact(&mut answer)
        .expect("served once the stalled downloads are dropped");
    assert_eq!(&answer, b"HTTP/1.1 200");
    assert!(
        started.elapsed() < Duration::from_secs(45),
        "served after {:?}",
        started.elapsed()
    );
    drop(stalled);
}
