//! 资料总目录.xlsx: every evidence item with its number, box, unit, file and status.

use rust_xlsxwriter::{Format, XlsxError};

use super::style::{header_format, new_workbook};
use crate::model::Workspace;
use crate::model::evidence::Status;
use crate::rules::Assessment;

/// 资料总目录.xlsx: one row per item, filterable, header frozen.
pub fn catalogue(ws: &Workspace, a: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let sheet = wb.add_worksheet().set_name("资料总目录")?;
    let heads = [
        "编号",
        "题名",
        "盒号",
        "责任单位",
        "文件",
        "状态",
        "指标",
        "要点",
        "页数",
        "文号",
        "责任者",
        "日期",
    ];
    let h = header_format();
    for (c, t) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, &h)?;
    }
    for (c, w) in [14.0, 50.0, 10.0, 12.0, 40.0, 10.0, 6.0, 6.0, 6.0, 18.0, 22.0, 10.0]
        .iter()
        .enumerate()
    {
        sheet.set_column_width(c as u16, *w)?;
    }
    let labels: std::collections::HashMap<&str, String> = a
        .evidence
        .boxes
        .iter()
        .map(|b| {
            (
                b.id.as_str(),
                format!(
                    "{}{}",
                    b.id,
                    b.part.as_deref().map(|p| format!("（{p}）")).unwrap_or_default()
                ),
            )
        })
        .collect();
    let red = Format::new().set_font_color("#A01D10");
    for (r, s) in a.evidence.items.iter().enumerate() {
        let r = r as u32 + 1;
        let e = &ws.evidence[s.index];
        sheet.write_string(r, 0, &s.number)?;
        sheet.write_string(r, 1, &e.title)?;
        sheet.write_string(r, 2, labels.get(s.box_id.as_str()).cloned().unwrap_or_default())?;
        sheet.write_string(r, 3, e.unit.clone().unwrap_or_default())?;
        sheet.write_string(r, 4, e.file.clone().unwrap_or_default())?;
        // Issue 33 point 4: a unit's item not yet reviewed is boxed, marked for the team.
        let status = match s.review {
            Some(Status::Submitted) => format!("{}（待审核）", s.status),
            _ => s.status.to_owned(),
        };
        if s.status == "文件缺失" || s.review == Some(Status::Returned) {
            sheet.write_string_with_format(r, 5, status, &red)?;
        } else {
            sheet.write_string(r, 5, status)?;
        }
        sheet.write_string(r, 6, &s.indicator)?;
        sheet.write_string(r, 7, &s.point)?;
        if let Some(p) = s.pages {
            sheet.write_number(r, 8, p as f64)?;
        }
        sheet.write_string(r, 9, e.doc_no.clone().unwrap_or_default())?;
        sheet.write_string(r, 10, e.author.clone().unwrap_or_default())?;
        sheet.write_string(r, 11, e.date.map(|d| d.compact()).unwrap_or_default())?;
    }
    let last = a.evidence.items.len() as u32;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last.max(1), heads.len() as u16 - 1)?;
    wb.save_to_buffer()
}
