//! Reference images of the printed pages, as typst's own test suite keeps them: one page of
//! each kind, the pages a layout change would break first, typeset from the sample county and
//! rendered at 1 px per pt, compared with `tests/ref/<case>.png`. A page that differs writes
//! `<case>.new.png` (what it looks like now) and `<case>.diff.png` (the differing pixels in
//! red over a faded reference) beside the reference.
//!
//! Updating the references is deliberate: look at the `.new.png` files, then
//! `UPDATE_REFS=1 cargo test --release --test refs` and commit the images.

mod support;

use std::path::{Path, PathBuf};
use tiny_skia::Pixmap;
use yingjian::render::typst::{compile, world::YjWorld};

/// (case, output, a text the page carries; empty: the first page).
const CASES: &[(&str, &str, &str)] = &[
    ("report-cover", "自评报告.pdf", ""),
    ("report-resource-table", "自评报告.pdf", "达标项"),
    ("report-appendix-table", "自评报告.pdf", "核查情况"),
    ("scoring-table", "评分自查表.pdf", ""),
    ("school-form", "学校实地督查表/3607990021-柳溪村小学.pdf", ""),
    ("task-list", "任务清单/教科体局.pdf", ""),
    ("box-cover", "档案盒/A5.pdf", ""),
    ("box-contents", "档案盒/A5.pdf", "归档文件目录"),
    ("box-remarks", "档案盒/A5.pdf", "盒内文件情况说明"),
    ("box-spine", "档案盒/A5.pdf", "A5-1-01至A5-3-01"),
    ("compilation-contents", "文件汇编.pdf", "目录"),
    // The closing paragraph kept with the issuer and date (GB/T 9704 7.3.5).
    ("compilation-signature", "文件汇编.pdf", "2025年3月15日"),
    // A placed PDF page: its number on the even side, on white.
    ("compilation-placed-page", "文件汇编.pdf", "—4—"),
    ("report-chart", "自评报告.pdf", "图5小学生均体育运动场馆面积"),
    ("box-spine-punctuation", "档案盒/A3.pdf", "A3-1-01至A3-3-01"),
    ("problem-list", "一校一策整改方案.pdf", ""),
    ("school-plan", "一校一策整改方案.pdf", "整改方案学校代码"),
    // 申报表 表Ⅱ-2: one row per school-stage, cells under the standard shaded dark.
    ("application-form-schools", "申报表.pdf", "义务教育学校资源配置情况"),
];

/// A pixel differs when a channel differs by more than this (of 255).
const CHANNEL_TOLERANCE: u8 = 40;
/// A page matches when no more than this share of its pixels differ (antialiasing noise).
const PIXEL_SHARE: f64 = 0.0005;

fn refs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ref")
}

/// The page of `rel` that first carries `marker` (whitespace ignored), rendered.
fn render(root: &Path, plan: &yingjian::render::plan::Plan, rel: &str, marker: &str) -> Pixmap {
    let (job, _) = plan
        .jobs
        .iter()
        .find(|(j, _)| j.rel == rel)
        .unwrap_or_else(|| panic!("no document {rel}"));
    let today = yingjian::model::Date::new(2026, 11, 20).unwrap();
    // The report is typeset in parts put together; whole, report.typ gives the same pages.
    let template = match job.kind {
        yingjian::render::plan::JobKind::Report => "report.typ",
        _ => job.template,
    };
    let world = YjWorld::new(root, template, serde_json::to_vec(&job.data).unwrap(), today).unwrap();
    let doc = compile::layout(&world).unwrap_or_else(|d| panic!("{}", yingjian::diag::render_human(&d)));
    let texts: Vec<String> = compile::page_texts(&doc)
        .iter()
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect())
        .collect();
    let n = texts
        .iter()
        .position(|t| t.contains(marker))
        .unwrap_or_else(|| panic!("{rel}: no page carries {marker}"));
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(1.0),
        render_bleed: false,
    };
    typst_render::render(&doc.pages()[n], &options)
}

/// The share of pixels that differ, and an image of them.
fn compare(want: &Pixmap, got: &Pixmap) -> Option<(f64, Pixmap)> {
    if (want.width(), want.height()) != (got.width(), got.height()) {
        return None;
    }
    let mut diff = want.clone();
    let mut differing = 0usize;
    for (d, (w, g)) in diff.pixels_mut().iter_mut().zip(want.pixels().iter().zip(got.pixels())) {
        let far = |a: u8, b: u8| a.abs_diff(b) > CHANNEL_TOLERANCE;
        let (w, g) = (w.demultiply(), g.demultiply());
        let differs =
            far(w.red(), g.red()) || far(w.green(), g.green()) || far(w.blue(), g.blue()) || far(w.alpha(), g.alpha());
        *d = if differs {
            differing += 1;
            tiny_skia::ColorU8::from_rgba(220, 0, 0, 255).premultiply()
        } else {
            // The reference, faded.
            let f = |c: u8| 255 - (255 - c) / 4;
            tiny_skia::ColorU8::from_rgba(f(w.red()), f(w.green()), f(w.blue()), 255).premultiply()
        };
    }
    Some((differing as f64 / (want.width() * want.height()) as f64, diff))
}

#[test]
fn printed_pages_match_their_reference_images() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "evidence"] {
        support::copy_dir(&repo.join(sub), &dir.path().join(sub));
    }
    let root = dir.path();
    let (ws, _) = yingjian::load::load(root);
    let a = yingjian::check(root);
    let mut diags = yingjian::diag::Diagnostics::default();
    let plan = yingjian::render::plan::plan(root, &ws, &a, false, &mut diags);
    let update = std::env::var_os("UPDATE_REFS").is_some();
    std::fs::create_dir_all(refs()).unwrap();
    let mut failures = vec![];
    for (case, rel, marker) in CASES {
        let got = render(root, &plan, rel, marker);
        let path = refs().join(format!("{case}.png"));
        let (new, diff_path) = (
            refs().join(format!("{case}.new.png")),
            refs().join(format!("{case}.diff.png")),
        );
        let _ = std::fs::remove_file(&new);
        let _ = std::fs::remove_file(&diff_path);
        if update {
            got.save_png(&path).unwrap();
            continue;
        }
        let Ok(want) = Pixmap::load_png(&path) else {
            got.save_png(&new).unwrap();
            failures.push(format!("{case}: no reference; see {}", new.display()));
            continue;
        };
        match compare(&want, &got) {
            Some((share, _)) if share <= PIXEL_SHARE => {}
            Some((share, diff)) => {
                got.save_png(&new).unwrap();
                diff.save_png(&diff_path).unwrap();
                failures.push(format!(
                    "{case} ({rel}): {:.2}% of the pixels differ; see {} and {}",
                    share * 100.0,
                    new.display(),
                    diff_path.display()
                ));
            }
            None => {
                got.save_png(&new).unwrap();
                failures.push(format!(
                    "{case} ({rel}): {}×{} px, the reference is {}×{}; see {}",
                    got.width(),
                    got.height(),
                    want.width(),
                    want.height(),
                    new.display()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nIf the change is meant, look at the .new.png files and run UPDATE_REFS=1 cargo test --release --test refs",
        failures.join("\n")
    );
}
