//! 基础数据表 (out/基础数据表.xlsx): the school data, each school's values and pass flags, and per
//! stage a coefficient sheet of live formulas whose cached results are the rule engine's numbers,
//! so Excel, WPS and readers that do not recalculate all show the same figures.

use rust_xlsxwriter::{ConditionalFormatFormula, Format, Formula, Worksheet, XlsxError};

use crate::diag::column_letters;
use crate::model::profile::ResourceParams;
use crate::model::school::columns::{COLUMNS, Field, HEADERS, STAFF, STUDENTS, TEACHERS, Value};
use crate::model::{ResourceKey, School};
use crate::render::xlsx::style::{new_workbook, text_width};
use crate::rules::Assessment;
use crate::rules::resource::{StageResource, value};

/// First data row (0-based) of a coefficient sheet: title, header, standards, then schools.
const FIRST: u32 = 3;

/// A formula with its cached result: the exact value the rule engine computed.
fn cached(f: String, v: Option<f64>) -> Formula {
    let formula = Formula::new(f);
    match v {
        Some(v) if v.is_finite() => formula.set_result(format!("{v}")),
        _ => formula,
    }
}

pub fn basic_data(a: &Assessment, schools: &[School], params: &ResourceParams) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    data_sheet(wb.add_worksheet().set_name("学校基础数据")?, schools)?;
    for st in [&a.resource.primary, &a.resource.junior] {
        if st.schools.is_empty() {
            continue;
        }
        let ws = wb.add_worksheet().set_name(format!("{}差异系数", st.stage.label()))?;
        coefficient_sheet(ws, st, schools, params)?;
    }
    wb.save_to_buffer()
}

fn data_sheet(ws: &mut Worksheet, schools: &[School]) -> Result<(), XlsxError> {
    let h = crate::render::xlsx::style::header_format();
    let ratio_col = HEADERS.len() as u16;
    for (c, name) in HEADERS.iter().chain([&RATIO]).enumerate() {
        ws.write_string_with_format(0, c as u16, *name, &h)?;
        ws.set_column_width(c as u16, text_width(name).clamp(8.0, 22.0))?;
    }
    let mut r = 1;
    for s in schools {
        for sec in &s.sections {
            for (c, column) in COLUMNS.iter().enumerate() {
                let c = c as u16;
                match (column.value(s, Some(sec)), column.field) {
                    (Some(Value::Number(v)), _) => ws.write_number(r, c, v)?,
                    (Some(Value::Text(t)), _) => ws.write_string(r, c, t)?,
                    (None, Field::Section(..) | Field::School(..)) => ws,
                    // A blank text cell is written as an empty string.
                    (None, _) => ws.write_string(r, c, "")?,
                };
            }
            // 师生比 1:x, live: 在校生 ÷ 教职工数, or ÷ 专任教师数 where 教职工数 is blank.
            if sec.stage.is_some() {
                let (p, staff, teachers) = (col(STUDENTS), col(STAFF), col(TEACHERS));
                let row = r + 1;
                let ratio = sec
                    .staff
                    .or(sec.teachers)
                    .filter(|n| *n > 0.0)
                    .map(|n| sec.students / n);
                ws.write_formula(
                    r,
                    ratio_col,
                    cached(
                        format!(
                            "=IF(N({staff}{row})>0,{p}{row}/{staff}{row},IF(N({teachers}{row})>0,{p}{row}/{teachers}{row},\"\"))"
                        ),
                        ratio,
                    ),
                )?;
            }
            r += 1;
        }
    }
    ws.set_freeze_panes(1, 2)?;
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), ratio_col)?;
    Ok(())
}

/// The computed column after the inputs.
const RATIO: &str = "师生比（1:x，在校生÷教职工数）";

/// The letter of an input column of 学校基础数据.
fn col(header: &str) -> String {
    column_letters(HEADERS.iter().position(|h| *h == header).unwrap_or(0) as u32)
}

