//! The page cache: whole pages as visitors who are not logged in see them, kept in
//! memory with their compressed forms, so that a page read often is rendered and
//! compressed once.
//!
//! Only GET pages for requests without a session cookie are kept, and only when the
//! page carries nothing of the visitor's own (their CSRF token, on pages with a
//! form). Every entry is stamped with the site's *generation* and with a version of
//! what it shows: a question page, its question's; any other page, the lists'. An
//! entry whose stamps are not the current ones is never served. Each write made on
//! this node moves them on before its answer is sent (in [`serve`]), as far as
//! the action's outcome says it changed ([`Changed`], carried on the response), so
//! it is seen on the very next read; the change-log follower moves them on for what
//! it takes in ([`PageCache::followed`]), which is how writes made elsewhere arrive.
//! The writes of a thread (a question, an answer, a comment, a vote, an acceptance,
//! an edit) move on only that question's version and the lists', so that the other
//! question pages stay: what they show of it (a related title, an author's
//! reputation) may lag by up to the entries' minute of life.
//!
//! Entries answer conditional requests themselves (the ETag is kept with the page)
//! and carry brotli and gzip forms, each made the first time a client asks for it.
//!
//! An entry past its minute is not served, but kept (up to a day, while memory
//! allows): when the database is away and a page cannot be rendered, the page as
//! it was last rendered is served instead of the 503 (stale-if-error).

use crate::auth::context::RequestContext;
use crate::conditional::{copy_validators, etag_of, matches};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ponder_core::PostId;
use ponder_feed::{Gathered, Subscriber, SubscriberError};
use ponder_store::{Change, Store};
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// The memory the cache may hold by default, in bytes.
pub const DEFAULT_CAPACITY: u64 = 32 * 1024 * 1024;

/// How long an entry may live even when nothing moves the generation on: pages say
/// "3 minutes ago", and writes may reach the database without the change log.
const TIME_TO_LIVE: Duration = Duration::from_secs(60);

/// How long an entry is kept after its life, stale, to be served only while the
/// database is away (stale-if-error): a visitor then gets the page as it was
/// rather than an error. Stale entries give way to fresh ones when memory is short.
const KEPT_STALE_FOR: Duration = Duration::from_secs(24 * 3_600);

/// Request targets longer than this are not kept (they are searches nobody repeats).
const MAX_KEY_BYTES: usize = 512;

/// Questions whose versions are remembered; past this, all are forgotten at once
/// and the generation moves on.
const MAX_THREAD_VERSIONS: usize = 100_000;

/// Rendered pages for visitors, by request target.
pub struct PageCache {
    entries: moka::sync::Cache<String, Arc<CachedPage>>,
    generation: AtomicU64,
    /// The version of every list page (home, categories, tags, users, search).
    lists: AtomicU64,
    /// Versions of the questions written to since the generation last moved on;
    /// a question absent has version 0.
    threads: RwLock<HashMap<i64, u64>>,
    /// Hands out thread versions: each is new, so a forgotten one never comes back.
    clock: AtomicU64,
}

/// What a page shows, besides what the generation covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// A question page.
    Thread(i64),
    /// Any other page.
    Lists,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("entries", &self.entries.entry_count())
            .field("generation", &self.generation())
            .finish()
    }
}

