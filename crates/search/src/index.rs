//! The search index: one tantivy document per visible post, kept in step with the
//! database by following its change log.
//!
//! Every node keeps its own index in `<data>/index`. The id of the last change the
//! index has taken in is stored in the index's own commit, so after a restart it
//! catches up from there; a follower task then polls the change log and re-indexes
//! the whole thread of every post a change touched (a new answer changes its
//! question's answer count; a deleted question takes its answers with it).
//!
//! Long on purpose: the schema's field handles are private to this file and every
//! part (writing, following, searching, snippets, similar and related titles) uses
//! them.

use crate::directory::ReadDirectory;
use crate::query::{PostKindFilter, SearchQuery};
use ponder_core::markdown::{cut_at_word, plain_text};
use ponder_core::{CategoryId, PostId};
use ponder_feed::Gathered;
use ponder_store::{Category, Change, PostKind, SearchDoc, Store, StoreError};
use std::collections::HashMap;
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    Index, IndexReader, IndexSettings, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term, doc,
};

/// Changes to the schema bump this, and an index with another version is rebuilt.
const SCHEMA_VERSION: &str = "2";
/// The tokenizer for titles and bodies: lowercase, English stemming.
const TEXT_TOKENIZER: &str = "en_stem";
/// The search writer's memory budget, in bytes.
const WRITER_MEMORY: usize = 24_000_000;

/// How many of a title's words (the rarest) find its related questions.
const RELATED_WORDS: usize = 4;

/// How many of a question's tags find its related questions.
const RELATED_TAGS: usize = 5;

/// How much sharing tags weighs against sharing a word (in a body; a word in a
/// title weighs [`RELATED_TITLE_BOOST`]).
const RELATED_TAG_BOOST: f32 = 4.0;

/// How much a related question's title sharing a word weighs against its body.
const RELATED_TITLE_BOOST: f32 = 2.0;

/// A title word found in the bodies of more than one post in this many is too
/// common there to relate questions by their bodies.
const RELATED_BODY_SHARE: u64 = 20;

/// Decompressed blocks of stored documents kept per segment.
const DOC_STORE_CACHE_BLOCKS: usize = 8;

/// How much a title match weighs against a body match.
const TITLE_BOOST: f32 = 3.0;

/// What can go wrong in search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index failed (disk, corruption).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// Opening the index folder failed.
    #[error("search index folder: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// The database failed while feeding the index.
    #[error("reading posts for the index: {0}")]
    Store(#[from] StoreError),
    /// The writer lock was poisoned by a panic elsewhere.
    #[error("the search index writer is unavailable")]
    Poisoned,
}

/// Result of a search call.
pub type SearchResult<T> = Result<T, SearchError>;

struct Fields {
    id: Field,
    question_id: Field,
    kind: Field,
    title: Field,
    question_title: Field,
    body: Field,
    tags: Field,
    user: Field,
    category: Field,
    score: Field,
    answers: Field,
    accepted: Field,
    created: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Indexed, not stored: bodies are most of a site's text, and snippets are cut
    // from the database's copy (see `add_snippets`), so the index keeps only the
    // small fields a hit shows.
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_u64_field("id", INDEXED | STORED | FAST),
        question_id: b.add_u64_field("question_id", STORED | FAST),
        kind: b.add_text_field("kind", STRING | STORED),
        title: b.add_text_field("title", text.clone()),
        question_title: b.add_text_field("question_title", STORED),
        body: b.add_text_field("body", text),
        tags: b.add_text_field("tags", STRING),
        user: b.add_u64_field("user", INDEXED),
        category: b.add_u64_field("category", INDEXED),
        score: b.add_i64_field("score", INDEXED | STORED | FAST),
        answers: b.add_u64_field("answers", INDEXED | STORED),
        accepted: b.add_u64_field("accepted", INDEXED | STORED),
        created: b.add_i64_field("created", INDEXED | STORED | FAST),
    };
    (b.build(), fields)
}

