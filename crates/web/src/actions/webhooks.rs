//! Webhooks: an administrator registers a URL for events, deletes one, or asks
//! for a test delivery. A URL is refused when its host resolves to an address
//! that is not public, unless the site allows that (`--webhooks-reach-private`);
//! the sender checks again at each delivery.

use super::{ActionResult, Changed, Outcome};
use crate::AppState;
use crate::error::AppError;
use ponder_core::webhooks::{MAX_WEBHOOKS, WebhookEvent, validate_url};
use ponder_store::{NewWebhook, User, Webhook};

fn administrator(user: &User) -> Result<(), AppError> {
    user.actor().require_administrator()?;
    Ok(())
}

fn nothing<T>(value: T) -> Outcome<T> {
    Outcome {
        value,
        changed: Changed::Nothing,
    }
}

/// Registers `url` for `events`; the webhook, with its new secret (shown once).
/// The message of a refusal names the field (`url: ...`, `events: ...`).
pub async fn create_webhook(
    state: &AppState,
    user: &User,
    url: &str,
    events: Vec<WebhookEvent>,
) -> ActionResult<Webhook> {
    administrator(user)?;
    let url = validate_url(url).map_err(|m| AppError::Unprocessable(format!("url: {m}")))?;
    if events.is_empty() {
        return Err(AppError::Unprocessable(
            "events: choose at least one event".into(),
        ));
    }
    let target =
        crate::outbound::target(&url).map_err(|m| AppError::Unprocessable(format!("url: {m}")))?;
    crate::outbound::resolve(&target.host, target.port, state.site.webhooks_reach_private)
        .await
        .map_err(|m| AppError::Unprocessable(format!("url: {m}")))?;
    if state.store.webhooks().await?.len() >= MAX_WEBHOOKS {
        return Err(AppError::Unprocessable(format!(
            "url: a site has at most {MAX_WEBHOOKS} webhooks; delete one first"
        )));
    }
    let made = state
        .store
        .create_webhook(NewWebhook {
            url,
            secret: crate::auth::tokens::random_token(),
            events,
            created_by: user.id,
            created_at: ponder_core::time::now(),
        })
        .await?;
    Ok(nothing(made))
}

/// Deletes webhook `id`.
pub async fn delete_webhook(state: &AppState, user: &User, id: i64) -> ActionResult<()> {
    administrator(user)?;
    if !state
        .store
        .delete_webhook(id, ponder_core::time::now())
        .await?
    {
        return Err(AppError::NotFound(format!("There is no webhook {id}.")));
    }
    Ok(nothing(()))
}

/// Queues a test delivery (`ping`) to webhook `id`; the delivery's id.
pub async fn test_webhook(state: &AppState, user: &User, id: i64) -> ActionResult<i64> {
    administrator(user)?;
    let now = ponder_core::time::now();
    let payload = serde_json::json!({
        "event": "ping",
        "occurred_at": now,
        "site": state.site.base_url,
        "message": "A test delivery, sent from the webhooks page.",
    })
    .to_string();
    let queued = state
        .store
        .enqueue_webhook_test(id, &payload, now)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no webhook {id}.")))?;
    Ok(nothing(queued))
}
