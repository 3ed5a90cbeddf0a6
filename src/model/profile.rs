//! Indicator systems (profiles): data files under `assets/profiles/`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use super::school::Stage;

mod params;
pub use params::{RoomParams, RotationParams, SchoolSizeParams, SizeAllowance};

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
/// `resource.<key>`, `gov.<rule>` or `county.<rule>`. A new rule gets a variant here, an arm
/// in `name` and `scope`, an entry in `ALL`, and its unit in `rules::gov::unit`.
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

/// What a rule judges: each school, each school's stage section, or the county as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    School,
    Stage,
    County,
}

impl RuleId {
    /// Every rule, resource items first; profiles name rules from this list.
    pub const ALL: [RuleId; 26] = [
        RuleId::Resource(ResourceKey::DegreeTeachers),
        RuleId::Resource(ResourceKey::BackboneTeachers),
        RuleId::Resource(ResourceKey::PeArtTeachers),
        RuleId::Resource(ResourceKey::BuildingArea),
        RuleId::Resource(ResourceKey::SportsArea),
        RuleId::Resource(ResourceKey::EquipmentValue),
        RuleId::Resource(ResourceKey::MultimediaRooms),
        RuleId::MusicArtRooms,
        RuleId::SchoolSize,
        RuleId::ClassSize,
        RuleId::SmallSchoolFunding,
        RuleId::SpecialEdFunding,
        RuleId::TrainingFunds,
        RuleId::CertifiedTeachers,
        RuleId::StaffingRatio,
        RuleId::SpendingGrowth,
        RuleId::TeacherPay,
        RuleId::Training360,
        RuleId::Rotation,
        RuleId::ZonedEnrolment,
        RuleId::QuotaAllocation,
        RuleId::MigrantChildren,
        RuleId::Retention,
        RuleId::DisabledEnrolment,
        RuleId::QualityMonitoring,
        RuleId::Recognition,
    ];

    pub fn resource_key(self) -> Option<ResourceKey> {
        if let RuleId::Resource(key) = self {
            Some(key)
        } else {
            None
        }
    }

    /// The id as written in profiles, e.g. `gov.class_size`.
    pub fn name(self) -> String {
        let name = match self {
            RuleId::Resource(key) => return format!("resource.{}", key.id()),
            RuleId::MusicArtRooms => "gov.music_art_rooms",
            RuleId::SchoolSize => "gov.school_size",
            RuleId::ClassSize => "gov.class_size",
            RuleId::SmallSchoolFunding => "gov.small_school_funding",
            RuleId::SpecialEdFunding => "gov.special_ed_funding",
            RuleId::TrainingFunds => "gov.training_funds",
            RuleId::CertifiedTeachers => "gov.certified_teachers",
            RuleId::StaffingRatio => "gov.staffing_ratio",
            RuleId::SpendingGrowth => "county.spending_growth",
            RuleId::TeacherPay => "county.teacher_pay",
            RuleId::Training360 => "county.training_360",
            RuleId::Rotation => "county.rotation",
            RuleId::ZonedEnrolment => "county.zoned_enrolment",
            RuleId::QuotaAllocation => "county.quota_allocation",
            RuleId::MigrantChildren => "county.migrant_children",
            RuleId::Retention => "county.retention",
            RuleId::DisabledEnrolment => "county.disabled_enrolment",
            RuleId::QualityMonitoring => "county.quality_monitoring",
            RuleId::Recognition => "county.recognition",
        };
        name.to_owned()
    }

    /// What the rule judges; county rules read content/county.yaml, the others the schools.
    pub fn scope(self) -> Scope {
        match self {
            RuleId::Resource(_) | RuleId::ClassSize | RuleId::CertifiedTeachers | RuleId::StaffingRatio => Scope::Stage,
            RuleId::MusicArtRooms
            | RuleId::SchoolSize
            | RuleId::SmallSchoolFunding
            | RuleId::SpecialEdFunding
            | RuleId::TrainingFunds => Scope::School,
            RuleId::SpendingGrowth
            | RuleId::TeacherPay
            | RuleId::Training360
            | RuleId::Rotation
            | RuleId::ZonedEnrolment
            | RuleId::QuotaAllocation
            | RuleId::MigrantChildren
            | RuleId::Retention
            | RuleId::DisabledEnrolment
            | RuleId::QualityMonitoring
            | RuleId::Recognition => Scope::County,
        }
    }

    pub fn parse(name: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.name() == name)
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
            let known: Vec<String> = RuleId::ALL.iter().map(|r| format!("`{}`", r.name())).collect();
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
    /// All seven, always: a profile without one is refused when read, never judged against 0.
    #[serde(deserialize_with = "all_standards")]
    pub standards: BTreeMap<ResourceKey, PerStage>,
    /// Student-equivalents for splitting combined schools' whole-school facility totals.
    #[serde(default)]
    pub split_weights: SplitWeights,
}

