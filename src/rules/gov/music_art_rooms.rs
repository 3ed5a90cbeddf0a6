//! 教督〔2017〕6号 第七条（三）、赣教督委字〔2018〕6号 指标11: 每12个班级配备音乐、美术专用教室1间以上，
//! 音乐教室 ≥ 96 m²，美术教室 ≥ 90 m².

use super::{Inputs, SchoolRule, finding, gap, ordinary};
use crate::model::School;
use crate::model::Stage;
use crate::model::profile::RoomParams;
use crate::rules::gaps::{Gap, cents_up, whole_up};
use crate::rules::{Check, Verdict, at_least, fmt_num, fold};

pub const RULE: SchoolRule = SchoolRule { check, gaps };

/// Rooms of each kind for `classes` classes: one per `classes_per_room` begun, at least one.
pub fn rooms_needed(classes: f64, p: &RoomParams) -> f64 {
    (classes / p.classes_per_room).ceil().max(1.0)
}

pub fn check(schools: &[School], cx: &Inputs) -> Check {
    let p = &cx.params.music_art_rooms;
    let findings = schools
        .iter()
        .filter(|s| ordinary(s))
        .map(|s| {
            let (Some(classes), Some(music), Some(art)) = (s.classes(), s.music_rooms, s.art_rooms) else {
                return finding(
                    s,
                    None,
                    Verdict::Pending,
                    format!("每{}班各1间", fmt_num(p.classes_per_room)),
                    "班级数或专用教室数未填写",
                );
            };
            let need = rooms_needed(classes, p);
            let mut short = vec![];
            if !at_least(music, need) {
                short.push(format!("音乐教室 {} 间少于 {} 间", fmt_num(music), fmt_num(need)));
            }
            if !at_least(art, need) {
                short.push(format!("美术教室 {} 间少于 {} 间", fmt_num(art), fmt_num(need)));
            }
            let mut missing = false;
            for (rooms, area, min, what) in [
                (music, s.music_room_min_area, p.music_room_area, "音乐"),
                (art, s.art_room_min_area, p.art_room_area, "美术"),
            ] {
                match area {
                    Some(a) if rooms > 0.0 && !at_least(a, min) => {
                        short.push(format!("{what}教室最小面积 {} 平方米，小于 {min} 平方米", fmt_num(a)))
                    }
                    None if rooms > 0.0 => missing = true,
                    _ => {}
                }
            }
            let measured = format!(
                "{} 个班，音乐教室 {} 间、美术教室 {} 间",
                fmt_num(classes),
                fmt_num(music),
                fmt_num(art)
            );
            let verdict = if !short.is_empty() {
                Verdict::NotMet
            } else if missing {
                Verdict::Pending
            } else {
                Verdict::Met
            };
            let measured = if short.is_empty() {
                measured
            } else {
                format!("{measured}；{}", short.join("；"))
            };
            finding(
                s,
                None,
                verdict,
                format!(
                    "各 ≥ {} 间，音乐 ≥ {} 平方米、美术 ≥ {} 平方米",
                    fmt_num(need),
                    fmt_num(p.music_room_area),
                    fmt_num(p.art_room_area)
                ),
                measured,
            )
        })
        .collect();
    fold(findings, "音乐、美术专用教室")
}

/// The rooms to add, and the area the smallest room lacks.
pub fn gaps(s: &School, _stage: Option<Stage>, cx: &Inputs) -> Vec<Gap> {
    let p = &cx.params.music_art_rooms;
    let (Some(classes), Some(music), Some(art)) = (s.classes(), s.music_rooms, s.art_rooms) else {
        return vec![];
    };
    let need = rooms_needed(classes, p);
    let mut out = vec![];
    for (key, item, rooms) in [
        ("music_rooms", "音乐专用教室", music),
        ("art_rooms", "美术专用教室", art),
    ] {
        if !at_least(rooms, need) {
            out.push(gap(
                key,
                item,
                rooms,
                need,
                "间",
                rooms,
                need,
                whole_up(need - rooms),
                "间",
            ));
        }
    }
    for (key, item, rooms, area, min) in [
        (
            "music_room_area",
            "音乐专用教室面积",
            music,
            s.music_room_min_area,
            p.music_room_area,
        ),
        (
            "art_room_area",
            "美术专用教室面积",
            art,
            s.art_room_min_area,
            p.art_room_area,
        ),
    ] {
        if let Some(a) = area.filter(|a| rooms > 0.0 && !at_least(*a, min)) {
            let mut g = gap(key, item, a, min, "平方米", a, min, cents_up(min - a), "平方米");
            g.note = Some(format!(
                "最小的一间须扩大 {} 平方米（或另建达标教室）",
                fmt_num(cents_up(min - a))
            ));
            out.push(g);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{inputs, school, sec};
    use super::*;
    use crate::model::profile::RuleParams;
    use crate::model::{SchoolKind, Stage};

    #[test]
    fn rooms_per_twelve_classes() {
        let params = RuleParams::default();
        let music_art_rooms = |s: &[School]| check(s, &inputs(&params));
        // 24 classes need ceil(24/12) = 2 of each: met. 25 classes need 3: not met.
        let ok = school(SchoolKind::Primary, vec![sec(Stage::Primary, 1000.0, 24.0, 45.0)]);
        assert_eq!(music_art_rooms(&[ok]).verdict, Verdict::Met);
        let short = school(SchoolKind::Primary, vec![sec(Stage::Primary, 1000.0, 25.0, 45.0)]);
        assert_eq!(music_art_rooms(&[short]).verdict, Verdict::NotMet);
        // Music room of 88 m² < 96 m².
        let mut small = school(SchoolKind::Primary, vec![sec(Stage::Primary, 1000.0, 24.0, 45.0)]);
        small.music_room_min_area = Some(88.0);
        let c = music_art_rooms(&[small]);
        assert_eq!(c.verdict, Verdict::NotMet);
        assert!(c.reasons[0].contains("88"), "{:?}", c.reasons);
    }
}