/// One page as rendered, with what a response of it needs.
struct CachedPage {
    /// When it was rendered: it is current for [`TIME_TO_LIVE`] at most.
    rendered: Instant,
    generation: u64,
    scope: Scope,
    /// The scope's version when the page was rendered.
    version: u64,
    /// The response's headers: the handler's (content type and the like) and the
    /// security headers, without cookies, with the validator and caching rules.
    headers: HeaderMap,
    etag: HeaderValue,
    identity: Bytes,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

/// The encodings a cached page can be sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl PageCache {
    /// An empty cache holding up to about `capacity` bytes of pages.
    pub fn new(capacity: u64) -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(capacity)
            // Compressed forms are made later; a quarter of the page each is ample.
            .weigher(|key: &String, page: &Arc<CachedPage>| {
                let bytes = key.len() + page.identity.len() * 3 / 2 + 512;
                u32::try_from(bytes).unwrap_or(u32::MAX)
            })
            .time_to_live(KEPT_STALE_FOR)
            .build();
        Self {
            entries,
            generation: AtomicU64::new(0),
            lists: AtomicU64::new(0),
            threads: RwLock::new(HashMap::new()),
            clock: AtomicU64::new(0),
        }
    }

    /// How many pages it holds (current or kept stale).
    pub fn entries(&self) -> u64 {
        // The counts are brought up to date by the cache's pending upkeep.
        self.entries.run_pending_tasks();
        self.entries.entry_count()
    }

    /// The memory its pages take, as weighed against its capacity, in bytes.
    pub fn weighed_bytes(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.weighted_size()
    }

    /// The current generation; entries of earlier ones are stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Makes every page kept so far stale: something they may show has changed.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// What the change feed brought: the threads of `questions` changed (posts,
    /// votes, comments, moderation), and so, perhaps, did what list pages show (new
    /// posts, scores, a search index that has just taken them in); with
    /// `everything`, every page is stale. Writes made on this node were applied
    /// when they were written; this is how those of other nodes and commands arrive.
    pub fn followed(&self, questions: &[PostId], everything: bool) {
        if everything {
            self.invalidate();
        } else {
            let questions: Vec<i64> = questions.iter().map(|q| q.0).collect();
            self.touch_threads(&questions);
        }
    }

    /// Makes the pages of question `question` and every list page stale: it was
    /// answered, commented on, voted on or edited.
    pub fn touch_thread(&self, question: i64) {
        self.touch_threads(&[question]);
    }

    /// Moves on the versions of `questions` and of the lists.
    fn touch_threads(&self, questions: &[i64]) {
        if !questions.is_empty() {
            let mut threads = self.threads.write().unwrap_or_else(|e| e.into_inner());
            if threads.len() + questions.len() > MAX_THREAD_VERSIONS {
                // Forgotten versions read as 0, which pages rendered before may carry.
                threads.clear();
                self.invalidate();
            }
            for &question in questions {
                let version = self.clock.fetch_add(1, Ordering::AcqRel) + 1;
                threads.insert(question, version);
            }
        }
        self.lists.fetch_add(1, Ordering::AcqRel);
    }

    fn version(&self, scope: Scope) -> u64 {
        match scope {
            Scope::Lists => self.lists.load(Ordering::Acquire),
            Scope::Thread(question) => {
                let threads = self.threads.read().unwrap_or_else(|e| e.into_inner());
                threads.get(&question).copied().unwrap_or(0)
            }
        }
    }

    fn current(&self, key: &str) -> Option<Arc<CachedPage>> {
        let page = self.entries.get(key)?;
        let current = page.generation == self.generation()
            && page.version == self.version(page.scope)
            && page.rendered.elapsed() < TIME_TO_LIVE;
        current.then_some(page)
    }
}

impl Default for PageCache {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

/// What a write changed, which is what the page cache needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// Nothing a page shows (a preview, a log-in, a reset request).
    Nothing,
    /// One question's thread (its posts, comments, votes) and the lists that show it.
    Thread(PostId),
    /// Anything a page may show (a profile, a category, a moderation).
    Everything,
}

impl Changed {
    /// `response`, marked with what the write changed, for the page cache.
    pub fn mark(self, mut response: Response) -> Response {
        response.extensions_mut().insert(self);
        response
    }
}

/// The page cache as a subscriber of the change feed: how writes made on other
/// nodes and by commands reach the pages kept here. Its position lives in memory,
/// from where the log stood when it started (the cache was empty then).
pub struct FeedSubscriber {
    cache: Arc<PageCache>,
    position: AtomicI64,
}

impl FeedSubscriber {
    /// A subscriber for `cache`, taking in the changes after `position`.
    pub fn new(cache: Arc<PageCache>, position: i64) -> Self {
        Self {
            cache,
            position: AtomicI64::new(position),
        }
    }
}

