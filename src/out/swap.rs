//! A build's files put in place all or none: every new file is first written whole into a
//! staging folder beside the outputs (`out/.yingjian/txn-<pid>/`), so that a full disk or a
//! refused write fails before anything under out/ changes; then each is renamed into place,
//! the file it replaces put aside first, and when a rename fails every file already moved is
//! put back (as git swaps its index and cargo its build directory: write aside, then rename).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::paths;

/// Under out/: the folders of builds' transactions (`txn-<pid>`).
pub const TXN_PREFIX: &str = ".yingjian/txn-";

/// Why a file could not be written, named as the user sees it ("out/index.html").
#[derive(Debug)]
pub struct WriteFailed {
    /// The file, relative to the workspace.
    pub file: String,
    pub reason: String,
}

impl std::fmt::Display for WriteFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "写入 {} 失败：{}", self.file, self.reason)
    }
}

impl std::error::Error for WriteFailed {}

/// The error of writing `file` (relative to the workspace), its OS reason in Chinese.
pub fn failed(file: &str, e: &std::io::Error) -> std::io::Error {
    std::io::Error::new(
        e.kind(),
        WriteFailed {
            file: file.to_owned(),
            reason: reason(e),
        },
    )
}

/// An OS error in words a user reads: never the library's English.
pub fn reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if let Some(w) = e.get_ref().and_then(|r| r.downcast_ref::<WriteFailed>()) {
        return w.to_string();
    }
    let text = match e.kind() {
        K::StorageFull => "磁盘空间不足",
        K::QuotaExceeded => "超出磁盘配额",
        K::PermissionDenied => "没有写入权限",
        K::ReadOnlyFilesystem => "所在磁盘或文件夹是只读的",
        K::NotFound => "文件夹不存在或已被移走",
        K::IsADirectory => "同名的文件夹占据了该位置",
        K::NotADirectory => "路径中的某一级是文件而不是文件夹",
        K::DirectoryNotEmpty => "同名的文件夹不为空",
        K::FileTooLarge => "文件超出该磁盘允许的大小",
        K::InvalidFilename => "文件名不被该磁盘接受",
        K::ResourceBusy | K::ExecutableFileBusy => "文件正被其他程序占用",
        K::CrossesDevices => "out/ 中有文件夹位于另一个磁盘上",
        K::TooManyLinks => "文件夹中的链接过多",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("系统错误（错误码 {code}）"),
                None => "系统错误".to_owned(),
            };
        }
    };
    text.to_owned()
}

/// What to do about a failed write; out/ is always left as the previous build made it.
pub fn hint(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => {
            "out/ 仍是上次生成的结果；请腾出磁盘空间（或把工作区移到空间更大的磁盘）后重新运行 yingjian build"
        }
        K::PermissionDenied | K::ReadOnlyFilesystem => {
            "out/ 仍是上次生成的结果；请检查 out/ 及其子文件夹是否只读、是否在其他程序中打开，改正后重新运行 yingjian build"
        }
        _ => "out/ 仍是上次生成的结果；排除上述问题后重新运行 yingjian build",
    }
}

/// One file to put in place: the new bytes staged at `staged`, the file it replaces to go to
/// `backup`.
struct Entry {
    target: PathBuf,
    /// `None`: the file goes (a stale output).
    staged: Option<PathBuf>,
    backup: PathBuf,
    /// The file as the user names it.
    shown: String,
}

/// A build's writes, staged and not yet in place. Dropping it unfinished leaves out/ as it
/// was and removes the staged files.
pub struct Txn {
    root: PathBuf,
    dir: PathBuf,
    entries: Vec<Entry>,
    /// Target → staged file, of the entries that bring a file.
    sources: std::collections::HashMap<PathBuf, PathBuf>,
}

