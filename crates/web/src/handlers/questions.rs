//! The home page, the question lists and the question page.

use super::{ListParams, ListRequest, category_tree, parse_id, question_list};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::views::{
    CommentView, Head, Link, Moment, PostView, QuestionListPage, QuestionPage, moved_permanently,
    question_path, render, tag_path,
};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ponder_core::PostId;
use ponder_core::markdown::plain_excerpt;
use ponder_core::text::count;
use ponder_store::{QuestionFilter, QuestionThread};

const EMPTY_SITE: &str = "No questions have been asked here yet. Questions you ask appear here, \
                          newest activity first, for others to answer.";

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    request: ListRequest,
    base: &str,
    heading: &str,
) -> Result<Response, AppError> {
    let tree = category_tree(state).await?;
    let list = question_list(state, &tree, QuestionFilter::All, request, base, EMPTY_SITE).await?;
    let site = &state.site.name;
    let mut head = Head::new(
        ctx,
        heading,
        format!("{site}: questions and answers, {}.", list.total_label),
    );
    if request.page == 1 {
        head = head.canonical(&state.site.base_url, base);
    }
    let page = QuestionListPage {
        head,
        heading: heading.to_owned(),
        categories: tree
            .children(None)
            .into_iter()
            .map(|c| Link {
                label: c.name.clone(),
                url: tree.url(c.id),
            })
            .collect(),
        list,
    };
    Ok(render(&page))
}

/// `GET /`: the questions, most recently active first.
pub async fn home(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let request = ListRequest::from_query(query)?;
    list_page(&state, &ctx, request, "/", "Top questions").await
}

/// `GET /questions?sort=&page=`: every question.
pub async fn list_questions(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let request = ListRequest::from_query(query)?;
    list_page(&state, &ctx, request, "/questions", "All questions").await
}

/// `GET /questions/{id}`: redirects to the URL with the slug.
pub async fn show_question_without_slug(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &ctx, &id, None).await
}

/// `GET /questions/{id}/{slug}`: the question page. A wrong slug redirects to the
/// right one; an answer's id redirects to the answer in its question.
pub async fn show_question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    show(&state, &ctx, &id, Some(&slug)).await
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    raw_id: &str,
    slug: Option<&str>,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(raw_id, "question")?);
    let not_found = || {
        AppError::NotFound(format!(
            "There is no question {id}. It may have been deleted."
        ))
    };
    let Some(thread) = state.store.question_thread(id).await? else {
        // Perhaps an answer's id: send the reader to it within its question.
        let question = state.store.question_of(id).await?.filter(|q| *q != id);
        let Some(question) = question else {
            return Err(not_found());
        };
        let thread = state
            .store
            .question_thread(question)
            .await?
            .ok_or_else(not_found)?;
        let path = question_path(question, &thread.question.title);
        return Ok(moved_permanently(&format!("{path}#answer-{id}")));
    };
    let path = question_path(id, &thread.question.title);
    if slug != path.rsplit('/').next() {
        return Ok(moved_permanently(&path));
    }
    Ok(render(&question_page(ctx, thread, &path)))
}

/// Shapes a thread into its page.
fn question_page(ctx: &Ctx, thread: QuestionThread, path: &str) -> QuestionPage {
    let now = ponder_core::time::now();
    let comments_of = |post: PostId| {
        thread
            .comments_of(post)
            .map(|c| CommentView::new(c, now))
            .collect::<Vec<_>>()
    };
    let q = &thread.question;
    let question = PostView::new(q, comments_of(q.id), false, path, now);
    let answers = thread
        .answers
        .iter()
        .map(|a| {
            PostView::new(
                a,
                comments_of(a.id),
                q.accepted_answer_id == Some(a.id),
                path,
                now,
            )
        })
        .collect::<Vec<_>>();
    let crumbs = category_crumbs(&thread);
    let head = Head::new(ctx, q.title.clone(), plain_excerpt(&q.body_markdown, 160))
        .canonical(&ctx.site.base_url, path);
    QuestionPage {
        head,
        crumbs,
        title: q.title.clone(),
        tags: thread
            .tags
            .iter()
            .map(|t| Link {
                label: t.clone(),
                url: tag_path(t),
            })
            .collect(),
        active: Moment::new(q.last_activity_at, now),
        answers_heading: if answers.is_empty() {
            "No answers yet".to_owned()
        } else {
            count(answers.len() as i64, "Answer", "Answers")
        },
        answers,
        answer_next: format!("{path}#answers-heading"),
        question,
    }
}

/// The breadcrumb of a thread's category path, each crumb linking to its category.
fn category_crumbs(thread: &QuestionThread) -> Vec<Link> {
    let mut url = String::from("/categories");
    thread
        .category_path
        .iter()
        .map(|c| {
            url.push('/');
            url.push_str(&c.slug);
            Link {
                label: c.name.clone(),
                url: url.clone(),
            }
        })
        .collect()
}
