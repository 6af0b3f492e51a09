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
