//! Raw HTML written in Markdown, made safe to hand to the sanitizer without losing
//! the text around it.
//!
//! An HTML parser reads everything after `<style>`, `<script>`, `<textarea>`,
//! `<template>`, `<plaintext>` and their kin as that element's content, which the
//! sanitizer then drops or mangles: a post that mentions "the <style> tag" in prose
//! lost everything after it. So every tag outside the sanitizer's allowed set, and
//! everything else that starts with `<` but is not a tag we keep (`<?php`,
//! `<!DOCTYPE`, an unclosed comment), becomes text here, escaped and shown as typed.
//! Tags we keep are counted while open: past [`MAX_OPEN_TAGS`] a start tag becomes
//! text too, which bounds the parser's stack of open elements and the work of
//! reopening them in each paragraph.

use std::collections::{HashMap, HashSet};

/// Most raw HTML elements left open at once; start tags past it show as text.
pub const MAX_OPEN_TAGS: usize = 32;

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
];

/// A piece of raw HTML: markup to pass on, or text to escape.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Piece<'a> {
    /// Tags we keep, comments, and the text between them, as written.
    Markup(&'a str),
    /// What must be shown as typed.
    Text(&'a str),
}

/// Splits raw HTML into pieces, remembering which kept elements are open across
/// the calls for one document.
pub(super) struct RawHtml<'s> {
    allowed: &'s HashSet<&'static str>,
    open: HashMap<String, usize>,
    open_total: usize,
}

impl<'s> RawHtml<'s> {
    /// A splitter that keeps the tags in `allowed` (lowercase names).
    pub(super) fn new(allowed: &'s HashSet<&'static str>) -> Self {
        Self {
            allowed,
            open: HashMap::new(),
            open_total: 0,
        }
    }

    /// The pieces of `html`, in order; together they are `html` again.
    pub(super) fn split<'a>(&mut self, html: &'a str) -> Vec<Piece<'a>> {
        let mut pieces = Vec::new();
        let mut plain_from = 0;
        let mut at = 0;
        while let Some(offset) = html[at..].find('<') {
            let start = at + offset;
            let (len, keep) = match tag_at(&html[start..]) {
                Some(Token::Comment(len)) => (len, true),
                Some(Token::Start { name, len }) => (len, self.open_tag(&name)),
                Some(Token::End { name, len }) => (len, self.close_tag(&name)),
                None => (1, false),
            };
            if keep {
                at = start + len;
                continue;
            }
            if plain_from < start {
                pieces.push(Piece::Markup(&html[plain_from..start]));
            }
            pieces.push(Piece::Text(&html[start..start + len]));
            at = start + len;
            plain_from = at;
        }
        if plain_from < html.len() {
            pieces.push(Piece::Markup(&html[plain_from..]));
        }
        pieces
    }

    /// Whether a start tag named `name` is kept, counting it open if so.
    fn open_tag(&mut self, name: &str) -> bool {
        if !self.allowed.contains(name) {
            return false;
        }
        if VOID.contains(&name) {
            return true;
        }
        if self.open_total >= MAX_OPEN_TAGS {
            return false;
        }
        *self.open.entry(name.to_owned()).or_default() += 1;
        self.open_total += 1;
        true
    }

    /// Whether an end tag named `name` is kept, closing one of its kind if open.
    fn close_tag(&mut self, name: &str) -> bool {
        if !self.allowed.contains(name) {
            return false;
        }
        if let Some(count) = self.open.get_mut(name).filter(|c| **c > 0) {
            *count -= 1;
            self.open_total -= 1;
        }
        true
    }
}

/// What starts at a `<`.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    /// A comment closed by `-->`, `len` bytes long.
    Comment(usize),
    /// A start tag, its name lowercased.
    Start { name: String, len: usize },
    /// An end tag, its name lowercased.
    End { name: String, len: usize },
}

/// The comment or tag at the start of `html` (which starts with `<`), if it is a
/// whole one; `None` for anything else (a lone `<`, `<?`, `<!DOCTYPE`, an unclosed
/// tag or comment), which is then shown as text.
fn tag_at(html: &str) -> Option<Token> {
    let rest = &html[1..];
    if let Some(body) = rest.strip_prefix("!--") {
        // The shapes an HTML parser ends earlier than `-->` are left as text.
        if body.starts_with('>') || body.starts_with("->") {
            return None;
        }
        let end = body.find("-->")?;
        if body[..end].contains("--!>") {
            return None;
        }
        return Some(Token::Comment(4 + end + 3));
    }
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(after) => (true, after),
        None => (false, rest),
    };
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name_len = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    let name = rest[..name_len].to_ascii_lowercase();
    let end = attributes_end(&rest[name_len..])?;
    let len = 1 + usize::from(closing) + name_len + end;
    Some(if closing {
        Token::End { name, len }
    } else {
        Token::Start { name, len }
    })
}

