//! Health checks for load balancers and orchestrators.

use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use std::time::Duration;

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// How long `/readyz` waits for the database before it says it is not ready.
const READY_WITHIN: Duration = Duration::from_millis(500);

/// `GET /readyz`: the database answers within half a second; 503 when it does
/// not (at once when it refuses, after that half second when it is silent), so
/// that a load balancer takes the node out while its database is away, and 503
/// at once while the server is shutting down.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    if state.draining.load(std::sync::atomic::Ordering::Acquire) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting down\n".to_owned(),
        );
    }
    let answered = tokio::time::timeout(READY_WITHIN, state.store.ping())
        .await
        .unwrap_or_else(|_| {
            Err(ponder_store::StoreError::Unavailable(
                "no answer within half a second".into(),
            ))
        });
    match answered {
        Ok(()) => (
            StatusCode::OK,
            format!("ready ({})\n", state.store.backend()),
        ),
        Err(err) => {
            tracing::warn!(%err, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable\n".to_owned(),
            )
        }
    }
}
