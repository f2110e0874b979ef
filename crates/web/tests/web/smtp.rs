//! A small SMTP server for the tests, over real TCP on 127.0.0.1: it speaks
//! enough of RFC 5321 for a client such as lettre (EHLO, MAIL, RCPT, DATA with
//! dot-unstuffing, RSET, NOOP, QUIT), keeps every message it accepts, and can be
//! stopped and started again on the same port, as a mail server that goes down
//! and comes back.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The envelope's recipients.
    pub to: Vec<String>,
    /// The message as sent: headers, a blank line, the body.
    pub data: String,
}

impl Received {
    /// The value of header `name` (unfolded), if the message has it.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut found: Option<String> = None;
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                if let Some(value) = found.as_mut() {
                    value.push_str(line.trim_start());
                }
                continue;
            }
            if found.is_some() {
                break;
            }
            if let Some((key, value)) = line.split_once(':')
                && key.eq_ignore_ascii_case(name)
            {
                found = Some(value.trim().to_owned());
            }
        }
        found
    }
}

/// The server: started on a free port, or again on the same one.
pub struct SmtpServer {
    /// Where it listens.
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    tasks: JoinSet<()>,
}

impl SmtpServer {
    /// A server on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        Self::listen("127.0.0.1:0".parse().unwrap(), Arc::default()).await
    }

    /// The URL lettre takes for it (plain SMTP, for a local relay).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    async fn listen(addr: SocketAddr, received: Arc<Mutex<Vec<Received>>>) -> Self {
        let listener = TcpListener::bind(addr).await.expect("bind the SMTP port");
        let addr = listener.local_addr().unwrap();
        let mut tasks = JoinSet::new();
        let kept = received.clone();
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.spawn(converse(stream, kept.clone()));
            }
        });
        Self {
            addr,
            received,
            tasks,
        }
    }

    /// Stops listening and drops every open connection.
    pub async fn stop(&mut self) {
        self.tasks.shutdown().await;
    }

    /// Starts again on the same port, keeping what was received.
    pub async fn restart(&mut self) {
        self.stop().await;
        let again = Self::listen(self.addr, self.received.clone()).await;
        *self = again;
    }

    /// Every message accepted so far, oldest first.
    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The messages to `address`.
    pub fn messages_to(&self, address: &str) -> Vec<Received> {
        self.messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }
}

/// One client's conversation.
async fn converse(stream: TcpStream, received: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut to = Vec::new();
    macro_rules! reply {
        ($text:expr) => {
            if write.write_all($text.as_bytes()).await.is_err() {
                return;
            }
        };
    }
    reply!("220 smtp.test ESMTP ready\r\n");
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" => reply!("250-smtp.test\r\n250 8BITMIME\r\n"),
            "HELO" | "NOOP" => reply!("250 OK\r\n"),
            "MAIL" => {
                to.clear();
                reply!("250 OK\r\n")
            }
            "RCPT" => {
                let address = line
                    .split_once('<')
                    .and_then(|(_, rest)| rest.split_once('>'))
                    .map(|(address, _)| address.to_owned())
                    .unwrap_or_default();
                to.push(address);
                reply!("250 OK\r\n")
            }
            "DATA" => {
                reply!("354 end with a dot\r\n");
                let mut data = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if line == "." {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                    data.push_str("\r\n");
                }
                received.lock().unwrap().push(Received {
                    to: std::mem::take(&mut to),
                    data,
                });
                reply!("250 OK queued\r\n")
            }
            "RSET" => {
                to.clear();
                reply!("250 OK\r\n")
            }
            "QUIT" => {
                reply!("221 bye\r\n");
                return;
            }
            _ => reply!("502 not implemented\r\n"),
        }
    }
}
