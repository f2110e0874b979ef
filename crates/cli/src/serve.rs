//! `ponder serve`: opens the store, seeds the demo when asked, and serves HTTP until
//! interrupted, finishing requests in flight before it exits.

use crate::{SiteArgs, demo, open_store, parse_addr};
use anyhow::{Context, Result};
use clap::Args;
use ponder_core::settings::{Settings, Startup};
use ponder_web::auth::limits::RateLimitConfig;
use ponder_web::auth::mail::{LogMailer, Mailer, SmtpMailer};
use ponder_web::page_cache::PageCache;
use ponder_web::server::ConnectionLimits;
use ponder_web::uploads::UploadStorage;
use ponder_web::{AppState, SiteConfig};
use std::sync::Arc;
use std::time::Duration;

/// How often the outbox is looked at for mail to send (and digests to queue).
const MAIL_EVERY: Duration = Duration::from_secs(5);

/// How often questions without a related list (or with an old one) are looked for.
const RELATED_EVERY: Duration = Duration::from_secs(60);

/// Options of `ponder serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PONDER_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// Public base URL for canonical links, e.g. https://ask.example.org
    /// (default: http://<addr>).
    #[arg(long, env = "PONDER_BASE_URL")]
    base_url: Option<String>,
    /// The site's name, shown in the header and titles.
    #[arg(long, env = "PONDER_SITE_NAME", default_value = "Ponder")]
    site_name: String,
    /// Fill an empty site with demo content (does nothing on a site with content).
    #[arg(long)]
    demo: bool,
    /// Memory for pages kept for visitors who are not logged in, in MiB (0: none kept).
    #[arg(long, env = "PONDER_PAGE_CACHE_MB", default_value_t = 32)]
    page_cache_mb: u64,
    /// Log-in attempts allowed per minute from one IP address.
    #[arg(long, env = "PONDER_LOGIN_PER_IP_PER_MINUTE", default_value_t = RateLimitConfig::default().login_per_ip_per_minute)]
    login_per_ip_per_minute: u32,
    /// Log-in attempts allowed per minute naming one account.
    #[arg(long, env = "PONDER_LOGIN_PER_ACCOUNT_PER_MINUTE", default_value_t = RateLimitConfig::default().login_per_account_per_minute)]
    login_per_account_per_minute: u32,
    /// Questions allowed per hour from one user.
    #[arg(long, env = "PONDER_QUESTIONS_PER_USER_PER_HOUR", default_value_t = RateLimitConfig::default().questions_per_user_per_hour)]
    questions_per_user_per_hour: u32,
    /// Answers allowed per hour from one user.
    #[arg(long, env = "PONDER_ANSWERS_PER_USER_PER_HOUR", default_value_t = RateLimitConfig::default().answers_per_user_per_hour)]
    answers_per_user_per_hour: u32,
    /// Comments allowed per minute from one user.
    #[arg(long, env = "PONDER_COMMENTS_PER_USER_PER_MINUTE", default_value_t = RateLimitConfig::default().comments_per_user_per_minute)]
    comments_per_user_per_minute: u32,
    /// Previews (live or by the Preview button) allowed per minute from one user.
    #[arg(long, env = "PONDER_PREVIEWS_PER_USER_PER_MINUTE", default_value_t = RateLimitConfig::default().previews_per_user_per_minute)]
    previews_per_user_per_minute: u32,
    /// Avatar uploads allowed per hour from one user.
    #[arg(long, env = "PONDER_AVATARS_PER_USER_PER_HOUR", default_value_t = RateLimitConfig::default().avatars_per_user_per_hour)]
    avatars_per_user_per_hour: u32,
    /// Password checks in settings (password change, account deletion) allowed per
    /// minute from one user.
    #[arg(long, env = "PONDER_PASSWORD_CHECKS_PER_USER_PER_MINUTE", default_value_t = RateLimitConfig::default().password_checks_per_user_per_minute)]
    password_checks_per_user_per_minute: u32,
    /// Searches allowed per minute from one client (pages answered from the page
    /// cache are not counted).
    #[arg(long, env = "PONDER_SEARCHES_PER_IP_PER_MINUTE", default_value_t = RateLimitConfig::default().searches_per_ip_per_minute)]
    searches_per_ip_per_minute: u32,
    /// Where uploaded images are kept: `s3://bucket/prefix` for an S3-compatible
    /// bucket (credentials, region and endpoint from the AWS_* environment
    /// variables), or a folder; by default <data>/uploads.
    #[arg(long, env = "PONDER_UPLOADS_URL", default_value = "")]
    pub uploads_url: String,
    /// Set TeX between dollars (and \\( \\), \\[ \\]) in posts as math: the setting
    /// writing.math, for sites whose posts are formulas (off: `$` is common in prose).
    #[arg(long, env = "PONDER_MATH")]
    pub math: bool,
    /// Let webhooks reach loopback and private addresses (receivers on this
    /// machine or its network); off, such addresses are refused.
    #[arg(long, env = "PONDER_WEBHOOKS_REACH_PRIVATE")]
    webhooks_reach_private: bool,
    /// Copy images shown in posts from loopback and private addresses too (images
    /// on this machine or its network); off, such addresses are not fetched and
    /// the image shows as a link.
    #[arg(long, env = "PONDER_IMAGES_REACH_PRIVATE")]
    images_reach_private: bool,
    /// Requests allowed per minute with one API token (more are answered 429).
    #[arg(long, env = "PONDER_API_REQUESTS_PER_TOKEN_PER_MINUTE", default_value_t = RateLimitConfig::default().api_requests_per_token_per_minute)]
    api_requests_per_token_per_minute: u32,
    /// Reputation points, as key=value overrides of Stack Exchange's defaults, e.g.
    /// "daily_vote_cap=300,answer_accepted=20". Keys: question_upvoted, answer_upvoted,
    /// downvoted, downvoting_answer, answer_accepted, accepting, edit_approved, daily_vote_cap.
    #[arg(long, env = "PONDER_REPUTATION_RULES", default_value = "")]
    reputation_rules: String,
    /// Reputation each privilege needs, as key=value overrides, e.g. "vote_down=50".
    /// Keys: vote_up, comment_everywhere, vote_down, edit_others (also opens the review
    /// queue), flag, vote_to_close, answer_protected.
    #[arg(long, env = "PONDER_PRIVILEGES", default_value = "")]
    privileges: String,
    /// Community moderation, as key=value overrides, e.g. "close_votes=5". Keys:
    /// close_votes (votes that close or reopen), spam_flags (spam or rude flags that
    /// hide a post), spam_penalty (reputation its author loses).
    #[arg(long, env = "PONDER_MODERATION", default_value = "")]
    moderation: String,
    /// The site's off-topic close reasons, separated by "|"; empty keeps the defaults.
    #[arg(long, env = "PONDER_OFF_TOPIC_REASONS", default_value = "")]
    off_topic_reasons: String,
    /// SMTP server for verification and reset mail: smtp://host:25,
    /// smtp://user:pass@host:587?tls=required (STARTTLS) or smtps://user:pass@host.
    /// Without it, links are written to the log.
    #[arg(long, env = "PONDER_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of mail, e.g. "Ponder <noreply@example.org>".
    #[arg(
        long,
        env = "PONDER_SMTP_FROM",
        default_value = "Ponder <noreply@localhost>"
    )]
    smtp_from: String,
    /// Most connections open at once; more are answered 503 and closed at once.
    #[arg(long, env = "PONDER_MAX_CONNECTIONS", default_value_t = ConnectionLimits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client may take to send a request's headers, and a kept-alive
    /// connection may wait quietly for its next request.
    #[arg(long, env = "PONDER_HEADER_TIMEOUT_SECS", default_value_t = ConnectionLimits::default().header_timeout.as_secs())]
    header_timeout_secs: u64,
    /// Seconds a connection may go without a byte read or written.
    #[arg(long, env = "PONDER_IDLE_TIMEOUT_SECS", default_value_t = ConnectionLimits::default().idle_timeout.as_secs())]
    idle_timeout_secs: u64,
    /// Reverse proxies (CIDR ranges or addresses, comma-separated, e.g.
    /// "127.0.0.1,10.0.0.0/8") whose Forwarded or X-Forwarded-For header names
    /// the client; from any other peer those headers are ignored.
    #[arg(long, env = "PONDER_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    /// Address to serve Prometheus metrics on (GET /metrics), e.g. 127.0.0.1:9090;
    /// off by default, and never the site's own address.
    #[arg(long, env = "PONDER_METRICS_ADDR")]
    metrics_addr: Option<String>,
    /// Seconds between SIGTERM and closing the listener, during which /readyz
    /// answers 503 (so that a load balancer stops sending requests here) while
    /// requests are still served; then those in flight finish. 0 for one node.
    #[arg(long, env = "PONDER_SHUTDOWN_DELAY_SECS", default_value_t = 0)]
    shutdown_delay_secs: u64,
    /// Sign-ups allowed per hour from one IP address.
    #[arg(long, env = "PONDER_SIGNUPS_PER_IP_PER_HOUR", default_value_t = RateLimitConfig::default().signups_per_ip_per_hour)]
    signups_per_ip_per_hour: u32,
}

