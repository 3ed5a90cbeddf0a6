//! `yingjian merge`: the returned school forms read like content/schools.xlsx (the same
//! diagnostics, located in the returned file) and compared three ways — as issued (the hidden
//! sheet), as content/ holds it now, as returned — into changes and conflicts. Nothing is
//! written here (`apply` writes).

use std::path::{Path, PathBuf};

use calamine::Reader;

use super::stamp::{self, Cell, Slot, Stamp};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::School;
use crate::model::school::columns::{HEADERS, SHEET, Value};

/// One value the school changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub slot: Slot,
    pub column: &'static str,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// A value changed both in content/ since the form went out and in the return, differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub slot: Slot,
    pub column: &'static str,
    pub issued: Option<Value>,
    pub current: Option<Value>,
    pub returned: Option<Value>,
}

/// One accepted return.
#[derive(Debug, Clone)]
pub struct Return {
    /// The file as given on the command line.
    pub file: String,
    pub code: String,
    pub name: String,
    pub changes: Vec<Change>,
    pub conflicts: Vec<Conflict>,
    /// Conflicts resolved for the return: its school was named by `--take-return`.
    pub taken: Vec<Conflict>,
}

/// A value `--apply` writes: (slot, column, content/'s value, the return's, whether a taken
/// conflict). Changes first, then taken conflicts: the order of `apply::edits`.
pub type Write = (Slot, &'static str, Option<Value>, Option<Value>, bool);

impl Return {
    pub fn writes(&self) -> Vec<Write> {
        let changes = self
            .changes
            .iter()
            .map(|c| (c.slot, c.column, c.old.clone(), c.new.clone(), false));
        let taken = self
            .taken
            .iter()
            .map(|c| (c.slot, c.column, c.current.clone(), c.returned.clone(), true));
        changes.chain(taken).collect()
    }
}

#[derive(Debug, Default)]
pub struct Merge {
    pub returns: Vec<Return>,
    /// The accepted unit forms (`unit_merge`).
    pub units: Vec<super::unit_merge::UnitReturn>,
    /// The evidence rows of the unit forms (`evidence_return`), one per form that has any.
    pub evidence: Vec<super::evidence_return::EvidenceReturn>,
    /// The returns' own problems and the refusals, each at the returned file.
    pub diagnostics: Diagnostics,
    /// The workspace's "today" (county.yaml), the date the record gives the merge.
    pub date: String,
}

impl Merge {
    /// `--take-return`: the conflicts of the schools `codes` go to the return.
    pub fn take(&mut self, codes: &[String]) {
        for r in self.returns.iter_mut().filter(|r| codes.contains(&r.code)) {
            r.taken.append(&mut r.conflicts);
        }
    }
}

/// The 学校代码 of each `--take-return` name (a code, or a name of one school in content/);
/// Err(message, hint) for the first name that is neither, or the name of two schools.
pub fn take_codes(current: &[School], names: &[String]) -> Result<Vec<String>, (String, String)> {
    let mut codes = vec![];
    for name in names {
        let n = name.trim();
        let by_name: Vec<&School> = current.iter().filter(|s| s.name == n).collect();
        let code = match current.iter().find(|s| s.code == n) {
            Some(s) => s.code.clone(),
            None if by_name.len() == 1 => by_name[0].code.clone(),
            None if by_name.len() > 1 => {
                return Err((
                    format!(
                        "--take-return {n}：content/schools.xlsx 中有 {} 所学校叫这个名字",
                        by_name.len()
                    ),
                    format!(
                        "改用学校代码指定：{}",
                        by_name.iter().map(|s| s.code.as_str()).collect::<Vec<_>>().join("、")
                    ),
                ));
            }
            None => {
                let like: Vec<String> = current
                    .iter()
                    .filter(|s| !n.is_empty() && s.name.contains(n))
                    .take(5)
                    .map(|s| format!("{}（{}）", s.name, s.code))
                    .collect();
                let hint = match (like.is_empty(), current.first()) {
                    (false, _) => format!("是否指：{}？写出完整的学校名称或学校代码", like.join("、")),
                    (true, Some(s)) => format!(
                        "写学校代码（如 {}）或与 content/schools.xlsx 完全相同的学校名称（如 {}）；每个 --take-return 指定一所学校，可以重复使用",
                        s.code, s.name
                    ),
                    (true, None) => "写学校代码或与 content/schools.xlsx 完全相同的学校名称".to_owned(),
                };
                return Err((
                    format!("--take-return {n}：content/schools.xlsx 中没有这个学校代码或学校名称"),
                    hint,
                ));
            }
        };
        codes.push(code);
    }
    Ok(codes)
}

/// The spreadsheet files among `paths`: files as given, folders searched (Excel's lock files
/// `~$…` and hidden files left out), in name order.
pub fn files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = vec![];
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|f| {
                    let name = f
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let ext = f
                        .extension()
                        .map(|e| e.to_string_lossy().to_lowercase())
                        .unwrap_or_default();
                    !name.starts_with("~$") && !name.starts_with('.') && ["xlsx", "xls", "ods"].contains(&ext.as_str())
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// Reads every return (files, or folders of them) and compares it with `current` (content/'s
/// schools as entered).
pub fn merge(root: &Path, current: &[School], returns: &[PathBuf]) -> Merge {
    let returns = files(returns);
    // county.yaml alone: reading the whole workspace (its evidence folder) would be most of
    // the time of merging 300 returns (docs/benchmarks.md).
    let config = crate::load::config_only(root);
    let (_, workspace) = stamp::workspace_id(config.as_ref());
    let county = super::unit_merge::current(config.as_ref());
    let mut m = Merge {
        date: config.map_or(crate::model::Date::FALLBACK, |c| c.today).to_string(),
        ..Merge::default()
    };
    // A .zip holds the files of a unit's 佐证材料, not a form.
    let (zips, returns): (Vec<PathBuf>, Vec<PathBuf>) = returns
        .into_iter()
        .partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")));
    let mut loaded = None;
    let mut schools = vec![];
    for path in &returns {
        if let Some(unit) = super::unit_merge::try_read(path, &workspace, &county, &mut m.diagnostics) {
            if let Some(u) = &unit {
                let (file, name) = (u.file.as_str(), u.unit.as_str());
                let sent =
                    super::evidence_check::read_form(root, path, (file, name), &zips, &mut loaded, &mut m.diagnostics);
                m.evidence.extend(sent);
            }
            m.units.extend(unit);
            continue;
        }
        schools.push(path);
    }
    // A spreadsheet a unit sent as evidence (a statistics table beside its form) is no return.
    let sent = evidence_files(&m.evidence);
    for path in schools {
        if !sent.is_empty() && sent.contains(&path.canonicalize().unwrap_or_else(|_| path.clone())) {
            continue;
        }
        if let Some(r) = one(path, current, &workspace, &mut m.diagnostics) {
            m.returns.push(r);
        }
    }
    m
}

/// The files beside the forms that the units' 佐证材料 rows name.
fn evidence_files(evidence: &[super::evidence_return::EvidenceReturn]) -> Vec<PathBuf> {
    evidence
        .iter()
        .flat_map(|e| &e.rows)
        .filter_map(|r| match &r.source {
            Some(super::evidence_return::Source::File(p)) => Some(p.canonicalize().unwrap_or_else(|_| p.clone())),
            _ => None,
        })
        .collect()
}

/// The name a return is located by: its file name ("城南学校(1).xlsx").
fn shown(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn refuse(diags: &mut Diagnostics, code: &'static str, file: &str, message: String, hint: &str) {
    diags.push(Diagnostic::error(code, Location::file(file), message).with_hint(hint));
}

fn one(path: &Path, current: &[School], workspace: &str, diags: &mut Diagnostics) -> Option<Return> {
    let file = shown(path);
    let Ok(mut wb) = calamine::open_workbook_auto(path) else {
        refuse(
            diags,
            "return-unreadable",
            &file,
            "无法打开这份回收表".to_owned(),
            "确认文件是 Excel 或 WPS 保存的 .xlsx/.xls/.ods 表格，且没有损坏或加密",
        );
        return None;
    };
    let Some(stamp) = stamp::read(&mut wb) else {
        refuse(
            diags,
            "return-unstamped",
            &file,
            "这不是 yingjian collect 下发的填报表（缺少隐藏的“填报信息”工作表，或它被改动过）".to_owned(),
            "请学校在下发的原表上填写后交回；需要新表时运行 yingjian collect，把 out/填报表/学校/ 中该校的表发给学校",
        );
        return None;
    };
    if stamp.workspace != workspace {
        refuse(
            diags,
            "return-foreign",
            &file,
            format!("这份填报表是“{}”的工作区下发的，不属于本工作区", stamp.county),
            "确认 -w 指定的工作区是否正确；若表格发错了，请把本工作区 out/填报表/学校/ 中的表重新发给学校",
        );
        return None;
    }
    if stamp.kind != "学校" || stamp.version != stamp::VERSION {
        refuse(
            diags,
            "return-kind",
            &file,
            format!(
                "这是其他版本的 yingjian 下发的{}“{}”的表，无法按本版本的格式读取",
                stamp.kind, stamp.name
            ),
            "重新运行 yingjian collect，把新生成的表发给该校或该单位重新填写",
        );
        return None;
    }
    let Some(school) = current.iter().find(|s| s.code == stamp.code) else {
        refuse(
            diags,
            "return-unknown-school",
            &file,
            format!("学校代码 {}（{}）不在 content/schools.xlsx 中", stamp.code, stamp.name),
            "该校可能已被删除或改了代码：先在 content/schools.xlsx 中补上这所学校（或改回代码），再重新运行 merge",
        );
        return None;
    };
    let returned = read_return(path, &file, &stamp, diags)?;
    let (mut changes, mut conflicts) = compare(&stamp.issued, &stamp::cells(school), &stamp::cells(&returned));
    // A value the return holds but that could not be read ("48人") is its error, not a
    // change to blank.
    let misread = misread_columns(diags, &file);
    changes.retain(|c| c.new.is_some() || !misread.contains(&c.column));
    conflicts.retain(|c| c.returned.is_some() || !misread.contains(&c.column));
    Some(Return {
        file,
        code: stamp.code,
        name: stamp.name,
        changes,
        conflicts,
        taken: vec![],
    })
}

/// The return's school, read with the diagnostics of content/schools.xlsx; `None` (said why)
/// when its structure was altered: the sheet, its header row or its rows.
fn read_return(path: &Path, file: &str, stamp: &Stamp, diags: &mut Diagnostics) -> Option<School> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut own = Diagnostics::default();
    let mut chars = crate::model::CharOrigins::default();
    let schools = crate::load::schools::read_file(dir, file, None, &mut own, &mut chars);
    let headers_kept = header_row(path).is_some_and(|h| {
        h.len() >= HEADERS.len()
            && h.iter()
                .zip(HEADERS)
                .all(|(a, b)| crate::load::sheet::normalize_header(a) == crate::load::sheet::normalize_header(b))
    });
    let slots = |cells: &[Cell]| {
        let mut s: Vec<Slot> = cells.iter().map(|c| c.0).filter(|s| *s != Slot::School).collect();
        s.sort();
        s.dedup();
        s
    };
    let same_rows = schools.len() == 1
        && schools[0].code == stamp.code
        && slots(&stamp::cells(&schools[0])) == slots(&stamp.issued);
    if !headers_kept || !same_rows {
        let what = if headers_kept {
            "数据行（学校代码、学段或行数）"
        } else {
            "表头（列被增删、改名或移动）"
        };
        refuse(
            diags,
            "return-altered",
            file,
            format!("填报表的结构被改动：{what}与下发时不同"),
            "请学校在下发的原表上只改黄色单元格，不要增删行列、改动表头或学校代码；也可以重新运行 yingjian collect 把该校的表再发一次",
        );
        diags.extend(own);
        return None;
    }
    diags.extend(own);
    schools.into_iter().next()
}

/// The columns of the cells of `file` that carry an error.
fn misread_columns(diags: &Diagnostics, file: &str) -> Vec<&'static str> {
    diags
        .as_slice()
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .filter_map(|d| match &d.location {
            Location::Cell { file: f, cell, .. } if f == file => {
                HEADERS.get(crate::diag::cell_position(cell).1.checked_sub(1)?).copied()
            }
            _ => None,
        })
        .collect()
}

/// The header row of the return's 学校基础数据 sheet, as text.
fn header_row(path: &Path) -> Option<Vec<String>> {
    let mut wb = calamine::open_workbook_auto(path).ok()?;
    let range = wb.worksheet_range(SHEET).ok()?;
    let row = range.rows().next()?;
    Some(row.iter().map(crate::load::sheet::cell_text).collect())
}

/// Whether two values are the same (figures to a relative 1e-9: a value saved again by
/// another program may differ in its last bit).
fn same(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => a == b,
    }
}

