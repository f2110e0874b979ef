//! The real binary as an operator runs it (issue 23): SIGKILL during concurrent
//! writes loses no write that was answered, leaves a sound database and an index
//! that catches up, on SQLite and on PostgreSQL; a rolling restart of two nodes
//! behind a load balancer that follows `/readyz` loses no request; the metrics
//! are served on their own address and count what happened.

#![expect(
    clippy::unwrap_used,
    reason = "test steps: a failed step should fail the test"
)]

use ponder_store::Store;
use ponder_store::conformance as fx;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One HTTP/1.1 exchange over a new connection: the status and the body, or
/// why there was none.
fn http(
    address: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))
        .map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let auth = token.map_or_else(String::new, |t| format!("Authorization: {t}\r\n"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("send: {e}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .map_err(|e| format!("read: {e}"))?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no whole answer: {answer:?}"))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status: {head:?}"))?;
    Ok((status, body.to_owned()))
}

/// A `ponder serve` process and the lines of its log.
struct Server {
    child: Child,
    address: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts a server of the site in `data` (on `database`, if given) at `addr`
    /// and waits until it listens.
    #[expect(
        clippy::zombie_processes,
        reason = "the Server the child is moved into kills and waits for it when dropped"
    )]
    fn start(data: &Path, database: Option<&str>, addr: &str, extra: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ponder"));
        command
            .args(["serve", "--addr", addr, "--data"])
            .arg(data)
            .args([
                "--answers-per-user-per-hour",
                "1000000",
                "--api-requests-per-token-per-minute",
                "1000000",
                "--searches-per-ip-per-minute",
                "1000000",
            ])
            .args(extra)
            .env_remove("PONDER_DATABASE_URL")
            .env_remove("PONDER_LOG_FORMAT")
            .env("PONDER_LOG", "info,sqlx=warn")
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(url) = database {
            command.args(["--database-url", url]);
        }
        let mut child = command.spawn().expect("ponder starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (found, lines) = (Arc::new(Mutex::new(None)), log.clone());
        let address = found.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.split("serving on http://").nth(1) {
                    *address.lock().unwrap() = at.trim().parse::<SocketAddr>().ok();
                }
                lines.lock().unwrap().push(line);
            }
        });
        let started = Instant::now();
        loop {
            if let Some(address) = *found.lock().unwrap() {
                return Self {
                    child,
                    address,
                    log,
                };
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("the server did not start: {:?}", log.lock().unwrap());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGTERM and waits for the process to end (at most a minute); whether
    /// it exited with 0.
    fn terminate(mut self) -> (bool, Vec<String>) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "no exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        // The log reader may be a moment behind the exit.
        std::thread::sleep(Duration::from_millis(100));
        (status.success(), self.log.lock().unwrap().clone())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A site with a question and a member who may write through the API: the
/// question's id and the member's `Authorization` value.
async fn seed(store: &dyn Store) -> (i64, String) {
    let writer = fx::user(store, "writer").await;
    let category = fx::category(store, None, "general").await;
    let question = fx::ask(store, writer.id, category.id, "Where do writes go", &[], 0).await;
    let secret = ponder_web::auth::tokens::random_token();
    let now = ponder_core::time::now();
    store
        .create_api_token(ponder_store::NewApiToken {
            user: writer.id,
            token_hash: ponder_web::auth::tokens::sha256_hex(&secret),
            name: "load".into(),
            scope: ponder_core::api_tokens::TokenScope::Write,
            created_at: now,
            expires_at: now + 86_400,
        })
        .await
        .unwrap();
    (
        question.0,
        format!("Bearer {}{secret}", ponder_core::api_tokens::TOKEN_PREFIX),
    )
}

/// Answer `n`'s text: its marker word is unique, for finding it in the search.
fn answer_json(n: usize) -> String {
    format!(r#"{{"body":"Answer zqx{n} says writes go to the database before the reply."}}"#)
}

/// The id in an API answer's JSON.
fn id_of(json: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(json).ok()?["id"].as_i64()
}

/// Writers posting answers to `question` at `address` from `threads` threads
/// until stopped or refused; the answers acknowledged, as (n, id).
struct Writers {
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<(usize, i64)>>>,
    failures: Arc<Mutex<Vec<String>>>,
    handles: Vec<std::thread::JoinHandle<()>>,
}

impl Writers {
    fn start(
        targets: Arc<dyn Fn() -> Option<SocketAddr> + Send + Sync>,
        question: i64,
        token: &str,
        threads: usize,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let failures = Arc::new(Mutex::new(Vec::new()));
        let counter = Arc::new(AtomicUsize::new(1));
        let handles = (0..threads)
            .map(|_| {
                let (stop, acknowledged, failures, counter) = (
                    stop.clone(),
                    acknowledged.clone(),
                    failures.clone(),
                    counter.clone(),
                );
                let (token, targets) = (token.to_owned(), targets.clone());
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Acquire) {
                        let Some(address) = targets() else {
                            std::thread::sleep(Duration::from_millis(10));
                            continue;
                        };
                        let n = counter.fetch_add(1, Ordering::AcqRel);
                        let path = format!("/api/v1/questions/{question}/answers");
                        match http(address, "POST", &path, Some(&token), &answer_json(n)) {
                            Ok((201, body)) => {
                                acknowledged
                                    .lock()
                                    .unwrap()
                                    .push((n, id_of(&body).unwrap()));
                            }
                            other => failures
                                .lock()
                                .unwrap()
                                .push(format!("{address}: {other:?}")),
                        }
                    }
                })
            })
            .collect();
        Self {
            stop,
            acknowledged,
            failures,
            handles,
        }
    }

    fn count(&self) -> usize {
        self.acknowledged.lock().unwrap().len()
    }

    /// Stops the writers: the answers acknowledged, and the failed requests.
    fn finish(self) -> (Vec<(usize, i64)>, Vec<String>) {
        self.stop.store(true, Ordering::Release);
        for handle in self.handles {
            handle.join().unwrap();
        }
        let acknowledged = self.acknowledged.lock().unwrap().clone();
        let failures = self.failures.lock().unwrap().clone();
        (acknowledged, failures)
    }
}