/// The off-topic reasons of `--off-topic-reasons`: "|"-separated, trimmed, each one
/// short enough to read in a banner.
fn off_topic_reasons(spec: &str) -> Result<Vec<String>> {
    let reasons: Vec<String> = spec
        .split('|')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(long) = reasons.iter().find(|r| r.chars().count() > 200) {
        anyhow::bail!("--off-topic-reasons: keep each reason under 200 characters: {long:?}");
    }
    Ok(reasons)
}

/// The settings given by flags and environment variables, checked; only those
/// that differ from the built-in values count as given, so that the settings page
/// names where each value in force comes from.
fn startup_settings(args: &ServeArgs) -> Result<Startup> {
    let mut startup = Startup::new();
    let builtin = Settings::default();
    let mut given = |key: &str, flag: &str, value: String| -> Result<()> {
        if builtin.get(key) != value {
            startup
                .set(key, &value)
                .with_context(|| format!("{flag} (the setting {key})"))?;
        }
        Ok(())
    };
    given("site.name", "--site-name", args.site_name.clone())?;
    given(
        "writing.math",
        "--math",
        if args.math { "on" } else { "off" }.to_owned(),
    )?;
    let limits = [
        ("login_per_ip_per_minute", args.login_per_ip_per_minute),
        (
            "login_per_account_per_minute",
            args.login_per_account_per_minute,
        ),
        ("signups_per_ip_per_hour", args.signups_per_ip_per_hour),
        (
            "questions_per_user_per_hour",
            args.questions_per_user_per_hour,
        ),
        ("answers_per_user_per_hour", args.answers_per_user_per_hour),
        (
            "comments_per_user_per_minute",
            args.comments_per_user_per_minute,
        ),
        (
            "previews_per_user_per_minute",
            args.previews_per_user_per_minute,
        ),
        ("avatars_per_user_per_hour", args.avatars_per_user_per_hour),
        (
            "password_checks_per_user_per_minute",
            args.password_checks_per_user_per_minute,
        ),
        (
            "searches_per_ip_per_minute",
            args.searches_per_ip_per_minute,
        ),
        (
            "api_requests_per_token_per_minute",
            args.api_requests_per_token_per_minute,
        ),
    ];
    for (name, value) in limits {
        let flag = format!("--{}", name.replace('_', "-"));
        given(&format!("limits.{name}"), &flag, value.to_string())?;
    }
    let reasons = off_topic_reasons(&args.off_topic_reasons)?;
    if !reasons.is_empty() {
        given(
            "moderation.off_topic_reasons",
            "--off-topic-reasons",
            reasons.join("\n"),
        )?;
    }
    for (flag, prefix, spec) in [
        ("--reputation-rules", "reputation.", &args.reputation_rules),
        ("--privileges", "privileges.", &args.privileges),
        ("--moderation", "moderation.", &args.moderation),
    ] {
        startup
            .set_overrides(prefix, spec)
            .with_context(|| flag.to_owned())?;
    }
    Ok(startup)
}

