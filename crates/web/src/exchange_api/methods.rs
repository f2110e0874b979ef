//! The methods: each reads its ids and parameters, asks the store (a fixed number
//! of statements, however many ids) or the search index, and returns a page of
//! items. Searches take the index's best 200 matches, then sort and page those.

use super::items;
use super::params::{ExchangeError, Found, Params, ids};
use crate::AppState;
use crate::auth::Ctx;
use ponder_core::UserId;
use ponder_core::paging::TagSort;
use ponder_search::{SearchHit, SearchSort};
use ponder_store::{IdScope, ListOrder, ListQuery, PostKind, User};
use serde_json::{Value, json};

/// How many of a search's best matches a list sorts and pages.
const SEARCH_DEPTH: usize = 200;

/// The API's version, as `/info` reports it.
const API_REVISION: &str = "2.3-ponder";

type Answer = Result<Found, ExchangeError>;

/// Calls the method `segments` names.
pub async fn call(
    state: &AppState,
    ctx: &Ctx,
    ip: &str,
    segments: &[&str],
    params: &Params,
) -> Answer {
    match segments {
        ["info"] => info(state).await,
        ["sites"] => Ok(sites(ctx)),
        ["questions"] => questions(state, params, IdScope::All).await,
        ["questions", list] => questions(state, params, IdScope::Ids(ids(list)?)).await,
        ["questions", list, "answers"] => {
            answers(state, params, IdScope::Parents(ids(list)?)).await
        }
        ["questions", list, "comments"]
        | ["answers", list, "comments"]
        | ["posts", list, "comments"] => {
            comments(state, params, IdScope::Parents(ids(list)?)).await
        }
        ["answers"] => answers(state, params, IdScope::All).await,
        ["answers", list] => answers(state, params, IdScope::Ids(ids(list)?)).await,
        ["comments"] => comments(state, params, IdScope::All).await,
        ["comments", list] => comments(state, params, IdScope::Ids(ids(list)?)).await,
        ["search"] => search(state, ip, params, false).await,
        ["search", "advanced"] => search(state, ip, params, true).await,
        ["search", "excerpts"] => excerpts(state, ip, params).await,
        ["similar"] => similar(state, ip, params).await,
        ["users"] => users(state, params).await,
        ["users", list] => users_by_ids(state, params, list).await,
        ["users", list, "questions"] => {
            questions(state, params, IdScope::Authors(ids(list)?)).await
        }
        ["users", list, "answers"] => answers(state, params, IdScope::Authors(ids(list)?)).await,
        ["tags"] => tags(state, params).await,
        ["tags", names, "info"] => tags_info(state, names).await,
        ["badges"] => badges(state, params).await,
        _ => Err(ExchangeError::no_method(&segments.join("/"))),
    }
}

/// A list query from the request's paging, dates, bounds and `sort`.
fn list_query(params: &Params, scope: IdScope, kind: PostKind, order: ListOrder) -> ListQuery {
    ListQuery {
        scope,
        kind,
        tagged: params.tagged.clone(),
        from: params.fromdate,
        to: params.todate,
        order,
        descending: params.descending,
        min: params.min,
        max: params.max,
        page: params.page,
        per_page: params.pagesize,
    }
}

/// `activity`, `creation` or `votes` (and the question sorts `hot`, `week` and
/// `month`, which this site reads as `activity`).
fn post_order(sort: &str) -> ListOrder {
    match sort {
        "creation" => ListOrder::Creation,
        "votes" => ListOrder::Votes,
        _ => ListOrder::Activity,
    }
}

/// This request's page of a list that was read whole.
fn this_page<'a, T>(params: &Params, all: &'a [T]) -> &'a [T] {
    let size = params.pagesize as usize;
    let start = (params.page as usize - 1)
        .saturating_mul(size)
        .min(all.len());
    &all[start..(start + size).min(all.len())]
}

fn page_of(params: &Params, items: Vec<Value>, total: i64) -> Found {
    Found {
        items,
        total,
        has_more: params.has_more(total),
    }
}

