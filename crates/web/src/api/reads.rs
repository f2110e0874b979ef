//! The API's reads: each shapes what the store (or the search index) answers into
//! the types of [`super::schema`], seeing what the viewer may see on the pages
//! (deleted posts only for their authors and moderators).

use super::schema::*;
use super::{ApiQuery, PageParams};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::handlers::client_ip::ClientIp;
use crate::handlers::{category_tree, parse_id};
use axum::Json;
use axum::extract::{Path, State};
use ponder_core::paging::{QuestionSort, TagSort};
use ponder_core::rules::manages;
use ponder_core::{CategoryId, PostId, UserId};
use ponder_search::SearchSort;
use ponder_store::{PostKind, QuestionFilter, QuestionQuery, QuestionThread};
use serde::Deserialize;
use utoipa::IntoParams;

/// `?sort=&tag=&category=&page=&per_page=` of the question list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionListParams {
    /// `active` (the default), `newest`, `score` or `unanswered`.
    #[param(pattern = "^(active|newest|score|unanswered)$")]
    pub sort: Option<String>,
    /// Only questions with this tag.
    pub tag: Option<String>,
    /// Only questions in this category or the ones below it.
    #[param(minimum = 1)]
    pub category: Option<i64>,
    /// The page, from 1.
    #[param(minimum = 1, maximum = 1000)]
    pub page: Option<u32>,
    /// Items a page, 1 to 100 (30 if not given).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// `?page=` of the lists that come in pages of a fixed size.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageOnly {
    /// The page, from 1.
    #[param(minimum = 1, maximum = 1000)]
    pub page: Option<u32>,
}

impl PageOnly {
    fn page(&self) -> Result<u32, AppError> {
        PageParams {
            page: self.page,
            per_page: None,
        }
        .page()
    }
}

fn parse_post(raw: &str) -> Result<PostId, AppError> {
    parse_id(raw, "post").map(PostId)
}

/// A list of questions, as the question pages sort and filter them.
#[utoipa::path(get, path = "/api/v1/questions", tag = "questions",
    params(QuestionListParams),
    responses(
        (status = 200, description = "A page of questions", body = Paged<QuestionSummaryJson>),
        (status = 400, description = "A parameter could not be read", body = ErrorBody),
        (status = 404, description = "No such category", body = ErrorBody),
    ))]
pub async fn list_questions(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<QuestionListParams>,
) -> Result<Json<Paged<QuestionSummaryJson>>, AppError> {
    let paging = PageParams {
        page: params.page,
        per_page: params.per_page,
    };
    let sort = match params.sort.as_deref() {
        None | Some("") => QuestionSort::default(),
        Some(raw) => raw
            .parse()
            .map_err(|e: ponder_core::paging::PagingError| AppError::BadRequest(e.to_string()))?,
    };
    let filter = match (params.tag, params.category) {
        (Some(_), Some(_)) => {
            return Err(AppError::BadRequest(
                "Filter by a tag or by a category, not both.".into(),
            ));
        }
        (Some(tag), None) => QuestionFilter::Tag(tag.trim().to_lowercase()),
        (None, Some(id)) => {
            let tree = category_tree(&state).await?;
            let id = CategoryId(id);
            tree.get(id)
                .ok_or_else(|| AppError::NotFound(format!("There is no category {id}.")))?;
            QuestionFilter::Category(id)
        }
        (None, None) => QuestionFilter::All,
    };
    let list = state
        .store
        .list_questions(&QuestionQuery {
            filter,
            sort,
            page: paging.page()?,
            per_page: paging.per_page()?,
        })
        .await?;
    let base = state.site.base_url.as_str();
    Ok(Json(Paged::of(list, |q| QuestionSummaryJson::new(base, q))))
}

/// The thread of question `id` as the viewer may see it: 404 for a deleted
/// question they may not see; deleted answers only for those who manage them.
async fn visible_thread(
    state: &AppState,
    ctx: &Ctx,
    id: PostId,
) -> Result<QuestionThread, AppError> {
    let missing = || AppError::NotFound(format!("There is no question {id}."));
    let mut thread = state.store.question_thread(id).await?.ok_or_else(missing)?;
    let actor = ctx.actor();
    if thread.question.deleted && !manages(actor.as_ref(), thread.question.author.id) {
        return Err(missing());
    }
    thread
        .answers
        .retain(|a| !a.deleted || manages(actor.as_ref(), a.author.id));
    Ok(thread)
}

/// A question with its answers and all their comments.
#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "questions",
    params(("id" = i64, Path, description = "The question's id", minimum = 1, example = 1)),
    responses(
        (status = 200, description = "The question", body = QuestionJson),
        (status = 404, description = "No such question", body = ErrorBody),
    ))]
