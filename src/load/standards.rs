//! The statutory values a `content/indicators.yaml` override changes. Loosening a built-in
//! profile's value (a lower standard, a higher limit, fewer items to meet, a lower pass mark)
//! is an error unless the override names its basis (`basis: 文件名和文号`), and a warning with
//! it; tightening is free. Every change is then cited beside the official document.

use super::yaml::YamlFile;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::profile::{PerStage, RuleParams};
use crate::model::{Profile, ResourceKey};

/// Which way a value is stricter.
#[derive(Clone, Copy, PartialEq)]
enum Stricter {
    Higher,
    Lower,
}

/// One statutory value: where it is written, what it is, its value and how it is shown.
struct Value {
    path: Vec<String>,
    what: String,
    value: f64,
    stricter: Stricter,
    show: fn(f64) -> String,
}

/// A plain number without trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A minimum number of pupils, 0 meaning that every school takes part.
fn everyone(v: f64) -> String {
    if v <= 0.0 { "0（全部参与）".into() } else { num(v) }
}

fn month(v: f64) -> String {
    if v <= 0.0 {
        "（无）".into()
    } else {
        let m = v as i64;
        format!("{}年{}月", (m - 1) / 12, (m - 1) % 12 + 1)
    }
}

/// Every value of a profile the standards fix, in a fixed order.
fn values(p: &Profile) -> Vec<Value> {
    use Stricter::{Higher, Lower};
    let mut out = vec![];
    let mut push = |path: &[&str], what: &str, value: f64, stricter: Stricter, show: fn(f64) -> String| {
        out.push(Value {
            path: path.iter().map(|s| s.to_string()).collect(),
            what: what.to_owned(),
            value,
            stricter,
            show,
        })
    };
    // 赣教督委字〔2018〕6号: 90分以上为达标; no pass mark at all is the loosest.
    push(
        &["b_pass_mark"],
        "B 类指标达标分数",
        p.b_pass_mark.unwrap_or(0.0),
        Higher,
        num,
    );
    // 教督〔2017〕6号 第六条.
    let r = &p.resource;
    push(
        &["resource", "min_items_met"],
        "每所学校至少达标的资源配置指标项数",
        r.min_items_met as f64,
        Higher,
        num,
    );
    push(
        &["resource", "floor_ratio"],
        "其余资源配置指标不低于标准的比例",
        r.floor_ratio,
        Higher,
        num,
    );
    push(
        &["resource", "cv_limit", "primary"],
        "小学差异系数上限",
        r.cv_limit.primary,
        Lower,
        num,
    );
    push(
        &["resource", "cv_limit", "junior"],
        "初中差异系数上限",
        r.cv_limit.junior,
        Lower,
        num,
    );
    // A scope of practice (DOMAIN §2.2a: some provinces leave out 教学点 under 50 pupils), but
    // raising it takes schools out of A1–A7 and the CVs: loosening like a lower standard.
    push(
        &["resource", "teaching_point_min_students"],
        "参与资源配置计算的教学点最少在校生数",
        f64::from(r.teaching_point_min_students),
        Lower,
        everyone,
    );
    for key in ResourceKey::ALL {
        if let Some(s) = r.standards.get(&key) {
            for (stage, label, v) in [("primary", "小学", s.primary), ("junior", "初中", s.junior)] {
                out.push(Value {
                    path: ["resource", "standards", key.id(), stage].map(str::to_owned).to_vec(),
                    what: format!("{}（{label}）", key.label()),
                    value: v,
                    stricter: Higher,
                    show: num,
                });
            }
        }
    }
    out.extend(rule_values(&p.rules));
    out
}

