//! The conformance suite: what every backend must do, run against each of them.
//!
//! A backend's test file calls [`conformance_tests!`](crate::conformance_tests) with
//! an async function that makes a fresh, empty store (or `None` to skip, with the
//! reason printed); the macro writes one `#[tokio::test]` per check, each in the
//! module of its area (accounts, posts, votes, editing, moderation, feed, bulk, settings),
//! with the fixtures they share here.

#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step should fail the test"
)]

use crate::*;
use ponder_core::markdown::RenderOptions;
use ponder_core::paging::QuestionSort;
use ponder_core::refusal::Refusal;
use ponder_core::reputation::ReputationRules;
use ponder_core::{CategoryId, CommentId, PostId, UserId};
use std::any::Any;
use std::sync::Arc;

mod accounts;
mod bulk;
mod categories;
mod editing;
mod exchange;
mod feed;
mod invitations;
mod links;
mod moderation;
mod notices;
mod people;
mod posts;
mod settings;
mod tags;
mod tokens;
mod votes;
mod webhooks;

pub use accounts::*;
pub use bulk::*;
pub use categories::*;
pub use editing::*;
pub use exchange::*;
pub use feed::*;
pub use invitations::*;
pub use links::*;
pub use moderation::*;
pub use notices::*;
pub use people::*;
pub use posts::*;
pub use settings::*;
pub use tags::*;
pub use tokens::*;
pub use votes::*;
pub use webhooks::*;

/// A fresh store for one test, and whatever must live as long as it (a temporary
/// folder, a database to drop).
pub struct TestStore {
    /// The store under test.
    pub store: Arc<dyn Store>,
    /// Dropped after the test.
    pub guard: Box<dyn Any + Send>,
}

/// Writes one `#[tokio::test]` per conformance check, each on a fresh store from
/// `$factory` (an `async fn() -> Option<TestStore>`; `None` skips).
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::conformance_tests!(@each $factory;
            users_are_created_and_read,
            handles_and_emails_are_unique_without_regard_to_case,
            categories_form_a_tree_with_unique_sibling_slugs,
            a_question_thread_holds_everything_its_page_shows,
            answers_list_accepted_first_then_by_score,
            bad_references_are_refused,
            comments_count_and_group_by_post,
            question_lists_sort_filter_and_page,
            list_totals_follow_every_change,
            large_and_small_lists_page_alike,
            votes_move_score_and_reputation,
            accepting_moves_reputation_and_order,
            every_write_appends_to_the_change_log,
            question_page_queries_do_not_grow_with_content,
            user_answers_are_listed,
            question_of_resolves_answers,
            thread_questions_name_the_questions_of_posts_and_comments,
            a_post_reads_alone_as_in_its_thread,
            concurrent_votes_are_all_counted,
            accounts_are_found_by_handle_or_email,
            sessions_expire_and_end,
            attempts_are_counted_per_scope_key_and_window,
            sessions_are_listed_touched_and_ended_one_by_one,
            profiles_roles_and_passwords_change,
            deleting_an_account_keeps_what_they_wrote,
            email_tokens_work_once_and_expire,
            a_chosen_password_ends_every_reset_link,
            imported_accounts_are_claimed_once,
            the_mail_allowance_holds_against_racing_requests,
            a_signup_link_makes_one_account,
            stored_texts_are_read_in_pages_and_rendered_anew_unless_edited,
            texts_are_read_by_id_and_replaced_unless_edited,
            bulk_text_comes_back_character_for_character,
            the_signup_allowance_holds_per_address_against_racing_requests,
            avatars_are_stored_and_replaced,
            edits_make_revisions_and_stale_edits_are_refused,
            concurrent_edits_let_exactly_one_win,
            deleting_and_undeleting_move_the_counters,
            reputation_follows_stack_exchange_rules_and_replays,
            badges_are_earned_once,
            comment_upvotes_toggle,
            suggested_edits_wait_for_review,
            bulk_loads_keep_ids_and_counters,
            bulk_updates_link_and_exports_read_back,
            imported_votes_and_every_badge_award_are_kept,
            imported_revisions_are_filled_in_from_the_one_before,
            flags_hide_spam_at_the_threshold_and_moderators_restore,
            close_votes_close_and_reopen,
            locked_posts_refuse_changes,
            authors_cannot_undo_what_moderators_and_flags_did,
            reputation_history_names_no_deleted_post,
            suspensions_and_the_moderation_log,
            first_posts_wait_for_review,
            writes_raced_by_another_are_refused_by_name,
            feed_positions_move_on_and_one_node_leads,
            the_first_administrator_is_made_once_by_a_setup_link,
            tags_are_listed_by_popularity_name_and_age,
            users_are_found_by_handle_name_email_or_id,
            site_settings_are_stored_logged_and_followed,
            members_are_counted_without_deleted_accounts,
            a_renamed_category_keeps_its_old_address,
            a_moved_category_refuses_cycles_and_logs_its_questions,
            siblings_are_reordered_as_given,
            categories_are_deleted_when_empty_or_merged,
            invitations_make_as_many_accounts_as_they_allow,
            racing_signups_use_an_invitation_once,
            the_last_administrator_keeps_the_role,
            user_activity_counts_posts_flags_and_suspensions,
            an_account_is_deleted_with_what_it_wrote,
            tag_wikis_are_revisioned,
            tags_are_renamed_merged_and_found_by_synonyms,
            the_inbox_hears_of_answers_comments_mentions_and_acceptance,
            following_brings_new_questions_once,
            edits_moderation_and_messages_reach_the_author,
            reputation_history_groups_by_day_and_post,
            direct_mail_waits_in_the_outbox_once,
            digests_come_a_period_apart_and_list_what_is_followed,
            follows_move_with_merges,
            api_tokens_work_until_revoked_or_expired,
            exchange_lists_filter_order_and_count,
            webhook_deliveries_are_queued_claimed_and_logged,
            links_are_kept_with_bodies_and_read_both_ways,
            a_question_page_is_its_thread_and_what_is_beside_it,
            related_lists_are_stored_replaced_and_dropped_on_edit,
            uploads_are_recorded_once_per_member
        );
    };
    (@each $factory:path; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(test_store) = $factory().await else { return };
                $crate::conformance::$name(test_store.store.clone()).await;
                drop(test_store);
            }
        )*
    };
}

