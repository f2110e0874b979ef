//! Outgoing mail: verification and password-reset links. With SMTP configured the
//! link is mailed; without it, it is written to the server log so a self-hoster can
//! still act on it. The link is the only secret in the message and is logged only
//! in that fallback, by design.

use async_trait::async_trait;

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// Something that delivers mail.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    /// Sends one message; the error says why it could not be sent.
    async fn send(&self, mail: Mail) -> Result<(), String>;
}

/// Writes messages to the log instead of sending them.
pub struct LogMailer;

#[async_trait]
impl Mailer for LogMailer {
    async fn send(&self, mail: Mail) -> Result<(), String> {
        tracing::info!(
            to = %mail.to,
            subject = %mail.subject,
            "SMTP is not configured; this mail was not sent. Its text:\n{}",
            mail.body
        );
        Ok(())
    }
}
