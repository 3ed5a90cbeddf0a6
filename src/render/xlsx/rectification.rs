//! 缺口测算与调剂建议.xlsx: every shortfall per school and item, the transfers with the values
//! before and after, and the coefficient plans.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::style::{header_format, new_workbook, text_width};
use crate::render::data::rectification::{pass_label, stage_text, standard_text};
use crate::rules::Assessment;
use crate::rules::gaps::Gap;

fn headers(sheet: &mut Worksheet, heads: &[&str], wide: &[(u16, f64)]) -> Result<(), XlsxError> {
    let h = header_format();
    for (c, t) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, &h)?;
        sheet.set_column_width(c as u16, text_width(t).clamp(8.0, 16.0))?;
    }
    for (c, w) in wide {
        sheet.set_column_width(*c, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // Printed landscape, one page wide.
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

fn number(sheet: &mut Worksheet, r: u32, c: u16, v: f64, f: &Format) -> Result<(), XlsxError> {
    if v.is_finite() {
        sheet.write_number_with_format(r, c, v, f)?;
    }
    Ok(())
}

pub fn workbook(a: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let n2 = Format::new().set_num_format("0.00");
    let n0 = Format::new().set_num_format("0");
    gaps_sheet(wb.add_worksheet().set_name("缺口测算")?, &a.gaps, &n2)?;
    transfers_sheet(wb.add_worksheet().set_name("调剂建议")?, a, &n0)?;
    cv_sheet(wb.add_worksheet().set_name("差异系数测算")?, a, &n2)?;
    wb.save_to_buffer()
}

fn gaps_sheet(sheet: &mut Worksheet, gaps: &[Gap], n2: &Format) -> Result<(), XlsxError> {
    let heads = [
        "学校代码",
        "学校名称",
        "学段",
        "项目",
        "相关指标",
        "现值",
        "要求",
        "标准",
        "计量单位",
        "现有",
        "应有",
        "缺口",
        "缺口单位",
        "判定",
        "最小达标组合",
        "达标所需",
        "调剂",
        "说明",
    ];
    headers(sheet, &heads, &[(1, 24.0), (3, 30.0), (16, 30.0), (17, 50.0)])?;
    for (i, g) in gaps.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, &g.school_code)?;
        sheet.write_string(r, 1, &g.school_name)?;
        sheet.write_string(r, 2, stage_text(g.stage))?;
        sheet.write_string(r, 3, &g.item)?;
        sheet.write_string(r, 4, g.indicators.join("、"))?;
        number(sheet, r, 5, g.value, n2)?;
        sheet.write_string(
            r,
            6,
            if standard_text(g).starts_with('≤') {
                "≤"
            } else {
                "≥"
            },
        )?;
        number(sheet, r, 7, g.standard, n2)?;
        sheet.write_string(r, 8, g.value_unit)?;
        number(sheet, r, 9, g.amount, n2)?;
        number(sheet, r, 10, g.required, n2)?;
        number(sheet, r, 11, g.shortfall, n2)?;
        sheet.write_string(r, 12, g.unit)?;
        sheet.write_string(r, 13, g.verdict.label())?;
        let cheapest = match g.cheapest_set {
            Some(true) => "是",
            Some(false) => "否",
            None => "",
        };
        sheet.write_string(r, 14, cheapest)?;
        if let Some(t) = g.to_pass {
            number(sheet, r, 15, t, n2)?;
        }
        sheet.write_string(r, 16, g.transfer.as_deref().unwrap_or(""))?;
        sheet.write_string(r, 17, g.note.as_deref().unwrap_or(""))?;
    }
    if !gaps.is_empty() {
        sheet.autofilter(0, 0, gaps.len() as u32, heads.len() as u16 - 1)?;
    }
    Ok(())
}

