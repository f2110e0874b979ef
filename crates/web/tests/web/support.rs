//! The test harness: a [`TestApp`] runs the real Router in-process over a fresh
//! SQLite store, and [`Page`] reads responses with CSS selectors.
//!
//! Long on purpose: the one harness every web test uses (the app, a browser with
//! cookies, pages read with selectors, a real SMTP listener).

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ponder_core::reputation::Privileges;
use ponder_store::Store;
use ponder_store::conformance as fx;
use ponder_store_sqlite::SqliteStore;
use ponder_web::auth::limits::RateLimitConfig;
use ponder_web::auth::mail::{Mail, Mailer};
use ponder_web::page_cache::PageCache;
use ponder_web::uploads::UploadStorage;
use ponder_web::{AppState, SiteConfig, app};
use scraper::{Html, Selector};
use std::sync::Arc;
use std::sync::Mutex;
use tower::ServiceExt;

/// The app over a fresh store.
pub struct TestApp {
    pub store: Arc<dyn Store>,
    pub search: Arc<ponder_search::SearchIndex>,
    pub router: axum::Router,
    /// The pages kept for visitors; [`TestApp::index`] makes them stale.
    pub pages: Arc<PageCache>,
    pub mail: Arc<CaptureMailer>,
    pub dir: tempfile::TempDir,
    /// Keeps a PostgreSQL test database alive; dropped with the app.
    pub _guard: Option<Box<dyn std::any::Any + Send>>,
}

/// Keeps sent mail for tests to read.
#[derive(Default)]
pub struct CaptureMailer {
    pub sent: Mutex<Vec<Mail>>,
}

#[async_trait::async_trait]
impl Mailer for CaptureMailer {
    async fn send(&self, mail: Mail) -> Result<(), String> {
        self.sent.lock().unwrap().push(mail);
        Ok(())
    }
}

impl CaptureMailer {
    /// The link in the last mail sent to `to`, waiting (up to five seconds) for
    /// one: some mail goes out after the request that asked for it is answered.
    pub async fn last_link_to(&self, to: &str) -> String {
        self.links_to(to, 1).await.pop().unwrap()
    }

