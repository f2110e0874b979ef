//! Help pages: the privileges reputation earns, with the thresholds in force, and
//! the site's own about and rules pages, written at `/admin/settings`.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::views::{FormattingPage, Head, PrivilegeRow, PrivilegesPage, TextPage, render};
use axum::extract::State;
use axum::response::Response;
use ponder_core::markdown::SafeHtml;
use ponder_core::rules::Privilege;
use ponder_core::text::thousands;

/// The formatting examples: a title and what to type.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "Emphasis",
        "*italic*, **bold**, ~~struck through~~ and `code`",
    ),
    (
        "Links",
        "[a link](https://example.org), or a bare address: https://example.org",
    ),
    (
        "Lists and quotes",
        "- one\n- two\n\n1. first\n2. second\n\n> quoted text",
    ),
    (
        "Code blocks",
        "```python\ndef greet(name):\n    return f\"Hello, {name}!\"  # a comment\n```",
    ),
    ("Headings", "## A heading"),
    (
        "Tables",
        "| Language | Typing |\n|----------|--------|\n| Rust     | static |\n| Python   | dynamic |",
    ),
];

/// The math examples, shown where math is on.
const MATH_EXAMPLES: &[(&str, &str)] = &[
    (
        "Inline math",
        "Euler: $e^{i\\pi} + 1 = 0$; prices such as $5 and $10 stay prose.",
    ),
    ("Displayed math", "$$\\int_0^1 x^2 \\, dx = \\frac{1}{3}$$"),
];

/// The languages named on the formatting page.
const LANGUAGES: &[&str] = &[
    "c",
    "cpp",
    "csharp",
    "go",
    "java",
    "javascript",
    "typescript",
    "python",
    "ruby",
    "rust",
    "php",
    "sql",
    "bash",
    "html",
    "css",
    "json",
    "yaml",
    "toml",
    "kotlin",
    "swift",
    "diff",
    "dockerfile",
];

/// `GET /help/formatting`: how to write posts, rendered as this site renders them.
pub async fn formatting(State(state): State<AppState>, ctx: Ctx) -> Response {
    let options = crate::rendering::site_options(&state);
    let math = options.math;
    let examples = EXAMPLES
        .iter()
        .chain(if math { MATH_EXAMPLES } else { &[] })
        .map(|(title, source)| {
            (
                (*title).to_owned(),
                (*source).to_owned(),
                ponder_core::markdown::render_with(source, &options),
            )
        })
        .collect();
    let languages: Vec<&str> = LANGUAGES
        .iter()
        .filter_map(|word| ponder_core::markdown::highlight::language(word).map(|l| l.name()))
        .collect();
    render(&FormattingPage {
        head: Head::new(
            &ctx,
            "Formatting posts",
            "How to write posts on this site: Markdown, code, math, images.",
        ),
        examples,
        math,
        languages: languages.join(", "),
    })
}

/// The privileges in the order of a default site's thresholds.
pub(crate) const LISTED: [Privilege; 7] = [
    Privilege::VoteUp,
    Privilege::Flag,
    Privilege::CommentEverywhere,
    Privilege::VoteDown,
    Privilege::EditOthers,
    Privilege::VoteToClose,
    Privilege::VoteToReopen,
];

/// `GET /privileges`: each privilege and the reputation it needs here, and which
/// the viewer holds.
pub async fn privileges(State(state): State<AppState>, ctx: Ctx) -> Response {
    let actor = ctx.actor();
    let privileges = state.privileges();
    let mut rows: Vec<(i64, PrivilegeRow)> = LISTED
        .into_iter()
        .map(|privilege| {
            let needed = privileges.needed(privilege);
            (
                needed,
                PrivilegeRow {
                    action: privilege.action(),
                    needed: thousands(needed),
                    held: actor.map(|a| privileges.holds(&a, privilege)),
                },
            )
        })
        .collect();
    rows.sort_by_key(|(needed, _)| *needed);
    render(&PrivilegesPage {
        head: Head::new(
            &ctx,
            "Privileges",
            "The reputation each privilege needs on this site.",
        ),
        rows: rows.into_iter().map(|(_, row)| row).collect(),
        answer_protected: thousands(privileges.answer_protected),
        launch: state.in_launch().then(|| {
            let until = ctx.settings.settings.number("launch.until_members");
            format!(
                "This site is young, so these thresholds are lowered until it has {} members (it has {}).",
                thousands(until),
                thousands(state.members())
            )
        }),
        reputation: ctx.viewer.as_ref().map(|u| thousands(u.reputation)),
    })
}

/// A page of the site's own text, or 404 while it is not written.
fn text_page(
    ctx: &Ctx,
    title: &str,
    description: &str,
    html: &SafeHtml,
) -> Result<Response, AppError> {
    if html.as_str().is_empty() {
        return Err(AppError::NotFound(format!(
            "This site has no {} page yet.",
            title.to_lowercase()
        )));
    }
    let contact = ctx.settings.contact().to_owned();
    Ok(render(&TextPage {
        head: Head::new(ctx, title, description),
        heading: title.to_owned(),
        body: html.clone(),
        contact,
    }))
}

/// `GET /about`: what the site is for and who runs it.
pub async fn about(ctx: Ctx) -> Result<Response, AppError> {
    let description = format!("About {}.", ctx.settings.name());
    text_page(&ctx, "About", &description, &ctx.settings.about)
}

/// `GET /rules`: what is on topic and how members are expected to behave.
pub async fn rules(ctx: Ctx) -> Result<Response, AppError> {
    let description = format!("The rules of {}.", ctx.settings.name());
    text_page(&ctx, "Rules", &description, &ctx.settings.rules_page)
}
