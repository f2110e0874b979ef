// Bulk loading and reading back, shared by both backends: rows with their ids and
// counters as given, many to a transaction, for the demo generator, importers and
// exporters. Loading skips rows whose id is taken, so a batch loaded twice adds nothing.
//
// Long on purpose: one statement shape a table, for loading and for exporting
// alike; apart, each half would repeat the table's column list.

use crate::writes::Tx;
use crate::{Backend, Db, bind_id_list, db_error};
use ponder_core::changes::ChangeKind;
use ponder_core::{CommentId, PostId, UserId};
use ponder_store::{
    BulkBadge, BulkBatch, BulkComment, BulkLoaded, BulkPost, BulkRevision, BulkTag, BulkUser,
    BulkVote, DOWN_VOTE_TYPE, ImportRun, ImportedProfile, PostBody, PostKind, RevisionIds,
    StoreResult, UP_VOTE_TYPE,
};
use sqlx::QueryBuilder;
use std::collections::{HashMap, HashSet};

/// Rows in one multi-row statement: few round trips to the database, well under
/// SQLite's limit of bound parameters.
const ROWS_PER_STATEMENT: usize = 100;

/// Where a batch's (key, value) updates go: `table.column`, in the rows whose `key`
/// column holds the key; `condition` narrows the rows updated, `join` the pairs used
/// (named `v.key` and `v.value`).
struct UpdateTarget {
    table: &'static str,
    column: &'static str,
    key: &'static str,
    condition: &'static str,
    join: &'static str,
}

/// Markdown sources of posts.
const SET_SOURCES: UpdateTarget = UpdateTarget {
    table: "post_bodies",
    column: "body_markdown",
    key: "post_id",
    condition: "",
    join: "",
};
/// Close reasons, of closed questions only.
const SET_CLOSE_REASONS: UpdateTarget = UpdateTarget {
    table: "posts",
    column: "close_reason",
    key: "id",
    condition: " AND closed_at IS NOT NULL",
    join: "",
};
/// Tag descriptions, by tag name.
const SET_TAG_DESCRIPTIONS: UpdateTarget = UpdateTarget {
    table: "tags",
    column: "description",
    key: "name",
    condition: "",
    join: "",
};
/// Tag wikis' Markdown, by tag name.
const SET_TAG_WIKI_MARKDOWN: UpdateTarget = UpdateTarget {
    table: "tags",
    column: "wiki_markdown",
    key: "name",
    condition: "",
    join: "",
};
/// Tag wikis' HTML, by tag name.
const SET_TAG_WIKI_HTML: UpdateTarget = UpdateTarget {
    table: "tags",
    column: "wiki_html",
    key: "name",
    condition: "",
    join: "",
};
/// Accepted answers: only an answer of the question itself.
const SET_ACCEPTED: UpdateTarget = UpdateTarget {
    table: "posts",
    column: "accepted_answer_id",
    key: "id",
    condition: " AND kind = 'question'",
    join: " JOIN posts a ON a.id = v.value AND a.parent_id = v.key",
};
/// Duplicate links: only between two different questions.
const SET_DUPLICATES: UpdateTarget = UpdateTarget {
    table: "posts",
    column: "duplicate_of",
    key: "id",
    condition: " AND kind = 'question'",
    join: " JOIN posts o ON o.id = v.value AND o.kind = 'question' AND o.id <> v.key",
};

/// The pairs with the last value given for each key, in the order keys first appear
/// (one statement must not set a row twice).
fn last_per_key<K: std::hash::Hash + Eq + Copy, V: Copy>(
    pairs: impl Iterator<Item = (K, V)>,
) -> Vec<(K, V)> {
    let mut at: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<(K, V)> = Vec::new();
    for (key, value) in pairs {
        match at.get(&key) {
            Some(&i) => out[i].1 = value,
            None => {
                at.insert(key, out.len());
                out.push((key, value));
            }
        }
    }
    out
}

impl Backend {
    /// Runs a built statement and returns the rows it changed.
    async fn run(&self, tx: &mut Tx<'_>, mut q: QueryBuilder<Db>) -> StoreResult<u64> {
        self.count();
        Ok(q.build()
            .execute(&mut **tx)
            .await
            .map_err(db_error)?
            .rows_affected())
    }

