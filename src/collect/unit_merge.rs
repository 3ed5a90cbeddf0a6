//! A returned unit form: its county figures compared three ways — as issued (the hidden
//! sheet), as content/county.yaml holds them now, as returned — into changes and conflicts,
//! and `--apply` writing the changes into county.yaml in place (`yaml_edit`), the previous
//! file kept beside the schools.xlsx backup.

use std::path::Path;

use calamine::Data;

use super::county_fields::{self, Kind};
use super::stamp;
use super::unit_sheet::{self, Issued, SHEET};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::CountyConfig;

/// One figure the unit changed (`path` is its key in county.yaml).
#[derive(Debug, Clone, PartialEq)]
pub struct CountyChange {
    pub path: String,
    pub label: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
}

/// A figure changed in county.yaml since the form went out and in the return, differently.
#[derive(Debug, Clone, PartialEq)]
pub struct CountyConflict {
    pub path: String,
    pub label: String,
    pub issued: Option<f64>,
    pub current: Option<f64>,
    pub returned: Option<f64>,
}

/// One accepted unit return.
#[derive(Debug, Clone)]
pub struct UnitReturn {
    pub file: String,
    pub unit: String,
    pub changes: Vec<CountyChange>,
    pub conflicts: Vec<CountyConflict>,
}

/// county.yaml's figures as a YAML value (`county_fields::lookup` reads it).
pub fn current(config: Option<&CountyConfig>) -> serde_yaml::Value {
    config
        .and_then(|c| serde_yaml::to_value(c).ok())
        .unwrap_or(serde_yaml::Value::Null)
}

fn refuse(diags: &mut Diagnostics, code: &'static str, file: &str, message: String, hint: &str) {
    diags.push(Diagnostic::error(code, Location::file(file), message).with_hint(hint));
}

/// Reads `path` if it is a unit's form: `None` when it is not (the school forms' reading
/// tells what it is), `Some(None)` when it is one but refused (said why in `diags`).
pub fn try_read(
    path: &Path,
    workspace: &str,
    now: &serde_yaml::Value,
    diags: &mut Diagnostics,
) -> Option<Option<UnitReturn>> {
    let mut wb = calamine::open_workbook_auto(path).ok()?;
    let stamp = stamp::read(&mut wb).filter(|s| s.kind == "单位")?;
    let file = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    if stamp.workspace != workspace {
        refuse(
            diags,
            "return-foreign",
            &file,
            format!("这份核实表是“{}”的工作区下发的，不属于本工作区", stamp.county),
            "确认 -w 指定的工作区是否正确；若表格发错了，请把本工作区 out/填报表/单位/ 中的表重新发给该单位",
        );
        return Some(None);
    }
    let issued = unit_sheet::read_issued(&mut wb).filter(|_| stamp.version == stamp::VERSION);
    let Some(issued) = issued else {
        refuse(
            diags,
            "return-kind",
            &file,
            format!("这是其他版本的“{}”核实表，无法回收其中的县级数据", stamp.name),
            "请重新运行 yingjian collect，把 out/填报表/单位/ 中该单位的表再发一次；也可以人工核对后改 content/county.yaml",
        );
        return Some(None);
    };
    let returned = unit_sheet::read_returned(&mut wb);
    let same_rows = returned
        .as_ref()
        .is_some_and(|rows| rows.len() == issued.len() && rows.iter().zip(&issued).all(|(r, i)| r.label == i.label));
    let Some(returned) = returned.filter(|_| same_rows) else {
        refuse(
            diags,
            "return-altered",
            &file,
            format!("核实表的结构被改动：“{SHEET}”工作表的数据项（行）与下发时不同"),
            "请该单位在下发的原表上只改黄色单元格，不要增删行或改动数据项名称；也可以重新运行 yingjian collect 把表再发一次",
        );
        return Some(None);
    };
    let mut changes = vec![];
    let mut conflicts = vec![];
    for (i, r) in issued.iter().zip(&returned) {
        let Some(new) = value(&file, i, r, diags) else { continue };
        let keys: Vec<&str> = i.path.split('.').collect();
        let cur = county_fields::lookup(now, &keys);
        if same(i.value, new) {
            continue;
        }
        if same(cur, i.value) {
            changes.push(CountyChange {
                path: i.path.clone(),
                label: i.label.clone(),
                old: cur,
                new,
            });
        } else if !same(cur, new) {
            conflicts.push(CountyConflict {
                path: i.path.clone(),
                label: i.label.clone(),
                issued: i.value,
                current: cur,
                returned: new,
            });
        }
    }
    Some(Some(UnitReturn {
        file,
        unit: stamp.name,
        changes,
        conflicts,
    }))
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        _ => a.is_none() && b.is_none(),
    }
}

