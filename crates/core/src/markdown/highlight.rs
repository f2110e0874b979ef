//! Highlighted code blocks: the language of a fence (or of a question's tags) found
//! among the syntaxes we ship, and the code marked up as `<span class="hl-…">` runs
//! that a style sheet colours for light and dark schemes.
//!
//! The syntaxes are Sublime Text's, as curated by the bat project (the `two-face`
//! crate), run by syntect on the pure-Rust `fancy-regex` engine. Their scopes are
//! many and fine-grained; a small theme made here ([`CLASSES`]) folds them into a
//! dozen classes, so the HTML stays short and the style sheet small. syntect picks
//! the most specific of the theme's selectors for each run, as an editor would.
//!
//! Highlighting only adds spans: the text inside, and so what a reader copies, is
//! the code as typed. A block too long, with a line too long, or that the grammar
//! fails on, comes out plain. The grammars' patterns cost more than linear time in
//! the length of a line (a 2,000-character identifier took 200 ms in JavaScript's),
//! so besides those bounds a post's blocks share a time budget
//! ([`BUDGET`], checked after each line): what is left when it runs out is plain.
//! Ordinary code at the 30,000-character body limit takes 30–270 ms (BENCHMARKS.md).
//!
//! Within a line, only the grammar bounds the work: syntect is vendored with a guard
//! against contexts that hand over to each other without consuming anything, which
//! would otherwise loop forever (`vendor/syntect/VENDORED.md`); the tests below hold
//! every grammar to ending on snippets made to confuse it.

