//! `yingjian check`: the assessment, as text or JSON.

use std::path::Path;

use super::Format;
use crate::diag::AppError;

pub fn run(workspace: &Path, format: Format) -> Result<i32, AppError> {
    super::workspace_exists(workspace)?;
    let assessment = crate::check(workspace);
    match format {
        Format::Human => {
            print!("{}", super::human(&assessment));
            print!("{}", super::collect::returns_line(workspace));
        }
        Format::Json => {
            let s = serde_json::to_string_pretty(&assessment)
                .map_err(|e| AppError::failed(format!("无法序列化结果：{e}")))?;
            println!("{s}");
        }
    }
    Ok(if assessment.has_errors() { 1 } else { 0 })
}
