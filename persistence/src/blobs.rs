//! Where attachment bytes live: outside the database, behind an interface, with a local
//! directory as the default implementation.
//!
//! Bytes and records must agree after a crash at any point. An upload's bytes are staged
//! as they arrive, then kept *pending* (durably, under a name that says they are not
//! recorded yet), then recorded in the database, then *confirmed*. A crash before the
//! record leaves a pending blob with no record, which the sweep at start-up removes
//! ([`crate::attachments::reconcile`]); a crash after it leaves a pending blob with a
//! record, which reads still find and the sweep confirms. A crash while staging leaves a
//! partial file, which the sweep removes too.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A store of immutable blobs under keys chosen by the system (never by users).
pub trait BlobStore: Send + Sync {
    /// Starts a blob whose bytes arrive piece by piece (an upload): they go to the store as
    /// they come, not to memory. Dropped before [`StagedBlob::keep`], it leaves nothing.
    fn stage(&self) -> io::Result<Box<dyn StagedBlob>>;
    /// Stores `bytes` durably, pending (as [`StagedBlob::keep`] does): when it returns, a
    /// crash does not lose them, and until [`BlobStore::confirm`] the sweep may remove them
    /// if nothing records them.
    fn put(&self, key: &str, bytes: &[u8]) -> io::Result<()> {
        let mut staged = self.stage()?;
        staged.write(bytes)?;
        staged.keep(key)
    }
    /// Confirms a pending blob once its record is committed (done already is fine).
    fn confirm(&self, key: &str) -> io::Result<()>;
    /// Opens a blob, confirmed or still pending, to be read piece by piece.
    fn open(&self, key: &str) -> io::Result<Blob>;
    /// Whether the store itself can be read: a blob that cannot be opened in a store that can
    /// is missing (damage to report), one in a store that cannot (a volume not mounted, a
    /// directory moved away) is for now out of reach.
    fn reachable(&self) -> bool;
    /// Reads a whole blob into memory (small blobs and checks; downloads use [`Self::open`]).
    fn get(&self, key: &str) -> io::Result<Vec<u8>> {
        let mut blob = self.open(key)?;
        let mut bytes = Vec::with_capacity(usize::try_from(blob.len).unwrap_or(0));
        blob.reader.read_to_end(&mut bytes)?;
        Ok(bytes)
    }
    /// Removes a blob (pending or confirmed) whose record could not be written.
    fn discard(&self, key: &str) -> io::Result<()>;
    /// The keys of the blobs left pending for at least `age`, after removing the partial
    /// writes that old. Younger ones may belong to uploads still under way, on this server
    /// or another sharing the store.
    fn pending(&self, age: Duration) -> io::Result<Vec<String>>;
}

/// A stored blob opened for reading: its length in bytes and its content.
pub struct Blob {
    pub len: u64,
    pub reader: Box<dyn Read + Send>,
}

/// A blob being written; see [`BlobStore::stage`].
pub trait StagedBlob: Send {
    fn write(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Stores what was written durably under `key`, pending until
    /// [`BlobStore::confirm`]: when it returns, a crash does not lose it; when it fails,
    /// nothing is left.
    fn keep(self: Box<Self>, key: &str) -> io::Result<()>;
}

/// Blobs as files under a root directory: `<root>/<key>` once confirmed, `<root>/<key>.pending`
/// before. Staged blobs are `*.partial` files in the root (keys cannot name them), renamed
/// to their pending name when kept.
pub struct LocalDirectory {
    root: PathBuf,
}

const PENDING: &str = "pending";
const PARTIAL: &str = "partial";

impl LocalDirectory {
    /// The store at `root`, created when missing; refused, naming it, when this process
    /// cannot write there (the server then does not start, rather than fail each upload).
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = root.into();
        fs::create_dir_all(&root).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot create the attachments directory {}: {e}",
                    root.display()
                ),
            )
        })?;
        crate::health::check_writable(&root)?;
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

