//! Images of imported posts copied into the site (`--fetch-images`). A dump's
//! posts show pictures from other hosts (`https://i.stack.imgur.com/…`), which
//! pages do not load: they show the site's own images alone. When the import is
//! given an [`ImageCopier`], every imported post that shows such a picture has
//! each one fetched, checked and encoded anew like an upload (the copier's job),
//! and its addresses in the post's HTML (`<img src>`) and Markdown (image and
//! link targets, `src` of raw `<img>`) become the copy's. A picture that cannot
//! be copied keeps its address. The revisions keep the originals.
//!
//! The work is bounded: at most [`MAX_IMAGES_PER_POST`] pictures a post, at most
//! [`COPIES_AT_ONCE`] fetches at a time (each with the copier's own limits of
//! size and time), and each address is fetched once however many posts show it.

use ponder_core::UserId;
use std::collections::HashMap;
use std::sync::Arc;

/// Copies a picture from another host into the site.
#[async_trait::async_trait]
pub trait ImageCopier: Send + Sync {
    /// Fetches the picture at `url` for `owner` (whose uploads it counts as) and
    /// stores it; its address in the site (`/uploads/…`), or why it could not be.
    async fn copy(&self, url: &str, owner: UserId) -> Result<String, String>;
}

/// The most pictures copied from one post (the same bound as a post written here).
pub const MAX_IMAGES_PER_POST: usize = ponder_core::markdown::links::MAX_COPIED_IMAGES;

/// The most pictures fetched at the same time.
pub const COPIES_AT_ONCE: usize = 4;

/// Copies each of `wanted` (an address and whose upload it counts as) with
/// `copier`, at most [`COPIES_AT_ONCE`] at a time; each address with what came of it.
pub(crate) async fn copy_each(
    copier: &Arc<dyn ImageCopier>,
    wanted: Vec<(String, UserId)>,
) -> Vec<(String, Result<String, String>)> {
    let mut done = Vec::with_capacity(wanted.len());
    let mut work = tokio::task::JoinSet::new();
    for (url, owner) in wanted {
        if work.len() >= COPIES_AT_ONCE
            && let Some(finished) = work.join_next().await
        {
            done.extend(finished.ok());
        }
        let copier = Arc::clone(copier);
        work.spawn(async move {
            let copied = copier.copy(&url, owner).await;
            (url, copied)
        });
    }
    while let Some(finished) = work.join_next().await {
        done.extend(finished.ok());
    }
    done
}

/// Whether sanitized `html` may show a picture from another host: a cheap look,
/// made on every imported post so that only these are read again at the end.
pub(crate) fn may_show_remote_image(html: &str) -> bool {
    html.contains("<img") && (html.contains("src=\"http://") || html.contains("src=\"https://"))
}

/// The addresses of other hosts' pictures in sanitized `html` (`<img src>`), in
/// order, each once, `&amp;` decoded.
pub(crate) fn remote_image_sources(html: &str) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<img") {
        rest = &rest[at + "<img".len()..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let Some(src) = tag.find(" src=\"") else {
            continue;
        };
        let value = &tag[src + " src=\"".len()..];
        let value = value[..value.find('"').unwrap_or(value.len())].replace("&amp;", "&");
        let lower = value.to_ascii_lowercase();
        let remote = lower.starts_with("http://") || lower.starts_with("https://");
        if remote && !urls.contains(&value) {
            urls.push(value);
        }
    }
    urls
}

/// `html` with each `src="URL"` whose URL `copies` has made its copy's address;
/// `None` if none changed.
pub(crate) fn html_with_copies(html: &str, copies: &HashMap<String, String>) -> Option<String> {
    replace_after(html, &["src=\""], copies, |url| url.replace("&amp;", "&"))
}

/// `markdown` with each image or link target (`](URL`, `]: URL`) and raw `src="URL"`
/// whose URL `copies` has made its copy's address; `None` if none changed.
pub(crate) fn markdown_with_copies(
    markdown: &str,
    copies: &HashMap<String, String>,
) -> Option<String> {
    replace_after(
        markdown,
        &["](", "]: ", "]:", "](<", "src=\""],
        copies,
        str::to_owned,
    )
}

/// Characters that end an address after one of the openings.
fn ends_target(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '>' | '<')
}

