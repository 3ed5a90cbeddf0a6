//! What a killed build leaves behind — half-written `.*.yingjian-tmp` files, transaction and
//! staging folders — removed by the next build once it holds the build lock: every writer of
//! such files holds that lock, so none of them belongs to a running process.

use std::path::Path;

use crate::paths;

/// The ending of every temporary file yingjian writes (`out::replace`, `out::swap`).
pub const TMP_SUFFIX: &str = ".yingjian-tmp";

/// Removes the leftovers of earlier builds under out/, beside the evidence lock and
/// among the snapshots; returns how many it removed. Call only while holding the build lock.
pub fn leftovers(root: &Path) -> usize {
    let mut removed = 0;
    let records = root.join(paths::OUT).join(".yingjian");
    if let Ok(entries) = std::fs::read_dir(&records) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let txn = name.starts_with(super::swap::TXN_PREFIX.trim_start_matches(".yingjian/"));
            if txn && e.file_type().is_ok_and(|t| t.is_dir()) && std::fs::remove_dir_all(e.path()).is_ok() {
                removed += 1;
            }
        }
    }
    // Links are not followed: only files inside the workspace go.
    let dirs = [
        (root.join(paths::OUT), usize::MAX),
        (root.join(paths::CONTENT), 1),
        (root.join(paths::SNAPSHOTS), 2),
    ];
    for (dir, depth) in dirs {
        let walk = walkdir::WalkDir::new(dir).max_depth(depth).follow_links(false);
        for e in walk.into_iter().filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy();
            if e.file_type().is_file()
                && name.starts_with('.')
                && name.ends_with(TMP_SUFFIX)
                && std::fs::remove_file(e.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_a_killed_build_go_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            ("out/.index.html.4242-0.yingjian-tmp", true),
            ("out/档案盒/.A1.pdf.4242-7.yingjian-tmp", true),
            ("out/.yingjian/txn-4242/new/index.html", true),
            ("content/.evidence.lock.4242-new.yingjian-tmp", true),
            ("out/index.html", false),
            ("out/.yingjian/manifest.json", false),
            ("content/county.yaml", false),
            // Not ours: no leading dot, or deeper in content/.
            ("out/说明.yingjian-tmp", false),
            ("content/report/.x.yingjian-tmp", false),
        ];
        for (rel, _) in files {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        // Three files and one transaction folder.
        assert_eq!(leftovers(root), 4);
        for (rel, gone) in files {
            assert_eq!(!root.join(rel).exists(), gone, "{rel}");
        }
    }
}
