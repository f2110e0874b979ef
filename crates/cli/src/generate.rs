//! `ponder demo --questions N`: a synthetic site at scale, for benchmarks. Text is
//! drawn from a fixed vocabulary by a seeded generator, so every run with the same
//! numbers makes the same site; rows go in through the store's bulk loader in
//! batches of a thousand questions, and the search index is rebuilt at the end.
//!
//! Long on purpose: the generator's vocabulary and its one seeded pass over users,
//! questions, answers, comments and votes belong together.

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ponder_core::{CategoryId, CommentId, PostId, UserId};
use ponder_store::{
    BulkBatch, BulkComment, BulkPost, BulkUser, NewCategory, PostBody, PostKind, Store,
};

/// Options of `ponder demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// How many questions to make (about 2 answers and 3 comments each).
    #[arg(long, default_value_t = 1_000)]
    questions: u64,
    /// The seed: the same seed and numbers make the same site.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// A small, fast, seeded generator (PCG-style); not for anything secret.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let x = (self.0 ^ (self.0 >> 22)) >> (22 + (self.0 >> 61));
        if n == 0 { 0 } else { x % n }
    }

    /// A number from `lo` to `hi` inclusive.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// An index skewed toward 0, as popularity is (roughly Zipf-like).
    pub fn skewed(&mut self, n: u64) -> u64 {
        let a = self.below(n.max(1));
        let b = self.below(n.max(1));
        a.min(b).min(self.below(n.max(1)))
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "it",
    "that",
    "for",
    "on",
    "with",
    "as",
    "this",
    "by",
    "from",
    "at",
    "or",
    "be",
    "not",
    "are",
    "can",
    "when",
    "which",
    "how",
    "why",
    "what",
    "does",
    "should",
    "would",
    "could",
    "data",
    "table",
    "index",
    "query",
    "server",
    "client",
    "request",
    "response",
    "value",
    "function",
    "method",
    "error",
    "result",
    "field",
    "record",
    "file",
    "folder",
    "thread",
    "process",
    "memory",
    "cache",
    "network",
    "history",
    "war",
    "empire",
    "treaty",
    "century",
    "king",
    "river",
    "city",
    "trade",
    "language",
    "word",
    "grammar",
    "verb",
    "noun",
    "sentence",
    "bread",
    "flour",
    "oven",
    "butter",
    "sugar",
    "recipe",
    "heat",
    "light",
    "energy",
    "force",
    "mass",
    "orbit",
    "star",
    "planet",
    "moon",
    "cell",
    "gene",
    "protein",
    "plant",
    "water",
    "time",
    "year",
    "day",
    "way",
    "people",
    "place",
    "number",
    "part",
    "case",
    "point",
    "fact",
    "problem",
    "answer",
    "question",
    "reason",
    "example",
    "difference",
    "change",
    "order",
    "system",
    "model",
    "rule",
    "limit",
    "size",
    "slow",
    "fast",
    "large",
    "small",
    "old",
    "new",
    "first",
    "last",
    "same",
    "other",
    "different",
    "simple",
    "clear",
    "exact",
    "common",
    "rare",
    "safe",
    "correct",
    "wrong",
    "better",
    "best",
    "worse",
    "free",
    "full",
    "use",
    "make",
    "find",
    "keep",
    "read",
    "write",
    "store",
    "load",
    "send",
    "build",
    "run",
    "stop",
    "start",
    "measure",
    "compare",
    "explain",
    "happen",
    "move",
    "grow",
    "fall",
    "rise",
    "work",
    "fail",
    "return",
];

const CODE: &[&str] = &[
    "let total = items.iter().map(|x| x.size).sum::<u64>();",
    "SELECT id, title FROM posts WHERE score > 10 ORDER BY score DESC;",
    "for (i, line) in text.lines().enumerate() {",
    "    println!(\"{i}: {line}\");",
    "}",
    "def mean(values):\n    return sum(values) / len(values)",
    "git log --oneline --graph | head -20",
    "const result = await fetch(url).then(r => r.json());",
];

