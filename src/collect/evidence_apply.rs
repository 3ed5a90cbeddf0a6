//! `merge --apply` for the units' evidence rows (issue 33 point 3): every accepted row's file
//! is copied under evidence/ by the catalogue's naming and the row appended to
//! content/evidence.xlsx (状态 已提交, 来源 the return); the record keeps who sent what, and
//! the refusals still standing. Planned here, written by `commit` all or none.

use std::collections::HashSet;
use std::path::Path;

use super::catalogue::{self, Value};
use super::evidence_return::{EvidenceReturn, EvidenceRow, Source};
use crate::model::ReturnRecord;
use crate::model::evidence::Status;
use crate::model::evidence::columns::{SOURCE, STATUS};
use crate::model::returns::{EvidenceRefused, EvidenceTaken};
use crate::paths;

/// A file to copy: where from, and its path under evidence/ ("A5/A5-1-运动场验收报告.pdf").
#[derive(Debug, Clone)]
pub struct Copy {
    pub source: Source,
    pub stored: String,
}

/// What the evidence rows of a merge write.
#[derive(Debug, Default)]
pub struct Plan {
    pub copies: Vec<Copy>,
    /// content/evidence.xlsx as it is (`None`: absent, made from `yingjian new`'s blank
    /// catalogue) and with the accepted rows appended; `None` when no row was accepted.
    pub catalogue: Option<(Option<Vec<u8>>, Vec<u8>)>,
    /// Rows refused.
    pub refused: usize,
}

/// Titles longer than this are cut in the stored file's name (a name over 255 bytes cannot
/// be created; a Chinese character takes 3).
const TITLE_CHARS: usize = 60;

/// 来源 of a row: "人社局(1).xlsx，2026-11-20 合并".
pub fn source_text(file: &str, date: &str) -> String {
    format!("{file}，{date} 合并")
}

/// Where an accepted row's file goes under evidence/: `<指标>/<指标>-<要点>-<题名>.<ext>`,
/// with "(2)", "(3)"… when that name is taken on disk, by the catalogue (`listed`, compared
/// without letter case) or by an earlier row of this merge (`taken`, lower case).
pub fn stored_name(
    root: &Path,
    row: &EvidenceRow,
    source: &Source,
    listed: &HashSet<String>,
    taken: &mut HashSet<String>,
) -> String {
    let name = source.name();
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| format!(".{}", e.to_lowercase()))
        .unwrap_or_default();
    let title: String = super::file_name(&row.title).chars().take(TITLE_CHARS).collect();
    let title = if title.is_empty() {
        super::file_name(name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s))
    } else {
        title
    };
    let (ind, point) = (
        super::file_name(row.indicator.trim()),
        super::file_name(row.point.trim()),
    );
    let stem = format!("{ind}-{point}-{}", title.trim());
    for k in 1.. {
        let rel = match k {
            1 => format!("{ind}/{stem}{ext}"),
            k => format!("{ind}/{stem}({k}){ext}"),
        };
        let low = rel.to_lowercase();
        let on_disk = root.join(paths::EVIDENCE_DIR).join(&rel).exists();
        if !on_disk && !listed.contains(&low) && !taken.contains(&low) {
            taken.insert(low);
            return rel;
        }
    }
    unreachable!("an unbounded counter finds a free name")
}

/// The catalogue row of an accepted row stored at `stored`.
fn catalogue_row(unit: &str, from: &str, row: &EvidenceRow, stored: &str, original: &str) -> catalogue::Row {
    let text = |s: &str| Value::Text(s.to_owned());
    let mut out = vec![
        ("指标", text(row.indicator.trim())),
        ("要点", text(row.point.trim())),
        ("题名", text(row.title.trim())),
    ];
    let optional = [("责任者", &row.author), ("文号", &row.doc_no)];
    for (h, v) in optional {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            out.push((h, text(v)));
        }
    }
    if let Some(d) = row.date {
        // As the sample catalogue writes dates (DA/T 22-2015: YYYYMMDD).
        out.push(("日期", text(&d.compact())));
    }
    if let Some(p) = row.pages.or(row.counted_pages) {
        out.push(("页数", Value::Number(p as f64)));
    }
    out.push(("文件", text(stored)));
    out.push(("责任单位", text(unit)));
    if let Some(s) = row.secrecy.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        out.push(("密级", text(s)));
    }
    out.push(("备注", text(&format!("原文件名：{original}"))));
    out.push((STATUS, text(Status::Submitted.label())));
    out.push((SOURCE, text(from)));
    out
}

