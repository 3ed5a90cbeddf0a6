//! Figures no real school has: an amount typed in 元 in a 万元 column, a digit too many. The
//! plausible range of each column is in the column table; a figure outside it is said at its
//! cell and not used (its items are pending), and a figure far above the county's median is
//! said too.

use super::sheet::Table;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::school::columns::{COLUMNS, Column, Field, Per, Plausible, STUDENTS, figure as show};
use crate::model::{ResourceKey, School, SchoolKind, Stage};

/// Pupils below which a school's per-pupil upper bound is taken as for this many: a village
/// school of a few dozen pupils may have a full 300 m track (about 11 000 m²) and a building
/// for 200 — but not 10 000 times its figure, as an amount typed in 元 in a 万元 column.
const SMALL_SCHOOL: f64 = 200.0;

/// Per-pupil values above this many times the county median of their stage are flagged.
const MEDIAN_FACTOR: f64 = 10.0;

/// `wide_rows[i][k]`: the row holding school `i`'s k-th school-wide figure.
pub fn check(t: &Table, schools: &mut [School], wide_rows: &[Vec<Option<u32>>], diags: &mut Diagnostics) {
    for (i, school) in schools.iter_mut().enumerate() {
        let mut k = 0;
        for c in &COLUMNS {
            match c.field {
                Field::Section(get, set) => {
                    let Some(range) = c.range else { continue };
                    for n in 0..school.sections.len() {
                        let sec = &school.sections[n];
                        let Some(v) = get(sec) else { continue };
                        // Blank or 0 pupils are an error said where they are read.
                        if c.header == STUDENTS && v <= 0.0 {
                            continue;
                        }
                        let pupils = pupils(school, n, c);
                        let who = format!("{}（{}）", school.name, sec.stage.map_or("全校", Stage::label));
                        if let Some(d) = outside(t, c, range, v, pupils, &who, sec.row) {
                            diags.push(d);
                            // Pupils too: every figure of the row is then pending, never
                            // judged against a slip in its denominator.
                            set(&mut school.sections[n], None);
                        }
                    }
                }
                Field::School(get, set) => {
                    let row = wide_rows.get(i).and_then(|r| r.get(k)).copied().flatten();
                    k += 1;
                    let (Some(range), Some(v), Some(row)) = (c.range, get(school), row) else {
                        continue;
                    };
                    let pupils = school.students() + school.senior_students.unwrap_or(0.0);
                    if let Some(d) = outside(t, c, range, v, pupils, &school.name, row) {
                        diags.push(d);
                        set(school, None);
                    }
                }
                _ => {}
            }
        }
    }
    for stage in Stage::ALL {
        far_above_median(t, schools, stage, diags);
    }
}

/// The pupils a section's figure of column `c` serves: a facility figure on one row of a
/// school of several sections (or with a senior section), its other rows blank, is the whole
/// school's (split, or pending, later); every other figure is its own section's.
fn pupils(school: &School, n: usize, c: &Column) -> f64 {
    let Field::Section(get, _) = c.field else {
        return school.sections[n].students;
    };
    let facility = ResourceKey::FACILITIES.iter().any(|f| f.column() == c.header);
    let several = school.sections.len() > 1 || school.senior_students.is_some();
    let total = facility
        && several
        && school
            .sections
            .iter()
            .enumerate()
            .all(|(m, o)| m == n || get(o).is_none());
    if total {
        school.students() + school.senior_students.unwrap_or(0.0)
    } else {
        school.sections[n].students
    }
}

