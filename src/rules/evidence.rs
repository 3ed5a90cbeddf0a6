//! Evidence (佐证材料): reconciling the catalogue with the files, stable item numbers and
//! archive boxes (DA/T 22-2015 归档文件整理规则). Pure functions: the lock and the files come in
//! as values.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::county::EvidenceOptions;
use crate::model::evidence::{EvidenceFile, FileKind, Status};
use crate::model::{EvidenceItem, Lock, Profile};

/// What became of one catalogue row.
#[derive(Debug, Clone, Serialize)]
pub struct ItemState {
    /// Index into the workspace's evidence items.
    #[serde(skip)]
    pub index: usize,
    pub number: String,
    pub indicator: String,
    pub point: String,
    pub seq: u32,
    pub title: String,
    pub file: Option<String>,
    /// 已提供 / 文件缺失 / 无电子文件, or the catalogue's 待提交 / 退回 (not evidence yet).
    pub status: &'static str,
    /// The catalogue's 状态 (issue 33); `None`: blank, the materials team's own item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<Status>,
    /// Pages used for boxing: counted for PDF, 1 for images, else the sheet's 页数.
    pub pages: Option<u32>,
    pub box_id: String,
    /// Its number in the catalogue's own system (county.yaml `catalogue_profile`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalogue_number: Option<String>,
}

/// Catalogue rows against the files: listed but missing, present but unlisted, listed twice,
/// one content under two names, page counts that contradict the sheet.
pub fn reconcile(
    items: &[EvidenceItem],
    files: &[EvidenceFile],
    diags: &mut Diagnostics,
) -> Vec<(&'static str, Option<u32>)> {
    let by_rel: HashMap<&str, &EvidenceFile> = files.iter().map(|f| (f.rel.as_str(), f)).collect();
    let mut first_row: HashMap<&str, u32> = HashMap::new();
    let mut out = vec![];
    for item in items {
        // Issue 33 point 4: an item planned (待提交) or sent back (退回) is not evidence yet,
        // and its file may be absent or wrong: no finding about it, no pages, no box.
        if let Some(s @ (Status::Pending | Status::Returned)) = item.status {
            out.push((s.label(), None));
            continue;
        }
        let Some(rel) = item.file.as_deref() else {
            if item.pages.is_none() {
                diags.push(
                    Diagnostic::warning(
                        "evidence-pages-unknown",
                        item.at_pages.clone(),
                        format!("“{}”没有电子文件，也没有填写页数", item.title),
                    )
                    .with_hint("填写纸质材料的页数，装盒时按页数计算盒子厚度"),
                );
            }
            out.push(("无电子文件", item.pages));
            continue;
        };
        if let Some(first) = first_row.insert(rel, item.row) {
            diags.push(
                Diagnostic::warning(
                    "evidence-listed-twice",
                    item.at_file.clone(),
                    format!("文件“{rel}”在清单中登记了两次"),
                )
                .with_hint(format!(
                    "第 {} 行已登记同一文件；同一份材料用于多个指标时请复制一份或在备注中说明",
                    first + 1
                )),
            );
        }
        let Some(file) = by_rel.get(rel) else {
            diags.push(
                Diagnostic::warning(
                    "evidence-file-missing",
                    item.at_file.clone(),
                    format!("清单中的文件“{rel}”不在 evidence/ 目录中"),
                )
                .with_hint("补交文件，或更正“文件”列的路径（区分大小写，以 evidence/ 为起点）"),
            );
            out.push(("文件缺失", item.pages));
            continue;
        };
        let pages = match (file.kind, file.pages, item.pages) {
            (FileKind::Pdf, Some(counted), Some(sheet)) if counted != sheet => {
                diags.push(
                    Diagnostic::warning(
                        "evidence-pages-mismatch",
                        item.at_pages.clone(),
                        format!("清单页数 {sheet} 与文件实际页数 {counted} 不符"),
                    )
                    .with_hint("PDF 的页数以文件为准；可把清单中的页数改正或留空"),
                );
                Some(counted)
            }
            (_, Some(counted), None) => Some(counted),
            (FileKind::Image, _, Some(sheet)) if file.problem.is_none() => Some(sheet),
            (_, Some(counted), _) => Some(counted),
            (_, None, sheet) => {
                if sheet.is_none() && file.problem.is_none() {
                    diags.push(
                        Diagnostic::warning(
                            "evidence-pages-unknown",
                            item.at_pages.clone(),
                            format!("“{rel}”不是 PDF 或图片，页数需手工填写"),
                        )
                        .with_hint("在“页数”列填写该文件打印后的页数"),
                    );
                }
                sheet.filter(|_| file.kind != FileKind::Image) // an undecodable image is not placed
            }
        };
        out.push(("已提供", pages));
    }
    file_findings(items, files, diags);
    out
}

