//! Outgoing mail: verification and password-reset links, and the inbox's mail
//! (see [`crate::outbox`]). With SMTP configured the message is mailed; without
//! it, a link mail is written to the server log so a self-hoster can still act on
//! it (the link is the only secret in the message and is logged only in that
//! fallback, by design), and the inbox sends no mail at all.

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
    /// The same as HTML, sent beside the text when there is one.
    pub html: Option<String>,
    /// The one-click unsubscribe address (RFC 8058), for mail a member chose.
    pub unsubscribe: Option<String>,
}

impl Mail {
    /// A plain-text message.
    pub fn text(
        to: impl Into<String>,
        subject: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        Self {
            to: to.into(),
            subject: subject.into(),
            body: body.into(),
            html: None,
            unsubscribe: None,
        }
    }
}

/// Something that delivers mail.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    /// Sends one message; the error says why it could not be sent.
    async fn send(&self, mail: Mail) -> Result<(), String>;

    /// Whether mail really leaves (the inbox's mail waits for a mailer that does).
    fn delivers(&self) -> bool {
        true
    }
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

    fn delivers(&self) -> bool {
        false
    }
}

/// A header whose value is written as given.
macro_rules! verbatim_header {
    ($name:ident, $header:literal) => {
        #[doc = concat!("The `", $header, "` header.")]
        #[derive(Debug, Clone)]
        struct $name(String);

        impl lettre::message::header::Header for $name {
            fn name() -> lettre::message::header::HeaderName {
                lettre::message::header::HeaderName::new_from_ascii_str($header)
            }

            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok(Self(s.to_owned()))
            }

            fn display(&self) -> lettre::message::header::HeaderValue {
                lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

verbatim_header!(ListUnsubscribe, "List-Unsubscribe");
verbatim_header!(ListUnsubscribePost, "List-Unsubscribe-Post");

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
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject);
        if let Some(url) = mail.unsubscribe {
            // RFC 8058: a POST to the address unsubscribes, with no log-in.
            builder = builder
                .header(ListUnsubscribe(format!("<{url}>")))
                .header(ListUnsubscribePost("List-Unsubscribe=One-Click".to_owned()));
        }
        let message = match mail.html {
            Some(html) => builder.multipart(lettre::message::MultiPart::alternative_plain_html(
                mail.body, html,
            )),
            None => builder
                .header(lettre::message::header::ContentType::TEXT_PLAIN)
                .body(mail.body),
        }
        .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}
