//! The category tree, held in memory for one request and walked there: sites have
//! tens to hundreds of categories, so one query fetches them all and every path,
//! child list and URL comes from this.

use ponder_core::CategoryId;
use ponder_store::Category;
use std::collections::HashMap;

/// Categories by id, with their children in order.
pub struct CategoryTree {
    by_id: HashMap<CategoryId, Category>,
    children: HashMap<Option<CategoryId>, Vec<CategoryId>>,
}

/// How deep a path may go before the walk stops (guards against a cycle in bad data).
const MAX_DEPTH: usize = 64;

impl CategoryTree {
    /// Builds the tree from the store's flat list (ordered by parent, position, name).
    pub fn new(categories: Vec<Category>) -> Self {
        let mut children: HashMap<Option<CategoryId>, Vec<CategoryId>> = HashMap::new();
        for c in &categories {
            children.entry(c.parent_id).or_default().push(c.id);
        }
        let by_id = categories.into_iter().map(|c| (c.id, c)).collect();
        Self { by_id, children }
    }

    /// A category by id.
    pub fn get(&self, id: CategoryId) -> Option<&Category> {
        self.by_id.get(&id)
    }

    /// The children of `parent` (`None`: the top categories), in order.
    pub fn children(&self, parent: Option<CategoryId>) -> Vec<&Category> {
        self.children
            .get(&parent)
            .map(|ids| ids.iter().filter_map(|id| self.by_id.get(id)).collect())
            .unwrap_or_default()
    }

    /// The category and its ancestors, the top one first.
    pub fn path(&self, id: CategoryId) -> Vec<&Category> {
        let mut path = Vec::new();
        let mut next = self.by_id.get(&id);
        while let Some(c) = next {
            path.push(c);
            if path.len() >= MAX_DEPTH {
                break;
            }
            next = c.parent_id.and_then(|p| self.by_id.get(&p));
        }
        path.reverse();
        path
    }

    /// The category a slug path names: `["history", "modern"]`.
    pub fn find_by_slugs(&self, slugs: &[&str]) -> Option<&Category> {
        let mut parent = None;
        let mut found = None;
        for slug in slugs {
            let c = self
                .children(parent)
                .into_iter()
                .find(|c| c.slug.eq_ignore_ascii_case(slug))?;
            parent = Some(c.id);
            found = Some(c);
        }
        found
    }

    /// The URL of a category: `/categories/history/modern`.
    pub fn url(&self, id: CategoryId) -> String {
        let mut url = String::from("/categories");
        for c in self.path(id) {
            url.push('/');
            url.push_str(&c.slug);
        }
        url
    }

    /// Every category, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = &Category> {
        self.by_id.values()
    }

    /// Whether the site has any category.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: i64, parent: Option<i64>, slug: &str) -> Category {
        Category {
            id: CategoryId(id),
            parent_id: parent.map(CategoryId),
            slug: slug.into(),
            name: slug.to_uppercase(),
            description: String::new(),
            position: 0,
        }
    }

    fn tree() -> CategoryTree {
        CategoryTree::new(vec![
            cat(1, None, "history"),
            cat(2, None, "science"),
            cat(3, Some(1), "modern"),
            cat(4, Some(3), "wars"),
            cat(5, Some(2), "modern"),
        ])
    }

    #[test]
    fn paths_and_urls() {
        let t = tree();
        let path: Vec<_> = t.path(CategoryId(4)).iter().map(|c| c.id.0).collect();
        assert_eq!(path, [1, 3, 4]);
        assert_eq!(t.url(CategoryId(4)), "/categories/history/modern/wars");
        assert_eq!(t.url(CategoryId(5)), "/categories/science/modern");
    }

    #[test]
    fn slugs_find_the_right_cousin() {
        let t = tree();
        assert_eq!(
            t.find_by_slugs(&["science", "modern"]).map(|c| c.id.0),
            Some(5)
        );
        assert_eq!(
            t.find_by_slugs(&["history", "modern"]).map(|c| c.id.0),
            Some(3)
        );
        assert_eq!(t.find_by_slugs(&["modern"]), None);
        assert_eq!(t.find_by_slugs(&["history", "nope"]), None);
        let children: Vec<_> = t.children(None).iter().map(|c| c.id.0).collect();
        assert_eq!(children, [1, 2]);
    }

    #[test]
    fn a_cycle_in_bad_data_ends() {
        let t = CategoryTree::new(vec![cat(1, Some(2), "a"), cat(2, Some(1), "b")]);
        assert!(t.path(CategoryId(1)).len() <= MAX_DEPTH);
    }
}
