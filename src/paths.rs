//! Names of the workspace: its files and folders. A leaf: it depends on
//! nothing of ours, so every stage can name the input a diagnostic points at.

use std::path::Path;

/// The inputs the materials team edits.
pub const CONTENT: &str = "content";
pub const CONFIG: &str = "content/county.yaml";
pub const SCHOOLS: &str = "content/schools.xlsx";
pub const EVIDENCE: &str = "content/evidence.xlsx";
pub const UNITS: &str = "content/units.yaml";
pub const SCORES: &str = "content/scores.yaml";
pub const TASKS: &str = "content/tasks.yaml";
pub const INDICATORS: &str = "content/indicators.yaml";
/// Owned by yingjian: item numbers and box prints kept between builds.
pub const LOCK: &str = "content/evidence.lock";
/// Owned by yingjian: the forms each `collect` issued and what each `merge --apply` took
/// from which return. Beside the inputs, not under out/: it must outlive `rm -rf out`, and
/// it is walked with content/, so a round or a merge rebuilds the overview that counts it.
pub const RETURNS: &str = "content/.填报记录.json";
/// Narrative Markdown of the report, one file per chapter.
pub const REPORT_DIR: &str = "content/report";
pub const DOCUMENTS_DIR: &str = "content/documents";
pub const DOCUMENTS_INDEX: &str = "content/documents/index.yaml";
pub const EVIDENCE_DIR: &str = "evidence";
/// Workspace versions of the built-in templates.
pub const TEMPLATES_DIR: &str = "templates";
pub const OUT: &str = "out";
/// Snapshots of what was submitted (`yingjian snapshot`): not generated, kept with the inputs.
pub const SNAPSHOTS: &str = "snapshots";

/// Under out/: yingjian's own records.
pub const MANIFEST: &str = ".yingjian/manifest.json";
/// Under out/: what the evidence scan learnt of each file.
pub const SCAN_CACHE: &str = ".yingjian/files.json";
/// Under out/: held while a build runs, so that two builds never write at once.
pub const BUILD_LOCK: &str = ".yingjian/build.lock";
/// Under out/: the assessment of the last build (the change report compares with it).
pub const ASSESSMENT_JSON: &str = "评估结果.json";
pub const CHANGE_REPORT: &str = "变更说明.md";

/// Whether `root/rel` leads outside the workspace, through `..` or a symbolic link (of the
/// file or of a folder on the way). A path that does not exist is not outside.
pub fn outside(root: &Path, rel: &str) -> bool {
    let Ok(base) = root.canonicalize() else { return false };
    match root.join(rel).canonicalize() {
        Ok(real) => !real.starts_with(base),
        Err(_) => false,
    }
}

/// The input folder (content/, evidence/, templates/) that out/ resolves into, or that lies
/// inside it, following links: a build would write its outputs among the inputs, or remove
/// inputs as stale outputs. `None` when out/ is apart from them (or does not exist yet).
pub fn out_among_inputs(root: &Path) -> Option<&'static str> {
    let out = root.join(OUT).canonicalize().ok()?;
    let base = root.canonicalize().ok()?;
    if base.starts_with(&out) {
        return Some(".");
    }
    [CONTENT, EVIDENCE_DIR, TEMPLATES_DIR].into_iter().find(|dir| {
        root.join(dir)
            .canonicalize()
            .is_ok_and(|input| out.starts_with(&input) || input.starts_with(&out))
    })
}

/// What `path` is when it exists but is not a regular file (links followed): a named pipe or
/// a device would block the reader forever, a folder cannot be read as a file. `None` for a
/// regular file or a path that does not exist. Check this before opening any input.
pub fn not_regular(path: &Path) -> Option<&'static str> {
    let t = std::fs::metadata(path).ok()?.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("文件夹");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("命名管道");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("设备文件");
        }
        if t.is_socket() {
            return Some("套接字");
        }
    }
    Some("特殊文件")
}
