//! Ponder's web application: [`app`] builds the axum [`Router`] from an [`AppState`].
//!
//! - [`handlers`]: one module a resource (questions, categories, tags, users,
//!   health, assets); each parses its input, calls the store and picks a view.
//! - [`views`]: the askama page structs and the display models they print.
//! - [`tree`]: the category tree, walked in memory.
//! - [`error`]: [`AppError`], rendered as an HTML error page.
//! - [`assets`]: the stylesheet and icon, embedded, served under content-hashed names.
//! - [`headers`]: security headers on every response.
//! - [`offload`]: CPU-heavy work on the blocking pool, a bounded number at once.
//! - [`page_cache`]: rendered pages for visitors, kept until a write.
//! - [`rendering`]: Markdown rendered off the async workers, a few at a time.
//! - [`server`]: serving over TCP with bounded connections and timeouts.
//! - [`auth`]: passwords, sessions, CSRF, rate limits and mail.
//! - [`forms`]: form state (values and messages per field) for re-rendering.
//!
//! Pages are complete in the first response and work with JavaScript off.

pub mod actions;
pub mod assets;
pub mod auth;
pub mod conditional;
pub mod error;
pub mod forms;
pub mod handlers;
pub mod headers;
pub mod offload;
pub mod page_cache;
pub mod rendering;
pub mod server;
pub mod structured_data;
pub mod tree;
pub mod views;

pub use error::AppError;

use auth::limits::{RateLimitConfig, RateLimits};
use auth::mail::{LogMailer, Mailer};
use axum::Router;
use axum::routing::get;
use ponder_core::reputation::{ModerationRules, Privileges, ReputationRules};
use ponder_search::SearchIndex;
use ponder_store::Store;
use std::sync::Arc;

/// The off-topic reasons a site starts with.
pub fn default_off_topic_reasons() -> Vec<String> {
    [
        "it is not about the subjects this site covers",
        "it asks for recommendations of books, tools or other resources",
        "it is about a problem that can no longer be reproduced or is too local to help others",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Settings that shape what the pages say about the site.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The site's name, shown in the header and in titles.
    pub name: String,
    /// The public base URL without a trailing slash, e.g. `https://ask.example.org`;
    /// canonical links are built on it.
    pub base_url: String,
}

impl SiteConfig {
    /// Whether cookies must be marked Secure: the site is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            name: "Ponder".to_owned(),
            base_url: "http://127.0.0.1:8080".to_owned(),
        }
    }
}

/// What every handler shares: one [`Shared`] behind an `Arc`, so that the clone
/// each request makes of it is one counter increment.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields of [`AppState`].
#[derive(Clone)]
pub struct Shared {
    /// The database.
    pub store: Arc<dyn Store>,
    /// The search index.
    pub search: Arc<SearchIndex>,
    /// Site settings.
    pub site: Arc<SiteConfig>,
    /// Log-in and sign-up limits.
    pub limits: Arc<RateLimits>,
    /// Outgoing mail.
    pub mailer: Arc<dyn Mailer>,
    /// Points per reputation event.
    pub rules: ReputationRules,
    /// Reputation each privilege needs.
    pub privileges: Privileges,
    /// Thresholds of community moderation.
    pub moderation: ModerationRules,
    /// The reasons a question can be off-topic on this site.
    pub off_topic_reasons: Arc<Vec<String>>,
    /// Pages rendered for visitors; [`page_cache::PageCache::invalidate`] when
    /// something changes that this node did not write itself.
    pub pages: Arc<page_cache::PageCache>,
    /// Answers of `/api/v1/questions/similar` by normalised title, for a minute.
    pub similar: Arc<moka::sync::Cache<String, Arc<serde_json::Value>>>,
}