/// `text` with each address right after one of `openings` replaced by its entry
/// in `copies` (looked up as `decode` gives it); `None` if none changed.
fn replace_after(
    text: &str,
    openings: &[&str],
    copies: &HashMap<String, String>,
    decode: impl Fn(&str) -> String,
) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    loop {
        // The earliest opening, the longest of those that start there.
        let next = openings
            .iter()
            .filter_map(|o| rest.find(o).map(|at| (at, o.len())))
            .min_by_key(|&(at, len)| (at, std::cmp::Reverse(len)));
        let Some((at, len)) = next else {
            break;
        };
        let start = at + len;
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(ends_target).unwrap_or(rest.len());
        match copies.get(&decode(&rest[..end])) {
            Some(local) => {
                out.push_str(local);
                changed = true;
            }
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copies() -> HashMap<String, String> {
        HashMap::from([
            (
                "https://i.example/a.png".to_owned(),
                "/uploads/a.png".to_owned(),
            ),
            (
                "http://i.example/b.jpg?s=1&t=2".to_owned(),
                "/uploads/b.jpg".to_owned(),
            ),
        ])
    }

    /// Copies by waiting a little, counting how many wait at once; fails for
    /// addresses ending in `bad`.
    #[derive(Default)]
    struct Slow {
        now: std::sync::atomic::AtomicUsize,
        most: std::sync::atomic::AtomicUsize,
    }

    #[async_trait::async_trait]
    impl ImageCopier for Slow {
        async fn copy(&self, url: &str, owner: UserId) -> Result<String, String> {
            use std::sync::atomic::Ordering::SeqCst;
            let now = self.now.fetch_add(1, SeqCst) + 1;
            self.most.fetch_max(now, SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            self.now.fetch_sub(1, SeqCst);
            if url.ends_with("bad") {
                return Err("refused".into());
            }
            Ok(format!("/uploads/{}-{url}", owner.0))
        }
    }

    #[tokio::test]
    async fn copies_are_made_a_few_at_a_time_and_each_reported() {
        let slow = Arc::new(Slow::default());
        let copier: Arc<dyn ImageCopier> = slow.clone();
        let wanted: Vec<(String, UserId)> = (0..11)
            .map(|n| {
                (
                    if n == 3 {
                        "3bad".to_owned()
                    } else {
                        n.to_string()
                    },
                    UserId(n),
                )
            })
            .collect();
        let mut done = copy_each(&copier, wanted).await;
        done.sort();
        assert_eq!(done.len(), 11);
        assert_eq!(done[0], ("0".to_owned(), Ok("/uploads/0-0".to_owned())));
        assert!(done.contains(&("3bad".to_owned(), Err("refused".to_owned()))));
        assert!(done.contains(&("10".to_owned(), Ok("/uploads/10-10".to_owned()))));
        assert_eq!(
            slow.most.load(std::sync::atomic::Ordering::SeqCst),
            COPIES_AT_ONCE
        );
        assert!(copy_each(&copier, Vec::new()).await.is_empty());
    }

    #[test]
    fn posts_that_may_show_remote_images_are_told_apart() {
        assert!(may_show_remote_image(
            "<p><img src=\"https://i.example/a.png\" alt=\"\"></p>"
        ));
        assert!(may_show_remote_image(
            "<img alt=\"x\" src=\"http://i.example/a.png\">"
        ));
        for not in [
            "<p>No picture, <a href=\"https://i.example/a.png\">a link</a></p>",
            "<img src=\"/uploads/a.png\">",
            "src=\"https://i.example/a.png\" without an image",
        ] {
            assert!(!may_show_remote_image(not), "{not}");
        }
    }

    #[test]
    fn image_sources_are_read_once_each_and_decoded() {
        let html = "<p><img src=\"https://i.example/a.png\" alt=\"A\">\
            <img alt=\"B\" src=\"http://i.example/b.jpg?s=1&amp;t=2\">\
            <img src=\"https://i.example/a.png\">\
            <img src=\"/uploads/c.png\"><img alt=\"no source\">\
            <a href=\"https://i.example/d.png\">d</a></p>";
        assert_eq!(
            remote_image_sources(html),
            ["https://i.example/a.png", "http://i.example/b.jpg?s=1&t=2"]
        );
        assert!(remote_image_sources("<p>none</p>").is_empty());
        assert!(remote_image_sources("<img src=\"https://i.example/x.png").len() == 1);
    }

    #[test]
    fn html_sources_become_their_copies() {
        let html = "<p><img src=\"https://i.example/a.png\" alt=\"A\"> and \
            <img src=\"http://i.example/b.jpg?s=1&amp;t=2\"> but \
            <img src=\"https://i.example/a.png.old\"> and \
            <img src=\"https://elsewhere.example/z.png\"></p>";
        assert_eq!(
            html_with_copies(html, &copies()).as_deref(),
            Some(
                "<p><img src=\"/uploads/a.png\" alt=\"A\"> and \
                 <img src=\"/uploads/b.jpg\"> but \
                 <img src=\"https://i.example/a.png.old\"> and \
                 <img src=\"https://elsewhere.example/z.png\"></p>"
            )
        );
        assert_eq!(html_with_copies("<p>none</p>", &copies()), None);
        assert_eq!(
            html_with_copies("<img src=\"https://elsewhere.example/z.png\">", &copies()),
            None
        );
    }

    #[test]
    fn markdown_targets_become_their_copies() {
        let markdown = "![A](https://i.example/a.png) and ![B][b]\n\n\
            [b]: http://i.example/b.jpg?s=1&t=2\n\
            [c]:https://i.example/a.png\n\
            ![titled](https://i.example/a.png \"Title\") \
            ![angled](<https://i.example/a.png>) \
            <img src=\"https://i.example/a.png\" width=\"10\">\n\
            Text naming https://i.example/a.png stays, as does `![x](https://i.example/a.png.old)`.\n";
        assert_eq!(
            markdown_with_copies(markdown, &copies()).as_deref(),
            Some(
                "![A](/uploads/a.png) and ![B][b]\n\n\
                 [b]: /uploads/b.jpg\n\
                 [c]:/uploads/a.png\n\
                 ![titled](/uploads/a.png \"Title\") \
                 ![angled](</uploads/a.png>) \
                 <img src=\"/uploads/a.png\" width=\"10\">\n\
                 Text naming https://i.example/a.png stays, as does `![x](https://i.example/a.png.old)`.\n"
            )
        );
        assert_eq!(
            markdown_with_copies("![x](https://elsewhere.example/z.png)", &copies()),
            None
        );
        assert_eq!(markdown_with_copies("", &copies()), None);
    }
}
