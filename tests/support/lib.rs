//! Test support: a fresh database and the real server on port 0 for each test, and a small
//! HTTP client that never turns error statuses into failures.
//!
//! The engine comes from `TEST_DATABASE_URL`: unset, every test gets its own SQLite file;
//! set to a PostgreSQL URL, every test creates its own database there and drops it after.
//! An unreachable PostgreSQL fails the test: it is never skipped.

pub mod db;
pub mod http;

use std::net::{SocketAddr, TcpListener};
use std::sync::OnceLock;
use std::thread::JoinHandle;

use serde_json::Value;
use tgpl_persistence::{Pool, PoolSettings};

pub use db::TestDb;
pub use http::Resp;

/// The signing secret of test servers, so that tests can forge tokens to prove they fail.
pub const JWT_SECRET: &[u8] = b"test-secret-test-secret-test-secret!";
pub const DEMO_PASSWORD: &str = tgpl_api::demo::DEMO_PASSWORD;
/// The attachment size limit of test servers: small, so that tests can exceed it.
pub const ATTACHMENT_LIMIT: usize = 64 * 1024;

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
    /// A pool of the test's own, for fixtures and storage-level checks.
    pub pool: Pool,
    agent: ureq::Agent,
    admin_token: OnceLock<String>,
    // Dropped last: the database outlives the server and the pool.
    pub db: TestDb,
}

impl TestApp {
    /// A server over a fresh database loaded with the demo data.
    pub fn spawn() -> Self {
        Self::spawn_with(true, Self::pool_settings(), |_| {})
    }

    /// A server over a fresh, migrated, empty database.
    pub fn spawn_empty() -> Self {
        Self::spawn_with(false, Self::pool_settings(), |_| {})
    }

    /// The pool settings of test servers (and of their fixtures' pool).
    pub fn pool_settings() -> PoolSettings {
        PoolSettings {
            max_size: 4,
            acquire_timeout: std::time::Duration::from_secs(5),
            ..PoolSettings::default()
        }
    }

    /// A server over a fresh database, with the demo data when `demo`, whose pool and
    /// options the test chooses (short deadlines, a small pool...).
    pub fn spawn_with(
        demo: bool,
        settings: PoolSettings,
        tune: impl FnOnce(&mut tgpl_api::server::ServerOptions) + Send + 'static,
    ) -> Self {
        Self::spawn_on(TestDb::create(), demo, settings, tune)
    }

    /// [`Self::spawn_with`] over a database the test prepared (for one on a file system of
    /// its choosing: the SQLite file and the attachments go in its scratch directory).
    pub fn spawn_on(
        db: TestDb,
        demo: bool,
        settings: PoolSettings,
        tune: impl FnOnce(&mut tgpl_api::server::ServerOptions) + Send + 'static,
    ) -> Self {
        let url = tgpl_persistence::DatabaseUrl::parse(&db.url()).expect("database url");
        let pool = tgpl_api::storage::prepare_database(&url, &settings).expect("database");
        if demo {
            let mut conn = pool.get().expect("connection");
            tgpl_api::demo::seed(&mut conn).expect("demo data");
        }
        let (addr, handle, thread) = Self::serve(&db, &settings, tune);
        Self {
            base: format!("http://{addr}"),
            addr,
            handle,
            thread: Some(thread),
            pool,
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            admin_token: OnceLock::new(),
            db,
        }
    }

    /// The attachment store of the test's servers.
    pub fn attachments_dir(&self) -> std::path::PathBuf {
        self.db.scratch_dir().join("attachments")
    }

