//! [`app`]: every route, and the layers the requests pass through.

use crate::handlers::*;
use crate::state::AppState;
use crate::{conditional, error, headers, page_cache};
use axum::Router;
use axum::routing::get;

/// The whole application as a [`Router`], ready to serve or to drive in tests.
///
/// Pages run behind [`auth::context::resolve`], which knows the viewer and guards
/// writes, and behind the [`page_cache`], which answers visitors from memory; health
/// checks, static files and avatars do not need either and skip them.
pub fn app(state: AppState) -> Router {
    use axum::extract::DefaultBodyLimit;

    let pages = page_routes()
        .into_router()
        .fallback(error::not_found_fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::context::resolve,
        ))
        .layer(axum::middleware::from_fn(conditional::etag_pages))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(axum::middleware::from_fn(|request, next| {
            crate::outage::keep_form(MAX_POST_FORM_BYTES, request, next)
        }));
    let plain = plain_routes().into_router();
    // Spans name the method and path only: query strings can carry mailed tokens.
    let trace = tower_http::trace::TraceLayer::new_for_http().make_span_with(
        |request: &axum::http::Request<_>| {
            let client = request
                .extensions()
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip());
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), client = ?client)
        },
    );
    let cache = state.pages.clone();
    let proxies = state.proxies.clone();
    // From the inside out: addresses holding what no page takes refused; errors as
    // JSON where it is asked for; security headers on every response; a time limit
    // and a span per request; the page cache, which answers visitors before any of
    // that runs; the edge, which finds the client behind trusted proxies, counts
    // the request in the metrics and answers a panic; compression outermost, so
    // that pages, API answers and assets all go br or gzip to clients that accept
    // it (the cache's own pages come encoded already).
    let https = state.site.secure_cookies();
    let routes = plain
        .merge(pages)
        .layer(axum::middleware::from_fn(crate::input_guard::guard))
        .layer(axum::middleware::from_fn(error::json_errors))
        .layer(axum::middleware::from_fn(crate::metrics::note_route));
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
        .layer(axum::middleware::from_fn(crate::cors::anonymous_reads))
        .layer(crate::edge::EdgeLayer::new(proxies))
        .layer(tower_http::compression::CompressionLayer::new())
}

