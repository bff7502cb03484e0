//! Text helpers shared by several rules.

use regex::Regex;

use crate::markdown::{Document, HeadingKind, Span};

/// The lines of `range` that carry content: comments cut out, list and quote
/// markers, task boxes and emphasis stripped, and lines without a letter or digit
/// (fences, rules, table separators, blank lines) and sub-heading titles dropped.
pub(crate) fn content_lines(doc: &Document<'_>, range: &Span) -> Vec<String> {
    let headings: Vec<&str> = Document::within(&doc.headings, range)
        .iter()
        .filter(|h| h.kind != HeadingKind::Bold)
        .map(|h| doc.text(&h.span))
        .collect();
    doc.text_without_comments(range)
        .lines()
        .filter(|line| !headings.iter().any(|h| h.lines().any(|hl| hl == *line)))
        .map(strip_markers)
        .filter(|l| l.chars().any(char::is_alphanumeric))
        .collect()
}

/// A content line without list and quote markers, task boxes and emphasis.
pub(crate) fn strip_markers(line: &str) -> String {
    let mut s = line.trim();
    loop {
        let before = s;
        s = s.trim_start_matches('>').trim_start();
        for marker in ["- ", "* ", "+ "] {
            if let Some(rest) = s.strip_prefix(marker) {
                s = rest.trim_start();
            }
        }
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0
            && let Some(rest) = s
                .get(digits..)
                .and_then(|r| r.strip_prefix(". ").or_else(|| r.strip_prefix(") ")))
        {
            s = rest.trim_start();
        }
        for task in ["[ ]", "[x]", "[X]"] {
            if let Some(rest) = s.strip_prefix(task) {
                s = rest.trim_start();
            }
        }
        if s == before {
            break;
        }
    }
    s.trim_matches(|c| c == '*' || c == '_' || c == '`')
        .trim()
        .to_string()
}

/// Whether every one of a section's content lines ([`content_lines`]) is a
/// placeholder.
pub(crate) fn is_empty_section(lines: &[String], placeholders: &[Regex]) -> bool {
    lines
        .iter()
        .all(|line| placeholders.iter().any(|p| p.is_match(line)))
}

/// The lines of a code block's body (`code` as written, fences included): a
/// fenced block without its fences, an indented block as it is.
pub(crate) fn code_lines(code: &str) -> impl Iterator<Item = &str> {
    let fenced = code.trim_start().starts_with(['`', '~']);
    code.lines()
        .skip(usize::from(fenced))
        .filter(move |line| !(fenced && line.trim_start().starts_with(['`', '~'])))
}

/// Whether `range` holds inline code or a code block. Code in a link's text
/// (`` [`registry-overview`](https://…) ``) names a page; it is not a command.
pub(crate) fn has_code(doc: &Document<'_>, range: &Span) -> bool {
    Document::within(&doc.code_spans, range)
        .iter()
        .any(|c| !in_link(doc, &c.span))
        || !Document::within(&doc.code_blocks, range).is_empty()
}

/// Whether `span` lies inside a link. Links do not nest, so only the last link
/// starting at or before `span` can hold it.
pub(crate) fn in_link(doc: &Document<'_>, span: &Span) -> bool {
    let before = doc.links.partition_point(|l| l.span.start <= span.start);
    before
        .checked_sub(1)
        .and_then(|i| doc.links.get(i))
        .is_some_and(|l| l.span.end >= span.end)
}

/// The spans of the inline code and the code blocks inside `range`.
pub(crate) fn code_in<'d>(doc: &'d Document<'_>, range: &Span) -> impl Iterator<Item = &'d Span> {
    Document::within(&doc.code_spans, range)
        .iter()
        .map(|c| &c.span)
        .chain(
            Document::within(&doc.code_blocks, range)
                .iter()
                .map(|c| &c.span),
        )
}

