//! Reading one sheet of an xlsx workbook as a table with named columns.

use calamine::{Data, Reader, SheetVisible, Xlsx};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

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

/// Opens `rel`, finds `sheet` and maps `headers`. Columns in `required` must exist (error);
/// the others missing give a warning and read as blank, except those in `optional`, which may
/// be absent without a word.
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
    let (mut book, name) = open_sheet(root, rel, sheet, diags)?;
    let mut cells = read_cells(&mut book, rel, &name, diags)?;
    spread_merges(&mut book, &name, &mut cells);
    for (r, row) in &cells {
        for (c, cell) in row.iter().enumerate() {
            if let Data::String(s) = cell {
                chars.note_cell(s, || Location::cell(rel, &name, *r, c as u32));
            }
        }
    }
    let mut rows = cells.into_iter();
    let columns = map_header(&mut rows, rel, &name, headers, required, optional, diags)?;
    let rows = rows.filter(|(_, cells)| cells.iter().any(|c| !is_blank(c))).collect();
    Some(Table {
        file: rel.to_owned(),
        sheet: name,
        columns,
        rows,
    })
}

type Book = Xlsx<BufReader<File>>;

/// The workbook at `rel` and the name of its visible sheet `sheet` (as spelled there).
fn open_sheet(root: &Path, rel: &str, sheet: &str, diags: &mut Diagnostics) -> Option<(Book, String)> {
    if crate::paths::outside(root, rel) {
        diags.push(super::text::outside_error(rel));
        return None;
    }
    let path = root.join(rel);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            diags.push(Diagnostic::error(
                "file-unreadable",
                Location::file(rel),
                format!("无法打开文件：{e}"),
            ));
            return None;
        }
    };
    if let Some(d) = too_large(&path, rel) {
        diags.push(d);
        return None;
    }
    if is_ole(&path) {
        diags.push(
            Diagnostic::error(
                "xlsx-corrupt",
                Location::file(rel),
                "文件是旧版 Excel 97-2003（.xls）格式，或设置了打开密码，无法读取",
            )
            .with_hint(
                "请用 Excel 或 WPS 打开（有密码的先取消：文件 → 信息 → 保护工作簿），再“另存为”Excel 工作簿（*.xlsx）",
            ),
        );
        return None;
    }
    let book: Book = match Xlsx::new(BufReader::new(file)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "xlsx-corrupt",
                    Location::file(rel),
                    format!("不是有效的 xlsx 工作簿（{e}）"),
                )
                .with_hint("请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）；旧版 .xls 和 .et 格式不能直接读取"),
            );
            return None;
        }
    };
    let visible: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    if visible.is_empty() {
        diags.push(Diagnostic::error(
            "xlsx-empty",
            Location::file(rel),
            "工作簿中没有可见的工作表",
        ));
        return None;
    }
    let name = visible
        .iter()
        .find(|n| normalize_header(n) == normalize_header(sheet))
        .cloned();
    let Some(name) = name else {
        diags.push(
            Diagnostic::error("sheet-missing", Location::file(rel), format!("找不到工作表“{sheet}”")).with_hint(
                format!(
                    "现有工作表：{}；请把数据所在的工作表改名为“{sheet}”",
                    visible.join("、")
                ),
            ),
        );
        return None;
    };
    Some((book, name))
}

/// The non-blank cells of a sheet, by row.
fn read_cells(book: &mut Book, rel: &str, name: &str, diags: &mut Diagnostics) -> Option<BTreeMap<u32, Vec<Data>>> {
    // Cells are read one by one into the rows that have them: a sheet is sparse, and a single
    // stray cell at XFD1048576 must not make a dense grid of seventeen billion cells.
    let mut cells: BTreeMap<u32, Vec<Data>> = BTreeMap::new();
    let corrupt = |e: calamine::XlsxError| {
        Diagnostic::error(
            "xlsx-corrupt",
            Location::file(rel),
            format!("工作表“{name}”无法读取（{e}）"),
        )
        .with_hint("请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）")
    };
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(r) => r,
        Err(e) => {
            diags.push(corrupt(e));
            return None;
        }
    };
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                let value = Data::from(cell.get_value().clone());
                // Columns far to the right are never ours (our tables have a few dozen).
                if is_blank(&value) || c >= MAX_COLUMNS {
                    continue;
                }
                let row = cells.entry(r).or_default();
                if row.len() <= c as usize {
                    row.resize(c as usize + 1, Data::Empty);
                }
                row[c as usize] = value;
            }
            Ok(None) => break,
            Err(e) => {
                diags.push(corrupt(e));
                return None;
            }
        }
    }
    drop(reader);
    if cells.is_empty() {
        diags.push(
            Diagnostic::error("sheet-empty", Location::file(rel), format!("工作表“{name}”是空的"))
                .with_hint("第一行应是表头，从第二行起每行一条数据；可用 yingjian new 生成空白模板"),
        );
        return None;
    }
    Some(cells)
}

/// A merged range shows its first cell's value in every cell it covers (a 九年一贯制
/// school's name merged over its two rows, say): read it so. Real merges are small; a
/// larger one (a banner over the whole sheet) is left alone, which also bounds the work
/// a hostile file can ask for.
fn spread_merges(book: &mut Book, name: &str, cells: &mut BTreeMap<u32, Vec<Data>>) {
    for m in book.merge_cells_by_sheet_name(name).unwrap_or_default() {
        let (rows, cols) = (m.end.0.saturating_sub(m.start.0), m.end.1.saturating_sub(m.start.1));
        if rows > 1000 || cols > 100 || m.end.1 >= MAX_COLUMNS {
            continue;
        }
        let value = cells
            .get(&m.start.0)
            .and_then(|row| row.get(m.start.1 as usize))
            .cloned();
        let Some(value) = value else { continue };
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
    }
}

