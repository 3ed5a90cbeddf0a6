//! The rows of a returned unit form's 佐证材料 checked (issue 33 point 2): the point is one the
//! unit leads, the title is new, the date is real, the file is there and opens with the pages
//! typed. Each failed check is a reason the row is sent back and a warning at its cell; a
//! refused row does not stop the rest.

use crate::model::evidence::Status;
use calamine::Data;

use super::evidence_files::{Finder, Found};
use super::evidence_return::{EvidenceReturn, EvidenceRow};
use super::evidence_sheet::{Filled, SECRECY, SHEET, col};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load::sheet::{cell_text, parse_number};
use crate::model::{Date, Profile, Workspace};

/// What the checks of one form need.
pub struct Context<'a> {
    /// The form as given to merge ("人社局(1).xlsx").
    pub file: &'a str,
    pub unit: &'a str,
    pub workspace: &'a Workspace,
    pub finder: &'a Finder,
}

/// A row being checked: its reasons, each also a warning at the cell it concerns.
struct Checked<'a> {
    cx: &'a Context<'a>,
    row: EvidenceRow,
    diags: Vec<Diagnostic>,
}

impl Checked<'_> {
    fn refuse(&mut self, column: u16, code: &'static str, reason: String, hint: impl Into<String>) {
        let at = Location::cell(self.cx.file, SHEET, self.row.row, column as u32);
        self.diags
            .push(Diagnostic::warning(code, at, format!("退回：{reason}")).with_hint(hint));
        self.row.refusals.push(reason);
    }
}

fn text(cells: &[Data], c: u16) -> Option<String> {
    let t = cell_text(&cells[c as usize]).trim().to_owned();
    (!t.is_empty()).then_some(t)
}

/// The indicators `unit` leads, as the form listed them (`unit_form::led`).
fn led<'p>(profile: &'p Profile, unit: &str) -> Vec<&'p crate::model::profile::Indicator> {
    profile
        .indicators
        .iter()
        .filter(|i| i.lead.iter().any(|l| l == unit))
        .collect()
}

/// The rows of one form, checked; diagnostics added to `diags`.
pub fn check(cx: &Context, rows: Vec<Filled>, diags: &mut Diagnostics) -> EvidenceReturn {
    let mut out = EvidenceReturn {
        file: cx.file.to_owned(),
        unit: cx.unit.to_owned(),
        rows: vec![],
    };
    for filled in rows {
        let mut c = Checked {
            cx,
            row: EvidenceRow {
                at: format!("{} {SHEET}!A{}", cx.file, filled.row + 1),
                row: filled.row,
                ..EvidenceRow::default()
            },
            diags: vec![],
        };
        let cells = &filled.cells;
        point(&mut c, cells);
        title(&mut c, cells, &out.rows);
        c.row.doc_no = text(cells, col::DOC_NO);
        c.row.author = text(cells, col::AUTHOR);
        date(&mut c, cells);
        pages(&mut c, cells);
        secrecy(&mut c, cells);
        file(&mut c, cells);
        for d in c.diags {
            diags.push(d);
        }
        out.rows.push(c.row);
    }
    out
}

/// 指标 and 要点: in the profile, and an indicator the unit leads.
fn point(c: &mut Checked, cells: &[Data]) {
    let profile = &c.cx.workspace.profile;
    let led = led(profile, c.cx.unit);
    let ids = led.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join("、");
    let typed = text(cells, col::INDICATOR).map(|t| crate::model::normalize_text(&t).trim().to_owned());
    c.row.point = text(cells, col::POINT)
        .map(|t| crate::model::normalize_text(&t).trim().to_owned())
        .unwrap_or_default();
    let Some(typed) = typed else {
        let hint = format!("从下拉列表中选择本单位牵头的指标：{ids}");
        c.refuse(col::INDICATOR, "evidence-row-indicator", "未填“指标”".to_owned(), hint);
        return;
    };
    c.row.indicator = typed.clone();
    let Some(ind) = profile.indicator(&typed) else {
        let reason = format!("指标体系“{}”中没有指标“{typed}”", profile.id);
        c.refuse(
            col::INDICATOR,
            "evidence-row-indicator",
            reason,
            format!("本单位牵头的指标：{ids}"),
        );
        return;
    };
    c.row.indicator = ind.id.clone();
    if !ind.lead.iter().any(|l| l == c.cx.unit) {
        let reason = format!(
            "指标 {} 由{}牵头，不是本单位牵头的指标",
            ind.id,
            if ind.lead.is_empty() {
                "其他单位".to_owned()
            } else {
                ind.lead.join("、")
            }
        );
        let hint = format!("本表只收本单位牵头指标（{ids}）的材料；其他指标的材料请交给其牵头单位");
        c.refuse(col::INDICATOR, "evidence-row-indicator", reason, hint);
        return;
    }
    let points = ind.points.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join("、");
    let hint = format!("指标 {} 的要点编号：{points}（见本表上方“应提供的佐证材料”）", ind.id);
    if c.row.point.is_empty() {
        c.refuse(col::POINT, "evidence-row-point", "未填“要点”".to_owned(), hint);
    } else if ind.point(&c.row.point).is_none() {
        let reason = format!("指标 {} 没有要点“{}”", ind.id, c.row.point);
        c.refuse(col::POINT, "evidence-row-point", reason, hint);
    }
}

