//! Rate limits on log-in and sign-up, kept in memory per process (governor's keyed
//! limiters). Each node limits on its own, so a cluster of N nodes allows up to N
//! times the configured rate; that still stops password guessing at scale.

use crate::error::AppError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

/// How many attempts are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Log-in attempts per minute from one IP address.
    pub login_per_ip_per_minute: u32,
    /// Log-in attempts per minute naming one account.
    pub login_per_account_per_minute: u32,
    /// Sign-ups per hour from one IP address.
    pub signups_per_ip_per_hour: u32,
    /// Questions per hour from one user.
    pub questions_per_user_per_hour: u32,
    /// Answers per hour from one user.
    pub answers_per_user_per_hour: u32,
    /// Comments per minute from one user.
    pub comments_per_user_per_minute: u32,
    /// Previews per minute from one user (the live preview asks at most every
    /// 350 ms while the writer types).
    pub previews_per_user_per_minute: u32,
    /// Avatar uploads per hour from one user.
    pub avatars_per_user_per_hour: u32,
    /// Image uploads (for posts) per hour from one user.
    pub uploads_per_user_per_hour: u32,
    /// Password checks in settings (changing the password, deleting the account)
    /// per minute from one user.
    pub password_checks_per_user_per_minute: u32,
    /// Searches (and similar-title look-ups) per minute from one client; pages the
    /// page cache answers are not counted.
    pub searches_per_ip_per_minute: u32,
    /// Requests per minute with one API token.
    pub api_requests_per_token_per_minute: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            login_per_ip_per_minute: 20,
            login_per_account_per_minute: 5,
            signups_per_ip_per_hour: 10,
            questions_per_user_per_hour: 10,
            answers_per_user_per_hour: 30,
            comments_per_user_per_minute: 6,
            previews_per_user_per_minute: 60,
            avatars_per_user_per_hour: 20,
            uploads_per_user_per_hour: 30,
            password_checks_per_user_per_minute: 5,
            searches_per_ip_per_minute: 120,
            api_requests_per_token_per_minute: 600,
        }
    }
}

/// The limiters.
pub struct RateLimits {
    config: RateLimitConfig,
    login_ip: DefaultKeyedRateLimiter<String>,
    login_account: DefaultKeyedRateLimiter<String>,
    login_account_total: DefaultKeyedRateLimiter<String>,
    signup_ip: DefaultKeyedRateLimiter<String>,
    questions: DefaultKeyedRateLimiter<String>,
    answers: DefaultKeyedRateLimiter<String>,
    comments: DefaultKeyedRateLimiter<String>,
    previews: DefaultKeyedRateLimiter<String>,
    avatars: DefaultKeyedRateLimiter<String>,
    uploads: DefaultKeyedRateLimiter<String>,
    password_checks: DefaultKeyedRateLimiter<String>,
    searches: DefaultKeyedRateLimiter<String>,
    api_tokens: DefaultKeyedRateLimiter<String>,
}

/// What a user is posting, for its rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostingKind {
    /// A question.
    Question,
    /// An answer.
    Answer,
    /// A comment.
    Comment,
    /// A preview of a question or an answer (rendered, not saved).
    Preview,
    /// An avatar upload.
    Avatar,
    /// An image uploaded for a post.
    Upload,
    /// A password checked in settings.
    PasswordCheck,
}

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// A keyed limiter allowing `n` a minute (a zero counts as one).
fn per_minute(n: u32) -> DefaultKeyedRateLimiter<String> {
    RateLimiter::keyed(Quota::per_minute(at_least_one(n)))
}

/// A keyed limiter allowing `n` an hour (a zero counts as one).
fn per_hour(n: u32) -> DefaultKeyedRateLimiter<String> {
    RateLimiter::keyed(Quota::per_hour(at_least_one(n)))
}

