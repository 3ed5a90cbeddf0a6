//! 评分自查表, 学校实地督查表 and 任务清单: the data their templates draw, and their workbooks.

use rust_xlsxwriter::{ConditionalFormatText, ConditionalFormatTextRule, Format, Workbook, XlsxError};
use serde_json::{Value, json};
use std::path::Path;

use crate::model::{IndicatorType, ResourceKey, School, SchoolKind, Stage, Workspace};
use crate::rules::assess::Assessment;
use crate::rules::resource::value;
use crate::rules::{Verdict, fmt_num};
use crate::workspace::text_width;

fn county(ws: &Workspace) -> String {
    ws.config
        .as_ref()
        .map(|c| c.county.clone())
        .unwrap_or_else(|| "本县".into())
}

fn state(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "met",
        Verdict::NotMet => "not_met",
        Verdict::Pending => "pending",
    }
}

/// 评分自查表: every indicator with its verdict or score and the figures behind it.
pub fn scoring(ws: &Workspace, a: &Assessment) -> Value {
    let rows: Vec<Value> = a
        .indicators
        .iter()
        .map(|i| {
            let result = match i.kind {
                IndicatorType::A => i.verdict.label().to_owned(),
                IndicatorType::B => i.score.map(fmt_num).unwrap_or_default(),
            };
            let basis: Vec<&str> = std::iter::once(i.summary.as_str()).chain(i.reasons.iter().map(String::as_str)).collect();
            json!({
                "category": i.category, "id": i.id, "name": i.name, "type": i.kind.to_string(),
                "max": i.max_score.map(fmt_num).unwrap_or_default(),
                "result": result, "state": state(i.verdict),
                "points": i.points.iter().map(|p| json!({"id": p.id, "text": p.text, "max": p.max.map(fmt_num).unwrap_or_default(), "score": p.score.map(fmt_num).unwrap_or_default()})).collect::<Vec<_>>(),
                "basis": basis.join("；"),
            })
        })
        .collect();
    let b = a.b_pass_mark.filter(|_| a.b_max > 0.0).map(|mark| {
        json!({
            "total": fmt_num(a.b_total), "max": fmt_num(a.b_max), "mark": fmt_num(mark),
            "state": match a.b_pass { Some(true) => "达标", Some(false) => "未达标", None => "待核实" },
        })
    });
    let count = |k: IndicatorType, v: Verdict| a.indicators.iter().filter(|i| i.kind == k && i.verdict == v).count();
    json!({
        "title": format!("{}义务教育优质均衡发展评分自查表", county(ws)),
        "profile": format!("{}（{}）", a.profile.name, a.profile.source),
        "date": ws.config.as_ref().map(|c| format!("{}年{}月{}日", c.today.year, c.today.month, c.today.day)).unwrap_or_default(),
        "rows": rows,
        "a_summary": format!("A 类指标 {} 项：达标 {} 项，未达标 {} 项，待核实 {} 项。",
            a.indicators.iter().filter(|i| i.kind == IndicatorType::A).count(),
            count(IndicatorType::A, Verdict::Met), count(IndicatorType::A, Verdict::NotMet), count(IndicatorType::A, Verdict::Pending)),
        "b": b,
        "veto": a.veto.iter().map(|v| json!({"id": v.id, "text": v.text, "state": match v.present { Some(true) => "存在", Some(false) => "无", None => "未申报" }})).collect::<Vec<_>>(),
        "overall": a.overall.verdict.label(),
        "overall_reasons": a.overall.reasons,
    })
}