/// Findings about the files themselves: unreadable, not in the catalogue, the same content twice.
fn file_findings(items: &[EvidenceItem], files: &[EvidenceFile], diags: &mut Diagnostics) {
    for f in files {
        if let Some(problem) = &f.problem {
            diags.push(
                Diagnostic::warning(
                    "evidence-file-unreadable",
                    Location::file(format!("evidence/{}", f.rel)),
                    problem.clone(),
                )
                .with_hint(unreadable_hint(f, problem)),
            );
        }
    }
    let listed: std::collections::HashSet<&str> = items.iter().filter_map(|i| i.file.as_deref()).collect();
    for f in files.iter().filter(|f| !listed.contains(f.rel.as_str())) {
        diags.push(
            Diagnostic::warning(
                "evidence-unlisted",
                Location::file(format!("evidence/{}", f.rel)),
                "文件不在佐证材料清单中",
            )
            .with_hint("在 content/evidence.xlsx 中登记该文件，或把它移出 evidence/ 目录"),
        );
    }
    let mut by_hash: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    for f in files {
        if let Some(h) = f.hash {
            by_hash.entry(h).or_default().push(&f.rel);
        }
    }
    for names in by_hash.values().filter(|n| n.len() > 1) {
        diags.push(
            Diagnostic::warning(
                "evidence-same-content",
                Location::file(format!("evidence/{}", names[1])),
                format!("与“{}”内容完全相同", names[0]),
            )
            .with_hint("同一文件保存了两份；若确需放在两个指标下可忽略，否则删除多余的一份"),
        );
    }
}

/// Whether an item counts as provided evidence and goes in its box: not 待提交 or 退回 (issue
/// 33 point 4: "accepted items appear in the right box on the next build"; 已提交 counts
/// until the materials team sends it back).
pub fn counts(s: &ItemState) -> bool {
    !matches!(s.review, Some(Status::Pending | Status::Returned))
}

/// An item's identity across edits: its file, or for paper-only items indicator, point and title.
pub fn item_key(item: &EvidenceItem) -> String {
    match &item.file {
        Some(f) => format!("file:{f}"),
        None => format!("paper:{}|{}|{}", item.indicator, item.point, item.title),
    }
}

/// `{指标}-{要点}-{序号:02}` and the like.
pub fn format_number(format: &str, indicator: &str, point: &str, seq: u32) -> String {
    let mut s = format.replace("{指标}", indicator).replace("{要点}", point);
    while let Some(start) = s.find("{序号") {
        let Some(len) = s[start..].find('}') else { break };
        let spec = &s[start + "{序号".len()..start + len];
        let width: usize = spec.trim_start_matches(':').parse().unwrap_or(0);
        s.replace_range(start..=start + len, &format!("{seq:0width$}"));
    }
    s
}

