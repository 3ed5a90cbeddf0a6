//! Renderers: turn an assessment into what people read.

pub mod check;
