//! `tgpl`: the legal aid management system's server and operator commands.

use std::io::{BufRead, IsTerminal};
use std::net::TcpListener;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tgpl_api::config::Settings;
use tgpl_api::server::{self, ServerOptions};
use tgpl_api::storage;
use tgpl_persistence::db::set_up_alone;

/// Every request allocates its buffers, rows and JSON on one thread and frees many of them on
/// another (the database's); glibc's allocator spent about a tenth of the server's time there,
/// and mimalloc gives about 10% more single-case reads on PostgreSQL (bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "tgpl",
    version,
    about = "Hệ thống quản lý tổ chức và hoạt động trợ giúp pháp lý (legal aid management system)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the HTTP server (migrating the database first).
    Serve {
        /// Address to listen on; overrides TGPL_BIND.
        #[arg(long)]
        bind: Option<String>,
        /// Loads the demo data and allows a missing TGPL_JWT_SECRET. Never in production.
        #[arg(long)]
        demo: bool,
    },
    /// Applies pending database migrations and exits.
    Migrate,
    /// Creates an administrator of the Agency's data centre (and the national organizations
    /// if the database is empty). Password from TGPL_ADMIN_PASSWORD or standard input.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "Quản trị hệ thống")]
        display_name: String,
    },
    /// Loads the demo organizations and accounts (idempotent).
    SeedDemo,
    /// Prints the OpenAPI document as YAML (as committed in openapi.yaml).
    Openapi,
    /// Loads synthetic cases for the benchmark (bench/). Never on a production database.
    GenerateBenchData {
        #[arg(long, default_value_t = 1_000_000)]
        cases: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tgpl: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    if let Command::Openapi = cli.command {
        print!("{}", tgpl_api::openapi::yaml());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    match cli.command {
        Command::Serve { bind, demo } => serve(settings, bind, demo),
        Command::Migrate => {
            storage::prepare_database(&settings.database_url, &settings.pool)?;
            println!(
                "database is up to date: {}",
                settings.database_url.describe()
            );
            Ok(())
        }
        Command::CreateAdmin {
            username,
            display_name,
        } => {
            let password = admin_password()?;
            let pool = storage::prepare_database(&settings.database_url, &settings.pool)?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let account = set_up_alone(&settings.database_url, &mut conn, |conn| {
                tgpl_api::bootstrap::create_admin(conn, &username, &display_name, &password)
            })?;
            println!(
                "created administrator `{}` ({}) in {}",
                account.username,
                account.id,
                settings.database_url.describe()
            );
            Ok(())
        }
        Command::SeedDemo => {
            let pool = storage::prepare_database(&settings.database_url, &settings.pool)?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let logins = set_up_alone(&settings.database_url, &mut conn, tgpl_api::demo::seed)?;
            println!("demo data ready: {} accounts", logins.len());
            Ok(())
        }
        Command::GenerateBenchData { cases, seed } => {
            let pool = storage::prepare_database(&settings.database_url, &settings.pool)?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            println!(
                "{}",
                set_up_alone(&settings.database_url, &mut conn, |conn| {
                    tgpl_api::bench_data::generate(conn, cases, seed)
                })?
            );
            Ok(())
        }
        Command::Openapi => Ok(()),
    }
}

fn admin_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("TGPL_ADMIN_PASSWORD") {
        return Ok(p);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!(
            "password for the new administrator (input is shown; prefer TGPL_ADMIN_PASSWORD): "
        );
    }
    // One line: the password typed and Enter, or the first line of what is piped in.
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let password = line.lines().next().unwrap_or("").to_owned();
    if password.is_empty() {
        return Err("no password: set TGPL_ADMIN_PASSWORD or pipe it on standard input".into());
    }
    Ok(password)
}

fn serve(settings: Settings, bind: Option<String>, demo: bool) -> Result<(), String> {
    let secret = settings.signing_secret(demo)?;
    let storage = tgpl_api::storage::Storage::open(&settings.database_url, &settings.pool)?;
    let logins = if demo {
        let mut conn = storage.pool.get().map_err(|e| e.to_string())?;
        Some(set_up_alone(
            &settings.database_url,
            &mut conn,
            tgpl_api::demo::seed,
        )?)
    } else {
        None
    };
    let bind = bind.unwrap_or(settings.bind.clone());
    let listener = TcpListener::bind(&bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let options = ServerOptions {
        signing_secret: secret,
        token_ttl_seconds: settings.token_ttl_seconds,
        workers: settings.workers,
        attachments_dir: settings.attachments_dir.clone(),
        attachment_max_bytes: settings.attachment_max_bytes,
        max_uploads: settings.max_uploads,
        body_deadline: tgpl_api::http::body_deadline::BodyDeadline {
            base: settings.body_timeout,
            ..Default::default()
        },
        max_connections: settings.max_connections,
        stalled_client: settings.stalled_client,
    };
    actix_web::rt::System::new().block_on(async move {
        let (server, addr) =
            server::start(storage, listener, options).map_err(|e| e.to_string())?;
        println!(
            "TGPL API on http://{addr} ({})",
            settings.database_url.describe()
        );
        println!("  API docs:  http://{addr}/docs/");
        println!("  OpenAPI:   http://{addr}/api/v1/openapi.json");
        if let Some(logins) = logins {
            println!(
                "  Demo logins (password {} for people):",
                tgpl_api::demo::DEMO_PASSWORD
            );
            for l in logins {
                println!(
                    "    {:<12} {:<22} {}",
                    l.username,
                    l.role.to_string(),
                    l.organization_code
                );
            }
            println!(
                "  Demo service clients: {} / {}, {} / {}",
                tgpl_api::demo::PORTAL_CLIENT.0,
                tgpl_api::demo::PORTAL_CLIENT.1,
                tgpl_api::demo::STATISTICS_CLIENT.0,
                tgpl_api::demo::STATISTICS_CLIENT.1
            );
        }
        let stopped = server.await.map_err(|e| e.to_string());
        // The server has stopped taking and answering requests. Work still blocked on a
        // database that stopped answering would hold the runtime's threads, which it waits
        // for at its end: the process ends without them, since nothing they do is answered.
        log::info!("server stopped");
        match stopped {
            Ok(()) => std::process::exit(0),
            Err(e) => Err(e),
        }
    })
}
