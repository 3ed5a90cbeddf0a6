//! Checks of 学校基础数据 that look at a school as a whole: the file's format, blank cells,
//! the stage rows of a combined school, a senior section left in whole-school totals.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::sheet::Table;
use crate::diag::{Diagnostic, Diagnostics, Location, column_letters};
use crate::model::school::columns::{COLUMNS, Need, SENIOR, STAGE, STUDENTS, Scope};
use crate::model::{ResourceKey, School, SchoolKind, Stage};

/// The schools workbook: `content/schools.xlsx`, or the same saved as .xls or .ods (both read
/// as they are). A file of another format gets a message saying how to save it as xlsx.
pub fn find_file(root: &Path, diags: &mut Diagnostics) -> Option<String> {
    let base = crate::paths::SCHOOLS.trim_end_matches(".xlsx");
    for ext in ["xlsx", "xls", "ods"] {
        let rel = format!("{base}.{ext}");
        if root.join(&rel).exists() {
            return Some(rel);
        }
    }
    let save_as = "用 WPS 或 Excel 打开它，选“文件 → 另存为”，保存类型选“Excel 工作簿（*.xlsx）”，文件名 schools.xlsx，保存在 content/ 下";
    for (ext, what) in [
        ("et", "WPS 表格专用的 .et 格式"),
        ("ett", "WPS 表格模板（.ett）"),
        ("csv", "CSV 文本（.csv），没有工作表和格式"),
        ("wps", "WPS 文字文档（.wps），不是表格"),
        ("xlsb", "Excel 二进制工作簿（.xlsb）"),
        ("numbers", "Numbers 表格（.numbers）"),
    ] {
        let rel = format!("{base}.{ext}");
        if root.join(&rel).exists() {
            diags.push(
                Diagnostic::error(
                    "schools-format",
                    Location::file(&rel),
                    format!("学校基础数据表是 {what}，无法直接读取"),
                )
                .with_hint(save_as),
            );
            return None;
        }
    }
    diags.push(
        Diagnostic::error(
            "schools-missing",
            Location::file(crate::paths::SCHOOLS),
            "没有找到学校基础数据表",
        )
        .with_hint(
            "运行 yingjian new 可生成带表头的空白表格，填好后放在 content/schools.xlsx（也可读取 .xls 和 .ods）",
        ),
    );
    None
}

/// One warning per row naming its blank cells (the items they feed are pending). Taken
/// before merged and implausible figures are set aside, which are said on their own. A
/// combined school's facility given on its other row is left out: that row may hold the
/// whole-school total (said by the split, or by `combined-facility-blank`).
pub fn blank_cells(t: &Table, schools: &[School], unplaced: &HashSet<String>) -> Vec<Diagnostic> {
    let cells: HashMap<u32, &[calamine::Data]> = t.rows.iter().map(|(r, c)| (*r, c.as_slice())).collect();
    // Blank as typed: a figure refused for a reason of its own (negative, not a number) is not.
    let typed = |row: u32, header: &str| cells.get(&row).is_some_and(|c| t.text(c, header).is_some());
    let mut out = vec![];
    // A school with a row that could not be placed has its error; its blanks may be that row's.
    for school in schools.iter().filter(|s| !unplaced.contains(&s.code)) {
        for (n, sec) in school.sections.iter().enumerate() {
            let mut blank = vec![];
            for c in COLUMNS.iter().filter(|c| c.need == Need::Expected) {
                let anywhere = || school.sections.iter().any(|s| typed(s.row, c.header));
                let is_blank = match c.scope() {
                    Scope::Stage => {
                        let facility = ResourceKey::FACILITIES.iter().any(|f| f.column() == c.header);
                        !typed(sec.row, c.header) && !(school.kind.is_combined() && facility && anywhere())
                    }
                    // A school-wide figure, said once, at the first row.
                    Scope::School => n == 0 && !anywhere(),
                    Scope::Key => false,
                };
                if is_blank && let Some(col) = t.column(c.header) {
                    blank.push((col, c.header));
                }
            }
            let Some(&(first, _)) = blank.first() else { continue };
            let cells: Vec<String> = blank
                .iter()
                .map(|(col, h)| format!("{}{}（{h}）", column_letters(*col), sec.row + 1))
                .collect();
            out.push(
                Diagnostic::warning(
                    "blank-cells",
                    Location::cell(&t.file, &t.sheet, sec.row, first),
                    format!(
                        "{}（{}）有 {} 个单元格为空：{}，相关指标待核实",
                        school.name,
                        sec.stage.map_or("全校", Stage::label),
                        blank.len(),
                        cells.join("、")
                    ),
                )
                .with_hint("补填这些单元格；确实没有的填 0"),
            );
        }
    }
    out
}