async fn questions(state: &AppState, params: &Params, scope: IdScope) -> Answer {
    let sort = params.sort_of(&["activity", "votes", "creation", "hot", "week", "month"])?;
    let query = list_query(params, scope, PostKind::Question, post_order(sort));
    let page = state.store.list_posts(&query).await?;
    let base = state.site.base_url.as_str();
    let with_body = params.filter.with_body();
    let items = page
        .items
        .iter()
        .map(|q| items::question(base, q, with_body))
        .collect();
    Ok(page_of(params, items, page.total))
}

async fn answers(state: &AppState, params: &Params, scope: IdScope) -> Answer {
    let sort = params.sort_of(&["activity", "creation", "votes"])?;
    let query = list_query(params, scope, PostKind::Answer, post_order(sort));
    let page = state.store.list_posts(&query).await?;
    let base = state.site.base_url.as_str();
    let with_body = params.filter.with_body();
    let items = page
        .items
        .iter()
        .map(|a| items::answer(base, a, with_body))
        .collect();
    Ok(page_of(params, items, page.total))
}

async fn comments(state: &AppState, params: &Params, scope: IdScope) -> Answer {
    let sort = params.sort_of(&["creation", "votes"])?;
    let query = list_query(params, scope, PostKind::Question, post_order(sort));
    let page = state.store.list_comments(&query).await?;
    let base = state.site.base_url.as_str();
    let with_body = params.filter.with_body();
    let items = page
        .items
        .iter()
        .map(|c| items::comment(base, c, with_body))
        .collect();
    Ok(page_of(params, items, page.total))
}

/// The questions of `hits` (best first, each once), as a list sorts and pages
/// them; `relevance` keeps the hits' order.
async fn questions_of_hits(
    state: &AppState,
    params: &Params,
    hits: &[SearchHit],
    sort: &str,
) -> Answer {
    let mut order: Vec<i64> = Vec::new();
    for hit in hits {
        if !order.contains(&hit.question_id.0) {
            order.push(hit.question_id.0);
        }
    }
    if order.is_empty() {
        return Ok(page_of(params, Vec::new(), 0));
    }
    let base = state.site.base_url.as_str();
    let with_body = params.filter.with_body();
    if sort == "relevance" {
        // All of them, then this page in the hits' order.
        let all = ListQuery {
            page: 1,
            per_page: order.len() as u32,
            ..list_query(
                params,
                IdScope::Ids(order.clone()),
                PostKind::Question,
                ListOrder::Creation,
            )
        };
        let mut found = state.store.list_posts(&all).await?.items;
        found.sort_by_key(|q| order.iter().position(|id| *id == q.post.id.0));
        let items = this_page(params, &found)
            .iter()
            .map(|q| items::question(base, q, with_body))
            .collect();
        let total = found.len() as i64;
        return Ok(page_of(params, items, total));
    }
    let query = list_query(
        params,
        IdScope::Ids(order),
        PostKind::Question,
        post_order(sort),
    );
    let page = state.store.list_posts(&query).await?;
    let items = page
        .items
        .iter()
        .map(|q| items::question(base, q, with_body))
        .collect();
    Ok(page_of(params, items, page.total))
}

/// `/search` (`intitle` or `tagged` needed) and `/search/advanced` (`q`, `title`,
/// `body`, `tagged`, `user`), in the site's query language.
async fn search(state: &AppState, ip: &str, params: &Params, advanced: bool) -> Answer {
    let sort = params.sort_of(&["activity", "votes", "creation", "relevance"])?;
    let mut words: Vec<String> = Vec::new();
    if advanced {
        for name in ["q", "title", "body"] {
            words.push(params.text(name).to_owned());
        }
        if let Ok(user) = params.text("user").parse::<i64>() {
            words.push(format!("user:{user}"));
        }
    } else {
        if params.text("intitle").is_empty() && params.tagged.is_empty() {
            return Err(ExchangeError::bad_parameter(
                "one of tagged or intitle must be set",
            ));
        }
        words.push(params.text("intitle").to_owned());
    }
    for tag in &params.tagged {
        words.push(format!("[{tag}]"));
    }
    let raw = words.join(" ");
    let (_, results) = crate::handlers::search::run_search(
        state,
        ip,
        raw.trim(),
        SearchSort::Relevance,
        1,
        SEARCH_DEPTH,
        false,
    )
    .await?;
    questions_of_hits(state, params, &results.hits, sort).await
}

