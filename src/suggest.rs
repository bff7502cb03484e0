//! "Did you mean …?": the known name nearest to one that is not known.
//!
//! [`nearest`] is the one way of picking a suggestion: score every candidate, drop
//! the ones too far to be meant, keep the lowest score (the first on a tie).
//! [`did_you_mean`] scores by edit distance, for names typed from memory
//! (configuration keys, rule ids, presets); callers with their own idea of "alike"
//! (section names that share words) pass their own score.
//!
//! Imports nothing from the crate, so any module may use it.

/// The candidate closest to `word` by edit distance, ignoring case, if close enough
/// to be a likely typo: at most a third of `word`'s characters (and at least 2)
/// inserted, deleted or replaced. On a tie, the first candidate.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    let word = word.to_lowercase();
    nearest(candidates, |c| {
        let distance = strsim::levenshtein(&word, &c.to_lowercase());
        (distance <= limit).then_some(distance)
    })
}

/// The candidate with the lowest `score`, the first of them on a tie. `score`
/// answers `None` for a candidate too far from what was asked to suggest at all.
pub(crate) fn nearest<T>(
    candidates: impl IntoIterator<Item = T>,
    mut score: impl FnMut(&T) -> Option<usize>,
) -> Option<T> {
    candidates
        .into_iter()
        .filter_map(|c| score(&c).map(|s| (s, c)))
        .min_by_key(|(s, _)| *s)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_within_a_third_of_the_word_are_suggested() {
        assert_eq!(
            did_you_mean("rulez", ["extends", "mode", "rules"]),
            Some("rules")
        );
        // Case is ignored, and the candidate comes back as written.
        assert_eq!(did_you_mean("MODE", ["extends", "Mode"]), Some("Mode"));
        // Short words may still differ in 2 characters.
        assert_eq!(did_you_mean("ab", ["xy"]), Some("xy"));
        assert_eq!(did_you_mean("abc", ["xyz"]), None);
        // 12 characters allow 4 edits, not 5.
        assert_eq!(
            did_you_mean("required-xxx", ["required-abcd"]),
            Some("required-abcd")
        );
        assert_eq!(did_you_mean("required-xxx", ["required-abcde"]), None);
        // Edits count characters, not bytes.
        assert_eq!(did_you_mean("café", ["cafe"]), Some("cafe"));
    }

    #[test]
    fn the_lowest_score_wins_and_the_first_on_a_tie() {
        let len = |c: &&str| Some(c.len());
        assert_eq!(nearest(["ccc", "a", "b"], len), Some("a"));
        assert_eq!(nearest(["bb", "aa"], len), Some("bb"));
        assert_eq!(
            nearest(["a", "bb"], |c| (c.len() > 1).then_some(0)),
            Some("bb")
        );
        assert_eq!(nearest(Vec::<&str>::new(), len), None);
        assert_eq!(nearest(["a"], |_| None), None);
    }
}
