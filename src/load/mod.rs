//! Loading a workspace: YAML and xlsx files into the typed model, with diagnostics.

mod cell_limits;
mod county_counts;
pub mod crosswalk;
pub mod documents;
mod encoding;
pub mod evidence;
mod evidence_status;
pub mod files;
mod fractions;
mod furniture;
mod header_near;
mod hidden;
pub mod lock;
mod merged;
pub mod narrative;
mod number_hint;
mod ods;
mod pdf_guard;
mod pdf_streams;
mod plausible;
pub mod profile;
mod returns;
mod school_checks;
pub mod schools;
pub mod sheet;
pub mod standards;
pub mod team;
pub mod text;
mod workbook;
pub mod yaml;
mod yaml_depth;
mod yaml_finite;
mod yaml_fix;
mod yaml_msg;

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location, Severity};
use crate::model::profile::DEFAULT;
use crate::model::{CharOrigins, CountyConfig, Workspace};
use crate::paths::{self, CONFIG};

/// Loads everything under `root`. Never fails: what cannot be read is reported and left empty.
pub fn load(root: &Path) -> (Workspace, Diagnostics) {
    load_as(root, None)
}

/// Loads `root` for the indicator system `profile` instead of county.yaml's, with no
/// catalogue read through a crosswalk (the catalogue's own system, for 指标对照表).
pub fn load_as(root: &Path, profile: Option<&str>) -> (Workspace, Diagnostics) {
    // The evidence folder is walked (5000 files stated) while the sheets are read; its
    // problems are told where they always were, after the catalogue's.
    std::thread::scope(|s| {
        let scan = s.spawn(|| {
            let mut diags = Diagnostics::default();
            (files::scan(root, &mut diags), diags)
        });
        load_with(root, profile, || {
            scan.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        })
    })
}

fn load_with(
    root: &Path,
    profile: Option<&str>,
    scanned: impl FnOnce() -> (Vec<crate::model::evidence::EvidenceFile>, Diagnostics),
) -> (Workspace, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut chars = CharOrigins::default();
    let (config, config_file, profile_id) = load_config(root, &mut diags, &mut chars);
    // The catalogue is read in its own system's ids, then through the crosswalk; not when
    // the workspace is read in a system named here.
    let named = match (profile, &config) {
        (None, Some(c)) => c.catalogue_profile.as_deref(),
        _ => None,
    };
    let profile_id = profile.map(str::to_owned).unwrap_or(profile_id);
    let profile = profile::load(root, &profile_id, &mut diags, &mut chars);
    let crosswalked = crosswalk::catalogue(named, &profile, &mut diags);
    let mut config = config;
    if let (Some(c), Some(file)) = (&mut config, &config_file) {
        // Veto declarations are the catalogue's too (its ids), carried over.
        match &crosswalked {
            Some((catalogue, cw)) => {
                check_veto(c, catalogue, file, &mut diags);
                c.veto = crosswalk::veto(&c.veto, cw);
            }
            None => check_veto(c, &profile, file, &mut diags),
        }
    }
    let (schools, schools_file) = schools::load(root, config.as_ref(), &mut diags, &mut chars);
    let ids = crosswalked.as_ref().map(|(c, _)| c).unwrap_or(&profile);
    let (mut units, units_declared) = team::load_units(root, ids, &mut diags, &mut chars);
    let evidence = evidence::load(root, ids, &units, units_declared, &mut diags, &mut chars);
    let (scores, catalogued) = team::load_scores(
        root,
        &profile,
        crosswalked.as_ref().map(|(c, _)| c),
        &evidence,
        &mut diags,
        &mut chars,
    );
    let mut tasks = team::load_tasks(root, ids, &units, units_declared, &schools, &mut diags, &mut chars);
    let (mut evidence, scores, catalogue) = match crosswalked {
        Some((c, cw)) => {
            crosswalk::units(&mut units, &cw, &c);
            crosswalk::tasks(&mut tasks, &cw, &c);
            let scores = crosswalk::scores(scores, &catalogued, &cw, &c);
            let (evidence, unmapped) = crosswalk::evidence(evidence, &cw, &c, &profile, &mut diags);
            let catalogue = crate::model::Catalogue {
                profile: c,
                crosswalk: cw,
                unmapped,
            };
            (evidence, scores, Some(catalogue))
        }
        None => (evidence, scores, None),
    };
    let (mut files, scan_diags) = scanned();
    diags.extend(scan_diags);
    let listed: Vec<&str> = evidence.iter().filter_map(|i| i.file.as_deref()).collect();
    files::listed_but_passed_over(root, &listed, &mut files);
    evidence::near_misses(&mut evidence, &files, &mut diags);
    let made_for = catalogue.as_ref().map(|c| c.profile.id.as_str()).unwrap_or(&profile.id);
    let lock = lock::load(root, &profile.id, made_for, &mut diags);
    let (documents, document_categories) = documents::load(root, &mut diags, &mut chars);
    returns::check(root, &mut diags);
    let narrative = narrative::load(root, &mut diags, &mut chars);
    let ws = Workspace {
        narrative,
        documents,
        document_categories,
        config,
        profile,
        schools,
        schools_file,
        units,
        units_declared,
        scores,
        tasks,
        evidence,
        files,
        lock,
        chars,
        catalogue,
        // The record `merge --apply` keeps (read as the build reads it for the returns line).
        refused: crate::out::returns::read(root).map(|r| r.refused).unwrap_or_default(),
    };
    (ws, diags)
}

