//! Images for posts: `POST /uploads` (multipart `file` with the form's `csrf`, or
//! an API write token) answers `{"url", "markdown"}` for the editor's script;
//! `GET /upload` and `POST /upload` do the same as a page, for writers without
//! script; `GET /uploads/{name}` serves a stored image.
//!
//! An image is decoded within bounds and encoded again ([`crate::images`]), so no
//! metadata (EXIF, GPS, text chunks) survives; a JPEG stays a JPEG, the rest become
//! PNG (a GIF its first frame). Each member needs the reputation of
//! `writing.upload_reputation`, has an hourly allowance and a quota in all
//! (`writing.upload_quota_mb`).

use super::avatars::DECODERS;
use crate::AppState;
use crate::auth::Ctx;
use crate::auth::limits::PostingKind;
use crate::error::AppError;
use crate::forms::FormState;
use crate::images;
use crate::uploads::{content_type, is_upload_name};
use crate::views::{Head, UploadPage, render};
use axum::Json;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use ponder_store::User;

/// The largest image accepted.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

/// The body limit of the upload routes: the image and the form's other fields.
pub const MAX_UPLOAD_BODY: usize = MAX_UPLOAD_BYTES + 64 * 1024;

/// An image stored: its address and the Markdown that shows it.
#[derive(Debug, serde::Serialize)]
pub struct Uploaded {
    /// Where it is served, e.g. `/uploads/3f…a9.png`.
    pub url: String,
    /// `![alt](url)`, the alt text from the file's name.
    pub markdown: String,
}

/// The multipart fields of an upload.
#[derive(Default)]
struct UploadForm {
    csrf: String,
    file: Option<(Vec<u8>, Option<String>, String)>,
}

/// Reads the multipart body: `csrf` and `file`.
async fn read_form(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<UploadForm, AppError> {
    let too_large = || AppError::TooLarge("That image is over 5 MB. Choose a smaller one.".into());
    let mut multipart = multipart.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::BadRequest(format!("The upload could not be read ({}).", e.body_text()))
        }
    })?;
    let mut form = UploadForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(err) => {
                return Err(AppError::BadRequest(format!(
                    "The upload could not be read ({}).",
                    err.body_text()
                )));
            }
        };
        match field.name() {
            Some("csrf") => form.csrf = field.text().await.unwrap_or_default(),
            Some("file") => {
                let declared = field.content_type().map(str::to_owned);
                let file_name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|err| {
                    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        too_large()
                    } else {
                        AppError::BadRequest("The upload was cut short. Try again.".into())
                    }
                })?;
                form.file = Some((bytes.to_vec(), declared, file_name));
            }
            _ => {}
        }
    }
    Ok(form)
}

/// The alt text for a file named `file_name`: its stem, words only.
fn alt_text(file_name: &str) -> String {
    let stem = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let words: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .take(100)
        .collect();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.is_empty() {
        "image".to_owned()
    } else {
        words
    }
}

/// Why `user` may not upload now, if they may not: reputation, then quota.
fn check_allowed(state: &AppState, user: &User) -> Result<(), String> {
    let settings = state.settings();
    let needed = settings.settings.number("writing.upload_reputation");
    if user.reputation < needed && !user.role.moderates() {
        return Err(format!(
            "uploading images needs {needed} reputation on this site; you have {}",
            user.reputation
        ));
    }
    Ok(())
}

/// Decodes, re-encodes and stores the image in `form` for `user`.
async fn store(state: &AppState, user: &User, form: UploadForm) -> Result<Uploaded, UploadRefusal> {
    check_allowed(state, user).map_err(UploadRefusal::Forbidden)?;
    let Some((bytes, declared, file_name)) = form.file else {
        return Err(UploadRefusal::Field("choose an image to upload".into()));
    };
    let quota = state
        .settings()
        .settings
        .number("writing.upload_quota_mb")
        .saturating_mul(1024 * 1024);
    let used = state.store.uploaded_bytes(user.id).await?;
    if used >= quota {
        return Err(UploadRefusal::Forbidden(format!(
            "your uploads have reached this site's quota of {} MB",
            quota / (1024 * 1024)
        )));
    }
    state.limits().check_posting(PostingKind::Upload, user.id)?;
    let processed = DECODERS
        .run(move || images::reencode_for_post(&bytes, declared.as_deref(), MAX_UPLOAD_BYTES))
        .await
        .map_err(AppError::from)?;
    let (bytes, format) = processed.map_err(UploadRefusal::Field)?;
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    if used.saturating_add(size) > quota {
        return Err(UploadRefusal::Forbidden(format!(
            "this image would take your uploads over this site's quota of {} MB",
            quota / (1024 * 1024)
        )));
    }
    let name = crate::uploads::remote::stored_name(&bytes, format);
    state
        .uploads
        .put(&name, bytes)
        .await
        .map_err(|e| UploadRefusal::Failed(AppError::Internal(e)))?;
    state
        .store
        .record_upload(
            &name,
            user.id,
            size,
            content_type(&name),
            ponder_core::time::now(),
        )
        .await?;
    let url = format!("/uploads/{name}");
    let alt = alt_text(&file_name);
    Ok(Uploaded {
        markdown: format!("![{alt}]({url})"),
        url,
    })
}