impl RateLimits {
    /// Limiters with these allowances (a zero counts as one).
    pub fn new(config: RateLimitConfig) -> Self {
        Self {
            config,
            login_ip: per_minute(config.login_per_ip_per_minute),
            login_account: per_minute(config.login_per_account_per_minute),
            login_account_total: per_minute(config.login_per_account_per_minute.saturating_mul(10)),
            signup_ip: per_hour(config.signups_per_ip_per_hour),
            questions: per_hour(config.questions_per_user_per_hour),
            answers: per_hour(config.answers_per_user_per_hour),
            comments: per_minute(config.comments_per_user_per_minute),
            previews: per_minute(config.previews_per_user_per_minute),
            avatars: per_hour(config.avatars_per_user_per_hour),
            uploads: per_hour(config.uploads_per_user_per_hour),
            password_checks: per_minute(config.password_checks_per_user_per_minute),
            searches: per_minute(config.searches_per_ip_per_minute),
            api_tokens: per_minute(config.api_requests_per_token_per_minute),
        }
    }

    /// Counts a log-in attempt from `ip` (before the account is looked up).
    pub fn check_login_ip(&self, ip: &str) -> Result<(), AppError> {
        check("login_per_ip", &self.login_ip, ip)
    }

    /// Counts an attempt on `account` from `ip`. `account` names the account found
    /// (its id, so that its handle and its email share one allowance), or what was
    /// typed when none was. Each client has the configured allowance on an
    /// account, so a stranger's wrong guesses do not lock its owner out; all
    /// clients together have ten times that, which bounds guessing spread over
    /// many addresses.
    pub fn check_login_account(&self, account: &str, ip: &str) -> Result<(), AppError> {
        check(
            "login_per_account",
            &self.login_account,
            &format!("{account} from {ip}"),
        )?;
        check("login_per_account", &self.login_account_total, account)
    }

    /// Counts a request made with API token `token` (its id).
    pub fn check_api_token(&self, token: i64) -> Result<(), AppError> {
        check(
            "api_requests_per_token",
            &self.api_tokens,
            &token.to_string(),
        )
    }

    /// Counts a search from `ip`.
    pub fn check_search(&self, ip: &str) -> Result<(), AppError> {
        check("searches_per_ip", &self.searches, ip)
    }

    /// Counts a post of this kind by `user`.
    pub fn check_posting(
        &self,
        kind: PostingKind,
        user: ponder_core::UserId,
    ) -> Result<(), AppError> {
        let (name, limiter) = match kind {
            PostingKind::Question => ("questions_per_user", &self.questions),
            PostingKind::Answer => ("answers_per_user", &self.answers),
            PostingKind::Comment => ("comments_per_user", &self.comments),
            PostingKind::Preview => ("previews_per_user", &self.previews),
            PostingKind::Avatar => ("avatars_per_user", &self.avatars),
            PostingKind::Upload => ("uploads_per_user", &self.uploads),
            PostingKind::PasswordCheck => ("password_checks_per_user", &self.password_checks),
        };
        check(name, limiter, &user.to_string())
    }

    /// Counts a sign-up from `ip`.
    pub fn check_signup(&self, ip: &str) -> Result<(), AppError> {
        check("signups_per_ip", &self.signup_ip, ip)
    }
}

/// The window of the limits counted per minute, in seconds.
const MINUTE: i64 = 60;

/// The window of the limits counted per hour, in seconds.
const HOUR: i64 = 3_600;

impl RateLimits {
    /// Counts a log-in attempt from `ip` on `account` (as [`RateLimits::check_login_account`]
    /// names it) site-wide, in the database, so that the log-in limits hold
    /// however many nodes the attempts reach. Called after this node's own
    /// limits passed, so a flood costs the database no more than they allow.
    pub async fn check_login_everywhere(
        &self,
        store: &dyn ponder_store::Store,
        account: &str,
        ip: &str,
    ) -> Result<(), AppError> {
        let per_account = self.config.login_per_account_per_minute;
        let counted = [
            (
                "login_per_ip",
                ip.to_owned(),
                self.config.login_per_ip_per_minute,
            ),
            (
                "login_per_account",
                format!("{account} from {ip}"),
                per_account,
            ),
            (
                "login_per_account",
                account.to_owned(),
                per_account.saturating_mul(10),
            ),
        ];
        for (scope, key, allowed) in counted {
            check_everywhere(store, scope, &key, allowed, MINUTE).await?;
        }
        Ok(())
    }

