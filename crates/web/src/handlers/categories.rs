//! The category index and a category's page.

use super::{ListParams, ListRequest, category_tree, question_list};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::tree::CategoryTree;
use crate::views::{CategoriesPage, CategoryPage, Head, Link, moved_permanently, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ponder_core::CategoryId;
use ponder_store::QuestionFilter;

/// `GET /categories`: the whole tree.
pub async fn list_categories(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let tree = category_tree(&state).await?;
    let mut entries = Vec::new();
    push_depth_first(&tree, None, 0, &mut entries);
    let head = Head::new(
        &ctx,
        "Categories",
        "Every category of questions on this site.",
    )
    .canonical(&state.site.base_url, "/categories");
    Ok(render(&CategoriesPage { head, entries }))
}

fn push_depth_first(
    tree: &CategoryTree,
    parent: Option<CategoryId>,
    depth: usize,
    out: &mut Vec<(usize, Link, String)>,
) {
    if depth > 16 {
        return;
    }
    for c in tree.children(parent) {
        out.push((
            depth,
            Link {
                label: c.name.clone(),
                url: tree.url(c.id),
            },
            c.description.clone(),
        ));
        push_depth_first(tree, Some(c.id), depth + 1, out);
    }
}

/// `GET /categories/{slug}[/{child-slug}...]`: a category, its children, and the
/// questions of it and all its descendants.
pub async fn show_category(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<String>,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let request = ListRequest::from_query(query)?;
    let tree = category_tree(&state).await?;
    let slugs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let category = tree
        .find_by_slugs(&slugs)
        .ok_or_else(|| AppError::NotFound("There is no such category.".to_owned()))?;
    let url = tree.url(category.id);
    if url != format!("/categories/{path}") {
        // Case or a trailing slash differs: send readers and crawlers to one URL.
        return Ok(moved_permanently(&url));
    }
    let list = question_list(
        &state,
        &tree,
        QuestionFilter::Category(category.id),
        request,
        &url,
        "No questions have been filed in this category yet.",
    )
    .await?;
    let ancestors = tree.path(category.id);
    let crumbs = ancestors
        .iter()
        .take(ancestors.len().saturating_sub(1))
        .map(|c| Link {
            label: c.name.clone(),
            url: tree.url(c.id),
        })
        .collect();
    let description = if category.description.is_empty() {
        format!(
            "Questions about {} on {}.",
            category.name,
            state.settings().name()
        )
    } else {
        category.description.clone()
    };
    let mut head = Head::new(&ctx, category.name.clone(), description);
    if request.page == 1 {
        head = head.canonical(&state.site.base_url, &url);
    }
    let page = CategoryPage {
        head,
        crumbs,
        name: category.name.clone(),
        description: category.description.clone(),
        children: tree
            .children(Some(category.id))
            .into_iter()
            .map(|c| Link {
                label: c.name.clone(),
                url: tree.url(c.id),
            })
            .collect(),
        list,
    };
    Ok(render(&page))
}
