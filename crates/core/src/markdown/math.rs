//! TeX formulas to MathML, which browsers lay out without scripts: `$…$` and `\(…\)`
//! inline, `$$…$$` and `\[…\]` on their own lines. Only on sites that turn math on,
//! since `$` is common in prose.
//!
//! Dollars follow the rules of pulldown-cmark's math extension (those of GitHub and
//! pandoc): an opening `$` is not followed by a space and a closing one is not
//! preceded by one, so "$5 and $10" stays prose. Code spans and blocks are never
//! math. The bracket forms are found outside code ([`bracket_forms_as_dollars`]) and
//! handed to the parser as dollars.
//!
//! The converter lays out some things (aligned columns, equation tags, rules in
//! arrays) with `style` attributes, which the site's content security policy would
//! refuse; [`styles_as_classes`] writes the ones that matter as classes of ours
//! ([`LAYOUT_CLASSES`]) that the style sheet defines, and drops the rest (colours,
//! sizes).
//!
//! The conversion (the `math-core` crate) has no bound of its own on how deeply
//! groups nest, so a formula deeper than [`MAX_NESTING`] or longer than
//! [`MAX_FORMULA_BYTES`] is not converted: like invalid TeX, it shows as its source
//! with a mark ([`ERROR_CLASS`]) and the reason in a title.

use crate::text::escape_html;
use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::ops::Range;
use std::sync::LazyLock;

/// The longest formula converted.
pub const MAX_FORMULA_BYTES: usize = 4_000;

/// The most groups (`{`, `\left`, `\begin`) a formula may have open at once.
pub const MAX_NESTING: usize = 24;

/// The class of a formula that could not be converted.
pub const ERROR_CLASS: &str = "math-error";

/// The layout classes: each with the style declaration it stands for, as the
/// converter writes it (spaces and case folded).
pub const LAYOUT_CLASSES: &[(&str, &str)] = &[
    ("math-left", "text-align:left"),
    ("math-right", "text-align:right"),
    ("math-center", "text-align:center"),
    ("math-flush-left", "padding-left:0"),
    ("math-flush-right", "padding-right:0"),
    ("math-full", "width:100%"),
    ("math-half", "width:50%"),
    ("math-tag", "width:7.5%"),
    ("math-rule", "border-top:0.05emsolidcurrentcolor"),
    ("math-dashed", "border-top:0.05emdashedcurrentcolor"),
];

/// The converter, made once.
static CONVERTER: LazyLock<Option<LatexToMathML>> =
    LazyLock::new(|| LatexToMathML::new(MathCoreConfig::default()).ok());

/// How a formula is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// In the line of text.
    Inline,
    /// On its own line, centred.
    Block,
}

/// Why a formula was not converted.
fn refusal(tex: &str) -> Option<String> {
    if tex.len() > MAX_FORMULA_BYTES {
        return Some(format!(
            "formulas longer than {MAX_FORMULA_BYTES} characters are not set"
        ));
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut rest = tex;
    while let Some(c) = rest.chars().next() {
        let step = if rest.starts_with("\\left") || rest.starts_with("\\begin") {
            depth += 1;
            if rest.starts_with("\\left") { 5 } else { 6 }
        } else if rest.starts_with("\\right") || rest.starts_with("\\end") {
            depth = depth.saturating_sub(1);
            if rest.starts_with("\\right") { 6 } else { 4 }
        } else if rest.starts_with("\\{") || rest.starts_with("\\}") {
            2
        } else {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            c.len_utf8()
        };
        deepest = deepest.max(depth);
        rest = &rest[step..];
    }
    (deepest > MAX_NESTING)
        .then(|| format!("formulas nested more than {MAX_NESTING} groups deep are not set"))
}

/// The HTML of formula `tex`: MathML, or the source marked as an error.
pub fn render(tex: &str, display: Display) -> String {
    let converted = match refusal(tex) {
        Some(reason) => Err(reason),
        None => match CONVERTER.as_ref() {
            Some(converter) => converter
                .convert_with_local_state(
                    tex,
                    match display {
                        Display::Inline => MathDisplay::Inline,
                        Display::Block => MathDisplay::Block,
                    },
                )
                .map(|result| styles_as_classes(&result.mathml))
                .map_err(|error| error.to_string()),
            None => Err("math is not available".to_owned()),
        },
    };
    match converted {
        Ok(mathml) => mathml,
        Err(reason) => {
            let (open, close) = match display {
                Display::Inline => ("$", "$"),
                Display::Block => ("$$", "$$"),
            };
            format!(
                "<code class=\"{ERROR_CLASS}\" title=\"{}\">{}</code>",
                escape_html(&format!("Not set: {reason}")),
                escape_html(&format!("{open}{tex}{close}"))
            )
        }
    }
}

/// `mathml` with each `style="…"` attribute written as `class="…"` with the
/// [`LAYOUT_CLASSES`] of its declarations; declarations without one are dropped, and
/// so is an attribute left empty.
pub fn styles_as_classes(mathml: &str) -> String {
    const OPEN: &str = " style=\"";
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let value_start = start + OPEN.len();
        let Some(length) = rest[value_start..].find('"') else {
            rest = &rest[start..];
            break;
        };
        let value = &rest[value_start..value_start + length];
        let classes: Vec<&str> = value
            .split(';')
            .filter_map(|declaration| {
                let folded: String = declaration
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                LAYOUT_CLASSES
                    .iter()
                    .find(|(_, style)| *style == folded)
                    .map(|(class, _)| *class)
            })
            .collect();
        if !classes.is_empty() {
            out.push_str(" class=\"");
            out.push_str(&classes.join(" "));
            out.push('"');
        }
        rest = &rest[value_start + length + 1..];
    }
    out.push_str(rest);
    out
}

