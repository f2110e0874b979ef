//! The index's folder as tantivy sees it: tantivy's own directory on disk for
//! writing, locking and watching, with reads made by `pread` into memory rather
//! than through a mapping of the files.
//!
//! Mapped index files count in the server's resident memory for every page a
//! search ever touched (83 MB of a 119 MB index after a benchmark run), and the
//! kernel takes them back only under pressure. Read with `pread`, the same pages
//! sit in the operating system's file cache, shared and reclaimable, and the
//! process holds copies only of what it keeps: fast fields, norms and term
//! dictionaries of open segments, and the postings and documents of searches in
//! flight.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::HasLen;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// The index folder, read with `pread`.
#[derive(Debug, Clone)]
pub(crate) struct ReadDirectory {
    root: PathBuf,
    inner: MmapDirectory,
}

impl ReadDirectory {
    /// The directory of the existing folder `root`.
    pub(crate) fn open(root: &Path) -> Result<Self, OpenDirectoryError> {
        Ok(Self {
            root: root.to_owned(),
            inner: MmapDirectory::open(root)?,
        })
    }
}

/// An open index file, read a range at a time.
#[derive(Debug)]
struct ReadFile {
    file: File,
    len: usize,
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("range {range:?} outside a file of {} bytes", self.len),
            ));
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        let mut bytes = vec![0; range.len()];
        self.file.read_exact_at(&mut bytes, range.start as u64)?;
        Ok(OwnedBytes::new(bytes))
    }
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let file = File::open(self.root.join(path)).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                OpenReadError::FileDoesNotExist(path.to_owned())
            } else {
                OpenReadError::wrap_io_error(e, path.to_owned())
            }
        })?;
        let len = file
            .metadata()
            .map_err(|e| OpenReadError::wrap_io_error(e, path.to_owned()))?
            .len();
        let len = usize::try_from(len).map_err(|_| {
            OpenReadError::wrap_io_error(
                io::Error::new(
                    io::ErrorKind::FileTooLarge,
                    "larger than memory can address",
                ),
                path.to_owned(),
            )
        })?;
        Ok(Arc::new(ReadFile { file, len }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ranges_and_refuses_ranges_past_the_end() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("seg.idx"), b"0123456789").unwrap();
        let directory = ReadDirectory::open(dir.path()).unwrap();
        let file = directory.get_file_handle(Path::new("seg.idx")).unwrap();
        assert_eq!(file.len(), 10);
        assert_eq!(file.read_bytes(2..5).unwrap().as_slice(), b"234");
        assert_eq!(file.read_bytes(10..10).unwrap().as_slice(), b"");
        assert!(file.read_bytes(8..11).is_err());
        assert!(matches!(
            directory.get_file_handle(Path::new("missing.idx")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
        // Written through tantivy's own writer, read back through ours.
        directory
            .atomic_write(Path::new("meta.json"), b"{}")
            .unwrap();
        assert_eq!(
            directory.atomic_read(Path::new("meta.json")).unwrap(),
            b"{}"
        );
        assert!(directory.exists(Path::new("meta.json")).unwrap());
    }
}
