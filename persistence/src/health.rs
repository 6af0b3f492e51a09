//! What readiness checks beyond a ping: that a write can be committed, and that the disks
//! the server writes to have room.
//!
//! The heartbeat is infrastructure, not a change anyone made: it is not audited.

use std::io;
use std::path::Path;

use diesel::sql_types::Text;
use diesel::RunQueryDsl;

use crate::db::DbConnection;
use crate::error::StoreError;

/// Rewrites the one heartbeat row: a real write, which fails when the database cannot
/// commit (a full disk, a read-only database).
pub fn heartbeat(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::sql_query(
        "INSERT INTO heartbeat (id, beat_at) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at",
    )
    .bind::<Text, _>(crate::now().to_string())
    .execute(conn)?;
    Ok(())
}

/// Whether this process can create a file in `dir`: a probe file is written and removed. A
/// directory made read-only, or whose permissions changed under the server, fails here
/// rather than at the next upload.
pub fn check_writable(dir: &Path) -> io::Result<()> {
    let probe = dir.join(format!(".write-probe-{}", std::process::id()));
    let written = std::fs::write(&probe, b"probe");
    let _ = std::fs::remove_file(&probe);
    written.map_err(|e| io::Error::new(e.kind(), format!("cannot write in {}: {e}", dir.display())))
}

/// Bytes that an unprivileged process can still write on the file system holding `path`.
#[cfg(unix)]
pub fn available_bytes(path: &Path) -> io::Result<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path with a NUL byte"))?;
    // SAFETY: `c_path` is a valid NUL-terminated string and `stats` a properly sized,
    // zeroed buffer that statvfs fills; neither outlives the call.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stats) } != 0 {
        return Err(io::Error::last_os_error());
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Ok(stats.f_bavail as u64 * stats.f_frsize as u64)
}

/// Elsewhere free space is not checked.
#[cfg(not(unix))]
pub fn available_bytes(_path: &Path) -> io::Result<u64> {
    Ok(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_temporary_directory_has_some_room() {
        let free = available_bytes(&std::env::temp_dir()).unwrap();
        assert!(free > 0);
        assert!(available_bytes(Path::new("/no/such/directory")).is_err());
    }

    #[test]
    fn a_directory_that_takes_no_file_is_not_writable() {
        let dir = std::env::temp_dir();
        check_writable(&dir).unwrap();
        let missing = check_writable(Path::new("/no/such/directory")).unwrap_err();
        assert!(
            missing.to_string().contains("/no/such/directory"),
            "{missing}"
        );
    }
}
