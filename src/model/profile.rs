//! Indicator systems (profiles): data files under `assets/profiles/`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use super::school::Stage;

pub const DEFAULT: &str = "national-2017";

/// The profiles compiled into the binary: (id, YAML text).
pub const BUILTIN: [(&str, &str); 2] = [
    (
        "national-2017",
        include_str!("../../assets/profiles/national-2017.yaml"),
    ),
    ("jiangxi-2018", include_str!("../../assets/profiles/jiangxi-2018.yaml")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKey {
    DegreeTeachers,
    BackboneTeachers,
    PeArtTeachers,
    BuildingArea,
    SportsArea,
    EquipmentValue,
    MultimediaRooms,
}

impl ResourceKey {
    pub const ALL: [ResourceKey; 7] = [
        ResourceKey::DegreeTeachers,
        ResourceKey::BackboneTeachers,
        ResourceKey::PeArtTeachers,
        ResourceKey::BuildingArea,
        ResourceKey::SportsArea,
        ResourceKey::EquipmentValue,
        ResourceKey::MultimediaRooms,
    ];

    /// Facility figures that a combined school may only know as whole-school totals.
    pub const FACILITIES: [ResourceKey; 4] = [
        ResourceKey::BuildingArea,
        ResourceKey::SportsArea,
        ResourceKey::EquipmentValue,
        ResourceKey::MultimediaRooms,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ResourceKey::DegreeTeachers => "degree_teachers",
            ResourceKey::BackboneTeachers => "backbone_teachers",
            ResourceKey::PeArtTeachers => "pe_art_teachers",
            ResourceKey::BuildingArea => "building_area",
            ResourceKey::SportsArea => "sports_area",
            ResourceKey::EquipmentValue => "equipment_value",
            ResourceKey::MultimediaRooms => "multimedia_rooms",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResourceKey::DegreeTeachers => "每百名学生拥有高于规定学历教师数",
            ResourceKey::BackboneTeachers => "每百名学生拥有县级以上骨干教师数",
            ResourceKey::PeArtTeachers => "每百名学生拥有体育、艺术专任教师数",
            ResourceKey::BuildingArea => "生均教学及辅助用房面积",
            ResourceKey::SportsArea => "生均体育运动场馆面积",
            ResourceKey::EquipmentValue => "生均教学仪器设备值",
            ResourceKey::MultimediaRooms => "每百名学生拥有网络多媒体教室数",
        }
    }

    /// The column of 学校基础数据 that holds the figure behind the item.
    pub fn column(self) -> &'static str {
        use super::school::columns as col;
        match self {
            ResourceKey::DegreeTeachers => col::DEGREE,
            ResourceKey::BackboneTeachers => col::BACKBONE,
            ResourceKey::PeArtTeachers => col::PE_ART,
            ResourceKey::BuildingArea => col::BUILDING,
            ResourceKey::SportsArea => col::SPORTS,
            ResourceKey::EquipmentValue => col::EQUIPMENT,
            ResourceKey::MultimediaRooms => col::MULTIMEDIA,
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            ResourceKey::DegreeTeachers | ResourceKey::BackboneTeachers | ResourceKey::PeArtTeachers => "人",
            ResourceKey::BuildingArea | ResourceKey::SportsArea => "平方米",
            ResourceKey::EquipmentValue => "元",
            ResourceKey::MultimediaRooms => "间",
        }
    }
}

/// Rule bindings an indicator (or one of its points) may name, written in profiles as
/// `resource.<key>`, `gov.<rule>` or `county.<rule>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    /// One of the seven resource items, judged school by school.
    Resource(ResourceKey),
    MusicArtRooms,
    SchoolSize,
    ClassSize,
    SmallSchoolFunding,
    SpecialEdFunding,
    TrainingFunds,
    CertifiedTeachers,
    StaffingRatio,
    SpendingGrowth,
    TeacherPay,
    Training360,
    Rotation,
    ZonedEnrolment,
    QuotaAllocation,
    MigrantChildren,
    Retention,
    DisabledEnrolment,
    QualityMonitoring,
    Recognition,
}

/// The rules other than the resource items, with their names in profiles.
const RULE_NAMES: [(RuleId, &str); 19] = [
    (RuleId::MusicArtRooms, "gov.music_art_rooms"),
    (RuleId::SchoolSize, "gov.school_size"),
    (RuleId::ClassSize, "gov.class_size"),
    (RuleId::SmallSchoolFunding, "gov.small_school_funding"),
    (RuleId::SpecialEdFunding, "gov.special_ed_funding"),
    (RuleId::TrainingFunds, "gov.training_funds"),
    (RuleId::CertifiedTeachers, "gov.certified_teachers"),
    (RuleId::StaffingRatio, "gov.staffing_ratio"),
    (RuleId::SpendingGrowth, "county.spending_growth"),
    (RuleId::TeacherPay, "county.teacher_pay"),
    (RuleId::Training360, "county.training_360"),
    (RuleId::Rotation, "county.rotation"),
    (RuleId::ZonedEnrolment, "county.zoned_enrolment"),
    (RuleId::QuotaAllocation, "county.quota_allocation"),
    (RuleId::MigrantChildren, "county.migrant_children"),
    (RuleId::Retention, "county.retention"),
    (RuleId::DisabledEnrolment, "county.disabled_enrolment"),
    (RuleId::QualityMonitoring, "county.quality_monitoring"),
    (RuleId::Recognition, "county.recognition"),
];

impl RuleId {
    pub fn resource_key(self) -> Option<ResourceKey> {
        match self {
            RuleId::Resource(key) => Some(key),
            _ => None,
        }
    }

