//! The county figures of content/county.yaml a unit's form asks for: per rule the figures and
//! yes/no declarations it reads (docs/inputs.md names them), with their label, unit and range.
//! A unit's form carries the figures of the rules its indicators (and their points) are bound
//! to; the per-subject quality results and the veto declarations are `county_items`'.

use crate::model::{CountyConfig, Profile, RuleId};

/// How a figure is bounded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A count or amount: not below 0.
    Amount,
    /// A percentage: 0 to 100.
    Percent,
    /// A ratio: 0 to 1.
    Ratio,
    /// A yes/no declaration: 是 or 否 on the form, `true`/`false` in county.yaml.
    YesNo,
    /// A 学业水平 of the quality monitoring: a whole number 1 to 4 (Ⅰ–Ⅳ级).
    Level,
    /// Free text (a veto declaration's 说明), written into county.yaml as a quoted string.
    Note,
}

impl Kind {
    /// The figure kinds: a number (`Value::Number`).
    pub fn numeric(self) -> bool {
        matches!(self, Kind::Amount | Kind::Percent | Kind::Ratio | Kind::Level)
    }
}

/// A value of county.yaml a unit confirms or corrects.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Bool(bool),
    Text(String),
}

impl Value {
    /// As the merge's listing shows it: figures as typed, 是/否, a note in quotes (its line
    /// breaks shown as ↵, so that a listing line stays one line).
    pub fn shown(&self) -> String {
        match self {
            Value::Number(n) => super::yaml_edit::figure(*n),
            Value::Bool(b) => yes_no(*b).to_owned(),
            Value::Text(t) => format!("“{}”", t.replace("\r\n", "↵").replace('\n', "↵")),
        }
    }

    /// As the change report and the record show it (`out::inputs`: county.yaml's values
    /// flattened): `rules::fmt_num`, `true`/`false`, the text.
    pub fn recorded(&self) -> String {
        match self {
            Value::Number(n) => crate::rules::fmt_num(*n),
            Value::Bool(b) => b.to_string(),
            Value::Text(t) => t.clone(),
        }
    }
}

/// 是 or 否, as the form's list offers them.
pub fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

/// One figure: its key path in county.yaml (`finance.teacher_average_pay`), label and unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub path: String,
    pub label: String,
    pub unit: &'static str,
    pub kind: Kind,
}

impl Field {
    pub fn keys(&self) -> Vec<&str> {
        self.path.split('.').collect()
    }

    /// What the input message says.
    pub fn hint(&self) -> String {
        match self.kind {
            Kind::Percent => "按百分数填写，只填数字：97.5 表示 97.5%".to_owned(),
            Kind::Ratio => "填小数，例如 0.12".to_owned(),
            Kind::Amount => format!("只填数字，单位：{}", self.unit),
            Kind::YesNo => "从下拉列表选择 是 或 否".to_owned(),
            Kind::Level => "填 1～4 的整数（Ⅰ～Ⅳ级），例如 3".to_owned(),
            Kind::Note => "简要说明情况和依据，可以不填".to_owned(),
        }
    }
}

use Kind::{Amount, Percent, Ratio, YesNo};

