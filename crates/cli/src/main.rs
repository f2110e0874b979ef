//! The `ponder` binary: parses the command line and hands over to the library crates.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use ponder_store::Store;
use ponder_store_sqlite::{SqliteStore, WriteMode};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

mod backup;
mod categories;
mod demo;
mod exchange;
mod generate;
mod healthcheck;
mod paths;
mod render;
mod reputation;
mod search;
mod serve;
mod settings;
mod users;

/// Ponder: a community question-and-answer site in one binary.
#[derive(Parser)]
#[command(name = "ponder", version, about)]
struct Cli {
    #[command(flatten)]
    site: SiteArgs,
    /// How the log on standard error is written: text (coloured only when standard
    /// error is a terminal) or json (one object a line, for log collectors).
    #[arg(
        long,
        global = true,
        env = "PONDER_LOG_FORMAT",
        value_enum,
        default_value_t = LogFormat::Text
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

/// Where the site's data lives; accepted by every subcommand.
#[derive(Args, Clone)]
struct SiteArgs {
    /// Folder for the site's data (the SQLite database, later the search index and uploads).
    #[arg(
        long,
        global = true,
        env = "PONDER_DATA",
        default_value = "./ponder-data"
    )]
    data: PathBuf,
    /// Database URL: postgres://… for PostgreSQL, sqlite://PATH for another SQLite file.
    /// Without it the database is SQLite at <data>/ponder.db.
    #[arg(
        long,
        global = true,
        env = "PONDER_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
}

impl SiteArgs {
    /// The database URL given, if any, trimmed.
    fn url(&self) -> Option<&str> {
        self.database_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
    }

    /// Whether the site is on PostgreSQL.
    fn on_postgres(&self) -> bool {
        self.url()
            .is_some_and(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"))
    }
}

/// How the log is written.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// Lines for people.
    Text,
    /// One JSON object a line.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site over HTTP.
    Serve(Box<serve::ServeArgs>),
    /// Create or update the database schema, then exit.
    Migrate,
    /// Write a consistent copy of the SQLite database to FILE (the site may be
    /// serving); on PostgreSQL, says how to use pg_dump.
    Backup(backup::BackupArgs),
    /// Ask a running server's /readyz and succeed when it answers 200 (for
    /// container health checks).
    Healthcheck(healthcheck::HealthcheckArgs),
    /// Put a backup in place of the site's SQLite database (refused if one is
    /// there, unless --force, and while a server has it open).
    Restore(backup::RestoreArgs),
    /// Rebuild the search index in <data>/index from the database, and the
    /// related questions of every question from it.
    Reindex,
    /// Render every stored post, comment and about-me text again from its
    /// Markdown (after an upgrade that changed the renderer, or turning math on).
    Render(render::RenderArgs),
    /// Make a synthetic site at scale (for benchmarks) in an empty data folder.
    Demo(generate::DemoArgs),
    /// Print the address of every live question, one a line.
    Paths,
    /// Import another site's data.
    #[command(subcommand)]
    Import(exchange::ImportCommand),
    /// Export the site's data.
    #[command(subcommand)]
    Export(exchange::ExportCommand),
    /// Manage users.
    #[command(subcommand)]
    User(users::UserCommand),
    /// Check or rebuild reputation.
    #[command(subcommand)]
    Reputation(reputation::ReputationCommand),
    /// Make and change categories (as /admin/categories does).
    #[command(subcommand)]
    Category(categories::CategoryCommand),
    /// Read and change the site settings (as /admin/settings does).
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.site, *args).await,
        Command::User(command) => users::run(&cli.site, command).await,
        Command::Reputation(command) => reputation::run(&cli.site, command).await,
        Command::Settings(command) => settings::run(&cli.site, command).await,
        Command::Category(command) => categories::run(&cli.site, command).await,
        Command::Reindex => search::reindex(&cli.site).await,
        Command::Healthcheck(args) => healthcheck::run(&args),
        Command::Backup(args) => backup::back_up(&cli.site, &args).await,
        Command::Restore(args) => backup::restore(&cli.site, &args).await,
        Command::Render(args) => render::run(&cli.site, &args).await,
        Command::Demo(args) => generate::run(&cli.site, args).await,
        Command::Paths => paths::run(&cli.site).await,
        Command::Import(command) => exchange::import(&cli.site, command).await,
        Command::Export(command) => exchange::export(&cli.site, command).await,
        Command::Migrate => {
            let store = open_store(&cli.site).await?;
            println!("the {} database is up to date", store.backend());
            Ok(())
        }
    }
}

