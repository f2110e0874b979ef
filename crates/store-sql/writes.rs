// The write transactions, shared by both backends. Each one writes its rows, moves
// the counters on them and appends to the change log before it commits. Writes that
// read before they write (a vote, an acceptance) lock the row they read where the
// engine needs it (`for_update!()`: PostgreSQL), so concurrent writers queue on it;
// SQLite's single writer serialises them anyway.

use crate::{Backend, Db, begin_write, db_error};
use ponder_core::changes::ChangeKind;
use ponder_core::markdown::SafeHtml;
use ponder_core::refusal::Refusal;
use ponder_core::{CategoryId, CommentId, PostId, UserId};
use ponder_store::{
    Category, NewAnswer, NewCategory, NewComment, NewQuestion, NewUser, PostBody, StoreError,
    StoreResult, User,
};
use sqlx::Transaction;

/// A write transaction.
pub(crate) type Tx<'a> = Transaction<'a, Db>;

impl Backend {
    pub(crate) async fn begin(&self) -> StoreResult<Tx<'static>> {
        self.count();
        begin_write(&self.writer).await.map_err(db_error)
    }

    pub(crate) async fn commit(&self, tx: Tx<'static>) -> StoreResult<()> {
        self.count();
        tx.commit().await.map_err(db_error)
    }

    /// Appends to the change log inside `tx`, stamped now. Every write logs its
    /// change this way, in its own transaction: nothing appends to `changes` by hand.
    pub(crate) async fn log_change(
        &self,
        tx: &mut Tx<'_>,
        kind: ChangeKind,
        entity_id: i64,
    ) -> StoreResult<()> {
        self.log_change_at(tx, kind, entity_id, ponder_core::time::now())
            .await
    }

    /// [`Backend::log_change`], stamped `at` (the time the write itself records).
    pub(crate) async fn log_change_at(
        &self,
        tx: &mut Tx<'_>,
        kind: ChangeKind,
        entity_id: i64,
        at: i64,
    ) -> StoreResult<()> {
        self.count();
        sqlx::query("INSERT INTO changes (kind, entity_id, created_at) VALUES ($1, $2, $3)")
            .bind(kind.as_str())
            .bind(entity_id)
            .bind(at)
            .execute(&mut **tx)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    /// Inserts an account inside `tx` and logs its creation.
    pub(crate) async fn insert_user(&self, tx: &mut Tx<'_>, new: NewUser) -> StoreResult<User> {
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (handle, display_name, email, password_hash, role, about_markdown, \
             about_html, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&new.handle)
        .bind(&new.display_name)
        .bind(&new.email)
        .bind(&new.password_hash)
        .bind(new.role.as_str())
        .bind(new.about.markdown())
        .bind(new.about.html())
        .bind(new.created_at)
        .fetch_one(&mut **tx)
        .await
        .map_err(db_error)?;
        let user = User {
            id: UserId(id),
            about_html: SafeHtml::from_trusted_storage(new.about.html().to_owned()),
            handle: new.handle,
            display_name: new.display_name,
            reputation: 1,
            role: new.role,
            created_at: new.created_at,
            deleted: false,
            about_markdown: new.about.markdown().to_owned(),
            suspended_until: None,
            suspension_reason: String::new(),
            unclaimed: false,
            location: None,
            website_url: None,
        };
        self.log_change(tx, ChangeKind::UserCreated, user.id.0)
            .await?;
        Ok(user)
    }

    /// Stores the body of the post just inserted as `post`.
    async fn insert_body(&self, tx: &mut Tx<'_>, post: i64, body: &PostBody) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO post_bodies (post_id, body_markdown, body_html) VALUES ($1, $2, $3)",
        )
        .bind(post)
        .bind(body.markdown())
        .bind(body.html())
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        self.write_links(tx, post, body.links()).await
    }

    /// What every new question and answer ends with: the review task for an author's
    /// first post, the badge for posting it, the change log entry and the commit.
    async fn finish_new_post(
        &self,
        mut tx: Tx<'static>,
        author: i64,
        id: i64,
        badge: ponder_core::badges::BadgeKind,
        at: i64,
    ) -> StoreResult<PostId> {
        self.queue_first_post(&mut tx, author, id, at).await?;
        self.award_badge(&mut tx, author, badge, None, at).await?;
        self.log_change(&mut tx, ChangeKind::PostCreated, id)
            .await?;
        self.commit(tx).await?;
        Ok(PostId(id))
    }
}

#[async_trait::async_trait]
impl ponder_store::WriteStore for Backend {
    async fn create_user(&self, new: NewUser) -> StoreResult<User> {
        let mut tx = self.begin().await?;
        let user = self.insert_user(&mut tx, new).await?;
        self.commit(tx).await?;
        Ok(user)
    }