    /// Tags for the questions this batch added: the tags made where missing, the
    /// links, and the tags' counts raised.
    async fn load_post_tags(
        &self,
        tx: &mut Tx<'_>,
        posts: &[BulkPost],
        inserted: &HashSet<i64>,
    ) -> StoreResult<()> {
        let links: Vec<(i64, &str, i64)> = posts
            .iter()
            .filter(|p| inserted.contains(&p.id.0))
            .flat_map(|p| {
                p.tags
                    .iter()
                    .enumerate()
                    .map(move |(i, t)| (p.id.0, t.as_str(), i as i64))
            })
            .collect();
        let mut uses: HashMap<&str, i64> = HashMap::new();
        for (_, name, _) in &links {
            *uses.entry(name).or_default() += 1;
        }
        let uses: Vec<(&str, i64)> = uses.into_iter().collect();
        for chunk in uses.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new("INSERT INTO tags (name, question_count) ");
            q.push_values(chunk, |mut b, (name, _)| {
                b.push_bind(*name).push_bind(0i64);
            });
            q.push(" ON CONFLICT (name) DO NOTHING");
            self.run(tx, q).await?;
            let mut q = QueryBuilder::<Db>::new("WITH v (name, n) AS (");
            q.push_values(chunk, |mut b, (name, n)| {
                b.push_bind(*name).push_bind(*n);
            });
            q.push(
                ") UPDATE tags SET question_count = question_count + (SELECT v.n FROM v WHERE v.name = tags.name) \
                 WHERE name IN (SELECT name FROM v)",
            );
            self.run(tx, q).await?;
        }
        for chunk in links.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new("WITH v (post_id, name, position) AS (");
            q.push_values(chunk, |mut b, (post, name, position)| {
                b.push_bind(*post).push_bind(*name).push_bind(*position);
            });
            q.push(
                ") INSERT INTO post_tags (post_id, tag_id, position) \
                 SELECT v.post_id, t.id, v.position FROM v JOIN tags t ON t.name = v.name WHERE true \
                 ON CONFLICT DO NOTHING",
            );
            self.run(tx, q).await?;
        }
        Ok(())
    }

    /// Sets a column from (key, value) pairs, many to a statement, as `target` says.
    /// Returns the rows changed.
    async fn update_from_values<K, V>(
        &self,
        tx: &mut Tx<'_>,
        pairs: &[(K, V)],
        target: &UpdateTarget,
    ) -> StoreResult<u64>
    where
        K: Copy + Send + Sync + for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db>,
        V: Copy + Send + Sync + for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db>,
    {
        let UpdateTarget {
            table,
            column,
            key,
            condition,
            join,
        } = target;
        let mut changed = 0;
        for chunk in pairs.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new("WITH v (key, value) AS (");
            q.push_values(chunk, |mut b, (key, value)| {
                b.push_bind(*key).push_bind(*value);
            });
            // The names are constants of this file; values travel as bound parameters.
            q.push(format!(
                ") UPDATE {table} SET {column} = (SELECT v.value FROM v WHERE v.key = {table}.{key}) \
                 WHERE {key} IN (SELECT v.key FROM v{join}){condition}"
            ));
            changed += self.run(tx, q).await?;
        }
        Ok(changed)
    }

    /// Up to `limit` rows of a keyset-paged query whose `$1` is the id to start after
    /// and `$2` the limit.
    async fn page_after<T>(&self, sql: &'static str, after: i64, limit: u32) -> StoreResult<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
    {
        self.count();
        sqlx::query_as(sql)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.readers)
            .await
            .map_err(db_error)
    }
}

/// Column `at` of `row`.
fn get<T>(row: &<Db as sqlx::Database>::Row, at: usize) -> StoreResult<T>
where
    T: for<'r> sqlx::Decode<'r, Db> + sqlx::Type<Db>,
{
    use sqlx::Row as _;
    row.try_get(at).map_err(db_error)
}

/// Which rows a dump had for a revision (`revisions.dump_rows`).
const TITLE_ROW: i64 = 1;
const BODY_ROW: i64 = 2;
const TAGS_ROW: i64 = 4;
const ROLLBACK: i64 = 8;

/// The `dump_rows` of an imported revision: the fields it set, and whether it was
/// a rollback.
fn dump_rows(r: &BulkRevision) -> i64 {
    [
        (r.title.is_some(), TITLE_ROW),
        (r.body.is_some(), BODY_ROW),
        (r.tags.is_some(), TAGS_ROW),
        (r.rollback, ROLLBACK),
    ]
    .iter()
    .filter(|(set, _)| *set)
    .map(|(_, bit)| bit)
    .sum()
}

impl Backend {
    /// The profile fields a dump has (location and website, which every account
    /// has, and what an import kept beyond them) of the users with ids from
    /// `first` to `last` that have any.
    async fn profiles_between(
        &self,
        first: i64,
        last: i64,
    ) -> StoreResult<HashMap<i64, ImportedProfile>> {
        type ProfileRow = (
            i64,
            Option<String>,
            Option<String>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<String>,
            Option<i64>,
        );
        self.count();
        let rows: Vec<ProfileRow> = sqlx::query_as(
            "SELECT u.id, u.location, u.website_url, p.views, p.up_votes, p.down_votes, \
             p.profile_image, p.account_id FROM users u \
             LEFT JOIN imported_profiles p ON p.user_id = u.id WHERE u.id BETWEEN $1 AND $2 \
             AND (p.user_id IS NOT NULL OR u.location IS NOT NULL OR u.website_url IS NOT NULL)",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(
                |(user, location, website_url, views, up_votes, down_votes, image, account)| {
                    let profile = ImportedProfile {
                        location,
                        website_url,
                        views,
                        up_votes,
                        down_votes,
                        profile_image: image,
                        account_id: account,
                    };
                    (user, profile)
                },
            )
            .collect())
    }
}

/// A post's title, Markdown source and tags (space-separated) at a revision.
type RevisionState = (String, String, String);

impl Backend {
    /// The rows `sql` reads, in `tx`, for `ids` bound as its `$1` list.
    async fn rows_for_ids(
        &self,
        tx: &mut Tx<'_>,
        sql: &'static str,
        ids: Vec<i64>,
    ) -> StoreResult<Vec<<Db as sqlx::Database>::Row>> {
        self.count();
        bind_id_list(sqlx::query(sql), ids)
            .fetch_all(&mut **tx)
            .await
            .map_err(db_error)
    }