impl AppState {
    /// State over `store` and `search` with `site` settings, default rate limits,
    /// and mail written to the log.
    pub fn new(store: Arc<dyn Store>, search: Arc<SearchIndex>, site: SiteConfig) -> Self {
        Self(Arc::new(Shared {
            store,
            search,
            site: Arc::new(site),
            limits: Arc::new(RateLimits::new(RateLimitConfig::default())),
            mailer: Arc::new(LogMailer),
            rules: ReputationRules::default(),
            privileges: Privileges::default(),
            moderation: ModerationRules::default(),
            off_topic_reasons: Arc::new(default_off_topic_reasons()),
            pages: Arc::new(page_cache::PageCache::default()),
            similar: Arc::new(
                moka::sync::Cache::builder()
                    .max_capacity(10_000)
                    .time_to_live(std::time::Duration::from_secs(60))
                    .build(),
            ),
        }))
    }

    /// The fields, to change while the state is being built (copied if shared).
    fn shared_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }

    /// The same state with these moderation thresholds and off-topic reasons.
    pub fn with_moderation(
        mut self,
        rules: ModerationRules,
        off_topic_reasons: Vec<String>,
    ) -> Self {
        let shared = self.shared_mut();
        shared.moderation = rules;
        if !off_topic_reasons.is_empty() {
            shared.off_topic_reasons = Arc::new(off_topic_reasons);
        }
        self
    }

    /// The same state with these reputation rules and privilege thresholds.
    pub fn with_reputation(mut self, rules: ReputationRules, privileges: Privileges) -> Self {
        let shared = self.shared_mut();
        shared.rules = rules;
        shared.privileges = privileges;
        self
    }

    /// The same state with these rate limits.
    pub fn with_limits(mut self, config: RateLimitConfig) -> Self {
        self.shared_mut().limits = Arc::new(RateLimits::new(config));
        self
    }

    /// The same state keeping visitors' pages in `pages`.
    pub fn with_page_cache(mut self, pages: Arc<page_cache::PageCache>) -> Self {
        self.shared_mut().pages = pages;
        self
    }

    /// The same state sending mail with `mailer`.
    pub fn with_mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.shared_mut().mailer = mailer;
        self
    }
}

