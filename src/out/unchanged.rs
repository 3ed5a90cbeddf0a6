//! A rebuild with nothing changed makes no document data at all: the stamp of everything a
//! build reads — the files under content/ and templates/ (size and modification time, as make
//! takes them), the evidence files' content hashes, the assessment the rules gave, the options
//! and the version — is kept with the last build's record; while it holds and every file that
//! build wrote is still as written, out/ is current.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::hash::Fnv;
use crate::model::{Lock, Stamp, Workspace};
use crate::paths;

/// What the last successful build read and wrote (in the manifest).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The stamp of its inputs (`stamp`).
    pub inputs: u64,
    /// Every file it left under out/, as written.
    pub files: BTreeMap<String, Stamp>,
    /// The warnings found while making the documents' data (missing glyphs, say), which a
    /// rebuild that skips that work still gives.
    #[serde(with = "stored")]
    pub warnings: Vec<Diagnostic>,
}

/// Diagnostics as the record keeps them: the code read back is the program's own, one of a
/// few dozen, each kept once for the process.
mod stored {
    use super::*;
    use crate::diag::{Location, Severity};

    #[derive(Serialize, Deserialize)]
    struct Stored {
        severity: Severity,
        code: String,
        message: String,
        hint: Option<String>,
        location: Location,
        at: String,
    }

    pub fn serialize<S: serde::Serializer>(list: &[Diagnostic], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(list.iter().map(|d| Stored {
            severity: d.severity,
            code: d.code.to_owned(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            location: d.location.clone(),
            at: d.at.clone(),
        }))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Diagnostic>, D::Error> {
        let list = Vec::<Stored>::deserialize(d)?;
        Ok(list
            .into_iter()
            .map(|s| Diagnostic {
                severity: s.severity,
                code: code(s.code),
                message: s.message,
                hint: s.hint,
                location: s.location,
                at: s.at,
            })
            .collect())
    }

    fn code(s: String) -> &'static str {
        static CODES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
        let mut codes = CODES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = codes.iter().find(|c| **c == s) {
            return c;
        }
        let c: &'static str = Box::leak(s.into_boxed_str());
        codes.push(c);
        c
    }
}

/// The stamp of the files under content/ and templates/ (and of the snapshot list) as they are now (size and
/// modification time of each; content/evidence.lock, the build's own, left out): taken
/// before anything is read, so that a file saved while the build runs is read again next time.
pub fn walk(root: &Path) -> u64 {
    let mut h = Fnv::default();
    for dir in [paths::CONTENT, paths::TEMPLATES_DIR] {
        let walk = walkdir::WalkDir::new(root.join(dir)).sort_by_file_name();
        for entry in walk.into_iter().filter_map(Result::ok) {
            // Files only: a folder's time changes when the build rewrites the lock inside it.
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            if rel == Path::new(paths::LOCK) {
                continue;
            }
            h.add(format!("{}:{:?};", rel.display(), Stamp::of_input(entry.path())).as_bytes());
        }
    }
    // A snapshot taken since changes the overview.
    let snapshots = root.join(crate::out::snapshots::INDEX);
    h.add(format!("{:?}", Stamp::of(&snapshots)).as_bytes());
    h.0
}

/// The stamp of a build's inputs: `walked` the files (`walk`), `assessed` the assessment with
/// the load and rule findings, serialised; `lock` the evidence numbering as the next build will
/// read it (the file is the build's own to rewrite); `box_books` the option that adds
/// documents; `builtin` the built-in templates and `overview` the built-in overview page
/// (src/render/templates.rs), for a binary rebuilt without a new version.
pub fn stamp(
    walked: u64,
    ws: &Workspace,
    assessed: &[u8],
    lock: &Lock,
    box_books: bool,
    builtin: &[(&str, &str)],
    overview: &str,
) -> u64 {
    let mut h = Fnv::default();
    h.add(format!("{}|{box_books}|{walked}|", env!("CARGO_PKG_VERSION")).as_bytes());
    h.add(assessed);
    let _ = serde_json::to_writer(&mut h, lock);
    for f in &ws.files {
        h.add(format!("{}:{}:{:?};", f.rel, f.size, f.hash).as_bytes());
    }
    for (name, text) in builtin {
        h.add(name.as_bytes());
        h.add(text.as_bytes());
    }
    h.add(overview.as_bytes());
    h.0
}

/// Whether every file `record` lists is still under out/ as that build wrote it.
pub fn intact(root: &Path, record: &Record) -> bool {
    let out = root.join(paths::OUT);
    !record.files.is_empty()
        && record
            .files
            .iter()
            .all(|(rel, stamp)| Stamp::of(&out.join(rel)).as_ref() == Some(stamp))
}
