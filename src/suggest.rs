//! "Did you mean …?": the nearest of the known names to a misspelt one.

/// The closest of `choices` to `word`, when it is close enough to be a typo (an edit distance
/// of at most 2, or a quarter of the name for long names).
pub fn did_you_mean<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    choices
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (distance(&w, &c.to_lowercase().chars().collect::<Vec<_>>()), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 4) && *d < c.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_near_names_only() {
        let names = ["county", "recognition", "sports_area"];
        assert_eq!(super::did_you_mean("recogniton", names), Some("recognition"));
        assert_eq!(super::did_you_mean("sport_area", names), Some("sports_area"));
        assert_eq!(super::did_you_mean("zzz", names), None);
    }
}