/// A fixed clock for tests: 2026-01-01T00:00:00Z plus `offset` seconds.
pub fn at(offset: i64) -> i64 {
    1_767_225_600 + offset
}

/// Creates a user with this handle (display name capitalised, no email).
pub async fn user(store: &dyn Store, handle: &str) -> User {
    let mut display = handle.to_owned();
    if let Some(first) = display.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    store
        .create_user(NewUser {
            handle: handle.to_owned(),
            display_name: display,
            email: Some(format!("{handle}@example.com")),
            password_hash: None,
            role: Role::User,
            about: PostBody::from_markdown(format!("I am **{handle}**.")),
            created_at: at(0),
        })
        .await
        .expect("create user")
}

/// Builds the set-up most checks start from: users, the category `general`, and a
/// question by the first user, as `let ([ann, bob], cat, q) =
/// Fixture::new(&*store).question("Title", &[], 0).build(["ann", "bob"]).await;`.
pub struct Fixture<'a> {
    store: &'a dyn Store,
    title: &'a str,
    tags: Vec<&'a str>,
    offset: i64,
}

impl<'a> Fixture<'a> {
    /// A question titled "A question to check against", asked at `at(0)`.
    pub fn new(store: &'a dyn Store) -> Self {
        Self {
            store,
            title: "A question to check against",
            tags: Vec::new(),
            offset: 0,
        }
    }

    /// The question's title and tags, asked at `at(offset)`.
    pub fn question(mut self, title: &'a str, tags: &[&'a str], offset: i64) -> Self {
        self.title = title;
        self.tags = tags.to_vec();
        self.offset = offset;
        self
    }

    /// Makes a user for each handle, the category and the question (asked by the
    /// first user); answers them in that order.
    pub async fn build<const N: usize>(self, handles: [&str; N]) -> ([User; N], Category, PostId) {
        let mut users = Vec::with_capacity(N);
        for handle in handles {
            users.push(user(self.store, handle).await);
        }
        let category = category(self.store, None, "general").await;
        let asker = users.first().expect("at least one user").id;
        let question = ask(
            self.store,
            asker,
            category.id,
            self.title,
            &self.tags,
            self.offset,
        )
        .await;
        let users: [User; N] = users.try_into().unwrap_or_else(|_| unreachable!());
        (users, category, question)
    }
}

/// Creates a category.
pub async fn category(store: &dyn Store, parent: Option<CategoryId>, slug: &str) -> Category {
    store
        .create_category(NewCategory {
            parent,
            slug: slug.to_owned(),
            name: slug.replace('-', " "),
            description: format!("Questions about {slug}."),
            position: 0,
        })
        .await
        .expect("create category")
}

/// Asks a question at `at(offset)`.
pub async fn ask(
    store: &dyn Store,
    author: UserId,
    category: CategoryId,
    title: &str,
    tags: &[&str],
    offset: i64,
) -> PostId {
    store
        .create_question(NewQuestion {
            author,
            category,
            title: title.to_owned(),
            body: PostBody::from_markdown(format!("Body of *{title}*, long enough to read.")),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            created_at: at(offset),
        })
        .await
        .expect("create question")
}

/// Answers a question at `at(offset)`.
pub async fn answer(store: &dyn Store, question: PostId, author: UserId, offset: i64) -> PostId {
    store
        .create_answer(NewAnswer {
            question,
            author,
            body: PostBody::from_markdown(format!("Answer by user {author} at {offset}.")),
            created_at: at(offset),
        })
        .await
        .expect("create answer")
}

/// Comments on a post at `at(offset)`.
pub async fn comment(store: &dyn Store, post: PostId, author: UserId, offset: i64) {
    store
        .create_comment(NewComment {
            post,
            author,
            body: PostBody::from_markdown(format!("Comment at {offset} by {author}.")),
            created_at: at(offset),
        })
        .await
        .expect("create comment");
}

/// Votes on a post.
pub async fn vote(store: &dyn Store, post: PostId, user: UserId, value: VoteValue) {
    store
        .cast_vote(NewVote {
            post,
            user,
            value,
            created_at: at(100),
            rules: ReputationRules::default(),
        })
        .await
        .expect("vote");
}

pub(crate) async fn reputation(store: &dyn Store, user: UserId) -> i64 {
    store.user(user).await.unwrap().unwrap().reputation
}
