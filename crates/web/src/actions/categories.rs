//! Categories, which administrators make.

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
    /// Its name.
    pub name: String,
    /// Its address segment, unique among its siblings.
    pub slug: String,
    /// What belongs there.
    pub description: String,
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
    let position = categories
        .iter()
        .filter(|c| c.parent_id == input.parent)
        .map(|c| c.position + 1)
        .max()
        .unwrap_or(0);
    let slug = input.slug.clone();
    let made = state
        .store
        .create_category(NewCategory {
            parent: input.parent,
            slug: input.slug,
            name: input.name,
            description: input.description,
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
