//! Atom 1.0 (RFC 4287) documents: a feed and its entries, written as XML with
//! every text escaped. Ids are `tag:` URIs (RFC 4151) built from the site's host
//! and what an entry is (`posts/42`, `comments/7`), so they stay the same when a
//! title, a slug or the software changes.

use ponder_core::text::escape_html;
use ponder_core::time::{DateTime, Timestamp};
use std::fmt::Write as _;

/// The year in every `tag:` URI: ids must not change, so neither does it.
const TAG_YEAR: &str = "2026";

/// A `tag:` URI for `what` on the site at `base_url`.
pub fn tag_uri(base_url: &str, what: &str) -> String {
    let host = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    // A port is not part of a tagging entity; a colon there would not parse.
    let host = host.split(':').next().unwrap_or_default();
    format!("tag:{host},{TAG_YEAR}:{what}")
}

/// What an entry says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// A plain-text summary.
    Summary(String),
    /// The whole text as sanitized HTML.
    Html(String),
}

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its permanent id (see [`tag_uri`]).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The page that shows it.
    pub url: String,
    /// When it was first published.
    pub published: Timestamp,
    /// When it last changed in a way a reader cares about.
    pub updated: Timestamp,
    /// Who wrote it, and their profile's address (none for a deleted account).
    pub author: (String, Option<String>),
    /// Its tags.
    pub categories: Vec<String>,
    /// What it says.
    pub body: Body,
}

/// A feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// Its permanent id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// A line about it.
    pub subtitle: String,
    /// Its own address.
    pub self_url: String,
    /// The page it follows.
    pub page_url: String,
    /// Its entries, newest first.
    pub entries: Vec<Entry>,
}

/// `text` escaped for XML, without the characters XML 1.0 does not allow (control
/// characters other than tab and line breaks, which a pasted text may carry).
fn xml_text(text: &str) -> String {
    let allowed = |c: &char| !matches!(*c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.chars().all(|c| allowed(&c)) {
        return escape_html(text);
    }
    escape_html(&text.chars().filter(allowed).collect::<String>())
}

/// RFC 3339 in UTC, as Atom's date constructs want.
fn date(at: Timestamp) -> String {
    DateTime::from_timestamp(at).rfc3339()
}

impl Feed {
    /// The time of the newest entry (the Unix epoch for an empty feed, so that the
    /// document, and its ETag, stay the same until something is added).
    pub fn updated(&self) -> Timestamp {
        self.entries.iter().map(|e| e.updated).max().unwrap_or(0)
    }

    /// The document.
    pub fn to_xml(&self) -> String {
        let mut xml = String::with_capacity(1024 + self.entries.len() * 1024);
        xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        let _ = writeln!(xml, "  <id>{}</id>", xml_text(&self.id));
        let _ = writeln!(
            xml,
            "  <title type=\"text\">{}</title>",
            xml_text(&self.title)
        );
        if !self.subtitle.is_empty() {
            let _ = writeln!(
                xml,
                "  <subtitle type=\"text\">{}</subtitle>",
                xml_text(&self.subtitle)
            );
        }
        let _ = writeln!(xml, "  <updated>{}</updated>", date(self.updated()));
        let _ = writeln!(
            xml,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            xml_text(&self.self_url)
        );
        let _ = writeln!(
            xml,
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_text(&self.page_url)
        );
        xml.push_str("  <generator>Ponder</generator>\n");
        for entry in &self.entries {
            entry.write(&mut xml);
        }
        xml.push_str("</feed>\n");
        xml
    }
}

impl Entry {
    /// Appends the entry's element to `xml`.
    fn write(&self, xml: &mut String) {
        xml.push_str("  <entry>\n");
        let _ = writeln!(xml, "    <id>{}</id>", xml_text(&self.id));
        let _ = writeln!(
            xml,
            "    <title type=\"text\">{}</title>",
            xml_text(&self.title)
        );
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml_text(&self.url)
        );
        let _ = writeln!(xml, "    <published>{}</published>", date(self.published));
        let _ = writeln!(xml, "    <updated>{}</updated>", date(self.updated));
        let (name, uri) = &self.author;
        let _ = write!(xml, "    <author><name>{}</name>", xml_text(name));
        if let Some(uri) = uri {
            let _ = write!(xml, "<uri>{}</uri>", xml_text(uri));
        }
        xml.push_str("</author>\n");
        for term in &self.categories {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", xml_text(term));
        }
        match &self.body {
            Body::Summary(text) => {
                let _ = writeln!(
                    xml,
                    "    <summary type=\"text\">{}</summary>",
                    xml_text(text)
                );
            }
            Body::Html(html) => {
                let _ = writeln!(
                    xml,
                    "    <content type=\"html\">{}</content>",
                    xml_text(html)
                );
            }
        }
        xml.push_str("  </entry>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, updated: Timestamp) -> Entry {
        Entry {
            id: tag_uri("https://ask.example.org", "posts/1"),
            title: title.into(),
            url: "https://ask.example.org/questions/1/a?x=1&y=2".into(),
            published: 0,
            updated,
            author: (
                "Ann <the first>".into(),
                Some("https://ask.example.org/users/1/ann".into()),
            ),
            categories: vec!["c++".into()],
            body: Body::Html("<p>a &amp; b</p>".into()),
        }
    }

    #[test]
    fn tag_uris_name_the_host_without_scheme_port_or_path() {
        assert_eq!(
            tag_uri("https://ask.example.org", "posts/3"),
            "tag:ask.example.org,2026:posts/3"
        );
        assert_eq!(
            tag_uri("http://127.0.0.1:8080/", "feeds/questions"),
            "tag:127.0.0.1,2026:feeds/questions"
        );
        assert_eq!(
            tag_uri("ask.example.org/sub", "x"),
            "tag:ask.example.org,2026:x"
        );
    }

    #[test]
    fn every_text_is_escaped_and_the_feed_dates_from_its_newest_entry() {
        let feed = Feed {
            id: tag_uri("https://ask.example.org", "feeds/questions"),
            title: "Q & A <site>".into(),
            subtitle: String::new(),
            self_url: "https://ask.example.org/feeds/questions".into(),
            page_url: "https://ask.example.org/questions".into(),
            entries: vec![entry("Why <b>?", 86_400), entry("Older", 10)],
        };
        let xml = feed.to_xml();
        assert!(xml.contains("<title type=\"text\">Q &amp; A &lt;site&gt;</title>"));
        assert!(xml.contains("<title type=\"text\">Why &lt;b&gt;?</title>"));
        assert!(xml.contains("href=\"https://ask.example.org/questions/1/a?x=1&amp;y=2\""));
        assert!(xml.contains("<name>Ann &lt;the first&gt;</name>"));
        assert!(xml.contains("<content type=\"html\">&lt;p&gt;a &amp;amp; b&lt;/p&gt;</content>"));
        assert!(xml.contains("<category term=\"c++\"/>"));
        assert!(xml.contains("<updated>1970-01-02T00:00:00Z</updated>\n  <link rel=\"self\""));
        assert!(!xml.contains("<subtitle"), "an empty subtitle is left out");
        assert_eq!(xml_text("a\u{1}b\u{b}c\td\ne"), "abc\td\ne");
        let empty = Feed {
            entries: Vec::new(),
            ..feed
        };
        assert_eq!(empty.updated(), 0);
        assert!(
            empty
                .to_xml()
                .contains("<updated>1970-01-01T00:00:00Z</updated>")
        );
    }
}
