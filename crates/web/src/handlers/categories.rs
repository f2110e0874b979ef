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
use ponder_core::markdown::plain_excerpt;
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
            plain_excerpt(&c.description, 200),
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
    let Some(category) = tree.find_by_slugs(&slugs) else {
        // An address the category had before a rename, a move or a merge.
        return match old_address(&state, &tree, &slugs).await? {
            Some(id) => Ok(moved_permanently(&tree.url(id))),
            None => Err(AppError::NotFound("There is no such category.".to_owned())),
        };
    };
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
        plain_excerpt(&category.description, 300)
    };
    let mut head = Head::new(&ctx, category.name.clone(), description).feed(
        format!("Questions in {}", category.name),
        format!("/feeds{url}"),
    );
    if request.page == 1 {
        head = head.canonical(&state.site.base_url, &url);
    }
    let follow = super::inbox::follow_button(
        &state,
        &ctx,
        ponder_core::notices::FollowKind::Category,
        category.id.0,
        format!("the category {}", category.name),
        url.clone(),
    )
    .await?;
    let page = CategoryPage {
        head,
        follow,
        crumbs,
        name: category.name.clone(),
        // At most 2,000 characters: microseconds to render, and the page is kept.
        description: ponder_core::markdown::render(&category.description),
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

/// The deepest address a category can have; a longer path is not looked up.
const MAX_PATH_SEGMENTS: usize = 16;

/// The category an address names that uses an old segment somewhere (a category
/// renamed, moved or merged since): each segment is a current child's, else an
/// old one's under the category found so far. A query for each old segment, and
/// none for a path that is too long.
async fn old_address(
    state: &AppState,
    tree: &CategoryTree,
    slugs: &[&str],
) -> Result<Option<CategoryId>, AppError> {
    if slugs.is_empty() || slugs.len() > MAX_PATH_SEGMENTS {
        return Ok(None);
    }
    let mut parent: Option<CategoryId> = None;
    for slug in slugs {
        let slug = slug.to_lowercase();
        let current = tree
            .children(parent)
            .into_iter()
            .find(|c| c.slug == slug)
            .map(|c| c.id);
        let next = match current {
            Some(id) => id,
            None => match state.store.old_category_slug(parent, &slug).await? {
                Some(id) if tree.get(id).is_some() => id,
                _ => return Ok(None),
            },
        };
        parent = Some(next);
    }
    Ok(parent)
}
