//! The out stage: everything a build writes, and nothing else writes. Outputs go under
//! `out/` atomically; yingjian's records (manifest, scan cache) under `out/.yingjian/`; the
//! one file it owns under content/ is the evidence lock. One build at a time (`lock`).

pub mod changes;
pub mod commit;
pub mod inputs;
pub mod lock;
pub mod manifest;
pub mod records;
pub mod returns;
pub mod snapshots;
pub mod store;
pub mod swap;
pub mod tidy;
pub mod unchanged;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::paths;

/// Writes `bytes` to `root/out/rel` via a temporary file renamed into place, so a reader
/// never sees half a file and a failed write leaves the previous version intact.
/// Returns whether the file changed (identical content is not rewritten).
pub fn write(root: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<bool> {
    write_file(&root.join(paths::OUT).join(rel), bytes)
}

/// Atomic write of any path (the caller decides it may be written). The temporary name is
/// unique to the process and the call, so two writers never share one.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    replace(path, bytes).map(|()| true)
}

/// Atomic write of a file known to differ from what `path` holds (no reading it first).
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let path = path.to_path_buf();
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let seq = SEQ.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{seq}.yingjian-tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_skips_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write(dir.path(), "a/b.json", b"1").unwrap());
        assert!(!write(dir.path(), "a/b.json", b"1").unwrap());
        assert!(write(dir.path(), "a/b.json", b"2").unwrap());
        assert_eq!(std::fs::read(dir.path().join("out/a/b.json")).unwrap(), b"2");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("out/a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }
}
