//! A database of a test's own.

use diesel::{Connection, RunQueryDsl};

/// A database of a test's own, and a scratch directory (attachments) removed with it.
pub enum TestDb {
    Sqlite {
        dir: std::path::PathBuf,
    },
    Postgres {
        admin_url: String,
        name: String,
        dir: std::path::PathBuf,
    },
}

fn scratch() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tgpl-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

impl TestDb {
    pub fn create() -> Self {
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|v| !v.is_empty())
        {
            Some(admin_url) => {
                assert!(
                    admin_url.starts_with("postgres://") || admin_url.starts_with("postgresql://"),
                    "TEST_DATABASE_URL must be a postgres:// URL, not {admin_url}"
                );
                let name = format!("tgpl_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = diesel::PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!("PostgreSQL at TEST_DATABASE_URL is unreachable: {e}")
                });
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut conn)
                    .expect("create test database");
                Self::Postgres {
                    admin_url,
                    name,
                    dir: scratch(),
                }
            }
            None => Self::Sqlite { dir: scratch() },
        }
    }

    pub fn scratch_dir(&self) -> &std::path::Path {
        match self {
            Self::Sqlite { dir } | Self::Postgres { dir, .. } => dir,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres { .. })
    }

    pub fn url(&self) -> String {
        match self {
            Self::Sqlite { dir } => format!("sqlite://{}", dir.join("tgpl.db").display()),
            Self::Postgres {
                admin_url, name, ..
            } => with_database(admin_url, name),
        }
    }

    /// The administrative URL, for tests that change the database from outside.
    pub fn admin_url(&self) -> Option<&str> {
        match self {
            Self::Postgres { admin_url, .. } => Some(admin_url),
            Self::Sqlite { .. } => None,
        }
    }

    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Postgres { name, .. } => Some(name),
            Self::Sqlite { .. } => None,
        }
    }
}

/// `postgres://user@host:port/db?x` with the database replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let scheme_end = url.find("://").map_or(0, |i| i + 3);
    let (base, query) = match url.find('?') {
        Some(q) => (&url[..q], &url[q..]),
        None => (url, ""),
    };
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{}{}", &base[..host_end], name, query)
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self {
            Self::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Self::Postgres {
                admin_url,
                name,
                dir,
            } => {
                let _ = std::fs::remove_dir_all(dir);
                if let Ok(mut conn) = diesel::PgConnection::establish(admin_url) {
                    let _ = diesel::sql_query(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    ))
                    .execute(&mut conn);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_the_database_of_a_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
