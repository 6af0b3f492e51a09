//! Where attachment bytes live: outside the database, behind an interface, with a local
//! directory as the default implementation.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::PathBuf;

/// A store of immutable blobs under keys chosen by the system (never by users).
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` durably: when it returns, a crash does not lose them.
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()>;
    fn get(&self, key: &str) -> io::Result<Vec<u8>>;
    /// Removes a blob whose record could not be written.
    fn discard(&self, key: &str) -> io::Result<()>;
}

/// Blobs as files under a root directory.
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
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(key)?;
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::other("blob without a directory"))?;
        if !dir.exists() {
            fs::create_dir_all(dir)?;
            // The new directory's entry must reach the disk too.
            File::open(&self.root)?.sync_all()?;
        }
        // Write aside, flush to disk, then rename into place and flush the directory: the
        // blob is either absent or whole, and it survives a crash once `put` returns.
        let temporary = path.with_extension("partial");
        let written = File::create(&temporary).and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        });
        if let Err(e) = written.and_then(|()| fs::rename(&temporary, &path)) {
            let _ = fs::remove_file(&temporary);
            return Err(e);
        }
        File::open(dir)?.sync_all()
    }

    fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        fs::read(self.path(key)?)
    }

    fn discard(&self, key: &str) -> io::Result<()> {
        fs::remove_file(self.path(key)?)
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
        store.discard("case-1/att-1").unwrap();
        assert!(store.get("case-1/att-1").is_err());
        let _ = fs::remove_dir_all(root);
    }
}