/// Input columns of a coefficient sheet: (header, key, how the value is computed from it).
const INPUTS: [(&str, ResourceKey, &str); 7] = [
    ("高于规定学历教师数", ResourceKey::DegreeTeachers, "/{P}*100"),
    ("县级以上骨干教师数", ResourceKey::BackboneTeachers, "/{P}*100"),
    ("体育艺术专任教师数", ResourceKey::PeArtTeachers, "/{P}*100"),
    ("教学及辅助用房面积", ResourceKey::BuildingArea, "/{P}"),
    ("体育运动场馆面积", ResourceKey::SportsArea, "/{P}"),
    ("教学仪器设备值（万元）", ResourceKey::EquipmentValue, "*10000/{P}"),
    ("网络多媒体教室数", ResourceKey::MultimediaRooms, "/{P}*100"),
];

fn coefficient_sheet(
    ws: &mut Worksheet,
    st: &StageResource,
    schools: &[School],
    params: &ResourceParams,
) -> Result<(), XlsxError> {
    let h = crate::render::xlsx::style::header_format();
    let n = st.schools.len() as u32;
    let last = FIRST + n - 1;
    ws.write_string_with_format(
        0,
        0,
        format!(
            "{}资源配置指标与差异系数（按学生数加权；公式可在 Excel / WPS 中复核）",
            st.stage.label()
        ),
        &Format::new().set_bold(),
    )?;
    // Columns: A 代码, B 名称, C 在校生, D..J inputs, K..Q values, R 达标项数, S 是否达标.
    let mut heads: Vec<String> = vec!["学校代码".into(), "学校名称".into(), "在校生数".into()];
    heads.extend(INPUTS.iter().map(|(h, _, _)| (*h).to_owned()));
    heads.extend(
        ResourceKey::ALL
            .iter()
            .map(|k| format!("{}（{}）", k.label(), k.unit())),
    );
    heads.extend(["达标项数".to_owned(), "是否达标".to_owned()]);
    for (c, t) in heads.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, t, &h)?;
        ws.set_column_width(c as u16, if c == 1 { 20.0 } else { 11.0 })?;
    }
    ws.set_row_height(1, 60)?;
    ws.write_string(2, 1, "标准")?;
    for (i, key) in ResourceKey::ALL.iter().enumerate() {
        ws.write_number(2, 10 + i as u16, st.standards[key])?;
    }
    school_rows(ws, st, schools, params)?;
    totals(ws, st)?;
    // Shortfalls highlighted: a value below the standard row.
    let red = Format::new().set_background_color("#F6D5D1").set_font_color("#A01D10");
    let rule = ConditionalFormatFormula::new()
        .set_rule(format!("=K{}<K$3", FIRST + 1).as_str())
        .set_format(red);
    ws.add_conditional_format(FIRST, 10, last, 16, &rule)?;
    ws.set_freeze_panes(FIRST, 2)?;
    Ok(())
}