use crate::text::write_escaped_html;
use std::str::FromStr;
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use syntect::highlighting::{
    Color, HighlightIterator, HighlightState, Highlighter, ScopeSelectors, Style, StyleModifier,
    Theme, ThemeItem, ThemeSettings,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

/// The longest code block highlighted; a longer one is shown plain.
pub const MAX_BLOCK_BYTES: usize = 64 * 1024;

/// The longest line highlighted; a block with a longer one (minified code, a data
/// dump) is shown plain.
pub const MAX_LINE_BYTES: usize = 1_000;

/// How many times its code's length a block's HTML may grow to (ordinary code
/// grows three to nine times); past it, the block is shown plain rather than stored
/// as a span for every few characters.
pub const MAX_GROWTH: usize = 12;

/// The time one post's code blocks may take to highlight, together.
pub const BUDGET: Duration = Duration::from_millis(300);

/// The classes a run of code may have, each with the scope selectors it stands for.
/// The order is the theme's; syntect takes the most specific match, not the first.
pub const CLASSES: &[(&str, &str)] = &[
    ("hl-comment", "comment, punctuation.definition.comment"),
    ("hl-string", "string, punctuation.definition.string"),
    ("hl-escape", "constant.character.escape"),
    ("hl-regexp", "string.regexp"),
    ("hl-number", "constant.numeric"),
    (
        "hl-constant",
        "constant.language, constant.other, support.constant, variable.other.constant",
    ),
    ("hl-keyword", "keyword, storage, keyword.control"),
    ("hl-operator", "keyword.operator"),
    (
        "hl-type",
        "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, \
         entity.name.trait, entity.other.inherited-class, support.type, support.class",
    ),
    (
        "hl-function",
        "entity.name.function, support.function, variable.function, meta.function-call",
    ),
    ("hl-builtin", "variable.language, support.variable"),
    ("hl-tag", "entity.name.tag"),
    ("hl-attribute", "entity.other.attribute-name"),
    (
        "hl-property",
        "support.type.property-name, meta.mapping.key string, meta.mapping.key",
    ),
    ("hl-heading", "markup.heading"),
    ("hl-inserted", "markup.inserted"),
    ("hl-deleted", "markup.deleted"),
    (
        "hl-annotation",
        "meta.annotation, entity.name.function.decorator",
    ),
];

/// Names a fence or a site setting may use for a language, beyond the syntaxes' own
/// names and file extensions.
const ALIASES: &[(&str, &str)] = &[
    ("c#", "cs"),
    ("csharp", "cs"),
    ("golang", "go"),
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("console", "bash"),
    ("node", "js"),
    ("nodejs", "js"),
    ("javascript", "js"),
    ("typescript", "ts"),
    ("jsx", "js"),
    ("py", "python"),
    ("python3", "python"),
    ("rb", "ruby"),
    ("rs", "rust"),
    ("c++", "cpp"),
    ("objective-c", "m"),
    ("objc", "m"),
    ("yml", "yaml"),
    ("kt", "kotlin"),
    ("postgresql", "sql"),
    ("mysql", "sql"),
    ("sqlite", "sql"),
    ("tsql", "sql"),
    ("docker", "dockerfile"),
    ("patch", "diff"),
    ("xhtml", "html"),
    ("svg", "xml"),
];

/// Fence words that ask for no highlighting at all (not even a question's default).
const PLAIN: &[&str] = &[
    "none",
    "text",
    "plain",
    "plaintext",
    "txt",
    "output",
    "nohighlight",
];

/// The syntaxes, loaded on first use (about a megabyte, compressed in the binary).
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// The class theme: each class's selectors, its index in [`CLASSES`] (plus one) as
/// the "colour" syntect hands back.
static THEME: LazyLock<Theme> = LazyLock::new(|| Theme {
    name: None,
    author: None,
    // No foreground of its own: syntect's default, black, is class 0 (none).
    settings: ThemeSettings::default(),
    scopes: CLASSES
        .iter()
        .enumerate()
        .filter_map(|(index, (_, selectors))| {
            Some(ThemeItem {
                scope: ScopeSelectors::from_str(selectors).ok()?,
                style: StyleModifier {
                    foreground: Some(class_colour(u8::try_from(index + 1).ok()?)),
                    ..StyleModifier::default()
                },
            })
        })
        .collect(),
});

/// The colour that stands for class number `code` (0: no class).
fn class_colour(code: u8) -> Color {
    Color {
        r: code,
        g: 0,
        b: 0,
        a: 0xff,
    }
}

/// The class a highlighted run's style stands for.
fn class_of(style: Style) -> Option<&'static str> {
    let code = usize::from(style.foreground.r);
    code.checked_sub(1)
        .and_then(|index| CLASSES.get(index))
        .map(|(name, _)| *name)
}

/// A language code can be highlighted in.
#[derive(Clone, Copy)]
pub struct Language(&'static SyntaxReference);

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Language").field(&self.0.name).finish()
    }
}

impl PartialEq for Language {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

impl Language {
    /// Its display name, e.g. `Rust`.
    pub fn name(self) -> &'static str {
        &self.0.name
    }
}

/// What a fence's info word (or a tag, or a setting's value) asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LanguageChoice {
    /// Nothing named: the question's default applies.
    Unnamed,
    /// A language we highlight.
    Known(Language),
    /// Named as plain text, or a language we do not know: no highlighting.
    Plain,
}

/// What `word` names: a fence's first word such as `rust`, `lang-js` or `c#`,
/// matched without regard to case against the syntaxes' names and file extensions
/// and a few common aliases.
pub fn choose(word: &str) -> LanguageChoice {
    let word = word.trim();
    if word.is_empty() {
        return LanguageChoice::Unnamed;
    }
    let lower = word.to_ascii_lowercase();
    let lower = lower
        .strip_prefix("lang-")
        .or_else(|| lower.strip_prefix("language-"))
        .unwrap_or(&lower);
    if PLAIN.contains(&lower) {
        return LanguageChoice::Plain;
    }
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower, |(_, to)| to);
    // Case matters for file extensions (`C`, `M`): after the aliases, try the
    // lower-cased word first, then as typed.
    let syntaxes: &'static SyntaxSet = &SYNTAXES;
    syntaxes
        .find_syntax_by_token(token)
        .or_else(|| syntaxes.find_syntax_by_token(word))
        .map_or(LanguageChoice::Plain, |syntax| {
            LanguageChoice::Known(Language(syntax))
        })
}