/// The figures of each rule: (rule, key path, label, unit, kind); the spending by year is
/// added from county.yaml's years (`of`).
#[rustfmt::skip]
const TABLE: &[(RuleId, &str, &str, &str, Kind)] = &[
    (RuleId::TeacherPay, "finance.teacher_average_pay", "教师年平均工资收入", "元", Amount),
    (RuleId::TeacherPay, "finance.civil_servant_average_pay", "当地公务员年平均工资收入", "元", Amount),
    (RuleId::SmallSchoolFunding, "finance.public_funds_baseline.primary", "省定生均公用经费基准定额（小学）", "元", Amount),
    (RuleId::SmallSchoolFunding, "finance.public_funds_baseline.junior", "省定生均公用经费基准定额（初中）", "元", Amount),
    // 教督〔2017〕6号 第七条（六）: a county without such schools declares it (rules::gov::small_school_funding).
    (RuleId::SmallSchoolFunding, "absent.small_schools", "本县没有不足100名学生的村小学和教学点", "是/否", YesNo),
    (RuleId::SpecialEdFunding, "finance.special_ed_per_pupil", "特殊教育学校生均公用经费", "元", Amount),
    (RuleId::Training360, "teachers.training_360_required", "应参加5年360学时培训的教师数", "人", Amount),
    (RuleId::Training360, "teachers.training_360_completed", "其中已完成培训的教师数", "人", Amount),
    (RuleId::Training360, "teachers.training_360_rate", "5年360学时培训完成率", "%", Percent),
    (RuleId::Rotation, "teachers.rotation_eligible", "符合交流条件的教师数", "人", Amount),
    (RuleId::Rotation, "teachers.rotation_count", "当年交流轮岗教师数", "人", Amount),
    (RuleId::Rotation, "teachers.rotation_backbone", "其中县级以上骨干教师数", "人", Amount),
    (RuleId::ZonedEnrolment, "enrolment.zoned_primary", "城区和镇区公办小学就近划片入学比例", "%", Percent),
    (RuleId::ZonedEnrolment, "enrolment.zoned_junior", "城区和镇区公办初中就近划片入学比例", "%", Percent),
    (RuleId::QuotaAllocation, "enrolment.quota.places", "分配到区域内初中的优质高中招生名额", "人", Amount),
    (RuleId::QuotaAllocation, "enrolment.quota.total", "优质普通高中招生总数", "人", Amount),
    (RuleId::QuotaAllocation, "enrolment.quota_allocation", "优质高中招生名额分配比例", "%", Percent),
    // 教督〔2017〕6号 第七条（十四）: 并向农村初中倾斜 (rules::county::quota_allocation).
    (RuleId::QuotaAllocation, "enrolment.quota_rural_leaning", "名额分配是否向农村初中倾斜", "是/否", YesNo),
    (RuleId::MigrantChildren, "enrolment.migrant.total", "符合条件的随迁子女总数", "人", Amount),
    (RuleId::MigrantChildren, "enrolment.migrant.public", "其中在公办学校和政府购买服务的民办学校就读人数", "人", Amount),
    (RuleId::MigrantChildren, "enrolment.migrant_children", "随迁子女在公办和政府购买服务学校就读比例", "%", Percent),
    (RuleId::Retention, "enrolment.cohort.graduates", "初中毕业班学生数", "人", Amount),
    (RuleId::Retention, "enrolment.cohort.entrants", "三年前初一入学人数", "人", Amount),
    (RuleId::Retention, "enrolment.cohort.transferred_in", "三年内转入人数", "人", Amount),
    (RuleId::Retention, "enrolment.cohort.transferred_out", "三年内转出人数", "人", Amount),
    (RuleId::Retention, "enrolment.cohort.deaths", "三年内死亡人数", "人", Amount),
    (RuleId::Retention, "enrolment.junior_retention", "初中三年巩固率", "%", Percent),
    (RuleId::DisabledEnrolment, "enrolment.disabled.total", "适龄残疾儿童少年总数", "人", Amount),
    (RuleId::DisabledEnrolment, "enrolment.disabled.enrolled", "其中已入学人数", "人", Amount),
    (RuleId::DisabledEnrolment, "enrolment.disabled.special_school", "其中在特殊教育学校就读人数", "人", Amount),
    (RuleId::DisabledEnrolment, "enrolment.disabled_enrolment", "残疾儿童少年入学率", "%", Percent),
    // 教督〔2017〕6号 第八条（九）: 相关科目学业水平达到Ⅲ级以上 (rules::county::quality_monitoring).
    (RuleId::QualityMonitoring, "quality.level_iii_or_above", "质量监测相关科目学业水平是否均达到Ⅲ级以上", "是/否", YesNo),
    (RuleId::QualityMonitoring, "quality.inter_school_difference", "质量监测校际差异率（各科最大值）", "", Ratio),
    (RuleId::Recognition, "recognition", "社会认可度（综合满意度）", "%", Percent),
    (RuleId::Recognition, "survey.all.questionnaires", "问卷总数", "份", Amount),
    (RuleId::Recognition, "survey.all.valid", "有效问卷数", "份", Amount),
    (RuleId::Recognition, "survey.all.satisfied", "满意问卷数", "份", Amount),
    (RuleId::Recognition, "survey.all.visited", "实地走访人数", "人", Amount),
    (RuleId::Recognition, "survey.all.visited_satisfied", "走访满意人数", "人", Amount),
    (RuleId::Recognition, "survey.parents.questionnaires", "其中家长：问卷总数", "份", Amount),
    (RuleId::Recognition, "survey.parents.valid", "其中家长：有效问卷数", "份", Amount),
    (RuleId::Recognition, "survey.parents.satisfied", "其中家长：满意问卷数", "份", Amount),
    (RuleId::Recognition, "survey.parents.visited", "其中家长：实地走访人数", "人", Amount),
    (RuleId::Recognition, "survey.parents.visited_satisfied", "其中家长：走访满意人数", "人", Amount),
];

