//! Ponder's web application: [`app`] builds the axum [`Router`] from an [`AppState`].
//!
//! - [`handlers`]: one module a resource (questions, categories, tags, users,
//!   health, assets); each parses its input, calls the store and picks a view.
//! - [`views`]: the askama page structs and the display models they print.
//! - [`tree`]: the category tree, walked in memory.
//! - [`error`]: [`AppError`], rendered as an HTML error page.
//! - [`assets`]: the stylesheet and icon, embedded, served under content-hashed names.
//! - [`headers`]: security headers on every response.
//!
//! Pages are complete in the first response and work with JavaScript off.

pub mod assets;
pub mod error;
pub mod handlers;
pub mod headers;
pub mod tree;
pub mod views;

pub use error::AppError;

use axum::Router;
use axum::routing::get;
use ponder_store::Store;
use std::sync::Arc;

/// Settings that shape what the pages say about the site.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The site's name, shown in the header and in titles.
    pub name: String,
    /// The public base URL without a trailing slash, e.g. `https://ask.example.org`;
    /// canonical links are built on it.
    pub base_url: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            name: "Ponder".to_owned(),
            base_url: "http://127.0.0.1:8080".to_owned(),
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// Site settings.
    pub site: Arc<SiteConfig>,
}

impl AppState {
    /// State over `store` with `site` settings.
    pub fn new(store: Arc<dyn Store>, site: SiteConfig) -> Self {
        Self {
            store,
            site: Arc::new(site),
        }
    }
}

/// The whole application as a [`Router`], ready to serve or to drive in tests.
pub fn app(state: AppState) -> Router {
    use handlers::*;
    let routes = Router::new()
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
        .route("/users/{id}/avatar.svg", get(users::avatar))
        .route("/users/{id}/{slug}", get(users::show_user))
        .route("/login", get(auth::login_page))
        .route("/ask", get(auth::ask_page))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{name}", get(assets::serve_asset))
        .route("/favicon.ico", get(assets::favicon))
        .fallback(error::not_found_fallback)
        .with_state(state);
    headers::apply(routes)
}
