//! `/admin/categories`: the category tree as administrators see it, and the form
//! that makes a category at any depth. A site's first administrator is sent here
//! while the site has none.

use super::admin::require_admin;
use super::posting::category_options;
use crate::AppState;
use crate::actions::{
    self,
    categories::{CategoryInput, CategoryText},
};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::forms::FormState;
use crate::views::{AdminCategoriesPage, AdminCategoryRow, Head, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::CategoryId;
use ponder_core::categories::{validate_description, validate_name, validate_slug};
use ponder_core::refusal::Refusal;
use serde::Deserialize;

/// This page's address.
pub(super) const HERE: &str = "/admin/categories";

/// The page with `form` (its values and messages) answering `status`.
async fn page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tree = super::category_tree(state).await?;
    let rows = category_options(&tree, "")
        .into_iter()
        .map(|option| {
            let id = CategoryId(option.id);
            let parent = tree.get(id).and_then(|c| c.parent_id);
            let siblings = tree.children(parent);
            let at = siblings.iter().position(|c| c.id == id).unwrap_or_default();
            AdminCategoryRow {
                depth: tree.path(id).len(),
                url: tree.url(id),
                slug: tree.get(id).map(|c| c.slug.clone()).unwrap_or_default(),
                label: option.label,
                id: id.0,
                can_move_up: at > 0,
                can_move_down: at + 1 < siblings.len(),
            }
        })
        .collect();
    let parents = category_options(&tree, form.value("parent"));
    let mut response = render(&AdminCategoriesPage {
        head: Head::new(ctx, "Categories", "Make the site's categories."),
        rows,
        parents,
        form,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `?made=` after a category was made, `?done=` after one was deleted or merged.
#[derive(Debug, Default, Deserialize)]
pub struct MadeParam {
    made: Option<String>,
    done: Option<String>,
}

/// `GET /admin/categories`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<MadeParam>, QueryRejection>,
) -> Result<Response, AppError> {
    require_admin(&ctx, HERE)?;
    let mut form = FormState::new();
    let params = query.map(|q| q.0).unwrap_or_default();
    if let Some(made) = params.made {
        form.success = Some(format!(
            "Made the category “{}”.",
            made.chars().take(60).collect::<String>()
        ));
    } else if let Some(done) = params.done {
        form.success = Some(done.chars().take(200).collect());
    }
    page(&state, &ctx, form, StatusCode::OK).await
}

/// The form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CategoryForm {
    csrf: String,
    name: String,
    slug: String,
    parent: String,
    description: String,
}

crate::extract::has_csrf!(CategoryForm);

/// `POST /admin/categories`: makes a category.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<CategoryForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, HERE)?.clone();
    let input = form.checked()?;
    let mut form = FormState::new()
        .with("name", input.name.clone())
        .with("slug", input.slug.clone())
        .with("parent", input.parent.clone())
        .with("description", input.description.clone());
    let text = checked_text(&mut form, &input.name, &input.slug, &input.description);
    let parent = chosen_category(&input.parent);
    if parent.is_none() {
        form.error("parent", "choose where the category goes");
    }
    let (Some(text), Some(parent)) = (text, parent) else {
        return page(&state, &ctx, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let category = CategoryInput { parent, text };
    match actions::categories::create_category(&state, &admin, category).await {
        Ok(made) => {
            let name = crate::forms::query_encode(&made.value.name);
            Ok(made.see_other(&format!("/admin/categories?made={name}")))
        }
        Err(AppError::Refused(refusal)) => match refusal_field(&refusal) {
            Some((field, status)) => {
                form.error(field, refusal.to_string());
                page(&state, &ctx, form, status).await
            }
            None => Err(refusal.into()),
        },
        Err(other) => Err(other),
    }
}

/// The name, address and description typed, checked: each message beside its
/// field in `form`, and the text when all three are good.
pub(super) fn checked_text(
    form: &mut FormState,
    name: &str,
    slug: &str,
    description: &str,
) -> Option<CategoryText> {
    let checked_name = validate_name(name).map_err(|m| form.error("name", m)).ok();
    let slug = validate_slug(slug, name)
        .map_err(|m| form.error("slug", m))
        .ok();
    let description = validate_description(description)
        .map_err(|m| form.error("description", m))
        .ok();
    Some(CategoryText {
        name: checked_name?,
        slug: slug?,
        description: description?,
    })
}

/// The category chosen in a select: `Some(None)` for none (the top level),
/// `Some(Some(id))` for a positive id, `None` for anything else.
pub(super) fn chosen_category(raw: &str) -> Option<Option<CategoryId>> {
    match raw.trim() {
        "" => Some(None),
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .map(|id| Some(CategoryId(id))),
    }
}

/// The field a refusal of a category's change belongs beside, and the status
/// the form comes back with; `None` for a refusal that is not about a field.
pub(super) fn refusal_field(refusal: &Refusal) -> Option<(&'static str, StatusCode)> {
    match refusal {
        Refusal::CategorySlugTaken { .. } => Some(("slug", StatusCode::CONFLICT)),
        Refusal::CategoryNameTaken { .. } => Some(("name", StatusCode::CONFLICT)),
        Refusal::NoSuchCategory => Some(("parent", StatusCode::UNPROCESSABLE_ENTITY)),
        _ => None,
    }
}
