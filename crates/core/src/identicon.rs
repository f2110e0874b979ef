//! Identicons: a symmetric 5×5 pattern in one colour, drawn as SVG from a seed (the
//! user's id), so that every user has a recognisable avatar without an outside
//! service and without storing an image.

/// FNV-1a, 64-bit: small, stable across builds and platforms, good enough to spread
/// seeds over patterns and colours (not a cryptographic hash).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The SVG document of the identicon for `seed`, `size` pixels square.
pub fn svg(seed: &str, size: u32) -> String {
    // Mix the hash once more so that seeds differing in one character differ widely.
    let hash = fnv1a64(seed.as_bytes());
    let bits = hash ^ (hash >> 29).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let hue = (hash % 360) as u32;
    let saturation = 45 + (hash >> 9) % 25;
    let lightness = 42 + (hash >> 17) % 14;
    let mut cells = String::new();
    // 15 bits decide the left three columns; the right two mirror them.
    for row in 0..5u32 {
        for col in 0..3u32 {
            if bits >> (row * 3 + col + 20) & 1 == 1 {
                for x in [col, 4 - col] {
                    cells.push_str(&format!(
                        r#"<rect x="{}" y="{}" width="1" height="1"/>"#,
                        x + 1,
                        row + 1
                    ));
                    if col == 2 {
                        break; // the middle column has no mirror
                    }
                }
            }
        }
    }
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 7 7" shape-rendering="crispEdges">"#,
            r#"<rect width="7" height="7" fill="hsl({hue} 30% 94%)"/>"#,
            r#"<g fill="hsl({hue} {saturation}% {lightness}%)">{cells}</g></svg>"#
        ),
        size = size,
        hue = hue,
        saturation = saturation,
        lightness = lightness,
        cells = cells
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_picture_and_seeds_differ() {
        assert_eq!(svg("user-1", 64), svg("user-1", 64));
        assert_ne!(svg("user-1", 64), svg("user-2", 64));
        assert!(svg("x", 48).starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"48\""));
    }

    #[test]
    fn pattern_is_mirrored() {
        for seed in ["a", "b", "c", "ann", "bob"] {
            let doc = svg(seed, 10);
            for row in 1..=5 {
                for (left, right) in [(1, 5), (2, 4)] {
                    let l = doc.contains(&format!(r#"x="{left}" y="{row}""#));
                    let r = doc.contains(&format!(r#"x="{right}" y="{row}""#));
                    assert_eq!(l, r, "seed {seed} row {row}");
                }
            }
        }
    }

    #[test]
    fn fnv_known_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