/// `/search/excerpts`: questions and answers with the matched passage.
async fn excerpts(state: &AppState, ip: &str, params: &Params) -> Answer {
    let sort = match params.sort_of(&["relevance", "activity", "votes", "creation"])? {
        "votes" => SearchSort::Votes,
        "creation" | "activity" => SearchSort::Newest,
        _ => SearchSort::Relevance,
    };
    if params.page.saturating_mul(params.pagesize) > crate::api::reads::MAX_SEARCH_DEPTH {
        return Err(ExchangeError::bad_parameter(
            "page is too deep; narrow the query",
        ));
    }
    let mut raw = params.text("q").to_owned();
    for tag in &params.tagged {
        raw.push_str(&format!(" [{tag}]"));
    }
    let (_, results) = crate::handlers::search::run_search(
        state,
        ip,
        raw.trim(),
        sort,
        params.page,
        params.pagesize.max(1) as usize,
        true,
    )
    .await?;
    let items = results
        .hits
        .iter()
        .take(params.pagesize as usize)
        .map(|h| {
            let answer = h.kind == PostKind::Answer;
            let mut item = json!({
                "item_type": if answer { "answer" } else { "question" },
                "question_id": h.question_id.0,
                "title": items::escape(&h.title),
                "excerpt": h.snippet_html,
                "score": h.score,
                "answer_count": h.answers,
                "creation_date": h.created_at,
            });
            if let Some(map) = item.as_object_mut() {
                if answer {
                    map.insert("answer_id".into(), json!(h.id.0));
                    map.insert("is_accepted".into(), json!(h.accepted));
                } else {
                    map.insert("has_accepted_answer".into(), json!(h.accepted));
                }
            }
            item
        })
        .collect();
    Ok(page_of(params, items, results.total as i64))
}

/// `/similar?title=`: questions like a title.
async fn similar(state: &AppState, ip: &str, params: &Params) -> Answer {
    let sort = params.sort_of(&["relevance", "activity", "votes", "creation"])?;
    let title = params.text("title");
    if title.is_empty() {
        return Err(ExchangeError::bad_parameter("title is required"));
    }
    let hits = crate::handlers::search::similar_hits(state, ip, title, SEARCH_DEPTH).await?;
    questions_of_hits(state, params, &hits, sort).await
}

async fn users(state: &AppState, params: &Params) -> Answer {
    // The site lists members newest first, 30 a page; `inname` searches names.
    let inname = params.text("inname");
    let page = if inname.is_empty() {
        state.store.list_users(params.page).await?
    } else {
        state.store.search_users(inname, params.page).await?
    };
    let shown: Vec<&User> = page.items.iter().take(params.pagesize as usize).collect();
    let items = user_items(state, &shown).await?;
    let has_more = i64::from(page.page) * i64::from(page.per_page) < page.total;
    Ok(Found {
        items,
        total: page.total,
        has_more,
    })
}

async fn users_by_ids(state: &AppState, params: &Params, list: &str) -> Answer {
    let wanted: Vec<UserId> = ids(list)?.into_iter().map(UserId).collect();
    let found = state.store.users_by_ids(&wanted).await?;
    let total = found.len() as i64;
    let shown: Vec<&User> = this_page(params, &found).iter().collect();
    let items = user_items(state, &shown).await?;
    Ok(page_of(params, items, total))
}

/// The users as items, with their badge counts (one statement for all of them).
async fn user_items(state: &AppState, users: &[&User]) -> Result<Vec<Value>, ExchangeError> {
    let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
    let counts = state.store.badge_counts(&ids).await?;
    let base = state.site.base_url.as_str();
    Ok(users
        .iter()
        .map(|u| {
            let mut badges = items::BadgeCounts::default();
            for (_, class, n) in counts.iter().filter(|(id, _, _)| *id == u.id) {
                match class.as_str() {
                    "gold" => badges.gold = *n,
                    "silver" => badges.silver = *n,
                    _ => badges.bronze = *n,
                }
            }
            items::user(base, u, badges)
        })
        .collect())
}

