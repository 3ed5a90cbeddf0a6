//! What `merge --apply` adds to the record of the rounds (`paths::RETURNS`): each return
//! merged, with every value written and its cell in content/schools.xlsx or its key in
//! content/county.yaml (issue 32 point 2).

use super::apply::Edit;
use super::merge::Return;
use super::unit_merge::UnitReturn;
use crate::model::ReturnRecord;
use crate::model::returns::{CellChange, Merged};
use crate::model::school::columns::{SHEET, Value};

/// A value as the change report shows it (`out::inputs`), so a change line finds its return.
fn shown(v: &Option<Value>) -> Option<String> {
    match v {
        None => None,
        Some(Value::Text(t)) => Some(t.clone()),
        Some(Value::Number(n)) => Some(crate::rules::fmt_num(*n)),
    }
}

/// `record` with `returns` merged on `date`; `edits` are `apply::edits` of them (one per
/// `Return::writes`, in that order). A return that changed nothing is kept too: it came back.
pub fn add(record: &mut ReturnRecord, returns: &[Return], edits: &[Edit], date: &str) {
    let round = record.current_round();
    let mut edits = edits.iter();
    for r in returns {
        let cells = r
            .writes()
            .into_iter()
            .zip(edits.by_ref())
            .map(|((slot, column, old, new, taken), e)| CellChange {
                at: format!(
                    "{} {SHEET}!{}",
                    crate::paths::SCHOOLS,
                    crate::diag::cell_name(e.row, e.col)
                ),
                slot: slot.label().to_owned(),
                column: column.to_owned(),
                old: shown(&old),
                new: shown(&new),
                taken,
            })
            .collect();
        record.merged.push(Merged {
            round,
            date: date.to_owned(),
            file: r.file.clone(),
            kind: "学校".to_owned(),
            code: r.code.clone(),
            name: r.name.clone(),
            cells,
        });
    }
}

/// `record` with the unit forms `units` merged on `date`: each value written into
/// content/county.yaml, keyed by its path there (the change report's key for it).
pub fn add_units(record: &mut ReturnRecord, units: &[UnitReturn], date: &str) {
    let round = record.current_round();
    // As the change report flattens county.yaml: figures by `fmt_num`, true/false, the text.
    let figure = |v: &Option<super::county_fields::Value>| v.as_ref().map(super::county_fields::Value::recorded);
    for u in units {
        let cells = u
            .changes
            .iter()
            .map(|c| CellChange {
                at: format!("{} {}", crate::paths::CONFIG, c.path),
                slot: String::new(),
                column: c.path.clone(),
                old: figure(&c.old),
                new: figure(&c.new),
                taken: false,
            })
            .collect();
        record.merged.push(Merged {
            round,
            date: date.to_owned(),
            file: u.file.clone(),
            kind: "单位".to_owned(),
            code: u.unit.clone(),
            name: u.unit.clone(),
            cells,
        });
    }
}
