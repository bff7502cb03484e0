use crate::rules::options::Regexes;
use crate::rules::text::is_empty_section;
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every required section that is present holds something real. A section
    /// is empty when all it contains is whitespace, HTML comments (the hints PR
    /// templates leave in `<!-- -->`), template placeholder text (`[describe the
    /// change]`, `Describe your change here`), or "N/A", "TBD", "TODO", "-".
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
    /// task boxes and emphasis stripped); a section whose every line matches one is
    /// empty. The recommended preset lists the common ones.
    pub struct EmptySection {
        id: "pr/empty-section",
        summary: "a required section is present but holds only whitespace, comments, placeholders or N/A",
        default_severity: Error,
        applies_to: Description,
        options: [EmptySection::PLACEHOLDERS.0],
    }
}

impl EmptySection {
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
        for req in cx.required {
            let Some(severity) = super::section_severity(cx, req) else {
                continue;
            };
            let Some(section) = cx.doc.find_section(&req.matcher) else {
                continue;
            };
            let own = own_content(cx, section);
            if !is_empty_section(cx.doc, &own, placeholders) {
                continue;
            }
            let heading = cx.doc.heading(section);
            let mut f = cx.finding(
                &Self::META,
                heading.span.clone(),
                format!("section \"{}\" is empty", heading.text),
            );
            f.severity = severity;
            f.help = Some(
                "write the answer under the heading; template comments, placeholders and N/A/TBD/TODO do not count"
                    .into(),
            );
            out.push(f);
        }
    }
}

/// The part of `section` that answers it: its body up to the first nested section
/// that is itself another required section. `## Why` left empty and followed by
/// `**Rollback plan**` with text is empty, though the bold line nests under it.
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
