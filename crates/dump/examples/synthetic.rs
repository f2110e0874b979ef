//! Writes a synthetic Stack Exchange dump for import benchmarks:
//!
//! ```sh
//! cargo run --release -p ponder-dump --example synthetic -- OUT_DIR [POSTS]
//! ```
//!
//! POSTS (default 1,000,000) questions and answers, a third of them questions with
//! titles of about ten words and HTML bodies of 100 to 400 words with some code
//! blocks; one user per ten posts, 1,000 tags, about one comment per post, one
//! PostHistory body revision per post (the Markdown source), a vote per post, links
//! and badges. Deterministic: the same arguments write the same bytes.

use ponder_dump::RowWriter;
use std::path::{Path, PathBuf};

const WORDS: &[&str] = &[
    "the", "a", "of", "to", "and", "in", "is", "it", "that", "for", "on", "with", "as", "this",
    "by", "from", "at", "or", "be", "not", "are", "can", "when", "which", "how", "why", "what",
    "does", "should", "would", "data", "table", "index", "query", "server", "client", "request",
    "response", "value", "function", "method", "error", "result", "field", "record", "file",
    "thread", "process", "memory", "cache", "network", "history", "empire", "treaty", "century",
    "river", "city", "trade", "language", "word", "grammar", "verb", "noun", "sentence", "bread",
    "flour", "oven", "recipe", "energy", "force", "orbit", "planet", "garden", "soil", "music",
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn words_between(&mut self, lo: u64, hi: u64) -> String {
        let n = self.between(lo, hi);
        self.words(n)
    }

    fn words(&mut self, n: u64) -> String {
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(WORDS[self.below(WORDS.len() as u64) as usize]);
        }
        out
    }
}

/// A body as HTML (for Posts.xml) and as Markdown (for PostHistory.xml).
fn body(rng: &mut Rng, lo: u64, hi: u64) -> (String, String) {
    let (mut html, mut markdown) = (String::new(), String::new());
    let mut left = rng.between(lo, hi);
    while left > 0 {
        let n = left.min(rng.between(20, 80));
        left -= n;
        let text = rng.words(n);
        html.push_str(&format!("<p>{text}.</p>\n\n"));
        markdown.push_str(&format!("{text}.\r\n\r\n"));
        if rng.below(4) == 0 {
            let code = format!(
                "let {} = {}({});",
                rng.words(1),
                rng.words(1),
                rng.below(1000)
            );
            html.push_str(&format!("<pre><code>{code}\n</code></pre>\n\n"));
            markdown.push_str(&format!("    {code}\r\n\r\n"));
        }
    }
    (html, markdown)
}

