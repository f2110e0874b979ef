// Webhooks and their deliveries, shared by both backends. Events are stored as
// their names joined by commas; a delivery is queued for each webhook whose list
// holds the event, in the transaction that moves the subscriber's position.

use crate::{Backend, db_error};
use ponder_core::time::Timestamp;
use ponder_core::webhooks::WebhookEvent;
use ponder_store::{DeliveryLog, DeliveryOutcome, DueDelivery, NewWebhook, StoreResult, Webhook};

/// id, url, secret, events, created_at.
type WebhookRow = (i64, String, String, String, i64);

fn webhook_from_row((id, url, secret, events, created_at): WebhookRow) -> Webhook {
    Webhook {
        id,
        url,
        secret,
        events: events.split(',').filter_map(WebhookEvent::parse).collect(),
        created_at,
    }
}

fn joined(events: &[WebhookEvent]) -> String {
    events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

#[async_trait::async_trait]
impl ponder_store::WebhookStore for Backend {
    async fn create_webhook(&self, new: NewWebhook) -> StoreResult<Webhook> {
        self.count();
        let row: WebhookRow = sqlx::query_as(
            "INSERT INTO webhooks (url, secret, events, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id, url, secret, events, created_at",
        )
        .bind(&new.url)
        .bind(&new.secret)
        .bind(joined(&new.events))
        .bind(new.created_by.0)
        .bind(new.created_at)
        .fetch_one(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(webhook_from_row(row))
    }

    async fn webhooks(&self) -> StoreResult<Vec<Webhook>> {
        self.count();
        let rows: Vec<WebhookRow> = sqlx::query_as(
            "SELECT id, url, secret, events, created_at FROM webhooks \
             WHERE deleted_at IS NULL ORDER BY id",
        )
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows.into_iter().map(webhook_from_row).collect())
    }

    async fn delete_webhook(&self, id: i64, at: Timestamp) -> StoreResult<bool> {
        self.count();
        let done =
            sqlx::query("UPDATE webhooks SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL")
                .bind(id)
                .bind(at)
                .execute(&self.writer)
                .await
                .map_err(db_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn enqueue_webhook_events(
        &self,
        subscriber: &str,
        after: i64,
        last: i64,
        events: &[(WebhookEvent, String)],
        at: Timestamp,
    ) -> StoreResult<Option<u64>> {
        let mut tx = self.begin().await?;
        if !self
            .move_feed_position(&mut tx, subscriber, after, last, at)
            .await?
        {
            return Ok(None);
        }
        let mut queued = 0;
        for (event, payload) in events {
            self.count();
            let done = sqlx::query(
                "INSERT INTO webhook_deliveries (webhook_id, event, payload, created_at, next_attempt_at) \
                 SELECT id, $1, $2, $3, $3 FROM webhooks \
                 WHERE deleted_at IS NULL AND (',' || events || ',') LIKE ('%,' || $1 || ',%')",
            )
            .bind(event.as_str())
            .bind(payload)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            queued += done.rows_affected();
        }
        self.commit(tx).await?;
        Ok(Some(queued))
    }

    async fn enqueue_webhook_test(
        &self,
        id: i64,
        payload: &str,
        at: Timestamp,
    ) -> StoreResult<Option<i64>> {
        self.count();
        let found: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO webhook_deliveries (webhook_id, event, payload, created_at, next_attempt_at) \
             SELECT id, 'ping', $2, $3, $3 FROM webhooks WHERE id = $1 AND deleted_at IS NULL \
             RETURNING id",
        )
        .bind(id)
        .bind(payload)
        .bind(at)
        .fetch_optional(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(found.map(|(id,)| id))
    }

    async fn due_webhook_deliveries(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<DueDelivery>> {
        self.count();
        let rows: Vec<(i64, i64, String, String, String, String, i64)> = sqlx::query_as(
            "SELECT d.id, d.webhook_id, w.url, w.secret, d.event, d.payload, d.attempts \
             FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
             WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.claimed_at IS NULL \
             AND d.next_attempt_at <= $1 AND w.deleted_at IS NULL \
             ORDER BY d.next_attempt_at, d.id LIMIT $2",
        )
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, webhook_id, url, secret, event, payload, attempts)| DueDelivery {
                    id,
                    webhook_id,
                    url,
                    secret,
                    event,
                    payload,
                    attempts,
                },
            )
            .collect())
    }

    async fn claim_webhook_delivery(&self, id: i64, at: Timestamp) -> StoreResult<bool> {
        self.count();
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET claimed_at = $2 WHERE id = $1 AND claimed_at IS NULL \
             AND delivered_at IS NULL AND failed_at IS NULL",
        )
        .bind(id)
        .bind(at)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(done.rows_affected() > 0)
    }

    async fn finish_webhook_delivery(
        &self,
        id: i64,
        outcome: DeliveryOutcome,
        at: Timestamp,
    ) -> StoreResult<()> {
        let (status, error, delivered, failed, next): (
            Option<i64>,
            String,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        ) = match outcome {
            DeliveryOutcome::Delivered { status } => {
                (Some(status), String::new(), Some(at), None, None)
            }
            DeliveryOutcome::Retry {
                status,
                error,
                next_attempt_at,
            } => (status, error, None, None, Some(next_attempt_at)),
            DeliveryOutcome::GivenUp { status, error } => (status, error, None, Some(at), None),
        };
        self.count();
        sqlx::query(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, claimed_at = NULL, \
             last_status = $2, last_error = $3, last_attempt_at = $4, delivered_at = $5, \
             failed_at = $6, next_attempt_at = coalesce($7, next_attempt_at) WHERE id = $1",
        )
        .bind(id)
        .bind(status)
        .bind(error.chars().take(500).collect::<String>())
        .bind(at)
        .bind(delivered)
        .bind(failed)
        .bind(next)
        .execute(&self.writer)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    async fn webhook_deliveries(&self, id: i64, limit: u32) -> StoreResult<Vec<DeliveryLog>> {
        self.count();
        type Row = (
            i64,
            String,
            i64,
            i64,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            String,
            Option<i64>,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, event, created_at, attempts, delivered_at, failed_at, last_status, \
             last_error, last_attempt_at, next_attempt_at FROM webhook_deliveries \
             WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(id)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    event,
                    created_at,
                    attempts,
                    delivered_at,
                    failed_at,
                    last_status,
                    last_error,
                    last_attempt_at,
                    next_attempt_at,
                )| DeliveryLog {
                    id,
                    event,
                    created_at,
                    attempts,
                    delivered_at,
                    failed_at,
                    last_status,
                    last_error,
                    last_attempt_at,
                    next_attempt_at,
                },
            )
            .collect())
    }
}