/// Logs to standard error, filtered by `PONDER_LOG`; colour codes only where a
/// terminal shows them, never into a file or a pipe.
fn init_logging(format: LogFormat) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("PONDER_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let log = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => log.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => log.json().with_ansi(false).init(),
    }
}

/// Opens the site's store, creating and migrating the database when needed.
/// The administrator `login` (a handle or an email) names, for commands that
/// act as one.
async fn administrator(store: &dyn Store, login: &str) -> Result<ponder_store::User> {
    let record = store
        .login_record(login)
        .await?
        .with_context(|| format!("there is no user {login:?}"))?;
    if record.user.role != ponder_store::Role::Admin || record.user.deleted {
        anyhow::bail!("{login} is not an administrator of this site");
    }
    Ok(record.user)
}

async fn open_store(site: &SiteArgs) -> Result<Arc<dyn Store>> {
    open_store_with(site, WriteMode::Shared).await
}

/// Opens the site's store as [`open_store`] does, written in `mode`: for a bulk
/// load, an SQLite file without its log, PostgreSQL connections whose commits do
/// not wait for the disk.
async fn open_store_with(site: &SiteArgs, mode: WriteMode) -> Result<Arc<dyn Store>> {
    match site.url() {
        Some(url) if site.on_postgres() => {
            let store = match mode {
                WriteMode::Shared => ponder_store_postgres::PgStore::connect(url, 16).await,
                WriteMode::BulkLoad => {
                    ponder_store_postgres::PgStore::connect_for_bulk_load(url, 16).await
                }
            }
            .context("cannot open the PostgreSQL database given by --database-url")?;
            Ok(Arc::new(store))
        }
        Some(url) if url.starts_with("sqlite:") => {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            open_sqlite(PathBuf::from(path), mode).await
        }
        Some(other) => {
            let scheme = other.split(':').next().unwrap_or(other);
            anyhow::bail!(
                "unsupported database URL scheme {scheme:?}: use postgres://… or sqlite://PATH, \
                 or leave --database-url out to use <data>/ponder.db"
            )
        }
        None => {
            std::fs::create_dir_all(&site.data).with_context(|| {
                format!("cannot create the data folder {}", site.data.display())
            })?;
            open_sqlite(site.data.join("ponder.db"), mode).await
        }
    }
}

async fn open_sqlite(path: PathBuf, mode: WriteMode) -> Result<Arc<dyn Store>> {
    let store = SqliteStore::open_with(&path, mode)
        .await
        .with_context(|| format!("cannot open the SQLite database {}", path.display()))?;
    Ok(Arc::new(store))
}

/// The address to listen on, from `--addr`.
fn parse_addr(raw: &str) -> Result<SocketAddr> {
    raw.parse()
        .with_context(|| format!("--addr {raw:?} is not an address such as 127.0.0.1:8080"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn without_a_url_the_database_is_sqlite_in_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("nested").join("site");
        let site = SiteArgs {
            data: data.clone(),
            database_url: None,
        };
        let store = open_store(&site).await.unwrap();
        assert_eq!(store.backend(), "sqlite");
        assert!(data.join("ponder.db").is_file());
    }

    #[tokio::test]
    async fn unknown_url_schemes_are_refused_with_a_hint() {
        let site = SiteArgs {
            data: PathBuf::from("."),
            database_url: Some("mysql://x".into()),
        };
        let err = open_store(&site).await.err().expect("refused").to_string();
        assert!(
            err.contains("unsupported database URL scheme \"mysql\""),
            "{err}"
        );
    }

    #[test]
    fn bad_addresses_are_explained() {
        let err = parse_addr("localhost").unwrap_err().to_string();
        assert!(err.contains("127.0.0.1:8080"), "{err}");
        assert!(parse_addr("127.0.0.1:0").is_ok());
    }
}
