//! What many pages share: the head, links and paths, moments, author cards, pagers
//! and sort tabs.

use crate::assets::{ICON, SCRIPT, STYLESHEET};
use crate::auth::RequestContext;
use ponder_core::slug::slugify;
use ponder_core::text::{relative_time, thousands};
use ponder_core::time::{DateTime, Timestamp};
use ponder_store::UserRef;

/// What every page's `<head>` and header need.
pub struct Head {
    /// The logged-in user's name and profile link.
    pub viewer: Option<Link>,
    /// How many of the viewer's inbox items are unread (up to 100).
    pub unread: i64,
    /// Whether the viewer is an administrator.
    pub viewer_is_admin: bool,
    /// Whether the viewer moderates.
    pub viewer_is_moderator: bool,
    /// The viewer's suspension, in words, if they are suspended.
    pub suspension: Option<String>,
    /// The CSRF token for the header's log-out form.
    pub csrf: String,
    /// The `<title>`, without the site name.
    pub title: String,
    /// The meta description.
    pub description: String,
    /// The absolute canonical URL, when the page has one.
    pub canonical: Option<String>,
    /// The Atom feed that follows the page, when it has one.
    pub feed: Option<Link>,
    /// The site's name.
    pub site_name: String,
    /// Links in the footer to the site's own pages (about, rules) that are written.
    pub footer_links: Vec<Link>,
    /// The site's contact address, in the footer (may be empty).
    pub contact: String,
    /// Whether the header offers to sign up (not while registration is closed).
    pub signup_offered: bool,
    /// The stylesheet's hashed URL.
    pub stylesheet: String,
    /// The icon's hashed URL.
    pub icon: String,
    /// The script's hashed URL.
    pub script: String,
}

impl Head {
    /// A head for a page seen in `ctx`, with this title and description.
    pub fn new(
        ctx: &RequestContext,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        let mut head = Self::bare(ctx.settings.name(), title, description);
        head.viewer = ctx.viewer.as_ref().map(|u| Link {
            label: u.display_name.clone(),
            url: user_path(u.id, &u.display_name),
        });
        head.unread = ctx.unread;
        head.viewer_is_admin = ctx.is_admin();
        head.viewer_is_moderator = ctx.actor().is_some_and(|a| a.moderates());
        head.suspension = ctx.viewer.as_ref().and_then(suspension_note);
        head.csrf = ctx.csrf.clone();
        let settings = &ctx.settings;
        for (html, label, url) in [
            (&settings.about, "About", "/about"),
            (&settings.rules_page, "Rules", "/rules"),
        ] {
            if !html.as_str().is_empty() {
                head.footer_links.push(Link {
                    label: label.to_owned(),
                    url: url.to_owned(),
                });
            }
        }
        head.footer_links.push(Link {
            label: "Privileges".to_owned(),
            url: "/privileges".to_owned(),
        });
        head.contact = settings.contact().to_owned();
        head.signup_offered = settings.settings.registration() != "closed";
        head
    }

    /// A head without a viewer, for pages rendered outside a request's context.
    pub fn bare(site_name: &str, title: impl Into<String>, description: impl Into<String>) -> Self {
        Self {
            viewer: None,
            unread: 0,
            viewer_is_admin: false,
            viewer_is_moderator: false,
            suspension: None,
            csrf: String::new(),
            title: title.into(),
            description: description.into(),
            canonical: None,
            feed: None,
            site_name: site_name.to_owned(),
            footer_links: Vec::new(),
            contact: String::new(),
            signup_offered: true,
            stylesheet: STYLESHEET.url(),
            icon: ICON.url(),
            script: SCRIPT.url(),
        }
    }

    /// The same head with the page's Atom feed at `path`, titled `label`.
    pub fn feed(mut self, label: impl Into<String>, path: impl Into<String>) -> Self {
        self.feed = Some(Link {
            label: label.into(),
            url: path.into(),
        });
        self
    }

    /// The same head with a canonical URL: `base` and `path` joined.
    pub fn canonical(mut self, base: &str, path: &str) -> Self {
        self.canonical = Some(format!("{base}{path}"));
        self
    }
}

/// A user's suspension in words, if it is in force.
pub fn suspension_note(user: &ponder_store::User) -> Option<String> {
    let until = user
        .suspended_until
        .filter(|_| user.is_suspended(ponder_core::time::now()))?;
    Some(format!(
        "Suspended until {} (UTC): {}",
        DateTime::from_timestamp(until).human(),
        user.suspension_reason
    ))
}

/// A link with a label.
#[derive(Debug, Clone)]
pub struct Link {
    /// The text.
    pub label: String,
    /// The target.
    pub url: String,
}

/// A moment, ready to print as `<time datetime="…">…</time>`.
pub struct Moment {
    /// RFC 3339, for the `datetime` attribute.
    pub iso: String,
    /// A full date and time, for the title attribute.
    pub full: String,
    /// Relative to now: "3 hours ago".
    pub relative: String,
}

