//! Matching headings the way people write them.
//!
//! "## 🔥 Why?", "**Why:**" and "WHY" all name the section "Why": matching ignores
//! case, punctuation, emoji, markup and spacing. Apostrophes vanish rather than
//! split words, so "what's" matches "whats".

/// The comparable form of a heading: lowercase letters and digits, single spaces.
pub fn normalize_heading(text: &str) -> String {
    let mut out = String::new();
    normalize_heading_into(text, &mut out);
    out
}

/// [`normalize_heading`] of `text`, appended to `out`: a document keeps the forms
/// of all its headings in one string.
pub(crate) fn normalize_heading_into(text: &str, out: &mut String) {
    // ASCII first, through a table: every heading of every text is normalised.
    let start = out.len();
    out.reserve(text.len());
    let mut pending_space = false;
    for &b in text.as_bytes() {
        match ASCII.get(usize::from(b)) {
            Some(0) => {}
            Some(1) => pending_space = true,
            Some(&lower) => {
                if pending_space && out.len() > start {
                    out.push(' ');
                }
                pending_space = false;
                out.push(char::from(lower));
            }
            None => {
                out.truncate(start);
                normalize_unicode(text, out);
                return;
            }
        }
    }
}

/// What [`normalize_heading`] does with each ASCII byte: 0 drops it (`'` and
/// `` ` ``: "don't" is "dont", not "don t"), 1 makes it a word break, anything
/// else is the byte it becomes (letters lowercased, digits as they are).
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of range fails the build"
)]
const ASCII: [u8; 128] = {
    let mut table = [1u8; 128];
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            table[b as usize] = b.to_ascii_lowercase();
        } else if b == b'\'' || b == b'`' {
            table[b as usize] = 0;
        }
        b += 1;
    }
    table
};

/// [`normalize_heading`] of text with non-ASCII characters, appended to `out`.
fn normalize_unicode(text: &str, out: &mut String) {
    let start = out.len();
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_space && out.len() > start {
                out.push(' ');
            }
            pending_space = false;
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii() && c != '\'' && c != '`' {
            pending_space = true;
        } else if c.is_alphanumeric() {
            if pending_space && out.len() > start {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '’' | '‘' | '`') {
            // "don't" → "dont", not "don t".
        } else {
            pending_space = true;
        }
    }
}

/// A section name and its aliases, pre-normalised for matching.
#[derive(Debug, Clone, Default)]
pub struct HeadingMatcher {
    /// The canonical name, as configured (for messages and skeletons).
    name: String,
    /// Normalised name and aliases.
    forms: Vec<String>,
    /// Each form's first word without a plural `s`, as a length into the form: a
    /// heading whose first word differs matches that form neither exactly nor by
    /// prefix.
    stems: Vec<usize>,
    /// The forms' indices in order of their first stems: the forms a heading may
    /// match are one run of this list, found by binary search.
    by_stem: Vec<usize>,
    /// The forms' first two bytes ([`lead`]), hashed into a 256-bit set: most
    /// headings of a document begin unlike every form of a given section and are
    /// ruled out before any string comparison (every heading is matched against
    /// several sections).
    leads: [u64; 4],
    /// The name and aliases as configured, in order (for `lint-pr explain`).
    written: Vec<String>,
    /// Every significant word of every form ([`significant_words`]), sorted: what a
    /// heading must share with the section to be suggested as it.
    words: Vec<String>,
    /// Each form's significant words, as indices into `words` (parallel to `forms`).
    form_words: Vec<Vec<u32>>,
    /// `words`' first two bytes, hashed like `leads`: most words of a heading are
    /// ruled out without a search.
    word_leads: [u64; 4],
}

/// Two matchers are equal when they were built from the same name and aliases:
/// every other field is worked out from those. Rules compare their matchers per
/// document (the two step rules share their steps when they read the same
/// sections), so this compares the few strings that decide it, not every table.
impl PartialEq for HeadingMatcher {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.written == other.written
    }
}

impl Eq for HeadingMatcher {}

impl HeadingMatcher {
    /// Matches nothing.
    pub const EMPTY: HeadingMatcher = HeadingMatcher {
        name: String::new(),
        forms: Vec::new(),
        stems: Vec::new(),
        by_stem: Vec::new(),
        leads: [0; 4],
        written: Vec::new(),
        words: Vec::new(),
        form_words: Vec::new(),
        word_leads: [0; 4],
    };

