//! A file's identity as make and cargo take it: size and modification time.

use std::path::Path;

/// Size and modification time of a file: while they hold, it is taken to be unchanged
/// without reading it (as make and cargo do).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub secs: u64,
    pub nanos: u32,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(Stamp {
            size: meta.len(),
            secs: since.as_secs(),
            nanos: since.subsec_nanos(),
        })
    }
}