    /// Loads an import's revisions, each filled in from the revision of its post
    /// before it (earlier in the batch, or the latest stored) with what it did not
    /// set; revisions whose id is taken are skipped.
    async fn load_revisions(
        &self,
        tx: &mut Tx<'_>,
        revisions: &[BulkRevision],
    ) -> StoreResult<u64> {
        if revisions.is_empty() {
            return Ok(0);
        }
        let posts: Vec<i64> = revisions
            .iter()
            .map(|r| r.post_id.0)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut state: HashMap<i64, RevisionState> = HashMap::with_capacity(posts.len());
        let latest = self
            .rows_for_ids(
                tx,
                concat!(
                    "SELECT post_id, title, body_markdown, tags FROM revisions WHERE id IN \
                     (SELECT max(id) FROM revisions WHERE post_id IN (",
                    id_list!(),
                    ") GROUP BY post_id)"
                ),
                posts.clone(),
            )
            .await?;
        for row in &latest {
            state.insert(get(row, 0)?, (get(row, 1)?, get(row, 2)?, get(row, 3)?));
        }
        // A post's first revision starts from the post's title and tags (a dump
        // may hold body rows alone).
        let unrevised: Vec<i64> = posts
            .into_iter()
            .filter(|p| !state.contains_key(p))
            .collect();
        if !unrevised.is_empty() {
            let titles = self
                .rows_for_ids(
                    tx,
                    concat!("SELECT id, title FROM posts WHERE id IN (", id_list!(), ")"),
                    unrevised.clone(),
                )
                .await?;
            for row in &titles {
                state.insert(get(row, 0)?, (get(row, 1)?, String::new(), String::new()));
            }
            let tags = self
                .rows_for_ids(
                    tx,
                    concat!(
                        "SELECT pt.post_id, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
                         WHERE pt.post_id IN (",
                        id_list!(),
                        ") ORDER BY pt.post_id, pt.position"
                    ),
                    unrevised,
                )
                .await?;
            for row in &tags {
                if let Some((_, _, names)) = state.get_mut(&get::<i64>(row, 0)?) {
                    if !names.is_empty() {
                        names.push(' ');
                    }
                    names.push_str(&get::<String>(row, 1)?);
                }
            }
        }
        let mut filled = Vec::with_capacity(revisions.len());
        for r in revisions {
            let (title, body, tags) = state.entry(r.post_id.0).or_default();
            if let Some(new) = &r.title {
                title.clone_from(new);
            }
            if let Some(new) = &r.body {
                body.clone_from(new);
            }
            if let Some(new) = &r.tags {
                *tags = new.join(" ");
            }
            filled.push((r, title.clone(), body.clone(), tags.clone()));
        }
        let mut added = 0;
        for chunk in filled.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO revisions (id, post_id, editor_id, title, body_markdown, tags, summary, \
                 created_at, dump_guid, dump_rows, dump_title_row, dump_body_row, dump_tags_row, \
                 licence, time_millis, editor_name) ",
            );
            q.push_values(chunk, |mut b, (r, title, body, tags)| {
                b.push_bind(r.id)
                    .push_bind(r.post_id.0)
                    .push_bind(r.editor_id.0)
                    .push_bind(title)
                    .push_bind(body)
                    .push_bind(tags)
                    .push_bind(&r.summary)
                    .push_bind(r.created_at)
                    .push_bind(&r.guid)
                    .push_bind(dump_rows(r))
                    .push_bind(r.row_ids[0])
                    .push_bind(r.row_ids[1])
                    .push_bind(r.row_ids[2])
                    .push_bind(&r.licence)
                    .push_bind(r.time_millis)
                    .push_bind(&r.editor_name);
            });
            q.push(" ON CONFLICT (id) DO NOTHING");
            added += self.run(tx, q).await?;
        }
        Ok(added)
    }
}

