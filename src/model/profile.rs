//! Indicator systems (profiles): data files under `assets/profiles/`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

use super::school::Stage;

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

    pub fn unit(self) -> &'static str {
        match self {
            ResourceKey::DegreeTeachers | ResourceKey::BackboneTeachers | ResourceKey::PeArtTeachers => "人",
            ResourceKey::BuildingArea | ResourceKey::SportsArea => "平方米",
            ResourceKey::EquipmentValue => "元",
            ResourceKey::MultimediaRooms => "间",
        }
    }
}

/// Rule bindings an indicator (or one of its points) may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RuleId {
    #[serde(rename = "resource.degree_teachers")]
    DegreeTeachers,
    #[serde(rename = "resource.backbone_teachers")]
    BackboneTeachers,
    #[serde(rename = "resource.pe_art_teachers")]
    PeArtTeachers,
    #[serde(rename = "resource.building_area")]
    BuildingArea,
    #[serde(rename = "resource.sports_area")]
    SportsArea,
    #[serde(rename = "resource.equipment_value")]
    EquipmentValue,
    #[serde(rename = "resource.multimedia_rooms")]
    MultimediaRooms,
    #[serde(rename = "gov.music_art_rooms")]
    MusicArtRooms,
    #[serde(rename = "gov.school_size")]
    SchoolSize,
    #[serde(rename = "gov.class_size")]
    ClassSize,
    #[serde(rename = "gov.small_school_funding")]
    SmallSchoolFunding,
    #[serde(rename = "gov.special_ed_funding")]
    SpecialEdFunding,
    #[serde(rename = "gov.training_funds")]
    TrainingFunds,
    #[serde(rename = "gov.certified_teachers")]
    CertifiedTeachers,
    #[serde(rename = "county.spending_growth")]
    SpendingGrowth,
    #[serde(rename = "county.teacher_pay")]
    TeacherPay,
    #[serde(rename = "county.training_360")]
    Training360,
    #[serde(rename = "county.rotation")]
    Rotation,
    #[serde(rename = "county.zoned_enrolment")]
    ZonedEnrolment,
    #[serde(rename = "county.quota_allocation")]
    QuotaAllocation,
    #[serde(rename = "county.migrant_children")]
    MigrantChildren,
    #[serde(rename = "county.retention")]
    Retention,
    #[serde(rename = "county.disabled_enrolment")]
    DisabledEnrolment,
    #[serde(rename = "county.quality_monitoring")]
    QualityMonitoring,
    #[serde(rename = "county.recognition")]
    Recognition,
}

impl RuleId {
    pub fn resource_key(self) -> Option<ResourceKey> {
        Some(match self {
            RuleId::DegreeTeachers => ResourceKey::DegreeTeachers,
            RuleId::BackboneTeachers => ResourceKey::BackboneTeachers,
            RuleId::PeArtTeachers => ResourceKey::PeArtTeachers,
            RuleId::BuildingArea => ResourceKey::BuildingArea,
            RuleId::SportsArea => ResourceKey::SportsArea,
            RuleId::EquipmentValue => ResourceKey::EquipmentValue,
            RuleId::MultimediaRooms => ResourceKey::MultimediaRooms,
            _ => return None,
        })
    }

    /// The id as written in profiles, e.g. `gov.class_size`.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
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