pub async fn question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<QuestionJson>, AppError> {
    let id = PostId(parse_id(&id, "question")?);
    let thread = visible_thread(&state, &ctx, id).await?;
    let base = state.site.base_url.as_str();
    let q = &thread.question;
    Ok(Json(QuestionJson {
        id: q.id.0,
        title: q.title.clone(),
        url: format!("{base}{}", crate::views::question_path(q.id, &q.title)),
        body_markdown: q.body_markdown.clone(),
        body_html: q.body_html.as_str().to_owned(),
        score: q.score,
        view_count: q.view_count,
        answer_count: thread.answers.iter().filter(|a| !a.deleted).count() as i64,
        accepted_answer_id: q.accepted_answer_id.map(|a| a.0),
        tags: thread.tags.clone(),
        categories: thread
            .category_path
            .iter()
            .map(|c| CategoryRef {
                id: c.id.0,
                slug: c.slug.clone(),
                name: c.name.clone(),
            })
            .collect(),
        closed_reason: q.closed_reason.clone(),
        duplicate_of: q.duplicate_of.map(|d| d.0),
        locked: q.locked,
        protected: q.protected,
        deleted: q.deleted,
        author: Author::new(base, &q.author),
        created_at: time(q.created_at),
        edited_at: q.edited_at.map(time),
        last_activity_at: time(q.last_activity_at),
        comments: thread
            .comments_of(q.id)
            .map(|c| CommentJson::new(base, c))
            .collect(),
        answers: thread
            .answers
            .iter()
            .map(|a| answer_json(base, &thread, a))
            .collect(),
    }))
}

/// An answer with its comments.
#[utoipa::path(get, path = "/api/v1/answers/{id}", tag = "answers", operation_id = "get_answer",
    params(("id" = i64, Path, description = "The answer's id", minimum = 1, example = 1)),
    responses(
        (status = 200, description = "The answer", body = AnswerJson),
        (status = 404, description = "No such answer", body = ErrorBody),
    ))]
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<AnswerJson>, AppError> {
    let id = PostId(parse_id(&id, "answer")?);
    let missing = || AppError::NotFound(format!("There is no answer {id}."));
    let question = state
        .store
        .question_of(id)
        .await?
        .filter(|q| *q != id)
        .ok_or_else(missing)?;
    let thread = visible_thread(&state, &ctx, question)
        .await
        .map_err(|_| missing())?;
    let answer = thread
        .answers
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(missing)?;
    Ok(Json(answer_json(
        state.site.base_url.as_str(),
        &thread,
        answer,
    )))
}

/// A post's revisions, newest first.
#[utoipa::path(get, path = "/api/v1/posts/{id}/revisions", tag = "posts",
    params(("id" = i64, Path, description = "The post's id", minimum = 1, example = 1)),
    responses(
        (status = 200, description = "Its revisions", body = Vec<RevisionJson>),
        (status = 404, description = "No such post", body = ErrorBody),
    ))]
