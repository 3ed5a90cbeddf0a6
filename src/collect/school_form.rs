//! A school's fill-in form (`out/填报表/学校/<代码>-<名称>.xlsx`): its rows of 学校基础数据
//! pre-filled, only the cells it fills unlocked, the column table's notes and lists, a sheet
//! of live formulas computing its seven per-pupil indicators against the profile's standards,
//! and the hidden 填报信息 sheet.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign, FormatBorder, Formula,
    Note, Worksheet, XlsxError,
};

use super::school_checks;
use super::stamp::{self, Stamp};
use crate::model::Profile;
use crate::model::profile::ResourceParams;
use crate::model::school::columns::{COLUMNS, Column, Field, HEADERS, SHEET, Scope, Value};
use crate::model::{ResourceKey, School, Section};

/// The sheet of live formulas.
pub const CHECK_SHEET: &str = "达标自查";

pub(super) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
}

/// A cell the school fills: unlocked, pale yellow.
fn input_format(text: bool) -> Format {
    let f = Format::new()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF9DB))
        .set_border(FormatBorder::Thin);
    if text { f.set_num_format("@") } else { f }
}

/// A cell the school reads: locked, grey.
fn fixed_format() -> Format {
    Format::new()
        .set_background_color(Color::RGB(0xEDEDED))
        .set_border(FormatBorder::Thin)
        .set_num_format("@")
}

/// The form's bytes, and the stamp it carries.
pub fn render(school: &School, profile: &Profile, (county, workspace): (&str, &str)) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::render::xlsx::style::new_workbook()?;
    data_sheet(wb.add_worksheet(), school)?;
    check_sheet(wb.add_worksheet(), school, profile)?;
    let stamp = Stamp {
        county: county.to_owned(),
        workspace: workspace.to_owned(),
        version: stamp::VERSION.to_owned(),
        kind: "学校".to_owned(),
        code: school.code.clone(),
        name: school.name.clone(),
        issued: stamp::cells(school),
    };
    stamp::write(&mut wb, &stamp)?;
    wb.save_to_buffer()
}

/// Whether the school fills this column (identity columns are fixed).
fn is_input(c: &Column) -> bool {
    !matches!(c.field, Field::Code | Field::Name | Field::Kind | Field::Stage)
}

/// At most `n` characters: Excel's limits on validation titles (32) and messages (255).
fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn data_sheet(ws: &mut Worksheet, school: &School) -> Result<(), XlsxError> {
    ws.set_name(SHEET)?;
    let head = header_format();
    let last = school.sections.len() as u32;
    for (i, c) in COLUMNS.iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, c.header, &head)?;
        let width = match c.field {
            // A 10-digit code and a school's full name.
            Field::Code => 12.0,
            Field::Name => 22.0,
            _ => (c.header.chars().count() as f64 * 2.1).clamp(9.0, 18.0),
        };
        ws.set_column_width(col, width)?;
        let note = Note::new(c.template_note())
            .set_author("yingjian")
            .add_author_prefix(false);
        ws.insert_note(0, col, &note)?;
        for (r, s) in school.sections.iter().enumerate() {
            let row = r as u32 + 1;
            // School-wide figures are filled on the first row only (the column's note says so);
            // the school's name and kind, which identify each row, on every row.
            let wide_below = c.scope() == Scope::School && is_input(c) && r > 0;
            let value = if wide_below { None } else { c.value(school, Some(s)) };
            let format = if wide_below || !is_input(c) {
                fixed_format()
            } else {
                input_format(c.is_text())
            };
            match value {
                Some(Value::Number(n)) => ws.write_number_with_format(row, col, n, &format)?,
                Some(Value::Text(t)) => ws.write_string_with_format(row, col, &t, &format)?,
                None => ws.write_blank(row, col, &format)?,
            };
        }
        if is_input(c) && last > 0 {
            validate(ws, c, col, last)?;
        }
    }
    ws.set_row_height(0, 48)?;
    ws.set_freeze_panes(1, 4)?;
    ws.set_landscape();
    ws.protect();
    ws.set_active(true);
    Ok(())
}

/// The column's list, or for a figure a non-negative number; the input message gives its
/// unit and note. A figure outside warns and may be kept (the reader judges it).
fn validate(ws: &mut Worksheet, c: &Column, col: u16, last: u32) -> Result<(), XlsxError> {
    let dv = match c.choices() {
        Some(items) => DataValidation::new()
            .allow_list_strings(items)?
            .set_error_message(format!("请从下拉列表中选择：{}", items.join("、")))?,
        None if c.is_text() || c.unit.is_empty() && c.range.is_none() => DataValidation::new(),
        None => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_message(format!("{}应为不小于 0 的数字（单位：{}）", c.header, c.unit))?,
    };
    let unit = if c.unit.is_empty() {
        String::new()
    } else {
        format!("单位：{}。", c.unit)
    };
    let dv = dv
        .set_input_title(clip(c.header, 32))?
        .set_input_message(clip(&format!("{unit}{}", c.template_note()), 255))?;
    ws.add_data_validation(1, col, last, col, &dv)?;
    Ok(())
}

/// The `row`'s cell of `header` in 学校基础数据, as a formula reference.
pub(super) fn cell_ref(row: u32, header: &str) -> String {
    let col = HEADERS.iter().position(|h| *h == header).unwrap_or(0) as u32;
    format!("'{SHEET}'!{}", crate::diag::cell_name(row, col))
}

