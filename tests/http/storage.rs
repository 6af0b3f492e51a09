//! The storage engines: migrations in step, pragmas in force.

use diesel::{QueryableByName, RunQueryDsl};
use tgpl_persistence::db;
use tgpl_tests::{TestApp, TestDb};

#[derive(QueryableByName, PartialEq, Eq, PartialOrd, Ord, Debug, Clone)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
}

const SQLITE_COLUMNS: &str = "SELECT m.name AS table_name, p.name AS column_name \
     FROM sqlite_master m JOIN pragma_table_info(m.name) p \
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
     ORDER BY 1, 2";
const POSTGRES_COLUMNS: &str =
    "SELECT table_name::text AS table_name, column_name::text AS column_name \
     FROM information_schema.columns \
     WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' \
     ORDER BY 1, 2";

fn sqlite_columns() -> Vec<Column> {
    let dir = std::env::temp_dir().join(format!("tgpl-schema-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = db::DatabaseUrl::Sqlite(dir.join("schema.db"));
    let mut conn = url.connect().unwrap();
    db::run_migrations(&mut conn).unwrap();
    let columns = diesel::sql_query(SQLITE_COLUMNS)
        .load::<Column>(&mut conn)
        .unwrap();
    let _ = std::fs::remove_dir_all(dir);
    columns
}

/// Both migration sets produce the same tables and columns. Needs PostgreSQL: where
/// `TEST_DATABASE_URL` is not set, the suite runs on SQLite only and this compares SQLite
/// with itself; CI sets it.
#[test]
fn both_engines_produce_the_same_tables_and_columns() {
    let sqlite = sqlite_columns();
    assert!(sqlite
        .iter()
        .any(|c| c.table_name == "organizations" && c.column_name == "participation_scope"));
    let db = TestDb::create();
    if !db.is_postgres() {
        return;
    }
    let mut conn = db::DatabaseUrl::parse(&db.url())
        .unwrap()
        .connect()
        .unwrap();
    db::run_migrations(&mut conn).unwrap();
    let postgres = diesel::sql_query(POSTGRES_COLUMNS)
        .load::<Column>(&mut conn)
        .unwrap();
    assert_eq!(sqlite, postgres);
}

#[test]
fn both_engines_have_the_same_migrations() {
    let (sqlite, postgres) = db::migration_names();
    assert_eq!(sqlite, postgres);
    let on_disk = |engine: &str| -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/").to_owned() + engine;
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(on_disk("sqlite"), on_disk("postgres"));
}

/// A foreign key violation is refused on either engine (SQLite needs its pragma for that).
#[test]
fn foreign_key_violations_are_refused() {
    let app = TestApp::spawn_empty();
    let mut conn = app.pool.get().unwrap();
    let result = diesel::sql_query(
        "INSERT INTO organization_links (id, org_id, parent_id, valid_from) VALUES ('l1', 'missing-org', 'missing-parent', '2026-01-01')",
    )
    .execute(&mut **conn);
    let err = tgpl_persistence::StoreError::from(result.unwrap_err());
    assert!(
        matches!(err, tgpl_persistence::StoreError::Conflict(_)),
        "{err}"
    );
}

/// SQLite runs with the pragmas chosen for durability and concurrency.
#[test]
fn sqlite_connections_are_configured() {
    let db = TestDb::create();
    if db.is_postgres() {
        let mut conn = db::DatabaseUrl::parse(&db.url())
            .unwrap()
            .connect()
            .unwrap();
        #[derive(QueryableByName)]
        struct Setting {
            #[diesel(sql_type = diesel::sql_types::Text)]
            value: String,
        }
        let tz = diesel::sql_query("SELECT current_setting('TimeZone') AS value")
            .get_result::<Setting>(&mut conn)
            .unwrap();
        assert_eq!(tz.value, "UTC");
        return;
    }
    let mut conn = db::DatabaseUrl::parse(&db.url())
        .unwrap()
        .connect()
        .unwrap();
    #[derive(QueryableByName)]
    struct Pragma {
        #[diesel(sql_type = diesel::sql_types::Text)]
        value: String,
    }
    // The column of `pragma_busy_timeout` is called `timeout`; the others are named after
    // their pragma.
    let pragma = |conn: &mut tgpl_persistence::DbConnection, name: &str| -> String {
        let column = if name == "busy_timeout" {
            "timeout"
        } else {
            name
        };
        diesel::sql_query(format!(
            "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
        ))
        .get_result::<Pragma>(conn)
        .unwrap()
        .value
    };
    assert_eq!(pragma(&mut conn, "foreign_keys"), "1");
    assert_eq!(pragma(&mut conn, "journal_mode"), "wal");
    assert_eq!(pragma(&mut conn, "synchronous"), "2", "FULL");
    assert_eq!(pragma(&mut conn, "busy_timeout"), "5000");
}

/// On PostgreSQL a server keeps the account checks of requests and drops them when the
/// database announces a change they depend on: an account (not its login time), an
/// organization, the organization tree.
#[test]
fn cached_account_checks_are_dropped_when_the_database_announces_a_change() {
    use tgpl_persistence::account_cache::AccountCache;
    use tgpl_persistence::accounts;
    let app = TestApp::spawn();
    if !app.db.is_postgres() {
        // SQLite keeps nothing: every request reads its account in the server's own process.
        return;
    }
    let cache = AccountCache::following(app.db.url());
    let id = app.account_id("tgv.dn");
    let sql = |q: String| {
        diesel::sql_query(q)
            .execute(&mut **app.pool.get().unwrap())
            .unwrap();
    };
    let kept = || {
        if let Err(ticket) = cache.lookup(&id) {
            let found = accounts::for_request(&mut app.pool.get().unwrap(), &id).unwrap();
            cache.keep(ticket, &found);
        }
        cache.lookup(&id).is_ok()
    };
    tgpl_tests::eventually("the cache listens and keeps a check", &kept);

    sql(format!(
        "UPDATE accounts SET last_login_at = CURRENT_TIMESTAMP WHERE id = '{id}'"
    ));
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(cache.lookup(&id).is_ok(), "a login time is not announced");

    for change in [
        format!("UPDATE accounts SET status = 'locked' WHERE id = '{id}'"),
        "UPDATE organizations SET name = name || ' '".to_owned(),
        "UPDATE organization_links SET valid_from = valid_from".to_owned(),
    ] {
        tgpl_tests::eventually("the cache keeps a check again", &kept);
        sql(change.clone());
        tgpl_tests::eventually(
            &format!("the cache drops its checks after {change}"),
            || cache.lookup(&id).is_err(),
        );
    }
}
