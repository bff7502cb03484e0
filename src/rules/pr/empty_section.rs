use std::collections::HashSet;

use regex::Regex;

use crate::markdown::{Document, HeadingKind, Lookup, Span, normalize};
use crate::rules::options::{Flag, Regexes};
use crate::rules::text::{content_lines, is_empty_section, is_word_in, strip_markers};
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

/// Where GitHub looks for a repository's pull-request template, in the order
/// lint-pr tries them (the first that exists is the template). The CLI reads them
/// from the repository on disk; the App fetches them at the PR's base commit.
/// (GitHub also accepts any letter case and a `PULL_REQUEST_TEMPLATE/` folder of
/// several templates; those are not read.)
pub const TEMPLATE_PATHS: &[&str] = &[
    ".github/pull_request_template.md",
    ".github/PULL_REQUEST_TEMPLATE.md",
    "PULL_REQUEST_TEMPLATE.md",
    "pull_request_template.md",
    "docs/pull_request_template.md",
    "docs/PULL_REQUEST_TEMPLATE.md",
];

declare_rule! {
    /// ## What it checks
    /// That every required section that is present holds something real. A section
    /// is empty when all it contains is whitespace, HTML comments (the hints PR
    /// templates leave in `<!-- -->`), template placeholder text (`[describe the
    /// change]`, `Describe your change here`), lines left unchanged from the
    /// repository's own PR template (its questions left unanswered), or "N/A",
    /// "TBD", "TODO", "-", or an answer that only points at the title ("WISOTT",
    /// "See title", "As titled", "Self-explanatory"). A section that only points elsewhere —
    /// references to issues or PRs and the words that tie them ("Resolves #6219",
    /// "Part of #6331", "Closes https://github.com/o/r/issues/7") — is reported as
    /// such: the reader has to leave the description to learn anything (a review
    /// bot's command beside them, "/assign @alice" or "/kind bug", says nothing
    /// either). A line with
    /// words of its own ("Fixes #12: exports time out") or a screenshot answers it.
    ///
    /// The repository's template is read from where GitHub reads it:
    /// `.github/`, the repository's root or `docs/`, named
    /// `pull_request_template.md` or `PULL_REQUEST_TEMPLATE.md` (the first found);
    /// by the CLI from the checkout, by the App at the PR's base commit. A line is
    /// unchanged when it is the same as a line of the template, list markers and
    /// task boxes included: a ticked `- [x] No` under the template's `- [ ] No` is
    /// an answer.
    ///
    /// A heading that answers two required sections ("What this PR does / why we
    /// need it") is reported once. A screenshot GitHub uploads (`<img … src="…">`)
    /// is an answer, not a `<placeholder>`.
    ///
    /// A section that repeats an earlier required section word for word ("Why?"
    /// pasted from "What changed?") is reported as a copy. The first section of a
    /// description is not empty when the author wrote the answer above it, before
    /// the template's first heading (at least 8 words).
    ///
    /// ## Why it matters at 3am
    /// An unfilled template looks complete at a glance, so nobody asks for the
    /// missing information in review. At 3am the heading "Rollback plan" followed by
    /// a template comment is worse than no heading: it promised an answer.
    ///
    /// ## Example
    /// ```markdown
    /// ## Why
    /// <!-- Explain the motivation for this change -->
    ///
    /// ## Rollback plan
    /// N/A
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Why
    /// Nightly exports time out since the table passed 40M rows.
    ///
    /// ## Rollback plan
    /// Revert this PR; the migration is additive, so no data change is needed.
    /// ```
    ///
    /// ## Options
    /// `placeholders`: regexes matched against each content line (list markers,
    /// task boxes and emphasis stripped); a section whose every line matches one
    /// (or is a line of the repository's PR template) is empty. The recommended
    /// preset lists the common ones.
    ///
    /// `references_answer` (default `false`): `true` lets a section that holds only
    /// references ("Fixes #123") count as answered, for a team whose template asks
    /// for nothing more there.
    pub struct EmptySection {
        id: "pr/empty-section",
        summary: "a required section is present but holds only whitespace, comments, placeholders or N/A",
        default_severity: Error,
        applies_to: Description,
        options: [EmptySection::PLACEHOLDERS.0, EmptySection::REFERENCES_ANSWER.decl],
    }
}

