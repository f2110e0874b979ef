//! Images from other hosts, copied into the uploads when a post is saved (or
//! previewed), so that pages load images from the site alone: no other host learns
//! who reads what. Each is fetched by [`crate::outbound`] (time limits, at most
//! [`MAX_UPLOAD_BYTES`](crate::handlers::uploads::MAX_UPLOAD_BYTES), no loopback or
//! private address unless the site allows it), decoded and encoded anew like an
//! upload, and stored under its hash. One that cannot be fetched or is not a
//! picture shows as a link. What a node copied (or could not) is remembered for a
//! while, so previews do not fetch again.

use crate::AppState;
use crate::handlers::avatars::DECODERS;
use crate::handlers::uploads::MAX_UPLOAD_BYTES;
use crate::images;
use crate::outbound::{self, Outgoing};
use crate::uploads::UploadStorage;
use axum::body::Bytes;
use image::ImageFormat;
use ponder_core::UserId;
use ponder_core::text::hex;
use ponder_store::Store;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// How long copying a post's images may take in all.
const ALL_COPIES_TIMEOUT: Duration = Duration::from_secs(15);

/// What was copied lately: an address and its copy here (`None`: it could not be).
static RECENT: LazyLock<moka::sync::Cache<String, Option<String>>> = LazyLock::new(|| {
    moka::sync::Cache::builder()
        .max_capacity(10_000)
        .time_to_live(Duration::from_secs(600))
        .build()
});

/// The copies here of `urls` (other hosts' images), fetched at once for `owner`;
/// those that could not be copied are left out.
pub async fn copy_all(
    state: &AppState,
    owner: UserId,
    urls: Vec<String>,
) -> HashMap<String, String> {
    let mut copies = HashMap::new();
    let mut work = tokio::task::JoinSet::new();
    for url in urls {
        match RECENT.get(&url) {
            Some(Some(local)) => {
                copies.insert(url, local);
            }
            Some(None) => {}
            None => {
                let state = state.clone();
                work.spawn(async move {
                    let copied = copy(&state, owner, &url).await;
                    if let Err(reason) = &copied {
                        tracing::info!(%url, %reason, "an image in a post was not copied");
                    }
                    (url, copied.ok())
                });
            }
        }
    }
    let collect = async {
        while let Some(done) = work.join_next().await {
            if let Ok((url, copied)) = done {
                RECENT.insert(url.clone(), copied.clone());
                if let Some(local) = copied {
                    copies.insert(url, local);
                }
            }
        }
    };
    if tokio::time::timeout(ALL_COPIES_TIMEOUT, collect)
        .await
        .is_err()
    {
        tracing::info!("copying a post's images took too long; the rest show as links");
    }
    copies
}

/// Fetches, re-encodes and stores the image at `url`; its address here.
async fn copy(state: &AppState, owner: UserId, url: &str) -> Result<String, String> {
    let place = ImagePlace {
        store: Arc::clone(&state.store),
        uploads: Arc::clone(&state.uploads),
        reach_private: state.site.images_reach_private,
    };
    place.copy_image(owner, url).await
}

/// Where copies of other hosts' images go: the site's store and uploads. An
/// import copies its posts' pictures through it (`ponder import --fetch-images`).
#[derive(Clone)]
pub struct ImagePlace {
    /// The site's database, which records each upload.
    pub store: Arc<dyn Store>,
    /// Where the pictures are kept.
    pub uploads: Arc<UploadStorage>,
    /// Whether loopback and private addresses may be fetched from.
    pub reach_private: bool,
}

impl ImagePlace {
    /// Fetches, re-encodes and stores the image at `url` for `owner`; its address here.
    pub async fn copy_image(&self, owner: UserId, url: &str) -> Result<String, String> {
        if matches!(*self.uploads, UploadStorage::Disabled) {
            return Err("uploads are turned off".into());
        }
        let answer = outbound::send(&Outgoing {
            method: hyper::Method::GET,
            url,
            body: Bytes::new(),
            headers: vec![(
                "Accept",
                "image/png, image/jpeg, image/webp, image/gif".into(),
            )],
            allow_private: self.reach_private,
            max_response: MAX_UPLOAD_BYTES,
        })
        .await?;
        if answer.status != 200 {
            return Err(format!("the host answered {}", answer.status));
        }
        let declared = answer.content_type.clone();
        let body = answer.body;
        let (bytes, format) = DECODERS
            .run(move || images::reencode_for_post(&body, declared.as_deref(), MAX_UPLOAD_BYTES))
            .await
            .map_err(|_| "the server is busy".to_owned())??;
        let name = stored_name(&bytes, format);
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        self.uploads.put(&name, bytes).await?;
        self.store
            .record_upload(
                &name,
                owner,
                size,
                super::content_type(&name),
                ponder_core::time::now(),
            )
            .await
            .map_err(|e| e.to_string())?;
        Ok(format!("/uploads/{name}"))
    }
}

/// The name an image's bytes are stored under: their SHA-256 and the extension of
/// `format`.
pub fn stored_name(bytes: &[u8], format: ImageFormat) -> String {
    let hash = hex(&Sha256::digest(bytes));
    let extension = if format == ImageFormat::Jpeg {
        "jpg"
    } else {
        "png"
    };
    format!("{hash}.{extension}")
}
