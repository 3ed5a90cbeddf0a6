//! Built-in indicator profiles, optionally overridden by `content/indicators.yaml`.

use serde_yaml::{Mapping, Value};
use std::path::Path;

use super::yaml::{self, YamlFile};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::profile;
use crate::model::{CharOrigins, IndicatorType, Profile};

pub fn load(root: &Path, id: &str, diags: &mut Diagnostics, chars: &mut CharOrigins) -> Profile {
    let (base_id, base_text) = match profile::BUILTIN.iter().find(|(i, _)| *i == id) {
        Some(p) => *p,
        None => {
            let known: Vec<&str> = profile::BUILTIN.iter().map(|(i, _)| *i).collect();
            diags.push(
                Diagnostic::error(
                    "unknown-profile",
                    Location::file(crate::paths::CONFIG),
                    format!("未知的指标体系“{id}”"),
                )
                .with_hint(format!("profile 可选：{}", known.join("、"))),
            );
            profile::BUILTIN[0]
        }
    };
    let fallback = || Profile::builtin(base_id).expect("built-in profiles are checked by tests");
    let rel = crate::paths::INDICATORS;
    if !root.join(rel).exists() {
        return fallback();
    }
    let Some(text) = super::text::read(root, rel, diags, chars) else {
        return fallback();
    };
    let file = YamlFile::new(rel, text);
    let Some(overrides) = yaml::parse::<Value>(&file, diags) else {
        return fallback();
    };
    let mut merged: Value = match serde_yaml::from_str(base_text) {
        Ok(v) => v,
        Err(_) => return fallback(),
    };
    if let Err(d) = merge(&mut merged, overrides, &file) {
        diags.push(d);
        return fallback();
    }
    match serde_path_to_error::deserialize::<_, Profile>(merged) {
        Ok(mut p) => {
            let before = diags.count(crate::diag::Severity::Error);
            validate(&p, &file, diags);
            super::standards::check_split_weights(&p, &file, diags);
            p.changes = super::standards::changes(&fallback(), &p, &file, diags);
            if diags.count(crate::diag::Severity::Error) > before {
                return fallback();
            }
            p
        }
        Err(e) => {
            diags.push(merged_error(&file, &e));
            fallback()
        }
    }
}