impl EmptySection {
    const REFERENCES_ANSWER: Flag = Flag::new(
        "references_answer",
        false,
        "whether a section holding only references to issues or PRs (\"Fixes #123\") counts as answered",
    );

    const PLACEHOLDERS: Regexes = Regexes::new(
        "placeholders",
        "regexes",
        "regexes of template text that means \"not filled in yet\", matched against each line of a section",
    );
}

impl Rule for EmptySection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let placeholders = Self::PLACEHOLDERS.get(cx.options);
        let references_answer = Self::REFERENCES_ANSWER.get(cx.options);
        // Read only when a section has content that is not a placeholder.
        let mut template: Option<Option<Template>> = None;
        // The answers of the sections read so far, to tell a copy.
        let mut answers: Vec<(&str, String)> = Vec::new();
        // The headings read so far: one two required sections share ("What this
        // PR does / why we need it") is read, and reported, once.
        let mut read: Vec<usize> = Vec::new();
        for req in cx.required {
            let Some(severity) = super::section_severity(cx, req) else {
                continue;
            };
            // A heading that joins two questions ("What this PR does / why we
            // need it") is found for each.
            let Some(section) = cx
                .doc
                .find_section(&req.matcher)
                .or_else(|| super::find_required(cx.doc, cx.required, req))
            else {
                continue;
            };
            let heading = cx.doc.heading(section);
            if read.contains(&heading.span.start) {
                continue;
            }
            read.push(heading.span.start);
            let own = own_content(cx, section);
            let lines = content_lines(cx.doc, &own);
            let empty = is_empty_section(&lines, placeholders);
            let report = |message: String, help: String| {
                let mut f = cx.finding(&Self::META, heading.span.clone(), message);
                f.severity = severity;
                f.help = Some(help.into());
                f
            };
            if empty && answered_above(cx.doc, heading) {
                continue;
            }
            if !empty {
                // "Why?" that repeats "What changed?" word for word says no more.
                let answer = words_of(cx.doc, &own);
                if let Some((first, _)) = answers.iter().find(|(_, a)| *a == answer) {
                    out.push(report(
                        format!("section \"{}\" only repeats section \"{first}\"", heading.text),
                        "answer this section's own question: a copy of another section tells the reader nothing new".into(),
                    ));
                    continue;
                }
                answers.push((heading.text.as_ref(), answer));
            }
            if !empty
                && !references_answer
                && let Some(reference) = only_references(&lines)
            {
                if !answered_above(cx.doc, heading) {
                    let reference = short_reference(reference);
                    out.push(report(
                        format!("section \"{}\" only points at {reference}", heading.text),
                        format!("say it here in a sentence or two: at 3am the reader has this description, not the thread behind {reference} (keep the reference too, so GitHub links and closes it)"),
                    ));
                }
                continue;
            }
            if !empty {
                let template = template.get_or_insert_with(|| Template::find(cx));
                if !template
                    .as_ref()
                    .is_some_and(|t| t.leaves_unanswered(cx.doc, &own, placeholders))
                {
                    continue;
                }
            }
            out.push(report(
                format!("section \"{}\" is empty", heading.text),
                "write the answer under the heading; template comments, placeholders, lines left as the PR template has them, N/A/TBD/TODO and pointers to the title (\"WISOTT\", \"see title\") do not count".into(),
            ));
        }
    }
}

