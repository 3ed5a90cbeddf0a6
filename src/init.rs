//! `yingjian new`: a fresh workspace with blank data-entry sheets and a commented config.

use rust_xlsxwriter::{DataValidation, Format, Formula, Note, Worksheet, XlsxError};
use std::path::Path;

use crate::diag::AppError;
use crate::model::evidence::columns as evidence;
use crate::model::profile;
use crate::model::school::{Locale, columns as schools};
use crate::model::{Profile, SchoolKind};
use crate::paths;
use crate::render::xlsx::style::{header_format, new_workbook, text_width};

const CONFIG_TEMPLATE: &str = include_str!("../templates/workspace/county.yaml");
const SCORES_TEMPLATE: &str = include_str!("../templates/workspace/scores.yaml");
const TASKS_TEMPLATE: &str = include_str!("../templates/workspace/tasks.yaml");

/// Rows prepared with validation lists in the blank sheets.
const INPUT_ROWS: u32 = 2000;

// `yingjian new` ends every failure with exit code 2, as it always has.
fn write_error(e: std::io::Error) -> AppError {
    AppError::usage(format!("写入文件失败：{e}"))
}

fn sheet_error(e: XlsxError) -> AppError {
    AppError::usage(format!("生成表格失败：{e}"))
}

/// Creates the workspace at `dir` (which must not exist or be empty) for `profile_id`.
pub fn create(dir: &Path, profile_id: &str, year: i32, today: &str) -> Result<(), AppError> {
    if dir.exists() && std::fs::read_dir(dir).map_err(write_error)?.next().is_some() {
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
        std::fs::create_dir_all(dir.join(sub)).map_err(write_error)?;
    }
    let config = CONFIG_TEMPLATE
        .replace("{{PROFILE}}", profile_id)
        .replace("{{YEAR}}", &year.to_string())
        .replace("{{TODAY}}", today);
    let units = units_yaml(&profile);
    let files: [(&str, &[u8]); 7] = [
        (paths::CONFIG, config.as_bytes()),
        (paths::UNITS, units.as_bytes()),
        (paths::SCORES, SCORES_TEMPLATE.as_bytes()),
        (paths::TASKS, TASKS_TEMPLATE.as_bytes()),
        (".gitignore", b"/out/\n"),
        (paths::SCHOOLS, &schools),
        (paths::EVIDENCE, &evidence),
    ];
    for (rel, bytes) in files {
        std::fs::write(dir.join(rel), bytes).map_err(write_error)?;
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

const SCHOOL_NOTES: [(&str, &str); 26] = [
    (schools::CODE, "10 位学校标识码；一贯制学校各学段行填同一代码"),
    (schools::NAME, "学校全称，与公章一致"),
    (schools::KIND, "一贯制学校按小学、初中各填一行；完全中学只填初中行"),
    (schools::STAGE, "小学 或 初中；特殊教育学校留空"),
    (
        schools::LOCALE,
        "城区、镇区或乡村；乡村小学不足 100 人按 100 人核定公用经费",
    ),
    (
        schools::BUILT,
        "如 2009-09、2009年9月 或 200909；2018年9月前建成的超规模学校适用 120% 过渡标准",
    ),
    (schools::STUDENTS, "该学段在校生人数，必须大于 0"),
    (schools::CLASSES, "该学段教学班数"),
    (schools::MAX_CLASS, "该学段人数最多的班级的学生数"),
    (schools::TEACHERS, "该学段专任教师人数"),
    (schools::CERTIFIED, "专任教师中持有教师资格证的人数"),
    (schools::DEGREE, "小学：大专及以上学历；初中：本科及以上学历"),
    (schools::BACKBONE, "县级及以上骨干教师（含学科带头人）人数"),
    (schools::PE_ART, "体育、音乐、美术专任教师合计"),
    (
        schools::BUILDING,
        "教学及辅助用房面积（平方米）；一贯制学校只有合计时见 county.yaml 的拆分选项",
    ),
    (schools::SPORTS, "体育运动场馆面积（平方米）"),
    (schools::EQUIPMENT, "单位：万元（程序换算为生均元）"),
    (schools::MULTIMEDIA, "网络多媒体教室间数"),
    (
        schools::MUSIC_ROOMS,
        "全校音乐专用教室间数；全校性数据，一贯制学校只填第一行",
    ),
    (
        schools::MUSIC_AREA,
        "各间音乐专用教室中面积最小的一间（平方米）；全校性数据，一贯制学校只填第一行",
    ),
    (
        schools::ART_ROOMS,
        "全校美术专用教室间数；全校性数据，一贯制学校只填第一行",
    ),
    (
        schools::ART_AREA,
        "各间美术专用教室中面积最小的一间（平方米）；全校性数据",
    ),
    (schools::BUDGET, "全校年度公用经费预算（万元）；一贯制学校只填第一行"),
    (
        schools::TRAINING,
        "全校年度教师培训经费（万元），应不低于公用经费预算的 5%",
    ),
    (
        schools::STAFF,
        "可选：该学段教职工人数（在编在岗）。用于师生比（小学 1:19、初中 1:13.5）；不填时按专任教师数计算",
    ),
    (
        schools::SENIOR,
        "可选：完全中学、十二年一贯制学校高中部在校生数，填在该校第一行；设施按全校合计填写时用于拆出高中部份额",
    ),
];

fn schools_template() -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let ws = wb.add_worksheet().set_name(schools::SHEET)?;
    write_headers(ws, &schools::HEADERS, &SCHOOL_NOTES)?;
    let h = &schools::HEADERS;
    list(ws, col_of(h, schools::KIND), "办学类型", &SchoolKind::LABELS)?;
    list(ws, col_of(h, schools::STAGE), "学段", &["小学", "初中"])?;
    list(ws, col_of(h, schools::LOCALE), "城乡类型", &Locale::LABELS)?;
    // Codes are text: a 10-digit number would otherwise lose leading zeros.
    ws.set_column_format(col_of(h, schools::CODE), &Format::new().set_num_format("@"))?;
    ws.set_column_format(col_of(h, schools::BUILT), &Format::new().set_num_format("@"))?;
    wb.save_to_buffer()
}

fn evidence_template(p: &Profile) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let notes = [
        ("指标", "指标编号，如 A12；可从下拉列表选择，编号见“指标列表”工作表"),
        ("要点", "评估要点序号：1、2、3……"),
        ("日期", "成文日期，写成 20261103 或 2026-11-03"),
        ("页数", "PDF 文件可留空，由程序计数；其他文件请填写"),
        ("文件", "evidence 目录下的相对路径，如 A12/校额统计表.pdf"),
        ("责任单位", "与 units.yaml 中的单位简称一致"),
    ];
    let ids: Vec<&str> = p.indicators.iter().map(|i| i.id.as_str()).collect();
    let n = ids.len() as u32;
    {
        let ws = wb.add_worksheet().set_name(evidence::SHEET)?;
        write_headers(ws, &evidence::HEADERS, &notes)?;
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
