//! Prometheus metrics, served on `--metrics-addr` (never on the site's own
//! address): requests by route and status with latency histograms, page-cache
//! hits and misses and its size, the database's connections and queues, the
//! change feed's lag, search latency, log-in failures, rate-limit refusals and
//! panics.
//!
//! Counters live in one process-wide [`Metrics`] (as a Prometheus registry does),
//! written by the layers and handlers that see each event; figures that already
//! exist elsewhere (the cache's size, the pool, the queues) are read when scraped.
//! The text is Prometheus' exposition format 0.0.4.

use crate::AppState;
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The route label of requests the page cache answered (they never reach routing).
pub const CACHED_ROUTE: &str = "(page cache)";

/// The route label of requests no route matched.
const UNMATCHED_ROUTE: &str = "(unmatched)";

/// A latency histogram: counts per bucket, their sum and count.
#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    /// Writes the histogram `name` with `labels` (`key="value"` pairs, or empty).
    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bound, count) in BUCKETS.iter().zip(self.buckets) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {count}");
        }
        let _ = writeln!(
            out,
            "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}",
            self.count
        );
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

/// A latency histogram counted with atomics, so that requests on several
/// threads never wait for each other to count.
#[derive(Debug, Default)]
struct SharedHistogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// The sum of the observations, in microseconds.
    sum_micros: AtomicU64,
}

impl SharedHistogram {
    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        for (bound, count) in BUCKETS.iter().zip(&self.buckets) {
            if seconds <= *bound {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The counts now.
    fn snapshot(&self) -> Histogram {
        let mut histogram = Histogram {
            count: self.count.load(Ordering::Relaxed),
            sum: self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6,
            ..Histogram::default()
        };
        for (out, count) in histogram.buckets.iter_mut().zip(&self.buckets) {
            *out = count.load(Ordering::Relaxed);
        }
        histogram
    }
}

/// The statuses counted one by one (100 to 599); others count as 599.
const STATUSES: std::ops::RangeInclusive<u16> = 100..=599;

/// What one route answered: counts by status, and the latency of all.
#[derive(Debug)]
struct RouteFigures {
    statuses: Box<[AtomicU64]>,
    latency: SharedHistogram,
}

impl Default for RouteFigures {
    fn default() -> Self {
        Self {
            statuses: STATUSES.map(|_| AtomicU64::new(0)).collect(),
            latency: SharedHistogram::default(),
        }
    }
}

impl RouteFigures {
    fn count(&self, status: u16, elapsed: Duration) {
        let at = status.clamp(*STATUSES.start(), *STATUSES.end()) - STATUSES.start();
        if let Some(counter) = self.statuses.get(usize::from(at)) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        self.latency.observe(elapsed);
    }

    /// The statuses answered, with their counts.
    fn answered(&self) -> impl Iterator<Item = (u16, u64)> + '_ {
        STATUSES
            .zip(self.statuses.iter())
            .map(|(status, count)| (status, count.load(Ordering::Relaxed)))
            .filter(|(_, count)| *count > 0)
    }
}

/// The change feed's subscribers whose lag is shown.
#[derive(Default)]
struct Watched(Mutex<Vec<std::sync::Arc<dyn ponder_feed::Subscriber>>>);

impl std::fmt::Debug for Watched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = lock(&self.0).iter().map(|s| s.name()).collect();
        f.debug_tuple("Watched").field(&names).finish()
    }
}

/// The process's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    feed: Watched,
    routes: std::sync::RwLock<BTreeMap<String, RouteFigures>>,
    search: SharedHistogram,
    refusals: Mutex<BTreeMap<&'static str, u64>>,
    cache_hits: AtomicU64,
    cache_misses: AtomicU64,
    login_failures: AtomicU64,
    panics: AtomicU64,
}

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::default)
}