/// The part of `section` that answers it: its body up to the first nested section
/// that is itself another required section. `## Why` left empty and followed by
/// `**Rollback plan**` with text is empty, though the bold line nests under it.
/// A section's answer as words, for comparing two sections: comments left out,
/// white space and case folded.
fn words_of(doc: &Document<'_>, range: &Span) -> String {
    doc.text_without_comments(range)
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// At least this many words before the first heading, and a description written
/// above the template answers its first section.
const MIN_PREAMBLE_WORDS: usize = 8;

/// Whether an empty section is the first heading of a description whose author
/// wrote the answer above it: "Trying to reference docs … found the link sends you
/// to a 404" and then the template's empty "#### Description".
fn answered_above(doc: &Document<'_>, heading: &crate::markdown::Heading<'_>) -> bool {
    let first = doc
        .headings
        .first()
        .is_some_and(|h| std::ptr::eq(h, heading));
    first
        && doc
            .text_without_comments(&(0..heading.span.start))
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic) && !w.contains("://"))
            .nth(MIN_PREAMBLE_WORDS - 1)
            .is_some()
}

fn own_content(cx: &LintContext<'_>, section: &crate::markdown::Section) -> crate::markdown::Span {
    let doc = cx.doc;
    let this = doc.heading(section);
    let nested = doc
        .sections
        .iter()
        .filter(|s| s.body.start > section.body.start && s.body.end <= section.body.end);
    let other_required = nested.map(|s| doc.heading(s)).find(|h| {
        !std::ptr::eq(*h, this)
            && cx.required.iter().any(|r| {
                super::claims(doc, cx.required, r, h) && !r.matcher.matches_heading(doc, this)
            })
    });
    match other_required {
        Some(h) => section.body.start..h.span.start.max(section.body.start),
        None => section.body.clone(),
    }
}

/// A GitHub issue or PR URL as GitHub writes it in text (`owner/repo#12`), for a
/// message that fits on a line; anything else as it is.
fn short_reference(reference: &str) -> std::borrow::Cow<'_, str> {
    let short = reference
        .strip_prefix("https://github.com/")
        .and_then(|rest| {
            let mut parts = rest.split('/');
            let (owner, repo, kind, number) =
                (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
            let number = number.split(['#', '?']).next()?;
            (matches!(kind, "issues" | "pull")
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit()))
            .then(|| format!("{owner}/{repo}#{number}"))
        });
    short.map_or(
        std::borrow::Cow::Borrowed(reference),
        std::borrow::Cow::Owned,
    )
}

/// Words that tie references together and say nothing of their own: how this
/// PR relates to another issue or PR ("Fixes #123", "Part of #6331", "This is a
/// follow up to #12911 and is prep for #12801", "Alternative to #6511", "Closes
/// https://github.com/o/r/issues/7"). Sorted, lowercase.
#[rustfmt::skip]
const LINKING_WORDS: &[&str] = &[
    "a", "addresses", "also", "alternative", "an", "and", "backport", "close", "closed", "closes",
    "depends", "fix", "fixed", "fixes", "follow", "follow-up", "followup", "for", "implements",
    "in", "is", "issue", "issues", "of", "on", "part", "partially", "prep", "re", "ref", "refs",
    "related", "relates", "replaces", "resolve", "resolved", "resolves", "revert", "reverts",
    "see", "supersedes", "the", "this", "to", "toward", "towards", "up",
];

/// Whether a word (punctuation around it already trimmed) points at an issue
/// or PR elsewhere: `#123`, `owner/repo#123`, a tracker key such as `PROJ-123`,
/// or the URL of an issue, PR, merge request or discussion.
fn is_reference(word: &str) -> bool {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if word.starts_with("http://") || word.starts_with("https://") {
        // An issue or PR on any tracker; a dashboard or a screenshot is an answer.
        return [
            "/issues/",
            "/issue/",
            "/pull/",
            "/pulls/",
            "/merge_requests/",
            "/discussions/",
            "/browse/",
        ]
        .iter()
        .any(|p| word.contains(p));
    }
    if let Some((before, n)) = word.rsplit_once('#') {
        return number(n) && (before.is_empty() || before.split('/').count() == 2);
    }
    word.rsplit_once('-').is_some_and(|(key, n)| {
        number(n)
            && !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && key.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
    })
}