pub fn scoring_workbook(ws: &Workspace, a: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&crate::workspace::fixed_properties()?);
    let sheet = wb.add_worksheet().set_name("评分自查表")?;
    let heads = [
        "类别",
        "编号",
        "指标",
        "类型",
        "评估要点",
        "分值",
        "自评得分",
        "判定",
        "依据",
    ];
    let h = crate::workspace::header_format();
    for (c, t) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, &h)?;
    }
    for (c, w) in [12.0, 7.0, 30.0, 6.0, 60.0, 7.0, 9.0, 9.0, 60.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    let wrap = Format::new().set_text_wrap();
    let mut r = 1u32;
    for i in &a.indicators {
        for (k, p) in i.points.iter().enumerate() {
            sheet.write_string(r, 0, &i.category)?;
            sheet.write_string(r, 1, &i.id)?;
            sheet.write_string(r, 2, &i.name)?;
            sheet.write_string(r, 3, i.kind.to_string())?;
            sheet.write_string_with_format(r, 4, format!("{}. {}", p.id, p.text), &wrap)?;
            if let Some(m) = p.max {
                sheet.write_number(r, 5, m)?;
            }
            if let Some(s) = p.score {
                sheet.write_number(r, 6, s)?;
            }
            if k == 0 {
                let result = if i.kind == IndicatorType::A {
                    i.verdict.label().to_owned()
                } else {
                    String::new()
                };
                sheet.write_string(r, 7, result)?;
                let basis: Vec<&str> = std::iter::once(i.summary.as_str())
                    .chain(i.reasons.iter().map(String::as_str))
                    .collect();
                sheet.write_string_with_format(r, 8, basis.join("；"), &wrap)?;
            }
            r += 1;
        }
    }
    if a.b_max > 0.0 {
        let bold = Format::new().set_bold();
        sheet.write_string_with_format(r, 2, "B 类指标合计", &bold)?;
        // Live total of the self-scores above, cached with the engine's sum.
        sheet.write_formula_with_format(
            r,
            6,
            rust_xlsxwriter::Formula::new(format!("=SUM(G2:G{r})")).set_result(format!("{}", a.b_total)),
            &bold,
        )?;
        if let Some(mark) = a.b_pass_mark {
            sheet.write_string(r, 8, format!("{} 分以上为达标", fmt_num(mark)))?;
        }
        r += 1;
    }
    let red = Format::new().set_background_color("#F6D5D1").set_font_color("#A01D10");
    sheet.add_conditional_format(
        1,
        7,
        r,
        7,
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
    for (k, v) in a.veto.iter().enumerate() {
        let r = k as u32 + 1;
        veto.write_string(r, 0, &v.id)?;
        veto.write_string(r, 1, &v.text)?;
        veto.write_string(
            r,
            2,
            match v.present {
                Some(true) => "存在",
                Some(false) => "无",
                None => "未申报",
            },
        )?;
    }
    let _ = ws;
    wb.save_to_buffer()
}

/// Inputs and standard wording of the seven resource items, as on seed 000 附件2.
fn resource_line(key: ResourceKey, sec: &crate::model::Section, std: f64) -> (String, String) {
    let students = fmt_num(sec.students);
    let n = |v: Option<f64>| v.map(fmt_num).unwrap_or_else(|| "—".into());
    let inputs = match key {
        ResourceKey::DegreeTeachers => format!("教师数 {}，学生数 {students}", n(sec.degree_teachers)),
        ResourceKey::BackboneTeachers => format!("骨干教师数 {}，学生数 {students}", n(sec.backbone_teachers)),
        ResourceKey::PeArtTeachers => format!("专任教师数 {}，学生数 {students}", n(sec.pe_art_teachers)),
        ResourceKey::BuildingArea => format!("面积 {} 平方米，学生数 {students}", n(sec.building_area)),
        ResourceKey::SportsArea => format!("面积 {} 平方米，学生数 {students}", n(sec.sports_area)),
        ResourceKey::EquipmentValue => format!("设备值 {} 万元，学生数 {students}", n(sec.equipment_wan)),
        ResourceKey::MultimediaRooms => format!("多媒体教室 {} 间，学生数 {students}", n(sec.multimedia_rooms)),
    };
    let unit = key.unit();
    let standard = format!("≥ {} {unit}", fmt_num(std));
    (standard, inputs)
}

/// 学校实地督查表 of one school (seed 000 附件2).
pub fn school_form(ws: &Workspace, a: &Assessment, school: &School) -> Value {
    let kinds = [
        (
            "小学",
            matches!(school.kind, SchoolKind::Primary | SchoolKind::TeachingPoint),
        ),
        ("初中", school.kind == SchoolKind::Junior),
        ("完全中学", school.kind == SchoolKind::Complete),
        ("九年一贯制", school.kind == SchoolKind::NineYear),
        ("十二年一贯制", school.kind == SchoolKind::TwelveYear),
        ("特殊学校", school.kind == SchoolKind::Special),
    ];
    let mut resource = vec![];
    for sec in &school.sections {
        let Some(stage) = sec.stage else { continue };
        let st = match stage {
            Stage::Primary => &a.resource.primary,
            Stage::Junior => &a.resource.junior,
        };
        let excluded = st.excluded.iter().find(|e| e.code == school.code);
        for key in ResourceKey::ALL {
            let std = st.standards[&key];
            let (standard, inputs) = resource_line(key, sec, std);
            let v = value(sec, key);
            let mark = match (excluded, v) {
                (Some(_), _) => "不参与",
                (None, Some(v)) if crate::rules::at_least(v, std) => "✓",
                (None, Some(_)) => "×",
                (None, None) => "待核实",
            };
            let shown = v
                .map(|v| {
                    if key == ResourceKey::EquipmentValue {
                        format!("{v:.0}")
                    } else {
                        format!("{v:.2}")
                    }
                })
                .unwrap_or_else(|| "—".into());
            resource.push(json!({
                "stage": stage.label(), "item": key.label(), "standard": standard, "inputs": inputs,
                "value": format!("{shown} {}", key.unit()), "mark": mark,
            }));
        }
    }
    let mut gov = vec![];
    for i in &a.indicators {
        let Some(check) = i.rule.as_deref().and_then(|r| a.checks.get(r)) else {
            continue;
        };
        for f in check.schools.iter().filter(|f| f.code == school.code) {
            let mark = match f.verdict {
                Verdict::Met => "✓",
                Verdict::NotMet => "×",
                Verdict::Pending => "待核实",
            };
            let stage = f.stage.map(|s| format!("（{}）", s.label())).unwrap_or_default();
            gov.push(json!({"item": format!("{}{stage}", i.name), "standard": f.standard, "measured": f.measured, "mark": mark, "note": f.note}));
        }
    }
    json!({
        "county": county(ws),
        "name": school.name,
        "code": school.code,
        "classes": school.classes().map(fmt_num).unwrap_or_else(|| "—".into()),
        "students": fmt_num(school.students()),
        "teachers": school.sections.iter().map(|s| s.teachers).sum::<Option<f64>>().map(fmt_num).unwrap_or_else(|| "—".into()),
        "kinds": kinds.iter().map(|(k, t)| json!({"label": k, "ticked": t})).collect::<Vec<_>>(),
        "resource": resource,
        "gov": gov,
        "date": ws.config.as_ref().map(|c| format!("{}年{}月{}日", c.today.year, c.today.month, c.today.day)).unwrap_or_default(),
    })
}

/// Evidence a unit owes for the indicators it leads: per assessment point, what the profile
/// expects and what the catalogue lists (a listed file that is absent counts as missing).
fn evidence_status(root: &Path, ws: &Workspace, ids: &[String]) -> Vec<Value> {
    let mut out = vec![];
    for id in ids {
        let Some(ind) = ws.profile.indicators.iter().find(|i| &i.id == id) else {
            continue;
        };
        for p in &ind.points {
            let items: Vec<&crate::model::EvidenceItem> = ws
                .evidence
                .iter()
                .filter(|e| &e.indicator == id && e.point == p.id)
                .collect();
            let present = |e: &&crate::model::EvidenceItem| {
                e.file.as_ref().is_none_or(|f| root.join("evidence").join(f).is_file())
            };
            let absent: Vec<String> = items.iter().filter(|e| !present(e)).map(|e| e.title.clone()).collect();
            let provided = items.len() - absent.len();
            let state = if provided == 0 {
                "缺"
            } else if !absent.is_empty() {
                "部分缺失"
            } else {
                "已提供"
            };
            out.push(json!({
                "indicator": id, "point": p.id, "expected": p.evidence.join("；"),
                "provided": provided, "absent": absent, "state": state,
            }));
        }
    }
    out
}

/// 任务清单 of one unit: its indicators, evidence owed and tasks with deadline marks.
pub fn task_list(root: &Path, ws: &Workspace, a: &Assessment, unit: &crate::model::Unit) -> Value {
    let leads = unit.leads.clone().unwrap_or_default();
    let supports = unit.supports.clone().unwrap_or_default();
    let ind = |id: &String| {
        a.indicators
            .iter()
            .find(|i| &i.id == id)
            .map(|i| json!({"id": i.id, "name": i.name, "verdict": i.verdict.label(), "state": state(i.verdict)}))
    };
    let tasks: Vec<Value> = a
        .tasks
        .iter()
        .filter(|t| t.unit == unit.name)
        .map(|t| {
            let status = serde_json::to_value(t.status).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let flag = if t.overdue { "已逾期" } else if t.due_soon { "7日内到期" } else { "" };
            json!({"task": t.task, "indicators": t.indicators.join("、"), "person": t.person, "due": t.due.to_string(), "status": status, "flag": flag})
        })
        .collect();
    let evidence = evidence_status(root, ws, &leads);
    let missing = evidence.iter().filter(|e| e["state"] != "已提供").count();
    json!({
        "county": county(ws),
        "unit": unit.name,
        "full_name": unit.full_name.clone().unwrap_or_else(|| unit.name.clone()),
        "leader": unit.leader, "person": unit.person, "phone": unit.phone,
        "leads": leads.iter().filter_map(ind).collect::<Vec<_>>(),
        "supports": supports.iter().filter_map(ind).collect::<Vec<_>>(),
        "evidence": evidence,
        "missing": missing,
        "tasks": tasks,
        "overdue": a.tasks.iter().filter(|t| t.unit == unit.name && t.overdue).count(),
        "date": ws.config.as_ref().map(|c| format!("{}年{}月{}日", c.today.year, c.today.month, c.today.day)).unwrap_or_default(),
    })
}

pub fn task_workbook(lists: &[Value]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&crate::workspace::fixed_properties()?);
    let h = crate::workspace::header_format();
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
            for t in l["tasks"].as_array().into_iter().flatten() {
                let cells = [
                    &l["unit"],
                    &t["task"],
                    &t["indicators"],
                    &t["person"],
                    &t["due"],
                    &t["status"],
                    &t["flag"],
                ];
                for (c, v) in cells.iter().enumerate() {
                    sheet.write_string(r, c as u16, v.as_str().unwrap_or(""))?;
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
    let sheet = wb.add_worksheet().set_name("佐证材料")?;
    let heads = [
        "牵头单位",
        "指标",
        "要点",
        "应提供材料",
        "已提供（件）",
        "文件缺失",
        "状态",
    ];
    for (c, t) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, &h)?;
        sheet.set_column_width(c as u16, text_width(t).max(10.0))?;
    }
    sheet.set_column_width(3, 50)?;
    sheet.set_column_width(5, 30)?;
    let mut r = 1u32;
    for l in lists {
        for e in l["evidence"].as_array().into_iter().flatten() {
            sheet.write_string(r, 0, l["unit"].as_str().unwrap_or(""))?;
            sheet.write_string(r, 1, e["indicator"].as_str().unwrap_or(""))?;
            sheet.write_string(r, 2, e["point"].as_str().unwrap_or(""))?;
            sheet.write_string(r, 3, e["expected"].as_str().unwrap_or(""))?;
            sheet.write_number(r, 4, e["provided"].as_f64().unwrap_or(0.0))?;
            let absent: Vec<&str> = e["absent"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str())
                .collect();
            sheet.write_string(r, 5, absent.join("；"))?;
            sheet.write_string(r, 6, e["state"].as_str().unwrap_or(""))?;
            r += 1;
        }
    }
    sheet.add_conditional_format(
        1,
        6,
        r.max(2),
        6,
        &ConditionalFormatText::new()
            .set_rule(ConditionalFormatTextRule::Contains("缺".into()))
            .set_format(red),
    )?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, r.saturating_sub(1).max(1), heads.len() as u16 - 1)?;
    wb.save_to_buffer()
}

/// A file name safe on every system, kept readable.
pub fn file_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    let short: String = trimmed.chars().take(60).collect();
    if short.is_empty() { "_".into() } else { short }
}
