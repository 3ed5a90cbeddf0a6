//! `yingjian new`: a fresh workspace with blank data-entry sheets and a commented config.

use rust_xlsxwriter::{DataValidation, Format, Formula, Note, Worksheet, XlsxError};
use std::path::Path;

use crate::diag::AppError;
use crate::model::Profile;
use crate::model::evidence::columns as evidence;
use crate::model::profile;
use crate::model::school::columns as schools;
use crate::paths;
use crate::render::xlsx::style::{header_format, new_workbook, text_width};

const CONFIG_TEMPLATE: &str = include_str!("../templates/workspace/county.yaml");
/// Per indicator system, the commented examples of scores.yaml and tasks.yaml: in its own
/// ids and unit names, so that uncommenting them gives a clean check.
const EXAMPLES: [(&str, &str, &str); 2] = [
    (
        "national-2017",
        include_str!("../templates/workspace/national-2017/scores.yaml"),
        include_str!("../templates/workspace/national-2017/tasks.yaml"),
    ),
    (
        "jiangxi-2018",
        include_str!("../templates/workspace/jiangxi-2018/scores.yaml"),
        include_str!("../templates/workspace/jiangxi-2018/tasks.yaml"),
    ),
];

/// Rows prepared with validation lists in the blank sheets.
const INPUT_ROWS: u32 = 2000;

// `yingjian new` ends every failure with exit code 2, as it always has.
fn write_error(path: &Path, e: std::io::Error) -> AppError {
    AppError::usage(format!("无法写入 {}：{}", path.display(), crate::out::swap::reason(&e)))
        .with_hint("请指定一个可以新建文件夹的位置（有写入权限、空间足够），如自己的文档目录下的新文件夹")
}

fn sheet_error(e: XlsxError) -> AppError {
    AppError::usage(format!("生成表格失败：{e}"))
}

/// Creates the workspace at `dir` (which must not exist or be empty) for `profile_id`.
pub fn create(dir: &Path, profile_id: &str, year: i32, today: &str) -> Result<(), AppError> {
    if dir.exists() && !dir.is_dir() {
        return Err(AppError::usage(format!(
            "{} 是一个文件，不是文件夹；请指定一个新目录",
            dir.display()
        )));
    }
    let listed = |e: std::io::Error| {
        AppError::usage(format!(
            "无法读取目录 {}：{}",
            dir.display(),
            crate::out::swap::reason(&e)
        ))
    };
    if dir.exists() && std::fs::read_dir(dir).map_err(listed)?.next().is_some() {
        return Err(AppError::usage(format!(
            "目录 {} 已存在且不为空；为避免覆盖已有资料，请指定一个新目录",
            dir.display()
        )));
    }
    let profile = Profile::builtin(profile_id).ok_or_else(|| {
        let ids: Vec<&str> = profile::BUILTIN.iter().map(|(i, _)| *i).collect();
        AppError::usage(format!("未知的指标体系“{profile_id}”，可选：{}", ids.join("、")))
    })?;
    let schools = schools_template().map_err(sheet_error)?;
    let evidence = evidence_template(&profile).map_err(sheet_error)?;
    for sub in ["content/report", "content/documents", "evidence", "out"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| write_error(&dir.join(sub), e))?;
    }
    let config = CONFIG_TEMPLATE
        .replace("{{PROFILE}}", profile_id)
        .replace("{{YEAR}}", &year.to_string())
        .replace("{{TODAY}}", today);
    let units = units_yaml(&profile);
    let (_, scores, tasks) = EXAMPLES
        .iter()
        .find(|(id, _, _)| *id == profile_id)
        .unwrap_or(&EXAMPLES[0]);
    let tasks = tasks.replace("{{YEAR}}", &year.to_string());
    let files: [(&str, &[u8]); 7] = [
        (paths::CONFIG, config.as_bytes()),
        (paths::UNITS, units.as_bytes()),
        (paths::SCORES, scores.as_bytes()),
        (paths::TASKS, tasks.as_bytes()),
        (".gitignore", b"/out/\n"),
        (paths::SCHOOLS, &schools),
        (paths::EVIDENCE, &evidence),
    ];
    for (rel, bytes) in files {
        std::fs::write(dir.join(rel), bytes).map_err(|e| write_error(&dir.join(rel), e))?;
    }
    Ok(())
}

/// Units of the profile, one entry each, people left blank.
fn units_yaml(p: &Profile) -> String {
    let mut names: Vec<&str> = vec![];
    for i in &p.indicators {
        for u in i.lead.iter().chain(&i.units) {
            if !names.contains(&u.as_str()) {
                names.push(u);
            }
        }
    }
    let mut s = String::from(
        "# 责任分工（content/units.yaml）\n# 每个单位：name 与指标体系中的单位简称一致；leads / supports 不写时按指标体系的牵头单位、责任单位自动分配。\n# 说明见 docs/inputs.md。\nunits:\n",
    );
    for n in names {
        s.push_str(&format!("  - name: {n}\n    full_name:\n    leader:          # 牵头领导\n    person:          # 责任人\n    phone:\n"));
    }
    s
}