/// The first reference of a section whose every content line is only references
/// and the words that tie them ([`LINKING_WORDS`]): "Resolves #6219", "Closes
/// https://github.com/o/r/issues/7", "Part of #6331". The reader must leave the
/// description to learn anything; a line with a word of its own ("Fixes #12:
/// exports time out") is an answer.
fn only_references(lines: &[String]) -> Option<&str> {
    let mut first = None;
    for line in lines.iter().filter(|l| !is_bot_command(l)) {
        // An image (a screenshot of the change) shows something of its own.
        if line.contains("![") || line.contains("<img") {
            return None;
        }
        // Link markup around a reference: `[#12](https://…)`.
        for word in line.split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '(' | ')')) {
            let word = word.trim_matches(|c: char| {
                matches!(
                    c,
                    ',' | '.' | ':' | ';' | '!' | '&' | '*' | '_' | '`' | '"' | '\''
                )
            });
            if word.is_empty() || is_word_in(LINKING_WORDS, word) {
                continue;
            }
            if !is_reference(word) {
                return None;
            }
            first.get_or_insert(word);
        }
    }
    first
}

/// A command to a review bot on a line of its own, as Kubernetes' Prow reads
/// them ("/assign @alice", "/kind bug", "/sig network", "/lgtm"): it tells
/// the reader nothing about the change. (A path, "/etc/hosts is read", has a
/// second slash in its first word.)
fn is_bot_command(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    first.strip_prefix('/').is_some_and(|name| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
    })
}

/// The repository's PR template, as the set of its content lines.
struct Template {
    lines: HashSet<String>,
}

impl Template {
    /// The first template found at [`TEMPLATE_PATHS`], if any.
    fn find(cx: &LintContext<'_>) -> Option<Template> {
        let text = TEMPLATE_PATHS
            .iter()
            .find_map(|path| match cx.files.lookup(path) {
                Lookup::Found(text) => Some(text),
                Lookup::Missing | Lookup::Unknown => None,
            })?;
        let text = normalize(&text);
        let doc = Document::parse(&text);
        let lines: HashSet<String> = answer_lines(&doc, &(0..text.len())).collect();
        (!lines.is_empty()).then_some(Template { lines })
    }

    /// Whether every content line of `range` is a line of the template or a
    /// placeholder: the author left the template's text as it was.
    fn leaves_unanswered(&self, doc: &Document<'_>, range: &Span, placeholders: &[Regex]) -> bool {
        answer_lines(doc, range).all(|line| {
            self.lines.contains(&line) || {
                let stripped = strip_markers(&line);
                placeholders.iter().any(|p| p.is_match(&stripped))
            }
        })
    }
}

/// The lines of `range` that could hold an answer, comparable between the
/// description and the template: comments cut out, sub-heading lines and lines
/// without a letter or digit dropped, spaces collapsed; list markers and task
/// boxes kept (ticking a box answers it).
fn answer_lines<'d>(doc: &'d Document<'_>, range: &Span) -> impl Iterator<Item = String> + 'd {
    let headings: Vec<String> = Document::within(&doc.headings, range)
        .iter()
        .filter(|h| h.kind != HeadingKind::Bold)
        .map(|h| doc.text(&h.span).trim().to_string())
        .collect();
    let text = doc.text_without_comments(range);
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| l.chars().any(char::is_alphanumeric))
        .filter(|l| !headings.iter().any(|h| h.lines().any(|hl| hl.trim() == l)))
        .collect();
    lines.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_bot_commands_say_nothing_beside_a_reference() {
        assert!(is_bot_command("/assign @juanvallejo @Pingan2017"));
        assert!(is_bot_command("/kind cleanup"));
        assert!(is_bot_command("/lgtm"));
        assert!(!is_bot_command("/etc/hosts is read at start-up"));
        assert!(!is_bot_command("/"));
        let lines = [
            "Fixes #69144".to_string(),
            "/assign @juanvallejo".to_string(),
        ];
        assert_eq!(only_references(&lines), Some("#69144"));
        let lines = ["Fixes #69144: exports time out".to_string()];
        assert_eq!(only_references(&lines), None);
    }
}
