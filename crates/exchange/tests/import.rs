//! Importing Stack Exchange dumps: a small hand-written dump arrives whole on both
//! databases; the real sample's counts match its rows; a second run adds nothing;
//! bad input is named by file and line, and a stopped import finishes when run again;
//! the sample's related questions share a tag.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: a failed step should fail the test"
)]

mod support;

use ponder_core::{CommentId, PostId, UserId};
use ponder_dump::RowReader;
use ponder_exchange::ImportOptions;
use ponder_store::{PostKind, Store};
use std::sync::Arc;
use support::*;

/// Runs an async check on a fresh SQLite store and, when configured, a PostgreSQL one.
macro_rules! on_both_databases {
    ($check:ident) => {
        mod $check {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = super::store_on("sqlite").await.unwrap();
                super::$check(t.store.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = super::store_on("postgres").await {
                    super::$check(t.store.clone()).await;
                }
            }
        }
    };
}

on_both_databases!(a_small_dump_arrives_whole);
on_both_databases!(issue16_a_dump_in_the_2014_format_arrives);
on_both_databases!(the_sample_arrives_with_its_counts);
on_both_databases!(the_sample_arrives_the_same_in_small_batches);

/// The sample's links to its own imported posts and users go to the local
/// addresses (its folder is named after its host); the revisions keep them as the
/// dump wrote them, and links to what the dump lacks keep the original address.
async fn sample_links_are_local(store: &dyn Store, made_local: u64) {
    use ponder_store::RenderedText;
    let host = "https://french.meta.stackexchange.com";
    let mut bodies = store
        .stored_texts(RenderedText::PostBody, i64::MIN, 100_000)
        .await
        .unwrap();
    let comments = store
        .stored_texts(RenderedText::Comment, i64::MIN, 100_000)
        .await
        .unwrap();
    // Two of the texts changed link only to users.
    let local = |t: &&ponder_store::StoredText| t.html.contains("href=\"/questions/");
    let changed = bodies.iter().filter(local).count() + comments.iter().filter(local).count();
    assert!(
        made_local == 98 && changed == 96,
        "{made_local} texts changed, {changed} with local links"
    );
    // Answer 22 links to answer 7 of question 1, in its HTML and its Markdown.
    let answer = bodies.iter().find(|t| t.id == 22).unwrap();
    assert!(
        answer.html.contains("href=\"/questions/7\""),
        "{}",
        answer.html
    );
    assert!(!answer.html.contains(&format!("href=\"{host}/questions/1/")));
    assert!(
        answer.markdown.contains("/questions/7"),
        "{}",
        answer.markdown
    );
    assert!(!answer.markdown.contains(&format!("{host}/questions/1/")));
    let revisions = store.revisions(PostId(22)).await.unwrap();
    assert!(
        revisions
            .iter()
            .any(|r| r.body_markdown.contains(&format!("{host}/questions/1/"))),
        "the history keeps the link as written"
    );
    // Post 784 is not in the sample: its links keep their address, and no
    // imported question is still linked at the original site.
    bodies.extend(comments);
    assert!(
        bodies
            .iter()
            .any(|t| t.html.contains(&format!("{host}/a/784/")))
    );
    for id in [1, 2, 6, 14] {
        let original = format!("href=\"{host}/questions/{id}/");
        assert!(
            !bodies.iter().any(|t| t.html.contains(&original)),
            "{original}"
        );
    }
}

