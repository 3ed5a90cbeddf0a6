//! Opening a workbook as people save it — xlsx from Excel or WPS, the older .xls, .ods from
//! LibreOffice — and reading one sheet: its non-blank cells, merged ranges, hidden rows and
//! columns.

use calamine::{Data, Dimensions, Ods, Reader, SheetVisible, Xls, Xlsx};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use super::sheet::{is_blank, normalize_header};
use crate::diag::{Diagnostic, Diagnostics, Location};

/// One sheet as read.
pub struct Grid {
    /// The sheet's name as spelled in the workbook.
    pub name: String,
    /// Non-blank cells by zero-based row, indexed by column.
    pub cells: BTreeMap<u32, Vec<Data>>,
    pub merges: Vec<Dimensions>,
    /// Zero-based rows and columns hidden in the sheet (xlsx and ods; an .xls does not say).
    pub hidden_rows: Vec<u32>,
    pub hidden_cols: Vec<u32>,
    /// The sheet itself is hidden.
    pub hidden_sheet: bool,
    /// Zero-based (row, column) of formula cells saved without a computed value (an xlsx
    /// written by a program rather than by Excel or WPS).
    pub uncomputed: Vec<(u32, u32)>,
}

/// Cells right of this column are not read (our tables have a few dozen columns).
pub const MAX_COLUMNS: u32 = 1024;

/// Parts of a workbook that unpack to more than this are refused before anything is read
/// into memory (a million-row sheet is several hundred MB).
const MAX_PART: u64 = 64 * 1024 * 1024;

const SAVE_AS: &str = "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）";

enum Book {
    Xlsx(Xlsx<BufReader<File>>),
    Xls(Xls<BufReader<File>>),
    Ods(Ods<BufReader<File>>),
}

/// Reads sheet `sheet` of the workbook at `rel` (any of xlsx, xls, ods); None when it cannot
/// be read (said why).
pub fn read(root: &Path, rel: &str, sheet: &str, diags: &mut Diagnostics) -> Option<Grid> {
    if crate::paths::outside(root, rel) {
        diags.push(super::text::outside_error(rel));
        return None;
    }
    let path = root.join(rel);
    if let Some(what) = crate::paths::not_regular(&path) {
        diags.push(super::text::not_regular_error(rel, what));
        return None;
    }
    if let Err(e) = File::open(&path) {
        diags.push(Diagnostic::error(
            "file-unreadable",
            Location::file(rel),
            format!("无法打开文件：{e}"),
        ));
        return None;
    }
    let mut book = open(&path, rel, diags)?;
    let (name, visible) = find_sheet(&book, rel, sheet, diags)?;
    let mut grid = match &mut book {
        Book::Xlsx(b) => xlsx_grid(b, rel, &name, diags)?,
        Book::Xls(b) => {
            let mut g = range_grid(b.worksheet_range(&name).ok(), rel, &name, diags)?;
            g.merges = b.merge_cells_by_sheet_name(&name).unwrap_or_default();
            g
        }
        Book::Ods(b) => range_grid(b.worksheet_range(&name).ok(), rel, &name, diags)?,
    };
    match book {
        Book::Xlsx(_) => {
            let (rows, cols) = super::hidden::rows_and_columns(&path, &name);
            grid.hidden_rows = rows;
            grid.hidden_cols = cols;
        }
        Book::Ods(_) => {
            let layout = super::ods::layout(&path, &name);
            grid.merges = layout.merges;
            grid.hidden_rows = layout.hidden_rows;
            grid.hidden_cols = layout.hidden_cols;
        }
        // calamine does not say which rows of an .xls are hidden: say that it is not checked.
        Book::Xls(_) => diags.push(
            Diagnostic::warning(
                "xls-hidden-unchecked",
                Location::file(rel),
                "旧版 Excel 97-2003（.xls）工作簿中的隐藏行、列无法检查：隐藏的行照常读取并计入统计",
            )
            .with_hint("用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx），隐藏的行、列就会逐一指出"),
        ),
    }
    grid.hidden_sheet = !visible;
    if grid.cells.is_empty() {
        diags.push(
            Diagnostic::error("sheet-empty", Location::file(rel), format!("工作表“{name}”是空的"))
                .with_hint("第一行应是表头，从第二行起每行一条数据；可用 yingjian new 生成空白模板"),
        );
        return None;
    }
    Some(grid)
}

/// The workbook, by what its bytes are: a zip archive (xlsx or ods, told apart by the
/// extension), or an OLE file (a real .xls, whatever its extension, or a password-protected
/// xlsx).
fn open(path: &Path, rel: &str, diags: &mut Diagnostics) -> Option<Book> {
    let corrupt =
        |what: &str| Diagnostic::error("xlsx-corrupt", Location::file(rel), what.to_owned()).with_hint(SAVE_AS);
    let file = || File::open(path).ok().map(BufReader::new);
    if is_ole(path) {
        return match file().map(Xls::new) {
            Some(Ok(b)) => Some(Book::Xls(b)),
            _ => {
                diags.push(
                    Diagnostic::error(
                        "xlsx-corrupt",
                        Location::file(rel),
                        "文件设置了打开密码，或是无法读取的旧版 Excel 97-2003（.xls）文件",
                    )
                    .with_hint(
                        "请用 Excel 或 WPS 打开（有密码的先取消：文件 → 信息 → 保护工作簿），再“另存为”Excel 工作簿（*.xlsx）",
                    ),
                );
                None
            }
        };
    }
    if let Some(d) = too_large(path, rel) {
        diags.push(d);
        return None;
    }
    let ods = rel.to_lowercase().ends_with(".ods");
    let book = if ods {
        file().map(|f| Ods::new(f).map(Book::Ods).ok())
    } else {
        file().map(|f| Xlsx::new(f).map(Book::Xlsx).ok())
    };
    match book.flatten() {
        Some(b) => Some(b),
        None => {
            let what = if ods {
                "不是有效的 ods 工作簿（文件已损坏，或是改了扩展名的其他格式）"
            } else {
                "不是有效的 xlsx 工作簿（文件已损坏，或是改了扩展名的其他格式）"
            };
            diags.push(corrupt(what));
            None
        }
    }
}

