//! County-level rules, one function each, judged from content/county.yaml against the
//! profile's thresholds (DOMAIN §2.3; 教督〔2017〕6号 第七条至第九条; 国办发〔2018〕82号).

use std::collections::BTreeMap;

use super::{Check, Verdict, at_least, fmt_beside, fmt_num, fmt_num_beside, fmt2};
use crate::model::CountyConfig;
use crate::model::profile::RuleParams;

fn missing(what: &str, key: &str) -> Check {
    Check::pending(format!("{what}：content/county.yaml 未填写 {key}"))
}

/// A rate that must reach `min` percent.
fn rate(value: Option<f64>, min: f64, what: &str, key: &str) -> Check {
    let Some(v) = value else {
        return missing(what, key);
    };
    let ok = at_least(v, min);
    // A failing figure never reads as its bound (84.99999%, not 85%).
    let shown = if ok { fmt_num(v) } else { fmt_num_beside(v, min) };
    let mut c = Check::new(Verdict::of(ok), format!("{what} {shown}%（标准 ≥ {}%）", fmt_num(min)));
    if !ok {
        c.reasons.push(format!("{what} {shown}%，低于 {}%", fmt_num(min)));
    }
    c
}

/// 国办发〔2018〕82号: 一般公共预算教育支出、按在校学生人数平均的一般公共预算教育支出逐年只增不减.
/// Year by year: a series with a year missing, or ending more than a year before the
/// assessment year, cannot show it.
pub fn spending_growth(c: &CountyConfig, _p: &RuleParams) -> Check {
    if c.unread.iter().any(|f| f == "year") {
        return Check::pending("评估年度未能读取：content/county.yaml 的 year 有错误");
    }
    let series = [
        (
            "一般公共预算教育支出",
            "万元",
            &c.finance.education_spending,
            "finance.education_spending",
        ),
        (
            "生均一般公共预算教育支出",
            "元",
            &c.finance.per_pupil_spending,
            "finance.per_pupil_spending",
        ),
    ];
    let mut reasons = vec![];
    let mut parts = vec![];
    let mut short = vec![];
    for (what, unit, s, key) in series {
        if s.len() < 2 {
            short.push(format!("{key}（至少两个年度）"));
            continue;
        }
        parts.push(format!("{what} {}", trend(s, unit)));
        // Consecutive filled years: a fall between any two is a fall (in some year between them).
        for ((y0, v0), (y1, v1)) in s.iter().zip(s.iter().skip(1)) {
            if !at_least(*v1, *v0) {
                let (now, before) = beside(*v1, *v0);
                reasons.push(format!("{y1}年{what} {now} {unit}，低于 {y0} 年的 {before} {unit}"));
            }
        }
        short.extend(unshown_years(s, c.year).map(|years| format!("{key}（{years}）")));
    }
    // A known fall fails the item even when the other series is too short to judge.
    if reasons.is_empty() && !short.is_empty() {
        return missing("两个只增不减", &short.join("、"));
    }
    let mut check = Check::new(Verdict::of(reasons.is_empty()), parts.join("；"));
    check.reasons = reasons;
    check
}

/// What keeps a series from showing a year-by-year rise: the years missing between its first
/// and last, and a last year more than one year before the assessment year.
fn unshown_years(s: &BTreeMap<i32, f64>, year: i32) -> Option<String> {
    let (first, last) = (*s.keys().next()?, *s.keys().next_back()?);
    let missing: Vec<String> = (first..=last)
        .filter(|y| !s.contains_key(y))
        .map(|y| y.to_string())
        .collect();
    let mut what = vec![];
    if !missing.is_empty() {
        what.push(format!("缺 {} 年", missing.join("、")));
    }
    if last < year - 1 {
        what.push(format!("最近只到 {last} 年，应填到 {} 年", year - 1));
    }
    (!what.is_empty()).then(|| what.join("，"))
}

/// Two figures with as many decimals as it takes for them not to read alike.
fn beside(now: f64, before: f64) -> (String, String) {
    let (a, b) = (fmt_num(now), fmt_num(before));
    if a != b {
        return (a, b);
    }
    let d = (4..=12)
        .find(|d| format!("{now:.d$}") != format!("{before:.d$}"))
        .unwrap_or(12);
    (format!("{now:.d$}"), format!("{before:.d$}"))
}