const TOPICS: &[(&str, &[&str])] = &[
    (
        "History",
        &[
            "Ancient",
            "Medieval",
            "Early Modern",
            "Modern",
            "Contemporary",
        ],
    ),
    (
        "Science",
        &[
            "Physics",
            "Chemistry",
            "Biology",
            "Astronomy",
            "Geology",
            "Mathematics",
        ],
    ),
    (
        "Technology",
        &[
            "Programming",
            "Databases",
            "Networking",
            "Security",
            "Hardware",
            "Operating Systems",
        ],
    ),
    (
        "Cooking",
        &[
            "Baking",
            "Techniques",
            "Ingredients",
            "Equipment",
            "Preserving",
        ],
    ),
    (
        "Languages",
        &["English", "French", "German", "Spanish", "Linguistics"],
    ),
    (
        "Arts",
        &["Music", "Painting", "Literature", "Film", "Photography"],
    ),
    ("Health", &["Nutrition", "Exercise", "Sleep", "Medicine"]),
    (
        "Travel",
        &["Europe", "Asia", "Americas", "Africa", "Oceania"],
    ),
];

fn sentence(rng: &mut Rng, words: u64) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn title(rng: &mut Rng) -> String {
    let start = rng.pick(&[
        "How", "Why", "What", "When", "Which", "Can", "Should", "Does",
    ]);
    format!("{start} {}?", {
        let words = rng.between(7, 11);
        sentence(rng, words).to_lowercase()
    })
}

fn body(rng: &mut Rng, lo: u64, hi: u64) -> String {
    let mut words = rng.between(lo, hi);
    let mut out = String::new();
    while words > 0 {
        let n = rng.between(15, 60).min(words);
        out.push_str(&sentence(rng, n));
        out.push_str(".\n\n");
        words -= n;
        if rng.below(6) == 0 {
            out.push_str("```\n");
            for _ in 0..rng.between(1, 4) {
                out.push_str(rng.pick(CODE));
                out.push('\n');
            }
            out.push_str("```\n\n");
        }
    }
    out
}

fn tag_name(i: u64) -> String {
    let a = WORDS[(i % WORDS.len() as u64) as usize];
    let b = WORDS[((i / WORDS.len() as u64) % WORDS.len() as u64) as usize];
    if i < WORDS.len() as u64 {
        a.to_owned()
    } else {
        format!("{a}-{b}")
    }
}