/// The three-way comparison, cell by cell: the school's edits are changes when content/ still
/// holds the issued value, conflicts when content/ changed it to something else since.
pub fn compare(issued: &[Cell], current: &[Cell], returned: &[Cell]) -> (Vec<Change>, Vec<Conflict>) {
    let find =
        |cells: &[Cell], slot: Slot, col: &str| cells.iter().find(|c| c.0 == slot && c.1 == col).map(|c| c.2.clone());
    let (mut changes, mut conflicts) = (vec![], vec![]);
    for (slot, column, was) in issued {
        let Some(new) = find(returned, *slot, column) else {
            continue;
        };
        if same(was, &new) {
            continue;
        }
        let now = find(current, *slot, column).unwrap_or(None);
        if same(&now, was) {
            changes.push(Change {
                slot: *slot,
                column,
                old: now,
                new,
            });
        } else if !same(&now, &new) {
            conflicts.push(Conflict {
                slot: *slot,
                column,
                issued: was.clone(),
                current: now,
                returned: new,
            });
        }
    }
    (changes, conflicts)
}

/// A value for the listing: figures as typed (no rounding), blank as （空）.
pub fn text(v: &Option<Value>) -> String {
    match v {
        None => "（空）".to_owned(),
        Some(Value::Text(t)) => t.clone(),
        Some(Value::Number(n)) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Some(Value::Number(n)) => format!("{n}"),
    }
}

