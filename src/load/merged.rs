//! Figures merged over several rows. A merged range shows its first value in every row it
//! covers; read so, a whole-school total merged over a 九年一贯制 school's 小学 and 初中 rows
//! would count once per row. Such a merge is one whole-school figure: split by
//! student-equivalents when the county asks for it (facilities only, DOMAIN §2.2a), else not
//! used (its items are pending). A figure merged over different schools is an error. Merges in
//! the identifying and school-wide columns (学校名称, 城乡类型, …) mean the same value on
//! every row and stay as read.

use std::collections::BTreeSet;

use super::sheet::{Merge, Table};
use crate::diag::{Diagnostic, Diagnostics, Location, cell_name};
use crate::model::school::columns::{CODE, COLUMNS, Column, Field, NAME, STUDENTS};
use crate::model::{ResourceKey, School, Stage};

pub fn apply(t: &Table, schools: &mut [School], split: bool, diags: &mut Diagnostics) {
    for m in t.merges.iter().filter(|m| m.rows.0 < m.rows.1) {
        for col in m.cols.0..=m.cols.1 {
            let Some(c) = COLUMNS.iter().find(|c| t.column(c.header) == Some(col)) else {
                continue;
            };
            if matches!(c.field, Field::Section(..) | Field::School(..)) {
                one(t, m, col, c, schools, split, diags);
            }
        }
    }
}

fn one(t: &Table, m: &Merge, col: u32, c: &Column, schools: &mut [School], split: bool, diags: &mut Diagnostics) {
    let covers = |row: u32| (m.rows.0..=m.rows.1).contains(&row);
    let rows: Vec<_> = t.rows.iter().filter(|(r, _)| covers(*r)).collect();
    let codes: BTreeSet<String> = rows.iter().filter_map(|(_, cells)| t.code(cells, CODE)).collect();
    let range = format!("{}:{}", cell_name(m.rows.0, col), cell_name(m.rows.1, col));
    let loc = Location::Cell {
        file: t.file.clone(),
        sheet: t.sheet.clone(),
        cell: range.clone(),
    };
    if codes.len() > 1 {
        let names: Vec<String> = rows
            .iter()
            .filter_map(|(_, cells)| t.text(cells, NAME))
            .fold(vec![], |mut v, n| {
                if !v.contains(&n) {
                    v.push(n);
                }
                v
            });
        diags.push(
            Diagnostic::error(
                "merged-across-schools",
                loc,
                format!(
                    "“{}”的合并单元格 {range} 跨越了 {} 所学校（{}），无法确定各校的数值",
                    c.header,
                    codes.len(),
                    names.join("、")
                ),
            )
            .with_hint("取消合并（开始 → 合并后居中 → 取消单元格合并），在每所学校的行分别填写"),
        );
        for school in schools.iter_mut().filter(|s| codes.contains(&s.code)) {
            clear(c, school, &covers);
        }
        return;
    }
    let Field::Section(get, set) = c.field else { return };
    let Some(school) = schools.iter_mut().find(|s| codes.contains(&s.code)) else {
        return;
    };
    let covered: Vec<usize> = (0..school.sections.len())
        .filter(|&i| covers(school.sections[i].row))
        .collect();
    if covered.len() < 2 {
        return;
    }
    let Some(v) = get(&school.sections[covered[0]]) else {
        return;
    };
    let stages: Vec<&str> = covered
        .iter()
        .map(|&i| school.sections[i].stage.map_or("全校", Stage::label))
        .collect();
    let facility = ResourceKey::FACILITIES.iter().any(|f| f.column() == c.header);
    let figure = format!(
        "{} 的“{}”在 {range} 合并为一个数 {v}，读作全校合计",
        school.name, c.header,
    );
    if split && facility {
        // Left on the first row only, the total is shared out by `rules::split`.
        for &i in &covered[1..] {
            set(&mut school.sections[i], None);
        }
        diags.push(
            Diagnostic::warning(
                "merged-total",
                loc,
                format!("{figure}，已按生均当量拆分到{}", stages.join("、")),
            )
            .with_hint("拆分的方法写在生成的材料中；若有分学段的实际数，取消合并后在各学段的行分别填写"),
        );
        return;
    }
    for &i in &covered {
        set(&mut school.sections[i], None);
    }
    if c.header == STUDENTS {
        // Every per-pupil figure and the split itself need each stage's own pupils.
        diags.push(
            Diagnostic::error(
                "merged-students",
                loc,
                format!(
                    "{figure}：在校生数必须按学段分别填写，{}的在校生数未能读取",
                    stages.join("、")
                ),
            )
            .with_hint("取消合并（开始 → 合并后居中 → 取消单元格合并），在小学、初中的行分别填写该学段的在校生数"),
        );
        return;
    }
    let hint = if facility {
        "取消合并后在各学段的行分别填写；若只有全校合计，可在 content/county.yaml 中设 options.split_combined_facilities: true，按小学:初中 = 1:1.1 的生均当量拆分"
    } else {
        "取消合并（开始 → 合并后居中 → 取消单元格合并），在各学段的行分别填写该学段的数"
    };
    diags.push(
        Diagnostic::warning(
            "merged-over-stages",
            loc,
            format!("{figure}：不能同时计入{}，相关指标待核实", stages.join("、")),
        )
        .with_hint(hint),
    );
}

