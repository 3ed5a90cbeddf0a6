//! The per-school government-guarantee rules (教督〔2017〕6号 第七条、第八条; 赣教督委字〔2018〕6号),
//! one file each holding the rule's check and the shortfalls behind a failing finding, and
//! `unit`: the one match that says how every rule of `RuleId` is run.

pub mod certified_teachers;
pub mod class_size;
pub mod music_art_rooms;
pub mod school_size;
pub mod small_school_funding;
pub mod special_ed_funding;
pub mod staffing_ratio;
pub mod training_funds;

use super::gaps::Gap;
use super::{Check, SchoolFinding, Verdict, county};
use crate::model::profile::{PerStage, RuleParams};
use crate::model::{CountyConfig, ResourceKey, RuleId, School, SchoolKind, Stage};

/// How a rule is run.
#[derive(Clone, Copy)]
pub enum Unit {
    /// A resource item, judged from the stage tables (`resource::indicator_check`) with its
    /// shortfalls from `gaps::gaps`.
    Resource(ResourceKey),
    /// A rule judged school by school from 学校基础数据.
    School(SchoolRule),
    /// A rule judged from the county's own figures in content/county.yaml.
    County(fn(&CountyConfig, &RuleParams) -> Check),
}

/// A per-school rule: its check over all schools, and the shortfalls of one failing finding
/// (of a school, or of one stage section of it).
#[derive(Clone, Copy)]
pub struct SchoolRule {
    pub check: fn(&[School], &Inputs) -> Check,
    pub gaps: fn(&School, Option<Stage>, &Inputs) -> Vec<Gap>,
}

/// Every rule's unit. Exhaustive on purpose: a new `RuleId` does not compile until it is here.
pub fn unit(rule: RuleId) -> Unit {
    match rule {
        RuleId::Resource(key) => Unit::Resource(key),
        RuleId::MusicArtRooms => Unit::School(music_art_rooms::RULE),
        RuleId::SchoolSize => Unit::School(school_size::RULE),
        RuleId::ClassSize => Unit::School(class_size::RULE),
        RuleId::SmallSchoolFunding => Unit::School(small_school_funding::RULE),
        RuleId::SpecialEdFunding => Unit::School(special_ed_funding::RULE),
        RuleId::TrainingFunds => Unit::School(training_funds::RULE),
        RuleId::CertifiedTeachers => Unit::School(certified_teachers::RULE),
        RuleId::StaffingRatio => Unit::School(staffing_ratio::RULE),
        RuleId::SpendingGrowth => Unit::County(county::spending_growth),
        RuleId::TeacherPay => Unit::County(county::teacher_pay),
        RuleId::Training360 => Unit::County(county::training_360),
        RuleId::Rotation => Unit::County(county::rotation),
        RuleId::ZonedEnrolment => Unit::County(county::zoned_enrolment),
        RuleId::QuotaAllocation => Unit::County(county::quota_allocation),
        RuleId::MigrantChildren => Unit::County(county::migrant_children),
        RuleId::Retention => Unit::County(county::retention),
        RuleId::DisabledEnrolment => Unit::County(county::disabled_enrolment),
        RuleId::QualityMonitoring => Unit::County(county::quality_monitoring),
        RuleId::Recognition => Unit::County(county::recognition),
    }
}

/// What a per-school rule reads beside the schools: the profile's thresholds and the county's
/// own figures.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub params: &'a RuleParams,
    /// finance.public_funds_baseline: 生均公用经费基准定额.
    pub baseline: Option<PerStage>,
    /// finance.special_ed_per_pupil: the county's figure when it has no special school.
    pub special_ed_per_pupil: Option<f64>,
    /// absent.small_schools: the county declares it has no school under 100 pupils.
    pub no_small_schools: bool,
}

impl<'a> Inputs<'a> {
    pub fn new(params: &'a RuleParams, config: Option<&CountyConfig>) -> Inputs<'a> {
        Inputs {
            params,
            baseline: config.and_then(|c| c.finance.public_funds_baseline),
            special_ed_per_pupil: config.and_then(|c| c.finance.special_ed_per_pupil),
            no_small_schools: config.is_some_and(|c| c.absent.small_schools),
        }
    }
}

fn finding(
    school: &School,
    stage: Option<Stage>,
    verdict: Verdict,
    standard: impl Into<String>,
    measured: impl Into<String>,
) -> SchoolFinding {
    SchoolFinding {
        code: school.code.clone(),
        name: school.name.clone(),
        stage,
        verdict,
        standard: standard.into(),
        measured: measured.into(),
        note: None,
        declare: None,
    }
}

/// 教学点 and special schools are not 小学/初中 in the sense of the room and size rules.
fn ordinary(s: &School) -> bool {
    !matches!(s.kind, SchoolKind::Special | SchoolKind::TeachingPoint)
}

/// A gap of a per-school rule, without the school and rule filled in (`gaps::gaps` does).
#[allow(clippy::too_many_arguments)]
fn gap(
    key: &'static str,
    item: &str,
    value: f64,
    standard: f64,
    value_unit: &'static str,
    amount: f64,
    required: f64,
    shortfall: f64,
    unit: &'static str,
) -> Gap {
    Gap {
        school_code: String::new(),
        school_name: String::new(),
        stage: None,
        key,
        item: item.to_owned(),
        rule: RuleId::SchoolSize,
        indicators: vec![],
        value,
        standard,
        value_unit,
        amount,
        required,
        shortfall,
        unit,
        verdict: Verdict::NotMet,
        cheapest_set: None,
        to_pass: None,
        note: None,
        transfer: None,
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::model::Section;
    use crate::model::school::Locale;

    /// National thresholds and no county figures.
    pub fn inputs(params: &RuleParams) -> Inputs<'_> {
        Inputs {
            params,
            baseline: None,
            special_ed_per_pupil: None,
            no_small_schools: false,
        }
    }

    pub fn school(kind: SchoolKind, sections: Vec<Section>) -> School {
        School {
            code: "1".into(),
            name: "测试学校".into(),
            kind,
            locale: Some(Locale::Urban),
            built: None,
            music_rooms: Some(2.0),
            music_room_min_area: Some(96.0),
            art_rooms: Some(2.0),
            art_room_min_area: Some(90.0),
            public_budget_wan: Some(100.0),
            training_funds_wan: Some(5.0),
            senior_students: None,
            owner_type: None,
            sections,
        }
    }

    pub fn sec(stage: Stage, students: f64, classes: f64, max: f64) -> Section {
        Section {
            stage: Some(stage),
            students,
            classes: Some(classes),
            max_class_size: Some(max),
            teachers: Some(30.0),
            certified_teachers: Some(30.0),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::profile::Scope;

    #[test]
    fn county_rules_are_the_county_scoped_ones() {
        for rule in RuleId::ALL {
            let county = matches!(unit(rule), Unit::County(_));
            assert_eq!(county, rule.scope() == Scope::County, "{}", rule.name());
            assert_eq!(RuleId::parse(&rule.name()), Some(rule));
        }
    }
}
