//! Schools as entered in `schools.xlsx`: one section per school and stage.

use serde::Serialize;

use super::profile::ResourceKey;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Primary,
    Junior,
}

impl Stage {
    pub const ALL: [Stage; 2] = [Stage::Primary, Stage::Junior];
    pub const LABELS: [&'static str; 2] = ["小学", "初中"];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Primary => "小学",
            Stage::Junior => "初中",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        match s {
            "小学" => Some(Stage::Primary),
            "初中" => Some(Stage::Junior),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SchoolKind {
    Primary,
    Junior,
    NineYear,
    TwelveYear,
    Complete,
    TeachingPoint,
    Special,
}

impl SchoolKind {
    pub const LABELS: [&'static str; 7] = [
        "小学",
        "初中",
        "九年一贯制学校",
        "十二年一贯制学校",
        "完全中学",
        "教学点",
        "特殊教育学校",
    ];

    pub fn label(self) -> &'static str {
        match self {
            SchoolKind::Primary => "小学",
            SchoolKind::Junior => "初中",
            SchoolKind::NineYear => "九年一贯制学校",
            SchoolKind::TwelveYear => "十二年一贯制学校",
            SchoolKind::Complete => "完全中学",
            SchoolKind::TeachingPoint => "教学点",
            SchoolKind::Special => "特殊教育学校",
        }
    }

    pub fn parse(s: &str) -> Option<SchoolKind> {
        Some(match s {
            "小学" => SchoolKind::Primary,
            // 初级中学 and 小学教学点 are the names of the education statistics (教育统计报表).
            "初中" | "初级中学" => SchoolKind::Junior,
            "九年一贯制学校" | "九年一贯制" => SchoolKind::NineYear,
            "十二年一贯制学校" | "十二年一贯制" => SchoolKind::TwelveYear,
            "完全中学" => SchoolKind::Complete,
            "教学点" | "小学教学点" => SchoolKind::TeachingPoint,
            "特殊教育学校" => SchoolKind::Special,
            _ => return None,
        })
    }

    /// What an unknown kind most likely meant: a typo (惯 for 贯) or a short name people use.
    pub fn suggest(s: &str) -> Option<&'static str> {
        let fixed = s.replace('惯', "贯");
        if let Some(k) = SchoolKind::parse(&fixed) {
            return Some(k.label());
        }
        let has = |w: &str| s.contains(w);
        Some(if has("十二年") {
            "十二年一贯制学校"
        } else if has("九年") || has("一贯") {
            "九年一贯制学校"
        } else if has("完中") || has("完全") {
            "完全中学"
        } else if has("特教") || has("特校") || has("特殊") || has("培智") || has("启聪") || has("启明") {
            "特殊教育学校"
        } else if has("教学点") {
            "教学点"
        } else if has("小") {
            "小学"
        } else if has("初中") || has("初级") {
            "初中"
        } else {
            return None;
        })
    }

    /// Stages a school of this kind may enter rows for.
    pub fn allows(self, stage: Option<Stage>) -> bool {
        match self {
            SchoolKind::Primary | SchoolKind::TeachingPoint => stage == Some(Stage::Primary),
            // 完全中学 contributes only its junior section (DOMAIN §2.2).
            SchoolKind::Junior | SchoolKind::Complete => stage == Some(Stage::Junior),
            SchoolKind::NineYear => stage.is_some(),
            // 十二年一贯制 enters its compulsory part: primary and junior sections.
            SchoolKind::TwelveYear => stage.is_some(),
            SchoolKind::Special => stage.is_none(),
        }
    }

    pub fn is_combined(self) -> bool {
        matches!(self, SchoolKind::NineYear | SchoolKind::TwelveYear)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    Urban,
    Town,
    Rural,
}

impl Locale {
    pub const LABELS: [&'static str; 3] = ["城区", "镇区", "乡村"];

    pub fn label(self) -> &'static str {
        match self {
            Locale::Urban => "城区",
            Locale::Town => "镇区",
            Locale::Rural => "乡村",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s {
            "城区" => Some(Locale::Urban),
            "镇区" => Some(Locale::Town),
            "乡村" => Some(Locale::Rural),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

/// One row of 学校基础数据: a school's section of one stage (or the whole of a special school).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Section {
    pub stage: Option<Stage>,
    /// Zero-based row in the sheet, for diagnostics.
    #[serde(skip)]
    pub row: u32,
    pub students: f64,
    pub classes: Option<f64>,
    pub max_class_size: Option<f64>,
    pub teachers: Option<f64>,
    /// 教职工数 (optional; the staffing ratio falls back to 专任教师数).
    pub staff: Option<f64>,
    pub certified_teachers: Option<f64>,
    pub degree_teachers: Option<f64>,
    pub backbone_teachers: Option<f64>,
    pub pe_art_teachers: Option<f64>,
    pub building_area: Option<f64>,
    pub sports_area: Option<f64>,
    /// 万元, as entered.
    pub equipment_wan: Option<f64>,
    pub multimedia_rooms: Option<f64>,
    /// 年级数 (申报表 表Ⅱ-2); `None`: the stage's usual (6 小学, 3 初中), see `grades_or_default`.
    pub grades: Option<f64>,
}

impl Section {
    /// The figure behind a resource item, as entered: a count of teachers or rooms, an area
    /// in m², or equipment in 万元.
    pub fn amount(&self, key: ResourceKey) -> Option<f64> {
        match key {
            ResourceKey::DegreeTeachers => self.degree_teachers,
            ResourceKey::BackboneTeachers => self.backbone_teachers,
            ResourceKey::PeArtTeachers => self.pe_art_teachers,
            ResourceKey::BuildingArea => self.building_area,
            ResourceKey::SportsArea => self.sports_area,
            ResourceKey::EquipmentValue => self.equipment_wan,
            ResourceKey::MultimediaRooms => self.multimedia_rooms,
        }
    }

    pub fn set_amount(&mut self, key: ResourceKey, v: Option<f64>) {
        match key {
            ResourceKey::DegreeTeachers => self.degree_teachers = v,
            ResourceKey::BackboneTeachers => self.backbone_teachers = v,
            ResourceKey::PeArtTeachers => self.pe_art_teachers = v,
            ResourceKey::BuildingArea => self.building_area = v,
            ResourceKey::SportsArea => self.sports_area = v,
            ResourceKey::EquipmentValue => self.equipment_wan = v,
            ResourceKey::MultimediaRooms => self.multimedia_rooms = v,
        }
    }
}

/// A school with its school-wide facts and its sections.
#[derive(Debug, Clone, Serialize)]
pub struct School {
    pub code: String,
    pub name: String,
    pub kind: SchoolKind,
    pub locale: Option<Locale>,
    pub built: Option<YearMonth>,
    pub music_rooms: Option<f64>,
    pub music_room_min_area: Option<f64>,
    pub art_rooms: Option<f64>,
    pub art_room_min_area: Option<f64>,
    /// 年度公用经费预算, 万元.
    pub public_budget_wan: Option<f64>,
    /// 教师培训经费, 万元.
    pub training_funds_wan: Option<f64>,
    /// 高中部在校生数 of a 完全中学 or 十二年一贯制学校: its share of whole-school facility
    /// totals is split off.
    pub senior_students: Option<f64>,
    /// 举办者类型 code 1–10 (申报表 表Ⅱ-2); `None`: 7, 县级教育部门.
    pub owner_type: Option<f64>,
    pub sections: Vec<Section>,
}

impl School {
    /// A school with no school-wide facts yet.
    pub fn new(code: impl Into<String>, name: impl Into<String>, kind: SchoolKind, sections: Vec<Section>) -> School {
        School {
            code: code.into(),
            name: name.into(),
            kind,
            locale: None,
            built: None,
            music_rooms: None,
            music_room_min_area: None,
            art_rooms: None,
            art_room_min_area: None,
            public_budget_wan: None,
            training_funds_wan: None,
            senior_students: None,
            owner_type: None,
            sections,
        }
    }

    pub fn students(&self) -> f64 {
        self.sections.iter().map(|s| s.students).sum()
    }

    pub fn classes(&self) -> Option<f64> {
        self.sections.iter().map(|s| s.classes).sum()
    }

    pub fn section(&self, stage: Stage) -> Option<&Section> {
        self.sections.iter().find(|s| s.stage == Some(stage))
    }
}

/// Sheet 学校基础数据 of `content/schools.xlsx`: one row per school and stage.
pub mod columns;
