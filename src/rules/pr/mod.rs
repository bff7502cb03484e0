//! Rules for the pull-request description.

mod empty_section;
mod nothing_to_check;
mod required_section;
mod unchecked_task;

pub use empty_section::{EmptySection, TEMPLATE_PATHS};
pub use nothing_to_check::NothingToCheck;
pub use required_section::RequiredSection;
pub(crate) use required_section::missing as missing_section;
pub use unchecked_task::UncheckedTask;

use crate::markdown::{Document, Heading, HeadingMatcher, Section, normalize_heading};
use crate::rules::settings::SectionRequirement;
use crate::rules::{LintContext, Severity};

/// The section `req` names: the first whose heading `req` matches and no other
/// required section matches better (covers more of it).
pub(crate) fn find_required<'d>(
    doc: &'d Document<'_>,
    required: &[SectionRequirement],
    req: &SectionRequirement,
) -> Option<&'d Section> {
    doc.sections
        .iter()
        .find(|s| claims(doc, required, req, doc.heading(s)))
        .or_else(|| {
            // A question-style template heading holds a name of several words:
            // "Are there any user-facing changes?", "Does this PR introduce a
            // breaking change?". Only when no heading begins with a name, and no
            // other required section claims the heading.
            doc.sections.iter().find(|s| {
                let heading = doc.heading(s);
                req.matcher.holds_phrase(doc, heading)
                    && required.iter().all(|other| {
                        std::ptr::eq(other, req) || !other.matcher.matches_heading(doc, heading)
                    })
            })
        })
}

/// Whether `heading` belongs to `req` among all `required` sections: the whole
/// heading, or one of the parts of a heading that joins two questions or names
/// ("What this PR does / why we need it" is Kubernetes' template's heading for
/// both "What this does" and "Why"; "What changed and why", "Risks & rollback").
pub(crate) fn claims(
    doc: &Document<'_>,
    required: &[SectionRequirement],
    req: &SectionRequirement,
    heading: &Heading<'_>,
) -> bool {
    best_for(required, req, |m| m.score_heading(doc, heading))
        || any_joined_part(&heading.text, doc.normalized(heading), |part| {
            best_for(required, req, |m| part_score(m, part))
        })
}

/// Whether `req` matches by `score` and no other required section matches better.
fn best_for(
    required: &[SectionRequirement],
    req: &SectionRequirement,
    score: impl Fn(&HeadingMatcher) -> Option<u32>,
) -> bool {
    let Some(mine) = score(&req.matcher) else {
        return false;
    };
    required.iter().all(|other| {
        std::ptr::eq(other, req) || score(&other.matcher).is_none_or(|theirs| theirs <= mine)
    })
}

/// Whether `f` holds for a part of a heading that joins two or more with "/",
/// "&" or "and" (`text` as written, `normalized` as [`normalize_heading`] makes
/// it). Most headings join nothing: two byte scans, and no copy unless "/" or "&"
/// joins (normalising makes them spaces).
fn any_joined_part(text: &str, normalized: &str, f: impl FnMut(&str) -> bool) -> bool {
    if memchr::memchr2(b'/', b'&', text.as_bytes()).is_some() {
        joined_parts(text).iter().map(String::as_str).any(f)
    } else if memchr::memmem::find(normalized.as_bytes(), b" and ").is_some() {
        parts_of(normalized).any(f)
    } else {
        false
    }
}

/// The parts of a heading that joins two or more with "/", "&" or "and", each
/// normalised as a heading is ("what this pr does", "why we need it"); none for
/// a heading that joins nothing.
fn joined_parts(text: &str) -> Vec<String> {
    let normalized = normalize_heading(&text.replace(['/', '&'], " and "));
    parts_of(&normalized).map(str::to_string).collect()
}

/// The parts of a normalised heading between " and "s, when there are two or more.
fn parts_of(normalized: &str) -> impl Iterator<Item = &str> {
    let parts = || {
        normalized
            .split(" and ")
            .map(|p| p.trim_start_matches("and ").trim_end_matches(" and").trim())
            .filter(|p| !p.is_empty() && *p != "and")
    };
    let joined = parts().nth(1).is_some();
    parts().filter(move |_| joined)
}

/// How well `matcher` names one part of a joined heading: a part must be a name
/// or alias, or begin with one of two words or more. "BEFORE/AFTER SCREENSHOTS"
/// asks for pictures, not for the behaviour change that "After" alone names.
fn part_score(matcher: &HeadingMatcher, part: &str) -> Option<u32> {
    matcher
        .score_normalized_text(part)
        .filter(|&words| words >= 2)
}

/// The severity a required section is checked at, or `None` when it does not
/// apply to this PR (turned off, or waived by its conditions).
pub(crate) fn section_severity(cx: &LintContext<'_>, req: &SectionRequirement) -> Option<Severity> {
    if !req.conditions.applies(cx.facts) {
        return None;
    }
    match req.severity {
        Some(level) => level,
        None => Some(cx.severity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_that_joins_two_questions_has_both_as_parts() {
        assert_eq!(
            joined_parts("What this PR does / why we need it:"),
            ["what this pr does", "why we need it"]
        );
        assert_eq!(joined_parts("Risks & rollback"), ["risks", "rollback"]);
        assert_eq!(
            joined_parts("What changed AND why?"),
            ["what changed", "why"]
        );
        assert_eq!(
            joined_parts("BEFORE/AFTER SCREENSHOTS OR ANIMATED GIF"),
            ["before", "after screenshots or animated gif"]
        );
        assert!(joined_parts("Why this change").is_empty());
        assert!(joined_parts("Bread and").is_empty());
        assert!(joined_parts("/").is_empty());
    }

    #[test]
    fn each_part_of_a_joined_heading_belongs_to_the_section_it_names() {
        let section = |name: &str, aliases: &[&str]| SectionRequirement {
            matcher: HeadingMatcher::new(name, aliases.iter().copied()),
            severity: None,
            conditions: crate::rules::settings::Conditions::default(),
        };
        // As the recommended preset names them.
        let required = [
            section("What this does", &["What this PR does", "Summary"]),
            section("Why", &["Motivation", "Why we need it"]),
            section("Expected behavior change", &["Behavior change", "After"]),
        ];
        let doc = Document::parse(
            "## What this PR does / why we need it\n\nText.\n\n## BEFORE/AFTER SCREENSHOTS\n\nNone.\n",
        );
        let named = |name: &str| {
            let req = required
                .iter()
                .find(|r| r.matcher.name() == name)
                .expect("a section of the list above");
            find_required(&doc, &required, req).map(|s| doc.heading(s).text.to_string())
        };
        let joined = Some("What this PR does / why we need it".to_string());
        assert_eq!(named("What this does"), joined);
        assert_eq!(named("Why"), joined);
        // "After" alone names the behaviour change; "after screenshots" does not.
        assert_eq!(named("Expected behavior change"), None);
    }
}
