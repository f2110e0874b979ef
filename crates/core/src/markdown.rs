//! Markdown to safe HTML. Posts are rendered once, on write, and both the source and
//! the sanitized HTML are stored; pages print the stored HTML as it is.
//!
//! Rendering is CommonMark with tables and strikethrough (pulldown-cmark); its HTML
//! then goes through ammonia, which keeps a fixed set of tags and attributes, lets
//! links and images point only at http(s) (and links also at mailto), and marks every
//! link `rel="nofollow ugc noopener"`. Raw HTML in the source is parsed as HTML and
//! sanitized with the same rules, so nothing a user writes reaches a page unchecked.
//!
//! Before the sanitizer sees it, the parser's output is bounded ([`nesting`]: no
//! more than [`MAX_DEPTH`] containers deep) and its raw HTML split ([`raw_html`]):
//! tags outside the allowed set show as the text the user typed instead of taking
//! the following text with them, and no more than [`MAX_OPEN_TAGS`] stay open. Both
//! keep the sanitizer's work linear in the length of the text.
//!
//! Fenced code is highlighted ([`highlight`]) and, where a site turns math on, TeX
//! is set as MathML ([`math`]); both are decided by [`RenderOptions`] and happen
//! here, on write, so pages need no script to show them.
//!
//! Long on purpose: the renderer's passes (bounds, raw HTML, sanitizing, excerpts)
//! share its allowed-tag tables; the passes themselves live in markdown/.

pub mod highlight;
pub mod links;
pub mod math;
mod nesting;
mod raw_html;

pub use nesting::MAX_DEPTH;
pub use raw_html::MAX_OPEN_TAGS;

use crate::text::escape_html;
use highlight::{Language, LanguageChoice};
pub use links::SiteLinks;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use raw_html::{Piece, RawHtml};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

/// What a post's HTML depends on beyond its Markdown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderOptions {
    /// Whether TeX between `$`s (and `\(…\)`, `\[…\]`) is math: the site's
    /// `--math` setting.
    pub math: bool,
    /// The language of code blocks that name none: from the question's tags.
    pub code_language: Option<Language>,
    /// Whether search engines may follow the links (the author has the reputation
    /// for it): without, links are `rel="nofollow ugc"`.
    pub follow_links: bool,
    /// The site's address, and the titles of the questions linked to.
    pub site: SiteLinks,
}

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

/// The MathML elements the converter writes: kept by the sanitizer, but never taken
/// from raw HTML a user types.
const MATHML_TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "mfrac",
    "msqrt",
    "mroot",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mmultiscripts",
    "mprescripts",
    "none",
    "mtable",
    "mtr",
    "mtd",
    "mstyle",
    "mpadded",
    "mphantom",
    "menclose",
    "merror",
];

/// The attributes of those elements that the sanitizer keeps (none is a URL,
/// a script or a style).
const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "mathvariant",
    "displaystyle",
    "scriptlevel",
    "stretchy",
    "symmetric",
    "largeop",
    "movablelimits",
    "accent",
    "accentunder",
    "fence",
    "separator",
    "form",
    "lspace",
    "rspace",
    "minsize",
    "maxsize",
    "width",
    "height",
    "depth",
    "voffset",
    "linethickness",
    "columnalign",
    "rowalign",
    "columnspacing",
    "rowspacing",
    "columnlines",
    "rowlines",
    "frame",
    "notation",
    "encoding",
];

/// The sanitizer of posts whose links search engines are not to follow.
static SANITIZER: LazyLock<ammonia::Builder<'static>> =
    LazyLock::new(|| post_sanitizer("nofollow ugc noopener", false));

/// The sanitizer of posts whose links may be followed.
static SANITIZER_FOLLOWED: LazyLock<ammonia::Builder<'static>> =
    LazyLock::new(|| post_sanitizer("ugc noopener", false));

/// The sanitizer of HTML from elsewhere (imported posts): as a post's, but other
/// hosts' images keep their address (pages do not load them; a later copy can).
static IMPORT_SANITIZER: LazyLock<ammonia::Builder<'static>> =
    LazyLock::new(|| post_sanitizer("nofollow ugc noopener", true));

/// The sanitizer of posts, marking links with `rel`; images only from the site's
/// uploads, or also from other hosts when `remote_images`.
fn post_sanitizer(rel: &'static str, remote_images: bool) -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some(rel))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .add_tag_attributes("img", ["width", "height"])
        // Images may come from any host; that host learns no page address.
        .set_tag_attribute_value("img", "referrerpolicy", "no-referrer")
        .add_tag_attributes("th", ["align", "style"])
        .add_tag_attributes("td", ["align", "style"])
        .filter_style_properties(HashSet::from(["text-align"]))
        .add_tags(MATHML_TAGS)
        .add_allowed_classes("span", highlight::CLASSES.iter().map(|(class, _)| *class))
        .add_allowed_classes("code", [math::ERROR_CLASS]);
    for tag in MATHML_TAGS {
        builder.add_tag_attributes(tag, MATHML_ATTRIBUTES);
        builder.add_allowed_classes(tag, math::LAYOUT_CLASSES.iter().map(|(class, _)| *class));
    }
    builder.attribute_filter(move |element, attribute, value| {
        // ammonia allows mailto everywhere a URL goes; an image has no use for it.
        // Images come from the site's own uploads (Markdown images from other hosts
        // are copied or made links before this; raw HTML ones lose their address).
        if element == "img" && attribute == "src" {
            let lower = value.trim_start().to_ascii_lowercase();
            let uploaded = lower.starts_with("/uploads/") && !lower.contains("..");
            let remote = lower.starts_with("http://") || lower.starts_with("https://");
            if !(uploaded || remote_images && remote) {
                return None;
            }
        }
        Some(value.into())
    });
    builder
}

