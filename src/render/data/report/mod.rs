//! The self-evaluation report (自评报告): the data the Typst template draws.

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::{Date, IndicatorType, ResourceKey, Stage, Workspace};
use crate::render::data::overview::CvCell;
use crate::render::{markdown, tera};
use crate::rules::Assessment;
use crate::rules::{Verdict, fmt_beside, fmt_num};
use serde_json::Value;

mod checks;
mod shape;
pub use shape::*;

/// 二〇二六年十一月, as dated on a cover.
pub fn cn_year_month(d: Date) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let year: String = d
        .year
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10).map(|n| DIGITS[n as usize]))
        .collect();
    let month = match d.month {
        10 => "十".to_owned(),
        m if m > 10 => format!("十{}", DIGITS[(m - 10) as usize]),
        m => DIGITS[m as usize].to_string(),
    };
    format!("{year}年{month}月")
}

/// The signature's date in full: GB/T 9704-2012 7.3.5.1 (成文日期用阿拉伯数字将年、月、日标全，
/// 月、日不编虚位): "2026年11月20日".
pub fn signed_date(d: Date) -> String {
    format!("{}年{}月{}日", d.year, d.month, d.day)
}

/// The narrative chapters as blocks, by file stem. Each file's placeholders are filled by
/// Tera with the assessment as context first, so figures in the text come from the data.
pub fn narrative(ws: &Workspace, a: &Assessment, diags: &mut Diagnostics) -> Vec<(String, Value)> {
    // One context for every file (the assessment runs to megabytes at county scale). It is
    // an object, so the context is always made; an empty one would fail each file, reported.
    let context = serde_json::to_value(a)
        .ok()
        .and_then(|v| ::tera::Context::from_value(v).ok())
        .unwrap_or_default();
    let mut out = vec![];
    for n in &ws.narrative {
        match tera::render(&n.rel, &n.text, &context) {
            Ok(text) => out.push((n.stem.clone(), markdown::blocks(&text, &n.rel, &ws.files, diags))),
            Err(e) => {
                let x = tera::explain(&n.text, &e, Some(&context));
                let at =
                    x.at.map_or_else(|| Location::file(&n.rel), |(l, c)| Location::line(&n.rel, l, c));
                diags.push(
                    Diagnostic::error("report-template", at, format!("叙述材料中的模板有误：{}", x.message))
                        .with_hint(x.hint),
                );
            }
        }
    }
    out
}

/// Schools on a page of the resource tables when they are set apart: a page holds 29 rows of
/// one line under the two-line header, the first page of a stage 27 (its caption and the
/// standards); 25 leave room for a few names on two lines.
pub const TABLE_ROWS: usize = 25;

/// Over this many schools the resource tables are set apart from the text: they start on a
/// page of their own, a table per page of `TABLE_ROWS`, and the text after them on the next
/// page. Then a corrected figure lays out one page of them, not the body's three hundred rows.
/// Fewer schools keep their tables in the text.
pub const APART_OVER: usize = 2 * TABLE_ROWS;

/// The chapter whose text holds the resource tables (report-parts.typ, the Word report).
pub const RESOURCE_CHAPTER: &str = "资源配置";

/// The entry of `texts` that takes the most room: a CJK character counts two, others one.
fn widest<'a>(texts: impl Iterator<Item = &'a str>) -> &'a str {
    let width = |t: &str| t.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>();
    texts.fold("", |w, t| if width(t) > width(w) { t } else { w })
}

/// A school's value as tables print it: 元 whole, the rest to 2 decimals, and more when a
/// shortfall would otherwise read as the standard.
pub fn shown(key: ResourceKey, v: f64, standard: f64, short: bool) -> String {
    let digits = if key == ResourceKey::EquipmentValue { 0 } else { 2 };
    fmt_beside(v, digits, standard, short)
}