#[async_trait::async_trait]
impl ponder_store::BulkStore for Backend {
    async fn bulk_load(&self, batch: BulkBatch) -> StoreResult<BulkLoaded> {
        let mut loaded = BulkLoaded::default();
        let mut tx = self.begin().await?;
        // Imported accounts wait for their owners to claim them.
        let imported_at = ponder_core::time::now();
        for chunk in batch.users.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO users (id, handle, display_name, reputation, about_markdown, about_html, \
                 created_at, last_seen_at, deleted_at, imported_at, location, website_url, time_millis) ",
            );
            q.push_values(chunk, |mut b, u| {
                b.push_bind(u.id.0)
                    .push_bind(&u.handle)
                    .push_bind(&u.display_name)
                    .push_bind(u.reputation)
                    .push_bind(u.about.markdown())
                    .push_bind(u.about.html())
                    .push_bind(u.created_at)
                    .push_bind(u.last_seen_at)
                    .push_bind(u.deleted_at)
                    .push_bind(imported_at)
                    .push_bind(u.profile.as_ref().and_then(|p| p.location.as_deref()))
                    .push_bind(u.profile.as_ref().and_then(|p| p.website_url.as_deref()))
                    .push_bind(u.time_millis);
            });
            q.push(" ON CONFLICT (id) DO NOTHING");
            loaded.users += self.run(&mut tx, q).await?;
        }
        let profiles: Vec<(i64, &ImportedProfile)> = batch
            .users
            .iter()
            .filter_map(|u| u.profile.as_ref().map(|p| (u.id.0, p)))
            .collect();
        for chunk in profiles.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO imported_profiles (user_id, views, up_votes, down_votes, profile_image, \
                 account_id) ",
            );
            q.push_values(chunk, |mut b, (user, p)| {
                b.push_bind(*user)
                    .push_bind(p.views)
                    .push_bind(p.up_votes)
                    .push_bind(p.down_votes)
                    .push_bind(&p.profile_image)
                    .push_bind(p.account_id);
            });
            q.push(" ON CONFLICT (user_id) DO NOTHING");
            self.run(&mut tx, q).await?;
        }
        for chunk in batch.tags.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO tags (id, name, description, question_count, moderator_only) ",
            );
            q.push_values(chunk, |mut b, t| {
                b.push_bind(t.id)
                    .push_bind(&t.name)
                    .push_bind(&t.description)
                    .push_bind(0i64)
                    .push_bind(i64::from(t.moderator_only));
            });
            q.push(" ON CONFLICT DO NOTHING");
            loaded.tags += self.run(&mut tx, q).await?;
        }
        let mut inserted: HashSet<i64> = HashSet::new();
        for chunk in batch.posts.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO posts (id, kind, parent_id, category_id, author_id, title, \
                 score, answer_count, comment_count, view_count, created_at, last_activity_at, \
                 edited_at, deleted_at, closed_at, close_reason, owner_name, licence, favorite_count, \
                 community_owned_at, time_millis) ",
            );
            q.push_values(chunk, |mut b, p| {
                b.push_bind(p.id.0)
                    .push_bind(p.kind.as_str())
                    .push_bind(p.parent_id.map(|x| x.0))
                    .push_bind(p.category_id.map(|x| x.0))
                    .push_bind(p.author_id.0)
                    .push_bind(&p.title)
                    .push_bind(p.score)
                    .push_bind(p.answer_count)
                    .push_bind(p.comment_count)
                    .push_bind(p.view_count)
                    .push_bind(p.created_at)
                    .push_bind(p.last_activity_at)
                    .push_bind(p.edited_at)
                    .push_bind(p.deleted_at)
                    .push_bind(p.closed_at)
                    .push_bind(&p.close_reason)
                    .push_bind(&p.owner_name)
                    .push_bind(&p.licence)
                    .push_bind(p.favorite_count)
                    .push_bind(p.community_owned_at)
                    .push_bind(p.time_millis);
            });
            // Accepted answers are set below, once the answer is in: PostgreSQL checks
            // the foreign key at once.
            q.push(" ON CONFLICT (id) DO NOTHING RETURNING id");
            self.count();
            let ids: Vec<(i64,)> = q
                .build_query_as()
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
            inserted.extend(ids.into_iter().map(|(id,)| id));
        }
        loaded.posts = inserted.len() as u64;
        let new_posts: Vec<&BulkPost> = batch
            .posts
            .iter()
            .filter(|p| inserted.contains(&p.id.0))
            .collect();
        for chunk in new_posts.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO post_bodies (post_id, body_markdown, body_html) ",
            );
            q.push_values(chunk, |mut b, p| {
                b.push_bind(p.id.0)
                    .push_bind(p.body.markdown())
                    .push_bind(p.body.html());
            });
            // A post given twice in one batch keeps its first body, as it keeps its
            // first row.
            q.push(" ON CONFLICT (post_id) DO NOTHING");
            self.run(&mut tx, q).await?;
        }
        // Every new live question's related list is due (`related_due`).
        let due: Vec<i64> = new_posts
            .iter()
            .filter(|p| {
                p.kind == PostKind::Question && p.deleted_at.is_none() && p.category_id.is_some()
            })
            .map(|p| p.id.0)
            .collect();
        for chunk in due.chunks(ROWS_PER_STATEMENT) {
            let mut q =
                QueryBuilder::<Db>::new("INSERT INTO related_lists (question_id, computed_at) ");
            q.push_values(chunk, |mut b, id| {
                b.push_bind(*id).push_bind(0i64);
            });
            q.push(" ON CONFLICT (question_id) DO NOTHING");
            self.run(&mut tx, q).await?;
        }
        self.load_post_tags(&mut tx, &batch.posts, &inserted)
            .await?;
        for chunk in batch.comments.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO comments (id, post_id, author_id, body_markdown, body_html, score, \
                 created_at, deleted_at, owner_name, licence, time_millis) ",
            );
            q.push_values(chunk, |mut b, c| {
                b.push_bind(c.id.0)
                    .push_bind(c.post_id.0)
                    .push_bind(c.author_id.0)
                    .push_bind(c.body.markdown())
                    .push_bind(c.body.html())
                    .push_bind(c.score)
                    .push_bind(c.created_at)
                    .push_bind(c.deleted_at)
                    .push_bind(&c.owner_name)
                    .push_bind(&c.licence)
                    .push_bind(c.time_millis);
            });
            q.push(" ON CONFLICT (id) DO NOTHING");
            loaded.comments += self.run(&mut tx, q).await?;
        }
        for chunk in batch.badges.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO badges (id, user_id, name, class, post_id, awarded_at, tag_based, imported, \
                 time_millis) ",
            );
            q.push_values(chunk, |mut b, x| {
                b.push_bind(x.id)
                    .push_bind(x.user_id.0)
                    .push_bind(&x.name)
                    .push_bind(&x.class)
                    .push_bind(x.post_id.map(|p| p.0))
                    .push_bind(x.awarded_at)
                    .push_bind(i64::from(x.tag_based))
                    // Every award loaded is kept, however often the badge repeats.
                    .push_bind(1_i64)
                    .push_bind(x.time_millis);
            });
            q.push(" ON CONFLICT DO NOTHING");
            loaded.badges += self.run(&mut tx, q).await?;
        }
        for chunk in batch.votes.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO imported_votes (id, post_id, vote_type, user_id, bounty, created_at) ",
            );
            q.push_values(chunk, |mut b, v| {
                b.push_bind(v.id)
                    .push_bind(v.post_id.0)
                    .push_bind(v.vote_type)
                    .push_bind(v.user_id.map(|u| u.0))
                    .push_bind(v.bounty)
                    .push_bind(v.created_at);
            });
            q.push(" ON CONFLICT (id) DO NOTHING");
            loaded.votes += self.run(&mut tx, q).await?;
        }
        for chunk in batch.cast_votes.chunks(ROWS_PER_STATEMENT) {
            let mut q =
                QueryBuilder::<Db>::new("INSERT INTO votes (post_id, user_id, value, created_at) ");
            q.push_values(chunk, |mut b, v| {
                b.push_bind(v.post_id.0)
                    .push_bind(v.user_id.0)
                    .push_bind(v.value)
                    .push_bind(v.created_at);
            });
            q.push(" ON CONFLICT (post_id, user_id) DO NOTHING");
            loaded.cast_votes += self.run(&mut tx, q).await?;
        }
        for chunk in batch.comment_votes.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new(
                "INSERT INTO comment_votes (comment_id, user_id, created_at) ",
            );
            q.push_values(chunk, |mut b, v| {
                b.push_bind(v.comment_id.0)
                    .push_bind(v.user_id.0)
                    .push_bind(v.created_at);
            });
            q.push(" ON CONFLICT (comment_id, user_id) DO NOTHING");
            loaded.comment_votes += self.run(&mut tx, q).await?;
        }
        loaded.revisions = self.load_revisions(&mut tx, &batch.revisions).await?;
        let sources = last_per_key(batch.sources.iter().map(|(p, md)| (p.0, md.as_str())));
        loaded.sources = self
            .update_from_values(&mut tx, &sources, &SET_SOURCES)
            .await?;
        let reasons = last_per_key(batch.close_reasons.iter().map(|(p, r)| (p.0, r.as_str())));
        loaded.close_reasons = self
            .update_from_values(&mut tx, &reasons, &SET_CLOSE_REASONS)
            .await?;
        let descriptions = last_per_key(
            batch
                .tag_descriptions
                .iter()
                .map(|(n, d)| (n.as_str(), d.as_str())),
        );
        loaded.tag_descriptions = self
            .update_from_values(&mut tx, &descriptions, &SET_TAG_DESCRIPTIONS)
            .await?;
        let wikis = last_per_key(
            batch
                .tag_wikis
                .iter()
                .map(|(name, wiki)| (name.as_str(), wiki.markdown())),
        );
        loaded.tag_wikis = self
            .update_from_values(&mut tx, &wikis, &SET_TAG_WIKI_MARKDOWN)
            .await?;
        let wikis = last_per_key(
            batch
                .tag_wikis
                .iter()
                .map(|(name, wiki)| (name.as_str(), wiki.html())),
        );
        self.update_from_values(&mut tx, &wikis, &SET_TAG_WIKI_HTML)
            .await?;
        let accepted = batch
            .posts
            .iter()
            .filter_map(|p| Some((p.id.0, p.accepted_answer_id?.0)))
            .chain(batch.accepted.iter().map(|(q, a)| (q.0, a.0)));
        let accepted = last_per_key(accepted);
        loaded.accepted = self
            .update_from_values(&mut tx, &accepted, &SET_ACCEPTED)
            .await?;
        let duplicates = last_per_key(batch.duplicates.iter().map(|(q, o)| (q.0, o.0)));
        loaded.duplicates = self
            .update_from_values(&mut tx, &duplicates, &SET_DUPLICATES)
            .await?;
        for chunk in batch.linked.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Db>::new("WITH v (key, value) AS (");
            q.push_values(chunk, |mut b, (post, question)| {
                b.push_bind(post.0).push_bind(question.0);
            });
            q.push(
                ") INSERT INTO post_links (post_id, question_id) SELECT v.key, v.value FROM v \
                 JOIN posts p ON p.id = v.key JOIN posts q ON q.id = v.value AND q.kind = 'question' \
                 WHERE v.key <> v.value ON CONFLICT DO NOTHING",
            );
            loaded.linked += self.run(&mut tx, q).await?;
        }
        self.log_change(&mut tx, ChangeKind::BulkLoaded, loaded.posts as i64)
            .await?;
        self.commit(tx).await?;
        self.after_bulk_load(&loaded).await?;
        Ok(loaded)
    }

    async fn recount(&self) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        // Only rows whose count is wrong are written: rewriting every post would
        // cost as much as loading it.
        for (table, column, count, narrow) in [
            (
                "posts",
                "answer_count",
                "SELECT count(*) FROM posts a WHERE a.parent_id = posts.id AND a.kind = 'answer' AND a.deleted_at IS NULL",
                "kind = 'question' AND ",
            ),
            (
                "posts",
                "comment_count",
                "SELECT count(*) FROM comments c WHERE c.post_id = posts.id AND c.deleted_at IS NULL",
                "",
            ),
            (
                "tags",
                "question_count",
                "SELECT count(*) FROM post_tags pt JOIN posts p ON p.id = pt.post_id \
                 WHERE pt.tag_id = tags.id AND p.deleted_at IS NULL",
                "",
            ),
        ] {
            let sql = format!(
                "UPDATE {table} SET {column} = ({count}) WHERE {narrow}{column} <> ({count})"
            );
            self.count();
            // Built from the constants above only.
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        // The lists' totals follow these updates through their triggers (and are
        // counted again whole when suspended triggers are restored).
        self.commit(tx).await
    }

    async fn suspend_indexes(&self, source: &str) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let indexes: Vec<(String, String)> = sqlx::query_as(crate::LOAD_INDEXES)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        // The triggers that keep the lists' totals: restoring them recounts.
        self.count();
        let triggers: Vec<(String, String)> = sqlx::query_as(crate::LOAD_TRIGGERS)
            .fetch_all(&mut *tx)
            .await
            .map_err(db_error)?;
        if !indexes.is_empty() || !triggers.is_empty() {
            let definitions: Vec<&str> = indexes
                .iter()
                .chain(&triggers)
                .map(|(_, d)| d.as_str())
                .collect();
            let definitions = serde_json::to_string(&definitions)
                .map_err(|e| ponder_store::StoreError::Database(Box::new(e)))?;
            // Kept only if nothing is kept yet: a run after a crash finds the indexes
            // gone and must not forget them.
            self.count();
            sqlx::query(
                "UPDATE imports SET suspended_indexes = $2 WHERE source = $1 AND suspended_indexes IS NULL",
            )
            .bind(source)
            .bind(definitions)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        for (name, _) in &indexes {
            self.count();
            // Names read from the catalog just now, quoted.
            let sql = format!("DROP INDEX IF EXISTS \"{}\"", name.replace('"', "\"\""));
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        for (drop, _) in &triggers {
            self.count();
            // A statement the catalog query made from the trigger's own name.
            sqlx::query(sqlx::AssertSqlSafe(drop.clone()))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        self.commit(tx).await
    }

    async fn update_statistics(&self) -> StoreResult<()> {
        self.analyze_filled_tables().await
    }

    async fn restore_indexes(&self, source: &str) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        self.count();
        let kept: Option<(Option<String>,)> =
            sqlx::query_as("SELECT suspended_indexes FROM imports WHERE source = $1")
                .bind(source)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        let Some((Some(kept),)) = kept else {
            return self.commit(tx).await;
        };
        // A JSON list of definitions; a site suspended by an earlier version kept
        // its indexes' alone, joined by ";\n".
        let definitions: Vec<String> = if kept.starts_with('[') {
            serde_json::from_str(&kept)
                .map_err(|e| ponder_store::StoreError::Database(Box::new(e)))?
        } else {
            kept.split(";\n").map(str::to_owned).collect()
        };
        let mut triggers_restored = false;
        for definition in &definitions {
            // Definitions the catalog gave when the indexes and triggers were dropped.
            let sql = if let Some(rest) = definition.strip_prefix("CREATE INDEX ") {
                format!("CREATE INDEX IF NOT EXISTS {rest}")
            } else if let Some(rest) = definition.strip_prefix("CREATE TRIGGER ") {
                triggers_restored = true;
                format!(concat!("CREATE ", create_trigger_again!(), " {}"), rest)
            } else {
                continue;
            };
            self.count();
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        if triggers_restored {
            self.recount_question_lists(&mut tx).await?;
        }
        self.count();
        sqlx::query("UPDATE imports SET suspended_indexes = NULL WHERE source = $1")
            .bind(source)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        self.commit(tx).await
    }

    async fn last_change_of(&self, kind: ChangeKind, after: i64) -> StoreResult<i64> {
        self.count();
        let (id,): (Option<i64>,) =
            sqlx::query_as("SELECT max(id) FROM changes WHERE id > $2 AND kind = $1")
                .bind(kind.as_str())
                .bind(after)
                .fetch_one(&self.readers)
                .await
                .map_err(db_error)?;
        Ok(id.unwrap_or(0))
    }

    async fn content_counts(&self) -> StoreResult<(i64, i64)> {
        self.count();
        sqlx::query_as("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts)")
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)
    }

    async fn import_run(&self, source: &str) -> StoreResult<Option<ImportRun>> {
        self.count();
        let row: Option<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT source, started_at, finished_at FROM imports WHERE source = $1")
                .bind(source)
                .fetch_optional(&self.writer)
                .await
                .map_err(db_error)?;
        Ok(row.map(|(source, started_at, finished_at)| ImportRun {
            source,
            started_at,
            finished_at,
        }))
    }

    async fn record_import(&self, source: &str, finished: bool, at: i64) -> StoreResult<()> {
        self.count();
        let sql = if finished {
            "UPDATE imports SET finished_at = $2 WHERE source = $1"
        } else {
            "INSERT INTO imports (source, started_at) VALUES ($1, $2) ON CONFLICT (source) DO NOTHING"
        };
        sqlx::query(sql)
            .bind(source)
            .bind(at)
            .execute(&self.writer)
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn export_users(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkUser>> {
        type UserRow = (
            i64,
            String,
            String,
            i64,
            String,
            String,
            i64,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let sql = "SELECT id, handle, display_name, reputation, about_markdown, about_html, \
                   created_at, last_seen_at, deleted_at, time_millis FROM users \
                   WHERE id > $1 ORDER BY id LIMIT $2";
        let rows: Vec<UserRow> = self.page_after(sql, after, limit).await?;
        let mut profiles = self
            .profiles_between(
                rows.first().map_or(0, |r| r.0),
                rows.last().map_or(-1, |r| r.0),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    handle,
                    display_name,
                    reputation,
                    md,
                    html,
                    created_at,
                    last_seen_at,
                    deleted_at,
                    time_millis,
                )| BulkUser {
                    id: UserId(id),
                    handle,
                    display_name,
                    reputation,
                    about: PostBody::from_storage(md, html),
                    created_at,
                    last_seen_at,
                    deleted_at,
                    profile: profiles.remove(&id),
                    time_millis,
                },
            )
            .collect())
    }

    async fn imported_profile(&self, user: UserId) -> StoreResult<Option<ImportedProfile>> {
        Ok(self.profiles_between(user.0, user.0).await?.remove(&user.0))
    }

    async fn export_posts(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkPost>> {
        let mut conn = self.readers.acquire().await.map_err(db_error)?;
        self.count();
        let rows = sqlx::query(
            "SELECT p.id, p.kind, p.parent_id, p.category_id, p.author_id, p.title, b.body_markdown, \
             b.body_html, p.score, p.answer_count, p.comment_count, p.view_count, p.accepted_answer_id, \
             p.created_at, p.last_activity_at, p.edited_at, p.deleted_at, p.closed_at, p.close_reason, \
             p.duplicate_of, p.owner_name, p.licence, p.favorite_count, p.community_owned_at, \
             p.time_millis FROM posts p JOIN post_bodies b ON b.post_id = p.id \
             WHERE p.id > $1 ORDER BY p.id LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;
        let rows = rows
            .iter()
            .map(|r| export_post(&crate::Cols(r)))
            .collect::<StoreResult<Vec<BulkPost>>>()?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            return Ok(Vec::new());
        };
        self.count();
        let tags: Vec<(i64, String)> = sqlx::query_as(
            "SELECT pt.post_id, t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id \
             WHERE pt.post_id BETWEEN $1 AND $2 ORDER BY pt.post_id, pt.position, t.name",
        )
        .bind(first.id.0)
        .bind(last.id.0)
        .fetch_all(&mut *conn)
        .await
        .map_err(db_error)?;
        let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (post, name) in tags {
            tags_of.entry(post).or_default().push(name);
        }
        Ok(rows
            .into_iter()
            .map(|mut p| {
                p.tags = tags_of.remove(&p.id.0).unwrap_or_default();
                p
            })
            .collect())
    }

    async fn export_comments(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkComment>> {
        type CommentRow = (
            i64,
            i64,
            i64,
            String,
            String,
            i64,
            i64,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let sql = "SELECT id, post_id, author_id, body_markdown, body_html, score, created_at, \
                   deleted_at, owner_name, licence, time_millis FROM comments \
                   WHERE id > $1 ORDER BY id LIMIT $2";
        let rows: Vec<CommentRow> = self.page_after(sql, after, limit).await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    post,
                    author,
                    md,
                    html,
                    score,
                    created_at,
                    deleted_at,
                    owner_name,
                    licence,
                    time_millis,
                )| {
                    BulkComment {
                        id: CommentId(id),
                        post_id: PostId(post),
                        author_id: UserId(author),
                        body: PostBody::from_storage(md, html),
                        score,
                        created_at,
                        deleted_at,
                        owner_name,
                        licence,
                        time_millis,
                    }
                },
            )
            .collect())
    }

    async fn export_tags(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkTag>> {
        type TagRow = (i64, String, String, i64, String, String, i64);
        let rows: Vec<TagRow> = self
            .page_after(
                "SELECT id, name, description, question_count, wiki_markdown, wiki_html, \
                 moderator_only FROM tags WHERE id > $1 ORDER BY id LIMIT $2",
                after,
                limit,
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name, description, question_count, wiki_markdown, wiki_html, only)| BulkTag {
                    id,
                    name,
                    description,
                    question_count,
                    wiki: PostBody::from_storage(wiki_markdown, wiki_html),
                    moderator_only: only != 0,
                },
            )
            .collect())
    }

    async fn export_votes(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkVote>> {
        // Imported votes keep their ids; the site's own follow them, their ids moved
        // past the largest imported one.
        self.count();
        let (offset,): (Option<i64>,) = sqlx::query_as("SELECT max(id) FROM imported_votes")
            .fetch_one(&self.readers)
            .await
            .map_err(db_error)?;
        let offset = offset.unwrap_or(0).max(0);
        type VoteRow = (i64, i64, i64, Option<i64>, Option<i64>, i64);
        let mut rows: Vec<VoteRow> = if after < offset {
            self.page_after(
                "SELECT id, post_id, vote_type, user_id, bounty, created_at FROM imported_votes \
                 WHERE id > $1 ORDER BY id LIMIT $2",
                after,
                limit,
            )
            .await?
        } else {
            Vec::new()
        };
        let wanted = limit.saturating_sub(u32::try_from(rows.len()).unwrap_or(u32::MAX));
        if wanted > 0 {
            let own: Vec<(i64, i64, i64, i64)> = self
                .page_after(
                    "SELECT id, post_id, value, created_at FROM votes WHERE id > $1 ORDER BY id LIMIT $2",
                    after.saturating_sub(offset).max(0),
                    wanted,
                )
                .await?;
            rows.extend(own.into_iter().map(|(id, post, value, created_at)| {
                let kind = if value > 0 {
                    UP_VOTE_TYPE
                } else {
                    DOWN_VOTE_TYPE
                };
                (id + offset, post, kind, None, None, created_at)
            }));
        }
        Ok(rows
            .into_iter()
            .map(|(id, post, vote_type, user, bounty, created_at)| BulkVote {
                id,
                post_id: PostId(post),
                vote_type,
                user_id: user.map(UserId),
                bounty,
                created_at,
            })
            .collect())
    }

    async fn export_revisions(&self, first: i64, last: i64) -> StoreResult<Vec<BulkRevision>> {
        self.count();
        let rows = sqlx::query(
            "SELECT id, post_id, editor_id, title, body_markdown, tags, summary, created_at, \
             dump_guid, dump_rows, dump_title_row, dump_body_row, dump_tags_row, licence, \
             time_millis, editor_name FROM revisions \
             WHERE post_id BETWEEN $1 AND $2 \
             ORDER BY post_id, id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|row| {
                let r = crate::Cols(row);
                use ponder_store::rows::RowAccess;
                // The site's own revisions set every field.
                let dump_rows = r.opt_int(9)?;
                let set = |bit: i64| dump_rows.is_none_or(|rows| rows & bit != 0);
                Ok(BulkRevision {
                    id: r.int(0)?,
                    post_id: PostId(r.int(1)?),
                    editor_id: UserId(r.int(2)?),
                    title: set(TITLE_ROW).then(|| r.text(3)).transpose()?,
                    body: set(BODY_ROW).then(|| r.text(4)).transpose()?,
                    tags: set(TAGS_ROW)
                        .then(|| r.text(5))
                        .transpose()?
                        .map(|tags| tags.split_whitespace().map(str::to_owned).collect()),
                    summary: r.text(6)?,
                    created_at: r.int(7)?,
                    guid: r.opt_text(8)?,
                    rollback: dump_rows.is_some_and(|rows| rows & ROLLBACK != 0),
                    imported: dump_rows.is_some(),
                    row_ids: [r.opt_int(10)?, r.opt_int(11)?, r.opt_int(12)?],
                    licence: r.opt_text(13)?,
                    time_millis: r.opt_int(14)?,
                    editor_name: r.opt_text(15)?,
                })
            })
            .collect()
    }

    async fn export_linked(&self, first: i64, last: i64) -> StoreResult<Vec<(PostId, PostId)>> {
        self.count();
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT post_id, question_id FROM post_links WHERE post_id BETWEEN $1 AND $2 \
             ORDER BY post_id, question_id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(post, question)| (PostId(post), PostId(question)))
            .collect())
    }

    async fn revision_ids(&self) -> StoreResult<RevisionIds> {
        self.count();
        let (largest, imported, bare): (Option<i64>, Option<i64>, i64) = sqlx::query_as(
            "SELECT max(id), max(CASE WHEN dump_rows IS NOT NULL THEN id END), \
             (SELECT count(*) FROM posts p WHERE NOT EXISTS \
             (SELECT 1 FROM revisions r WHERE r.post_id = p.id)) FROM revisions",
        )
        .fetch_one(&self.readers)
        .await
        .map_err(db_error)?;
        Ok(RevisionIds {
            largest: largest.unwrap_or(0),
            largest_imported: imported.unwrap_or(0),
            posts_without_history: bare,
        })
    }

    async fn export_badges(&self, after: i64, limit: u32) -> StoreResult<Vec<BulkBadge>> {
        type BadgeRow = (i64, i64, String, String, Option<i64>, i64, i64, Option<i64>);
        let rows: Vec<BadgeRow> = self
            .page_after(
                "SELECT id, user_id, name, class, post_id, awarded_at, tag_based, time_millis \
                 FROM badges \
                 WHERE id > $1 ORDER BY id LIMIT $2",
                after,
                limit,
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, user, name, class, post, awarded_at, tag_based, time_millis)| BulkBadge {
                    id,
                    user_id: UserId(user),
                    name,
                    class,
                    post_id: post.map(PostId),
                    awarded_at,
                    tag_based: tag_based != 0,
                    time_millis,
                },
            )
            .collect())
    }
}

