//! Reading one sheet of an xlsx workbook as a table with named columns.

use calamine::Data;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::header_near::Near;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::normalize_text;
use crate::model::school::YearMonth;
use crate::model::{CharOrigins, Date};

/// A sheet read into memory with its header row mapped.
pub struct Table {
    pub file: String,
    pub sheet: String,
    columns: HashMap<&'static str, u32>,
    /// (absolute zero-based row, cells indexed by absolute column)
    pub rows: Vec<(u32, Vec<Data>)>,
    /// Rows that are not data (units, totals, the signatures at the foot), not read as rows.
    pub set_aside: Vec<(u32, super::furniture::Furniture, Vec<Data>)>,
    /// The merged ranges whose first value was copied into every cell they cover.
    pub merges: Vec<Merge>,
    /// Formula cells saved without a computed value (`workbook::Grid::uncomputed`).
    uncomputed: Vec<(u32, u32)>,
}

/// A merged range, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub rows: (u32, u32),
    pub cols: (u32, u32),
}

/// Headers compare after removing all whitespace and treating （） and () alike.
pub fn normalize_header(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// Opens `rel` (xlsx, xls or ods), finds `sheet` and maps `headers`. Columns in `required`
/// must exist (error); the others missing give a warning and read as blank, except those in
/// `optional`, which may be absent without a word.
#[allow(clippy::too_many_arguments)]
pub fn open(
    root: &Path,
    rel: &str,
    sheet: &str,
    headers: &[&'static str],
    required: &[&'static str],
    optional: &[&'static str],
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> Option<Table> {
    let mut grid = super::workbook::read(root, rel, sheet, diags)?;
    let name = grid.name.clone();
    let merges = spread_merges(&grid.merges, &mut grid.cells);
    for (r, row) in grid.cells.iter_mut() {
        for (c, cell) in row.iter_mut().enumerate() {
            if let Data::String(s) = cell {
                super::cell_limits::cap_length(s, || Location::cell(rel, &name, *r, c as u32), diags);
                chars.note_cell(s, || Location::cell(rel, &name, *r, c as u32));
            }
        }
    }
    let header_row = find_header(&grid.cells, headers, rel, &name, diags);
    let header = grid.cells.get(&header_row).cloned().unwrap_or_default();
    let columns = map_header(header_row, &header, rel, &name, headers, required, optional, diags)?;
    let (mut rows, mut set_aside) = (vec![], vec![]);
    for (r, cells) in grid.cells {
        if r <= header_row || cells.iter().all(is_blank) {
            continue;
        }
        match super::furniture::kind(&cells) {
            Some(kind) => set_aside.push((r, kind, cells)),
            None => rows.push((r, cells)),
        }
    }
    let table = Table {
        file: rel.to_owned(),
        sheet: name,
        columns,
        rows,
        set_aside,
        merges,
        uncomputed: grid.uncomputed,
    };
    table.uncomputed_errors(header_row, diags);
    table.hidden_warnings(&grid.hidden_rows, &grid.hidden_cols, grid.hidden_sheet, diags);
    Some(table)
}

/// A merged range shows its first cell's value in every cell it covers (a 九年一贯制
/// school's name merged over its two rows, say): read it so, and return the ranges spread.
/// Real merges are small; a larger one (a banner over the whole sheet) is left alone, which
/// also bounds the work a hostile file can ask for.
fn spread_merges(merges: &[calamine::Dimensions], cells: &mut BTreeMap<u32, Vec<Data>>) -> Vec<Merge> {
    let mut spread = vec![];
    for m in merges {
        let (rows, cols) = (m.end.0.saturating_sub(m.start.0), m.end.1.saturating_sub(m.start.1));
        if rows > 1000 || cols > 100 || m.end.1 >= super::workbook::MAX_COLUMNS {
            continue;
        }
        let value = cells
            .get(&m.start.0)
            .and_then(|row| row.get(m.start.1 as usize))
            .cloned();
        let Some(value) = value.filter(|v| !is_blank(v)) else {
            continue;
        };
        for r in m.start.0..=m.end.0 {
            // A row with nothing else in it stays blank.
            let Some(row) = cells.get_mut(&r) else { continue };
            if row.len() <= m.end.1 as usize {
                row.resize(m.end.1 as usize + 1, Data::Empty);
            }
            for c in m.start.1..=m.end.1 {
                let cell = &mut row[c as usize];
                if (r, c) != m.start && is_blank(cell) {
                    *cell = value.clone();
                }
            }
        }
        spread.push(Merge {
            rows: (m.start.0, m.end.0),
            cols: (m.start.1, m.end.1),
        });
    }
    spread
}

/// Rows looked at for the header: a title, a unit line and a blank row above it are common.
const HEADER_SEARCH: usize = 10;

/// The header row: among the first rows with any text, the one naming the most of
/// `headers` (the first on a tie, and the first row when none names any). Rows above it are
/// skipped, said once.
fn find_header(
    cells: &BTreeMap<u32, Vec<Data>>,
    headers: &[&'static str],
    rel: &str,
    name: &str,
    diags: &mut Diagnostics,
) -> u32 {
    let wanted: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let score = |row: &[Data]| {
        row.iter()
            .filter(|c| wanted.contains(&normalize_header(&cell_text(c))))
            .count()
    };
    let first_rows: Vec<(u32, usize)> = cells
        .iter()
        .filter(|(_, row)| row.iter().any(|c| !is_blank(c)))
        .take(HEADER_SEARCH)
        .map(|(r, row)| (*r, score(row)))
        .collect();
    let Some(&(first, first_score)) = first_rows.first() else {
        return 0;
    };
    let (best, best_score) = first_rows
        .iter()
        .fold((first, first_score), |b, &(r, s)| if s > b.1 { (r, s) } else { b });
    if best != first && best_score > first_score {
        let skipped: Vec<String> = first_rows
            .iter()
            .take_while(|(r, _)| *r < best)
            .map(|(r, _)| (r + 1).to_string())
            .collect();
        diags.push(
            Diagnostic::warning(
                "header-not-first",
                Location::cell(rel, name, first, 0),
                format!(
                    "表头在第 {} 行，其上的第 {} 行（标题或说明）已跳过",
                    best + 1,
                    skipped.join("、")
                ),
            )
            .with_hint("无需处理；若跳过的行中有学校数据，请把表头移到数据的正上方"),
        );
    }
    best
}

/// The header row mapped to `headers`; None when a required column is missing (said so).
#[allow(clippy::too_many_arguments)]
fn map_header(
    header_row: u32,
    header: &[Data],
    rel: &str,
    name: &str,
    headers: &[&'static str],
    required: &[&'static str],
    optional: &[&'static str],
    diags: &mut Diagnostics,
) -> Option<HashMap<&'static str, u32>> {
    let mut columns = HashMap::new();
    for (col, cell) in header.iter().enumerate() {
        let text = normalize_header(&cell_text(cell));
        if let Some(h) = headers.iter().find(|h| normalize_header(h) == text)
            && columns.insert(*h, col as u32).is_some()
        {
            diags.push(
                Diagnostic::error(
                    "column-duplicate",
                    Location::cell(rel, name, header_row, col as u32),
                    format!("表头“{h}”出现了两次"),
                )
                .with_hint("每一列表头只能出现一次，请删除或改名多余的列"),
            );
        }
    }
    let mut fatal = false;
    let mut unmapped: Vec<(u32, String)> = header
        .iter()
        .enumerate()
        .map(|(c, cell)| (c as u32, cell_text(cell)))
        .filter(|(c, t)| !t.is_empty() && !columns.values().any(|v| v == c))
        .collect();
    // An optional column (added later, e.g. 教职工数) may be absent without a word.
    for h in headers.iter().filter(|h| !optional.contains(h)) {
        if columns.contains_key(h) {
            continue;
        }
        let required = required.contains(h);
        let near = super::header_near::find(h, &unmapped, headers);
        if let Some(Near::Unitless(col)) = near {
            columns.insert(*h, col);
            unmapped.retain(|(c, _)| *c != col);
            continue;
        }
        fatal |= required;
        let (col, what, hint) = match near {
            Some(Near::OtherUnit(col, unit)) => (
                col,
                format!(
                    "表头“{}”的单位是{unit}，与本列“{h}”不同",
                    cell_text(&header[col as usize])
                ),
                format!("确认数据按表头“{h}”的单位填写后，把表头改为“{h}”；若数据按{unit}填写，请先换算"),
            ),
            Some(Near::Typo(col, text)) => (
                col,
                format!("缺少列“{h}”（表头“{text}”是否就是此列？）"),
                format!("把表头“{text}”改为“{h}”"),
            ),
            _ => (
                0,
                format!("缺少{}列“{h}”", if required { "必需的" } else { "" }),
                format!("在第 {} 行表头中加入“{h}”（列的先后顺序不限）", header_row + 1),
            ),
        };
        let loc = Location::cell(rel, name, header_row, col);
        let d = if required {
            Diagnostic::error("column-missing", loc, what)
        } else {
            Diagnostic::warning(
                "column-missing",
                loc,
                format!("{what}，该列数据按空白处理，相关指标将为待核实"),
            )
        };
        diags.push(d.with_hint(hint));
    }
    (!fatal).then_some(columns)
}

pub(super) fn is_blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Text of a cell as a person would read it.
pub fn cell_text(c: &Data) -> String {
    match c {
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
        Data::Empty => String::new(),
    }
}

/// Parses a number as typed: full-width digits, thousands separators and spaces are accepted.
pub fn parse_number(s: &str) -> Option<f64> {
    let s: String = normalize_text(s).chars().filter(|c| !matches!(c, ',' | ' ')).collect();
    if s.is_empty() {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl Table {
    /// Hidden rows, columns and sheets are read like any other: say so, naming them.
    fn hidden_warnings(&self, rows: &[u32], cols: &[u32], sheet_hidden: bool, diags: &mut Diagnostics) {
        let unhide = "在 Excel 或 WPS 中取消隐藏（选中两侧的行或列 → 右键 → 取消隐藏）后核对";
        if sheet_hidden {
            diags.push(
                Diagnostic::warning(
                    "hidden-sheet",
                    Location::file(&self.file),
                    format!("工作表“{}”是隐藏的，其中的数据照常读取", self.sheet),
                )
                .with_hint("右键任一工作表标签 → 取消隐藏，核对其中的数据"),
            );
        }
        let data: std::collections::HashSet<u32> = self.rows.iter().map(|(r, _)| *r).collect();
        let hidden: Vec<u32> = rows.iter().copied().filter(|r| data.contains(r)).collect();
        if let Some(&first) = hidden.first() {
            let mut named: Vec<String> = hidden.iter().take(10).map(|r| (r + 1).to_string()).collect();
            if hidden.len() > 10 {
                named.push(format!("等 {} 行", hidden.len()));
            }
            diags.push(
                Diagnostic::warning(
                    "hidden-rows",
                    Location::cell(&self.file, &self.sheet, first, 0),
                    format!("第 {} 行是隐藏行，其数据照常读取并计入统计", named.join("、")),
                )
                .with_hint(format!("不应计入的行（如已撤并的学校）请整行删除；{unhide}")),
            );
        }
        let mut named: Vec<(u32, &str)> = self
            .columns
            .iter()
            .filter(|(_, c)| cols.contains(c))
            .map(|(h, c)| (*c, *h))
            .collect();
        named.sort();
        if let Some(&(first, _)) = named.first() {
            let list: Vec<String> = named
                .iter()
                .map(|(c, h)| format!("“{h}”（{} 列）", crate::diag::column_letters(*c)))
                .collect();
            diags.push(
                Diagnostic::warning(
                    "hidden-columns",
                    Location::cell(&self.file, &self.sheet, self.rows.first().map_or(0, |r| r.0), first),
                    format!("{}是隐藏列，其数据照常读取", list.join("、")),
                )
                .with_hint(unhide),
            );
        }
    }

    /// An error at every formula cell of a read column saved without its value: the file was
    /// written by a program and never opened in Excel or WPS, which compute and save it.
    fn uncomputed_errors(&self, header_row: u32, diags: &mut Diagnostics) {
        for &(r, c) in self.uncomputed.iter().filter(|(r, _)| *r > header_row) {
            let Some((h, _)) = self.columns.iter().find(|(_, col)| **col == c) else {
                continue;
            };
            diags.push(
                Diagnostic::error(
                    "formula-no-value",
                    Location::cell(&self.file, &self.sheet, r, c),
                    format!("“{h}”是公式，但文件中没有保存它的计算结果"),
                )
                .with_hint("请用 Excel 或 WPS 打开此文件并保存一次（保存时会算出公式的值），或直接填写数值"),
            );
        }
    }

    /// Whether the cell of `col` in `row` is a formula saved without its value (already said).
    pub fn uncomputed(&self, row: u32, col: &str) -> bool {
        self.column(col).is_some_and(|c| self.uncomputed.contains(&(row, c)))
    }

    pub fn column(&self, col: &str) -> Option<u32> {
        self.columns.get(col).copied()
    }

    pub fn loc(&self, row: u32, col: &str) -> Location {
        Location::cell(&self.file, &self.sheet, row, self.column(col).unwrap_or(0))
    }

    fn cell<'a>(&self, cells: &'a [Data], col: &str) -> Option<&'a Data> {
        self.column(col).and_then(|c| cells.get(c as usize))
    }

    /// Trimmed text, `None` when blank or the column is absent.
    /// Trimmed text as entered (titles and file names keep their full-width characters).
    pub fn text(&self, cells: &[Data], col: &str) -> Option<String> {
        let t = cell_text(self.cell(cells, col)?);
        let t = t.trim_matches(|c: char| c.is_whitespace());
        (!t.is_empty()).then(|| t.to_owned())
    }

    /// Text with full-width digits and letters folded, for codes and enumerations.
    pub fn code(&self, cells: &[Data], col: &str) -> Option<String> {
        self.text(cells, col)
            .map(|t| normalize_text(&t).trim().to_owned())
            .filter(|t| !t.is_empty())
    }

    /// A number; text that is not a number is an error naming the cell.
    pub fn number(&self, row: u32, cells: &[Data], col: &str, diags: &mut Diagnostics) -> Option<f64> {
        let v = self.raw_number(row, cells, col, diags)?;
        if v.is_finite() && v.abs() < super::cell_limits::MAX_NUMBER {
            return Some(v);
        }
        let shown = if v.abs() >= 1e15 {
            format!("{v:e}")
        } else {
            cell_text(self.cell(cells, col)?)
        };
        diags.push(
            Diagnostic::error(
                "number-too-large",
                self.loc(row, col),
                format!("“{col}”的数值 {shown} 过大，超出可用范围（绝对值须小于 10¹²）"),
            )
            .with_hint("请检查是否多打了数字或误用了科学计数法，填写实际数值"),
        );
        None
    }

    fn raw_number(&self, row: u32, cells: &[Data], col: &str, diags: &mut Diagnostics) -> Option<f64> {
        let cell = self.cell(cells, col)?;
        match cell {
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            Data::Empty => None,
            Data::Error(e) => {
                diags.push(
                    Diagnostic::error("cell-error", self.loc(row, col), format!("“{col}”单元格是错误值 {e}"))
                        .with_hint("请修正公式或直接填写数值"),
                );
                None
            }
            other => {
                let text = cell_text(other);
                if text.trim().is_empty() {
                    return None;
                }
                match parse_number(&text) {
                    Some(v) => Some(v),
                    None => {
                        diags.push(
                            Diagnostic::error(
                                "not-a-number",
                                self.loc(row, col),
                                format!("“{col}”应为数字，实际是“{text}”"),
                            )
                            .with_hint(super::number_hint::hint(&text, col)),
                        );
                        None
                    }
                }
            }
        }
    }

    /// A date from an Excel date, a serial number or text such as 2026-11-03 / 2026年11月3日 / 20261103.
    pub fn date(&self, row: u32, cells: &[Data], col: &str, diags: &mut Diagnostics) -> Option<Date> {
        let cell = self.cell(cells, col)?;
        let parsed = match cell {
            Data::Empty => return None,
            Data::DateTime(d) => Date::from_excel_serial(d.as_f64()),
            Data::Float(f) if *f < 100_000.0 => Date::from_excel_serial(*f),
            Data::Int(i) if *i < 100_000 => Date::from_excel_serial(*i as f64),
            Data::DateTimeIso(s) => Date::parse(s.get(..10).unwrap_or(s)),
            other => {
                let t = cell_text(other);
                if t.trim().is_empty() {
                    return None;
                }
                Date::parse(&t)
            }
        };
        if parsed.is_none() {
            diags.push(
                Diagnostic::error(
                    "bad-date",
                    self.loc(row, col),
                    format!("“{col}”不是有效日期：“{}”", cell_text(cell)),
                )
                .with_hint("可写成 20261103、2026-11-03、2026年11月3日，或使用 Excel 日期格式"),
            );
        }
        parsed
    }

    /// Year and month: "2009-09", "2009年9月", "200909", or an Excel date.
    pub fn year_month(&self, row: u32, cells: &[Data], col: &str, diags: &mut Diagnostics) -> Option<YearMonth> {
        let cell = self.cell(cells, col)?;
        let from_date = |d: Date| YearMonth {
            year: d.year,
            month: d.month,
        };
        let parsed = match cell {
            Data::Empty => return None,
            Data::DateTime(d) => Date::from_excel_serial(d.as_f64()).map(from_date),
            Data::DateTimeIso(s) => Date::parse(s.get(..10).unwrap_or(s)).map(from_date),
            // 2009.10 typed into a number cell arrives as 2009.1, 2008.9 as 2008.9.
            Data::Float(f) if f.fract() != 0.0 => float_year_month(*f),
            // An Excel date stored as a plain number (the serial of 2008-09-01 is 39692).
            Data::Float(f) if (10_000.0..100_000.0).contains(f) => Date::from_excel_serial(*f).map(from_date),
            Data::Int(i) if (10_000..100_000).contains(i) => Date::from_excel_serial(*i as f64).map(from_date),
            other => {
                let t = normalize_text(&cell_text(other));
                let t = t.trim();
                if t.is_empty() {
                    return None;
                }
                parse_year_month(t)
            }
        };
        let text = cell_text(cell);
        if parsed.is_none() {
            let year_only = text.len() == 4 && text.parse::<u32>().is_ok_and(|y| (1900..=2200).contains(&y));
            let why = if year_only {
                "只有年份，缺少月份"
            } else {
                "不是有效的年月"
            };
            diags.push(
                Diagnostic::error("bad-date", self.loc(row, col), format!("“{col}”{why}：“{text}”"))
                    .with_hint("可写成 2009-09、2009年9月 或 200909（年份和月份都要写）"),
            );
        }
        // 2009.1 may be January or October (2009.10 as a number): read as October, said.
        if let (Data::Float(f), Some(ym)) = (cell, parsed)
            && format!("{f:.2}").ends_with(".10")
        {
            diags.push(
                Diagnostic::warning(
                    "year-month-ambiguous",
                    self.loc(row, col),
                    format!("“{col}”是数字 {text}，按 {}-10 读取", ym.year),
                )
                .with_hint(format!(
                    "若是 {} 年 1 月，请写成 {}-01；把该列设为文本格式可避免数字丢掉末尾的 0",
                    ym.year, ym.year
                )),
            );
        }
        parsed
    }
}

/// A year and month typed as a number: two decimals give the month (2009.10 → October, 2009.05
/// → May), else one (2008.9 → September: 2008.90 has no month 90).
fn float_year_month(f: f64) -> Option<YearMonth> {
    let two = format!("{f:.2}");
    parse_year_month(&two).or_else(|| {
        two.ends_with('0')
            .then(|| parse_year_month(&format!("{f:.1}")))
            .flatten()
    })
}

fn parse_year_month(t: &str) -> Option<YearMonth> {
    let ym = |y: &str, m: &str| {
        let (year, month): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
        ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(YearMonth { year, month })
    };
    if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
        return ym(&t[..4], &t[4..]);
    }
    if let Some(d) = Date::parse(t) {
        return Some(YearMonth {
            year: d.year,
            month: d.month,
        });
    }
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m] => ym(y, m),
        _ => None,
    }
}

#[cfg(test)]
#[path = "sheet_tests.rs"]
mod tests;