/// The formula of a resource value, as `rules::resource::value` computes it.
fn value_formula(key: ResourceKey, row: u32) -> String {
    let (a, s) = (
        cell_ref(row, key.column()),
        cell_ref(row, crate::model::school::columns::STUDENTS),
    );
    let v = match key {
        ResourceKey::EquipmentValue => format!("{a}*10000/{s}"),
        ResourceKey::BuildingArea | ResourceKey::SportsArea => format!("{a}/{s}"),
        _ => format!("{a}/{s}*100"),
    };
    format!("=IF(AND(ISNUMBER({a}),ISNUMBER({s}),N({s})>0),{v},\"\")")
}

fn check_sheet(ws: &mut Worksheet, school: &School, profile: &Profile) -> Result<(), XlsxError> {
    ws.set_name(CHECK_SHEET)?;
    let params = &profile.resource;
    let head = header_format();
    let title = Format::new().set_bold().set_font_size(13);
    let border = Format::new().set_border(FormatBorder::Thin);
    let number = border.clone().set_num_format("0.00");
    let mark = border.clone().set_align(FormatAlign::Center).set_bold();
    let formats = school_checks::Formats {
        text: border.clone(),
        number: number.clone(),
        plain: border.clone(),
        at_least: border.clone().set_num_format("\"≥ \"General"),
        at_most: border.clone().set_num_format("\"≤ \"General"),
        mark: mark.clone(),
    };
    let rules = school_checks::Rules::of(profile);
    ws.write_string_with_format(
        0,
        0,
        format!("{} 达标自查（随“{SHEET}”填写自动计算）", school.name),
        &title,
    )?;
    let headers = ["学段", "指标", "单位", "标准", "本校", "达标"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &head)?;
    }
    let mut r = 2;
    for (i, s) in school.sections.iter().enumerate() {
        let Some(stage) = s.stage else { continue };
        let data_row = i as u32 + 1;
        let first = r;
        for key in ResourceKey::ALL {
            let standard = params.standards.get(&key).map_or(0.0, |p| p.get(stage));
            ws.write_string_with_format(r, 0, stage.label(), &border)?;
            ws.write_string_with_format(r, 1, key.label(), &border)?;
            ws.write_string_with_format(r, 2, key.unit(), &border)?;
            ws.write_number_with_format(r, 3, standard, &formats.at_least)?;
            let value = crate::rules::resource::value(s, key);
            let f =
                Formula::new(value_formula(key, data_row)).set_result(value.map_or(String::new(), |v| v.to_string()));
            ws.write_formula_with_format(r, 4, f, &number)?;
            let e = crate::diag::cell_name(r, 4);
            let d = crate::diag::cell_name(r, 3);
            let cached = cached_mark(s, key, standard);
            let f = Formula::new(format!("=IF({e}=\"\",\"待填\",IF({e}>={d},\"✓\",\"×\"))")).set_result(cached);
            ws.write_formula_with_format(r, 5, f, &mark)?;
            r += 1;
        }
        let range = format!(
            "{}:{}",
            crate::diag::cell_name(first, 5),
            crate::diag::cell_name(r - 1, 5)
        );
        ws.write_string_with_format(r, 1, "达标项数（共 7 项）", &border)?;
        let met = ResourceKey::ALL
            .iter()
            .filter(|k| cached_mark(s, **k, params.standards.get(k).map_or(0.0, |p| p.get(stage))) == "✓")
            .count();
        let f = Formula::new(format!("=COUNTIF({range},\"✓\")")).set_result(met.to_string());
        ws.write_formula_with_format(r, 5, f, &mark)?;
        ws.write_string(r + 1, 1, requirement(params))?;
        r = school_checks::stage_rows(ws, r + 3, school, (s, stage, data_row), &rules, &formats)? + 1;
    }
    let end = school_checks::school_rows(ws, r, school, &rules, &formats)?;
    if end > r || rules_named(&rules) {
        ws.write_string(end + 1, 0, school_checks::NOTE)?;
    }
    ws.set_column_width(0, 8)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 8)?;
    ws.set_column_width(3, 12)?;
    ws.set_column_width(4, 12)?;
    ws.set_column_width(5, 8)?;
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    ws.protect();
    Ok(())
}

fn rules_named(r: &school_checks::Rules) -> bool {
    r.staffing.is_some() || r.class_size.is_some()
}

/// The per-school rule of the profile in words (教督〔2017〕6号 第六条: at least 6 of 7, the
/// rest not below 85%; 赣教督委字〔2018〕6号: all 7).
fn requirement(p: &ResourceParams) -> String {
    if p.min_items_met >= ResourceKey::ALL.len() {
        return "要求：7 项全部达到标准".to_owned();
    }
    format!(
        "要求：至少 {} 项达到标准，其余不低于标准的 {}%",
        p.min_items_met,
        crate::model::school::columns::figure(p.floor_ratio * 100.0)
    )
}

/// ✓, × or 待填, as the formula computes it from the issued values.
fn cached_mark(s: &Section, key: ResourceKey, standard: f64) -> String {
    match crate::rules::resource::value(s, key) {
        None => "待填".to_owned(),
        Some(v) if v >= standard => "✓".to_owned(),
        Some(_) => "×".to_owned(),
    }
}
