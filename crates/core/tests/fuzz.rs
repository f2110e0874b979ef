//! Property tests standing in for a fuzzer (cargo-fuzz needs a nightly toolchain,
//! which this project's machines do not have): Markdown rendering and sanitising
//! get thousands of generated inputs, built from the pieces that have broken
//! renderers before, and must never panic nor let a script through. A failing
//! case is kept by proptest in `proptest-regressions/` and replayed first on
//! every later run.

use ponder_core::markdown::{self, RenderOptions};
use proptest::prelude::*;

/// Fragments of Markdown and HTML that exercise the parser's corners.
const PIECES: &[&str] = &[
    "*",
    "**",
    "_",
    "__",
    "`",
    "```",
    "```rust\n",
    "~~~",
    "\n",
    "\n\n",
    "> ",
    ">> ",
    "- ",
    "* ",
    "1. ",
    "99999999999999999999. ",
    "[",
    "]",
    "](",
    ")",
    "[x]: http://e.org/\n",
    "<",
    ">",
    "<script>alert(1)</script>",
    "</div>",
    "<div>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=//e.org>",
    "![a](",
    "http://example.org/",
    "https://example.org/questions/1/x",
    "$",
    "$$",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "\\frac{1}{2}",
    "|",
    "| a | b |\n|---|---|\n",
    "---",
    "# ",
    "###### ",
    "&",
    "&#0;",
    "&#x202e;",
    "&lt;",
    "\u{202e}",
    "é",
    "\u{0}",
    "\t",
    "    ",
    "<details>",
    "<summary>",
    "<!--",
    "-->",
    "<![CDATA[",
    "@someone",
    "\\",
    "[^1]",
    "[^1]: note\n",
    "<kbd>",
    "<sup>",
];

/// Markdown made of `PIECES` and free text.
fn markdown_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        1 => "[a-z ]{0,12}",
        1 => any::<String>(),
    ];
    proptest::collection::vec(piece, 0..48).prop_map(|parts| parts.concat())
}

/// Whether `html` (a sanitizer's output, where text cannot hold a raw `<`) has a
/// tag that could run a script in a browser: a script or frame element, an event
/// handler attribute, or a `javascript:` address.
fn runs_script(html: &str) -> bool {
    html.split('<').skip(1).any(|rest| {
        let tag = rest
            .split('>')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split([' ', '\t', '\n', '/'])
            .next()
            .unwrap_or_default();
        matches!(
            name,
            "script" | "iframe" | "object" | "embed" | "style" | "base" | "form"
        ) || tag.contains("javascript:")
            || tag.contains("vbscript:")
            || tag.contains("data:text/html")
            || tag
                .split_whitespace()
                .skip(1)
                .any(|attribute| attribute.starts_with("on") && attribute.contains('='))
    })
}

/// Where a failing case is kept, to be replayed first by every later run.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "tests/proptest-regressions/fuzz.txt",
            ),
        )),
        ..ProptestConfig::default()
    }
}

#[test]
fn the_script_check_finds_what_it_looks_for() {
    assert!(runs_script("<p><script>x</script></p>"));
    assert!(runs_script("<a href=\"javascript:alert(1)\">x</a>"));
    assert!(runs_script("<img src=x onerror=alert(1)>"));
    assert!(!runs_script(
        "<p>&lt;script&gt; and javascript: as text</p>"
    ));
    assert!(!runs_script("<a href=\"https://e.org/on=1\">online</a>"));
}

proptest! {
    #![proptest_config(config(1_500))]

    #[test]
    fn rendering_never_panics_and_never_lets_a_script_through(text in markdown_text()) {
        let plain = markdown::render(&text);
        prop_assert!(!runs_script(plain.as_str()), "{}", plain.as_str());
        let math = markdown::render_with(&text, &RenderOptions { math: true, ..RenderOptions::default() });
        prop_assert!(!runs_script(math.as_str()), "{}", math.as_str());
        let inline = markdown::render_inline(&text);
        prop_assert!(!runs_script(inline.as_str()), "{}", inline.as_str());
        let _ = markdown::plain_text(&text);
        let _ = markdown::remote_images(&text);
        let _ = markdown::question_ids(&text, "https://example.org");
    }

    #[test]
    fn sanitising_any_html_leaves_no_script(html in markdown_text()) {
        let clean = markdown::sanitize_html(&html);
        prop_assert!(!runs_script(clean.as_str()), "{}", clean.as_str());
        let _ = markdown::html_text(&html);
    }

    #[test]
    fn excerpts_cut_anywhere_without_panicking(text in markdown_text(), max in 0_usize..300) {
        let excerpt = markdown::plain_excerpt(&text, max);
        prop_assert!(excerpt.chars().count() <= max + 1, "{excerpt:?}");
        let _ = markdown::cut_at_word(&text, max);
    }
}
