//! `ponder render`: renders every stored post body, comment and about-me text again
//! from its Markdown and stores the HTML where it differs. After an upgrade whose
//! renderer changed (a fix that shows text an older version dropped, say), pages
//! show what today's renderer makes without waiting for each post to be edited.
//! A text edited while this runs keeps its edit: HTML is written only where the
//! Markdown is still the one rendered.
//!
//! Texts render with the site's settings (math, the code languages of tags) and a
//! post with its question's tags and its author's reputation, as the server renders
//! them; `--math` and `--base-url` stand for the server's flags of those names,
//! which the database does not record. The "linked questions" of old posts are not
//! written here: only HTML is.

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result};
use ponder_core::markdown::{self, RenderOptions, SafeHtml, SiteLinks};
use ponder_core::settings::{Settings, Startup};
use ponder_core::{PostId, UserId};
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
    /// The site's public address, as given to `ponder serve --base-url`: links to
    /// its questions under it show their titles.
    #[arg(long, env = "PONDER_BASE_URL", default_value = "")]
    pub base_url: String,
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
            let options = options_of(&*store, &settings, args, kind, &batch).await?;
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

/// The options of each text in `batch`, by id, as the server would render it: a
/// post's by its question's tags and its author's reputation (each question and
/// author read once a batch), an about-me by its member's; each with the titles of
/// the questions it links to and, for a comment, the members it mentions.
async fn options_of(
    store: &dyn Store,
    settings: &Settings,
    args: &RenderArgs,
    kind: RenderedText,
    batch: &[StoredText],
) -> Result<HashMap<i64, RenderOptions>> {
    let none: [&str; 0] = [];
    let mut tags_of: HashMap<PostId, Vec<String>> = HashMap::new();
    let mut reputation_of: HashMap<UserId, i64> = HashMap::new();
    let mut options = HashMap::new();
    for text in batch {
        let (tags, author) = match kind {
            RenderedText::PostBody => {
                let post = store
                    .editable_post(PostId(text.id))
                    .await
                    .with_context(|| format!("cannot read post {}", text.id))?;
                match post {
                    Some(post) if post.kind == PostKind::Question => {
                        tags_of.insert(post.id, post.tags.clone());
                        (post.tags, Some(post.author_id))
                    }
                    Some(post) => {
                        let tags = match tags_of.get(&post.question_id) {
                            Some(tags) => tags.clone(),
                            None => {
                                let question =
                                    store.editable_post(post.question_id).await.with_context(
                                        || format!("cannot read question {}", post.question_id),
                                    )?;
                                let tags = question.map(|q| q.tags).unwrap_or_default();
                                tags_of.insert(post.question_id, tags.clone());
                                tags
                            }
                        };
                        (tags, Some(post.author_id))
                    }
                    None => (Vec::new(), None),
                }
            }
            RenderedText::About => (Vec::new(), Some(UserId(text.id))),
            RenderedText::Comment => (Vec::new(), None),
        };
        let mut found = if tags.is_empty() {
            settings.render_options(&none)
        } else {
            settings.render_options(&tags)
        };
        if let Some(author) = author {
            let reputation = match reputation_of.get(&author) {
                Some(known) => *known,
                None => {
                    let user = store
                        .user(author)
                        .await
                        .with_context(|| format!("cannot read user {author}"))?;
                    let reputation = user.map_or(1, |u| u.reputation);
                    reputation_of.insert(author, reputation);
                    reputation
                }
            };
            found.follow_links = settings.follows_links(reputation);
        }
        found.site = site_links(store, args, kind, &text.markdown).await?;
        options.insert(text.id, found);
    }
    Ok(options)
}

/// What `markdown` links to on the site: the questions' titles and, in a comment,
/// the members it mentions.
async fn site_links(
    store: &dyn Store,
    args: &RenderArgs,
    kind: RenderedText,
    markdown: &str,
) -> Result<SiteLinks> {
    let base_url = args.base_url.trim_end_matches('/').to_owned();
    let ids: Vec<PostId> = markdown::question_ids(markdown, &base_url)
        .into_iter()
        .map(PostId)
        .collect();
    let titles = store
        .question_titles(&ids)
        .await
        .context("cannot read the titles of linked questions")?
        .into_iter()
        .map(|(id, title)| (id.0, title))
        .collect();
    let members = if kind == RenderedText::Comment {
        store
            .members_by_handles(&ponder_core::notices::mentions(markdown))
            .await
            .context("cannot read the members mentioned")?
            .into_iter()
            .map(|(handle, id)| (handle, format!("/users/{id}")))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(SiteLinks {
        base_url,
        titles,
        members,
        ..SiteLinks::default()
    })
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
                RenderedText::Comment => markdown::render_inline_with(
                    &text.markdown,
                    &options.get(&text.id).cloned().unwrap_or_default().site,
                ),
                RenderedText::PostBody | RenderedText::About => markdown::render_with(
                    &text.markdown,
                    &options.get(&text.id).cloned().unwrap_or_default(),
                ),
            };
            (html.as_str() != text.html).then_some((text, html))
        })
        .collect()
}
