//! [`AppState`]: what every handler shares (the store, the search index, the site
//! settings in force, the rate limits, the page cache), and [`SiteConfig`].

use crate::auth::limits::{RateLimitConfig, RateLimits};
use crate::auth::mail::{LogMailer, Mailer};
use crate::page_cache;
use crate::site_settings::InForce;
use ponder_core::reputation::{ModerationRules, Privileges, ReputationRules};
use ponder_core::settings::{Settings, Startup};
use ponder_search::SearchIndex;
use ponder_store::{Store, StoreError};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

/// The off-topic reasons a site starts with.
pub fn default_off_topic_reasons() -> Vec<String> {
    Settings::default().off_topic_reasons()
}

/// Where the site is served, and the name it starts with.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The site's name given at start (`--site-name`); the name set at
    /// `/admin/settings` wins over it.
    pub name: String,
    /// The public base URL without a trailing slash, e.g. `https://ask.example.org`;
    /// canonical links are built on it.
    pub base_url: String,
    /// Whether webhooks may reach loopback and private addresses
    /// (`--webhooks-reach-private`: receivers on the site's own network).
    pub webhooks_reach_private: bool,
    /// Whether images in posts may be copied from loopback and private addresses
    /// (`--images-reach-private`: tests, and sites whose images are on their own
    /// network).
    pub images_reach_private: bool,
}

impl SiteConfig {
    /// Whether cookies must be marked Secure: the site is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            name: "Ponder".to_owned(),
            base_url: "http://127.0.0.1:8080".to_owned(),
            webhooks_reach_private: false,
            images_reach_private: false,
        }
    }
}

/// What every handler shares: one [`Shared`] behind an `Arc`, so that the clone
/// each request makes of it is one counter increment.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields of [`AppState`].
#[derive(Clone)]
pub struct Shared {
    /// The database.
    pub store: Arc<dyn Store>,
    /// The search index.
    pub search: Arc<SearchIndex>,
    /// Where the site is served.
    pub site: Arc<SiteConfig>,
    /// The settings given at start (flags and environment), under the stored ones.
    pub startup: Arc<Startup>,
    /// The settings in force; see [`AppState::settings`].
    in_force: Arc<RwLock<Arc<InForce>>>,
    /// Rate limiters, made anew when their limits change.
    limits: Arc<RwLock<Arc<RateLimits>>>,
    /// Members the site has, for launch mode's end; counted at each reload of the
    /// settings and whenever the change feed reports an account made or deleted.
    members: Arc<AtomicI64>,
    /// Where uploaded images are kept.
    pub uploads: Arc<crate::uploads::UploadStorage>,
    /// Outgoing mail.
    pub mailer: Arc<dyn Mailer>,
    /// Pages rendered for visitors; [`page_cache::PageCache::invalidate`] when
    /// something changes that this node did not write itself.
    pub pages: Arc<page_cache::PageCache>,
    /// Answers of `/api/v1/questions/similar` by normalised title, for a minute.
    pub similar: Arc<moka::sync::Cache<String, Arc<serde_json::Value>>>,
    /// Set once the site is known to have an administrator (it never loses the
    /// last one through the web), so that the home page stops asking.
    pub administered: Arc<AtomicBool>,
    /// Related-question lists computed and waiting to be stored.
    pub related: Arc<crate::related::RelatedWrites>,
    /// Set when the server is about to stop: `/readyz` answers 503 so that a
    /// load balancer sends no new requests here, while those that come are served.
    pub draining: Arc<AtomicBool>,
    /// The reverse proxies whose forwarding headers name the client.
    pub proxies: Arc<crate::proxies::TrustedProxies>,
}

impl AppState {
    /// State over `store` and `search` served at `site`, with the built-in
    /// settings (and `site`'s name), mail written to the log; the stored settings
    /// are read by [`AppState::reload_settings`].
    pub fn new(store: Arc<dyn Store>, search: Arc<SearchIndex>, site: SiteConfig) -> Self {
        let mut startup = Startup::new();
        if let Err(err) = startup.set("site.name", &site.name) {
            tracing::warn!(%err, "the site's name given at start is not usable");
        }
        let in_force = InForce::resolve(&startup, &[]);
        let limits = RateLimits::new(in_force.limits);
        Self(Arc::new(Shared {
            store,
            search,
            site: Arc::new(site),
            startup: Arc::new(startup),
            in_force: Arc::new(RwLock::new(Arc::new(in_force))),
            limits: Arc::new(RwLock::new(Arc::new(limits))),
            members: Arc::new(AtomicI64::new(0)),
            mailer: Arc::new(LogMailer),
            uploads: Arc::new(crate::uploads::UploadStorage::Disabled),
            pages: Arc::new(page_cache::PageCache::default()),
            similar: Arc::new(
                moka::sync::Cache::builder()
                    .max_capacity(10_000)
                    .time_to_live(std::time::Duration::from_secs(60))
                    .build(),
            ),
            administered: Arc::new(AtomicBool::new(false)),
            related: Arc::default(),
            proxies: Arc::default(),
            draining: Arc::new(AtomicBool::new(false)),
        }))
    }