/// How search results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchSort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    Newest,
    /// Highest score first.
    Votes,
}

impl SearchSort {
    /// Every order, as the tabs show them.
    pub const ALL: [SearchSort; 3] = [Self::Relevance, Self::Newest, Self::Votes];

    /// The name used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Newest => "newest",
            Self::Votes => "votes",
        }
    }

    /// Parses a `sort` parameter; absent means relevance.
    pub fn parse(raw: Option<&str>) -> Result<Self, String> {
        match raw.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Self::Relevance),
            Some(s) => Self::ALL
                .into_iter()
                .find(|sort| sort.as_str().eq_ignore_ascii_case(s))
                .ok_or_else(|| {
                    format!(
                        "unknown sort “{}”: use relevance, newest or votes",
                        s.chars().take(30).collect::<String>()
                    )
                }),
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The post.
    pub id: PostId,
    /// Its question.
    pub question_id: PostId,
    /// Question or answer.
    pub kind: PostKind,
    /// Its question's title.
    pub title: String,
    /// A passage of the body with the matched words in `<b>`, HTML-escaped.
    pub snippet_html: String,
    /// Its score.
    pub score: i64,
    /// Its question's answers.
    pub answers: u64,
    /// Accepted (answers) or has an accepted answer (questions).
    pub accepted: bool,
    /// When it was posted.
    pub created_at: i64,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// The hits on this page.
    pub hits: Vec<SearchHit>,
    /// How many posts match in all.
    pub total: usize,
}

/// The index, its reader and its single writer.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    last_change: AtomicI64,
}

