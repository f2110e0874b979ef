//! Webhooks: the sender of queued deliveries ([`WebhookSender`]) and one
//! delivery over HTTP ([`http`]). The change-log subscriber that queues them is
//! `ponder_feed::WebhookSubscriber`; the administrator's page is
//! `handlers::admin_webhooks`.
//!
//! On the one node that holds the [`SENDER_LEASE`], each round claims the due
//! deliveries (so no other node and no restart sends one twice at once), POSTs
//! each signed (`ponder_core::webhooks::signature`), and records the outcome: a
//! 2xx answer delivers it; anything else puts it back for a later try, waiting
//! twice as long each time up to six hours, until [`MAX_ATTEMPTS`].

use crate::outbound as http;
use ponder_core::webhooks::{SIGNATURE_HEADER, signature};
use ponder_feed::leased::Leadership;
use ponder_store::{DeliveryOutcome, DueDelivery, Store, StoreResult};
use std::sync::Arc;
use std::time::Duration;

/// The name of the lease that lets one node send.
pub const SENDER_LEASE: &str = "webhook-sender";

/// Tries before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// Deliveries sent in one round at most.
const BATCH: u32 = 50;

/// The longest wait between two tries.
const LONGEST_WAIT: i64 = 6 * 3_600;

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Round {
    /// Whether this node leads (sends).
    pub leading: bool,
    /// Deliveries the receivers took.
    pub delivered: u64,
    /// Deliveries that failed (and wait for another try, or were given up).
    pub failed: u64,
}

/// Sends the queued deliveries, when this node leads.
pub struct WebhookSender {
    store: Arc<dyn Store>,
    reach_private: bool,
    leadership: Leadership,
    first_wait: i64,
}

impl WebhookSender {
    /// A sender of `store`'s deliveries; with `reach_private`, receivers on
    /// private networks and loopback may be reached. The first retry waits a minute.
    pub fn new(store: Arc<dyn Store>, reach_private: bool) -> Self {
        Self {
            store,
            reach_private,
            leadership: Leadership::new(SENDER_LEASE),
            first_wait: 60,
        }
    }

    /// The same sender, whose first retry waits `seconds` (tests wait less).
    pub fn first_retry_after(mut self, seconds: i64) -> Self {
        self.first_wait = seconds.max(1);
        self
    }

    /// One round: send what is due.
    pub async fn round(&self) -> StoreResult<Round> {
        let store = &self.store;
        if !self.leadership.leads(&**store).await? {
            return Ok(Round::default());
        }
        let mut round = Round {
            leading: true,
            ..Round::default()
        };
        let now = ponder_core::time::now();
        for delivery in store.due_webhook_deliveries(now, BATCH).await? {
            if !store.claim_webhook_delivery(delivery.id, now).await? {
                continue; // another node took it
            }
            let outcome = self.send(&delivery).await;
            match &outcome {
                DeliveryOutcome::Delivered { .. } => round.delivered += 1,
                DeliveryOutcome::Retry { error, .. } | DeliveryOutcome::GivenUp { error, .. } => {
                    tracing::warn!(
                        delivery = delivery.id,
                        webhook = delivery.webhook_id,
                        attempts = delivery.attempts + 1,
                        "webhook delivery failed: {error}"
                    );
                    round.failed += 1;
                }
            }
            store
                .finish_webhook_delivery(delivery.id, outcome, ponder_core::time::now())
                .await?;
        }
        Ok(round)
    }

    /// Sends one claimed delivery; how it ended.
    async fn send(&self, delivery: &DueDelivery) -> DeliveryOutcome {
        let timestamp = ponder_core::time::now();
        let outgoing = http::Outgoing {
            method: hyper::Method::POST,
            url: &delivery.url,
            body: axum::body::Bytes::from(delivery.payload.clone()),
            max_response: http::MAX_RESPONSE_BYTES,
            headers: vec![
                ("Content-Type", "application/json".to_owned()),
                (
                    SIGNATURE_HEADER,
                    signature(&delivery.secret, timestamp, delivery.payload.as_bytes()),
                ),
                ("Ponder-Event", delivery.event.clone()),
                ("Ponder-Delivery", delivery.id.to_string()),
            ],
            allow_private: self.reach_private,
        };
        let (status, error) = match http::send(&outgoing).await.map(|answer| answer.status) {
            Ok(status @ 200..=299) => {
                return DeliveryOutcome::Delivered {
                    status: i64::from(status),
                };
            }
            Ok(status) => (
                Some(i64::from(status)),
                format!("the receiver answered {status}"),
            ),
            Err(error) => (None, error),
        };
        if delivery.attempts + 1 >= MAX_ATTEMPTS {
            DeliveryOutcome::GivenUp { status, error }
        } else {
            DeliveryOutcome::Retry {
                status,
                error,
                next_attempt_at: ponder_core::time::now()
                    + ponder_core::time::backoff(self.first_wait, delivery.attempts, LONGEST_WAIT),
            }
        }
    }

    /// Sends rounds every `every` until the process ends; a failed round is logged
    /// and the next one tries again.
    pub async fn run(self, every: Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = self.round().await {
                tracing::warn!(%err, "webhook round failed");
            }
        }
    }
}
