//! Page numbers and sort orders as they arrive in query strings: parsed strictly,
//! with messages that say what to do instead.

use std::fmt;
use std::str::FromStr;

/// Questions per list page.
pub const PER_PAGE: u32 = 30;
/// The deepest page of any list: past it the request is refused with a message that
/// says how to reach what lies further down. A page is found by skipping the pages
/// before it, so this bounds what one request can cost (30,000 questions deep on a
/// question list, under 20 ms at a million questions; see BENCHMARKS.md).
pub const MAX_PAGE: u32 = 1_000;

/// Why a page number or sort was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagingError {
    /// The page was not a whole number from 1.
    #[error("page must be a whole number from 1 to {MAX_PAGE}, not “{0}”")]
    BadPage(String),
    /// The page was a whole number past [`MAX_PAGE`].
    #[error(
        "lists go {MAX_PAGE} pages deep, not {0}: to reach what lies further down, narrow \
         the list by a tag or a category, sort it another way, or search"
    )]
    TooDeep(u64),
    /// The sort was not one of the known orders.
    #[error("unknown sort “{0}”: use active, newest, score or unanswered")]
    BadSort(String),
}

/// Parses a `page` query parameter; absent or empty means page 1.
pub fn parse_page(raw: Option<&str>) -> Result<u32, PagingError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(1);
    };
    match raw.parse::<u64>() {
        Ok(0) | Err(_) => Err(PagingError::BadPage(raw.chars().take(40).collect())),
        Ok(n) if n <= u64::from(MAX_PAGE) => Ok(n as u32),
        Ok(n) => Err(PagingError::TooDeep(n)),
    }
}

/// How a list of questions is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuestionSort {
    /// Most recent activity (asked, answered, edited) first.
    #[default]
    Active,
    /// Most recently asked first.
    Newest,
    /// Highest score first.
    Score,
    /// Questions without answers, newest first.
    Unanswered,
}

impl QuestionSort {
    /// Every sort, in the order the tabs show them.
    pub const ALL: [QuestionSort; 4] = [Self::Active, Self::Newest, Self::Score, Self::Unanswered];

    /// The name used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Newest => "newest",
            Self::Score => "score",
            Self::Unanswered => "unanswered",
        }
    }

    /// The label shown on the tab.
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Newest => "Newest",
            Self::Score => "Top score",
            Self::Unanswered => "Unanswered",
        }
    }
}

impl fmt::Display for QuestionSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for QuestionSort {
    type Err = PagingError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|sort| sort.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| PagingError::BadSort(s.chars().take(40).collect()))
    }
}

/// Parses a `sort` query parameter; absent or empty means the default.
pub fn parse_sort(raw: Option<&str>) -> Result<QuestionSort, PagingError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(QuestionSort::default()),
        Some(s) => s.parse(),
    }
}

/// How the list of tags is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagSort {
    /// Most questions first.
    #[default]
    Popular,
    /// By name.
    Name,
    /// Newest first.
    Newest,
}

impl TagSort {
    /// Every order, as the tabs show them.
    pub const ALL: [Self; 3] = [Self::Popular, Self::Name, Self::Newest];

    /// The name in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Popular => "popular",
            Self::Name => "name",
            Self::Newest => "newest",
        }
    }

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Popular => "Popular",
            Self::Name => "Name",
            Self::Newest => "New",
        }
    }

    /// Parses a `sort` query parameter; absent or empty means the default.
    pub fn parse(raw: Option<&str>) -> Result<Self, PagingError> {
        match raw.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Self::default()),
            Some(s) => Self::ALL
                .into_iter()
                .find(|sort| sort.as_str().eq_ignore_ascii_case(s))
                .ok_or_else(|| PagingError::BadSort(s.chars().take(40).collect())),
        }
    }
}

/// The number of pages that `total` items fill; at least 1, so that an empty list
/// still has its first page.
pub fn page_count(total: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    let pages = (total.max(0) + per_page - 1) / per_page;
    u32::try_from(pages).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_sorts_read_back_and_refuse_others() {
        assert_eq!(TagSort::parse(None), Ok(TagSort::Popular));
        assert_eq!(TagSort::parse(Some(" ")), Ok(TagSort::Popular));
        for sort in TagSort::ALL {
            assert_eq!(TagSort::parse(Some(sort.as_str())), Ok(sort));
        }
        assert_eq!(TagSort::parse(Some("NAME")), Ok(TagSort::Name));
        assert!(TagSort::parse(Some("votes")).is_err());
    }

    #[test]
    fn pages_parse_strictly() {
        assert_eq!(parse_page(None), Ok(1));
        assert_eq!(parse_page(Some("")), Ok(1));
        assert_eq!(parse_page(Some("7")), Ok(7));
        assert_eq!(parse_page(Some(" 1000 ")), Ok(MAX_PAGE));
        for bad in ["0", "-1", "abc", "1.5", "99999999999999999999", "1e3"] {
            assert!(
                matches!(parse_page(Some(bad)), Err(PagingError::BadPage(_))),
                "{bad} accepted"
            );
        }
        assert_eq!(parse_page(Some("1001")), Err(PagingError::TooDeep(1001)));
        let deep = parse_page(Some("5000")).unwrap_err().to_string();
        assert!(
            deep.starts_with("lists go 1000 pages deep, not 5000") && deep.contains("a tag"),
            "{deep}"
        );
        let long = "9".repeat(500);
        let message = parse_page(Some(&long)).unwrap_err().to_string();
        assert!(message.len() < 150, "{message}");
    }

    #[test]
    fn sorts_read_as_their_tabs_and_addresses_say() {
        let labels: Vec<(String, &str)> = QuestionSort::ALL
            .into_iter()
            .map(|sort| (sort.to_string(), sort.label()))
            .collect();
        assert_eq!(
            labels,
            [
                ("active".to_owned(), "Active"),
                ("newest".to_owned(), "Newest"),
                ("score".to_owned(), "Top score"),
                ("unanswered".to_owned(), "Unanswered"),
            ]
        );
        let tags: Vec<(&str, &str)> = TagSort::ALL
            .into_iter()
            .map(|sort| (sort.as_str(), sort.label()))
            .collect();
        assert_eq!(
            tags,
            [("popular", "Popular"), ("name", "Name"), ("newest", "New")]
        );
    }

    #[test]
    fn sorts_parse() {
        assert_eq!(parse_sort(None), Ok(QuestionSort::Active));
        assert_eq!(parse_sort(Some("Newest")), Ok(QuestionSort::Newest));
        assert_eq!(parse_sort(Some("unanswered")), Ok(QuestionSort::Unanswered));
        assert_eq!(
            parse_sort(Some("votes")).unwrap_err().to_string(),
            "unknown sort “votes”: use active, newest, score or unanswered"
        );
    }

    #[test]
    fn page_counts() {
        assert_eq!(page_count(0, 30), 1);
        assert_eq!(page_count(30, 30), 1);
        assert_eq!(page_count(31, 30), 2);
    }
}
