//! 任务清单.xlsx: every unit's tasks and the evidence it owes, from the task-list data.

use super::style::{header_format, new_workbook, text_width};
use crate::render::data::task_list::TaskList;
use rust_xlsxwriter::{ConditionalFormatText, ConditionalFormatTextRule, Format, XlsxError};

pub fn task_workbook(lists: &[TaskList]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let h = header_format();
    let red = Format::new().set_background_color("#F6D5D1").set_font_color("#A01D10");
    let amber = Format::new().set_background_color("#FFF2CC");
    {
        let sheet = wb.add_worksheet().set_name("任务")?;
        let heads = ["责任单位", "任务", "相关指标", "责任人", "完成时限", "状态", "提醒"];
        for (c, t) in heads.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *t, &h)?;
            sheet.set_column_width(c as u16, text_width(t).max(10.0))?;
        }
        sheet.set_column_width(1, 50)?;
        let mut r = 1u32;
        for l in lists {
            for t in &l.tasks {
                let cells = [
                    l.unit.as_str(),
                    &t.task,
                    &t.indicators,
                    t.person.as_deref().unwrap_or(""),
                    &t.due,
                    &t.status,
                    t.flag,
                ];
                for (c, v) in cells.iter().enumerate() {
                    sheet.write_string(r, c as u16, *v)?;
                }
                r += 1;
            }
        }
        sheet.add_conditional_format(
            1,
            6,
            r.max(2),
            6,
            &ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::Contains("逾期".into()))
                .set_format(red.clone()),
        )?;
        sheet.add_conditional_format(
            1,
            6,
            r.max(2),
            6,
            &ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::Contains("到期".into()))
                .set_format(amber),
        )?;
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, r.saturating_sub(1).max(1), heads.len() as u16 - 1)?;
    }
    evidence_sheet(&mut wb, lists, &h, &red)?;
    progress_sheet(&mut wb, lists, &h)?;
    wb.save_to_buffer()
}

/// Every unit's evidence per point: counts, reasons for returns, deadline and state.
fn evidence_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    lists: &[TaskList],
    h: &Format,
    red: &Format,
) -> Result<(), XlsxError> {
    let sheet = wb.add_worksheet().set_name("佐证材料")?;
    let heads = [
        "牵头单位",
        "指标",
        "要点",
        "应提供材料",
        "已审核（件）",
        "待审核（件）",
        "退回（件）",
        "文件缺失",
        "退回原因",
        "完成时限",
        "状态",
        "提醒",
    ];
    for (c, t) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, h)?;
        sheet.set_column_width(c as u16, text_width(t).max(10.0))?;
    }
    sheet.set_column_width(3, 50)?;
    sheet.set_column_width(7, 30)?;
    sheet.set_column_width(8, 40)?;
    let mut r = 1u32;
    for l in lists {
        for e in &l.evidence {
            let p = &e.progress;
            sheet.write_string(r, 0, &l.unit)?;
            sheet.write_string(r, 1, &e.indicator)?;
            sheet.write_string(r, 2, &e.point)?;
            sheet.write_string(r, 3, &e.expected)?;
            sheet.write_number(r, 4, p.accepted as f64)?;
            sheet.write_number(r, 5, p.submitted as f64)?;
            sheet.write_number(r, 6, p.returned as f64)?;
            sheet.write_string(r, 7, p.absent.join("；"))?;
            sheet.write_string(r, 8, p.reasons.join("\n"))?;
            sheet.write_string(r, 9, p.due.as_deref().unwrap_or(""))?;
            sheet.write_string(r, 10, p.state)?;
            sheet.write_string(r, 11, p.flag)?;
            r += 1;
        }
    }
    for (col, word, format) in [
        (10, "缺", red.clone()),
        (10, "退回", red.clone()),
        (11, "逾期", red.clone()),
        (11, "到期", Format::new().set_background_color("#FFF2CC")),
    ] {
        sheet.add_conditional_format(
            1,
            col,
            r.max(2),
            col,
            &ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::Contains(word.into()))
                .set_format(format),
        )?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, r.saturating_sub(1).max(1), heads.len() as u16 - 1)?;
    Ok(())
}

/// One row per unit: its evidence points counted by state (issue 33 point 4).
fn progress_sheet(wb: &mut rust_xlsxwriter::Workbook, lists: &[TaskList], h: &Format) -> Result<(), XlsxError> {
    let sheet = wb.add_worksheet().set_name("佐证进度")?;
    let heads = [
        "牵头单位",
        "应交（要点）",
        "已审核",
        "已提交待审核",
        "退回",
        "尚缺",
        "7日内到期",
        "已逾期",
    ];
    for (c, t) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, h)?;
        sheet.set_column_width(c as u16, text_width(t).max(10.0))?;
    }
    for (r, l) in lists.iter().enumerate() {
        let r = r as u32 + 1;
        let p = &l.progress;
        sheet.write_string(r, 0, &l.unit)?;
        for (c, v) in [
            p.points,
            p.accepted,
            p.submitted,
            p.returned,
            p.owed,
            p.due_soon,
            p.overdue,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_number(r, c as u16 + 1, v as f64)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}