/// Runs the server.
pub async fn run(site: &SiteArgs, args: ServeArgs) -> Result<()> {
    let addr = parse_addr(&args.addr)?;
    let store = open_store(site).await?;
    if args.demo {
        match demo::seed_if_empty(&*store).await? {
            Some(summary) => tracing::info!("demo content added: {summary}"),
            None => tracing::info!("the site already has content; no demo content added"),
        }
    }
    let startup = startup_settings(&args)?;
    let proxies = ponder_web::proxies::TrustedProxies::parse(&args.trusted_proxies)
        .map_err(anyhow::Error::msg)
        .context("--trusted-proxies")?;
    let base_url = args
        .base_url
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_owned();
    ponder_web::handlers::setup::print_setup_link(&*store, &base_url)
        .await
        .context("cannot make a setup link")?;
    tokio::spawn(expire_sessions(store.clone()));
    let index = crate::search::open_index(site)?;
    let mailer: std::sync::Arc<dyn Mailer> = match args
        .smtp_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        Some(url) => {
            let mailer = SmtpMailer::new(url, &args.smtp_from)
                .map_err(anyhow::Error::msg)
                .context("--smtp-url or --smtp-from is not usable")?;
            tracing::info!("mail goes out over SMTP");
            std::sync::Arc::new(mailer)
        }
        None => {
            tracing::info!(
                "SMTP is not configured: sign-up, verification and reset links will be written to this log"
            );
            std::sync::Arc::new(LogMailer)
        }
    };
    let state = AppState::new(
        store,
        index,
        SiteConfig {
            name: args.site_name.clone(),
            base_url,
            webhooks_reach_private: args.webhooks_reach_private,
            images_reach_private: args.images_reach_private,
        },
    )
    .with_startup(startup)
    .with_uploads(
        UploadStorage::from_url(&args.uploads_url, site.data.join("uploads"))
            .map_err(anyhow::Error::msg)
            .context("--uploads-url is not usable")?,
    )
    .with_mailer(mailer)
    .with_trusted_proxies(proxies)
    .with_page_cache(Arc::new(PageCache::new(args.page_cache_mb * 1024 * 1024)));
    state
        .reload_settings()
        .await
        .context("cannot read the site settings")?;
    crate::search::start_following(state.clone());
    // Related questions, computed for the questions that have none or an old list.
    let filler = ponder_web::related::RelatedFiller::new(state.store.clone(), state.search.clone());
    tokio::spawn(filler.run(RELATED_EVERY));
    if state.mailer.delivers() {
        // The inbox's mail, from the outbox, on the node that holds its lease.
        let sender = ponder_web::outbox::OutboxSender::new(state.clone());
        tokio::spawn(sender.run(MAIL_EVERY));
    }
    // Webhook deliveries, from their queue, on the node that holds their lease.
    let webhooks =
        ponder_web::webhooks::WebhookSender::new(state.store.clone(), args.webhooks_reach_private);
    tokio::spawn(webhooks.run(MAIL_EVERY));
    let app = ponder_web::app(state.clone());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}; is another server using it?"))?;
    let bound = listener.local_addr().unwrap_or(addr);
    if let Some(raw) = args
        .metrics_addr
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        serve_metrics(parse_addr(raw.trim())?, bound, state.clone()).await?;
    }
    tracing::info!("serving on http://{bound}");
    let limits = ConnectionLimits {
        max_connections: args.max_connections.max(1),
        header_timeout: Duration::from_secs(args.header_timeout_secs.max(1)),
        idle_timeout: Duration::from_secs(args.idle_timeout_secs.max(1)),
    };
    let delay = Duration::from_secs(args.shutdown_delay_secs);
    let served = ponder_web::server::serve(
        listener,
        app,
        limits,
        shutdown_signal(state.draining.clone(), delay),
    )
    .await
    .context("the server stopped with an error");
    finish(&state).await;
    served
}

