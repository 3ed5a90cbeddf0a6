//! `out/.yingjian/manifest.json`: per typeset output, what it was made from and what was
//! written. A document whose input hash is unchanged and whose file is still the one written
//! is not typeset again.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::hash::digest;
use crate::model::Stamp;
use crate::paths;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub outputs: BTreeMap<String, Output>,
    /// What the build that wrote it read and left (a rebuild with nothing changed stops there).
    #[serde(default)]
    pub build: Option<super::unchanged::Record>,
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
    /// A hash of each page's content, in order: which pages to reprint after a change.
    #[serde(default)]
    pub pages: Vec<u64>,
    /// What a part of a document tells the parts after it (src/render/typst/report.rs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marks: Option<serde_json::Value>,
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
            (stamp.is_some() && stamp == o.stamp) || std::fs::read(&path).is_ok_and(|bytes| digest(&bytes) == o.output);
        same.then(|| Output { stamp, ..o.clone() })
    }

    /// Outputs of an earlier build that this one no longer makes (a school removed, say).
    pub fn stale<'a>(&'a self, now: &'a Manifest) -> impl Iterator<Item = &'a String> {
        self.outputs.keys().filter(|r| !now.outputs.contains_key(*r))
    }
}

/// The pages of `was` to print again for `now`, named as printed: the report's pages after its
/// cover and contents by their footer ("第 — 3 — 页"), its cover and contents as such
/// (issue 34 point 11); other documents number their pages from the first.
pub fn reprint(was: &Output, now: &Output) -> Option<String> {
    let front_of = |o: &Output| (o.marks.as_ref()).and_then(|m| m["front"].as_u64()).unwrap_or(0) as usize;
    let front = front_of(now);
    if front == 0 {
        return pages_to_reprint(&was.pages, &now.pages);
    }
    let changed = (0..was.pages.len().max(now.pages.len())).any(|i| was.pages.get(i) != now.pages.get(i));
    if was.pages.is_empty() || !changed {
        return pages_to_reprint(&was.pages, &now.pages);
    }
    let moved = |pages: std::ops::Range<usize>| pages.into_iter().any(|i| was.pages.get(i) != now.pages.get(i));
    let front_pages = match (moved(0..1), moved(1..front)) {
        (true, true) => Some("封面和目录"),
        (true, false) => Some("封面"),
        (false, true) => Some("目录"),
        (false, false) => None,
    };
    // Each version's body after its own front pages (the contents may have grown a page).
    let was_front = if front_of(was) == 0 { front } else { front_of(was) };
    let body = |p: &[u64], f: usize| p.get(f.min(p.len())..).unwrap_or_default().to_vec();
    let rest = pages_to_reprint(&body(&was.pages, was_front), &body(&now.pages, front)).map(|t| {
        // "第 3、17–18 页" → "第 — 3 —、— 17 —至— 18 — 页"
        let inner = t.trim_start_matches("第 ");
        let (list, tail) = inner.rsplit_once(" 页").unwrap_or((inner, ""));
        let printed: Vec<String> = list
            .split('、')
            .map(|run| match run.split_once('–') {
                Some((a, b)) => format!("— {a} —至— {b} —"),
                None => format!("— {run} —"),
            })
            .collect();
        format!("第 {} 页{tail}", printed.join("、"))
    });
    match (front_pages, rest) {
        (Some(f), Some(r)) => Some(format!("{f}，正文{r}")),
        (Some(f), None) => Some(f.to_owned()),
        (None, r) => r,
    }
}

/// The pages of a document to print again: those whose content changed, or from the first
/// changed one on when the page count changed ("第 3、17–18 页", "第 17 页起"); all of them
/// when the earlier version's pages were not recorded. `None` when nothing changed.
pub fn pages_to_reprint(old: &[u64], new: &[u64]) -> Option<String> {
    if old.is_empty() {
        return (!new.is_empty()).then(|| "全部页（上次生成未记录各页）".to_owned());
    }
    let changed: Vec<usize> = (0..old.len().max(new.len()))
        .filter(|&i| old.get(i) != new.get(i))
        .map(|i| i + 1)
        .collect();
    let first = *changed.first()?;
    if old.len() != new.len() {
        return Some(format!("第 {first} 页起"));
    }
    let mut runs: Vec<(usize, usize)> = vec![];
    for p in changed {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    let text: Vec<String> = runs
        .iter()
        .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") })
        .collect();
    Some(format!("第 {} 页", text.join("、")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reports_pages_are_named_by_their_printed_footer() {
        let out = |pages: &[u64], front: Option<u64>| Output {
            input: 0,
            output: 0,
            stamp: None,
            pages: pages.to_vec(),
            marks: front.map(|f| serde_json::json!({ "contents": [], "front": f })),
        };
        // Cover and contents are PDF pages 1–2; PDF page 4 is printed "— 2 —", 6–7 "— 4 —"
        // and "— 5 —".
        let was = out(&[1, 2, 3, 4, 5, 6, 7], Some(2));
        let now = out(&[1, 2, 3, 9, 5, 8, 9], Some(2));
        assert_eq!(reprint(&was, &now).as_deref(), Some("第 — 2 —、— 4 —至— 5 — 页"));
        // A heading moved: the contents (PDF page 2) too.
        let now = out(&[1, 8, 3, 9, 5, 6, 7], Some(2));
        assert_eq!(reprint(&was, &now).as_deref(), Some("目录，正文第 — 2 — 页"));
        // A new date on the cover alone.
        let now = out(&[9, 2, 3, 4, 5, 6, 7], Some(2));
        assert_eq!(reprint(&was, &now).as_deref(), Some("封面"));
        // One page more from PDF page 5 ("— 3 —") on.
        let now = out(&[1, 2, 3, 4, 8, 5, 6, 7], Some(2));
        assert_eq!(reprint(&was, &now).as_deref(), Some("第 — 3 — 页起"));
        // A form (no front pages recorded): PDF pages as they are.
        let (was, now) = (out(&[1, 2, 3], None), out(&[1, 5, 3], None));
        assert_eq!(reprint(&was, &now).as_deref(), Some("第 2 页"));
    }

    #[test]
    fn pages_to_reprint_name_runs_and_the_first_page_on_a_count_change() {
        assert_eq!(
            pages_to_reprint(&[1, 2, 3, 4, 5], &[1, 2, 9, 4, 5]).as_deref(),
            Some("第 3 页")
        );
        assert_eq!(
            pages_to_reprint(&[1, 2, 3, 4, 5], &[1, 8, 9, 4, 7]).as_deref(),
            Some("第 2–3、5 页")
        );
        // One page more from page 4 on: everything after it moved.
        assert_eq!(
            pages_to_reprint(&[1, 2, 3, 4], &[1, 2, 3, 6, 4]).as_deref(),
            Some("第 4 页起")
        );
        assert_eq!(pages_to_reprint(&[1, 2], &[1, 2]), None);
        assert_eq!(
            pages_to_reprint(&[], &[1, 2]).as_deref(),
            Some("全部页（上次生成未记录各页）")
        );
    }
}