/// The warning for a figure outside its column's range, naming the likely cause.
fn outside(t: &Table, c: &Column, r: Plausible, v: f64, pupils: f64, who: &str, row: u32) -> Option<Diagnostic> {
    let ratio = match r.per {
        Per::Pupil if pupils > 0.0 => v / pupils,
        Per::Pupil => return None,
        Per::Whole => v,
    };
    let fits = |x: f64| x >= r.min - 1e-12 && x <= r.max + 1e-12;
    // 0 where the school really has none (no sports ground, no music room) is a figure, and
    // fails its standard; only the counts every school has (pupils, classes, teachers) cannot be 0.
    if v == 0.0 && r.zero {
        return None;
    }
    // A school of a few pupils may well have a room or 20 万元 of equipment per pupil: its
    // upper bound is taken as for a school of SMALL_SCHOOL pupils.
    let high = match r.per {
        Per::Pupil => v / pupils.max(SMALL_SCHOOL),
        Per::Whole => v,
    };
    if ratio >= r.min - 1e-12 && high <= r.max + 1e-12 {
        return None;
    }
    let wan = c.unit == "万元";
    // 万元 per pupil reads better in 元.
    let (unit, shown) = if wan && r.per == Per::Pupil {
        ("元", ratio * 1e4)
    } else {
        (c.unit, ratio)
    };
    let what = match r.per {
        Per::Pupil => format!("，相当于每名学生 {} {unit}", show(shown)),
        Per::Whole => String::new(),
    };
    let cause = if wan && fits(ratio / 1e4) {
        format!("疑似按元填写（本列单位为万元），应为 {}", show(v / 1e4))
    } else if high > r.max {
        "疑似多输了数字、填错了列或单位".to_owned()
    } else {
        "疑似少输了数字、填错了列或单位".to_owned()
    };
    let hint = if wan && fits(ratio / 1e4) {
        format!(
            "本列单位为万元：{} 元应填 {}；核对后重新运行 yingjian check",
            show(v),
            show(v / 1e4)
        )
    } else {
        format!("请核对该单元格（本列单位：{}）；核对后重新运行 yingjian check", c.unit)
    };
    Some(
        Diagnostic::warning(
            "implausible-value",
            t.loc(row, c.header),
            format!(
                "{who}的“{}”为 {}{what}，超出常见范围（{}）：{cause}；该项按待核实处理",
                c.header,
                show(v),
                c.range_text().unwrap_or_default()
            ),
        )
        .with_hint(hint),
    )
}

/// Per-pupil figures more than ten times the median of the stage's schools (at least three).
fn far_above_median(t: &Table, schools: &[School], stage: Stage, diags: &mut Diagnostics) {
    for c in COLUMNS.iter().filter(|c| c.range.is_some_and(|r| r.per == Per::Pupil)) {
        let Field::Section(get, _) = c.field else { continue };
        let mut values: Vec<(f64, &School, u32, f64)> = vec![];
        for school in schools.iter().filter(|s| s.kind != SchoolKind::Special) {
            for (n, sec) in school.sections.iter().enumerate() {
                if sec.stage != Some(stage) || sec.students <= 0.0 {
                    continue;
                }
                if let Some(v) = get(sec) {
                    values.push((v / pupils(school, n, c), school, sec.row, v));
                }
            }
        }
        if values.len() < 3 {
            continue;
        }
        let mut sorted: Vec<f64> = values.iter().map(|v| v.0).collect();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        if median <= 0.0 {
            continue;
        }
        let (unit, scale) = if c.unit == "万元" {
            ("元", 1e4)
        } else {
            (c.unit, 1.0)
        };
        for (ratio, school, row, v) in values.into_iter().filter(|v| v.0 > MEDIAN_FACTOR * median) {
            diags.push(
                Diagnostic::warning(
                    "far-above-median",
                    t.loc(row, c.header),
                    format!(
                        "{}（{}）的“{}”为 {}，相当于每名学生 {} {unit}，是全县{}中位数 {} {unit} 的 {} 倍",
                        school.name,
                        stage.label(),
                        c.header,
                        show(v),
                        show(ratio * scale),
                        stage.label(),
                        show(median * scale),
                        show(ratio / median)
                    ),
                )
                .with_hint(format!(
                    "请核对是否多输了数字或用错了单位（本列单位：{}）；若属实（如规模很小的学校），可不处理",
                    c.unit
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::school::columns::figure as show;

    #[test]
    fn figures_for_messages() {
        assert_eq!(show(340.0), "340");
        assert_eq!(show(21_250_000.0), "21250000");
        assert_eq!(show(2.126), "2.13");
        assert_eq!(show(0.005), "0.005");
    }
}
