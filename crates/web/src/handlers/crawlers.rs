//! What search engines read besides the pages: `/robots.txt`, which keeps them
//! out of pages that are personal, administrative or endless (searches, forms)
//! and names the sitemap; and `/sitemap.xml`, an index of parts, each listing
//! the visible questions of one range of post ids with their last activity.
//! A part is one indexed range scan, whatever the site's size, and holds at most
//! [`PART_IDS`] addresses, within the protocol's 50,000.

use crate::AppState;
use crate::error::AppError;
use crate::views::question_path;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use ponder_core::text::escape_html;
use ponder_core::time::DateTime;
use std::fmt::Write as _;

/// Post ids a part covers (questions and answers share the ids, so a part lists
/// fewer questions than this).
pub const PART_IDS: i64 = 50_000;

/// A text response of `content_type`, kept by caches for an hour.
fn text(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// `GET /robots.txt`.
pub async fn robots(State(state): State<AppState>) -> Response {
    let mut body = String::from("User-agent: *\n");
    for path in [
        "/admin/",
        "/mod/",
        "/review",
        "/settings",
        "/invitations",
        "/setup",
        "/signup",
        "/login",
        "/reset-password",
        "/verify-email",
        "/search",
        "/ask",
        "/preview",
        "/api/",
        "/suggested-edits/",
    ] {
        let _ = writeln!(body, "Disallow: {path}");
    }
    let _ = writeln!(body, "\nSitemap: {}/sitemap.xml", state.site.base_url);
    text("text/plain; charset=utf-8", body)
}

/// `GET /sitemap.xml`: the index of the parts.
pub async fn sitemap_index(State(state): State<AppState>) -> Result<Response, AppError> {
    let max = state.store.max_post_id().await?;
    let parts = max / PART_IDS + 1;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for part in 1..=parts {
        let _ = writeln!(
            body,
            "<sitemap><loc>{}/sitemap-{part}.xml</loc></sitemap>",
            escape_html(&state.site.base_url)
        );
    }
    body.push_str("</sitemapindex>\n");
    Ok(text("application/xml; charset=utf-8", body))
}

/// `GET /sitemap-{n}.xml`: the visible questions of the `n`th range of ids.
pub async fn sitemap_part(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let not_found = || AppError::NotFound("There is no such part of the sitemap.".into());
    let part: i64 = name
        .strip_suffix(".xml")
        .and_then(|n| n.parse().ok())
        .filter(|n| *n >= 1)
        .ok_or_else(not_found)?;
    let max = state.store.max_post_id().await?;
    if part > max / PART_IDS + 1 {
        return Err(not_found());
    }
    let from = (part - 1) * PART_IDS;
    let questions = state.store.sitemap_questions(from, from + PART_IDS).await?;
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let base = escape_html(&state.site.base_url);
    for (id, title, at) in questions {
        let _ = writeln!(
            body,
            "<url><loc>{base}{}</loc><lastmod>{}</lastmod></url>",
            escape_html(&question_path(id, &title)),
            DateTime::from_timestamp(at).rfc3339()
        );
    }
    body.push_str("</urlset>\n");
    Ok(text("application/xml; charset=utf-8", body))
}
