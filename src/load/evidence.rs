//! `content/evidence.xlsx`, sheet 佐证材料清单. Reconciling files and boxes comes later;
//! here each row's references are checked.

use std::path::Path;

use super::sheet;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::evidence::columns::{HEADERS, OPTIONAL, SHEET, SOURCE};
use crate::model::{CharOrigins, EvidenceItem, Profile, Unit};

const REQUIRED: [&str; 3] = ["指标", "要点", "题名"];

pub fn load(
    root: &Path,
    profile: &Profile,
    units: &[Unit],
    units_declared: bool,
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> Vec<EvidenceItem> {
    if !root.join(crate::paths::EVIDENCE).exists() {
        diags.push(
            Diagnostic::warning(
                "evidence-missing",
                crate::diag::Location::file(crate::paths::EVIDENCE),
                "没有找到佐证材料清单",
            )
            .with_hint("依据佐证材料判定的指标将为待核实；运行 yingjian new 可生成空白清单"),
        );
        return vec![];
    }
    // 状态, 审核意见 and 来源 may be absent: a catalogue kept before issue 33 reads as before.
    let headers: Vec<&'static str> = HEADERS.iter().chain(&OPTIONAL).copied().collect();
    let Some(t) = sheet::open(
        root,
        crate::paths::EVIDENCE,
        SHEET,
        &headers,
        &REQUIRED,
        &OPTIONAL,
        diags,
        chars,
    ) else {
        return vec![];
    };
    let mut items = Vec::new();
    for (row, cells) in &t.rows {
        let row = *row;
        let Some(ind_text) = t.code(cells, "指标") else {
            diags.push(
                Diagnostic::error("indicator-missing", t.loc(row, "指标"), "“指标”为空")
                    .with_hint("填写指标编号，如 A12 或 12"),
            );
            continue;
        };
        let Some(ind) = profile.indicator(&ind_text) else {
            diags.push(unknown_indicator(t.loc(row, "指标"), &ind_text, profile));
            continue;
        };
        let point = t.code(cells, "要点").unwrap_or_default();
        if ind.point(&point).is_none() {
            let ids: Vec<&str> = ind.points.iter().map(|p| p.id.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    "unknown-point",
                    t.loc(row, "要点"),
                    format!("指标 {} 没有评估要点“{point}”", ind.id),
                )
                .with_hint(format!("该指标的要点编号：{}", ids.join("、"))),
            );
            continue;
        }
        let title = t.text(cells, "题名").unwrap_or_default();
        if title.is_empty() {
            diags.push(
                Diagnostic::error("title-missing", t.loc(row, "题名"), "“题名”为空")
                    .with_hint("填写文件标题，即档案目录中的题名"),
            );
        }
        let unit = t.text(cells, "责任单位");
        if let Some(u) = &unit
            && units_declared
            && !units.iter().any(|x| &x.name == u)
        {
            diags.push(unknown_unit(t.loc(row, "责任单位"), u, units));
        }
        let pages = pages(&t, row, cells, diags);
        let file = file(&t, row, cells, diags);
        let (status, review) = super::evidence_status::read(&t, row, cells, &title, diags);
        items.push(EvidenceItem {
            at_file: t.loc(row, "文件"),
            at_pages: t.loc(row, "页数"),
            row,
            indicator: ind.id.clone(),
            point,
            catalogue: None,
            title,
            author: t.text(cells, "责任者"),
            doc_no: t.text(cells, "文号"),
            date: t.date(row, cells, "日期", diags),
            pages,
            file,
            unit,
            secrecy: t.text(cells, "密级"),
            note: t.text(cells, "备注"),
            status,
            review,
            source: t.text(cells, SOURCE),
        });
    }
    items
}

/// 页数: a positive whole number, or blank.
fn pages(t: &sheet::Table, row: u32, cells: &[calamine::Data], diags: &mut Diagnostics) -> Option<u32> {
    t.number(row, cells, "页数", diags).and_then(|v| {
        if v.fract() != 0.0 || v < 1.0 {
            diags.push(
                Diagnostic::error("bad-pages", t.loc(row, "页数"), format!("页数应为正整数，实际是 {v}"))
                    .with_hint("填写文件的实际页数（正整数）"),
            );
            None
        } else {
            Some(v as u32)
        }
    })
}