/// `range`'s text with code spans and code blocks blanked out (same length, so
/// offsets stay valid), for searching prose only.
pub(crate) fn prose(doc: &Document<'_>, range: &Span) -> String {
    let mut bytes = doc.text(range).as_bytes().to_vec();
    let hidden = code_in(doc, range).chain(Document::within(&doc.html_comments, range).iter());
    for span in hidden {
        let start = span.start.saturating_sub(range.start);
        let end = span.end.min(range.end).saturating_sub(range.start);
        // Spans sit on character boundaries, so blanking every byte inside keeps UTF-8 valid.
        for b in bytes.get_mut(start..end).into_iter().flatten() {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Valid by construction; the lossy path only guards the invariant.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Number of words (runs of letters or digits) in `text`.
pub(crate) fn word_count(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Whether a link's target names a scheme (`https:`, `mailto:`, `tel:`): an
/// address elsewhere, not a path in the repository.
pub(crate) fn has_scheme(dest: &str) -> bool {
    let scheme = dest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    scheme > 0 && dest.as_bytes().get(scheme) == Some(&b':')
}

/// Whether `text` ends with `suffix` (lowercase ASCII) in any ASCII case, as
/// `text.to_ascii_lowercase().ends_with(suffix)` says, without the copy.
pub(crate) fn ends_with_folded(text: &str, suffix: &str) -> bool {
    text.len()
        .checked_sub(suffix.len())
        .and_then(|start| text.as_bytes().get(start..))
        .is_some_and(|end| end.eq_ignore_ascii_case(suffix.as_bytes()))
}

/// Whether `word` is one of `sorted` (lowercase ASCII words in byte order), in any
/// ASCII case: a binary search, for the word lists rules test every word against.
pub(crate) fn is_word_in(sorted: &[&str], word: &str) -> bool {
    sorted
        .binary_search_by(|probe| cmp_folded(probe, word))
        .is_ok()
}

/// What `sorted` (pairs whose lowercase ASCII words are in byte order) holds for
/// `word`, in any ASCII case: [`is_word_in`]'s search, for a table that gives
/// each word a value.
pub(crate) fn word_value<'t, T>(sorted: &'t [(&str, T)], word: &str) -> Option<&'t T> {
    sorted
        .binary_search_by(|(probe, _)| cmp_folded(probe, word))
        .ok()
        .and_then(|at| sorted.get(at))
        .map(|(_, value)| value)
}

/// `probe` (lowercase) against `word` read in lowercase, byte by byte.
fn cmp_folded(probe: &str, word: &str) -> std::cmp::Ordering {
    probe
        .bytes()
        .cmp(word.bytes().map(|b| b.to_ascii_lowercase()))
}

/// `line` (or any text) as it reads rendered: a link shows its text, not its target
/// ("Check [DaemonSet update strategy](https://…)" → "Check DaemonSet update
/// strategy"; `[Triage][dash]` → "Triage").
pub(crate) fn link_texts(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        let close = match (rest.find("]("), rest.find("][")) {
            (Some(inline), Some(reference)) => inline.min(reference),
            (Some(at), None) | (None, Some(at)) => at,
            (None, None) => break,
        };
        // The link's text, without the `[` that opens it.
        let text = rest.get(..close).unwrap_or("");
        match text.rfind('[') {
            Some(open) => {
                out.push_str(text.get(..open).unwrap_or(""));
                out.push_str(text.get(open + 1..).unwrap_or(""));
            }
            None => out.push_str(text),
        }
        let end = if rest.get(close + 1..close + 2) == Some("(") {
            ')'
        } else {
            ']'
        };
        let after = rest.get(close + 2..).unwrap_or("");
        // The target, up to its closing bracket, is not shown.
        rest = after
            .find(end)
            .and_then(|at| after.get(at + 1..))
            .unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Whether every list is lowercase and in byte order, as [`is_word_in`] needs: for
/// the word lists' tests.
#[cfg(test)]
pub(crate) fn sorted_lowercase(list: &[&str]) -> bool {
    list.windows(2).all(|w| w.first() < w.get(1))
        && list
            .iter()
            .all(|w| !w.bytes().any(|b| b.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::{code_lines, ends_with_folded, has_scheme};

    /// The two link tests the runbook rules share (a page of the repository, a
    /// script or markdown file by its name). See: #11.
    #[test]
    fn schemes_and_folded_suffixes() {
        for dest in [
            "https://x.io/a.md",
            "mailto:ops@x.io",
            "tel:+441234",
            "svn+ssh://h/r",
        ] {
            assert!(has_scheme(dest), "{dest}");
        }
        for dest in [
            "../common/logs.md",
            "/kubernetes/app/",
            "#anchor",
            ":x",
            "a/b:c",
        ] {
            assert!(!has_scheme(dest), "{dest}");
        }
        assert!(ends_with_folded("../Get-Shards.SH", ".sh"));
        assert!(ends_with_folded("runbook.md.erb", ".md.erb"));
        assert!(!ends_with_folded("sh", ".sh"));
        assert!(!ends_with_folded("notes.md", ".markdown"));
    }

    #[test]
    fn code_lines_are_a_blocks_body_without_its_fences() {
        let fenced: Vec<_> = code_lines("```shell\n> slowlog get 10\n1) 5100\n```").collect();
        assert_eq!(fenced, ["> slowlog get 10", "1) 5100"]);
        let tilde: Vec<_> = code_lines("~~~\nexport A=1\n~~~").collect();
        assert_eq!(tilde, ["export A=1"]);
        // An indented block has no fence: its first line is code.
        let indented: Vec<_> = code_lines("    kubectl get pods\n    NAME READY").collect();
        assert_eq!(indented, ["    kubectl get pods", "    NAME READY"]);
    }
}
