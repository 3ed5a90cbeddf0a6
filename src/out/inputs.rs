//! The inputs as the last build read them (`out/.yingjian/inputs.json`): every school-stage
//! row's cells, the config's values and the evidence items, so the change report can name the
//! cell a correction changed.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use crate::model::school::columns::{self, COLUMNS, Scope};
use crate::model::{ReturnRecord, School, Section, Stage, Workspace};
use crate::paths;
use crate::rules::{evidence::item_key, fmt_num};

/// Under out/.
pub const RECORD: &str = ".yingjian/inputs.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    /// "code|学段" (or "code|全校" for the school-wide columns) → the row as read.
    pub schools: BTreeMap<String, Row>,
    /// county.yaml as dotted keys, e.g. "finance.education_spending.2025".
    pub config: BTreeMap<String, String>,
    /// Evidence item key → its indicator, point and title.
    pub evidence: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// "示例县第一小学（小学）".
    pub label: String,
    /// (column, value) in sheet order; blank cells are left out.
    pub cells: Vec<(String, String)>,
}

pub fn of(ws: &Workspace) -> Inputs {
    let mut schools = BTreeMap::new();
    for s in &ws.schools {
        schools.insert(format!("{}|全校", s.code), row(s.name.clone(), s, None, Scope::School));
        for sec in &s.sections {
            // A special school's one row has no stage.
            let stage = sec.stage.map(Stage::label).unwrap_or("无学段");
            let label = match sec.stage {
                Some(st) => format!("{}（{}）", s.name, st.label()),
                None => s.name.clone(),
            };
            schools.insert(format!("{}|{stage}", s.code), row(label, s, Some(sec), Scope::Stage));
        }
    }
    let mut config = BTreeMap::new();
    if let Some(c) = &ws.config {
        flatten(
            &serde_json::to_value(c).unwrap_or(Value::Null),
            &mut String::new(),
            &mut config,
        );
    }
    let evidence = ws
        .evidence
        .iter()
        .map(|e| (item_key(e), format!("{}-{} {}", e.indicator, e.point, e.title)))
        .collect();
    Inputs {
        schools,
        config,
        evidence,
    }
}

/// The row's cells of the columns of `scope`, in sheet order; blank cells are left out.
fn row(label: String, school: &School, section: Option<&Section>, scope: Scope) -> Row {
    let cells = COLUMNS
        .iter()
        .filter(|c| c.scope() == scope)
        .filter_map(|c| {
            let v = match c.value(school, section)? {
                columns::Value::Text(t) => t,
                columns::Value::Number(v) => fmt_num(v),
            };
            Some((c.header.to_owned(), v))
        })
        .collect();
    Row { label, cells }
}

fn flatten(v: &Value, path: &mut String, out: &mut BTreeMap<String, String>) {
    let len = path.len();
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                flatten(x, path, out);
                path.truncate(len);
            }
        }
        // A list of named items (county.yaml's quality.subjects): each by its name, as the
        // unit forms key them ("quality.subjects.语文.level").
        Value::Array(items)
            if !items.is_empty() && items.iter().all(|i| i.get("subject").is_some_and(Value::is_string)) =>
        {
            for item in items {
                let (Some(name), Some(fields)) = (item["subject"].as_str(), item.as_object()) else {
                    continue;
                };
                for (k, x) in fields.iter().filter(|(k, _)| *k != "subject") {
                    path.push_str(&format!(".{name}.{k}"));
                    flatten(x, path, out);
                    path.truncate(len);
                }
            }
        }
        Value::Null => {}
        Value::String(s) => {
            out.insert(path.clone(), s.clone());
        }
        Value::Number(n) => {
            out.insert(path.clone(), n.as_f64().map(fmt_num).unwrap_or_else(|| n.to_string()));
        }
        other => {
            out.insert(path.clone(), other.to_string());
        }
    }
}

/// The record the last build left (`None` before the first build that kept one).
pub fn read(root: &Path) -> Option<Inputs> {
    let text = std::fs::read_to_string(root.join(paths::OUT).join(RECORD)).ok()?;
    let mut inputs: Inputs = serde_json::from_str(&text).ok()?;
    // A record of an earlier version keeps a list of named items as one JSON text
    // ("quality.subjects"): flattened as now, so that the next report lists only real changes.
    let lists: Vec<(String, Value)> = inputs
        .config
        .iter()
        .filter(|(_, v)| v.starts_with("[{"))
        .filter_map(|(k, v)| Some((k.clone(), serde_json::from_str::<Value>(v).ok()?)))
        .collect();
    for (k, v) in lists {
        let mut flat = BTreeMap::new();
        flatten(&v, &mut k.clone(), &mut flat);
        if !flat.contains_key(&k) {
            inputs.config.remove(&k);
            inputs.config.extend(flat);
        }
    }
    Some(inputs)
}

