//! The hidden sheet 填报信息 of every issued form: which workspace and school it was issued
//! for, and the values it was issued with. `merge` identifies a return by it (file names
//! change on the way back) and tells the school's edits from changes made in content/ since.

use calamine::{Data, Reader};
use rust_xlsxwriter::{Workbook, XlsxError};

use crate::model::school::columns::{COLUMNS, Field, Scope, Value};
use crate::model::{CountyConfig, School, Stage};

pub const SHEET: &str = "填报信息";
/// Raised when the layout of the forms changes; a return of another version is refused.
pub const VERSION: &str = "1";
/// The first row of the issued values (zero-based), below the header facts.
const VALUES_ROW: u32 = 9;

/// Where a value sits in a school's data: one stage's row, or the whole school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    School,
    Stage(Option<Stage>),
}

impl Slot {
    pub fn label(self) -> &'static str {
        match self {
            Slot::School => "全校",
            Slot::Stage(Some(s)) => s.label(),
            Slot::Stage(None) => "无学段",
        }
    }

    fn parse(s: &str) -> Option<Slot> {
        match s {
            "全校" => Some(Slot::School),
            "无学段" => Some(Slot::Stage(None)),
            s => Stage::parse(s).map(|s| Slot::Stage(Some(s))),
        }
    }
}

/// One value of a school: its slot, its column header, and the value (None: blank).
pub type Cell = (Slot, &'static str, Option<Value>);

/// Every value of a school a form carries: the stage columns per stage row, the
/// school-wide columns once; the key columns (code, stage) identify and are not values.
pub fn cells(school: &School) -> Vec<Cell> {
    let mut out = vec![];
    for c in COLUMNS.iter() {
        match c.scope() {
            Scope::Key => {}
            Scope::School => out.push((Slot::School, c.header, c.value(school, None))),
            Scope::Stage => {
                for s in &school.sections {
                    out.push((Slot::Stage(s.stage), c.header, c.value(school, Some(s))));
                }
            }
        }
    }
    out
}

/// Whether a column is written as a number.
fn is_number(header: &str) -> bool {
    COLUMNS
        .iter()
        .any(|c| c.header == header && matches!(c.field, Field::Section(..) | Field::School(..)))
}

/// The workspace a form belongs to: its county, named in the message when another
/// workspace's form comes back, and an id of it.
pub fn workspace_id(config: Option<&CountyConfig>) -> (String, String) {
    let Some(c) = config else {
        return (String::new(), "0".repeat(16));
    };
    let key = format!(
        "{}|{}|{}",
        c.province.as_deref().unwrap_or(""),
        c.city.as_deref().unwrap_or(""),
        c.county
    );
    (c.county.clone(), format!("{:016x}", crate::hash::fnv1a(key.as_bytes())))
}

/// What a form's hidden sheet says.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub county: String,
    pub workspace: String,
    pub version: String,
    /// 学校代码, or for a unit's form the unit's name.
    pub code: String,
    pub name: String,
    /// "学校" or "单位".
    pub kind: String,
    pub issued: Vec<Cell>,
}

const FACTS: [&str; 7] = [
    "说明",
    "县（市、区）",
    "工作区标识",
    "格式版本",
    "表格类型",
    "代码",
    "名称",
];

/// Adds the hidden, protected sheet 填报信息 to `wb`.
pub fn write(wb: &mut Workbook, stamp: &Stamp) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet().set_name(SHEET)?;
    let values = [
        "本表由 yingjian collect 生成，回收时据此识别学校和下发时的数据，请勿修改",
        &stamp.county,
        &stamp.workspace,
        &stamp.version,
        &stamp.kind,
        &stamp.code,
        &stamp.name,
    ];
    for (r, (k, v)) in FACTS.iter().zip(values).enumerate() {
        ws.write_string(r as u32, 0, *k)?;
        ws.write_string(r as u32, 1, v)?;
    }
    let header = VALUES_ROW - 1;
    ws.write_string(header, 0, "学段")?;
    ws.write_string(header, 1, "列")?;
    ws.write_string(header, 2, "下发时的值")?;
    for (i, (slot, col, v)) in stamp.issued.iter().enumerate() {
        let r = VALUES_ROW + i as u32;
        ws.write_string(r, 0, slot.label())?;
        ws.write_string(r, 1, *col)?;
        match v {
            Some(Value::Number(n)) => ws.write_number(r, 2, *n)?,
            Some(Value::Text(t)) => ws.write_string(r, 2, t)?,
            None => ws,
        };
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 30)?;
    ws.set_hidden(true);
    ws.protect();
    Ok(())
}

/// A cell of a form's sheet as text, trimmed ("" when blank).
pub(super) fn text(range: &calamine::Range<calamine::Data>, r: u32, c: u32) -> String {
    range
        .get_value((r, c))
        .map(crate::load::sheet::cell_text)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Reads the stamp of an opened workbook; `None` when it has no 填报信息 sheet or the sheet
/// cannot be read as one.
pub fn read<R: std::io::Read + std::io::Seek>(wb: &mut calamine::Sheets<R>) -> Option<Stamp> {
    let range = wb.worksheet_range(SHEET).ok()?;
    let text = |r: u32, c: u32| text(&range, r, c);
    for (r, k) in FACTS.iter().enumerate() {
        if text(r as u32, 0) != *k {
            return None;
        }
    }
    let mut issued = vec![];
    let end = range.end().map_or(0, |e| e.0);
    for r in VALUES_ROW..=end {
        let slot = Slot::parse(&text(r, 0))?;
        let name = text(r, 1);
        let header = COLUMNS.iter().find(|c| c.header == name)?.header;
        let value = match range.get_value((r, 2)) {
            None | Some(Data::Empty) => None,
            Some(Data::Float(f)) => Some(Value::Number(*f)),
            Some(Data::Int(i)) => Some(Value::Number(*i as f64)),
            Some(d) if is_number(header) => Some(Value::Number(crate::load::sheet::parse_number(
                &crate::load::sheet::cell_text(d),
            )?)),
            Some(d) => Some(Value::Text(crate::load::sheet::cell_text(d))),
        };
        issued.push((slot, header, value));
    }
    Some(Stamp {
        county: text(1, 1),
        workspace: text(2, 1),
        version: text(3, 1),
        kind: text(4, 1),
        code: text(5, 1),
        name: text(6, 1),
        issued,
    })
}
