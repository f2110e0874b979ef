//! The site settings in force on this node ([`InForce`]): read from the store at
//! start and again whenever the change feed says an administrator changed them
//! (here or on another node; [`SettingsSubscriber`]), with the Markdown texts
//! rendered once and the rules in their typed form, so that a request reads them
//! without a query.

use crate::auth::limits::RateLimitConfig;
use ponder_core::changes::ChangeKind;
use ponder_core::markdown::{self, SafeHtml};
use ponder_core::reputation::{ModerationRules, Privileges, ReputationRules};
use ponder_core::settings::{Settings, Startup};
use ponder_feed::{Subscriber, SubscriberError};
use ponder_store::{Change, Store, StoreError, StoredSetting};
use std::sync::atomic::{AtomicI64, Ordering};

/// The settings in force, resolved and rendered.
#[derive(Debug, Clone)]
pub struct InForce {
    /// Every value, with where it comes from.
    pub settings: Settings,
    /// The welcome text, rendered.
    pub welcome: SafeHtml,
    /// The about page, rendered.
    pub about: SafeHtml,
    /// The rules page, rendered.
    pub rules_page: SafeHtml,
    /// Points per reputation event.
    pub reputation: ReputationRules,
    /// Thresholds of community moderation.
    pub moderation: ModerationRules,
    /// The off-topic reasons.
    pub off_topic_reasons: Vec<String>,
    /// Rate limits.
    pub limits: RateLimitConfig,
}

impl Default for InForce {
    /// The built-in settings.
    fn default() -> Self {
        Self::new(Settings::default())
    }
}

impl InForce {
    /// `settings`, rendered and typed.
    pub fn new(settings: Settings) -> Self {
        let rendered = |key: &str| {
            let text = settings.get(key);
            if text.is_empty() {
                SafeHtml::default()
            } else {
                markdown::render(text)
            }
        };
        let limit = |name: &str| {
            u32::try_from(settings.number(&format!("limits.{name}"))).unwrap_or(u32::MAX)
        };
        Self {
            welcome: rendered("site.welcome"),
            about: rendered("site.about"),
            rules_page: rendered("site.rules"),
            reputation: settings.reputation(),
            moderation: settings.moderation(),
            off_topic_reasons: settings.off_topic_reasons(),
            limits: RateLimitConfig {
                login_per_ip_per_minute: limit("login_per_ip_per_minute"),
                login_per_account_per_minute: limit("login_per_account_per_minute"),
                signups_per_ip_per_hour: limit("signups_per_ip_per_hour"),
                questions_per_user_per_hour: limit("questions_per_user_per_hour"),
                answers_per_user_per_hour: limit("answers_per_user_per_hour"),
                comments_per_user_per_minute: limit("comments_per_user_per_minute"),
                previews_per_user_per_minute: limit("previews_per_user_per_minute"),
                avatars_per_user_per_hour: limit("avatars_per_user_per_hour"),
                uploads_per_user_per_hour: limit("uploads_per_user_per_hour"),
                password_checks_per_user_per_minute: limit("password_checks_per_user_per_minute"),
                searches_per_ip_per_minute: limit("searches_per_ip_per_minute"),
                api_requests_per_token_per_minute: limit("api_requests_per_token_per_minute"),
            },
            settings,
        }
    }

    /// The settings given at `startup` over the `stored` ones.
    pub fn resolve(startup: &Startup, stored: &[StoredSetting]) -> Self {
        Self::new(Settings::resolve(
            startup,
            stored.iter().map(|s| (s.key.as_str(), s.value.as_str())),
        ))
    }

    /// The site's name.
    pub fn name(&self) -> &str {
        self.settings.site_name()
    }

    /// The tagline (may be empty).
    pub fn tagline(&self) -> &str {
        self.settings.get("site.tagline")
    }

    /// The contact address (may be empty).
    pub fn contact(&self) -> &str {
        self.settings.get("site.contact")
    }

    /// The privilege thresholds in force on a site with `members` members.
    pub fn privileges(&self, members: i64) -> Privileges {
        self.settings.privileges_in_force(members)
    }
}

/// Follows the change feed for this node's [`AppState`]: when settings changed
/// (on any node) it reads them again and empties the page cache, and when an
/// account was made or deleted it counts the members again, for launch mode.
pub struct SettingsSubscriber {
    state: crate::AppState,
    position: AtomicI64,
}

impl SettingsSubscriber {
    /// A subscriber for `state`, taking in the changes after `position`.
    pub fn new(state: crate::AppState, position: i64) -> Self {
        Self {
            state,
            position: AtomicI64::new(position),
        }
    }
}

#[async_trait::async_trait]
impl Subscriber for SettingsSubscriber {
    fn name(&self) -> &'static str {
        "site settings"
    }

    fn position(&self) -> i64 {
        self.position.load(Ordering::Acquire)
    }

    async fn take(&self, _store: &dyn Store, changes: &[Change]) -> Result<(), SubscriberError> {
        let Some(last) = changes.last().map(|c| c.id) else {
            return Ok(());
        };
        let kinds = || changes.iter().filter_map(Change::kind);
        if kinds().any(|k| k == ChangeKind::SettingsChanged) {
            self.state.reload_settings().await?;
            // Pages rendered with the old settings meanwhile go too.
            self.state.pages.invalidate();
        } else if kinds().any(|k| matches!(k, ChangeKind::UserCreated | ChangeKind::UserDeleted)) {
            self.state.recount_members().await?;
        }
        self.position.store(last, Ordering::Release);
        Ok(())
    }
}

/// The settings in force now: the stored ones over `startup`.
pub async fn load(store: &dyn Store, startup: &Startup) -> Result<InForce, StoreError> {
    let stored = store.site_settings().await?;
    Ok(InForce::resolve(startup, &stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_settings_match_the_limits_and_rules_defaults() {
        let in_force = InForce::default();
        assert_eq!(in_force.limits, RateLimitConfig::default());
        assert_eq!(in_force.reputation, ReputationRules::default());
        assert_eq!(in_force.moderation, ModerationRules::default());
        assert_eq!(
            in_force.off_topic_reasons,
            crate::default_off_topic_reasons()
        );
        assert_eq!(in_force.name(), "Ponder");
        assert!(in_force.welcome.as_str().is_empty());
    }

    #[test]
    fn stored_texts_are_rendered_as_sanitized_markdown() {
        let stored = [StoredSetting {
            key: "site.welcome".into(),
            value: "**Hi** <script>alert(1)</script>".into(),
            updated_at: 0,
            updated_by: None,
        }];
        let in_force = InForce::resolve(&Startup::new(), &stored);
        assert!(in_force.welcome.as_str().contains("<strong>Hi</strong>"));
        assert!(!in_force.welcome.as_str().contains("<script"));
    }
}
