//! Links a writer did not mark up: bare URLs become links (GitHub's rules for
//! where one ends), links to the site's own questions show the question's title
//! when their text is the address itself, and `@handle` in a comment links to the
//! member it names. Images from other hosts show from the site's copy
//! ([`SiteLinks::images`]), or as a link to where they are when there is none: a
//! page never makes its readers' browsers ask another host for anything.
//!
//! The renderer knows no database: what the titles and members are comes in
//! [`SiteLinks`], looked up by the caller from [`question_ids`] and the mentions
//! of [`crate::notices::mentions`] before rendering.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use std::collections::HashMap;

/// What the renderer knows of the site for its links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteLinks {
    /// The site's address (`https://ask.example.org`, no trailing slash); links to
    /// it, and links by path alone, count as the site's.
    pub base_url: String,
    /// The titles of the questions the text links to, by id: those of
    /// [`question_ids`](super::question_ids) of the same text that exist, and no
    /// others (they are also the links a post records).
    pub titles: HashMap<i64, String>,
    /// The members a comment mentions: lower-cased handle, and the address of their
    /// page.
    pub members: HashMap<String, String>,
    /// The site's copies of images from other hosts: their address there, and
    /// here (`/uploads/…`).
    pub images: HashMap<String, String>,
}

/// The most images from other hosts one text has copied.
pub const MAX_COPIED_IMAGES: usize = 10;

/// Whether `url` is another host's (`http://` or `https://`).
fn is_remote(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// The other hosts' images `events` show, each once, in order, at most
/// [`MAX_COPIED_IMAGES`]: what to copy before rendering.
pub(super) fn remote_images<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    for event in events {
        if let Event::Start(Tag::Image { dest_url, .. }) = event
            && is_remote(&dest_url)
            && !urls.iter().any(|u| *u == *dest_url)
        {
            urls.push(dest_url.to_string());
            if urls.len() == MAX_COPIED_IMAGES {
                break;
            }
        }
    }
    urls
}

/// The question `url` points at, if it is one of the site's: `/questions/{id}`
/// (with any slug, query or fragment after it), by path or under `base_url`.
pub fn question_id(url: &str, base_url: &str) -> Option<i64> {
    let path = if url.starts_with('/') {
        url
    } else {
        let base = base_url.trim_end_matches('/');
        if base.is_empty() {
            return None;
        }
        let rest = url.strip_prefix(base)?;
        if !rest.starts_with('/') {
            return None;
        }
        rest
    };
    let digits = path.strip_prefix("/questions/")?;
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    if end == 0 || !matches!(digits[end..].chars().next(), None | Some('/' | '?' | '#')) {
        return None;
    }
    digits[..end].parse().ok().filter(|id| *id > 0)
}

/// The most questions one text links to that are looked up: enough for any post,
/// and a bound on the lookup.
pub const MAX_LINKED: usize = 50;

/// The site questions `events` link to, each once, in order, at most [`MAX_LINKED`]:
/// marked-up links and bare URLs alike.
pub(super) fn linked_ids<'a>(events: impl Iterator<Item = Event<'a>>, base_url: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    let mut push = |id: Option<i64>| {
        if let Some(id) = id
            && !ids.contains(&id)
            && ids.len() < MAX_LINKED
        {
            ids.push(id);
        }
    };
    let mut code = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => push(question_id(&dest_url, base_url)),
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Text(text) if code == 0 => {
                for piece in split_urls(&text) {
                    if let Piece::Url(url) = piece {
                        push(question_id(url, base_url));
                    }
                }
            }
            _ => {}
        }
    }
    ids
}

/// A run of text: plain, or a bare URL.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    Url(&'t str),
}

/// Whether a URL may start right after `previous`.
fn may_start_after(previous: Option<char>) -> bool {
    previous.is_none_or(|c| c.is_whitespace() || "(*_~\"'".contains(c))
}

