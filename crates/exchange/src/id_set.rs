//! A set of ids in about one bit per id: which users and posts an import has seen,
//! without memory that grows with their text.

/// Ids below this are kept as bits (at most 32 MB); others, rare in real dumps
/// (negative ids, or absurdly large ones in a hostile file), in a tree.
const DENSE_LIMIT: i64 = 1 << 28;

/// Ids seen so far.
#[derive(Debug, Default)]
pub(crate) struct IdSet {
    bits: Vec<u64>,
    sparse: std::collections::BTreeSet<i64>,
}

impl IdSet {
    /// Adds `id`.
    pub(crate) fn insert(&mut self, id: i64) {
        if !(0..DENSE_LIMIT).contains(&id) {
            self.sparse.insert(id);
            return;
        }
        let (word, bit) = ((id / 64) as usize, id % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << bit;
    }

    /// Whether `id` was added.
    pub(crate) fn contains(&self, id: i64) -> bool {
        if !(0..DENSE_LIMIT).contains(&id) {
            return self.sparse.contains(&id);
        }
        self.bits
            .get((id / 64) as usize)
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;

    #[test]
    fn holds_what_was_added() {
        let mut set = IdSet::default();
        for id in [-1, 0, 63, 64, 1_000_003, i64::MAX, i64::MIN] {
            assert!(!set.contains(id));
            set.insert(id);
            assert!(set.contains(id));
        }
        assert!(!set.contains(1) && !set.contains(-2) && !set.contains(65));
    }
}