impl Moment {
    /// The moment `at`, seen at `now`.
    pub fn new(at: Timestamp, now: Timestamp) -> Self {
        let dt = DateTime::from_timestamp(at);
        Self {
            iso: dt.rfc3339(),
            full: dt.human(),
            relative: relative_time(at, now),
        }
    }
}

/// A user's name, avatar and reputation beside something they wrote.
pub struct AuthorCard {
    /// The name shown.
    pub name: String,
    /// The profile URL; `None` for a deleted account.
    pub url: Option<String>,
    /// The avatar's URL.
    pub avatar_url: String,
    /// Reputation, with separators.
    pub reputation: String,
}

/// The profile path of a user: `/users/7/ann-smith`.
pub fn user_path(id: ponder_core::UserId, name: &str) -> String {
    format!("/users/{id}/{}", slugify(name))
}

/// The canonical path of a question: `/questions/42/why-is-the-sky-blue`.
pub fn question_path(id: ponder_core::PostId, title: &str) -> String {
    format!("/questions/{id}/{}", slugify(title))
}

/// The path of a tag's page. Tag names are limited to URL-safe characters when
/// written, but imported names may not be, so the name is percent-encoded.
pub fn tag_path(name: &str) -> String {
    let mut path = String::from("/tags/");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            path.push(b as char);
        } else {
            path.push_str(&format!("%{b:02X}"));
        }
    }
    path
}

impl AuthorCard {
    /// The card of `user`; a deleted account shows without a link, by the name it
    /// has (deleting an account renames it `user{id}`; an imported post whose
    /// account the dump lacked shows the name the dump gave).
    pub fn new(user: &UserRef) -> Self {
        if user.deleted {
            return Self {
                name: user.display_name.clone(),
                url: None,
                avatar_url: format!("/users/{}/avatar", user.id),
                reputation: String::new(),
            };
        }
        Self {
            name: user.display_name.clone(),
            url: Some(user_path(user.id, &user.display_name)),
            avatar_url: format!("/users/{}/avatar", user.id),
            reputation: thousands(user.reputation),
        }
    }
}

/// A numbered link in a pager.
pub struct PageLink {
    /// The page number, or `None` for a gap ("…").
    pub number: Option<u32>,
    /// The URL of that page.
    pub url: String,
    /// Whether it is the page shown.
    pub current: bool,
}

/// Links to the other pages of a list.
pub struct Pager {
    /// The previous page's URL.
    pub prev: Option<String>,
    /// The next page's URL.
    pub next: Option<String>,
    /// Numbered links with gaps.
    pub pages: Vec<PageLink>,
}

impl Pager {
    /// A pager for page `current` of `count` pages; `url` makes a page's URL. Links
    /// go no deeper than [`MAX_PAGE`](ponder_core::paging::MAX_PAGE), the deepest
    /// page a list answers.
    pub fn new(current: u32, count: u32, url: impl Fn(u32) -> String) -> Self {
        let count = count.min(ponder_core::paging::MAX_PAGE);
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for n in 1..=count {
            let near = n.abs_diff(current) <= 2;
            if n == 1 || n == count || near {
                if n > last_shown + 1 {
                    pages.push(PageLink {
                        number: None,
                        url: String::new(),
                        current: false,
                    });
                }
                pages.push(PageLink {
                    number: Some(n),
                    url: url(n),
                    current: n == current,
                });
                last_shown = n;
            }
        }
        Self {
            prev: (current > 1).then(|| url(current - 1)),
            next: (current < count).then(|| url(current + 1)),
            pages,
        }
    }

    /// Whether there is more than one page.
    pub fn is_needed(&self) -> bool {
        self.pages.len() > 1
    }
}

/// A sort tab above a list.
pub struct SortTab {
    /// The label.
    pub label: &'static str,
    /// The URL of the list sorted this way.
    pub url: String,
    /// Whether it is the sort shown.
    pub current: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagers_link_near_pages_and_the_ends_but_no_deeper_than_lists_go() {
        let url = |n: u32| format!("/q?page={n}");
        let numbers =
            |pager: &Pager| -> Vec<Option<u32>> { pager.pages.iter().map(|p| p.number).collect() };
        let pager = Pager::new(5, 9, url);
        assert_eq!(
            numbers(&pager),
            [
                Some(1),
                None,
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                None,
                Some(9)
            ]
        );
        assert_eq!(pager.prev.as_deref(), Some("/q?page=4"));
        assert_eq!(pager.next.as_deref(), Some("/q?page=6"));
        let deep = Pager::new(1_000, 33_334, url);
        assert_eq!(deep.pages.last().and_then(|p| p.number), Some(1_000));
        assert_eq!(deep.next, None, "no link past the deepest page");
        let single = Pager::new(1, 1, url);
        assert!(!single.is_needed() && single.prev.is_none() && single.next.is_none());
    }
}