/// `text` cut into plain runs and bare `http(s)://` URLs. A URL ends at whitespace
/// or `<`; trailing punctuation is not part of it, nor a closing parenthesis
/// without its opening one.
fn split_urls(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut done = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let start = from + found;
        let rest = &text[start..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            0
        };
        from = start + 4;
        if scheme == 0 || !may_start_after(text[..start].chars().next_back()) {
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '<')
            .unwrap_or(rest.len());
        let url = trim_url(&rest[..end]);
        if url.len() <= scheme || !url[scheme..].contains(|c: char| c.is_alphanumeric()) {
            continue;
        }
        if start > done {
            pieces.push(Piece::Text(&text[done..start]));
        }
        pieces.push(Piece::Url(url));
        done = start + url.len();
        from = done;
    }
    if done < text.len() {
        pieces.push(Piece::Text(&text[done..]));
    }
    pieces
}

/// `url` without trailing punctuation and unbalanced closing parentheses.
fn trim_url(mut url: &str) -> &str {
    loop {
        let Some(last) = url.chars().next_back() else {
            return url;
        };
        let trimmed = if "?!.,:;*_~\"'".contains(last) {
            true
        } else if last == ')' {
            url.matches(')').count() > url.matches('(').count()
        } else {
            false
        };
        if !trimmed {
            return url;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
}

/// The link events for `url` shown as `text`.
fn link<'a>(url: &str, text: String) -> [Event<'a>; 3] {
    [
        Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: CowStr::from(url.to_owned()),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }),
        Event::Text(CowStr::from(text)),
        Event::End(TagEnd::Link),
    ]
}

/// `events` with bare URLs as links and links to known questions that show their
/// own address showing the question's title instead.
pub(super) fn linked<'a>(
    events: impl Iterator<Item = Event<'a>>,
    site: &'a SiteLinks,
) -> impl Iterator<Item = Event<'a>> {
    // How many links (or code blocks) are open: no link goes inside them.
    let mut inside = 0usize;
    // The title to show instead of the next text: set by a link to a known
    // question, used if the text is the link's own address.
    let mut retitle: Option<(String, &'a str)> = None;
    // For each open image that became a link (no copy of it here): its address,
    // until text is seen to show in it (an image without alt text shows it).
    let mut images: Vec<Option<Option<String>>> = Vec::new();
    events.flat_map(move |event| -> Vec<Event<'a>> {
        match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                inside += 1;
                let copy = site.images.get(dest_url.as_ref());
                let as_link = copy.is_none() && is_remote(&dest_url);
                images.push(as_link.then(|| Some(dest_url.to_string())));
                if as_link {
                    vec![Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url,
                        title,
                        id,
                    })]
                } else {
                    let dest_url = copy.map_or(dest_url, |local| CowStr::from(local.clone()));
                    vec![Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })]
                }
            }
            Event::End(TagEnd::Image) => {
                inside = inside.saturating_sub(1);
                match images.pop().flatten() {
                    Some(Some(url)) => {
                        vec![Event::Text(CowStr::from(url)), Event::End(TagEnd::Link)]
                    }
                    Some(None) => vec![Event::End(TagEnd::Link)],
                    None => vec![event],
                }
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                inside += 1;
                retitle = question_id(dest_url, &site.base_url)
                    .and_then(|id| site.titles.get(&id))
                    .map(|title| (dest_url.to_string(), title.as_str()));
                vec![event]
            }
            Event::Start(Tag::CodeBlock(_)) => {
                inside += 1;
                vec![event]
            }
            Event::End(TagEnd::Link | TagEnd::CodeBlock) => {
                inside = inside.saturating_sub(1);
                retitle = None;
                vec![event]
            }
            Event::Text(text) if inside > 0 => {
                if let Some(Some(url)) = images.last_mut() {
                    *url = None;
                }
                match retitle.take() {
                    Some((url, title)) if *text == *url => vec![Event::Text(CowStr::from(title))],
                    _ => vec![Event::Text(text)],
                }
            }
            Event::Text(text) => split_urls(&text)
                .into_iter()
                .flat_map(|piece| match piece {
                    Piece::Text(plain) => vec![Event::Text(CowStr::from(plain.to_owned()))],
                    Piece::Url(url) => {
                        let shown = question_id(url, &site.base_url)
                            .and_then(|id| site.titles.get(&id))
                            .map_or_else(|| url.to_owned(), Clone::clone);
                        link(url, shown).to_vec()
                    }
                })
                .collect(),
            other => vec![other],
        }
    })
}