fn write_headers(ws: &mut Worksheet, headers: &[&str], notes: &[(&str, &str)]) -> Result<(), XlsxError> {
    let fmt = header_format();
    for (col, h) in headers.iter().enumerate() {
        let col = col as u16;
        ws.write_string_with_format(0, col, *h, &fmt)?;
        ws.set_column_width(col, text_width(h).clamp(8.0, 24.0))?;
        if let Some((_, n)) = notes.iter().find(|(k, _)| k == h) {
            ws.insert_note(0, col, &Note::new(*n).set_author("yingjian").add_author_prefix(false))?;
        }
    }
    ws.set_row_height(0, 36)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn list(ws: &mut Worksheet, col: u16, title: &str, items: &[&str]) -> Result<(), XlsxError> {
    let dv = DataValidation::new()
        .allow_list_strings(items)?
        .set_input_title(title)?
        .set_input_message(format!("可选：{}", items.join("、")))?
        .set_error_title("取值不在列表中")?
        .set_error_message(format!("请从下拉列表中选择：{}", items.join("、")))?;
    ws.add_data_validation(1, col, INPUT_ROWS, col, &dv)?;
    Ok(())
}

fn col_of(headers: &[&str], h: &str) -> u16 {
    headers.iter().position(|x| *x == h).unwrap_or(0) as u16
}

fn schools_template() -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name(schools::SHEET)?;
    let notes: Vec<String> = schools::COLUMNS.iter().map(|c| c.template_note()).collect();
    let notes: Vec<(&str, &str)> = schools::COLUMNS
        .iter()
        .zip(&notes)
        .map(|(c, n)| (c.header, n.as_str()))
        .collect();
    write_headers(ws, &schools::HEADERS, &notes)?;
    for (i, c) in schools::COLUMNS.iter().enumerate() {
        if let Some(choices) = c.choices() {
            list(ws, i as u16, c.header, choices)?;
        }
    }
    // Codes are text: a 10-digit number would otherwise lose leading zeros.
    for (i, c) in schools::COLUMNS.iter().enumerate() {
        if c.is_text() {
            ws.set_column_format(i as u16, &Format::new().set_num_format("@"))?;
        }
    }
    wb.save_to_buffer()
}

/// The blank catalogue (`merge --apply` starts from it when content/evidence.xlsx is absent).
pub fn evidence_template(p: &Profile) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let notes = [
        ("指标", "指标编号，如 A12；可从下拉列表选择，编号见“指标列表”工作表"),
        ("要点", "评估要点序号：1、2、3……"),
        ("日期", "成文日期，写成 20261103 或 2026-11-03"),
        ("页数", "PDF 文件可留空，由程序计数；其他文件请填写"),
        ("文件", "evidence 目录下的相对路径，如 A12/校额统计表.pdf"),
        ("责任单位", "与 units.yaml 中的单位简称一致"),
        (
            evidence::STATUS,
            "单位报送的材料：待提交 → 已提交（merge 写入）→ 已审核，或退回；留空表示材料组自行登记的材料，按已审核计。待提交、退回的材料不装盒",
        ),
        (evidence::REVIEW, "退回时写明原因，单位据此修改，如“缺少盖章页”"),
        (evidence::SOURCE, "来自哪份回收表，由 yingjian merge 填写"),
    ];
    let headers: Vec<&str> = evidence::HEADERS.iter().chain(&evidence::OPTIONAL).copied().collect();
    let ids: Vec<&str> = p.indicators.iter().map(|i| i.id.as_str()).collect();
    let n = ids.len() as u32;
    {
        let ws = wb.add_worksheet().set_name(evidence::SHEET)?;
        write_headers(ws, &headers, &notes)?;
        let dv = DataValidation::new()
            .allow_list_formula(Formula::new(format!("=指标列表!$A$2:$A${}", n + 1)))
            .set_input_title("指标")?
            .set_input_message("从列表中选择指标编号")?;
        ws.add_data_validation(1, 0, INPUT_ROWS, 0, &dv)?;
        ws.set_column_width(col_of(&evidence::HEADERS, "题名"), 40)?;
        ws.set_column_width(col_of(&evidence::HEADERS, "文件"), 30)?;
        ws.set_column_format(col_of(&evidence::HEADERS, "日期"), &Format::new().set_num_format("@"))?;
        list(
            ws,
            col_of(&evidence::HEADERS, "密级"),
            "密级",
            &["公开", "内部", "秘密"],
        )?;
        list(
            ws,
            col_of(&headers, evidence::STATUS),
            evidence::STATUS,
            &evidence::STATUS_WORDS,
        )?;
        ws.set_column_width(col_of(&headers, evidence::REVIEW), 30)?;
        ws.set_column_width(col_of(&headers, evidence::SOURCE), 30)?;
    }
    let ws = wb.add_worksheet().set_name("指标列表")?;
    write_headers(ws, &["指标", "名称", "类型", "牵头单位", "责任单位"], &[])?;
    ws.set_column_width(1, 40)?;
    for (r, i) in p.indicators.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, &i.id)?;
        ws.write_string(r, 1, &i.name)?;
        ws.write_string(r, 2, i.kind.to_string())?;
        ws.write_string(r, 3, i.lead.join("、"))?;
        ws.write_string(r, 4, i.units.join("、"))?;
    }
    wb.save_to_buffer()
}
