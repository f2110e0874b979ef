//! The mail outbox's sender: on the one node that holds the mail lease, it queues
//! the digests that are due, then sends what waits in the outbox, each mail
//! claimed first (so no other node and no restart sends it again), with plain-text
//! and HTML parts and a one-click unsubscribe link (RFC 8058) for its own kind of
//! mail. A failure puts the mail back for a later try, waiting longer each time,
//! until [`MAX_ATTEMPTS`]; nothing is lost while the SMTP server is down.

use crate::AppState;
use crate::auth::mail::Mail;
use crate::auth::tokens::{random_token, sha256_hex};
use crate::views::notice_target;
use ponder_core::notices::MailKind;
use ponder_core::text::{count, escape_html};
use ponder_store::{Lease, MailOutcome, OutboxMail, StoreError, StoreResult};
use std::sync::Mutex;
use std::time::Duration;

/// The name of the lease that lets one node send.
pub const MAIL_LEASE: &str = "mail";

/// Mails sent in one round at most.
const BATCH: u32 = 50;

/// Digests queued in one round at most.
const DIGESTS_PER_ROUND: u32 = 500;

/// Tries before a mail is given up.
pub const MAX_ATTEMPTS: i64 = 10;

/// The longest wait between two tries.
const LONGEST_WAIT: i64 = 6 * 3_600;

/// Questions a digest lists at most.
const DIGEST_QUESTIONS: u32 = 20;

/// What one round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Round {
    /// Whether this node leads (sends).
    pub leading: bool,
    /// Digests queued.
    pub digests: u64,
    /// Mails the SMTP server took.
    pub sent: u64,
    /// Mails with nothing to say, closed without sending.
    pub skipped: u64,
    /// Mails that failed and wait for another try, or were given up.
    pub failed: u64,
}

/// Sends the outbox's mail, when this node leads.
pub struct OutboxSender {
    state: AppState,
    lease: Mutex<Option<Lease>>,
    first_wait: i64,
    clock: Clock,
}

/// What tells the sender the time (the system's, or a test's).
pub type Clock = std::sync::Arc<dyn Fn() -> i64 + Send + Sync>;

impl OutboxSender {
    /// A sender for `state`'s store and mailer; the first retry waits a minute.
    pub fn new(state: AppState) -> Self {
        Self {
            state,
            lease: Mutex::new(None),
            first_wait: 60,
            clock: std::sync::Arc::new(ponder_core::time::now),
        }
    }

    /// The same sender, reading the time from `clock` (tests move it on by days to
    /// see digests come due).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The same sender, whose first retry waits `seconds` (tests wait less).
    pub fn first_retry_after(mut self, seconds: i64) -> Self {
        self.first_wait = seconds.max(1);
        self
    }

    /// The lease slot (a poisoned lock still holds a usable lease).
    fn held(&self) -> std::sync::MutexGuard<'_, Option<Lease>> {
        self.lease.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether this node holds the mail lease, taking it when it is free.
    async fn leads(&self) -> StoreResult<bool> {
        if self.held().is_some() {
            return Ok(true);
        }
        let Some(lease) = self.state.store.lead(MAIL_LEASE).await? else {
            return Ok(false);
        };
        *self.held() = Some(lease);
        Ok(true)
    }

    /// When to try a mail again after its `attempts`-th failure (from 0).
    fn retry_at(&self, attempts: i64, now: i64) -> i64 {
        now + ponder_core::time::backoff(self.first_wait, attempts, LONGEST_WAIT)
    }

    /// One round: queue due digests, send due mail.
    pub async fn round(&self) -> StoreResult<Round> {
        if !self.leads().await? {
            return Ok(Round::default());
        }
        let store = &self.state.store;
        let now = (self.clock)();
        let mut round = Round {
            leading: true,
            digests: store.enqueue_due_digests(now, DIGESTS_PER_ROUND).await?,
            ..Round::default()
        };
        for mail in store.due_mail(now, BATCH).await? {
            let token = random_token();
            if !store.claim_mail(mail.id, &sha256_hex(&token), now).await? {
                continue; // another node took it
            }
            let outcome = self.send(&mail, &token).await;
            match &outcome {
                MailOutcome::Sent => round.sent += 1,
                MailOutcome::Skipped => round.skipped += 1,
                MailOutcome::Retry { error, .. } | MailOutcome::GaveUp { error } => {
                    tracing::warn!(
                        mail = mail.id,
                        attempts = mail.attempts + 1,
                        "mail not sent: {error}"
                    );
                    round.failed += 1;
                }
            }
            store.finish_mail(mail.id, outcome, (self.clock)()).await?;
        }
        Ok(round)
    }

    /// Composes and sends one claimed mail; how it ended.
    async fn send(&self, mail: &OutboxMail, token: &str) -> MailOutcome {
        if mail.to.is_empty() {
            return MailOutcome::GaveUp {
                error: "the member has no verified address now".into(),
            };
        }
        let composed = match self.compose(mail, token).await {
            Ok(Some(composed)) => composed,
            Ok(None) => return MailOutcome::Skipped,
            Err(err) => return self.failed(mail, format!("cannot compose: {err}")),
        };
        match self.state.mailer.send(composed).await {
            Ok(()) => MailOutcome::Sent,
            Err(err) => self.failed(mail, err),
        }
    }

