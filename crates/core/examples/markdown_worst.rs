//! Renders the worst-shaped Markdown bodies we know of, each at the body limit, and
//! prints how long each takes: `cargo run --release -p ponder-core --example
//! markdown_worst` (what `bench/markdown.sh` runs).

use ponder_core::markdown::{plain_excerpt, render, render_inline};
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
    ]
}

fn main() {
    println!(
        "{:<20} {:>8} {:>10} {:>10} {:>10}",
        "shape", "chars", "render", "inline", "excerpt"
    );
    let mut worst = 0.0f64;
    for (name, body) in shapes() {
        let start = Instant::now();
        let html = render(&body);
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
