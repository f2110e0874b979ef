//! Markdown to safe HTML. Posts are rendered once, on write, and both the source and
//! the sanitized HTML are stored; pages print the stored HTML as it is.
//!
//! Rendering is CommonMark with tables and strikethrough (pulldown-cmark); its HTML
//! then goes through ammonia, which keeps a fixed set of tags and attributes, lets
//! links and images point only at http(s) (and links also at mailto), and marks every
//! link `rel="nofollow ugc noopener"`. Raw HTML in the source is parsed as HTML and
//! sanitized with the same rules, so nothing a user writes reaches a page unchecked.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

/// HTML that has been sanitized and may be printed into a page as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// The HTML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes the HTML text.
    pub fn into_string(self) -> String {
        self.0
    }

    /// Wraps HTML that was sanitized earlier and stored, such as a post body read
    /// back from the database.
    pub fn from_trusted_storage(html: String) -> Self {
        Self(html)
    }
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("nofollow ugc noopener"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .add_tag_attributes("img", ["width", "height"])
        .add_tag_attributes("th", ["align", "style"])
        .add_tag_attributes("td", ["align", "style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .attribute_filter(|element, attribute, value| {
            // ammonia allows mailto everywhere a URL goes; an image has no use for it.
            if element == "img" && attribute == "src" {
                let lower = value.trim_start().to_ascii_lowercase();
                if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                    return None;
                }
            }
            Some(value.into())
        });
    builder
});

/// Renders post Markdown to sanitized HTML.
pub fn render(markdown: &str) -> SafeHtml {
    let parser = Parser::new_ext(markdown, parser_options());
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, parser);
    sanitize_html(&raw)
}

/// Sanitizes HTML from elsewhere (an imported post, say) with the rules of our own posts.
pub fn sanitize_html(html: &str) -> SafeHtml {
    SafeHtml(SANITIZER.clean(html).to_string())
}

/// The plain text of a Markdown document, whitespace folded, cut at a word boundary
/// to at most `max_chars` characters with an ellipsis when cut. For meta
/// descriptions and list excerpts; not HTML (escape it when printing).
pub fn plain_excerpt(markdown: &str, max_chars: usize) -> String {
    let mut raw = String::new();
    for event in Parser::new_ext(markdown, parser_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => raw.push_str(&t),
            Event::SoftBreak | Event::HardBreak => raw.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
            | Event::Start(Tag::CodeBlock(_)) => raw.push(' '),
            _ => {}
        }
        // Enough text gathered: whitespace folding only shortens it.
        if raw.len() > 4 * (max_chars + 1) {
            break;
        }
    }
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    cut_at_word(&text, max_chars)
}

/// Cuts `text` to at most `max_chars` characters at a word boundary, adding `…` when cut.
pub fn cut_at_word(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let end = text
        .char_indices()
        .nth(max_chars.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let cut = head.rfind(' ').filter(|&i| i > end / 2).unwrap_or(end);
    format!("{}…", head[..cut].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_commonmark_with_tables_and_strikethrough() {
        let html = render("# Title\n\n*em* ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        let html = html.as_str();
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>em</em>"));
        assert!(html.contains("<del>gone</del>"));
        assert!(
            html.contains("<table>") && html.contains("<td>1</td>"),
            "{html}"
        );
    }

    #[test]
    fn code_is_escaped_not_run() {
        let html = render("```\n<script>alert(1)</script>\n```");
        assert!(
            html.as_str().contains("&lt;script&gt;"),
            "{}",
            html.as_str()
        );
        assert!(!html.as_str().contains("<script"));
    }

    #[test]
    fn links_get_rel_and_bad_schemes_are_dropped() {
        let html =
            render("[a](https://example.com) [b](javascript:alert(1)) [c](data:text/html,x)");
        let html = html.as_str();
        assert!(html.contains(r#"rel="nofollow ugc noopener""#), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
    }

    #[test]
    fn raw_html_is_sanitized() {
        let html = render(
            "<script>alert(1)</script><img src=x onerror=alert(1)><iframe src=https://e.com></iframe><b style=\"color:red\" onclick=\"x()\">bold</b>",
        );
        let html = html.as_str();
        for banned in ["<script", "onerror", "<iframe", "onclick", "style="] {
            assert!(!html.contains(banned), "{banned} survived in {html}");
        }
        assert!(html.contains("<b>bold</b>"), "{html}");
    }

    #[test]
    fn images_only_from_http() {
        let html = render("![ok](https://e.com/a.png) ![bad](mailto:a@b.c) ![rel](/local.png)");
        let html = html.as_str();
        assert!(html.contains(r#"src="https://e.com/a.png""#), "{html}");
        assert!(!html.contains("mailto"), "{html}");
        assert!(!html.contains("/local.png"), "{html}");
    }

    #[test]
    fn excerpts_are_plain_and_cut_at_words() {
        let text = plain_excerpt(
            "# Head\n\nSome **bold** and `code`.\n\n- item one\n- item two",
            200,
        );
        assert_eq!(text, "Head Some bold and code. item one item two");
        let cut = plain_excerpt("alpha beta gamma delta epsilon", 14);
        assert_eq!(cut, "alpha beta…");
        assert!(cut.chars().count() <= 14);
    }
}