/// What changed in the inputs, one line each: cells, then added and removed schools and
/// evidence items.
pub fn changes(old: &Inputs, new: &Inputs) -> Vec<String> {
    changes_from(old, new, None)
}

/// `changes`, each school cell written by `merge --apply` naming its return (`returns`, the
/// record of the rounds): "…在校生数：500 → 520（来自回收表 城南学校(1).xlsx，2026-11-22 合并）".
pub fn changes_from(old: &Inputs, new: &Inputs, returns: Option<&ReturnRecord>) -> Vec<String> {
    let mut out = vec![];
    for (key, row) in &new.schools {
        let Some(was) = old.schools.get(key) else { continue };
        let before: BTreeMap<&str, &str> = was.cells.iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
        let after: BTreeMap<&str, &str> = row.cells.iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
        // In sheet order: the new row's columns, then any that became blank.
        let columns = row.cells.iter().map(|(c, _)| c.as_str()).chain(
            was.cells
                .iter()
                .map(|(c, _)| c.as_str())
                .filter(|c| !after.contains_key(c)),
        );
        for c in columns {
            let (a, b) = (before.get(c).copied(), after.get(c).copied());
            if a != b {
                let (code, slot) = key.split_once('|').unwrap_or((key, ""));
                let from = returns
                    .and_then(|r| r.source(code, slot, c, b))
                    .map(|f| format!("（{f}）"))
                    .unwrap_or_default();
                out.push(format!(
                    "{} {}{}：{} → {}{from}",
                    paths::SCHOOLS,
                    row.label,
                    c,
                    a.unwrap_or("（空）"),
                    b.unwrap_or("（空）")
                ));
            }
        }
    }
    let added = |a: &BTreeMap<String, Row>, b: &BTreeMap<String, Row>| -> Vec<String> {
        b.iter()
            .filter(|(k, _)| !k.ends_with("|全校") && !a.contains_key(*k))
            .map(|(_, r)| r.label.clone())
            .collect()
    };
    for label in added(&old.schools, &new.schools) {
        out.push(format!("新增学校学段：{label}"));
    }
    for label in added(&new.schools, &old.schools) {
        out.push(format!("删除学校学段：{label}"));
    }
    let keys: std::collections::BTreeSet<&String> = old.config.keys().chain(new.config.keys()).collect();
    for k in keys {
        let (a, b) = (old.config.get(k), new.config.get(k));
        if a != b {
            let from = returns
                .and_then(|r| r.county_source(k, b.map(String::as_str)))
                .map(|f| format!("（{f}）"))
                .unwrap_or_default();
            out.push(format!(
                "{} {k}：{} → {}{from}",
                paths::CONFIG,
                a.map(String::as_str).unwrap_or("（空）"),
                b.map(String::as_str).unwrap_or("（空）")
            ));
        }
    }
    for (k, title) in &new.evidence {
        match old.evidence.get(k) {
            None => out.push(format!("新增佐证材料：{title}")),
            Some(was) if was != title => out.push(format!("{} 佐证材料：{was} → {title}", paths::EVIDENCE)),
            Some(_) => {}
        }
    }
    for (k, title) in &old.evidence {
        if !new.evidence.contains_key(k) {
            out.push(format!("删除佐证材料：{title}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_keyed_by_name_also_in_an_earlier_record() {
        let v = serde_json::json!({"quality": {"subjects": [
            {"subject": "语文", "level": 3, "difference": 0.09},
            {"subject": "数学", "level": null, "difference": 0.11},
        ]}});
        let mut flat = BTreeMap::new();
        flatten(&v, &mut String::new(), &mut flat);
        // 数学's blank level is left out, as blank values are.
        let expected: BTreeMap<String, String> = [
            ("quality.subjects.数学.difference", "0.11"),
            ("quality.subjects.语文.difference", "0.09"),
            ("quality.subjects.语文.level", "3"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(flat, expected);
        // An earlier build kept the list as one JSON text: read, it is keyed the same way.
        let root = tempfile::tempdir().unwrap();
        let old = Inputs {
            config: [("quality.subjects".to_owned(), v["quality"]["subjects"].to_string())].into(),
            ..Inputs::default()
        };
        let at = root.path().join(paths::OUT).join(RECORD);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::fs::write(&at, serde_json::to_string(&old).unwrap()).unwrap();
        assert_eq!(read(root.path()).unwrap().config, expected);
    }
}