    pub fn new<'a>(name: &str, aliases: impl IntoIterator<Item = &'a str>) -> Self {
        let written: Vec<String> = std::iter::once(name.to_string())
            .chain(aliases.into_iter().map(str::to_string))
            .collect();
        let mut forms: Vec<String> = written.iter().map(|w| normalize_heading(w)).collect();
        forms.retain(|f| !f.is_empty());
        forms.sort();
        forms.dedup();
        let stems: Vec<usize> = forms.iter().map(|f| first_stem(f).len()).collect();
        let stem_of = |i: usize| {
            let form = forms.get(i).map_or("", String::as_str);
            form.get(..stems.get(i).copied().unwrap_or(0)).unwrap_or("")
        };
        let mut by_stem: Vec<usize> = (0..forms.len()).collect();
        by_stem.sort_by(|&a, &b| stem_of(a).cmp(stem_of(b)));
        let leads = lead_set(forms.iter().map(|f| lead(f)));
        let mut words: Vec<String> = forms
            .iter()
            .flat_map(|f| significant_words(f))
            .map(str::to_string)
            .collect();
        words.sort();
        words.dedup();
        let form_words = forms
            .iter()
            .map(|f| {
                significant_words(f)
                    .filter_map(|w| words.binary_search_by(|x| x.as_str().cmp(w)).ok())
                    .filter_map(|i| u32::try_from(i).ok())
                    .collect()
            })
            .collect();
        let word_leads = lead_set(words.iter().map(|w| lead(w)));
        HeadingMatcher {
            name: name.to_string(),
            forms,
            stems,
            by_stem,
            leads,
            written,
            words,
            form_words,
            word_leads,
        }
    }

    /// The significant words of a normalised heading that some form also has, as
    /// indices (into the matcher's own word list), appended to `out`.
    pub(crate) fn shared_words(&self, normalized: &str, out: &mut Vec<u32>) {
        if self.words.is_empty() {
            return;
        }
        // Most words of a heading are no word of any form: the stop-word test runs
        // only for those that are.
        out.extend(
            normalized
                .split(' ')
                .filter_map(|w| {
                    let stem = w.trim_end_matches('s');
                    if !in_set(&self.word_leads, lead(stem)) {
                        return None;
                    }
                    let i = self.words.binary_search_by(|x| x.as_str().cmp(stem)).ok()?;
                    (w.len() > MAX_STOP_WORD || STOP_WORDS.binary_search(&w).is_err()).then_some(i)
                })
                .filter_map(|i| u32::try_from(i).ok()),
        );
    }

    /// The significant word at `i` of the matcher's own word list (an index
    /// [`HeadingMatcher::shared_words`] gives).
    pub(crate) fn word(&self, i: u32) -> &str {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.words.get(i))
            .map_or("", String::as_str)
    }

    /// Whether `word` is a significant word of one of this matcher's forms.
    pub(crate) fn has_word(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|x| x.as_str().cmp(word))
            .is_ok()
    }

    /// The significant words of the form at `i` (see [`HeadingMatcher::forms`]), as
    /// [`HeadingMatcher::shared_words`] gives them.
    pub(crate) fn form_words(&self, i: usize) -> &[u32] {
        self.form_words.get(i).map_or(&[], Vec::as_slice)
    }

    /// The first stem of the form at `i` (see `stems`).
    fn stem(&self, i: usize) -> &str {
        let form = self.forms.get(i).map_or("", String::as_str);
        form.get(..self.stems.get(i).copied().unwrap_or(0))
            .unwrap_or("")
    }

    /// Whether some form may have the first stem of the heading whose [`lead`] is
    /// `bit` (false means certainly none).
    fn may_lead(&self, bit: u8) -> bool {
        in_set(&self.leads, bit)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name and aliases, normalised (lowercase words), sorted.
    pub fn forms(&self) -> &[String] {
        &self.forms
    }

    /// The name and aliases as configured, in the order written (for `lint-pr
    /// explain`; matching uses [`HeadingMatcher::forms`]).
    pub fn written(&self) -> &[String] {
        &self.written
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    pub fn matches(&self, heading: &str) -> bool {
        self.matches_normalized(&normalize_heading(heading))
    }

    /// Like [`HeadingMatcher::matches`] for a heading of `doc`, whose normalised
    /// form the document already holds.
    pub fn matches_heading(&self, doc: &super::Document<'_>, heading: &super::Heading<'_>) -> bool {
        let normalized = doc.normalized(heading);
        // Most headings begin unlike every form: ruled out by their first two bytes.
        self.may_lead(lead(normalized)) && self.matches_normalized(normalized)
    }

    /// [`HeadingMatcher::score_heading`] for text already normalised
    /// ([`normalize_heading`]): a part of a heading, say.
    pub fn score_normalized_text(&self, normalized: &str) -> Option<u32> {
        if normalized.is_empty() || !self.may_lead(lead(normalized)) {
            return None;
        }
        self.score_normalized(normalized)
    }

    fn matches_normalized(&self, normalized: &str) -> bool {
        self.score_normalized(normalized).is_some()
    }

    /// How much of the heading the best of the name and aliases covers, in words
    /// (an exact match beats any prefix): `None` when none matches. A heading that
    /// two sections match belongs to the one that covers more of it ("What is the
    /// rollout plan?" is a rollout heading, not "What this does").
    pub fn score_heading(
        &self,
        doc: &super::Document<'_>,
        heading: &super::Heading<'_>,
    ) -> Option<u32> {
        self.score_normalized(doc.normalized(heading))
    }

    /// Whether a name or alias of two words or more is words of the heading after
    /// its first ("Are there any user-facing changes?" holds "user-facing changes").
    /// Single words are left out: "Types of changes" is no "Changes" section.
    pub fn holds_phrase(&self, doc: &super::Document<'_>, heading: &super::Heading<'_>) -> bool {
        let text = doc.normalized(heading);
        memchr::memchr_iter(b' ', text.as_bytes()).any(|at| {
            text.get(at + 1..).is_some_and(|rest| {
                self.may_lead(lead(rest))
                    && self
                        .same_stem(rest)
                        .any(|f| f.contains(' ') && word_prefix(f, rest).is_some())
            })
        })
    }

    /// The forms whose first stem is `normalized`'s (the only ones that can match
    /// it): none at all for most headings, told by their first two bytes.
    fn same_stem<'s>(&'s self, normalized: &str) -> impl Iterator<Item = &'s String> + 's {
        let candidates = if normalized.is_empty() || !self.may_lead(lead(normalized)) {
            &[][..]
        } else {
            let stem = first_stem(normalized);
            let from = self.by_stem.partition_point(|&i| self.stem(i) < stem);
            let to = from
                + self
                    .by_stem
                    .get(from..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|&&i| self.stem(i) == stem)
                    .count();
            self.by_stem.get(from..to).unwrap_or(&[])
        };
        candidates.iter().filter_map(|&i| self.forms.get(i))
    }

    /// Whether the heading holds the name or an alias as whole words after its
    /// first word ("Internal escalation", "Possible checks"), singular and plural
    /// alike: the cases [`HeadingMatcher::matches_heading`] (which reads from the
    /// start) does not cover.
    pub fn is_contained_after_start(
        &self,
        doc: &super::Document<'_>,
        heading: &super::Heading<'_>,
    ) -> bool {
        let text = doc.normalized(heading);
        // Most words begin unlike every form: ruled out by their first two bytes.
        memchr::memchr_iter(b' ', text.as_bytes()).any(|at| {
            text.get(at + 1..).is_some_and(|rest| {
                self.may_lead(lead(rest)) && self.score_normalized(rest).is_some()
            })
        })
    }

    /// Whether the heading is the name or an alias itself (or its plural), not only
    /// begins with one.
    pub fn matches_exactly(&self, doc: &super::Document<'_>, heading: &super::Heading<'_>) -> bool {
        self.score_heading(doc, heading) == Some(EXACT)
    }

    /// A form matches a heading that is the form itself, or that begins with the
    /// form as whole words ("Rollback and follow-ups" for "Rollback"), with singular
    /// and plural forms alike ("Risk" / "Risks"). A question word alone ("What",
    /// "How") never claims a heading by prefix.
    fn score_normalized(&self, normalized: &str) -> Option<u32> {
        let mut best: Option<u32> = None;
        // Only forms whose first word is the heading's can match it.
        for form in self.same_stem(normalized) {
            if form.len() == normalized.len() && form == normalized {
                return Some(EXACT);
            }
            let Some((words, whole)) = word_prefix(form, normalized) else {
                continue;
            };
            let score = if whole {
                EXACT
            } else if words == 1 && QUESTION_WORDS.contains(&form.as_str()) {
                continue;
            } else {
                words
            };
            best = best.max(Some(score));
        }
        best
    }
}

