//! Entry points for the fuzzers under `fuzz/` and for replaying their kept inputs in
//! `tests/fuzz_seeds.rs`. Each takes arbitrary bytes and must return without panicking;
//! whatever is wrong with the bytes becomes diagnostics.

use std::path::{Path, PathBuf};

/// The inputs a fuzzer can feed, each standing in for one file of a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// content/schools.xlsx
    Schools,
    /// content/evidence.xlsx
    Evidence,
    /// One YAML file of content/; the first byte chooses which.
    Yaml,
    /// A report chapter (Markdown to document data) and a policy document with front matter.
    Markdown,
    /// A file under evidence/ (hashing, PDF page count).
    EvidenceFile,
}

impl Target {
    pub const ALL: [Target; 5] = [
        Target::Schools,
        Target::Evidence,
        Target::Yaml,
        Target::Markdown,
        Target::EvidenceFile,
    ];

    /// The name of the fuzz target and of its seed folder, fuzz/corpus/<name>/.
    pub fn name(self) -> &'static str {
        match self {
            Target::Schools => "schools_xlsx",
            Target::Evidence => "evidence_xlsx",
            Target::Yaml => "yaml",
            Target::Markdown => "markdown",
            Target::EvidenceFile => "evidence_file",
        }
    }
}

const YAML_FILES: [&str; 6] = [
    crate::paths::CONFIG,
    crate::paths::UNITS,
    crate::paths::SCORES,
    crate::paths::TASKS,
    "content/indicators.yaml",
    "content/documents/index.yaml",
];

/// Feeds `bytes` to `target` in a scratch workspace of this process (for the fuzzers).
pub fn run(target: Target, bytes: &[u8]) {
    if let Some(root) = scratch() {
        run_in(&root, target, bytes);
    }
}

/// Makes `dir` a workspace as `yingjian new` does, with an evidence folder for indicator A1.
pub fn prepare(dir: &Path) -> bool {
    let _ = std::fs::remove_dir_all(dir);
    crate::init::create(dir, "jiangxi-2018", 2026, "2026-11-20").is_ok()
        && std::fs::create_dir_all(dir.join("evidence/A1")).is_ok()
}

/// Feeds `bytes` to `target` in the workspace `root` (made by [`prepare`]); the file is put
/// back as it was afterwards, so every call sees the same workspace.
pub fn run_in(root: &Path, target: Target, bytes: &[u8]) {
    match target {
        Target::Schools => with_file(root, crate::paths::SCHOOLS, bytes, |r| drop(crate::check(r))),
        Target::Evidence => with_file(root, crate::paths::EVIDENCE, bytes, |r| drop(crate::check(r))),
        Target::Yaml => {
            let (choice, rest) = bytes.split_first().unwrap_or((&0, &[]));
            let rel = YAML_FILES[*choice as usize % YAML_FILES.len()];
            with_file(root, rel, rest, |r| drop(crate::check(r)));
        }
        Target::Markdown => {
            let text = String::from_utf8_lossy(bytes);
            let mut diags = crate::diag::Diagnostics::default();
            let _ = crate::render::markdown::blocks(&text, "content/report/fuzz.md", &[], &mut diags);
            with_file(root, "content/documents/fuzz.md", bytes, |r| drop(crate::check(r)));
        }
        Target::EvidenceFile => with_file(root, "evidence/A1/A1-1-fuzz.pdf", bytes, |r| drop(crate::check(r))),
    }
}

/// One workspace per process, under the system's temporary folder.
fn scratch() -> Option<PathBuf> {
    static ROOT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("yingjian-fuzz-{}", std::process::id()));
        prepare(&dir).then_some(dir)
    })
    .clone()
}

fn with_file(root: &Path, rel: &str, bytes: &[u8], f: impl FnOnce(&Path)) {
    let path = root.join(rel);
    let before = std::fs::read(&path).ok();
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    f(root);
    let _ = match before {
        Some(b) => std::fs::write(&path, b),
        None => std::fs::remove_file(&path),
    };
}
