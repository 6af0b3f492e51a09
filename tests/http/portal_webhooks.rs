//! The portal's callbacks: signed, retried until acknowledged, in order per dossier, and
//! delivered after a restart, checked against a real receiver on port 0.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tgpl_tests::TestApp;

use crate::portal::Portal;

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    timestamp: i64,
    signature: String,
    delivery: String,
    body: String,
}

/// An HTTP receiver on its own thread that answers 500 to its first `fail_first`
/// requests and 204 afterwards, keeping every request.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    handle: actix_web::dev::ServerHandle,
}

impl Receiver {
    fn start(listener: TcpListener, fail_first: usize) -> Self {
        let addr = listener.local_addr().unwrap();
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let kept = got.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = HttpServer::new(move || {
                    let kept = kept.clone();
                    App::new().default_service(web::to(
                        move |req: HttpRequest, body: web::Bytes| {
                            let kept = kept.clone();
                            async move {
                                let header = |n: &str| {
                                    req.headers()
                                        .get(n)
                                        .and_then(|v| v.to_str().ok())
                                        .unwrap_or("")
                                        .to_owned()
                                };
                                let mut all = kept.lock().unwrap();
                                all.push(Received {
                                    timestamp: header("x-tgpl-timestamp").parse().unwrap_or(0),
                                    signature: header("x-tgpl-signature"),
                                    delivery: header("x-tgpl-delivery"),
                                    body: String::from_utf8_lossy(&body).into_owned(),
                                });
                                if all.len() <= fail_first {
                                    HttpResponse::InternalServerError().finish()
                                } else {
                                    HttpResponse::NoContent().finish()
                                }
                            }
                        },
                    ))
                })
                .workers(1)
                .listen(listener)
                .unwrap()
                .run();
                tx.send(server.handle()).unwrap();
                let _ = server.await;
            });
        });
        Self {
            url: format!("http://{addr}/tgpl/callback"),
            got,
            handle: rx.recv().unwrap(),
        }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// The requests, once `n` were acknowledged (answered after the failures).
    fn wait_for(&self, acknowledged: usize, fail_first: usize, within: Duration) -> Vec<Received> {
        let until = Instant::now() + within;
        loop {
            let got = self.received();
            if got.len() >= acknowledged + fail_first {
                return got;
            }
            assert!(
                Instant::now() < until,
                "only {} requests arrived: {got:?}",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

/// What the portal does with a delivery: checks the signature and the timestamp.
fn verify(secret: &str, r: &Received) -> Value {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.{}", r.timestamp, r.body).as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(r.signature, format!("v1={expected}"), "signature");
    assert!(
        (chrono::Utc::now().timestamp() - r.timestamp).abs() < 300,
        "fresh timestamp"
    );
    serde_json::from_str(&r.body).expect("JSON body")
}

fn register(app: &TestApp, url: &str) -> String {
    let r = app.post("/api/v1/portal/webhooks", &app.admin(), json!({"url": url}));
    assert_eq!(r.status, 201, "{}", r.body);
    let secret = r.json()["secret"]
        .as_str()
        .expect("secret shown once")
        .to_owned();
    let listed = app.get("/api/v1/portal/webhooks", &app.admin()).json();
    assert!(listed[0].get("secret").is_none(), "never shown again");
    secret
}

#[test]
fn callbacks_are_signed_retried_and_in_order_per_dossier() {
    let app = TestApp::spawn();
    let fail_first = 2;
    let receiver = Receiver::start(TcpListener::bind("127.0.0.1:0").unwrap(), fail_first);
    let secret = register(&app, &receiver.url);
    let portal = Portal::new(&app);
    let gd = app.token("gd.hn");
    let id = portal.filed(&portal.dossier("HOOK-1", "provider_change", &app.org_id("TTTGPL-HN")));
    for (step, body) in [("accept", json!({})), ("complete", json!({"note": "Xong"}))] {
        let r = app.post(&format!("/api/v1/dossiers/{id}/steps/{step}"), &gd, body);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let got = receiver.wait_for(3, fail_first, Duration::from_secs(30));
    let bodies: Vec<Value> = got.iter().map(|r| verify(&secret, r)).collect();
    // The first entry failed twice and was sent again; the later ones waited behind it.
    let steps: Vec<&str> = bodies.iter().map(|b| b["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["submit", "submit", "submit", "accept", "complete"]);
    assert_eq!(
        got[0].delivery, got[2].delivery,
        "the same delivery, retried"
    );
    assert_eq!(bodies[3]["portal_status"], "4");
    assert_eq!(bodies[4]["dossier_code"], "HOOK-1");
    // Nothing is failing any more; a manual redelivery sends an entry again.
    let failing = app
        .get("/api/v1/portal/webhook-deliveries", &app.admin())
        .json();
    assert_eq!(
        failing,
        json!([]),
        "acknowledged deliveries are not failing"
    );
    let delivery = got[4].delivery.clone();
    let r = app.post(
        &format!("/api/v1/portal/webhook-deliveries/{delivery}/redeliver"),
        &app.admin(),
        json!({}),
    );
    assert_eq!(r.status, 202, "{}", r.body);
    let again = receiver.wait_for(4, fail_first, Duration::from_secs(10));
    assert_eq!(verify(&secret, &again[5])["step"], "complete");
    app.post(
        &format!("/api/v1/portal/webhook-deliveries/{delivery}/redeliver"),
        &app.token("gd.hn"),
        json!({}),
    )
    .assert_problem(403, "forbidden");
}

/// A receiver that acknowledges every delivery gets each once: a read of the outbox begun
/// before a delivery was recorded must not send it again, nor another instance of the
/// server over the same database.
#[test]
fn an_acknowledged_delivery_is_not_sent_again() {
    let app = TestApp::spawn();
    let receiver = Receiver::start(TcpListener::bind("127.0.0.1:0").unwrap(), 0);
    register(&app, &receiver.url);
    let second = app.another_instance();
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    let n = 60;
    // Half filed through each instance, so that both workers are woken at once.
    let filed = crate::concurrency::at_once(n, |i| {
        let body = portal.dossier(&format!("ONCE-{i}"), "provider_change", &centre);
        if i % 2 == 0 {
            portal.file(&body)
        } else {
            second.post("/api/v1/portal/dossiers", &portal.token, body)
        }
    });
    assert!(filed.iter().all(|r| r.status == 201));
    receiver.wait_for(n, 0, Duration::from_secs(30));
    // Time for a second sending of any of them to arrive.
    std::thread::sleep(Duration::from_secs(2));
    let got = receiver.received();
    let mut deliveries: Vec<&str> = got.iter().map(|r| r.delivery.as_str()).collect();
    deliveries.sort_unstable();
    deliveries.dedup();
    assert_eq!((got.len(), deliveries.len()), (n, n), "each delivery once");
}

#[test]
fn callbacks_queued_while_the_receiver_is_down_arrive_after_a_restart() {
    let mut app = TestApp::spawn();
    // An address where nothing listens yet.
    let probe = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    // The receiver's own credential rides in the query, as some receivers want it.
    let secret = register(
        &app,
        &format!("http://{addr}/tgpl/callback?access_token=Bi-Mat-42"),
    );
    let portal = Portal::new(&app);
    let id = portal.filed(&portal.dossier("HOOK-2", "provider_change", &app.org_id("TTTGPL-HN")));
    // The failure is visible to the data centre.
    let until = Instant::now() + Duration::from_secs(10);
    let failing = loop {
        let failing = app
            .get("/api/v1/portal/webhook-deliveries", &app.admin())
            .json();
        if failing.as_array().is_some_and(|f| !f.is_empty()) {
            break failing;
        }
        assert!(Instant::now() < until, "the failure never showed");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(failing[0]["dossier_id"], id.as_str());
    // What went wrong, without the address and what its query carries.
    let error = failing[0]["last_error"].as_str().unwrap();
    assert!(
        !error.contains("Bi-Mat-42") && !error.contains("127.0.0.1"),
        "{error}"
    );
    // A later step waits behind it, and the data centre sees it waiting.
    let r = app.post(
        &format!("/api/v1/dossiers/{id}/steps/accept"),
        &app.token("gd.hn"),
        json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let failing = app
        .get("/api/v1/portal/webhook-deliveries", &app.admin())
        .json();
    assert_eq!(failing[0]["waiting_behind"], 1);
    // The server stops; the receiver comes up; a new server delivers what was queued.
    let receiver = Receiver::start(TcpListener::bind(addr).unwrap(), 0);
    app.restart();
    let got = receiver.wait_for(2, 0, Duration::from_secs(30));
    let steps: Vec<Value> = got.iter().map(|r| verify(&secret, r)).collect();
    assert_eq!(
        (steps[0]["step"].as_str(), steps[0]["dossier_id"].as_str()),
        (Some("submit"), Some(id.as_str()))
    );
    assert_eq!(steps[1]["step"], "accept");
}

#[test]
fn only_http_addresses_with_a_host_are_registered() {
    let app = TestApp::spawn();
    for url in [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "http://user:pw@example.org/",
        "not a url",
        "https://",
    ] {
        app.post("/api/v1/portal/webhooks", &app.admin(), json!({"url": url}))
            .assert_problem(422, "validation_failed");
    }
    app.post(
        "/api/v1/portal/webhooks",
        &app.token("gd.hn"),
        json!({"url": "https://example.org/"}),
    )
    .assert_problem(403, "forbidden");
}

#[test]
fn a_receiver_that_hangs_holds_only_its_own_deliveries() {
    let app = TestApp::spawn();
    // A listener that takes connections and never answers.
    let hanging = TcpListener::bind("127.0.0.1:0").unwrap();
    let hanging_addr = hanging.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in hanging.incoming() {
            held.push(stream);
        }
    });
    register(&app, &format!("http://{hanging_addr}/hang"));
    let receiver = Receiver::start(TcpListener::bind("127.0.0.1:0").unwrap(), 0);
    let secret = register(&app, &receiver.url);
    let r = app.post(
        "/api/v1/portal/webhooks",
        &app.admin(),
        json!({"url": receiver.url}),
    );
    r.assert_problem(409, "webhook_exists");
    let portal = Portal::new(&app);
    let centre = app.org_id("TTTGPL-HN");
    for i in 0..5 {
        portal.filed(&portal.dossier(&format!("HANG-{i}"), "provider_change", &centre));
    }
    let got = receiver.wait_for(5, 0, Duration::from_secs(5));
    for r in &got {
        verify(&secret, r);
    }
}

/// A callback to an `https://` address, as the contract asks of the portal's, is sent over
/// TLS: the receiver is greeted with a TLS handshake (a record of type 22, version 3.x).
#[test]
fn callbacks_to_https_addresses_open_tls() {
    use std::io::Read;
    let app = TestApp::spawn();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    register(&app, &format!("https://127.0.0.1:{port}/callback"));
    let portal = Portal::new(&app);
    portal.filed(&portal.dossier("TLS-1", "provider_change", &app.org_id("TTTGPL-HN")));
    listener.set_nonblocking(false).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut head = [0u8; 3];
            let read = stream.read_exact(&mut head).map(|()| head);
            let _ = tx.send(read.map_err(|e| e.to_string()));
        }
    });
    let head = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the worker connected")
        .expect("it sent something");
    assert_eq!(
        (head[0], head[1]),
        (0x16, 0x03),
        "a TLS handshake: {head:?}"
    );
}
