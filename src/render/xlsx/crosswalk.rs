//! 指标对照表.xlsx: each point of the catalogue's system (省检) against the inspection's
//! indicators (国检), the verdicts under both, and the evidence listed under it.

use rust_xlsxwriter::{Format, FormatAlign, XlsxError};

use super::style::{header_format, new_workbook};
use crate::rules::Assessment;

pub fn workbook(a: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let sheet = wb.add_worksheet().set_name("指标对照")?;
    let heads = [
        ("省检指标", 8.0),
        ("指标名称", 22.0),
        ("要点", 6.0),
        ("要点内容", 50.0),
        ("对应国检指标", 26.0),
        ("对照依据", 40.0),
        ("省检判定", 10.0),
        ("国检判定", 10.0),
        ("佐证材料（件）", 10.0),
    ];
    let h = header_format();
    for (c, (t, w)) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, &h)?;
        sheet.set_column_width(c as u16, *w)?;
    }
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let none = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_font_color("A01D10");
    for (i, r) in a.crosswalk.iter().enumerate() {
        let row = i as u32 + 1;
        let to = if r.to.is_empty() {
            "（无对应）".to_owned()
        } else {
            r.to.join("\n")
        };
        let cells = [&r.from, &r.from_name, &r.point, &r.point_text];
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, c as u16, v.as_str(), &wrap)?;
        }
        sheet.write_string_with_format(row, 4, &to, if r.to.is_empty() { &none } else { &wrap })?;
        sheet.write_string_with_format(row, 5, &r.note, &wrap)?;
        sheet.write_string_with_format(row, 6, &r.from_verdict, &wrap)?;
        sheet.write_string_with_format(row, 7, &r.to_verdict, &wrap)?;
        sheet.write_number_with_format(row, 8, r.evidence as f64, &wrap)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, a.crosswalk.len() as u32, heads.len() as u16 - 1)?;
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    wb.save_to_buffer()
}