/// Each school's inputs, values (live formulas), items met and whether it meets 第六条.
fn school_rows(
    ws: &mut Worksheet,
    st: &StageResource,
    schools: &[School],
    params: &ResourceParams,
) -> Result<(), XlsxError> {
    let two = Format::new().set_num_format("0.00");
    for (k, r) in st.schools.iter().enumerate() {
        let row = FIRST + k as u32;
        let excel = row + 1;
        let section = schools
            .iter()
            .find(|s| s.code == r.code)
            .and_then(|s| s.sections.iter().find(|x| x.stage == Some(st.stage)));
        ws.write_string(row, 0, &r.code)?;
        ws.write_string(row, 1, &r.name)?;
        ws.write_number(row, 2, r.students)?;
        for (i, (_, key, how)) in INPUTS.iter().enumerate() {
            let in_col = 3 + i as u16;
            if let Some(v) = section.and_then(|s| s.amount(*key)) {
                ws.write_number(row, in_col, v)?;
            }
            let input = format!("{}{excel}", column_letters(in_col as u32));
            let f = format!("={input}{}", how.replace("{P}", &format!("C{excel}")));
            let v = section.and_then(|s| value(s, *key));
            ws.write_formula_with_format(row, 10 + i as u16, cached(f, v), &two)?;
        }
        // 达标项数: each value against the standard row.
        let met: Vec<String> = (10..17u32)
            .map(|c| format!("({0}{excel}>={0}$3)", column_letters(c)))
            .collect();
        ws.write_formula(row, 17, cached(format!("={}", met.join("+")), Some(r.met as f64)))?;
        // 教督〔2017〕6号 第六条 as parameters: at least `min` met, the rest ≥ floor × standard.
        let floors: Vec<String> = (10..17u32)
            .map(|c| format!("{0}{excel}>={1}*{0}$3", column_letters(c), params.floor_ratio))
            .collect();
        let pass = format!(
            "=IF(AND(R{excel}>={},{}),\"是\",\"否\")",
            params.min_items_met,
            floors.join(",")
        );
        let shown = match r.pass {
            Some(true) => "是",
            Some(false) => "否",
            None => "",
        };
        ws.write_formula(row, 18, Formula::new(pass).set_result(shown))?;
    }
    Ok(())
}

/// The student-weighted mean, standard deviation and coefficient of each value, its limit and
/// whether it is met (DOMAIN §2.2).
fn totals(ws: &mut Worksheet, st: &StageResource) -> Result<(), XlsxError> {
    let two = Format::new().set_num_format("0.00");
    let three = Format::new().set_num_format("0.000").set_bold();
    let n = st.schools.len() as u32;
    let last = FIRST + n - 1;
    let p = format!("$C${}:$C${}", FIRST + 1, last + 1);
    let rows = [
        ("合计 / 加权平均 X̄", FIRST + n + 1),
        ("加权标准差 S", FIRST + n + 2),
        ("差异系数 CV", FIRST + n + 3),
        ("限值", FIRST + n + 4),
        ("是否达标", FIRST + n + 5),
    ];
    for (label, row) in rows {
        ws.write_string_with_format(row, 1, label, &Format::new().set_bold())?;
    }
    let (mean_row, sd_row, cv_row, limit_row, ok_row) = (rows[0].1, rows[1].1, rows[2].1, rows[3].1, rows[4].1);
    ws.write_formula(mean_row, 2, cached(format!("=SUM({p})"), Some(st.students)))?;
    for (i, key) in ResourceKey::ALL.iter().enumerate() {
        let col = 10 + i as u16;
        let c = column_letters(col as u32);
        let x = format!("{c}{}:{c}{}", FIRST + 1, last + 1);
        let mean = st.mean[key];
        let cv = st.cv[key];
        ws.write_formula_with_format(
            mean_row,
            col,
            cached(format!("=SUMPRODUCT({p},{x})/SUM({p})"), mean),
            &two,
        )?;
        let sd = cv.zip(mean).map(|(c, m)| c * m);
        ws.write_formula_with_format(
            sd_row,
            col,
            cached(
                format!("=SQRT(SUMPRODUCT({p},({x}-{c}{})^2)/SUM({p}))", mean_row + 1),
                sd,
            ),
            &two,
        )?;
        ws.write_formula_with_format(
            cv_row,
            col,
            cached(format!("={c}{}/{c}{}", sd_row + 1, mean_row + 1), cv),
            &three,
        )?;
        ws.write_number(limit_row, col, st.cv_limit)?;
        let ok = match st.cv_pass[key] {
            Some(true) => "是",
            Some(false) => "否",
            None => "",
        };
        ws.write_formula(
            ok_row,
            col,
            Formula::new(format!("=IF({c}{}<={c}{},\"是\",\"否\")", cv_row + 1, limit_row + 1)).set_result(ok),
        )?;
    }
    Ok(())
}