/// `markdown` with `\(…\)` written `$…$` and `\[…\]` written `$$…$$`, outside code
/// spans, code blocks and raw HTML; unchanged (borrowed) when it has neither.
/// Spaces just inside `\(…\)` are dropped, as the dollar form does not allow them.
pub fn bracket_forms_as_dollars(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !markdown.contains("\\(") && !markdown.contains("\\[") {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let code = code_ranges(markdown);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut out = String::with_capacity(markdown.len());
    let mut done = 0;
    let mut at = 0;
    while let Some(found) = markdown[at..].find('\\') {
        let start = at + found;
        let form = match markdown.as_bytes().get(start + 1) {
            Some(b'(') => Some(("\\)", false)),
            Some(b'[') => Some(("\\]", true)),
            _ => None,
        };
        let closed = form.filter(|_| !in_code(start)).and_then(|(close, block)| {
            let body_start = start + 2;
            let end = body_start + markdown[body_start..].find(close)?;
            let body = &markdown[body_start..end];
            // Inline math stays in its paragraph; display math may span lines but
            // not a blank one.
            let crosses = if block {
                body.contains("\n\n")
            } else {
                body.contains('\n')
            };
            (!crosses && !in_code(end) && !body.trim().is_empty()).then_some((end, block))
        });
        match closed {
            Some((end, block)) => {
                let body = &markdown[start + 2..end];
                out.push_str(&markdown[done..start]);
                if block {
                    out.push_str("$$");
                    out.push_str(body);
                    out.push_str("$$");
                } else {
                    out.push('$');
                    out.push_str(body.trim());
                    out.push('$');
                }
                done = end + 2;
                at = done;
            }
            // A backslash escapes the next character: skip both (whole).
            None => {
                at = start
                    + 1
                    + markdown[start + 1..]
                        .chars()
                        .next()
                        .map_or(0, char::len_utf8);
            }
        }
    }
    out.push_str(&markdown[done..]);
    std::borrow::Cow::Owned(out)
}

/// The byte ranges of `markdown` that are code or raw HTML.
fn code_ranges(markdown: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
            | Event::Code(_)
            | Event::InlineHtml(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml() {
        let inline = render("x^2 + y_1", Display::Inline);
        assert!(inline.starts_with("<math"), "{inline}");
        assert!(
            inline.contains("<msup>") && inline.contains("<msub>"),
            "{inline}"
        );
        assert!(!inline.contains("display=\"block\""), "{inline}");
        let block = render("\\frac{a}{b}", Display::Block);
        assert!(block.contains("display=\"block\""), "{block}");
        assert!(block.contains("<mfrac>"), "{block}");
    }

    #[test]
    fn invalid_tex_shows_its_source_with_a_mark() {
        let html = render("\\frac{a}{", Display::Inline);
        assert!(html.starts_with("<code class=\"math-error\""), "{html}");
        assert!(html.contains("$\\frac{a}{$"), "{html}");
        let html = render("\\nosuchcommand <b>", Display::Block);
        assert!(html.contains("$$\\nosuchcommand &lt;b&gt;$$"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("title=\"Not set: "), "{html}");
        // Quotes in the source (and in a reason that quotes it) stay inside the
        // attribute: only the two that delimit the title and the class are bare.
        let html = render("\\x\" onmouseover=\"alert(1)", Display::Inline);
        assert_eq!(html.matches('"').count(), 4, "{html}");
        assert!(html.contains("&quot; onmouseover=&quot;alert(1)"), "{html}");
    }

    #[test]
    fn deep_or_long_formulas_are_refused_before_conversion() {
        let deep = format!(
            "{}x{}",
            "{".repeat(MAX_NESTING + 1),
            "}".repeat(MAX_NESTING + 1)
        );
        assert!(render(&deep, Display::Inline).contains(ERROR_CLASS));
        let fine = format!("{}x{}", "{".repeat(MAX_NESTING), "}".repeat(MAX_NESTING));
        assert!(render(&fine, Display::Inline).starts_with("<math"));
        let lefts = format!(
            "{}x{}",
            "\\left(".repeat(MAX_NESTING + 1),
            "\\right)".repeat(MAX_NESTING + 1)
        );
        assert!(render(&lefts, Display::Inline).contains("nested more than"));
        // Escaped braces are characters, not groups.
        let escaped = format!("{}x", "\\{".repeat(MAX_NESTING + 5));
        assert!(refusal(&escaped).is_none());
        let long = "x+".repeat(MAX_FORMULA_BYTES / 2 + 1);
        assert!(render(&long, Display::Inline).contains("longer than"));
        let at_limit = "x".repeat(MAX_FORMULA_BYTES);
        assert!(refusal(&at_limit).is_none());
        // Nesting that closes again does not add up.
        let sequential = "{x}".repeat(MAX_NESTING * 3);
        assert!(refusal(&sequential).is_none());
        let environments = "\\begin{matrix}x\\end{matrix}".repeat(MAX_NESTING * 3);
        assert!(refusal(&environments).is_none());
        let delimiters = "\\left(x\\right)".repeat(MAX_NESTING * 3);
        assert!(refusal(&delimiters).is_none());
    }

    #[test]
    fn layout_styles_become_classes_and_the_rest_is_dropped() {
        assert_eq!(
            styles_as_classes(
                r#"<mtd style="text-align: right;justify-items: end;padding-right: 0;"><mi>x</mi></mtd>"#
            ),
            r#"<mtd class="math-right math-flush-right"><mi>x</mi></mtd>"#
        );
        assert_eq!(
            styles_as_classes(
                r#"<mrow style="color:#ff0000;"><mi style="font-size:2em">x</mi></mrow>"#
            ),
            "<mrow><mi>x</mi></mrow>"
        );
        assert_eq!(
            styles_as_classes(
                r#"<mtable style="Width: 100%"><mtd style="border-top: 0.05em dashed currentcolor;">"#
            ),
            r#"<mtable class="math-full"><mtd class="math-dashed">"#
        );
        assert_eq!(styles_as_classes("<mi>x</mi>"), "<mi>x</mi>");
        assert_eq!(
            styles_as_classes(r#"<mi style="broken>x"#),
            r#"<mi style="broken>x"#
        );
        let aligned = render(
            "\\begin{aligned} x &= 1 \\\\ y &= 2 \\end{aligned}",
            Display::Block,
        );
        assert!(!aligned.contains(" style="), "{aligned}");
        assert!(
            aligned.contains(r#"<mtd class="math-right math-flush-right">"#),
            "{aligned}"
        );
        assert!(
            aligned.contains(r#"<mtd class="math-left math-flush-left">"#),
            "{aligned}"
        );
    }

    #[test]
    fn bracket_forms_turn_into_dollars_outside_code() {
        assert_eq!(bracket_forms_as_dollars("no math"), "no math");
        assert_eq!(bracket_forms_as_dollars("so \\( x \\) is"), "so $x$ is");
        assert_eq!(bracket_forms_as_dollars("\\[\na^2\n\\]"), "$$\na^2\n$$");
        assert_eq!(
            bracket_forms_as_dollars("`\\(x\\)` and \\(y\\)"),
            "`\\(x\\)` and $y$"
        );
        assert_eq!(
            bracket_forms_as_dollars("```\n\\[x\\]\n```\n"),
            "```\n\\[x\\]\n```\n"
        );
        // Unclosed, empty or across paragraphs: left as typed.
        assert_eq!(bracket_forms_as_dollars("\\( open"), "\\( open");
        assert_eq!(bracket_forms_as_dollars("\\(\\)"), "\\(\\)");
        assert_eq!(bracket_forms_as_dollars("\\(a\n\nb\\)"), "\\(a\n\nb\\)");
        assert_eq!(bracket_forms_as_dollars("\\[a\n\nb\\]"), "\\[a\n\nb\\]");
        assert_eq!(bracket_forms_as_dollars("\\(a\nb\\)"), "\\(a\nb\\)");
        assert_eq!(bracket_forms_as_dollars("\\\\é \\(x\\)"), "\\\\é $x$");
        assert_eq!(bracket_forms_as_dollars("\\é \\(x\\)"), "\\é $x$");
        assert_eq!(bracket_forms_as_dollars("ends with \\"), "ends with \\");
    }
}
