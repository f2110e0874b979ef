//! `/feeds/...`: Atom feeds of the newest questions, of a category (with the ones
//! below it), of a tag, of one question (its answers and comments) and of a
//! user's posts. Each is a fixed number of statements, whatever the site's size;
//! each answers with an ETag and 304 to a reader whose copy is current. Deleted
//! posts, and deleted or hidden comments, are never in a feed.

use super::{category_tree, parse_id};
use crate::AppState;
use crate::atom::{Body, Entry, Feed, tag_uri};
use crate::conditional::{etag_of, matches};
use crate::error::AppError;
use crate::views::{question_path, tag_path, user_path};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ponder_core::markdown::plain_excerpt;
use ponder_core::paging::QuestionSort;
use ponder_core::{PostId, UserId};
use ponder_store::{QuestionFilter, QuestionQuery, QuestionSummary, UserRef};

/// Entries a feed holds at most.
const ENTRIES: u32 = 30;

/// The characters of a question's text a list feed's summary shows.
const SUMMARY_CHARS: usize = 400;

/// The feed as a response: its ETag, and 304 when `asked` names it.
fn answer(headers: &HeaderMap, feed: &Feed) -> Response {
    let xml = feed.to_xml();
    let etag = etag_of(xml.as_bytes());
    let validators = [
        (header::ETAG, etag.clone()),
        (
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("public, max-age=300"),
        ),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|asked| matches(asked, &etag))
    {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    let content_type = (
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    (validators, [content_type], xml).into_response()
}

/// An author as Atom names them: a deleted account by its placeholder, unlinked.
fn author(base: &str, user: &UserRef) -> (String, Option<String>) {
    if user.deleted {
        return (format!("user{}", user.id), None);
    }
    (
        user.display_name.clone(),
        Some(format!("{base}{}", user_path(user.id, &user.display_name))),
    )
}

/// A feed of questions from `query`, each summarised from its text.
async fn question_feed(
    state: &AppState,
    filter: QuestionFilter,
    feed: Feed,
) -> Result<Feed, AppError> {
    let list = state
        .store
        .list_questions(&QuestionQuery {
            filter,
            sort: QuestionSort::Newest,
            page: 1,
            per_page: ENTRIES,
        })
        .await?;
    let ids: Vec<PostId> = list.items.iter().map(|q| q.id).collect();
    let bodies = state.store.post_bodies(&ids).await?;
    let base = &state.site.base_url;
    let entries = list
        .items
        .iter()
        .map(|q| question_entry(base, q, &bodies))
        .collect();
    Ok(Feed { entries, ..feed })
}

/// The entry of a listed question.
fn question_entry(base: &str, q: &QuestionSummary, bodies: &[(PostId, String)]) -> Entry {
    let text = bodies
        .iter()
        .find(|(id, _)| *id == q.id)
        .map(|(_, markdown)| plain_excerpt(markdown, SUMMARY_CHARS))
        .unwrap_or_default();
    Entry {
        id: tag_uri(base, &format!("posts/{}", q.id)),
        title: q.title.clone(),
        url: format!("{base}{}", question_path(q.id, &q.title)),
        published: q.created_at,
        updated: q.created_at,
        author: author(base, &q.author),
        categories: q.tags.clone(),
        body: Body::Summary(text),
    }
}

/// A feed's frame: its id, title, line, own address and page.
fn frame(
    state: &AppState,
    id: &str,
    title: String,
    subtitle: String,
    path: &str,
    page: &str,
) -> Feed {
    let base = &state.site.base_url;
    Feed {
        id: tag_uri(base, id),
        title,
        subtitle,
        self_url: format!("{base}{path}"),
        page_url: format!("{base}{page}"),
        entries: Vec::new(),
    }
}

/// `GET /feeds/questions`: the newest questions.
pub async fn newest(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let site = state.settings().name().to_owned();
    let feed = frame(
        &state,
        "feeds/questions",
        format!("Newest questions - {site}"),
        state.settings().tagline().to_owned(),
        "/feeds/questions",
        "/questions?sort=newest",
    );
    let feed = question_feed(&state, QuestionFilter::All, feed).await?;
    Ok(answer(&headers, &feed))
}

/// `GET /feeds/tags/{name}`: the newest questions with a tag.
pub async fn tag(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let tag = state.store.tag(&name).await?.ok_or_else(|| {
        AppError::NotFound(format!(
            "There is no tag “{}”.",
            name.chars().take(40).collect::<String>()
        ))
    })?;
    let page = tag_path(&tag.name);
    let feed = frame(
        &state,
        &format!("feeds/tags/{}", tag.id.0),
        format!(
            "Questions tagged {} - {}",
            tag.name,
            state.settings().name()
        ),
        tag.description.clone(),
        &format!("/feeds{page}"),
        &page,
    );
    let feed = question_feed(&state, QuestionFilter::Tag(tag.name.clone()), feed).await?;
    Ok(answer(&headers, &feed))
}

/// `GET /feeds/categories/{path}`: the newest questions in a category and the
/// ones below it.
pub async fn category(
    State(state): State<AppState>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let tree = category_tree(&state).await?;
    let slugs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let category = tree
        .find_by_slugs(&slugs)
        .ok_or_else(|| AppError::NotFound("There is no such category.".into()))?;
    let page = tree.url(category.id);
    let feed = frame(
        &state,
        &format!("feeds/categories/{}", category.id.0),
        format!("{} - {}", category.name, state.settings().name()),
        plain_excerpt(&category.description, 200),
        &format!("/feeds{page}"),
        &page,
    );
    let feed = question_feed(&state, QuestionFilter::Category(category.id), feed).await?;
    Ok(answer(&headers, &feed))
}

/// `GET /feeds/questions/{id}`: a question's answers and comments, newest first.
pub async fn question(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(&id, "question")?);
    let thread = state
        .store
        .question_thread(id)
        .await?
        .filter(|t| !t.question.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no question {id}.")))?;
    let q = &thread.question;
    let base = state.site.base_url.clone();
    let page = question_path(q.id, &q.title);
    let mut entries: Vec<Entry> = Vec::new();
    let live_posts: Vec<PostId> = std::iter::once(q.id)
        .chain(thread.answers.iter().filter(|a| !a.deleted).map(|a| a.id))
        .collect();
    for answer in thread.answers.iter().filter(|a| !a.deleted) {
        entries.push(Entry {
            id: tag_uri(&base, &format!("posts/{}", answer.id)),
            title: format!("Answer by {}", author(&base, &answer.author).0),
            url: format!("{base}{page}#answer-{}", answer.id),
            published: answer.created_at,
            updated: answer.edited_at.unwrap_or(answer.created_at),
            author: author(&base, &answer.author),
            categories: Vec::new(),
            body: Body::Html(answer.body_html.as_str().to_owned()),
        });
    }
    for comment in thread
        .comments
        .iter()
        .filter(|c| live_posts.contains(&c.post_id))
    {
        entries.push(Entry {
            id: tag_uri(&base, &format!("comments/{}", comment.id)),
            title: format!("Comment by {}", author(&base, &comment.author).0),
            url: format!("{base}{page}#comment-{}", comment.id),
            published: comment.created_at,
            updated: comment.created_at,
            author: author(&base, &comment.author),
            categories: Vec::new(),
            body: Body::Html(comment.body_html.as_str().to_owned()),
        });
    }
    entries.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| b.id.cmp(&a.id)));
    entries.truncate(ENTRIES as usize);
    let feed = Feed {
        entries,
        ..frame(
            &state,
            &format!("feeds/questions/{}", q.id),
            format!("{} - {}", q.title, state.settings().name()),
            "Answers and comments.".into(),
            &format!("/feeds/questions/{}", q.id),
            &page,
        )
    };
    Ok(answer(&headers, &feed))
}

