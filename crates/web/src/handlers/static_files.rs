//! The embedded static files (`crate::assets`), served by their hashed names.

use crate::assets::{ICON, SCRIPT, STYLESHEET};
use crate::error::AppError;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// `GET /static/{name}`: an asset by its hashed name.
pub async fn serve_asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let asset = [&*STYLESHEET, &*SCRIPT, &*ICON]
        .into_iter()
        .find(|a| a.name == name)
        .ok_or_else(|| AppError::NotFound("There is no such file.".to_owned()))?;
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        asset.body,
    )
        .into_response())
}

/// `GET /favicon.ico`: browsers ask for it by habit; send them to the icon.
pub async fn favicon() -> Response {
    crate::redirect::moved_permanently(&ICON.url())
}