/// A 九年一贯制 or 十二年一贯制 school with one stage row: the other stage is missing (unless
/// its row was there and is reported for another reason: `seen`, `unplaced`).
pub fn stages(
    t: &Table,
    schools: &[School],
    seen: &HashMap<(String, Option<Stage>), u32>,
    unplaced: &HashSet<String>,
    split: bool,
    diags: &mut Diagnostics,
) {
    for school in schools.iter().filter(|s| s.kind.is_combined()) {
        let [sec] = school.sections.as_slice() else { continue };
        let Some(stage) = sec.stage else { continue };
        let other = match stage {
            Stage::Primary => Stage::Junior,
            Stage::Junior => Stage::Primary,
        };
        if seen.contains_key(&(school.code.clone(), Some(other))) || unplaced.contains(&school.code) {
            continue;
        }
        let totals = if split {
            "；全校合计的设施数据无法拆分，整体计入该行"
        } else {
            ""
        };
        diags.push(
            Diagnostic::warning(
                "combined-one-stage",
                t.loc(sec.row, STAGE),
                format!(
                    "{}（{}）只有{}一行，缺少{}行{totals}",
                    school.name,
                    school.kind.label(),
                    stage.label(),
                    other.label()
                ),
            )
            .with_hint(format!(
                "一贯制学校按“小学”“初中”各填一行；若该校实际只有{}，请把办学类型改为“{}”",
                stage.label(),
                stage.label()
            )),
        );
    }
}

/// A 完全中学 or 十二年一贯制学校 with its 高中部在校生数 filled enters whole-school facility
/// totals; without the split they would all be credited to its compulsory pupils. Its facility
/// items are pending until the split is on (DOMAIN §2.2a).
pub fn senior_not_split(t: &Table, schools: &mut [School], diags: &mut Diagnostics) {
    for school in schools.iter_mut() {
        if !matches!(school.kind, SchoolKind::Complete | SchoolKind::TwelveYear) {
            continue;
        }
        let Some(senior) = school.senior_students.filter(|s| *s > 0.0) else {
            continue;
        };
        let Some(first) = school.sections.first().map(|s| s.row) else {
            continue;
        };
        let mut held = vec![];
        for f in ResourceKey::FACILITIES {
            let given: Vec<bool> = school.sections.iter().map(|s| s.amount(f).is_some()).collect();
            // Figures on every stage row are per stage already; one figure is a total.
            if given.iter().filter(|g| **g).count() == 1 {
                for s in &mut school.sections {
                    s.set_amount(f, None);
                }
                held.push(f.column());
            }
        }
        if held.is_empty() {
            continue;
        }
        let weights = if school.kind == SchoolKind::Complete {
            "初中:高中 = 1:1.2"
        } else {
            "小学:初中:高中 = 1:1.1:1.32"
        };
        diags.push(
            Diagnostic::warning(
                "senior-not-split",
                t.loc(first, SENIOR),
                format!(
                    "{}（{}）填了高中部在校生数 {senior} 人，设施按全校合计填写，但没有拆出高中部份额：{}按待核实处理",
                    school.name,
                    school.kind.label(),
                    held.iter().map(|h| format!("“{h}”")).collect::<Vec<_>>().join("、")
                ),
            )
            .with_hint(format!(
                "在 content/county.yaml 中设 options.split_combined_facilities: true，按 {weights} 的生均当量拆出高中部份额；若所填设施数据只含义务教育学段，请清空“高中部在校生数”"
            )),
        );
    }
}

/// A 合计 row (set aside, never read as a school) whose 在校生数 differs from the sum of the
/// rows above it: a school left out, entered twice, or a total typed by hand and not updated.
/// With 小计 rows the sums cannot be told apart, so nothing is compared.
pub fn total_row(t: &Table, diags: &mut Diagnostics) {
    use super::furniture::Furniture;
    let totals: Vec<_> = t.set_aside.iter().filter(|(_, k, _)| *k == Furniture::Total).collect();
    let subtotals = t.set_aside.iter().any(|(_, k, _)| *k == Furniture::Subtotal);
    let ([(row, _, cells)], false, Some(col)) = (totals.as_slice(), subtotals, t.column(STUDENTS)) else {
        return;
    };
    let number = |c: Option<&calamine::Data>| match c {
        Some(calamine::Data::Float(f)) => Some(*f),
        Some(calamine::Data::Int(i)) => Some(*i as f64),
        Some(calamine::Data::String(s)) => super::sheet::parse_number(s),
        _ => None,
    };
    let Some(total) = number(cells.get(col as usize)) else {
        return;
    };
    // A row whose pupils could not be read (said at its cell) would make any sum wrong.
    let unread = t.rows.iter().any(|(_, c)| {
        c.get(col as usize)
            .is_some_and(|d| !super::sheet::is_blank(d) && number(Some(d)).is_none())
    });
    if unread {
        return;
    }
    let sum: f64 = t.rows.iter().filter_map(|(_, c)| number(c.get(col as usize))).sum();
    if (total - sum).abs() < 0.5 {
        return;
    }
    let n = crate::rules::fmt_num;
    diags.push(
        Diagnostic::warning(
            "total-mismatch",
            t.loc(*row, STUDENTS),
            format!(
                "合计行的在校生数为 {}，各学校行之和为 {}（相差 {}）：可能漏填、重复填了学校，或合计未更新",
                n(total),
                n(sum),
                n((total - sum).abs())
            ),
        )
        .with_hint("核对学校行是否齐全；合计行只用于核对，不参与计算，也可以删除"),
    );
}