/// 教督〔2017〕6号 第五条: seven resource items, each with its standard; none may be missing.
fn all_standards<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<ResourceKey, PerStage>, D::Error> {
    let map = BTreeMap::<ResourceKey, PerStage>::deserialize(d)?;
    match ResourceKey::ALL.iter().find(|k| !map.contains_key(k)) {
        Some(k) => Err(serde::de::Error::missing_field(k.id())),
        None => Ok(map),
    }
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

/// Thresholds of the per-school and county rules. A profile may restate them (`rules:`); left
/// out, they are the national ones (教督〔2017〕6号 第七条至第九条 and the documents it cites).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RuleParams {
    /// 第七条（三）: 每12个班级 音乐、美术专用教室各1间以上，音乐 ≥ 96 m²、美术 ≥ 90 m².
    pub music_art_rooms: RoomParams,
    /// 第七条（四）: 小学、初中 ≤ 2000 人，九年/十二年一贯制 ≤ 2500 人 (no allowance; Jiangxi's
    /// 指标12 adds one for schools built before 2018-09).
    pub school_size: SchoolSizeParams,
    /// 第七条（五）: 班额 小学 ≤ 45 人，初中 ≤ 50 人.
    pub class_size: PerStage,
    /// 第七条（六）: 不足100名学生的村小学和教学点按100名学生核定公用经费.
    pub small_school_pupils: f64,
    /// 第七条（七）: 特殊教育学校生均公用经费不低于6000元.
    pub special_ed_min_per_pupil: f64,
    /// 第八条（四）: 教师培训经费不低于公用经费预算的5%.
    pub training_funds_percent: f64,
    /// 中央编办发〔2014〕72号: 在校生 ÷ 教职工数 ≤ 19（小学）、13.5（初中）.
    pub staffing_ratio: PerStage,
    /// 第七条（九）: 5年360学时培训完成率100%.
    pub training_360_percent: f64,
    /// 第七条（十一）: 交流轮岗 ≥ 10%，其中骨干教师 ≥ 20%.
    pub rotation: RotationParams,
    /// 第七条（十三）: 就近划片入学 小学 100%、初中 95%.
    pub zoned_enrolment: PerStage,
    /// 第七条（十四）: 优质高中招生名额分配 ≥ 50%.
    pub quota_allocation_percent: f64,
    /// 第七条（十五）: 随迁子女在公办和政府购买服务学校就读 ≥ 85%.
    pub migrant_children_percent: f64,
    /// 第八条（一）: 初中三年巩固率 ≥ 95%.
    pub retention_percent: f64,
    /// 第八条（二）: 残疾儿童少年入学率 ≥ 95%.
    pub disabled_enrolment_percent: f64,
    /// 第八条（九）: 质量监测校际差异率低于0.15 (strictly).
    pub quality_difference_below: f64,
    /// 第九条: 社会认可度 ≥ 85%.
    pub recognition_percent: f64,
}

impl Default for RuleParams {
    fn default() -> Self {
        RuleParams {
            music_art_rooms: RoomParams::default(),
            school_size: SchoolSizeParams::default(),
            class_size: PerStage {
                primary: 45.0,
                junior: 50.0,
            },
            small_school_pupils: 100.0,
            special_ed_min_per_pupil: 6000.0,
            training_funds_percent: 5.0,
            staffing_ratio: PerStage {
                primary: 19.0,
                junior: 13.5,
            },
            training_360_percent: 100.0,
            rotation: RotationParams::default(),
            zoned_enrolment: PerStage {
                primary: 100.0,
                junior: 95.0,
            },
            quota_allocation_percent: 50.0,
            migrant_children_percent: 85.0,
            retention_percent: 95.0,
            disabled_enrolment_percent: 95.0,
            quality_difference_below: 0.15,
            recognition_percent: 85.0,
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

/// The scope of the application form (申报表).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FormParams {
    /// 表Ⅱ-2 lists 教学点 with at least this many pupils (the national form's note: “50人及以上教学点”).
    pub teaching_point_min_students: u32,
}

impl Default for FormParams {
    fn default() -> Self {
        FormParams {
            teaching_point_min_students: 50,
        }
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
    #[serde(default)]
    pub rules: RuleParams,
    /// What the application form (申报表) lists.
    #[serde(default)]
    pub form: FormParams,
    pub categories: Vec<String>,
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub veto: Vec<VetoItem>,
    /// content/indicators.yaml: the document that allows its changes to the statutory values.
    #[serde(default)]
    pub basis: Option<String>,
    /// The statutory values the override changed, as cited in documents (set by the loader).
    #[serde(skip)]
    pub changes: Vec<String>,
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
