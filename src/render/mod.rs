//! Renderers: turn an assessment into what people read.

pub mod boxes;
pub mod check;
pub mod compilation;
pub mod fonts;
pub mod forms;
pub mod markdown;
pub mod report;
pub mod typeset;
pub mod workbook;
pub mod world;

use serde_json::Value;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{Date, Workspace};
use crate::rules::assess::{Assessment, prepared_schools};

/// Every output of a build, in memory: (path under out/, bytes). Problems go to `diags`;
/// the caller writes nothing when any of them is an error.
pub fn all(
    root: &Path,
    ws: &Workspace,
    a: &Assessment,
    opts: &crate::BuildOptions,
    diags: &mut Diagnostics,
) -> Rendered {
    let mut files = vec![];
    let today = ws.config.as_ref().map(|c| c.today).unwrap_or(Date {
        year: 2026,
        month: 1,
        day: 1,
    });
    let report = report::data(root, ws, a, diags);
    if let Some(pdf) = typeset(root, "report.typ", &report, today, diags) {
        files.push(("自评报告.pdf".to_owned(), pdf));
    }
    // The data behind the report, for template authors working with the plain typst CLI.
    files.push((
        ".数据/自评报告.json".to_owned(),
        serde_json::to_vec_pretty(&report).unwrap_or_default(),
    ));

    let (schools, _) = prepared_schools(ws);
    xlsx(
        &mut files,
        "基础数据表.xlsx",
        workbook::basic_data(a, &schools, &ws.profile.resource),
        diags,
    );

    let scoring = forms::scoring(ws, a);
    if let Some(pdf) = typeset(root, "scoring.typ", &scoring, today, diags) {
        files.push(("评分自查表.pdf".to_owned(), pdf));
    }
    xlsx(&mut files, "评分自查表.xlsx", forms::scoring_workbook(ws, a), diags);

    // One form per school, and all of them in one file for printing.
    let mut all_forms = vec![];
    for school in &schools {
        let data = forms::school_form(ws, a, school);
        if let Some(pdf) = typeset(root, "school-form.typ", &data, today, diags) {
            files.push((
                format!("学校实地督查表/{}-{}.pdf", school.code, forms::file_name(&school.name)),
                pdf,
            ));
        }
        all_forms.push(data);
    }
    if !all_forms.is_empty() {
        let combined = serde_json::json!({ "forms": all_forms });
        if let Some(pdf) = typeset(root, "school-forms.typ", &combined, today, diags) {
            files.push(("学校实地督查表.pdf".to_owned(), pdf));
        }
    }

    let lists: Vec<Value> = ws.units.iter().map(|u| forms::task_list(root, ws, a, u)).collect();
    for (unit, data) in ws.units.iter().zip(&lists) {
        if let Some(pdf) = typeset(root, "task-list.typ", data, today, diags) {
            files.push((format!("任务清单/{}.pdf", forms::file_name(&unit.name)), pdf));
        }
    }
    xlsx(&mut files, "任务清单.xlsx", forms::task_workbook(&lists), diags);

    // Archive boxes: one file per box, and one printable file per kind.
    let box_data: Vec<Value> = a.evidence.boxes.iter().map(|b| boxes::box_data(ws, a, b)).collect();
    for data in &box_data {
        let name = forms::file_name(data["label"].as_str().unwrap_or("box"));
        if let Some(pdf) = typeset(root, "box.typ", data, today, diags) {
            files.push((format!("档案盒/{name}.pdf"), pdf));
        }
    }
    if opts.box_books {
        for data in &box_data {
            let name = forms::file_name(data["label"].as_str().unwrap_or("box"));
            if let Some(pdf) = typeset(root, "box-book.typ", data, today, diags) {
                files.push((format!("档案盒/装订本/{name}.pdf"), pdf));
            }
        }
    }
    if !box_data.is_empty() {
        for (kind, name) in [
            ("cover", "盒面"),
            ("contents", "卷内目录"),
            ("remarks", "备考表"),
            ("spine", "盒脊"),
        ] {
            let data = serde_json::json!({ "kind": kind, "title": name, "boxes": box_data });
            if let Some(pdf) = typeset(root, "box-kind.typ", &data, today, diags) {
                files.push((format!("档案盒/全部{name}.pdf"), pdf));
            }
        }
    }
    xlsx(&mut files, "资料总目录.xlsx", boxes::catalogue(ws, a), diags);
    if let Some(data) = compilation::data(root, ws, diags) {
        if let Some(pdf) = typeset(root, "compilation.typ", &data, today, diags) {
            files.push(("文件汇编.pdf".to_owned(), pdf));
        }
    }
    let reprint = boxes::changed_prints(&ws.lock, &box_data);
    let mut lock = a.evidence.lock.clone();
    lock.prints = box_data
        .iter()
        .map(|b| (b["id"].as_str().unwrap_or_default().to_owned(), boxes::print_hashes(b)))
        .collect();
    Rendered { files, reprint, lock }
}

/// What a build produced: the files for `out/`, the boxes whose prints changed since the
/// previous build, and the numbering to keep.
pub struct Rendered {
    pub files: Vec<(String, Vec<u8>)>,
    pub reprint: Vec<(String, &'static str)>,
    pub lock: crate::rules::evidence::Lock,
}

fn xlsx(
    files: &mut Vec<(String, Vec<u8>)>,
    rel: &str,
    made: Result<Vec<u8>, rust_xlsxwriter::XlsxError>,
    diags: &mut Diagnostics,
) {
    match made {
        Ok(bytes) => files.push((rel.to_owned(), bytes)),
        Err(e) => diags.push(
            Diagnostic::error(
                "xlsx-write",
                Location::file(format!("out/{rel}")),
                format!("无法生成 {rel}：{e}"),
            )
            .with_hint("请报告此问题"),
        ),
    }
}

/// Checks the data's glyph coverage and typesets `template` with it.
pub fn typeset(root: &Path, template: &str, data: &Value, today: Date, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    report::check_coverage(data, diags);
    let bytes = serde_json::to_vec(data).ok()?;
    let Some(world) = world::YjWorld::new(root, template, bytes, today) else {
        diags.push(
            Diagnostic::error("typst", Location::Workspace, "无法创建排版环境")
                .with_hint("请检查 county.yaml 中的 today 日期"),
        );
        return None;
    };
    match typeset::compile(&world) {
        Ok(doc) => Some(doc.pdf),
        Err(problems) => {
            problems.into_iter().for_each(|d| diags.push(d));
            None
        }
    }
}
