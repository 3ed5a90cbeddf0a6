//! Every indicator's verdict, B scoring, veto items and the overall result.

use serde::Serialize;
use std::collections::BTreeMap;

use super::resource::{StageResource, indicator_check, stage_resource};
use super::{Check, Verdict, county, school, split};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::load;
use crate::model::plan::{Status, TaskStatus};
use crate::model::{Date, IndicatorType, RuleId, SchoolKind, Stage, Workspace};

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub county: Option<CountyInfo>,
    pub profile: ProfileInfo,
    pub summary: Summary,
    pub resource: Resource,
    /// Results of every rule, by rule id (e.g. `gov.class_size`).
    pub checks: BTreeMap<String, Check>,
    pub indicators: Vec<IndicatorResult>,
    pub b_total: f64,
    pub b_max: f64,
    pub b_pass_mark: Option<f64>,
    /// `None` while B points are unscored and the mark is still reachable.
    pub b_pass: Option<bool>,
    pub veto: Vec<VetoResult>,
    pub overall: Overall,
    pub tasks: Vec<TaskResult>,
    /// Combined schools whose facility totals were split (stated in every output).
    pub splits: Vec<SplitNote>,
    pub evidence: EvidenceReport,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountyInfo {
    pub name: String,
    pub year: i32,
    pub level: crate::model::county::Level,
    pub today: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileInfo {
    pub id: String,
    pub name: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub schools: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub primary: StageSummary,
    pub junior: StageSummary,
    #[serde(serialize_with = "super::whole")]
    pub special_students: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StageSummary {
    pub sections: usize,
    #[serde(serialize_with = "super::whole")]
    pub students: f64,
    #[serde(serialize_with = "super::whole")]
    pub classes: f64,
    #[serde(serialize_with = "super::whole")]
    pub teachers: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub primary: StageResource,
    pub junior: StageResource,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub id: String,
    pub number: u32,
    pub category: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: IndicatorType,
    pub verdict: Verdict,
    /// B items: the self-score so far.
    pub score: Option<f64>,
    pub max_score: Option<f64>,
    pub rule: Option<String>,
    pub summary: String,
    pub reasons: Vec<String>,
    pub lead: Vec<String>,
    pub units: Vec<String>,
    pub points: Vec<PointResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PointResult {
    pub id: String,
    pub text: String,
    pub max: Option<f64>,
    pub score: Option<f64>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VetoResult {
    pub id: String,
    pub text: String,
    /// `None`: not declared in county.yaml.
    pub present: Option<bool>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    pub verdict: Verdict,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskResult {
    pub task: String,
    pub unit: String,
    pub person: Option<String>,
    pub indicators: Vec<String>,
    pub start: Option<Date>,
    pub due: Date,
    pub status: TaskStatus,
    pub overdue: bool,
    /// Due within the next 7 days (inclusive) and not done.
    pub due_soon: bool,
}

/// Evidence reconciled, numbered and boxed.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceReport {
    pub items: Vec<super::evidence::ItemState>,
    pub boxes: Vec<super::evidence::ArchiveBox>,
    pub listed: usize,
    pub present: usize,
    pub missing_files: usize,
    pub paper_only: usize,
    pub unlisted_files: usize,
    /// Assessment points ("A10-2") with no catalogued evidence at all.
    pub points_without_evidence: Vec<String>,
    /// The numbering to keep for the next build.
    #[serde(skip)]
    pub lock: super::evidence::Lock,
}

#[derive(Debug, Clone, Serialize)]
pub struct SplitNote {
    pub school: String,
    pub columns: Vec<&'static str>,
}

/// The schools as the rules see them: combined schools' facility totals split when the
/// workspace asks for it (DOMAIN §2.2), with a note of what was split.
pub fn prepared_schools(ws: &Workspace) -> (Vec<crate::model::School>, Vec<(String, Vec<&'static str>)>) {
    let mut schools = ws.schools.clone();
    let splits = match &ws.config {
        Some(c) if c.options.split_combined_facilities => split::split_combined(&mut schools),
        _ => vec![],
    };
    (schools, splits)
}

pub fn assess(ws: &Workspace) -> (Assessment, Diagnostics) {
    let mut diags = Diagnostics::default();
    let profile = &ws.profile;
    let (schools, splits) = prepared_schools(ws);
    let params = &profile.resource;
    let primary = stage_resource(&schools, Stage::Primary, params);
    let junior = stage_resource(&schools, Stage::Junior, params);

    let mut checks: BTreeMap<RuleId, Check> = BTreeMap::new();
    let mut rules: Vec<RuleId> = profile
        .indicators
        .iter()
        .flat_map(|i| i.rule.into_iter().chain(i.points.iter().filter_map(|p| p.rule)))
        .collect();
    rules.sort();
    rules.dedup();
    let mut county_pending = vec![];
    for rule in rules {
        let county_rule = rule.name().starts_with("county.");
        let check = match rule.resource_key() {
            // No school data at all: nothing can be judged, not even vacuously.
            _ if !county_rule && schools.is_empty() => Check::pending("没有学校基础数据"),
            Some(key) => indicator_check(&[&primary, &junior], key, params),
            None => run_rule(rule, ws, &schools),
        };
        if check.verdict == Verdict::Pending && !schools.is_empty() {
            if county_rule {
                county_pending.push(check.summary.clone());
            } else {
                let detail: Vec<&str> = check.reasons.iter().take(3).map(String::as_str).collect();
                let more = if check.reasons.len() > 3 {
                    format!(" 等 {} 处", check.reasons.len())
                } else {
                    String::new()
                };
                let msg = if detail.is_empty() {
                    check.summary.clone()
                } else {
                    format!("{}{more}", detail.join("；"))
                };
                // Special-school funding without a special school falls back to the county figure.
                let file = if rule == RuleId::SpecialEdFunding && check.schools.is_empty() {
                    load::CONFIG
                } else {
                    load::SCHOOLS
                };
                diags.push(
                    Diagnostic::warning(
                        "data-incomplete",
                        Location::file(file),
                        format!("{msg}，相关指标待核实"),
                    )
                    .with_hint("补齐数据后重新运行 yingjian check"),
                );
            }
        }
        checks.insert(rule, check);
    }

    // Without a readable config the loader has already said why; otherwise one warning lists every gap.
    if !county_pending.is_empty() && ws.config.is_some() {
        diags.push(
            Diagnostic::warning(
                "data-incomplete",
                Location::file(load::CONFIG),
                format!(
                    "{} 项县级数据不全，相关指标待核实：{}",
                    county_pending.len(),
                    county_pending.join("；")
                ),
            )
            .with_hint("在 content/county.yaml 中补填这些数据，字段说明见 docs/inputs.md"),
        );
    }

    let mut indicators = vec![];
    let mut undeclared = vec![];
    for ind in &profile.indicators {
        let entry = ws.scores.get(&ind.id);
        let mut verdict;
        let mut reasons = vec![];
        let mut summary = String::new();
        if let Some(check) = ind.rule.and_then(|r| checks.get(&r)) {
            verdict = check.verdict;
            reasons.extend(check.reasons.iter().cloned());
            summary = check.summary.clone();
        } else {
            verdict = Verdict::Pending;
        }
        let mut points = vec![];
        let mut score = None;
        match ind.kind {
            IndicatorType::A => {
                match entry.and_then(|e| e.status) {
                    Some(status) => {
                        let declared = match status {
                            Status::Met => Verdict::Met,
                            Status::NotMet => Verdict::NotMet,
                            Status::Pending => Verdict::Pending,
                        };
                        if ind.rule.is_none() {
                            verdict = declared;
                            summary = format!("自评申报：{}", declared.label());
                        } else if declared > verdict {
                            verdict = declared;
                            reasons.push(format!("自评申报为{}", declared.label()));
                        } else if declared < verdict {
                            reasons.push(format!("自评申报为{}，但数据显示{}", declared.label(), verdict.label()));
                        }
                        if let Some(r) = entry.and_then(|e| e.reason.clone()) {
                            reasons.push(r);
                        }
                    }
                    None if ind.rule.is_none() => {
                        undeclared.push(ind.id.clone());
                        summary = "尚未申报达标情况".into();
                        reasons.push("依据佐证材料判定，content/scores.yaml 中尚未申报".into());
                    }
                    None => {}
                }
                for p in &ind.points {
                    points.push(PointResult {
                        id: p.id.clone(),
                        text: p.text.clone(),
                        max: None,
                        score: None,
                        reason: None,
                    });
                }
            }
            IndicatorType::B => {
                let mut total = 0.0;
                let mut complete = true;
                for p in &ind.points {
                    let ps = entry.and_then(|e| e.points.get(&p.id));
                    if let Some(ps) = ps {
                        total += ps.score;
                        let max = p.max.unwrap_or(0.0);
                        if ps.score < max {
                            reasons.push(format!(
                                "要点{} 扣 {} 分{}",
                                p.id,
                                super::fmt_num(max - ps.score),
                                ps.reason.as_ref().map(|r| format!("：{r}")).unwrap_or_default()
                            ));
                        }
                        // A point bound to a rule: a full self-score against failing data is flagged.
                        if let Some(check) = p.rule.and_then(|r| checks.get(&r))
                            && check.verdict == Verdict::NotMet
                            && ps.score >= max
                            && max > 0.0
                        {
                            reasons.extend(check.reasons.iter().cloned());
                            diags.push(
                                Diagnostic::warning(
                                    "score-contradicts-data",
                                    Location::file(load::SCORES),
                                    format!(
                                        "指标 {} 要点{} 自评满分，但数据显示未达到：{}",
                                        ind.id,
                                        p.id,
                                        check.reasons.join("；")
                                    ),
                                )
                                .with_hint("核对数据或调整自评得分，避免自评报告与数据表矛盾"),
                            );
                        }
                    } else {
                        complete = false;
                    }
                    points.push(PointResult {
                        id: p.id.clone(),
                        text: p.text.clone(),
                        max: p.max,
                        score: ps.map(|s| s.score),
                        reason: ps.and_then(|s| s.reason.clone()),
                    });
                }
                score = Some(total);
                // B items are scored, not passed one by one: pending until every point has a score.
                verdict = if complete { Verdict::Met } else { Verdict::Pending };
                summary = format!(
                    "自评 {} 分（满分 {} 分）{}",
                    super::fmt_num(total),
                    super::fmt_num(ind.max_score.unwrap_or(0.0)),
                    if complete { "" } else { "，尚有要点未评分" }
                );
            }
        }
        if summary.is_empty() {
            summary = verdict.label().to_owned();
        }
        indicators.push(IndicatorResult {
            id: ind.id.clone(),
            number: ind.number,
            category: ind.category.clone(),
            name: ind.name.clone(),
            kind: ind.kind,
            verdict,
            score,
            max_score: ind.max_score,
            rule: ind.rule.map(RuleId::name),
            summary,
            reasons,
            lead: ind.lead.clone(),
            units: ind.units.clone(),
            points,
        });
    }
    if !undeclared.is_empty() {
        diags.push(
            Diagnostic::warning(
                "status-undeclared",
                Location::file(load::SCORES),
                format!(
                    "{} 项依据佐证材料判定的 A 类指标尚未申报：{}",
                    undeclared.len(),
                    undeclared.join("、")
                ),
            )
            .with_hint("在 content/scores.yaml 中为这些指标写 status: 达标 / 未达标 / 待核实 及理由"),
        );
    }

    let b: Vec<&IndicatorResult> = indicators.iter().filter(|i| i.kind == IndicatorType::B).collect();
    let b_total: f64 = b.iter().filter_map(|i| i.score).sum();
    let b_max: f64 = b.iter().filter_map(|i| i.max_score).sum();
    let unscored: f64 = b
        .iter()
        .flat_map(|i| &i.points)
        .filter(|p| p.score.is_none())
        .filter_map(|p| p.max)
        .sum();
    // 赣教督委字〔2018〕6号: B 类指标总分100分，90分以上为达标.
    let b_pass = profile.b_pass_mark.filter(|_| !b.is_empty()).and_then(|mark| {
        if super::at_least(b_total, mark) {
            Some(true)
        } else if !super::at_least(b_total + unscored, mark) {
            Some(false)
        } else {
            None
        }
    });

    let veto: Vec<VetoResult> = profile
        .veto
        .iter()
        .map(|v| {
            let d = ws.config.as_ref().and_then(|c| c.veto.get(&v.id));
            VetoResult {
                id: v.id.clone(),
                text: v.text.clone(),
                present: d.map(|d| d.present),
                note: d.and_then(|d| d.note.clone()),
            }
        })
        .collect();
    let overall = overall(&indicators, b_pass, profile.b_pass_mark, b_total, &veto);
    let today = ws.config.as_ref().map(|c| c.today);
    let tasks = ws
        .tasks
        .iter()
        .map(|t| {
            let open = t.status != TaskStatus::Done;
            let left = today.map(|d| t.due.days() - d.days());
            TaskResult {
                task: t.task.clone(),
                unit: t.unit.clone(),
                person: t.person.clone(),
                indicators: t.indicators.clone(),
                start: t.start,
                due: t.due,
                status: t.status,
                overdue: open && left.is_some_and(|l| l < 0),
                due_soon: open && left.is_some_and(|l| (0..=7).contains(&l)),
            }
        })
        .collect();

    let evidence = evidence_report(ws, &mut diags);
    let summary = summarize(&schools);
    let assessment = Assessment {
        county: ws.config.as_ref().map(|c| CountyInfo {
            name: c.county.clone(),
            year: c.year,
            level: c.level,
            today: c.today,
        }),
        profile: ProfileInfo {
            id: profile.id.clone(),
            name: profile.name.clone(),
            source: profile.source.clone(),
        },
        summary,
        resource: Resource { primary, junior },
        checks: checks.into_iter().map(|(k, v)| (k.name(), v)).collect(),
        indicators,
        b_total,
        b_max,
        b_pass_mark: profile.b_pass_mark,
        b_pass,
        veto,
        overall,
        tasks,
        splits: splits
            .into_iter()
            .map(|(school, columns)| SplitNote { school, columns })
            .collect(),
        evidence,
        diagnostics: vec![],
    };
    (assessment, diags)
}

fn evidence_report(ws: &Workspace, diags: &mut Diagnostics) -> EvidenceReport {
    use super::evidence::{ItemState, assign, boxes, format_number, reconcile};
    let opts = ws.config.as_ref().map(|c| c.evidence.clone()).unwrap_or_default();
    let found = reconcile(&ws.evidence, &ws.files, diags);
    let (seqs, lock) = assign(&ws.evidence, &ws.lock, false);
    let mut items: Vec<ItemState> = ws
        .evidence
        .iter()
        .enumerate()
        .map(|(i, e)| ItemState {
            index: i,
            number: format_number(&opts.number_format, &e.indicator, &e.point, seqs[i]),
            indicator: e.indicator.clone(),
            point: e.point.clone(),
            seq: seqs[i],
            title: e.title.clone(),
            file: e.file.clone(),
            status: found[i].0,
            pages: found[i].1,
            box_id: String::new(),
        })
        .collect();
    let boxes = boxes(&ws.profile, &items, &opts);
    for b in &boxes {
        for &i in &b.items {
            items[i].box_id = b.id.clone();
        }
    }
    let points_without_evidence = ws
        .profile
        .indicators
        .iter()
        .flat_map(|ind| ind.points.iter().map(move |p| (ind, p)))
        .filter(|(ind, p)| !ws.evidence.iter().any(|e| e.indicator == ind.id && e.point == p.id))
        .map(|(ind, p)| format!("{}-{}", ind.id, p.id))
        .collect();
    let count = |s: &str| items.iter().filter(|i| i.status == s).count();
    EvidenceReport {
        listed: items.len(),
        present: count("已提供"),
        missing_files: count("文件缺失"),
        paper_only: count("无电子文件"),
        unlisted_files: ws
            .files
            .iter()
            .filter(|f| !ws.evidence.iter().any(|e| e.file.as_deref() == Some(f.rel.as_str())))
            .count(),
        points_without_evidence,
        items,
        boxes,
        lock,
    }
}

fn run_rule(rule: RuleId, ws: &Workspace, schools: &[crate::model::School]) -> Check {
    let cfg = ws.config.as_ref();
    let county_rule = |f: fn(&crate::model::CountyConfig) -> Check| match cfg {
        Some(c) => f(c),
        None => Check::pending("缺少 content/county.yaml"),
    };
    match rule {
        RuleId::MusicArtRooms => school::music_art_rooms(schools),
        RuleId::SchoolSize => school::school_size(schools),
        RuleId::ClassSize => school::class_size(schools),
        RuleId::SmallSchoolFunding => {
            school::small_school_funding(schools, cfg.and_then(|c| c.finance.public_funds_baseline))
        }
        RuleId::SpecialEdFunding => {
            school::special_ed_funding(schools, cfg.and_then(|c| c.finance.special_ed_per_pupil))
        }
        RuleId::TrainingFunds => school::training_funds(schools),
        RuleId::CertifiedTeachers => school::certified_teachers(schools),
        RuleId::SpendingGrowth => county_rule(county::spending_growth),
        RuleId::TeacherPay => county_rule(county::teacher_pay),
        RuleId::Training360 => county_rule(county::training_360),
        RuleId::Rotation => county_rule(county::rotation),
        RuleId::ZonedEnrolment => county_rule(county::zoned_enrolment),
        RuleId::QuotaAllocation => county_rule(county::quota_allocation),
        RuleId::MigrantChildren => county_rule(county::migrant_children),
        RuleId::Retention => county_rule(county::retention),
        RuleId::DisabledEnrolment => county_rule(county::disabled_enrolment),
        RuleId::QualityMonitoring => county_rule(county::quality_monitoring),
        RuleId::Recognition => county_rule(county::recognition),
        // Resource rules are handled by the caller.
        _ => Check::pending("未知规则"),
    }
}

/// All A items met, B total at the pass mark, no veto item: 达标.
fn overall(
    indicators: &[IndicatorResult],
    b_pass: Option<bool>,
    mark: Option<f64>,
    b_total: f64,
    veto: &[VetoResult],
) -> Overall {
    let mut verdict = Verdict::Met;
    let mut reasons = vec![];
    let a = |v: Verdict| {
        indicators
            .iter()
            .filter(move |i| i.kind == IndicatorType::A && i.verdict == v)
            .map(|i| format!("{} {}", i.id, i.name))
            .collect::<Vec<_>>()
    };
    let failed = a(Verdict::NotMet);
    if !failed.is_empty() {
        verdict = Verdict::NotMet;
        reasons.push(format!("{} 项 A 类指标未达标：{}", failed.len(), failed.join("、")));
    }
    let pending = a(Verdict::Pending);
    if !pending.is_empty() {
        verdict = verdict.max(Verdict::Pending);
        reasons.push(format!("{} 项 A 类指标待核实：{}", pending.len(), pending.join("、")));
    }
    if let Some(mark) = mark.filter(|_| indicators.iter().any(|i| i.kind == IndicatorType::B)) {
        match b_pass {
            Some(false) => {
                verdict = Verdict::NotMet;
                reasons.push(format!(
                    "B 类指标自评 {} 分，低于 {} 分",
                    super::fmt_num(b_total),
                    super::fmt_num(mark)
                ));
            }
            None => {
                verdict = verdict.max(Verdict::Pending);
                reasons.push(format!("B 类指标尚未评分完毕（已得 {} 分）", super::fmt_num(b_total)));
            }
            Some(true) => {}
        }
    }
    for v in veto {
        match v.present {
            Some(true) => {
                verdict = Verdict::NotMet;
                reasons.push(format!("一票否决：{}", v.text));
            }
            None => {
                verdict = verdict.max(Verdict::Pending);
                reasons.push(format!("一票否决项未申报：{}", v.text));
            }
            Some(false) => {}
        }
    }
    Overall { verdict, reasons }
}

fn summarize(schools: &[crate::model::School]) -> Summary {
    let mut by_kind = BTreeMap::new();
    let mut primary = StageSummary::default();
    let mut junior = StageSummary::default();
    let mut special_students = 0.0;
    for s in schools {
        *by_kind.entry(s.kind.label()).or_insert(0) += 1;
        for sec in &s.sections {
            let target = match sec.stage {
                Some(Stage::Primary) => &mut primary,
                Some(Stage::Junior) => &mut junior,
                None => {
                    special_students += sec.students;
                    continue;
                }
            };
            if s.kind == SchoolKind::Special {
                special_students += sec.students;
                continue;
            }
            target.sections += 1;
            target.students += sec.students;
            target.classes += sec.classes.unwrap_or(0.0);
            target.teachers += sec.teachers.unwrap_or(0.0);
        }
    }
    Summary {
        schools: schools.len(),
        by_kind,
        primary,
        junior,
        special_students,
    }
}
