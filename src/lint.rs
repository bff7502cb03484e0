//! The one entry point the CLI and the server share: inputs and a configuration
//! in, a [`Report`] out. Because both call [`run`], their conclusions cannot drift.

use crate::config::{CompiledConfig, ConfigError};
use crate::markdown::{Buffers, Document, FileLookup, normalize};
use crate::report::{Report, Skipped};
use crate::rules::custom::CustomTarget;
use crate::rules::options::Options;
use crate::rules::{self, AppliesTo, Common, LintContext};
use crate::types::{Conclusion, Drafts, Facts, Finding, Severity, Target};

/// A runbook to lint: its path (repository-relative, or as given) and its text.
#[derive(Debug, Clone, Copy)]
pub struct RunbookInput<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

/// What to lint.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The PR title, for custom rules `in: title`.
    pub title: Option<&'a str>,
    /// The PR description; `None` when there is none to lint (only files).
    pub description: Option<&'a str>,
    pub facts: Facts<'a>,
    pub runbooks: &'a [RunbookInput<'a>],
    /// Other files, for links between runbooks.
    pub files: &'a dyn FileLookup,
}

/// Lint everything in `inputs` with `config`.
pub fn run(inputs: &Inputs<'_>, config: &CompiledConfig) -> Report {
    let mut report = Report::new(config.mode);
    // Conditions read the PR's facts, which are the same for every document.
    let severities: Vec<Option<Severity>> = rules::RULES
        .iter()
        .map(|r| config.severity_for(r.meta().id, &inputs.facts))
        .collect();
    let options: Vec<&Options> = rules::RULES
        .iter()
        .map(|r| &config.rule(r.meta().id).options)
        .collect();
    let common = Common::new(|meta| &config.rule(meta.id).options);

    report.notes.extend(config.notes.iter().cloned());
    let mut linter = Linter {
        config,
        inputs,
        severities: &severities,
        options: &options,
        common,
        buffers: Buffers::default(),
    };
    if let Some(title) = inputs.title.filter(|_| {
        config
            .custom
            .iter()
            .any(|c| c.target == CustomTarget::Title)
    }) {
        linter.lint(title, Kind::Title, &Target::Title, &mut report);
    }
    if let Some(body) = inputs.description {
        linter.lint(body, Kind::Description, &Target::Description, &mut report);
        report.notes.extend(waived_sections(config, &inputs.facts));
    }
    for rb in inputs.runbooks {
        let target = Target::File(rb.path.into());
        linter.lint(rb.text, Kind::Runbook, &target, &mut report);
    }
    report
}

/// Notes naming the required description sections this PR is not asked for
/// and why (the recommended preset waives its last two when every changed file
/// is documentation), so that an author who sees no finding for them knows why.
fn waived_sections<'c>(
    config: &'c CompiledConfig,
    facts: &'c Facts<'_>,
) -> impl Iterator<Item = String> + 'c {
    let checked = config.severity_for("pr/required-section", facts).is_some();
    config
        .description_sections
        .iter()
        .filter(move |s| checked && s.severity != Some(None))
        .filter_map(|s| {
            let why = s.conditions.waived_by(facts)?;
            Some(format!(
                "section \"{}\" is not required for this PR: {why}",
                s.matcher.name()
            ))
        })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Title,
    Description,
    Runbook,
}

/// What stays the same for every text of a run, and the model's allocations,
/// handed from one text to the next.
struct Linter<'r> {
    config: &'r CompiledConfig,
    inputs: &'r Inputs<'r>,
    severities: &'r [Option<Severity>],
    /// Each rule's options, in [`rules::RULES`] order.
    options: &'r [&'r Options],
    common: Common<'r>,
    buffers: Buffers,
}

