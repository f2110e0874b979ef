//! schema.org `QAPage` structured data for a question page, as JSON-LD: the question
//! with its full text, counts, dates, author and comments; the accepted answer as
//! `acceptedAnswer` (only when one is accepted) and every other answer as
//! `suggestedAnswer`, each as complete as the question.

use ponder_core::markdown::{html_text, plain_text};
use ponder_core::time::DateTime;
use ponder_store::{Comment, Post, QuestionThread, UserRef};
use serde_json::{Value, json};

use crate::views::user_path;

/// The JSON-LD of a question's page at `base` + `path`, safe to print inside a
/// `<script type="application/ld+json">` element. Deleted posts are left out.
pub fn qa_page(thread: &QuestionThread, base: &str, path: &str) -> String {
    let q = &thread.question;
    let url = format!("{base}{path}");
    let live: Vec<&Post> = thread.answers.iter().filter(|a| !a.deleted).collect();
    let mut question = post_entity(thread, q, "Question", base, &url);
    question["name"] = json!(q.title);
    question["answerCount"] = json!(live.len());
    let accepted = q.accepted_answer_id;
    let answer = |a: &&Post| {
        let anchor = format!("{url}#answer-{}", a.id);
        let mut entity = post_entity(thread, a, "Answer", base, &url);
        entity["url"] = json!(anchor);
        entity
    };
    if let Some(chosen) = live.iter().find(|a| Some(a.id) == accepted) {
        question["acceptedAnswer"] = answer(chosen);
    }
    let suggested: Vec<Value> = live
        .iter()
        .filter(|a| Some(a.id) != accepted)
        .map(answer)
        .collect();
    if !suggested.is_empty() {
        question["suggestedAnswer"] = Value::Array(suggested);
    }
    let page = json!({
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": question,
    });
    // `<` never appears raw, so nothing in the text can close the script element.
    page.to_string().replace('<', "\\u003c")
}

/// The fields a question and an answer share; `page` is the question page's URL.
fn post_entity(thread: &QuestionThread, post: &Post, kind: &str, base: &str, page: &str) -> Value {
    let comments: Vec<Value> = thread
        .comments_of(post.id)
        .map(|c| comment_entity(c, base, page))
        .collect();
    json!({
        "@type": kind,
        "text": plain_text(&post.body_markdown),
        "upvoteCount": post.score,
        "datePublished": DateTime::from_timestamp(post.created_at).rfc3339(),
        "dateModified": DateTime::from_timestamp(post.edited_at.unwrap_or(post.created_at)).rfc3339(),
        "author": person(&post.author, base),
        "commentCount": comments.len(),
        "comment": comments,
    })
}

fn comment_entity(comment: &Comment, base: &str, page: &str) -> Value {
    json!({
        "@type": "Comment",
        "text": html_text(comment.body_html.as_str()),
        "author": person(&comment.author, base),
        "datePublished": DateTime::from_timestamp(comment.created_at).rfc3339(),
        "url": format!("{page}#comment-{}", comment.id),
    })
}

fn person(user: &UserRef, base: &str) -> Value {
    if user.deleted {
        json!({ "@type": "Person", "name": user.display_name })
    } else {
        json!({
            "@type": "Person",
            "name": user.display_name,
            "url": format!("{base}{}", user_path(user.id, &user.display_name)),
        })
    }
}
