//! A returned unit form: its county figures compared three ways — as issued (the hidden
//! sheet), as content/county.yaml holds them now, as returned — into changes and conflicts,
//! and `--apply` writing the changes into county.yaml in place (`yaml_edit`), the previous
//! file kept beside the schools.xlsx backup.

use std::path::Path;

use super::county_fields::{self, Kind, Value};
use super::stamp;
use super::unit_sheet::{self, SHEET};
use super::unit_values::same;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::CountyConfig;

/// One value the unit changed (`path` is its key in county.yaml).
#[derive(Debug, Clone, PartialEq)]
pub struct CountyChange {
    pub path: String,
    pub label: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// A value changed in county.yaml since the form went out and in the return, differently.
#[derive(Debug, Clone, PartialEq)]
pub struct CountyConflict {
    pub path: String,
    pub label: String,
    pub issued: Option<Value>,
    pub current: Option<Value>,
    pub returned: Option<Value>,
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
    let returned = unit_sheet::read_returned(&mut wb, &issued);
    let same_rows = returned
        .as_ref()
        .is_some_and(|rows| rows.iter().zip(&issued).all(|(r, i)| r.name == i.name));
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
    let values: Vec<Option<Option<Value>>> = issued
        .iter()
        .zip(&returned)
        .map(|(i, r)| super::unit_values::read(&file, i, r, diags))
        .collect();
    undeclared_veto(&file, &issued, &values, diags);
    let mut changes = vec![];
    let mut conflicts = vec![];
    for (i, new) in issued.iter().zip(values) {
        let Some(new) = new else { continue };
        let keys: Vec<&str> = i.path.split('.').collect();
        let cur = county_fields::value(now, &keys, i.kind);
        if same(&i.value, &new) {
            continue;
        }
        if same(&cur, &i.value) {
            changes.push(CountyChange {
                path: i.path.clone(),
                label: i.label.clone(),
                old: cur,
                new,
            });
        } else if !same(&cur, &new) {
            conflicts.push(CountyConflict {
                path: i.path.clone(),
                label: i.label.clone(),
                issued: i.value.clone(),
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

/// A veto item whose 说明 is filled but whose 是否存在 is blank is told at the blank cell:
/// county.yaml's declaration needs `present` (`VetoDeclaration`).
fn undeclared_veto(
    file: &str,
    issued: &[unit_sheet::Issued],
    values: &[Option<Option<Value>>],
    diags: &mut Diagnostics,
) {
    for (k, i) in issued.iter().enumerate() {
        let Some(id) = i.path.strip_prefix("veto.").and_then(|p| p.strip_suffix(".note")) else {
            continue;
        };
        if !matches!(values[k], Some(Some(_))) {
            continue;
        }
        let present = format!("veto.{id}.present");
        let Some(p) = issued.iter().position(|j| j.path == present) else {
            continue;
        };
        if matches!(values[p], Some(None)) {
            diags.push(
                Diagnostic::error(
                    "county-return-value",
                    Location::cell(file, SHEET, issued[p].row, issued[p].col as u32),
                    format!("一票否决事项“{}”填了说明，但没有选择是否存在", i.name),
                )
                .with_hint("从下拉列表选择 是 或 否：本县不存在该情况的选“否”"),
            );
        }
    }
}

/// The listing of a unit return's changes and conflicts, as `merge::report` lists a school's.
pub fn report(units: &[UnitReturn]) -> String {
    let t = |v: &Option<Value>| v.as_ref().map_or("（空）".to_owned(), Value::shown);
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
                t(&c.old),
                t(&c.new)
            ));
        }
        for c in &u.conflicts {
            o.push_str(&format!(
                "  冲突 {}（county.yaml {}）：下发时 {}，content/county.yaml 现为 {}，回收表填 {}（保留 county.yaml 的值，请核实）\n",
                c.label,
                c.path,
                t(&c.issued),
                t(&c.current),
                t(&c.returned)
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
    let shown = |v: &Option<Value>| v.as_ref().map_or("（空）".to_owned(), Value::shown);
    for (i, c) in changes.iter().enumerate() {
        if let Some(other) = changes[..i].iter().find(|d| d.path == c.path && !same(&d.new, &c.new)) {
            return Err(format!(
                "两份回收表对“{}”填了不同的值（{} 和 {}）：请只保留正确的一份再合并",
                c.label,
                shown(&other.new),
                shown(&c.new)
            ));
        }
        let Some(new) = &c.new else {
            return Err(format!(
                "回收表把“{}”清空了：county.yaml 不会删除已有的值，请人工核实后修改 {rel}",
                c.label
            ));
        };
        let literal = match new {
            Value::Number(n) => super::yaml_edit::figure(*n),
            Value::Bool(b) => b.to_string(),
            Value::Text(t) => super::yaml_flow::scalar(t),
        };
        let keys: Vec<&str> = c.path.split('.').collect();
        text = super::yaml_flow::set(&text, rel, &keys, &literal)
            .map_err(|e| format!("{e}：请先在 {rel} 中手工改好“{}”（{}）这一项，再合并", c.label, c.path))?;
    }
    // What was written reads back as the values returned, or nothing is written.
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or(serde_yaml::Value::Null);
    for c in &changes {
        let keys: Vec<&str> = c.path.split('.').collect();
        let kind = match &c.new {
            Some(Value::Bool(_)) => Kind::YesNo,
            Some(Value::Text(_)) => Kind::Note,
            _ => Kind::Amount,
        };
        if !same(&county_fields::value(&doc, &keys, kind), &c.new) {
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
