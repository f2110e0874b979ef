//! The API's writes: each reads a JSON body of a fixed shape (an unknown field is
//! refused, not ignored), checks its fields with the validators the forms use, and
//! calls the action the form calls; a rule's refusal answers with its code.

use super::schema::{Created, Done, EditResult, ErrorBody, VoteResult};
use super::{ApiJson, api_writer, created};
use crate::AppState;
use crate::actions::{self, edits::Edited, moderation::FlagInput};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::handlers::{category_tree, parse_id};
use crate::views::question_path;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use ponder_core::posts::{
    validate_body, validate_comment, validate_summary, validate_tags, validate_title,
};
use ponder_core::{CategoryId, CommentId, PostId};
use ponder_store::{FlagKind, PostKind, VoteValue};
use serde::Deserialize;
use utoipa::ToSchema;

/// A field's value checked by `check`, or a 422 that names the field.
fn field<T>(name: &str, checked: Result<T, String>) -> Result<T, AppError> {
    checked.map_err(|message| AppError::Unprocessable(format!("{name}: {message}")))
}

/// A question to ask.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskBody {
    /// The title, 15 to 150 characters.
    #[schema(min_length = 15, max_length = 150)]
    pub title: String,
    /// The body, in Markdown, 30 to 30,000 characters.
    #[schema(min_length = 30, max_length = 30000)]
    pub body: String,
    /// One to five tags, each up to 35 characters.
    #[schema(min_items = 1, max_items = 5)]
    pub tags: Vec<String>,
    /// The id of the category it belongs in (`GET /api/v1/categories`).
    pub category: i64,
}

/// Asks a question.
#[utoipa::path(post, path = "/api/v1/questions", tag = "questions",
    request_body = AskBody,
    responses(
        (status = 201, description = "Asked", body = Created),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Not allowed (a read-only token, a suspension, a moderators' tag)", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
        (status = 429, description = "Too many questions in a short time", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    ApiJson(input): ApiJson<AskBody>,
) -> Result<Response, AppError> {
    let user = api_writer(&ctx, &headers)?.clone();
    let title = field("title", validate_title(&input.title))?;
    let body = field("body", validate_body(&input.body))?;
    let tags = field("tags", validate_tags(&input.tags.join(" ")))?;
    let tree = category_tree(&state).await?;
    let category = CategoryId(input.category);
    if tree.get(category).is_none() {
        return Err(AppError::Unprocessable(format!(
            "category: there is no category {category}"
        )));
    }
    let asked = actions::posts::ask(
        &state,
        &user,
        actions::posts::AskInput {
            title: title.clone(),
            body,
            tags,
            category,
        },
    )
    .await?;
    let url = format!(
        "{}{}",
        state.site.base_url.as_str(),
        question_path(asked.value, &title)
    );
    let location = format!("/api/v1/questions/{}", asked.value);
    Ok(created(
        &asked,
        &location,
        Created {
            id: asked.value.0,
            url,
        },
    ))
}

/// An answer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The answer, in Markdown, 30 to 30,000 characters.
    #[schema(min_length = 30, max_length = 30000)]
    pub body: String,
}

/// A comment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    /// The comment, in Markdown (links, emphasis, code), 15 to 600 characters.
    #[schema(min_length = 15, max_length = 600)]
    pub body: String,
}

/// Answers a question.
#[utoipa::path(post, path = "/api/v1/questions/{id}/answers", tag = "answers", operation_id = "answer_question",
    params(("id" = i64, Path, description = "The question's id", minimum = 1, example = 1)),
    request_body = AnswerBody,
    responses(
        (status = 201, description = "Answered", body = Created),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Not allowed (closed, locked or protected; suspended)", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AnswerBody>,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(&id, "question")?);
    let user = api_writer(&ctx, &headers)?.clone();
    let question = actions::posts::live_question(&state, id).await?;
    let body = field("body", validate_body(&input.body))?;
    let answered = actions::posts::answer(&state, &user, &question, body).await?;
    let url = format!(
        "{}{}#answer-{}",
        state.site.base_url.as_str(),
        question_path(id, &question.title),
        answered.value
    );
    let location = format!("/api/v1/answers/{}", answered.value);
    Ok(created(
        &answered,
        &location,
        Created {
            id: answered.value.0,
            url,
        },
    ))
}

