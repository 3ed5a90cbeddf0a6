//! 达标 / 待核实 / 未达标: the verdict of a rule, and the status a county declares.

use serde::Serialize;

/// 达标 / 待核实 / 未达标, ordered so that `max` is the worse of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    Pending,
    NotMet,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => "达标",
            Verdict::Pending => "待核实",
            Verdict::NotMet => "未达标",
        }
    }

    pub fn of(ok: bool) -> Verdict {
        if ok { Verdict::Met } else { Verdict::NotMet }
    }
}

/// As declared in `content/scores.yaml`: 达标, 未达标 or 待核实.
impl<'de> serde::Deserialize<'de> for Verdict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Verdict, D::Error> {
        const LABELS: &[&str] = &["达标", "未达标", "待核实"];
        let text = String::deserialize(d)?;
        [Verdict::Met, Verdict::NotMet, Verdict::Pending]
            .into_iter()
            .find(|v| v.label() == text)
            .ok_or_else(|| serde::de::Error::unknown_variant(&text, LABELS))
    }
}