/// The score of a heading that is exactly a form (or its plural).
const EXACT: u32 = 1000;

/// Words too common to say two headings are about the same thing (sorted: a
/// binary search per word).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "any", "are", "as", "at", "be", "by", "do", "does", "for", "from", "get",
    "gets", "getting", "how", "if", "in", "is", "it", "of", "on", "or", "our", "pr", "should",
    "that", "the", "this", "to", "was", "we", "what", "when", "which", "why", "with", "you",
    "your",
];

/// Words longer than this are never [`STOP_WORDS`]: one length test spares most
/// words the binary search.
const MAX_STOP_WORD: usize = 7;

/// The words of a normalised heading that may tell it apart from others: not a
/// stop word, without a plural `s` ("Signs" and "sign" are one word).
fn significant_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ')
        .filter(|w| {
            !w.is_empty() && (w.len() > MAX_STOP_WORD || STOP_WORDS.binary_search(w).is_err())
        })
        .map(|w| w.trim_end_matches('s'))
}

/// Whether a normalised name's first significant word is a verb after "to"
/// ("when to page", "when to escalate") that `heading` (normalised) does not use
/// as one: it neither begins with it nor has it after "to". "ES integration
/// admin page" only ends with the noun.
pub(crate) fn verb_used_otherwise(form: &str, heading: &str) -> bool {
    let mut previous = "";
    for word in form.split(' ') {
        if word.len() > MAX_STOP_WORD || STOP_WORDS.binary_search(&word).is_err() {
            if previous != "to" {
                return false;
            }
            let stem = word.trim_end_matches('s');
            let leads = significant_words(heading).next() == Some(stem);
            let after_to = heading
                .split(' ')
                .zip(heading.split(' ').skip(1))
                .any(|(to, w)| to == "to" && w.trim_end_matches('s') == stem);
            return !(leads || after_to);
        }
        previous = word;
    }
    false
}