/// The tags raw HTML may use: the sanitizer's but MathML's; raw HTML with any other
/// shows as text.
static ALLOWED_TAGS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let mut tags = SANITIZER.clone_tags();
    tags.retain(|tag| !MATHML_TAGS.contains(tag));
    tags
});

/// The parser's events for `markdown`, nesting bounded and raw HTML split into
/// markup we keep and text shown as typed.
fn events(markdown: &str) -> impl Iterator<Item = Event<'_>> {
    events_with(markdown, parser_options())
}

/// [`events`] with the parser's `options`.
fn events_with(markdown: &str, options: Options) -> impl Iterator<Item = Event<'_>> {
    let mut raw = RawHtml::new(&ALLOWED_TAGS);
    // An HTML block arrives a line at a time; a tag may span lines, so the block is
    // split whole.
    let mut block: Option<String> = None;
    nesting::bounded(Parser::new_ext(markdown, options)).flat_map(move |event| match event {
        Event::Start(Tag::HtmlBlock) => {
            block = Some(String::new());
            vec![event]
        }
        Event::Html(line) if block.is_some() => {
            if let Some(text) = block.as_mut() {
                text.push_str(&line);
            }
            Vec::new()
        }
        Event::End(TagEnd::HtmlBlock) => {
            let text = block.take().unwrap_or_default();
            let mut out = split_events(&mut raw, &text, Event::Html);
            out.push(event);
            out
        }
        Event::Html(html) | Event::InlineHtml(html) => {
            split_events(&mut raw, &html, Event::InlineHtml)
        }
        other => vec![other],
    })
}

/// The events of raw `html`: `markup` for what is kept, text for the rest.
fn split_events<'a>(
    raw: &mut RawHtml<'_>,
    html: &str,
    markup: impl Fn(CowStr<'a>) -> Event<'a>,
) -> Vec<Event<'a>> {
    raw.split(html)
        .into_iter()
        .map(|piece| match piece {
            Piece::Markup(s) => markup(CowStr::from(s.to_owned())),
            Piece::Text(s) => Event::Text(CowStr::from(s.to_owned())),
        })
        .collect()
}

/// Renders post Markdown to sanitized HTML, with the default options (no math, no
/// default code language).
pub fn render(markdown: &str) -> SafeHtml {
    render_with(markdown, &RenderOptions::default())
}

/// Renders post Markdown to sanitized HTML: code blocks highlighted and, when
/// `options` say so, math set.
pub fn render_with(markdown: &str, options: &RenderOptions) -> SafeHtml {
    // Text stored before the rule for characters held may carry control characters
    // no page can: each shows as U+FFFD.
    let safe = crate::input::shown_safely(markdown, crate::input::Lines::Many);
    let markdown: &str = &safe;
    let (source, parser_options) = if options.math {
        (
            math::bracket_forms_as_dollars(markdown),
            parser_options() | Options::ENABLE_MATH,
        )
    } else {
        (Cow::Borrowed(markdown), parser_options())
    };
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    let deadline = std::time::Instant::now() + highlight::BUDGET;
    let events = pulldown_cmark::TextMergeStream::new(events_with(&source, parser_options));
    pulldown_cmark::html::push_html(
        &mut raw,
        decorated(
            links::linked(events, &options.site),
            options.code_language,
            deadline,
        ),
    );
    let sanitizer = if options.follow_links {
        &SANITIZER_FOLLOWED
    } else {
        &SANITIZER
    };
    SafeHtml(sanitizer.clean(&raw).to_string())
}

/// The ids of the site's questions `markdown` links to (by path, or under
/// `base_url`), each once, at most [`links::MAX_LINKED`]: what to look up titles for
/// before rendering.
pub fn question_ids(markdown: &str, base_url: &str) -> Vec<i64> {
    links::linked_ids(
        pulldown_cmark::TextMergeStream::new(events(markdown)),
        base_url,
    )
}

