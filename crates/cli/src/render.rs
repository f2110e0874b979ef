//! `ponder render`: renders every stored post body, comment and about-me text again
//! from its Markdown and stores the HTML where it differs. After an upgrade whose
//! renderer changed (a fix that shows text an older version dropped, say), pages
//! show what today's renderer makes without waiting for each post to be edited.
//! A text edited while this runs keeps its edit: HTML is written only where the
//! Markdown is still the one rendered.

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result};
use ponder_core::markdown::{self, SafeHtml};
use ponder_store::{RenderedText, StoredText};

/// Texts read and rendered at a time.
const BATCH: u32 = 500;

/// Runs `ponder render`.
pub async fn run(site: &SiteArgs) -> Result<()> {
    let store = open_store(site).await?;
    for kind in RenderedText::ALL {
        let (mut read, mut changed, mut after) = (0_usize, 0_usize, 0_i64);
        loop {
            let batch = store
                .stored_texts(kind, after, BATCH)
                .await
                .with_context(|| format!("cannot read the stored {}", kind.label()))?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            read += batch.len();
            let renewed = tokio::task::spawn_blocking(move || render_changed(kind, batch))
                .await
                .context("rendering stopped")?;
            for (text, html) in renewed {
                let written = store
                    .replace_rendered_html(kind, text.id, &text.markdown, &html)
                    .await
                    .with_context(|| format!("cannot store the HTML of {}", text.id))?;
                changed += usize::from(written);
            }
        }
        println!("{}: {read} read, {changed} rendered anew", kind.label());
    }
    println!("pages kept by a running server show the new HTML within a minute");
    Ok(())
}

/// The texts of `batch` whose HTML today's renderer makes differently, with it.
fn render_changed(kind: RenderedText, batch: Vec<StoredText>) -> Vec<(StoredText, SafeHtml)> {
    batch
        .into_iter()
        .filter_map(|text| {
            let html = match kind {
                RenderedText::Comment => markdown::render_inline(&text.markdown),
                RenderedText::PostBody | RenderedText::About => markdown::render(&text.markdown),
            };
            (html.as_str() != text.html).then_some((text, html))
        })
        .collect()
}
