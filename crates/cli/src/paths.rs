//! `ponder paths`: the address of every live question, one a line, as the site
//! links to it (`/questions/{id}/{slug}`), for benchmarks and crawl lists.

use crate::{SiteArgs, open_store};
use anyhow::Result;
use ponder_core::PostId;
use ponder_store::Store;
use ponder_web::views::common::question_path;
use std::io::Write;

/// How many questions are read at a time.
const BATCH: u32 = 1_000;

/// Prints every live question's path to standard output, in id order.
pub async fn run(site: &SiteArgs) -> Result<()> {
    let store = open_store(site).await?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    write_paths(&*store, &mut out).await?;
    out.flush()?;
    Ok(())
}

/// Writes every live question's path to `out`, a line each, in id order; how many.
pub async fn write_paths(store: &dyn Store, out: &mut impl Write) -> Result<u64> {
    let mut written = 0;
    let mut after = PostId(0);
    loop {
        let ids = store.question_ids_after(after, BATCH).await?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        after = last;
        // Live ones only: deleted questions have no title to look up.
        for (id, title) in store.question_titles(&ids).await? {
            writeln!(out, "{}", question_path(id, &title))?;
            written += 1;
        }
    }
    Ok(written)
}
