//! The sheet 佐证材料 of a unit's form (issue 33 point 1): above, every evidence point of the
//! indicators the unit leads — what the profile asks for, when it is due (tasks.yaml), what
//! content/evidence.xlsx already lists and its state — locked and grey; below, yellow rows in
//! which the unit lists the items it sends, one file each, the files beside the form. `rows`
//! finds the filled rows again by the header of the input table.

use calamine::{Data, Reader};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Worksheet, XlsxError,
};

use super::school_form::header_format;
use crate::model::Workspace;
use crate::rules::assessment::IndicatorResult;

pub const SHEET: &str = "佐证材料";
/// The input table's columns, in order; `rows` finds its header row by these words.
pub const HEADERS: [&str; 10] = [
    "指标",
    "要点",
    "题名",
    "文号",
    "责任者",
    "日期",
    "页数",
    "密级",
    "文件名",
    "备注",
];
/// The columns of `HEADERS` by name (zero-based).
pub mod col {
    pub const INDICATOR: u16 = 0;
    pub const POINT: u16 = 1;
    pub const TITLE: u16 = 2;
    pub const DOC_NO: u16 = 3;
    pub const AUTHOR: u16 = 4;
    pub const DATE: u16 = 5;
    pub const PAGES: u16 = 6;
    pub const SECRECY: u16 = 7;
    pub const FILE: u16 = 8;
    pub const NOTE: u16 = 9;
}
/// 密级 as content/evidence.xlsx's list offers it (`yingjian new`).
pub const SECRECY: [&str; 3] = ["公开", "内部", "秘密"];
const OWED_HEADERS: [&str; 5] = ["指标", "要点", "应提供的材料", "截止日期", "已收录（佐证材料清单）"];
/// The owed table's 已收录 spans columns E to I; its state is in J.
const CATALOGUED: (u16, u16) = (4, 8);
const STATE: u16 = 9;
const WIDTHS: [f64; 10] = [8.0, 7.0, 40.0, 20.0, 26.0, 12.0, 7.0, 8.0, 36.0, 22.0];
/// Input rows: at least this many, and more for a unit that owes many points.
const MIN_ROWS: u32 = 30;

fn grey() -> Format {
    Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xEDEDED))
        .set_border(FormatBorder::Thin)
}

fn yellow() -> Format {
    Format::new()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF9DB))
        .set_border(FormatBorder::Thin)
}

/// One owed point, as the sheet shows it.
struct Owed {
    indicator: String,
    point: String,
    expected: String,
    due: String,
    catalogued: String,
    state: String,
}

/// The points `unit` owes evidence for: the task list's per-point state (one definition of
/// 已提供 / 部分缺失 / 缺), the profile's expected evidence, the deadline and the titles listed.
fn owed(unit: &str, indicators: &[&IndicatorResult], ws: &Workspace, a: &crate::Assessment) -> Vec<Owed> {
    let ids: Vec<String> = indicators.iter().map(|i| i.id.clone()).collect();
    crate::render::data::task_list::evidence_status(ws, a, unit, &ids)
        .into_iter()
        .map(|e| {
            let point = ws
                .profile
                .indicators
                .iter()
                .find(|i| i.id == e.indicator)
                .and_then(|i| i.point(&e.point));
            let expected = match (e.expected.is_empty(), point) {
                (true, Some(p)) => p.text.clone(),
                _ => e.expected.clone(),
            };
            let items: Vec<&crate::model::EvidenceItem> = ws
                .evidence
                .iter()
                .filter(|i| i.indicator == e.indicator && i.point == e.point)
                .collect();
            let mut state = e.progress.state.to_owned();
            for s in crate::model::evidence::columns::STATUS_WORDS {
                let n = items
                    .iter()
                    .filter(|i| i.status.is_some_and(|x| x.label() == s))
                    .count();
                if n > 0 {
                    state.push_str(&format!("；{s} {n} 件"));
                }
            }
            Owed {
                due: crate::model::team::evidence_due(&ws.tasks, unit, &e.indicator)
                    .map_or(String::new(), |d| d.to_string()),
                catalogued: catalogued(&items, &e.progress.absent),
                indicator: e.indicator,
                point: e.point,
                expected,
                state,
            }
        })
        .collect()
}

/// "2 件：《甲》；《乙》", the titles whose file is missing marked, at most ten named.
fn catalogued(items: &[&crate::model::EvidenceItem], absent: &[String]) -> String {
    if items.is_empty() {
        return "（无）".to_owned();
    }
    let named: Vec<String> = items
        .iter()
        .take(10)
        .map(|i| {
            let missing = if absent.contains(&i.title) {
                "（文件缺）"
            } else {
                ""
            };
            format!("《{}》{missing}", i.title)
        })
        .collect();
    let more = if items.len() > 10 { "等" } else { "" };
    format!("{} 件：{}{more}", items.len(), named.join("；"))
}

