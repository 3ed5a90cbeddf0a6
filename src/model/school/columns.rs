//! The columns of sheet 学校基础数据 (`content/schools.xlsx`), one table entry each: header,
//! what the value belongs to, unit, whether it must be there, the note on its header in the blank
//! template, and where it lives in the model. The loader, the blank template, 基础数据表, the
//! change report's record of inputs, the test builders and the sample generator all read this
//! table; a new column is one entry here and one field in `Section` or `School`.

use super::{Locale, School, SchoolKind, Section, Stage};

pub const SHEET: &str = "学校基础数据";

pub const CODE: &str = "学校代码";
pub const NAME: &str = "学校名称";
pub const KIND: &str = "办学类型";
pub const STAGE: &str = "学段";
pub const LOCALE: &str = "城乡类型";
pub const BUILT: &str = "建成年月";
pub const STUDENTS: &str = "在校生数";
pub const CLASSES: &str = "班级数";
pub const MAX_CLASS: &str = "最大班额";
pub const TEACHERS: &str = "专任教师数";
pub const CERTIFIED: &str = "持证专任教师数";
pub const DEGREE: &str = "高于规定学历教师数";
pub const BACKBONE: &str = "县级以上骨干教师数";
pub const PE_ART: &str = "体育艺术专任教师数";
pub const BUILDING: &str = "教学及辅助用房面积（平方米）";
pub const SPORTS: &str = "体育运动场馆面积（平方米）";
pub const EQUIPMENT: &str = "教学仪器设备值（万元）";
pub const MULTIMEDIA: &str = "网络多媒体教室数";
pub const MUSIC_ROOMS: &str = "音乐专用教室数";
pub const MUSIC_AREA: &str = "音乐专用教室最小面积（平方米）";
pub const ART_ROOMS: &str = "美术专用教室数";
pub const ART_AREA: &str = "美术专用教室最小面积（平方米）";
pub const BUDGET: &str = "年度公用经费预算（万元）";
pub const TRAINING: &str = "教师培训经费（万元）";
pub const STAFF: &str = "教职工数";
pub const SENIOR: &str = "高中部在校生数";
pub const OWNER: &str = "举办者类型";
pub const GRADES: &str = "年级数";

/// What a column's value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Identifies the row: the school and the stage.
    Key,
    /// One stage's row of the school.
    Stage,
    /// The whole school: the same on each of its rows, or only on the first.
    School,
}

/// Whether a column must be in the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Without it nothing can be read (error).
    Required,
    /// Missing: a warning, and the column reads as blank.
    Expected,
    /// Added later; missing without a word (its rule falls back, see its note).
    Optional,
}

/// Where a column's value lives in the model.
#[derive(Clone, Copy)]
pub enum Field {
    Code,
    Name,
    Kind,
    Stage,
    Locale,
    Built,
    /// A figure of one stage's row.
    Section(fn(&Section) -> Option<f64>, fn(&mut Section, Option<f64>)),
    /// A school-wide figure.
    School(fn(&School) -> Option<f64>, fn(&mut School, Option<f64>)),
}

pub struct Column {
    pub header: &'static str,
    pub field: Field,
    /// The unit the value is entered in ("" for text).
    pub unit: &'static str,
    pub need: Need,
    /// The note on its header in the blank template.
    pub note: &'static str,
    /// The values a real school has; outside them a figure is taken for a slip (wrong unit,
    /// a digit too many) and not used.
    pub range: Option<Plausible>,
}

/// What a figure is divided by before it is compared with its plausible range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Per {
    /// The pupils of the row (or of the whole school, for a school-wide figure).
    Pupil,
    /// The figure itself.
    Whole,
}

/// A plausible range: `min ≤ value ÷ per ≤ max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plausible {
    pub per: Per,
    pub min: f64,
    pub max: f64,
    /// 0 is a real figure (the school has none), not a slip.
    pub zero: bool,
}

impl Column {
    pub fn scope(&self) -> Scope {
        match self.field {
            Field::Code | Field::Stage => Scope::Key,
            Field::Section(..) => Scope::Stage,
            Field::Name | Field::Kind | Field::Locale | Field::Built | Field::School(..) => Scope::School,
        }
    }