fn trend(s: &BTreeMap<i32, f64>, unit: &str) -> String {
    s.iter()
        .map(|(y, v)| format!("{y}年 {} {unit}", fmt_num(*v)))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// 第七条（八）: 教师平均工资收入水平不低于当地公务员平均工资收入水平.
pub fn teacher_pay(c: &CountyConfig, _p: &RuleParams) -> Check {
    let (Some(t), Some(p)) = (c.finance.teacher_average_pay, c.finance.civil_servant_average_pay) else {
        return missing(
            "教师平均工资",
            "finance.teacher_average_pay 或 finance.civil_servant_average_pay",
        );
    };
    let ok = at_least(t, p);
    let (ts, ps) = beside(t, p);
    let mut check = Check::new(Verdict::of(ok), format!("教师年平均工资 {ts} 元，公务员 {ps} 元"));
    if !ok {
        check
            .reasons
            .push(format!("教师年平均工资 {ts} 元低于当地公务员 {ps} 元"));
    }
    check
}

/// 第七条（九）: 教师5年360学时培训完成率达到100%.
pub fn training_360(c: &CountyConfig, p: &RuleParams) -> Check {
    rate(
        c.teachers.training_360_rate,
        p.training_360_percent,
        "5年360学时培训完成率",
        "teachers.training_360_rate",
    )
}

/// 第七条（十一）: 交流轮岗教师 ≥ 符合条件教师的10%，其中县级以上骨干教师 ≥ 20%.
pub fn rotation(c: &CountyConfig, p: &RuleParams) -> Check {
    let t = &c.teachers;
    let (Some(eligible), Some(count), Some(backbone)) = (t.rotation_eligible, t.rotation_count, t.rotation_backbone)
    else {
        return missing(
            "教师交流轮岗",
            "teachers.rotation_eligible / rotation_count / rotation_backbone",
        );
    };
    if eligible <= 0.0 {
        return Check::pending("教师交流轮岗：符合交流条件教师数为 0");
    }
    let share = count / eligible * 100.0;
    let backbone_share = if count > 0.0 { backbone / count * 100.0 } else { 0.0 };
    let mut check = Check::new(
        Verdict::Met,
        format!(
            "交流轮岗 {} 人，占符合条件 {} 人的 {}%；其中骨干 {} 人，占 {}%",
            fmt_num(count),
            fmt_num(eligible),
            fmt2(share),
            fmt_num(backbone),
            fmt2(backbone_share)
        ),
    );
    let (min, backbone_min) = (p.rotation.percent, p.rotation.backbone_percent);
    if !at_least(count, eligible * (min / 100.0)) {
        check.verdict = Verdict::NotMet;
        check.reasons.push(format!(
            "交流轮岗比例 {}%，低于 {}%",
            fmt_beside(share, 2, min, true),
            fmt_num(min)
        ));
    }
    if !at_least(backbone, count * (backbone_min / 100.0)) || count <= 0.0 {
        check.verdict = Verdict::NotMet;
        check.reasons.push(format!(
            "骨干教师占交流轮岗教师 {}%，低于 {}%",
            fmt_beside(backbone_share, 2, backbone_min, true),
            fmt_num(backbone_min)
        ));
    }
    check
}

/// 第七条（十三）: 城区和镇区公办小学、初中就近划片入学比例分别达到100%、95%以上.
pub fn zoned_enrolment(c: &CountyConfig, p: &RuleParams) -> Check {
    let primary = rate(
        c.enrolment.zoned_primary,
        p.zoned_enrolment.primary,
        "小学就近划片入学比例",
        "enrolment.zoned_primary",
    );
    let junior = rate(
        c.enrolment.zoned_junior,
        p.zoned_enrolment.junior,
        "初中就近划片入学比例",
        "enrolment.zoned_junior",
    );
    both(primary, junior)
}

fn both(a: Check, b: Check) -> Check {
    Check {
        verdict: a.verdict.max(b.verdict),
        summary: format!("{}；{}", a.summary, b.summary),
        reasons: a.reasons.into_iter().chain(b.reasons).collect(),
        schools: vec![],
    }
}

/// 第七条（十四）: 优质高中招生名额分配比例不低于50%，并向农村初中倾斜.
pub fn quota_allocation(c: &CountyConfig, p: &RuleParams) -> Check {
    let mut check = rate(
        c.enrolment.quota_allocation,
        p.quota_allocation_percent,
        "优质高中招生名额分配比例",
        "enrolment.quota_allocation",
    );
    match c.enrolment.quota_rural_leaning {
        Some(true) => {}
        Some(false) => {
            check.verdict = Verdict::NotMet;
            check.reasons.push("名额分配未向农村初中倾斜".into());
        }
        None => {
            check.verdict = check.verdict.max(Verdict::Pending);
            check
                .reasons
                .push("未申报名额分配是否向农村初中倾斜（enrolment.quota_rural_leaning）".into());
        }
    }
    check
}

/// 第七条（十五）: 随迁子女在公办学校和政府购买服务的民办学校就读比例不低于85%.
pub fn migrant_children(c: &CountyConfig, p: &RuleParams) -> Check {
    rate(
        c.enrolment.migrant_children,
        p.migrant_children_percent,
        "随迁子女在公办学校和政府购买服务学校就读比例",
        "enrolment.migrant_children",
    )
}

/// 第八条（一）: 初中三年巩固率达到95%以上.
pub fn retention(c: &CountyConfig, p: &RuleParams) -> Check {
    rate(
        c.enrolment.junior_retention,
        p.retention_percent,
        "初中三年巩固率",
        "enrolment.junior_retention",
    )
}

/// 第八条（二）: 残疾儿童少年入学率达到95%以上.
pub fn disabled_enrolment(c: &CountyConfig, p: &RuleParams) -> Check {
    rate(
        c.enrolment.disabled_enrolment,
        p.disabled_enrolment_percent,
        "残疾儿童少年入学率",
        "enrolment.disabled_enrolment",
    )
}

/// 第八条（九）: 质量监测学业水平达到Ⅲ级以上，且校际差异率低于0.15.
pub fn quality_monitoring(c: &CountyConfig, p: &RuleParams) -> Check {
    let (Some(level), Some(diff)) = (c.quality.level_iii_or_above, c.quality.inter_school_difference) else {
        return missing(
            "国家义务教育质量监测",
            "quality.level_iii_or_above 或 quality.inter_school_difference",
        );
    };
    let below = p.quality_difference_below;
    let mut check = Check::new(
        Verdict::Met,
        format!(
            "学业水平{}Ⅲ级以上，校际差异率 {}（标准 < {}）",
            if level { "达到" } else { "未达到" },
            fmt_num(diff),
            fmt_num(below)
        ),
    );
    if !level {
        check.verdict = Verdict::NotMet;
        check.reasons.push("相关科目学业水平未达到Ⅲ级以上".into());
    }
    // Strictly below: "低于0.15"; at 0.15 exactly it fails and reads "0.15".
    if diff >= below {
        check.verdict = Verdict::NotMet;
        let shown = if diff == below {
            fmt_num(diff)
        } else {
            fmt_num_beside(diff, below)
        };
        check.summary = check.summary.replacen(
            &format!("校际差异率 {}", fmt_num(diff)),
            &format!("校际差异率 {shown}"),
            1,
        );
        check
            .reasons
            .push(format!("校际差异率 {shown}，未低于 {}", fmt_num(below)));
    }
    check
}

/// 第九条: 社会认可度达到85%以上.
pub fn recognition(c: &CountyConfig, p: &RuleParams) -> Check {
    rate(c.recognition, p.recognition_percent, "社会认可度", "recognition")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;
    use crate::model::county::Level;

    /// The national thresholds.
    fn params() -> RuleParams {
        RuleParams::default()
    }

    fn config() -> CountyConfig {
        serde_yaml::from_str("county: 测试县\nyear: 2026\nlevel: 省检\ntoday: 2026-11-20\n").unwrap()
    }

    #[test]
    fn spending_never_decreases() {
        let mut c = config();
        let p = params();
        assert_eq!(c.level, Level::Province);
        assert_eq!(c.today, Date::new(2026, 11, 20).unwrap());
        assert_eq!(spending_growth(&c, &p).verdict, Verdict::Pending);
        c.finance.education_spending = [(2024, 50_000.0), (2025, 52_000.0), (2026, 52_000.0)].into();
        c.finance.per_pupil_spending = [(2024, 12_000.0), (2025, 12_500.0)].into();
        assert_eq!(spending_growth(&c, &p).verdict, Verdict::Met); // equal counts as not decreasing
        c.finance.per_pupil_spending.insert(2026, 12_499.0);
        let check = spending_growth(&c, &p);
        assert_eq!(check.verdict, Verdict::NotMet);
        assert!(check.reasons[0].contains("2026年"), "{:?}", check.reasons);
    }

    #[test]
    fn a_known_fall_fails_even_when_the_other_series_is_short() {
        // 2024: 100 → 2025: 99 万元 is a fall; per-pupil has one year only.
        let mut c = config();
        let p = params();
        c.finance.education_spending = [(2024, 100.0), (2025, 99.0)].into();
        c.finance.per_pupil_spending = [(2025, 10_000.0)].into();
        let check = spending_growth(&c, &p);
        assert_eq!(check.verdict, Verdict::NotMet);
        assert_eq!(
            check.reasons,
            ["2025年一般公共预算教育支出 99 万元，低于 2024 年的 100 万元"]
        );
        // No fall visible and one series short: 待核实.
        c.finance.education_spending = [(2024, 100.0), (2025, 101.0)].into();
        assert_eq!(spending_growth(&c, &p).verdict, Verdict::Pending);
    }

    #[test]
    fn rotation_ten_and_twenty_percent() {
        // 80 of 800 eligible = 10%; 16 of 80 backbone = 20%: both exactly met.
        let mut c = config();
        let p = params();
        c.teachers.rotation_eligible = Some(800.0);
        c.teachers.rotation_count = Some(80.0);
        c.teachers.rotation_backbone = Some(16.0);
        assert_eq!(rotation(&c, &p).verdict, Verdict::Met);
        c.teachers.rotation_backbone = Some(15.0); // 15/80 = 18.75%
        assert_eq!(rotation(&c, &p).verdict, Verdict::NotMet);
        c.teachers.rotation_backbone = Some(16.0);
        c.teachers.rotation_count = Some(79.0); // 79/800 = 9.875%
        assert_eq!(rotation(&c, &p).verdict, Verdict::NotMet);
    }

    #[test]
    fn rates_and_quality() {
        let mut c = config();
        let p = params();
        c.enrolment.zoned_primary = Some(100.0);
        c.enrolment.zoned_junior = Some(94.9);
        assert_eq!(zoned_enrolment(&c, &p).verdict, Verdict::NotMet);
        c.enrolment.zoned_junior = Some(95.0);
        assert_eq!(zoned_enrolment(&c, &p).verdict, Verdict::Met);
        c.quality.level_iii_or_above = Some(true);
        c.quality.inter_school_difference = Some(0.15); // must be strictly below 0.15
        assert_eq!(quality_monitoring(&c, &p).verdict, Verdict::NotMet);
        c.quality.inter_school_difference = Some(0.149);
        assert_eq!(quality_monitoring(&c, &p).verdict, Verdict::Met);
        c.enrolment.quota_allocation = Some(52.0);
        assert_eq!(quota_allocation(&c, &p).verdict, Verdict::Pending);
        c.enrolment.quota_rural_leaning = Some(true);
        assert_eq!(quota_allocation(&c, &p).verdict, Verdict::Met);
        c.recognition = Some(84.99);
        assert_eq!(recognition(&c, &p).verdict, Verdict::NotMet);
        c.finance.teacher_average_pay = Some(98_000.0);
        c.finance.civil_servant_average_pay = Some(97_500.0);
        assert_eq!(teacher_pay(&c, &p).verdict, Verdict::Met);
    }

    #[test]
    fn spending_is_shown_year_by_year_up_to_last_year() {
        let mut c = config();
        let p = params();
        // 2022 → 2025 with 2023 and 2024 missing: no fall visible, but no year-by-year rise shown.
        c.finance.education_spending = [(2022, 100.0), (2025, 110.0)].into();
        c.finance.per_pupil_spending = [(2024, 10_000.0), (2025, 10_100.0)].into();
        let check = spending_growth(&c, &p);
        assert_eq!(check.verdict, Verdict::Pending);
        assert_eq!(
            check.summary,
            "两个只增不减：content/county.yaml 未填写 finance.education_spending（缺 2023、2024 年）"
        );
        // Assessment year 2026: a series ending 2024 is more than one year behind.
        c.finance.education_spending = [(2023, 100.0), (2024, 110.0)].into();
        let check = spending_growth(&c, &p);
        assert_eq!(check.verdict, Verdict::Pending);
        assert!(
            check.summary.contains("最近只到 2024 年，应填到 2025 年"),
            "{}",
            check.summary
        );
        // A fall between 2022 and 2025 (110 → 100) proves a fall in some year: 未达标.
        c.finance.education_spending = [(2022, 110.0), (2025, 100.0)].into();
        assert_eq!(spending_growth(&c, &p).verdict, Verdict::NotMet);
    }

    #[test]
    fn a_failing_county_figure_never_reads_as_its_bound() {
        let mut c = config();
        let p = params();
        // 84.99999 < 85: "85" would contradict "低于 85%".
        c.recognition = Some(84.99999);
        let check = recognition(&c, &p);
        assert_eq!(check.verdict, Verdict::NotMet);
        assert_eq!(check.reasons, ["社会认可度 84.99999%，低于 85%"]);
        assert_eq!(check.summary, "社会认可度 84.99999%（标准 ≥ 85%）");
        // 99.99999 < 100 万元: both to 5 decimals.
        c.finance.education_spending = [(2024, 100.0), (2025, 99.99999)].into();
        c.finance.per_pupil_spending = [(2024, 1.0), (2025, 1.0)].into();
        assert_eq!(
            spending_growth(&c, &p).reasons,
            ["2025年一般公共预算教育支出 99.99999 万元，低于 2024 年的 100.00000 万元"]
        );
        // 0.1500001 is not below 0.15.
        c.quality.level_iii_or_above = Some(true);
        c.quality.inter_school_difference = Some(0.1500001);
        assert_eq!(
            quality_monitoring(&c, &p).reasons,
            ["校际差异率 0.1500001，未低于 0.15"]
        );
    }
}
