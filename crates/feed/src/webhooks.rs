//! The webhooks' subscriber: turns the change log into queued deliveries, on one
//! node at a time, as the inbox's subscriber does ([`crate::inbox`]).
//!
//! Each batch's events become JSON payloads here; `Store::enqueue_webhook_events`
//! queues one delivery for each webhook that takes the event and moves the stored
//! position in one transaction, so a batch is queued once. Sending is another
//! matter (the sender in the web crate).

use crate::follower::{Subscriber, SubscriberError};
use crate::leased::{ChunkWork, LeasedPosition};
use async_trait::async_trait;
use ponder_core::changes::ChangeKind;
use ponder_core::webhooks::WebhookEvent;
use ponder_core::{CommentId, PostId};
use ponder_store::{Change, PostKind, Store, StoreResult};
use serde_json::json;

/// The webhook subscriber's name, for its stored position and its lease.
pub const WEBHOOKS: &str = "webhooks";

/// Changes queued in one transaction at most.
pub const CHUNK: usize = 100;

/// Queues webhook deliveries from the change log, when this node leads.
pub struct WebhookSubscriber {
    position: LeasedPosition,
    base_url: String,
}

impl WebhookSubscriber {
    /// The subscriber, from its stored position (the end of the log the first
    /// time: webhooks hear of what happens after they exist). `base_url` makes
    /// the payloads' links.
    pub async fn start(store: &dyn Store, base_url: &str) -> StoreResult<Self> {
        Ok(Self {
            position: LeasedPosition::start(store, WEBHOOKS).await?,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The events of `changes` with their payloads: one statement for the posts'
    /// titles and threads, one more a comment.
    async fn events(
        &self,
        store: &dyn Store,
        changes: &[Change],
    ) -> StoreResult<Vec<(WebhookEvent, String)>> {
        let mut wanted: Vec<(&Change, WebhookEvent, PostId, Option<i64>)> = Vec::new();
        for change in changes {
            let Some(kind) = change.kind() else { continue };
            let post = PostId(change.entity_id);
            let found = match kind {
                ChangeKind::PostCreated => Some((WebhookEvent::Question, post, None)),
                ChangeKind::PostEdited => Some((WebhookEvent::Edit, post, None)),
                ChangeKind::AnswerAccepted => Some((WebhookEvent::Accepted, post, None)),
                ChangeKind::FlagCreated => Some((WebhookEvent::Flag, post, None)),
                ChangeKind::CommentCreated => store
                    .comment_post(CommentId(change.entity_id))
                    .await?
                    .map(|on| (WebhookEvent::Comment, on, Some(change.entity_id))),
                _ => None,
            };
            if let Some((event, post, comment)) = found {
                wanted.push((change, event, post, comment));
            }
        }
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let posts: Vec<PostId> = wanted.iter().map(|(_, _, p, _)| *p).collect();
        let docs = store.search_documents(&posts).await?;
        let mut events = Vec::new();
        for (change, event, post, comment) in wanted {
            let Some(doc) = docs.iter().find(|d| d.id == post && d.visible) else {
                continue;
            };
            // A new post is a question or an answer; its kind says which.
            let event = match (event, doc.kind) {
                (WebhookEvent::Question, PostKind::Answer) => WebhookEvent::Answer,
                (other, _) => other,
            };
            let kind = match doc.kind {
                PostKind::Question => "question",
                PostKind::Answer => "answer",
            };
            let mut url = format!("{}/questions/{}", self.base_url, doc.question_id);
            if doc.kind == PostKind::Answer {
                url.push_str(&format!("#answer-{}", doc.id));
            }
            let mut body = json!({
                "event": event.as_str(),
                "change_id": change.id,
                "occurred_at": change.created_at,
                "site": self.base_url,
                "post": {
                    "id": doc.id.0,
                    "kind": kind,
                    "question_id": doc.question_id.0,
                    "title": doc.title,
                    "author_id": doc.author_id.0,
                    "score": doc.score,
                    "url": url,
                },
            });
            if let (Some(comment), Some(map)) = (comment, body.as_object_mut()) {
                map.insert("comment_id".into(), json!(comment));
            }
            if event == WebhookEvent::Accepted
                && let Some(map) = body.as_object_mut()
            {
                // The question's accepted answer now (none: the acceptance was withdrawn).
                let accepted = docs
                    .iter()
                    .find(|d| {
                        d.question_id == doc.question_id && d.kind == PostKind::Answer && d.accepted
                    })
                    .map(|d| d.id.0);
                map.insert("accepted_answer_id".into(), json!(accepted));
            }
            events.push((event, body.to_string()));
        }
        Ok(events)
    }
}

#[async_trait]
impl Subscriber for WebhookSubscriber {
    fn name(&self) -> &'static str {
        "webhooks"
    }

    fn position(&self) -> i64 {
        self.position.get()
    }

    async fn take(&self, store: &dyn Store, changes: &[Change]) -> Result<(), SubscriberError> {
        self.position
            .take_in_chunks(store, changes, CHUNK, self)
            .await?;
        Ok(())
    }
}

#[async_trait]
impl ChunkWork for WebhookSubscriber {
    async fn deliver(
        &self,
        store: &dyn Store,
        after: i64,
        chunk: &[Change],
    ) -> StoreResult<Option<u64>> {
        let last = chunk.last().map_or(after, |c| c.id);
        // With no webhook registered there is nothing to build: the position moves on.
        let events = if store.webhooks().await?.is_empty() {
            Vec::new()
        } else {
            let fresh: Vec<Change> = chunk.iter().filter(|c| c.id > after).cloned().collect();
            self.events(store, &fresh).await?
        };
        store
            .enqueue_webhook_events(WEBHOOKS, after, last, &events, ponder_core::time::now())
            .await
    }
}
