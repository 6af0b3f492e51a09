use diesel::{Connection, RunQueryDsl};
use tgpl_tests::TestApp;

#[test]
fn live_and_ready() {
    let app = TestApp::spawn_empty();
    let r = app.request("GET", "/health/live").send();
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("ok")));
    let r = app.request("GET", "/health/ready").send();
    assert_eq!((r.status, r.json()["status"].as_str()), (200, Some("ok")));
}

/// On PostgreSQL the database can be taken away and given back while the server runs:
/// readiness follows without a restart.
#[test]
fn readiness_follows_the_database_and_recovers_by_itself() {
    let pool = tgpl_persistence::PoolSettings {
        acquire_timeout: std::time::Duration::from_secs(10),
        ..TestApp::pool_settings()
    };
    let app = TestApp::spawn_with(false, pool, |_| {});
    let (Some(admin_url), Some(name)) = (app.db.admin_url(), app.db.name()) else {
        // SQLite is a file inside the process: it cannot go away independently of it.
        return;
    };
    // A connection that has just served a request is handed out again without a ping.
    assert_eq!(app.request("GET", "/health/ready").send().status, 200);
    let mut admin = diesel::PgConnection::establish(admin_url).unwrap();
    let sql = |admin: &mut diesel::PgConnection, q: String| {
        diesel::sql_query(q).execute(admin).unwrap();
    };
    sql(
        &mut admin,
        format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false"),
    );
    sql(&mut admin, format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"));
    let asked = std::time::Instant::now();
    let r = app.request("GET", "/health/ready").send();
    r.assert_problem(503, "service_unavailable");
    assert!(r.header("retry-after").is_some());
    assert!(
        asked.elapsed() < std::time::Duration::from_secs(5),
        "a database refusing connections is reported without waiting for the pool (10 s): {:?}",
        asked.elapsed()
    );
    sql(
        &mut admin,
        format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true"),
    );
    let r = app.request("GET", "/health/ready").send();
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Unmounts a file system mounted by a test, after everything on it was dropped.
struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A full disk makes the service not ready (writes would fail), and it is ready again by
/// itself once room is made. The database (SQLite) and the attachments are put on a small
/// file system of the test's own, which takes root to mount: elsewhere it is skipped.
#[test]
fn a_full_disk_makes_the_service_not_ready_until_room_is_made() {
    use std::io::Write;
    let db = tgpl_tests::TestDb::create();
    let dir = db.scratch_dir().to_owned();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=24m", "tgpl-test"])
        .arg(&dir)
        .stderr(std::process::Stdio::null())
        .status();
    if !matches!(mounted, Ok(status) if status.success()) {
        eprintln!("skipped: cannot mount a small file system (needs root)");
        return;
    }
    // Declared before the server: dropped after it.
    let _unmount = Unmount(dir.clone());
    let app = TestApp::spawn_on(db, false, TestApp::pool_settings(), |_| {});
    let r = app.request("GET", "/health/ready").send();
    assert_eq!(r.status, 200, "{}", r.body);
    let filler = dir.join("filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 1 << 20];
    while file.write_all(&block).is_ok() {}
    drop(file);
    let r = app.request("GET", "/health/ready").send();
    r.assert_problem(503, "service_unavailable");
    assert!(r.header("retry-after").is_some());
    std::fs::remove_file(&filler).unwrap();
    tgpl_tests::eventually("ready again once room is made", || {
        app.request("GET", "/health/ready").send().status == 200
    });
}

/// A document store the server can no longer write to (removed, or something else put in its
/// place) makes the service not ready, saying so; it is ready again once it can write there.
#[test]
fn an_attachment_store_that_cannot_be_written_makes_the_service_not_ready() {
    let app = TestApp::spawn_empty();
    let dir = app.attachments_dir();
    assert_eq!(app.request("GET", "/health/ready").send().status, 200);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"not a directory").unwrap();
    let r = app.request("GET", "/health/ready").send();
    let problem = r.assert_problem(503, "service_unavailable");
    assert!(
        problem["detail"].as_str().unwrap().contains("Thư mục"),
        "{problem}"
    );
    std::fs::remove_file(&dir).unwrap();
    std::fs::create_dir(&dir).unwrap();
    assert_eq!(app.request("GET", "/health/ready").send().status, 200);
}
