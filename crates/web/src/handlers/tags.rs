//! The list of tags, and a tag's page (its wiki and synonyms above its
//! questions; a synonym's page redirects to its master's).

use super::{ListParams, ListRequest, category_tree, question_list};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::views::{
    Head, Pager, SortTab, TagPage, TagRow, TagsPage, moved_permanently, render, tag_path,
};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ponder_core::paging::{TagSort, parse_page};
use ponder_core::rules::Privilege;
use ponder_core::text::count;
use ponder_store::{QuestionFilter, TagFound};
use serde::Deserialize;

/// `GET /tags/{name}`: the questions with a tag.
pub async fn show_tag(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(name): Path<String>,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let request = ListRequest::from_query(query)?;
    let details = match state.store.find_tag(&name.to_lowercase()).await? {
        Some(TagFound::Tag(details)) => *details,
        // A synonym's page, or a renamed or merged tag's, is its master's.
        Some(TagFound::SynonymOf(master)) => return Ok(moved_permanently(&tag_path(&master))),
        None => {
            return Err(AppError::NotFound(
                "No question carries that tag.".to_owned(),
            ));
        }
    };
    let tag = details.tag.clone();
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
        format!(
            "Questions tagged {} on {}.",
            tag.name,
            state.settings().name()
        )
    } else {
        tag.description.clone()
    };
    let mut head = Head::new(&ctx, format!("Questions tagged {}", tag.name), description).feed(
        format!("Questions tagged {}", tag.name),
        format!("/feeds{url}"),
    );
    if request.page == 1 {
        head = head.canonical(&state.site.base_url, &url);
    }
    let actor = ctx.actor();
    let can_edit = actor
        .as_ref()
        .is_some_and(|a| state.privileges().holds(a, Privilege::EditOthers));
    let follow = super::inbox::follow_button(
        &state,
        &ctx,
        ponder_core::notices::FollowKind::Tag,
        tag.id.0,
        format!("the tag {}", tag.name),
        url.clone(),
    )
    .await?;
    Ok(render(&TagPage {
        head,
        follow,
        name: tag.name,
        description: tag.description,
        wiki: details.wiki_html,
        synonyms: details.synonyms,
        moderator_only: details.moderator_only,
        can_edit,
        url,
        list,
    }))
}

/// `?sort=&page=` of the list of tags.
#[derive(Debug, Default, Deserialize)]
pub struct TagListParams {
    sort: Option<String>,
    page: Option<String>,
}

/// The address of the list of tags in `sort` order at `page`, leaving out defaults.
fn tags_url(sort: TagSort, page: u32) -> String {
    match (sort, page) {
        (TagSort::Popular, 1) => "/tags".to_owned(),
        (TagSort::Popular, n) => format!("/tags?page={n}"),
        (sort, 1) => format!("/tags?sort={}", sort.as_str()),
        (sort, n) => format!("/tags?sort={}&page={n}", sort.as_str()),
    }
}

/// `GET /tags?sort=popular|name|newest&page=N`: the tags questions carry.
pub async fn list_tags(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<TagListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let sort =
        TagSort::parse(params.sort.as_deref()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let page =
        parse_page(params.page.as_deref()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let tags = state.store.list_tags(sort, page).await?;
    let pages = super::pages_of(page, &tags)?;
    let mut head = Head::new(
        &ctx,
        "Tags",
        format!("The tags of the questions on {}.", state.settings().name()),
    );
    if page == 1 && sort == TagSort::Popular {
        head = head.canonical(&state.site.base_url, "/tags");
    }
    Ok(render(&TagsPage {
        head,
        total_label: count(tags.total, "tag", "tags"),
        tabs: TagSort::ALL
            .into_iter()
            .map(|s| SortTab {
                label: s.label(),
                url: tags_url(s, 1),
                current: s == sort,
            })
            .collect(),
        tags: tags
            .items
            .into_iter()
            .map(|t| TagRow {
                url: tag_path(&t.name),
                count_label: count(t.question_count, "question", "questions"),
                name: t.name,
                description: t.description,
            })
            .collect(),
        pager: Pager::new(page, pages, |n| tags_url(sort, n)),
    }))
}
