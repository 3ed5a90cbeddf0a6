//! yingjian (迎检): inspection materials for 县域义务教育优质均衡发展督导评估.
//!
//! The folders tell the pipeline: `load` (YAML, xlsx, the evidence folder) → `model` (the
//! typed domain) → `rules` (pure verdicts) → `render` (plan, data, Typst, workbooks) → `out`
//! (everything written). `build` runs the stages; `cli` only parses arguments and prints.

pub mod build;
pub mod cli;
pub mod collect;
pub mod diag;
pub mod fuzz;
pub mod hash;
pub mod init;
pub mod load;
pub mod model;
pub mod out;
pub mod paths;
pub mod pool;
pub mod render;
pub mod rules;
pub mod store;
pub mod suggest;

pub use build::{BuildOptions, Built, Event, Timings, build, build_reporting, build_with, check};
pub use rules::Assessment;
