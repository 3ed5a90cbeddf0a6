//! A unit's form (`out/填报表/单位/<单位>.xlsx`): the indicators it leads (the profile's lead
//! units, or units.yaml's names for them) with the county figures and verdict as they stand,
//! and a column for the unit to confirm or correct them; a sheet 县级数据 holds the figures
//! of content/county.yaml those indicators read, as inputs the unit corrects, and a hidden
//! sheet the values they were issued with (`merge` compares the return with both); a sheet
//! 佐证材料 lists the evidence the unit owes and takes the items it sends (`evidence_sheet`).

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::stamp::{self, Stamp};
use crate::rules::assessment::IndicatorResult;

use super::school_form::header_format;

const HEADERS: [&str; 6] = [
    "指标",
    "名称",
    "类型",
    "当前判定",
    "县级数据（现状）",
    "核实意见（请填写）",
];

/// The indicators `unit` leads, in the profile's order.
pub fn led<'a>(unit: &str, indicators: &'a [IndicatorResult]) -> Vec<&'a IndicatorResult> {
    indicators.iter().filter(|i| i.lead.iter().any(|l| l == unit)).collect()
}

pub fn render(
    unit: &str,
    indicators: &[&IndicatorResult],
    workspace_data: &crate::model::Workspace,
    assessment: &crate::Assessment,
    (county, workspace): (&str, &str),
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = crate::render::xlsx::style::new_workbook()?;
    sheet(wb.add_worksheet(), unit, indicators)?;
    let ids: Vec<&str> = indicators.iter().map(|i| i.id.as_str()).collect();
    let fields = match &workspace_data.config {
        Some(c) => super::county_fields::for_indicators(&ids, &workspace_data.profile, c),
        None => vec![],
    };
    let sections = match &workspace_data.config {
        Some(c) => super::county_items::sections(unit, &ids, &workspace_data.profile, c),
        None => vec![],
    };
    let doc = super::unit_merge::current(workspace_data.config.as_ref());
    super::unit_sheet::write(&mut wb, unit, &fields, &sections, &doc)?;
    super::evidence_sheet::write(wb.add_worksheet(), unit, indicators, workspace_data, assessment)?;
    let stamp = Stamp {
        county: county.to_owned(),
        workspace: workspace.to_owned(),
        version: stamp::VERSION.to_owned(),
        kind: "单位".to_owned(),
        code: unit.to_owned(),
        name: unit.to_owned(),
        issued: vec![],
    };
    stamp::write(&mut wb, &stamp)?;
    wb.save_to_buffer()
}

fn sheet(ws: &mut Worksheet, unit: &str, indicators: &[&IndicatorResult]) -> Result<(), XlsxError> {
    ws.set_name("牵头指标")?;
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let input = wrap.clone().set_unlocked().set_background_color(Color::RGB(0xFFF9DB));
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{unit} 牵头指标核实表：请核对县级数据，有误的数值请在“县级数据”表中直接修改，最后一列写明核实意见和依据"
        ),
        &Format::new().set_bold().set_font_size(13),
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &header_format())?;
    }
    for (i, r) in indicators.iter().enumerate() {
        let row = i as u32 + 2;
        ws.write_string_with_format(row, 0, &r.id, &wrap)?;
        ws.write_string_with_format(row, 1, &r.name, &wrap)?;
        ws.write_string_with_format(row, 2, r.kind.to_string(), &wrap)?;
        ws.write_string_with_format(row, 3, r.verdict.label(), &wrap)?;
        let mut facts = r.summary.clone();
        for reason in &r.reasons {
            facts.push('\n');
            facts.push_str(reason);
        }
        ws.write_string_with_format(row, 4, &facts, &wrap)?;
        ws.write_blank(row, 5, &input)?;
    }
    for (c, w) in [8.0, 36.0, 6.0, 10.0, 60.0, 40.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.set_freeze_panes(2, 0)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.protect();
    Ok(())
}