/// `/badges`: the site's badges, gold first (`sort=name` by name), with how often
/// each was awarded.
async fn badges(state: &AppState, params: &Params) -> Answer {
    let sort = params.sort_of(&["rank", "name", "type"])?;
    let awards = state.store.badge_awards().await?;
    let rank = |class: ponder_core::badges::BadgeClass| match class {
        ponder_core::badges::BadgeClass::Gold => 0,
        ponder_core::badges::BadgeClass::Silver => 1,
        ponder_core::badges::BadgeClass::Bronze => 2,
    };
    let mut kinds: Vec<(usize, ponder_core::badges::BadgeKind)> = ponder_core::badges::ALL
        .into_iter()
        .enumerate()
        .map(|(i, k)| (i + 1, k))
        .collect();
    match sort {
        "name" => kinds.sort_by_key(|(_, k)| k.name),
        _ => kinds.sort_by_key(|(_, k)| (rank(k.class), k.name)),
    }
    if !params.descending {
        kinds.reverse();
    }
    let base = state.site.base_url.as_str();
    let items: Vec<Value> = kinds
        .iter()
        .map(|(id, k)| {
            let awarded = awards
                .iter()
                .find(|(n, _)| n == k.name)
                .map_or(0, |(_, c)| *c);
            items::badge(base, *id, k, awarded)
        })
        .collect();
    Ok(Found::whole(items))
}

async fn tags(state: &AppState, params: &Params) -> Answer {
    let sort = match params.sort_of(&["popular", "activity", "name"])? {
        "name" => TagSort::Name,
        "activity" => TagSort::Newest,
        _ => TagSort::Popular,
    };
    let page = state.store.list_tags(sort, params.page).await?;
    let base = state.site.base_url.as_str();
    let items = page
        .items
        .iter()
        .take(params.pagesize as usize)
        .map(|t| items::tag(base, t))
        .collect();
    let has_more = i64::from(page.page) * i64::from(page.per_page) < page.total;
    Ok(Found {
        items,
        total: page.total,
        has_more,
    })
}

async fn tags_info(state: &AppState, names: &str) -> Answer {
    let names: Vec<String> = names
        .split(';')
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() || names.len() > 100 {
        return Err(ExchangeError::bad_parameter(
            "tags: name 1 to 100 tags, joined by ;",
        ));
    }
    let found = state.store.tags_by_names(&names).await?;
    let base = state.site.base_url.as_str();
    Ok(Found::whole(
        found.iter().map(|t| items::tag(base, t)).collect(),
    ))
}

async fn info(state: &AppState) -> Answer {
    let now = ponder_core::time::now();
    let t = state.store.site_totals(now).await?;
    let per_minute = |n: i64| (n as f64 / 1440.0 * 100.0).round() / 100.0;
    Ok(Found::whole(vec![json!({
        "new_active_users": 0,
        "total_users": t.users,
        "badges_per_minute": 0.0,
        "total_badges": 0,
        "total_votes": t.votes,
        "total_comments": t.comments,
        "answers_per_minute": per_minute(t.answers_last_day),
        "questions_per_minute": per_minute(t.questions_last_day),
        "total_answers": t.answers,
        "total_accepted": t.accepted,
        "total_unanswered": t.unanswered,
        "total_questions": t.questions,
        "api_revision": API_REVISION,
    })]))
}

/// The one site this API serves.
fn sites(ctx: &Ctx) -> Found {
    let settings = &ctx.settings;
    let url = ctx.site.base_url.clone();
    let parameter = url
        .split("://")
        .nth(1)
        .unwrap_or(&url)
        .split([':', '/'])
        .next()
        .unwrap_or_default()
        .to_owned();
    Found::whole(vec![json!({
        "site_type": "main_site",
        "name": items::escape(settings.name()),
        "api_site_parameter": parameter,
        "site_url": url,
        "audience": items::escape(settings.tagline()),
        "icon_url": format!("{url}/favicon.ico"),
        "favicon_url": format!("{url}/favicon.ico"),
        "logo_url": format!("{url}/favicon.ico"),
        "site_state": "normal",
        "launch_date": 0,
        "styling": { "link_color": "#0a5c8f", "tag_foreground_color": "#0a5c8f", "tag_background_color": "#e8f1f8" },
    })])
}
