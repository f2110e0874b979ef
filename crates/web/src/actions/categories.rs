//! Categories, which administrators make, rename, describe, move, order, delete
//! and merge. Every change is in the moderation log and the change feed, so other
//! nodes' pages and the search index follow.

use super::{ActionResult, Changed, Outcome, writer};
use crate::AppState;
use crate::error::AppError;
use ponder_core::CategoryId;
use ponder_core::refusal::Refusal;
use ponder_store::{Category, NewCategory, StoreError, User};

/// A category to make, its fields checked by the transport.
#[derive(Debug, Clone)]
pub struct CategoryInput {
    /// Its parent, or `None` for a top category.
    pub parent: Option<CategoryId>,
    /// Its name, address segment (unique among its siblings) and description.
    pub text: CategoryText,
}

/// Makes a category, last among its siblings: administrators only; a parent that
/// does not exist and an address a sibling has are refused.
pub async fn create_category(
    state: &AppState,
    user: &User,
    input: CategoryInput,
) -> ActionResult<Category> {
    writer(user)?.require_administrator()?;
    let categories = state.store.categories().await?;
    if let Some(parent) = input.parent
        && !categories.iter().any(|c| c.id == parent)
    {
        return Err(Refusal::NoSuchCategory.into());
    }
    refuse_taken_name(&categories, input.parent, &input.text.name, None)?;
    let position = categories
        .iter()
        .filter(|c| c.parent_id == input.parent)
        .map(|c| c.position + 1)
        .max()
        .unwrap_or(0);
    let CategoryText {
        name,
        slug,
        description,
    } = input.text;
    let made = state
        .store
        .create_category(NewCategory {
            parent: input.parent,
            slug: slug.clone(),
            name,
            description,
            position,
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => AppError::from(Refusal::CategorySlugTaken { slug }),
            StoreError::NotFound { .. } => AppError::from(Refusal::NoSuchCategory),
            other => other.into(),
        })?;
    let note = format!("{} ({})", made.name, made.slug);
    super::moderation::log(state, user, "category_create", "category", made.id.0, &note).await;
    Ok(Outcome {
        value: made,
        changed: Changed::Everything,
    })
}

/// Refuses `name` if a category under `parent` other than `except` has it (case
/// and spacing aside): two siblings of one name cannot be told apart in a list.
fn refuse_taken_name(
    categories: &[Category],
    parent: Option<CategoryId>,
    name: &str,
    except: Option<CategoryId>,
) -> Result<(), AppError> {
    let folded = name.to_lowercase();
    let taken = categories
        .iter()
        .any(|c| c.parent_id == parent && Some(c.id) != except && c.name.to_lowercase() == folded);
    if taken {
        return Err(Refusal::CategoryNameTaken {
            name: name.to_owned(),
        }
        .into());
    }
    Ok(())
}

/// The category `id` among `categories`, or refused as missing.
fn find(categories: &[Category], id: CategoryId) -> Result<&Category, AppError> {
    categories
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Refusal::NoSuchCategory.into())
}

/// A store error of a tree change as the refusal it means.
fn refused_by_store(err: StoreError, slug: &str) -> AppError {
    match err {
        StoreError::Conflict { .. } => Refusal::CategorySlugTaken {
            slug: slug.to_owned(),
        }
        .into(),
        other => other.into(),
    }
}

/// What a category's name, address segment and description become.
#[derive(Debug, Clone)]
pub struct CategoryText {
    /// Its name.
    pub name: String,
    /// Its address segment.
    pub slug: String,
    /// Its description (Markdown).
    pub description: String,
}

/// Renames and describes a category; a changed address keeps the old one, which
/// answers 301 to the new.
pub async fn update_category(
    state: &AppState,
    user: &User,
    id: CategoryId,
    text: CategoryText,
) -> ActionResult<Category> {
    writer(user)?.require_administrator()?;
    let categories = state.store.categories().await?;
    let before = find(&categories, id)?.clone();
    refuse_taken_name(&categories, before.parent_id, &text.name, Some(id))?;
    let updated = state
        .store
        .update_category(id, &text.name, &text.slug, &text.description)
        .await
        .map_err(|e| refused_by_store(e, &text.slug))?;
    let mut note = Vec::new();
    if before.name != updated.name {
        note.push(format!("renamed “{}” → “{}”", before.name, updated.name));
    }
    if before.slug != updated.slug {
        note.push(format!("address {} → {}", before.slug, updated.slug));
    }
    if before.description != updated.description {
        note.push("description changed".to_owned());
    }
    if !note.is_empty() {
        let note = format!("{}: {}", updated.name, note.join("; "));
        super::moderation::log(state, user, "category_update", "category", id.0, &note).await;
    }
    Ok(Outcome {
        value: updated,
        changed: Changed::Everything,
    })
}