/// The pages and the APIs: the routes behind the viewer's context and the page cache.
fn page_routes() -> Routes {
    use axum::extract::DefaultBodyLimit;
    use axum::handler::Handler;
    use axum::routing::post;
    Routes::new()
        .route("/", get(questions::home))
        .route("/questions", get(questions::list_questions))
        .route(
            "/questions/{id}",
            get(questions::show_question_without_slug),
        )
        .route("/questions/{id}/{slug}", get(questions::show_question))
        .route("/categories", get(categories::list_categories))
        .route("/categories/{*path}", get(categories::show_category))
        .route("/tags", get(tags::list_tags))
        .route("/privileges", get(help::privileges))
        .route("/help/formatting", get(help::formatting))
        .route("/about", get(help::about))
        .route("/rules", get(help::rules))
        .route("/tags/{name}", get(tags::show_tag))
        .route(
            "/tags/{name}/edit",
            get(tag_edit::edit_form).post(tag_edit::save_wiki.layer(post_body_limit())),
        )
        .route("/tags/{name}/manage", post(tag_edit::manage))
        .route("/tags/{name}/revisions", get(tag_edit::revisions))
        .route("/users/{id}", get(users::show_user_without_slug))
        .route("/users/{id}/following", get(inbox::following))
        .route(
            "/users/{id}/message",
            get(inbox::message_form).post(inbox::message),
        )
        .route("/users/{id}/{slug}", get(users::show_user))
        .route("/inbox", get(inbox::show_inbox))
        .route("/inbox/achievements", get(inbox::achievements))
        .route("/inbox/read-all", post(inbox::read_all))
        .route("/inbox/{id}/open", get(inbox::open))
        .route("/inbox/{id}/read", post(inbox::read_one))
        .route("/follow", post(inbox::follow))
        .route(
            "/api/v1/questions/{id}/participants",
            get(inbox::participants),
        )
        .route("/setup", get(setup::setup_form).post(setup::setup))
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
        .route("/claim", get(claims::request_form).post(claims::request))
        .route(
            "/claim/finish",
            get(claims::finish_form).post(claims::finish),
        )
        .route("/settings", get(settings::show_settings))
        .route("/settings/profile", post(settings::save_profile))
        .route("/settings/password", post(settings::change_password))
        .route("/settings/mail", post(settings::save_mail))
        .route("/settings/tokens", post(settings::create_token))
        .route("/settings/tokens/{id}/revoke", post(settings::revoke_token))
        .route("/settings/delete", post(settings::delete_account))
        .route("/settings/data.json", get(settings::download_data))
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
        .route(
            "/uploads",
            post(uploads::upload).layer(DefaultBodyLimit::max(uploads::MAX_UPLOAD_BODY)),
        )
        .route(
            "/upload",
            get(uploads::upload_form)
                .post(uploads::upload_from_page)
                .layer(DefaultBodyLimit::max(uploads::MAX_UPLOAD_BODY)),
        )
        .route("/uploads/{name}", get(uploads::serve))
        .route("/search", get(search::search_page))
        .route("/search/help", get(search::help_page))
        .route("/admin/users", get(admin::list_users))
        .route(
            "/admin/categories",
            get(admin_categories::show).post(admin_categories::create),
        )
        .route(
            "/admin/categories/{id}",
            get(admin_category::show).post(admin_category::update),
        )
        .route("/admin/categories/{id}/move", post(admin_category::move_to))
        .route(
            "/admin/categories/{id}/delete",
            post(admin_category::delete),
        )
        .route("/admin/categories/{id}/order", post(admin_category::order))
        .route(
            "/invitations",
            get(invitations::show).post(invitations::create),
        )
        .route("/invitations/{id}/revoke", post(invitations::revoke))
        .route(
            "/admin/settings",
            get(admin_settings::show).post(admin_settings::save.layer(post_body_limit())),
        )
        .route(
            "/admin/webhooks",
            get(admin_webhooks::show).post(admin_webhooks::create),
        )
        .route("/admin/webhooks/{id}/delete", post(admin_webhooks::delete))
        .route("/admin/webhooks/{id}/test", post(admin_webhooks::test))
        .route("/admin/users/{id}/role", post(admin::set_role))
        .route(
            "/admin/users/{id}/claim",
            get(claims::admin_form).post(claims::admin_send),
        )
        .route("/admin/users/{id}/delete", post(admin::delete_user))
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
        .merge(crate::api::routes())
        .merge(crate::exchange_api::routes())
}

/// Health checks, static files, avatars, feeds and the crawlers' files: routes that
/// need neither the viewer nor the page cache.
fn plain_routes() -> Routes {
    Routes::new()
        .route("/users/{id}/avatar", get(avatars::avatar))
        .route("/users/{id}/avatar.svg", get(avatars::identicon))
        .route("/api/v1/questions/similar", get(search::similar))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{name}", get(static_files::serve_asset))
        .route("/favicon.ico", get(static_files::favicon))
        .route(
            "/unsubscribe",
            get(unsubscribe::confirm).post(unsubscribe::unsubscribe),
        )
        .route("/feeds/questions", get(feeds::newest))
        .route("/feeds/questions/{id}", get(feeds::question))
        .route("/feeds/tags/{name}", get(feeds::tag))
        .route("/feeds/categories/{*path}", get(feeds::category))
        .route("/feeds/users/{id}", get(feeds::user))
        .route("/robots.txt", get(crawlers::robots))
        .route("/sitemap.xml", get(crawlers::sitemap_index))
        .route("/sitemap-{part}", get(crawlers::sitemap_part))
}

/// Every route's path as the router was given it (`{id}`, `{*path}` and all), for
/// tests that must reach every route without a list of their own.
pub fn route_paths() -> Vec<&'static str> {
    let mut paths = page_routes().paths;
    paths.extend(plain_routes().paths);
    paths
}

/// A router that keeps the paths it is given ([`route_paths`]).
pub struct Routes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Self {
        Self {
            router: Router::new(),
            paths: Vec::new(),
        }
    }

    /// Adds `path`, answered by `method_router`.
    pub fn route(
        mut self,
        path: &'static str,
        method_router: axum::routing::MethodRouter<AppState>,
    ) -> Self {
        self.router = self.router.route(path, method_router);
        self.paths.push(path);
        self
    }

    /// Adds every route of `other`.
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// The router.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
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