impl SearchIndex {
    /// Opens the index in `dir` (creating it, or rebuilding it from nothing if it was
    /// made by another schema version). A fresh index starts from change 0.
    pub fn open(dir: &Path) -> SearchResult<Self> {
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Index(tantivy::TantivyError::from(e)))?;
        let (schema, fields) = schema();
        let directory = ReadDirectory::open(dir)?;
        let index = match Index::open_or_create(directory, schema.clone()) {
            Ok(index) if payload_version(&index).is_none_or(|v| v == SCHEMA_VERSION) => index,
            _ => {
                tracing::warn!("the search index was made by another version; rebuilding it");
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::Index(e.into()))?;
                std::fs::create_dir_all(dir).map_err(|e| SearchError::Index(e.into()))?;
                Index::create(ReadDirectory::open(dir)?, schema, IndexSettings::default())?
            }
        };
        Self::from_index(index, fields)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> SearchResult<Self> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields)
    }

    fn from_index(index: Index, fields: Fields) -> SearchResult<Self> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            // Each segment keeps this many decompressed blocks of stored documents;
            // a page reads a handful of documents, and a large cache per segment
            // costs megabytes while the follower's commits add segments.
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()?;
        // The writer's arena grows with the documents it holds before a commit; the
        // follower commits a few at a time, and a rebuild commits as the budget fills.
        // One merge thread: merges are small and rare next to the site's own work.
        let writer = index.writer_with_options(
            tantivy::indexer::IndexWriterOptions::builder()
                .memory_budget_per_thread(WRITER_MEMORY)
                .num_worker_threads(1)
                .num_merge_threads(1)
                .build(),
        )?;
        let last = payload_change(&index).unwrap_or(0);
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            last_change: AtomicI64::new(last),
        })
    }

    /// The last change the index has taken in.
    pub fn last_change(&self) -> i64 {
        self.last_change.load(Ordering::Acquire)
    }

    /// How many posts the index holds.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn document(
        &self,
        doc: &SearchDoc,
        ancestors: &HashMap<CategoryId, Vec<CategoryId>>,
    ) -> TantivyDocument {
        let f = &self.fields;
        let mut d = doc!(
            f.question_title => doc.title.as_str(),
            f.id => doc.id.0 as u64,
            f.question_id => doc.question_id.0 as u64,
            f.kind => doc.kind.as_str(),
            f.body => plain_text(&doc.body_markdown),
            f.user => doc.author_id.0 as u64,
            f.score => doc.score,
            f.answers => doc.answer_count.max(0) as u64,
            f.accepted => u64::from(doc.accepted),
            f.created => doc.created_at,
        );
        // Only a question's own document carries its title, so a title match finds
        // the question, not every answer under it.
        if doc.kind == PostKind::Question {
            d.add_text(f.title, &doc.title);
        } else {
            d.add_text(self.fields.title, "");
        }
        for tag in &doc.tags {
            d.add_text(f.tags, tag);
        }
        for category in ancestors
            .get(&doc.category_id)
            .map(Vec::as_slice)
            .unwrap_or(&[doc.category_id])
        {
            d.add_u64(f.category, category.0 as u64);
        }
        d
    }

    /// Writes these documents (dropping invisible ones) and commits with `change` as
    /// the index's position in the change log.
    fn write(&self, docs: &[SearchDoc], categories: &[Category], change: i64) -> SearchResult<()> {
        let ancestors = ancestor_map(categories);
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for doc in docs {
            writer.delete_term(Term::from_field_u64(self.fields.id, doc.id.0 as u64));
            if doc.visible {
                writer.add_document(self.document(doc, &ancestors))?;
            }
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&format!("{SCHEMA_VERSION} {change}"));
        commit.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.last_change.store(change, Ordering::Release);
        Ok(())
    }

    /// Takes in the changes after the index's position (at most `batch` of them);
    /// returns how many changes it read.
    pub async fn sync_once(&self, store: &dyn Store, batch: u32) -> SearchResult<usize> {
        Ok(self.sync_batch(store, batch).await?.changes)
    }

    /// [`SearchIndex::sync_once`], telling also which questions' threads changed.
    pub async fn sync_batch(&self, store: &dyn Store, batch: u32) -> SearchResult<Synced> {
        let changes = store.changes_since(self.last_change(), batch).await?;
        if changes.is_empty() {
            return Ok(Synced::default());
        }
        let gathered = Gathered::from_changes(&changes);
        // Read before the index moves past these changes: a failure here leaves
        // them to be read again.
        let questions = store
            .thread_questions(&gathered.posts(), &gathered.comments)
            .await?;
        let last = changes.last().map_or(self.last_change(), |c| c.id);
        self.take_gathered(store, &gathered, last).await?;
        Ok(Synced {
            changes: changes.len(),
            questions,
            everything: gathered.everything,
        })
    }

    /// Indexes again the posts `changes` touch and moves the index's position to
    /// the last of them; on an error the position stays, so nothing is missed.
    pub async fn take_changes(&self, store: &dyn Store, changes: &[Change]) -> SearchResult<()> {
        let Some(last) = changes.last().map(|c| c.id) else {
            return Ok(());
        };
        self.take_gathered(store, &Gathered::from_changes(changes), last)
            .await
    }

    /// Indexes again the posts `gathered` names and moves the position to `last`.
    async fn take_gathered(
        &self,
        store: &dyn Store,
        gathered: &Gathered,
        last: i64,
    ) -> SearchResult<()> {
        let docs = store.search_documents(&gathered.indexed).await?;
        let categories = if docs.is_empty() {
            Vec::new()
        } else {
            store.categories().await?
        };
        self.write(&docs, &categories, last)
    }

    /// Takes in every change there is, batch by batch.
    pub async fn catch_up(&self, store: &dyn Store) -> SearchResult<usize> {
        let mut total = 0;
        loop {
            let read = self.sync_once(store, 1_000).await?;
            total += read;
            if read == 0 {
                return Ok(total);
            }
        }
    }

    /// Takes in every change up to the newest one in the log when called, waiting
    /// (polling every 20 ms, up to `patience`) for changes the store still holds
    /// back: PostgreSQL shows a committed change only once every older transaction
    /// has ended. Returns whether the index got there.
    pub async fn catch_up_settled(
        &self,
        store: &dyn Store,
        patience: std::time::Duration,
    ) -> SearchResult<bool> {
        let target = store.last_change_id().await?;
        let started = std::time::Instant::now();
        loop {
            self.catch_up(store).await?;
            if self.last_change() >= target {
                return Ok(true);
            }
            if started.elapsed() >= patience {
                return Ok(false);
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Rebuilds the index from the database; `progress` hears the number of
    /// questions done after each batch. Readers keep seeing the old index until the
    /// single commit at the end.
    pub async fn rebuild(
        &self,
        store: &dyn Store,
        mut progress: impl FnMut(u64),
    ) -> SearchResult<u64> {
        // Changes made while rebuilding are taken in afterwards by the follower.
        let position = store.last_change_id().await?;
        let categories = store.categories().await?;
        let ancestors = ancestor_map(&categories);
        let mut after = PostId(0);
        let mut done = 0;
        {
            let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
            writer.delete_all_documents()?;
        }
        loop {
            let ids = store.question_ids_after(after, 1_000).await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            let docs = store.search_documents(&ids).await?;
            {
                let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
                for doc in docs.iter().filter(|d| d.visible) {
                    writer.add_document(self.document(doc, &ancestors))?;
                }
            }
            done += ids.len() as u64;
            progress(done);
            after = last;
        }
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&format!("{SCHEMA_VERSION} {position}"));
        commit.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.last_change.store(position, Ordering::Release);
        Ok(done)
    }

    /// Runs a search: `category_ids` is the category a `category:` operator named,
    /// already resolved (with `None` for no such category).
    pub fn search(
        &self,
        query: &SearchQuery,
        category: Option<Option<CategoryId>>,
        sort: SearchSort,
        offset: usize,
        limit: usize,
    ) -> SearchResult<SearchResults> {
        let searcher = self.reader.searcher();
        let Some(built) = self.build_query(query, category)? else {
            return Ok(SearchResults::default());
        };
        // One pass over the matches counts them and keeps the page's top documents.
        let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
        let (total, addresses): (usize, Vec<tantivy::DocAddress>) = match sort {
            SearchSort::Relevance => {
                let (total, top) = searcher.search(&*built, &(Count, top.order_by_score()))?;
                (total, top.into_iter().map(|(_, a)| a).collect())
            }
            SearchSort::Newest => {
                let (total, top) = searcher.search(
                    &*built,
                    &(
                        Count,
                        top.order_by_fast_field::<i64>("created", Order::Desc),
                    ),
                )?;
                (total, top.into_iter().map(|(_, a)| a).collect())
            }
            SearchSort::Votes => {
                let (total, top) = searcher.search(
                    &*built,
                    &(Count, top.order_by_fast_field::<i64>("score", Order::Desc)),
                )?;
                (total, top.into_iter().map(|(_, a)| a).collect())
            }
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            hits.push(self.hit(&doc));
        }
        Ok(SearchResults { hits, total })
    }

    /// Gives `hits` (found by `query` in `category`) their snippets: a passage of
    /// each body, read from `store`, with the query's words in `<b>`; a body
    /// without them shows its beginning.
    pub async fn add_snippets(
        &self,
        store: &dyn Store,
        query: &SearchQuery,
        category: Option<Option<CategoryId>>,
        hits: &mut [SearchHit],
    ) -> SearchResult<()> {
        if hits.is_empty() {
            return Ok(());
        }
        let ids: Vec<PostId> = hits.iter().map(|h| h.id).collect();
        let bodies: HashMap<PostId, String> = store
            .post_bodies(&ids)
            .await?
            .into_iter()
            .map(|(id, markdown)| (id, plain_text(&markdown)))
            .collect();
        let generator = match self.build_query(query, category)? {
            Some(built) => {
                let searcher = self.reader.searcher();
                let mut generator = SnippetGenerator::create(&searcher, &*built, self.fields.body)?;
                generator.set_max_num_chars(240);
                Some(generator)
            }
            None => None,
        };
        for hit in hits {
            let Some(text) = bodies.get(&hit.id) else {
                continue;
            };
            hit.snippet_html = match generator.as_ref().map(|g| g.snippet(text)) {
                Some(snippet) if !snippet.fragment().is_empty() => snippet.to_html(),
                _ => ponder_core::text::escape_html(&cut_at_word(text, 240)),
            };
        }
        Ok(())
    }

    /// The hit for a stored document, without a snippet.
    fn hit(&self, doc: &TantivyDocument) -> SearchHit {
        let f = &self.fields;
        let u64_of = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_u64())
                .unwrap_or_default()
        };
        let i64_of = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_i64())
                .unwrap_or_default()
        };
        let text_of = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let kind = if text_of(f.kind) == "answer" {
            PostKind::Answer
        } else {
            PostKind::Question
        };
        SearchHit {
            id: PostId(u64_of(f.id) as i64),
            question_id: PostId(u64_of(f.question_id) as i64),
            kind,
            title: text_of(f.question_title),
            snippet_html: String::new(),
            score: i64_of(f.score),
            answers: u64_of(f.answers),
            accepted: u64_of(f.accepted) == 1,
            created_at: i64_of(f.created),
        }
    }

    /// The words of `text` as the text fields index them.
    fn tokens(&self, text: &str) -> SearchResult<Vec<String>> {
        let mut analyzer = self.index.tokenizer_for_field(self.fields.body)?;
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        Ok(out)
    }

    /// A word in the title (boosted) or the body.
    fn word_query(&self, token: &str) -> Box<dyn Query> {
        let f = &self.fields;
        let title: Box<dyn Query> = Box::new(BoostQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(f.title, token),
                IndexRecordOption::WithFreqs,
            )),
            TITLE_BOOST,
        ));
        let body: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(f.body, token),
            IndexRecordOption::WithFreqs,
        ));
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, title),
            (Occur::Should, body),
        ]))
    }

    fn phrase_query(&self, tokens: &[String]) -> Box<dyn Query> {
        let f = &self.fields;
        let phrase = |field: Field| -> Box<dyn Query> {
            Box::new(PhraseQuery::new(
                tokens
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect(),
            ))
        };
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(phrase(f.title), TITLE_BOOST)),
            ),
            (Occur::Should, phrase(f.body)),
        ]))
    }

    /// The tantivy query for a parsed search, or `None` when it asks for nothing.
    fn build_query(
        &self,
        query: &SearchQuery,
        category: Option<Option<CategoryId>>,
    ) -> SearchResult<Option<Box<dyn Query>>> {
        if query.is_empty() {
            return Ok(None);
        }
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut any_positive = false;
        for word in &query.words {
            for token in self.tokens(word)? {
                clauses.push((Occur::Must, self.word_query(&token)));
                any_positive = true;
            }
        }
        for phrase in &query.phrases {
            let tokens = self.tokens(phrase)?;
            match tokens.len() {
                0 => {}
                1 => clauses.push((Occur::Must, self.word_query(&tokens[0]))),
                _ => clauses.push((Occur::Must, self.phrase_query(&tokens))),
            }
            any_positive |= !tokens.is_empty();
        }
        for word in &query.excluded {
            for token in self.tokens(word)? {
                clauses.push((Occur::MustNot, self.word_query(&token)));
            }
        }
        let term =
            |t: Term| -> Box<dyn Query> { Box::new(TermQuery::new(t, IndexRecordOption::Basic)) };
        for tag in &query.tags {
            clauses.push((Occur::Must, term(Term::from_field_text(f.tags, tag))));
            any_positive = true;
        }
        if let Some(user) = query.user {
            clauses.push((
                Occur::Must,
                term(Term::from_field_u64(f.user, user.max(0) as u64)),
            ));
            any_positive = true;
        }
        match category {
            Some(Some(id)) => {
                clauses.push((
                    Occur::Must,
                    term(Term::from_field_u64(f.category, id.0 as u64)),
                ));
                any_positive = true;
            }
            Some(None) => return Ok(Some(Box::new(EmptyQuery))),
            None => {}
        }
        let kind = match (query.kind, query.answers, query.accepted) {
            (Some(PostKindFilter::Question), _, _) | (None, Some(_), None) => Some("question"),
            (Some(PostKindFilter::Answer), _, _) | (None, None, Some(_)) => Some("answer"),
            _ => None,
        };
        if let Some(kind) = kind {
            clauses.push((Occur::Must, term(Term::from_field_text(f.kind, kind))));
            any_positive = true;
        }
        if let Some(min) = query.min_score {
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.score, min)),
                    Bound::Unbounded,
                )),
            ));
            any_positive = true;
        }
        match query.answers {
            Some(0) => clauses.push((Occur::Must, term(Term::from_field_u64(f.answers, 0)))),
            Some(n) => clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(f.answers, u64::from(n))),
                    Bound::Unbounded,
                )),
            )),
            None => {}
        }
        if let Some(accepted) = query.accepted {
            clauses.push((
                Occur::Must,
                term(Term::from_field_u64(f.accepted, u64::from(accepted))),
            ));
        }
        if !any_positive {
            // Only exclusions (or words that are all stop words): nothing to look for.
            return Ok(None);
        }
        Ok(Some(Box::new(BooleanQuery::new(clauses))))
    }

    /// The questions related to one with `title` and `subject`, best first, without
    /// `exclude`, and without snippets: the question page's related list (and, with
    /// no subject, the ask form's questions with a similar title).
    ///
    /// A related question shares the subject: it is filed in the same tree of
    /// categories, and shares a tag when the question has tags, else its category
    /// and a word. Among those, shared tags weigh most
    /// (a rare tag more than a common one), then the title's rarest words found in
    /// a title (or, less, in a body), then the category; so the list is shorter, or
    /// empty, rather than padded with questions that merely share a word. Without a
    /// subject it is a plain disjunction of the title's rarest words, which tantivy
    /// answers by skipping blocks of documents that cannot reach the top.
    pub fn related(
        &self,
        title: &str,
        subject: &Subject,
        exclude: Option<PostId>,
        limit: usize,
    ) -> SearchResult<Vec<SearchHit>> {
        let searcher = self.reader.searcher();
        let found = self.related_documents(&searcher, title, subject, exclude.is_some(), limit)?;
        first_others(found, exclude, limit, |address| {
            let doc: TantivyDocument = searcher.doc(address)?;
            let hit = self.hit(&doc);
            Ok(Some((hit.id, hit)))
        })
    }

    /// The ids of [`SearchIndex::related`]'s questions, read from the id column
    /// rather than the stored documents (for computing many lists at once).
    pub fn related_ids(
        &self,
        title: &str,
        subject: &Subject,
        exclude: Option<PostId>,
        limit: usize,
    ) -> SearchResult<Vec<PostId>> {
        let searcher = self.reader.searcher();
        let found = self.related_documents(&searcher, title, subject, exclude.is_some(), limit)?;
        first_others(found, exclude, limit, |address| {
            let column = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("id")?;
            Ok(column
                .first(address.doc_id)
                .and_then(|id| i64::try_from(id).ok())
                .map(|id| (PostId(id), PostId(id))))
        })
    }

    /// The best `limit + 1` documents related to `title` and `subject` (one more,
    /// for the question itself among them, when `excluding_itself`).
    fn related_documents(
        &self,
        searcher: &tantivy::Searcher,
        title: &str,
        subject: &Subject,
        excluding_itself: bool,
        limit: usize,
    ) -> SearchResult<Vec<tantivy::DocAddress>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let f = &self.fields;
        let words = self.rarest_title_words(searcher, title, excluding_itself)?;
        // A word found in most bodies says nothing of a subject, and its long list
        // of documents costs the most to walk: bodies count only for words in at
        // most one post in RELATED_BODY_SHARE (on a small site, walking any list
        // is cheap: there bodies count for words in up to a hundred posts).
        let common_in_bodies = (searcher.num_docs() / RELATED_BODY_SHARE).max(100);
        let mut body_words = Vec::with_capacity(words.len());
        for word in &words {
            let body = Term::from_field_text(f.body, word);
            if searcher.doc_freq(&body)? <= common_in_bodies {
                body_words.push(body);
            }
        }
        let word_clauses = |with_bodies: bool| -> Vec<(Occur, Box<dyn Query>)> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for word in &words {
                let title = TermQuery::new(
                    Term::from_field_text(f.title, word),
                    IndexRecordOption::WithFreqs,
                );
                if !with_bodies {
                    clauses.push((Occur::Should, Box::new(title)));
                    continue;
                }
                clauses.push((Occur::Should, boosted(title, RELATED_TITLE_BOOST)));
            }
            if with_bodies {
                for body in &body_words {
                    clauses.push((
                        Occur::Should,
                        Box::new(TermQuery::new(body.clone(), IndexRecordOption::WithFreqs)),
                    ));
                }
            }
            clauses
        };
        let tags: Vec<Term> = subject
            .tags
            .iter()
            .take(RELATED_TAGS)
            .map(|tag| Term::from_field_text(f.tags, tag))
            .collect();
        let category = subject
            .category
            .map(|id| Term::from_field_u64(f.category, id.0 as u64));
        let query: Box<dyn Query> = if !tags.is_empty() {
            // Shares a tag (required), ranked by the tags, words and category shared.
            let shares_a_tag: Vec<(Occur, Box<dyn Query>)> = tags
                .iter()
                .map(|tag| {
                    let query: Box<dyn Query> =
                        Box::new(TermQuery::new(tag.clone(), IndexRecordOption::Basic));
                    (Occur::Should, query)
                })
                .collect();
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Must, question_kind(f)),
                (
                    Occur::Must,
                    boosted(BooleanQuery::new(shares_a_tag), RELATED_TAG_BOOST),
                ),
            ];
            if let Some(area) = subject.area {
                let area = Term::from_field_u64(f.category, area.0 as u64);
                clauses.push((
                    Occur::Must,
                    boosted(TermQuery::new(area, IndexRecordOption::Basic), 0.0),
                ));
            }
            clauses.extend(word_clauses(true));
            if let Some(category) = category {
                clauses.push((
                    Occur::Should,
                    Box::new(TermQuery::new(category, IndexRecordOption::Basic)),
                ));
            }
            Box::new(BooleanQuery::new(clauses))
        } else if words.is_empty() {
            return Ok(Vec::new());
        } else if let Some(category) = category {
            // No tags: the category and a word of the title.
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, question_kind(f)),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(category, IndexRecordOption::Basic)),
                ),
                (Occur::Must, Box::new(BooleanQuery::new(word_clauses(true)))),
            ]))
        } else {
            // Titles alone (only questions have one: no filter on the kind needed).
            Box::new(BooleanQuery::new(word_clauses(false)))
        };
        let top = searcher.search(&query, &TopDocs::with_limit(limit + 1).order_by_score())?;
        Ok(top.into_iter().map(|(_, address)| address).collect())
    }

    /// The words of `title` (at most [`RELATED_WORDS`]) rarest among titles. A
    /// word in no other title than the question's own (`excluding_itself`) relates
    /// nothing and is left out.
    fn rarest_title_words(
        &self,
        searcher: &tantivy::Searcher,
        title: &str,
        excluding_itself: bool,
    ) -> SearchResult<Vec<String>> {
        let mut tokens = self.tokens(title)?;
        tokens.sort_unstable();
        tokens.dedup();
        // The rarest words say the most about a title and have the shortest lists
        // of documents to walk; common ones add cost and little else.
        let least = if excluding_itself { 2 } else { 1 };
        let mut terms = Vec::with_capacity(tokens.len());
        for token in tokens {
            let term = Term::from_field_text(self.fields.title, &token);
            let frequency = searcher.doc_freq(&term)?;
            if frequency >= least {
                terms.push((frequency, token));
            }
        }
        terms.sort_by_key(|(frequency, _)| *frequency);
        Ok(terms
            .into_iter()
            .take(RELATED_WORDS)
            .map(|(_, token)| token)
            .collect())
    }
}