/// Comments on a question or an answer.
#[utoipa::path(post, path = "/api/v1/posts/{id}/comments", tag = "posts",
    params(("id" = i64, Path, description = "The post's id", minimum = 1, example = 1)),
    request_body = CommentBody,
    responses(
        (status = 201, description = "Commented", body = Created),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Not allowed (reputation, a lock, a suspension)", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn comment(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CommentBody>,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(&id, "post")?);
    let user = api_writer(&ctx, &headers)?.clone();
    let target = actions::posts::comment_target(&state, id).await?;
    let body = field("body", validate_comment(&input.body))?;
    let commented = actions::posts::comment(&state, &user, &target, body).await?;
    let url = format!(
        "{}{}#comment-{}",
        state.site.base_url.as_str(),
        question_path(target.question.id, &target.question.title),
        commented.value
    );
    let location = format!("/api/v1/questions/{}", target.question.id);
    Ok(created(
        &commented,
        &location,
        Created {
            id: commented.value.0,
            url,
        },
    ))
}

/// A vote's direction.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// An upvote.
    Up,
    /// A downvote.
    Down,
    /// No vote: withdraws the member's vote.
    None,
}

/// A vote on a post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteBody {
    /// `up`, `down`, or `none` to withdraw.
    pub vote: Direction,
}

/// Votes on a question or an answer, or withdraws the vote.
#[utoipa::path(post, path = "/api/v1/posts/{id}/vote", tag = "posts",
    params(("id" = i64, Path, description = "The post's id", minimum = 1, example = 1)),
    request_body = VoteBody,
    responses(
        (status = 200, description = "Voted", body = VoteResult),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Not allowed (own post, reputation, a lock)", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<VoteBody>,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(&id, "post")?);
    let user = api_writer(&ctx, &headers)?.clone();
    let place = actions::place(&state, id).await?;
    let (value, name) = match input.vote {
        Direction::Up => (VoteValue::Up, "up"),
        Direction::Down => (VoteValue::Down, "down"),
        Direction::None => (VoteValue::None, "none"),
    };
    let voted = actions::votes::vote(&state, &user, &place, value).await?;
    let score = state.store.post_score(id).await?.unwrap_or_default();
    Ok(voted.json(VoteResult {
        score,
        vote: name.to_owned(),
    }))
}

/// Accepting an answer, or withdrawing the acceptance.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// `true` to accept, `false` to withdraw the acceptance.
    pub accept: bool,
}

/// Accepts an answer to the member's question (or withdraws it).
#[utoipa::path(post, path = "/api/v1/answers/{id}/accept", tag = "answers",
    params(("id" = i64, Path, description = "The answer's id", minimum = 1, example = 1)),
    request_body = AcceptBody,
    responses(
        (status = 200, description = "Done", body = Done),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Only the asker may", body = ErrorBody),
        (status = 404, description = "No such answer", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn accept(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AcceptBody>,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(&id, "answer")?);
    let user = api_writer(&ctx, &headers)?.clone();
    let answer = state
        .store
        .editable_post(id)
        .await?
        .filter(|p| !p.deleted && p.kind == PostKind::Answer)
        .ok_or_else(|| AppError::NotFound(format!("There is no answer {id}.")))?;
    let accepted = actions::votes::accept(&state, &user, &answer, input.accept).await?;
    Ok(accepted.json(Done { changed: true }))
}

/// An edit of a post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    /// The id of the revision the edit starts from (the newest in
    /// `GET /api/v1/posts/{id}/revisions`); if another edit was saved since, the
    /// edit is refused 409 and nothing changes.
    pub base_revision: i64,
    /// The new title (questions; left as it is when absent).
    pub title: Option<String>,
    /// The new body, in Markdown, 30 to 30,000 characters.
    #[schema(min_length = 30, max_length = 30000)]
    pub body: String,
    /// The new tags (questions; left as they are when absent).
    pub tags: Option<Vec<String>>,
    /// What the edit changed, up to 300 characters.
    #[schema(max_length = 300)]
    pub summary: String,
}

