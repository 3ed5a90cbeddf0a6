//! `yingjian new`: a blank workspace.

use std::path::Path;

use crate::diag::AppError;
use crate::model::Date;

pub fn run(dir: &Path, profile: &str, today: Option<&str>) -> Result<i32, AppError> {
    let today = match today {
        Some(t) => Date::parse(t).ok_or_else(|| AppError::usage(format!("日期“{t}”无法识别，请写成 2026-11-22")))?,
        None => system_today(),
    };
    crate::init::create(dir, profile, today.year, &today.to_string())?;
    println!("已创建工作区 {}", dir.display());
    println!(
        "下一步：填写 content/schools.xlsx，然后运行 yingjian check -w {}",
        dir.display()
    );
    Ok(0)
}

/// The only use of the clock: the date written into a new workspace's config.
fn system_today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_days((secs / 86_400) as i64)
}