fn stage_table(a: &Assessment, stage: Stage) -> StageTable {
    let st = match stage {
        Stage::Primary => &a.resource.primary,
        Stage::Junior => &a.resource.junior,
    };
    let rows = st
        .schools
        .iter()
        .map(|s| {
            let cells = ResourceKey::ALL
                .iter()
                .map(|k| match s.values[k] {
                    Some(v) => TableCell {
                        v: shown(*k, v, st.standards[k], s.shortfalls.contains(k)),
                        short: s.shortfalls.contains(k),
                    },
                    None => TableCell {
                        v: "—".into(),
                        short: false,
                    },
                })
                .collect();
            let pass = match s.pass {
                Some(true) => "是",
                Some(false) => "否",
                None => "待核实",
            };
            TableRow {
                name: s.name.clone(),
                students: fmt_num(s.students),
                cells,
                met: s.met,
                pass,
                ok: s.pass == Some(true),
            }
        })
        .collect();
    let standards: Vec<String> = ResourceKey::ALL.iter().map(|k| fmt_num(st.standards[k])).collect();
    let names = widest(st.schools.iter().map(|s| s.name.as_str()));
    let students: Vec<String> = st.schools.iter().map(|s| fmt_num(s.students)).collect();
    let numbers = widest(students.iter().map(String::as_str));
    let cv = ResourceKey::ALL
        .iter()
        .map(|k| match (st.cv[k], st.cv_pass[k]) {
            (Some(c), Some(p)) => CvCell {
                v: fmt_beside(c, 3, st.cv_limit, !p),
                ok: p,
            },
            _ => CvCell {
                v: "—".into(),
                ok: true,
            },
        })
        .collect();
    let charts = ResourceKey::ALL
        .iter()
        .map(|k| {
            let bars = st
                .schools
                .iter()
                .filter_map(|s| {
                    s.values[k].map(|v| Bar {
                        name: s.name.clone(),
                        value: v,
                        text: shown(*k, v, st.standards[k], s.shortfalls.contains(k)),
                        short: s.shortfalls.contains(k),
                    })
                })
                .collect();
            Chart {
                key: k.id(),
                label: k.label(),
                unit: k.unit(),
                standard: st.standards[k],
                standard_text: fmt_num(st.standards[k]),
                bars,
            }
        })
        .collect();
    StageTable {
        stage: stage.label(),
        schools: st.schools.len(),
        students: fmt_num(st.students),
        limit: format!("{:.2}", st.cv_limit),
        standards,
        rows,
        widest: Widest {
            name: names.to_owned(),
            students: numbers.to_owned(),
        },
        cv,
        charts,
        excluded: st
            .excluded
            .iter()
            .map(|e| format!("{}：{}", e.name, e.reason))
            .collect(),
    }
}

/// Everything the report template reads.
pub fn data(ws: &Workspace, a: &Assessment, diags: &mut Diagnostics) -> Report {
    let narrative = narrative(ws, a, diags);
    let config = ws.config.as_ref();
    let county = config.map(|c| c.county.clone()).unwrap_or_else(|| "本县".into());
    let today = ws.today();
    let basic = basic_text(&a.summary);
    let categories = categories(ws, a, &narrative);
    let (problems, measures) = problems_and_measures(a);
    let section = |k: &str| {
        narrative
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or(Value::Null)
    };
    unplaced_narrative(ws, &narrative, diags);
    let schools = a.resource.primary.schools.len() + a.resource.junior.schools.len();
    let apart = schools > APART_OVER && categories.iter().any(|c| c.name == RESOURCE_CHAPTER);
    let overall = match a.overall.verdict {
        Verdict::Met => "达到",
        Verdict::NotMet => "尚未达到",
        Verdict::Pending => "待核实是否达到",
    };
    Report {
        title: format!("{county}义务教育优质均衡发展\n自评报告"),
        government: config
            .and_then(|c| c.government.clone())
            .unwrap_or_else(|| format!("{county}人民政府")),
        date: cn_year_month(today),
        signed: signed_date(today),
        profile: ProfileRef {
            name: a.profile.name.clone(),
            source: a.profile.source.clone(),
        },
        basic,
        overall: format!(
            "对照《{}》（{}），{}自评{}优质均衡发展标准。",
            a.profile.name, a.profile.source, county, overall
        ),
        county,
        overall_reasons: a.overall.reasons.clone(),
        b: a.b_pass_mark.filter(|_| a.b_max > 0.0).map(|m| {
            format!(
                "B 类指标自评得分 {} 分（满分 {} 分，{} 分以上为达标）。",
                fmt_num(a.b_total),
                fmt_num(a.b_max),
                fmt_num(m)
            )
        }),
        veto: a
            .veto
            .iter()
            .map(|v| VetoLine {
                text: v.text.clone(),
                state: super::veto_state(v.present),
            })
            .collect(),
        resource: [stage_table(a, Stage::Primary), stage_table(a, Stage::Junior)],
        table_rows: apart.then_some(TABLE_ROWS),
        resource_labels: ResourceKey::ALL
            .iter()
            .map(|k| Label {
                label: k.label(),
                unit: k.unit(),
            })
            .collect(),
        splits: a
            .splits
            .iter()
            .map(|s| format!("{}的{}按{}的生均当量拆分", s.school, s.columns.join("、"), s.how))
            .collect(),
        categories,
        school_checks: checks::school_checks(a),
        crosswalk: a
            .crosswalk
            .iter()
            .map(|r| CrosswalkLine {
                from: format!("{} {}", r.from, r.from_name),
                point: r.point.clone(),
                to: if r.to.is_empty() {
                    "（无对应）".to_owned()
                } else {
                    r.to.join("、")
                },
                from_verdict: r.from_verdict.clone(),
                to_verdict: r.to_verdict.clone(),
                evidence: r.evidence.to_string(),
                mapped: !r.to.is_empty(),
            })
            .collect(),
        problems,
        measures,
        narrative: Narrative {
            preface: section("前言"),
            basic: section("基本情况"),
            problems: section("存在问题"),
            measures: section("整改措施"),
            closing: section("结语"),
        },
    }
}