/// What `read` makes of the first `limit` of `found` that are not `exclude` (it
/// gives each one's post id beside it, or nothing for a document it cannot read).
fn first_others<T>(
    found: Vec<tantivy::DocAddress>,
    exclude: Option<PostId>,
    limit: usize,
    mut read: impl FnMut(tantivy::DocAddress) -> SearchResult<Option<(PostId, T)>>,
) -> SearchResult<Vec<T>> {
    let mut kept = Vec::with_capacity(limit);
    for address in found {
        if kept.len() == limit {
            break;
        }
        if let Some((id, value)) = read(address)?
            && Some(id) != exclude
        {
            kept.push(value);
        }
    }
    Ok(kept)
}

/// What a question is about, for finding the questions related to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Subject {
    /// Its tags.
    pub tags: Vec<String>,
    /// The category it is filed in.
    pub category: Option<CategoryId>,
    /// The top of that category's tree: a related question is filed somewhere
    /// under it (a tag shared across trees, "style" in programming and in English
    /// usage, is a homonym, not a subject).
    pub area: Option<CategoryId>,
}

/// `query` weighed `boost` times.
fn boosted(query: impl Query + 'static, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(Box::new(query), boost))
}

/// Questions only (answers carry their question's tags and category too).
fn question_kind(f: &Fields) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(f.kind, "question"),
        IndexRecordOption::Basic,
    ))
}

