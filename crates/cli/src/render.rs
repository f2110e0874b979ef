//! `ponder render`: renders every stored post body, comment and about-me text again
//! from its Markdown and stores the HTML where it differs. After an upgrade whose
//! renderer changed (a fix that shows text an older version dropped, say), pages
//! show what today's renderer makes without waiting for each post to be edited.
//! A text edited while this runs keeps its edit: HTML is written only where the
//! Markdown is still the one rendered.
//!
//! Texts render with the site's settings (math, the code languages of tags) and a
//! post with its question's tags, as the server renders them; `--math` stands for
//! the server's flag of that name, which the database does not record.

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result};
use ponder_core::PostId;
use ponder_core::markdown::{self, RenderOptions, SafeHtml};
use ponder_core::settings::{Settings, Startup};
use ponder_store::{PostKind, RenderedText, Store, StoredText};
use std::collections::HashMap;

/// Texts read and rendered at a time.
const BATCH: u32 = 500;

/// `ponder render`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct RenderArgs {
    /// Render math, as `ponder serve --math` does (when the site turned it on with
    /// that flag rather than the setting).
    #[arg(long, env = "PONDER_MATH")]
    pub math: bool,
}

/// Runs `ponder render`.
pub async fn run(site: &SiteArgs, args: &RenderArgs) -> Result<()> {
    let store = open_store(site).await?;
    let settings = site_settings(&*store, args).await?;
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
            let options = options_of(&*store, &settings, kind, &batch).await?;
            let renewed =
                tokio::task::spawn_blocking(move || render_changed(kind, batch, &options))
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

/// The settings the site runs with: those stored, over the flags given here.
async fn site_settings(store: &dyn Store, args: &RenderArgs) -> Result<Settings> {
    let stored = store
        .site_settings()
        .await
        .context("cannot read the site settings")?;
    let mut startup = Startup::new();
    if args.math {
        startup
            .set("writing.math", "on")
            .context("--math (the setting writing.math)")?;
    }
    Ok(Settings::resolve(
        &startup,
        stored.iter().map(|s| (s.key.as_str(), s.value.as_str())),
    ))
}

/// The options of each text in `batch`, by id: a post's from its question's tags
/// (each question read once a batch), the site's for the rest.
async fn options_of(
    store: &dyn Store,
    settings: &Settings,
    kind: RenderedText,
    batch: &[StoredText],
) -> Result<HashMap<i64, RenderOptions>> {
    let none: [&str; 0] = [];
    let site = settings.render_options(&none);
    let mut options = HashMap::new();
    if kind != RenderedText::PostBody {
        return Ok(batch.iter().map(|text| (text.id, site)).collect());
    }
    let mut questions: HashMap<PostId, RenderOptions> = HashMap::new();
    for text in batch {
        let post = store
            .editable_post(PostId(text.id))
            .await
            .with_context(|| format!("cannot read post {}", text.id))?;
        let Some(post) = post else {
            options.insert(text.id, site);
            continue;
        };
        let tags = if post.kind == PostKind::Question {
            post.tags
        } else if let Some(known) = questions.get(&post.question_id) {
            options.insert(text.id, *known);
            continue;
        } else {
            store
                .editable_post(post.question_id)
                .await
                .with_context(|| format!("cannot read question {}", post.question_id))?
                .map(|q| q.tags)
                .unwrap_or_default()
        };
        let found = settings.render_options(&tags);
        questions.insert(post.question_id, found);
        options.insert(text.id, found);
    }
    Ok(options)
}

/// The texts of `batch` whose HTML today's renderer makes differently, with it.
fn render_changed(
    kind: RenderedText,
    batch: Vec<StoredText>,
    options: &HashMap<i64, RenderOptions>,
) -> Vec<(StoredText, SafeHtml)> {
    batch
        .into_iter()
        .filter_map(|text| {
            let html = match kind {
                RenderedText::Comment => markdown::render_inline(&text.markdown),
                RenderedText::PostBody | RenderedText::About => markdown::render_with(
                    &text.markdown,
                    &options.get(&text.id).copied().unwrap_or_default(),
                ),
            };
            (html.as_str() != text.html).then_some((text, html))
        })
        .collect()
}