/// Reads a post as exports want it (tags are filled in afterwards).
fn export_post(r: &impl ponder_store::rows::RowAccess) -> StoreResult<BulkPost> {
    Ok(BulkPost {
        id: PostId(r.int(0)?),
        kind: if r.text(1)? == "question" {
            PostKind::Question
        } else {
            PostKind::Answer
        },
        parent_id: r.opt_int(2)?.map(PostId),
        category_id: r.opt_int(3)?.map(ponder_core::CategoryId),
        author_id: UserId(r.int(4)?),
        title: r.text(5)?,
        body: PostBody::from_storage(r.text(6)?, r.text(7)?),
        tags: Vec::new(),
        score: r.int(8)?,
        answer_count: r.int(9)?,
        comment_count: r.int(10)?,
        view_count: r.int(11)?,
        accepted_answer_id: r.opt_int(12)?.map(PostId),
        created_at: r.int(13)?,
        last_activity_at: r.int(14)?,
        edited_at: r.opt_int(15)?,
        deleted_at: r.opt_int(16)?,
        closed_at: r.opt_int(17)?,
        close_reason: r.text(18)?,
        duplicate_of: r.opt_int(19)?.map(PostId),
        owner_name: r.opt_text(20)?,
        licence: r.opt_text(21)?,
        favorite_count: r.opt_int(22)?,
        community_owned_at: r.opt_int(23)?,
        time_millis: r.opt_int(24)?,
    })
}