/// Serves the metrics on `metrics_addr` (refused if it is the site's `site_addr`)
/// in the background, for as long as the process runs.
async fn serve_metrics(
    metrics_addr: std::net::SocketAddr,
    site_addr: std::net::SocketAddr,
    state: AppState,
) -> Result<()> {
    if metrics_addr == site_addr
        || (metrics_addr.port() == site_addr.port() && metrics_addr.ip().is_unspecified())
    {
        anyhow::bail!(
            "--metrics-addr {metrics_addr} is the site's own address; give the metrics one of their own"
        );
    }
    let listener = tokio::net::TcpListener::bind(metrics_addr)
        .await
        .with_context(|| format!("cannot listen on {metrics_addr} for the metrics"))?;
    let bound = listener.local_addr().unwrap_or(metrics_addr);
    tracing::info!("metrics on http://{bound}/metrics");
    let limits = ConnectionLimits {
        max_connections: 64,
        ..ConnectionLimits::default()
    };
    let router = ponder_web::metrics::router(state);
    tokio::spawn(async move {
        let served =
            ponder_web::server::serve(listener, router, limits, std::future::pending()).await;
        if let Err(err) = served {
            tracing::warn!(%err, "the metrics server stopped");
        }
    });
    Ok(())
}

/// After the last request: stores the related lists computed and not yet
/// stored, and brings the search index up to the last write (bounded), so that
/// the next start has nothing to catch up.
async fn finish(state: &ponder_web::AppState) {
    state.related.flush(&*state.store).await;
    match tokio::time::timeout(
        Duration::from_secs(10),
        state.search.catch_up(&*state.store),
    )
    .await
    {
        Ok(Ok(changes)) => {
            tracing::info!("search index flushed ({changes} changes taken in); stopped")
        }
        Ok(Err(err)) => {
            tracing::warn!(%err, "the search index could not take in the last changes; the next start will")
        }
        Err(_) => tracing::warn!(
            "the search index took too long to take in the last changes; the next start will"
        ),
    }
}