/// Sequence numbers: kept from the lock; new items take the next free number of their point
/// (so inserting one item renumbers nothing else). `renumber` compacts everything to 1, 2, 3….
pub fn assign(items: &[EvidenceItem], lock: &Lock, renumber: bool) -> (Vec<u32>, Lock) {
    let mut new = Lock {
        prints: lock.prints.clone(),
        profile: lock.profile.clone(),
        others: lock.others.clone(),
        ..Lock::default()
    };
    let mut seqs = vec![0; items.len()];
    if !renumber {
        new.next = lock.next.clone();
    }
    // Kept numbers first, so a new item never takes a number that is still in use.
    let mut used: HashMap<String, std::collections::BTreeSet<u32>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let group = format!("{}|{}", item.indicator, item.point);
        if let Some(&seq) = lock.items.get(&item_key(item)).filter(|_| !renumber)
            && used.entry(group.clone()).or_default().insert(seq)
        {
            seqs[i] = seq;
        }
    }
    for (i, item) in items.iter().enumerate() {
        if seqs[i] != 0 {
            continue;
        }
        let group = format!("{}|{}", item.indicator, item.point);
        let taken = used.entry(group.clone()).or_default();
        let mut seq = new.next.get(&group).copied().unwrap_or(1).max(1);
        while taken.contains(&seq) {
            seq += 1;
        }
        taken.insert(seq);
        seqs[i] = seq;
    }
    for (i, item) in items.iter().enumerate() {
        let group = format!("{}|{}", item.indicator, item.point);
        new.items.insert(item_key(item), seqs[i]);
        let next = new.next.entry(group).or_insert(1);
        *next = (*next).max(seqs[i] + 1);
    }
    (seqs, new)
}

#[derive(Debug, Clone, Serialize)]
pub struct ArchiveBox {
    /// Stable id: the indicator (or first of a shared group), with -2, -3… for continuations.
    pub id: String,
    /// 之一 / 之二 … when an indicator needs several boxes.
    pub part: Option<String>,
    pub indicators: Vec<String>,
    pub title: String,
    /// Spine width in mm: the narrowest whose capacity holds the sheets.
    pub spine_mm: u32,
    /// The sheets the spine was chosen for: printed ones and paper-only ones together.
    pub sheets: u32,
    /// The spine's capacity in sheets (county.yaml `evidence.capacity`).
    pub capacity: u32,
    /// Paper-only items (无电子文件): how many, their pages as the sheet gives them, and the
    /// sheets they were counted as. The contents list states them apart from the printed
    /// sheets, which they are not (issue 34 point 11).
    pub paper_items: usize,
    pub paper_pages: u32,
    pub paper_sheets: u32,
    /// Indexes into the item states, in box order.
    pub items: Vec<usize>,
}

fn part_name(n: usize) -> String {
    const CN: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let n = n + 1;
    match n {
        1..=10 => format!("之{}", CN[n - 1]),
        _ => format!("之{n}"),
    }
}

/// One box per indicator (configured groups share one), in profile order; a box whose sheets
/// exceed the widest spine's capacity continues in further boxes (之一, 之二…).
pub fn boxes(profile: &Profile, states: &[ItemState], opts: &EvidenceOptions) -> Vec<ArchiveBox> {
    let widest = opts
        .capacity
        .iter()
        .next_back()
        .map(|(w, c)| (*w, *c))
        .unwrap_or((50, 450));
    let sheets_of = |pages: Option<u32>| {
        let p = pages.unwrap_or(1).max(1);
        if opts.duplex { p.div_ceil(2) } else { p }
    };
    let mut groups: Vec<Vec<String>> = vec![];
    for ind in &profile.indicators {
        if groups.iter().any(|g| g.contains(&ind.id)) {
            continue;
        }
        match opts
            .shared_boxes
            .iter()
            .find(|g| g.iter().any(|x| x.eq_ignore_ascii_case(&ind.id)))
        {
            Some(g) => groups.push(
                g.iter()
                    .filter_map(|x| profile.indicator(x).map(|i| i.id.clone()))
                    .collect(),
            ),
            None => groups.push(vec![ind.id.clone()]),
        }
    }
    let mut out = vec![];
    for group in groups {
        let mut members: Vec<usize> = states
            .iter()
            .enumerate()
            .filter(|(_, s)| group.contains(&s.indicator) && counts(s))
            .map(|(i, _)| i)
            .collect();
        if members.is_empty() {
            continue;
        }
        let pos = |id: &str| group.iter().position(|g| g == id).unwrap_or(0);
        members.sort_by(|a, b| {
            let (x, y) = (&states[*a], &states[*b]);
            (pos(&x.indicator), point_order(&x.point), x.seq).cmp(&(pos(&y.indicator), point_order(&y.point), y.seq))
        });
        let titles: Vec<String> = group
            .iter()
            .filter_map(|id| profile.indicator(id))
            .map(|i| format!("{} {}", i.id, i.name))
            .collect();
        // Fill boxes up to the widest capacity; each part then takes the narrowest spine that holds it.
        let mut parts: Vec<(Vec<usize>, u32)> = vec![(vec![], 0)];
        for m in members {
            let s = sheets_of(states[m].pages);
            let last = parts.last_mut().expect("parts starts non-empty");
            if last.1 + s > widest.1 && !last.0.is_empty() {
                parts.push((vec![m], s));
            } else {
                last.0.push(m);
                last.1 += s;
            }
        }
        let n = parts.len();
        for (k, (items, sheets)) in parts.into_iter().enumerate() {
            let (spine_mm, capacity) = opts
                .capacity
                .iter()
                .find(|(_, c)| **c >= sheets)
                .map(|(w, c)| (*w, *c))
                .unwrap_or(widest);
            let paper: Vec<usize> = items.iter().copied().filter(|&m| states[m].file.is_none()).collect();
            out.push(ArchiveBox {
                id: if k == 0 {
                    group[0].clone()
                } else {
                    format!("{}-{}", group[0], k + 1)
                },
                part: (n > 1).then(|| part_name(k)),
                indicators: group.clone(),
                title: titles.join("；"),
                spine_mm,
                sheets,
                capacity,
                paper_items: paper.len(),
                paper_pages: paper.iter().map(|&m| states[m].pages.unwrap_or(1).max(1)).sum(),
                paper_sheets: paper.iter().map(|&m| sheets_of(states[m].pages)).sum(),
                items,
            });
        }
    }
    out
}