    /// A failure of `mail`: tried again later, or given up after the last try.
    fn failed(&self, mail: &OutboxMail, error: String) -> MailOutcome {
        if mail.attempts + 1 >= MAX_ATTEMPTS {
            MailOutcome::GaveUp { error }
        } else {
            MailOutcome::Retry {
                error,
                at: self.retry_at(mail.attempts, (self.clock)()),
            }
        }
    }

    /// The message for `mail`; `None` when there is nothing to tell any more.
    async fn compose(&self, mail: &OutboxMail, token: &str) -> StoreResult<Option<Mail>> {
        let base = &self.state.site.base_url;
        let unsubscribe = format!("{base}/unsubscribe?token={token}");
        let site = self.state.settings().name().to_owned();
        let (subject, lines, links) = match mail.kind {
            MailKind::Direct => {
                let Some(notice) = self.notice_of(mail).await? else {
                    return Ok(None);
                };
                let headline = notice.kind.headline(notice.count);
                let title = notice
                    .question
                    .as_ref()
                    .map(|(_, title)| title.clone())
                    .unwrap_or_default();
                let mut lines = vec![headline.clone()];
                if !title.is_empty() {
                    lines.push(format!("“{title}”"));
                }
                if let Some((_, actor)) = &notice.actor {
                    lines.push(format!("By {actor}."));
                }
                if !notice.detail.is_empty() {
                    lines.push(notice.detail.clone());
                }
                let subject = if title.is_empty() {
                    format!("{site}: {headline}")
                } else {
                    format!("{headline}: {title}")
                };
                let link = (
                    "Open it".to_owned(),
                    format!("{base}{}", notice_target(&notice)),
                );
                (subject, lines, vec![link])
            }
            MailKind::Digest => {
                let (since, until) = mail.period;
                let questions = self
                    .state
                    .store
                    .digest_questions(mail.user, since, until, DIGEST_QUESTIONS)
                    .await?;
                if questions.is_empty() {
                    return Ok(None);
                }
                let unread = self.state.store.unread_notices(mail.user).await?;
                let what = count(questions.len() as i64, "new question", "new questions");
                let mut lines = vec![format!("{what} in what you follow on {site}.")];
                if unread > 0 {
                    lines.push(format!(
                        "Your inbox has {} ({base}/inbox).",
                        count(unread, "unread item", "unread items")
                    ));
                }
                let links = questions
                    .iter()
                    .map(|q| {
                        (
                            format!(
                                "{} ({}, {})",
                                q.title,
                                count(q.score, "vote", "votes"),
                                count(q.answer_count, "answer", "answers")
                            ),
                            format!("{base}{}", crate::views::question_path(q.id, &q.title)),
                        )
                    })
                    .collect();
                (format!("{site}: {what} in what you follow"), lines, links)
            }
        };
        let why = match mail.kind {
            MailKind::Direct => "You get this mail because it was addressed to you on",
            MailKind::Digest => {
                "You get this digest because you follow tags, categories or people on"
            }
        };
        let settings = format!("{base}/settings#mail");
        let mut text = String::new();
        for line in &lines {
            text.push_str(line);
            text.push_str("\n\n");
        }
        for (label, url) in &links {
            text.push_str(&format!("{label}\n{url}\n\n"));
        }
        text.push_str(&format!(
            "-- \n{why} {site}.\nChoose the mail you get: {settings}\nStop this kind of mail: {unsubscribe}\n"
        ));
        let mut html = String::from("<!DOCTYPE html><html><body>");
        for line in &lines {
            html.push_str(&format!("<p>{}</p>", escape_html(line)));
        }
        html.push_str("<ul>");
        for (label, url) in &links {
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape_html(url),
                escape_html(label)
            ));
        }
        html.push_str(&format!(
            "</ul><hr><p>{} {}. <a href=\"{}\">Choose the mail you get</a> · <a href=\"{}\">Stop this kind of mail</a></p></body></html>",
            escape_html(why),
            escape_html(&site),
            escape_html(&settings),
            escape_html(&unsubscribe)
        ));
        Ok(Some(Mail {
            to: mail.to.clone(),
            subject,
            body: text,
            html: Some(html),
            unsubscribe: Some(unsubscribe),
        }))
    }

    /// The inbox item a direct mail tells of, if it is still there.
    async fn notice_of(&self, mail: &OutboxMail) -> StoreResult<Option<ponder_store::Notice>> {
        match mail.notice {
            Some(id) => self.state.store.notice(id).await,
            None => Ok(None),
        }
    }

    /// Rounds every `every` for as long as the process runs; a full batch is
    /// followed at once by the next round.
    pub async fn run(self, every: Duration) {
        loop {
            let full = match self.round().await {
                Ok(round) => round.sent + round.skipped + round.failed >= u64::from(BATCH),
                Err(err) => {
                    log_failure(&err);
                    false
                }
            };
            if !full {
                tokio::time::sleep(every).await;
            }
        }
    }
}

/// Logs a round that the database failed.
fn log_failure(err: &StoreError) {
    tracing::warn!(%err, "the mail outbox could not be read; trying again shortly");
}
