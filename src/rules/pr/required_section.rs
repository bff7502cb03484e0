use crate::rules::settings::SectionRequirement;
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every section the configuration requires in a PR description is there.
    /// The recommended preset requires "What this does", "Why", "Expected behavior
    /// change" and "If something seems wrong after this ships" (the last two are
    /// waived for PRs that change only documentation).
    ///
    /// A section is found by its heading at any level (`#` to `######`, or Setext),
    /// or by bold text alone on the first line of a paragraph (`**Why**`), matched
    /// without regard to case, punctuation or emoji, against its name and aliases
    /// (`Summary` for "What this does", `Rollback plan` for "If something seems
    /// wrong after this ships", …). A heading may also begin with a name, or, when
    /// none does, hold a name of two words or more ("Are there any user-facing
    /// changes?").
    ///
    /// ## Why it matters at 3am
    /// The engineer paged for an incident opens the PR that shipped an hour ago. If
    /// the description does not say what the change does, why, what behaviour to
    /// expect and what to check when something seems wrong, they have to reverse-
    /// engineer the diff while the site is down.
    ///
    /// ## Example
    /// ```markdown
    /// Bumped the pool size.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## What this does
    /// Raises the DB pool from 20 to 40 connections per pod.
    /// ## Why
    /// Checkout p99 spiked when the pool ran dry during the sale.
    /// ## Expected behavior change
    /// Fewer `pool timeout` errors; about 2× more connections on the primary.
    /// ## If something seems wrong after this ships
    /// If primary CPU passes 80%, set `DB_POOL_SIZE=20` and redeploy.
    /// ```
    ///
    /// ## Options
    /// The sections come from `description.sections` (name, aliases, severity,
    /// `when`/`unless` conditions, `enabled`); the rule's severity is the default for
    /// each section.
    pub struct RequiredSection {
        id: "pr/required-section",
        summary: "a section the configuration requires in the PR description is missing",
        default_severity: Error,
        applies_to: Description,
    }
}

impl Rule for RequiredSection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        for req in cx.required {
            if let Some(f) = missing(cx, &Self::META, req) {
                out.push(f);
            }
        }
    }
}

/// A finding when `req` applies and no heading matches it. Shared with
/// `runbook/required-section`.
pub(crate) fn missing(
    cx: &LintContext<'_>,
    meta: &RuleMeta,
    req: &SectionRequirement,
) -> Option<Finding> {
    let severity = super::section_severity(cx, req)?;
    if super::find_required(cx.doc, cx.required, req).is_some() {
        return None;
    }
    let name = req.matcher.name();
    let closest = closest_heading(cx, req);
    let mut message = ["missing section \"", name, "\""].concat();
    if let Some((heading, line)) = &closest {
        message.push_str(&format!(" (closest heading: \"{heading}\", line {line})"));
    }
    let mut f = cx.finding(meta, 0..0, message);
    f.severity = severity;
    f.help = Some(help(cx, req, closest.as_ref().map(|(h, _)| h.as_str())).into());
    f.missing_section = Some(name.to_string());
    Some(f)
}

/// Words too common to say two headings are about the same thing (sorted: a
/// binary search per word).
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "any", "are", "as", "at", "be", "by", "do", "does", "for", "from", "how",
    "if", "in", "is", "it", "of", "on", "or", "our", "pr", "should", "that", "the", "this", "to",
    "was", "we", "what", "when", "which", "why", "with", "you", "your",
];

