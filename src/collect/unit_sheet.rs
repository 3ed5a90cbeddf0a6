//! The sheets of a unit's form that carry county figures: 县级数据 (the figures as inputs, one
//! row each) and the hidden 县级数据下发值 (each figure's key in county.yaml and the value it was
//! issued with), and reading them back from a return.

use calamine::{Data, Reader};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder, Workbook, XlsxError,
};

use super::county_fields::{Field, Kind, lookup};
use super::school_form::header_format;
use super::stamp::text;

/// The sheet the unit fills.
pub const SHEET: &str = "县级数据";
/// The hidden sheet of the issued values.
pub const ISSUED: &str = "县级数据下发值";
/// Raised when the layout of these sheets changes.
pub const VERSION: &str = "1";
const HEADERS: [&str; 5] = ["指标", "数据项", "单位", "数值（请核对，有误直接改）", "填写说明"];
/// The first row of figures (zero-based) on both sheets.
pub const FIRST: u32 = 2;
/// The column of the values on 县级数据.
pub const VALUE_COL: u16 = 3;

/// One issued figure as the hidden sheet records it.
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    pub path: String,
    pub label: String,
    pub value: Option<f64>,
    pub kind: Kind,
}

pub fn write(
    wb: &mut Workbook,
    unit: &str,
    fields: &[(String, Field)],
    doc: &serde_yaml::Value,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEET)?;
    let border = Format::new().set_border(FormatBorder::Thin);
    let input = border.clone().set_unlocked().set_background_color(Color::RGB(0xFFF9DB));
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{unit} 县级数据核实：黄色单元格是目前掌握的数值，有误的请直接改为正确数值（只填数字），依据写在“牵头指标”表的核实意见中"
        ),
        &Format::new().set_bold().set_font_size(13),
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &header_format())?;
    }
    if fields.is_empty() {
        ws.write_string(FIRST, 0, "本单位牵头的指标没有需要核实的县级数据")?;
    }
    for (i, (id, field)) in fields.iter().enumerate() {
        let r = FIRST + i as u32;
        ws.write_string_with_format(r, 0, id, &border)?;
        ws.write_string_with_format(r, 1, &field.label, &border)?;
        ws.write_string_with_format(r, 2, field.unit, &border)?;
        match lookup(doc, &field.keys()) {
            Some(v) => ws.write_number_with_format(r, VALUE_COL, v, &input)?,
            None => ws.write_blank(r, VALUE_COL, &input)?,
        };
        ws.write_string_with_format(r, 4, field.hint(), &border)?;
        let max = match field.kind {
            Kind::Percent => Some(100.0),
            Kind::Ratio => Some(1.0),
            Kind::Amount => None,
        };
        let rule = match max {
            Some(m) => DataValidationRule::Between(0.0, m),
            None => DataValidationRule::GreaterThanOrEqualTo(0.0),
        };
        let range = max.map_or("不小于 0 的数字".to_owned(), |m| format!("0 到 {m} 之间的数字"));
        let dv = DataValidation::new()
            .allow_decimal_number(rule)
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message(format!("应为{range}"))?
            .set_input_title(field.label.chars().take(32).collect::<String>())?
            .set_input_message(field.hint())?;
        ws.add_data_validation(r, VALUE_COL, r, VALUE_COL, &dv)?;
    }
    ws.set_row_height(1, 30)?;
    for (c, w) in [26.0, 44.0, 8.0, 16.0, 36.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(FIRST, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.protect();

    let hidden = wb.add_worksheet().set_name(ISSUED)?;
    hidden.write_string(0, 0, "格式版本")?;
    hidden.write_string(0, 1, VERSION)?;
    hidden.write_string(1, 0, "county.yaml 中的位置")?;
    hidden.write_string(1, 1, "数据项")?;
    hidden.write_string(1, 2, "下发时的值")?;
    hidden.write_string(1, 3, "类别")?;
    for (i, (_, field)) in fields.iter().enumerate() {
        let r = FIRST + i as u32;
        hidden.write_string(r, 0, &field.path)?;
        hidden.write_string(r, 1, &field.label)?;
        if let Some(v) = lookup(doc, &field.keys()) {
            hidden.write_number(r, 2, v)?;
        }
        hidden.write_string(r, 3, kind_name(field.kind))?;
    }
    hidden.set_hidden(true);
    hidden.protect();
    Ok(())
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Amount => "数值",
        Kind::Percent => "百分数",
        Kind::Ratio => "比例",
    }
}

/// The issued figures of a return; `None` when it has no such sheet of this version.
pub fn read_issued<R: std::io::Read + std::io::Seek>(wb: &mut calamine::Sheets<R>) -> Option<Vec<Issued>> {
    let range = wb.worksheet_range(ISSUED).ok()?;
    if text(&range, 0, 1) != VERSION {
        return None;
    }
    let end = range.end().map_or(0, |e| e.0);
    let mut out = vec![];
    for r in FIRST..=end {
        let path = text(&range, r, 0);
        if path.is_empty() {
            continue;
        }
        let value = match range.get_value((r, 2)) {
            Some(Data::Float(f)) => Some(*f),
            Some(Data::Int(i)) => Some(*i as f64),
            Some(Data::String(s)) => Some(crate::load::sheet::parse_number(s)?),
            _ => None,
        };
        let kind = [Kind::Amount, Kind::Percent, Kind::Ratio]
            .into_iter()
            .find(|k| kind_name(*k) == text(&range, r, 3))?;
        out.push(Issued {
            path,
            label: text(&range, r, 1),
            value,
            kind,
        });
    }
    Some(out)
}

/// A cell of the unit's sheet as returned: its label (column B) and its value.
pub struct Returned {
    pub row: u32,
    pub label: String,
    pub value: Data,
}

/// The rows of 县级数据 in a return; `None` when the sheet is gone.
pub fn read_returned<R: std::io::Read + std::io::Seek>(wb: &mut calamine::Sheets<R>) -> Option<Vec<Returned>> {
    let range = wb.worksheet_range(SHEET).ok()?;
    let end = range.end().map_or(0, |e| e.0);
    let mut out = vec![];
    for r in FIRST..=end {
        let label = text(&range, r, 1);
        if label.is_empty() {
            continue;
        }
        let value = range.get_value((r, VALUE_COL as u32)).cloned().unwrap_or(Data::Empty);
        out.push(Returned { row: r, label, value });
    }
    Some(out)
}