/// Drops the column's value from the rows a merge covers (a school-wide figure: the school's).
fn clear(c: &Column, school: &mut School, covers: &impl Fn(u32) -> bool) {
    match c.field {
        Field::Section(_, set) => {
            for sec in school.sections.iter_mut().filter(|s| covers(s.row)) {
                set(sec, None);
            }
        }
        Field::School(_, set) => set(school, None),
        _ => {}
    }
}

/// The same facility figure typed (or filled down) on every stage row of a school: a
/// whole-school total counted once per row, as a merge is. Kept on the first row for the
/// split when the county asks for it, else not used (its items pending).
pub fn copied(t: &Table, schools: &mut [School], split: bool, diags: &mut Diagnostics) {
    for school in schools.iter_mut().filter(|s| s.sections.len() > 1) {
        for c in COLUMNS
            .iter()
            .filter(|c| ResourceKey::FACILITIES.iter().any(|f| f.column() == c.header))
        {
            let Field::Section(get, set) = c.field else { continue };
            let values: Vec<Option<f64>> = school.sections.iter().map(get).collect();
            let Some(Some(v)) = values.first().copied() else {
                continue;
            };
            if v <= 0.0 || values.iter().any(|x| *x != Some(v)) {
                continue;
            }
            let cells: Vec<String> = school
                .sections
                .iter()
                .map(|s| t.loc(s.row, c.header).to_string())
                .collect();
            let stages: Vec<&str> = school
                .sections
                .iter()
                .map(|s| s.stage.map_or("全校", Stage::label))
                .collect();
            let first = &school.sections[0];
            let loc = t.loc(first.row, c.header);
            let figure = format!(
                "{} 的“{}”在{}的行都填了 {v}，读作全校合计",
                school.name,
                c.header,
                stages.join("、"),
            );
            let sections = school.sections.len();
            let (msg, hint) = if split {
                for i in 1..sections {
                    set(&mut school.sections[i], None);
                }
                (
                    format!("{figure}，只计一次，已按生均当量拆分"),
                    "若各学段的数恰好相同，请在 content/county.yaml 中关闭 split_combined_facilities 并核对".to_owned(),
                )
            } else {
                for i in 0..sections {
                    set(&mut school.sections[i], None);
                }
                (
                    format!("{figure}：不能同时计入{}，相关指标待核实", stages.join("、")),
                    format!(
                        "在各学段的行分别填写该学段的数（{}）；若只有全校合计，只在第一行填写，并在 content/county.yaml 中设 options.split_combined_facilities: true",
                        cells.join("、")
                    ),
                )
            };
            diags.push(Diagnostic::warning("copied-over-stages", loc, msg).with_hint(hint));
        }
    }
}