/// The heading present that is most like `req` (shares a significant word with its
/// name or an alias, or is a near spelling of one) and that no other required
/// section claims, with its line.
fn closest_heading(cx: &LintContext<'_>, req: &SectionRequirement) -> Option<(String, usize)> {
    let doc = cx.doc;
    let forms: Vec<(&str, Vec<&str>)> = req
        .matcher
        .forms()
        .iter()
        .map(|f| (f.as_str(), significant_words(f).collect()))
        .collect();
    // Every significant word of every form, sorted: a heading none of whose words
    // is here shares no word with any form, and only near spellings are tried.
    let mut all_words: Vec<&str> = forms.iter().flat_map(|(_, w)| w.iter().copied()).collect();
    all_words.sort_unstable();
    all_words.dedup();
    let mut best: Option<(f64, &crate::markdown::Heading<'_>)> = None;
    // One buffer for every heading's words: most runbooks get this finding.
    let mut words: Vec<&str> = Vec::new();
    // The first headings are enough to find a near name; a document with thousands
    // of headings is not read whole for a suggestion.
    for heading in doc.headings.iter().take(MAX_CANDIDATES) {
        let text = doc.normalized(heading);
        if text.is_empty()
            || cx.required.iter().any(|other| {
                !std::ptr::eq(other, req) && other.matcher.matches_heading(doc, heading)
            })
        {
            continue;
        }
        words.clear();
        words.extend(significant_words(text).filter(|w| all_words.binary_search(w).is_ok()));
        let score = forms
            .iter()
            .map(|(form, form_words)| likeness(form, form_words, text, &words))
            .fold(0.0, f64::max);
        if score > 0.0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, heading));
        }
    }
    let (_, heading) = best?;
    let line = doc
        .source()
        .get(..heading.span.start)
        .map_or(0, |t| memchr::memchr_iter(b'\n', t.as_bytes()).count())
        + 1;
    Some((heading.text.to_string(), line))
}

/// How many headings a suggestion looks at: a near name is among the first
/// headings of a page, and a page with hundreds of headings would otherwise cost
/// as much as dozens of ordinary ones.
const MAX_CANDIDATES: usize = 60;

fn significant_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ')
        // Every stop word is short: most words need no search.
        .filter(|w| w.len() > 6 || STOP_WORDS.binary_search(w).is_err())
        .map(|w| w.trim_end_matches('s'))
}

/// How alike a form and a heading are: the significant words they share, or a
/// near spelling (edit distance within a fifth of the longer), 0 when neither.
fn likeness(form: &str, form_words: &[&str], heading: &str, heading_words: &[&str]) -> f64 {
    let shared = heading_words
        .iter()
        .filter(|w| form_words.contains(w))
        .count();
    if shared > 0 {
        return shared as f64;
    }
    let (a, b) = (form.len(), heading.len());
    let longest = a.max(b);
    // Lengths further apart than a fifth cannot be within the distance, and a
    // misspelling keeps its first letter: skip the quadratic edit distance
    // otherwise (a heading may be megabytes long; most runbooks get this finding).
    if longest < 4
        || a.abs_diff(b) * 5 > longest
        || form.as_bytes().first() != heading.as_bytes().first()
    {
        return 0.0;
    }
    if strsim::levenshtein(form, heading) * 5 <= longest {
        0.5
    } else {
        0.0
    }
}

/// Where to write the section, what names it goes by, and the configuration line
/// that would accept the closest heading as it.
fn help(cx: &LintContext<'_>, req: &SectionRequirement, closest: Option<&str>) -> String {
    let name = req.matcher.name();
    let own = crate::markdown::normalize_heading(name);
    let aliases: Vec<&str> = req
        .matcher
        .forms()
        .iter()
        .map(String::as_str)
        .filter(|f| *f != own)
        .collect();
    let mut help = [
        "add a heading \"## ",
        name,
        "\" (any level, or **",
        name,
        "** alone on a line) and fill it in",
    ]
    .concat();
    if !aliases.is_empty() {
        help.push_str("; also accepted: ");
        help.push_str(
            &aliases
                .iter()
                .take(8)
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        );
        if aliases.len() > 8 {
            help.push_str(", …");
        }
    }
    if let Some(heading) = closest {
        let key = if cx.target.path().is_some() {
            "runbook"
        } else {
            "description"
        };
        help.push_str(&format!(
            "; or, if \"{heading}\" is this section, accept it in .github/lint-pr.yml: `{key}: {{sections: [{{name: \"{name}\", aliases: [\"{heading}\"]}}]}}`"
        ));
    }
    help
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn likeness_counts_shared_words_and_near_spellings() {
        let words: Vec<&str> = significant_words("things to watch").collect();
        assert_eq!(
            likeness("what to watch", &["watch"], "things to watch", &words),
            1.0
        );
        let none: Vec<&str> = Vec::new();
        assert_eq!(
            likeness("escalation", &["escalation"], "escalaton", &none),
            0.5
        );
        assert_eq!(
            likeness("escalation", &["escalation"], "monitoring", &none),
            0.0
        );
    }
}