/// Removes expired sessions and old counted attempts at start and then hourly.
async fn expire_sessions(store: std::sync::Arc<dyn ponder_store::Store>) {
    let mut tick = tokio::time::interval(Duration::from_secs(3_600));
    loop {
        tick.tick().await;
        match store
            .delete_expired_sessions(ponder_core::time::now())
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!("removed {n} expired sessions"),
            Err(err) => tracing::warn!(%err, "cannot remove expired sessions"),
        }
        // Attempts counted for the site-wide limits: their windows are an hour at most.
        let before = ponder_core::time::now() - 2 * 3_600;
        if let Err(err) = store.forget_attempts(before).await {
            tracing::warn!(%err, "cannot forget old counted attempts");
        }
    }
}

/// Completes when the server should stop accepting: at Ctrl-C, or `delay` after
/// SIGTERM, with `draining` set meanwhile so that `/readyz` turns a load
/// balancer away while requests are still served.
async fn shutdown_signal(draining: Arc<std::sync::atomic::AtomicBool>, delay: Duration) {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let terminated = tokio::select! {
        () = interrupt => false,
        () = terminate => true,
    };
    draining.store(true, std::sync::atomic::Ordering::Release);
    if terminated && !delay.is_zero() {
        tracing::info!("shutting down in {delay:?}: /readyz answers 503 meanwhile");
        tokio::time::sleep(delay).await;
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

#[cfg(test)]
mod tests {
    use super::{ServeArgs, off_topic_reasons, startup_settings};
    use clap::Parser;
    use ponder_core::settings::{Settings, Source};

    /// `ponder serve` with these flags.
    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    fn startup(flags: &[&str]) -> anyhow::Result<Settings> {
        let parsed = Serve::try_parse_from(std::iter::once("serve").chain(flags.iter().copied()))?;
        let startup = startup_settings(&parsed.args)?;
        Ok(Settings::resolve(&startup, std::iter::empty()))
    }

    #[test]
    fn flags_are_the_settings_defaults_and_bad_ones_stop_the_start() {
        let plain = startup(&[]).unwrap();
        assert_eq!(plain.source("site.name"), Source::BuiltIn);
        assert_eq!(
            plain.source("limits.login_per_ip_per_minute"),
            Source::BuiltIn
        );
        let given = startup(&[
            "--site-name",
            "Ask Rust",
            "--privileges",
            "vote_up=5, flag=7",
            "--searches-per-ip-per-minute",
            "1000000000",
            "--off-topic-reasons",
            "about pets|about cars",
        ])
        .unwrap();
        assert_eq!(given.site_name(), "Ask Rust");
        assert_eq!(given.source("site.name"), Source::Startup);
        assert_eq!(
            (given.privileges().vote_up, given.privileges().flag),
            (5, 7)
        );
        assert_eq!(given.get("limits.searches_per_ip_per_minute"), "1000000000");
        assert_eq!(given.off_topic_reasons(), ["about pets", "about cars"]);
        let zero = startup(&["--answers-per-user-per-hour", "0"]).unwrap_err();
        assert!(
            format!("{zero:#}").contains("--answers-per-user-per-hour"),
            "{zero:#}"
        );
        assert!(startup(&["--privileges", "vote_up=-1"]).is_err());
        assert!(startup(&["--moderation", "teleport=1"]).is_err());
        assert!(startup(&["--site-name", " "]).is_err());
    }

    #[test]
    fn off_topic_reasons_are_split_trimmed_and_bounded() {
        assert_eq!(
            off_topic_reasons(" about pets | asks for shopping advice ||").ok(),
            Some(vec![
                "about pets".to_owned(),
                "asks for shopping advice".to_owned()
            ])
        );
        assert_eq!(off_topic_reasons("").ok(), Some(Vec::new()));
        assert!(off_topic_reasons(&"x".repeat(201)).is_err());
    }
}