    /// The plausible range in words: "每名学生 50–30000 元" (万元 per pupil shown in 元).
    pub fn range_text(&self) -> Option<String> {
        let r = self.range?;
        let (unit, scale) = if self.unit == "万元" && r.per == Per::Pupil {
            ("元", 1e4)
        } else {
            (self.unit, 1.0)
        };
        let per = if r.per == Per::Pupil { "每名学生 " } else { "" };
        Some(format!(
            "{per}{}–{} {unit}",
            figure(r.min * scale),
            figure(r.max * scale)
        ))
    }

    /// The note on its header in the blank template, with the plausible range.
    pub fn template_note(&self) -> String {
        match self.range_text() {
            Some(r) => format!("{}；常见范围：{r}，超出时按疑似填错处理", self.note),
            None => self.note.to_owned(),
        }
    }

    /// The choices of a column entered from a list (the blank template's validation).
    pub fn choices(&self) -> Option<&'static [&'static str]> {
        match self.field {
            Field::Kind => Some(&SchoolKind::LABELS),
            Field::Stage => Some(&Stage::LABELS),
            Field::Locale => Some(&Locale::LABELS),
            _ => None,
        }
    }

    /// Entered as text even when it looks like a number: a 10-digit code would lose its
    /// leading zeros, 2009.10 would become 2009.1.
    pub fn is_text(&self) -> bool {
        matches!(self.field, Field::Code | Field::Built)
    }

    /// The value for one row (`section` None: the school-wide value); blank is None.
    pub fn value(&self, school: &School, section: Option<&Section>) -> Option<Value> {
        let text = |t: &str| Some(Value::Text(t.to_owned()));
        match self.field {
            Field::Code => text(&school.code),
            Field::Name => text(&school.name),
            Field::Kind => text(school.kind.label()),
            Field::Stage => section.and_then(|s| s.stage).and_then(|s| text(s.label())),
            Field::Locale => school.locale.and_then(|l| text(l.label())),
            Field::Built => school.built.and_then(|b| text(&format!("{}-{:02}", b.year, b.month))),
            Field::Section(get, _) => section.and_then(get).map(Value::Number),
            Field::School(get, _) => get(school).map(Value::Number),
        }
    }
}

/// A figure for a message: two decimals for values of 1 and above, four below, trailing
/// zeros dropped.
pub fn figure(v: f64) -> String {
    let s = if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    };
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

/// A cell's value as the model holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
}

const fn col(header: &'static str, field: Field, unit: &'static str, need: Need, note: &'static str) -> Column {
    Column {
        header,
        field,
        unit,
        need,
        note,
        range: None,
    }
}

impl Column {
    /// The plausible range of a numeric column.
    const fn range(mut self, per: Per, min: f64, max: f64) -> Column {
        self.range = Some(Plausible {
            per,
            min,
            max,
            zero: false,
        });
        self
    }

    /// 0 is accepted: a school may have none of it (and then fails its standard).
    const fn zero_ok(mut self) -> Column {
        if let Some(r) = &mut self.range {
            r.zero = true;
        }
        self
    }
}

use Need::{Expected, Optional, Required};

