//! Word-level differences between two texts, for the revision history.
//!
//! The texts are split into words and the whitespace between them; the common start
//! and end are matched first, then the middle by longest common subsequence. A middle
//! too large for that (two very different 30,000-character bodies) is shown as one
//! deletion and one insertion, so the work stays bounded.

/// One piece of a difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text in both.
    Same(String),
    /// Text only in the new version.
    Added(String),
    /// Text only in the old version.
    Removed(String),
}

/// The largest middle (old tokens × new tokens) compared token by token.
const MAX_CELLS: usize = 4_000_000;

fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space != Some(space) {
            if i > start {
                out.push(&text[start..i]);
            }
            start = i;
            in_space = Some(space);
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn push(out: &mut Vec<Piece>, piece: Piece) {
    match (out.last_mut(), piece) {
        (Some(Piece::Same(a)), Piece::Same(b))
        | (Some(Piece::Added(a)), Piece::Added(b))
        | (Some(Piece::Removed(a)), Piece::Removed(b)) => a.push_str(&b),
        (_, piece) => out.push(piece),
    }
}

/// The word-level difference from `old` to `new`.
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let a = tokens(old);
    let b = tokens(new);
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out = Vec::new();
    push(&mut out, Piece::Same(a[..prefix].concat()));
    if mid_a.len().saturating_mul(mid_b.len()) > MAX_CELLS {
        push(&mut out, Piece::Removed(mid_a.concat()));
        push(&mut out, Piece::Added(mid_b.concat()));
    } else {
        // lcs[i][j]: longest common subsequence of mid_a[i..] and mid_b[j..].
        let (n, m) = (mid_a.len(), mid_b.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if mid_a[i] == mid_b[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && mid_a[i] == mid_b[j] {
                push(&mut out, Piece::Same(mid_a[i].to_owned()));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                // What went comes before what came, as readers expect.
                push(&mut out, Piece::Removed(mid_a[i].to_owned()));
                i += 1;
            } else {
                push(&mut out, Piece::Added(mid_b[j].to_owned()));
                j += 1;
            }
        }
    }
    push(&mut out, Piece::Same(a[a.len() - suffix..].concat()));
    out.retain(
        |p| !matches!(p, Piece::Same(s) | Piece::Added(s) | Piece::Removed(s) if s.is_empty()),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Piece::*;

    fn rebuild(pieces: &[Piece], keep_added: bool) -> String {
        pieces
            .iter()
            .filter_map(|p| match p {
                Same(s) => Some(s.as_str()),
                Added(s) if keep_added => Some(s.as_str()),
                Removed(s) if !keep_added => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn marks_changed_words() {
        let d = words("the quick brown fox", "the slow brown fox jumps");
        assert_eq!(
            d,
            [
                Same("the ".into()),
                Removed("quick".into()),
                Added("slow".into()),
                Same(" brown fox".into()),
                Added(" jumps".into())
            ]
        );
    }

    #[test]
    fn both_sides_rebuild_exactly() {
        let cases = [
            ("", "new text"),
            ("old text", ""),
            ("a b c", "a b c"),
            ("one\ntwo  three", "one two\nthree four"),
            ("héllo wörld", "hello wörld!"),
        ];
        for (old, new) in cases {
            let d = words(old, new);
            assert_eq!(rebuild(&d, false), old, "{old:?} -> {new:?}");
            assert_eq!(rebuild(&d, true), new, "{old:?} -> {new:?}");
        }
    }

    #[test]
    fn huge_different_texts_stay_bounded() {
        let old = "a ".repeat(15_000);
        let new = "b ".repeat(15_000);
        let d = words(&old, &new);
        assert_eq!(rebuild(&d, false), old);
        assert_eq!(rebuild(&d, true), new);
        assert!(d.len() <= 3);
    }
}
