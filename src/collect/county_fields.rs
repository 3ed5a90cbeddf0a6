//! The county figures of content/county.yaml a unit's form asks for: per rule the figures it
//! reads (docs/inputs.md names them), with their label, unit and range. A unit's form carries
//! the figures of the rules its indicators (and their points) are bound to.

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
        }
    }
}

fn f(path: &str, label: &str, unit: &'static str, kind: Kind) -> Field {
    Field {
        path: path.to_owned(),
        label: label.to_owned(),
        unit,
        kind,
    }
}

/// The figures `rule` reads. Spending by year lists the years county.yaml has.
pub fn of(rule: RuleId, config: &CountyConfig) -> Vec<Field> {
    use Kind::{Amount, Percent, Ratio};
    match rule {
        // 教督〔2017〕6号 第七条（一）: 两个只增不减.
        RuleId::SpendingGrowth => {
            let fin = &config.finance;
            let years = |m: &std::collections::BTreeMap<i32, f64>, key: &str, label: &str, unit| {
                m.keys()
                    .map(|y| f(&format!("finance.{key}.{y}"), &format!("{label}（{y}年）"), unit, Amount))
                    .collect::<Vec<_>>()
            };
            let mut v = years(&fin.education_spending, "education_spending", "一般公共预算教育支出", "万元");
            v.extend(years(
                &fin.per_pupil_spending,
                "per_pupil_spending",
                "生均一般公共预算教育支出",
                "元",
            ));
            v
        }
        RuleId::TeacherPay => vec![
            f("finance.teacher_average_pay", "教师年平均工资收入", "元", Amount),
            f("finance.civil_servant_average_pay", "当地公务员年平均工资收入", "元", Amount),
        ],
        RuleId::SmallSchoolFunding => vec![
            f("finance.public_funds_baseline.primary", "省定生均公用经费基准定额（小学）", "元", Amount),
            f("finance.public_funds_baseline.junior", "省定生均公用经费基准定额（初中）", "元", Amount),
        ],
        RuleId::SpecialEdFunding => vec![f(
            "finance.special_ed_per_pupil",
            "特殊教育学校生均公用经费",
            "元",
            Amount,
        )],
        RuleId::Training360 => vec![
            f("teachers.training_360_required", "应参加5年360学时培训的教师数", "人", Amount),
            f("teachers.training_360_completed", "其中已完成培训的教师数", "人", Amount),
            f("teachers.training_360_rate", "5年360学时培训完成率", "%", Percent),
        ],
        RuleId::Rotation => vec![
            f("teachers.rotation_eligible", "符合交流条件的教师数", "人", Amount),
            f("teachers.rotation_count", "当年交流轮岗教师数", "人", Amount),
            f("teachers.rotation_backbone", "其中县级以上骨干教师数", "人", Amount),
        ],
        RuleId::ZonedEnrolment => vec![
            f("enrolment.zoned_primary", "城区和镇区公办小学就近划片入学比例", "%", Percent),
            f("enrolment.zoned_junior", "城区和镇区公办初中就近划片入学比例", "%", Percent),
        ],
        RuleId::QuotaAllocation => vec![
            f("enrolment.quota.places", "分配到区域内初中的优质高中招生名额", "人", Amount),
            f("enrolment.quota.total", "优质普通高中招生总数", "人", Amount),
            f("enrolment.quota_allocation", "优质高中招生名额分配比例", "%", Percent),
        ],
        RuleId::MigrantChildren => vec![
            f("enrolment.migrant.total", "符合条件的随迁子女总数", "人", Amount),
            f("enrolment.migrant.public", "其中在公办学校和政府购买服务的民办学校就读人数", "人", Amount),
            f("enrolment.migrant_children", "随迁子女在公办和政府购买服务学校就读比例", "%", Percent),
        ],
        RuleId::Retention => vec![
            f("enrolment.cohort.graduates", "初中毕业班学生数", "人", Amount),
            f("enrolment.cohort.entrants", "三年前初一入学人数", "人", Amount),
            f("enrolment.cohort.transferred_in", "三年内转入人数", "人", Amount),
            f("enrolment.cohort.transferred_out", "三年内转出人数", "人", Amount),
            f("enrolment.cohort.deaths", "三年内死亡人数", "人", Amount),
            f("enrolment.junior_retention", "初中三年巩固率", "%", Percent),
        ],
        RuleId::DisabledEnrolment => vec![
            f("enrolment.disabled.total", "适龄残疾儿童少年总数", "人", Amount),
            f("enrolment.disabled.enrolled", "其中已入学人数", "人", Amount),
            f("enrolment.disabled.special_school", "其中在特殊教育学校就读人数", "人", Amount),
            f("enrolment.disabled_enrolment", "残疾儿童少年入学率", "%", Percent),
        ],
        RuleId::QualityMonitoring => vec![f(
            "quality.inter_school_difference",
            "质量监测校际差异率（各科最大值）",
            "",
            Ratio,
        )],
        RuleId::Recognition => {
            let mut v = vec![f("recognition", "社会认可度（综合满意度）", "%", Percent)];
            for (row, who) in [("all", ""), ("parents", "其中家长：")] {
                for (key, label, unit) in [
                    ("questionnaires", "问卷总数", "份"),
                    ("valid", "有效问卷数", "份"),
                    ("satisfied", "满意问卷数", "份"),
                    ("visited", "实地走访人数", "人"),
                    ("visited_satisfied", "走访满意人数", "人"),
                ] {
                    v.push(f(&format!("survey.{row}.{key}"), &format!("{who}{label}"), unit, Amount));
                }
            }
            v
        }
        RuleId::Resource(_)
        | RuleId::MusicArtRooms
        | RuleId::SchoolSize
        | RuleId::ClassSize
        | RuleId::TrainingFunds
        | RuleId::CertifiedTeachers
        | RuleId::StaffingRatio => vec![],
    }
}

/// The figures of the indicators `ids` (in order), each with the id of the first indicator
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
                    out.push((ind.id.clone(), field));
                }
            }
        }
    }
    out
}

/// The figure at `keys` in a parsed county.yaml: a number, or a number written as text;
/// `None` when absent or not a number.
pub fn lookup(doc: &serde_yaml::Value, keys: &[&str]) -> Option<f64> {
    let mut v = doc;
    for k in keys {
        let map = v.as_mapping()?;
        v = map
            .get(serde_yaml::Value::String((*k).to_owned()))
            .or_else(|| k.parse::<i64>().ok().and_then(|n| map.get(serde_yaml::Value::Number(n.into()))))?;
    }
    match v {
        serde_yaml::Value::Number(n) => n.as_f64(),
        serde_yaml::Value::String(s) => crate::load::sheet::parse_number(s),
        _ => None,
    }
}