/// `GET /feeds/users/{id}`: a user's newest questions and answers.
pub async fn user(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let id = UserId(parse_id(&id, "user")?);
    let user = state
        .store
        .user(id)
        .await?
        .filter(|u| !u.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no user {id}.")))?;
    let base = state.site.base_url.clone();
    let frame = frame(
        &state,
        &format!("feeds/users/{id}"),
        format!(
            "Posts by {} - {}",
            user.display_name,
            state.settings().name()
        ),
        String::new(),
        &format!("/feeds/users/{id}"),
        &user_path(id, &user.display_name),
    );
    let mut feed = question_feed(&state, QuestionFilter::Author(id), frame).await?;
    let answers = state.store.user_answers(id, 1).await?;
    let by = (
        user.display_name.clone(),
        Some(format!("{base}{}", user_path(id, &user.display_name))),
    );
    for a in answers.items {
        feed.entries.push(Entry {
            id: tag_uri(&base, &format!("posts/{}", a.id)),
            title: format!("Answer to “{}”", a.question_title),
            url: format!(
                "{base}{}#answer-{}",
                question_path(a.question_id, &a.question_title),
                a.id
            ),
            published: a.created_at,
            updated: a.created_at,
            author: by.clone(),
            categories: Vec::new(),
            body: Body::Summary(format!("An answer to “{}”.", a.question_title)),
        });
    }
    feed.entries
        .sort_by(|a, b| b.published.cmp(&a.published).then_with(|| b.id.cmp(&a.id)));
    feed.entries.truncate(ENTRIES as usize);
    Ok(answer(&headers, &feed))
}