/// Lines a text takes in a column of `width` (CJK two units), for a row height Excel and
/// LibreOffice do not compute for merged or wrapped cells written by a program.
fn lines(text: &str, width: f64) -> u32 {
    text.split('\n')
        .map(|l| {
            let units: f64 = l.chars().map(|c| if c.is_ascii() { 1.1 } else { 2.0 }).sum();
            (units / (width - 1.0)).ceil().max(1.0) as u32
        })
        .sum()
}

pub fn write(
    ws: &mut Worksheet,
    unit: &str,
    indicators: &[&IndicatorResult],
    data: &Workspace,
    a: &crate::Assessment,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET)?;
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{unit} 佐证材料：上表是应提供的材料和已收录情况（灰色，只读）；新材料在下表黄色行中每件填一行，文件与本表放在同一文件夹（或同一个 .zip 压缩包）中交回"
        ),
        &Format::new().set_bold().set_font_size(13),
    )?;
    let owed = owed(unit, indicators, data, a);
    ws.write_string_with_format(1, 0, "一、应提供的佐证材料", &Format::new().set_bold())?;
    for (c, h) in OWED_HEADERS.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &header_format())?;
    }
    ws.merge_range(2, CATALOGUED.0, 2, CATALOGUED.1, OWED_HEADERS[4], &header_format())?;
    ws.write_string_with_format(2, STATE, "状态", &header_format())?;
    let grey = grey();
    let wide: f64 = WIDTHS[CATALOGUED.0 as usize..=CATALOGUED.1 as usize].iter().sum();
    if owed.is_empty() {
        ws.write_string(3, 0, "本单位牵头的指标没有列出评估要点")?;
    }
    for (i, o) in owed.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string_with_format(r, 0, &o.indicator, &grey)?;
        ws.write_string_with_format(r, 1, &o.point, &grey)?;
        ws.write_string_with_format(r, 2, &o.expected, &grey)?;
        ws.write_string_with_format(r, 3, &o.due, &grey)?;
        ws.merge_range(r, CATALOGUED.0, r, CATALOGUED.1, &o.catalogued, &grey)?;
        ws.write_string_with_format(r, STATE, &o.state, &grey)?;
        let n = lines(&o.expected, WIDTHS[2])
            .max(lines(&o.catalogued, wide))
            .max(lines(&o.state, WIDTHS[STATE as usize]));
        ws.set_row_height(r, 15.0 * n as f64 + 3.0)?;
    }
    let title_row = 3 + owed.len().max(1) as u32 + 1;
    ws.write_string_with_format(
        title_row,
        0,
        "二、本次交回的佐证材料（每件一行，只填黄色单元格；“文件名”写与本表一起交回的文件）",
        &Format::new().set_bold(),
    )?;
    let header = title_row + 1;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *h, &header_format())?;
    }
    let count = MIN_ROWS.max(owed.len() as u32 + 10);
    let (first, last) = (header + 1, header + count);
    let text = yellow().set_num_format("@");
    for r in first..=last {
        for c in 0..HEADERS.len() as u16 {
            let f = match c {
                col::DATE => yellow().set_num_format("yyyy-mm-dd"),
                col::PAGES => yellow(),
                _ => text.clone(),
            };
            ws.write_blank(r, c, &f)?;
        }
    }
    validations(ws, indicators, (first, last))?;
    for (c, w) in WIDTHS.into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_row_height(2, 30)?;
    ws.set_freeze_panes(1, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.protect();
    Ok(())
}

/// A validation that warns (never blocks: the unit may know better, merge checks anyway) and
/// tells what to type when the cell is selected.
fn told(dv: DataValidation, title: &str, message: &str, error: &str) -> Result<DataValidation, XlsxError> {
    dv.set_error_style(DataValidationErrorStyle::Warning)
        .set_input_title(title)?
        .set_input_message(message)?
        .set_error_message(error)
}