/// Each category with its ancestors (itself first), so a question filed deep in the
/// tree is found under every category above it.
fn ancestor_map(categories: &[Category]) -> HashMap<CategoryId, Vec<CategoryId>> {
    let parents: HashMap<CategoryId, Option<CategoryId>> =
        categories.iter().map(|c| (c.id, c.parent_id)).collect();
    categories
        .iter()
        .map(|c| {
            let mut chain = vec![c.id];
            let mut next = c.parent_id;
            while let Some(p) = next {
                if chain.len() > 64 || chain.contains(&p) {
                    break;
                }
                chain.push(p);
                next = parents.get(&p).copied().flatten();
            }
            (c.id, chain)
        })
        .collect()
}

fn payload(index: &Index) -> Option<String> {
    index.load_metas().ok().and_then(|m| m.payload)
}

fn payload_version(index: &Index) -> Option<String> {
    payload(index).and_then(|p| p.split_whitespace().next().map(str::to_owned))
}

fn payload_change(index: &Index) -> Option<i64> {
    payload(index).and_then(|p| p.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
}

/// What one pass over the change log took in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synced {
    /// How many changes it read.
    pub changes: usize,
    /// The questions whose threads changed: a post in them was written, edited,
    /// deleted, voted on, accepted, flagged, closed, locked or protected, or a
    /// comment in them written, voted on or restored.
    pub questions: Vec<PostId>,
    /// Whether something every page may show changed (a user's name, the category
    /// tree, a bulk load), so that no kept page should be trusted.
    pub everything: bool,
}

/// The index follows the change log as one of the feed's subscribers.
#[async_trait::async_trait]
impl ponder_feed::Subscriber for SearchIndex {
    fn name(&self) -> &'static str {
        "search index"
    }

    fn position(&self) -> i64 {
        self.last_change()
    }

    async fn take(
        &self,
        store: &dyn Store,
        changes: &[Change],
    ) -> Result<(), ponder_feed::SubscriberError> {
        Ok(self.take_changes(store, changes).await?)
    }
}