/// Question words that name no section on their own.
const QUESTION_WORDS: &[&str] = &["what", "how", "who", "which", "where", "when"];

/// Whether `form`'s words begin `heading`'s (each alike or differing only by a
/// trailing `s`): `Some((form's word count, whether they are all of heading's))`.
fn word_prefix(form: &str, heading: &str) -> Option<(u32, bool)> {
    let mut h = heading.split(' ');
    let mut words = 0;
    for fw in form.split(' ') {
        let hw = h.next()?;
        if !(fw == hw || singular(fw) == singular(hw)) {
            return None;
        }
        words += 1;
    }
    Some((words, h.next().is_none()))
}

/// A normalised heading without the number it is written with ("9 spot check
/// rules" for "9. Spot-check rules"): a reference or a reading names the
/// heading without it.
pub(crate) fn without_number(normalized: &str) -> &str {
    match normalized.split_once(' ') {
        Some((number, rest))
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) =>
        {
            rest
        }
        _ => normalized,
    }
}

/// Whether normalised `heading` begins with normalised `form` as whole words,
/// singular and plural alike, as section matching reads a heading ("Rollback and
/// follow-ups" for "Rollback").
pub(crate) fn begins_with_words(form: &str, heading: &str) -> bool {
    word_prefix(form, heading).is_some()
}

/// A hash of a normalised form's first two bytes (a space or the end read as 0):
/// two forms with the same first stem have the same lead, since a stem is the
/// first word less at most a final `s` of a word of three letters or more.
fn lead(form: &str) -> u8 {
    let b = form.as_bytes();
    let first = b.first().copied().unwrap_or(0);
    let second = b.get(1).copied().filter(|&c| c != b' ').unwrap_or(0);
    first.wrapping_mul(31).wrapping_add(second)
}

/// A 256-bit set of [`lead`]s.
fn lead_set(bits: impl Iterator<Item = u8>) -> [u64; 4] {
    let mut set = [0u64; 4];
    for bit in bits {
        if let Some(word) = set.get_mut(usize::from(bit >> 6)) {
            *word |= 1 << (bit & 63);
        }
    }
    set
}

/// Whether `bit` is in `set` (see [`lead_set`]).
fn in_set(set: &[u64; 4], bit: u8) -> bool {
    set.get(usize::from(bit >> 6))
        .is_some_and(|word| word & (1 << (bit & 63)) != 0)
}

/// The first word of a normalised form, without a plural `s`.
fn first_stem(form: &str) -> &str {
    let end = memchr::memchr(b' ', form.as_bytes()).unwrap_or(form.len());
    singular(form.get(..end).unwrap_or(form))
}