/// 文件: a path relative to evidence/ that stays inside it.
fn file(t: &sheet::Table, row: u32, cells: &[calamine::Data], diags: &mut Diagnostics) -> Option<String> {
    let file = t
        .text(cells, "文件")
        .map(|f| f.replace('\\', "/").trim_start_matches("./").to_owned());
    // A path must stay inside evidence/: no parent steps, no absolute or drive paths.
    file.filter(|f| {
        let escapes = f.starts_with('/') || f.contains(':') || f.split('/').any(|p| p == "..");
        if escapes {
            diags.push(
                Diagnostic::error(
                    "evidence-path-outside",
                    t.loc(row, "文件"),
                    format!("文件路径“{f}”超出 evidence/ 目录"),
                )
                .with_hint("写相对于 evidence/ 的路径，如 A12/校额统计表.pdf，不要用 ../ 或绝对路径"),
            );
        }
        !escapes
    })
}

pub fn unknown_indicator(loc: crate::diag::Location, text: &str, profile: &Profile) -> Diagnostic {
    let sample: Vec<&str> = profile.indicators.iter().take(4).map(|i| i.id.as_str()).collect();
    Diagnostic::error(
        "unknown-indicator",
        loc,
        format!("指标体系“{}”中没有指标“{text}”", profile.id),
    )
    .with_hint(format!(
        "指标编号形如 {} ……，完整列表见 yingjian check 输出或 docs/inputs.md",
        sample.join("、")
    ))
}

pub fn unknown_unit(loc: crate::diag::Location, name: &str, units: &[Unit]) -> Diagnostic {
    let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
    Diagnostic::error(
        "unknown-unit",
        loc,
        format!("责任单位“{name}”不在 content/units.yaml 中"),
    )
    .with_hint(format!("已登记的单位：{}", names.join("、")))
}

/// A file name as Windows and a hurried typist see it: letter case, full-width letters and
/// brackets, and spaces do not count (also how a returned title is compared with the catalogue's).
pub(crate) fn loose(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '【' => '[',
            '】' => ']',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Catalogue rows whose 文件 names no file, while one unlisted file under evidence/ differs
/// from it only in case (.JPG/.jpg), full/half-width brackets or spaces: one warning that
/// names both, and the row is read as naming that file (never "missing" plus "unlisted").
pub fn near_misses(
    items: &mut [EvidenceItem],
    files: &[crate::model::evidence::EvidenceFile],
    diags: &mut Diagnostics,
) {
    use std::collections::{BTreeMap, HashSet};
    let listed: HashSet<&str> = items.iter().filter_map(|i| i.file.as_deref()).collect();
    let mut unlisted: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for f in files.iter().filter(|f| !listed.contains(f.rel.as_str())) {
        unlisted.entry(loose(&f.rel)).or_default().push(&f.rel);
    }
    let present: HashSet<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    for item in items.iter_mut() {
        let Some(rel) = item.file.clone().filter(|r| !present.contains(r.as_str())) else {
            continue;
        };
        // Only a single candidate is a near miss; two would be a guess.
        let Some([actual]) = unlisted.get(&loose(&rel)).map(Vec::as_slice) else {
            continue;
        };
        if !taken.insert(actual.to_string()) {
            continue;
        }
        let no_space = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let what = if rel.to_lowercase() == actual.to_lowercase() {
            "只有字母大小写不同"
        } else if no_space(&rel) == no_space(actual) {
            "只有空格不同"
        } else {
            "只有全角/半角（如括号“（）”与“()”）或大小写、空格不同"
        };
        diags.push(
            Diagnostic::warning(
                "evidence-near-miss",
                item.at_file.clone(),
                format!("清单中的“{rel}”可能是 evidence/ 中的“{actual}”（{what}），已按该文件读取"),
            )
            .with_hint(format!("把“文件”列改为 {actual}，或把文件改名为 {rel}，使两者完全一致")),
        );
        item.file = Some(actual.to_string());
    }
}