    /// The id as written in profiles, e.g. `gov.class_size`.
    pub fn name(self) -> String {
        match self {
            RuleId::Resource(key) => format!("resource.{}", key.id()),
            rule => RULE_NAMES
                .iter()
                .find(|(r, _)| *r == rule)
                .map(|(_, n)| (*n).to_owned())
                .unwrap_or_default(),
        }
    }

    pub fn parse(name: &str) -> Option<RuleId> {
        if let Some(id) = name.strip_prefix("resource.") {
            return ResourceKey::ALL
                .into_iter()
                .find(|k| k.id() == id)
                .map(RuleId::Resource);
        }
        RULE_NAMES.iter().find(|(_, n)| *n == name).map(|(r, _)| *r)
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RuleId, D::Error> {
        let name = String::deserialize(d)?;
        RuleId::parse(&name).ok_or_else(|| {
            let known: Vec<String> = ResourceKey::ALL
                .iter()
                .map(|k| RuleId::Resource(*k).name())
                .chain(RULE_NAMES.iter().map(|(_, n)| (*n).to_owned()))
                .map(|n| format!("`{n}`"))
                .collect();
            serde::de::Error::custom(format!(
                "unknown variant `{name}`, expected one of {}",
                known.join(", ")
            ))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndicatorType {
    A,
    B,
}

impl fmt::Display for IndicatorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IndicatorType::A => "A",
            IndicatorType::B => "B",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerStage {
    pub primary: f64,
    pub junior: f64,
}

impl PerStage {
    pub fn get(&self, stage: Stage) -> f64 {
        match stage {
            Stage::Primary => self.primary,
            Stage::Junior => self.junior,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceParams {
    /// 教督〔2017〕6号 第六条: at least 6 of 7 met; Jiangxi: all 7.
    pub min_items_met: usize,
    /// 教督〔2017〕6号 第六条: the rest not below 85% of the standard.
    pub floor_ratio: f64,
    pub cv_limit: PerStage,
    /// 教学点 with fewer pupils than this stay out of the resource computations (0 = all take part).
    #[serde(default)]
    pub teaching_point_min_students: u32,
    pub standards: BTreeMap<ResourceKey, PerStage>,
    /// Student-equivalents for splitting combined schools' whole-school facility totals.
    #[serde(default)]
    pub split_weights: SplitWeights,
}

/// Weights per pupil of each section (差异系数测算说明 of practice, DOMAIN §2.2a).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitWeights {
    /// 九年一贯制: 小学 : 初中 = 1 : 1.1.
    #[serde(default = "SplitWeights::nine_year")]
    pub nine_year: Weights,
    /// 十二年一贯制: 小学 : 初中 : 高中 = 1 : 1.1 : 1.32.
    #[serde(default = "SplitWeights::twelve_year")]
    pub twelve_year: Weights,
    /// 完全中学: 初中 : 高中 = 1 : 1.2.
    #[serde(default = "SplitWeights::complete")]
    pub complete: Weights,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    #[serde(default)]
    pub primary: f64,
    #[serde(default)]
    pub junior: f64,
    #[serde(default)]
    pub senior: f64,
}

impl SplitWeights {
    fn nine_year() -> Weights {
        Weights {
            primary: 1.0,
            junior: 1.1,
            senior: 0.0,
        }
    }

    fn twelve_year() -> Weights {
        Weights {
            primary: 1.0,
            junior: 1.1,
            senior: 1.32,
        }
    }

    fn complete() -> Weights {
        Weights {
            primary: 0.0,
            junior: 1.0,
            senior: 1.2,
        }
    }
}

impl Default for SplitWeights {
    fn default() -> Self {
        SplitWeights {
            nine_year: SplitWeights::nine_year(),
            twelve_year: SplitWeights::twelve_year(),
            complete: SplitWeights::complete(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub rule: Option<RuleId>,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub number: u32,
    pub category: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: IndicatorType,
    #[serde(default)]
    pub max_score: Option<f64>,
    #[serde(default)]
    pub rule: Option<RuleId>,
    /// Points the data rule does not judge (wholly): the indicator is 达标 only when its data
    /// passes and the county declares these 达标 in scores.yaml.
    #[serde(default)]
    pub declared_points: Vec<String>,
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub units: Vec<String>,
    #[serde(default)]
    pub points: Vec<Point>,
}

impl Indicator {
    pub fn point(&self, id: &str) -> Option<&Point> {
        self.points.iter().find(|p| p.id == id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VetoItem {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub name: String,
    pub source: String,
    #[serde(default)]
    pub b_pass_mark: Option<f64>,
    pub resource: ResourceParams,
    pub categories: Vec<String>,
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub veto: Vec<VetoItem>,
}

impl Profile {
    /// A profile compiled into the binary, by id.
    pub fn builtin(id: &str) -> Option<Profile> {
        let (_, text) = BUILTIN.iter().find(|(i, _)| *i == id)?;
        serde_yaml::from_str(text).ok()
    }

    /// Finds an indicator by id ("A12") or by its number ("12").
    pub fn indicator(&self, key: &str) -> Option<&Indicator> {
        let key = key.trim();
        self.indicators
            .iter()
            .find(|i| i.id.eq_ignore_ascii_case(key))
            .or_else(|| {
                // A bare number only when it names one indicator (national numbers repeat per part).
                let n: u32 = key.parse().ok()?;
                let mut hits = self.indicators.iter().filter(|i| i.number == n);
                let first = hits.next()?;
                hits.next().is_none().then_some(first)
            })
    }
}
