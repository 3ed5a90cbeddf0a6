//! Renderers: turn an assessment into what people read.

pub mod check;
pub mod fonts;
pub mod markdown;
pub mod report;
pub mod typeset;
pub mod world;
