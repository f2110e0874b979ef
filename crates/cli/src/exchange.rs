//! `ponder import stackexchange`, `ponder import answer` and `ponder export
//! stackexchange`: the command-line side of moving a site in and out, with a
//! progress bar and a summary.

use crate::{SiteArgs, open_store, open_store_with};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use ponder_core::UserId;
use ponder_exchange::{ExchangeError, ImageCopier, ImportOptions, ImportSummary, Progress};
use ponder_store_sqlite::WriteMode;
use ponder_web::uploads::UploadStorage;
use ponder_web::uploads::remote::ImagePlace;
use std::path::PathBuf;
use std::sync::Arc;

/// What to import.
#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import a Stack Exchange data dump folder (Users.xml, Posts.xml, ...), keeping ids.
    Stackexchange(ImportArgs),
    /// Import an Apache Answer site from its database (its SQLite file, or a
    /// postgres:// URL), keeping the numbers of its questions and answers.
    Answer(AnswerArgs),
}

/// `ponder import answer` arguments.
#[derive(Args)]
pub struct AnswerArgs {
    /// Answer's database: the path of its SQLite file (answer.db) or a
    /// postgres://user@host/database URL. It is only read.
    source: String,
    /// The category every imported question goes into (made if missing); by
    /// default one named after the database.
    #[arg(long)]
    category: Option<String>,
}

/// What to export.
#[derive(Subcommand)]
pub enum ExportCommand {
    /// Write the site as a Stack Exchange data dump folder.
    Stackexchange(ExportArgs),
}

/// `ponder import stackexchange` arguments.
#[derive(Args)]
pub struct ImportArgs {
    /// The dump folder.
    dir: PathBuf,
    /// The category every imported question goes into (made if missing); by default
    /// one named after the folder.
    #[arg(long)]
    category: Option<String>,
    /// Rows per transaction.
    #[arg(long, default_value_t = 5_000)]
    batch: usize,
    /// The original site's host (or address), whose links to imported posts and
    /// users become local; by default the folder's name when it is a host name.
    #[arg(long)]
    original_site: Option<String>,
    /// Copy the pictures that imported posts show from other hosts into the
    /// site's uploads (each fetched once, checked and encoded anew like an
    /// upload), so that pages show them; without it they keep their addresses.
    #[arg(long)]
    fetch_images: bool,
    /// Where the copies go, as `serve --uploads-url` says: `s3://bucket/prefix`
    /// or a folder; by default <data>/uploads.
    #[arg(long, env = "PONDER_UPLOADS_URL", default_value = "")]
    uploads_url: String,
    /// Fetch pictures from loopback and private addresses too (off: refused).
    #[arg(long, env = "PONDER_IMAGES_REACH_PRIVATE")]
    images_reach_private: bool,
}

/// Copies imported posts' pictures as the site copies those of posts written
/// in it.
struct FetchImages(ImagePlace);

#[async_trait::async_trait]
impl ImageCopier for FetchImages {
    async fn copy(&self, url: &str, owner: UserId) -> Result<String, String> {
        self.0.copy_image(owner, url).await
    }
}

/// `ponder export stackexchange` arguments.
#[derive(Args)]
pub struct ExportArgs {
    /// The folder to write (made if missing; files of the same names are replaced).
    dir: PathBuf,
}

/// A progress bar for a job measured in bytes (imports) or rows (exports).
struct Bar {
    bar: ProgressBar,
}

impl Bar {
    fn new(template: &str) -> Self {
        let bar = ProgressBar::new(0).with_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Self { bar }
    }
}

impl Progress for Bar {
    fn total(&self, units: u64) {
        self.bar.set_length(units);
    }

    fn update(&self, file: &str, done: u64) {
        self.bar.set_message(file.to_owned());
        self.bar.set_position(done);
    }
}

/// Runs `ponder import ...`.
pub async fn import(site: &SiteArgs, command: ImportCommand) -> Result<()> {
    let args = match command {
        ImportCommand::Stackexchange(args) => args,
        ImportCommand::Answer(args) => return import_answer(site, args).await,
    };
    // An SQLite file is loaded without its log when nothing else has it open; with a
    // server reading it, the import shares it as usual (and goes slower). PostgreSQL
    // has no such fallback: what fails there fails the same either way.
    let store = match open_store_with(site, WriteMode::BulkLoad).await {
        Ok(store) => store,
        Err(bulk) if !site.on_postgres() => {
            tracing::warn!(
                "cannot open the database file for a bulk load ({bulk:#});                  loading with the write-ahead log on instead"
            );
            open_store(site).await?
        }
        Err(failed) => return Err(failed),
    };
    let images: Option<Arc<dyn ImageCopier>> = if args.fetch_images {
        let uploads = UploadStorage::from_url(&args.uploads_url, site.data.join("uploads"))
            .map_err(anyhow::Error::msg)
            .context("--uploads-url is not usable")?;
        Some(Arc::new(FetchImages(ImagePlace {
            store: Arc::clone(&store),
            uploads: Arc::new(uploads),
            reach_private: args.images_reach_private,
        })))
    } else {
        None
    };
    let options = ImportOptions {
        dir: args.dir,
        category: args.category,
        batch_rows: args.batch,
        original_site: args.original_site,
        images,
    };
    let bar = Bar::new("{bar:40} {bytes}/{total_bytes} {msg}, {bytes_per_sec}, {eta} left");
    let result = ponder_exchange::import_stackexchange(store, &options, &bar).await;
    report(&bar, result)
}

/// Clears `bar` and prints what an import did.
fn report(bar: &Bar, result: Result<ImportSummary, ExchangeError>) -> Result<()> {
    bar.bar.finish_and_clear();
    let summary = result?;
    print!("{summary}");
    println!(
        "the search index is rebuilt in the background when the site next starts \
         (or now, with `ponder reindex`)"
    );
    Ok(())
}

/// Runs `ponder import answer`.
async fn import_answer(site: &SiteArgs, args: AnswerArgs) -> Result<()> {
    let store = open_store(site).await?;
    let options = ponder_exchange::AnswerImportOptions {
        source: args.source,
        category: args.category,
    };
    let bar = Bar::new("{bar:40} {pos}/{len} rows, {msg}, {per_sec}, {eta} left");
    let result = ponder_exchange::import_answer(store, &options, &bar).await;
    report(&bar, result)
}

/// Runs `ponder export ...`.
pub async fn export(site: &SiteArgs, command: ExportCommand) -> Result<()> {
    let ExportCommand::Stackexchange(args) = command;
    let store = open_store(site).await?;
    let bar = Bar::new("{bar:40} {pos}/{len} users and posts, {msg}, {per_sec}, {eta} left");
    let result = ponder_exchange::export_stackexchange(&*store, &args.dir, &bar).await;
    bar.bar.finish_and_clear();
    let summary = result?;
    println!("exported to {}: {summary}", args.dir.display());
    Ok(())
}
