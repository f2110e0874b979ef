//! `/admin/webhooks`: the webhooks an administrator registered, each with its
//! latest deliveries (event, status, attempts, time), the form that registers one
//! (its secret is shown once, on the page that answers it), a button that sends
//! a test event, and deletion.

use crate::AppState;
use crate::actions::webhooks as act;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::page_cache::nothing_stale;
use crate::views::{DeliveryRow, Head, Moment, WebhookRow, WebhooksPage, render};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::webhooks::WebhookEvent;
use serde::Deserialize;

/// This page's address.
const HERE: &str = "/admin/webhooks";

/// Deliveries shown a webhook.
const LOG_ROWS: u32 = 10;

/// The page, with `form` and, after one was registered, its secret.
async fn page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    secret: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = ponder_core::time::now();
    let mut rows = Vec::new();
    for hook in state.store.webhooks().await? {
        // One statement a webhook; a site has at most twenty.
        let log = state.store.webhook_deliveries(hook.id, LOG_ROWS).await?;
        rows.push(WebhookRow {
            id: hook.id,
            url: hook.url,
            events: hook
                .events
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            created: Moment::new(hook.created_at, now),
            deliveries: log
                .into_iter()
                .map(|d| DeliveryRow {
                    event: d.event,
                    state: if d.delivered_at.is_some() {
                        "delivered".to_owned()
                    } else if d.failed_at.is_some() {
                        "given up".to_owned()
                    } else if d.attempts == 0 {
                        "waiting".to_owned()
                    } else {
                        "will retry".to_owned()
                    },
                    status: d.last_status.map(|s| s.to_string()).unwrap_or_default(),
                    attempts: d.attempts,
                    error: d.last_error,
                    when: Moment::new(d.last_attempt_at.unwrap_or(d.created_at), now),
                })
                .collect(),
        });
    }
    let mut response = render(&WebhooksPage {
        head: Head::new(
            ctx,
            "Webhooks",
            "The addresses this site tells of its events.",
        ),
        events: WebhookEvent::ALL
            .into_iter()
            .map(|e| (e.as_str(), e.label(), form.value(e.as_str()) == "on"))
            .collect(),
        rows,
        secret,
        reach_private: state.site.webhooks_reach_private,
        form,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /admin/webhooks`.
pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    super::admin::require_admin(&ctx, HERE)?;
    page(&state, &ctx, FormState::new(), None, StatusCode::OK).await
}

/// The form as posted: the URL and a checkbox an event.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WebhookForm {
    csrf: String,
    url: String,
    #[serde(rename = "question.created")]
    question: String,
    #[serde(rename = "answer.created")]
    answer: String,
    #[serde(rename = "comment.created")]
    comment: String,
    #[serde(rename = "answer.accepted")]
    accepted: String,
    #[serde(rename = "post.edited")]
    edit: String,
    #[serde(rename = "flag.created")]
    flag: String,
}

impl WebhookForm {
    /// The events ticked.
    fn events(&self) -> Vec<WebhookEvent> {
        [
            (&self.question, WebhookEvent::Question),
            (&self.answer, WebhookEvent::Answer),
            (&self.comment, WebhookEvent::Comment),
            (&self.accepted, WebhookEvent::Accepted),
            (&self.edit, WebhookEvent::Edit),
            (&self.flag, WebhookEvent::Flag),
        ]
        .into_iter()
        .filter(|(ticked, _)| !ticked.is_empty())
        .map(|(_, event)| event)
        .collect()
    }
}

/// `POST /admin/webhooks`: registers one, and shows its secret once.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<WebhookForm>,
) -> Result<Response, AppError> {
    let user = super::admin::require_admin(&ctx, HERE)?.clone();
    let input = form.checked()?;
    let events = input.events();
    let mut form = FormState::new().with("url", input.url.clone());
    for event in &events {
        form = form.with(event.as_str(), "on");
    }
    match act::create_webhook(&state, &user, &input.url, events).await {
        Ok(made) => {
            let mut fresh = FormState::new();
            fresh.success = Some(
                "Registered. Copy the secret now: it is not shown again. Deliveries are signed with it."
                    .into(),
            );
            let response =
                page(&state, &ctx, fresh, Some(made.value.secret), StatusCode::OK).await?;
            Ok(nothing_stale(response))
        }
        Err(AppError::Unprocessable(message)) => {
            // The action names the field its message is for.
            let (field, text) = match message.split_once(": ") {
                Some(("events", text)) => ("events", text),
                Some((_, text)) => ("url", text),
                None => ("url", message.as_str()),
            };
            form.error(field, text.to_owned());
            page(&state, &ctx, form, None, StatusCode::UNPROCESSABLE_ENTITY)
                .await
                .map(nothing_stale)
        }
        Err(other) => Err(other),
    }
}

/// A button's form: the token only.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ButtonForm {
    csrf: String,
}

/// `POST /admin/webhooks/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    let user = super::admin::require_admin(&ctx, HERE)?.clone();
    form.checked()?;
    let id = super::parse_id(&id, "webhook")?;
    let done = act::delete_webhook(&state, &user, id).await?;
    Ok(done.see_other(HERE))
}

/// `POST /admin/webhooks/{id}/test`: queues a test event; the log shows how it went.
pub async fn test(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: CsrfForm<ButtonForm>,
) -> Result<Response, AppError> {
    let user = super::admin::require_admin(&ctx, HERE)?.clone();
    form.checked()?;
    let id = super::parse_id(&id, "webhook")?;
    let done = act::test_webhook(&state, &user, id).await?;
    Ok(done.see_other(&format!("{HERE}#webhook-{id}")))
}

crate::extract::has_csrf!(WebhookForm, ButtonForm);
