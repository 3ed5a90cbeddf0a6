//! out/index.html as a person sees it: loaded from disk in headless Chromium (Debian's
//! `chromium`; `.ci/run` installs it). Skipped with a note when Chromium is absent, unless
//! YINGJIAN_REQUIRE_CHROMIUM is set (as in CI).

mod support;

use std::path::Path;
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

fn headless(dir: &Path) -> Command {
    let mut c = Command::new(chromium().unwrap());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]);
    c.arg(format!("--user-data-dir={}", dir.join("profile").display()));
    c
}

#[test]
fn overview_page_shows_the_county_state_in_a_browser() {
    if chromium().is_none() {
        assert!(
            std::env::var_os("YINGJIAN_REQUIRE_CHROMIUM").is_none(),
            "Chromium is required here but not installed"
        );
        eprintln!("跳过：未安装 Chromium（apt-get install chromium）");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "evidence"] {
        support::copy_dir(&repo.join(sub), &root.join(sub));
    }
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    let page = root.join("out/index.html");
    let url = format!("file://{}", page.display());

    let dom = headless(root).arg("--dump-dom").arg(&url).output().unwrap();
    let html = String::from_utf8_lossy(&dom.stdout);
    // What a person reads: the verdict, a failing indicator with its reason, a coefficient,
    // a unit's progress, a diagnostic and a link to an output.
    assert!(html.contains("示例县 义务教育优质均衡发展迎检材料总览"), "{html:.300}");
    assert!(html.contains("未达标"));
    assert!(html.contains("A5 生均体育运动场馆面积"));
    assert!(html.contains("柳溪村小学"));
    let cv = built.assessment.resource.junior.cv[&yingjian::model::ResourceKey::SportsArea].unwrap();
    assert!(html.contains(&format!("{cv:.3}")));
    assert!(html.contains("财政局"));
    assert!(html.contains("evidence-file-missing") || html.contains("不在 evidence/ 目录中"));
    assert!(html.contains("href=\"自评报告.pdf\""));

    // On a phone-sized window the page renders (a non-trivial screenshot).
    let shot = root.join("phone.png");
    let status = headless(root)
        .arg("--window-size=390,844")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
}