/// 题名: given, and new — not in content/evidence.xlsx for the indicator, nor earlier in the
/// form (titles compared without spaces, case or full/half-width differences).
fn title(c: &mut Checked, cells: &[Data], earlier: &[EvidenceRow]) {
    let Some(title) = text(cells, col::TITLE) else {
        c.refuse(
            col::TITLE,
            "evidence-row-title",
            "未填“题名”".to_owned(),
            "填写文件标题，即档案目录中的题名",
        );
        return;
    };
    c.row.title = title.clone();
    let key = crate::load::evidence::loose(&title);
    let listed =
        c.cx.workspace
            .evidence
            .iter()
            // A row the team sent back (退回) or still awaits (待提交) is what the unit now sends.
            .filter(|e| !matches!(e.status, Some(Status::Returned | Status::Pending)))
            .find(|e| e.indicator == c.row.indicator && crate::load::evidence::loose(&e.title) == key);
    if let Some(e) = listed {
        let reason = format!(
            "佐证材料清单中已有《{}》（指标 {} 要点 {}），不重复收录",
            e.title, e.indicator, e.point
        );
        let hint = "已收录的材料不必再交；若是另一份文件（如新的年度），请在题名中写明区别";
        c.refuse(col::TITLE, "evidence-row-duplicate", reason, hint);
    } else if let Some(r) = earlier
        .iter()
        .find(|r| r.indicator == c.row.indicator && crate::load::evidence::loose(&r.title) == key)
    {
        let reason = format!("与本表第 {} 行的题名重复", r.row + 1);
        c.refuse(
            col::TITLE,
            "evidence-row-duplicate",
            reason,
            "同一份材料只填一行；删去重复的一行",
        );
    }
}

/// 日期: a real date, as content/evidence.xlsx reads one (an Excel date or 2026-03-01 typed).
fn date(c: &mut Checked, cells: &[Data]) {
    let cell = &cells[col::DATE as usize];
    let parsed = match cell {
        Data::Empty => return,
        Data::DateTime(d) => Date::from_excel_serial(d.as_f64()),
        Data::Float(f) if *f < 100_000.0 => Date::from_excel_serial(*f),
        Data::Int(i) if *i < 100_000 => Date::from_excel_serial(*i as f64),
        Data::DateTimeIso(s) => Date::parse(s.get(..10).unwrap_or(s)),
        other => {
            let t = cell_text(other);
            if t.trim().is_empty() {
                return;
            }
            Date::parse(&t)
        }
    };
    match parsed {
        Some(d) => c.row.date = Some(d),
        None => {
            let reason = Date::why_not(&cell_text(cell));
            let hint = "写成 2026-03-01 或 2026年3月1日，或在单元格中按日期输入";
            c.refuse(col::DATE, "evidence-row-date", reason, hint);
        }
    }
}

/// 页数: a whole number of at least 1, when given.
fn pages(c: &mut Checked, cells: &[Data]) {
    let cell = &cells[col::PAGES as usize];
    let typed = cell_text(cell);
    if typed.trim().is_empty() {
        return;
    }
    let n = match cell {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        other => parse_number(&cell_text(other)),
    };
    match n.filter(|n| n.fract() == 0.0 && *n >= 1.0 && *n < 1e6) {
        Some(n) => c.row.pages = Some(n as u32),
        None => {
            let reason = format!("页数应为正整数，表中填的是“{typed}”");
            c.refuse(col::PAGES, "evidence-row-pages", reason, "填写文件的实际页数，如 12");
        }
    }
}

fn secrecy(c: &mut Checked, cells: &[Data]) {
    let Some(s) = text(cells, col::SECRECY) else { return };
    if !SECRECY.contains(&s.as_str()) {
        let reason = format!("密级“{s}”不是可选的密级");
        c.refuse(
            col::SECRECY,
            "evidence-row-secrecy",
            reason,
            format!("从列表中选择：{}", SECRECY.join("、")),
        );
    }
    c.row.secrecy = Some(s);
}

