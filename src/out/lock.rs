//! One build at a time per workspace: an exclusive OS lock on `out/.yingjian/build.lock`,
//! held while a build runs and released when it ends or its process dies (as cargo locks
//! its build directory). A second build waits for the first.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use crate::paths;

/// Held for the whole build; dropping it releases the lock.
pub struct BuildLock {
    file: File,
    root: std::path::PathBuf,
}

impl BuildLock {
    /// Releases the lock of a build that wrote nothing; with `remove`, also the lock file
    /// and the folders it needed (out/ did not exist before), if nothing else is in them.
    pub fn release(self, remove: bool) {
        drop(self.file);
        if remove {
            let out = self.root.join(paths::OUT);
            let _ = std::fs::remove_file(out.join(paths::BUILD_LOCK));
            // Its own records and scratch files too (the Word pictures, the report's parts):
            // out/ did not exist before this build.
            if let Some(dir) = out.join(paths::BUILD_LOCK).parent() {
                let _ = std::fs::remove_dir_all(dir);
            }
            let _ = std::fs::remove_dir(out);
        }
    }
}

/// Takes the lock, calling `waiting` once if another build holds it and then waiting for it.
pub fn acquire(root: &Path, waiting: impl FnOnce()) -> std::io::Result<BuildLock> {
    let path = root.join(paths::OUT).join(paths::BUILD_LOCK);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            waiting();
            file.lock()?;
        }
        Err(TryLockError::Error(e)) => return Err(e),
    }
    Ok(BuildLock {
        file,
        root: root.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_build_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), || panic!("nobody holds it yet")).unwrap();
        let (tx, rx) = mpsc::channel();
        let root = dir.path().to_path_buf();
        let second = std::thread::spawn(move || {
            let waited = std::cell::Cell::new(false);
            let lock = acquire(&root, || waited.set(true)).unwrap();
            tx.send(waited.get()).unwrap();
            drop(lock);
        });
        // The second one is still waiting while the first holds the lock.
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());
        drop(first);
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(true));
        second.join().unwrap();
    }
}
