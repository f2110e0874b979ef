//! Tags: the names a question's tags become (synonyms read as their masters;
//! moderator-only tags refused to others), wikis edited by those who may edit
//! others' posts, and the moderators' renames, merges, synonyms and marks.

use super::{ActionResult, Changed, Outcome, writer};
use crate::AppState;
use crate::error::AppError;
use ponder_core::TagId;
use ponder_core::refusal::Refusal;
use ponder_core::rules::{Actor, Privilege};
use ponder_store::{StoreError, TagDetails, TagFound, TagWikiEdit, User};

/// The tags a question carries when `typed` is asked for by `actor`: each
/// synonym its master, each once, in the order typed. A tag only moderators may
/// use is refused to others, unless the question carries it already (`kept`).
pub async fn resolve(
    state: &AppState,
    actor: &Actor,
    typed: Vec<String>,
    kept: &[String],
) -> Result<Vec<String>, AppError> {
    let resolved = state.store.resolve_tags(&typed).await?;
    let mut tags: Vec<String> = Vec::with_capacity(resolved.len());
    for tag in resolved {
        if tag.moderator_only && !actor.moderates() && !kept.contains(&tag.name) {
            return Err(Refusal::ModeratorOnlyTag { tag: tag.name }.into());
        }
        if !tags.contains(&tag.name) {
            tags.push(tag.name);
        }
    }
    Ok(tags)
}

/// The tag named `name` (not a synonym), or 404.
pub async fn find(state: &AppState, name: &str) -> Result<TagDetails, AppError> {
    match state.store.find_tag(name).await? {
        Some(TagFound::Tag(details)) => Ok(*details),
        _ => Err(AppError::NotFound(format!(
            "There is no tag “{}”.",
            name.chars().take(40).collect::<String>()
        ))),
    }
}

/// Stores a tag's description and wiki: those who may edit others' posts, and
/// moderators.
pub async fn edit_wiki(
    state: &AppState,
    user: &User,
    tag: TagId,
    description: String,
    wiki: String,
) -> ActionResult<()> {
    let actor = writer(user)?;
    state.privileges().check(&actor, Privilege::EditOthers)?;
    state
        .store
        .edit_tag_wiki(TagWikiEdit {
            tag,
            editor: user.id,
            description,
            wiki: crate::rendering::post_body(
                state,
                user.into(),
                wiki,
                crate::rendering::site_options(state),
            )
            .await?,
            at: ponder_core::time::now(),
        })
        .await?;
    Ok(Outcome {
        value: (),
        changed: Changed::Everything,
    })
}

/// What a moderator does to a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagChange {
    /// Gives it a new name; the old one becomes a synonym.
    Rename(String),
    /// Moves its questions into another tag, named.
    MergeInto(String),
    /// Makes a name its synonym.
    AddSynonym(String),
    /// Removes one of its synonyms.
    RemoveSynonym(String),
    /// Marks it as one only moderators use, or not.
    ModeratorOnly(bool),
}

/// Applies `change` to `tag` as `user`, a moderator; logs it.
pub async fn change(
    state: &AppState,
    user: &User,
    tag: &TagDetails,
    change: TagChange,
) -> ActionResult<String> {
    let actor = writer(user)?;
    actor.require_moderator()?;
    let now = ponder_core::time::now();
    let id = tag.tag.id;
    let taken = |name: &str| -> AppError {
        AppError::Conflict(format!(
            "“{name}” is a tag or a synonym already; merge the tags instead."
        ))
    };
    let (action, note, lands_on) = match &change {
        TagChange::Rename(name) => {
            state
                .store
                .rename_tag(id, name, now)
                .await
                .map_err(|e| match e {
                    StoreError::Conflict { .. } => taken(name),
                    other => other.into(),
                })?;
            (
                "tag_rename",
                format!("{} → {name}", tag.tag.name),
                name.clone(),
            )
        }
        TagChange::MergeInto(name) => {
            let into = find(state, name).await?;
            let moved = state.store.merge_tags(id, into.tag.id, now).await?;
            (
                "tag_merge",
                format!(
                    "{} merged into {} ({})",
                    tag.tag.name,
                    into.tag.name,
                    ponder_core::text::count(moved, "question", "questions")
                ),
                into.tag.name,
            )
        }
        TagChange::AddSynonym(name) => {
            state
                .store
                .add_tag_synonym(name, id, now)
                .await
                .map_err(|e| match e {
                    StoreError::Conflict { .. } => taken(name),
                    other => other.into(),
                })?;
            (
                "tag_synonym_add",
                format!("{name} → {}", tag.tag.name),
                tag.tag.name.clone(),
            )
        }
        TagChange::RemoveSynonym(name) => {
            if !tag.synonyms.contains(name) {
                return Err(AppError::NotFound(format!(
                    "“{name}” is not a synonym of this tag."
                )));
            }
            state.store.remove_tag_synonym(name).await?;
            (
                "tag_synonym_remove",
                format!("{name} ↛ {}", tag.tag.name),
                tag.tag.name.clone(),
            )
        }
        TagChange::ModeratorOnly(only) => {
            state.store.set_tag_moderator_only(id, *only).await?;
            let what = if *only {
                "moderators only"
            } else {
                "open to everyone"
            };
            (
                "tag_moderator_only",
                format!("{}: {what}", tag.tag.name),
                tag.tag.name.clone(),
            )
        }
    };
    super::moderation::log(state, user, action, "tag", id.0, &note).await;
    Ok(Outcome {
        value: lands_on,
        changed: Changed::Everything,
    })
}
