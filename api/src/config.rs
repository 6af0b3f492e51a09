//! Configuration from the environment. Every variable is listed in README.md.

use std::time::Duration;

use tgpl_persistence::{DatabaseUrl, PoolSettings};

use crate::credentials::tokens::MIN_SECRET_BYTES;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tgpl.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_ATTACHMENTS_DIR: &str = "data/attachments";

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind: String,
    /// `None` when unset; `serve` requires it outside demo mode.
    pub jwt_secret: Option<String>,
    pub token_ttl_seconds: i64,
    pub pool: PoolSettings,
    pub workers: usize,
    pub attachments_dir: std::path::PathBuf,
    pub attachment_max_bytes: usize,
    /// Uploads in progress at once.
    pub max_uploads: usize,
    /// Seconds any request body may take to arrive, before the allowance of its size.
    pub body_timeout: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// How long a client may leave what the server sends unacknowledged (a reader that
    /// stopped reading) before its connection is dropped.
    pub stalled_client: Duration,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A number from the environment variable `name`, `default` when unset; refused, naming the
/// range, when it does not parse or lies outside `range`.
fn number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    name: &str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, String> {
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<T>()
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                format!(
                    "{name}={raw} is not a valid value: give a whole number from {} to {}",
                    range.start(),
                    range.end()
                )
            }),
    }
}

impl Settings {
    pub fn from_env() -> Result<Self, String> {
        // Set but empty is refused (by the parser) rather than taken as unset: an operator who
        // wrote `DATABASE_URL=$PG_URL` with the variable missing must not get an empty SQLite
        // database.
        let database_url = DatabaseUrl::parse(
            &std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into()),
        )?;
        let default_pool = if matches!(database_url, DatabaseUrl::Sqlite(_)) {
            4
        } else {
            16
        };
        Ok(Self {
            database_url,
            bind: var("TGPL_BIND").unwrap_or_else(|| DEFAULT_BIND.into()),
            jwt_secret: var("TGPL_JWT_SECRET"),
            token_ttl_seconds: number("TGPL_TOKEN_TTL_SECONDS", 900, 60..=86_400)?,
            pool: {
                let statement_timeout =
                    Duration::from_secs(number("TGPL_DB_STATEMENT_TIMEOUT_SECONDS", 30, 1..=3600)?);
                PoolSettings {
                    max_size: number("TGPL_DB_POOL_SIZE", default_pool, 1..=512)?,
                    acquire_timeout: Duration::from_secs(number(
                        "TGPL_DB_POOL_TIMEOUT_SECONDS",
                        5,
                        1..=120,
                    )?),
                    statement_timeout,
                    task_timeout: statement_timeout + Duration::from_secs(5),
                }
            },
            workers: number(
                "TGPL_WORKERS",
                std::thread::available_parallelism().map_or(2, |n| n.get()),
                1..=256,
            )?,
            attachments_dir: var("TGPL_ATTACHMENTS_DIR")
                .unwrap_or_else(|| DEFAULT_ATTACHMENTS_DIR.into())
                .into(),
            attachment_max_bytes: number(
                "TGPL_ATTACHMENT_MAX_BYTES",
                20 * 1024 * 1024,
                1024..=512 * 1024 * 1024,
            )?,
            max_uploads: number("TGPL_MAX_UPLOADS", 8, 1..=1024)?,
            body_timeout: Duration::from_secs(number("TGPL_BODY_TIMEOUT_SECONDS", 30, 1..=600)?),
            max_connections: number("TGPL_MAX_CONNECTIONS", 768, 16..=100_000)?,
            stalled_client: Duration::from_secs(number(
                "TGPL_STALLED_CLIENT_SECONDS",
                60,
                5..=3600,
            )?),
        })
    }

    /// The signing secret, checked. In demo mode a missing one is replaced by a random one
    /// (tokens then do not survive a restart).
    pub fn signing_secret(&self, demo: bool) -> Result<Vec<u8>, String> {
        match &self.jwt_secret {
            Some(s) if s.len() >= MIN_SECRET_BYTES => Ok(s.as_bytes().to_vec()),
            Some(_) => Err(format!(
                "TGPL_JWT_SECRET is too short: it needs at least {MIN_SECRET_BYTES} bytes (for example `openssl rand -hex 32`)"
            )),
            None if demo => Ok(crate::credentials::password::generate_secret().into_bytes()),
            None => Err(format!(
                "TGPL_JWT_SECRET is not set: set it to a random secret of at least {MIN_SECRET_BYTES} bytes \
                 (for example `openssl rand -hex 32`), or run `tgpl serve --demo`"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(secret: Option<&str>) -> Settings {
        Settings {
            database_url: DatabaseUrl::parse(DEFAULT_DATABASE_URL).unwrap(),
            bind: DEFAULT_BIND.into(),
            jwt_secret: secret.map(str::to_owned),
            token_ttl_seconds: 900,
            pool: PoolSettings::default(),
            workers: 1,
            attachments_dir: DEFAULT_ATTACHMENTS_DIR.into(),
            attachment_max_bytes: 1024,
            max_uploads: 8,
            body_timeout: Duration::from_secs(30),
            max_connections: 768,
            stalled_client: Duration::from_secs(60),
        }
    }

    #[test]
    fn the_signing_secret_is_required_outside_demo_mode_and_must_be_long() {
        let missing = settings(None).signing_secret(false).unwrap_err();
        assert!(missing.contains("TGPL_JWT_SECRET is not set"), "{missing}");
        let short = settings(Some("short")).signing_secret(false).unwrap_err();
        assert!(short.contains("too short"), "{short}");
        assert!(
            settings(Some("short")).signing_secret(true).is_err(),
            "demo mode does not excuse a weak secret"
        );
        assert_eq!(settings(None).signing_secret(true).unwrap().len(), 64);
        let good = "x".repeat(32);
        assert_eq!(
            settings(Some(&good)).signing_secret(false).unwrap(),
            good.as_bytes()
        );
    }
}
