//! The sheets of a unit's form that carry county figures: 县级数据 (the figures and yes/no
//! declarations as inputs, one row each, then the lower tables of `county_items`: a row per
//! subject or veto item with two inputs) and the hidden 县级数据下发值 (each input's key in
//! county.yaml, the value it was issued with and its cell), and reading them back from a return.

use calamine::{Data, Reader};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign, FormatBorder, Workbook,
    XlsxError,
};

use super::county_fields::{Field, Kind, Value, value, yes_no};
use super::county_items::Section;
use super::school_form::header_format;
use super::stamp::text;

/// The sheet the unit fills.
pub const SHEET: &str = "县级数据";
/// The hidden sheet of the issued values.
pub const ISSUED: &str = "县级数据下发值";
/// Raised when the layout of these sheets changes (2: each input's cell and row name recorded,
/// the yes/no, subject and veto inputs).
pub const VERSION: &str = "2";
const HEADERS: [&str; 5] = ["指标", "数据项", "单位", "数值（请核对，有误直接改）", "填写说明"];
/// The first row of figures (zero-based) on both sheets.
pub const FIRST: u32 = 2;
/// The column of the values on 县级数据.
pub const VALUE_COL: u16 = 3;

/// One issued input as the hidden sheet records it: its key in county.yaml, label, value and
/// kind, its cell on 县级数据 and the name its row carries there (column B).
#[derive(Debug, Clone, PartialEq)]
pub struct Issued {
    pub path: String,
    pub label: String,
    pub value: Option<Value>,
    pub kind: Kind,
    pub row: u32,
    pub col: u16,
    pub name: String,
}

/// An input to write: the field, its cell and its row's name.
struct Input<'a> {
    field: &'a Field,
    row: u32,
    col: u16,
    name: &'a str,
}

pub fn write(
    wb: &mut Workbook,
    unit: &str,
    fields: &[(String, Field)],
    sections: &[Section],
    doc: &serde_yaml::Value,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEET)?;
    let border = Format::new().set_border(FormatBorder::Thin);
    let wrap = border.clone().set_text_wrap().set_align(FormatAlign::Top);
    let input = border.clone().set_unlocked().set_background_color(Color::RGB(0xFFF9DB));
    let bold = Format::new().set_bold().set_font_size(13);
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{unit} 县级数据核实：黄色单元格是目前掌握的数值，有误的请直接改为正确数值（只填数字，是否项从下拉列表选择），依据写在“牵头指标”表的核实意见中"
        ),
        &bold,
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &header_format())?;
    }
    if fields.is_empty() {
        ws.write_string(FIRST, 0, "本单位牵头的指标没有需要核实的县级数据")?;
    }
    let mut inputs = vec![];
    for (i, (id, field)) in fields.iter().enumerate() {
        let r = FIRST + i as u32;
        ws.write_string_with_format(r, 0, id, &border)?;
        ws.write_string_with_format(r, 1, &field.label, &border)?;
        ws.write_string_with_format(r, 2, field.unit, &border)?;
        ws.write_string_with_format(r, 4, field.hint(), &border)?;
        inputs.push(Input {
            field,
            row: r,
            col: VALUE_COL,
            name: &field.label,
        });
    }
    // The lower tables, each after a blank row: a title, its headers, its rows.
    let mut r = FIRST + fields.len().max(1) as u32;
    for s in sections {
        ws.write_string_with_format(r + 1, 0, s.title, &Format::new().set_bold())?;
        for (c, h) in s.headers.iter().enumerate() {
            ws.write_string_with_format(r + 2, c as u16, *h, &header_format())?;
        }
        ws.set_row_height(r + 2, 30)?;
        r += 3;
        for row in &s.rows {
            ws.write_string_with_format(r, 0, &row.head, &wrap)?;
            ws.write_string_with_format(r, 1, &row.name, &wrap)?;
            ws.write_string_with_format(r, 4, s.hint, &wrap)?;
            if row.inputs.iter().any(|f| f.kind == Kind::Note) {
                // Room for two lines of a note.
                ws.set_row_height(r, 30)?;
            }
            for (k, field) in row.inputs.iter().enumerate() {
                inputs.push(Input {
                    field,
                    row: r,
                    col: 2 + k as u16,
                    name: &row.name,
                });
            }
            r += 1;
        }
    }
    let note = input.clone().set_text_wrap().set_align(FormatAlign::Top);
    let choice = input.clone().set_align(FormatAlign::Center).set_align(FormatAlign::Top);
    for i in &inputs {
        let f = match i.field.kind {
            Kind::Note => &note,
            Kind::YesNo => &choice,
            _ => &input,
        };
        match value(doc, &i.field.keys(), i.field.kind) {
            Some(Value::Number(v)) => ws.write_number_with_format(i.row, i.col, v, f)?,
            Some(Value::Bool(b)) => ws.write_string_with_format(i.row, i.col, yes_no(b), f)?,
            Some(Value::Text(t)) => ws.write_string_with_format(i.row, i.col, t, f)?,
            None => ws.write_blank(i.row, i.col, f)?,
        };
        ws.add_data_validation(i.row, i.col, i.row, i.col, &validation(i.field)?)?;
    }
    ws.set_row_height(1, 30)?;
    for (c, w) in [26.0, 44.0, 10.0, 24.0, 46.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(FIRST, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.protect();
    write_issued(wb, &inputs, doc)
}

/// The input's validation: a number in its range (a warning: merge tells the error again), a
/// list of 是 and 否 (refusing anything else), any text for a note; the hint as its message.
fn validation(field: &Field) -> Result<DataValidation, XlsxError> {
    let dv = match field.kind {
        Kind::YesNo => DataValidation::new()
            .allow_list_strings(&["是", "否"])?
            .set_error_message("请从下拉列表选择 是 或 否")?,
        Kind::Note => DataValidation::new().allow_any_value(),
        Kind::Level => DataValidation::new()
            .allow_whole_number(DataValidationRule::Between(1, 4))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message("应为 1 到 4 之间的整数")?,
        kind => {
            let max = match kind {
                Kind::Percent => Some(100.0),
                Kind::Ratio => Some(1.0),
                _ => None,
            };
            let rule = match max {
                Some(m) => DataValidationRule::Between(0.0, m),
                None => DataValidationRule::GreaterThanOrEqualTo(0.0),
            };
            let range = max.map_or("不小于 0 的数字".to_owned(), |m| format!("0 到 {m} 之间的数字"));
            DataValidation::new()
                .allow_decimal_number(rule)
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_message(format!("应为{range}"))?
        }
    };
    dv.set_input_title(field.label.chars().take(32).collect::<String>())?
        .set_input_message(field.hint())
}

/// The hidden sheet: each input's key, label, issued value, kind, cell and row name.
fn write_issued(wb: &mut Workbook, inputs: &[Input], doc: &serde_yaml::Value) -> Result<(), XlsxError> {
    let hidden = wb.add_worksheet().set_name(ISSUED)?;
    hidden.write_string(0, 0, "格式版本")?;
    hidden.write_string(0, 1, VERSION)?;
    let headers = [
        "county.yaml 中的位置",
        "数据项",
        "下发时的值",
        "类别",
        "单元格",
        "行名称",
    ];
    for (c, h) in headers.into_iter().enumerate() {
        hidden.write_string(1, c as u16, h)?;
    }
    for (k, i) in inputs.iter().enumerate() {
        let r = FIRST + k as u32;
        hidden.write_string(r, 0, &i.field.path)?;
        hidden.write_string(r, 1, &i.field.label)?;
        match value(doc, &i.field.keys(), i.field.kind) {
            Some(Value::Number(v)) => hidden.write_number(r, 2, v)?,
            Some(Value::Bool(b)) => hidden.write_string(r, 2, yes_no(b))?,
            Some(Value::Text(t)) => hidden.write_string(r, 2, t)?,
            None => hidden,
        };
        hidden.write_string(r, 3, kind_name(i.field.kind))?;
        hidden.write_string(r, 4, crate::diag::cell_name(i.row, i.col as u32))?;
        hidden.write_string(r, 5, i.name)?;
    }
    hidden.set_hidden(true);
    hidden.protect();
    Ok(())
}

const KINDS: [Kind; 6] = [
    Kind::Amount,
    Kind::Percent,
    Kind::Ratio,
    Kind::YesNo,
    Kind::Level,
    Kind::Note,
];

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Amount => "数值",
        Kind::Percent => "百分数",
        Kind::Ratio => "比例",
        Kind::YesNo => "是否",
        Kind::Level => "等级",
        Kind::Note => "说明",
    }
}

