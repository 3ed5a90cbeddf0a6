//! Typst, embedded: the World, the bundled fonts, compiling one document, typesetting many.

pub mod batch;
pub mod compile;
pub mod fonts;
pub mod report;
pub mod world;

/// The build's thread pool, where render code has always found it (src/pool.rs).
pub use crate::pool::pool;
