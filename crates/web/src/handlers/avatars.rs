//! Avatars: the upload on the settings page, and `/users/{id}/avatar`, which serves
//! the uploaded picture or, without one, the generated identicon.
//!
//! An upload is decoded within bounds by [`crate::images`] (2 MB here), scaled to
//! fit 256 pixels and re-encoded as PNG; at most [`DECODES_AT_ONCE`] decodes run at
//! once, and each user has an hourly allowance of uploads.

use super::parse_id;
use crate::AppState;
use crate::auth::Ctx;
use crate::auth::tokens::constant_time_eq;
use crate::error::AppError;
use crate::extract::Id;
use crate::forms::FormState;
use crate::images;
use crate::offload::WorkerPool;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use image::ImageFormat;
use ponder_core::UserId;
use ponder_core::identicon;

/// The largest upload accepted.
pub const MAX_AVATAR_BYTES: usize = 2 * 1024 * 1024;
/// The largest side of a stored avatar.
const AVATAR_SIDE: u32 = 256;
/// Uploads decoded at the same time; others wait in a short queue.
pub const DECODES_AT_ONCE: usize = 2;

/// The threads that decode pictures (avatars and uploads); a full queue answers
/// "try again shortly".
pub static DECODERS: std::sync::LazyLock<WorkerPool> = std::sync::LazyLock::new(|| {
    WorkerPool::new("ponder-images", DECODES_AT_ONCE, 4 * DECODES_AT_ONCE)
});

/// Decodes, bounds and re-encodes an uploaded image as a PNG of at most
/// [`AVATAR_SIDE`] pixels a side.
pub fn process_avatar(bytes: &[u8], declared_type: Option<&str>) -> Result<Vec<u8>, String> {
    let decoded = images::decode(bytes, declared_type, MAX_AVATAR_BYTES, "2 MB")?;
    let image = if decoded.image.width() > AVATAR_SIDE || decoded.image.height() > AVATAR_SIDE {
        decoded.image.thumbnail(AVATAR_SIDE, AVATAR_SIDE)
    } else {
        decoded.image
    };
    images::encode(&image, ImageFormat::Png)
}

/// `POST /settings/avatar` (multipart: `csrf`, `avatar`).
pub async fn upload_avatar(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let user = ctx.require_writer("/settings")?.clone();
    let mut multipart = multipart.map_err(|e| {
        AppError::BadRequest(format!("The upload could not be read ({}).", e.body_text()))
    })?;
    let mut csrf_ok = false;
    let mut upload: Option<(Vec<u8>, Option<String>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::TooLarge(
                    "That picture is over 2 MB. Choose a smaller one.".into(),
                ));
            }
            Err(err) => {
                return Err(AppError::BadRequest(format!(
                    "The upload could not be read ({}).",
                    err.body_text()
                )));
            }
        };
        match field.name() {
            Some("csrf") => {
                let value = field.text().await.unwrap_or_default();
                csrf_ok = constant_time_eq(value.trim(), &ctx.csrf);
            }
            Some("avatar") => {
                let declared = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|err| {
                    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                        AppError::TooLarge(
                            "That picture is over 2 MB. Choose a smaller one.".into(),
                        )
                    } else {
                        AppError::BadRequest("The upload was cut short. Try again.".into())
                    }
                })?;
                upload = Some((bytes.to_vec(), declared));
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(AppError::Forbidden(
            "This form has expired or did not come from this site. Reload the page and try again."
                .into(),
        ));
    }
    let (bytes, declared) = upload.unwrap_or_default();
    state
        .limits()
        .check_posting(crate::auth::limits::PostingKind::Avatar, user.id)?;
    let processed = DECODERS
        .run(move || process_avatar(&bytes, declared.as_deref()))
        .await?;
    match processed {
        Ok(png) => {
            let done = crate::actions::accounts::set_avatar(&state, &user, png).await?;
            Ok(done.see_other("/settings?saved=avatar"))
        }
        Err(message) => {
            let mut form = FormState::new();
            form.error("avatar", message);
            super::settings::settings_page(
                &state,
                &ctx,
                &user,
                Some((super::settings::Section::Avatar, form)),
                None,
            )
            .await
        }
    }
}

/// `GET /users/{id}/avatar`: the uploaded picture, or the identicon.
pub async fn avatar(
    State(state): State<AppState>,
    Id(id): Id<UserId>,
) -> Result<Response, AppError> {
    Ok(match state.store.avatar(id).await? {
        Some(avatar) => (
            [
                (header::CONTENT_TYPE, avatar.content_type),
                (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
            ],
            avatar.bytes,
        )
            .into_response(),
        None => identicon_response(id.0),
    })
}

/// `GET /users/{id}/avatar.svg`: the identicon alone, drawn from the id.
pub async fn identicon(Path(id): Path<String>) -> Result<Response, AppError> {
    Ok(identicon_response(parse_id(&id, "user")?))
}

fn identicon_response(id: i64) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        identicon::svg(&format!("user-{id}"), 64),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};
    use std::io::Cursor;

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let img = ImageBuffer::from_fn(width, height, |x, y| {
            Rgb([(x % 255) as u8, (y % 255) as u8, 99])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), format)
            .unwrap();
        out
    }

    #[test]
    fn good_pictures_are_bounded_and_become_png() {
        for format in [
            ImageFormat::Png,
            ImageFormat::Jpeg,
            ImageFormat::Gif,
            ImageFormat::WebP,
        ] {
            let bytes = encoded(600, 300, format);
            let png = process_avatar(&bytes, None).unwrap_or_else(|e| panic!("{format:?}: {e}"));
            let decoded = image::load_from_memory(&png).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (256, 128),
                "{format:?}"
            );
            assert_eq!(image::guess_format(&png).unwrap(), ImageFormat::Png);
        }
        let small = process_avatar(&encoded(40, 40, ImageFormat::Png), Some("image/png")).unwrap();
        assert_eq!(image::load_from_memory(&small).unwrap().width(), 40);
    }

    #[test]
    fn liars_and_junk_are_refused() {
        let jpeg = encoded(10, 10, ImageFormat::Jpeg);
        assert!(
            process_avatar(&jpeg, Some("image/png"))
                .unwrap_err()
                .contains("does not match")
        );
        assert!(process_avatar(&jpeg, Some("image/jpg")).is_ok());
        assert!(
            process_avatar(b"<html><script>alert(1)</script>", Some("image/png"))
                .unwrap_err()
                .contains("not a PNG")
        );
        assert!(
            process_avatar(b"", None)
                .unwrap_err()
                .contains("choose a picture")
        );
        let mut truncated = encoded(50, 50, ImageFormat::Png);
        truncated.truncate(60);
        assert!(
            process_avatar(&truncated, None)
                .unwrap_err()
                .contains("could not be read")
        );
        let big = vec![0u8; MAX_AVATAR_BYTES + 1];
        assert!(
            process_avatar(&big, None)
                .unwrap_err()
                .contains("over 2 MB")
        );
        let bmp = [b"BM".as_slice(), &[0u8; 60]].concat();
        assert!(
            process_avatar(&bmp, None)
                .unwrap_err()
                .contains("not a PNG")
        );
    }

    #[test]
    fn huge_dimensions_are_refused_before_decoding() {
        // A 20000×1 PNG is tiny on disk but over the side limit.
        let bytes = encoded(5000, 1, ImageFormat::Png);
        assert!(
            process_avatar(&bytes, None)
                .unwrap_err()
                .contains("at most 4096")
        );
    }
}
