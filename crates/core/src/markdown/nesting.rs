//! A bound on how deeply Markdown nests. Quotes in quotes, lists in lists and
//! emphasis in emphasis cost the HTML parser behind the sanitizer more than linear
//! time in their depth (21,000 nested quotes took seconds), and no reader follows
//! more than a few levels. Past [`MAX_DEPTH`] a container's start and end are left
//! out and its content joins its parent's: flattened, never dropped.

use pulldown_cmark::{Event, Tag};

/// Most containers (quotes, lists, emphasis, links, …) open at once.
pub const MAX_DEPTH: usize = 32;

/// Whether `tag` nests inside itself and so counts toward the depth. A list item
/// goes with its list and counts no level of its own.
fn counts(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::FootnoteDefinition(_)
    )
}

/// `events` with containers past [`MAX_DEPTH`] flattened into their parents.
pub(super) fn bounded<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    // For each open tag: whether it was kept, and whether it counts toward the depth.
    let mut open: Vec<(bool, bool)> = Vec::new();
    let mut depth = 0usize;
    events.filter(move |event| match event {
        Event::Start(tag) => {
            let counted = counts(tag);
            let keep = if matches!(tag, Tag::Item) {
                open.last().is_none_or(|(kept, _)| *kept)
            } else {
                !counted || depth < MAX_DEPTH
            };
            if keep && counted {
                depth += 1;
            }
            open.push((keep, counted));
            keep
        }
        Event::End(_) => {
            let (keep, counted) = open.pop().unwrap_or((true, false));
            if keep && counted {
                depth -= 1;
            }
            keep
        }
        _ => true,
    })
}
