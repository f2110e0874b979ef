//! Static assets, embedded in the binary and served under names that carry a hash of
//! their content (`style.3f2a….css`), so browsers may cache them for a year: a new
//! build with a changed file has a new name. `handlers::static_files` serves them.

use ponder_core::identicon::fnv1a64;
use std::sync::LazyLock;

/// One embedded file.
pub struct Asset {
    /// The hashed name it is served under.
    pub name: String,
    /// Its content type.
    pub content_type: &'static str,
    /// Its bytes.
    pub body: &'static [u8],
}

impl Asset {
    fn new(stem: &str, ext: &str, content_type: &'static str, body: &'static [u8]) -> Self {
        Self {
            name: format!("{stem}.{:016x}.{ext}", fnv1a64(body)),
            content_type,
            body,
        }
    }

    /// The URL path it is served at.
    pub fn url(&self) -> String {
        format!("/static/{}", self.name)
    }
}

/// The stylesheet.
pub static STYLESHEET: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "style",
        "css",
        "text/css; charset=utf-8",
        include_bytes!("../static/style.css"),
    )
});

/// The script that adds drafts and live previews.
pub static SCRIPT: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "app",
        "js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/app.js"),
    )
});

/// The site icon.
pub static ICON: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "icon",
        "svg",
        "image/svg+xml",
        include_bytes!("../static/icon.svg"),
    )
});