impl Txn {
    /// A fresh staging folder under out/ for this process.
    pub fn new(root: &Path) -> std::io::Result<Txn> {
        let dir = root
            .join(paths::OUT)
            .join(format!("{TXN_PREFIX}{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| failed(&format!("{}/{TXN_PREFIX}…", paths::OUT), &e))?;
        Ok(Txn {
            root: root.to_path_buf(),
            dir,
            entries: vec![],
            sources: Default::default(),
        })
    }

    /// Where the new bytes of `out/rel` are staged.
    pub fn staged_path(&self, rel: &str) -> PathBuf {
        self.dir.join("new").join(rel)
    }

    /// Writes the new bytes of `out/rel` into the staging folder (thread-safe: one file per
    /// call; `add` records it afterwards).
    pub fn stage(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.staged_path(rel);
        write_synced(&path, bytes).map_err(|e| failed(&format!("{}/{rel}", paths::OUT), &e))
    }

    /// Records `out/rel`, staged by `stage`, to be put in place.
    pub fn add(&mut self, rel: &str) {
        let staged = self.staged_path(rel);
        self.add_from(rel, staged);
    }

    /// Records `out/rel` to be put in place from `staged`, a file already written whole under
    /// out/ (a box book made as it was typeset).
    pub fn add_from(&mut self, rel: &str, staged: PathBuf) {
        let target = self.root.join(paths::OUT).join(rel);
        self.sources.insert(target.clone(), staged.clone());
        self.entries.push(Entry {
            target,
            staged: Some(staged),
            backup: self.dir.join("old").join(rel),
            shown: format!("{}/{rel}", paths::OUT),
        });
    }

    /// Where `out/rel` will come from: its staged file, or itself when it is left as it is.
    pub fn source(&self, rel: &str) -> PathBuf {
        let target = self.root.join(paths::OUT).join(rel);
        self.sources.get(&target).cloned().unwrap_or(target)
    }

    /// Records `out/rel` to be removed with the rest.
    pub fn remove(&mut self, rel: &str) {
        let target = self.root.join(paths::OUT).join(rel);
        if target.symlink_metadata().is_ok() {
            self.entries.push(Entry {
                target,
                staged: None,
                backup: self.dir.join("old").join(rel),
                shown: format!("{}/{rel}", paths::OUT),
            });
        }
    }

    /// Stages and records a file of the workspace outside out/ (`rel` from the root: the
    /// evidence lock), beside it, so that the rename stays on its disk.
    pub fn put_beside(&mut self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let target = self.root.join(rel);
        let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let id = std::process::id();
        let staged = dir.join(format!(".{name}.{id}-new.yingjian-tmp"));
        write_synced(&staged, bytes).map_err(|e| failed(rel, &e))?;
        self.entries.push(Entry {
            target,
            staged: Some(staged),
            backup: dir.join(format!(".{name}.{id}-old.yingjian-tmp")),
            shown: rel.to_owned(),
        });
        Ok(())
    }

    /// Puts every recorded file in place, in the order recorded; when one cannot be, puts
    /// back those already moved and names it. Either way the staging folder goes.
    pub fn commit(mut self) -> std::io::Result<()> {
        let entries = std::mem::take(&mut self.entries);
        let mut done: Vec<(&Entry, bool)> = Vec::with_capacity(entries.len());
        for e in &entries {
            match swap(e) {
                Ok(had) => done.push((e, had)),
                Err(err) => {
                    for (e, had) in done.into_iter().rev() {
                        undo(e, had);
                    }
                    for e in &entries {
                        if let Some(s) = &e.staged {
                            let _ = std::fs::remove_file(s);
                        }
                    }
                    return Err(failed(&e.shown, &err));
                }
            }
        }
        for e in &entries {
            let _ = std::fs::remove_file(&e.backup);
        }
        Ok(())
    }
}

impl Drop for Txn {
    fn drop(&mut self) {
        for e in &self.entries {
            // Staged beside its target (the lock): not under the staging folder.
            if let Some(s) = e.staged.as_ref().filter(|s| !s.starts_with(&self.dir)) {
                let _ = std::fs::remove_file(s);
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Puts one file in place: the old one aside, the new one in. Whether there was an old one.
fn swap(e: &Entry) -> std::io::Result<bool> {
    let had = e.target.symlink_metadata().is_ok();
    if had {
        if let Some(dir) = e.backup.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(&e.target, &e.backup)?;
    }
    let Some(staged) = &e.staged else {
        return Ok(had);
    };
    let result = (|| {
        if let Some(dir) = e.target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(staged, &e.target)
    })();
    match result {
        Ok(()) => Ok(had),
        Err(err) => {
            if had {
                let _ = std::fs::rename(&e.backup, &e.target);
            }
            Err(err)
        }
    }
}

/// Puts back the file `swap` replaced (or removes the one it added).
fn undo(e: &Entry, had: bool) {
    if had {
        let _ = std::fs::rename(&e.backup, &e.target);
    } else {
        let _ = std::fs::remove_file(&e.target);
    }
}

/// Writes `bytes` to a new file at `path` and syncs it to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(root: &Path, rel: &str) -> Option<String> {
        std::fs::read_to_string(root.join("out").join(rel)).ok()
    }

    #[test]
    fn all_files_go_in_place_together() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("out/a")).unwrap();
        std::fs::write(root.join("out/a/old.txt"), "旧").unwrap();
        std::fs::write(root.join("out/stale.txt"), "过时").unwrap();
        let mut t = Txn::new(root).unwrap();
        t.stage("a/old.txt", "新".as_bytes()).unwrap();
        t.add("a/old.txt");
        t.stage("b/new.txt", "新增".as_bytes()).unwrap();
        t.add("b/new.txt");
        t.remove("stale.txt");
        t.commit().unwrap();
        assert_eq!(read(root, "a/old.txt").as_deref(), Some("新"));
        assert_eq!(read(root, "b/new.txt").as_deref(), Some("新增"));
        assert_eq!(read(root, "stale.txt"), None);
        // Nothing of the transaction left.
        let left: Vec<_> = std::fs::read_dir(root.join("out/.yingjian")).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_refused_rename_puts_back_what_was_moved() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("out/ro")).unwrap();
        std::fs::write(root.join("out/first.txt"), "1").unwrap();
        std::fs::write(root.join("out/ro/second.txt"), "2").unwrap();
        std::fs::write(root.join("out/gone.txt"), "3").unwrap();
        let mut t = Txn::new(root).unwrap();
        t.remove("gone.txt");
        for rel in ["first.txt", "ro/second.txt"] {
            t.stage(rel, b"new").unwrap();
            t.add(rel);
        }
        let ro = root.join("out/ro");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        if std::fs::write(ro.join("probe"), "").is_ok() {
            // Root, whom modes do not stop: the immutable attribute does.
            std::fs::remove_file(ro.join("probe")).unwrap();
            let _ = std::process::Command::new("chattr").arg("+i").arg(&ro).status();
        }
        let refused = std::fs::write(ro.join("probe"), "").is_err();
        let result = t.commit();
        let _ = std::process::Command::new("chattr").arg("-i").arg(&ro).status();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        if !refused {
            return; // the folder cannot be made read-only here
        }
        let e = result.unwrap_err();
        assert_eq!(e.to_string(), "写入 out/ro/second.txt 失败：没有写入权限");
        assert_eq!(read(root, "first.txt").as_deref(), Some("1"));
        assert_eq!(read(root, "ro/second.txt").as_deref(), Some("2"));
        assert_eq!(read(root, "gone.txt").as_deref(), Some("3"));
    }

    #[test]
    fn os_errors_are_told_in_chinese() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(
            failed("out/index.html", &full).to_string(),
            "写入 out/index.html 失败：磁盘空间不足"
        );
        let ro = std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem);
        assert_eq!(reason(&ro), "所在磁盘或文件夹是只读的");
        assert_eq!(
            reason(&std::io::Error::from_raw_os_error(9999)),
            "系统错误（错误码 9999）"
        );
    }
}
