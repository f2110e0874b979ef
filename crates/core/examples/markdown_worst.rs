//! Renders the worst-shaped Markdown bodies we know of, each at the body limit, and
//! prints how long each takes: `cargo run --release -p ponder-core --example
//! markdown_worst` (what `bench/markdown.sh` runs). Bodies are rendered as on a site
//! with math on and a default code language; code and math shapes come last.

use ponder_core::markdown::highlight::{self, MAX_LINE_BYTES};
use ponder_core::markdown::{RenderOptions, plain_excerpt, render_inline, render_with};
use ponder_core::posts::BODY_MAX;
use std::time::Instant;

/// Repeats `unit` until the text would pass `BODY_MAX` characters.
fn fill(unit: &str) -> String {
    let n = BODY_MAX / unit.chars().count().max(1);
    unit.repeat(n)
}

/// The shapes: nesting of every kind, unmatched openers, and tables that pad rows.
fn shapes() -> Vec<(&'static str, String)> {
    let half = BODY_MAX / 2;
    let columns = BODY_MAX / 8;
    vec![
        ("quotes >>>>", fill(">")),
        ("quotes > > >", fill("> ")),
        ("brackets [[[ ]]]", "[".repeat(half) + &"]".repeat(half)),
        ("brackets [[[", fill("[")),
        ("stars ***", fill("*")),
        ("stars *a", fill("*a")),
        ("strong **a", fill("**a ")),
        ("underscores _a", fill("_a")),
        ("list - - -", fill("- ")),
        ("list + + +", fill("+ ")),
        ("list 1. 1.", fill("1. ")),
        (
            "indented lists",
            (0..180)
                .map(|i| format!("{}- x\n", " ".repeat(i * 2)))
                .collect(),
        ),
        ("nested <div>", fill("<div>")),
        ("nested <b>", fill("<b>")),
        ("nested <i><b>", fill("<i><b>")),
        ("unclosed <style>", fill("<style>")),
        ("backticks", fill("`")),
        ("images ![", fill("![")),
        ("links [a](", fill("[a](")),
        ("link refs", fill("[a]: ")),
        (
            "padded table",
            format!(
                "{}\n{}\n{}",
                "|a".repeat(columns),
                "|-".repeat(columns),
                "|\n".repeat(half / 2)
            ),
        ),
        ("entities &amp;", fill("&amp;")),
        (
            "reopened formatting",
            (0..40)
                .map(|i| format!("<b title={i}>"))
                .collect::<String>()
                + &fill("x\n\n"),
        ),
        ("quoted paragraphs", fill("> x\n>\n")),
        (
            "plain prose",
            fill("The quick brown fox jumps over the lazy dog. "),
        ),
        ("dollars $5", fill("$5 and ")),
        ("formulas $x^2$", fill("$x^{2}_i + \\frac{a}{b}$ ")),
        (
            "display formulas",
            fill("$$\\sum_{i=0}^{n} \\sqrt{x_i}$$\n\n"),
        ),
        ("bracket forms \\(", fill("\\(")),
        ("bracket pairs \\(x\\)", fill("\\(x\\) ")),
        (
            "deep formulas",
            fill(&format!("${}x{}$ ", "{".repeat(24), "}".repeat(24))),
        ),
        ("unpaired $", fill("$")),
    ]
}