/// Flushes a directory's entries (a creation or a rename in it) to disk.
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn parent(path: &Path) -> io::Result<&Path> {
    path.parent()
        .ok_or_else(|| io::Error::other("blob without a directory"))
}

fn older_than(path: &Path, age: Duration) -> io::Result<bool> {
    let modified = fs::metadata(path)?.modified()?;
    Ok(SystemTime::now()
        .duration_since(modified)
        .is_ok_and(|elapsed| elapsed >= age))
}

/// Whether `path` is a file named `*.<extension>`, and its stem.
fn stem_with<'a>(path: &'a Path, extension: &str) -> Option<&'a str> {
    (path.extension().and_then(|e| e.to_str()) == Some(extension))
        .then(|| path.file_stem().and_then(|s| s.to_str()))
        .flatten()
}

impl BlobStore for LocalDirectory {
    fn stage(&self) -> io::Result<Box<dyn StagedBlob>> {
        let path = self
            .root
            .join(format!("{}.{PARTIAL}", uuid::Uuid::new_v4().simple()));
        let file = File::create_new(&path)?;
        Ok(Box::new(LocalStaged {
            root: self.root.clone(),
            file: Some(file),
            path,
            target: None,
        }))
    }

    fn confirm(&self, key: &str) -> io::Result<()> {
        let path = self.path(key)?;
        match fs::rename(path.with_extension(PENDING), &path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && path.exists() => Ok(()),
            Err(e) => Err(e),
            Ok(()) => sync_dir(parent(&path)?),
        }
    }

    fn reachable(&self) -> bool {
        fs::read_dir(&self.root).is_ok()
    }