    /// Starts a server over the test's database and attachment store, on a new port.
    fn serve(
        db: &TestDb,
        settings: &PoolSettings,
        tune: impl FnOnce(&mut tgpl_api::server::ServerOptions) + Send + 'static,
    ) -> (SocketAddr, actix_web::dev::ServerHandle, JoinHandle<()>) {
        let url = tgpl_persistence::DatabaseUrl::parse(&db.url()).expect("database url");
        let storage = tgpl_api::storage::Storage::open(&url, settings).expect("database");
        let listener = TcpListener::bind("127.0.0.1:0").expect("port");
        let attachments_dir = db.scratch_dir().join("attachments");
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let mut options = tgpl_api::server::ServerOptions {
                    signing_secret: JWT_SECRET.to_vec(),
                    token_ttl_seconds: 900,
                    workers: 1,
                    attachments_dir,
                    attachment_max_bytes: ATTACHMENT_LIMIT,
                    max_uploads: 8,
                    body_deadline: Default::default(),
                    max_connections: 768,
                    stalled_client: std::time::Duration::from_secs(60),
                };
                tune(&mut options);
                let (server, addr) =
                    tgpl_api::server::start(storage, listener, options).expect("server");
                tx.send((addr, server.handle())).expect("report address");
                let _ = server.await;
            });
        });
        let (addr, handle) = rx.recv().expect("server started");
        (addr, handle, thread)
    }

    /// Stops the server and starts a new one (with the default options) over the same
    /// database and attachment store, as an operator restarts the service (after a crash,
    /// say). Tokens stay valid.
    pub fn restart(&mut self) {
        self.stop();
        let (addr, handle, thread) = Self::serve(&self.db, &Self::pool_settings(), |_| {});
        self.base = format!("http://{addr}");
        self.addr = addr;
        self.handle = handle;
        self.thread = Some(thread);
    }

    /// Another server over the same database, as a second instance of one deployment would
    /// run; it stops when dropped.
    pub fn another_instance(&self) -> Instance {
        let (addr, handle, thread) = Self::serve(&self.db, &Self::pool_settings(), |_| {});
        Instance {
            base: format!("http://{addr}"),
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            handle,
            thread: Some(thread),
        }
    }

    fn stop(&mut self) {
        // `stop` sends its command at once; the returned future only waits for completion,
        // which joining the server's thread does too.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    pub fn request(&self, method: &str, path: &str) -> http::Request<'_> {
        http::Request::new(&self.agent, method, format!("{}{}", self.base, path))
    }

    pub fn get(&self, path: &str, token: &str) -> Resp {
        self.request("GET", path).bearer(token).send()
    }

    pub fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.request("POST", path).bearer(token).json(body)
    }

    /// Logs in with the password grant; panics unless it succeeds.
    pub fn login_as(&self, username: &str, password: &str) -> String {
        let r = self.password_grant(username, password);
        assert_eq!(r.status, 200, "login of {username}: {}", r.body);
        r.json()["access_token"].as_str().expect("token").to_owned()
    }

    /// A demo person's token.
    pub fn token(&self, username: &str) -> String {
        self.login_as(username, DEMO_PASSWORD)
    }

    pub fn admin(&self) -> String {
        self.admin_token.get_or_init(|| self.token("admin")).clone()
    }

    pub fn password_grant(&self, username: &str, password: &str) -> Resp {
        self.request("POST", "/api/v1/auth/token").form(&[
            ("grant_type", "password"),
            ("username", username),
            ("password", password),
        ])
    }

    pub fn client_grant(&self, client_id: &str, secret: &str) -> Resp {
        self.request("POST", "/api/v1/auth/token").form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ])
    }

    /// The id of the organization with `code`, looked up over the API as the administrator.
    pub fn org_id(&self, code: &str) -> String {
        let r = self.get(
            &format!("/api/v1/organizations?q={code}&page_size=100"),
            &self.admin(),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["items"]
            .as_array()
            .and_then(|items| items.iter().find(|o| o["code"] == code))
            .and_then(|o| o["id"].as_str())
            .unwrap_or_else(|| panic!("no organization {code}"))
            .to_owned()
    }

    /// The id of the account with `username`, looked up over the API as the administrator.
    pub fn account_id(&self, username: &str) -> String {
        let r = self.get(
            &format!("/api/v1/accounts?q={username}&page_size=100"),
            &self.admin(),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["items"]
            .as_array()
            .and_then(|items| items.iter().find(|a| a["username"] == username))
            .and_then(|a| a["id"].as_str())
            .unwrap_or_else(|| panic!("no account {username}"))
            .to_owned()
    }

    /// Opens a counselling case of the Hà Nội centre of the demo data for its person Lò Văn
    /// Pao, received on `received_on` (`YYYY-MM-DD`), as the holder of `token` (someone of
    /// that centre who does casework). Answers the case's id.
    pub fn open_case(&self, token: &str, received_on: &str) -> String {
        let recipient = self
            .get("/api/v1/recipients?q=lo%20van%20pao", token)
            .json()["items"][0]["id"]
            .clone();
        let r = self.post(
            "/api/v1/cases",
            token,
            serde_json::json!({"organization_id": self.org_id("TTTGPL-HN"), "recipient_id": recipient,
                "received_on": received_on, "field": "land", "form": "counselling", "place": "at_office",
                "summary": "Tư vấn tranh chấp ranh giới đất"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().expect("id").to_owned()
    }

    /// A counselling case of the Hà Nội centre of the demo data, taken by its director
    /// through `accept`, `assign_provider`, `start` and `complete` (where it is locked), and
    /// on to `archive` when `archive`. Answers the case as the last step left it.
    pub fn closed_case(&self, archive: bool) -> Value {
        let gd = self.token("gd.hn");
        let provider =
            self.get("/api/v1/staff?q=nguyen%20van%20an", &gd).json()["items"][0]["id"].clone();
        let id = self.open_case(&gd, "2026-04-01");
        let mut steps = vec![
            ("accept", serde_json::json!({})),
            (
                "assign_provider",
                serde_json::json!({"provider_id": provider}),
            ),
            ("start", serde_json::json!({})),
            ("complete", serde_json::json!({})),
        ];
        if archive {
            steps.push(("archive", serde_json::json!({})));
        }
        let mut last = Value::Null;
        for (step, body) in steps {
            let r = self.post(&format!("/api/v1/cases/{id}/steps/{step}"), &gd, body);
            assert_eq!(r.status, 200, "{step}: {}", r.body);
            last = r.json();
        }
        last
    }
}

/// Waits until `check` holds, for at most five seconds: for what a server learns from the
/// database by notification rather than at once (see `tgpl_persistence::account_cache`).
pub fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !check() {
        assert!(std::time::Instant::now() < until, "never happened: {what}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A second server of a test's database ([`TestApp::another_instance`]).
pub struct Instance {
    pub base: String,
    agent: ureq::Agent,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl Instance {
    pub fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        http::Request::new(&self.agent, "POST", format!("{}{}", self.base, path))
            .bearer(token)
            .json(body)
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