    /// Counts a sign-up from `ip` site-wide, as [`RateLimits::check_login_everywhere`]
    /// does log-ins.
    pub async fn check_signup_everywhere(
        &self,
        store: &dyn ponder_store::Store,
        ip: &str,
    ) -> Result<(), AppError> {
        let allowed = self.config.signups_per_ip_per_hour;
        check_everywhere(store, "signups_per_ip", ip, allowed, HOUR).await
    }
}

/// Counts an attempt under `scope` and `key` in the database's current window of
/// `window` seconds; refused once more than `allowed` (a zero counts as one) were
/// counted in it by all nodes together.
async fn check_everywhere(
    store: &dyn ponder_store::Store,
    scope: &'static str,
    key: &str,
    allowed: u32,
    window: i64,
) -> Result<(), AppError> {
    let now = ponder_core::time::now();
    let start = now - now.rem_euclid(window);
    let counted = store.count_attempt(scope, key, start).await?;
    if counted > i64::from(allowed.max(1)) {
        crate::metrics::metrics().refused(scope);
        let wait = u64::try_from(start + window - now).unwrap_or(1).max(1);
        return Err(AppError::RateLimited {
            retry_after_secs: wait,
        });
    }
    Ok(())
}

/// Counts an attempt under `key` on `limiter` (the limit `name`, for the metrics).
fn check(
    name: &'static str,
    limiter: &DefaultKeyedRateLimiter<String>,
    key: &str,
) -> Result<(), AppError> {
    limiter.check_key(&key.to_owned()).map_err(|not_until| {
        crate::metrics::metrics().refused(name);
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        }
    })?;
    // Forget idle keys now and then so memory stays bounded under a spray of IPs.
    if limiter.len() > 100_000 {
        limiter.retain_recent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_ip_and_per_account() {
        let limits = RateLimits::new(RateLimitConfig {
            login_per_ip_per_minute: 3,
            login_per_account_per_minute: 2,
            signups_per_ip_per_hour: 1,
            comments_per_user_per_minute: 2,
            previews_per_user_per_minute: 1,
            ..RateLimitConfig::default()
        });
        assert!(limits.check_login_account("user:1", "1.1.1.1").is_ok());
        assert!(limits.check_login_account("user:1", "1.1.1.1").is_ok());
        match limits.check_login_account("user:1", "1.1.1.1") {
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert!((1..=60).contains(&retry_after_secs))
            }
            other => panic!("account limit not applied: {other:?}"),
        }
        // Another client still has its own tries on the account...
        for ip in 2..=10 {
            let ip = format!("{ip}.{ip}.{ip}.{ip}");
            assert!(limits.check_login_account("user:1", &ip).is_ok(), "{ip}");
            assert!(limits.check_login_account("user:1", &ip).is_ok(), "{ip}");
        }
        // ...until all clients together have made ten times the allowance.
        assert!(limits.check_login_account("user:1", "10.0.0.1").is_err());
        assert!(limits.check_login_account("user:2", "10.0.0.1").is_ok());
        for _ in 0..3 {
            assert!(limits.check_login_ip("1.1.1.1").is_ok());
        }
        assert!(
            limits.check_login_ip("1.1.1.1").is_err(),
            "the IP's fourth attempt"
        );
        assert!(limits.check_signup("3.3.3.3").is_ok());
        assert!(limits.check_signup("3.3.3.3").is_err());
        assert!(limits.check_signup("4.4.4.4").is_ok());
        let ann = ponder_core::UserId(1);
        assert!(limits.check_posting(PostingKind::Comment, ann).is_ok());
        assert!(limits.check_posting(PostingKind::Comment, ann).is_ok());
        assert!(limits.check_posting(PostingKind::Comment, ann).is_err());
        assert!(
            limits.check_posting(PostingKind::Answer, ann).is_ok(),
            "each kind counts alone"
        );
        assert!(
            limits
                .check_posting(PostingKind::Comment, ponder_core::UserId(2))
                .is_ok()
        );
        assert!(limits.check_posting(PostingKind::Preview, ann).is_ok());
        assert!(limits.check_posting(PostingKind::Preview, ann).is_err());
    }
}
