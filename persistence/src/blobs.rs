//! Where attachment bytes live: outside the database, behind an interface, with a local
//! directory as the default implementation.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::PathBuf;

/// A store of immutable blobs under keys chosen by the system (never by users).
pub trait BlobStore: Send + Sync {
    /// Starts a blob whose bytes arrive piece by piece (an upload): they go to the store as
    /// they come, not to memory. Dropped before [`StagedBlob::keep`], it leaves nothing.
    fn stage(&self) -> io::Result<Box<dyn StagedBlob>>;
    /// Stores `bytes` durably: when it returns, a crash does not lose them.
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let mut staged = self.stage()?;
        staged.write(bytes)?;
        staged.keep(key)
    }
    fn get(&self, key: &str) -> io::Result<Vec<u8>>;
    /// Removes a blob whose record could not be written.
    fn discard(&self, key: &str) -> io::Result<()>;
}

/// A blob being written; see [`BlobStore::stage`].
pub trait StagedBlob: Send {
    fn write(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Stores what was written durably under `key`: when it returns, a crash does not lose
    /// it; when it fails, nothing is left.
    fn keep(self: Box<Self>, key: &str) -> io::Result<()>;
}

/// Blobs as files under a root directory. Staged blobs are `*.partial` files in the root
/// (keys cannot name them), renamed into place when kept.
pub struct LocalDirectory {
    root: PathBuf,
}

impl LocalDirectory {
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = root.into();
        fs::create_dir_all(&root)?;
        Ok(Self { root })
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        // Keys are made of ids; refuse anything that could leave the root.
        let safe = !key.is_empty()
            && key
                .split('/')
                .all(|part| !part.is_empty() && part != ".." && part != ".")
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/'));
        if !safe {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "unsafe blob key",
            ));
        }
        Ok(self.root.join(key))
    }
}

impl BlobStore for LocalDirectory {
    fn stage(&self) -> io::Result<Box<dyn StagedBlob>> {
        let path = self
            .root
            .join(format!("{}.partial", uuid::Uuid::new_v4().simple()));
        let file = File::create_new(&path)?;
        Ok(Box::new(LocalStaged {
            root: self.root.clone(),
            file: Some(file),
            path,
            target: None,
        }))
    }

    fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        fs::read(self.path(key)?)
    }

    fn discard(&self, key: &str) -> io::Result<()> {
        fs::remove_file(self.path(key)?)
    }
}

/// A `*.partial` file of a [`LocalDirectory`], removed unless kept.
struct LocalStaged {
    root: PathBuf,
    file: Option<File>,
    path: PathBuf,
    /// Where it is being kept, once it is.
    target: Option<PathBuf>,
}

impl StagedBlob for LocalStaged {
    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.write_all(bytes),
            None => Err(io::Error::other("the blob is already kept")),
        }
    }

    fn keep(mut self: Box<Self>, key: &str) -> io::Result<()> {
        let store = LocalDirectory {
            root: self.root.clone(),
        };
        let path = store.path(key)?;
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::other("blob without a directory"))?
            .to_owned();
        if !dir.exists() {
            fs::create_dir_all(&dir)?;
            // The new directory's entry must reach the disk too.
            File::open(&self.root)?.sync_all()?;
        }
        // Flush to disk, then rename into place and flush the directory: the blob is either
        // absent or whole, and it survives a crash once `keep` returns.
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        fs::rename(&self.path, &path)?;
        self.target = Some(path);
        File::open(dir)?.sync_all()
    }
}

impl Drop for LocalStaged {
    fn drop(&mut self) {
        if self.target.is_none() {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_round_trip_and_keys_cannot_escape() {
        let root =
            std::env::temp_dir().join(format!("tgpl-blobs-{}", uuid::Uuid::new_v4().simple()));
        let store = LocalDirectory::new(&root).unwrap();
        store.put("case-1/att-1", b"%PDF-1.7").unwrap();
        assert_eq!(store.get("case-1/att-1").unwrap(), b"%PDF-1.7");
        assert!(store.put("../escape", b"x").is_err());
        assert!(store.get("/etc/passwd").is_err());
        // A staged blob dropped unkept leaves nothing.
        let mut staged = store.stage().unwrap();
        staged.write(b"%PDF").unwrap();
        drop(staged);
        let mut staged = store.stage().unwrap();
        staged.write(b"%PDF-").unwrap();
        staged.write(b"1.4").unwrap();
        staged.keep("case-1/att-2").unwrap();
        assert_eq!(store.get("case-1/att-2").unwrap(), b"%PDF-1.4");
        let mut left: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, ["case-1"], "no partial file is left");
        store.discard("case-1/att-1").unwrap();
        assert!(store.get("case-1/att-1").is_err());
        let _ = fs::remove_dir_all(root);
    }
}