/// The thresholds of 教督〔2017〕6号 第七条至第九条 and the documents they cite (RuleParams).
fn rule_values(q: &RuleParams) -> Vec<Value> {
    use Stricter::{Higher, Lower};
    let mut out = vec![];
    let mut per_stage = |path: &str, what: &str, v: &PerStage, stricter: Stricter| {
        for (stage, label, x) in [("primary", "小学", v.primary), ("junior", "初中", v.junior)] {
            out.push(Value {
                path: vec!["rules".into(), path.into(), stage.into()],
                what: format!("{what}（{label}）"),
                value: x,
                stricter,
                show: num,
            });
        }
    };
    per_stage("class_size", "班额上限", &q.class_size, Lower);
    per_stage("staffing_ratio", "每名教职工对应学生数上限", &q.staffing_ratio, Lower);
    per_stage("zoned_enrolment", "就近划片入学比例（%）", &q.zoned_enrolment, Higher);
    let (m, size) = (&q.music_art_rooms, &q.school_size);
    // No allowance is 100% of the limit for schools built before no date.
    let (percent, before) = match &size.allowance {
        Some(a) => (
            a.percent,
            f64::from(a.built_before.0) * 12.0 + f64::from(a.built_before.1),
        ),
        None => (100.0, 0.0),
    };
    // A table: one statutory value a line.
    #[rustfmt::skip]
    let table: [(&str, &str, f64, Stricter); 19] = [
        ("music_art_rooms.classes_per_room", "每间音乐、美术专用教室对应班级数", m.classes_per_room, Lower),
        ("music_art_rooms.music_room_area", "音乐专用教室面积（平方米）", m.music_room_area, Higher),
        ("music_art_rooms.art_room_area", "美术专用教室面积（平方米）", m.art_room_area, Higher),
        ("school_size.single", "小学、初中规模上限（人）", size.single, Lower),
        ("school_size.combined", "九年、十二年一贯制学校规模上限（人）", size.combined, Lower),
        ("school_size.allowance.percent", "超规模学校过渡上限（占标准的 %）", percent, Lower),
        ("school_size.allowance.built_before", "适用过渡规定的建成时间（此前建成）", before, Lower),
        ("small_school_pupils", "按此人数核定公用经费的小规模学校人数", q.small_school_pupils, Higher),
        ("special_ed_min_per_pupil", "特殊教育学校生均公用经费（元）", q.special_ed_min_per_pupil, Higher),
        ("training_funds_percent", "教师培训经费占公用经费的比例（%）", q.training_funds_percent, Higher),
        ("training_360_percent", "5年360学时培训完成率（%）", q.training_360_percent, Higher),
        ("rotation.percent", "教师交流轮岗比例（%）", q.rotation.percent, Higher),
        ("rotation.backbone_percent", "交流轮岗中骨干教师比例（%）", q.rotation.backbone_percent, Higher),
        ("quota_allocation_percent", "优质高中招生名额分配比例（%）", q.quota_allocation_percent, Higher),
        ("migrant_children_percent", "随迁子女在公办和政府购买服务学校就读比例（%）", q.migrant_children_percent, Higher),
        ("retention_percent", "初中三年巩固率（%）", q.retention_percent, Higher),
        ("disabled_enrolment_percent", "残疾儿童少年入学率（%）", q.disabled_enrolment_percent, Higher),
        ("quality_difference_below", "质量监测校际差异率上限（低于）", q.quality_difference_below, Lower),
        ("recognition_percent", "社会认可度（%）", q.recognition_percent, Higher),
    ];
    for (path, what, value, stricter) in table {
        out.push(Value {
            path: std::iter::once("rules")
                .chain(path.split('.'))
                .map(str::to_owned)
                .collect(),
            what: what.to_owned(),
            value,
            stricter,
            show: if path.ends_with("built_before") { month } else { num },
        });
    }
    out
}