fn date(day: u64, second: u64) -> String {
    // Days from 2012-01-01, as the dumps write dates.
    let ts = 1_325_376_000 + day as i64 * 86_400 + (second % 86_400) as i64;
    let d = ponder_core::time::DateTime::from_timestamp(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000",
        d.year, d.month, d.day, d.hour, d.minute, d.second
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().ok_or("usage: synthetic OUT_DIR [POSTS]")?);
    let posts: u64 = args
        .next()
        .map(|p| p.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    std::fs::create_dir_all(&out)?;
    let users = (posts / 10).max(10);
    let tags = 1_000u64;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    write_users(&out, users, &mut rng)?;
    write_tags(&out, tags)?;
    write_posts(&out, posts, users, tags, &mut rng)?;
    println!(
        "wrote {posts} posts, {users} users and {tags} tags to {}",
        out.display()
    );
    Ok(())
}

fn write_users(out: &Path, users: u64, rng: &mut Rng) -> Result<(), Box<dyn std::error::Error>> {
    let mut w = RowWriter::create(&out.join("Users.xml"), "users")?;
    let mut badges = RowWriter::create(&out.join("Badges.xml"), "badges")?;
    for id in 1..=users {
        let name = format!("{} {id}", rng.words(2));
        let about = format!("<p>{}</p>", rng.words_between(0, 30));
        w.row(&[
            ("Id", Some(&id.to_string())),
            ("Reputation", Some(&rng.between(1, 5000).to_string())),
            (
                "CreationDate",
                Some(&date(rng.below(100), rng.below(86_400))),
            ),
            ("DisplayName", Some(&name)),
            ("LastAccessDate", Some(&date(1000, rng.below(86_400)))),
            ("AboutMe", Some(&about)),
            ("Views", Some("0")),
            ("UpVotes", Some("0")),
            ("DownVotes", Some("0")),
            ("AccountId", Some(&id.to_string())),
        ])?;
        badges.row(&[
            ("Id", Some(&id.to_string())),
            ("UserId", Some(&id.to_string())),
            ("Name", Some("Autobiographer")),
            ("Date", Some(&date(100, id))),
            ("Class", Some("3")),
            ("TagBased", Some("False")),
        ])?;
    }
    w.finish()?;
    badges.finish()?;
    Ok(())
}

fn write_tags(out: &Path, tags: u64) -> Result<(), Box<dyn std::error::Error>> {
    let mut w = RowWriter::create(&out.join("Tags.xml"), "tags")?;
    for id in 1..=tags {
        w.row(&[
            ("Id", Some(&id.to_string())),
            ("TagName", Some(&format!("tag-{id}"))),
            ("Count", Some("0")),
        ])?;
    }
    w.finish()?;
    Ok(())
}

fn write_posts(
    out: &Path,
    posts: u64,
    users: u64,
    tags: u64,
    rng: &mut Rng,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut w = RowWriter::create(&out.join("Posts.xml"), "posts")?;
    let mut history = RowWriter::create(&out.join("PostHistory.xml"), "posthistory")?;
    let mut comments = RowWriter::create(&out.join("Comments.xml"), "comments")?;
    let mut votes = RowWriter::create(&out.join("Votes.xml"), "votes")?;
    let mut links = RowWriter::create(&out.join("PostLinks.xml"), "postlinks")?;
    let (mut id, mut comment_id, mut question) = (0u64, 0u64, 0u64);
    // Answers still to write for the current question.
    let mut answers_left = 0u64;
    while id < posts {
        id += 1;
        // Questions are followed by their answers: 0 to 4, two on average.
        let is_question = answers_left == 0;
        let answers = if is_question {
            let n = rng.below(5).min(posts - id);
            answers_left = n;
            n
        } else {
            answers_left -= 1;
            0
        };
        let day = id * 1000 / posts.max(1);
        let created = date(day, id * 37);
        let owner = rng.between(1, users).to_string();
        let (html, markdown) = if is_question {
            body(rng, 100, 400)
        } else {
            body(rng, 40, 250)
        };
        let sid = id.to_string();
        if is_question {
            question = id;
            let title = rng.words_between(6, 14);
            let mut tag_list = String::new();
            for _ in 0..rng.between(1, 4) {
                tag_list.push_str(&format!("<tag-{}>", 1 + rng.below(tags)));
            }
            w.row(&[
                ("Id", Some(&sid)),
                ("PostTypeId", Some("1")),
                ("CreationDate", Some(&created)),
                ("Score", Some(&rng.below(40).to_string())),
                ("ViewCount", Some(&rng.below(5000).to_string())),
                ("Body", Some(&html)),
                ("OwnerUserId", Some(&owner)),
                ("LastActivityDate", Some(&created)),
                ("Title", Some(&title)),
                ("Tags", Some(&tag_list)),
                ("AnswerCount", Some(&answers.to_string())),
                ("CommentCount", Some("1")),
                ("ContentLicense", Some("CC BY-SA 4.0")),
            ])?;
            if question > 100 && rng.below(50) == 0 {
                links.row(&[
                    ("Id", Some(&sid)),
                    ("CreationDate", Some(&created)),
                    ("PostId", Some(&sid)),
                    (
                        "RelatedPostId",
                        Some(&rng.between(1, question - 1).to_string()),
                    ),
                    ("LinkTypeId", Some("1")),
                ])?;
            }
        } else {
            w.row(&[
                ("Id", Some(&sid)),
                ("PostTypeId", Some("2")),
                ("ParentId", Some(&question.to_string())),
                ("CreationDate", Some(&created)),
                ("Score", Some(&rng.below(30).to_string())),
                ("Body", Some(&html)),
                ("OwnerUserId", Some(&owner)),
                ("LastActivityDate", Some(&created)),
                ("CommentCount", Some("1")),
                ("ContentLicense", Some("CC BY-SA 4.0")),
            ])?;
        }
        history.row(&[
            ("Id", Some(&sid)),
            ("PostHistoryTypeId", Some("2")),
            ("PostId", Some(&sid)),
            ("CreationDate", Some(&created)),
            ("UserId", Some(&owner)),
            ("Text", Some(&markdown)),
        ])?;
        comment_id += 1;
        comments.row(&[
            ("Id", Some(&comment_id.to_string())),
            ("PostId", Some(&sid)),
            ("Score", Some(&rng.below(5).to_string())),
            ("Text", Some(&rng.words_between(5, 30))),
            ("CreationDate", Some(&created)),
            ("UserId", Some(&rng.between(1, users).to_string())),
        ])?;
        votes.row(&[
            ("Id", Some(&sid)),
            ("PostId", Some(&sid)),
            ("VoteTypeId", Some("2")),
            ("CreationDate", Some(&date(day, 0))),
        ])?;
    }
    for writer in [w, history, comments, votes, links] {
        writer.finish()?;
    }
    Ok(())
}
