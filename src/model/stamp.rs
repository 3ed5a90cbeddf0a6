//! A file's identity as make and cargo take it: size and modification time; for an input, also
//! the file's inode and status-change time, which a copy that keeps the time (cp -p, unzip, a
//! restore, FAT's 2-second stamps) cannot keep.

use std::path::Path;

/// Size and modification time of a file (and, for an input, `node`): while they hold, it is
/// taken to be unchanged without reading it (as make and cargo do).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub secs: u64,
    pub nanos: u32,
    /// The device, inode and status-change time, hashed (0 when not taken, as for the files
    /// the build writes, which a rename moves into place).
    #[serde(default)]
    pub node: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        Stamp::from(&std::fs::metadata(path).ok()?)
    }

    /// The stamp of a file the build reads: a file replaced by another of the same size and
    /// modification time has another inode or status-change time, and is read again.
    pub fn of_input(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp {
            node: node(&meta),
            ..Stamp::from(&meta)?
        })
    }

    fn from(meta: &std::fs::Metadata) -> Option<Stamp> {
        let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(Stamp {
            size: meta.len(),
            secs: since.as_secs(),
            nanos: since.subsec_nanos(),
            node: 0,
        })
    }
}

#[cfg(unix)]
fn node(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    let mut h = crate::hash::Fnv::default();
    h.add(format!("{}:{}:{}:{}", meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()).as_bytes());
    h.0
}

#[cfg(not(unix))]
fn node(meta: &std::fs::Metadata) -> u64 {
    // Windows has no status-change time in std; its creation time changes with a replacement.
    let created = meta
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
    created.map_or(0, |d| d.as_nanos() as u64)
}