/// The header row (the first row with any text) mapped to `headers`; None when a required
/// column is missing (said so).
fn map_header(
    rows: &mut impl Iterator<Item = (u32, Vec<Data>)>,
    rel: &str,
    name: &str,
    headers: &[&'static str],
    required: &[&'static str],
    optional: &[&'static str],
    diags: &mut Diagnostics,
) -> Option<HashMap<&'static str, u32>> {
    // The header is the first row with any text.
    let (header_row, header) = loop {
        match rows.next() {
            Some((r, cells)) if cells.iter().any(|c| !is_blank(c)) => break (r, cells),
            Some(_) => continue,
            None => {
                diags.push(Diagnostic::error(
                    "sheet-empty",
                    Location::file(rel),
                    format!("工作表“{name}”是空的"),
                ));
                return None;
            }
        }
    };
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
    // An optional column (added later, e.g. 教职工数) may be absent without a word.
    for h in headers.iter().filter(|h| !optional.contains(h)) {
        if !columns.contains_key(h) {
            let required = required.contains(h);
            fatal |= required;
            let loc = Location::cell(rel, name, header_row, 0);
            let d = if required {
                Diagnostic::error("column-missing", loc, format!("缺少必需的列“{h}”"))
            } else {
                Diagnostic::warning(
                    "column-missing",
                    loc,
                    format!("缺少列“{h}”，该列数据按空白处理，相关指标将为待核实"),
                )
            };
            diags.push(d.with_hint(format!("在第 {} 行表头中加入“{h}”（列的先后顺序不限）", header_row + 1)));
        }
    }
    (!fatal).then_some(columns)
}

/// Cells right of this column are not read (our tables have a few dozen columns).
const MAX_COLUMNS: u32 = 1024;

/// Parts of a workbook that unpack to more than this are refused before anything is read
/// into memory (a million-row sheet is several hundred MB).
const MAX_PART: u64 = 64 * 1024 * 1024;

/// Unpacks every part of the archive into nothing, counting bytes up to the limit: the sizes
/// an archive declares can lie (a "zip bomb"), the unpacked bytes cannot.
fn too_large(path: &Path, rel: &str) -> Option<Diagnostic> {
    let mut zip = zip::ZipArchive::new(BufReader::new(File::open(path).ok()?)).ok()?;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else { continue };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let unpacked = std::io::copy(&mut std::io::Read::take(entry, MAX_PART + 1), &mut std::io::sink()).unwrap_or(0);
        if unpacked > MAX_PART {
            let what = if name.starts_with("xl/worksheets/") {
                "工作表"
            } else {
                "工作簿中的一部分"
            };
            return Some(
                Diagnostic::error(
                    "xlsx-too-large",
                    Location::file(rel),
                    format!("{what}过大（{name} 解压后超过 {} MB），未读取", MAX_PART / 1_048_576),
                )
                .with_hint("表中可能有大量空行或格式化的空白区域：删除数据以下的空行（选中后“删除行”）后另存"),
            );
        }
    }
    None
}

/// An OLE compound file: an Excel 97-2003 workbook, or an xlsx encrypted with a password.
fn is_ole(path: &Path) -> bool {
    let mut head = [0u8; 8];
    File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
}

fn is_blank(c: &Data) -> bool {
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
    pub fn has(&self, col: &str) -> bool {
        self.columns.contains_key(col)
    }

    pub fn column(&self, col: &str) -> Option<u32> {
        self.columns.get(col).copied()
    }

    pub fn loc(&self, row: u32, col: &str) -> Location {
        Location::cell(&self.file, &self.sheet, row, self.column(col).unwrap_or(0))
    }

    pub fn row_loc(&self, row: u32) -> Location {
        Location::cell(&self.file, &self.sheet, row, 0)
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
                            .with_hint("只填数字，不要带单位或文字说明；说明可写在备注中"),
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
            // 2009.10 typed into a number cell arrives as 2009.1: read it back with two decimals.
            Data::Float(f) if f.fract() != 0.0 => parse_year_month(&format!("{f:.2}")),
            other => {
                let t = normalize_text(&cell_text(other));
                let t = t.trim();
                if t.is_empty() {
                    return None;
                }
                parse_year_month(t)
            }
        };
        if parsed.is_none() {
            diags.push(
                Diagnostic::error(
                    "bad-date",
                    self.loc(row, col),
                    format!("“{col}”不是有效的年月：“{}”", cell_text(cell)),
                )
                .with_hint("可写成 2009-09、2009年9月 或 200909"),
            );
        }
        parsed
    }
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
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number("1,234"), Some(1234.0));
        assert_eq!(parse_number("１２３４．５"), Some(1234.5));
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("12人"), None);
        assert_eq!(parse_number("NaN"), None);
    }

    #[test]
    fn year_months() {
        let want = Some(YearMonth { year: 2009, month: 9 });
        for s in ["2009-09", "2009年9月", "200909", "2009/9", "2009.09"] {
            assert_eq!(parse_year_month(s), want, "{s}");
        }
        assert_eq!(parse_year_month("2009-13"), None);
        assert_eq!(
            parse_year_month(&format!("{:.2}", 2009.1f64)),
            Some(YearMonth { year: 2009, month: 10 })
        );
    }

    #[test]
    fn headers_ignore_spaces_and_bracket_width() {
        assert_eq!(
            normalize_header("教学及辅助用房面积 (平方米)"),
            normalize_header("教学及辅助用房面积（平方米）")
        );
    }
}