/// The listing of changes and conflicts, per return.
pub fn report(m: &Merge) -> String {
    let mut o = String::new();
    let (mut changes, mut conflicts, mut taken) = (0, 0, 0);
    for r in &m.returns {
        o.push_str(&format!("{} → {} {}\n", r.file, r.code, r.name));
        if r.changes.is_empty() && r.conflicts.is_empty() && r.taken.is_empty() {
            o.push_str("  没有改动\n");
        }
        for c in &r.changes {
            o.push_str(&format!(
                "  修改 {} {}：{} → {}\n",
                c.slot.label(),
                c.column,
                text(&c.old),
                text(&c.new)
            ));
        }
        for c in &r.conflicts {
            o.push_str(&format!(
                "  冲突 {} {}：下发时 {}，content/ 现为 {}，回收表填 {}（保留 content/ 的值，请核实）\n",
                c.slot.label(),
                c.column,
                text(&c.issued),
                text(&c.current),
                text(&c.returned)
            ));
        }
        for c in &r.taken {
            o.push_str(&format!(
                "  冲突 {} {}：下发时 {}，content/ 现为 {}，回收表填 {}（按 --take-return 采用回收表的值）\n",
                c.slot.label(),
                c.column,
                text(&c.issued),
                text(&c.current),
                text(&c.returned)
            ));
        }
        changes += r.changes.len() + r.taken.len();
        conflicts += r.conflicts.len() + r.taken.len();
        taken += r.taken.len();
    }
    for u in &m.units {
        o.push_str(&super::unit_merge::report(std::slice::from_ref(u)));
        if let Some(e) = m.evidence.iter().find(|e| e.file == u.file) {
            o.push_str(&super::evidence_check::report(e));
        }
    }
    changes += m.units.iter().map(|u| u.changes.len()).sum::<usize>();
    conflicts += m.units.iter().map(|u| u.conflicts.len()).sum::<usize>();
    let refused = m
        .diagnostics
        .as_slice()
        .iter()
        .filter(|d| d.code.starts_with("return-"))
        .count();
    let taken = if taken > 0 {
        format!("（其中 {taken} 处采用回收表的值，已计入修改）")
    } else {
        String::new()
    };
    o.push_str(&format!(
        "共读取 {} 份回收表：{changes} 处修改，{conflicts} 处冲突{taken}，{refused} 份被拒绝。\n",
        m.returns.len() + m.units.len() + refused
    ));
    o
}