/// Comment `events` with each `@handle` of a member in `members` (by lower-cased
/// handle) a link to their page; the rules for where a mention starts and ends are
/// [`crate::notices::mentions`]'s.
pub(super) fn mentioned<'a>(
    events: impl Iterator<Item = Event<'a>>,
    members: &'a HashMap<String, String>,
) -> impl Iterator<Item = Event<'a>> {
    let mut inside_link = false;
    events.flat_map(move |event| -> Vec<Event<'a>> {
        match event {
            Event::Start(Tag::Link { .. }) => {
                inside_link = true;
                vec![event]
            }
            Event::End(TagEnd::Link) => {
                inside_link = false;
                vec![event]
            }
            Event::Text(text) if !inside_link => split_mentions(&text, members),
            other => vec![other],
        }
    })
}

/// `text` with the mentions of known members as links.
fn split_mentions<'a>(text: &str, members: &HashMap<String, String>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut done = 0;
    for (at, _) in text.match_indices('@') {
        // Not a mention (an email address, `a@b`; an `@` alone): left as text.
        let Some(handle) = crate::notices::mention_at(text, at) else {
            continue;
        };
        let Some(url) = members.get(&handle.to_ascii_lowercase()) else {
            continue;
        };
        if at > done {
            out.push(Event::Text(CowStr::from(text[done..at].to_owned())));
        }
        out.extend(link(url, format!("@{handle}")));
        done = at + 1 + handle.len();
    }
    if done < text.len() {
        out.push(Event::Text(CowStr::from(text[done..].to_owned())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_addresses_are_known_by_path_or_under_the_base() {
        let base = "https://ask.example.org";
        for (url, id) in [
            ("/questions/12", Some(12)),
            ("/questions/12/why-x", Some(12)),
            ("/questions/12?x=1", Some(12)),
            ("/questions/12#answer-3", Some(12)),
            ("https://ask.example.org/questions/7/slug", Some(7)),
            ("https://ask.example.org/questions/7", Some(7)),
            ("https://ask.example.org.evil.com/questions/7", None),
            ("https://other.example/questions/7", None),
            ("/questions/12abc", None),
            ("/questions/", None),
            ("/questions/0", None),
            ("/questions/99999999999999999999999", None),
            ("/users/12", None),
            ("questions/12", None),
        ] {
            assert_eq!(question_id(url, base), id, "{url}");
        }
        assert_eq!(question_id("https://x.org/questions/1", ""), None);
        assert_eq!(question_id("/questions/3", ""), Some(3));
    }

    #[test]
    fn bare_urls_end_where_github_ends_them() {
        let urls = |text: &str| -> Vec<String> {
            split_urls(text)
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Url(u) => Some(u.to_owned()),
                    Piece::Text(_) => None,
                })
                .collect()
        };
        assert_eq!(urls("see https://example.com."), ["https://example.com"]);
        assert_eq!(
            urls("(see https://example.com/a_(b))"),
            ["https://example.com/a_(b)"]
        );
        assert_eq!(urls("(https://example.com/x)"), ["https://example.com/x"]);
        assert_eq!(urls("http://a.b/c?d=e&f=g, then"), ["http://a.b/c?d=e&f=g"]);
        assert_eq!(urls("\"https://q.org/\""), ["https://q.org/"]);
        assert_eq!(urls("x https://a.org<b"), ["https://a.org"]);
        assert!(urls("nohttps://a.org").is_empty());
        assert!(urls("https:// alone").is_empty());
        assert!(urls("https://... dots").is_empty());
        assert!(urls("https://--- dashes").is_empty());
        assert!(urls("http or https").is_empty());
        assert_eq!(
            urls("two: https://a.org and http://b.org!"),
            ["https://a.org", "http://b.org"]
        );
        assert_eq!(
            split_urls("https://x.org b"),
            [Piece::Url("https://x.org"), Piece::Text(" b")]
        );
        assert_eq!(
            split_urls("a https://x.org"),
            [Piece::Text("a "), Piece::Url("https://x.org")]
        );
        let pieces = split_urls("a https://x.org b");
        assert_eq!(
            pieces,
            [
                Piece::Text("a "),
                Piece::Url("https://x.org"),
                Piece::Text(" b")
            ]
        );
    }
}
