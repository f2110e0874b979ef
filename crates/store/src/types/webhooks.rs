//! Webhooks and their deliveries.

use ponder_core::UserId;
use ponder_core::time::Timestamp;
use ponder_core::webhooks::WebhookEvent;

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    /// Its id.
    pub id: i64,
    /// Where deliveries go.
    pub url: String,
    /// The key deliveries are signed with.
    pub secret: String,
    /// The events it is sent.
    pub events: Vec<WebhookEvent>,
    /// When it was registered.
    pub created_at: Timestamp,
}

/// A webhook to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebhook {
    /// Where deliveries go (checked by `ponder_core::webhooks::validate_url`).
    pub url: String,
    /// The key deliveries are signed with.
    pub secret: String,
    /// The events it is sent.
    pub events: Vec<WebhookEvent>,
    /// The administrator who registered it.
    pub created_by: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// A delivery due to be sent, with what sending it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueDelivery {
    /// The delivery's id.
    pub id: i64,
    /// Its webhook.
    pub webhook_id: i64,
    /// The webhook's URL.
    pub url: String,
    /// The webhook's secret.
    pub secret: String,
    /// The event's name.
    pub event: String,
    /// The JSON body.
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// How an attempt to deliver ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The receiver answered 2xx.
    Delivered {
        /// Its status.
        status: i64,
    },
    /// It failed; try again at `next_attempt_at`.
    Retry {
        /// The receiver's status, if it answered.
        status: Option<i64>,
        /// What went wrong.
        error: String,
        /// When to try again.
        next_attempt_at: Timestamp,
    },
    /// It failed for the last time.
    GivenUp {
        /// The receiver's status, if it answered.
        status: Option<i64>,
        /// What went wrong.
        error: String,
    },
}

/// A delivery as the administrator's log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryLog {
    /// Its id.
    pub id: i64,
    /// The event's name (`ping` for a test).
    pub event: String,
    /// When it was queued.
    pub created_at: Timestamp,
    /// Attempts made.
    pub attempts: i64,
    /// When it was delivered, if it was.
    pub delivered_at: Option<Timestamp>,
    /// When it was given up, if it was.
    pub failed_at: Option<Timestamp>,
    /// The receiver's last status.
    pub last_status: Option<i64>,
    /// The last error.
    pub last_error: String,
    /// When it was last tried.
    pub last_attempt_at: Option<Timestamp>,
    /// When it is tried next (while pending).
    pub next_attempt_at: Timestamp,
}
