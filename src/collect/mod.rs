//! 下发 → 填报 → 汇总: `collect` writes a fill-in form for every school and unit under
//! `out/填报表/`; `merge` reads the returned forms and tells, per school, what would change in
//! content/schools.xlsx and what conflicts with changes made there since the forms went out.

pub mod apply;
pub mod catalogue;
pub mod commit;
pub mod county_fields;
pub mod county_items;
pub mod evidence_apply;
pub mod evidence_check;
pub mod evidence_files;
pub mod evidence_return;
pub mod evidence_sheet;
pub mod merge;
pub mod record;
pub mod return_list;
pub mod school_checks;
pub mod school_form;
pub mod stamp;
pub mod unit_form;
pub mod unit_merge;
pub mod unit_sheet;
pub mod unit_values;
pub mod yaml_edit;
pub mod yaml_flow;

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::School;
use crate::model::returns::{Issued, Round};

/// The folder of the forms, under out/.
pub const DIR: &str = "填报表";

/// What `collect` wrote: the forms' paths relative to out/.
#[derive(Debug, Default)]
pub struct Collected {
    pub schools: Vec<String>,
    pub units: Vec<String>,
    pub diagnostics: Diagnostics,
    /// The round this `collect` started (the record of the rounds).
    pub round: u32,
}

/// The schools of content/ as entered (combined schools' totals not split: a form shows
/// what the school typed), with the file they were read from.
pub fn current_schools(root: &Path, diags: &mut Diagnostics) -> (Vec<School>, String) {
    let rel = crate::paths::SCHOOLS;
    if !root.join(rel).exists() {
        diags.push(
            Diagnostic::error("collect-no-schools", Location::file(rel), "找不到学校基础数据表")
                .with_hint("先填写 content/schools.xlsx（yingjian new 生成的空白表），再下发填报表"),
        );
        return (vec![], rel.to_owned());
    }
    let mut chars = crate::model::CharOrigins::default();
    (
        crate::load::schools::read_file(root, rel, None, diags, &mut chars),
        rel.to_owned(),
    )
}

/// A name safe as a file name on every system: the characters Windows refuses become _.
pub fn file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if "\\/:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Writes every school's and unit's form. Errors in content/schools.xlsx stop it (a form
/// must not go out with a misread value); other problems are the build's to tell.
pub fn collect(root: &Path) -> std::io::Result<Collected> {
    let (ws, _) = crate::load::load(root);
    let mut out = Collected::default();
    let (schools, _) = current_schools(root, &mut out.diagnostics);
    if out.diagnostics.has_errors() {
        return Ok(out);
    }
    // Read first: a record that cannot be read stops collect before any form is written.
    let mut record = crate::out::returns::load(root).map_err(std::io::Error::other)?;
    let (assessment, _) = crate::rules::assess::assess(&ws);
    let id = stamp::workspace_id(ws.config.as_ref());
    let ids = (id.0.as_str(), id.1.as_str());
    let failed = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(format!("无法生成填报表：{e}"));
    for s in &schools {
        let bytes = school_form::render(s, &ws.profile, ids).map_err(failed)?;
        let rel = format!("{DIR}/学校/{}-{}.xlsx", file_name(&s.code), file_name(&s.name));
        crate::out::write(root, &rel, &bytes)?;
        out.schools.push(rel);
    }
    let mut units = vec![];
    for unit in unit_names(&ws, &assessment) {
        let led = unit_form::led(&unit, &assessment.indicators);
        if led.is_empty() {
            continue;
        }
        let bytes = unit_form::render(&unit, &led, &ws, &assessment, ids).map_err(failed)?;
        let rel = format!("{DIR}/单位/{}.xlsx", file_name(&unit));
        crate::out::write(root, &rel, &bytes)?;
        out.units.push(rel);
        units.push(unit);
    }
    // A new round: the returns are counted against what went out now.
    out.round = record.next_round();
    record.rounds.push(Round {
        round: out.round,
        date: ws.today().to_string(),
        schools: schools
            .iter()
            .map(|s| Issued {
                code: s.code.clone(),
                name: s.name.clone(),
            })
            .collect(),
        units,
    });
    crate::out::returns::write(root, &record)?;
    Ok(out)
}

/// The units: units.yaml's, then any other lead unit the profile names, in order of first use.
fn unit_names(ws: &crate::model::Workspace, a: &crate::Assessment) -> Vec<String> {
    let mut names: Vec<String> = ws.units.iter().map(|u| u.name.clone()).collect();
    for i in &a.indicators {
        for l in &i.lead {
            if !names.contains(l) {
                names.push(l.clone());
            }
        }
    }
    names
}