/// A word without a plural `s` ("risks" → "risk"; "process", "status" kept).
pub(crate) fn singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !stem.ends_with('s') && !stem.ends_with('u') => stem,
        _ => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= MAX_STOP_WORD));
    }

    #[test]
    fn a_verb_after_to_is_close_only_where_it_is_used_as_one() {
        assert!(verb_used_otherwise(
            "when to page",
            "es integration admin page"
        ));
        assert!(verb_used_otherwise(
            "when to page",
            "which gov uk pages changed from 200 to a 410"
        ));
        assert!(!verb_used_otherwise("when to page", "page the dba"));
        assert!(!verb_used_otherwise("when to page", "who to page"));
        assert!(!verb_used_otherwise("verification", "manual verification"));
        assert!(!verb_used_otherwise(
            "escalation policy",
            "policy lifecycle"
        ));
    }

    #[test]
    fn shared_words_are_the_significant_words_a_heading_has_in_common() {
        let m = HeadingMatcher::new("Signs this is getting worse", ["When to escalate"]);
        let words = |heading: &str| {
            let mut out = Vec::new();
            m.shared_words(&normalize_heading(heading), &mut out);
            out
        };
        // "signs" and "sign" are one word; "this", "is", "when" and "getting"
        // are stop words.
        assert_eq!(words("Sign of trouble").len(), 1);
        assert_eq!(words("Escalate now").len(), 1);
        assert!(words("When this is it").is_empty());
        assert!(words("Getting the status of the request").is_empty());
        let both = words("Signs it is getting worse");
        assert_eq!(both.len(), 2);
        let form = m
            .forms()
            .iter()
            .position(|f| f.starts_with("signs"))
            .unwrap();
        assert!(both.iter().all(|w| m.form_words(form).contains(w)));
    }

    #[test]
    fn ascii_and_unicode_paths_agree() {
        for text in [
            "  Why?? ",
            "don't `panic`",
            "Step 1: `kubectl get pods`",
            "A--b__C",
            "",
        ] {
            // The same text with a non-ASCII character appended takes the general path.
            let general = normalize_heading(&format!("{text} 🔥"));
            assert_eq!(normalize_heading(text), general, "{text:?}");
        }
    }

    #[test]
    fn the_ascii_table_agrees_with_the_general_path_on_every_byte_pair() {
        for a in 0u8..128 {
            for b in 0u8..128 {
                let text = format!("x{}Y{}9", char::from(a), char::from(b));
                let mut general = String::new();
                normalize_unicode(&text, &mut general);
                assert_eq!(normalize_heading(&text), general, "{text:?}");
            }
        }
    }

    #[test]
    fn forgiving_forms() {
        assert_eq!(normalize_heading("🔥 Why?"), "why");
        assert_eq!(
            normalize_heading("  If you're not sure what’s wrong:  "),
            "if youre not sure whats wrong"
        );
        assert_eq!(
            normalize_heading("Expected behaviour-change"),
            "expected behaviour change"
        );
        let m = HeadingMatcher::new("Why", ["Motivation"]);
        assert!(m.matches("**WHY:**"));
        assert!(m.matches("💡 motivation"));
        assert!(!m.matches("Whynot"));
        assert!(
            m.matches("Why this is needed"),
            "a heading may begin with the name"
        );
        assert!(!m.matches("The why"));
        let risks = HeadingMatcher::new("Risks", ["Rollback"]);
        assert!(risks.matches("Risk") && risks.matches("Rollback and follow-ups"));
        let what = HeadingMatcher::new("What this does", ["What"]);
        assert!(
            !what.matches("What is the rollout plan?"),
            "a question word alone claims nothing"
        );
        assert!(what.matches("What"));
        let escalation = HeadingMatcher::new("Escalation", ["When to escalate"]);
        let doc = crate::markdown::Document::parse(
            "# A\n## Internal escalations\n## Team and escalation path\n## Escalator repairs\n",
        );
        let contained: Vec<bool> = doc
            .headings
            .iter()
            .map(|h| escalation.is_contained_after_start(&doc, h))
            .collect();
        assert_eq!(contained, [false, true, true, false]);
        let expected = HeadingMatcher::new("Expected behavior change", ["User-facing changes"]);
        let doc = crate::markdown::Document::parse(
            "## Are there any user-facing changes?\n## Types of changes\n",
        );
        let holds: Vec<bool> = doc
            .headings
            .iter()
            .map(|h| expected.holds_phrase(&doc, h))
            .collect();
        assert_eq!(holds, [true, false]);
        let rollout = HeadingMatcher::new("Rollout plan", ["Rollout"]);
        assert_eq!(rollout.score_normalized("rollout plan"), Some(EXACT));
        assert_eq!(rollout.score_normalized("rollout plan for prod"), Some(2));
    }
}
