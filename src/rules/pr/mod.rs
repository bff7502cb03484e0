//! Rules for the pull-request description.

mod empty_section;
mod required_section;
mod unchecked_task;

pub use empty_section::EmptySection;
pub use required_section::RequiredSection;
pub(crate) use required_section::missing as missing_section;
pub use unchecked_task::UncheckedTask;

use crate::rules::settings::SectionRequirement;
use crate::rules::{LintContext, Severity};

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