/// A dump as Stack Exchange made them before 2014: no Tags.xml, no PostHistory.xml,
/// badges without Class or TagBased.
async fn issue16_a_dump_in_the_2014_format_arrives(store: Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    write_file(
        path,
        "Users.xml",
        "users",
        &[
            r#"<row Id="1" Reputation="500" CreationDate="2010-01-01T00:00:00.000" DisplayName="Old Timer" />"#,
        ],
    );
    write_file(
        path,
        "Posts.xml",
        "posts",
        &[
            r#"<row Id="1" PostTypeId="1" CreationDate="2010-01-02T00:00:00.000" Score="3" Body="&lt;p&gt;An old question.&lt;/p&gt;" OwnerUserId="1" Title="A question from 2010" Tags="&lt;history&gt;&lt;old&gt;" AnswerCount="0" />"#,
        ],
    );
    write_file(path, "Comments.xml", "comments", &[]);
    write_file(path, "Votes.xml", "votes", &[]);
    write_file(
        path,
        "Badges.xml",
        "badges",
        &[
            r#"<row Id="1" UserId="1" Name="Great Answer" Date="2010-03-01T00:00:00.000" />"#,
            r#"<row Id="2" UserId="1" Name="Yearling" Date="2011-01-01T00:00:00.000" />"#,
            r#"<row Id="3" UserId="1" Name="Teacher" Date="2010-01-05T00:00:00.000" />"#,
        ],
    );
    let summary = import(&store, path).await.unwrap();
    let badges = summary.file("Badges.xml").unwrap();
    assert_eq!((badges.read, badges.added), (3, 3));
    assert_eq!(badges.defaulted.values().sum::<u64>(), 3);
    let printed = summary.to_string();
    assert_eq!(
        printed.matches("badges without a Class").count(),
        1,
        "said once: {printed}"
    );
    assert!(printed.contains("3 badges without a Class"), "{printed}");
    let mut classes: Vec<(String, String)> = store
        .badges(UserId(1))
        .await
        .unwrap()
        .into_iter()
        .map(|b| (b.name, b.class))
        .collect();
    classes.sort();
    assert_eq!(
        classes,
        [
            ("Great Answer".to_owned(), "gold".to_owned()),
            ("Teacher".to_owned(), "bronze".to_owned()),
            ("Yearling".to_owned(), "silver".to_owned()),
        ]
    );
    let thread = store.question_thread(PostId(1)).await.unwrap().unwrap();
    assert_eq!(
        thread.tags,
        ["history", "old"],
        "tags made from the question's own"
    );
}

async fn a_small_dump_arrives_whole(store: Arc<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    small_dump(dir.path());
    let summary = import(&store, dir.path()).await.unwrap();

    let posts = summary.file("Posts.xml").unwrap();
    assert_eq!((posts.read, posts.added), (5, 3));
    assert_eq!(
        posts.skipped["answer to a question not in the dump"],
        (1, vec![6])
    );
    let comments = summary.file("Comments.xml").unwrap();
    assert_eq!(
        comments.skipped["comment on a post not imported"],
        (1, vec![5])
    );
    let badges = summary.file("Badges.xml").unwrap();
    assert_eq!(badges.skipped_for("badge of a user not in the dump"), 1);
    assert_eq!(
        (badges.added, badges.already),
        (2, 0),
        "a badge earned twice is kept twice"
    );
    assert_eq!(summary.links, (1, 1));
    assert_eq!(summary.placeholders, 2, "user 9 and the unnamed owner");

    let thread = store.question_thread(PostId(1)).await.unwrap().unwrap();
    let q = &thread.question;
    assert_eq!(q.title, "Which verb goes here?");
    assert_eq!((q.score, q.view_count, q.answer_count), (11, 295, 1));
    assert_eq!(q.accepted_answer_id, Some(PostId(3)));
    assert!(
        q.body_html.as_str().contains("<b>verb</b>"),
        "{:?}",
        q.body_html
    );
    for bad in ["javascript", "onerror", "<script"] {
        assert!(!q.body_html.as_str().contains(bad), "{:?}", q.body_html);
    }
    assert_eq!(q.body_markdown, "Which **verb**?\r\n\r\n![x](javascript:x)");
    assert!(q.edited_at.is_some());
    assert_eq!(q.closed_reason.as_deref(), Some("opinion-based"));
    assert_eq!(thread.tags, ["grammar", "verbs"]);
    assert_eq!(thread.answers[0].author.id, UserId(9));
    assert!(
        thread.answers[0].author.deleted,
        "absent users are placeholders"
    );
    let comment = thread.comments_of(PostId(1)).next().unwrap();
    assert_eq!(comment.id, CommentId(1));
    assert!(comment.body_html.as_str().contains("<em>this</em>"));
    assert!(!comment.body_html.as_str().contains("<b>"));

    let dup = store
        .question_thread(PostId(4))
        .await
        .unwrap()
        .unwrap()
        .question;
    assert_eq!(
        (dup.duplicate_of, dup.closed_reason.as_deref()),
        (Some(PostId(1)), Some("duplicate"))
    );
    assert_eq!(dup.author.id, UserId(0));
    assert!(store.question_thread(PostId(5)).await.unwrap().is_none());

    let ann = store.user(UserId(2)).await.unwrap().unwrap();
    assert_eq!((ann.handle.as_str(), ann.reputation), ("ann-asker-2", 101));
    assert!(!ann.about_html.as_str().contains("script"));
    assert_eq!(
        store.user(UserId(9)).await.unwrap().unwrap().display_name,
        "user9"
    );
    let grammar = store.tag("grammar").await.unwrap().unwrap();
    assert_eq!(
        (grammar.description.as_str(), grammar.question_count),
        ("Questions on grammar & usage.", 2)
    );
    assert_eq!(store.badges(UserId(2)).await.unwrap().len(), 2);

    // A second run adds nothing.
    let again = import(&store, dir.path()).await.unwrap();
    assert_eq!(again.posts_added, 0);
    for (name, file) in &again.files {
        assert_eq!(
            file.added * u64::from(name != "PostHistory.xml"),
            0,
            "{name}"
        );
    }
    assert_eq!(post_kinds(&*store).await, (2, 1));
    assert_eq!(
        store.tag("grammar").await.unwrap().unwrap().question_count,
        2
    );
}

