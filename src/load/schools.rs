//! `content/schools.xlsx`, sheet 学校基础数据: one row per school and stage.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use calamine::Data;

use super::sheet::{self, Table};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::school::columns::{self, *};
use crate::model::school::{Locale, YearMonth};
use crate::model::{CharOrigins, CountyConfig, ResourceKey, School, SchoolKind, Section, Stage};

/// The schools, and the file they were read from (content/schools.xlsx when there is none).
pub fn load(
    root: &Path,
    config: Option<&CountyConfig>,
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> (Vec<School>, String) {
    let Some(rel) = super::school_checks::find_file(root, diags) else {
        return (vec![], crate::paths::SCHOOLS.to_owned());
    };
    (read_file(root, &rel, config, diags, chars), rel)
}

/// Reads the schools of `root/rel` (also a return read by `yingjian merge`), located there.
pub fn read_file(
    root: &Path,
    rel: &str,
    config: Option<&CountyConfig>,
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> Vec<School> {
    let Some(table) = sheet::open(
        root,
        rel,
        SHEET,
        &HEADERS,
        &columns::required(),
        &columns::optional(),
        diags,
        chars,
    ) else {
        return vec![];
    };
    if table.rows.is_empty() {
        diags.push(
            Diagnostic::warning(
                "schools-empty",
                crate::diag::Location::file(rel),
                "学校基础数据表只有表头，没有数据行",
            )
            .with_hint("每所学校每个学段填一行；填写前各项学校指标均为待核实"),
        );
    }
    let split = config.is_some_and(|c| c.options.split_combined_facilities);
    read(&table, split, diags)
}

/// School-wide values, collected from the first row that has them.
#[derive(Default)]
struct Wide {
    locale: Option<Locale>,
    built: Option<YearMonth>,
    /// The school-wide figures, in the order of `school_numbers()`.
    numbers: Vec<Option<f64>>,
    /// The row each of `numbers` was read from.
    rows: Vec<Option<u32>>,
}

/// The school-wide numeric columns, with their setters.
fn school_numbers() -> impl Iterator<Item = (&'static str, fn(&mut School, Option<f64>))> {
    COLUMNS.iter().filter_map(|c| match c.field {
        Field::School(_, set) => Some((c.header, set)),
        _ => None,
    })
}

/// A row's identity: what it says the school, its kind and the stage are.
struct Head {
    row: u32,
    code: String,
    name: String,
    kind: Option<SchoolKind>,
    kind_text: Option<String>,
    stage: Option<Stage>,
    stage_text: Option<String>,
    /// The 学段 is not one we know (said so): the row only tells the school's kind.
    stage_bad: bool,
    /// Positive, or None (said why).
    students: Option<f64>,
}

/// A row's figures.
struct Values {
    section: Section,
    locale: Option<Locale>,
    built: Option<YearMonth>,
    /// The school-wide figures, in the order of `school_numbers()`.
    numbers: Vec<Option<f64>>,
}

/// The schools gathered so far, row by row.
#[derive(Default)]
struct Gathered {
    schools: Vec<School>,
    index: HashMap<String, usize>,
    /// (code, stage) → the row that has it.
    seen: HashMap<(String, Option<Stage>), u32>,
    /// Schools with a row of unknown 学段 (said so).
    unplaced: HashSet<String>,
    /// Schools whose 办学类型 could not be read (said so at that row; their other rows, which
    /// leave the school-wide column blank, are not blamed for it).
    kind_unknown: HashSet<String>,
    wides: Vec<Wide>,
}

fn read(t: &Table, split: bool, diags: &mut Diagnostics) -> Vec<School> {
    let mut g = Gathered::default();
    for (row, cells) in &t.rows {
        let Some(head) = head(t, *row, cells, diags) else {
            continue;
        };
        // A row with an unknown 学段 still names its school's kind, which the school's other
        // rows may leave blank.
        if head.stage_bad {
            g.school(&head);
            g.unplaced.insert(head.code.clone());
            continue;
        }
        if g.duplicate(t, &head, diags) {
            continue;
        }
        let values = values(t, &head, cells, diags);
        g.add(t, head, values, diags);
    }
    let mut schools = g.schools;
    let mut wide_rows = vec![];
    for (school, wide) in schools.iter_mut().zip(g.wides) {
        school.locale = wide.locale;
        school.built = wide.built;
        for ((_, set), v) in school_numbers().zip(wide.numbers) {
            set(school, v);
        }
        wide_rows.push(wide.rows);
    }
    super::school_checks::total_row(t, diags);
    let blank = super::school_checks::blank_cells(t, &schools, &g.unplaced);
    super::merged::apply(t, &mut schools, split, diags);
    super::merged::copied(t, &mut schools, split, diags);
    super::plausible::check(t, &mut schools, &wide_rows, diags);
    // After merges and implausible figures are taken out: a row's own figures, under its
    // school's name (a combined school's later rows leave it blank).
    for school in &schools {
        for sec in &school.sections {
            let who = match (school.sections.len() > 1, sec.stage) {
                (true, Some(stage)) => format!("{}（{}）", school.name, stage.label()),
                _ => school.name.clone(),
            };
            check_section(t, sec, &who, diags);
        }
    }
    super::school_checks::stages(t, &schools, &g.seen, &g.unplaced, split, diags);
    if !split {
        super::school_checks::senior_not_split(t, &mut schools, diags);
    }
    blank.into_iter().for_each(|d| diags.push(d));
    for school in &schools {
        if split {
            senior_warning(t, school, diags);
        } else {
            combined_blank_warnings(t, school, diags);
        }
    }
    schools.retain(|s| !s.sections.is_empty());
    schools
}

/// A number cell: blank, or a number not below zero (else said so).
fn number(t: &Table, row: u32, cells: &[Data], col: &str, diags: &mut Diagnostics) -> Option<f64> {
    let v = t.number(row, cells, col, diags)?;
    if v < 0.0 {
        diags.push(
            Diagnostic::error("negative-value", t.loc(row, col), format!("“{col}”不能为负数：{v}"))
                .with_hint("请填写实际数值，没有的填 0"),
        );
        return None;
    }
    Some(v)
}

/// The school, kind, stage and enrolment of a row; None when the row cannot be placed.
fn head(t: &Table, row: u32, cells: &[Data], diags: &mut Diagnostics) -> Option<Head> {
    let Some(code) = t.code(cells, CODE) else {
        diags.push(
            Diagnostic::error("code-missing", t.loc(row, CODE), "学校代码为空")
                .with_hint("每一行都要填写学校代码（10 位学校标识码）"),
        );
        return None;
    };
    let name = t.text(cells, NAME).unwrap_or_default();
    if name.is_empty() {
        diags.push(
            Diagnostic::error("name-missing", t.loc(row, NAME), format!("学校 {code} 的学校名称为空"))
                .with_hint("请填写学校全称"),
        );
    }
    // What the messages of this row call the school.
    let who = if name.is_empty() {
        format!("学校 {code}")
    } else {
        name.clone()
    };
    let kind_text = t.code(cells, KIND);
    let kind = match kind_text.as_deref().map(SchoolKind::parse) {
        Some(Some(k)) => Some(k),
        Some(None) => {
            diags.push(
                Diagnostic::error(
                    "unknown-kind",
                    t.loc(row, KIND),
                    format!("未知的办学类型“{}”", kind_text.clone().unwrap_or_default()),
                )
                .with_hint(match kind_text.as_deref().and_then(SchoolKind::suggest) {
                    Some(k) => format!("是否应为“{k}”？可选：{}", SchoolKind::LABELS.join("、")),
                    None => format!("可选：{}", SchoolKind::LABELS.join("、")),
                }),
            );
            None
        }
        None => None,
    };
    let stage_text = t.code(cells, STAGE);
    let stage = stage_text.as_deref().map(Stage::parse);
    if let (Some(None), Some(s)) = (stage, &stage_text) {
        diags.push(
            Diagnostic::error("unknown-stage", t.loc(row, STAGE), format!("未知的学段“{s}”"))
                .with_hint("学段只能填“小学”或“初中”；特殊教育学校留空"),
        );
    }
    let stage_bad = matches!(stage, Some(None));
    let stage = stage.flatten();
    let students = match number(t, row, cells, STUDENTS, diags) {
        Some(v) if v > 0.0 => Some(v),
        Some(_) => {
            diags.push(
                Diagnostic::error(
                    "students-not-positive",
                    t.loc(row, STUDENTS),
                    format!("{who}（{}）在校生数为 0", stage.map(Stage::label).unwrap_or("全校")),
                )
                .with_hint("在校生数必须大于 0；已停办的学校或学段请删除该行"),
            );
            None
        }
        None if t.text(cells, STUDENTS).is_none() && !t.uncomputed(row, STUDENTS) => {
            diags.push(
                Diagnostic::error(
                    "students-missing",
                    t.loc(row, STUDENTS),
                    format!("{who} 的在校生数为空"),
                )
                .with_hint("请填写该学段在校生人数"),
            );
            None
        }
        None => None,
    };

    Some(Head {
        row,
        code,
        name,
        kind,
        kind_text,
        stage,
        stage_text,
        stage_bad,
        students,
    })
}

/// The figures of a row: its stage's, and the school-wide ones it carries.
fn values(t: &Table, h: &Head, cells: &[Data], diags: &mut Diagnostics) -> Values {
    let row = h.row;
    let mut section = Section {
        stage: h.stage,
        row,
        students: h.students.unwrap_or(0.0),
        ..Section::default()
    };
    for c in &COLUMNS {
        if let Field::Section(_, set) = c.field
            && c.header != STUDENTS
        {
            set(&mut section, number(t, row, cells, c.header, diags));
        }
    }
    let locale = t.text(cells, LOCALE).and_then(|s| match Locale::parse(&s) {
        Some(l) => Some(l),
        None => {
            diags.push(
                Diagnostic::error("unknown-locale", t.loc(row, LOCALE), format!("未知的城乡类型“{s}”"))
                    .with_hint("可选：城区、镇区、乡村"),
            );
            None
        }
    });
    let built = t.year_month(row, cells, BUILT, diags);
    let numbers = school_numbers().map(|(c, _)| number(t, row, cells, c, diags)).collect();
    Values {
        section,
        locale,
        built,
        numbers,
    }
}

impl Gathered {
    /// The index of the row's school, made by the first row that names its kind.
    fn school(&mut self, h: &Head) -> Option<usize> {
        if let Some(&i) = self.index.get(&h.code) {
            return Some(i);
        }
        let kind = h.kind?;
        self.index.insert(h.code.clone(), self.schools.len());
        self.schools
            .push(School::new(h.code.clone(), h.name.clone(), kind, vec![]));
        let n = school_numbers().count();
        self.wides.push(Wide {
            numbers: vec![None; n],
            rows: vec![None; n],
            ..Wide::default()
        });
        Some(self.schools.len() - 1)
    }

    /// Whether the row repeats a school and stage already read (said so).
    fn duplicate(&mut self, t: &Table, h: &Head, diags: &mut Diagnostics) -> bool {
        if let Some(&first) = self.seen.get(&(h.code.clone(), h.stage)) {
            diags.push(
                Diagnostic::error(
                    "duplicate-row",
                    t.loc(h.row, CODE),
                    format!(
                        "学校代码 {}、学段“{}”重复出现",
                        h.code,
                        h.stage.map(Stage::label).unwrap_or("空")
                    ),
                )
                .with_hint(format!(
                    "第 {} 行已有同一学校同一学段的数据；每所学校每个学段只填一行",
                    first + 1
                )),
            );
            return true;
        }
        self.seen.insert((h.code.clone(), h.stage), h.row);
        false
    }

    /// Adds a row to its school (the first row of a school makes it).
    fn add(&mut self, t: &Table, h: Head, v: Values, diags: &mut Diagnostics) {
        let row = h.row;
        let Some(i) = self.school(&h) else {
            if h.kind_text.is_some() {
                self.kind_unknown.insert(h.code.clone());
            } else if !self.kind_unknown.contains(&h.code) {
                diags.push(
                    Diagnostic::error(
                        "kind-missing",
                        t.loc(row, KIND),
                        format!(
                            "{} 的办学类型为空",
                            if h.name.is_empty() {
                                format!("学校 {}", h.code)
                            } else {
                                h.name.clone()
                            }
                        ),
                    )
                    .with_hint(format!("可选：{}", SchoolKind::LABELS.join("、"))),
                );
            }
            return;
        };
        let school = &mut self.schools[i];
        if h.kind.is_some_and(|k| k != school.kind) {
            diags.push(conflict(
                t,
                row,
                KIND,
                &school.name,
                school.kind.label(),
                h.kind_text.as_deref().unwrap_or(""),
            ));
        }
        if !h.name.is_empty() && h.name != school.name {
            diags.push(conflict(t, row, NAME, &school.name, &school.name, &h.name));
        }
        if !school.kind.allows(h.stage) {
            let hint = match school.kind {
                SchoolKind::Special => "特殊教育学校的学段留空".to_owned(),
                SchoolKind::Complete => "完全中学只填初中学段（高中部不在评估范围内）".to_owned(),
                k if k.is_combined() => "一贯制学校按“小学”“初中”各填一行".to_owned(),
                k => format!(
                    "{}的学段应为“{}”",
                    k.label(),
                    if k == SchoolKind::Junior { "初中" } else { "小学" }
                ),
            };
            diags.push(
                Diagnostic::error(
                    "stage-kind-mismatch",
                    t.loc(row, STAGE),
                    format!(
                        "{}（{}）的学段不能为“{}”",
                        school.name,
                        school.kind.label(),
                        h.stage_text.as_deref().unwrap_or("空")
                    ),
                )
                .with_hint(hint),
            );
            return;
        }
        let wide = &mut self.wides[i];
        merge_wide(
            t,
            row,
            &school.name,
            &mut wide.locale,
            v.locale,
            LOCALE,
            |l| l.label().to_owned(),
            diags,
        );
        merge_wide(
            t,
            row,
            &school.name,
            &mut wide.built,
            v.built,
            BUILT,
            |b| format!("{}-{:02}", b.year, b.month),
            diags,
        );
        for (k, (col, _)) in school_numbers().enumerate() {
            if wide.numbers[k].is_none() && v.numbers[k].is_some() {
                wide.rows[k] = Some(row);
            }
            merge_wide(
                t,
                row,
                &school.name,
                &mut wide.numbers[k],
                v.numbers[k],
                col,
                |v| v.to_string(),
                diags,
            );
        }
        if h.students.is_some() {
            school.sections.push(v.section);
        }
    }
}

/// Whole-school totals of a 完全中学 or 十二年一贯制学校 include the senior section: without its
/// enrolment they cannot be split (DOMAIN §2.2a).
fn senior_warning(t: &Table, school: &School, diags: &mut Diagnostics) {
    if matches!(school.kind, SchoolKind::Complete | SchoolKind::TwelveYear)
        && school.senior_students.is_none()
        && let Some(first) = school.sections.first()
    {
        diags.push(
            Diagnostic::warning(
                "senior-enrolment-missing",
                t.loc(first.row, SENIOR),
                format!(
                    "{}（{}）未填写高中部在校生数，设施合计中的高中部份额无法拆出",
                    school.name,
                    school.kind.label()
                ),
            )
            .with_hint(
                "设施按全校合计填写时，请在“高中部在校生数”列填写高中部人数；若只填了义务教育学段的数据，可忽略",
            ),
        );
    }
}

/// A combined school with a facility figure on one stage row only, not split: say which is blank.
fn combined_blank_warnings(t: &Table, school: &School, diags: &mut Diagnostics) {
    if school.kind.is_combined() && school.sections.len() == 2 {
        for f in ResourceKey::FACILITIES {
            let given: Vec<_> = school.sections.iter().map(|s| s.amount(f).is_some()).collect();
            if let Some(blank) = given.iter().position(|g| !g).filter(|_| given.contains(&true)) {
                let col = f.column();
                let sec = &school.sections[blank];
                let stage = sec.stage.map(Stage::label).unwrap_or("");
                diags.push(
                    Diagnostic::warning("combined-facility-blank", t.loc(sec.row, col), format!("{} 的{stage}行“{col}”为空", school.name))
                        .with_hint("若只有全校合计数，请在 content/county.yaml 中设 options.split_combined_facilities: true，按小学:初中 = 1:1.1 的生均当量拆分；否则请分学段填写"),
                );
            }
        }
    }
}

fn conflict(t: &Table, row: u32, col: &str, school: &str, first: &str, now: &str) -> Diagnostic {
    Diagnostic::error(
        "school-conflict",
        t.loc(row, col),
        format!("{school} 各行的“{col}”不一致：先前为“{first}”，此行为“{now}”"),
    )
    .with_hint("同一学校的全校性数据在各学段行应相同，或只在第一行填写、其余行留空")
}

#[allow(clippy::too_many_arguments)]
fn merge_wide<T: PartialEq + Copy>(
    t: &Table,
    row: u32,
    school: &str,
    slot: &mut Option<T>,
    value: Option<T>,
    col: &str,
    show: impl Fn(T) -> String,
    diags: &mut Diagnostics,
) {
    match (*slot, value) {
        (None, v) => *slot = v,
        (Some(a), Some(b)) if a != b => diags.push(conflict(t, row, col, school, &show(a), &show(b))),
        _ => {}
    }
}

/// Counts that cannot exceed one another.
fn check_section(t: &Table, s: &Section, name: &str, diags: &mut Diagnostics) {
    let teachers = s.teachers.unwrap_or(f64::INFINITY);
    for (col, v) in [
        (CERTIFIED, s.certified_teachers),
        (DEGREE, s.degree_teachers),
        (BACKBONE, s.backbone_teachers),
        (PE_ART, s.pe_art_teachers),
    ] {
        if let Some(v) = v.filter(|v| *v > teachers) {
            diags.push(
                Diagnostic::error(
                    "count-exceeds-teachers",
                    t.loc(s.row, col),
                    format!("{name}：“{col}” {v} 大于专任教师数 {teachers}"),
                )
                .with_hint("这些教师都是专任教师中的一部分，请核对"),
            );
        }
    }
    if let (Some(classes), Some(max)) = (s.classes, s.max_class_size)
        && classes > 0.0
        && s.students > 0.0
        && max * classes < s.students
    {
        diags.push(
            Diagnostic::warning(
                "max-class-below-average",
                t.loc(s.row, MAX_CLASS),
                format!("{name}：最大班额 {max} 小于平均班额 {:.1}", s.students / classes),
            )
            .with_hint("最大班额应不小于在校生数 ÷ 班级数，请核对班级数、在校生数和最大班额"),
        );
    }
}
