//! `ponder healthcheck`: asks a running server's `/readyz` over plain HTTP and
//! succeeds when it answers 200, for container health checks in images that
//! have no curl (the Dockerfile's distroless image).

use anyhow::{Context, Result};
use clap::Args;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long the whole check may take.
const WITHIN: Duration = Duration::from_secs(3);

/// Options of `ponder healthcheck`.
#[derive(Args)]
pub struct HealthcheckArgs {
    /// The address to ask: http://HOST:PORT/PATH.
    #[arg(default_value = "http://127.0.0.1:8080/readyz")]
    url: String,
}

/// Runs the check: Ok when the server answers 200.
pub fn run(args: &HealthcheckArgs) -> Result<()> {
    let (host, path) = split_url(&args.url)?;
    let address = host
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {host}"))?
        .next()
        .with_context(|| format!("{host} has no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, WITHIN)
        .with_context(|| format!("nothing answers at {host}"))?;
    stream.set_read_timeout(Some(WITHIN))?;
    stream.set_write_timeout(Some(WITHIN))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nUser-Agent: ponder-healthcheck\r\n\r\n"
    )?;
    // The status line may arrive in pieces: read until its end (or 64 bytes).
    let mut head = [0_u8; 64];
    let mut read = 0;
    while read < head.len() && !head[..read].contains(&b'\n') {
        match stream.read(&mut head[read..]).context("no answer")? {
            0 => break,
            n => read += n,
        }
    }
    let status_line = String::from_utf8_lossy(&head[..read]);
    let status = status_line.split_whitespace().nth(1).unwrap_or_default();
    if status == "200" {
        println!("ready");
        Ok(())
    } else {
        anyhow::bail!("{} answered {status:?}", args.url)
    }
}

/// `http://host:port/path` as `("host:port", "/path")`.
fn split_url(url: &str) -> Result<(String, String)> {
    let rest = url.strip_prefix("http://").with_context(|| {
        format!("{url:?}: give an http:// address such as http://127.0.0.1:8080/readyz")
    })?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:80")
    };
    Ok((host, format!("/{path}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_split_into_host_and_path() {
        assert_eq!(
            split_url("http://127.0.0.1:8080/readyz").unwrap(),
            ("127.0.0.1:8080".to_owned(), "/readyz".to_owned())
        );
        assert_eq!(
            split_url("http://example.org").unwrap(),
            ("example.org:80".to_owned(), "/".to_owned())
        );
        assert!(split_url("https://example.org/readyz").is_err());
    }

    #[test]
    fn a_server_answering_anything_but_200_fails_the_check() {
        use std::net::TcpListener;
        for (answer, ok) in [
            ("HTTP/1.1 200 OK\r\n\r\nready\n", true),
            ("HTTP/1.1 503 Service Unavailable\r\n\r\n", false),
        ] {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = std::thread::spawn(move || {
                let (mut conn, _) = listener.accept().unwrap();
                // The whole request first: closing with some of it unread
                // makes the kernel reset the connection, and the client may
                // lose the answer to the reset.
                let mut request = Vec::new();
                let mut buffer = [0_u8; 512];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                conn.write_all(answer.as_bytes()).unwrap();
            });
            let args = HealthcheckArgs {
                url: format!("http://127.0.0.1:{port}/readyz"),
            };
            assert_eq!(run(&args).is_ok(), ok, "{answer}");
            server.join().unwrap();
        }
        // Nothing listening.
        let closed = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let args = HealthcheckArgs {
            url: format!("http://127.0.0.1:{port}/readyz"),
        };
        assert!(run(&args).is_err());
    }
}
