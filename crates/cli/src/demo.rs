//! Demo content for `ponder serve --demo`: a small community written for this
//! project (categories two levels deep, a dozen users, questions with 0 to 4 answers,
//! comments and votes), seeded only into an empty site so a restart adds nothing twice.

use anyhow::{Context, Result, bail};
use ponder_core::time::{Timestamp, now};
use ponder_core::{CategoryId, PostId, UserId};
use ponder_store::{
    NewAnswer, NewCategory, NewComment, NewQuestion, NewUser, NewVote, PostBody, Role, Store,
    VoteValue,
};
use std::collections::HashMap;

const CONTENT: &str = include_str!("demo_content.txt");

/// The demo's categories: path (parent first), name, description.
const CATEGORIES: &[(&str, &str, &str)] = &[
    (
        "history",
        "History",
        "The human past, from the first cities to living memory.",
    ),
    (
        "history/ancient",
        "Ancient History",
        "Egypt, Greece, Rome and the ancient world.",
    ),
    (
        "history/modern-contemporary",
        "Modern and Contemporary History",
        "From the 18th century to the end of the Cold War and after.",
    ),
    (
        "science",
        "Science",
        "How the natural world works, and how we know.",
    ),
    (
        "science/physics",
        "Physics",
        "Matter, energy, forces and the everyday physics around us.",
    ),
    (
        "science/biology",
        "Biology",
        "Living things, from viruses to redwoods.",
    ),
    (
        "science/astronomy",
        "Astronomy",
        "The Moon, the planets, the stars and beyond.",
    ),
    (
        "technology",
        "Technology",
        "Software, data and the networks that carry it.",
    ),
    (
        "technology/programming",
        "Programming",
        "Writing, reading and reasoning about code.",
    ),
    (
        "technology/databases",
        "Databases",
        "Storing, querying and indexing data.",
    ),
    (
        "technology/networking",
        "Networking",
        "Addresses, protocols and what happens on the wire.",
    ),
    (
        "cooking",
        "Cooking",
        "Food, kitchens and the science of both.",
    ),
    (
        "cooking/baking",
        "Baking",
        "Bread, cakes and everything from the oven.",
    ),
    (
        "cooking/techniques",
        "Techniques",
        "Methods, tools and why recipes say what they say.",
    ),
    (
        "languages",
        "Languages",
        "Grammar, usage and the history of words.",
    ),
    (
        "languages/french",
        "French",
        "Questions about the French language.",
    ),
    (
        "languages/english-usage",
        "English Usage",
        "Grammar and style in English.",
    ),
];

/// The demo's users: handle, display name, about.
const USERS: &[(&str, &str, &str)] = &[
    (
        "ada",
        "Ada Lindqvist",
        "Database engineer in Uppsala. I like **query plans** and long walks.",
    ),
    ("bruno", "Bruno Ferreira", "History teacher, amateur baker."),
    (
        "chiara",
        "Chiara Rossi",
        "Backend developer. Coffee-powered.",
    ),
    (
        "dmitri",
        "Dmitri Volkov",
        "Physicist by training, programmer by trade.",
    ),
    ("esther", "Esther Okafor", "Biologist. Ask me about plants."),
    (
        "farid",
        "Farid Haddad",
        "Network engineer and occasional astronomer.",
    ),
    ("grace", "Grace Kim", "Editor. I care about words."),
    ("hugo", "Hugo Martin", "Cook, father of two curious kids."),
    ("ines", "Inês Duarte", "Student of international relations."),
    (
        "jonas",
        "Jonas Weber",
        "Systems programmer. Concurrency is hard.",
    ),
    (
        "kemal",
        "Kemal Aydın",
        "Moving to Lyon soon; learning French.",
    ),
    ("lena", "Lena Sørensen", "Retired engineer. Still curious."),
];

/// Comments handed out to posts in turn.
const COMMENTS: &[&str] = &[
    "Could you add a source for this? I'd like to read more.",
    "Thanks, this cleared it up for me.",
    "Good point, I hadn't thought of that at all.",
    "This is the clearest explanation on the page.",
    "Is this still true today, or has it changed recently?",
    "I tried this and it worked exactly as described.",
    "Small caveat: the second point depends on the context, but the rest holds.",
    "For anyone curious, the Wikipedia article on this is a good start.",
    "Could you expand on *why* that is? The reasoning would help.",
    "Upvoted. The list format makes it easy to follow.",
];

/// How many comments the n-th post gets: a mix of none, one and several.
const COMMENT_PATTERN: [usize; 8] = [0, 1, 2, 0, 3, 1, 0, 2];

/// One parsed question of the demo text.
struct DemoQuestion {
    category: String,
    asker: String,
    title: String,
    tags: Vec<String>,
    body: String,
    answers: Vec<DemoAnswer>,
}