/// Code blocks at the body limit: ordinary code in the common languages, and lines
/// at the longest highlighted made of what grammars find hardest.
fn code_shapes() -> Vec<(String, String)> {
    let samples = [
        (
            "rust",
            "fn main() {\n    let v: Vec<u32> = (0..10).map(|x| x * 2).collect(); // twice\n    println!(\"{v:?}\");\n}\n",
        ),
        (
            "python",
            "def f(x: int) -> str:\n    \"\"\"Doc.\"\"\"\n    return f\"{x!r:>10}\"  # fmt\n",
        ),
        (
            "javascript",
            "const f = async (a, b) => { return `${a}` + /re[a-z]+/g.test(b); };\n",
        ),
        (
            "typescript",
            "interface A<T> { x: T[]; }\nconst y: A<number> = { x: [1, 2] };\n",
        ),
        (
            "cpp",
            "#include <vector>\ntemplate <typename T> T f(std::vector<T>& v) { return v[0]; }\n",
        ),
        (
            "csharp",
            "public class A { public int X { get; set; } = 1; }\n",
        ),
        (
            "java",
            "public static void main(String[] args) { System.out.println(\"x\"); }\n",
        ),
        ("go", "func f(x int) (int, error) { return x, nil }\n"),
        ("php", "<?php echo \"$x {$y['z']}\"; ?>\n"),
        ("ruby", "def f(x) = x.map { |y| \"#{y}\" }\n"),
        (
            "sql",
            "SELECT a, COUNT(*) FROM t WHERE b = 'x' GROUP BY a HAVING COUNT(*) > 1;\n",
        ),
        (
            "bash",
            "for f in *.txt; do echo \"${f%.txt}\" | sed 's/a/b/g'; done\n",
        ),
        (
            "html",
            "<div class=\"a\" data-x='1'><script>var x = 1;</script><style>a{b:c}</style></div>\n",
        ),
        (
            "css",
            "a:hover > .b::after { content: \"x\"; color: #fff !important; }\n",
        ),
        ("json", "{\"a\": [1, 2.5e3, true, null, {\"b\": \"c\"}]}\n"),
        (
            "yaml",
            "key: &anchor\n  - item: \"x\"\n    other: *anchor\n",
        ),
    ];
    let mut shapes: Vec<(String, String)> = samples
        .iter()
        .map(|(lang, sample)| (format!("code {lang}"), fenced(lang, sample)))
        .collect();
    for unit in ["\"", "/*", "(", "\\", "'a", "<a ", "${", "`", "#", "a"] {
        for lang in [
            "rust",
            "javascript",
            "python",
            "bash",
            "html",
            "php",
            "cpp",
            "ruby",
        ] {
            let line = unit.repeat((MAX_LINE_BYTES - 1) / unit.len());
            shapes.push((
                format!("lines {unit} {lang}"),
                fenced(lang, &format!("{line}\n")),
            ));
        }
    }
    shapes
}

/// A fenced block of `lang` filled with `sample` to the body limit.
fn fenced(lang: &str, sample: &str) -> String {
    let room = BODY_MAX - lang.len() - 8;
    let code = sample.repeat(room / sample.chars().count().max(1));
    format!("```{lang}\n{code}```\n")
}

fn main() {
    println!(
        "{:<20} {:>8} {:>10} {:>10} {:>10}",
        "shape", "chars", "render", "inline", "excerpt"
    );
    let options = RenderOptions {
        math: true,
        code_language: highlight::language("rust"),
        ..RenderOptions::default()
    };
    let mut worst = 0.0f64;
    let all = shapes()
        .into_iter()
        .map(|(name, body)| (name.to_owned(), body))
        .chain(code_shapes());
    for (name, body) in all {
        // Once to load the grammar and compile its patterns, then timed.
        let _ = render_with(&body, &options);
        let start = Instant::now();
        let html = render_with(&body, &options);
        let full = start.elapsed().as_secs_f64() * 1000.0;
        let start = Instant::now();
        let _ = render_inline(&body);
        let inline = start.elapsed().as_secs_f64() * 1000.0;
        let start = Instant::now();
        let _ = plain_excerpt(&body, 200);
        let excerpt = start.elapsed().as_secs_f64() * 1000.0;
        worst = worst.max(full).max(inline);
        println!(
            "{name:<20} {:>8} {full:>8.1}ms {inline:>8.1}ms {excerpt:>8.1}ms  ({} bytes out)",
            body.chars().count(),
            html.as_str().len()
        );
    }
    println!("slowest: {worst:.1} ms");
}