fn validations(
    ws: &mut Worksheet,
    indicators: &[&IndicatorResult],
    (first, last): (u32, u32),
) -> Result<(), XlsxError> {
    let ids: Vec<&str> = indicators.iter().map(|i| i.id.as_str()).collect();
    let mut points: Vec<&str> = indicators
        .iter()
        .flat_map(|i| i.points.iter().map(|p| p.id.as_str()))
        .collect();
    points.sort_by_key(|p| (p.parse::<u32>().unwrap_or(u32::MAX), p.to_string()));
    points.dedup();
    // A list longer than Excel's 255 characters is offered as a hint only.
    let list = |items: &[&str]| {
        DataValidation::new()
            .allow_list_strings(items)
            .unwrap_or_else(|_| DataValidation::new().allow_any_value())
    };
    let ids_text = ids.join("、");
    let rules: [(u16, DataValidation, &str, String, &str); 10] = [
        (
            col::INDICATOR,
            list(&ids),
            "指标",
            format!("从列表中选择本单位牵头的指标编号：{ids_text}"),
            "只收本单位牵头指标的材料，请从列表中选择",
        ),
        (
            col::POINT,
            list(&points),
            "要点",
            "该指标的评估要点编号，见上表“要点”列".to_owned(),
            "请填上表中该指标的要点编号",
        ),
        (
            col::TITLE,
            DataValidation::new().allow_any_value(),
            "题名",
            "文件标题，即档案目录中的题名，如：关于印发《示例县义务教育优质均衡发展实施方案》的通知".to_owned(),
            "",
        ),
        (
            col::DOC_NO,
            DataValidation::new().allow_any_value(),
            "文号",
            "发文字号，如：示教体字〔2026〕12号；没有文号的不填".to_owned(),
            "",
        ),
        (
            col::AUTHOR,
            DataValidation::new().allow_any_value(),
            "责任者",
            "制发文件的机关或个人，如：示例县人民政府".to_owned(),
            "",
        ),
        (
            col::DATE,
            DataValidation::new().allow_date(DataValidationRule::Between(
                ExcelDateTime::from_ymd(1949, 10, 1)?,
                ExcelDateTime::from_ymd(2100, 12, 31)?,
            )),
            "日期",
            "文件的成文日期，如 2026-03-01".to_owned(),
            "请填写日期，如 2026-03-01",
        ),
        (
            col::PAGES,
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(1)),
            "页数",
            "文件的实际页数（正整数）；PDF 会核对页数，图片记 1 页".to_owned(),
            "页数应为正整数",
        ),
        (
            col::SECRECY,
            list(&SECRECY),
            "密级",
            "从列表中选择：公开、内部或秘密".to_owned(),
            "请从列表中选择密级",
        ),
        (
            col::FILE,
            DataValidation::new().allow_any_value(),
            "文件名",
            "与本表放在同一文件夹（或同一个 .zip）中的文件名，如 关于印发….pdf".to_owned(),
            "",
        ),
        (
            col::NOTE,
            DataValidation::new().allow_any_value(),
            "备注",
            "需要说明的情况，可不填".to_owned(),
            "",
        ),
    ];
    for (c, dv, title, message, error) in rules {
        let dv = if error.is_empty() {
            dv.set_input_title(title)?.set_input_message(message)?
        } else {
            told(dv, title, &message, error)?
        };
        ws.add_data_validation(first, c, last, c, &dv)?;
    }
    Ok(())
}

/// One filled row of the input table: its zero-based sheet row and its cells in `HEADERS` order.
pub struct Filled {
    pub row: u32,
    pub cells: Vec<Data>,
}

/// The filled rows of a returned form's 佐证材料 (rows with nothing typed left out); `None` when
/// the sheet is absent (a form issued before it), `Some(Err(()))` when its input table's header
/// cannot be found (the sheet was altered).
pub fn rows<R: std::io::Read + std::io::Seek>(wb: &mut calamine::Sheets<R>) -> Option<Result<Vec<Filled>, ()>> {
    if !wb.sheet_names().iter().any(|n| n == SHEET) {
        return None;
    }
    let Ok(range) = wb.worksheet_range(SHEET) else {
        return Some(Err(()));
    };
    let text = |r: u32, c: u32| super::stamp::text(&range, r, c);
    let end = range.end().map_or(0, |e| e.0);
    let header = (0..=end).find(|&r| {
        HEADERS
            .iter()
            .enumerate()
            .all(|(c, h)| crate::load::sheet::normalize_header(&text(r, c as u32)) == *h)
    });
    let Some(header) = header else {
        return Some(Err(()));
    };
    let mut out = vec![];
    for r in header + 1..=end {
        let cells: Vec<Data> = (0..HEADERS.len() as u32)
            .map(|c| range.get_value((r, c)).cloned().unwrap_or(Data::Empty))
            .collect();
        if cells.iter().all(|d| crate::load::sheet::cell_text(d).trim().is_empty()) {
            continue;
        }
        out.push(Filled { row: r, cells });
    }
    Some(Ok(out))
}