#[async_trait::async_trait]
impl Subscriber for FeedSubscriber {
    fn name(&self) -> &'static str {
        "page cache"
    }

    fn position(&self) -> i64 {
        self.position.load(Ordering::Acquire)
    }

    async fn take(&self, store: &dyn Store, changes: &[Change]) -> Result<(), SubscriberError> {
        let Some(last) = changes.last().map(|c| c.id) else {
            return Ok(());
        };
        let gathered = Gathered::from_changes(changes);
        let questions = if gathered.everything {
            Vec::new()
        } else {
            store
                .thread_questions(&gathered.posts(), &gathered.comments)
                .await?
        };
        self.cache.followed(&questions, gathered.everything);
        self.position.store(last, Ordering::Release);
        Ok(())
    }
}

/// `response` to a non-GET request that changed nothing a visitor's page shows (a
/// preview, a log-in, a reset request), marked so: the cache keeps its pages.
pub fn nothing_stale(response: Response) -> Response {
    Changed::Nothing.mark(response)
}

/// Middleware: answers visitors' page requests from the cache and keeps the pages
/// rendered for them; after a request that may have written (any method but GET,
/// HEAD and OPTIONS) and did not fail, moves the generation on before the answer
/// is sent.
pub async fn serve(
    State(cache): State<Arc<PageCache>>,
    mut request: Request,
    next: Next,
) -> Response {
    if !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        let response = next.run(request).await;
        let status = response.status();
        if status.is_success() || status.is_redirection() {
            // What the action said it changed; a write that does not say may have
            // changed anything.
            let changed = response.extensions().get::<Changed>().copied();
            match changed.unwrap_or(Changed::Everything) {
                Changed::Nothing => {}
                Changed::Thread(question) => cache.touch_thread(question.0),
                Changed::Everything => cache.invalidate(),
            }
        }
        return response;
    }
    let Some(key) = cache_key(&request) else {
        return next.run(request).await;
    };
    let asked = request.headers().get(header::IF_NONE_MATCH).cloned();
    let encoding = preferred_encoding(request.headers());
    if let Some(page) = cache.current(&key) {
        crate::metrics::metrics().cache(true);
        return from_cache(page.response(
            encoding,
            asked.as_ref(),
            request.method() == Method::HEAD,
        ));
    }
    crate::metrics::metrics().cache(false);
    // The stamps before rendering: a write during it leaves the entry stale.
    let generation = cache.generation();
    let scope = scope_of(&key);
    let version = cache.version(scope);
    let head = request.method() == Method::HEAD;
    // The page's own bytes are wanted, not a 304 from the layers within.
    request.headers_mut().remove(header::IF_NONE_MATCH);
    let response = next.run(request).await;
    if crate::error::is_unavailable(&response)
        && let Some(page) = cache.entries.get(&key)
    {
        // The database is away: the page as it was beats an error.
        tracing::debug!(page = %key, "served a stale page while the database is away");
        return from_cache(page.response(encoding, asked.as_ref(), head));
    }
    if head || !is_page(&response) {
        // Its If-None-Match was taken away above: a response with a validator of
        // its own (a feed) is compared here instead.
        if let (Some(asked), Some(etag)) = (asked.as_ref(), response.headers().get(header::ETAG))
            && response.status() == StatusCode::OK
            && matches(asked, etag)
        {
            let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
            copy_validators(response.headers(), not_modified.headers_mut());
            return not_modified;
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let personal = parts
        .extensions
        .get::<Arc<RequestContext>>()
        .is_none_or(|ctx| ctx.viewer.is_some() || contains(&bytes, ctx.csrf.as_bytes()));
    if personal {
        // Not kept, but still answered 304 when the browser's copy is this one.
        let etag = parts.headers.get(header::ETAG);
        if let (Some(asked), Some(etag)) = (asked.as_ref(), etag)
            && matches(asked, etag)
        {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            copy_validators(&parts.headers, response.headers_mut());
            return response;
        }
        return Response::from_parts(parts, Body::from(bytes));
    }
    let mut headers = parts.headers;
    // The layer within gave the page its ETag unless the page sets a cookie.
    let etag = headers
        .get(header::ETAG)
        .cloned()
        .unwrap_or_else(|| etag_of(&bytes));
    let cookies: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    for name in [
        header::SET_COOKIE,
        header::ETAG,
        header::CACHE_CONTROL,
        header::VARY,
        header::CONTENT_LENGTH,
    ] {
        headers.remove(name);
    }
    headers.insert(header::ETAG, etag.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Authorization, Accept-Encoding"),
    );
    let page = Arc::new(CachedPage {
        rendered: Instant::now(),
        generation,
        scope,
        version,
        headers,
        etag,
        identity: bytes,
        brotli: OnceLock::new(),
        gzip: OnceLock::new(),
    });
    cache.entries.insert(key, page.clone());
    // The route that rendered it, for the metrics.
    let route = parts
        .extensions
        .get::<axum::extract::MatchedPath>()
        .cloned();
    let with_route = |mut response: Response| {
        if let Some(route) = route {
            response.extensions_mut().insert(route);
        }
        response
    };
    if cookies.is_empty() {
        return with_route(page.response(encoding, asked.as_ref(), false));
    }
    // A response that sets a cookie goes without a validator: a 304 could not be
    // relied on to hand the cookie over.
    let mut response = page.response(encoding, None, false);
    let headers = response.headers_mut();
    headers.remove(header::ETAG);
    for cookie in cookies {
        headers.append(header::SET_COOKIE, cookie);
    }
    with_route(response)
}

/// `response`, marked as answered from the cache (for the metrics).
fn from_cache(mut response: Response) -> Response {
    response.extensions_mut().insert(crate::metrics::FromCache);
    response
}

/// The question a page shows, from its path: `/questions/{id}/{slug}`, or the
/// API's `/api/v1/questions/{id}`.
fn scope_of(target: &str) -> Scope {
    let path = target.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match segments.as_slice() {
        ["questions", id, _] | ["api", "v1", "questions", id] => {
            id.parse().map_or(Scope::Lists, Scope::Thread)
        }
        _ => Scope::Lists,
    }
}

/// The key of a request the cache may answer: a GET or HEAD without a session
/// cookie, by path and query.
fn cache_key(request: &Request) -> Option<String> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return None;
    }
    use crate::auth::cookies::{HOST_SESSION, SESSION, get};
    if get(request.headers(), SESSION).is_some()
        || get(request.headers(), HOST_SESSION).is_some()
        || request.headers().contains_key(header::AUTHORIZATION)
    {
        // A member's request (by cookie or by token) is never answered from the cache.
        return None;
    }
    let target = request.uri().path_and_query()?.as_str();
    (target.len() <= MAX_KEY_BYTES).then(|| target.to_owned())
}

