//! [`AppState`]: what every handler shares (the store, the search index, the site's
//! settings, rules and limits, the page cache), and [`SiteConfig`].

use crate::auth::limits::{RateLimitConfig, RateLimits};
use crate::auth::mail::{LogMailer, Mailer};
use crate::page_cache;
use ponder_core::reputation::{ModerationRules, Privileges, ReputationRules};
use ponder_search::SearchIndex;
use ponder_store::Store;
use std::sync::Arc;

/// The off-topic reasons a site starts with.
pub fn default_off_topic_reasons() -> Vec<String> {
    [
        "it is not about the subjects this site covers",
        "it asks for recommendations of books, tools or other resources",
        "it is about a problem that can no longer be reproduced or is too local to help others",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Settings that shape what the pages say about the site.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The site's name, shown in the header and in titles.
    pub name: String,
    /// The public base URL without a trailing slash, e.g. `https://ask.example.org`;
    /// canonical links are built on it.
    pub base_url: String,
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
    /// Site settings.
    pub site: Arc<SiteConfig>,
    /// Log-in and sign-up limits.
    pub limits: Arc<RateLimits>,
    /// Outgoing mail.
    pub mailer: Arc<dyn Mailer>,
    /// Points per reputation event.
    pub rules: ReputationRules,
    /// Reputation each privilege needs.
    pub privileges: Privileges,
    /// Thresholds of community moderation.
    pub moderation: ModerationRules,
    /// The reasons a question can be off-topic on this site.
    pub off_topic_reasons: Arc<Vec<String>>,
    /// Pages rendered for visitors; [`page_cache::PageCache::invalidate`] when
    /// something changes that this node did not write itself.
    pub pages: Arc<page_cache::PageCache>,
    /// Answers of `/api/v1/questions/similar` by normalised title, for a minute.
    pub similar: Arc<moka::sync::Cache<String, Arc<serde_json::Value>>>,
    /// Set once the site is known to have an administrator (it never loses the
    /// last one through the web), so that the home page stops asking.
    pub administered: Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// State over `store` and `search` with `site` settings, default rate limits,
    /// and mail written to the log.
    pub fn new(store: Arc<dyn Store>, search: Arc<SearchIndex>, site: SiteConfig) -> Self {
        Self(Arc::new(Shared {
            store,
            search,
            site: Arc::new(site),
            limits: Arc::new(RateLimits::new(RateLimitConfig::default())),
            mailer: Arc::new(LogMailer),
            rules: ReputationRules::default(),
            privileges: Privileges::default(),
            moderation: ModerationRules::default(),
            off_topic_reasons: Arc::new(default_off_topic_reasons()),
            pages: Arc::new(page_cache::PageCache::default()),
            similar: Arc::new(
                moka::sync::Cache::builder()
                    .max_capacity(10_000)
                    .time_to_live(std::time::Duration::from_secs(60))
                    .build(),
            ),
            administered: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        }))
    }

    /// Whether the site has an administrator: asked of the store until it has one,
    /// remembered from then on.
    pub async fn has_administrator(&self) -> Result<bool, ponder_store::StoreError> {
        use std::sync::atomic::Ordering;
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
        self.administered
            .store(true, std::sync::atomic::Ordering::Release);
    }

    /// The fields, to change while the state is being built (copied if shared).
    fn shared_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.0)
    }

    /// The same state with these moderation thresholds and off-topic reasons.
    pub fn with_moderation(
        mut self,
        rules: ModerationRules,
        off_topic_reasons: Vec<String>,
    ) -> Self {
        let shared = self.shared_mut();
        shared.moderation = rules;
        if !off_topic_reasons.is_empty() {
            shared.off_topic_reasons = Arc::new(off_topic_reasons);
        }
        self
    }

    /// The same state with these reputation rules and privilege thresholds.
    pub fn with_reputation(mut self, rules: ReputationRules, privileges: Privileges) -> Self {
        let shared = self.shared_mut();
        shared.rules = rules;
        shared.privileges = privileges;
        self
    }

    /// The same state with these rate limits.
    pub fn with_limits(mut self, config: RateLimitConfig) -> Self {
        self.shared_mut().limits = Arc::new(RateLimits::new(config));
        self
    }

    /// The same state keeping visitors' pages in `pages`.
    pub fn with_page_cache(mut self, pages: Arc<page_cache::PageCache>) -> Self {
        self.shared_mut().pages = pages;
        self
    }

    /// The same state sending mail with `mailer`.
    pub fn with_mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.shared_mut().mailer = mailer;
        self
    }
}
