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

/// Sends mail through an SMTP server.
pub struct SmtpMailer {
    transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl SmtpMailer {
    /// A mailer for the server at `url` — `smtp://host:25` (plain, for a local relay),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://user:pass@host`
    /// (TLS from the start) — sending as `from` (`Name <address>`).
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| format!("the SMTP URL is not usable: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| {
            format!("the sender {from:?} is not an address like Ponder <noreply@example.org>: {e}")
        })?;
        Ok(Self { transport, from })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: Mail) -> Result<(), String> {
        use lettre::AsyncTransport;
        let to = mail
            .to
            .parse()
            .map_err(|e| format!("bad recipient {:?}: {e}", mail.to))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(mail.body)
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}