/// A 200 page: HTML, or the API's JSON.
fn is_page(response: &Response) -> bool {
    let no_store = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    response.status() == StatusCode::OK
        && !no_store
        && crate::conditional::is_page_type(response.headers())
}

/// Whether `needle` occurs in `haystack` (a vectorised search: comparing at every
/// position was a twentieth of a fresh page's time).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && memchr::memmem::find(haystack, needle).is_some()
}

/// The best encoding the request accepts: brotli, then gzip, else none.
fn preferred_encoding(headers: &HeaderMap) -> Encoding {
    let mut best = Encoding::Identity;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut fields = item.split(';');
            let name = fields.next().unwrap_or_default().trim();
            let refused = fields.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            if name.eq_ignore_ascii_case("br") {
                return Encoding::Brotli;
            }
            if name.eq_ignore_ascii_case("gzip") {
                best = Encoding::Gzip;
            }
        }
    }
    best
}

impl CachedPage {
    /// The page as a response in `encoding`, or a 304 when `asked` names it.
    fn response(&self, encoding: Encoding, asked: Option<&HeaderValue>, head: bool) -> Response {
        if asked.is_some_and(|a| matches(a, &self.etag)) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            copy_validators(&self.headers, response.headers_mut());
            return response;
        }
        let mut headers = self.headers.clone();
        let body = match encoding {
            Encoding::Brotli => self.brotli.get_or_init(|| compress_brotli(&self.identity)),
            Encoding::Gzip => self.gzip.get_or_init(|| compress_gzip(&self.identity)),
            Encoding::Identity => &self.identity,
        };
        if let Some(name) = match encoding {
            Encoding::Brotli => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        } {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        let mut response = if head {
            // No body, but the length a GET would send.
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
            Response::new(Body::empty())
        } else {
            Response::new(Body::from(body.clone()))
        };
        *response.headers_mut() = headers;
        response
    }
}

