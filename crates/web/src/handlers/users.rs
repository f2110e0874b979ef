//! Profiles and avatars.

use super::{category_tree, parse_id, question_row};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::views::{
    AnswerRow, BadgeView, Head, Link, Moment, ReputationRow, UserPage, moved_permanently,
    question_path, render, reputation_reason, user_path,
};
use axum::extract::{Path, State};
use axum::response::Response;
use ponder_core::UserId;
use ponder_core::input::{Lines, shown_safely};
use ponder_core::paging::QuestionSort;
use ponder_core::text::{count, thousands};
use ponder_store::{QuestionFilter, QuestionQuery};

/// `GET /users/{id}`: redirects to the profile URL with the slug.
pub async fn show_user_without_slug(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &ctx, &id, None).await
}

/// `GET /users/{id}/{slug}`: a profile: avatar, name, about, join date,
/// reputation, and their newest questions and answers.
pub async fn show_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    show(&state, &ctx, &id, Some(&slug)).await
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    raw_id: &str,
    slug: Option<&str>,
) -> Result<Response, AppError> {
    let id = UserId(parse_id(raw_id, "user")?);
    let user = state
        .store
        .user(id)
        .await?
        .filter(|u| !u.deleted)
        .ok_or_else(|| AppError::NotFound(format!("There is no user {id}.")))?;
    let path = user_path(id, &user.display_name);
    if slug != path.rsplit('/').next() {
        return Ok(moved_permanently(&path));
    }
    let tree = category_tree(state).await?;
    let questions = state
        .store
        .list_questions(&QuestionQuery {
            filter: QuestionFilter::Author(id),
            sort: QuestionSort::Newest,
            ..Default::default()
        })
        .await?;
    let answers = state.store.user_answers(id, 1).await?;
    let badges = state.store.badges(id).await?;
    let history = state.store.reputation_events(id, 30).await?;
    let now = ponder_core::time::now();
    let head = Head::new(
        ctx,
        format!("User {}", user.display_name),
        format!(
            "{} on {}: {} reputation, {}, {}.",
            user.display_name,
            state.settings().name(),
            thousands(user.reputation),
            count(questions.total, "question", "questions"),
            count(answers.total, "answer", "answers")
        ),
    )
    .canonical(&state.site.base_url, &path)
    .feed(
        format!("Posts by {}", user.display_name),
        format!("/feeds/users/{id}"),
    );
    let viewer = ctx.viewer.as_ref();
    let own = viewer.is_some_and(|v| v.id == user.id);
    let follow = if own {
        None
    } else {
        super::inbox::follow_button(
            state,
            ctx,
            ponder_core::notices::FollowKind::User,
            user.id.0,
            format!("{}'s questions", user.display_name),
            path.clone(),
        )
        .await?
    };
    let moderates = ctx.actor().is_some_and(|a| a.moderates());
    let page = UserPage {
        head,
        follow,
        following_url: (own || moderates).then(|| format!("/users/{id}/following")),
        can_message: moderates && !own,
        avatar_url: format!("/users/{id}/avatar"),
        // An about-me stored before the rule for characters may hold any.
        about_html: shown_safely(user.about_html.as_str(), Lines::Many).into_owned(),
        location: user.location.clone().filter(|l| !l.trim().is_empty()),
        website: user
            .website_url
            .as_deref()
            .and_then(ponder_core::accounts::linkable_website),
        unclaimed: user.unclaimed,
        can_send_claim: user.unclaimed && ctx.actor().is_some_and(|a| a.administers()),
        joined: Moment::new(user.created_at, now),
        reputation: thousands(user.reputation),
        questions: questions
            .items
            .iter()
            .map(|q| question_row(q, &tree, QuestionSort::Newest, now))
            .collect(),
        questions_label: count(questions.total, "question", "questions"),
        answers: answers
            .items
            .iter()
            .map(|a| AnswerRow {
                url: format!(
                    "{}#answer-{}",
                    question_path(a.question_id, &a.question_title),
                    a.id
                ),
                title: a.question_title.clone(),
                score: a.score,
                accepted: a.accepted,
                when: Moment::new(a.created_at, now),
            })
            .collect(),
        answers_label: count(answers.total, "answer", "answers"),
        user_id: user.id.0,
        suspended: crate::views::suspension_note(&user),
        can_suspend: ctx.actor().is_some_and(|a| a.moderates()) && !user.actor().moderates(),
        badges_earned: badges.len(),
        badges: badge_views(badges, now),
        reputation_history: history
            .into_iter()
            .map(|e| ReputationRow {
                amount: if e.amount > 0 {
                    format!("+{}", e.amount)
                } else {
                    e.amount.to_string()
                },
                gain: e.amount > 0,
                reason: reputation_reason(&e.kind),
                question: e.question.map(|(qid, title)| Link {
                    url: question_path(qid, &title),
                    label: title,
                }),
                when: Moment::new(e.created_at, now),
            })
            .collect(),
        name: user.display_name,
        handle: user.handle,
    };
    Ok(render(&page))
}

/// A profile's badges, one entry per badge and class in the order first earned,
/// with how many times each was earned.
fn badge_views(badges: Vec<ponder_store::Badge>, now: i64) -> Vec<BadgeView> {
    let mut views: Vec<BadgeView> = Vec::new();
    for b in badges {
        if let Some(seen) = views
            .iter_mut()
            .find(|v| v.name == b.name && v.class == b.class)
        {
            seen.times += 1;
            continue;
        }
        views.push(BadgeView {
            description: ponder_core::badges::by_name(&b.name).map_or("", |k| k.description),
            name: b.name,
            class: b.class,
            when: Moment::new(b.awarded_at, now),
            times: 1,
        });
    }
    views
}
