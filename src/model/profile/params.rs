//! The profile's parameters of rooms, school size and teacher rotation.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RoomParams {
    pub classes_per_room: f64,
    pub music_room_area: f64,
    pub art_room_area: f64,
}

impl Default for RoomParams {
    fn default() -> Self {
        RoomParams {
            classes_per_room: 12.0,
            music_room_area: 96.0,
            art_room_area: 90.0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SchoolSizeParams {
    /// 小学、初中.
    pub single: f64,
    /// 九年/十二年一贯制（义务教育阶段）.
    pub combined: f64,
    /// A provincial allowance for older schools above the limit; 教督〔2017〕6号 第七条（四）
    /// itself has none.
    pub allowance: Option<SizeAllowance>,
}

/// 赣教督委字〔2018〕6号 指标12: schools built before `built_before` may stay within
/// `percent` of the limit while they 逐步降低校额.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SizeAllowance {
    pub percent: f64,
    /// [year, month]: built before this month.
    pub built_before: (i32, u32),
    /// The document that grants it, cited wherever it is applied.
    pub basis: String,
}

impl Default for SchoolSizeParams {
    fn default() -> Self {
        SchoolSizeParams {
            single: 2000.0,
            combined: 2500.0,
            allowance: None,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RotationParams {
    /// 交流轮岗教师占符合条件教师的比例.
    pub percent: f64,
    /// 其中县级以上骨干教师所占比例.
    pub backbone_percent: f64,
}

impl Default for RotationParams {
    fn default() -> Self {
        RotationParams {
            percent: 10.0,
            backbone_percent: 20.0,
        }
    }
}
