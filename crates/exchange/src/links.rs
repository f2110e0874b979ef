//! Links to the original site, made local. A dump's posts and comments link to the
//! site they came from (`https://HOST/questions/1/slug/7#7`, `/q/1`, `/a/7`,
//! `/users/3/name`); once the import holds the post or user a link names, the
//! link goes to the local address instead. Ids are kept, so a question's address
//! only loses the host; an answer's becomes `/questions/{answer}`, which the site
//! sends on to the answer within its question. A link to something the import
//! does not hold keeps its original address.
//!
//! In HTML only `href` values change, so the text still reads as written. In
//! Markdown, link targets (`[text](url)`, `[ref]: url`, `href="url"`) change, and a
//! bare address or `<address>` becomes `[address](local)`, which renders as the
//! HTML does; code (spans, fenced and indented blocks) is left alone.

use crate::id_set::IdSet;

/// What an import holds, and the original site's host.
pub(crate) struct LinkRewriter<'a> {
    /// The original site's host, lower case (`french.meta.stackexchange.com`).
    host: String,
    /// Imported questions and answers.
    posts: &'a IdSet,
    /// Imported users.
    users: &'a IdSet,
    /// How an original post id becomes the local one, when they differ (an
    /// Apache Answer site's): then addresses without the host change too.
    renumber: Option<fn(i64) -> i64>,
}

/// Whether `text` may hold a link [`LinkRewriter`] changes: a cheap look, made on
/// every imported text so that only these are read again at the end.
pub(crate) fn may_link(text: &str) -> bool {
    ["/q/", "/a/", "/u/", "/questions/", "/users/"]
        .iter()
        .any(|path| text.contains(path))
}

/// Characters that end an address in running text.
fn ends_address(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | ']' | '`' | '|')
}

impl<'a> LinkRewriter<'a> {
    /// A rewriter for links to `host` (`HOST` or `https://HOST/...`).
    pub(crate) fn new(host: &str, posts: &'a IdSet, users: &'a IdSet) -> Self {
        let host = host
            .trim()
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_ascii_lowercase();
        Self {
            host,
            posts,
            users,
            renumber: None,
        }
    }

    /// A rewriter for an import whose post ids are the original's through
    /// `renumber`: every address of an imported post changes, with or without
    /// the host. Users are not linked by id there, so their addresses stay.
    pub(crate) fn renumbering(
        host: &str,
        posts: &'a IdSet,
        no_users: &'a IdSet,
        renumber: fn(i64) -> i64,
    ) -> Self {
        Self {
            renumber: Some(renumber),
            ..Self::new(host, posts, no_users)
        }
    }

    /// The local address of `url`, if it names something the import holds on the
    /// original site. Addresses without a host change only where the local site
    /// would not understand them (`/q/`, `/a/`, an answer within a question).
    pub(crate) fn local(&self, url: &str) -> Option<String> {
        let (path, hosted) = self.path_of(url)?;
        let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
        let path = path.split('?').next().unwrap_or_default();
        let mut segments = path.trim_start_matches('/').split('/');
        let kind = segments.next()?;
        let renumber = self.renumber.unwrap_or(|id| id);
        let id: i64 = renumber(segments.next()?.parse().ok()?);
        let post = |id: i64| self.posts.contains(id).then(|| format!("/questions/{id}"));
        // Local addresses understand the original's ids only when they are kept.
        let hosted = hosted || self.renumber.is_some();
        match kind {
            "questions" => {
                let answer = segments.nth(1).and_then(|a| a.parse::<i64>().ok());
                let anchor = fragment.parse::<i64>().ok().filter(|a| *a != id);
                match answer.or(anchor).map(renumber) {
                    Some(answer) if self.posts.contains(answer) => post(answer),
                    _ if hosted => post(id),
                    _ => None,
                }
            }
            "q" | "a" => post(id),
            "users" | "u" if (hosted || kind == "u") && self.renumber.is_none() => {
                self.users.contains(id).then(|| format!("/users/{id}"))
            }
            _ => None,
        }
    }