fn transfers_sheet(sheet: &mut Worksheet, a: &Assessment, n0: &Format) -> Result<(), XlsxError> {
    let heads = [
        "学段",
        "项目",
        "调出学校代码",
        "调出学校",
        "调入学校代码",
        "调入学校",
        "人数",
        "调出校调剂前",
        "调出校调剂后",
        "调入校调剂前",
        "调入校调剂后",
        "调出校达标（前→后）",
        "调入校达标（前→后）",
    ];
    headers(sheet, &heads, &[(1, 30.0), (3, 24.0), (5, 24.0)])?;
    let n2 = Format::new().set_num_format("0.00");
    if a.transfers.is_empty() {
        sheet.write_string(1, 0, "没有可在学段内调剂补足的教师缺口")?;
    }
    for (i, t) in a.transfers.iter().enumerate() {
        let r = i as u32 + 1;
        let effect = a.transfer_effects.iter().find(|e| e.stage == t.stage);
        let school = |code: &str| effect.and_then(|e| e.schools.iter().find(|s| s.code == code));
        sheet.write_string(r, 0, t.stage.label())?;
        sheet.write_string(r, 1, t.key.label())?;
        sheet.write_string(r, 2, &t.from)?;
        sheet.write_string(r, 3, &t.from_name)?;
        sheet.write_string(r, 4, &t.to)?;
        sheet.write_string(r, 5, &t.to_name)?;
        number(sheet, r, 6, t.count as f64, n0)?;
        for (c, code, after) in [
            (7, &t.from, false),
            (8, &t.from, true),
            (9, &t.to, false),
            (10, &t.to, true),
        ] {
            let v = school(code).and_then(|s| if after { s.after[&t.key] } else { s.before[&t.key] });
            if let Some(v) = v {
                number(sheet, r, c, v, &n2)?;
            }
        }
        for (c, code) in [(11, &t.from), (12, &t.to)] {
            if let Some(s) = school(code) {
                sheet.write_string(
                    r,
                    c,
                    format!("{} → {}", pass_label(s.pass_before), pass_label(s.pass_after)),
                )?;
            }
        }
    }
    Ok(())
}

fn cv_sheet(sheet: &mut Worksheet, a: &Assessment, n2: &Format) -> Result<(), XlsxError> {
    let h = header_format();
    let n3 = Format::new().set_num_format("0.000");
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_column_width(1, 30.0)?;
    sheet.set_column_width(3, 24.0)?;
    let mut r = 0u32;
    sheet.write_string_with_format(r, 0, "调剂前后差异系数", &h)?;
    r += 1;
    for (c, t) in ["学段", "项目", "调剂前", "调剂后"].iter().enumerate() {
        sheet.write_string_with_format(r, c as u16, *t, &h)?;
    }
    r += 1;
    if a.transfer_effects.is_empty() {
        sheet.write_string(r, 0, "没有调剂建议")?;
        r += 1;
    }
    for e in &a.transfer_effects {
        for (key, before) in &e.cv_before {
            sheet.write_string(r, 0, e.stage.label())?;
            sheet.write_string(r, 1, key.label())?;
            if let Some(v) = before {
                number(sheet, r, 2, *v, &n3)?;
            }
            if let Some(v) = e.cv_after[key] {
                number(sheet, r, 3, v, &n3)?;
            }
            r += 1;
        }
    }
    r += 1;
    sheet.write_string_with_format(
        r,
        0,
        "差异系数超出上限时的最少补充量（从最低的学校起补齐到同一水平）",
        &h,
    )?;
    r += 1;
    let heads = [
        "学段",
        "项目",
        "学校代码",
        "学校名称",
        "现值",
        "补充量",
        "单位",
        "补充后",
        "差异系数",
        "上限",
        "补充后差异系数",
        "说明",
    ];
    for (c, t) in heads.iter().enumerate() {
        sheet.write_string_with_format(r, c as u16, *t, &h)?;
    }
    r += 1;
    if a.cv_remedies.is_empty() {
        sheet.write_string(r, 0, "各项差异系数均未超出上限")?;
    }
    for p in &a.cv_remedies {
        for s in &p.schools {
            sheet.write_string(r, 0, p.stage.label())?;
            sheet.write_string(r, 1, p.key.label())?;
            sheet.write_string(r, 2, &s.code)?;
            sheet.write_string(r, 3, &s.name)?;
            number(sheet, r, 4, s.value, n2)?;
            number(sheet, r, 5, s.add, n2)?;
            sheet.write_string(r, 6, p.unit)?;
            number(sheet, r, 7, s.value_after, n2)?;
            number(sheet, r, 8, p.cv, &n3)?;
            number(sheet, r, 9, p.limit, n2)?;
            number(sheet, r, 10, p.cv_after, &n3)?;
            sheet.write_string(r, 11, p.note.as_deref().unwrap_or(""))?;
            r += 1;
        }
    }
    Ok(())
}