/// `bytes` compressed with brotli at a quality that pays for itself on a page
/// served many times.
fn compress_brotli(bytes: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 6,
        lgwin: 22,
        ..Default::default()
    };
    let mut input = bytes;
    match brotli::BrotliCompress(&mut input, &mut out, &params) {
        Ok(_) => Bytes::from(out),
        // Writing to memory does not fail; should it, the page goes uncompressed.
        Err(_) => Bytes::copy_from_slice(bytes),
    }
}

/// `bytes` compressed with gzip at the default level.
fn compress_gzip(bytes: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::default(),
    );
    match encoder.write_all(bytes).and_then(|()| encoder.finish()) {
        Ok(out) => Bytes::from(out),
        Err(_) => Bytes::copy_from_slice(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ponder_core::PostId;

    fn accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn brotli_is_preferred_then_gzip_and_q_zero_refuses() {
        assert_eq!(
            preferred_encoding(&accept("gzip, deflate, br")),
            Encoding::Brotli
        );
        assert_eq!(
            preferred_encoding(&accept("gzip;q=0.5, br;q=0")),
            Encoding::Gzip
        );
        assert_eq!(preferred_encoding(&accept("GZIP")), Encoding::Gzip);
        assert_eq!(
            preferred_encoding(&accept("identity, br;q=0.0")),
            Encoding::Identity
        );
        assert_eq!(preferred_encoding(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compressed_forms_decompress_to_the_page() {
        let page = "<p>a page of some length</p>".repeat(200);
        let gz = compress_gzip(page.as_bytes());
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap_or_default();
        assert_eq!(out, page);
        let br = compress_brotli(page.as_bytes());
        assert!(br.len() < page.len() / 10);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap_or_default();
        assert_eq!(out, page.as_bytes());
    }

    #[test]
    fn question_pages_are_scoped_to_their_question() {
        assert_eq!(scope_of("/questions/12/a-slug"), Scope::Thread(12));
        assert_eq!(scope_of("/questions/12/a-slug?x=1"), Scope::Thread(12));
        assert_eq!(scope_of("/api/v1/questions/12"), Scope::Thread(12));
        for lists in [
            "/api/v1/questions",
            "/api/v1/questions/12/answers",
            "/api/v1/questions/similar?title=x",
            "/",
            "/questions?page=2",
            "/questions/12",
            "/questions/x/y",
            "/tags/a",
        ] {
            assert_eq!(scope_of(lists), Scope::Lists, "{lists}");
        }
    }

    #[test]
    fn a_thread_write_leaves_other_questions_and_moves_the_lists_on() {
        let cache = PageCache::new(1024 * 1024);
        let (seven, eight) = (Scope::Thread(7), Scope::Thread(8));
        let before = [
            cache.version(seven),
            cache.version(eight),
            cache.version(Scope::Lists),
        ];
        cache.touch_thread(7);
        assert_ne!(cache.version(seven), before[0]);
        assert_eq!(cache.version(eight), before[1]);
        assert_ne!(cache.version(Scope::Lists), before[2]);
        let generation = cache.generation();
        cache.invalidate();
        assert_ne!(cache.generation(), generation);
        // The follower: the questions it names, and the lists even when it names none.
        let (eight_before, lists_before) = (cache.version(eight), cache.version(Scope::Lists));
        cache.followed(&[], false);
        assert_eq!(cache.version(eight), eight_before);
        assert_ne!(cache.version(Scope::Lists), lists_before);
        cache.followed(&[PostId(8)], false);
        assert_ne!(cache.version(eight), eight_before);
        let (eight_before, generation) = (cache.version(eight), cache.generation());
        cache.followed(&[], true);
        assert_eq!(cache.version(eight), eight_before);
        assert_ne!(cache.generation(), generation, "everything is stale");
    }

    #[test]
    fn the_token_is_found_only_where_it_is() {
        assert!(contains(b"<input value=\"abc123\">", b"abc123"));
        assert!(!contains(b"<input value=\"abc12\">", b"abc123"));
        assert!(!contains(b"anything", b""));
    }
}