/// Every column of 学校基础数据, in the order of the blank template.
pub const COLUMNS: [Column; 28] = [
    col(
        CODE,
        Field::Code,
        "",
        Required,
        "10 位学校标识码；一贯制学校各学段行填同一代码",
    ),
    col(NAME, Field::Name, "", Required, "学校全称，与公章一致"),
    col(
        KIND,
        Field::Kind,
        "",
        Required,
        "一贯制学校按小学、初中各填一行；完全中学只填初中行",
    ),
    col(STAGE, Field::Stage, "", Required, "小学 或 初中；特殊教育学校留空"),
    col(
        LOCALE,
        Field::Locale,
        "",
        Expected,
        "城区、镇区或乡村；乡村小学不足 100 人按 100 人核定公用经费",
    ),
    col(
        BUILT,
        Field::Built,
        "",
        Expected,
        "如 2009-09、2009年9月 或 200909；2018年9月前建成的超规模学校适用 120% 过渡标准",
    ),
    col(
        STUDENTS,
        Field::Section(|s| Some(s.students), |s, v| s.students = v.unwrap_or(0.0)),
        "人",
        Required,
        "该学段在校生人数，必须大于 0",
    )
    // A school-stage beyond 6000 pupils is a slip: the largest allowed is 2500 (DOMAIN §2.3).
    .range(Per::Whole, 1.0, 6000.0),
    col(
        CLASSES,
        Field::Section(|s| s.classes, |s, v| s.classes = v),
        "个",
        Expected,
        "该学段教学班数",
    )
    // Classes of 1 to 100 pupils.
    .range(Per::Pupil, 0.01, 1.0),
    col(
        MAX_CLASS,
        Field::Section(|s| s.max_class_size, |s, v| s.max_class_size = v),
        "人",
        Expected,
        "该学段人数最多的班级的学生数",
    )
    // The limit is 45 / 50 (DOMAIN §2.3); beyond 120 is a slip.
    .range(Per::Whole, 1.0, 120.0),
    col(
        TEACHERS,
        Field::Section(|s| s.teachers, |s, v| s.teachers = v),
        "人",
        Expected,
        "该学段专任教师人数",
    )
    // Student-teacher ratios from 2:1 (a teaching point) to 1:100.
    .range(Per::Pupil, 0.01, 2.0),
    col(
        CERTIFIED,
        Field::Section(|s| s.certified_teachers, |s, v| s.certified_teachers = v),
        "人",
        Expected,
        "专任教师中持有教师资格证的人数",
    )
    // At most one teacher per pupil.
    .range(Per::Pupil, 0.0, 1.0),
    col(
        DEGREE,
        Field::Section(|s| s.degree_teachers, |s, v| s.degree_teachers = v),
        "人",
        Expected,
        "小学：大专及以上学历；初中：本科及以上学历",
    )
    // At most one teacher per pupil.
    .range(Per::Pupil, 0.0, 1.0),
    col(
        BACKBONE,
        Field::Section(|s| s.backbone_teachers, |s, v| s.backbone_teachers = v),
        "人",
        Expected,
        "县级及以上骨干教师（含学科带头人）人数",
    )
    // At most one teacher per pupil.
    .range(Per::Pupil, 0.0, 1.0),
    col(
        PE_ART,
        Field::Section(|s| s.pe_art_teachers, |s, v| s.pe_art_teachers = v),
        "人",
        Expected,
        "体育、音乐、美术专任教师合计",
    )
    // At most one teacher per pupil.
    .range(Per::Pupil, 0.0, 1.0),
    col(
        BUILDING,
        Field::Section(|s| s.building_area, |s, v| s.building_area = v),
        "平方米",
        Expected,
        "教学及辅助用房面积（平方米）；一贯制学校只有合计时见 county.yaml 的拆分选项",
    )
    // Standard 4.5 / 5.8 m² per pupil (DOMAIN §2.1); a small rural school may have ten times that.
    .range(Per::Pupil, 0.5, 60.0)
    .zero_ok(),
    col(
        SPORTS,
        Field::Section(|s| s.sports_area, |s, v| s.sports_area = v),
        "平方米",
        Expected,
        "体育运动场馆面积（平方米）",
    )
    // Standard 7.5 / 10.2 m² per pupil (DOMAIN §2.1); a small rural school may have ten times that.
    .range(Per::Pupil, 0.5, 150.0)
    .zero_ok(),
    col(
        EQUIPMENT,
        Field::Section(|s| s.equipment_wan, |s, v| s.equipment_wan = v),
        "万元",
        Expected,
        "单位：万元（程序换算为生均元）",
    )
    // Standard 2000 / 2500 元 per pupil (DOMAIN §2.1): 50 to 30 000 元, in 万元.
    .range(Per::Pupil, 0.005, 3.0)
    .zero_ok(),
    col(
        MULTIMEDIA,
        Field::Section(|s| s.multimedia_rooms, |s, v| s.multimedia_rooms = v),
        "间",
        Expected,
        "网络多媒体教室间数",
    )
    // Standard 2.3 / 2.4 rooms per 100 pupils (DOMAIN §2.1); one room per pupil at most.
    .range(Per::Pupil, 0.0, 1.0),
    col(
        MUSIC_ROOMS,
        Field::School(|s| s.music_rooms, |s, v| s.music_rooms = v),
        "间",
        Expected,
        "全校音乐专用教室间数；全校性数据，一贯制学校只填第一行",
    )
    // ceil(classes / 12) rooms (DOMAIN §2.3): 30 serve 360 classes.
    .range(Per::Whole, 0.0, 30.0),
    col(
        MUSIC_AREA,
        Field::School(|s| s.music_room_min_area, |s, v| s.music_room_min_area = v),
        "平方米",
        Expected,
        "各间音乐专用教室中面积最小的一间（平方米）；全校性数据，一贯制学校只填第一行",
    )
    // Standard 96 m² (DOMAIN §2.3).
    .range(Per::Whole, 10.0, 500.0)
    .zero_ok(),
    col(
        ART_ROOMS,
        Field::School(|s| s.art_rooms, |s, v| s.art_rooms = v),
        "间",
        Expected,
        "全校美术专用教室间数；全校性数据，一贯制学校只填第一行",
    )
    // ceil(classes / 12) rooms (DOMAIN §2.3).
    .range(Per::Whole, 0.0, 30.0),
    col(
        ART_AREA,
        Field::School(|s| s.art_room_min_area, |s, v| s.art_room_min_area = v),
        "平方米",
        Expected,
        "各间美术专用教室中面积最小的一间（平方米）；全校性数据",
    )
    // Standard 90 m² (DOMAIN §2.3).
    .range(Per::Whole, 10.0, 500.0)
    .zero_ok(),
    col(
        BUDGET,
        Field::School(|s| s.public_budget_wan, |s, v| s.public_budget_wan = v),
        "万元",
        Expected,
        "全校年度公用经费预算（万元）；一贯制学校只填第一行",
    )
    // National baselines 650 / 850 元 per pupil, 6000 for special schools: 50 to 50 000 元, in 万元.
    .range(Per::Pupil, 0.005, 5.0),
    col(
        TRAINING,
        Field::School(|s| s.training_funds_wan, |s, v| s.training_funds_wan = v),
        "万元",
        Expected,
        "全校年度教师培训经费（万元），应不低于公用经费预算的 5%",
    )
    // 5% of the 公用经费 budget (DOMAIN §2.3), in 万元 per pupil.
    .range(Per::Pupil, 0.0, 0.5),
    // Without it the staffing ratio is taken over 专任教师数.
    col(
        STAFF,
        Field::Section(|s| s.staff, |s, v| s.staff = v),
        "人",
        Optional,
        "可选：该学段教职工人数（在编在岗）。用于师生比（小学 1:19、初中 1:13.5）；不填时按专任教师数计算",
    )
    // As 专任教师数.
    .range(Per::Pupil, 0.01, 2.0),
    // The senior section of a 完全中学 or 十二年一贯制学校, split off whole-school totals.
    col(
        SENIOR,
        Field::School(|s| s.senior_students, |s, v| s.senior_students = v),
        "人",
        Optional,
        "可选：完全中学、十二年一贯制学校高中部在校生数，填在该校第一行；设施按全校合计填写时用于拆出高中部份额",
    )
    // A senior section beyond 10 000 pupils is a slip.
    .range(Per::Whole, 1.0, 10000.0),
    // 申报表 表Ⅱ-2 举办者类型 (the form's note lists codes 1–10); blank: 7 = 县级教育部门.
    col(
        OWNER,
        Field::School(|s| s.owner_type, |s, v| s.owner_type = v),
        "",
        Optional,
        "可选：申报表的举办者类型代码 1～10（见申报表注释，7 = 县级教育部门，10 = 民办）；不填按 7 计",
    )
    .range(Per::Whole, 1.0, 10.0),
    // 申报表 表Ⅱ-2 年级数; blank: 6 for a 小学 row, 3 for an 初中 row.
    col(
        GRADES,
        Field::Section(|s| s.grades, |s, v| s.grades = v),
        "个",
        Optional,
        "可选：该学段开设的年级数（申报表用）；不填时小学按 6、初中按 3 计",
    )
    .range(Per::Whole, 1.0, 9.0),
];

/// The headers of 学校基础数据, in the order of the blank template.
pub const HEADERS: [&str; COLUMNS.len()] = {
    let mut h = [""; COLUMNS.len()];
    let mut i = 0;
    while i < COLUMNS.len() {
        h[i] = COLUMNS[i].header;
        i += 1;
    }
    h
};

/// The columns a sheet cannot be read without.
pub fn required() -> Vec<&'static str> {
    COLUMNS
        .iter()
        .filter(|c| c.need == Need::Required)
        .map(|c| c.header)
        .collect()
}

/// The columns that may be missing without a word.
pub fn optional() -> Vec<&'static str> {
    COLUMNS
        .iter()
        .filter(|c| c.need == Need::Optional)
        .map(|c| c.header)
        .collect()
}