/// Makes the site.
pub async fn run(site: &SiteArgs, args: DemoArgs) -> Result<()> {
    let store = open_store(site).await?;
    if !store.is_empty().await? {
        bail!("the site already has content; point --data (or --database-url) at an empty one");
    }
    let started = std::time::Instant::now();
    let mut rng = Rng::new(args.seed);
    let now = ponder_core::time::now();
    let span = 3 * 365 * 86_400;
    let leaves = make_categories(&*store).await?;
    let user_count = (args.questions / 10).max(10);
    let tag_count = 1_000u64;

    let users: Vec<BulkUser> = (1..=user_count)
        .map(|i| BulkUser {
            id: UserId(i as i64),
            handle: format!("user{i}"),
            display_name: format!("{} {}", sentence(&mut rng, 1), sentence(&mut rng, 1)),
            reputation: 1 + rng.skewed(5_000) as i64,
            about: PostBody::from_markdown(""),
            created_at: now - span - 86_400,
            last_seen_at: None,
            deleted_at: None,
            profile: None,
            time_millis: None,
        })
        .collect();
    store
        .bulk_load(BulkBatch {
            users,
            ..BulkBatch::default()
        })
        .await
        .context("cannot load users")?;

    let bar = ProgressBar::new(args.questions).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} questions, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (mut next_post, mut next_comment) = (1i64, 1i64);
    let (mut answers_made, mut comments_made) = (0u64, 0u64);
    let mut made = 0;
    while made < args.questions {
        let mut batch = BulkBatch::default();
        for _ in 0..1_000.min(args.questions - made) {
            let qid = next_post;
            next_post += 1;
            let asked = now - span + (made as i64 * span / args.questions.max(1) as i64);
            let author = UserId(1 + rng.skewed(user_count) as i64);
            let n_answers = rng.below(5);
            let mut answers = Vec::new();
            for k in 0..n_answers {
                let aid = next_post;
                next_post += 1;
                answers.push(BulkPost {
                    id: PostId(aid),
                    kind: PostKind::Answer,
                    parent_id: Some(PostId(qid)),
                    category_id: None,
                    author_id: UserId(1 + rng.below(user_count) as i64),
                    title: String::new(),
                    body: PostBody::from_markdown(body(&mut rng, 40, 250)),
                    tags: Vec::new(),
                    score: rng.skewed(30) as i64 - 2,
                    answer_count: 0,
                    comment_count: 0,
                    view_count: 0,
                    accepted_answer_id: None,
                    created_at: asked + 3_600 * (k as i64 + 1),
                    last_activity_at: asked + 3_600 * (k as i64 + 1),
                    edited_at: None,
                    deleted_at: None,
                    closed_at: None,
                    close_reason: String::new(),
                    duplicate_of: None,
                    owner_name: None,
                    licence: None,
                    favorite_count: None,
                    community_owned_at: None,
                    time_millis: None,
                });
            }
            let accepted = (!answers.is_empty() && rng.below(10) < 4).then(|| answers[0].id);
            let mut tags: Vec<String> = Vec::new();
            for _ in 0..rng.between(1, 4) {
                let tag = tag_name(rng.skewed(tag_count));
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            let mut question = BulkPost {
                id: PostId(qid),
                kind: PostKind::Question,
                parent_id: None,
                category_id: Some(leaves[rng.below(leaves.len() as u64) as usize]),
                author_id: author,
                title: title(&mut rng),
                body: PostBody::from_markdown(body(&mut rng, 100, 400)),
                tags,
                score: rng.skewed(40) as i64 - 3,
                answer_count: answers.len() as i64,
                comment_count: 0,
                view_count: rng.skewed(5_000) as i64,
                accepted_answer_id: accepted,
                created_at: asked,
                last_activity_at: answers.last().map_or(asked, |a| a.created_at),
                edited_at: None,
                deleted_at: None,
                closed_at: None,
                close_reason: String::new(),
                duplicate_of: None,
                owner_name: None,
                licence: None,
                favorite_count: None,
                community_owned_at: None,
                time_millis: None,
            };
            // About three comments a question, spread over it and its answers.
            for _ in 0..rng.between(0, 6) {
                let target = rng.below(answers.len() as u64 + 1) as usize;
                let post = if target == 0 {
                    &mut question
                } else {
                    &mut answers[target - 1]
                };
                post.comment_count += 1;
                batch.comments.push(BulkComment {
                    id: CommentId(next_comment),
                    post_id: post.id,
                    author_id: UserId(1 + rng.below(user_count) as i64),
                    body: {
                        let words = rng.between(5, 25);
                        PostBody::inline(sentence(&mut rng, words))
                    },
                    score: rng.skewed(4) as i64,
                    created_at: post.created_at + 600,
                    deleted_at: None,
                    owner_name: None,
                    licence: None,
                    time_millis: None,
                });
                next_comment += 1;
                comments_made += 1;
            }
            answers_made += answers.len() as u64;
            batch.posts.push(question);
            batch.posts.extend(answers);
            made += 1;
        }
        store
            .bulk_load(batch)
            .await
            .context("cannot load a batch of questions")?;
        bar.set_position(made);
    }
    bar.finish_and_clear();
    store
        .update_statistics()
        .await
        .context("cannot update the database's statistics")?;
    println!(
        "made {made} questions, {answers_made} answers, {comments_made} comments, {user_count} users, {} categories in {:.1?}",
        leaves.len() + TOPICS.len(),
        started.elapsed()
    );
    // The related lists are left to the server (or `ponder reindex`): computing
    // them for a large site takes longer than making it.
    crate::search::rebuild_index(site).await
}