    /// The links in the mails sent to `to`, oldest first, once there are at least
    /// `count` of them (waiting up to five seconds).
    pub async fn links_to(&self, to: &str, count: usize) -> Vec<String> {
        for _ in 0..500 {
            let links: Vec<String> = self
                .sent
                .lock()
                .unwrap()
                .iter()
                .filter(|m| m.to == to)
                .map(|mail| {
                    let start = mail.body.find("https://").expect("a link");
                    let link = mail.body[start..].split_whitespace().next().unwrap();
                    link.trim_start_matches("https://ask.example.org")
                        .to_owned()
                })
                .collect();
            if links.len() >= count {
                return links;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("fewer than {count} mails to {to}");
    }

    /// How many mails went to `to`.
    pub fn count_to(&self, to: &str) -> usize {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.to == to)
            .count()
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_limits(Self::generous_limits()).await
    }

    /// Privileges that let any account vote and comment (edits of others' posts still
    /// need the default 2,000), so tests about other things need no reputation.
    pub fn open_privileges() -> Privileges {
        Privileges {
            vote_up: 1,
            comment_everywhere: 1,
            vote_down: 1,
            ..Privileges::default()
        }
    }

    pub async fn with_limits(limits: RateLimitConfig) -> Self {
        Self::configured(limits, Self::open_privileges()).await
    }

    pub async fn with_privileges(privileges: Privileges) -> Self {
        Self::configured(Self::generous_limits(), privileges).await
    }

    pub fn generous_limits() -> RateLimitConfig {
        RateLimitConfig {
            login_per_ip_per_minute: 1000,
            login_per_account_per_minute: 1000,
            signups_per_ip_per_hour: 1000,
            questions_per_user_per_hour: 1000,
            answers_per_user_per_hour: 1000,
            comments_per_user_per_minute: 1000,
            previews_per_user_per_minute: 1000,
            avatars_per_user_per_hour: 1000,
            uploads_per_user_per_hour: 1000,
            password_checks_per_user_per_minute: 1000,
            searches_per_ip_per_minute: 1000,
            api_requests_per_token_per_minute: 1000,
        }
    }

    pub async fn configured(limits: RateLimitConfig, privileges: Privileges) -> Self {
        Self::configured_with(limits, privileges, None).await
    }

    /// An app on SQLite keeping uploads in `uploads` (a folder of its own when
    /// `None`).
    pub async fn configured_with(
        limits: RateLimitConfig,
        privileges: Privileges,
        uploads: Option<UploadStorage>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&dir.path().join("ponder.db"))
                .await
                .expect("open store"),
        );
        let mail = Arc::new(CaptureMailer::default());
        let search = Arc::new(ponder_search::SearchIndex::in_memory().unwrap());
        let pages = Arc::new(PageCache::default());
        let router = Self::router_with(
            store.clone(),
            search.clone(),
            pages.clone(),
            limits,
            mail.clone(),
            privileges,
            uploads.unwrap_or_else(|| UploadStorage::Folder(dir.path().join("uploads"))),
        );
        Self {
            store,
            search,
            router,
            pages,
            mail,
            dir,
            _guard: None,
        }
    }

    /// The app over a fresh store of `engine` ("sqlite" or "postgres"), or `None` when
    /// no PostgreSQL server is configured (the test then says it was skipped).
    pub async fn on(engine: &str, privileges: Privileges) -> Option<Self> {
        if engine == "sqlite" {
            return Some(Self::configured(Self::generous_limits(), privileges).await);
        }
        let fresh = ponder_store_postgres::testing::fresh_store().await?;
        Some(Self::over(
            fresh.store,
            Some(fresh.guard),
            tempfile::tempdir().expect("temp dir"),
            privileges,
        ))
    }

    /// The app over `store` (kept alive by `guard`), with uploads in `dir`.
    pub fn over(
        store: Arc<dyn Store>,
        guard: Option<Box<dyn std::any::Any + Send>>,
        dir: tempfile::TempDir,
        privileges: Privileges,
    ) -> Self {
        let mail = Arc::new(CaptureMailer::default());
        let search = Arc::new(ponder_search::SearchIndex::in_memory().unwrap());
        let pages = Arc::new(PageCache::default());
        let router = Self::router_with(
            store.clone(),
            search.clone(),
            pages.clone(),
            Self::generous_limits(),
            mail.clone(),
            privileges,
            UploadStorage::Folder(dir.path().join("uploads")),
        );
        Self {
            store,
            search,
            router,
            pages,
            mail,
            dir,
            _guard: guard,
        }
    }

    pub fn router_over(
        store: Arc<dyn Store>,
        limits: RateLimitConfig,
        mail: Arc<CaptureMailer>,
    ) -> axum::Router {
        let search = Arc::new(ponder_search::SearchIndex::in_memory().unwrap());
        let pages = Arc::new(PageCache::default());
        Self::router_with(
            store,
            search,
            pages,
            limits,
            mail,
            Self::open_privileges(),
            UploadStorage::Disabled,
        )
    }

    fn router_with(
        store: Arc<dyn Store>,
        search: Arc<ponder_search::SearchIndex>,
        pages: Arc<PageCache>,
        limits: RateLimitConfig,
        mail: Arc<CaptureMailer>,
        privileges: Privileges,
        uploads: UploadStorage,
    ) -> axum::Router {
        let state = AppState::new(
            store,
            search,
            SiteConfig {
                name: "Testing Site".into(),
                base_url: "https://ask.example.org".into(),
                webhooks_reach_private: false,
                // Tests serve the images posts show from 127.0.0.1.
                images_reach_private: true,
            },
        )
        .with_limits(limits)
        .with_uploads(uploads)
        .with_mailer(mail)
        .with_reputation(
            ponder_core::reputation::ReputationRules::default(),
            privileges,
        )
        .with_page_cache(pages);
        app(state)
    }

    /// Takes in the change log as the follower does in a server: the search index
    /// catches up (waiting for changes PostgreSQL holds back while other tests'
    /// transactions run) and the pages kept for visitors go stale. Tests that write to the
    /// store directly, as another node or a command would, call it before reading.
    pub async fn index(&self) {
        let settled = self
            .search
            .catch_up_settled(&*self.store, std::time::Duration::from_secs(5))
            .await
            .unwrap();
        assert!(settled, "the search index did not reach the newest change");
        self.pages.invalidate();
    }

    /// Takes in the change log as the server's follower does, pass by pass: the
    /// search index and the page cache, each a subscriber of the feed, from where
    /// the index stands. How writes made on other nodes reach this one. Waits (up
    /// to five seconds) for changes PostgreSQL holds back.
    pub async fn follow(&self) {
        let newest = self.store.last_change_id().await.unwrap();
        let pages = ponder_web::page_cache::FeedSubscriber::new(
            self.pages.clone(),
            self.search.last_change(),
        );
        let subscribers: Vec<Arc<dyn ponder_feed::Subscriber>> =
            vec![self.search.clone(), Arc::new(pages)];
        let follower = ponder_feed::Follower::new(self.store.clone(), subscribers, 1_000);
        for _ in 0..250 {
            let fed = follower.pass().await;
            assert!(
                fed.iter()
                    .all(|f| !matches!(f, ponder_feed::follower::Fed::Failed(_))),
                "{fed:?}"
            );
            if self.search.last_change() >= newest {
                return;
            }
            if !fed
                .iter()
                .any(|f| matches!(f, ponder_feed::follower::Fed::Took(_)))
            {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
        panic!("the follower did not reach change {newest}");
    }

    /// The inbox's subscriber, started now: it delivers what happens from here on.
    pub async fn start_inbox(&self) -> Arc<ponder_feed::InboxSubscriber> {
        Arc::new(
            ponder_feed::InboxSubscriber::start(&*self.store, true)
                .await
                .unwrap(),
        )
    }

    /// Delivers every change logged so far to the inbox, as the leading node's
    /// follower does (waiting, up to five seconds, for changes PostgreSQL holds back).
    pub async fn deliver(&self, inbox: &Arc<ponder_feed::InboxSubscriber>) {
        use ponder_feed::Subscriber;
        let newest = self.store.last_change_id().await.unwrap();
        let follower = ponder_feed::Follower::new(
            self.store.clone(),
            vec![inbox.clone() as Arc<dyn Subscriber>],
            1_000,
        );
        for _ in 0..250 {
            let fed = follower.pass().await;
            assert!(
                fed.iter()
                    .all(|f| !matches!(f, ponder_feed::follower::Fed::Failed(_))),
                "{fed:?}"
            );
            if inbox.position() >= newest {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the inbox did not reach change {newest}");
    }

    /// A browser with its own cookies, coming from `ip`.
    pub fn client(&self, ip: &str) -> Client {
        Client {
            router: self.router.clone(),
            jar: Mutex::new(Vec::new()),
            ip: ip.parse().expect("ip"),
        }
    }

    /// A user who can log in with `password`, created directly in the store.
    pub async fn account(
        &self,
        handle: &str,
        password: &str,
        role: ponder_store::Role,
    ) -> ponder_store::User {
        let hash = ponder_web::auth::password::hash(password.to_owned())
            .await
            .unwrap();
        self.store
            .create_user(ponder_store::NewUser {
                handle: handle.into(),
                display_name: handle.into(),
                email: Some(format!("{handle}@example.org")),
                password_hash: Some(hash),
                role,
                about: ponder_store::PostBody::from_markdown(""),
                created_at: fx::at(0),
            })
            .await
            .unwrap()
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.send_with(uri, &[]).await
    }

    /// A GET with extra headers (a reader's `If-None-Match`, say), as a visitor.
    pub async fn send_with(&self, uri: &str, headers: &[(&str, &str)]) -> Page {
        let mut builder = Request::get(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = self
            .router
            .clone()
            .oneshot(builder.body(Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).expect("utf-8 body"),
        }
    }

    /// A small site: History › Modern with one question by ann, answered by bob
    /// (accepted) and cy, with comments.
    pub async fn seeded(&self) -> Seeded {
        let s = &*self.store;
        let ann = fx::user(s, "ann").await;
        let bob = fx::user(s, "bob").await;
        let cy = fx::user(s, "cy").await;
        let history = fx::category(s, None, "history").await;
        let modern = fx::category(s, Some(history.id), "modern").await;
        let question = fx::ask(
            s,
            ann.id,
            modern.id,
            "Why did the wall fall in 1989",
            &["cold-war", "germany"],
            0,
        )
        .await;
        let low = fx::answer(s, question, cy.id, 10).await;
        let accepted = fx::answer(s, question, bob.id, 20).await;
        let high = fx::answer(s, question, ann.id, 30).await;
        fx::vote(s, high, bob.id, ponder_store::VoteValue::Up).await;
        fx::vote(s, high, cy.id, ponder_store::VoteValue::Up).await;
        fx::vote(s, low, bob.id, ponder_store::VoteValue::Down).await;
        s.accept_answer(question, Some(accepted), Default::default())
            .await
            .expect("accept");
        fx::comment(s, question, bob.id, 40).await; // question: 1 comment
        fx::comment(s, high, bob.id, 50).await; // high: 2 comments
        fx::comment(s, high, cy.id, 60).await;
        Seeded {
            ann,
            bob,
            history,
            question,
            low,
            accepted,
            high,
        }
    }
}

/// A browser: keeps cookies between requests like a real one, and sends the
/// headers a real one sends with a same-origin form.
pub struct Client {
    router: axum::Router,
    jar: Mutex<Vec<(String, String)>>,
    ip: std::net::IpAddr,
}

impl Client {
    /// A browser of another router (another node of the site), coming from `ip`.
    pub fn of(router: axum::Router, ip: &str) -> Self {
        Self {
            router,
            jar: Mutex::new(Vec::new()),
            ip: ip.parse().expect("ip"),
        }
    }

    fn cookie_header(&self) -> String {
        self.jar
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar
            .lock()
            .unwrap()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        let mut jar = self.jar.lock().unwrap();
        jar.retain(|(k, _)| k != name);
        jar.push((name.to_owned(), value.to_owned()));
    }

    fn remember(&self, page: &Page) {
        for value in page.headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let mut jar = self.jar.lock().unwrap();
                jar.retain(|(k, _)| k != name);
                if !value.is_empty() && !text.contains("Max-Age=0") {
                    jar.push((name.to_owned(), value.to_owned()));
                }
            }
        }
    }

    pub async fn send(&self, mut request: Request<Body>) -> Page {
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            request
                .headers_mut()
                .insert(header::COOKIE, cookies.parse().unwrap());
        }
        request
            .extensions_mut()
            .insert(ConnectInfo(std::net::SocketAddr::new(self.ip, 40000)));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let page = Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        };
        self.remember(&page);
        page
    }

    pub async fn get(&self, uri: &str) -> Page {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// Posts a form as a same-origin browser does.
    pub async fn post(&self, uri: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(uri, fields, &[("sec-fetch-site", "same-origin")])
            .await
    }

    pub async fn post_with(
        &self,
        uri: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body = fields
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    ponder_web::forms::query_encode(k),
                    ponder_web::forms::query_encode(v)
                )
            })
            .collect::<Vec<_>>()
            .join("&");
        self.post_raw(
            uri,
            "application/x-www-form-urlencoded",
            body.into_bytes(),
            headers,
        )
        .await
    }

    pub async fn post_raw(
        &self,
        uri: &str,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Page {
        let mut builder = Request::post(uri).header(header::CONTENT_TYPE, content_type);
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }

    /// The CSRF token the page at `uri` gives this client.
    pub async fn csrf(&self, uri: &str) -> String {
        let page = self.get(uri).await;
        page.attrs("input[name=csrf]", "value")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no csrf field on {uri}: {}", page.status))
    }

    /// Sends the log-in form with `login` and `password`; the answer, whatever it is.
    pub async fn try_log_in(&self, login: &str, password: &str) -> Page {
        // A logged-in browser is sent away from the log-in page; its token is on every page.
        let form = self.get("/login").await;
        let csrf = match form.attrs("input[name=csrf]", "value").into_iter().next() {
            Some(token) => token,
            None => self.csrf("/settings").await,
        };
        self.post(
            "/login",
            &[("csrf", &csrf), ("login", login), ("password", password)],
        )
        .await
    }

    /// Logs in through the form; panics unless it works.
    pub async fn log_in(&self, login: &str, password: &str) {
        let page = self.try_log_in(login, password).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "log-in failed: {}",
            page.body
        );
    }
}

