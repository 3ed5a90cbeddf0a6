//! Faults while a build writes (issue 35, points 1, 3 and 4): a read-only folder inside out/,
//! a full disk (a small tmpfs, where this machine lets the test mount one), the leftovers of
//! a killed build, out/ linked into the inputs. After a failed build out/ is exactly as the
//! previous build left it, and the message names the file that could not be written.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

/// Every file under out/ with its bytes and modification time, but the chart picture cache
/// (keyed by what draws each picture, so an entry added never changes an output).
fn snapshot(root: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(root.join("out"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().to_string_lossy().contains(".yingjian/pictures"))
        .map(|e| {
            let rel = e.path().strip_prefix(root.join("out")).unwrap();
            let meta = e.metadata().unwrap();
            (
                rel.to_string_lossy().into_owned(),
                (std::fs::read(e.path()).unwrap(), meta.modified().unwrap()),
            )
        })
        .collect()
}

/// The baseline county with the first school's pupils changed: every document that shows
/// them is typeset anew.
fn correct_a_cell(root: &Path, pupils: f64) {
    let mut rows = baseline_rows();
    set(&mut rows[0], "在校生数", n(pupils));
    write_schools(root, &rows);
}

/// A folder nobody may write into: mode 0555, or for root (whom modes do not stop) the
/// immutable attribute. `false` when neither holds here.
fn make_read_only(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.join(".probe");
    if std::fs::write(&probe, "").is_ok() {
        let _ = std::fs::remove_file(&probe);
        let _ = Command::new("chattr").arg("+i").arg(dir).status();
    }
    let refused = std::fs::write(&probe, "").is_err();
    let _ = std::fs::remove_file(&probe);
    refused
}

fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = Command::new("chattr").arg("-i").arg(dir).status();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_inside_out_leaves_out_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    yingjian::build(root).unwrap();
    let before = snapshot(root);
    correct_a_cell(root, 810.0);
    // The folder sorted last among out/'s folders holding a document: files before it (the
    // overview, the workbooks at the top) are renamed into place first and must be put back.
    let sub: PathBuf = std::fs::read_dir(root.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with(".yingjian"))
        .max()
        .expect("a folder of documents under out/");
    if !make_read_only(&sub) {
        eprintln!("skipped: {} cannot be made read-only here", sub.display());
        return;
    }
    let result = yingjian::build(root);
    make_writable(&sub);
    let e = result.err().expect("the build must fail");
    let name = sub.file_name().unwrap().to_string_lossy().into_owned();
    let message = e.to_string();
    assert!(
        message.starts_with(&format!("写入 out/{name}/")) && message.ends_with("失败：没有写入权限"),
        "{message}"
    );
    assert_eq!(snapshot(root), before, "out/ changed by a failed build");
    // With the folder writable again the same build goes through and leaves nothing aside.
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    assert_ne!(snapshot(root), before);
    let records: Vec<String> = std::fs::read_dir(root.join("out/.yingjian"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("txn-") || n == "staging")
        .collect();
    assert!(records.is_empty(), "{records:?}");
}

/// A tmpfs of `mb` MB at `dir`, unmounted when dropped; `None` where mounting is not allowed.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, mb: u32) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the disk of `dir` up to the last `spare` bytes or so (in 16 KiB pieces).
fn fill(dir: &Path, spare: usize) {
    use std::io::Write;
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let chunk = vec![7u8; 16 * 1024];
    while f.write_all(&chunk).and_then(|()| f.sync_all()).is_ok() {}
    drop(f);
    let full = std::fs::metadata(dir.join("filler")).unwrap().len();
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("filler"))
        .unwrap();
    f.set_len(full.saturating_sub(spare as u64)).unwrap();
}

