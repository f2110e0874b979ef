//! The Stack Exchange API's read subset, at `/2.3/`, `/2.2/` and `/api/2.3/`, so
//! that clients written for that API work unchanged against this site. One route
//! a prefix takes the rest of the path, so that trailing slashes and `;`-joined ids
//! are read in one place ([`dispatch`]); the conventions (the wrapper, the built-in
//! filters, paging, sorts and bounds, errors with `error_id`, `error_name` and
//! `error_message`) are in [`params`]; the item types and methods in [`items`] and
//! [`methods`].
//!
//! Reads only: this site's writes go through `/api/v1`.

pub mod items;
pub mod methods;
pub mod params;

use crate::AppState;
use crate::auth::Ctx;
use crate::handlers::client_ip::ClientIp;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use params::{ExchangeError, Params};
use std::collections::HashMap;

/// The API's routes: each prefix takes any method under it.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/2.3/{*rest}", get(dispatch))
        .route("/2.2/{*rest}", get(dispatch))
        .route("/api/2.3/{*rest}", get(dispatch))
}

/// The versions' prefixes this API answers under.
const PREFIXES: [&str; 3] = ["/2.3/", "/2.2/", "/api/2.3/"];

/// Whether `path` is this API's, whose errors take Stack Exchange's shape.
pub fn is_exchange_path(path: &str) -> bool {
    PREFIXES.iter().any(|prefix| path.starts_with(prefix))
}

/// Answers `GET /{version}/{method}`: reads the parameters, finds the method and
/// shapes its answer as the filter asks.
pub async fn dispatch(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Path(rest): Path<String>,
    query: Result<Query<HashMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let answer = async {
        let Query(mut raw) = query
            .map_err(|_| ExchangeError::bad_parameter("the query string could not be read"))?;
        let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
        if segments == ["sites"] {
            // Clients list every site at once (`pagesize=1000`); here there is one.
            raw.remove("pagesize");
        }
        let params = Params::read(&raw)?;
        let found = methods::call(&state, &ctx, &ip, &segments, &params).await?;
        Ok::<_, ExchangeError>(params.filter.shape(found))
    }
    .await;
    match answer {
        Ok(body) => axum::Json(body).into_response(),
        Err(err) => err.into_response(),
    }
}
