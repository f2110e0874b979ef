//! Markdown rendering off the async workers, a few at a time, and the options a
//! post is rendered with: the site's math, its question's code language, whether
//! its author's links are followed, the titles of the questions it links to and
//! (in comments) the members it mentions, each looked up in one statement or a
//! few before rendering, and the copies here of other hosts' images it shows.
//!
//! Rendering and sanitising a body is bounded by the Markdown module (nesting, open
//! tags, the highlighter's time budget), but a long body still takes milliseconds
//! of CPU, so it runs on a [`WorkerPool`] of its own, at most one render a core at
//! once.

use crate::AppState;
use crate::error::AppError;
use crate::offload::WorkerPool;
use ponder_core::PostId;
use ponder_core::markdown::{self, RenderOptions, SafeHtml, SiteLinks};
use ponder_store::{PostBody, User};
use std::sync::LazyLock;

/// The threads that render: up to one a core.
static RENDERERS: LazyLock<WorkerPool> = LazyLock::new(|| WorkerPool::per_core("ponder-render"));

/// A body (a post's, a tag wiki's, an about-me) by `author`: its Markdown and the
/// sanitized HTML of it, rendered with `options` and what the site knows of its
/// links and images.
pub async fn post_body(
    state: &AppState,
    author: Author,
    markdown: String,
    options: RenderOptions,
) -> Result<PostBody, AppError> {
    let options = with_site(state, author, &markdown, options).await?;
    rendered(markdown, options).await
}

/// Who wrote a text, as its rendering needs them: for whether their links are
/// followed and whose uploads the copies of its images count as.
#[derive(Debug, Clone, Copy)]
pub struct Author {
    /// Their id.
    pub id: ponder_core::UserId,
    /// Their reputation.
    pub reputation: i64,
}

impl From<&User> for Author {
    fn from(user: &User) -> Self {
        Self {
            id: user.id,
            reputation: user.reputation,
        }
    }
}

/// A body rendered with `options` as they are (completed by [`with_site`]).
pub async fn rendered(markdown: String, options: RenderOptions) -> Result<PostBody, AppError> {
    Ok(RENDERERS
        .run(move || PostBody::rendered(markdown, &options))
        .await?)
}

/// The sanitized HTML of `markdown` by `author` rendered with `options`, for a
/// preview.
pub async fn preview(
    state: &AppState,
    author: &User,
    markdown: String,
    options: RenderOptions,
) -> Result<SafeHtml, AppError> {
    let options = with_site(state, author.into(), &markdown, options).await?;
    Ok(RENDERERS
        .run(move || markdown::render_with(&markdown, &options))
        .await?)
}

/// A comment's body: inline Markdown with its mentions of members and its links to
/// questions resolved.
pub async fn comment_body(state: &AppState, markdown: String) -> Result<PostBody, AppError> {
    let mut site = site_links(state, &markdown).await?;
    let handles = ponder_core::notices::mentions(&markdown);
    site.members = state
        .store
        .members_by_handles(&handles)
        .await?
        .into_iter()
        .map(|(handle, id)| (handle, format!("/users/{id}")))
        .collect();
    Ok(PostBody::inline_with(markdown, &site))
}

/// `options` completed for `markdown` by `author`: whether their links are
/// followed, the site's address, the titles of the questions linked to and the
/// copies here of other hosts' images (copied now if need be, as the author's).
pub async fn with_site(
    state: &AppState,
    author: Author,
    markdown: &str,
    options: RenderOptions,
) -> Result<RenderOptions, AppError> {
    let mut site = site_links(state, markdown).await?;
    let remote = markdown::remote_images(markdown);
    if !remote.is_empty() && !matches!(*state.uploads, crate::uploads::UploadStorage::Disabled) {
        site.images = crate::uploads::remote::copy_all(state, author.id, remote).await;
    }
    Ok(RenderOptions {
        follow_links: state.settings().settings.follows_links(author.reputation),
        site,
        ..options
    })
}

/// The site's address and the titles of the questions `markdown` links to.
async fn site_links(state: &AppState, markdown: &str) -> Result<SiteLinks, AppError> {
    let base_url = state.site.base_url.clone();
    let ids: Vec<PostId> = markdown::question_ids(markdown, &base_url)
        .into_iter()
        .map(PostId)
        .collect();
    let titles = state
        .store
        .question_titles(&ids)
        .await?
        .into_iter()
        .map(|(id, title)| (id.0, title))
        .collect();
    Ok(SiteLinks {
        base_url,
        titles,
        ..SiteLinks::default()
    })
}

/// The options for text outside any question (tag wikis, profiles): the site's math,
/// no code language.
pub fn site_options(state: &AppState) -> RenderOptions {
    let none: [&str; 0] = [];
    state.settings().settings.render_options(&none)
}

/// The options for a question tagged `tags`, or for one of its answers.
pub fn options_for_tags<S: AsRef<str>>(state: &AppState, tags: &[S]) -> RenderOptions {
    state.settings().settings.render_options(tags)
}

/// The options for `post` (a question or an answer; the site's alone if there is no
/// such post).
pub async fn options_for_post(state: &AppState, post: PostId) -> Result<RenderOptions, AppError> {
    match state.store.editable_post(post).await? {
        Some(found) if found.kind == ponder_store::PostKind::Question => {
            Ok(options_for_tags(state, &found.tags))
        }
        Some(found) => options_for_thread(state, found.question_id).await,
        None => Ok(site_options(state)),
    }
}

/// The options for a post of the thread of question `question`: its tags read.
pub async fn options_for_thread(
    state: &AppState,
    question: PostId,
) -> Result<RenderOptions, AppError> {
    let tags = state
        .store
        .editable_post(question)
        .await?
        .map(|q| q.tags)
        .unwrap_or_default();
    Ok(options_for_tags(state, &tags))
}