struct DemoAnswer {
    author: String,
    accepted: bool,
    body: String,
}

/// Parses the demo text (see its header for the format).
fn parse(content: &str) -> Result<Vec<DemoQuestion>> {
    let mut questions: Vec<DemoQuestion> = Vec::new();
    for (n, line) in content.lines().enumerate() {
        if let Some(header) = line.strip_prefix("Q ") {
            let parts: Vec<&str> = header.split(" | ").map(str::trim).collect();
            let [category, asker, title, tags] = parts[..] else {
                bail!("demo content line {}: a question needs 4 fields", n + 1);
            };
            questions.push(DemoQuestion {
                category: category.to_owned(),
                asker: asker.to_owned(),
                title: title.to_owned(),
                tags: tags.split_whitespace().map(str::to_owned).collect(),
                body: String::new(),
                answers: Vec::new(),
            });
        } else if let Some((accepted, author)) = answer_header(line) {
            let q = questions
                .last_mut()
                .context("demo content: an answer before any question")?;
            q.answers.push(DemoAnswer {
                author: author.trim().to_owned(),
                accepted,
                body: String::new(),
            });
        } else if let Some(q) = questions.last_mut() {
            let body = match q.answers.last_mut() {
                Some(a) => &mut a.body,
                None => &mut q.body,
            };
            body.push_str(line);
            body.push('\n');
        }
    }
    Ok(questions)
}

/// Reads an answer's header line, `A handle` or `A* handle` (accepted).
fn answer_header(line: &str) -> Option<(bool, &str)> {
    let (marker, handle) = line.split_once(' ')?;
    let accepted = match marker {
        "A" => false,
        "A*" => true,
        _ => return None,
    };
    let is_handle = !handle.is_empty() && handle.bytes().all(|b| b.is_ascii_lowercase());
    is_handle.then_some((accepted, handle))
}

/// Checks every name the demo text uses before anything is written, so a mistake
/// in it cannot leave a half-seeded site.
fn validate(questions: &[DemoQuestion]) -> Result<()> {
    let known_user = |h: &str| USERS.iter().any(|u| u.0 == h);
    for q in questions {
        if !CATEGORIES.iter().any(|c| c.0 == q.category) {
            bail!(
                "demo question {:?} names an unknown category {:?}",
                q.title,
                q.category
            );
        }
        for handle in std::iter::once(&q.asker).chain(q.answers.iter().map(|a| &a.author)) {
            if !known_user(handle) {
                bail!(
                    "demo question {:?} names an unknown user {handle:?}",
                    q.title
                );
            }
        }
    }
    Ok(())
}

/// A small deterministic pseudo-random sequence, so every demo site is the same.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

/// Seeds the demo into `store` if the site is empty; returns what was added, or
/// `None` when the site already had content.
pub async fn seed_if_empty(store: &dyn Store) -> Result<Option<String>> {
    if !store
        .is_empty()
        .await
        .context("cannot check whether the site is empty")?
    {
        return Ok(None);
    }
    let questions = parse(CONTENT)?;
    validate(&questions)?;
    let start = now() - 60 * 86_400;

    let mut users: HashMap<&str, UserId> = HashMap::new();
    for (handle, name, about) in USERS {
        let user = store
            .create_user(NewUser {
                handle: (*handle).to_owned(),
                display_name: (*name).to_owned(),
                email: None,
                password_hash: None,
                role: Role::User,
                about: PostBody::from_markdown(*about),
                created_at: start - 30 * 86_400,
            })
            .await
            .with_context(|| format!("cannot create demo user {handle}"))?;
        users.insert(handle, user.id);
    }
    let user_ids: Vec<UserId> = USERS
        .iter()
        .filter_map(|(h, _, _)| users.get(h).copied())
        .collect();
    let find_user = |handle: &str| {
        users
            .get(handle)
            .copied()
            .with_context(|| format!("demo content names an unknown user {handle:?}"))
    };

    let mut categories: HashMap<&str, CategoryId> = HashMap::new();
    for (position, (path, name, description)) in CATEGORIES.iter().enumerate() {
        let (parent, slug) = match path.rsplit_once('/') {
            Some((parent, slug)) => (categories.get(parent).copied(), slug),
            None => (None, *path),
        };
        let category = store
            .create_category(NewCategory {
                parent,
                slug: slug.to_owned(),
                name: (*name).to_owned(),
                description: (*description).to_owned(),
                position: position as i64,
            })
            .await
            .with_context(|| format!("cannot create demo category {path}"))?;
        categories.insert(path, category.id);
    }

    let mut dice = Dice(0x5eed);
    let mut post_count = 0usize;
    let (mut answers, mut comments, mut votes) = (0, 0, 0);
    let step = (59 * 86_400) / questions.len().max(1) as i64;
    for (i, q) in questions.iter().enumerate() {
        let asker = find_user(&q.asker)?;
        let category = *categories
            .get(q.category.as_str())
            .with_context(|| format!("demo content names an unknown category {:?}", q.category))?;
        let asked_at = start + i as i64 * step + dice.roll(3_600) as i64;
        let question = store
            .create_question(NewQuestion {
                author: asker,
                category,
                title: q.title.clone(),
                body: PostBody::from_markdown(q.body.trim()),
                tags: q.tags.clone(),
                created_at: asked_at,
            })
            .await
            .with_context(|| format!("cannot create demo question {:?}", q.title))?;
        comments += comment(
            store, question, asker, asked_at, post_count, &user_ids, &mut dice,
        )
        .await?;
        votes += vote(store, question, asker, asked_at, &user_ids, &mut dice, 0).await?;
        post_count += 1;
        let mut answered_at = asked_at;
        for a in &q.answers {
            let author = find_user(&a.author)?;
            answered_at += 600 + dice.roll(6 * 3_600) as i64;
            let answer = store
                .create_answer(NewAnswer {
                    question,
                    author,
                    body: PostBody::from_markdown(a.body.trim()),
                    created_at: answered_at.min(now()),
                })
                .await
                .with_context(|| format!("cannot create a demo answer to {:?}", q.title))?;
            answers += 1;
            comments += comment(
                store,
                answer,
                author,
                answered_at,
                post_count,
                &user_ids,
                &mut dice,
            )
            .await?;
            votes += vote(
                store,
                answer,
                author,
                answered_at,
                &user_ids,
                &mut dice,
                if a.accepted { 3 } else { 0 },
            )
            .await?;
            post_count += 1;
            if a.accepted {
                store
                    .accept_answer(question, Some(answer), Default::default())
                    .await?;
            }
        }
    }
    Ok(Some(format!(
        "{} users, {} categories, {} questions, {answers} answers, {comments} comments, {votes} votes",
        users.len(),
        categories.len(),
        questions.len()
    )))
}