pub async fn revisions(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<Vec<RevisionJson>>, AppError> {
    let id = parse_post(&id)?;
    let missing = || AppError::NotFound(format!("There is no post {id}."));
    state
        .store
        .editable_post(id)
        .await?
        .filter(|p| !p.deleted || manages(ctx.actor().as_ref(), p.author_id))
        .ok_or_else(missing)?;
    let base = state.site.base_url.as_str();
    let mut revisions = state.store.revisions(id).await?;
    revisions.sort_by_key(|r| std::cmp::Reverse(r.number));
    Ok(Json(
        revisions
            .into_iter()
            .map(|r| RevisionJson {
                id: r.id,
                number: r.number,
                editor: Author::new(base, &r.editor),
                title: r.title,
                body_markdown: r.body_markdown,
                tags: r.tags,
                summary: r.summary,
                created_at: time(r.created_at),
            })
            .collect(),
    ))
}

/// `?q=&sort=&page=&per_page=` of a search.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The query, in the query language of `/search/help`: words, "a phrase",
    /// `[tag]`, `user:7`, `score:3`, `is:answer`, `category:slug` and more.
    pub q: Option<String>,
    /// `relevance` (the default), `newest` or `votes`.
    #[param(pattern = "^(relevance|newest|votes)$")]
    pub sort: Option<String>,
    /// The page, from 1.
    #[param(minimum = 1, maximum = 1000)]
    pub page: Option<u32>,
    /// Results a page, 1 to 100 (30 if not given).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// How deep into a search's results a client may page.
pub const MAX_SEARCH_DEPTH: u32 = 10_000;

/// Questions and answers that match a query.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "A page of results", body = SearchResultsJson),
        (status = 400, description = "A parameter could not be read, or the page is too deep", body = ErrorBody),
        (status = 429, description = "Too many searches", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResultsJson>, AppError> {
    let paging = PageParams {
        page: params.page,
        per_page: params.per_page,
    };
    let (page, per_page) = (paging.page()?, paging.per_page()?);
    if page.saturating_mul(per_page) > MAX_SEARCH_DEPTH {
        return Err(AppError::BadRequest(format!(
            "Search results go {MAX_SEARCH_DEPTH} deep; narrow the query instead of paging further."
        )));
    }
    let sort = SearchSort::parse(params.sort.as_deref()).map_err(AppError::BadRequest)?;
    let raw = params.q.unwrap_or_default();
    let (query, results) =
        crate::handlers::search::run_search(&state, &ip, &raw, sort, page, per_page as usize, true)
            .await?;
    let base = state.site.base_url.as_str();
    let total = results.total as i64;
    Ok(Json(SearchResultsJson {
        items: results
            .hits
            .into_iter()
            .map(|h| {
                let path = crate::views::question_path(h.question_id, &h.title);
                let (kind, url) = match h.kind {
                    PostKind::Question => ("question", format!("{base}{path}")),
                    PostKind::Answer => ("answer", format!("{base}{path}#answer-{}", h.id)),
                };
                SearchHitJson {
                    id: h.id.0,
                    question_id: h.question_id.0,
                    kind: kind.to_owned(),
                    title: h.title,
                    url,
                    snippet_html: h.snippet_html,
                    score: h.score,
                    answer_count: h.answers,
                    accepted: h.accepted,
                    created_at: time(h.created_at),
                }
            })
            .collect(),
        page,
        per_page,
        total,
        has_more: i64::from(page) * i64::from(per_page) < total,
        notes: query.notes,
    }))
}

async fn found_user(state: &AppState, raw: &str) -> Result<ponder_store::User, AppError> {
    let id = UserId(parse_id(raw, "user")?);
    state
        .store
        .user(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("There is no user {id}.")))
}

/// A member's profile.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = i64, Path, description = "The member's id", minimum = 1, example = 1)),
    responses(
        (status = 200, description = "The member", body = UserJson),
        (status = 404, description = "No such member", body = ErrorBody),
    ))]
pub async fn user(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<UserJson>, AppError> {
    let user = found_user(&state, &id).await?;
    Ok(Json(UserJson::new(state.site.base_url.as_str(), &user)))
}

/// The member the request's token or session belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    responses(
        (status = 200, description = "The member", body = UserJson),
        (status = 401, description = "No token or session", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn me(State(state): State<AppState>, ctx: Ctx) -> Result<Json<UserJson>, AppError> {
    let user = ctx.require_user(super::PREFIX)?;
    Ok(Json(UserJson::new(state.site.base_url.as_str(), user)))
}

/// A member's questions, newest first.
#[utoipa::path(get, path = "/api/v1/users/{id}/questions", tag = "users",
    params(("id" = i64, Path, description = "The member's id", minimum = 1, example = 1), PageParams),
    responses(
        (status = 200, description = "A page of their questions", body = Paged<QuestionSummaryJson>),
        (status = 400, description = "A parameter could not be read", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
    ))]
pub async fn user_questions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(paging): ApiQuery<PageParams>,
) -> Result<Json<Paged<QuestionSummaryJson>>, AppError> {
    let user = found_user(&state, &id).await?;
    let list = state
        .store
        .list_questions(&QuestionQuery {
            filter: QuestionFilter::Author(user.id),
            sort: QuestionSort::Newest,
            page: paging.page()?,
            per_page: paging.per_page()?,
        })
        .await?;
    let base = state.site.base_url.as_str();
    Ok(Json(Paged::of(list, |q| QuestionSummaryJson::new(base, q))))
}

/// A member's answers, newest first.
#[utoipa::path(get, path = "/api/v1/users/{id}/answers", tag = "users",
    params(("id" = i64, Path, description = "The member's id", minimum = 1, example = 1), PageOnly),
    responses(
        (status = 200, description = "A page of their answers", body = Paged<AnswerSummaryJson>),
        (status = 400, description = "A parameter could not be read", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
    ))]
pub async fn user_answers(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(paging): ApiQuery<PageOnly>,
) -> Result<Json<Paged<AnswerSummaryJson>>, AppError> {
    let user = found_user(&state, &id).await?;
    let list = state.store.user_answers(user.id, paging.page()?).await?;
    let base = state.site.base_url.as_str();
    Ok(Json(Paged::of(list, |a| AnswerSummaryJson {
        id: a.id.0,
        question_id: a.question_id.0,
        url: format!(
            "{base}{}#answer-{}",
            crate::views::question_path(a.question_id, &a.question_title),
            a.id
        ),
        question_title: a.question_title,
        score: a.score,
        accepted: a.accepted,
        created_at: time(a.created_at),
    })))
}