/// The config, its text for locating findings, and the profile to use. When the config cannot
/// be read, its `profile:` line is still honoured so that one typo does not turn every
/// indicator id of the workspace into an error.
fn load_config(
    root: &Path,
    diags: &mut Diagnostics,
    chars: &mut CharOrigins,
) -> (Option<CountyConfig>, Option<yaml::YamlFile>, String) {
    let path = root.join(CONFIG);
    if !path.exists() {
        diags.push(
            Diagnostic::warning("config-missing", Location::file(CONFIG), "没有找到工作区配置文件")
                .with_hint("县级数据相关指标将为待核实；可运行 yingjian new 生成带注释的配置模板"),
        );
        return (None, None, DEFAULT.to_owned());
    }
    let errors = diags.count(Severity::Error);
    // Stand-ins for required fields that cannot be read: an error has been reported for each,
    // so nothing is built, but every other field and file is still checked in this run.
    let fill = [
        ("county", "\"（未能读取县名）\""),
        ("year", "2026"),
        ("level", "省检"),
        ("today", "2026-01-01"),
    ];
    if let Some((mut config, file, unread)) = yaml::read_filling::<CountyConfig>(root, CONFIG, &fill, diags, chars) {
        config.unread = unread;
        county_counts::derive(&mut config, &file, diags);
        check_config(&config, &file, diags);
        fractions::check(&mut config, &file, diags);
        let id = config.profile.clone();
        return (Some(config), Some(file), id);
    }
    if diags.count(Severity::Error) == errors {
        diags.push(
            Diagnostic::warning("config-empty", Location::file(CONFIG), "工作区配置文件没有内容")
                .with_hint("至少填写 county、year、level、today；可参照 yingjian new 生成的模板"),
        );
    }
    let text = if paths::outside(root, CONFIG) || paths::not_regular(&path).is_some() {
        String::new()
    } else {
        std::fs::read_to_string(&path).unwrap_or_default()
    };
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("profile:"))
        .map(|v| {
            v.split('#')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\''])
                .to_owned()
        })
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT.to_owned());
    (None, None, id)
}

fn check_veto(c: &CountyConfig, profile: &crate::model::Profile, file: &yaml::YamlFile, diags: &mut Diagnostics) {
    for id in c.veto.keys() {
        if !profile.veto.iter().any(|v| &v.id == id) {
            let ids: Vec<&str> = profile.veto.iter().map(|v| v.id.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    "unknown-veto",
                    file.locate_key(&["veto", id]),
                    format!("一票否决项“{id}”不在指标体系中"),
                )
                .with_hint(format!("可用编号：{}", ids.join("、"))),
            );
        }
    }
}