/// Why the merged profile cannot be read, in Chinese, at the override's key where it can be
/// found (an indicator's fields are merged from the built-in one, so the path names its place).
fn merged_error(file: &YamlFile, e: &serde_path_to_error::Error<serde_yaml::Error>) -> Diagnostic {
    use super::yaml_msg::{self, Seg};
    let path = Seg::path(e.path());
    // Past a list index the override's own order is not the merged one: stop at the list.
    let keys: Vec<&str> = path
        .iter()
        .map_while(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    let raw = e.inner().to_string();
    let raw = raw.find(" at line ").map_or(raw.as_str(), |i| &raw[..i]);
    let d = yaml_msg::typed(&path, &yaml_msg::kind(raw), file.locate_key(&keys));
    let message = format!("指标体系覆盖文件合并后无效：{}", d.message);
    Diagnostic::error("indicators-invalid", d.location, message)
        .with_hint("新增指标须写全 id、number、category、name、type；字段名见 docs/inputs.md")
}

/// Top-level scalars replace, `resource` and `rules` merge key by key, `indicators` and `veto`
/// merge by `id` (an existing id is updated field by field, a new id is appended).
#[allow(clippy::result_large_err)]
fn merge(base: &mut Value, over: Value, file: &YamlFile) -> Result<(), Diagnostic> {
    let bad = |msg: &str| {
        Diagnostic::error("indicators-invalid", Location::file(&file.rel), msg.to_owned())
            .with_hint("格式见 docs/inputs.md“指标体系覆盖”一节")
    };
    let Value::Mapping(over) = over else {
        return match over {
            Value::Null => Ok(()),
            _ => Err(bad("文件顶层应是键值对")),
        };
    };
    let Value::Mapping(base) = base else {
        return Err(bad("内置指标体系损坏"));
    };
    for (k, v) in over {
        let key = k.as_str().unwrap_or_default().to_owned();
        match key.as_str() {
            "resource" | "rules" => {
                let Value::Mapping(vm) = v else {
                    return Err(bad(&format!("{key} 应是键值对")));
                };
                let entry = base.entry(k).or_insert_with(|| Value::Mapping(Mapping::new()));
                if let Value::Mapping(bm) = entry {
                    merge_section(bm, vm, &key, file)?;
                }
            }
            "indicators" | "veto" => {
                let Value::Sequence(items) = v else {
                    return Err(bad(&format!("{key} 应是列表")));
                };
                let entry = base.entry(k).or_insert_with(|| Value::Sequence(vec![]));
                let Value::Sequence(list) = entry else {
                    return Err(bad("内置指标体系损坏"));
                };
                for item in items {
                    let Value::Mapping(im) = item else {
                        return Err(bad(&format!("{key} 的每一项应是键值对")));
                    };
                    let id = im.get("id").and_then(id_text);
                    let Some(id) = id else {
                        return Err(Diagnostic::error(
                            "indicators-invalid",
                            file.locate_token(1, key.as_str()),
                            format!("{key} 中有一项缺少 id"),
                        )
                        .with_hint("每一项都要写 id，已有的 id 表示修改，新的 id 表示新增"));
                    };
                    match list
                        .iter_mut()
                        .find(|e| e.get("id").and_then(id_text).as_deref() == Some(&id))
                    {
                        Some(Value::Mapping(existing)) => {
                            for (ik, iv) in im {
                                existing.insert(ik, iv);
                            }
                        }
                        _ => list.push(Value::Mapping(im)),
                    }
                }
            }
            "name" | "source" | "b_pass_mark" | "categories" | "basis" => {
                base.insert(k, v);
            }
            other => {
                return Err(Diagnostic::error(
                    "indicators-invalid",
                    file.locate_key(&[other]),
                    format!("未知的键“{other}”"),
                )
                .with_hint(
                    "可覆盖的键：name、source、basis、b_pass_mark、categories、resource、rules、indicators、veto",
                ));
            }
        }
    }
    Ok(())
}

/// Merges `resource` or `rules` key by key. A rule's thresholds merge field by field
/// (`class_size: {junior: 45}` keeps primary), `standards` item by item (overriding one keeps
/// the other six); other keys replace. A standard cannot be removed: an empty value is an error,
/// never a standard of 0 (教督〔2017〕6号 第五条 to 第九条 fix every one).
#[allow(clippy::result_large_err)]
fn merge_section(base: &mut Mapping, over: Mapping, section: &str, file: &YamlFile) -> Result<(), Diagnostic> {
    let removed = |path: &[&str]| {
        Diagnostic::error(
            "standard-removed",
            super::standards::locate(file, path),
            format!("{} 写成了空值：内置指标体系的标准不能删除", path.join(".")),
        )
        .with_hint("要修改就写出新的数值（放宽须在顶层写 basis: 文件名和文号）；不修改就删去这一行")
    };
    for (k, v) in over {
        let name = k.as_str().unwrap_or_default().to_owned();
        if v.is_null() {
            return Err(removed(&[section, &name]));
        }
        let deep = section == "rules" || name == "standards";
        match (base.get_mut(&k), v) {
            (Some(Value::Mapping(old)), Value::Mapping(new)) if deep => {
                for (fk, fv) in new {
                    // Only `allowance` may be empty (no allowance: stricter, and compared as such).
                    if fv.is_null() && fk.as_str() != Some("allowance") {
                        return Err(removed(&[section, &name, fk.as_str().unwrap_or_default()]));
                    }
                    old.insert(fk, fv);
                }
            }
            (_, v) if name == "standards" => {
                return Err(Diagnostic::error(
                    "indicators-invalid",
                    super::standards::locate(file, &[section, name.as_str()]),
                    format!("{section}.standards 应是键值对，这里写的是“{}”", scalar_text(&v)),
                )
                .with_hint("只写要修改的资源项，如 standards: {building_area: {primary: 4.5, junior: 5.8}}"));
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
    Ok(())
}

/// A short text of a YAML value for a message.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Sequence(_) => "一个列表".into(),
        _ => "其他内容".into(),
    }
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Consistency of a (merged) profile: unique ids, known categories, B scores adding up.
pub fn validate(p: &Profile, file: &YamlFile, diags: &mut Diagnostics) {
    let mut seen = std::collections::HashSet::new();
    for ind in &p.indicators {
        let loc = || file.locate_token(1, &ind.id);
        if !seen.insert(ind.id.as_str()) {
            diags.push(
                Diagnostic::error("indicator-duplicate", loc(), format!("指标编号 {} 重复", ind.id))
                    .with_hint("每个指标的 id 必须唯一"),
            );
        }
        if !p.categories.contains(&ind.category) {
            diags.push(
                Diagnostic::error(
                    "unknown-category",
                    loc(),
                    format!("指标 {} 的类别“{}”不在 categories 中", ind.id, ind.category),
                )
                .with_hint(format!("可用类别：{}", p.categories.join("、"))),
            );
        }
        for id in ind.declared_points.iter().filter(|id| ind.point(id).is_none()) {
            diags.push(
                Diagnostic::error(
                    "unknown-point",
                    loc(),
                    format!("指标 {} 的 declared_points 中的要点“{id}”不存在", ind.id),
                )
                .with_hint("declared_points 只列该指标 points 中的要点编号"),
            );
        }
        if ind.kind == IndicatorType::B {
            let sum: f64 = ind.points.iter().filter_map(|pt| pt.max).sum();
            match ind.max_score {
                Some(max) if (max - sum).abs() < 1e-9 => {}
                Some(max) => diags.push(
                    Diagnostic::error(
                        "score-mismatch",
                        loc(),
                        format!("B 类指标 {} 满分 {max} 与各要点分值之和 {sum} 不符", ind.id),
                    )
                    .with_hint("max_score 应等于各要点 max 之和"),
                ),
                None => diags.push(
                    Diagnostic::error("score-missing", loc(), format!("B 类指标 {} 缺少 max_score", ind.id))
                        .with_hint("B 类指标须写明满分"),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RuleId;

    #[test]
    fn builtin_profiles_parse_and_are_consistent() {
        for (id, text) in profile::BUILTIN {
            let p: Profile = serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{id}: {e}"));
            let file = YamlFile::new(id, text);
            let mut d = Diagnostics::default();
            validate(&p, &file, &mut d);
            assert!(d.is_empty(), "{id}: {:?}", d.as_slice());
        }
    }

    #[test]
    fn jiangxi_has_27_a_and_11_b_totalling_100() {
        // Seed 003: "“A”类指标27项……“B”类指标11项……总分为100分，90分以上为达标".
        let p = Profile::builtin("jiangxi-2018").unwrap();
        let a = p.indicators.iter().filter(|i| i.kind == IndicatorType::A).count();
        let b: Vec<_> = p.indicators.iter().filter(|i| i.kind == IndicatorType::B).collect();
        assert_eq!((p.indicators.len(), a, b.len()), (38, 27, 11));
        // 10 + 9 + 8 + 9 + 5 + 10 + 10 + 10 + 9 + 12 + 8 = 100
        assert_eq!(b.iter().filter_map(|i| i.max_score).sum::<f64>(), 100.0);
        assert_eq!(p.b_pass_mark, Some(90.0));
        assert_eq!(p.veto.len(), 7);
        assert_eq!(p.indicator("12").map(|i| i.rule), Some(Some(RuleId::SchoolSize)));
        assert_eq!(p.indicator("a12").map(|i| i.id.as_str()), Some("A12"));
    }

    #[test]
    fn national_rule_is_six_items_and_85_percent() {
        // 教督〔2017〕6号 第六条: 每所学校至少6项指标达到要求，余项不能低于要求的85%.
        let p = Profile::builtin("national-2017").unwrap();
        assert_eq!(p.resource.min_items_met, 6);
        assert_eq!(p.resource.floor_ratio, 0.85);
        assert_eq!(p.resource.cv_limit.primary, 0.50);
        assert_eq!(p.resource.cv_limit.junior, 0.45);
    }

    #[test]
    fn builtin_rule_thresholds_are_the_national_defaults() {
        // Both built-in profiles restate the national thresholds; a profile without `rules` gets them too.
        // Jiangxi adds only its school-size allowance (赣教督委字〔2018〕6号 指标12).
        for (id, _) in profile::BUILTIN {
            let mut p = Profile::builtin(id).unwrap();
            let allowance = p.rules.school_size.allowance.take();
            assert_eq!(allowance.is_some(), id == "jiangxi-2018", "{id}");
            assert_eq!(p.rules, crate::model::profile::RuleParams::default(), "{id}");
        }
        let jiangxi = Profile::builtin("jiangxi-2018")
            .unwrap()
            .rules
            .school_size
            .allowance
            .unwrap();
        assert_eq!((jiangxi.percent, jiangxi.built_before), (120.0, (2018, 9)));
        // 教督〔2017〕6号 第十条: six veto items.
        assert_eq!(Profile::builtin("national-2017").unwrap().veto.len(), 6);
    }

    #[test]
    fn a_rule_threshold_overrides_field_by_field() {
        let file = YamlFile::new("content/indicators.yaml", "");
        let mut base: Value = serde_yaml::from_str(profile::BUILTIN[1].1).unwrap();
        let over: Value = serde_yaml::from_str("rules: {class_size: {junior: 45}}").unwrap();
        merge(&mut base, over, &file).unwrap();
        let p: Profile = serde_yaml::from_value(base).unwrap();
        // 初中 45 as written; 小学 45 and the other rules kept from the built-in profile.
        assert_eq!((p.rules.class_size.primary, p.rules.class_size.junior), (45.0, 45.0));
        assert_eq!(p.rules.special_ed_min_per_pupil, 6000.0);
    }

    /// Loads `over` as content/indicators.yaml over the profile `base`.
    fn with_override(base: &str, over: &str) -> (Profile, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join(crate::paths::INDICATORS), over).unwrap();
        let mut d = Diagnostics::default();
        let p = load(dir.path(), base, &mut d, &mut CharOrigins::default());
        (p, d)
    }

    #[test]
    fn loosening_a_standard_needs_a_basis() {
        // 4.5 → 4 m² per pupil is lower: an error at its line, and the built-in profile stays.
        let over = "resource:\n  standards:\n    building_area: {primary: 4.0, junior: 5.8}\n";
        let (p, d) = with_override("national-2017", over);
        let e = &d.as_slice()[0];
        assert_eq!(d.as_slice().len(), 1, "{:?}", d.as_slice());
        assert_eq!(e.code, "standard-loosened");
        assert_eq!(e.severity, crate::diag::Severity::Error);
        assert_eq!(e.location.to_string(), "content/indicators.yaml:3:5");
        assert_eq!(
            e.message,
            "生均教学及辅助用房面积（小学）由 4.5 改为 4，放宽了教督〔2017〕6号的标准，且没有写明依据"
        );
        assert_eq!(
            p.resource.standards[&crate::model::ResourceKey::BuildingArea].primary,
            4.5
        );
        // With a basis: a warning, the value applies and is listed for the documents.
        let (p, d) = with_override(
            "national-2017",
            &format!("basis: 某省教育厅《某文件》（某教〔2025〕1号）\n{over}"),
        );
        assert_eq!(d.as_slice()[0].severity, crate::diag::Severity::Warning);
        assert_eq!(
            p.resource.standards[&crate::model::ResourceKey::BuildingArea].primary,
            4.0
        );
        assert_eq!(p.changes, ["生均教学及辅助用房面积（小学）由 4.5 改为 4"]);
        // Tightening is free: 45 → 40 pupils per primary class, no diagnostic, still cited.
        let (p, d) = with_override("national-2017", "rules: {class_size: {primary: 40}}\n");
        assert!(d.is_empty(), "{:?}", d.as_slice());
        assert_eq!(p.changes, ["班额上限（小学）由 45 改为 40"]);
        // Every kind the issue names: CV limit up, items down, floor down, pass mark down.
        for over in [
            "resource: {cv_limit: {primary: 0.55, junior: 0.45}}",
            "resource: {min_items_met: 6}",
            "resource: {floor_ratio: 0.85}",
            "b_pass_mark: 85",
            "rules: {school_size: {allowance: {percent: 130, built_before: [2018, 9], basis: x}}}",
        ] {
            let (_, d) = with_override("jiangxi-2018", over);
            assert!(
                d.as_slice()
                    .iter()
                    .any(|x| x.code == "standard-loosened" && x.severity == crate::diag::Severity::Error),
                "{over}: {:?}",
                d.as_slice()
            );
        }
    }

    #[test]
    fn a_standard_cannot_be_removed_or_compared_out_of_place() {
        // `standards: null` once made every standard 0 and, one list shorter, hid every later
        // loosening: both are now errors at their lines, and the built-in profile stays.
        let over = "resource: {standards: null}\nrules: {class_size: {primary: 60, junior: 60}, school_size: {single: 5000}}\n";
        let (p, d) = with_override("jiangxi-2018", over);
        let e = &d.as_slice()[0];
        assert_eq!(
            (e.code, e.location.to_string()),
            ("standard-removed", "content/indicators.yaml:1:1".into())
        );
        assert!(e.message.contains("resource.standards 写成了空值"), "{}", e.message);
        assert_eq!(
            p.resource.standards[&crate::model::ResourceKey::SportsArea].primary,
            7.5
        );
        assert_eq!(p.rules.class_size.primary, 45.0);
        // One standard nulled: the same, at its own line.
        let (_, d) = with_override("national-2017", "resource:\n  standards:\n    sports_area: ~\n");
        let e = &d.as_slice()[0];
        assert_eq!(
            (e.code, e.location.to_string()),
            ("standard-removed", "content/indicators.yaml:3:5".into())
        );
        // A rule's threshold too; only an allowance may be empty (none: stricter).
        let (_, d) = with_override("national-2017", "rules:\n  class_size: {primary: ~}\n");
        assert_eq!(d.as_slice()[0].code, "standard-removed");
        assert_eq!(
            d.as_slice()[0].message,
            "rules.class_size.primary 写成了空值：内置指标体系的标准不能删除"
        );
        let (p, d) = with_override("jiangxi-2018", "rules:\n  school_size: {allowance: ~}\n");
        assert!(d.is_empty(), "{:?}", d.as_slice());
        assert!(p.rules.school_size.allowance.is_none());
        // Without the standards, the rules alone are compared by path: 45 → 60, 50 → 60 and 2000 → 5000
        // are three loosenings, each at its line, not one skipped.
        let (_, d) = with_override(
            "national-2017",
            "rules:\n  class_size: {primary: 60, junior: 60}\n  school_size: {single: 5000}\n",
        );
        let loosened: Vec<String> = d
            .as_slice()
            .iter()
            .filter(|x| x.code == "standard-loosened")
            .map(|x| format!("{} {}", x.location, x.message))
            .collect();
        assert_eq!(loosened.len(), 3, "{loosened:?}");
        assert!(
            loosened[2].starts_with("content/indicators.yaml:3:3 小学、初中规模上限（人）由 2000 改为 5000"),
            "{loosened:?}"
        );
    }

    #[test]
    fn leaving_teaching_points_out_is_loosening_and_cited() {
        // 0 → 100000 would take every 教学点 out of A1–A7 and the CVs.
        let over = "resource:\n  teaching_point_min_students: 100000\n";
        let (p, d) = with_override("national-2017", over);
        let e = &d.as_slice()[0];
        assert_eq!(
            (e.code, e.severity),
            ("standard-loosened", crate::diag::Severity::Error)
        );
        assert_eq!(e.location.to_string(), "content/indicators.yaml:2:3");
        assert_eq!(p.resource.teaching_point_min_students, 0);
        let (p, d) = with_override("national-2017", &format!("basis: 某省实施办法\n{over}"));
        assert_eq!(d.as_slice()[0].severity, crate::diag::Severity::Warning);
        assert_eq!(
            p.changes,
            ["参与资源配置计算的教学点最少在校生数由 0（全部参与） 改为 100000"]
        );
    }

    #[test]
    fn split_weights_must_be_above_zero() {
        // 0 : 0 skipped the split while saying it was done; 1 : −1 gave negative m² per pupil.
        for (over, at, words) in [
            (
                "resource:\n  split_weights:\n    nine_year: {primary: 0, junior: 0}\n",
                "content/indicators.yaml:3:5",
                "九年一贯制学校拆分时小学的生均当量权重为 0，权重须大于 0",
            ),
            (
                "resource:\n  split_weights:\n    nine_year:\n      primary: 1\n      junior: -1\n",
                "content/indicators.yaml:5:7",
                "九年一贯制学校拆分时初中的生均当量权重为 -1，权重须大于 0",
            ),
            (
                "resource:\n  split_weights:\n    complete: {junior: 1}\n",
                "content/indicators.yaml:3:5",
                "完全中学拆分时高中的生均当量权重为 0，权重须大于 0",
            ),
        ] {
            let (p, d) = with_override("national-2017", over);
            let e = d.as_slice().iter().find(|x| x.code == "split-weight-invalid").unwrap();
            assert_eq!(
                (e.location.to_string().as_str(), e.message.as_str()),
                (at, words),
                "{over}"
            );
            // The override does not apply: the built-in 1 : 1.1 stays.
            assert_eq!(p.resource.split_weights.nine_year.junior, 1.1);
        }
        let (p, d) = with_override(
            "national-2017",
            "resource: {split_weights: {nine_year: {primary: 1, junior: 1.2}}}\n",
        );
        assert!(d.is_empty(), "{:?}", d.as_slice());
        assert_eq!(p.resource.split_weights.nine_year.junior, 1.2);
    }
}
