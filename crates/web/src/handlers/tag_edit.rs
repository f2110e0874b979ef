//! `/tags/{name}/edit`: a tag's description and wiki, for those who may edit
//! others' posts, and for moderators the forms that rename the tag, merge it into
//! another, give it synonyms and mark it moderator-only; `/tags/{name}/revisions`,
//! its history. Each refusal comes back beside its field with what was typed.

use crate::AppState;
use crate::actions::tags::{self, TagChange};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::{FormState, query_encode};
use crate::views::{Head, Moment, TagEditPage, TagRevisionRow, TagRevisionsPage, render, tag_path};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::rules::Privilege;
use ponder_core::tags::{validate_tag_description, validate_tag_name, validate_tag_wiki};
use ponder_store::{TagDetails, User};
use serde::Deserialize;

/// The edit page of `tag` with `form`, answering `status`.
fn page(ctx: &Ctx, tag: &TagDetails, form: FormState, status: StatusCode) -> Response {
    let mut response = render(&TagEditPage {
        head: Head::new(
            ctx,
            format!("Edit the tag {}", tag.tag.name),
            "Edit a tag's wiki.",
        ),
        name: tag.tag.name.clone(),
        url: tag_path(&tag.tag.name),
        synonyms: tag.synonyms.clone(),
        moderator_only: tag.moderator_only,
        moderates: ctx.actor().is_some_and(|a| a.moderates()),
        form,
    });
    *response.status_mut() = status;
    response
}

/// The form with the tag's stored text.
fn stored(tag: &TagDetails) -> FormState {
    FormState::new()
        .with("description", tag.tag.description.clone())
        .with("wiki", tag.wiki_markdown.clone())
}

/// The edit page's address, lowercased, for `name`.
fn edit_url(name: &str) -> String {
    format!("{}/edit", tag_path(name))
}

/// The viewer, if they may edit the wiki (the edit privilege; moderators hold it).
fn require_editor<'a>(state: &AppState, ctx: &'a Ctx, name: &str) -> Result<&'a User, AppError> {
    let user = ctx.require_user(&edit_url(name))?;
    state
        .privileges()
        .check(&user.actor(), Privilege::EditOthers)?;
    Ok(user)
}

/// `?done=` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct DoneParam {
    done: Option<String>,
}

/// `GET /tags/{name}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    query: Result<Query<DoneParam>, QueryRejection>,
) -> Result<Response, AppError> {
    let name = name.to_lowercase();
    require_editor(&state, &ctx, &name)?;
    let tag = tags::find(&state, &name).await?;
    let mut form = stored(&tag);
    form.success = query
        .ok()
        .and_then(|q| q.0.done)
        .map(|d| d.chars().take(200).collect());
    Ok(page(&ctx, &tag, form, StatusCode::OK))
}

/// The wiki form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WikiForm {
    csrf: String,
    description: String,
    wiki: String,
}

/// `POST /tags/{name}/edit`: saves the description and wiki as a revision.
pub async fn save_wiki(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    form: CsrfForm<WikiForm>,
) -> Result<Response, AppError> {
    let name = name.to_lowercase();
    let user = require_editor(&state, &ctx, &name)?.clone();
    let input = form.checked()?;
    let tag = tags::find(&state, &name).await?;
    let mut form = FormState::new()
        .with("description", input.description.clone())
        .with("wiki", input.wiki.clone());
    let description = validate_tag_description(&input.description)
        .map_err(|m| form.error("description", m))
        .ok();
    let wiki = validate_tag_wiki(&input.wiki)
        .map_err(|m| form.error("wiki", m))
        .ok();
    let (Some(description), Some(wiki)) = (description, wiki) else {
        return Ok(page(&ctx, &tag, form, StatusCode::UNPROCESSABLE_ENTITY));
    };
    let done = tags::edit_wiki(&state, &user, tag.tag.id, description, wiki).await?;
    Ok(done.see_other(&tag_path(&tag.tag.name)))
}

/// A moderator's form as posted: `action` names which.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ManageForm {
    csrf: String,
    action: String,
    name: String,
    into: String,
    synonym: String,
    only: String,
}

/// `POST /tags/{name}/manage`: renames, merges, adds or removes a synonym, or
/// marks the tag moderator-only (moderators).
pub async fn manage(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    form: CsrfForm<ManageForm>,
) -> Result<Response, AppError> {
    let name = name.to_lowercase();
    let user = ctx.require_user(&edit_url(&name))?.clone();
    user.actor().require_moderator()?;
    let input = form.checked()?;
    let tag = tags::find(&state, &name).await?;
    let mut form = stored(&tag)
        .with("name", input.name.clone())
        .with("into", input.into.clone())
        .with("synonym", input.synonym.clone());
    let (field, checked) = match input.action.as_str() {
        "rename" => (
            "name",
            validate_tag_name(&input.name).map(TagChange::Rename),
        ),
        "merge" => (
            "into",
            validate_tag_name(&input.into).map(TagChange::MergeInto),
        ),
        "add_synonym" => (
            "synonym",
            validate_tag_name(&input.synonym).map(TagChange::AddSynonym),
        ),
        "remove_synonym" => (
            "synonym",
            validate_tag_name(&input.synonym).map(TagChange::RemoveSynonym),
        ),
        "moderator_only" => ("only", Ok(TagChange::ModeratorOnly(input.only == "on"))),
        _ => {
            return Err(AppError::BadRequest(
                "Choose what to do with the tag.".into(),
            ));
        }
    };
    let change = match checked {
        Ok(change) => change,
        Err(message) => {
            form.error(field, message);
            return Ok(page(&ctx, &tag, form, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    if let TagChange::MergeInto(into) = &change
        && *into == tag.tag.name
    {
        form.error(
            "into",
            ponder_core::refusal::Refusal::TagMergeIntoItself.to_string(),
        );
        return Ok(page(&ctx, &tag, form, StatusCode::UNPROCESSABLE_ENTITY));
    }
    match tags::change(&state, &user, &tag, change).await {
        Ok(done) => {
            let next = format!("{}?done={}", edit_url(&done.value), query_encode("Saved."));
            Ok(done.see_other(&next))
        }
        Err(err @ (AppError::Conflict(_) | AppError::NotFound(_))) => {
            form.error(field, err.to_string());
            Ok(page(&ctx, &tag, form, StatusCode::CONFLICT))
        }
        Err(other) => Err(other),
    }
}

/// `GET /tags/{name}/revisions`: the tag's description and wiki over time.
pub async fn revisions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let tag = tags::find(&state, &name.to_lowercase()).await?;
    let now = ponder_core::time::now();
    let rows = state
        .store
        .tag_revisions(tag.tag.id)
        .await?
        .into_iter()
        .map(|r| TagRevisionRow {
            editor: crate::views::AuthorCard::new(&r.editor),
            description: r.description,
            wiki: r.wiki_markdown,
            when: Moment::new(r.created_at, now),
        })
        .collect();
    Ok(render(&TagRevisionsPage {
        head: Head::new(
            &ctx,
            format!("History of the tag {}", tag.tag.name),
            "A tag's wiki over time.",
        ),
        name: tag.tag.name.clone(),
        url: tag_path(&tag.tag.name),
        rows,
    }))
}

crate::extract::has_csrf!(WikiForm, ManageForm);