/// The length of a tag's attributes up to and including its `>`, read as an HTML
/// tokenizer does: quotes open a value only right after `=`.
fn attributes_end(attrs: &str) -> Option<usize> {
    let bytes = attrs.as_bytes();
    let mut i = 0;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i + 1),
            b'=' => after_equals = true,
            b'"' | b'\'' if after_equals => {
                let quote = bytes[i];
                let close = bytes[i + 1..].iter().position(|&b| b == quote)?;
                i += close + 1;
                after_equals = false;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> HashSet<&'static str> {
        HashSet::from(["b", "i", "div", "p", "br", "img", "a"])
    }

    fn pieces(html: &str) -> Vec<Piece<'_>> {
        let allowed = allowed();
        RawHtml::new(&allowed).split(html)
    }

    #[test]
    fn unknown_tags_become_text_and_known_ones_stay() {
        assert_eq!(
            pieces("<b>bold</b> <style>x"),
            vec![
                Piece::Markup("<b>bold</b> "),
                Piece::Text("<style>"),
                Piece::Markup("x"),
            ]
        );
        assert_eq!(
            pieces("a <Script src=x> b </SCRIPT>"),
            vec![
                Piece::Markup("a "),
                Piece::Text("<Script src=x>"),
                Piece::Markup(" b "),
                Piece::Text("</SCRIPT>"),
            ]
        );
    }

    #[test]
    fn anything_else_starting_with_a_bracket_is_text() {
        for odd in [
            "<?php echo 1; ?>",
            "<!DOCTYPE html>",
            "<![CDATA[x]]>",
            "< b>",
            "<3",
        ] {
            let split = pieces(odd);
            assert_eq!(split.first(), Some(&Piece::Text("<")), "{odd}");
        }
        assert_eq!(
            pieces("<b title=\"x"),
            vec![Piece::Text("<"), Piece::Markup("b title=\"x")]
        );
    }

    #[test]
    fn comments_stay_only_when_closed_plainly() {
        assert_eq!(
            pieces("a<!-- note -->b"),
            vec![Piece::Markup("a<!-- note -->b")]
        );
        assert_eq!(pieces("<!-- open")[0], Piece::Text("<"));
        assert_eq!(pieces("<!--> x -->")[0], Piece::Text("<"));
        assert_eq!(pieces("<!-- a --!> b -->")[0], Piece::Text("<"));
    }

    #[test]
    fn quotes_count_only_in_attribute_values() {
        assert_eq!(
            pieces("<a title=\"x > y\">t</a>"),
            vec![Piece::Markup("<a title=\"x > y\">t</a>")]
        );
        assert_eq!(
            pieces("<a b\"c>d"),
            vec![Piece::Markup("<a b\"c>d")],
            "a quote inside a name does not open a value"
        );
    }

    #[test]
    fn quoted_values_hide_brackets_and_only_a_closed_quote_ends_a_tag() {
        // A tag inside a value is part of the value.
        for whole in [
            "<b title=\"a><style>\"c>",
            "<b title=\"x> <style> y\">z",
            "<b title='x> <style> y'>z",
            "<b title=\"xy> <style> z\">w",
            "<b title=\"a>\"<style>",
            // A quote after a value that ended opens nothing.
            "<b a=1 c\"d>e",
            // A comment hides what is in it, up to its very end.
            "<!--<x>-->y",
        ] {
            assert_eq!(pieces(whole), vec![Piece::Markup(whole)], "{whole}");
        }
        // A value whose quote never closes leaves the tag unfinished: text.
        for open in ["<b title=\"x>y", "<b title= \"x>y"] {
            assert_eq!(
                pieces(open),
                vec![Piece::Text("<"), Piece::Markup(&open[1..])],
                "{open}"
            );
        }
    }

    #[test]
    fn stray_end_tags_close_nothing() {
        let html = format!("<b></b></b></b>{}", "<i>".repeat(MAX_OPEN_TAGS + 1));
        let split = pieces(&html);
        assert_eq!(split.last(), Some(&Piece::Text("<i>")), "{split:?}");
        assert_eq!(split.len(), 2);
    }

    #[test]
    fn open_tags_are_bounded_and_void_ones_not_counted() {
        let html = "<b>".repeat(MAX_OPEN_TAGS + 3);
        let split = pieces(&html);
        assert_eq!(split[0], Piece::Markup(&html[..3 * MAX_OPEN_TAGS]));
        assert_eq!(
            split[1..],
            [Piece::Text("<b>"), Piece::Text("<b>"), Piece::Text("<b>")]
        );
        let closed = "<i>x</i>".repeat(MAX_OPEN_TAGS * 2) + &"<br><img src=a>".repeat(50);
        assert_eq!(pieces(&closed), vec![Piece::Markup(&closed)]);
        // A stray end tag of another name closes nothing.
        let stray = "<b></i>".repeat(MAX_OPEN_TAGS + 1);
        assert!(pieces(&stray).contains(&Piece::Text("<b>")));
    }

    #[test]
    fn pieces_put_together_are_the_input() {
        for html in [
            "",
            "x",
            "<",
            "<b>a</b><style><!-- c -->",
            "a<b c='d>e'>f</b",
        ] {
            let joined: String = pieces(html)
                .into_iter()
                .map(|p| match p {
                    Piece::Markup(s) | Piece::Text(s) => s,
                })
                .collect();
            assert_eq!(joined, html);
        }
    }
}