/// `?sort=&page=` of the tag list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TagListParams {
    /// `popular` (the default), `name` or `newest`.
    #[param(pattern = "^(popular|name|newest)$")]
    pub sort: Option<String>,
    /// The page, from 1.
    #[param(minimum = 1, maximum = 1000)]
    pub page: Option<u32>,
}

/// The tags questions carry.
#[utoipa::path(get, path = "/api/v1/tags", tag = "tags",
    params(TagListParams),
    responses(
        (status = 200, description = "A page of tags", body = Paged<TagJson>),
        (status = 400, description = "A parameter could not be read", body = ErrorBody),
    ))]
pub async fn tags(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<TagListParams>,
) -> Result<Json<Paged<TagJson>>, AppError> {
    let sort =
        TagSort::parse(params.sort.as_deref()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let page = PageOnly { page: params.page }.page()?;
    let list = state.store.list_tags(sort, page).await?;
    let base = state.site.base_url.as_str();
    Ok(Json(Paged::of(list, |t| TagJson::new(base, t))))
}

/// One tag.
#[utoipa::path(get, path = "/api/v1/tags/{name}", tag = "tags",
    params(("name" = String, Path, description = "The tag's name")),
    responses(
        (status = 200, description = "The tag", body = TagJson),
        (status = 404, description = "No such tag", body = ErrorBody),
    ))]
pub async fn tag(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<TagJson>, AppError> {
    let name = name.trim().to_lowercase();
    let tag = state.store.tag(&name).await?.ok_or_else(|| {
        AppError::NotFound(format!(
            "There is no tag “{}”.",
            name.chars().take(40).collect::<String>()
        ))
    })?;
    Ok(Json(TagJson::new(state.site.base_url.as_str(), tag)))
}

/// Every category, each parent before its children.
#[utoipa::path(get, path = "/api/v1/categories", tag = "categories",
    responses((status = 200, description = "The categories", body = Vec<CategoryJson>)))]
pub async fn categories(
    State(state): State<AppState>,
) -> Result<Json<Vec<CategoryJson>>, AppError> {
    let tree = category_tree(&state).await?;
    let base = state.site.base_url.as_str();
    let mut out = Vec::new();
    let mut stack = vec![None];
    while let Some(parent) = stack.pop() {
        let children = tree.children(parent);
        for c in children.iter().rev() {
            stack.push(Some(c.id));
        }
        out.extend(children.into_iter().map(|c| CategoryJson {
            id: c.id.0,
            parent_id: c.parent_id.map(|p| p.0),
            slug: c.slug.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            url: format!("{base}{}", tree.url(c.id)),
        }));
    }
    Ok(Json(out))
}

/// The member's inbox, newest activity first, 30 a page.
#[utoipa::path(get, path = "/api/v1/me/inbox", tag = "me",
    params(PageOnly),
    responses(
        (status = 200, description = "A page of inbox items", body = Paged<NoticeJson>),
        (status = 401, description = "No token or session", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn inbox(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiQuery(paging): ApiQuery<PageOnly>,
) -> Result<Json<Paged<NoticeJson>>, AppError> {
    let user = ctx.require_user(super::PREFIX)?;
    let list = state.store.inbox(user.id, paging.page()?).await?;
    let base = state.site.base_url.as_str();
    Ok(Json(Paged::of(list, |n| NoticeJson {
        id: n.id,
        kind: n.kind.as_str().to_owned(),
        headline: n.kind.headline(n.count),
        count: n.count,
        question_id: n.question.as_ref().map(|(q, _)| q.0),
        question_title: n.question.map(|(_, title)| title),
        post_id: n.post.map(|p| p.0),
        comment_id: n.comment.map(|c| c.0),
        detail: n.detail,
        read: n.read,
        url: format!("{base}/inbox/{}/open", n.id),
        updated_at: time(n.updated_at),
    })))
}

/// What the member follows.
#[utoipa::path(get, path = "/api/v1/me/following", tag = "me",
    params(PageOnly),
    responses(
        (status = 200, description = "A page of what they follow", body = Paged<FollowJson>),
        (status = 401, description = "No token or session", body = ErrorBody),
    ),
    security(("token" = [])))]
pub async fn following(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiQuery(paging): ApiQuery<PageOnly>,
) -> Result<Json<Paged<FollowJson>>, AppError> {
    let user = ctx.require_user(super::PREFIX)?;
    let list = state.store.following(user.id, paging.page()?).await?;
    Ok(Json(Paged::of(list, |f| FollowJson {
        kind: f.kind.as_str().to_owned(),
        target_id: f.target_id,
        label: f.label,
        level: f.level.as_str().to_owned(),
        created_at: time(f.created_at),
    })))
}