/// Locks `mutex`, whatever a panic elsewhere left in it (counters stay usable).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Metrics {
    /// Counts a request to `route` answered with `status` after `elapsed`: under
    /// a shared lock, with atomics, once the route has been seen.
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        {
            let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
            if let Some(figures) = routes.get(route) {
                figures.count(status, elapsed);
                return;
            }
        }
        let mut routes = self.routes.write().unwrap_or_else(|e| e.into_inner());
        routes
            .entry(route.to_owned())
            .or_default()
            .count(status, elapsed);
    }

    /// Counts a search of the index that took `elapsed`.
    pub fn search(&self, elapsed: Duration) {
        self.search.observe(elapsed);
    }

    /// Counts a request refused by the rate limit `limit`.
    pub fn refused(&self, limit: &'static str) {
        *lock(&self.refusals).entry(limit).or_default() += 1;
    }

    /// Counts a page the cache answered (`hit`) or had to have rendered.
    pub fn cache(&self, hit: bool) {
        let counter = if hit {
            &self.cache_hits
        } else {
            &self.cache_misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a log-in refused for a wrong password or an unknown account.
    pub fn login_failed(&self) {
        self.login_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Shows the lag of each of `subscribers` (replacing any of the same name: a
    /// follower started again).
    pub fn watch_feed(&self, subscribers: &[std::sync::Arc<dyn ponder_feed::Subscriber>]) {
        let mut watched = lock(&self.feed.0);
        for subscriber in subscribers {
            watched.retain(|w| w.name() != subscriber.name());
            watched.push(subscriber.clone());
        }
    }

    /// Counts a handler that panicked.
    pub fn panicked(&self) {
        self.panics.fetch_add(1, Ordering::Relaxed);
    }

    /// The handlers that panicked so far.
    pub fn panics(&self) -> u64 {
        self.panics.load(Ordering::Relaxed)
    }

    /// The counters in Prometheus' text format.
    fn write_counters(&self, out: &mut String) {
        help(
            out,
            "ponder_http_requests_total",
            "counter",
            "Requests answered, by route and status.",
        );
        let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
        for (route, figures) in routes.iter() {
            for (status, count) in figures.answered() {
                let _ = writeln!(
                    out,
                    "ponder_http_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                    escape(route)
                );
            }
        }
        help(
            out,
            "ponder_http_request_duration_seconds",
            "histogram",
            "Time to answer a request, by route.",
        );
        for (route, figures) in routes.iter() {
            let labels = format!("route=\"{}\"", escape(route));
            figures
                .latency
                .snapshot()
                .write(out, "ponder_http_request_duration_seconds", &labels);
        }
        drop(routes);
        help(
            out,
            "ponder_search_duration_seconds",
            "histogram",
            "Time to search the index.",
        );
        self.search
            .snapshot()
            .write(out, "ponder_search_duration_seconds", "");
        help(
            out,
            "ponder_rate_limit_refusals_total",
            "counter",
            "Requests refused by a rate limit, by limit.",
        );
        for (limit, count) in lock(&self.refusals).iter() {
            let _ = writeln!(
                out,
                "ponder_rate_limit_refusals_total{{limit=\"{limit}\"}} {count}"
            );
        }
        let counters = [
            (
                "ponder_page_cache_hits_total",
                "Pages the page cache answered.",
                &self.cache_hits,
            ),
            (
                "ponder_page_cache_misses_total",
                "Visitors' pages the page cache had to have rendered.",
                &self.cache_misses,
            ),
            (
                "ponder_login_failures_total",
                "Log-ins refused for a wrong password or an unknown account.",
                &self.login_failures,
            ),
            (
                "ponder_panics_total",
                "Handlers that panicked (answered 500; the server went on).",
                &self.panics,
            ),
        ];
        for (name, what, counter) in counters {
            help(out, name, "counter", what);
            let _ = writeln!(out, "{name} {}", counter.load(Ordering::Relaxed));
        }
    }
}

/// The `# HELP` and `# TYPE` lines of a metric.
fn help(out: &mut String, name: &str, kind: &str, what: &str) {
    let _ = writeln!(out, "# HELP {name} {what}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value escaped as the format asks (backslash, quote, line break).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// A gauge line.
fn gauge(out: &mut String, name: &str, what: &str, value: impl std::fmt::Display) {
    help(out, name, "gauge", what);
    let _ = writeln!(out, "{name} {value}");
}

/// The whole text a scrape gets: the counters, then the figures read now.
pub async fn render(state: &AppState) -> String {
    let mut out = String::with_capacity(16 * 1024);
    metrics().write_counters(&mut out);
    gauge(
        &mut out,
        "ponder_page_cache_entries",
        "Pages in the page cache.",
        state.pages.entries(),
    );
    gauge(
        &mut out,
        "ponder_page_cache_bytes",
        "Memory the page cache's pages take, in bytes (as weighed).",
        state.pages.weighed_bytes(),
    );
    let index = state.search.last_change();
    match state.store.figures().await {
        Ok(db) => {
            gauge(
                &mut out,
                "ponder_db_connections_open",
                "Database connections this process has open.",
                db.connections_open,
            );
            gauge(
                &mut out,
                "ponder_db_connections_idle",
                "Of those, idle.",
                db.connections_idle,
            );
            gauge(
                &mut out,
                "ponder_db_connections_max",
                "The most this process may open.",
                db.connections_max,
            );
            gauge(
                &mut out,
                "ponder_mail_queue_length",
                "Mail waiting in the outbox.",
                db.mail_waiting,
            );
            gauge(
                &mut out,
                "ponder_webhook_queue_length",
                "Webhook deliveries waiting.",
                db.webhooks_waiting,
            );
            gauge(
                &mut out,
                "ponder_db_connection_wait_seconds",
                "How long this scrape waited for a database connection (long: all are busy).",
                db.connection_wait.as_secs_f64(),
            );
            help(
                &mut out,
                "ponder_feed_lag_changes",
                "gauge",
                "Changes in the log a subscriber has not taken in yet.",
            );
            let mut positions = vec![("search index", index)];
            positions.extend(
                lock(&metrics().feed.0)
                    .iter()
                    .map(|s| (s.name(), s.position())),
            );
            positions.sort_by_key(|(name, _)| *name);
            positions.dedup_by_key(|(name, _)| *name);
            for (name, position) in positions {
                let _ = writeln!(
                    out,
                    "ponder_feed_lag_changes{{subscriber=\"{}\"}} {}",
                    escape(name),
                    (db.last_change - position).max(0)
                );
            }
            gauge(
                &mut out,
                "ponder_db_up",
                "Whether the database answered this scrape.",
                1,
            );
        }
        Err(err) => {
            tracing::warn!(%err, "metrics: the database's figures are unavailable");
            gauge(
                &mut out,
                "ponder_db_up",
                "Whether the database answered this scrape.",
                0,
            );
        }
    }
    out
}

/// `GET /metrics` on the metrics address.
async fn scrape(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let mut response = render(&state).await.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// The metrics server's routes: `/metrics` alone.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(scrape))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(state)
}

/// Middleware inside the router: notes on the response the route that matched,
/// for [`count_response`] outside it.
pub async fn note_route(request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(matched) = matched {
        response.extensions_mut().insert(matched);
    }
    response
}

/// Marks a response the page cache answered, for [`count_response`].
#[derive(Debug, Clone, Copy)]
pub struct FromCache;

/// Counts a request answered with `response` after `elapsed`, by its route: the
/// page cache's, the one the router matched, or none.
pub fn count_response(response: &Response, elapsed: Duration) {
    let route = if response.extensions().get::<FromCache>().is_some() {
        CACHED_ROUTE
    } else {
        response
            .extensions()
            .get::<MatchedPath>()
            .map_or(UNMATCHED_ROUTE, MatchedPath::as_str)
    };
    metrics().request(route, response.status().as_u16(), elapsed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_count_each_observation_in_every_bucket_it_fits() {
        let histogram = SharedHistogram::default();
        histogram.observe(Duration::from_millis(3));
        histogram.observe(Duration::from_millis(200));
        histogram.observe(Duration::from_secs(30));
        let mut out = String::new();
        histogram.snapshot().write(&mut out, "h", "route=\"/\"");
        assert!(out.contains("h_sum{route=\"/\"} 30.203\n"), "{out}");
        assert!(
            out.contains("h_bucket{route=\"/\",le=\"0.0025\"} 0\n"),
            "{out}"
        );
        assert!(
            out.contains("h_bucket{route=\"/\",le=\"0.005\"} 1\n"),
            "{out}"
        );
        assert!(
            out.contains("h_bucket{route=\"/\",le=\"0.25\"} 2\n"),
            "{out}"
        );
        assert!(out.contains("h_bucket{route=\"/\",le=\"10\"} 2\n"), "{out}");
        assert!(
            out.contains("h_bucket{route=\"/\",le=\"+Inf\"} 3\n"),
            "{out}"
        );
        assert!(out.contains("h_count{route=\"/\"} 3\n"), "{out}");
        let mut bare = String::new();
        Histogram::default().write(&mut bare, "s", "");
        assert!(bare.contains("s_bucket{le=\"0.001\"} 0\n"), "{bare}");
        assert!(bare.contains("s_sum 0\ns_count 0\n"), "{bare}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }

    #[test]
    fn requests_are_counted_by_route_and_status() {
        let metrics = Metrics::default();
        metrics.request("/questions/{id}/{slug}", 200, Duration::from_millis(3));
        metrics.request("/questions/{id}/{slug}", 200, Duration::from_millis(30));
        metrics.request("/questions/{id}/{slug}", 404, Duration::from_millis(1));
        metrics.refused("searches");
        metrics.cache(true);
        let mut out = String::new();
        metrics.write_counters(&mut out);
        assert!(out.contains(
            "ponder_http_requests_total{route=\"/questions/{id}/{slug}\",status=\"200\"} 2\n"
        ));
        assert!(out.contains(
            "ponder_http_requests_total{route=\"/questions/{id}/{slug}\",status=\"404\"} 1\n"
        ));
        assert!(out.contains(
            "ponder_http_request_duration_seconds_count{route=\"/questions/{id}/{slug}\"} 3\n"
        ));
        assert!(out.contains("ponder_rate_limit_refusals_total{limit=\"searches\"} 1\n"));
        assert!(out.contains("ponder_page_cache_hits_total 1\n"));
        assert!(out.contains("ponder_page_cache_misses_total 0\n"));
    }
}