/// The copies and the catalogue of `returns` merged on `date`. `listed` holds the catalogue's
/// 文件 paths in lower case; `blank` makes the catalogue when content/evidence.xlsx is absent.
pub fn plan(
    root: &Path,
    returns: &[EvidenceReturn],
    date: &str,
    listed: &HashSet<String>,
    blank: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<Plan, String> {
    let mut plan = Plan::default();
    let mut rows = vec![];
    let mut taken = HashSet::new();
    for ret in returns {
        for row in &ret.rows {
            if !row.accepted() {
                plan.refused += 1;
                continue;
            }
            let Some(source) = &row.source else {
                return Err(format!("{}：没有找到这一行的文件", row.at));
            };
            let stored = stored_name(root, row, source, listed, &mut taken);
            rows.push(catalogue_row(
                &ret.unit,
                &source_text(&ret.file, date),
                row,
                &stored,
                &source.name(),
            ));
            plan.copies.push(Copy {
                source: source.clone(),
                stored,
            });
        }
    }
    if rows.is_empty() {
        return Ok(plan);
    }
    let path = root.join(paths::EVIDENCE);
    let old = match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(format!(
                "无法读取 {}：{}",
                paths::EVIDENCE,
                crate::out::swap::reason(&e)
            ));
        }
    };
    let base = match &old {
        Some(b) => b.clone(),
        None => blank()?,
    };
    let (new, _) = catalogue::append(&base, &rows)?;
    plan.catalogue = Some((old, new));
    Ok(plan)
}

/// Whether two rows are the same item sent again: same unit, indicator, point and title.
fn same(unit: &str, row: &EvidenceRow, r: &EvidenceRefused) -> bool {
    r.unit.trim() == unit.trim()
        && r.indicator.trim() == row.indicator.trim()
        && r.point.trim() == row.point.trim()
        && r.title.trim() == row.title.trim()
}

/// `record` with the rows of `returns` merged on `date`: each accepted row taken (stored as
/// `plan` copies them, in the same order), each refused row's refusal replacing an earlier
/// one of the same row; an accepted row drops the refusal of the same row.
pub fn record(record: &mut ReturnRecord, returns: &[EvidenceReturn], plan: &Plan, date: &str) {
    let round = record.current_round();
    let mut copies = plan.copies.iter();
    for ret in returns {
        for row in &ret.rows {
            record.refused.retain(|r| !same(&ret.unit, row, r));
            if row.accepted() {
                let Some(copy) = copies.next() else { continue };
                record.evidence.push(EvidenceTaken {
                    round,
                    date: date.to_owned(),
                    file: ret.file.clone(),
                    unit: ret.unit.clone(),
                    indicator: row.indicator.trim().to_owned(),
                    point: row.point.trim().to_owned(),
                    title: row.title.trim().to_owned(),
                    stored: copy.stored.clone(),
                    original: copy.source.name(),
                });
            } else {
                record.refused.push(EvidenceRefused {
                    round,
                    date: date.to_owned(),
                    file: ret.file.clone(),
                    unit: ret.unit.clone(),
                    at: row.at.clone(),
                    indicator: row.indicator.trim().to_owned(),
                    point: row.point.trim().to_owned(),
                    title: row.title.trim().to_owned(),
                    file_name: row.file_name.clone(),
                    reasons: row.refusals.clone(),
                });
            }
        }
    }
}

/// Copies `copies` under `root`/evidence/, each to a name that must not exist yet; on a
/// failure the files and folders made so far are removed and Err says why. Returns what was
/// made (files, then the folders created, outermost first), for `remove`.
pub fn copy(root: &Path, copies: &[Copy]) -> Result<Vec<std::path::PathBuf>, String> {
    use std::io::Write;
    let mut made = vec![];
    for c in copies {
        let dest = root.join(paths::EVIDENCE_DIR).join(&c.stored);
        let shown = format!("{}/{}", paths::EVIDENCE_DIR, c.stored);
        let result = (|| {
            let dir = dest.parent().unwrap_or(root);
            let mut missing = vec![];
            let mut d = dir;
            while !d.exists() {
                missing.push(d.to_path_buf());
                match d.parent() {
                    Some(p) => d = p,
                    None => break,
                }
            }
            std::fs::create_dir_all(dir).map_err(|e| (e, false))?;
            made.extend(missing.into_iter().rev());
            let bytes = c.source.read().map_err(|e| (e, true))?;
            // create_new: an existing file is never overwritten, even one that appeared
            // since the names were chosen.
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&dest)
                .map_err(|e| (e, false))?;
            made.push(dest.clone());
            f.write_all(&bytes).and_then(|()| f.sync_all()).map_err(|e| (e, false))
        })();
        if let Err((e, reading)) = result {
            remove(&made);
            let reason = crate::out::swap::reason(&e);
            return Err(if reading {
                let why = match e.kind() {
                    std::io::ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
                    std::io::ErrorKind::NotFound => "文件不存在或已被移走".to_owned(),
                    _ => reason,
                };
                format!("无法读取回收的文件 {}：{why}", c.source.name())
            } else {
                format!("无法把 {} 复制为 {shown}：{reason}", c.source.name())
            });
        }
    }
    Ok(made)
}