/// The whole application as a [`Router`], ready to serve or to drive in tests.
///
/// Pages run behind [`auth::context::resolve`], which knows the viewer and guards
/// writes, and behind the [`page_cache`], which answers visitors from memory; health
/// checks, static files and avatars do not need either and skip them.
pub fn app(state: AppState) -> Router {
    use axum::extract::DefaultBodyLimit;
    use axum::handler::Handler;
    use axum::routing::post;
    use handlers::*;
    let pages = Router::new()
        .route("/", get(questions::home))
        .route("/questions", get(questions::list_questions))
        .route(
            "/questions/{id}",
            get(questions::show_question_without_slug),
        )
        .route("/questions/{id}/{slug}", get(questions::show_question))
        .route("/categories", get(categories::list_categories))
        .route("/categories/{*path}", get(categories::show_category))
        .route("/tags/{name}", get(tags::show_tag))
        .route("/users/{id}", get(users::show_user_without_slug))
        .route("/users/{id}/{slug}", get(users::show_user))
        .route("/signup", get(signup::signup_form).post(signup::signup))
        .route(
            "/signup/finish",
            get(signup::finish_form).post(signup::finish),
        )
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/verify-email", get(email::verify_email))
        .route(
            "/reset-password",
            get(email::reset_request_form).post(email::reset_request),
        )
        .route(
            "/reset-password/new",
            get(email::reset_form).post(email::reset),
        )
        .route("/settings", get(settings::show_settings))
        .route("/settings/profile", post(settings::save_profile))
        .route("/settings/password", post(settings::change_password))
        .route("/settings/delete", post(settings::delete_account))
        .route("/settings/sessions/end", post(settings::end_session))
        .route(
            "/settings/sessions/end-others",
            post(settings::end_other_sessions),
        )
        .route("/settings/verify-email", post(email::resend_verification))
        .route(
            "/settings/avatar",
            post(avatars::upload_avatar)
                .layer(DefaultBodyLimit::max(avatars::MAX_AVATAR_BYTES + 64 * 1024)),
        )
        .route("/search", get(search::search_page))
        .route("/search/help", get(search::help_page))
        .route("/admin/users", get(admin::list_users))
        .route("/admin/users/{id}/role", post(admin::set_role))
        .route(
            "/ask",
            get(posting::ask_form).post(posting::ask.layer(post_body_limit())),
        )
        .route("/preview", post(posting::preview.layer(post_body_limit())))
        .route(
            "/questions/{id}/answers",
            post(posting::answer.layer(post_body_limit())),
        )
        .route("/posts/{id}/comments", post(posting::comment))
        .route(
            "/posts/{id}/edit",
            get(editing::edit_form).post(editing::save_edit.layer(post_body_limit())),
        )
        .route("/posts/{id}/revisions", get(editing::revisions))
        .route(
            "/posts/{id}/revisions/{revision}/rollback",
            post(editing::roll_back),
        )
        .route("/posts/{id}/vote", post(voting::vote))
        .route("/posts/{id}/accept", post(voting::accept))
        .route("/comments/{id}/vote", post(voting::vote_comment))
        .route("/suggested-edits/{id}", get(suggestions::show))
        .route("/suggested-edits/{id}/approve", post(suggestions::approve))
        .route("/suggested-edits/{id}/reject", post(suggestions::reject))
        .route("/posts/{id}/flag", post(moderation::flag_post))
        .route("/comments/{id}/flag", post(moderation::flag_comment))
        .route("/posts/{id}/close", post(moderation::close))
        .route("/posts/{id}/reopen", post(moderation::reopen))
        .route("/posts/{id}/mod/{action}", post(moderation::post_action))
        .route(
            "/comments/{id}/mod/restore",
            post(moderation::restore_comment),
        )
        .route(
            "/users/{id}/moderate/{action}",
            post(moderation::suspension),
        )
        .route("/mod/flags", get(moderation::flags_page))
        .route("/mod/flags/{id}/{verdict}", post(moderation::resolve_flag))
        .route("/mod/log", get(moderation::log_page))
        .route("/review", get(moderation::review_page))
        .route(
            "/review/{queue}/{id}/{action}",
            post(moderation::review_action),
        )
        .route("/posts/{id}/delete", post(editing::delete))
        .route("/posts/{id}/undelete", post(editing::undelete))
        .fallback(error::not_found_fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::context::resolve,
        ))
        .layer(axum::middleware::from_fn(conditional::etag_pages))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES));
    let plain = Router::new()
        .route("/users/{id}/avatar", get(avatars::avatar))
        .route("/users/{id}/avatar.svg", get(avatars::identicon))
        .route("/api/v1/questions/similar", get(search::similar))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{name}", get(assets::serve_asset))
        .route("/favicon.ico", get(assets::favicon));
    // Spans name the method and path only: query strings can carry mailed tokens.
    let trace = tower_http::trace::TraceLayer::new_for_http().make_span_with(
        |request: &axum::http::Request<_>| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        },
    );
    let cache = state.pages.clone();
    // From the inside out: errors as JSON where it is asked for; security headers
    // on every response; a time limit and a
    // span per request; the page cache, which answers visitors before any of that
    // runs; compression outermost, so that pages, API answers and assets all go br
    // or gzip to clients that accept it (the cache's own pages come encoded already).
    let https = state.site.secure_cookies();
    let routes = plain
        .merge(pages)
        .layer(axum::middleware::from_fn(error::json_errors));
    headers::apply(routes.with_state(state), https)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIME_LIMIT,
        ))
        .layer(trace)
        .layer(axum::middleware::from_fn_with_state(
            cache,
            page_cache::serve,
        ))
        .layer(tower_http::compression::CompressionLayer::new())
}

/// The body limit of the forms that carry a post's body.
fn post_body_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(MAX_POST_FORM_BYTES)
}

/// How long a request may take before it is answered 408.
pub const REQUEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The largest form body accepted by most forms (the avatar upload and the forms
/// that carry a post's body have their own, larger limits).
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// The largest form body accepted where a post's body is written (ask, answer,
/// edit, preview): a body at its length limit in four-byte characters, each byte
/// percent-encoded as browsers send it (12 bytes a character), and room for the
/// other fields.
pub const MAX_POST_FORM_BYTES: usize = 12 * ponder_core::posts::BODY_MAX + 64 * 1024;
