//! The review queue: suggested edits and first posts waiting for a second pair of
//! eyes, and the verdicts on them.

use super::ReasonForm;
use crate::AppState;
use crate::actions::{
    self,
    moderation::{Queue, Verdict},
};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::handlers::parse_id;
use crate::views::{AuthorCard, Head, Link, Moment, ReviewItem, ReviewPage, question_path, render};
use axum::extract::{Path, State};
use axum::response::Response;
use ponder_core::markdown::plain_excerpt;
use ponder_store::User;

/// Refuses anyone who may not review (the privilege to edit others' posts, or a
/// moderator); sends a visitor to log in.
fn require_reviewer<'a>(ctx: &'a Ctx, state: &AppState) -> Result<&'a User, AppError> {
    let user = ctx.require_writer("/review")?;
    actions::moderation::check_reviewer(state, user)?;
    Ok(user)
}

/// `GET /review`: suggested edits and first posts waiting for review.
pub async fn review_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let reviewer = require_reviewer(&ctx, &state)?.clone();
    let now = ponder_core::time::now();
    let skipped = state.store.skipped_suggestions(reviewer.id).await?;
    let mut suggestions = Vec::new();
    for s in state.store.pending_suggestions(100).await? {
        if skipped.contains(&s.id) || s.author.id == reviewer.id {
            continue;
        }
        let Some(post) = state.store.editable_post(s.post_id).await? else {
            continue;
        };
        if state
            .privileges()
            .check_review(&reviewer.actor(), post.author_id)
            .is_err()
        {
            continue;
        }
        suggestions.push(ReviewItem {
            id: s.id,
            link: Link {
                label: post.question_title.clone(),
                url: format!("/suggested-edits/{}", s.id),
            },
            excerpt: if s.summary.is_empty() {
                plain_excerpt(&s.body_markdown, 200)
            } else {
                s.summary.clone()
            },
            author: AuthorCard::new(&s.author),
            when: Moment::new(s.created_at, now),
        });
    }
    let first_posts = state
        .store
        .review_tasks(reviewer.id, 50)
        .await?
        .into_iter()
        .map(|t| {
            let path = question_path(t.question_id, &t.question_title);
            ReviewItem {
                id: t.id,
                link: Link {
                    label: t.question_title.clone(),
                    url: if t.question_id == t.post_id {
                        path
                    } else {
                        format!("{path}#answer-{}", t.post_id)
                    },
                },
                excerpt: plain_excerpt(&t.text, 300),
                author: AuthorCard::new(&t.author),
                when: Moment::new(t.created_at, now),
            }
        })
        .collect();
    Ok(render(&ReviewPage {
        head: Head::new(&ctx, "Review", "Posts waiting for a second pair of eyes."),
        suggestions,
        first_posts,
    }))
}

/// `POST /review/{queue}/{id}/{action}`: approve, reject (with a reason) or skip a
/// first post; skip a suggestion (suggestions are approved on their own page).
pub async fn review_action(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((queue, id, action)): Path<(String, String, String)>,
    form: CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    let reviewer = require_reviewer(&ctx, &state)?.clone();
    let input = form.checked()?;
    let id = parse_id(&id, "review task")?;
    let queue = match queue.as_str() {
        "first-posts" => Queue::FirstPosts,
        "suggestions" => Queue::Suggestions,
        _ => return Err(AppError::NotFound("There is no such review action.".into())),
    };
    let verdict = match action.as_str() {
        "approve" => Verdict::Approve,
        "reject" => Verdict::Reject(input.reason),
        "skip" => Verdict::Skip,
        _ => return Err(AppError::NotFound("There is no such review action.".into())),
    };
    let done = actions::moderation::review(&state, &reviewer, queue, id, verdict).await?;
    Ok(done.see_other("/review"))
}