/// Compares the merged profile with its built-in base: says what is loosened (an error
/// without `basis`, a warning with it) and returns every change as it is cited in documents,
/// e.g. "生均教学及辅助用房面积（小学）由 4.5 改为 4".
pub fn changes(base: &Profile, merged: &Profile, file: &YamlFile, diags: &mut Diagnostics) -> Vec<String> {
    let mut out = vec![];
    let mut merged_values = values(merged);
    for old in values(base) {
        // By path, never by position: one value gone must not shift the others out of sight.
        let Some(i) = merged_values.iter().position(|v| v.path == old.path) else {
            diags.push(
                Diagnostic::error(
                    "standard-removed",
                    locate(file, &old.path),
                    format!(
                        "{}（{}）被删除了：内置指标体系的标准不能删除",
                        old.what,
                        old.path.join(".")
                    ),
                )
                .with_hint("要修改就写出新的数值（放宽须在顶层写 basis: 文件名和文号）；不修改就删去这一行"),
            );
            continue;
        };
        let new = merged_values.swap_remove(i);
        if old.value == new.value {
            continue;
        }
        if old.value.is_nan() || new.value.is_nan() || new.value.is_infinite() {
            diags.push(
                Diagnostic::error(
                    "standard-invalid",
                    locate(file, &new.path),
                    format!("{}写成了无效的数值", old.what),
                )
                .with_hint(format!("写一个普通的数，如内置值 {}", (old.show)(old.value))),
            );
            continue;
        }
        let looser = match old.stricter {
            Stricter::Higher => new.value < old.value,
            Stricter::Lower => new.value > old.value,
        };
        let change = format!(
            "{}由 {} 改为 {}",
            old.what,
            (old.show)(old.value),
            (new.show)(new.value)
        );
        if looser {
            let at = locate(file, &new.path);
            diags.push(match &merged.basis {
                None => Diagnostic::error(
                    "standard-loosened",
                    at,
                    format!("{change}，放宽了{}的标准，且没有写明依据", base.source),
                )
                .with_hint("放宽国家或省定标准须有正式文件：在本文件顶层写 basis: 文件名和文号；只提高标准则不需要"),
                Some(basis) => Diagnostic::warning(
                    "standard-loosened",
                    at,
                    format!("{change}，放宽了{}的标准；依据：{basis}", base.source),
                )
                .with_hint("生成的材料在引用标准处注明“按该文件修改后的标准判定”；请确认该文件确实作此规定"),
            });
        }
        out.push(change);
    }
    out
}

/// The line of `path` in the override, or of the nearest enclosing key written there
/// (`standards: {building_area: {primary: 4}}` on one line).
pub(super) fn locate<S: AsRef<str>>(file: &YamlFile, path: &[S]) -> crate::diag::Location {
    let path: Vec<&str> = path.iter().map(AsRef::as_ref).collect();
    (1..=path.len())
        .rev()
        .map(|n| file.locate_key(&path[..n]))
        .find(|l| matches!(l, crate::diag::Location::Line { .. }))
        .unwrap_or_else(|| crate::diag::Location::file(&file.rel))
}

/// Student-equivalents for splitting combined schools (测算说明 of practice, DOMAIN §2.2a): every
/// weight a split uses must be a number above 0, or the split is skipped or gives negative shares.
pub fn check_split_weights(p: &Profile, file: &YamlFile, diags: &mut Diagnostics) {
    let w = &p.resource.split_weights;
    #[rustfmt::skip]
    let used = [
        ("nine_year", "九年一贯制学校", "primary", "小学", w.nine_year.primary),
        ("nine_year", "九年一贯制学校", "junior", "初中", w.nine_year.junior),
        ("twelve_year", "十二年一贯制学校", "primary", "小学", w.twelve_year.primary),
        ("twelve_year", "十二年一贯制学校", "junior", "初中", w.twelve_year.junior),
        ("twelve_year", "十二年一贯制学校", "senior", "高中", w.twelve_year.senior),
        ("complete", "完全中学", "junior", "初中", w.complete.junior),
        ("complete", "完全中学", "senior", "高中", w.complete.senior),
    ];
    for (kind, kind_label, stage, stage_label, v) in used {
        if v.is_finite() && v > 0.0 {
            continue;
        }
        let path = ["resource", "split_weights", kind, stage].map(str::to_owned);
        let shown = if v.is_finite() { num(v) } else { "无效的数".into() };
        diags.push(
            Diagnostic::error(
                "split-weight-invalid",
                locate(file, &path),
                format!("{kind_label}拆分时{stage_label}的生均当量权重为 {shown}，权重须大于 0"),
            )
            .with_hint(format!(
                "写大于 0 的数（未写的学段按 0 计，须写全）；通行的比例：九年一贯制 小学 : 初中 = 1 : 1.1，\
                 十二年一贯制 1 : 1.1 : 1.32，完全中学 初中 : 高中 = 1 : 1.2；不修改就删去 {kind}"
            )),
        );
    }
}