async fn the_sample_arrives_with_its_counts(store: Arc<dyn Store>) {
    sample_arrives(store, ImportOptions::new("").batch_rows).await;
}

/// Seven rows a batch: over a hundred batches, with several in flight at once,
/// leave the same site as one batch a file.
async fn the_sample_arrives_the_same_in_small_batches(store: Arc<dyn Store>) {
    sample_arrives(store, 7).await;
}

async fn sample_arrives(store: Arc<dyn Store>, batch_rows: usize) {
    let Some(dir) = sample() else { return };
    let summary = import_in_batches(&store, &dir, batch_rows).await.unwrap();
    let rows = |file: &str| rows_in(&dir, file);
    let posts = rows("Posts.xml");
    let of_type = |t: &str| {
        posts
            .iter()
            .filter(|r| r.contains(&format!("PostTypeId=\"{t}\"")))
            .count()
    };
    assert_eq!(post_kinds(&*store).await, (of_type("1"), of_type("2")));
    assert_eq!((of_type("1"), of_type("2")), (274, 487));
    assert_eq!(live_users(&*store).await, rows("Users.xml").len());
    assert_eq!(
        store.export_comments(0, 10_000).await.unwrap().len(),
        rows("Comments.xml").len()
    );
    assert_eq!(
        store.export_tags(0, 10_000).await.unwrap().len(),
        rows("Tags.xml").len()
    );
    assert_eq!(summary.posts_added, 761);
    sample_links_are_local(&*store, summary.links_made_local).await;
    for (file, s) in &summary.files {
        assert!(s.unknown.is_empty(), "{file}: {:?}", s.unknown);
    }
    // Every vote on an imported post and every badge award of a member in the dump.
    let imported: std::collections::HashSet<i64> =
        all_posts(&*store).await.iter().map(|p| p.id.0).collect();
    let on_imported = |row: &String| number(row, "PostId").is_some_and(|id| imported.contains(&id));
    let votes = rows("Votes.xml").iter().filter(|r| on_imported(r)).count();
    assert_eq!(
        store.export_votes(i64::MIN, 100_000).await.unwrap().len(),
        votes
    );
    let kept_votes = summary.file("Votes.xml").unwrap();
    assert_eq!(
        (
            kept_votes.added,
            kept_votes.skipped_for("vote on a post not imported")
        ),
        (votes as u64, (rows("Votes.xml").len() - votes) as u64)
    );
    let badges = summary.file("Badges.xml").unwrap();
    assert_eq!(
        badges.added + badges.skipped_for("badge of a user not in the dump"),
        rows("Badges.xml").len() as u64
    );
    assert_eq!(
        store.export_badges(0, 100_000).await.unwrap().len() as u64,
        badges.added
    );

    // Chosen posts: the latest body revision is the Markdown source; accepted answers,
    // closing and scores as in Posts.xml.
    let mut latest: std::collections::HashMap<i64, String> = Default::default();
    let mut history = RowReader::open(&dir.join("PostHistory.xml"), "posthistory").unwrap();
    while let Some(row) = history.next_row().unwrap() {
        if matches!(row.get("PostHistoryTypeId"), Some("2" | "5" | "8")) {
            let post: i64 = row.get("PostId").unwrap().parse().unwrap();
            latest.insert(post, row.get("Text").unwrap_or("").to_owned());
        }
    }
    // Moderator-only tags stay so.
    for (name, only) in [
        ("faq", true),
        ("status-completed", true),
        ("discussion", false),
    ] {
        let Some(ponder_store::TagFound::Tag(details)) = store.find_tag(name).await.unwrap() else {
            panic!("no tag {name}");
        };
        assert_eq!(details.moderator_only, only, "{name}");
    }

    // Tag wikis: the latest Markdown of each wiki post Tags.xml names.
    let mut wikis = 0;
    for tag in rows("Tags.xml") {
        let Some(wiki) = number(&tag, "WikiPostId") else {
            continue;
        };
        let name = attribute(&tag, "TagName").unwrap();
        let Some(source) = latest.get(&wiki) else {
            continue;
        };
        let Some(ponder_store::TagFound::Tag(details)) = store.find_tag(name).await.unwrap() else {
            panic!("no tag {name}");
        };
        assert_eq!(&details.wiki_markdown, source, "{name}");
        assert_eq!(
            details.wiki_html.as_str().is_empty(),
            source.is_empty(),
            "{name}"
        );
        wikis += usize::from(!source.is_empty());
    }
    assert_eq!(wikis, 4, "the sample has four wikis with text");

    // Related links between imported posts are linked questions.
    let questions: std::collections::HashSet<i64> = all_posts(&*store)
        .await
        .iter()
        .filter(|p| p.kind == PostKind::Question)
        .map(|p| p.id.0)
        .collect();
    let id = |row: &String, name: &str| number(row, name).unwrap();
    let related: std::collections::BTreeSet<(i64, i64)> = rows("PostLinks.xml")
        .iter()
        .filter(|r| id(r, "LinkTypeId") == 1)
        .map(|r| (id(r, "PostId"), id(r, "RelatedPostId")))
        .filter(|(p, q)| imported.contains(p) && questions.contains(q) && p != q)
        .collect();
    assert!(related.len() > 10, "{}", related.len());
    let linked: std::collections::BTreeSet<(i64, i64)> = store
        .export_linked(i64::MIN, i64::MAX)
        .await
        .unwrap()
        .into_iter()
        .map(|(p, q)| (p.0, q.0))
        .collect();
    assert_eq!(linked, related);

    // The history: one revision for each RevisionGUID of the title, body and tags
    // rows (types 1 to 9) of an imported post, with its editor and date.
    let mut groups: std::collections::HashSet<(i64, String)> = Default::default();
    let mut history = RowReader::open(&dir.join("PostHistory.xml"), "posthistory").unwrap();
    while let Some(row) = history.next_row().unwrap() {
        let kind: i64 = row.get("PostHistoryTypeId").unwrap().parse().unwrap();
        let post: i64 = row.get("PostId").unwrap().parse().unwrap();
        if (1..=9).contains(&kind) && imported.contains(&post) {
            groups.insert((post, row.get("RevisionGUID").unwrap().to_owned()));
        }
    }
    let mut revisions = 0;
    for post in &imported {
        let history = store.revisions(PostId(*post)).await.unwrap();
        revisions += history.len();
        if let Some(last) = history.last() {
            assert_eq!(last.body_markdown, latest[post], "post {post}");
        }
    }
    assert_eq!(revisions, groups.len());
    let first = store.revisions(PostId(1)).await.unwrap();
    assert_eq!(
        (first[0].title.as_str(), first[0].tags.as_slice()),
        (
            "Translation questions",
            ["discussion".to_owned()].as_slice()
        )
    );
    assert_eq!(first[0].editor.id, UserId(40));
    // A revision by an editor the dump lacks shows the name the dump gives
    // (PostHistory row 1327, "user2420", has no UserId).
    let departed = store.revisions(PostId(329)).await.unwrap();
    let edit = departed
        .iter()
        .find(|r| r.summary == "deleted 1 characters in body")
        .unwrap();
    assert_eq!(edit.editor.display_name, "user2420");
    assert!(edit.editor.deleted, "the editor is a deleted placeholder");
    // An editor the dump has shows their own name.
    assert_eq!(first[0].editor.display_name, "Benjol");

    let thread = store.question_thread(PostId(18)).await.unwrap().unwrap();
    assert_eq!(
        thread.question.title,
        "Translating monolingual answers to \"important\" questions"
    );
    assert_eq!(
        (thread.question.score, thread.question.view_count),
        (13, 158)
    );
    assert_eq!(thread.question.accepted_answer_id, Some(PostId(27)));
    assert_eq!(thread.answers[0].id, PostId(27), "accepted first");
    assert_eq!(thread.question.body_markdown, latest[&18]);
    assert_eq!(thread.tags, ["discussion", "language"]);
    let closed = store
        .question_thread(PostId(20))
        .await
        .unwrap()
        .unwrap()
        .question;
    assert!(closed.closed_reason.is_some());
    assert_eq!(closed.body_markdown, latest[&20]);
    let answer = store.question_thread(PostId(1)).await.unwrap().unwrap();
    let seven = answer.answers.iter().find(|a| a.id == PostId(7)).unwrap();
    assert_eq!(seven.kind, PostKind::Answer);
    assert_eq!(answer.comments_of(PostId(7)).count(), 9);
}

