//! The live checks of a school's form beyond the seven resource items: 师生比 and 班额 per
//! stage, the music and art rooms for the whole school. Each formula computes what the rule in
//! `rules::gov` computes from the same cells, so the school sees its ✓/× while typing.

use rust_xlsxwriter::{Format, Formula, Worksheet, XlsxError};

use super::school_form::cell_ref;
use crate::model::profile::{PerStage, RuleId};
use crate::model::school::columns::{
    ART_AREA, ART_ROOMS, CLASSES, MAX_CLASS, MUSIC_AREA, MUSIC_ROOMS, STAFF, STUDENTS, TEACHERS,
};
use crate::model::{Profile, School, SchoolKind, Section, Stage};

/// The footnote below the checks.
pub const NOTE: &str =
    "注：未填教职工数时，师生比按专任教师数计算；专用教室面积按最小的一间计；“—”表示不适用（如没有该教室）。";

/// The formats of the check sheet's cells.
pub struct Formats {
    pub text: Format,
    pub number: Format,
    /// Counts and sizes as typed (no decimals).
    pub plain: Format,
    pub at_least: Format,
    pub at_most: Format,
    pub mark: Format,
}

/// Which of the checks the profile binds to an indicator (or one of its points).
pub struct Rules {
    pub staffing: Option<PerStage>,
    pub class_size: Option<PerStage>,
    pub rooms: Option<crate::model::profile::RoomParams>,
}

impl Rules {
    pub fn of(profile: &Profile) -> Rules {
        let named = |rule| !crate::rules::gaps::indicators_of(profile, rule).is_empty();
        let p = &profile.rules;
        Rules {
            staffing: named(RuleId::StaffingRatio).then_some(p.staffing_ratio),
            class_size: named(RuleId::ClassSize).then_some(p.class_size),
            rooms: named(RuleId::MusicArtRooms).then_some(p.music_art_rooms),
        }
    }
}

/// ✓, × or 待填 for a value against a bound, as the mark formulas compute it.
fn mark(value: Option<f64>, bound: Option<f64>, at_most: bool) -> &'static str {
    match (value, bound) {
        (Some(v), Some(b)) if (at_most && v <= b) || (!at_most && v >= b) => "✓",
        // Below the bound, or no value to compare (a count of 0 staff: "—").
        (Some(_), Some(_)) => "×",
        _ => "待填",
    }
}

fn cached(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_nan() => "—".to_owned(),
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// One check row: stage, item, unit, the bound (a number or a formula), the value's formula
/// and its result, and the mark.
struct Row<'a> {
    stage: &'a str,
    item: &'a str,
    unit: &'a str,
    bound: Bound,
    value: (String, Option<f64>),
    at_most: bool,
    /// A count shown as typed rather than to two decimals.
    plain: bool,
    /// The mark formula; `None`: the plain comparison of the value with the bound.
    mark: Option<(String, &'static str)>,
}

enum Bound {
    Fixed(f64),
    Formula(String, Option<f64>),
}

fn write(ws: &mut Worksheet, r: u32, row: Row, f: &Formats) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, row.stage, &f.text)?;
    ws.write_string_with_format(r, 1, row.item, &f.text)?;
    ws.write_string_with_format(r, 2, row.unit, &f.text)?;
    let bound_format = if row.at_most { &f.at_most } else { &f.at_least };
    let bound = match &row.bound {
        Bound::Fixed(b) => {
            ws.write_number_with_format(r, 3, *b, bound_format)?;
            Some(*b)
        }
        Bound::Formula(formula, b) => {
            ws.write_formula_with_format(r, 3, Formula::new(formula).set_result(cached(*b)), bound_format)?;
            *b
        }
    };
    let (formula, value) = row.value;
    let format = if row.plain { &f.plain } else { &f.number };
    ws.write_formula_with_format(r, 4, Formula::new(formula).set_result(cached(value)), format)?;
    let (d, e) = (crate::diag::cell_name(r, 3), crate::diag::cell_name(r, 4));
    let op = if row.at_most { "<=" } else { ">=" };
    let (formula, result) = row.mark.unwrap_or_else(|| {
        (
            format!("=IF(OR({e}=\"\",{d}=\"\"),\"待填\",IF(ISNUMBER({e}),IF({e}{op}{d},\"✓\",\"×\"),\"×\"))"),
            mark(value, bound, row.at_most),
        )
    });
    ws.write_formula_with_format(r, 5, Formula::new(formula).set_result(result), &f.mark)?;
    Ok(())
}