/// Adds the pattern's number of comments to the n-th post, by users other than its author.
async fn comment(
    store: &dyn Store,
    post: PostId,
    author: UserId,
    posted_at: Timestamp,
    n: usize,
    users: &[UserId],
    dice: &mut Dice,
) -> Result<usize> {
    let wanted = COMMENT_PATTERN[n % COMMENT_PATTERN.len()];
    let others: Vec<UserId> = users.iter().copied().filter(|u| *u != author).collect();
    for k in 0..wanted {
        let commenter = others[dice.roll(others.len() as u64) as usize];
        let text = COMMENTS[(n * 3 + k) % COMMENTS.len()];
        store
            .create_comment(NewComment {
                post,
                author: commenter,
                body: PostBody::from_markdown(text),
                created_at: (posted_at + 300 + (k as i64 + 1) * dice.roll(7_200) as i64).min(now()),
            })
            .await
            .context("cannot create a demo comment")?;
    }
    Ok(wanted)
}

/// Casts a few votes on a post from users other than its author, mostly up.
async fn vote(
    store: &dyn Store,
    post: PostId,
    author: UserId,
    posted_at: Timestamp,
    users: &[UserId],
    dice: &mut Dice,
    bonus: u64,
) -> Result<usize> {
    let voters: Vec<UserId> = users.iter().copied().filter(|u| *u != author).collect();
    let ups = (dice.roll(6) + bonus) as usize;
    let downs = usize::from(dice.roll(5) == 0);
    let mut cast = 0;
    for (k, voter) in voters.iter().enumerate().take(ups + downs) {
        let value = if k < ups {
            VoteValue::Up
        } else {
            VoteValue::Down
        };
        store
            .cast_vote(NewVote {
                post,
                user: *voter,
                value,
                // Votes come in over the hours after the post, as they do.
                created_at: (posted_at + 1_800 * (k as i64 + 1)).min(now()),
                rules: Default::default(),
            })
            .await
            .context("cannot cast a demo vote")?;
        cast += 1;
    }
    Ok(cast)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_text_parses_into_a_full_site() {
        let questions = parse(CONTENT).unwrap();
        validate(&questions).unwrap();
        assert!(questions.len() >= 30, "{} questions", questions.len());
        let handles: Vec<&str> = USERS.iter().map(|u| u.0).collect();
        let paths: Vec<&str> = CATEGORIES.iter().map(|c| c.0).collect();
        for q in &questions {
            assert!(handles.contains(&q.asker.as_str()), "{}", q.asker);
            assert!(paths.contains(&q.category.as_str()), "{}", q.category);
            assert!((15..=150).contains(&q.title.len()), "{}", q.title);
            assert!(q.body.trim().len() >= 30, "{}", q.title);
            assert!(q.answers.len() <= 5);
            assert!(q.answers.iter().filter(|a| a.accepted).count() <= 1);
            for a in &q.answers {
                assert!(handles.contains(&a.author.as_str()), "{}", a.author);
                assert!(!a.body.trim().is_empty());
            }
        }
        assert!(questions.iter().any(|q| q.answers.is_empty()));
        assert!(questions.iter().any(|q| q.answers.len() >= 3));
    }

    #[tokio::test]
    async fn seeding_fills_an_empty_site_once() {
        use ponder_store::prelude::*;
        use ponder_store::{QuestionFilter, QuestionQuery};
        let dir = tempfile::tempdir().unwrap();
        let store = ponder_store_sqlite::SqliteStore::open(&dir.path().join("ponder.db"))
            .await
            .unwrap();
        let summary = seed_if_empty(&store).await.unwrap().expect("seeded");
        assert!(summary.contains("12 users"), "{summary}");
        assert_eq!(seed_if_empty(&store).await.unwrap(), None, "seeded twice");

        let categories = store.categories().await.unwrap();
        let tops: Vec<_> = categories
            .iter()
            .filter(|c| c.parent_id.is_none())
            .collect();
        assert!(tops.len() >= 3);
        assert!(
            tops.iter()
                .all(|t| categories.iter().any(|c| c.parent_id == Some(t.id)))
        );
        let all = store
            .list_questions(&QuestionQuery {
                per_page: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(all.total >= 30);
        let mut comment_counts = Vec::new();
        for q in &all.items {
            let thread = store.question_thread(q.id).await.unwrap().unwrap();
            assert!(thread.answers.len() <= 5);
            assert!(!thread.tags.is_empty());
            assert!(!thread.category_path.is_empty());
            comment_counts.push(thread.question.comment_count);
            comment_counts.extend(thread.answers.iter().map(|a| a.comment_count));
        }
        for wanted in [0, 1] {
            assert!(
                comment_counts.contains(&wanted),
                "no post with {wanted} comments"
            );
        }
        assert!(
            comment_counts.iter().any(|&n| n >= 2),
            "no post with several comments"
        );
        assert!(all.items.iter().any(|q| q.score > 0));
        assert!(all.items.iter().any(|q| q.has_accepted_answer));
        let history = tops.iter().find(|c| c.slug == "history").unwrap();
        let modern = store
            .list_questions(&QuestionQuery {
                filter: QuestionFilter::Category(history.id),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(modern.total >= 3);
    }

    /// Related lists of the demo's questions stay in their subject: no cooking or
    /// programming question beside a history one, and the Berlin Wall's lists the
    /// other Cold War question.
    #[tokio::test]
    async fn related_questions_of_the_demo_stay_in_their_subject() {
        use ponder_search::{SearchIndex, Subject};
        use ponder_store::QuestionQuery;
        use ponder_store::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let store = ponder_store_sqlite::SqliteStore::open(&dir.path().join("ponder.db"))
            .await
            .unwrap();
        seed_if_empty(&store).await.unwrap().expect("seeded");
        let index = SearchIndex::in_memory().unwrap();
        index.catch_up(&store).await.unwrap();
        let all = store
            .list_questions(&QuestionQuery {
                per_page: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut areas = std::collections::HashMap::new();
        let mut threads = Vec::new();
        for q in &all.items {
            let thread = store.question_thread(q.id).await.unwrap().unwrap();
            areas.insert(q.id, thread.category_path[0].slug.clone());
            threads.push(thread);
        }
        let mut with_some = 0;
        for thread in &threads {
            let subject = Subject {
                tags: thread.tags.clone(),
                category: thread.category_path.last().map(|c| c.id),
                area: thread.category_path.first().map(|c| c.id),
            };
            let id = thread.question.id;
            let related = index
                .related(&thread.question.title, &subject, Some(id), 5)
                .unwrap();
            with_some += usize::from(!related.is_empty());
            for hit in &related {
                assert_eq!(
                    areas[&hit.id], areas[&id],
                    "{:?} lists {:?}",
                    thread.question.title, hit.title
                );
            }
            if thread.question.title.contains("Berlin Wall") {
                assert!(
                    related.iter().any(|h| h.title.contains("containment")),
                    "{related:?}"
                );
            }
        }
        assert!(
            with_some * 3 >= threads.len(),
            "{with_some} of {}",
            threads.len()
        );
    }

    #[test]
    fn answer_headers_are_strict() {
        assert_eq!(answer_header("A* bruno"), Some((true, "bruno")));
        assert_eq!(answer_header("A ada"), Some((false, "ada")));
        assert_eq!(answer_header("A spectrometer pointed at the sky"), None);
        assert_eq!(answer_header("Also"), None);
    }
}
