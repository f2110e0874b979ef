//! The home page, the question lists and the question page.

use super::{ListParams, ListRequest, category_tree, parse_id, question_list};
use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::forms::FormState;
use crate::views::{
    CommentView, Head, Link, Moment, PostView, QuestionListPage, QuestionPage, moved_permanently,
    question_path, render, tag_path,
};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use ponder_core::PostId;
use ponder_core::markdown::{SafeHtml, plain_excerpt};
use ponder_core::rules::{Privilege, manages};
use ponder_core::text::count;
use ponder_store::{Post, QuestionFilter, QuestionThread, ViewerVotes};

const EMPTY_SITE: &str = "No questions have been asked here yet. Questions you ask appear here, \
                          newest activity first, for others to answer.";

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    request: ListRequest,
    base: &str,
    heading: &str,
) -> Result<Response, AppError> {
    let tree = category_tree(state).await?;
    let list = question_list(state, &tree, QuestionFilter::All, request, base, EMPTY_SITE).await?;
    let settings = &ctx.settings;
    let home = base == "/";
    let description = match settings.tagline() {
        tagline if home && !tagline.is_empty() => tagline.to_owned(),
        _ => format!(
            "{}: questions and answers, {}.",
            settings.name(),
            list.total_label
        ),
    };
    let mut head = Head::new(ctx, heading, description).feed(
        format!("Newest questions - {}", settings.name()),
        "/feeds/questions",
    );
    if request.page == 1 {
        head = head.canonical(&state.site.base_url, base);
    }
    // The home page of a site without an administrator says how to get one.
    let unadministered = home && !state.has_administrator().await?;
    // The home page's first page greets visitors with the site's own words.
    let greeting = home && request.page == 1;
    let page = QuestionListPage {
        head,
        heading: heading.to_owned(),
        unadministered,
        tagline: if greeting { settings.tagline() } else { "" }.to_owned(),
        welcome: if greeting && ctx.viewer.is_none() {
            settings.welcome.clone()
        } else {
            SafeHtml::default()
        },
        categories: tree
            .children(None)
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

/// `GET /`: the questions, most recently active first.
pub async fn home(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let request = ListRequest::from_query(query)?;
    list_page(&state, &ctx, request, "/", "Top questions").await
}

/// `GET /questions?sort=&page=`: every question.
pub async fn list_questions(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let request = ListRequest::from_query(query)?;
    list_page(&state, &ctx, request, "/questions", "All questions").await
}

/// `GET /questions/{id}`: redirects to the URL with the slug.
pub async fn show_question_without_slug(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &ctx, &id, None).await
}

/// `GET /questions/{id}/{slug}`: the question page. A wrong slug redirects to the
/// right one; an answer's id redirects to the answer in its question.
pub async fn show_question(
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
    let id = PostId(parse_id(raw_id, "question")?);
    let not_found = || {
        AppError::NotFound(format!(
            "There is no question {id}. It may have been deleted."
        ))
    };
    let page = state
        .store
        .question_page(id, crate::related::LINKED_SHOWN)
        .await?;
    let Some((thread, links)) = page else {
        // Perhaps an answer's id: send the reader to it within its question.
        let question = state.store.question_of(id).await?.filter(|q| *q != id);
        let Some(question) = question else {
            return Err(not_found());
        };
        let thread = state
            .store
            .question_thread(question)
            .await?
            .ok_or_else(not_found)?;
        let path = question_path(question, &thread.question.title);
        return Ok(moved_permanently(&format!("{path}#answer-{id}")));
    };
    let path = question_path(id, &thread.question.title);
    if slug != path.rsplit('/').next() {
        return Ok(moved_permanently(&path));
    }
    let mut extras = ViewerExtras::load(state, ctx, id).await?;
    let beside = crate::related::beside(state, &thread, links);
    extras.related = beside.related;
    extras.linked = beside.linked;
    question_response(ctx, thread, PageForms::default(), &extras)
}

/// What a logged-in viewer's page adds: their votes and the suggested edits waiting
/// on the thread (three statements, only for logged-in viewers).
#[derive(Default)]
pub struct ViewerExtras {
    votes: ViewerVotes,
    suggestions: Vec<(PostId, i64)>,
    privileges: ponder_core::reputation::Privileges,
    /// Questions like this one.
    pub related: Vec<Link>,
    /// Questions linked to or from this one.
    pub linked: Vec<Link>,
    close_votes: (i64, i64),
    off_topic: Vec<String>,
    /// How the viewer follows the question: `None` for a visitor.
    follow: Option<Option<ponder_core::notices::FollowLevel>>,
    /// The viewer's inbox items about this question that opening it marked read.
    read_now: i64,
}

impl ViewerExtras {
    /// Loads them for the viewer in `ctx` (nothing for a visitor).
    pub async fn load(state: &AppState, ctx: &Ctx, question: PostId) -> Result<Self, AppError> {
        let off_topic = state.off_topic_reasons();
        let Some(viewer) = ctx.viewer.as_ref() else {
            return Ok(Self {
                privileges: state.privileges(),
                off_topic,
                ..Self::default()
            });
        };
        let may_vote_close = state
            .privileges()
            .holds(&viewer.actor(), Privilege::VoteToClose);
        // Reading the question reads its inbox items (a write only when some are unread).
        let read_now = if ctx.unread > 0 {
            state
                .store
                .mark_thread_notices_read(viewer.id, question, ponder_core::time::now())
                .await?
        } else {
            0
        };
        Ok(Self {
            votes: state.store.viewer_votes(viewer.id, question).await?,
            suggestions: state.store.pending_suggestions_in(question).await?,
            privileges: state.privileges(),
            related: Vec::new(),
            linked: Vec::new(),
            close_votes: if may_vote_close {
                state.store.close_votes(question).await?
            } else {
                (0, 0)
            },
            off_topic,
            follow: Some(
                state
                    .store
                    .follow_level(
                        viewer.id,
                        ponder_core::notices::FollowKind::Question,
                        question.0,
                    )
                    .await?,
            ),
            read_now: i64::try_from(read_now).unwrap_or(0),
        })
    }
}

/// What the question page's forms show when one comes back refused: the answer
/// being written (and its preview), or a comment under one post.
#[derive(Default)]
pub struct PageForms {
    /// The answer form.
    pub answer: FormState,
    /// The answer's preview, rendered.
    pub answer_preview: Option<String>,
    /// A refused comment: the post it was for, and its form.
    pub comment: Option<(PostId, FormState)>,
}

/// Renders a thread's page for the viewer in `ctx`: 404 when the question is
/// deleted and the viewer may not see it; 422 when `forms` carries a refusal.
pub fn question_response(
    ctx: &Ctx,
    thread: QuestionThread,
    forms: PageForms,
    extras: &ViewerExtras,
) -> Result<Response, AppError> {
    let q = &thread.question;
    if q.deleted && !manages(ctx.actor().as_ref(), q.author.id) {
        return Err(AppError::NotFound(format!(
            "There is no question {}. It may have been deleted.",
            q.id
        )));
    }
    let refused = forms.answer.has_errors() || forms.comment.is_some();
    let path = question_path(q.id, &q.title);
    let mut response = render(&question_page(ctx, &thread, &path, forms, extras));
    if refused {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// Shapes a thread into its page.
fn question_page(
    ctx: &Ctx,
    thread: &QuestionThread,
    path: &str,
    mut forms: PageForms,
    extras: &ViewerExtras,
) -> QuestionPage {
    let now = ponder_core::time::now();
    let viewer = ctx.viewer.as_ref();
    let actor = ctx.actor();
    let asker = thread.question.author.id;
    // A suspended viewer reads the page as it is but is offered nothing to press.
    let suspended = viewer.is_some_and(|v| v.is_suspended(now));
    let writer = viewer.filter(|_| !suspended);
    let writing_actor = actor.filter(|_| !suspended);
    let privileges = &extras.privileges;
    let writer_holds = |privilege| writing_actor.is_some_and(|a| privileges.holds(&a, privilege));
    let view = |post: &Post, accepted: bool, forms: &mut PageForms| {
        let comments = thread
            .comments_of(post.id)
            .map(|c| {
                let mut view = CommentView::new(c, now);
                view.upvoted = extras.votes.comments.contains(&c.id);
                view.own = viewer.is_some_and(|v| v.id == c.author.id);
                view.can_vote = !post.locked && writer.is_some() && !view.own;
                view
            })
            .collect();
        let mut view = PostView::new(post, comments, accepted, path, now);
        view.can_manage = manages(actor.as_ref(), post.author.id);
        view.my_vote = extras.votes.on(post.id).as_i64();
        view.own = viewer.is_some_and(|v| v.id == post.author.id);
        view.can_vote = !post.locked && writer.is_some_and(|v| v.id != post.author.id);
        view.can_accept =
            post.kind == ponder_store::PostKind::Answer && writer.is_some_and(|v| v.id == asker);
        view.can_comment = !post.locked
            && writing_actor
                .is_some_and(|a| privileges.check_comment(&a, post.author.id, asker).is_ok());
        view.comment_refusal = if suspended {
            "Your account is suspended: you can read, but not comment.".to_owned()
        } else if post.locked {
            "This post is locked; it takes no new comments.".to_owned()
        } else {
            "You need more reputation to comment on others' posts; you can always comment on your own posts and on answers to your questions.".to_owned()
        };
        view.pending_suggestion = extras
            .suggestions
            .iter()
            .find(|(p, _)| *p == post.id)
            .filter(|_| actor.is_some_and(|a| privileges.check_review(&a, post.author.id).is_ok()))
            .map(|(_, id)| *id);
        if let Some((_, form)) = forms.comment.take_if(|(id, _)| *id == post.id) {
            view.comment_form = form;
        }
        view
    };
    let q = &thread.question;
    let question = view(q, false, &mut forms);
    let answers = thread
        .answers
        .iter()
        .filter(|a| !a.deleted || manages(actor.as_ref(), a.author.id))
        .map(|a| view(a, q.accepted_answer_id == Some(a.id), &mut forms))
        .collect::<Vec<_>>();
    let live_answers = answers.iter().filter(|a| !a.deleted).count() as i64;
    let answer_refusal = crate::actions::posts::answer_refusal(q, viewer, &extras.privileges)
        .map(|refusal| refusal.to_string());
    let crumbs = category_crumbs(thread);
    let mut head = Head::new(ctx, q.title.clone(), plain_excerpt(&q.body_markdown, 160))
        .canonical(&ctx.site.base_url, path)
        .feed(
            format!("Answers and comments to “{}”", q.title),
            format!("/feeds/questions/{}", q.id),
        );
    head.unread = (head.unread - extras.read_now).max(0);
    QuestionPage {
        head,
        structured_data: crate::structured_data::qa_page(thread, &ctx.site.base_url, path),
        crumbs,
        title: q.title.clone(),
        tags: thread
            .tags
            .iter()
            .map(|t| Link {
                label: t.clone(),
                url: tag_path(t),
            })
            .collect(),
        active: Moment::new(q.last_activity_at, now),
        answers_heading: if live_answers == 0 {
            "No answers yet".to_owned()
        } else {
            count(live_answers, "Answer", "Answers")
        },
        answers,
        answer_next: format!("{path}#your-answer"),
        logged_in: viewer.is_some(),
        answer_form: forms.answer,
        answer_preview: forms.answer_preview,
        related: extras.related.clone(),
        linked: extras.linked.clone(),
        closed_reason: q.closed_reason.clone(),
        duplicate_url: q.duplicate_of.map(|d| format!("/questions/{d}")),
        protected: q.protected,
        can_answer: answer_refusal.is_none(),
        answer_refusal: answer_refusal.filter(|_| viewer.is_some()),
        moderator: actor.is_some_and(|a| a.moderates()),
        can_flag: writer_holds(Privilege::Flag),
        can_vote_close: writer_holds(Privilege::VoteToClose),
        close_votes: extras.close_votes,
        off_topic: extras.off_topic.iter().cloned().enumerate().collect(),
        follow: extras.follow.map(|level| {
            crate::views::FollowButton::new(
                ponder_core::notices::FollowKind::Question,
                q.id.0,
                "this question",
                level,
                path,
            )
        }),
        question,
    }
}

/// The breadcrumb of a thread's category path, each crumb linking to its category.
fn category_crumbs(thread: &QuestionThread) -> Vec<Link> {
    let mut url = String::from("/categories");
    thread
        .category_path
        .iter()
        .map(|c| {
            url.push('/');
            url.push_str(&c.slug);
            Link {
                label: c.name.clone(),
                url: url.clone(),
            }
        })
        .collect()
}
