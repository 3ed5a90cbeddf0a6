//! `out/.yingjian/manifest.json`: per typeset output, what it was made from and what was
//! written. A document whose input hash is unchanged and whose file is still the one written
//! is not typeset again.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::hash::fnv1a;
use crate::model::Stamp;
use crate::paths;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub outputs: BTreeMap<String, Output>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// Hash of the version, templates, data and placed files.
    pub input: u64,
    /// Hash of the bytes written.
    pub output: u64,
    /// Size and modification time of the file as written: while they hold, the file is taken
    /// to be unchanged without reading it (as make and cargo do); otherwise it is hashed.
    pub stamp: Option<Stamp>,
}

impl Manifest {
    /// The manifest the last build left (empty when absent or unreadable).
    pub fn read(root: &Path) -> Manifest {
        std::fs::read_to_string(root.join(paths::OUT).join(paths::MANIFEST))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// The record of `out/<rel>` when that file is still what `input` made last time.
    pub fn current(&self, root: &Path, rel: &str, input: u64) -> Option<Output> {
        let o = self.outputs.get(rel).filter(|o| o.input == input)?;
        let path = root.join(paths::OUT).join(rel);
        let stamp = Stamp::of(&path);
        let same =
            (stamp.is_some() && stamp == o.stamp) || std::fs::read(&path).is_ok_and(|bytes| fnv1a(&bytes) == o.output);
        same.then(|| Output { stamp, ..o.clone() })
    }

    /// Outputs of an earlier build that this one no longer makes (a school removed, say).
    pub fn stale<'a>(&'a self, now: &'a Manifest) -> impl Iterator<Item = &'a String> {
        self.outputs.keys().filter(|r| !now.outputs.contains_key(*r))
    }
}