/// Points sort numerically where they are numbers ("2" before "10").
fn point_order(p: &str) -> (u32, String) {
    (p.parse().unwrap_or(u32::MAX), p.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(ind: &str, point: &str, file: &str) -> EvidenceItem {
        EvidenceItem {
            row: 0,
            indicator: ind.into(),
            point: point.into(),
            catalogue: None,
            title: file.into(),
            author: None,
            doc_no: None,
            date: None,
            pages: Some(10),
            file: Some(file.into()),
            unit: None,
            secrecy: None,
            note: None,
            status: None,
            review: None,
            source: None,
            at_file: Location::Workspace,
            at_pages: Location::Workspace,
        }
    }

    #[test]
    fn numbers_follow_the_format() {
        assert_eq!(format_number("{指标}-{要点}-{序号:02}", "A12", "1", 3), "A12-1-03");
        assert_eq!(format_number("{指标}.{序号}", "B8", "2", 12), "B8.12");
    }

    #[test]
    fn inserting_an_item_renumbers_nothing_else() {
        let before = vec![
            item("A5", "1", "a.pdf"),
            item("A5", "1", "b.pdf"),
            item("A5", "2", "c.pdf"),
            item("A6", "1", "d.pdf"),
        ];
        let (seqs, lock) = assign(&before, &Lock::default(), false);
        assert_eq!(seqs, vec![1, 2, 1, 1]);
        // A new file inserted in the middle of A5 point 1 takes the next free number, 3.
        let after = vec![
            item("A5", "1", "a.pdf"),
            item("A5", "1", "new.pdf"),
            item("A5", "1", "b.pdf"),
            item("A5", "2", "c.pdf"),
            item("A6", "1", "d.pdf"),
        ];
        let (seqs2, lock2) = assign(&after, &lock, false);
        assert_eq!(seqs2, vec![1, 3, 2, 1, 1]);
        // Removing b.pdf leaves a gap; its number 2 is not given to a later newcomer.
        let removed = vec![
            item("A5", "1", "a.pdf"),
            item("A5", "1", "new.pdf"),
            item("A5", "1", "later.pdf"),
        ];
        let (seqs3, _) = assign(&removed, &lock2, false);
        assert_eq!(seqs3, vec![1, 3, 4]);
        // Renumbering compacts in sheet order.
        let (seqs4, _) = assign(&removed, &lock2, true);
        assert_eq!(seqs4, vec![1, 2, 3]);
    }

    #[test]
    fn a_box_over_capacity_is_split() {
        let profile = crate::model::Profile::builtin("jiangxi-2018").unwrap();
        let opts = EvidenceOptions::default();
        // 50 items × 10 pages = 500 sheets > 450 (50 mm): two boxes, 450 + 50 sheets,
        // the second on the narrowest spine that holds 50 sheets (20 mm).
        let states: Vec<ItemState> = (0..50)
            .map(|k| ItemState {
                index: k,
                number: String::new(),
                indicator: "A5".into(),
                point: "1".into(),
                seq: k as u32 + 1,
                title: String::new(),
                file: None,
                status: "已提供",
                pages: Some(10),
                box_id: String::new(),
                catalogue_number: None,
                review: None,
            })
            .collect();
        let b = boxes(&profile, &states, &opts);
        assert_eq!(b.len(), 2);
        assert_eq!(
            (b[0].sheets, b[0].spine_mm, b[0].part.as_deref()),
            (450, 50, Some("之一"))
        );
        assert_eq!(
            (b[1].id.as_str(), b[1].sheets, b[1].spine_mm, b[1].part.as_deref()),
            ("A5-2", 50, 20, Some("之二"))
        );
        // Duplex: 500 pages on 250 sheets fit one 30 mm box (capacity 270).
        let duplex = EvidenceOptions {
            duplex: true,
            ..EvidenceOptions::default()
        };
        let b = boxes(&profile, &states, &duplex);
        assert_eq!((b.len(), b[0].sheets, b[0].spine_mm), (1, 250, 30));
    }

    #[test]
    fn a_paper_only_register_is_counted_apart_from_the_printed_sheets() {
        let profile = crate::model::Profile::builtin("jiangxi-2018").unwrap();
        let item = |k: usize, file: Option<&str>, pages: u32| ItemState {
            index: k,
            number: String::new(),
            indicator: "A5".into(),
            point: "1".into(),
            seq: k as u32 + 1,
            title: String::new(),
            file: file.map(str::to_owned),
            status: if file.is_some() { "已提供" } else { "无电子文件" },
            pages: Some(pages),
            box_id: String::new(),
            catalogue_number: None,
            review: None,
        };
        // Two PDFs of 3 and 5 pages and a paper register of 200 pages: 3 + 5 + 200 = 208
        // sheets, over the 20 mm box's 180, within the 30 mm box's 270.
        let states = vec![item(0, Some("a.pdf"), 3), item(1, Some("b.pdf"), 5), item(2, None, 200)];
        let b = &boxes(&profile, &states, &EvidenceOptions::default())[0];
        assert_eq!((b.sheets, b.spine_mm, b.capacity), (208, 30, 270));
        // The register: 1 item, 200 pages counted as 200 sheets; printed: 208 − 200 = 8 sheets.
        assert_eq!((b.paper_items, b.paper_pages, b.paper_sheets), (1, 200, 200));
        // Printed on both sides: 3 → 2 and 5 → 3 sheets, the register 100: 105, a 20 mm box.
        let duplex = EvidenceOptions {
            duplex: true,
            ..EvidenceOptions::default()
        };
        let b = &boxes(&profile, &states, &duplex)[0];
        assert_eq!(
            (b.sheets, b.spine_mm, b.paper_pages, b.paper_sheets),
            (105, 20, 200, 100)
        );
    }
}

/// What to do about a file that could not be read.
fn unreadable_hint(f: &EvidenceFile, problem: &str) -> &'static str {
    if problem.starts_with("所在文件夹") {
        "请检查该文件夹的权限（当前用户须能打开和读取它），改正后重新运行"
    } else if f.size == 0 && f.hash.is_none() && problem.starts_with("这是") {
        // A folder, pipe or device listed as a file (load::files::listed_but_passed_over).
        "在清单的“文件”列填写其中具体的文件（如 A1/通知.pdf），不要填写文件夹或特殊文件"
    } else {
        "请换成未加密、可正常打开的文件，或在清单中填写页数"
    }
}
