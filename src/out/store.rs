//! out/ as the render stage sees it (`crate::store::Store`): the previous build's documents,
//! the staging folder for documents written as they are made, the chart picture cache.

use std::path::{Path, PathBuf};

use super::manifest::Manifest;
use crate::paths;
use crate::store::{Kept, Store};

/// Under out/: documents written as they are made, moved into place when the build succeeds.
pub const STAGING: &str = ".yingjian/staging";

/// Under out/: the Word report's chart pictures, kept by a hash of what draws each.
const PICTURES: &str = ".yingjian/pictures";

/// out/ of the workspace at `root` during a build, beside the manifest the previous build
/// left. The staging folder starts empty, and whatever is left there when the build ends (it
/// failed) goes with it.
pub struct OutDir<'a> {
    root: &'a Path,
    previous: &'a Manifest,
}

impl<'a> OutDir<'a> {
    pub fn new(root: &'a Path, previous: &'a Manifest) -> Self {
        let dir = OutDir { root, previous };
        let _ = std::fs::remove_dir_all(dir.staging());
        dir
    }

    fn staging(&self) -> PathBuf {
        self.root.join(paths::OUT).join(STAGING)
    }

    fn pictures(&self) -> PathBuf {
        self.root.join(paths::OUT).join(PICTURES)
    }
}

impl Drop for OutDir<'_> {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.staging());
    }
}

impl Store for OutDir<'_> {
    fn kept(&self, rel: &str, input: u64) -> Option<Kept> {
        let o = self.previous.current(self.root, rel, input)?;
        let bytes = std::fs::read(self.root.join(paths::OUT).join(rel)).ok()?;
        Some(Kept {
            bytes,
            pages: o.pages,
            marks: o.marks,
        })
    }

    fn written(&self, rel: &str) -> std::io::Result<(Vec<u8>, Vec<u64>)> {
        let bytes = std::fs::read(self.root.join(paths::OUT).join(rel))?;
        let pages = self
            .previous
            .outputs
            .get(rel)
            .map(|o| o.pages.clone())
            .unwrap_or_default();
        Ok((bytes, pages))
    }

    fn stage(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        super::write_file(&self.staging().join(rel), bytes).map(|_| ())
    }

    fn picture(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.pictures().join(name)).ok()
    }

    fn keep_picture(&self, name: &str, png: &[u8]) {
        let _ = super::write_file(&self.pictures().join(name), png);
    }

    fn marks(&self, rel: &str) -> Option<serde_json::Value> {
        self.previous.outputs.get(rel).and_then(|o| o.marks.clone())
    }

    fn forget_pictures(&self, used: &dyn Fn(&str) -> bool) {
        if let Ok(entries) = std::fs::read_dir(self.pictures()) {
            for e in entries.flatten() {
                if !used(&e.file_name().to_string_lossy()) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
}
