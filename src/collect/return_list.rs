//! `out/退回清单/<单位>.xlsx` (issue 33 point 3): what a unit must send again — every refusal
//! of its rows still standing in the record, and the catalogue rows of the unit the materials
//! team marked 退回 (with their 审核意见) — ready to hand to the unit.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, XlsxError};

use crate::model::evidence::Status;
use crate::model::{EvidenceItem, ReturnRecord};
use crate::render::xlsx::style::{header_format, new_workbook};

/// The folder, under out/.
pub const DIR: &str = "退回清单";

/// One row of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub indicator: String,
    pub point: String,
    pub title: String,
    pub file_name: String,
    /// The returned form and cell, or the catalogue's row.
    pub at: String,
    pub reason: String,
    pub date: String,
}

const HEADERS: [(&str, f64); 7] = [
    ("指标", 7.0),
    ("要点", 6.0),
    ("题名", 40.0),
    ("文件名", 30.0),
    ("回收表及位置", 30.0),
    ("退回原因", 48.0),
    ("日期", 12.0),
];

/// The path of `unit`'s list, relative to out/.
pub fn rel(unit: &str) -> String {
    format!("{DIR}/{}.xlsx", super::file_name(unit))
}

/// `unit`'s refusals in `record`, then its catalogue rows marked 退回 (not those the unit has
/// sent again since: a later return of the same row replaces the refusal).
pub fn lines(record: &ReturnRecord, items: &[EvidenceItem], unit: &str) -> Vec<Line> {
    let mut out: Vec<Line> = record
        .refused
        .iter()
        .filter(|r| r.unit == unit)
        .map(|r| Line {
            indicator: r.indicator.clone(),
            point: r.point.clone(),
            title: r.title.clone(),
            file_name: r.file_name.clone().unwrap_or_default(),
            at: r.at.clone(),
            reason: r.reasons.join("；"),
            date: r.date.clone(),
        })
        .collect();
    let resent = |i: &EvidenceItem| {
        record
            .evidence
            .iter()
            .any(|t| t.unit == unit && t.indicator == i.indicator && t.point == i.point && t.title == i.title.trim())
    };
    for i in items {
        if i.unit.as_deref() != Some(unit) || i.status != Some(Status::Returned) || resent(i) {
            continue;
        }
        out.push(Line {
            indicator: i.indicator.clone(),
            point: i.point.clone(),
            title: i.title.clone(),
            file_name: i.file.clone().unwrap_or_default(),
            at: format!("{} 第 {} 行", crate::paths::EVIDENCE, i.row + 1),
            reason: i
                .review
                .clone()
                .filter(|r| !r.trim().is_empty())
                .unwrap_or_else(|| "材料组审核退回（清单中未写审核意见，请向材料组询问）".to_owned()),
            date: String::new(),
        });
    }
    out
}

/// The workbook: a title, how to send the rows again, the table.
pub fn render(unit: &str, date: &str, lines: &[Line]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name("退回清单")?;
    let last = HEADERS.len() as u16 - 1;
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    ws.merge_range(0, 0, 0, last, &format!("{unit} 佐证材料退回清单（{date}）"), &title)?;
    ws.set_row_height(0, 30)?;
    let note = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let how = format!(
        "以下 {} 件佐证材料未被接收，请按“退回原因”改正后重新提交：在材料组新下发的核实表（yingjian collect 生成）的“佐证材料”工作表中重新填写这些行，\
         把文件放在核实表旁边（同一文件夹，或与核实表一起打包成一个 .zip）一并交回。题名、指标和要点与原来相同的行，交回后即替代这里的退回记录。",
        lines.len()
    );
    ws.merge_range(1, 0, 1, last, &how, &note)?;
    ws.set_row_height(1, 48)?;
    let head = header_format();
    for (c, (h, w)) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(3, 20)?;
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let centred = cell.clone().set_align(FormatAlign::Center);
    for (k, l) in lines.iter().enumerate() {
        let r = 4 + k as u32;
        let values = [
            &l.indicator,
            &l.point,
            &l.title,
            &l.file_name,
            &l.at,
            &l.reason,
            &l.date,
        ];
        for (c, v) in values.iter().enumerate() {
            let f = if [0, 1, 6].contains(&c) { &centred } else { &cell };
            ws.write_string_with_format(r, c as u16, v.as_str(), f)?;
        }
        // Wrapped cells: a height that shows the longest (a CJK character is two width units;
        // 15 points a line); counted as CJK throughout: a little too tall for Latin text.
        let lines_needed = values
            .iter()
            .zip(HEADERS)
            .map(|(v, (_, w))| (v.chars().count() as f64 * 2.0 / (w - 1.0)).ceil().max(1.0))
            .fold(1.0, f64::max);
        ws.set_row_height(r, 15.0 * lines_needed + 4.0)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(3, 3)?;
    ws.set_freeze_panes(4, 0)?;
    wb.save_to_buffer()
}

/// Writes `unit`'s list under out/, or removes it when nothing is left to send again;
/// `Some(path under out/)` when written.
pub fn write(
    root: &Path,
    unit: &str,
    date: &str,
    record: &ReturnRecord,
    items: &[EvidenceItem],
) -> Result<Option<String>, String> {
    let rel = rel(unit);
    let lines = lines(record, items, unit);
    if lines.is_empty() {
        return match std::fs::remove_file(root.join(crate::paths::OUT).join(&rel)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(format!("无法删除 out/{rel}：{}", crate::out::swap::reason(&e)))
            }
            _ => Ok(None),
        };
    }
    let bytes = render(unit, date, &lines).map_err(|e| format!("无法生成 out/{rel}：{e}"))?;
    crate::out::write(root, &rel, &bytes)
        .map_err(|e| format!("无法写出 out/{rel}：{}", crate::out::swap::reason(&e)))?;
    Ok(Some(rel))
}