/// Edits a question or an answer: saved at once by its author and members with
/// the privilege, filed as a suggested edit for review from everyone else.
#[utoipa::path(patch, path = "/api/v1/posts/{id}", tag = "posts",
    params(("id" = i64, Path, description = "The post's id", minimum = 1, example = 1)),
    request_body = EditBody,
    responses(
        (status = 200, description = "Saved or suggested", body = EditResult),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Not allowed (a lock, a suspension)", body = ErrorBody),
        (status = 404, description = "No such post", body = ErrorBody),
        (status = 409, description = "Edited meanwhile: the message names the revision now current", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EditBody>,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(&id, "post")?);
    let user = api_writer(&ctx, &headers)?.clone();
    let post = state
        .store
        .editable_post(id)
        .await?
        .filter(|p| !p.deleted || ponder_core::rules::manages(Some(&user.actor()), p.author_id))
        .ok_or_else(|| AppError::NotFound(format!("There is no post {id}.")))?;
    let question = post.kind == PostKind::Question;
    let (title, tags) = if question {
        let title = input.title.as_deref().unwrap_or(&post.title);
        let tags = input
            .tags
            .map_or_else(|| post.tags.join(" "), |t| t.join(" "));
        (
            field("title", validate_title(title))?,
            field("tags", validate_tags(&tags))?,
        )
    } else if input.title.is_some() || input.tags.is_some() {
        return Err(AppError::Unprocessable(
            "An answer has no title or tags; send its body and summary.".into(),
        ));
    } else {
        (String::new(), Vec::new())
    };
    let edit = actions::edits::EditInput {
        base_revision: input.base_revision,
        title,
        body: field("body", validate_body(&input.body))?,
        tags,
        summary: field("summary", validate_summary(&input.summary))?,
    };
    let edited = actions::edits::edit(&state, &user, &post, edit).await?;
    let (result, suggestion_id) = match edited.value {
        Edited::Saved => ("saved", None),
        Edited::Suggested(id) => ("suggested", Some(id)),
    };
    let mut url = format!(
        "{}{}",
        state.site.base_url.as_str(),
        question_path(post.question_id, &post.question_title)
    );
    if !question {
        url.push_str(&format!("#answer-{id}"));
    }
    Ok(edited.json(EditResult {
        result: result.to_owned(),
        suggestion_id,
        url,
    }))
}

/// What is wrong with a flagged post or comment.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlagReason {
    /// Advertising.
    Spam,
    /// Rude or abusive.
    Rude,
    /// An answer that does not answer.
    NotAnAnswer,
    /// Something else a moderator should see (say what in `message`).
    NeedsModerator,
}

/// A flag.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagBody {
    /// What is wrong.
    pub kind: FlagReason,
    /// What a moderator should know (needed for `needs_moderator`), up to 500
    /// characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub message: String,
    /// A comment on the post to flag instead of the post.
    pub comment_id: Option<i64>,
}

/// Flags a post, or one of its comments, for moderators.
#[utoipa::path(post, path = "/api/v1/posts/{id}/flags", tag = "posts",
    params(("id" = i64, Path, description = "The post's id", minimum = 1, example = 1)),
    request_body = FlagBody,
    responses(
        (status = 200, description = "Flagged; `changed` says whether the flags hid it", body = Done),
        (status = 400, description = "The message is missing or too long", body = ErrorBody),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Not allowed (reputation, a suspension)", body = ErrorBody),
        (status = 404, description = "No such post or comment", body = ErrorBody),
        (status = 409, description = "Flagged already", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn flag(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FlagBody>,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(&id, "post")?);
    let user = api_writer(&ctx, &headers)?.clone();
    let place = actions::place(&state, id).await?;
    let comment = match input.comment_id {
        None => None,
        Some(raw) => {
            let comment = CommentId(raw);
            let on = state.store.comment_post(comment).await?;
            if on != Some(id) {
                return Err(AppError::NotFound(format!(
                    "Post {id} has no comment {comment}."
                )));
            }
            Some(comment)
        }
    };
    let kind = match input.kind {
        FlagReason::Spam => FlagKind::Spam,
        FlagReason::Rude => FlagKind::Rude,
        FlagReason::NotAnAnswer => FlagKind::NotAnAnswer,
        FlagReason::NeedsModerator => FlagKind::NeedsModerator,
    };
    let flag = FlagInput {
        kind,
        message: input.message,
        comment,
    };
    let flagged = actions::moderation::flag(&state, &user, &place, flag).await?;
    Ok(flagged.json(Done {
        changed: flagged.value,
    }))
}

/// Why a question should be closed.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// It was asked before (name the original in `duplicate_of`).
    Duplicate,
    /// It needs details or clarity.
    NeedsDetails,
    /// It needs more focus.
    NeedsFocus,
    /// Answers would be opinions.
    OpinionBased,
    /// It is off-topic (name the site's reason in `off_topic`).
    OffTopic,
}

/// A vote to close a question.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
    /// Why.
    pub reason: CloseReason,
    /// The question it duplicates, for `duplicate`.
    pub duplicate_of: Option<i64>,
    /// The index of the site's off-topic reason, for `off_topic`.
    #[schema(minimum = 0)]
    pub off_topic: Option<u32>,
}

