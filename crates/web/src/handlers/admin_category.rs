//! `/admin/categories/{id}`: one category's page for administrators, with its
//! forms: rename and describe, move under another parent, delete (only when
//! empty) or merge into another; and the order buttons of the list. Each refusal
//! comes back beside its field with what was chosen.

use super::admin::require_admin;
use super::admin_categories::{HERE, checked_text, chosen_category, refusal_field};
use super::posting::category_options;
use crate::AppState;
use crate::actions::categories::{self, Shift};
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::{CsrfForm, Id};
use crate::forms::{FormState, query_encode};
use crate::redirect::see_other;
use crate::tree::CategoryTree;
use crate::views::{AdminCategoryPage, Head, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::CategoryId;
use ponder_core::refusal::Refusal;
use ponder_core::text::count;
use serde::Deserialize;

/// The page of category `id` with `form`, answering `status`; the name,
/// address and description show what is stored unless the form holds what was
/// typed.
async fn page(
    state: &AppState,
    ctx: &Ctx,
    id: CategoryId,
    mut form: FormState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tree = super::category_tree(state).await?;
    let Some(category) = tree.get(id) else {
        return Err(AppError::NotFound("There is no such category.".into()));
    };
    if !form.has("name") {
        form.set("name", category.name.clone());
        form.set("slug", category.slug.clone());
        form.set("description", category.description.clone());
    }
    let others = |selected: &str| {
        let mut options = category_options(&tree, selected);
        options.retain(|o| o.id != id.0);
        options
    };
    let label = label_of(&tree, id);
    let questions = state.store.category_question_count(id).await?;
    let mut response = render(&AdminCategoryPage {
        head: Head::new(ctx, label.clone(), "Change a category."),
        id: id.0,
        url: tree.url(id),
        label,
        questions: count(questions, "question", "questions"),
        parents: others(
            &category
                .parent_id
                .map(|p| p.0.to_string())
                .unwrap_or_default(),
        ),
        targets: others(form.value("into")),
        form,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// "History › Modern".
fn label_of(tree: &CategoryTree, id: CategoryId) -> String {
    tree.path(id)
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(" › ")
}

/// `?done=` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct DoneParam {
    done: Option<String>,
}

/// `GET /admin/categories/{id}`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<CategoryId>,
    query: Result<Query<DoneParam>, QueryRejection>,
) -> Result<Response, AppError> {
    require_admin(&ctx, HERE)?;
    let mut form = FormState::new();
    if let Some(done) = query.ok().and_then(|q| q.0.done) {
        form.success = Some(done.chars().take(200).collect());
    }
    page(&state, &ctx, id, form, StatusCode::OK).await
}

/// The rename form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TextForm {
    csrf: String,
    name: String,
    slug: String,
    description: String,
}

/// `POST /admin/categories/{id}`: renames and describes.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<CategoryId>,
    form: CsrfForm<TextForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, HERE)?.clone();
    let input = form.checked()?;
    let mut form = FormState::new()
        .with("name", input.name.clone())
        .with("slug", input.slug.clone())
        .with("description", input.description.clone());
    let Some(text) = checked_text(&mut form, &input.name, &input.slug, &input.description) else {
        return page(&state, &ctx, id, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match categories::update_category(&state, &admin, id, text).await {
        Ok(done) => Ok(done.see_other(&done_url(id, "Saved."))),
        Err(AppError::Refused(refusal)) => match refusal_field(&refusal) {
            Some((field, status)) if field != "parent" => {
                form.error(field, refusal.to_string());
                page(&state, &ctx, id, form, status).await
            }
            _ => Err(refusal.into()),
        },
        Err(other) => Err(other),
    }
}

/// Where a change goes back to, with its message.
fn done_url(id: CategoryId, message: &str) -> String {
    format!("{HERE}/{}?done={}", id.0, query_encode(message))
}

/// The move form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    csrf: String,
    parent: String,
}

/// `POST /admin/categories/{id}/move`.
pub async fn move_to(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<CategoryId>,
    form: CsrfForm<MoveForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, HERE)?.clone();
    let input = form.checked()?;
    let mut form = FormState::new();
    let Some(parent) = chosen_category(&input.parent) else {
        form.error("parent", "choose where the category goes");
        return page(&state, &ctx, id, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match categories::move_category(&state, &admin, id, parent).await {
        Ok(done) => Ok(done.see_other(&done_url(id, "Moved."))),
        Err(AppError::Refused(refusal)) if refusal != Refusal::AdministratorsOnly => {
            form.error("parent", refusal.to_string());
            page(&state, &ctx, id, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other),
    }
}

/// The delete form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    csrf: String,
    into: String,
}

/// `POST /admin/categories/{id}/delete`: deletes an empty category, or merges
/// it into the one chosen.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<CategoryId>,
    form: CsrfForm<DeleteForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, HERE)?.clone();
    let input = form.checked()?;
    let mut form = FormState::new().with("into", input.into.clone());
    let Some(into) = chosen_category(&input.into) else {
        form.error("into", "choose where its questions go");
        return page(&state, &ctx, id, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match categories::delete_category(&state, &admin, id, into).await {
        Ok(done) => {
            let (deleted, moved) = &done.value;
            let message = match into {
                Some(_) => format!(
                    "Merged “{}”: {} moved.",
                    deleted.name,
                    count(*moved, "question", "questions")
                ),
                None => format!("Deleted “{}”.", deleted.name),
            };
            Ok(done.changed.mark(see_other(
                &format!("{HERE}?done={}", query_encode(&message)),
                None,
            )))
        }
        Err(AppError::Refused(refusal)) if refusal != Refusal::AdministratorsOnly => {
            form.error("into", refusal.to_string());
            page(&state, &ctx, id, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other),
    }
}

/// The order buttons as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrderForm {
    csrf: String,
    shift: String,
}

/// `POST /admin/categories/{id}/order`: one place up or down among its siblings.
pub async fn order(
    State(state): State<AppState>,
    ctx: Ctx,
    Id(id): Id<CategoryId>,
    form: CsrfForm<OrderForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, HERE)?.clone();
    let input = form.checked()?;
    let shift = match input.shift.as_str() {
        "up" => Shift::Up,
        "down" => Shift::Down,
        _ => return Err(AppError::BadRequest("Choose up or down.".into())),
    };
    let done = categories::shift_category(&state, &admin, id, shift).await?;
    Ok(done.see_other(HERE))
}

crate::extract::has_csrf!(TextForm, MoveForm, DeleteForm, OrderForm);