/// The language a known `word` names, if any.
pub fn language(word: &str) -> Option<Language> {
    match choose(word) {
        LanguageChoice::Known(language) => Some(language),
        LanguageChoice::Unnamed | LanguageChoice::Plain => None,
    }
}

/// Whether `code` is within the bounds that are highlighted.
fn within_bounds(code: &str) -> bool {
    code.len() <= MAX_BLOCK_BYTES && code.lines().all(|line| line.len() <= MAX_LINE_BYTES)
}

/// Appends `text` to `out`, escaped for HTML.
fn escape_into(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = write_escaped_html(out, text);
}

/// The HTML of `code` in `language`: escaped text with `<span class="hl-…">` around
/// the highlighted runs; plain escaped text when the code is out of bounds or the
/// grammar fails on it, and from the first line that ends after `deadline` on.
pub fn highlight(code: &str, language: Language, deadline: Instant) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    if !within_bounds(code) {
        escape_into(&mut out, code);
        return out;
    }
    let highlighter = Highlighter::new(&THEME);
    let mut parse = ParseState::new(language.0);
    let mut state = HighlightState::new(&highlighter, ScopeStack::new());
    let mut spans = Spans::new(&mut out);
    let mut done = 0;
    for line in code.split_inclusive('\n') {
        let Ok(ops) = parse.parse_line(line, &SYNTAXES) else {
            // The grammar failed (a pattern's backtracking ran out): the rest is plain.
            spans.push(None, &code[done..]);
            break;
        };
        for (style, text) in HighlightIterator::new(&mut state, &ops, line, &highlighter) {
            spans.push(class_of(style), text);
        }
        done += line.len();
        if Instant::now() > deadline {
            spans.push(None, &code[done..]);
            break;
        }
    }
    spans.close();
    if out.len() > MAX_GROWTH * code.len() + 1_024 {
        out.clear();
        escape_into(&mut out, code);
    }
    out
}

/// Writes runs of text, opening a span where the class changes. Whitespace joins
/// whatever run is open, so a line's indentation opens no span of its own.
struct Spans<'a> {
    out: &'a mut String,
    open: Option<&'static str>,
}

impl<'a> Spans<'a> {
    fn new(out: &'a mut String) -> Self {
        Self { out, open: None }
    }