/// Why an upload was refused.
enum UploadRefusal {
    /// The file: a message for its field (422).
    Field(String),
    /// The member may not upload (403).
    Forbidden(String),
    /// Something else (rate limit, busy, storage).
    Failed(AppError),
}

impl From<AppError> for UploadRefusal {
    fn from(err: AppError) -> Self {
        Self::Failed(err)
    }
}

impl From<ponder_store::StoreError> for UploadRefusal {
    fn from(err: ponder_store::StoreError) -> Self {
        Self::Failed(err.into())
    }
}

/// Whether uploads are kept anywhere.
fn check_enabled(state: &AppState) -> Result<(), AppError> {
    if matches!(*state.uploads, crate::uploads::UploadStorage::Disabled) {
        return Err(AppError::NotFound(
            "Uploads are turned off on this site.".into(),
        ));
    }
    Ok(())
}

/// The writer and the form of an upload request, checked: uploads on, a writer
/// logged in, the form's token theirs.
async fn checked_request(
    state: &AppState,
    ctx: &Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(User, UploadForm), AppError> {
    check_enabled(state)?;
    let user = ctx.require_writer("/upload")?.clone();
    let form = read_form(multipart).await?;
    ctx.verify_csrf(&form.csrf)?;
    Ok((user, form))
}

/// `POST /uploads`: the image stored, as JSON (201), or a JSON error.
pub async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let (user, form) = checked_request(&state, &ctx, multipart).await?;
    match store(&state, &user, form).await {
        Ok(uploaded) => Ok((
            StatusCode::CREATED,
            [(header::LOCATION, uploaded.url.clone())],
            Json(uploaded),
        )
            .into_response()),
        Err(UploadRefusal::Field(message)) => {
            Err(AppError::Unprocessable(format!("file: {message}")))
        }
        Err(UploadRefusal::Forbidden(message)) => Err(AppError::Forbidden(capitalised(&message))),
        Err(UploadRefusal::Failed(err)) => Err(err),
    }
}

/// `message` with its first letter a capital and a full stop.
fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars
        .next()
        .map(|c| c.to_uppercase().to_string())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

/// The hint beside the file field.
fn limits_hint(state: &AppState) -> String {
    format!(
        "PNG, JPEG, WebP or GIF, at most 5 MB and {} pixels a side; {} MB in all. Metadata (such as where a photo was taken) is removed.",
        images::MAX_INPUT_SIDE,
        state.settings().settings.number("writing.upload_quota_mb")
    )
}

/// The upload page with `form`'s message or the image `uploaded`.
fn upload_page(
    state: &AppState,
    ctx: &Ctx,
    form: FormState,
    uploaded: Option<Uploaded>,
    status: StatusCode,
) -> Response {
    let mut response = render(&UploadPage {
        head: Head::new(ctx, "Upload an image", "Upload an image for a post."),
        form,
        uploaded: uploaded.map(|u| (u.url, u.markdown)),
        limits: limits_hint(state),
    });
    *response.status_mut() = status;
    response
}

/// `GET /upload`: the form.
pub async fn upload_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    check_enabled(&state)?;
    let user = ctx.require_writer("/upload")?;
    let mut form = FormState::new();
    if let Err(message) = check_allowed(&state, user) {
        form.error("file", message);
    }
    Ok(upload_page(&state, &ctx, form, None, StatusCode::OK))
}

/// `POST /upload`: the page again, with the Markdown to paste or the message.
pub async fn upload_from_page(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let (user, form) = checked_request(&state, &ctx, multipart).await?;
    let mut page = FormState::new();
    match store(&state, &user, form).await {
        Ok(uploaded) => Ok(upload_page(
            &state,
            &ctx,
            page,
            Some(uploaded),
            StatusCode::OK,
        )),
        Err(UploadRefusal::Field(message)) => {
            page.error("file", message);
            Ok(upload_page(
                &state,
                &ctx,
                page,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(UploadRefusal::Forbidden(message)) => {
            page.error("file", message);
            Ok(upload_page(&state, &ctx, page, None, StatusCode::FORBIDDEN))
        }
        Err(UploadRefusal::Failed(err)) => Err(err),
    }
}

/// `GET /uploads/{name}`: a stored image, cached for a year (its name is its
/// content's hash) and never sniffed as anything else.
pub async fn serve(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    let missing = || AppError::NotFound("There is no such image.".into());
    if !is_upload_name(&name) {
        return Err(missing());
    }
    let bytes = state
        .uploads
        .get(&name)
        .await
        .map_err(AppError::Internal)?
        .ok_or_else(missing)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type(&name)),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox",
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alt_text_is_the_files_words() {
        assert_eq!(
            alt_text("Screen Shot 2026-11-29 at 10.00.png"),
            "Screen Shot 2026 11 29 at 10 00"
        );
        assert_eq!(alt_text("C:\\photos\\my_cat.JPG"), "my cat");
        assert_eq!(alt_text("](javascript:alert(1)).png"), "javascript alert 1");
        assert_eq!(alt_text(""), "image");
        assert_eq!(alt_text("....png"), "image");
        assert_eq!(alt_text(&"a".repeat(500)).len(), 100);
    }
}