/// The issued inputs of a return; `None` when it has no such sheet of this version.
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
        let kind = KINDS.into_iter().find(|k| kind_name(*k) == text(&range, r, 3))?;
        let cell = range.get_value((r, 2));
        let value = match (kind, cell) {
            (_, None | Some(Data::Empty)) => None,
            (Kind::YesNo, _) => Some(Value::Bool(text(&range, r, 2) == yes_no(true))),
            (Kind::Note, Some(d)) => Some(Value::Text(crate::load::sheet::cell_text(d))),
            (_, Some(Data::Float(f))) => Some(Value::Number(*f)),
            (_, Some(Data::Int(i))) => Some(Value::Number(*i as f64)),
            (_, Some(Data::String(s))) => Some(Value::Number(crate::load::sheet::parse_number(s)?)),
            _ => None,
        };
        let (row, col) = crate::diag::cell_position(&text(&range, r, 4));
        if row == 0 || col == 0 {
            return None;
        }
        out.push(Issued {
            path,
            label: text(&range, r, 1),
            value,
            kind,
            row: row as u32 - 1,
            col: col as u16 - 1,
            name: text(&range, r, 5),
        });
    }
    Some(out)
}

/// An input of the unit's sheet as returned: the name its row carries and its value.
pub struct Returned {
    pub name: String,
    pub value: Data,
}

/// The cells of `issued` on 县级数据 in a return, in its order; `None` when the sheet is gone.
pub fn read_returned<R: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<R>,
    issued: &[Issued],
) -> Option<Vec<Returned>> {
    let range = wb.worksheet_range(SHEET).ok()?;
    Some(
        issued
            .iter()
            .map(|i| Returned {
                name: text(&range, i.row, 1),
                value: range.get_value((i.row, i.col as u32)).cloned().unwrap_or(Data::Empty),
            })
            .collect(),
    )
}