impl Backend {
    /// Makes the question lists' totals (`question_counts`) again from the rows, as
    /// the triggers would have kept them.
    async fn recount_question_lists(
        &self,
        tx: &mut sqlx::Transaction<'static, crate::Db>,
    ) -> StoreResult<()> {
        for sql in [
            "DELETE FROM question_counts",
            "INSERT INTO question_counts (scope, scope_id, questions, unanswered) \
             SELECT 'site', 0, count(*), count(CASE WHEN answer_count = 0 THEN 1 END) FROM posts \
             WHERE kind = 'question' AND deleted_at IS NULL \
             UNION ALL SELECT 'category', category_id, count(*), count(CASE WHEN answer_count = 0 THEN 1 END) \
             FROM posts WHERE kind = 'question' AND deleted_at IS NULL GROUP BY category_id \
             UNION ALL SELECT 'author', author_id, count(*), count(CASE WHEN answer_count = 0 THEN 1 END) \
             FROM posts WHERE kind = 'question' AND deleted_at IS NULL GROUP BY author_id \
             UNION ALL SELECT 'tag', pt.tag_id, count(*), count(CASE WHEN p.answer_count = 0 THEN 1 END) \
             FROM post_tags pt JOIN posts p ON p.id = pt.post_id \
             WHERE p.kind = 'question' AND p.deleted_at IS NULL GROUP BY pt.tag_id",
        ] {
            self.count();
            sqlx::query(sql)
                .execute(&mut **tx)
                .await
                .map_err(db_error)?;
        }
        Ok(())
    }
}