    fn push(&mut self, class: Option<&'static str>, text: &str) {
        if class != self.open && !text.trim().is_empty() {
            self.close();
            if let Some(class) = class {
                self.out.push_str("<span class=\"");
                self.out.push_str(class);
                self.out.push_str("\">");
            }
            self.open = class;
        }
        escape_into(self.out, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.out.push_str("</span>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Highlights with time to spare.
    fn highlight_until(code: &str, language: Language) -> String {
        highlight(code, language, Instant::now() + Duration::from_secs(60))
    }

    /// The text of highlighted HTML: spans dropped, the escaper's entities decoded.
    fn text_of(html: &str) -> String {
        let mut text = String::new();
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            text.push_str(&rest[..start]);
            rest = &rest[start
                + rest[start..]
                    .find('>')
                    .map_or(rest.len() - start, |e| e + 1)..];
        }
        text.push_str(rest);
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    fn spans(html: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        for piece in html.split("<span class=\"").skip(1) {
            let (class, rest) = piece.split_once("\">").unwrap_or_default();
            let text = rest.split("</span>").next().unwrap_or_default();
            found.push((class.to_owned(), text_of(text)));
        }
        found
    }

    fn has(html: &str, class: &str, text: &str) -> bool {
        spans(html)
            .iter()
            .any(|(c, t)| c == class && t.contains(text))
    }

    #[test]
    fn the_common_languages_of_q_and_a_sites_are_known() {
        for (word, name) in [
            ("c", "C"),
            ("cpp", "C++"),
            ("C++", "C++"),
            ("c#", "C#"),
            ("csharp", "C#"),
            ("go", "Go"),
            ("golang", "Go"),
            ("java", "Java"),
            ("javascript", "JavaScript"),
            ("js", "JavaScript"),
            ("lang-js", "JavaScript"),
            ("typescript", "TypeScript"),
            ("ts", "TypeScript"),
            ("python", "Python"),
            ("Python", "Python"),
            ("py", "Python"),
            ("ruby", "Ruby"),
            ("rust", "Rust"),
            ("php", "PHP"),
            ("sql", "SQL"),
            ("bash", "Bourne Again Shell (bash)"),
            ("shell", "Bourne Again Shell (bash)"),
            ("sh", "Bourne Again Shell (bash)"),
            ("html", "HTML"),
            ("css", "CSS"),
            ("json", "JSON"),
            ("yaml", "YAML"),
            ("yml", "YAML"),
            ("kotlin", "Kotlin"),
            ("swift", "Swift"),
            ("toml", "TOML"),
            ("diff", "Diff"),
        ] {
            assert_eq!(
                language(word).map(Language::name),
                Some(name),
                "{word} should name {name}"
            );
        }
        assert_eq!(choose("rs"), choose("Rust"));
        assert_ne!(choose("rust"), choose("go"));
        assert_eq!(
            format!("{:?}", language("golang")),
            "Some(Language(\"Go\"))"
        );
        assert_eq!(choose(""), LanguageChoice::Unnamed);
        assert_eq!(choose("  "), LanguageChoice::Unnamed);
        assert_eq!(choose("text"), LanguageChoice::Plain);
        assert_eq!(choose("lang-none"), LanguageChoice::Plain);
        assert_eq!(choose("klingon"), LanguageChoice::Plain);
        assert!(language("none").is_none());
    }

    #[test]
    fn runs_get_the_class_of_what_they_are() {
        let rust = language("rust").map(|l| {
            highlight_until(
                "// says hi\nfn main() {\n    let n = 42;\n    println!(\"hi {n}\\n\");\n}\n",
                l,
            )
        });
        let html = rust.unwrap_or_default();
        assert!(has(&html, "hl-comment", "// says hi"), "{html}");
        assert!(has(&html, "hl-keyword", "fn"), "{html}");
        assert!(has(&html, "hl-keyword", "let"), "{html}");
        assert!(has(&html, "hl-number", "42"), "{html}");
        assert!(has(&html, "hl-string", "\"hi "), "{html}");
        assert!(has(&html, "hl-constant", "{n}"), "{html}");
        assert!(has(&html, "hl-escape", "\\n"), "{html}");
        assert!(has(&html, "hl-function", "main"), "{html}");

        let python = language("python")
            .map(|l| highlight_until("def f(x):\n    return x + 1  # one more\n", l))
            .unwrap_or_default();
        assert!(has(&python, "hl-keyword", "def"), "{python}");
        assert!(has(&python, "hl-function", "f"), "{python}");
        assert!(has(&python, "hl-comment", "# one more"), "{python}");
        assert!(has(&python, "hl-operator", "+"), "{python}");

        let html_code = language("html")
            .map(|l| highlight_until("<a href=\"x\">link</a>", l))
            .unwrap_or_default();
        assert!(has(&html_code, "hl-tag", "a"), "{html_code}");
        assert!(has(&html_code, "hl-attribute", "href"), "{html_code}");

        let diff = language("diff")
            .map(|l| highlight_until("-old line\n+new line\n", l))
            .unwrap_or_default();
        assert!(has(&diff, "hl-deleted", "old line"), "{diff}");
        assert!(has(&diff, "hl-inserted", "new line"), "{diff}");

        let json = language("json")
            .map(|l| highlight_until("{\"key\": true}", l))
            .unwrap_or_default();
        assert!(has(&json, "hl-property", "key"), "{json}");
        assert!(has(&json, "hl-constant", "true"), "{json}");
    }

    #[test]
    fn the_text_inside_is_the_code_as_typed() {
        let code = "if a < b && c > d { s = \"<script>&amp;\"; }\n\n\tx\n";
        for word in ["rust", "c", "javascript", "html", "php", "bash", "sql"] {
            let html = language(word)
                .map(|l| highlight_until(code, l))
                .unwrap_or_default();
            assert_eq!(text_of(&html), code, "{word}: {html}");
            assert!(!html.contains("<script"), "{word}: {html}");
        }
    }

    #[test]
    fn every_class_is_reachable_and_each_selector_parses() {
        for (class, selectors) in CLASSES {
            assert!(class.starts_with("hl-"), "{class}");
            assert!(ScopeSelectors::from_str(selectors).is_ok(), "{selectors}");
        }
        assert_eq!(THEME.scopes.len(), CLASSES.len());
        assert_eq!(class_of(Style::default()), None);
    }

    #[test]
    fn code_out_of_bounds_is_plain_and_whole() {
        let Some(rust) = language("rust") else {
            panic!("rust is known")
        };
        let long_line = format!("let s = \"{}\";\n", "a".repeat(MAX_LINE_BYTES));
        let html = highlight_until(&long_line, rust);
        assert!(!html.contains("<span"), "{html}");
        assert_eq!(text_of(&html), long_line);
        let at_limit = format!("{}\n", "a".repeat(MAX_LINE_BYTES));
        assert_eq!(text_of(&highlight_until(&at_limit, rust)), at_limit);

        let long_block = "let x = 1;\n".repeat(MAX_BLOCK_BYTES / 11 + 1);
        let html = highlight_until(&long_block, rust);
        assert!(!html.contains("<span"));
        assert_eq!(html.len(), long_block.len());
        let short_block = "let x = 1;\n".repeat(10);
        assert!(highlight_until(&short_block, rust).contains("<span"));
        // A few kilobytes of ordinary code: within every bound, highlighted.
        let ordinary = "fn add(a: u32, b: u32) -> u32 { a + b } // sum\n".repeat(100);
        let html = highlight_until(&ordinary, rust);
        assert_eq!(html.matches("hl-comment").count(), 100, "{}", &html[..300]);
        assert_eq!(text_of(&html), ordinary);
    }

    #[test]
    fn code_that_would_grow_too_much_is_plain() {
        let Some(ruby) = language("ruby") else {
            panic!("ruby is known")
        };
        let code = format!("{}\n", "/*".repeat(400)).repeat(10);
        let html = highlight_until(&code, ruby);
        assert!(!html.contains("<span"), "{}", &html[..200]);
        assert_eq!(text_of(&html), code);
    }

    /// Highlights each of `inputs` in its language on a worker thread, and fails
    /// naming the input if one takes longer than `limit` (a grammar that loops
    /// never returns, and the deadline is only looked at between lines).
    fn each_ends_within(inputs: Vec<(Language, String)>, limit: Duration) {
        let (started, progress) = std::sync::mpsc::channel::<usize>();
        let work = inputs.clone();
        let worker = std::thread::spawn(move || {
            for (index, (language, code)) in work.iter().enumerate() {
                if started.send(index).is_err() {
                    return;
                }
                let html = highlight_until(code, *language);
                assert_eq!(text_of(&html), *code, "{language:?}: {code:?}");
            }
        });
        let mut current = None;
        loop {
            match progress.recv_timeout(limit) {
                Ok(index) => current = Some(index),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    let stuck = current.and_then(|index| inputs.get(index));
                    panic!("highlighting did not end within {limit:?}: {stuck:?}");
                }
            }
        }
        assert!(worker.join().is_ok(), "a highlighted text changed");
    }

    #[test]
    fn grammars_that_loop_on_a_lookahead_end() {
        let Some(js) = language("js") else {
            panic!("javascript is known")
        };
        let Some(ts) = language("ts") else {
            panic!("typescript is known")
        };
        let inputs = vec![
            // Two contexts of JavaScript's grammar `set` each other without
            // consuming anything; syntect 5.3 alone never returns from these.
            (js, "/{/ /*".to_owned()),
            (js, "x /*\n".to_owned()),
            (js, "let a = /{/ /* c */;\nlet b = 1;\n".to_owned()),
            (ts, "i < 0 ? (l) : ([i + 1]);\n".to_owned()),
        ];
        each_ends_within(inputs, Duration::from_secs(20));
        // Past the loop, the rest of the block is still highlighted.
        let html = highlight_until("/{/ /*\nlet b = 1;\n", js);
        assert!(html.contains("hl-"), "{html}");
    }

    /// Pieces of code that open, close or switch what a grammar is in.
    const FRAGMENTS: &[&str] = &[
        "\"",
        "'",
        "`",
        "/*",
        "*/",
        "//",
        "/",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "${",
        "#{",
        "#",
        "<?php",
        "?>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "=>",
        "\"\"\"",
        "<<EOF",
        "EOF",
        "\\",
        "<",
        ">",
        "?",
        ":",
        ";",
        "x",
        "1",
        "0x",
        " ",
        "\t",
        "$",
        "@",
        "%",
        "r#\"",
        "{{",
        "}}",
        "<%",
        "%>",
        "--",
        "|",
        "&",
        "=",
        "*",
        ",",
        ".",
        "=begin",
        "\\(",
        "/x/",
        "a:",
        "- ",
        "end",
        "if",
        "<a",
        "\u{1F600}",
        "é",
    ];

    /// `count` pseudo-random snippets of one to three lines of [`FRAGMENTS`],
    /// the same for a given `seed`.
    fn snippets(seed: u64, count: usize) -> Vec<String> {
        let mut state = seed | 1;
        let mut next = move |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % below as u64).unwrap_or(0)
        };
        (0..count)
            .map(|_| {
                let mut code = String::new();
                for _ in 0..=next(3) {
                    for _ in 0..=next(10) {
                        code.push_str(FRAGMENTS[next(FRAGMENTS.len())]);
                    }
                    code.push('\n');
                }
                code
            })
            .collect()
    }