/// The returned value of one figure, checked as county.yaml's figures are: a number, not
/// negative, a percentage at most 100, a ratio at most 1. `None` (said why) when it is not.
fn value(file: &str, issued: &Issued, r: &unit_sheet::Returned, diags: &mut Diagnostics) -> Option<Option<f64>> {
    let at = Location::cell(file, SHEET, r.row, unit_sheet::VALUE_COL as u32);
    let kind = issued.kind;
    let n = match &r.value {
        Data::Empty => return Some(None),
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        Data::String(s) if s.trim().is_empty() => return Some(None),
        d => match crate::load::sheet::parse_number(&crate::load::sheet::cell_text(d)) {
            Some(n) => n,
            None => {
                diags.push(
                    Diagnostic::error(
                        "county-return-value",
                        at,
                        format!(
                            "“{}”应填数字，回收表中是“{}”",
                            issued.label,
                            crate::load::sheet::cell_text(d)
                        ),
                    )
                    .with_hint("只填数字，不要带单位或说明文字；说明请写在“牵头指标”表的核实意见中"),
                );
                return None;
            }
        },
    };
    let max = match kind {
        Kind::Percent => Some(100.0),
        Kind::Ratio => Some(1.0),
        Kind::Amount => None,
    };
    if n < 0.0 || max.is_some_and(|m| n > m) {
        let range = max.map_or("不能为负数".to_owned(), |m| {
            format!("应在 0 到 {} 之间", super::yaml_edit::figure(m))
        });
        diags.push(
            Diagnostic::error(
                "county-return-value",
                at,
                format!("“{}”{range}，回收表中是 {}", issued.label, super::yaml_edit::figure(n)),
            )
            .with_hint(match kind {
                Kind::Percent => "比例按百分数填写：97.5 表示 97.5%",
                Kind::Ratio => "差异率填小数，例如 0.12",
                Kind::Amount => "请核实后填写正确的数值",
            }),
        );
        return None;
    }
    Some(Some(n))
}

/// The listing of a unit return's changes and conflicts, as `merge::report` lists a school's.
pub fn report(units: &[UnitReturn]) -> String {
    let t = |v: Option<f64>| v.map_or("（空）".to_owned(), super::yaml_edit::figure);
    let mut o = String::new();
    for u in units {
        o.push_str(&format!("{} → 单位 {}\n", u.file, u.unit));
        if u.changes.is_empty() && u.conflicts.is_empty() {
            o.push_str("  没有改动\n");
        }
        for c in &u.changes {
            o.push_str(&format!(
                "  修改 {}（county.yaml {}）：{} → {}\n",
                c.label,
                c.path,
                t(c.old),
                t(c.new)
            ));
        }
        for c in &u.conflicts {
            o.push_str(&format!(
                "  冲突 {}（county.yaml {}）：下发时 {}，content/county.yaml 现为 {}，回收表填 {}（保留 county.yaml 的值，请核实）\n",
                c.label,
                c.path,
                t(c.issued),
                t(c.current),
                t(c.returned)
            ));
        }
    }
    o
}

/// county.yaml as it is and with the changes of `units` written; `None` when nothing changes;
/// Err says why the changes cannot be written (nothing is then written at all).
pub fn county_edit(root: &Path, units: &[UnitReturn]) -> Result<Option<(String, String)>, String> {
    let changes: Vec<&CountyChange> = units.iter().flat_map(|u| &u.changes).collect();
    if changes.is_empty() {
        return Ok(None);
    }
    let rel = crate::paths::CONFIG;
    let old = std::fs::read_to_string(root.join(rel)).map_err(|e| format!("无法读取 {rel}：{e}"))?;
    let mut text = old.clone();
    for (i, c) in changes.iter().enumerate() {
        if let Some(other) = changes[..i].iter().find(|d| d.path == c.path && !same(d.new, c.new)) {
            return Err(format!(
                "两份回收表对“{}”填了不同的值（{} 和 {}）：请只保留正确的一份再合并",
                c.label,
                other.new.map_or("（空）".to_owned(), super::yaml_edit::figure),
                c.new.map_or("（空）".to_owned(), super::yaml_edit::figure)
            ));
        }
        let Some(n) = c.new else {
            return Err(format!(
                "回收表把“{}”清空了：county.yaml 不会删除数值，请人工核实后修改 {rel}",
                c.label
            ));
        };
        let keys: Vec<&str> = c.path.split('.').collect();
        text = super::yaml_edit::set(&text, rel, &keys, &super::yaml_edit::figure(n))
            .map_err(|e| format!("{e}：请先在 {rel} 中手工改好“{}”（{}）这一项，再合并", c.label, c.path))?;
    }
    // What was written reads back as the figures returned, or nothing is written.
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or(serde_yaml::Value::Null);
    for c in &changes {
        let keys: Vec<&str> = c.path.split('.').collect();
        if !same(county_fields::lookup(&doc, &keys), c.new) {
            return Err(format!(
                "无法在 {rel} 中自动写入“{}”（{}）：请人工修改这一项，或改好格式后再合并",
                c.label, c.path
            ));
        }
    }
    Ok(Some((old, text)))
}

/// Writes county.yaml's new text after keeping the old one in the backup folder of
/// `beside` (the schools.xlsx backup of the same merge) or a new one; returns the backup.
pub fn write_county(root: &Path, (old, new): &(String, String), beside: Option<&str>) -> Result<String, String> {
    let folder = match beside.and_then(|b| Path::new(b).parent()) {
        Some(p) => p.to_string_lossy().into_owned(),
        None => format!("{}/{}", super::apply::BACKUP_DIR, super::apply::now()),
    };
    let backup = format!("{folder}/county.yaml");
    let rel = crate::paths::CONFIG;
    crate::out::replace(&root.join(&backup), old.as_bytes()).map_err(|e| format!("无法写出备份 {backup}：{e}"))?;
    crate::out::replace(&root.join(rel), new.as_bytes()).map_err(|e| format!("无法写入 {rel}：{e}"))?;
    Ok(backup)
}