    fn open(&self, key: &str) -> io::Result<Blob> {
        let path = self.path(key)?;
        let file = match File::open(&path) {
            // Recorded, and not confirmed yet (or a crash came in between).
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                File::open(path.with_extension(PENDING))?
            }
            other => other?,
        };
        Ok(Blob {
            len: file.metadata()?.len(),
            reader: Box::new(file),
        })
    }

    fn discard(&self, key: &str) -> io::Result<()> {
        let path = self.path(key)?;
        match fs::remove_file(path.with_extension(PENDING)) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::remove_file(&path),
            other => other,
        }
    }

    fn pending(&self, age: Duration) -> io::Result<Vec<String>> {
        let mut keys = Vec::new();
        for entry in fs::read_dir(&self.root)? {
            let entry = entry?;
            let path = entry.path();
            if !entry.file_type()?.is_dir() {
                // A staged upload cut short by a crash.
                if stem_with(&path, PARTIAL).is_some() && older_than(&path, age)? {
                    fs::remove_file(&path)?;
                }
                continue;
            }
            let Some(folder) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            for file in fs::read_dir(&path)? {
                let path = file?.path();
                if !older_than(&path, age)? {
                    continue;
                }
                if let Some(stem) = stem_with(&path, PENDING) {
                    keys.push(format!("{folder}/{stem}"));
                } else if stem_with(&path, PARTIAL).is_some() {
                    // Written beside its blob by earlier versions of the store.
                    fs::remove_file(&path)?;
                }
            }
        }
        keys.sort();
        Ok(keys)
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
        let pending = store.path(key)?.with_extension(PENDING);
        let dir = parent(&pending)?.to_owned();
        if !dir.exists() {
            // Below the root only: a root that went away (a share unmounted, a directory
            // moved) is not made again, empty, for documents to go where the others are not.
            let below = dir.strip_prefix(&self.root).map_err(|_| {
                io::Error::new(io::ErrorKind::InvalidInput, "blob outside the store")
            })?;
            let mut made = self.root.clone();
            for part in below.components() {
                made.push(part);
                match fs::create_dir(&made) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
                    _ => {}
                }
            }
            // The new directory's entry must reach the disk too.
            sync_dir(&self.root)?;
        }
        // Flush to disk, then rename to the pending name and flush the directory: the blob
        // is either absent or whole, and it survives a crash once `keep` returns.
        if let Some(file) = self.file.take() {
            file.sync_all()?;
        }
        fs::rename(&self.path, &pending)?;
        self.target = Some(pending);
        sync_dir(&dir)
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

    fn store() -> (LocalDirectory, PathBuf) {
        let root =
            std::env::temp_dir().join(format!("tgpl-blobs-{}", uuid::Uuid::new_v4().simple()));
        (LocalDirectory::new(&root).unwrap(), root)
    }

    /// A store moved away while an upload arrives is not made again, empty, under the
    /// upload: the upload fails, and nothing answers as if the store were there.
    #[test]
    fn a_store_moved_away_is_not_made_again() {
        let (store, root) = store();
        let mut staged = store.stage().unwrap();
        staged.write(b"%PDF-1.7").unwrap();
        let away = root.with_extension("away");
        fs::rename(&root, &away).unwrap();
        assert!(staged.keep("case-9/att-1").is_err());
        assert!(!root.exists(), "the root stays away");
        assert!(!store.reachable());
        fs::rename(&away, &root).unwrap();
        assert!(store.reachable());
        store.put("case-9/att-2", b"%PDF").unwrap();
        assert!(root.join("case-9/att-2.pending").is_file());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn blobs_round_trip_and_keys_cannot_escape() {
        let (store, root) = store();
        store.put("case-1/att-1", b"%PDF-1.7").unwrap();
        assert_eq!(store.get("case-1/att-1").unwrap(), b"%PDF-1.7");
        store.confirm("case-1/att-1").unwrap();
        store.confirm("case-1/att-1").unwrap();
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
        assert!(root.join("case-1/att-2.pending").is_file(), "kept pending");
        assert_eq!(store.get("case-1/att-2").unwrap(), b"%PDF-1.4");
        store.confirm("case-1/att-2").unwrap();
        assert!(root.join("case-1/att-2").is_file());
        assert!(!root.join("case-1/att-2.pending").exists());
        let mut left: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, ["case-1"], "no partial file is left");
        store.discard("case-1/att-1").unwrap();
        assert!(store.get("case-1/att-1").is_err());
        store.put("case-1/att-3", b"x").unwrap();
        store.discard("case-1/att-3").unwrap();
        assert!(
            store.get("case-1/att-3").is_err(),
            "a pending blob is discarded too"
        );
        let _ = fs::remove_dir_all(root);
    }

    #[test]
    fn pending_blobs_are_listed_once_old_enough_and_partial_writes_removed() {
        let (store, root) = store();
        store.put("case-1/recorded", b"a").unwrap();
        store.confirm("case-1/recorded").unwrap();
        store.put("case-1/orphan", b"b").unwrap();
        // A staged upload cut short, and a partial write of an earlier version of the store.
        let mut staged = store.stage().unwrap();
        staged.write(b"c").unwrap();
        std::mem::forget(staged);
        fs::write(root.join("case-1/cut.partial"), b"c").unwrap();
        let partials = || {
            fs::read_dir(&root)
                .unwrap()
                .chain(fs::read_dir(root.join("case-1")).unwrap())
                .filter(|e| stem_with(&e.as_ref().unwrap().path(), PARTIAL).is_some())
                .count()
        };
        assert!(store.pending(Duration::from_secs(3600)).unwrap().is_empty());
        assert_eq!(partials(), 2, "young: may be under way");
        assert_eq!(store.pending(Duration::ZERO).unwrap(), ["case-1/orphan"]);
        assert_eq!(partials(), 0);
        store.discard("case-1/orphan").unwrap();
        assert!(store.pending(Duration::ZERO).unwrap().is_empty());
        assert_eq!(store.get("case-1/recorded").unwrap(), b"a");
        let _ = fs::remove_dir_all(root);
    }
}