/// 基本情况's first paragraph: the schools, pupils, classes and teachers.
fn basic_text(s: &crate::rules::assessment::Summary) -> String {
    let kinds: Vec<String> = s.by_kind.iter().map(|(k, n)| format!("{k} {n} 所")).collect();
    format!(
        "全县共有义务教育阶段学校 {} 所（{}）。小学在校生 {} 人、{} 个班、专任教师 {} 人；初中在校生 {} 人、{} 个班、专任教师 {} 人{}。",
        s.schools,
        kinds.join("、"),
        fmt_num(s.primary.students),
        fmt_num(s.primary.classes),
        fmt_num(s.primary.teachers),
        fmt_num(s.junior.students),
        fmt_num(s.junior.classes),
        fmt_num(s.junior.teachers),
        if s.special_students > 0.0 {
            format!("；特殊教育学校在校生 {} 人", fmt_num(s.special_students))
        } else {
            String::new()
        }
    )
}

/// Each category of the profile: its indicators, its narrative and how many are met.
fn categories(ws: &Workspace, a: &Assessment, narrative: &[(String, Value)]) -> Vec<Category> {
    ws.profile
        .categories
        .iter()
        .map(|cat| {
            let inds: Vec<&crate::rules::assessment::IndicatorResult> =
                a.indicators.iter().filter(|i| &i.category == cat).collect();
            let met = inds.iter().filter(|i| i.verdict == Verdict::Met).count();
            let text = narrative
                .iter()
                .find(|(k, _)| k == cat)
                .map(|(_, v)| v.clone())
                .unwrap_or(Value::Null);
            Category {
                name: cat.clone(),
                summary: format!("本部分共 {} 项指标，自评达标（或已计分）{} 项。", inds.len(), met),
                narrative: text,
                indicators: inds.iter().map(|i| indicator(a, i)).collect(),
            }
        })
        .collect()
}

/// 存在问题 and 整改措施: each indicator not met (or a B indicator that lost points). A problem
/// is what fails, stated as the figure against its standard, from the same rows as the
/// problem list; its measures are the tasks of tasks.yaml that answer those rows, as in the
/// school plans. A computed transfer is not a measure until it is a task. Vetoes present.
fn problems_and_measures(a: &Assessment) -> (Vec<Titled>, Vec<Titled>) {
    use super::rectification::{county_text, indicator_gaps, indicator_tasks};
    let mut problems = vec![];
    let mut measures = vec![];
    for i in &a.indicators {
        let failing = i.verdict == Verdict::NotMet;
        let lost = i.kind == IndicatorType::B && i.score.zip(i.max_score).is_some_and(|(s, m)| s < m);
        if !failing && !lost {
            continue;
        }
        let title = format!("{} {}", i.id, i.name);
        let (text, tasks) = if failing {
            let parts: Vec<String> = county_text(a, i)
                .into_iter()
                .chain(
                    indicator_gaps(a, &i.id)
                        .into_iter()
                        .map(super::problem_text::gap_sentence),
                )
                .collect();
            (parts.join("；"), indicator_tasks(a, i))
        } else {
            let of = |t: &&crate::rules::assessment::TaskResult| t.indicators.contains(&i.id);
            (
                super::problem_text::problem_reasons(i).join("；"),
                a.tasks.iter().filter(of).collect(),
            )
        };
        problems.push(Titled {
            title: title.clone(),
            text,
        });
        let text = if tasks.is_empty() {
            format!(
                "由{}牵头，{}配合，制定专项整改方案，明确时限，逐项销号。",
                join_or(&i.lead, "教育行政部门"),
                join_or(&i.units, "相关单位")
            )
        } else {
            tasks.iter().map(|t| measure(t)).collect::<Vec<_>>().join("；")
        };
        measures.push(Titled { title, text });
    }
    for v in a.veto.iter().filter(|v| v.present == Some(true)) {
        problems.push(Titled {
            title: "一票否决".to_owned(),
            text: v.text.clone(),
        });
    }
    (problems, measures)
}

