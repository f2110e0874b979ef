//! The API's item types (question, answer, comment, user, shallow user, tag), as
//! its documentation describes them: ids and dates as numbers (Unix seconds),
//! titles and names HTML-escaped as the original escapes them, bodies as HTML.

use crate::views::{question_path, tag_path, user_path};
use ponder_core::accounts::linkable_website;
use ponder_store::{Comment, ListedPost, Tag, User, UserRef};
use serde_json::{Map, Value, json};

/// The licence every post is shared under, as the original names it.
pub const CONTENT_LICENSE: &str = "CC BY-SA 4.0";

/// Escapes text as the original API escapes titles and names: `&`, `<`, `>`, `"`
/// and `'` as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The shallow user that owns a post or a comment.
pub fn owner(base: &str, user: &UserRef) -> Value {
    if user.deleted {
        return json!({ "user_type": "does_not_exist", "display_name": escape(&user.display_name) });
    }
    json!({
        "account_id": user.id.0,
        "reputation": user.reputation,
        "user_id": user.id.0,
        "user_type": "registered",
        "profile_image": format!("{base}/users/{}/avatar", user.id),
        "display_name": escape(&user.display_name),
        "link": format!("{base}{}", user_path(user.id, &user.display_name)),
    })
}

fn insert_body(item: &mut Map<String, Value>, with_body: bool, html: &str) {
    if with_body {
        item.insert("body".into(), Value::String(html.to_owned()));
    }
}

/// A question.
pub fn question(base: &str, listed: &ListedPost, with_body: bool) -> Value {
    let q = &listed.post;
    let mut item = json!({
        "tags": listed.tags,
        "owner": owner(base, &q.author),
        "is_answered": q.accepted_answer_id.is_some() || q.answer_count > 0,
        "view_count": q.view_count,
        "answer_count": q.answer_count,
        "score": q.score,
        "last_activity_date": q.last_activity_at,
        "creation_date": q.created_at,
        "question_id": q.id.0,
        "content_license": CONTENT_LICENSE,
        "link": format!("{base}{}", question_path(q.id, &q.title)),
        "title": escape(&q.title),
    });
    if let Some(map) = item.as_object_mut() {
        if let Some(accepted) = q.accepted_answer_id {
            map.insert("accepted_answer_id".into(), json!(accepted.0));
        }
        if let Some(edited) = q.edited_at {
            map.insert("last_edit_date".into(), json!(edited));
        }
        if let Some(reason) = &q.closed_reason {
            map.insert("closed_reason".into(), json!(escape(reason)));
        }
        insert_body(map, with_body, q.body_html.as_str());
    }
    item
}

/// An answer; its link leads to its question's page (which redirects to the
/// page's canonical address), at the answer.
pub fn answer(base: &str, listed: &ListedPost, with_body: bool) -> Value {
    let a = &listed.post;
    let mut item = json!({
        "owner": owner(base, &a.author),
        "is_accepted": listed.accepted,
        "score": a.score,
        "last_activity_date": a.last_activity_at,
        "creation_date": a.created_at,
        "answer_id": a.id.0,
        "question_id": listed.question_id.0,
        "content_license": CONTENT_LICENSE,
        "link": format!("{base}/questions/{}#answer-{}", listed.question_id, a.id),
    });
    if let Some(map) = item.as_object_mut() {
        if let Some(edited) = a.edited_at {
            map.insert("last_edit_date".into(), json!(edited));
        }
        insert_body(map, with_body, a.body_html.as_str());
    }
    item
}

/// A comment.
pub fn comment(base: &str, c: &Comment, with_body: bool) -> Value {
    let mut item = json!({
        "owner": owner(base, &c.author),
        "edited": false,
        "score": c.score,
        "creation_date": c.created_at,
        "post_id": c.post_id.0,
        "comment_id": c.id.0,
        "content_license": CONTENT_LICENSE,
    });
    if let Some(map) = item.as_object_mut() {
        insert_body(map, with_body, c.body_html.as_str());
    }
    item
}

/// A user's badges by class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BadgeCounts {
    /// Bronze badges.
    pub bronze: i64,
    /// Silver badges.
    pub silver: i64,
    /// Gold badges.
    pub gold: i64,
}

/// A user, with their badge counts; location and website only when they gave
/// them (the API leaves out what a user has not set), and a website only when
/// it is a plain web address.
pub fn user(base: &str, u: &User, badges: BadgeCounts) -> Value {
    let mut item = json!({
        "badge_counts": { "bronze": badges.bronze, "silver": badges.silver, "gold": badges.gold },
        "account_id": u.id.0,
        "is_employee": false,
        "reputation": u.reputation,
        "creation_date": u.created_at,
        "user_type": if u.deleted { "does_not_exist" } else { "registered" },
        "user_id": u.id.0,
        "link": format!("{base}{}", user_path(u.id, &u.display_name)),
        "profile_image": format!("{base}/users/{}/avatar", u.id),
        "display_name": escape(&u.display_name),
    });
    if let Some(location) = u.location.as_deref().filter(|l| !l.trim().is_empty()) {
        item["location"] = json!(escape(location));
    }
    if let Some(url) = u.website_url.as_deref().and_then(linkable_website) {
        item["website_url"] = json!(url);
    }
    item
}

/// A badge, with how often it was awarded; `id` is its place in the site's list.
pub fn badge(base: &str, id: usize, kind: &ponder_core::badges::BadgeKind, awarded: i64) -> Value {
    json!({
        "badge_type": "named",
        "award_count": awarded,
        "rank": kind.class.as_str(),
        "badge_id": id,
        "link": format!("{base}/privileges"),
        "name": escape(kind.name),
        "description": escape(kind.description),
    })
}

/// A tag.
pub fn tag(base: &str, t: &Tag) -> Value {
    json!({
        "has_synonyms": false,
        "is_moderator_only": false,
        "is_required": false,
        "count": t.question_count,
        "name": t.name,
        "link": format!("{base}{}", tag_path(&t.name)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_escaped_as_the_original_escapes_them() {
        assert_eq!(
            escape(r#"Why "A & B" isn't <b>"#),
            "Why &quot;A &amp; B&quot; isn&#39;t &lt;b&gt;"
        );
        assert_eq!(escape("plain"), "plain");
    }
}
