//! Where uploaded images are kept: a folder under the data folder by default, or an
//! S3-compatible bucket (`--uploads-url s3://bucket/prefix`) that several nodes
//! share. Either way an image is stored under the SHA-256 of its bytes (as
//! re-encoded by us) with its extension, so the same picture is stored once and a
//! name never changes what it holds: pages may cache it for a year.

pub mod remote;
pub mod s3;

use std::path::PathBuf;

/// Where uploads are kept.
#[derive(Debug, Clone)]
pub enum UploadStorage {
    /// Uploads are turned off (no place was given).
    Disabled,
    /// Files in this folder.
    Folder(PathBuf),
    /// Objects in a bucket.
    S3(s3::Bucket),
}

/// Whether `name` is one we give: 64 lower-case hex digits, `.png` or `.jpg`.
pub fn is_upload_name(name: &str) -> bool {
    let Some((hash, extension)) = name.split_once('.') else {
        return false;
    };
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && matches!(extension, "png" | "jpg")
}

/// The media type of an upload by its name.
pub fn content_type(name: &str) -> &'static str {
    if name.ends_with(".jpg") {
        "image/jpeg"
    } else {
        "image/png"
    }
}

/// Runs file work off the async workers.
async fn on_disk<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| format!("file work stopped: {e}"))?
}

/// Writes `bytes` as `name` in `folder` unless it is there: aside first, then
/// renamed, so a reader never sees half a file.
fn write_file(folder: &std::path::Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let path = folder.join(name);
    if path.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot make {}: {e}", folder.display()))?;
    let partial = folder.join(format!(".{name}.{}", std::process::id()));
    std::fs::write(&partial, bytes)
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    std::fs::rename(&partial, &path)
        .map_err(|e| format!("cannot move {} into place: {e}", path.display()))
}

impl UploadStorage {
    /// Keeps `bytes` as `name` (a name from [`is_upload_name`]).
    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), String> {
        if !is_upload_name(name) {
            return Err(format!("{name:?} is not an upload's name"));
        }
        match self {
            Self::Disabled => Err("uploads are turned off".into()),
            Self::Folder(folder) => {
                let (folder, name) = (folder.clone(), name.to_owned());
                on_disk(move || write_file(&folder, &name, &bytes)).await
            }
            Self::S3(bucket) => bucket.put(name, bytes, content_type(name)).await,
        }
    }

    /// The bytes kept as `name`, if there are any.
    pub async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        if !is_upload_name(name) {
            return Ok(None);
        }
        match self {
            Self::Disabled => Ok(None),
            Self::Folder(folder) => {
                let path = folder.join(name);
                on_disk(move || match std::fs::read(&path) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(format!("cannot read {}: {e}", path.display())),
                })
                .await
            }
            Self::S3(bucket) => bucket.get(name).await,
        }
    }

    /// What `--uploads-url` names: `s3://bucket/prefix`, or a folder path.
    pub fn from_url(url: &str, default_folder: PathBuf) -> Result<Self, String> {
        if url.is_empty() {
            return Ok(Self::Folder(default_folder));
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            return s3::Bucket::from_environment(rest).map(Self::S3);
        }
        if url.contains("://") {
            return Err(format!(
                "{url:?} is neither s3://bucket/prefix nor a folder"
            ));
        }
        Ok(Self::Folder(PathBuf::from(url)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_names_are_stored_or_served() {
        let hash = "a".repeat(64);
        assert!(is_upload_name(&format!("{hash}.png")));
        assert!(is_upload_name(&format!("{hash}.jpg")));
        for bad in [
            format!("{hash}.gif"),
            format!("{}.png", "A".repeat(64)),
            format!("{}.png", "a".repeat(63)),
            format!("../{hash}.png"),
            format!("{hash}.png/x"),
            hash.clone(),
            String::new(),
        ] {
            assert!(!is_upload_name(&bad), "{bad}");
        }
        assert_eq!(content_type("x.jpg"), "image/jpeg");
        assert_eq!(content_type("x.png"), "image/png");
    }

    #[tokio::test]
    async fn a_folder_keeps_what_it_is_given() {
        let dir = tempfile::tempdir().expect("temp dir");
        let storage = UploadStorage::Folder(dir.path().join("uploads"));
        let name = format!("{}.png", "b".repeat(64));
        assert_eq!(storage.get(&name).await, Ok(None));
        storage.put(&name, b"pixels".to_vec()).await.expect("put");
        storage.put(&name, b"pixels".to_vec()).await.expect("again");
        assert_eq!(storage.get(&name).await, Ok(Some(b"pixels".to_vec())));
        assert!(storage.put("../escape.png", Vec::new()).await.is_err());
        assert_eq!(storage.get("../../etc/passwd").await, Ok(None));
        assert!(
            UploadStorage::Disabled
                .put(&name, Vec::new())
                .await
                .is_err()
        );
        assert!(matches!(
            UploadStorage::from_url("", dir.path().into()),
            Ok(UploadStorage::Folder(_))
        ));
        assert!(UploadStorage::from_url("ftp://x/y", dir.path().into()).is_err());
    }
}