/// Removes what `copy` made: files, then folders innermost first (only when empty).
pub fn remove(made: &[std::path::PathBuf]) -> Vec<String> {
    let mut left = vec![];
    for p in made.iter().rev() {
        let r = if p.is_dir() {
            std::fs::remove_dir(p)
        } else {
            std::fs::remove_file(p)
        };
        if let Err(e) = r
            && e.kind() != std::io::ErrorKind::NotFound
        {
            left.push(p.display().to_string());
        }
    }
    left
}

/// The plan of `returns` and the catalogue as loaded (its 退回 rows go to 退回清单);
/// `None` when no form brought evidence rows.
pub fn prepare(
    root: &Path,
    returns: &[EvidenceReturn],
    date: &str,
) -> Result<Option<(Plan, Vec<crate::model::EvidenceItem>)>, String> {
    if returns.iter().all(|r| r.rows.is_empty()) {
        return Ok(None);
    }
    let (ws, _) = crate::load::load(root);
    let listed: HashSet<String> = ws
        .evidence
        .iter()
        .filter_map(|i| i.file.as_deref())
        .map(str::to_lowercase)
        .collect();
    let blank = || crate::init::evidence_template(&ws.profile).map_err(|e| format!("无法生成空白的佐证材料清单：{e}"));
    let plan = plan(root, returns, date, &listed, blank)?;
    Ok(Some((plan, ws.evidence)))
}

/// Writes or removes 退回清单 for each unit of `returns` once the merge is written; the
/// sentence for the user: "已把 3 件佐证材料复制到 evidence/ …；2 件退回，见 out/退回清单/人社局.xlsx。"
pub fn finish(
    root: &Path,
    returns: &[EvidenceReturn],
    plan: &Plan,
    written: &super::commit::Written,
    record: &ReturnRecord,
    items: &[crate::model::EvidenceItem],
    date: &str,
) -> String {
    let mut units: Vec<&str> = vec![];
    for r in returns {
        if !units.contains(&r.unit.as_str()) {
            units.push(&r.unit);
        }
    }
    let (mut lists, mut cleared, mut failed) = (vec![], vec![], vec![]);
    for unit in units {
        let existed = root.join(paths::OUT).join(super::return_list::rel(unit)).exists();
        match super::return_list::write(root, unit, date, record, items) {
            Ok(Some(rel)) => lists.push(format!("out/{rel}")),
            Ok(None) if existed => cleared.push(format!("{unit}（已删除 out/{}）", super::return_list::rel(unit))),
            Ok(None) => {}
            Err(e) => failed.push(e),
        }
    }
    let n = plan.copies.len();
    let mut s = if n == 0 {
        "没有接收新的佐证材料".to_owned()
    } else {
        let backup = match written.evidence.as_deref() {
            Some("") | None => format!("{} 原来没有，已按空白清单新建", paths::EVIDENCE),
            Some(b) => format!("原清单备份在 {b}"),
        };
        format!(
            "已把 {n} 件佐证材料复制到 evidence/ 并登记到 {}（状态“已提交”），{backup}",
            paths::EVIDENCE
        )
    };
    if plan.refused > 0 {
        s += &format!("；{} 件退回", plan.refused);
        if !lists.is_empty() {
            s += &format!("，见 {}", lists.join("、"));
        }
    }
    s += "。";
    if !cleared.is_empty() {
        s += &format!("\n这些单位已没有待重新提交的佐证材料：{}。", cleared.join("、"));
    }
    for e in failed {
        s += &format!("\n{e}（佐证材料已复制和登记，只是退回清单没有写出）");
    }
    s
}