/// The category tree: the topics and their children (about 50 nodes); returns the leaves.
async fn make_categories(store: &dyn Store) -> Result<Vec<CategoryId>> {
    let mut leaves = Vec::new();
    for (position, (top, children)) in TOPICS.iter().enumerate() {
        let parent = store
            .create_category(NewCategory {
                parent: None,
                slug: ponder_core::slug::slugify(top),
                name: (*top).to_owned(),
                description: format!("Questions about {}.", top.to_lowercase()),
                position: position as i64,
            })
            .await?;
        for (i, child) in children.iter().enumerate() {
            let c = store
                .create_category(NewCategory {
                    parent: Some(parent.id),
                    slug: ponder_core::slug::slugify(child),
                    name: (*child).to_owned(),
                    description: String::new(),
                    position: i as i64,
                })
                .await?;
            leaves.push(c.id);
        }
    }
    Ok(leaves)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_generator_is_deterministic_and_bounded() {
        let (mut a, mut b) = (Rng::new(1), Rng::new(1));
        let xs: Vec<u64> = (0..100).map(|_| a.below(10)).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| *x < 10));
        assert!(xs.iter().any(|x| *x != xs[0]));
        let t = title(&mut a);
        assert!((15..=150).contains(&t.len()), "{t}");
        let words = body(&mut a, 100, 400).split_whitespace().count();
        assert!((100..=600).contains(&words), "{words}");
        let tags: std::collections::HashSet<String> = (0..1000).map(tag_name).collect();
        assert_eq!(tags.len(), 1000, "a thousand distinct tags");
        assert!(
            tags.iter()
                .all(|t| ponder_core::posts::validate_tags(t).is_ok()),
            "every tag is valid"
        );
    }

    #[tokio::test]
    async fn makes_a_site_that_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let site = SiteArgs {
            data: PathBuf::from(dir.path()),
            database_url: None,
        };
        run(
            &site,
            DemoArgs {
                questions: 1_200,
                seed: 3,
            },
        )
        .await
        .unwrap();
        let store = open_store(&site).await.unwrap();
        let all = store
            .list_questions(&ponder_store::QuestionQuery::default())
            .await
            .unwrap();
        assert_eq!(all.total, 1_200);
        let thread = store
            .question_thread(all.items[0].id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(thread.question.answer_count, thread.answers.len() as i64);
        assert_eq!(thread.category_path.len(), 2);
        assert!(store.categories().await.unwrap().len() >= 45);
        let again = run(
            &site,
            DemoArgs {
                questions: 10,
                seed: 3,
            },
        )
        .await;
        assert!(
            again
                .unwrap_err()
                .to_string()
                .contains("already has content")
        );
        // The index was rebuilt at the end; `ponder reindex` computes every
        // question's related list from it.
        let index = crate::search::open_index(&site).unwrap();
        assert!(index.num_docs() > 1_200);
        drop(index);
        let stale = ponder_core::time::now() - ponder_web::related::PERIOD;
        let due = || store.related_due(None, stale, 10);
        assert_eq!(due().await.unwrap().len(), 10, "demo leaves the lists");
        crate::search::reindex(&site).await.unwrap();
        assert_eq!(due().await.unwrap(), [], "reindex computed them all");
        let mut listed = 0;
        for q in all.items.iter().take(50) {
            let list = store.related_questions(q.id).await.unwrap().unwrap();
            listed += usize::from(!list.questions.is_empty());
        }
        // Tags are drawn from a thousand: about half the questions share one.
        assert!(listed >= 10, "{listed} of 50 questions list related ones");

        // `ponder paths`: every live question's address, in id order.
        let mut out = Vec::new();
        let written = crate::paths::write_paths(&*store, &mut out).await.unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!((written, lines.len()), (1_200, 1_200));
        let ids: Vec<i64> = lines
            .iter()
            .map(|l| l.split('/').nth(2).unwrap().parse().unwrap())
            .collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "in id order, once each"
        );
        for q in &all.items {
            let path = ponder_web::views::common::question_path(q.id, &q.title);
            assert!(lines.contains(&path.as_str()), "{path}");
        }
        assert!(lines.iter().all(|l| l.split('/').count() == 4));
    }
}
