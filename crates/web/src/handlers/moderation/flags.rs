//! Flags: raising them on posts and comments, the moderators' list of pending
//! flags, their verdicts, and restoring a comment that flags hid.

use super::ReasonForm;
use crate::AppState;
use crate::actions;
use crate::actions::moderation::{FlagInput, resolve_flag as resolve};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::extract::Id;
use crate::handlers::parse_id;
use crate::views::{
    AuthorCard, FlagGroup, FlagItem, Head, Link, ModerationFlagsPage, Moment, question_path, render,
};
use axum::extract::{Path, State};
use axum::response::Response;
use ponder_core::markdown::plain_excerpt;
use ponder_core::{CommentId, PostId};
use ponder_store::FlagKind;
use serde::Deserialize;

/// A flag form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlagForm {
    csrf: String,
    kind: String,
    message: String,
}

async fn raise_flag(
    state: &AppState,
    ctx: &Ctx,
    post: PostId,
    comment: Option<CommentId>,
    form: CsrfForm<FlagForm>,
) -> Result<Response, AppError> {
    let place = actions::place(state, post).await?;
    let user = ctx.require_writer(&place.url)?.clone();
    let input = form.checked()?;
    let kind = FlagKind::parse(&input.kind).ok_or_else(|| {
        AppError::BadRequest(
            "Choose what is wrong: spam, rude, not_an_answer or needs_moderator.".into(),
        )
    })?;
    let flag = FlagInput {
        kind,
        message: input.message,
        comment,
    };
    let flagged = actions::moderation::flag(state, &user, &place, flag).await?;
    Ok(flagged.see_other(&place.url))
}

/// `POST /posts/{id}/flag`.
pub async fn flag_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(post): Id<PostId>,
    form: CsrfForm<FlagForm>,
) -> Result<Response, AppError> {
    raise_flag(&state, &ctx, post, None, form).await
}

/// `POST /comments/{id}/flag`.
pub async fn flag_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(comment): Id<CommentId>,
    form: CsrfForm<FlagForm>,
) -> Result<Response, AppError> {
    let post = state
        .store
        .comment_post(comment)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no such comment.".into()))?;
    raise_flag(&state, &ctx, post, Some(comment), form).await
}

/// `GET /mod/flags`: pending flags, grouped by post.
pub async fn flags_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require_moderator("/mod/flags")?;
    let flags = state.store.pending_flags(500).await?;
    let now = ponder_core::time::now();
    let mut groups: Vec<FlagGroup> = Vec::new();
    for f in flags {
        let key = (f.post_id.0, f.comment_id.map(|c| c.0));
        let item = FlagItem {
            id: f.id,
            kind: FlagKind::parse(&f.kind).map_or("flag", |k| k.label()),
            message: f.message.clone(),
            flagger: AuthorCard::new(&f.flagger),
            when: Moment::new(f.created_at, now),
        };
        match groups
            .last_mut()
            .filter(|g| (g.post_id, g.comment_id) == key)
        {
            Some(group) => group.flags.push(item),
            None => {
                let path = question_path(f.question_id, &f.question_title);
                let url = if f.question_id == f.post_id {
                    path
                } else {
                    format!("{path}#answer-{}", f.post_id)
                };
                groups.push(FlagGroup {
                    post_id: f.post_id.0,
                    comment_id: f.comment_id.map(|c| c.0),
                    link: Link {
                        label: f.question_title.clone(),
                        url,
                    },
                    excerpt: plain_excerpt(&f.text, 300),
                    target_deleted: f.target_deleted,
                    flags: vec![item],
                });
            }
        }
    }
    Ok(render(&ModerationFlagsPage {
        head: Head::new(&ctx, "Flags", "Flags waiting for a moderator."),
        groups,
    }))
}

/// `POST /mod/flags/{id}/{verdict}`: helpful or decline.
pub async fn resolve_flag(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, verdict)): Path<(String, String)>,
    form: CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    let moderator = ctx.require_moderator("/mod/flags")?.clone();
    let input = form.checked()?;
    let flag = parse_id(&id, "flag")?;
    let helpful = match verdict.as_str() {
        "helpful" => true,
        "decline" => false,
        _ => return Err(AppError::NotFound("There is no such verdict.".into())),
    };
    let done = resolve(&state, &moderator, flag, helpful, &input.reason).await?;
    Ok(done.see_other("/mod/flags"))
}

/// `POST /comments/{id}/mod/restore`: shows a comment that flags hid.
pub async fn restore_comment(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(comment): Id<CommentId>,
    form: CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    let moderator = ctx.require_moderator("/mod/flags")?.clone();
    let input = form.checked()?;
    let done =
        actions::moderation::restore_comment(&state, &moderator, comment, &input.reason).await?;
    Ok(done.see_other("/mod/flags"))
}

crate::extract::has_csrf!(FlagForm);