/// A task as a measure: "柳溪村小学运动场扩建（责任单位：住建局，完成时限：2026年11月15日）".
pub fn measure(t: &crate::rules::assessment::TaskResult) -> String {
    let done = if t.status == crate::model::team::TaskStatus::Done {
        "，已完成"
    } else {
        ""
    };
    format!(
        "{}（责任单位：{}，完成时限：{}年{}月{}日{done}）",
        t.task, t.unit, t.due.year, t.due.month, t.due.day
    )
}

/// Narrative files that have no chapter to go in: said so.
fn unplaced_narrative(ws: &Workspace, narrative: &[(String, Value)], diags: &mut Diagnostics) {
    let known: Vec<&str> = ["前言", "基本情况", "存在问题", "整改措施", "结语"]
        .into_iter()
        .chain(ws.profile.categories.iter().map(String::as_str))
        .collect();
    for (k, _) in narrative {
        if !known.contains(&k.as_str()) {
            diags.push(
                Diagnostic::warning(
                    "report-unplaced",
                    Location::file(format!("{}/{k}.md", crate::paths::REPORT_DIR)),
                    format!("叙述材料“{k}.md”没有对应的章节，未写入报告"),
                )
                .with_hint(format!("文件名可用：{}", known.join("、"))),
            );
        }
    }
}

fn join_or(list: &[String], fallback: &str) -> String {
    if list.is_empty() {
        fallback.to_owned()
    } else {
        list.join("、")
    }
}

/// The self-score, and what counts when a failing data rule makes it count less: "5（计入 0）".
fn point_score(p: &crate::rules::assessment::PointResult) -> Option<String> {
    let score = p.score?;
    Some(match p.counted {
        Some(c) if c != score => format!("{}（计入 {}）", fmt_num(score), fmt_num(c)),
        _ => fmt_num(score),
    })
}

fn indicator(a: &Assessment, i: &crate::rules::assessment::IndicatorResult) -> Indicator {
    // B items carry their score in the summary; A items lead with the verdict.
    let verdict = match i.kind {
        IndicatorType::B => String::new(),
        IndicatorType::A => format!("{}。", i.verdict.label()),
    };
    Indicator {
        id: i.id.clone(),
        name: i.name.clone(),
        kind: i.kind.to_string(),
        verdict,
        state: super::state(i.verdict),
        summary: i.summary.clone(),
        reasons: super::problem_text::worded(a, i, i.reasons.iter().map(String::as_str).collect()),
        points: i
            .points
            .iter()
            .map(|p| PointLine {
                id: p.id.clone(),
                text: p.text.clone(),
                max: p.max.map(fmt_num),
                score: point_score(p),
                reason: p.reason.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_dates_in_chinese() {
        assert_eq!(cn_year_month(Date::new(2026, 11, 20).unwrap()), "二〇二六年十一月");
        assert_eq!(cn_year_month(Date::new(2030, 10, 1).unwrap()), "二〇三〇年十月");
        assert_eq!(cn_year_month(Date::new(2027, 3, 1).unwrap()), "二〇二七年三月");
        // The signature: every part, no leading zeros.
        assert_eq!(signed_date(Date::new(2026, 11, 20).unwrap()), "2026年11月20日");
        assert_eq!(signed_date(Date::new(2027, 3, 1).unwrap()), "2027年3月1日");
    }
}