/// 师生比 and 班额 of one stage row (`data_row` of 学校基础数据), from row `r`; the next free row.
pub fn stage_rows(
    ws: &mut Worksheet,
    mut r: u32,
    school: &School,
    (s, stage, data_row): (&Section, Stage, u32),
    rules: &Rules,
    f: &Formats,
) -> Result<u32, XlsxError> {
    if school.kind == SchoolKind::Special {
        return Ok(r);
    }
    let cell = |h| cell_ref(data_row, h);
    let (students, staff, teachers) = (cell(STUDENTS), cell(STAFF), cell(TEACHERS));
    if let Some(limit) = rules.staffing {
        // 中央编办发〔2014〕72号: 在校生 ÷ 教职工数; without 教职工数 the 专任教师数 (as the rule does).
        let formula = format!(
            "=IF(NOT(ISNUMBER({students})),\"\",IF(ISNUMBER({staff}),IF(N({staff})>0,{students}/{staff},\"—\"),\
             IF(ISNUMBER({teachers}),IF(N({teachers})>0,{students}/{teachers},\"—\"),\"\")))"
        );
        let value = s
            .staff
            .or(s.teachers)
            .map(|n| if n > 0.0 { s.students / n } else { f64::NAN });
        let row = Row {
            stage: stage.label(),
            item: "师生比（在校生数 ÷ 教职工数）",
            unit: "生/人",
            bound: Bound::Fixed(limit.get(stage)),
            value: (formula, value),
            at_most: true,
            plain: false,
            mark: None,
        };
        write(ws, r, row, f)?;
        r += 1;
    }
    if let Some(limit) = rules.class_size {
        // 教督〔2017〕6号 第七条（五）: an average over the limit proves a class over it.
        let classes = cell(CLASSES);
        let formula =
            format!("=IF(AND(ISNUMBER({students}),ISNUMBER({classes}),N({classes})>0),{students}/{classes},\"\")");
        let average = s.classes.filter(|c| *c > 0.0).map(|c| s.students / c);
        let limit = limit.get(stage);
        for (item, value, plain) in [
            ("平均班额（在校生数 ÷ 班级数）", (formula, average), false),
            (
                "最大班额",
                (
                    format!("=IF(ISNUMBER({0}),{0},\"\")", cell(MAX_CLASS)),
                    s.max_class_size,
                ),
                true,
            ),
        ] {
            let row = Row {
                stage: stage.label(),
                item,
                unit: "人/班",
                bound: Bound::Fixed(limit),
                value,
                at_most: true,
                plain,
                mark: None,
            };
            write(ws, r, row, f)?;
            r += 1;
        }
    }
    Ok(r)
}

/// The music and art rooms of the whole school (教督〔2017〕6号 第七条（三）), from row `r`; the
/// next free row.
pub fn school_rows(
    ws: &mut Worksheet,
    mut r: u32,
    school: &School,
    rules: &Rules,
    f: &Formats,
) -> Result<u32, XlsxError> {
    let Some(p) = rules.rooms else { return Ok(r) };
    if matches!(school.kind, SchoolKind::Special | SchoolKind::TeachingPoint) || school.sections.is_empty() {
        return Ok(r);
    }
    let n = school.sections.len() as u32;
    let range = format!(
        "{}:{}",
        cell_ref(1, CLASSES),
        crate::diag::cell_name(n, cell_col(CLASSES))
    );
    let per = crate::rules::fmt_num(p.classes_per_room);
    let need_formula = format!("=IF(COUNT({range})={n},MAX(1,ROUNDUP(SUM({range})/{per},0)),\"\")");
    let need = school
        .classes()
        .map(|c| crate::rules::gov::music_art_rooms::rooms_needed(c, &p));
    let item_rooms = format!("每 {per} 个班 1 间以上");
    for (what, rooms_col, area_col, rooms, area, min) in [
        (
            "音乐",
            MUSIC_ROOMS,
            MUSIC_AREA,
            school.music_rooms,
            school.music_room_min_area,
            p.music_room_area,
        ),
        (
            "美术",
            ART_ROOMS,
            ART_AREA,
            school.art_rooms,
            school.art_room_min_area,
            p.art_room_area,
        ),
    ] {
        let rooms_cell = cell_ref(1, rooms_col);
        let row = Row {
            stage: "全校",
            item: &format!("{what}专用教室（{item_rooms}）"),
            unit: "间",
            bound: Bound::Formula(need_formula.clone(), need),
            value: (format!("=IF(ISNUMBER({rooms_cell}),{rooms_cell},\"\")"), rooms),
            at_most: false,
            plain: true,
            mark: None,
        };
        write(ws, r, row, f)?;
        r += 1;
        // The smallest room's area counts only where there is a room.
        let area_cell = cell_ref(1, area_col);
        let (d, e) = (crate::diag::cell_name(r, 3), crate::diag::cell_name(r, 4));
        let mark_formula = format!(
            "=IF(NOT(ISNUMBER({rooms_cell})),\"待填\",IF(N({rooms_cell})=0,\"—\",IF({e}=\"\",\"待填\",IF({e}>={d},\"✓\",\"×\"))))"
        );
        let result = match rooms {
            None => "待填",
            Some(x) if x == 0.0 => "—",
            Some(_) => mark(area, Some(min), false),
        };
        let row = Row {
            stage: "全校",
            item: &format!("{what}专用教室最小面积"),
            unit: "平方米",
            bound: Bound::Fixed(min),
            value: (format!("=IF(ISNUMBER({area_cell}),{area_cell},\"\")"), area),
            at_most: false,
            plain: true,
            mark: Some((mark_formula, result)),
        };
        write(ws, r, row, f)?;
        r += 1;
    }
    Ok(r)
}

fn cell_col(header: &str) -> u32 {
    crate::model::school::columns::HEADERS
        .iter()
        .position(|h| *h == header)
        .unwrap_or(0) as u32
}
