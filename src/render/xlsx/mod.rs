//! Workbooks: 基础数据表, 评分自查表, 任务清单 and 资料总目录.

pub mod basic_data;
pub mod catalogue;
pub mod scoring;
pub mod style;
pub mod tasks;