    async fn create_category(&self, new: NewCategory) -> StoreResult<Category> {
        let mut tx = self.begin().await?;
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO categories (parent_id, slug, name, description, position) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.parent.map(|p| p.0))
        .bind(&new.slug)
        .bind(&new.name)
        .bind(&new.description)
        .bind(new.position)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        let category = Category {
            id: CategoryId(id),
            parent_id: new.parent,
            slug: new.slug,
            name: new.name,
            description: new.description,
            position: new.position,
        };
        self.log_change(&mut tx, ChangeKind::CategoryCreated, category.id.0)
            .await?;
        self.commit(tx).await?;
        Ok(category)
    }

    async fn create_question(&self, new: NewQuestion) -> StoreResult<PostId> {
        let mut tx = self.begin().await?;
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO posts (kind, category_id, author_id, title, created_at, last_activity_at) \
             VALUES ('question', $1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(new.category.0)
        .bind(new.author.0)
        .bind(&new.title)
        .bind(new.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        self.insert_body(&mut tx, id, &new.body).await?;
        self.mark_related_due(&mut tx, id).await?;
        for (position, name) in new.tags.iter().enumerate() {
            self.count();
            let (tag_id,): (i64,) = sqlx::query_as(
                "INSERT INTO tags (name, question_count) VALUES ($1, 1) \
                 ON CONFLICT (name) DO UPDATE SET question_count = tags.question_count + 1 RETURNING id",
            )
            .bind(name)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            self.count();
            sqlx::query("INSERT INTO post_tags (post_id, tag_id, position) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(tag_id)
                .bind(position as i64)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        self.count();
        sqlx::query(
            "INSERT INTO revisions (post_id, editor_id, title, body_markdown, tags, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(new.author.0)
        .bind(&new.title)
        .bind(new.body.markdown())
        .bind(new.tags.join(" "))
        .bind(new.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.finish_new_post(
            tx,
            new.author.0,
            id,
            ponder_core::badges::STUDENT,
            new.created_at,
        )
        .await
    }

    async fn create_answer(&self, new: NewAnswer) -> StoreResult<PostId> {
        let mut tx = self.begin().await?;
        self.count();
        let question: Option<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT kind, closed_at, locked_at FROM posts WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(new.question.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        match question {
            None => return Err(StoreError::not_found(format!("question {}", new.question))),
            Some((kind, _, _)) if kind != "question" => {
                return Err(StoreError::Refused(Refusal::AnswerToAnswer {
                    post: new.question,
                }));
            }
            Some((_, Some(_), _)) => {
                return Err(StoreError::Refused(Refusal::QuestionClosed));
            }
            Some((_, _, Some(_))) => {
                return Err(StoreError::Refused(Refusal::QuestionLocked));
            }
            Some(_) => {}
        }
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO posts (kind, parent_id, author_id, created_at, last_activity_at) \
             VALUES ('answer', $1, $2, $3, $3) RETURNING id",
        )
        .bind(new.question.0)
        .bind(new.author.0)
        .bind(new.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        self.insert_body(&mut tx, id, &new.body).await?;
        self.count();
        sqlx::query(concat!(
            "UPDATE posts SET answer_count = answer_count + 1, last_activity_at = ",
            greatest!(),
            "(last_activity_at, $2) WHERE id = $1"
        ))
        .bind(new.question.0)
        .bind(new.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.count();
        sqlx::query(
            "INSERT INTO revisions (post_id, editor_id, body_markdown, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(new.author.0)
        .bind(new.body.markdown())
        .bind(new.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.finish_new_post(
            tx,
            new.author.0,
            id,
            ponder_core::badges::TEACHER,
            new.created_at,
        )
        .await
    }

    async fn create_comment(&self, new: NewComment) -> StoreResult<CommentId> {
        let mut tx = self.begin().await?;
        self.count();
        let post: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT parent_id, locked_at FROM posts WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(new.post.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let Some((parent, locked)) = post else {
            return Err(StoreError::not_found(format!("post {}", new.post)));
        };
        if locked.is_some() {
            return Err(StoreError::Refused(Refusal::PostLockedForComments));
        }
        self.count();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO comments (post_id, author_id, body_markdown, body_html, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.post.0)
        .bind(new.author.0)
        .bind(new.body.markdown())
        .bind(new.body.html())
        .bind(new.created_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        self.count();
        sqlx::query("UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1")
            .bind(new.post.0)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        // A comment is activity on the question, wherever it sits in the thread.
        self.count();
        sqlx::query(concat!(
            "UPDATE posts SET last_activity_at = ",
            greatest!(),
            "(last_activity_at, $2) WHERE id = $1"
        ))
        .bind(parent.unwrap_or(new.post.0))
        .bind(new.created_at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.log_change(&mut tx, ChangeKind::CommentCreated, id)
            .await?;
        self.commit(tx).await?;
        Ok(CommentId(id))
    }
}