    /// The settings in force now (a snapshot: a request reads one set throughout).
    pub fn settings(&self) -> Arc<InForce> {
        match self.in_force.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The settings as they would be with nothing stored: the values given at
    /// start over the built-in ones (what typing a default back returns to).
    pub fn defaults(&self) -> Settings {
        Settings::resolve(&self.startup, std::iter::empty())
    }

    /// The rate limiters in force.
    pub fn limits(&self) -> Arc<RateLimits> {
        match self.limits.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Points per reputation event.
    pub fn rules(&self) -> ReputationRules {
        self.settings().reputation
    }

    /// The privilege thresholds in force (lowered during launch mode).
    pub fn privileges(&self) -> Privileges {
        self.settings()
            .privileges(self.members.load(Ordering::Acquire))
    }

    /// Whether launch mode is in force.
    pub fn in_launch(&self) -> bool {
        self.settings()
            .settings
            .in_launch(self.members.load(Ordering::Acquire))
    }

    /// How many members the site had when last counted.
    pub fn members(&self) -> i64 {
        self.members.load(Ordering::Acquire)
    }

    /// Thresholds of community moderation.
    pub fn moderation(&self) -> ModerationRules {
        self.settings().moderation
    }

    /// The reasons a question can be off-topic on this site.
    pub fn off_topic_reasons(&self) -> Vec<String> {
        self.settings().off_topic_reasons.clone()
    }

    /// Reads the stored settings and the member count again and puts them in
    /// force; the rate limiters are made anew if their limits changed (their
    /// counts start over).
    pub async fn reload_settings(&self) -> Result<(), StoreError> {
        let fresh = crate::site_settings::load(&*self.store, &self.startup).await?;
        self.recount_members().await?;
        self.put_in_force(fresh);
        Ok(())
    }

    /// Counts the members again.
    pub async fn recount_members(&self) -> Result<(), StoreError> {
        let members = self.store.member_count().await?;
        self.members.store(members, Ordering::Release);
        Ok(())
    }

    /// Puts `fresh` in force.
    fn put_in_force(&self, fresh: InForce) {
        if fresh.limits != self.settings().limits {
            let limits = Arc::new(RateLimits::new(fresh.limits));
            match self.limits.write() {
                Ok(mut guard) => *guard = limits,
                Err(poisoned) => *poisoned.into_inner() = limits,
            }
        }
        let fresh = Arc::new(fresh);
        match self.in_force.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
    }

    /// Notes that an account was made here, for launch mode's end (other nodes
    /// count again when the change feed reports it).
    pub fn note_member_joined(&self) {
        self.members.fetch_add(1, Ordering::AcqRel);
    }

    /// Whether the site has an administrator: asked of the store until it has one,
    /// remembered from then on.
    pub async fn has_administrator(&self) -> Result<bool, ponder_store::StoreError> {
        if self.administered.load(Ordering::Acquire) {
            return Ok(true);
        }
        let has = self.store.has_administrator().await?;
        if has {
            self.note_administrator();
        }
        Ok(has)
    }

    /// Remembers that the site has an administrator.
    pub fn note_administrator(&self) {
        self.administered.store(true, Ordering::Release);
    }

    /// The fields, to change while the state is being built (copied if shared).
    fn shared_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }

    /// The same state with these settings given at start (under the stored ones).
    pub fn with_startup(mut self, startup: Startup) -> Self {
        let in_force = InForce::resolve(&startup, &[]);
        let shared = self.shared_mut();
        shared.limits = Arc::new(RwLock::new(Arc::new(RateLimits::new(in_force.limits))));
        shared.in_force = Arc::new(RwLock::new(Arc::new(in_force)));
        shared.startup = Arc::new(startup);
        self
    }

    /// The same state with `values` (key and value) given at start; a value its
    /// setting refuses is left out, with a warning.
    fn with_startup_values(self, values: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut startup = (*self.startup).clone();
        for (key, value) in values {
            if let Err(err) = startup.set(&key, &value) {
                tracing::warn!(%err, "a start-up setting was left out");
            }
        }
        self.with_startup(startup)
    }

    /// The same state with these moderation thresholds and off-topic reasons given
    /// at start (no reasons keeps the built-in ones).
    pub fn with_moderation(self, rules: ModerationRules, off_topic_reasons: Vec<String>) -> Self {
        let mut values = vec![
            (
                "moderation.close_votes".to_owned(),
                rules.close_votes.to_string(),
            ),
            (
                "moderation.spam_flags".to_owned(),
                rules.spam_flags.to_string(),
            ),
            (
                "moderation.spam_penalty".to_owned(),
                rules.spam_penalty.to_string(),
            ),
        ];
        if !off_topic_reasons.is_empty() {
            values.push((
                "moderation.off_topic_reasons".to_owned(),
                off_topic_reasons.join("\n"),
            ));
        }
        self.with_startup_values(values)
    }

    /// The same state with these reputation rules and privilege thresholds given at
    /// start.
    pub fn with_reputation(self, rules: ReputationRules, privileges: Privileges) -> Self {
        let r = |name: &str, v: i64| (format!("reputation.{name}"), v.to_string());
        let p = |name: &str, v: i64| (format!("privileges.{name}"), v.to_string());
        self.with_startup_values([
            r("question_upvoted", rules.question_upvoted),
            r("answer_upvoted", rules.answer_upvoted),
            r("downvoted", rules.downvoted),
            r("downvoting_answer", rules.downvoting_answer),
            r("answer_accepted", rules.answer_accepted),
            r("accepting", rules.accepting),
            r("edit_approved", rules.edit_approved),
            r("daily_vote_cap", rules.daily_vote_cap),
            p("vote_up", privileges.vote_up),
            p("comment_everywhere", privileges.comment_everywhere),
            p("vote_down", privileges.vote_down),
            p("edit_others", privileges.edit_others),
            p("flag", privileges.flag),
            p("vote_to_close", privileges.vote_to_close),
            p("answer_protected", privileges.answer_protected),
        ])
    }

    /// The same state with these rate limits given at start (a zero counts as one).
    pub fn with_limits(self, config: RateLimitConfig) -> Self {
        let l = |name: &str, v: u32| (format!("limits.{name}"), v.max(1).to_string());
        self.with_startup_values([
            l("login_per_ip_per_minute", config.login_per_ip_per_minute),
            l(
                "login_per_account_per_minute",
                config.login_per_account_per_minute,
            ),
            l("signups_per_ip_per_hour", config.signups_per_ip_per_hour),
            l(
                "questions_per_user_per_hour",
                config.questions_per_user_per_hour,
            ),
            l(
                "answers_per_user_per_hour",
                config.answers_per_user_per_hour,
            ),
            l(
                "comments_per_user_per_minute",
                config.comments_per_user_per_minute,
            ),
            l(
                "previews_per_user_per_minute",
                config.previews_per_user_per_minute,
            ),
            l(
                "avatars_per_user_per_hour",
                config.avatars_per_user_per_hour,
            ),
            l(
                "uploads_per_user_per_hour",
                config.uploads_per_user_per_hour,
            ),
            l(
                "password_checks_per_user_per_minute",
                config.password_checks_per_user_per_minute,
            ),
            l(
                "searches_per_ip_per_minute",
                config.searches_per_ip_per_minute,
            ),
            l(
                "api_requests_per_token_per_minute",
                config.api_requests_per_token_per_minute,
            ),
        ])
    }

    /// The same state keeping visitors' pages in `pages`.
    pub fn with_page_cache(mut self, pages: Arc<page_cache::PageCache>) -> Self {
        self.shared_mut().pages = pages;
        self
    }

    /// The same state keeping uploaded images in `storage`.
    pub fn with_uploads(mut self, storage: crate::uploads::UploadStorage) -> Self {
        self.shared_mut().uploads = Arc::new(storage);
        self
    }

    /// The same state believing the forwarding headers of `proxies`.
    pub fn with_trusted_proxies(mut self, proxies: crate::proxies::TrustedProxies) -> Self {
        self.shared_mut().proxies = Arc::new(proxies);
        self
    }

    /// The same state sending mail with `mailer`.
    pub fn with_mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.shared_mut().mailer = mailer;
        self
    }
}