/// The name of sheet `sheet` as spelled in the workbook and whether it is visible; a
/// hidden sheet of that name is read too (the caller says so).
fn find_sheet(book: &Book, rel: &str, sheet: &str, diags: &mut Diagnostics) -> Option<(String, bool)> {
    let meta = match book {
        Book::Xlsx(b) => b.sheets_metadata(),
        Book::Xls(b) => b.sheets_metadata(),
        Book::Ods(b) => b.sheets_metadata(),
    };
    let visible: Vec<String> = meta
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let found = meta
        .iter()
        .find(|s| normalize_header(&s.name) == normalize_header(sheet))
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible));
    if found.is_none() && visible.is_empty() {
        diags.push(
            Diagnostic::error("xlsx-empty", Location::file(rel), "工作簿中没有可见的工作表")
                .with_hint("取消隐藏数据所在的工作表（右键工作表标签 → 取消隐藏）"),
        );
        return None;
    }
    if found.is_none() {
        diags.push(
            Diagnostic::error("sheet-missing", Location::file(rel), format!("找不到工作表“{sheet}”")).with_hint(
                format!(
                    "现有工作表：{}；请把数据所在的工作表改名为“{sheet}”",
                    visible.join("、")
                ),
            ),
        );
    }
    found
}

/// The non-blank cells of an xlsx sheet, read one by one into the rows that have them: a
/// sheet is sparse, and a single stray cell at XFD1048576 must not make a dense grid of
/// seventeen billion cells.
fn xlsx_grid(book: &mut Xlsx<BufReader<File>>, rel: &str, name: &str, diags: &mut Diagnostics) -> Option<Grid> {
    let corrupt =
        || Diagnostic::error("xlsx-corrupt", Location::file(rel), format!("工作表“{name}”无法读取")).with_hint(SAVE_AS);
    let mut cells: BTreeMap<u32, Vec<Data>> = BTreeMap::new();
    let Ok(mut reader) = book.worksheet_cells_reader(name) else {
        diags.push(corrupt());
        return None;
    };
    loop {
        match reader.next_cell() {
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                put(&mut cells, r, c, Data::from(cell.get_value().clone()));
            }
            Ok(None) => break,
            Err(_) => {
                diags.push(corrupt());
                return None;
            }
        }
    }
    drop(reader);
    let uncomputed = uncomputed(book, name, &cells);
    let merges = book.merge_cells_by_sheet_name(name).unwrap_or_default();
    let mut grid = grid(name, cells, merges);
    grid.uncomputed = uncomputed;
    Some(grid)
}

/// The cells of a sheet read whole (xls, ods: formats with small sheets).
fn range_grid(range: Option<calamine::Range<Data>>, rel: &str, name: &str, diags: &mut Diagnostics) -> Option<Grid> {
    let Some(range) = range else {
        diags.push(
            Diagnostic::error("xlsx-corrupt", Location::file(rel), format!("工作表“{name}”无法读取"))
                .with_hint(SAVE_AS),
        );
        return None;
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells = BTreeMap::new();
    for (r, c, v) in range.used_cells() {
        put(&mut cells, r0 + r as u32, c0 + c as u32, v.clone());
    }
    Some(grid(name, cells, vec![]))
}

fn grid(name: &str, cells: BTreeMap<u32, Vec<Data>>, merges: Vec<Dimensions>) -> Grid {
    Grid {
        name: name.to_owned(),
        cells,
        merges,
        hidden_rows: vec![],
        hidden_cols: vec![],
        hidden_sheet: false,
        uncomputed: vec![],
    }
}

/// The formula cells of a sheet that hold no value (`cells` are the values read), up to a
/// hundred: enough to point at the problem.
fn uncomputed(book: &mut Xlsx<BufReader<File>>, name: &str, cells: &BTreeMap<u32, Vec<Data>>) -> Vec<(u32, u32)> {
    let Ok(mut reader) = book.worksheet_cells_reader(name) else {
        return vec![];
    };
    let mut found = vec![];
    while let Ok(Some(cell)) = reader.next_formula() {
        let (r, c) = cell.get_position();
        let valued = cells
            .get(&r)
            .and_then(|row| row.get(c as usize))
            .is_some_and(|v| !is_blank(v));
        if !cell.get_value().trim().is_empty() && !valued && c < MAX_COLUMNS {
            found.push((r, c));
            if found.len() == 100 {
                break;
            }
        }
    }
    found
}

fn put(cells: &mut BTreeMap<u32, Vec<Data>>, r: u32, c: u32, value: Data) {
    // Columns far to the right are never ours (our tables have a few dozen).
    if is_blank(&value) || c >= MAX_COLUMNS {
        return;
    }
    let row = cells.entry(r).or_default();
    if row.len() <= c as usize {
        row.resize(c as usize + 1, Data::Empty);
    }
    row[c as usize] = value;
}

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
