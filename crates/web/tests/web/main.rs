//! The web tests: one binary that drives the Router in-process, a module a resource.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed step should fail the test"
)]

/// Runs each named check once on SQLite and once on PostgreSQL (skipped, with a note,
/// when no server is configured outside CI).
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name("sqlite").await;
            })*
        }
        // Two workers: the test database is dropped while the runtime's thread waits,
        // and the pool needs a free worker to take its connections back.
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name("postgres").await;
            })*
        }
    };
}

mod accounts;
mod admin_categories;
mod admin_category;
mod admin_settings;
mod admin_users;
mod api;
mod api_tokens;
mod caching;
mod claims;
mod crawlers;
mod exchange_api;
mod feeds;
mod hardening;
mod imported;
mod inbox;
mod invitations;
mod mail;
mod moderation;
mod outage;
mod pages;
mod posting;
mod proxies;
mod refusals;
mod search;
mod settings;
mod setup;
mod signup;
mod smtp;
mod structured;
mod support;
mod sweep;
mod tag_admin;
mod uploads;
mod voting;
mod webhooks;
mod writing;