/// Kills the server with SIGKILL during writes, starts it again, and checks that
/// every acknowledged answer is there and the index catches up with the last.
fn kill_during_writes(data: &Path, database: Option<&str>, question: i64, token: &str) {
    let server = Server::start(data, database, "127.0.0.1:0", &[]);
    let address = server.address;
    let writers = Writers::start(Arc::new(move || Some(address)), question, token, 4);
    let started = Instant::now();
    while writers.count() < 40 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "too few writes"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    drop(server); // SIGKILL, mid-stream
    let (acknowledged, _refused_after_the_kill) = writers.finish();
    assert!(acknowledged.len() >= 40);

    let server = Server::start(data, database, "127.0.0.1:0", &[]);
    for (n, id) in &acknowledged {
        let (status, body) = http(
            server.address,
            "GET",
            &format!("/api/v1/answers/{id}"),
            None,
            "",
        )
        .unwrap();
        assert_eq!(status, 200, "acknowledged answer {id} is lost");
        assert!(body.contains(&format!("zqx{n}")), "{body}");
    }
    let (last, _) = acknowledged.iter().max_by_key(|(_, id)| *id).unwrap();
    let started = Instant::now();
    loop {
        let (_, page) = http(
            server.address,
            "GET",
            &format!("/search?q=zqx{last}"),
            None,
            "",
        )
        .unwrap();
        if page.contains("search-hit") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the index did not catch up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let (clean, log) = server.terminate();
    assert!(clean, "SIGTERM ends it with 0: {log:?}");
    assert!(
        log.iter().any(|l| l.contains("search index flushed")),
        "{log:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_writes_on_sqlite_loses_no_acknowledged_write() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("ponder.db");
    let store = ponder_store_sqlite::SqliteStore::open(&db).await.unwrap();
    let (question, token) = seed(&store).await;
    store.close().await;
    drop(store);
    let folder = data.path().to_owned();
    tokio::task::spawn_blocking(move || kill_during_writes(&folder, None, question, &token))
        .await
        .unwrap();
    use sqlx::{ConnectOptions, Connection};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db)
        .connect()
        .await
        .unwrap();
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(verdict, "ok");
    conn.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_writes_on_postgresql_loses_no_acknowledged_write() {
    let Some((url, fresh)) = ponder_store_postgres::testing::fresh_store_and_url().await else {
        return;
    };
    let (question, token) = seed(&*fresh.store).await;
    let data = tempfile::tempdir().unwrap();
    let (folder, database) = (data.path().to_owned(), url.clone());
    tokio::task::spawn_blocking(move || {
        kill_during_writes(&folder, Some(&database), question, &token)
    })
    .await
    .unwrap();
    // amcheck (PostgreSQL's contrib) checks every B-tree index of the database.
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck")
        .execute(&mut conn)
        .await
        .unwrap();
    let checked: i64 = sqlx::query_scalar(
        "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE a.amname = 'btree' AND n.nspname = 'public'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(checked > 10, "{checked} indexes checked");
    conn.close().await.unwrap();
    drop(fresh);
}

/// The nodes a load balancer sends requests to: those whose `/readyz` last
/// answered 200, probed every 100 ms, taken in turn.
struct Balancer {
    nodes: Vec<SocketAddr>,
    ready: Vec<AtomicBool>,
    next: AtomicUsize,
    stop: AtomicBool,
}

impl Balancer {
    fn pick(&self) -> Option<SocketAddr> {
        for _ in 0..self.nodes.len() {
            let i = self.next.fetch_add(1, Ordering::AcqRel) % self.nodes.len();
            if self.ready[i].load(Ordering::Acquire) {
                return Some(self.nodes[i]);
            }
        }
        None
    }

    fn probe(self: Arc<Self>) -> std::thread::JoinHandle<()> {
        std::thread::spawn(move || {
            while !self.stop.load(Ordering::Acquire) {
                for (i, node) in self.nodes.iter().enumerate() {
                    let up = matches!(http(*node, "GET", "/readyz", None, ""), Ok((200, _)));
                    self.ready[i].store(up, Ordering::Release);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_restart_of_two_nodes_under_load_loses_no_request() {
    let shared = tempfile::tempdir().unwrap();
    let db = shared.path().join("site.db");
    let store = ponder_store_sqlite::SqliteStore::open(&db).await.unwrap();
    let (question, token) = seed(&store).await;
    store.close().await;
    drop(store);
    let url = format!("sqlite://{}", db.display());
    tokio::task::spawn_blocking(move || rolling_restart(&url, question, &token))
        .await
        .unwrap();
}

/// Two nodes on one database, each with its own data folder (and index).
fn rolling_restart(url: &str, question: i64, token: &str) {
    let folders: Vec<PathBuf> = (0..2)
        .map(|_| tempfile::tempdir().unwrap().keep())
        .collect();
    let delay = ["--shutdown-delay-secs", "1"];
    let mut servers: Vec<Option<Server>> = folders
        .iter()
        .map(|f| Some(Server::start(f, Some(url), "127.0.0.1:0", &delay)))
        .collect();
    let nodes: Vec<SocketAddr> = servers
        .iter()
        .map(|s| s.as_ref().unwrap().address)
        .collect();
    let balancer = Arc::new(Balancer {
        ready: nodes.iter().map(|_| AtomicBool::new(false)).collect(),
        nodes: nodes.clone(),
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    let prober = balancer.clone().probe();

    // Readers of the question page and writers of answers, through the balancer.
    let failures = Arc::new(Mutex::new(Vec::new()));
    let served = Arc::new(AtomicUsize::new(0));
    let reading = Arc::new(AtomicBool::new(true));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (balancer, failures, served, reading) = (
                balancer.clone(),
                failures.clone(),
                served.clone(),
                reading.clone(),
            );
            std::thread::spawn(move || {
                while reading.load(Ordering::Acquire) {
                    let Some(node) = balancer.pick() else {
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    };
                    match http(
                        node,
                        "GET",
                        &format!("/api/v1/questions/{question}"),
                        None,
                        "",
                    ) {
                        Ok((200, _)) => {
                            served.fetch_add(1, Ordering::AcqRel);
                        }
                        other => failures.lock().unwrap().push(format!("{node}: {other:?}")),
                    }
                }
            })
        })
        .collect();
    let picker = balancer.clone();
    let writers = Writers::start(Arc::new(move || picker.pick()), question, token, 2);

    std::thread::sleep(Duration::from_secs(1));
    for (i, folder) in folders.iter().enumerate() {
        let (clean, log) = servers[i].take().unwrap().terminate();
        assert!(clean, "node {i} exits 0 on SIGTERM: {log:?}");
        let restarted = Server::start(folder, Some(url), &nodes[i].to_string(), &delay);
        let started = Instant::now();
        while !balancer.ready[i].load(Ordering::Acquire) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "node {i} never came back"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        servers[i] = Some(restarted);
        std::thread::sleep(Duration::from_millis(500));
    }
    reading.store(false, Ordering::Release);
    for reader in readers {
        reader.join().unwrap();
    }
    let (written, refused) = writers.finish();
    balancer.stop.store(true, Ordering::Release);
    prober.join().unwrap();

    let mut failures = failures.lock().unwrap().clone();
    failures.extend(refused);
    let errors: Vec<String> = servers
        .iter()
        .flatten()
        .flat_map(|s| s.log.lock().unwrap().clone())
        .filter(|l| l.contains("ERROR"))
        .take(3)
        .collect();
    assert!(
        failures.is_empty(),
        "{} requests lost, e.g. {:?}; the servers logged {errors:?}",
        failures.len(),
        &failures[..failures.len().min(3)]
    );
    assert!(served.load(Ordering::Acquire) > 50, "too little load");
    let node = servers[0].as_ref().unwrap().address;
    for (_, id) in &written {
        let (status, _) = http(node, "GET", &format!("/api/v1/answers/{id}"), None, "").unwrap();
        assert_eq!(status, 200, "answer {id} was acknowledged and is lost");
    }
    for folder in folders {
        let _ = std::fs::remove_dir_all(folder);
    }
}

/// The value of the sample `name` (with its labels, as written) in `text`.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_served_on_their_own_address_and_count_requests() {
    let data = tempfile::tempdir().unwrap();
    let db = data.path().join("ponder.db");
    let store = ponder_store_sqlite::SqliteStore::open(&db).await.unwrap();
    let (question, _) = seed(&store).await;
    store.close().await;
    drop(store);
    let folder = data.path().to_owned();
    tokio::task::spawn_blocking(move || {
        let server = Server::start(&folder, None, "127.0.0.1:0", &["--metrics-addr", "127.0.0.1:0"]);
        let metrics: SocketAddr = server
            .log
            .lock()
            .unwrap()
            .iter()
            .find_map(|l| l.split("metrics on http://").nth(1)?.strip_suffix("/metrics")?.parse().ok())
            .expect("the metrics' address in the log");
        assert_ne!(metrics, server.address);
        // Not on the site's address.
        let (status, _) = http(server.address, "GET", "/metrics", None, "").unwrap();
        assert_eq!(status, 404);

        let page = format!("/api/v1/questions/{question}");
        for _ in 0..3 {
            assert_eq!(http(server.address, "GET", &page, None, "").unwrap().0, 200);
        }
        assert_eq!(http(server.address, "GET", "/api/v1/questions/999999", None, "").unwrap().0, 404);
        let login = http(server.address, "GET", "/search?q=walls", None, "").unwrap();
        assert_eq!(login.0, 200);

        // The inbox's follower registers once it has read its position.
        let mut text = String::new();
        for _ in 0..100 {
            let (status, scraped) = http(metrics, "GET", "/metrics", None, "").unwrap();
            assert_eq!(status, 200);
            text = scraped;
            if text.contains("subscriber=\"webhooks\"") {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let count = |route: &str, status: u16| {
            sample(
                &text,
                &format!("ponder_http_requests_total{{route=\"{route}\",status=\"{status}\"}}"),
            )
            .unwrap_or(0.0)
        };
        // The first read is rendered, the next two come from the page cache.
        assert_eq!(count("/api/v1/questions/{id}", 200), 1.0, "{text}");
        assert_eq!(count("(page cache)", 200), 2.0, "{text}");
        assert_eq!(count("/api/v1/questions/{id}", 404), 1.0, "{text}");
        assert!(sample(&text, "ponder_page_cache_hits_total").unwrap() >= 2.0);
        assert!(sample(&text, "ponder_search_duration_seconds_count").unwrap() >= 1.0);
        assert_eq!(sample(&text, "ponder_db_up"), Some(1.0));
        assert!(sample(&text, "ponder_db_connections_open").unwrap() >= 1.0);
        assert_eq!(sample(&text, "ponder_mail_queue_length"), Some(0.0));
        assert!(sample(&text, "ponder_db_connection_wait_seconds").is_some(), "{text}");
        for subscriber in ["search index", "inbox", "webhooks"] {
            let lag = sample(
                &text,
                &format!("ponder_feed_lag_changes{{subscriber=\"{subscriber}\"}}"),
            );
            assert!(lag.is_some_and(|l| l >= 0.0), "{subscriber}: {text}");
        }
        assert!(sample(&text, "ponder_page_cache_entries").unwrap() >= 1.0);
        assert!(
            text.contains("ponder_http_request_duration_seconds_bucket{route=\"/api/v1/questions/{id}\",le=\"+Inf\"} 2"),
            "{text}"
        );
        let (clean, log) = server.terminate();
        assert!(clean, "{log:?}");
    })
    .await
    .unwrap();
}
