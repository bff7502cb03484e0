//! Rules for runbooks: files matched by `runbook.paths`, or given to `lint-pr runbook`.

mod broken_reference;
mod escalation_without_threshold;
mod kind;
mod looks_at;
mod reading;
mod required_section;
mod shape;
mod step_without_command;
mod step_without_interpretation;
mod steps;
mod triage_first;

pub use broken_reference::BrokenReference;
pub use escalation_without_threshold::EscalationWithoutThreshold;
pub(crate) use escalation_without_threshold::escalation_in_prose;
pub use kind::RunbookKind;
pub use required_section::RequiredSection;
pub use step_without_command::StepWithoutCommand;
pub use step_without_interpretation::StepWithoutInterpretation;
pub use triage_first::TriageFirst;

pub(crate) use shape::{
    Opening, Shape, fix_after_problem, shape_with_kind, stub_reason, title_headings,
};
pub(crate) use steps::StepMemo;