impl Linter<'_> {
    /// Lint `raw` as its normalised text (line breaks as `\n`) and add the findings
    /// to `report`.
    ///
    /// Most texts have no carriage return, and looking for one first would be a
    /// separate pass over text not yet in cache. So a text
    /// whose first line does not end in `\r\n` is parsed as it is, and checked for
    /// `\r` afterwards, while it is still in cache; the rare one that has some is
    /// normalised and parsed again.
    fn lint(&mut self, raw: &str, kind: Kind, target: &Target, report: &mut Report) {
        let bytes = raw.as_bytes();
        let crlf_first =
            memchr::memchr(b'\n', bytes).is_some_and(|i| i > 0 && bytes.get(i - 1) == Some(&b'\r'));
        if !crlf_first {
            let doc = Document::parse_in(raw, &mut self.buffers);
            if memchr::memchr(b'\r', bytes).is_none() {
                self.check(&doc, kind, target, report);
                doc.recycle(&mut self.buffers);
                return;
            }
            doc.recycle(&mut self.buffers);
        }
        let text = normalize(raw);
        let doc = Document::parse_in(&text, &mut self.buffers);
        self.check(&doc, kind, target, report);
        doc.recycle(&mut self.buffers);
    }

    /// Run the rules that apply to `kind` over `doc`.
    fn check(&self, doc: &Document<'_>, kind: Kind, target: &Target, report: &mut Report) {
        let (config, inputs) = (self.config, self.inputs);
        let mut out = Vec::new();
        let path = target.path().filter(|_| kind == Kind::Runbook);
        let shared = rules::Shared::new(self.common)
            .with_kind(path.and_then(|p| config.runbook_kind(p)))
            .with_path(path);
        let required = match kind {
            Kind::Title => &[][..],
            Kind::Description => &config.description_sections,
            Kind::Runbook => &config.runbook_sections,
        };
        let mut cx = LintContext {
            doc,
            target,
            facts: &inputs.facts,
            files: inputs.files,
            severity: Severity::Error,
            options: &Options::NONE,
            required,
            shared: &shared,
        };
        let wanted = match kind {
            // Built-in rules read descriptions and runbooks; a title has only custom rules.
            Kind::Title => None,
            Kind::Description => Some(AppliesTo::Description),
            Kind::Runbook => Some(AppliesTo::Runbook),
        };
        for ((rule, severity), options) in
            rules::RULES.iter().zip(self.severities).zip(self.options)
        {
            let meta = rule.meta();
            if Some(meta.applies_to) != wanted {
                continue;
            }
            let Some(severity) = *severity else {
                continue;
            };
            cx.severity = severity;
            cx.options = options;
            rule.check(&cx, &mut out);
        }
        let custom_kind = match kind {
            Kind::Title => CustomTarget::Title,
            Kind::Description => CustomTarget::Description,
            Kind::Runbook => CustomTarget::Runbook,
        };
        for custom in config.custom.iter().filter(|c| c.target == custom_kind) {
            let Some(severity) = custom
                .severity
                .filter(|_| custom.conditions.applies(&inputs.facts))
            else {
                continue;
            };
            cx.severity = severity;
            rules::custom::check(custom, &cx, &mut out);
        }
        if let Some(path) = path
            && let Some(reason) = shared.skip_reason(doc)
        {
            report.skipped.push(Skipped {
                path: path.to_string(),
                reason: reason.to_string(),
            });
        }
        report.add(doc.source(), out);
    }
}

/// A draft PR under `drafts: neutral` (the default): it was linted, but its errors
/// conclude `neutral` until it is marked ready for review. When that changes the
/// conclusion, a note says why (the human format, the check run's summary, and
/// stderr for machine formats print it). The CLI and the App both call this after
/// [`run`], with the draft flag of the PR they read.
pub fn hold_draft(report: &mut Report, config: &CompiledConfig, draft: bool) {
    if !draft || config.drafts != Drafts::Neutral {
        return;
    }
    let would_fail = report.conclusion() == Conclusion::Failure;
    report.draft = true;
    if would_fail {
        report.notes.push(
            "this PR is a draft: its errors conclude `neutral` until it is marked ready for review (`drafts: lint` in the configuration makes them fail drafts too)"
                .to_string(),
        );
    }
}

/// A report holding one `config/invalid` finding for `err`. `text` is the content of
/// the file the error is in, when the caller has it (for the code frame).
pub fn config_error_report(err: &ConfigError, text: Option<&str>) -> Report {
    let mut report = Report::new(crate::types::Mode::Enforcing);
    let text = normalize(text.unwrap_or("")).into_owned();
    let index = crate::markdown::LineIndex::new(&text);
    let start = index.offset(&text, err.pos.line, err.pos.column);
    let end = text
        .get(start..)
        .and_then(|r| r.find('\n'))
        .map_or(text.len(), |i| start + i);
    let finding = Finding {
        rule: rules::ConfigInvalid::META.id.into(),
        severity: Severity::Error,
        target: Target::File(err.pos.file.as_str().into()),
        span: start..end.max(start),
        message: err.message.clone(),
        help: Some("fix the configuration; `lint-pr config check` validates it locally".into()),
        missing_section: None,
    };
    report.add_with_position(&text, vec![finding], (err.pos.line, err.pos.column));
    report
}