    /// The path of `url` and whether it named the host; `None` for another host.
    fn path_of<'u>(&self, url: &'u str) -> Option<(&'u str, bool)> {
        let rest = strip_prefix_ignoring_case(url, "https://")
            .or_else(|| strip_prefix_ignoring_case(url, "http://"))
            .or_else(|| url.strip_prefix("//"));
        let Some(rest) = rest else {
            return url.starts_with('/').then_some((url, false));
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = rest[..end].to_ascii_lowercase();
        let host = host.strip_suffix(":443").unwrap_or(&host);
        (host == self.host || host.strip_prefix("www.") == Some(&self.host))
            .then_some((&rest[end..], true))
    }

    /// `html` with its `href` values made local; `None` if none changed.
    pub(crate) fn html(&self, html: &str) -> Option<String> {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        let mut changed = false;
        while let Some(at) = rest.find("href=\"") {
            let start = at + "href=\"".len();
            out.push_str(&rest[..start]);
            rest = &rest[start..];
            let end = rest.find('"').unwrap_or(rest.len());
            match self.local(&rest[..end].replace("&amp;", "&")) {
                Some(local) => {
                    out.push_str(&local);
                    changed = true;
                }
                None => out.push_str(&rest[..end]),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        changed.then_some(out)
    }

    /// `markdown` with its links to the original site made local; `None` if none
    /// changed.
    pub(crate) fn markdown(&self, markdown: &str) -> Option<String> {
        let mut out = String::with_capacity(markdown.len());
        let mut changed = false;
        let mut fence: Option<&str> = None;
        for line in markdown.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
            match (fence, marker) {
                (None, Some(m)) => fence = Some(m),
                (Some(open), Some(m)) if open == m => fence = None,
                _ => {}
            }
            let indented = line.starts_with("    ") || line.starts_with('\t');
            if fence.is_some() || marker.is_some() || indented {
                out.push_str(line);
                continue;
            }
            changed |= self.markdown_line(line, &mut out);
        }
        changed.then_some(out)
    }

    /// Writes `line` to `out` with its links made local; whether any changed.
    fn markdown_line(&self, line: &str, out: &mut String) -> bool {
        let mut changed = false;
        let mut copied = 0;
        let mut search = 0;
        while let Some(found) = next_address(line, search) {
            let end = line[found..]
                .find(ends_address)
                .map_or(line.len(), |n| found + n);
            search = end;
            let url = line[found..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            let end = found + url.len();
            let before = &line[..found];
            // In a code span, or ending a link's text (`[see address](target)`).
            let label = line[end..].starts_with(']');
            if label || before.matches('`').count() % 2 == 1 {
                continue;
            }
            let Some(local) = self.local(url) else {
                continue;
            };
            let target = before.ends_with("](")
                || before.ends_with("href=\"")
                || before.trim_end().ends_with("]:");
            let angled = before.ends_with('<') && line[end..].starts_with('>');
            if angled {
                out.push_str(&line[copied..found - 1]);
                out.push_str(&format!("[{url}]({local})"));
                copied = end + 1;
            } else if target {
                out.push_str(&line[copied..found]);
                out.push_str(&local);
                copied = end;
            } else {
                out.push_str(&line[copied..found]);
                out.push_str(&format!("[{url}]({local})"));
                copied = end;
            }
            changed = true;
        }
        out.push_str(&line[copied..]);
        changed
    }
}

/// Where the next address in `line` at or after `from` starts: a scheme, or a
/// path right after a link target's opening.
fn next_address(line: &str, from: usize) -> Option<usize> {
    let rest = line.get(from..)?;
    let lower = rest.to_ascii_lowercase();
    let scheme = ["https://", "http://"]
        .iter()
        .filter_map(|s| lower.find(s))
        .min();
    let path = ["](/", "]: /", "href=\"/"]
        .iter()
        .filter_map(|s| rest.find(s).map(|at| at + s.len() - 1))
        .min();
    let at = match (scheme, path) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some(from + at)
}

fn strip_prefix_ignoring_case<'u>(text: &'u str, prefix: &str) -> Option<&'u str> {
    text.get(..prefix.len())
        .filter(|head| head.eq_ignore_ascii_case(prefix))
        .map(|_| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets() -> (IdSet, IdSet) {
        let mut posts = IdSet::default();
        for id in [1, 7, 18] {
            posts.insert(id);
        }
        let mut users = IdSet::default();
        users.insert(3);
        (posts, users)
    }

    #[test]
    fn renumbered_addresses_become_local_with_or_without_the_host() {
        let (posts, users) = sets();
        // Another platform's ids: 1000 + the local one.
        let links = LinkRewriter::renumbering("qa.example.org", &posts, &users, |id| id - 1000);
        let local = |url: &str| links.local(url);
        assert_eq!(
            local("https://qa.example.org/questions/1001/slug").as_deref(),
            Some("/questions/1")
        );
        assert_eq!(local("/questions/1001").as_deref(), Some("/questions/1"));
        assert_eq!(
            local("/questions/1001/slug/1007").as_deref(),
            Some("/questions/7")
        );
        // Not imported, another host, users (linked by name there): kept.
        assert_eq!(local("/questions/1002"), None);
        assert_eq!(local("https://elsewhere.example/questions/1001"), None);
        assert_eq!(local("https://qa.example.org/users/1003"), None);
        // Kept ids: a bare path is left as the local site understands it.
        let kept = LinkRewriter::new("qa.example.org", &posts, &users);
        assert_eq!(kept.local("/questions/1"), None);
    }

    #[test]
    fn addresses_of_imported_posts_and_users_become_local() {
        let (posts, users) = sets();
        let links = LinkRewriter::new("https://French.Meta.StackExchange.com/", &posts, &users);
        let local = |url: &str| links.local(url);
        let host = "https://french.meta.stackexchange.com";
        for (url, expected) in [
            (
                format!("{host}/questions/1/translation-questions/7#7"),
                Some("/questions/7"),
            ),
            (
                format!("{host}/questions/1/translation-questions#7"),
                Some("/questions/7"),
            ),
            (
                format!("{host}/questions/1/translation-questions"),
                Some("/questions/1"),
            ),
            (format!("{host}/questions/1"), Some("/questions/1")),
            (
                format!("{host}/questions/1?noredirect=1#comment5_1"),
                Some("/questions/1"),
            ),
            (
                "HTTP://WWW.french.meta.stackexchange.com/q/18".into(),
                Some("/questions/18"),
            ),
            (format!("{host}/a/7/3"), Some("/questions/7")),
            (
                "//french.meta.stackexchange.com/a/7".into(),
                Some("/questions/7"),
            ),
            (format!("{host}/users/3/zoe"), Some("/users/3")),
            (format!("{host}/users/4/absent"), None),
            (format!("{host}/questions/2/not-imported"), None),
            (format!("{host}/questions/1/slug/2"), Some("/questions/1")),
            (format!("{host}/questions/tagged/x"), None),
            (format!("{host}/help"), None),
            (host.into(), None),
            ("https://french.stackexchange.com/questions/1".into(), None),
            (
                "https://french.meta.stackexchange.com.evil.example/questions/1".into(),
                None,
            ),
            ("/q/18".into(), Some("/questions/18")),
            ("/a/7".into(), Some("/questions/7")),
            ("/questions/1/slug/7".into(), Some("/questions/7")),
            ("/questions/1/slug".into(), None),
            ("/users/3/zoe".into(), None),
            ("/u/3".into(), Some("/users/3")),
            ("questions/1".into(), None),
            ("mailto:x@example.org".into(), None),
        ] {
            assert_eq!(local(&url).as_deref(), expected, "{url}");
        }
    }

    #[test]
    fn texts_that_may_link_are_told_apart() {
        for text in [
            "see /q/1",
            "/a/2",
            "/u/3",
            "https://x/questions/1",
            "<a href=\"/users/3\">",
        ] {
            assert!(may_link(text), "{text}");
        }
        for text in [
            "",
            "no links",
            "https://example.org/questionnaire",
            "/qa/1",
            "a/b",
        ] {
            assert!(!may_link(text), "{text}");
        }
    }

    #[test]
    fn html_changes_only_link_targets() {
        let (posts, users) = sets();
        let links = LinkRewriter::new("meta.example.com", &posts, &users);
        let html = "<p>See <a href=\"https://meta.example.com/q/18\" rel=\"nofollow\">https://meta.example.com/q/18</a>, \
                    <a href=\"https://meta.example.com/questions/2/x\">not here</a> and \
                    <a href=\"https://other.example/q/18?a=1&amp;b=2\">elsewhere</a>.</p>";
        assert_eq!(
            links.html(html).unwrap(),
            "<p>See <a href=\"/questions/18\" rel=\"nofollow\">https://meta.example.com/q/18</a>, \
             <a href=\"https://meta.example.com/questions/2/x\">not here</a> and \
             <a href=\"https://other.example/q/18?a=1&amp;b=2\">elsewhere</a>.</p>"
        );
        assert_eq!(links.html("<p>No links.</p>"), None);
        assert_eq!(
            links.html("<a href=\"https://meta.example.com/q/2\">x</a>"),
            None
        );
        assert_eq!(
            links
                .html("<a href=\"unterminated https://meta.example.com/q/18")
                .as_deref(),
            None
        );
    }

    #[test]
    fn markdown_changes_targets_and_bare_addresses_but_not_code() {
        let (posts, users) = sets();
        let links = LinkRewriter::new("meta.example.com", &posts, &users);
        let markdown = "See [this](https://meta.example.com/questions/1/slug/7#7 \"title\") and \
                        https://meta.example.com/q/18. Also <https://meta.example.com/users/3>, \
                        [short](/q/18), /q/18 in prose, `https://meta.example.com/q/18`.\n\
                        \n\
                        [ref]: https://meta.example.com/a/7\n\
                        \n\
                        ```\n\
                        https://meta.example.com/q/18\n\
                        ```\n\
                        \n    https://meta.example.com/q/18\n\
                        After the code: https://meta.example.com/q/2 stays.";
        assert_eq!(
            links.markdown(markdown).unwrap(),
            "See [this](/questions/7 \"title\") and \
             [https://meta.example.com/q/18](/questions/18). Also \
             [https://meta.example.com/users/3](/users/3), \
             [short](/questions/18), /q/18 in prose, `https://meta.example.com/q/18`.\n\
             \n\
             [ref]: /questions/7\n\
             \n\
             ```\n\
             https://meta.example.com/q/18\n\
             ```\n\
             \n    https://meta.example.com/q/18\n\
             After the code: https://meta.example.com/q/2 stays."
        );
        assert_eq!(links.markdown("Nothing to see."), None);
        // A link's text is not made a link of its own; a fence ends only with its
        // own marker; a bracket on one side only is not an autolink.
        assert_eq!(
            links
                .markdown("x https://meta.example.com/q/18> y <https://meta.example.com/q/7 z")
                .unwrap(),
            "x [https://meta.example.com/q/18](/questions/18)> y <[https://meta.example.com/q/7](/questions/7) z"
        );
        assert_eq!(
            links
                .markdown("[see https://meta.example.com/q/18](https://meta.example.com/q/18) [https://meta.example.com/q/7]")
                .unwrap(),
            "[see https://meta.example.com/q/18](/questions/18) [https://meta.example.com/q/7]"
        );
        assert_eq!(
            links
                .markdown(
                    "~~~\n```\nhttps://meta.example.com/q/18\n~~~\nhttps://meta.example.com/q/7\n"
                )
                .unwrap(),
            "~~~\n```\nhttps://meta.example.com/q/18\n~~~\n[https://meta.example.com/q/7](/questions/7)\n"
        );
        assert_eq!(links.markdown("https://meta.example.com/q/2"), None);
        // What it writes is left as it is the next time.
        let once = links.markdown(markdown).unwrap();
        assert_eq!(links.markdown(&once), None);
    }
}