/// `events` with code blocks highlighted and formulas set: each becomes one piece of
/// HTML, which the sanitizer still checks.
fn decorated<'a>(
    events: impl Iterator<Item = Event<'a>>,
    default_language: Option<Language>,
    deadline: std::time::Instant,
) -> impl Iterator<Item = Event<'a>> {
    // The open code block: its language and the code gathered so far.
    let mut code: Option<(Option<Language>, String)> = None;
    events.filter_map(move |event| match event {
        Event::Start(Tag::CodeBlock(kind)) => {
            let language = match &kind {
                CodeBlockKind::Fenced(info) => {
                    match highlight::choose(info.split_whitespace().next().unwrap_or("")) {
                        LanguageChoice::Unnamed => default_language,
                        LanguageChoice::Known(language) => Some(language),
                        LanguageChoice::Plain => None,
                    }
                }
                CodeBlockKind::Indented => default_language,
            };
            code = Some((language, String::new()));
            None
        }
        Event::Text(text) if code.is_some() => {
            if let Some((_, gathered)) = code.as_mut() {
                gathered.push_str(&text);
            }
            None
        }
        Event::End(TagEnd::CodeBlock) => {
            let (language, gathered) = code.take().unwrap_or_default();
            let mut html = String::from("<pre><code>");
            match language {
                Some(language) => {
                    html.push_str(&highlight::highlight(&gathered, language, deadline));
                }
                None => html.push_str(&escape_html(&gathered)),
            }
            html.push_str("</code></pre>\n");
            Some(Event::Html(CowStr::from(html)))
        }
        Event::InlineMath(tex) => Some(Event::InlineHtml(CowStr::from(math::render(
            &tex,
            math::Display::Inline,
        )))),
        Event::DisplayMath(tex) => Some(Event::InlineHtml(CowStr::from(math::render(
            &tex,
            math::Display::Block,
        )))),
        other => Some(other),
    })
}

static INLINE_SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .add_tags(["a", "em", "strong", "code", "del"])
        .add_tag_attributes("a", ["href"])
        .link_rel(Some("nofollow ugc noopener"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]));
    builder
});

/// Renders comment Markdown: inline formatting only (emphasis, strong, code,
/// strikethrough, links). Block structure (headings, lists, quotes, code blocks,
/// images, raw HTML) is flattened to its text, so a comment stays one short run.
pub fn render_inline(markdown: &str) -> SafeHtml {
    render_inline_with(markdown, &SiteLinks::default())
}

/// [`render_inline`], with bare URLs as links (titled where `site` knows the
/// question) and the `@handle`s of `site`'s members linking to their pages.
pub fn render_inline_with(markdown: &str, site: &SiteLinks) -> SafeHtml {
    let events = nesting::bounded(Parser::new_ext(markdown, parser_options())).filter_map(
        |event| match event {
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            )
            | Event::Text(_)
            | Event::Code(_) => Some(event),
            Event::SoftBreak | Event::HardBreak => Some(Event::Text(CowStr::Borrowed(" "))),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => Some(Event::Text(CowStr::Borrowed(" "))),
            // Raw HTML shows as the text it is.
            Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
            _ => None,
        },
    );
    let events = links::mentioned(
        links::linked(pulldown_cmark::TextMergeStream::new(events), site),
        &site.members,
    );
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    SafeHtml(INLINE_SANITIZER.clean(raw.trim()).to_string())
}

/// Sanitizes HTML from elsewhere (an imported post, say) with the rules of our own
/// posts, but for keeping the address of other hosts' images.
pub fn sanitize_html(html: &str) -> SafeHtml {
    SafeHtml(IMPORT_SANITIZER.clean(html).to_string())
}

/// The images from other hosts `markdown` shows, each once, at most
/// [`links::MAX_COPIED_IMAGES`]: what to copy into the site before rendering.
pub fn remote_images(markdown: &str) -> Vec<String> {
    links::remote_images(events(markdown))
}

