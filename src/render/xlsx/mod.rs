//! Workbooks: 基础数据表, 评分自查表, 任务清单, 资料总目录 and 缺口测算与调剂建议.

pub mod basic_data;
pub mod catalogue;
pub mod crosswalk;
pub mod form;
pub mod rectification;
pub mod scoring;
pub mod style;
pub mod tasks;