pub struct Seeded {
    pub ann: ponder_store::User,
    pub bob: ponder_store::User,
    pub history: ponder_store::Category,
    pub question: ponder_core::PostId,
    pub low: ponder_core::PostId,
    pub accepted: ponder_core::PostId,
    pub high: ponder_core::PostId,
}

/// A response, with helpers to read its HTML.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// The text of every element matching `selector`, whitespace folded.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The text of the one element matching `selector`.
    pub fn text(&self, selector: &str) -> String {
        let all = self.texts(selector);
        assert_eq!(
            all.len(),
            1,
            "expected one {selector}, found {}: {all:?}",
            all.len()
        );
        all.into_iter().next().unwrap_or_default()
    }

    /// An attribute of every element matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }

    /// The inner HTML of the one element matching `selector`.
    pub fn html_of(&self, selector: &str) -> String {
        let sel = Selector::parse(selector).expect("selector");
        let html = self.html();
        let found: Vec<String> = html.select(&sel).map(|e| e.inner_html()).collect();
        assert_eq!(
            found.len(),
            1,
            "expected one {selector}, found {}",
            found.len()
        );
        found.into_iter().next().unwrap_or_default()
    }

    pub fn count(&self, selector: &str) -> usize {
        let sel = Selector::parse(selector).expect("selector");
        self.html().select(&sel).count()
    }

    pub fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn location(&self) -> String {
        self.header(header::LOCATION)
    }
}

/// A minimal SMTP server on 127.0.0.1 that accepts every message and keeps its
/// DATA; enough for a real SMTP client to deliver to it.
pub struct FakeSmtp {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<String>>>,
}

impl FakeSmtp {
    pub async fn start() -> Self {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 fake ESMTP\r\n").await;
                    let mut in_data = false;
                    let mut data = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if in_data {
                            if line == "." {
                                in_data = false;
                                kept.lock().unwrap().push(std::mem::take(&mut data));
                                let _ = write.write_all(b"250 queued\r\n").await;
                            } else {
                                data.push_str(&line);
                                data.push('\n');
                            }
                            continue;
                        }
                        let verb = line
                            .split_whitespace()
                            .next()
                            .unwrap_or_default()
                            .to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250-fake\r\n250 8BITMIME\r\n",
                            "DATA" => {
                                in_data = true;
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        Self { port, messages }
    }
}
