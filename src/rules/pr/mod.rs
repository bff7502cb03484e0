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

use crate::markdown::{Document, Heading, Section};
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

/// Whether `heading` belongs to `req` among all `required` sections.
pub(crate) fn claims(
    doc: &Document<'_>,
    required: &[SectionRequirement],
    req: &SectionRequirement,
    heading: &Heading<'_>,
) -> bool {
    let Some(mine) = req.matcher.score_heading(doc, heading) else {
        return false;
    };
    required.iter().all(|other| {
        std::ptr::eq(other, req)
            || other
                .matcher
                .score_heading(doc, heading)
                .is_none_or(|theirs| theirs <= mine)
    })
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
