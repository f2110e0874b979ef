//! A tag's page.

use super::{ListParams, ListRequest, category_tree, question_list};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::views::{Head, TagPage, render, tag_path};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ponder_store::QuestionFilter;

/// `GET /tags/{name}`: the questions with a tag.
pub async fn show_tag(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let request = ListRequest::from_query(query)?;
    let tag = state
        .store
        .tag(&name.to_lowercase())
        .await?
        .ok_or_else(|| AppError::NotFound("No question carries that tag.".to_owned()))?;
    let tree = category_tree(&state).await?;
    let url = tag_path(&tag.name);
    let list = question_list(
        &state,
        &tree,
        QuestionFilter::Tag(tag.name.clone()),
        request,
        &url,
        "No questions carry this tag any more.",
    )
    .await?;
    let description = if tag.description.is_empty() {
        format!("Questions tagged {} on {}.", tag.name, state.site.name)
    } else {
        tag.description.clone()
    };
    let mut head = Head::new(&ctx, format!("Questions tagged {}", tag.name), description);
    if request.page == 1 {
        head = head.canonical(&state.site.base_url, &url);
    }
    Ok(render(&TagPage {
        head,
        name: tag.name,
        description: tag.description,
        list,
    }))
}