/// The whole plain text of a Markdown document, whitespace folded: what search
/// indexes.
pub fn plain_text(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len());
    for event in events(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => raw.push_str(&t),
            Event::SoftBreak | Event::HardBreak => raw.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
            | Event::Start(Tag::CodeBlock(_)) => raw.push(' '),
            _ => {}
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of sanitized HTML (ours: tags are well formed, entities the usual ones),
/// tags dropped, entities decoded and whitespace folded: for structured data and
/// other places that want words, not markup.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            text.push(' ');
            rest = &rest[end..];
            continue;
        }
        let entity_end = rest.find(';').filter(|&i| i <= 10);
        let decoded = entity_end.and_then(|end| decode_entity(&rest[1..end]));
        match (decoded, entity_end) {
            (Some(c), Some(end)) => {
                text.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                text.push('&');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The character an entity name (between `&` and `;`) stands for.
fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let code = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => name.strip_prefix('#')?.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The plain text of a Markdown document, whitespace folded, cut at a word boundary
/// to at most `max_chars` characters with an ellipsis when cut. For meta
/// descriptions and list excerpts; not HTML (escape it when printing).
pub fn plain_excerpt(markdown: &str, max_chars: usize) -> String {
    let mut raw = String::new();
    for event in events(markdown) {
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
    fn control_characters_stored_before_the_rule_show_as_replacements() {
        let html = render("an escape \u{1b}[31m, a bell \u{7}\nand a NUL \0 kept out").0;
        assert!(!html.contains(['\u{1b}', '\u{7}', '\0']), "{html:?}");
        assert_eq!(html.matches('\u{fffd}').count(), 3, "{html:?}");
        assert!(html.contains("and a NUL"), "{html:?}");
    }

    #[test]
    fn html_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            html_text("<p>Fish &amp; chips &lt;3</p>\n<p>&quot;x&quot; &#39;y&#x27; caf&#233;</p>"),
            "Fish & chips <3 \"x\" 'y' café"
        );
        let rendered = render("A **bold** `x < y` claim & <script>alert(1)</script>");
        // The script shows as the text it was typed as; nothing of it runs.
        assert_eq!(
            html_text(rendered.as_str()),
            "A bold x < y claim & <script>alert(1)</script>"
        );
        assert_eq!(
            html_text("a &unknown; b & c &#xZZ; d"),
            "a &unknown; b & c &#xZZ; d"
        );
        assert_eq!(html_text("<br>"), "");
        assert_eq!(html_text("unclosed <b"), "unclosed");
    }

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
    fn images_only_from_the_sites_uploads() {
        let html = render(
            "![ok](https://e.com/a.png) ![bad](mailto:a@b.c) ![rel](/local.png) ![up](/uploads/ab.png) ![sneaky](/uploads/../ponder.db)",
        );
        let html = html.as_str();
        // Another host's image, not copied, is a link to it.
        assert!(html.contains(r#"<a href="https://e.com/a.png""#), "{html}");
        assert!(!html.contains(r#"src="https://"#), "{html}");
        assert!(html.contains(r#"referrerpolicy="no-referrer""#), "{html}");
        let forged = render(r#"<img src="https://e.com/b.png" referrerpolicy="unsafe-url">"#);
        assert!(
            forged.as_str().contains(r#"referrerpolicy="no-referrer""#)
                && !forged.as_str().contains("unsafe-url"),
            "{}",
            forged.as_str()
        );
        assert!(!html.contains("mailto"), "{html}");
        assert!(!html.contains("/local.png"), "{html}");
        assert!(html.contains(r#"src="/uploads/ab.png""#), "{html}");
        assert!(!html.contains("ponder.db"), "{html}");
    }

    #[test]
    fn comments_keep_only_inline_formatting() {
        let html = render_inline(
            "# Big\n\n*em* **strong** `code` ~~del~~ [link](https://e.com) ![img](https://e.com/x.png)\n\n- item",
        );
        let html = html.as_str();
        assert!(
            !html.contains("<h1")
                && !html.contains("<li")
                && !html.contains("<img")
                && !html.contains("<p>"),
            "{html}"
        );
        assert!(
            html.contains("<em>em</em>")
                && html.contains("<strong>strong</strong>")
                && html.contains("<code>code</code>"),
            "{html}"
        );
        assert!(html.contains("<del>del</del>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://e.com" rel="nofollow ugc noopener">link</a>"#),
            "{html}"
        );
        let raw = render_inline("<b onclick=x()>hi</b><script>alert(1)</script>");
        assert!(
            !raw.as_str().contains("<b") && !raw.as_str().contains("<script"),
            "{}",
            raw.as_str()
        );
        assert!(
            raw.as_str().contains("&lt;script&gt;"),
            "raw HTML shows as text: {}",
            raw.as_str()
        );
    }

    /// Hostile inputs: each must come out without anything that runs.
    fn hostile_inputs() -> Vec<String> {
        let mut inputs: Vec<String> = [
            "<script>alert(1)</script>",
            "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
            "<img src=x onerror=alert(1)>",
            "<img src=\"javascript:alert(1)\">",
            "<svg onload=alert(1)>",
            "<svg><script>alert(1)</script></svg>",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<iframe src=https://evil.example></iframe>",
            "<object data=evil.swf></object><embed src=evil.swf>",
            "<style>body{display:none}</style>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "[x](JAVASCRIPT:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](vbscript:msgbox(1))",
            "![x](javascript:alert(1))",
            "![x](data:image/svg+xml,<svg onload=alert(1)>)",
            "<a href=x onmouseover=alert(1)>x</a>",
            "<p onclick=\"alert(1)\">x</p>",
            "<body onload=alert(1)>",
            "<form action=https://evil.example><input name=p></form>",
            "<meta http-equiv=refresh content=\"0;url=https://evil.example\">",
            "<base href=https://evil.example/>",
            "<link rel=stylesheet href=https://evil.example/x.css>",
            "<scr<script>ipt>alert(1)</script>",
            "<<script>script>alert(1)<</script>/script>",
            "<img src=\"x\" / onerror=\"alert(1)\">",
            "<details open ontoggle=alert(1)>",
            "<a href=\"https://ok.example\" target=_blank>ok</a>",
            "`<script>alert(1)</script>`",
            "<!-- <script>alert(1)</script> -->",
            "<![CDATA[<script>alert(1)</script>]]>",
            "<unclosed <b>bold <i>italic</b> text",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        inputs.push(format!("{}deep", "> ".repeat(1000)));
        inputs.push("`".repeat(30_000));
        inputs.push("*".repeat(30_000));
        inputs.push("[".repeat(15_000) + &"]".repeat(15_000));
        inputs.push("<div>".repeat(5_000));
        inputs
    }

    /// Text may mention anything; what must not survive is a dangerous tag, or a
    /// dangerous attribute or URL inside a tag.
    fn assert_harmless(html: &str, input: &str) {
        let lower = html.to_ascii_lowercase();
        let shown = &input[..input.len().min(60)];
        let mut rest = lower.as_str();
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
            let tag = &rest[start..end];
            let name: String = tag[1..]
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            assert!(
                ![
                    "script", "iframe", "style", "object", "embed", "svg", "math", "form", "meta",
                    "base", "link", "input"
                ]
                .contains(&name.as_str()),
                "<{name}> survived {shown:?}: {}",
                &html[..html.len().min(300)]
            );
            for banned in ["javascript:", "vbscript:", "data:", "target=", "style="] {
                assert!(!tag.contains(banned), "{banned} in {tag} from {shown:?}");
            }
            assert!(
                !tag.split_whitespace()
                    .skip(1)
                    .any(|attr| attr.starts_with("on")),
                "event attribute in {tag} from {shown:?}"
            );
            rest = &rest[end..];
        }
    }

    #[test]
    fn hostile_markdown_renders_harmless() {
        let inputs = hostile_inputs();
        assert!(inputs.len() >= 30);
        for input in &inputs {
            assert_harmless(render(input).as_str(), input);
            assert_harmless(render_inline(input).as_str(), input);
        }
    }

    /// Elements whose content an HTML parser reads as raw text, or holds apart
    /// from the page, and tags no HTML has.
    const SWALLOWING: &[&str] = &[
        "style",
        "script",
        "template",
        "textarea",
        "title",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
        "svg",
        "math",
        "select",
        "object",
        "my-widget",
        "foo",
    ];

    #[test]
    fn tags_outside_the_allowed_set_show_as_typed_and_keep_what_follows() {
        for tag in SWALLOWING {
            let prose =
                format!("Why does the <{tag}> tag in my page head not apply? The rest stays.");
            let html = render(&prose);
            let html = html.as_str();
            assert!(html.contains("The rest stays."), "<{tag}> in prose: {html}");
            assert!(
                html.contains(&format!("&lt;{tag}&gt;")),
                "<{tag}> shown: {html}"
            );
            assert_eq!(
                html_text(html),
                format!("Why does the <{tag}> tag in my page head not apply? The rest stays.")
            );

            let list = format!("- first <{tag}> item\n- second item\n\nAfter the list.");
            let html = render(&list);
            let html = html.as_str();
            assert!(
                html.contains("second item") && html.contains("After the list."),
                "<{tag}> in a list: {html}"
            );
            assert_eq!(html.matches("<li>").count(), 2, "{html}");

            let block = format!("<{tag}>\n\nAfter the block.\n\n</{tag}> and more");
            let html = render(&block);
            assert!(
                html.as_str().contains("After the block.") && html.as_str().contains("and more"),
                "<{tag}> opening a block: {}",
                html.as_str()
            );

            let closed = format!("Before <{tag} class=\"x\">inside</{tag}> after.");
            let html = render(&closed);
            assert!(
                html.as_str().contains("inside") && html.as_str().contains("after."),
                "<{tag}> closed: {}",
                html.as_str()
            );
            assert_harmless(html.as_str(), &closed);
        }
    }

    #[test]
    fn excerpts_and_search_text_say_what_the_page_shows() {
        let body = "Why does the <style> tag not apply?";
        assert_eq!(plain_text(body), "Why does the <style> tag not apply?");
        assert_eq!(
            plain_excerpt(body, 200),
            "Why does the <style> tag not apply?"
        );
        assert_eq!(plain_text("a <b>bold</b> word"), "a bold word");
    }

    #[test]
    fn odd_markup_shows_as_text() {
        for (source, shown) in [
            ("Run <?php echo 1; ?> here.", "&lt;?php echo 1; ?&gt; here."),
            ("A <!DOCTYPE html> line.", "&lt;!DOCTYPE html&gt; line."),
            ("Open <!-- comment and more.", "&lt;!-- comment and more."),
        ] {
            let html = render(source);
            assert!(html.as_str().contains(shown), "{source}: {}", html.as_str());
        }
        let hidden = render("Seen <!-- hidden note --> seen.");
        assert!(
            !hidden.as_str().contains("hidden note"),
            "{}",
            hidden.as_str()
        );
        let kept = render("A <b>bold</b> and <kbd>Ctrl</kbd> word.");
        assert!(kept.as_str().contains("<b>bold</b>") && kept.as_str().contains("<kbd>Ctrl</kbd>"));
    }

    #[test]
    fn nesting_past_the_bound_is_flattened_not_dropped() {
        let quotes = render(&format!("{}deep text", "> ".repeat(200)));
        assert_eq!(quotes.as_str().matches("<blockquote>").count(), MAX_DEPTH);
        assert_eq!(quotes.as_str().matches("</blockquote>").count(), MAX_DEPTH);
        assert!(quotes.as_str().contains("deep text"));

        let lists = render(&format!("{}item", "1. ".repeat(200)));
        assert_eq!(
            lists.as_str().matches("<ol>").count(),
            MAX_DEPTH,
            "{}",
            lists.as_str()
        );
        assert_eq!(lists.as_str().matches("<li>").count(), MAX_DEPTH);
        assert!(lists.as_str().contains("item"));

        let emphasis = render(&format!("{}x{}", "*a ".repeat(100), " b*".repeat(100)));
        assert!(emphasis.as_str().matches("<em>").count() <= MAX_DEPTH);
        assert_eq!(emphasis.as_str().matches('a').count(), 100);

        let shallow = render("> > one\n\n- a\n  - b\n\n*x **y** z*");
        assert_eq!(shallow.as_str().matches("<blockquote>").count(), 2);
        assert_eq!(shallow.as_str().matches("<ul>").count(), 2);
        assert!(shallow.as_str().contains("<em>x <strong>y</strong> z</em>"));

        // The bound is on depth, not on count: containers one after another all stay.
        let side_by_side = render(&"> a quote\n\nprose\n\n".repeat(3 * MAX_DEPTH));
        assert_eq!(
            side_by_side.as_str().matches("<blockquote>").count(),
            3 * MAX_DEPTH
        );
        let emphasis = render(&"*a* **b** ".repeat(2 * MAX_DEPTH));
        assert_eq!(emphasis.as_str().matches("<em>").count(), 2 * MAX_DEPTH);
        assert_eq!(emphasis.as_str().matches("<strong>").count(), 2 * MAX_DEPTH);

        let html = "<div>".repeat(100) + "inside";
        let divs = render(&html);
        assert_eq!(
            divs.as_str().matches("<div>").count(),
            MAX_OPEN_TAGS,
            "{}",
            divs.as_str()
        );
        assert!(divs.as_str().contains("inside"));
    }

    #[test]
    fn the_worst_shapes_render_at_the_body_limit() {
        use crate::posts::BODY_MAX;
        for unit in [
            ">", "> ", "1. ", "+ ", "*a", "<div>", "<b>", "<style>", "[", "![", "<i><b>",
        ] {
            let body = unit.repeat(BODY_MAX / unit.len());
            let html = render(&body);
            assert!(html.as_str().matches("<blockquote>").count() <= MAX_DEPTH);
            assert!(html.as_str().matches("<div>").count() <= MAX_OPEN_TAGS);
            assert!(
                html.as_str().len() < 40 * BODY_MAX,
                "{unit}: {} bytes",
                html.as_str().len()
            );
            assert_harmless(render_inline(&body).as_str(), &body);
        }
    }

    fn with_math() -> RenderOptions {
        RenderOptions {
            math: true,
            ..RenderOptions::default()
        }
    }

    #[test]
    fn fenced_code_is_highlighted_in_its_language_or_the_default() {
        let html = render("```rust\nfn main() {}\n```");
        assert!(
            html.as_str()
                .contains(r#"<pre><code><span class="hl-keyword">fn </span>"#),
            "{}",
            html.as_str()
        );
        // No language named and no default: plain, as before.
        let plain = render("```\nfn main() {}\n```\n\n    fn indented() {}\n");
        assert!(!plain.as_str().contains("<span"), "{}", plain.as_str());
        let options = RenderOptions {
            code_language: highlight::language("python"),
            ..RenderOptions::default()
        };
        let defaulted = render_with(
            "```\ndef f(): pass\n```\n\n    def g(): pass\n\n```text\ndef h(): pass\n```\n\n```js\nlet x;\n```\n",
            &options,
        );
        let html = defaulted.as_str();
        assert_eq!(
            html.matches(r#"<span class="hl-keyword">def"#).count(),
            2,
            "{html}"
        );
        assert!(html.contains("<pre><code>def h(): pass"), "{html}");
        assert!(html.contains(r#"<span class="hl-keyword">let"#), "{html}");
        // In lists and quotes too, and the code's text is kept whole.
        let nested =
            render("- item\n\n  ```c\n  int x = a < b;\n  ```\n\n> ```sql\n> SELECT 1;\n> ```\n");
        let html = nested.as_str();
        assert!(
            html.contains(r#"<span class="hl-keyword">int"#)
                || html.contains(r#"<span class="hl-type">int"#),
            "{html}"
        );
        assert!(html.contains("&lt;"), "{html}");
        assert!(
            html.contains(r#"<span class="hl-keyword">SELECT"#),
            "{html}"
        );
        assert_eq!(html_text(html).replace(' ', ""), "itemintx=a<b;SELECT1;");
    }

    #[test]
    fn only_our_classes_survive_and_code_blocks_stay_escaped() {
        let forged = render(
            r#"<span class="hl-keyword evil">x</span><code class="math-error x">y</code><span class="hl-nope">z</span>"#,
        );
        let html = forged.as_str();
        assert!(
            html.contains(r#"<span class="hl-keyword">x</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<code class="math-error">y</code>"#),
            "{html}"
        );
        assert!(
            !html.contains("evil") && !html.contains("hl-nope"),
            "{html}"
        );
        let code = render("```html\n<script>alert(1)</script><img src=x onerror=alert(1)>\n```");
        assert_harmless(code.as_str(), "highlighted html");
        assert!(
            code.as_str()
                .contains(r#"&lt;<span class="hl-tag">script</span>&gt;"#),
            "{}",
            code.as_str()
        );
    }

    #[test]
    fn math_is_mathml_only_when_turned_on() {
        let source = "Area $\\pi r^2$ and\n\n$$\\frac{a}{b}$$\n";
        let off = render(source);
        assert!(!off.as_str().contains("<math"), "{}", off.as_str());
        assert!(off.as_str().contains("$\\pi r^2$"), "{}", off.as_str());
        let on = render_with(source, &with_math());
        let html = on.as_str();
        assert_eq!(html.matches("<math").count(), 2, "{html}");
        assert!(html.contains("display=\"block\""), "{html}");
        assert!(
            html.contains("<mfrac>") && html.contains("<msup>"),
            "{html}"
        );
        assert!(html.contains("π"), "{html}");
        let brackets = render_with("so \\(x_1\\) and \\[y\\]", &with_math());
        assert_eq!(
            brackets.as_str().matches("<math").count(),
            2,
            "{}",
            brackets.as_str()
        );
    }

    /// `html` with each `<name …/>` written `<name …></name>` and no-break spaces as
    /// entities, as the sanitizer writes them.
    fn expand_empty_elements(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(end) = rest.find("/>") {
            let start = rest[..end].rfind('<').unwrap_or(0);
            let name: String = rest[start + 1..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            out.push_str(&rest[..end]);
            out.push_str(&format!("></{name}>"));
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out.replace('\u{a0}', "&nbsp;")
    }

    #[test]
    fn the_sanitizer_keeps_all_the_converter_writes() {
        for tex in [
            "\\frac{a}{b}",
            "\\sqrt[3]{x} + \\sqrt{y}",
            "\\sum_{i=0}^{n} i^2 = \\int_0^1 f(x)\\,dx",
            "\\left(\\frac{a}{b}\\right) \\leq \\lvert x \\rvert",
            "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
            "\\begin{aligned} x &= 1 \\\\ y &= 2 \\end{aligned}",
            "\\mathbb{R} \\mathcal{O}(n \\log n) \\hat{x} \\overline{AB} \\vec{v}",
            "\\text{if } x > 0 \\quad \\lim_{n \\to \\infty} \\binom{n}{k}",
            "a \\bmod b \\pmod{p} \\underbrace{x+y}_{z} \\overset{!}{=}",
        ] {
            for display in [math::Display::Inline, math::Display::Block] {
                let converted = math::render(tex, display);
                assert!(converted.starts_with("<math"), "{tex}: {converted}");
                let kept = sanitize_html(&converted);
                assert_eq!(kept.as_str(), expand_empty_elements(&converted), "{tex}");
            }
        }
    }

    #[test]
    fn dollars_in_prose_and_code_are_not_math() {
        for prose in [
            "It costs $5 and $10 in total.",
            "Between $5 and $10.",
            "I paid $20, you paid $30",
            "A $ sign alone",
            "Price: 5$ or 6$.",
            "`$x$` in code",
            "```\n$$y$$\n```",
            "    $indented$ code",
            "Escaped \\$x\\$ dollars",
        ] {
            let html = render_with(prose, &with_math());
            assert!(
                !html.as_str().contains("<math"),
                "{prose}: {}",
                html.as_str()
            );
            assert!(html.as_str().contains('$'), "{prose}: {}", html.as_str());
        }
        let mixed = render_with("$5 and $x$ and `$y$`", &with_math());
        assert_eq!(
            mixed.as_str().matches("<math").count(),
            1,
            "{}",
            mixed.as_str()
        );
    }

    #[test]
    fn invalid_tex_shows_marked_and_nothing_typed_becomes_markup() {
        let html = render_with("Bad $x^$ and $\\nosuch{y}$ here", &with_math());
        assert_eq!(
            html.as_str().matches("math-error").count(),
            2,
            "{}",
            html.as_str()
        );
        assert!(
            html.as_str().contains(r#"<code class="math-error""#),
            "{}",
            html.as_str()
        );
        let sneaky = render_with(
            "$\\text{<script>alert(1)</script>}$ <math><mi>x</mi></math> $x$",
            &with_math(),
        );
        let html = sneaky.as_str();
        assert!(!html.contains("<script"), "{html}");
        // Raw MathML typed by a user shows as text; only the converter's is kept.
        assert!(html.contains("&lt;math&gt;"), "{html}");
        assert_eq!(html.matches("<math").count(), 2, "{html}");
        assert!(
            render_with("$x$", &RenderOptions::default())
                .as_str()
                .contains("$x$")
        );
    }

    fn site() -> SiteLinks {
        SiteLinks {
            base_url: "https://ask.example.org".into(),
            titles: [(7, "Why is <b> bold?".to_owned())].into_iter().collect(),
            members: [("ann".to_owned(), "/users/3".to_owned())]
                .into_iter()
                .collect(),
            images: [(
                "https://img.example/a.png".to_owned(),
                "/uploads/aa.png".to_owned(),
            )]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn other_hosts_images_show_from_the_copy_or_as_links() {
        let options = RenderOptions {
            site: site(),
            ..RenderOptions::default()
        };
        let html = render_with(
            "![copied](https://img.example/a.png) ![not copied](https://img.example/b.png) ![](http://img.example/c.png) ![local](/uploads/bb.png) <img src=\"https://img.example/raw.png\" alt=\"raw\">",
            &options,
        );
        let html = html.as_str();
        assert!(
            html.contains(r#"<img src="/uploads/aa.png" alt="copied""#),
            "{html}"
        );
        assert!(
            html.contains(
                r#"<a href="https://img.example/b.png" rel="nofollow ugc noopener">not copied</a>"#
            ),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="http://img.example/c.png" rel="nofollow ugc noopener">http://img.example/c.png</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<img src="/uploads/bb.png" alt="local""#),
            "{html}"
        );
        assert!(
            !html.contains(r#"src="https://"#),
            "no page loads another host's image: {html}"
        );
        assert_eq!(
            remote_images(
                "![a](https://x.org/1.png) ![b](https://x.org/1.png) ![c](/uploads/x.png) `![d](https://x.org/2.png)` ![e](http://y.org/2.gif)"
            ),
            ["https://x.org/1.png", "http://y.org/2.gif"]
        );
        let many: String = (0..30)
            .map(|i| format!("![i](https://x.org/{i}.png) "))
            .collect();
        assert_eq!(remote_images(&many).len(), links::MAX_COPIED_IMAGES);
        // Imported HTML keeps the address, for a later copy; pages do not load it.
        assert!(
            sanitize_html(r#"<img src="https://i.example/x.png" alt="x">"#)
                .as_str()
                .contains("https://i.example/x.png")
        );
    }

    #[test]
    fn bare_urls_become_links_followed_only_for_trusted_authors() {
        let text =
            "See https://example.com/a_(b). and `https://in.code` or\n\n```\nhttps://in.block\n```";
        let html = render(text);
        let html = html.as_str();
        assert!(
            html.contains(r#"<a href="https://example.com/a_(b)" rel="nofollow ugc noopener">https://example.com/a_(b)</a>."#),
            "{html}"
        );
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
        let trusted = RenderOptions {
            follow_links: true,
            ..RenderOptions::default()
        };
        let followed = render_with("[x](https://e.org) and https://f.org", &trusted);
        assert_eq!(
            followed.as_str().matches(r#"rel="ugc noopener""#).count(),
            2,
            "{}",
            followed.as_str()
        );
        assert!(!followed.as_str().contains("nofollow"));
        // An URL already in a link stays one link.
        let linked = render("[https://a.org](https://a.org) <https://b.org>");
        assert_eq!(
            linked.as_str().matches("<a ").count(),
            2,
            "{}",
            linked.as_str()
        );
    }

    #[test]
    fn links_to_site_questions_show_their_titles() {
        let options = RenderOptions {
            site: site(),
            ..RenderOptions::default()
        };
        let html = render_with(
            "Bare https://ask.example.org/questions/7/slug, angled <https://ask.example.org/questions/7>, by path [/questions/7](/questions/7), named [my words](/questions/7), unknown https://ask.example.org/questions/8 and `https://ask.example.org/questions/7` in code.",
            &options,
        );
        let html = html.as_str();
        assert_eq!(
            html.matches(">Why is &lt;b&gt; bold?</a>").count(),
            3,
            "{html}"
        );
        assert!(html.contains(">my words</a>"), "{html}");
        assert!(
            html.contains(">https://ask.example.org/questions/8</a>"),
            "{html}"
        );
        assert!(
            html.contains("<code>https://ask.example.org/questions/7</code>"),
            "{html}"
        );
        assert_eq!(
            question_ids(
                "https://ask.example.org/questions/7 [a](/questions/9) [b](/questions/7) `/questions/5` https://other.org/questions/4\n\n```\nhttps://ask.example.org/questions/6\n```\n\nthen https://ask.example.org/questions/8",
                "https://ask.example.org"
            ),
            [7, 9, 8]
        );
        let many: String = (1..=80).map(|i| format!("/questions/{i} ")).collect();
        let many = many
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(|p| format!("[x]({p})"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(question_ids(&many, "").len(), links::MAX_LINKED);
    }

    #[test]
    fn comments_link_mentions_of_members_and_bare_urls() {
        let html = render_inline_with(
            "@ann and @Ann. see https://e.org, not @bob, not x@ann.org, not `@ann`",
            &site(),
        );
        let html = html.as_str();
        assert_eq!(
            html.matches(r#"<a href="/users/3" rel="nofollow ugc noopener">@ann</a>"#)
                .count(),
            1,
            "{html}"
        );
        assert!(html.contains(r#">@Ann</a>."#), "{html}");
        assert!(
            html.contains(
                r#"<a href="https://e.org" rel="nofollow ugc noopener">https://e.org</a>,"#
            ),
            "{html}"
        );
        assert!(html.contains("not @bob"), "{html}");
        assert!(html.contains("x@ann.org"), "{html}");
        assert!(html.contains("<code>@ann</code>"), "{html}");
        assert_eq!(
            render_inline_with("hi @ann, bye", &site()).as_str(),
            r#"hi <a href="/users/3" rel="nofollow ugc noopener">@ann</a>, bye"#
        );
        // Not inside a link, and not straight after a handle.
        let linked = render_inline_with("[@ann](https://x.org) @ann@ann", &site());
        assert_eq!(
            linked.as_str().matches(r#"href="/users/3""#).count(),
            1,
            "{}",
            linked.as_str()
        );
        assert!(
            linked.as_str().contains(">@ann</a>@ann"),
            "{}",
            linked.as_str()
        );
        assert!(!render_inline("@ann").as_str().contains("<a"));
    }

    #[test]
    fn plain_text_keeps_everything() {
        assert_eq!(
            plain_text("# A\n\nb **c**\n\n```\ncode here\n```"),
            "A b c code here"
        );
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
