// Tag wikis, renames, merges, synonyms and moderator-only tags, shared by both
// backends. A rename or a merge leaves the old name as a synonym (its page
// redirects, and typing it gives the tag), and logs each question whose tags
// changed so that the search index takes them in again.

use crate::writes::Tx;
use crate::{Backend, Cols, db_error};
use ponder_core::TagId;
use ponder_core::changes::ChangeKind;
use ponder_core::markdown::SafeHtml;
use ponder_core::refusal::Refusal;
use ponder_store::rows::{RowAccess, user_ref};
use ponder_store::{
    ResolvedTag, StoreError, StoreResult, Tag, TagDetails, TagFound, TagRevision, TagWikiEdit,
};

impl Backend {
    /// Logs each question carrying `tag` as retagged.
    async fn log_retagged(&self, tx: &mut Tx<'_>, tag: TagId, at: i64) -> StoreResult<()> {
        self.count();
        sqlx::query(
            "INSERT INTO changes (kind, entity_id, created_at) SELECT $2, pt.post_id, $3 \
             FROM post_tags pt WHERE pt.tag_id = $1 ORDER BY pt.post_id",
        )
        .bind(tag.0)
        .bind(ChangeKind::QuestionRetagged.as_str())
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
        Ok(())
    }

    /// The name of tag `tag`, read inside `tx`.
    async fn tag_name_in(&self, tx: &mut Tx<'_>, tag: TagId) -> StoreResult<String> {
        self.count();
        let found: Option<(String,)> = sqlx::query_as("SELECT name FROM tags WHERE id = $1")
            .bind(tag.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(db_error)?;
        found
            .map(|(name,)| name)
            .ok_or_else(|| StoreError::not_found(format!("tag {}", tag.0)))
    }
}

#[async_trait::async_trait]
impl ponder_store::TagStore for Backend {
    async fn find_tag(&self, name: &str) -> StoreResult<Option<TagFound>> {
        self.count();
        let found: Option<(i64, String, String, i64, String, String, i64)> = sqlx::query_as(
            "SELECT id, name, description, question_count, wiki_markdown, wiki_html, moderator_only \
             FROM tags WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.readers)
        .await
        .map_err(db_error)?;
        let Some((id, name, description, question_count, wiki_markdown, wiki_html, only)) = found
        else {
            self.count();
            let master: Option<(String,)> = sqlx::query_as(
                "SELECT t.name FROM tag_synonyms s JOIN tags t ON t.id = s.tag_id WHERE s.name = $1",
            )
            .bind(name)
            .fetch_optional(&self.readers)
            .await
            .map_err(db_error)?;
            return Ok(master.map(|(master,)| TagFound::SynonymOf(master)));
        };
        self.count();
        let synonyms: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM tag_synonyms WHERE tag_id = $1 ORDER BY name")
                .bind(id)
                .fetch_all(&self.readers)
                .await
                .map_err(db_error)?;
        Ok(Some(TagFound::Tag(Box::new(TagDetails {
            tag: Tag {
                id: TagId(id),
                name,
                description,
                question_count,
            },
            wiki_markdown,
            wiki_html: SafeHtml::from_trusted_storage(wiki_html),
            moderator_only: only != 0,
            synonyms: synonyms.into_iter().map(|(s,)| s).collect(),
        }))))
    }

    async fn edit_tag_wiki(&self, edit: TagWikiEdit) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let done = sqlx::query(
            "UPDATE tags SET description = $2, wiki_markdown = $3, wiki_html = $4 WHERE id = $1",
        )
        .bind(edit.tag.0)
        .bind(&edit.description)
        .bind(edit.wiki.markdown())
        .bind(edit.wiki.html())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("tag {}", edit.tag.0)));
        }
        self.count();
        sqlx::query(
            "INSERT INTO tag_revisions (tag_id, editor_id, description, wiki_markdown, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(edit.tag.0)
        .bind(edit.editor.0)
        .bind(&edit.description)
        .bind(edit.wiki.markdown())
        .bind(edit.at)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        self.log_change_at(&mut tx, ChangeKind::TagUpdated, edit.tag.0, edit.at)
            .await?;
        self.commit(tx).await
    }

    async fn tag_revisions(&self, tag: TagId) -> StoreResult<Vec<TagRevision>> {
        self.count();
        let rows = sqlx::query(concat!(
            "SELECT r.id, r.description, r.wiki_markdown, r.created_at, ",
            ponder_store::user_ref_columns!(),
            " FROM tag_revisions r JOIN users u ON u.id = r.editor_id \
             WHERE r.tag_id = $1 ORDER BY r.id DESC LIMIT 200"
        ))
        .bind(tag.0)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                let row = Cols(r);
                Ok(TagRevision {
                    id: row.int(0)?,
                    description: row.text(1)?,
                    wiki_markdown: row.text(2)?,
                    created_at: row.int(3)?,
                    editor: user_ref(&row, 4)?,
                })
            })
            .collect()
    }

    async fn rename_tag(&self, tag: TagId, new_name: &str, at: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let old = self.tag_name_in(&mut tx, tag).await?;
        if old == new_name {
            return Ok(());
        }
        // The new name may have been a synonym (of this tag or another): it is a
        // tag now.
        self.count();
        sqlx::query("DELETE FROM tag_synonyms WHERE name = $1")
            .bind(new_name)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.count();
        sqlx::query("UPDATE tags SET name = $2 WHERE id = $1")
            .bind(tag.0)
            .bind(new_name)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.count();
        sqlx::query("INSERT INTO tag_synonyms (name, tag_id, created_at) VALUES ($1, $2, $3)")
            .bind(&old)
            .bind(tag.0)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.log_retagged(&mut tx, tag, at).await?;
        self.log_change_at(&mut tx, ChangeKind::TagUpdated, tag.0, at)
            .await?;
        self.commit(tx).await
    }

    async fn merge_tags(&self, from: TagId, into: TagId, at: i64) -> StoreResult<i64> {
        if from == into {
            return Err(StoreError::Refused(Refusal::TagMergeIntoItself));
        }
        let mut tx = self.begin().await?;
        let old = self.tag_name_in(&mut tx, from).await?;
        self.tag_name_in(&mut tx, into).await?;
        self.count();
        let (moved,): (i64,) = sqlx::query_as("SELECT count(*) FROM post_tags WHERE tag_id = $1")
            .bind(from.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        self.log_retagged(&mut tx, from, at).await?;
        // Questions with both keep one; the others take the target, and so do
        // the synonyms; the merged tag goes.
        let both: [(&str, &[i64]); 6] = [
            (
                "DELETE FROM post_tags WHERE tag_id = $1 \
                 AND post_id IN (SELECT post_id FROM post_tags WHERE tag_id = $2)",
                &[from.0, into.0],
            ),
            (
                "UPDATE post_tags SET tag_id = $2 WHERE tag_id = $1",
                &[from.0, into.0],
            ),
            (
                "UPDATE tag_synonyms SET tag_id = $2 WHERE tag_id = $1",
                &[from.0, into.0],
            ),
            (
                "UPDATE tags SET question_count = (SELECT count(*) FROM post_tags pt \
                 JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = $1 AND p.deleted_at IS NULL) \
                 WHERE id = $1",
                &[into.0],
            ),
            ("DELETE FROM tag_revisions WHERE tag_id = $1", &[from.0]),
            ("DELETE FROM tags WHERE id = $1", &[from.0]),
        ];
        for (sql, binds) in both {
            self.count();
            let mut query = sqlx::query(sql);
            for bind in binds {
                query = query.bind(*bind);
            }
            query.execute(&mut *tx).await.map_err(db_error)?;
        }
        self.move_follows(
            &mut tx,
            ponder_core::notices::FollowKind::Tag,
            from.0,
            Some(into.0),
        )
        .await?;
        self.count();
        sqlx::query("INSERT INTO tag_synonyms (name, tag_id, created_at) VALUES ($1, $2, $3)")
            .bind(&old)
            .bind(into.0)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.log_change_at(&mut tx, ChangeKind::TagUpdated, into.0, at)
            .await?;
        self.commit(tx).await?;
        Ok(moved)
    }

    async fn add_tag_synonym(&self, name: &str, tag: TagId, at: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.tag_name_in(&mut tx, tag).await?;
        self.count();
        let (taken,): (i64,) = sqlx::query_as("SELECT count(*) FROM tags WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        if taken > 0 {
            return Err(StoreError::Conflict {
                constraint: "tags_name_key".into(),
            });
        }
        self.count();
        sqlx::query("INSERT INTO tag_synonyms (name, tag_id, created_at) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(tag.0)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.log_change_at(&mut tx, ChangeKind::TagUpdated, tag.0, at)
            .await?;
        self.commit(tx).await
    }

    async fn remove_tag_synonym(&self, name: &str) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        self.count();
        let removed: Option<(i64,)> =
            sqlx::query_as("DELETE FROM tag_synonyms WHERE name = $1 RETURNING tag_id")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        let Some((tag,)) = removed else {
            return Ok(false);
        };
        self.log_change(&mut tx, ChangeKind::TagUpdated, tag)
            .await?;
        self.commit(tx).await?;
        Ok(true)
    }

    async fn set_tag_moderator_only(&self, tag: TagId, only: bool) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let done = sqlx::query("UPDATE tags SET moderator_only = $2 WHERE id = $1")
            .bind(tag.0)
            .bind(i64::from(only))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("tag {}", tag.0)));
        }
        self.log_change(&mut tx, ChangeKind::TagUpdated, tag.0)
            .await?;
        self.commit(tx).await
    }

    async fn resolve_tags(&self, names: &[String]) -> StoreResult<Vec<ResolvedTag>> {
        let mut resolved = Vec::with_capacity(names.len());
        for typed in names {
            // The tag of this name, else the master of the synonym of this name.
            self.count();
            let found: Option<(String, i64)> = sqlx::query_as(
                "SELECT t.name, t.moderator_only FROM tags t WHERE t.name = $1 UNION ALL \
                 SELECT t.name, t.moderator_only FROM tag_synonyms s JOIN tags t ON t.id = s.tag_id \
                 WHERE s.name = $1",
            )
            .bind(typed)
            .fetch_optional(&self.readers)
            .await
            .map_err(db_error)?;
            resolved.push(match found {
                Some((name, only)) => ResolvedTag {
                    typed: typed.clone(),
                    name,
                    moderator_only: only != 0,
                },
                None => ResolvedTag {
                    typed: typed.clone(),
                    name: typed.clone(),
                    moderator_only: false,
                },
            });
        }
        Ok(resolved)
    }
}