/// Moves a category (with everything under it) under `parent`, last among its
/// new siblings; under itself or its descendants is refused.
pub async fn move_category(
    state: &AppState,
    user: &User,
    id: CategoryId,
    parent: Option<CategoryId>,
) -> ActionResult<()> {
    writer(user)?.require_administrator()?;
    let categories = state.store.categories().await?;
    let moving = find(&categories, id)?.clone();
    if let Some(parent) = parent {
        find(&categories, parent)?;
    }
    refuse_taken_name(&categories, parent, &moving.name, Some(id))?;
    state
        .store
        .move_category(id, parent, ponder_core::time::now())
        .await
        .map_err(|e| refused_by_store(e, &moving.slug))?;
    let to = parent
        .and_then(|p| categories.iter().find(|c| c.id == p))
        .map_or_else(|| "the top level".to_owned(), |c| format!("“{}”", c.name));
    let note = format!("{} moved under {to}", moving.name);
    super::moderation::log(state, user, "category_move", "category", id.0, &note).await;
    Ok(Outcome {
        value: (),
        changed: Changed::Everything,
    })
}

/// Which way a category moves among its siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// One place earlier.
    Up,
    /// One place later.
    Down,
}

/// Moves a category one place among its siblings (nothing at either end).
pub async fn shift_category(
    state: &AppState,
    user: &User,
    id: CategoryId,
    shift: Shift,
) -> ActionResult<()> {
    writer(user)?.require_administrator()?;
    let categories = state.store.categories().await?;
    let parent = find(&categories, id)?.parent_id;
    // The store lists siblings in their order.
    let mut order: Vec<CategoryId> = categories
        .iter()
        .filter(|c| c.parent_id == parent)
        .map(|c| c.id)
        .collect();
    let at = order.iter().position(|c| *c == id).unwrap_or_default();
    let swap_with = match shift {
        Shift::Up => at.checked_sub(1),
        Shift::Down => Some(at + 1).filter(|i| *i < order.len()),
    };
    let Some(other) = swap_with else {
        return Ok(Outcome {
            value: (),
            changed: Changed::Nothing,
        });
    };
    order.swap(at, other);
    state.store.reorder_categories(parent, &order).await?;
    let name = find(&categories, id)?.name.clone();
    let way = if shift == Shift::Up { "up" } else { "down" };
    super::moderation::log(
        state,
        user,
        "category_order",
        "category",
        id.0,
        &format!("{name} {way}"),
    )
    .await;
    Ok(Outcome {
        value: (),
        changed: Changed::Everything,
    })
}

/// Deletes a category: an empty one outright, else only by merging its
/// questions and subcategories into `into` (one transaction). Answers the
/// category deleted and how many questions moved.
pub async fn delete_category(
    state: &AppState,
    user: &User,
    id: CategoryId,
    into: Option<CategoryId>,
) -> ActionResult<(Category, i64)> {
    writer(user)?.require_administrator()?;
    let categories = state.store.categories().await?;
    let doomed = find(&categories, id)?.clone();
    let target = match into {
        Some(into) => Some(find(&categories, into)?.clone()),
        None => None,
    };
    let moved = state
        .store
        .delete_category(id, into, ponder_core::time::now())
        .await
        .map_err(|e| refused_by_store(e, &doomed.slug))?;
    let (action, note) = match &target {
        Some(target) => (
            "category_merge",
            format!(
                "{} merged into {} ({})",
                doomed.name,
                target.name,
                ponder_core::text::count(moved, "question", "questions")
            ),
        ),
        None => ("category_delete", format!("{} deleted", doomed.name)),
    };
    super::moderation::log(state, user, action, "category", id.0, &note).await;
    Ok(Outcome {
        value: (doomed, moved),
        changed: Changed::Everything,
    })
}
