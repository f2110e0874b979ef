//! Ponder's web application: [`app`] builds the axum router from an [`AppState`].
//!
//! - [`actions`]: every write, whatever the transport: rules, store, outcome.
//! - [`state`]: [`AppState`], what every handler shares, and [`SiteConfig`].
//! - [`site_settings`]: the site settings in force, reloaded when they change.
//! - [`routes`]: every route and the layers requests pass through.
//! - [`api`]: the JSON API at `/api/v1`, over the same actions, and its OpenAPI document.
//! - [`exchange_api`]: the Stack Exchange API's read subset, for existing clients.
//! - [`handlers`]: one module a resource (questions, categories, tags, users,
//!   health, assets); each parses its input, calls the store and picks a view.
//! - [`views`]: the askama page structs and the display models they print.
//! - [`tree`]: the category tree, walked in memory.
//! - [`error`]: [`AppError`], rendered as an HTML error page.
//! - [`atom`]: Atom 1.0 feed documents, written with every text escaped.
//! - [`assets`]: the stylesheet and icon, embedded, served under content-hashed names.
//! - [`headers`]: security headers on every response.
//! - [`cors`]: anonymous cross-origin reads of the API and the feeds, nothing else.
//! - [`metrics`]: Prometheus metrics, served on an address of their own.
//! - [`offload`]: CPU-heavy work on the blocking pool, a bounded number at once.
//! - [`page_cache`]: rendered pages for visitors, kept until a write.
//! - [`proxies`]: the real client behind trusted reverse proxies.
//! - [`rendering`]: Markdown rendered off the async workers, a few at a time.
//! - [`server`]: serving over TCP with bounded connections and timeouts.
//! - [`auth`]: passwords, sessions, CSRF, rate limits and mail.
//! - [`outage`]: forms sent while the database is away come back with their text.
//! - [`outbox`]: the inbox's mail, sent from the durable outbox by one node.
//! - [`webhooks`]: webhook deliveries, sent from their durable queue by one node.
//! - [`extract`]: typed extractors: ids from URLs, CSRF-checked forms.
//! - [`forms`]: form state (values and messages per field) for re-rendering.
//! - [`redirect`]: 303 after a form, 301 to a canonical address.
//!
//! Pages are complete in the first response and work with JavaScript off.

pub mod actions;
pub mod api;
pub mod assets;
pub mod atom;
pub mod auth;
pub mod conditional;
pub mod cors;
pub mod edge;
pub mod error;
pub mod exchange_api;
pub mod extract;
pub mod forms;
pub mod handlers;
pub mod headers;
pub mod images;
pub mod input_guard;
pub mod metrics;
pub mod offload;
pub mod outage;
pub mod outbound;
pub mod outbox;
pub mod page_cache;
pub mod proxies;
pub mod redirect;
pub mod related;
pub mod rendering;
pub mod routes;
pub mod server;
pub mod site_settings;
pub mod state;
pub mod structured_data;
pub mod tree;
pub mod uploads;
pub mod views;
pub mod webhooks;

pub use error::AppError;

pub use routes::app;
pub use routes::{MAX_FORM_BYTES, MAX_POST_FORM_BYTES, REQUEST_TIME_LIMIT};
pub use state::{AppState, Shared, SiteConfig, default_off_topic_reasons};
