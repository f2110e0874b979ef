//! The web tests: one binary that drives the Router in-process, a module a resource.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed step should fail the test"
)]

mod accounts;
mod caching;
mod hardening;
mod imported;
mod moderation;
mod pages;
mod posting;
mod search;
mod structured;
mod support;
mod voting;
