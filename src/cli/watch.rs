//! `yingjian build --watch`: rebuild on every change under content/, evidence/, templates/,
//! in one process so Typst's caches stay warm.

use notify::{RecursiveMode, Watcher};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::BuildOptions;
use crate::diag::AppError;

/// Files yingjian writes itself or editors write while saving: never a reason to rebuild.
fn ignored(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name == "evidence.lock"
        || name.starts_with(".~lock")
        || name.starts_with("~$")
        || name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".tmp")
        || name.ends_with(".swp")
}

fn once(root: &Path, opts: &BuildOptions, first: bool) {
    // A spreadsheet still being saved can fail to open: try again shortly before reporting.
    let mut built = super::build::build(root, opts);
    if matches!(&built, Ok(b) if b.assessment.has_errors()) && !first {
        std::thread::sleep(Duration::from_millis(800));
        built = super::build::build(root, opts);
    }
    match built {
        Ok(b) if b.assessment.has_errors() => {
            let errors = super::errors(&b.assessment);
            print!("{}", crate::diag::render_human(&errors));
            println!("有 {} 个错误，未生成任何文件；修正后保存即自动重试", errors.len());
        }
        Ok(b) => {
            let written = b.outputs.iter().filter(|(_, c)| *c).count();
            let warnings = b.assessment.diagnostics.len();
            let mut line = format!(
                "已生成：排版 {} 份，写入 {written} 个文件，{warnings} 个警告",
                b.typeset
            );
            if !b.changes.is_empty() {
                line += &format!("；{}", b.changes.join("；"));
            }
            if !b.reprint.is_empty() {
                line += &format!("；需重印 {} 盒", b.reprint.len());
            }
            println!("{line}");
        }
        Err(e) => println!("{}", e.message),
    }
}

pub fn run(root: &Path, opts: &BuildOptions) -> Result<i32, AppError> {
    once(root, opts, true);
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            // Reading the inputs during a build raises access events: only real edits count.
            use notify::EventKind::{Create, Modify, Remove};
            use notify::event::ModifyKind;
            let edit = matches!(
                ev.kind,
                Create(_) | Remove(_) | Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            );
            if edit && ev.paths.iter().any(|p| !ignored(p)) {
                let _ = tx.send(());
            }
        }
    }) {
        Ok(w) => w,
        Err(e) => return Err(AppError::failed(format!("无法监视文件改动：{e}"))),
    };
    for dir in ["content", "evidence", "templates"] {
        let path = root.join(dir);
        if path.is_dir()
            && let Err(e) = watcher.watch(&path, RecursiveMode::Recursive)
        {
            eprintln!("警告: 无法监视 {dir}/：{e}");
        }
    }
    println!("正在监视 content/、evidence/、templates/ 的改动（Ctrl+C 退出）");
    while rx.recv().is_ok() {
        // Let a burst of saves settle before rebuilding.
        while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
        once(root, opts, false);
    }
    Ok(0)
}