    /// Every grammar we ship, over snippets made to confuse it. The number per
    /// grammar is `PONDER_HIGHLIGHT_SWEEP` (default 60); a longer search, in a release
    /// build: `PONDER_HIGHLIGHT_SWEEP=3000 cargo test --release -p ponder-core every_grammar`.
    #[test]
    fn every_grammar_ends_on_hostile_snippets() {
        let count = std::env::var("PONDER_HIGHLIGHT_SWEEP")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(60);
        let syntaxes: &'static SyntaxSet = &SYNTAXES;
        let mut inputs = Vec::new();
        for (index, syntax) in syntaxes.syntaxes().iter().enumerate() {
            for code in snippets(index as u64 + 7, count) {
                inputs.push((Language(syntax), code));
            }
        }
        assert!(inputs.len() >= 200 * count, "{}", inputs.len());
        each_ends_within(inputs, Duration::from_secs(20));
    }

    #[test]
    fn past_the_deadline_the_rest_is_plain() {
        let Some(rust) = language("rust") else {
            panic!("rust is known")
        };
        let code = "let a = 1;\nlet b = 2;\nlet c = 3;\n";
        let html = highlight(code, rust, Instant::now());
        // The first line is done before the deadline is looked at; the rest is plain.
        assert_eq!(html.matches("hl-keyword").count(), 1, "{html}");
        assert_eq!(text_of(&html), code);
    }
}