/// Votes to close a question; a moderator's vote closes it at once.
#[utoipa::path(post, path = "/api/v1/questions/{id}/close", tag = "questions",
    params(("id" = i64, Path, description = "The question's id", minimum = 1, example = 1)),
    request_body = CloseBody,
    responses(
        (status = 200, description = "Voted; `changed` says whether it closed", body = Done),
        (status = 400, description = "The reason needs more", body = ErrorBody),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Not allowed (reputation, a suspension)", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
        (status = 409, description = "Voted already, or closed already", body = ErrorBody),
        (status = 422, description = "A field is missing or wrong", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CloseBody>,
) -> Result<Response, AppError> {
    let name = match input.reason {
        CloseReason::Duplicate => "duplicate",
        CloseReason::NeedsDetails => "needs_details",
        CloseReason::NeedsFocus => "needs_focus",
        CloseReason::OpinionBased => "opinion_based",
        CloseReason::OffTopic => "off_topic",
    };
    let off_topic = input.off_topic.map(|i| i as usize);
    let reason = actions::moderation::close_reason(&state, name, input.duplicate_of, off_topic)?;
    vote_on_state(&state, &ctx, &headers, &id, Some(reason)).await
}

/// Votes to reopen a closed question; a moderator's vote reopens it at once.
#[utoipa::path(post, path = "/api/v1/questions/{id}/reopen", tag = "questions",
    params(("id" = i64, Path, description = "The question's id", minimum = 1, example = 1)),
    responses(
        (status = 200, description = "Voted; `changed` says whether it reopened", body = Done),
        (status = 401, description = "No token or session", body = ErrorBody),
        (status = 403, description = "Not allowed (reputation, a suspension)", body = ErrorBody),
        (status = 404, description = "No such question", body = ErrorBody),
        (status = 409, description = "Voted already, or open already", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn reopen(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    vote_on_state(&state, &ctx, &headers, &id, None).await
}

/// A vote to close (with its reason) or, with `None`, to reopen.
async fn vote_on_state(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    raw_id: &str,
    close: Option<(String, Option<PostId>)>,
) -> Result<Response, AppError> {
    let id = PostId(parse_id(raw_id, "question")?);
    let user = api_writer(ctx, headers)?.clone();
    let place = actions::place(state, id).await?;
    if place.post != place.question {
        return Err(AppError::NotFound(format!("There is no question {id}.")));
    }
    let vote = match close {
        Some((reason, duplicate_of)) => actions::moderation::StateVote {
            close: true,
            reason,
            duplicate_of,
        },
        None => actions::moderation::StateVote {
            close: false,
            reason: String::new(),
            duplicate_of: None,
        },
    };
    let voted = actions::moderation::vote_on_state(state, &user, &place, vote).await?;
    Ok(voted.json(Done {
        changed: voted.value,
    }))
}

#[cfg(test)]
mod tests {
    use ponder_core::posts::*;
    use serde_json::Value;

    /// The limits the document states are the validators' own.
    #[test]
    fn documented_limits_are_the_rules_limits() {
        let doc = super::super::docs::document("http://localhost");
        let field = |schema: &str, name: &str, limit: &str| -> usize {
            let value: &Value = &doc["components"]["schemas"][schema]["properties"][name][limit];
            value
                .as_u64()
                .unwrap_or_else(|| panic!("{schema}.{name}.{limit}")) as usize
        };
        assert_eq!(field("AskBody", "title", "minLength"), TITLE_MIN);
        assert_eq!(field("AskBody", "title", "maxLength"), TITLE_MAX);
        assert_eq!(field("AskBody", "body", "minLength"), BODY_MIN);
        assert_eq!(field("AskBody", "body", "maxLength"), BODY_MAX);
        assert_eq!(field("AskBody", "tags", "minItems"), TAGS_MIN);
        assert_eq!(field("AskBody", "tags", "maxItems"), TAGS_MAX);
        assert_eq!(field("AnswerBody", "body", "minLength"), BODY_MIN);
        assert_eq!(field("EditBody", "body", "maxLength"), BODY_MAX);
        assert_eq!(field("EditBody", "summary", "maxLength"), SUMMARY_MAX);
        assert_eq!(field("CommentBody", "body", "minLength"), COMMENT_MIN);
        assert_eq!(field("CommentBody", "body", "maxLength"), COMMENT_MAX);
        assert_eq!(
            field("FlagBody", "message", "maxLength"),
            crate::actions::moderation::MESSAGE_MAX
        );
    }
}