#[cfg(unix)]
#[test]
fn a_full_disk_leaves_out_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(&dir.path().join("disk"), 64) else {
        eprintln!("skipped: mounting a tmpfs is not allowed here");
        return;
    };
    let root = disk.0.join("ws");
    baseline(&root);
    yingjian::build(&root).unwrap();
    let before = snapshot(&root);
    correct_a_cell(&root, 820.0);
    // 64 KiB left: less than the new documents need, so staging them fails partway.
    fill(&disk.0, 64 * 1024);
    let e = yingjian::build(&root)
        .err()
        .expect("the build must fail on a full disk");
    let message = e.to_string();
    assert!(
        message.starts_with("写入 out/") && message.ends_with("失败：磁盘空间不足"),
        "{message}"
    );
    assert_eq!(snapshot(&root), before, "out/ changed by a failed build");
    // Space freed: the next build goes through.
    std::fs::remove_file(disk.0.join("filler")).unwrap();
    assert!(!yingjian::build(&root).unwrap().assessment.has_errors());
    assert_ne!(snapshot(&root), before);
}

#[test]
fn a_killed_builds_half_written_files_are_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    yingjian::build(root).unwrap();
    let left = [
        "out/.index.html.99999-3.yingjian-tmp",
        "out/.yingjian/txn-99999/new/index.html",
        "content/.evidence.lock.99999-new.yingjian-tmp",
    ];
    for rel in left {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), "half").unwrap();
    }
    yingjian::build(root).unwrap();
    for rel in left {
        assert!(!root.join(rel).exists(), "{rel} left");
    }
    assert!(!root.join("out/.yingjian/txn-99999").exists());
}

#[cfg(unix)]
#[test]
fn out_linked_into_the_inputs_is_refused_before_anything_is_written() {
    for (target, named) in [
        ("content", "content/"),
        ("evidence/sub", "evidence/"),
        (".", "工作区本身"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        baseline(root);
        std::fs::create_dir_all(root.join("evidence/sub")).unwrap();
        std::os::unix::fs::symlink(root.join(target), root.join("out")).unwrap();
        let listed = listing(root);
        let checked = yingjian::check(root);
        let built = yingjian::build(root).unwrap();
        for a in [&checked, &built.assessment] {
            let d = a
                .diagnostics
                .iter()
                .find(|d| d.code == "out-among-inputs")
                .unwrap_or_else(|| panic!("{target}: {:?}", a.diagnostics));
            assert_eq!(d.at, "out");
            assert!(d.message.contains(named), "{}", d.message);
        }
        assert!(built.outputs.is_empty());
        assert_eq!(listing(root), listed, "{target}: something was written");
    }
}

/// Every path under `root`, links not followed.
fn listing(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .collect()
}

#[test]
fn snapshots_live_outside_out_and_old_ones_are_moved_there() {
    use yingjian::out::snapshots;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    yingjian::build(root).unwrap();
    snapshots::take(root, "省检报送").unwrap();
    assert!(root.join("snapshots/省检报送/snapshot.json").is_file());
    // Deleting out/ loses no snapshot.
    std::fs::remove_dir_all(root.join("out")).unwrap();
    assert!(snapshots::read(root, "省检报送").is_some());
    // Where an earlier version kept them: still read, and moved by the next build.
    yingjian::build(root).unwrap();
    std::fs::create_dir_all(root.join("out/.yingjian/snapshots")).unwrap();
    std::fs::rename(
        root.join("snapshots/省检报送"),
        root.join("out/.yingjian/snapshots/省检报送"),
    )
    .unwrap();
    std::fs::rename(
        root.join("snapshots/.index.json"),
        root.join("out/.yingjian/snapshots.json"),
    )
    .unwrap();
    assert!(snapshots::read(root, "省检报送").is_some());
    yingjian::build(root).unwrap();
    assert!(root.join("snapshots/省检报送/snapshot.json").is_file());
    assert!(!root.join("out/.yingjian/snapshots").exists());
    assert!(!root.join("out/.yingjian/snapshots.json").exists());
    assert_eq!(snapshots::list(root).len(), 1);
}
