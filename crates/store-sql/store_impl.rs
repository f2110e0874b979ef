// The Store trait for a backend: every method delegates to the backend's inherent
// methods in the other shared files. Included by each backend crate; see README.md.

use crate::{BACKEND_NAME, Backend, db_error};
use async_trait::async_trait;
use ponder_store::StoreResult;
use std::sync::atomic::Ordering;

#[async_trait]
impl ponder_store::Store for Backend {
    fn backend(&self) -> &'static str {
        BACKEND_NAME
    }

    fn queries_executed(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    async fn ping(&self) -> StoreResult<()> {
        self.count();
        sqlx::query("SELECT 1")
            .execute(&self.readers)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn is_empty(&self) -> StoreResult<bool> {
        self.is_empty_impl().await
    }

    async fn create_user(&self, new: ponder_store::NewUser) -> StoreResult<ponder_store::User> {
        self.create_user_impl(new).await
    }

    async fn user(&self, id: ponder_core::UserId) -> StoreResult<Option<ponder_store::User>> {
        self.user_impl(id).await
    }

    async fn create_category(
        &self,
        new: ponder_store::NewCategory,
    ) -> StoreResult<ponder_store::Category> {
        self.create_category_impl(new).await
    }

    async fn categories(&self) -> StoreResult<Vec<ponder_store::Category>> {
        self.categories_impl().await
    }

    async fn create_question(
        &self,
        new: ponder_store::NewQuestion,
    ) -> StoreResult<ponder_core::PostId> {
        self.create_question_impl(new).await
    }

    async fn create_answer(
        &self,
        new: ponder_store::NewAnswer,
    ) -> StoreResult<ponder_core::PostId> {
        self.create_answer_impl(new).await
    }

    async fn create_comment(
        &self,
        new: ponder_store::NewComment,
    ) -> StoreResult<ponder_core::CommentId> {
        self.create_comment_impl(new).await
    }

    async fn cast_vote(&self, vote: ponder_store::NewVote) -> StoreResult<()> {
        self.cast_vote_impl(vote).await
    }

    async fn accept_answer(
        &self,
        question: ponder_core::PostId,
        answer: Option<ponder_core::PostId>,
        rules: ponder_core::reputation::ReputationRules,
    ) -> StoreResult<()> {
        self.accept_answer_impl(question, answer, rules).await
    }

    async fn list_questions(
        &self,
        query: &ponder_store::QuestionQuery,
    ) -> StoreResult<ponder_store::Page<ponder_store::QuestionSummary>> {
        self.list_questions_impl(query).await
    }

    async fn question_thread(
        &self,
        id: ponder_core::PostId,
    ) -> StoreResult<Option<ponder_store::QuestionThread>> {
        self.question_thread_impl(id).await
    }

    async fn question_of(
        &self,
        post: ponder_core::PostId,
    ) -> StoreResult<Option<ponder_core::PostId>> {
        self.question_of_impl(post).await
    }

    async fn post(&self, id: ponder_core::PostId) -> StoreResult<Option<ponder_store::Post>> {
        self.post_impl(id).await
    }

    async fn tag(&self, name: &str) -> StoreResult<Option<ponder_store::Tag>> {
        self.tag_impl(name).await
    }

    async fn user_answers(
        &self,
        user: ponder_core::UserId,
        page: u32,
    ) -> StoreResult<ponder_store::Page<ponder_store::AnswerSummary>> {
        self.user_answers_impl(user, page).await
    }

    async fn changes_since(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::Change>> {
        self.changes_since_impl(after, limit).await
    }

    async fn category_question_count(&self, category: ponder_core::CategoryId) -> StoreResult<i64> {
        self.category_question_count_impl(category).await
    }

    async fn login_record(&self, login: &str) -> StoreResult<Option<ponder_store::LoginRecord>> {
        self.login_record_impl(login).await
    }

    async fn login_record_by_id(
        &self,
        user: ponder_core::UserId,
    ) -> StoreResult<Option<ponder_store::LoginRecord>> {
        self.login_record_by_id_impl(user).await
    }

    async fn create_session(&self, new: ponder_store::NewSession) -> StoreResult<()> {
        self.create_session_impl(new).await
    }

    async fn session(
        &self,
        id_hash: &str,
        now: i64,
    ) -> StoreResult<Option<ponder_store::SessionInfo>> {
        self.session_impl(id_hash, now).await
    }

    async fn user_sessions(
        &self,
        user: ponder_core::UserId,
        now: i64,
    ) -> StoreResult<Vec<ponder_store::SessionSummary>> {
        self.user_sessions_impl(user, now).await
    }

    async fn touch_session(&self, id_hash: &str, at: i64) -> StoreResult<()> {
        self.touch_session_impl(id_hash, at).await
    }

    async fn end_user_session(
        &self,
        user: ponder_core::UserId,
        id_hash: &str,
    ) -> StoreResult<bool> {
        self.end_user_session_impl(user, id_hash).await
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        self.delete_session_impl(id_hash).await
    }

    async fn delete_user_sessions(
        &self,
        user: ponder_core::UserId,
        keep: Option<&str>,
    ) -> StoreResult<u64> {
        self.delete_user_sessions_impl(user, keep).await
    }

    async fn delete_expired_sessions(&self, now: i64) -> StoreResult<u64> {
        self.delete_expired_sessions_impl(now).await
    }

    async fn update_profile(
        &self,
        user: ponder_core::UserId,
        edit: ponder_store::ProfileEdit,
    ) -> StoreResult<()> {
        self.update_profile_impl(user, edit).await
    }

    async fn set_password_hash(&self, user: ponder_core::UserId, hash: &str) -> StoreResult<()> {
        self.set_password_hash_impl(user, hash).await
    }

    async fn change_password(
        &self,
        user: ponder_core::UserId,
        hash: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.change_password_impl(user, hash, at).await
    }

    async fn set_role(
        &self,
        user: ponder_core::UserId,
        role: ponder_store::Role,
    ) -> StoreResult<()> {
        self.set_role_impl(user, role).await
    }

    async fn delete_user(&self, user: ponder_core::UserId, at: i64) -> StoreResult<()> {
        self.delete_user_impl(user, at).await
    }

    async fn list_users(&self, page: u32) -> StoreResult<ponder_store::Page<ponder_store::User>> {
        self.list_users_impl(page).await
    }

    async fn set_email_verified(&self, user: ponder_core::UserId, at: i64) -> StoreResult<()> {
        self.set_email_verified_impl(user, at).await
    }

    async fn create_email_token_within(
        &self,
        token: ponder_store::NewEmailToken,
        allowance: ponder_core::mail_allowance::MailAllowance,
    ) -> StoreResult<Result<(), i64>> {
        self.create_email_token_within_impl(token, allowance).await
    }

    async fn create_signup_within(
        &self,
        signup: ponder_store::NewSignup,
        allowance: ponder_core::mail_allowance::MailAllowance,
    ) -> StoreResult<Result<(), i64>> {
        self.create_signup_within_impl(signup, allowance).await
    }

    async fn pending_signup(
        &self,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<Option<ponder_store::PendingSignup>> {
        self.pending_signup_impl(token_hash, now).await
    }

    async fn finish_signup(
        &self,
        token_hash: &str,
        handle: &str,
        now: i64,
    ) -> StoreResult<Option<ponder_store::User>> {
        self.finish_signup_impl(token_hash, handle, now).await
    }

    async fn stored_texts(
        &self,
        kind: ponder_store::RenderedText,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::StoredText>> {
        self.stored_texts_impl(kind, after, limit).await
    }

    async fn replace_rendered_html(
        &self,
        kind: ponder_store::RenderedText,
        id: i64,
        markdown: &str,
        html: &ponder_core::markdown::SafeHtml,
    ) -> StoreResult<bool> {
        self.replace_rendered_html_impl(kind, id, markdown, html)
            .await
    }

    async fn feed_position(&self, subscriber: &str) -> StoreResult<i64> {
        self.feed_position_impl(subscriber).await
    }

    async fn set_feed_position(&self, subscriber: &str, position: i64, at: i64) -> StoreResult<()> {
        self.set_feed_position_impl(subscriber, position, at).await
    }

    async fn lead(&self, work: &str) -> StoreResult<Option<ponder_store::Lease>> {
        self.lead_impl(work).await
    }

    async fn create_email_token(&self, token: ponder_store::NewEmailToken) -> StoreResult<()> {
        self.create_email_token_impl(token).await
    }

    async fn use_email_token(
        &self,
        token_hash: &str,
        purpose: ponder_store::TokenPurpose,
        now: i64,
    ) -> StoreResult<Option<(ponder_core::UserId, String)>> {
        self.use_email_token_impl(token_hash, purpose, now).await
    }

    async fn set_avatar(
        &self,
        user: ponder_core::UserId,
        avatar: ponder_store::Avatar,
    ) -> StoreResult<()> {
        self.set_avatar_impl(user, avatar).await
    }

    async fn avatar(&self, user: ponder_core::UserId) -> StoreResult<Option<ponder_store::Avatar>> {
        self.avatar_impl(user).await
    }

    async fn editable_post(
        &self,
        post: ponder_core::PostId,
    ) -> StoreResult<Option<ponder_store::EditablePost>> {
        self.editable_post_impl(post).await
    }

    async fn edit_post(&self, edit: ponder_store::PostEdit) -> StoreResult<i64> {
        self.edit_post_impl(edit).await
    }

    async fn revisions(
        &self,
        post: ponder_core::PostId,
    ) -> StoreResult<Vec<ponder_store::Revision>> {
        self.revisions_impl(post).await
    }

    async fn set_post_deleted(
        &self,
        post: ponder_core::PostId,
        deleted: bool,
        at: i64,
    ) -> StoreResult<()> {
        self.set_post_deleted_impl(post, deleted, at).await
    }

    async fn change_post_deletion(&self, change: ponder_store::PostDeletion) -> StoreResult<()> {
        self.change_post_deletion_impl(change).await
    }

    async fn popular_tags(&self, limit: u32) -> StoreResult<Vec<ponder_store::Tag>> {
        self.popular_tags_impl(limit).await
    }

    async fn reputation_events(
        &self,
        user: ponder_core::UserId,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::ReputationEvent>> {
        self.reputation_events_impl(user, limit).await
    }

    async fn badges(&self, user: ponder_core::UserId) -> StoreResult<Vec<ponder_store::Badge>> {
        self.badges_impl(user).await
    }

    async fn recompute_reputation(
        &self,
        apply: bool,
    ) -> StoreResult<Vec<ponder_store::ReputationMismatch>> {
        self.recompute_reputation_impl(apply).await
    }

    async fn toggle_comment_vote(
        &self,
        comment: ponder_core::CommentId,
        user: ponder_core::UserId,
        at: i64,
    ) -> StoreResult<(bool, i64)> {
        self.toggle_comment_vote_impl(comment, user, at).await
    }

    async fn viewer_votes(
        &self,
        user: ponder_core::UserId,
        question: ponder_core::PostId,
    ) -> StoreResult<ponder_store::ViewerVotes> {
        self.viewer_votes_impl(user, question).await
    }

    async fn create_suggested_edit(&self, new: ponder_store::NewSuggestedEdit) -> StoreResult<i64> {
        self.create_suggested_edit_impl(new).await
    }

    async fn suggested_edit(&self, id: i64) -> StoreResult<Option<ponder_store::SuggestedEdit>> {
        self.suggested_edit_impl(id).await
    }

    async fn pending_suggestion(
        &self,
        post: ponder_core::PostId,
    ) -> StoreResult<Option<ponder_store::SuggestedEdit>> {
        self.pending_suggestion_impl(post).await
    }

    async fn pending_suggestions(
        &self,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::SuggestedEdit>> {
        self.pending_suggestions_impl(limit).await
    }

    async fn approve_suggested_edit(
        &self,
        id: i64,
        reviewer: ponder_core::UserId,
        rules: ponder_core::reputation::ReputationRules,
        at: i64,
    ) -> StoreResult<i64> {
        self.approve_suggested_edit_impl(id, reviewer, rules, at)
            .await
    }

    async fn reject_suggested_edit(
        &self,
        id: i64,
        reviewer: ponder_core::UserId,
        reason: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.reject_suggested_edit_impl(id, reviewer, reason, at)
            .await
    }

    async fn post_score(&self, post: ponder_core::PostId) -> StoreResult<Option<i64>> {
        self.post_score_impl(post).await
    }

    async fn comment_post(
        &self,
        comment: ponder_core::CommentId,
    ) -> StoreResult<Option<ponder_core::PostId>> {
        self.comment_post_impl(comment).await
    }

    async fn thread_questions(
        &self,
        posts: &[ponder_core::PostId],
        comments: &[ponder_core::CommentId],
    ) -> StoreResult<Vec<ponder_core::PostId>> {
        self.thread_questions_impl(posts, comments).await
    }

    async fn pending_suggestions_in(
        &self,
        question: ponder_core::PostId,
    ) -> StoreResult<Vec<(ponder_core::PostId, i64)>> {
        self.pending_suggestions_in_impl(question).await
    }

    async fn search_documents(
        &self,
        posts: &[ponder_core::PostId],
    ) -> StoreResult<Vec<ponder_store::SearchDoc>> {
        self.search_documents_impl(posts).await
    }

    async fn post_bodies(
        &self,
        posts: &[ponder_core::PostId],
    ) -> StoreResult<Vec<(ponder_core::PostId, String)>> {
        self.post_bodies_impl(posts).await
    }

    async fn question_ids_after(
        &self,
        after: ponder_core::PostId,
        limit: u32,
    ) -> StoreResult<Vec<ponder_core::PostId>> {
        self.question_ids_after_impl(after, limit).await
    }

    async fn last_change_id(&self) -> StoreResult<i64> {
        self.last_change_id_impl().await
    }

    async fn bulk_load(
        &self,
        batch: ponder_store::BulkBatch,
    ) -> StoreResult<ponder_store::BulkLoaded> {
        self.bulk_load_impl(batch).await
    }

    async fn recount(&self) -> StoreResult<()> {
        self.recount_impl().await
    }

    async fn suspend_indexes(&self, source: &str) -> StoreResult<()> {
        self.suspend_indexes_impl(source).await
    }

    async fn restore_indexes(&self, source: &str) -> StoreResult<()> {
        self.restore_indexes_impl(source).await
    }

    async fn last_change_of(
        &self,
        kind: ponder_core::changes::ChangeKind,
        after: i64,
    ) -> StoreResult<i64> {
        self.last_change_of_impl(kind, after).await
    }

    async fn content_counts(&self) -> StoreResult<(i64, i64)> {
        self.content_counts_impl().await
    }

    async fn import_run(&self, source: &str) -> StoreResult<Option<ponder_store::ImportRun>> {
        self.import_run_impl(source).await
    }

    async fn record_import(&self, source: &str, finished: bool, at: i64) -> StoreResult<()> {
        self.record_import_impl(source, finished, at).await
    }

    async fn export_users(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::BulkUser>> {
        self.export_users_impl(after, limit).await
    }

    async fn export_posts(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::BulkPost>> {
        self.export_posts_impl(after, limit).await
    }

    async fn export_comments(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::BulkComment>> {
        self.export_comments_impl(after, limit).await
    }

    async fn export_tags(&self, after: i64, limit: u32) -> StoreResult<Vec<ponder_store::BulkTag>> {
        self.export_tags_impl(after, limit).await
    }

    async fn export_votes(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::BulkVote>> {
        self.export_votes_impl(after, limit).await
    }

    async fn export_badges(
        &self,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::BulkBadge>> {
        self.export_badges_impl(after, limit).await
    }

    async fn create_flag(&self, flag: ponder_store::NewFlag) -> StoreResult<bool> {
        self.create_flag_impl(flag).await
    }

    async fn pending_flags(&self, limit: u32) -> StoreResult<Vec<ponder_store::FlagView>> {
        self.pending_flags_impl(limit).await
    }

    async fn resolve_flag(
        &self,
        id: i64,
        moderator: ponder_core::UserId,
        helpful: bool,
        at: i64,
    ) -> StoreResult<()> {
        self.resolve_flag_impl(id, moderator, helpful, at).await
    }

    async fn restore_hidden_post(
        &self,
        post: ponder_core::PostId,
        moderator: ponder_core::UserId,
        penalty: i64,
        at: i64,
    ) -> StoreResult<()> {
        self.restore_hidden_post_impl(post, moderator, penalty, at)
            .await
    }

    async fn restore_hidden_comment(&self, comment: ponder_core::CommentId) -> StoreResult<()> {
        self.restore_hidden_comment_impl(comment).await
    }

    async fn cast_close_vote(&self, vote: ponder_store::NewCloseVote) -> StoreResult<(bool, i64)> {
        self.cast_close_vote_impl(vote).await
    }

    async fn close_votes(&self, question: ponder_core::PostId) -> StoreResult<(i64, i64)> {
        self.close_votes_impl(question).await
    }

    async fn set_locked(
        &self,
        post: ponder_core::PostId,
        locked: bool,
        at: i64,
    ) -> StoreResult<()> {
        self.set_locked_impl(post, locked, at).await
    }

    async fn set_protected(
        &self,
        question: ponder_core::PostId,
        protected: bool,
        at: i64,
    ) -> StoreResult<()> {
        self.set_protected_impl(question, protected, at).await
    }

    async fn set_suspension(
        &self,
        user: ponder_core::UserId,
        until: Option<i64>,
        reason: &str,
    ) -> StoreResult<()> {
        self.set_suspension_impl(user, until, reason).await
    }

    async fn log_moderation(
        &self,
        moderator: ponder_core::UserId,
        action: &str,
        target_kind: &str,
        target_id: i64,
        reason: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.log_moderation_impl(moderator, action, target_kind, target_id, reason, at)
            .await
    }

    async fn moderation_log(
        &self,
        page: u32,
    ) -> StoreResult<ponder_store::Page<ponder_store::ModerationEntry>> {
        self.moderation_log_impl(page).await
    }

    async fn review_tasks(
        &self,
        reviewer: ponder_core::UserId,
        limit: u32,
    ) -> StoreResult<Vec<ponder_store::ReviewTask>> {
        self.review_tasks_impl(reviewer, limit).await
    }

    async fn resolve_review(
        &self,
        id: i64,
        reviewer: ponder_core::UserId,
        approve: bool,
        reason: &str,
        at: i64,
    ) -> StoreResult<()> {
        self.resolve_review_impl(id, reviewer, approve, reason, at)
            .await
    }

    async fn skip_review(
        &self,
        task_kind: &str,
        id: i64,
        reviewer: ponder_core::UserId,
    ) -> StoreResult<()> {
        self.skip_review_impl(task_kind, id, reviewer).await
    }

    async fn skipped_suggestions(&self, reviewer: ponder_core::UserId) -> StoreResult<Vec<i64>> {
        self.skipped_suggestions_impl(reviewer).await
    }
}