/// Related questions on the real sample: every question a related list shows
/// shares a tag with the question it is beside, and most questions have some.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn related_questions_of_the_sample_share_a_tag() {
    let Some(dir) = sample() else { return };
    let t = store_on("sqlite").await.unwrap();
    let store = t.store.clone();
    import(&store, &dir).await.unwrap();
    let index = ponder_search::SearchIndex::in_memory().unwrap();
    index.rebuild(&*store, |_| {}).await.unwrap();

    let mut threads: std::collections::HashMap<_, ponder_store::QuestionThread> =
        std::collections::HashMap::new();
    for post in all_posts(&*store).await {
        if post.kind == PostKind::Question
            && let Some(thread) = store.question_thread(post.id).await.unwrap()
        {
            threads.insert(post.id, thread);
        }
    }
    assert!(threads.len() > 200, "{} questions", threads.len());
    let mut with_some = 0;
    for (id, thread) in &threads {
        let subject = ponder_search::Subject {
            tags: thread.tags.clone(),
            category: thread.category_path.last().map(|c| c.id),
            area: thread.category_path.first().map(|c| c.id),
        };
        let related = index
            .related(&thread.question.title, &subject, Some(*id), 5)
            .unwrap();
        assert!(related.len() <= 5);
        with_some += usize::from(!related.is_empty());
        for hit in &related {
            assert_ne!(hit.id, *id);
            let other = &threads[&hit.id];
            assert!(
                other.tags.iter().any(|tag| thread.tags.contains(tag)),
                "{:?} {:?} lists {:?} {:?}",
                thread.question.title,
                thread.tags,
                other.question.title,
                other.tags
            );
        }
    }
    assert!(
        with_some * 2 >= threads.len(),
        "{with_some} of {} questions have related ones",
        threads.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_files_are_named() {
    let t = store_on("sqlite").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    small_dump(dir.path());
    std::fs::remove_file(dir.path().join("Votes.xml")).unwrap();
    std::fs::remove_file(dir.path().join("Comments.xml")).unwrap();
    let err = import(&t.store, dir.path()).await.unwrap_err();
    assert!(err.contains("has no Comments.xml, Votes.xml"), "{err}");
    assert_eq!(
        t.store.content_counts().await.unwrap(),
        (0, 0),
        "nothing imported"
    );
    // Optional files may be absent.
    small_dump(dir.path());
    std::fs::remove_file(dir.path().join("PostHistory.xml")).unwrap();
    std::fs::remove_file(dir.path().join("Badges.xml")).unwrap();
    let summary = import(&t.store, dir.path()).await.unwrap();
    assert!(summary.file("Badges.xml").is_none());
    let q = t
        .store
        .question_thread(PostId(1))
        .await
        .unwrap()
        .unwrap()
        .question;
    assert_eq!(
        q.body_markdown,
        q.body_html.as_str(),
        "without history the HTML is the source"
    );
    assert_eq!(q.closed_reason.as_deref(), Some("closed"));
}

/// A newer dump's attributes are ignored and counted; an unknown post or history
/// type is skipped with its line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_attributes_and_types_are_counted_and_skipped() {
    let t = store_on("sqlite").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    small_dump(dir.path());
    let posts = std::fs::read_to_string(dir.path().join("Posts.xml")).unwrap();
    let posts = posts
        .replacen("<row Id=\"1\"", "<row Sparkle=\"yes\" Id=\"1\"", 1)
        .replacen("<row Id=\"3\"", "<row Sparkle=\"no\" Glow=\"1\" Id=\"3\"", 1)
        .replace(
            "</posts>",
            "  <row Id=\"90\" PostTypeId=\"17\" CreationDate=\"2020-01-01T00:00:00.000\" />\r\n</posts>",
        );
    std::fs::write(dir.path().join("Posts.xml"), posts).unwrap();
    let history = std::fs::read_to_string(dir.path().join("PostHistory.xml")).unwrap();
    let history = history.replace(
        "</posthistory>",
        "  <row Id=\"90\" PostHistoryTypeId=\"77\" PostId=\"1\" CreationDate=\"2020-01-01T00:00:00.000\" />\r\n</posthistory>",
    );
    std::fs::write(dir.path().join("PostHistory.xml"), history).unwrap();

    let summary = import(&t.store, dir.path()).await.unwrap();
    let posts = summary.file("Posts.xml").unwrap();
    assert_eq!(
        posts
            .unknown
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect::<Vec<_>>(),
        [("Glow", 1), ("Sparkle", 2)]
    );
    assert_eq!(
        posts.skipped_for("post type 17 (only questions, answers and tag excerpts are imported)"),
        1
    );
    let history = summary.file("PostHistory.xml").unwrap();
    assert!(history.unknown.is_empty());
    assert_eq!(
        history.skipped.values().map(|(n, _)| n).sum::<u64>(),
        2,
        "{history:?}"
    );
    let printed = summary.to_string();
    assert!(
        printed.contains("ignored the attribute Sparkle, unknown to this version, in 2 rows"),
        "{printed}"
    );
    assert_eq!(post_kinds(&*t.store).await, (2, 1), "the rest arrives");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rows_are_named_by_file_and_line_and_nothing_is_imported() {
    let cases: [(&str, &str, &str, &str); 4] = [
        (
            "Users.xml",
            "users",
            r#"<row Reputation="1" CreationDate="2011-08-17T18:34:28.000" />"#,
            "Users.xml, line 3: the row has no Id attribute",
        ),
        (
            "Users.xml",
            "users",
            r#"<row Id="x1" CreationDate="2011-08-17T18:34:28.000" />"#,
            "Users.xml, line 3: Id=\"x1\" is not a whole number",
        ),
        (
            "Users.xml",
            "users",
            r#"<row Id="1" CreationDate="last week" />"#,
            "Users.xml, line 3: CreationDate=\"last week\" is not a date",
        ),
        (
            "Users.xml",
            "users",
            r#"<row Id="1" DisplayName="a & b" />"#,
            "Users.xml, line 3: malformed XML",
        ),
    ];
    for (file, root, row, expected) in cases {
        let t = store_on("sqlite").await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        small_dump(dir.path());
        write_file(dir.path(), file, root, &[row]);
        let err = import(&t.store, dir.path()).await.unwrap_err();
        assert!(err.contains(expected), "{err}\nexpected {expected}");
        assert!(!err.contains("stopped"), "nothing was committed: {err}");
        assert_eq!(t.store.content_counts().await.unwrap(), (0, 0));
    }
}

/// The small dump with Comments.xml cut short in its second row, as an interrupted
/// copy would leave it; and the whole file, to put back.
fn small_dump_with_comments_cut() -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    small_dump(dir.path());
    let full = std::fs::read(dir.path().join("Comments.xml")).unwrap();
    let cut = full.iter().rposition(|b| *b == b'\n').unwrap() - 150;
    std::fs::write(dir.path().join("Comments.xml"), &full[..cut]).unwrap();
    (dir, full)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_import_says_so_and_finishes_when_run_again() {
    let t = store_on("sqlite").await.unwrap();
    let (dir, full) = small_dump_with_comments_cut();
    let err = import(&t.store, dir.path()).await.unwrap_err();
    assert!(err.contains("Comments.xml, line 4"), "{err}");
    assert!(err.contains("The import stopped there"), "{err}");
    assert!(err.contains("rows of Posts.xml"), "{err}");
    assert_eq!(
        post_kinds(&*t.store).await,
        (2, 1),
        "posts before the cut are in"
    );

    // The site is not empty now, but a run of the same import may go on.
    std::fs::write(dir.path().join("Comments.xml"), &full).unwrap();
    let summary = import(&t.store, dir.path()).await.unwrap();
    assert_eq!(summary.posts_added, 0);
    assert_eq!(summary.file("Comments.xml").unwrap().added, 2);
    assert_eq!(t.store.export_comments(0, 10).await.unwrap().len(), 2);
    let run = t
        .store
        .import_run(&summary_source(dir.path()))
        .await
        .unwrap()
        .unwrap();
    assert!(run.finished_at.is_some());
}

/// One row a batch, so that batches are still being written when the reader meets
/// the cut: the import waits for them, and what it says it left in the site is
/// what is there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_import_counts_the_batches_it_had_in_flight() {
    let t = store_on("sqlite").await.unwrap();
    let (dir, _) = small_dump_with_comments_cut();
    let err = import_in_batches(&t.store, dir.path(), 1)
        .await
        .unwrap_err();
    assert!(err.contains("Comments.xml, line 4"), "{err}");
    let comments = t.store.export_comments(0, 10).await.unwrap().len();
    assert_eq!(comments, 1, "the comment before the cut is in");
    assert!(err.contains("1 rows of Comments.xml"), "{err}");
    assert!(err.contains("3 rows of Posts.xml"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_with_content_of_its_own_is_refused() {
    let t = store_on("sqlite").await.unwrap();
    ponder_store::conformance::user(&*t.store, "admin").await;
    let dir = tempfile::tempdir().unwrap();
    small_dump(dir.path());
    let err = import(&t.store, dir.path()).await.unwrap_err();
    assert!(err.contains("already has 1 users and 0 posts"), "{err}");
    assert_eq!(t.store.content_counts().await.unwrap(), (1, 0));
}

/// The name an import of `dir` is recorded under.
fn summary_source(dir: &std::path::Path) -> String {
    dir.canonicalize()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The whole number in attribute `name` of a dump row.
fn number(row: &str, name: &str) -> Option<i64> {
    attribute(row, name)?.parse().ok()
}