/// The figures `rule` reads: 教督〔2017〕6号 第七条（一） (两个只增不减) reads the spending of
/// every year county.yaml gives (or the three years before `year`); the other rules' figures
/// are the table's.
pub fn of(rule: RuleId, config: &CountyConfig) -> Vec<Field> {
    let field = |path: String, label: String, unit, kind| Field {
        path,
        label,
        unit,
        kind,
    };
    if rule == RuleId::SpendingGrowth {
        let fin = &config.finance;
        let years = [
            (
                &fin.education_spending,
                "education_spending",
                "一般公共预算教育支出",
                "万元",
            ),
            (
                &fin.per_pupil_spending,
                "per_pupil_spending",
                "生均一般公共预算教育支出",
                "元",
            ),
        ];
        return years
            .into_iter()
            .flat_map(|(m, key, label, unit)| {
                // None given yet: the three years before the inspection's.
                let ys: Vec<i32> = if m.is_empty() {
                    (config.year - 3..config.year).collect()
                } else {
                    m.keys().copied().collect()
                };
                ys.into_iter()
                    .map(move |y| field(format!("finance.{key}.{y}"), format!("{label}（{y}年）"), unit, Amount))
            })
            .collect();
    }
    TABLE
        .iter()
        .filter(|t| t.0 == rule)
        .map(|(_, path, label, unit, kind)| field((*path).to_owned(), (*label).to_owned(), unit, *kind))
        .collect()
}

/// The figures of the indicators `ids` (in order), each with the id and name of the first indicator
/// that reads it; a figure two indicators read is listed once.
pub fn for_indicators(ids: &[&str], profile: &Profile, config: &CountyConfig) -> Vec<(String, Field)> {
    let mut out: Vec<(String, Field)> = vec![];
    for id in ids {
        let Some(ind) = profile.indicators.iter().find(|i| i.id == *id) else {
            continue;
        };
        let rules = ind.rule.into_iter().chain(ind.points.iter().filter_map(|p| p.rule));
        for rule in rules {
            for field in of(rule, config) {
                if !out.iter().any(|(_, g)| g.path == field.path) {
                    out.push((format!("{} {}", ind.id, ind.name), field));
                }
            }
        }
    }
    out
}

/// The node at `keys` in a parsed county.yaml; in a list (`quality.subjects`) a key names
/// the item whose `subject` it is.
fn node<'a>(doc: &'a serde_yaml::Value, keys: &[&str]) -> Option<&'a serde_yaml::Value> {
    let mut v = doc;
    for k in keys {
        if let Some(items) = v.as_sequence() {
            v = items
                .iter()
                .find(|i| i.get("subject").and_then(serde_yaml::Value::as_str) == Some(*k))?;
            continue;
        }
        let map = v.as_mapping()?;
        v = map.get(serde_yaml::Value::String((*k).to_owned())).or_else(|| {
            k.parse::<i64>()
                .ok()
                .and_then(|n| map.get(serde_yaml::Value::Number(n.into())))
        })?;
    }
    Some(v)
}

/// The figure at `keys` in a parsed county.yaml: a number, or a number written as text;
/// `None` when absent or not a number.
pub fn lookup(doc: &serde_yaml::Value, keys: &[&str]) -> Option<f64> {
    match node(doc, keys)? {
        serde_yaml::Value::Number(n) => n.as_f64(),
        serde_yaml::Value::String(s) => crate::load::sheet::parse_number(s),
        _ => None,
    }
}

/// The value of `kind` at `keys` in a parsed county.yaml; `None` when absent or of another type.
pub fn value(doc: &serde_yaml::Value, keys: &[&str], kind: Kind) -> Option<Value> {
    match kind {
        Kind::YesNo => node(doc, keys)?.as_bool().map(Value::Bool),
        Kind::Note => node(doc, keys)?.as_str().map(|s| Value::Text(s.to_owned())),
        _ => lookup(doc, keys).map(Value::Number),
    }
}
