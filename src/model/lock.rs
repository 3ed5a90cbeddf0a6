//! `content/evidence.lock`: what earlier builds numbered and printed.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Numbers and box assignments kept between builds in `content/evidence.lock` (owned by yingjian).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lock {
    /// Item key → sequence number within its indicator point.
    pub items: BTreeMap<String, u32>,
    /// Next free sequence number per "indicator|point": removed items leave gaps, never reused.
    pub next: BTreeMap<String, u32>,
    /// Per box, a hash of what its contents list and its spine label print.
    #[serde(default)]
    pub prints: BTreeMap<String, (u64, u64)>,
}