/// Percentages are entered as percent (97.5 means 97.5%); a value ≤ 1 is probably a fraction.
fn check_config(c: &CountyConfig, file: &yaml::YamlFile, diags: &mut Diagnostics) {
    // Word font names: a name Word can look up (it takes at most 31 characters), no control
    // characters (XML cannot carry them).
    let f = &c.docx.fonts;
    for (key, name) in [
        ("body", &f.body),
        ("title", &f.title),
        ("heading1", &f.heading1),
        ("heading2", &f.heading2),
    ] {
        let bad = name.trim().is_empty() || name.chars().count() > 31 || name.chars().any(char::is_control);
        if bad {
            diags.push(
                Diagnostic::error(
                    "docx-font-name",
                    file.locate_key(&["docx", "fonts", key]),
                    format!("docx.fonts.{key} 的字体名“{}”不能使用", name.escape_debug()),
                )
                .with_hint(
                    "填写 Word 中显示的字体名（不超过 31 个字符），如 仿宋_GB2312、方正小标宋简体、黑体、楷体_GB2312",
                ),
            );
        }
    }
    let rates = [
        (&["teachers", "training_360_rate"][..], c.teachers.training_360_rate),
        (&["enrolment", "zoned_primary"][..], c.enrolment.zoned_primary),
        (&["enrolment", "zoned_junior"][..], c.enrolment.zoned_junior),
        (&["enrolment", "quota_allocation"][..], c.enrolment.quota_allocation),
        (&["enrolment", "migrant_children"][..], c.enrolment.migrant_children),
        (&["enrolment", "junior_retention"][..], c.enrolment.junior_retention),
        (&["enrolment", "disabled_enrolment"][..], c.enrolment.disabled_enrolment),
        (&["recognition"][..], c.recognition),
    ];
    for (path, value) in rates {
        let Some(v) = value else { continue };
        let loc = file.locate_key(path);
        if !(0.0..=100.0).contains(&v) {
            diags.push(
                Diagnostic::error(
                    "rate-out-of-range",
                    loc,
                    format!("{} = {v} 超出 0～100 的范围", path.join(".")),
                )
                .with_hint("比例按百分数填写，例如 97.5 表示 97.5%"),
            );
        } else if v > 0.0 && v <= 1.0 {
            diags.push(
                Diagnostic::warning(
                    "rate-looks-fractional",
                    loc,
                    format!("{} = {v} 看起来是小数形式", path.join(".")),
                )
                .with_hint("比例按百分数填写，例如 97.5 表示 97.5%；若确为不足 1% 请忽略"),
            );
        }
    }
    let amounts = [
        (&["finance", "teacher_average_pay"][..], c.finance.teacher_average_pay),
        (
            &["finance", "civil_servant_average_pay"][..],
            c.finance.civil_servant_average_pay,
        ),
        (&["finance", "special_ed_per_pupil"][..], c.finance.special_ed_per_pupil),
        (&["teachers", "rotation_eligible"][..], c.teachers.rotation_eligible),
        (&["teachers", "rotation_count"][..], c.teachers.rotation_count),
        (&["teachers", "rotation_backbone"][..], c.teachers.rotation_backbone),
        (
            &["quality", "inter_school_difference"][..],
            c.quality.inter_school_difference,
        ),
    ];
    for (path, value) in amounts {
        if value.is_some_and(|v| v < 0.0) {
            diags.push(
                Diagnostic::error(
                    "negative-value",
                    file.locate_key(path),
                    format!("{} 不能为负数", path.join(".")),
                )
                .with_hint("请填写实际数值"),
            );
        }
    }
    for (series, name) in [
        (&c.finance.education_spending, "education_spending"),
        (&c.finance.per_pupil_spending, "per_pupil_spending"),
    ] {
        for (year, v) in series {
            if *v < 0.0 || !(1990..=2100).contains(year) {
                diags.push(
                    Diagnostic::error(
                        "bad-series",
                        file.locate_key(&["finance", name, &year.to_string()]),
                        format!("finance.{name} 中 {year} 年的数据 {v} 不合理"),
                    )
                    .with_hint("按“年份: 金额”逐年填写，金额不能为负"),
                );
            }
        }
    }
    let (rc, rb) = (c.teachers.rotation_count, c.teachers.rotation_backbone);
    if let (Some(count), Some(backbone)) = (rc, rb)
        && backbone > count
    {
        diags.push(
            Diagnostic::error(
                "rotation-inconsistent",
                file.locate_key(&["teachers", "rotation_backbone"]),
                format!("交流轮岗骨干教师数 {backbone} 大于交流轮岗教师总数 {count}"),
            )
            .with_hint("rotation_backbone 是 rotation_count 中的骨干教师人数"),
        );
    }
}

/// county.yaml alone (`None` when it cannot be read), for a command that needs nothing else
/// of the workspace: `merge` takes only its id and "today" from it.
pub fn config_only(root: &Path) -> Option<CountyConfig> {
    load_config(root, &mut Diagnostics::default(), &mut CharOrigins::default()).0
}
