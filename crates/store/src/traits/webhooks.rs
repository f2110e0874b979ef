//! [`WebhookStore`]: registered webhooks and the durable queue of their deliveries.

use crate::*;
use async_trait::async_trait;
use ponder_core::time::Timestamp;
use ponder_core::webhooks::WebhookEvent;

/// Webhooks and their deliveries.
#[async_trait]
pub trait WebhookStore: Send + Sync {
    /// Registers a webhook.
    async fn create_webhook(&self, new: NewWebhook) -> StoreResult<Webhook>;

    /// The registered webhooks (not deleted), oldest first.
    async fn webhooks(&self) -> StoreResult<Vec<Webhook>>;

    /// Deletes webhook `id` at `at` (its pending deliveries are not sent); whether
    /// it existed.
    async fn delete_webhook(&self, id: i64, at: Timestamp) -> StoreResult<bool>;

    /// Moves `subscriber`'s position in the change log from `after` to `last`
    /// and, in the same transaction, queues each event for every webhook that
    /// takes it. `None` when the position was not `after` (another node took the
    /// batch); else how many deliveries were queued.
    async fn enqueue_webhook_events(
        &self,
        subscriber: &str,
        after: i64,
        last: i64,
        events: &[(WebhookEvent, String)],
        at: Timestamp,
    ) -> StoreResult<Option<u64>>;

    /// Queues a test delivery (`ping`) of `payload` to webhook `id`; its id, or
    /// `None` for no such webhook.
    async fn enqueue_webhook_test(
        &self,
        id: i64,
        payload: &str,
        at: Timestamp,
    ) -> StoreResult<Option<i64>>;

    /// Up to `limit` deliveries due at `now`, oldest first.
    async fn due_webhook_deliveries(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<DueDelivery>>;

    /// Claims delivery `id` for sending at `at`; whether this caller got it.
    async fn claim_webhook_delivery(&self, id: i64, at: Timestamp) -> StoreResult<bool>;

    /// Records how an attempt at claimed delivery `id` ended (one attempt more).
    async fn finish_webhook_delivery(
        &self,
        id: i64,
        outcome: DeliveryOutcome,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Webhook `id`'s newest deliveries, at most `limit`.
    async fn webhook_deliveries(&self, id: i64, limit: u32) -> StoreResult<Vec<DeliveryLog>>;
}