/// 文件名: given, found beside the form, readable, and of the pages typed.
fn file(c: &mut Checked, cells: &[Data]) {
    let beside = "把文件与本表放在同一文件夹（或打包成一个 .zip 与本表一起交回），并核对文件名（包括扩展名，如 .pdf）";
    let Some(typed) = text(cells, col::FILE) else {
        let hint = "写与本表一起交回的文件名，如 关于印发….pdf";
        c.refuse(col::FILE, "evidence-row-file", "未填“文件名”".to_owned(), hint);
        return;
    };
    c.row.file_name = Some(typed.clone());
    let source = match c.cx.finder.find(&typed) {
        Found::One(s, near) => {
            if near {
                let at = Location::cell(c.cx.file, SHEET, c.row.row, col::FILE as u32);
                c.diags.push(
                    Diagnostic::warning(
                        "evidence-row-near-name",
                        at,
                        format!("文件名“{typed}”与找到的文件“{}”不完全相同，已按该文件读取", s.name()),
                    )
                    .with_hint("核对是否就是这份文件；下次请写完整、准确的文件名"),
                );
            }
            s
        }
        Found::Many(names) => {
            let reason = format!("有 {} 个文件都符合“{typed}”：{}", names.len(), names.join("、"));
            let hint = "写出完整的文件名（包括扩展名）；在压缩包的子文件夹中时写出路径，如 文件夹/文件名.pdf";
            c.refuse(col::FILE, "evidence-row-file", reason, hint);
            return;
        }
        Found::None => {
            let reason = format!("找不到文件“{typed}”：本表所在文件夹和一起交回的 .zip 中都没有");
            c.refuse(col::FILE, "evidence-row-file", reason, beside);
            return;
        }
    };
    let name = source.name();
    let opened =
        c.cx.finder
            .read(&source)
            .and_then(|bytes| super::evidence_files::open(&name, bytes));
    c.row.source = Some(source);
    match opened {
        Err(why) => {
            let reason = format!("文件“{name}”无法使用：{why}");
            let hint = "请交回能正常打开、没有加密的文件（PDF 可重新扫描或另存为 PDF；图片用 PNG 或 JPEG）";
            c.refuse(col::FILE, "evidence-row-file", reason, hint);
        }
        Ok(counted) => {
            c.row.counted_pages = counted;
            if let (Some(typed), Some(n)) = (c.row.pages, counted)
                && typed != n
            {
                let what = if n == 1 && !name.to_lowercase().ends_with(".pdf") {
                    "图片记 1 页".to_owned()
                } else {
                    format!("PDF 实际 {n} 页")
                };
                let reason = format!("页数填 {typed}，{what}");
                c.refuse(
                    col::PAGES,
                    "evidence-row-pages",
                    reason,
                    "按文件的实际页数填写，或核对是否交错了文件",
                );
            }
        }
    }
}

/// The 佐证材料 rows of the accepted unit form at `path`, checked: `None` when it has none. The
/// workspace (profile, catalogue, tasks) is loaded into `loaded` at the first form with rows,
/// so that a merge of school forms alone reads county.yaml only.
pub fn read_form(
    root: &std::path::Path,
    path: &std::path::Path,
    (file, unit): (&str, &str),
    zips: &[std::path::PathBuf],
    loaded: &mut Option<Workspace>,
    diags: &mut Diagnostics,
) -> Option<EvidenceReturn> {
    let mut wb = calamine::open_workbook_auto(path).ok()?;
    let rows = match super::evidence_sheet::rows(&mut wb)? {
        Ok(rows) if rows.is_empty() => return None,
        Ok(rows) => rows,
        Err(()) => {
            diags.push(
                Diagnostic::warning(
                    "evidence-sheet-altered",
                    Location::file(file),
                    format!("“{SHEET}”工作表的表头被改动，其中填写的材料没有读取"),
                )
                .with_hint("请该单位在下发的原表上填写，不要改动“指标、要点、题名……文件名、备注”这一行表头；也可以重新运行 yingjian collect 把表再发一次"),
            );
            return None;
        }
    };
    let workspace = loaded.get_or_insert_with(|| crate::load::load(root).0);
    let finder = Finder::new(path, zips);
    let cx = Context {
        file,
        unit,
        workspace,
        finder: &finder,
    };
    Some(check(&cx, rows, diags))
}

/// The dry run's lines for one form's rows: the counts, then each refused row with its reasons.
pub fn report(e: &EvidenceReturn) -> String {
    let accepted = e.rows.iter().filter(|r| r.accepted()).count();
    let mut o = format!(
        "  佐证材料：{} 行，接收 {accepted} 件，退回 {} 件\n",
        e.rows.len(),
        e.rows.len() - accepted
    );
    for r in e.rows.iter().filter(|r| !r.accepted()) {
        let point: Vec<&str> = [r.indicator.as_str(), r.point.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let title = if r.title.is_empty() {
            String::new()
        } else {
            format!("《{}》", r.title)
        };
        o.push_str(&format!(
            "  退回 {SHEET}!A{} {}{title}：{}\n",
            r.row + 1,
            point.join("-"),
            r.refusals.join("；")
        ));
    }
    o
}
