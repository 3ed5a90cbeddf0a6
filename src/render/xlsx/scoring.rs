//! 评分自查表.xlsx: one row per assessment point, a live B total, the veto items.

use rust_xlsxwriter::{ConditionalFormatText, ConditionalFormatTextRule, Format, XlsxError};

use super::style::{header_format, new_workbook};
use crate::render::data::scoring::ScoringTable;
use crate::rules::fmt_num;

pub fn scoring_workbook(t: &ScoringTable) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let sheet = wb.add_worksheet().set_name("评分自查表")?;
    let heads = [
        "类别",
        "编号",
        "指标",
        "类型",
        "评估要点",
        "分值",
        "自评得分",
        "计入得分",
        "判定",
        "依据",
    ];
    let h = header_format();
    for (c, t) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, &h)?;
    }
    for (c, w) in [12.0, 7.0, 30.0, 6.0, 60.0, 7.0, 9.0, 9.0, 9.0, 60.0]
        .iter()
        .enumerate()
    {
        sheet.set_column_width(c as u16, *w)?;
    }
    let wrap = Format::new().set_text_wrap();
    let mut r = 1u32;
    for i in &t.rows {
        for (k, p) in i.points.iter().enumerate() {
            sheet.write_string(r, 0, &i.category)?;
            sheet.write_string(r, 1, &i.id)?;
            sheet.write_string(r, 2, &i.name)?;
            sheet.write_string(r, 3, &i.kind)?;
            sheet.write_string_with_format(r, 4, format!("{}. {}", p.id, p.text), &wrap)?;
            if let Some(m) = p.max.0 {
                sheet.write_number(r, 5, m)?;
            }
            if let Some(s) = p.score.0 {
                sheet.write_number(r, 6, s)?;
            }
            // A point whose data rule fails counts 0, whatever its self-score.
            if let Some(c) = p.counted.0 {
                sheet.write_number(r, 7, c)?;
            }
            if k == 0 {
                sheet.write_string(r, 8, &i.verdict)?;
                sheet.write_string_with_format(r, 9, &i.basis, &wrap)?;
            }
            r += 1;
        }
    }
    if t.b_max > 0.0 {
        let bold = Format::new().set_bold();
        sheet.write_string_with_format(r, 2, "B 类指标合计", &bold)?;
        // Live totals of the self-scores and of what counts, cached with the engine's sums.
        sheet.write_formula_with_format(
            r,
            6,
            rust_xlsxwriter::Formula::new(format!("=SUM(G2:G{r})")).set_result(format!("{}", t.self_total)),
            &bold,
        )?;
        sheet.write_formula_with_format(
            r,
            7,
            rust_xlsxwriter::Formula::new(format!("=SUM(H2:H{r})")).set_result(format!("{}", t.counted_total)),
            &bold,
        )?;
        if let Some(mark) = t.pass_mark {
            sheet.write_string(r, 9, format!("{} 分以上为达标（按计入得分）", fmt_num(mark)))?;
        }
        r += 1;
    }
    let red = Format::new().set_background_color("#F6D5D1").set_font_color("#A01D10");
    sheet.add_conditional_format(
        1,
        8,
        r,
        8,
        &ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains("未达标".into()))
            .set_format(red),
    )?;
    sheet.set_freeze_panes(1, 3)?;
    sheet.autofilter(0, 0, r.saturating_sub(1).max(1), heads.len() as u16 - 1)?;
    let veto = wb.add_worksheet().set_name("一票否决")?;
    for (c, t) in ["编号", "否决情形", "申报"].iter().enumerate() {
        veto.write_string_with_format(0, c as u16, *t, &h)?;
    }
    veto.set_column_width(1, 50)?;
    for (k, v) in t.veto.iter().enumerate() {
        let r = k as u32 + 1;
        veto.write_string(r, 0, &v.id)?;
        veto.write_string(r, 1, &v.text)?;
        veto.write_string(r, 2, v.state)?;
    }
    wb.save_to_buffer()
}
