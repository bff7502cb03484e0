use std::sync::OnceLock;

use regex::Regex;

use crate::rules::options::Headings;
use crate::rules::settings::SectionRequirement;
use crate::rules::text::prose;
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
    /// changes?"). A heading that joins two questions with "/", "&" or "and"
    /// answers each section a part of it names: Kubernetes' template asks "What
    /// this PR does / why we need it" under one heading, for "What this does" and
    /// "Why" (a part is a name or alias, or begins with one of two words or more:
    /// "BEFORE/AFTER SCREENSHOTS" asks for pictures, not for the behaviour
    /// change that "After" alone names).
    ///
    /// The finding names the heading most like the missing section, when there
    /// is one ("closest heading: \"Manual verification\", line 9"), and the
    /// configuration line that would accept it: a heading that has the first
    /// significant word of one of the section's names ("Verification", "Rollback
    /// plan"), or is a near spelling of one. A name's generic last word ("plan",
    /// "policy") does not make "Test plan" close to "Rollback plan", a verb after
    /// "to" ("When to page") is close only to a heading that begins with it or
    /// has it after "to" (not to "ES integration admin page"), a word that
    /// another required section's names have too ("change" in "What changed" and
    /// "Behavior change") does not make "How was this change tested?" close to
    /// either, a heading over nothing but tick boxes ("Release info" over "- [ ]
    /// posthog-node") answers no section's question, and a runbook's title is
    /// never suggested as one of its sections.
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
    /// A section named in `own_voice` ("What this does" in the recommended preset)
    /// is also there when, under another required section's heading, the author
    /// says what the change does in the PR's own voice: "This PR adds …", "This
    /// change turns …", "While doing this, I removed …". Templates such as cargo's
    /// "What does this PR try to resolve?" ask for the problem and its solution
    /// under one heading.
    ///
    /// ## Options
    /// The sections come from `description.sections` (name, aliases, severity,
    /// `when`/`unless` conditions, `enabled`); the rule's severity is the default for
    /// each section. `own_voice`: the sections a sentence in the PR's own voice
    /// answers when it stands under another required section's heading.
    pub struct RequiredSection {
        id: "pr/required-section",
        summary: "a section the configuration requires in the PR description is missing",
        default_severity: Error,
        applies_to: Description,
        options: [RequiredSection::OWN_VOICE.0],
    }
}

impl RequiredSection {
    const OWN_VOICE: Headings = Headings::new(
        "own_voice",
        "section names",
        "required sections that a sentence in the PR's own voice (\"This PR adds …\") answers under another required section's heading",
    );
}

/// A sentence (or clause) that says what the change does, with the change as
/// its subject: "This PR/change/commit/patch" and any verb in the present
/// tense; "This"/"It" with a verb of changing something; "I"/"We" with such a
/// verb in the past. The sentence "This causes a panic" describes the problem,
/// so a bare "This" takes only verbs of changing.
fn own_voice() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?:^|[.!?:;,]\s+|\n\s*)(?:this (?:pr|change|commit|patch|pull request)(?: now| also)? [a-z]{3,}s|(?:this|it) (?:now |also )?(?:adds|allows|makes|turns|removes|introduces|implements|changes|fixes|replaces|moves|merges|updates|renames|converts|splits|enables|disables|exposes|extends|rewrites|refactors|bumps|drops|deprecates|ports|migrates|switches)|(?:i|we)(?: have|'ve)? (?:added|removed|changed|made|moved|merged|replaced|renamed|rewrote|refactored|introduced|implemented|updated|converted|extended|dropped|ported|migrated|switched|turned))\b",
        )
        .ok()
    })
    .as_ref()
}

impl Rule for RequiredSection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let own = Self::OWN_VOICE.get(cx.options);
        for req in cx.required {
            let Some(mut f) = missing(cx, &Self::META, req) else {
                continue;
            };
            if let (true, Some(re)) = (own.matches(req.matcher.name()), own_voice()) {
                // The sections the other required sections found, in order.
                let others: Vec<_> = cx
                    .required
                    .iter()
                    .filter(|other| !std::ptr::eq(*other, req))
                    .filter_map(|other| super::find_required(cx.doc, cx.required, other))
                    .collect();
                if others.iter().any(|s| re.is_match(&prose(cx.doc, &s.body))) {
                    continue;
                }
                if let (Some(section), Some(help)) = (others.first(), f.help.as_mut()) {
                    let heading = &cx.doc.heading(section).text;
                    *help = [
                        help.as_ref(),
                        "; or say what the change does (\"This PR adds …\") under \"",
                        heading,
                        "\"",
                    ]
                    .concat()
                    .into();
                }
            }
            out.push(f);
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
    // A runbook's title names the page, not one of its sections.
    let skip = match meta.applies_to {
        crate::rules::AppliesTo::Runbook => crate::rules::runbook::title_headings(cx.doc),
        _ => 0,
    };
    let closest = closest_heading(cx, req, skip);
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

/// The heading present that is most like `req` (shares a significant word with its
/// name or an alias that no other required section's names have, or is a near
/// spelling of one) and that no other required section claims, with its line.
/// The first `skip` headings (a runbook's title) are not candidates.
fn closest_heading(
    cx: &LintContext<'_>,
    req: &SectionRequirement,
    skip: usize,
) -> Option<(String, usize)> {
    let doc = cx.doc;
    let matcher = &req.matcher;
    let forms = matcher.forms();
    let mut best: Option<(f64, &crate::markdown::Heading<'_>)> = None;
    // One buffer for every heading's shared words: most runbooks get this finding.
    let mut shared: Vec<u32> = Vec::new();
    // The first headings are enough to find a near name; a document with thousands
    // of headings is not read whole for a suggestion.
    for heading in doc.headings.iter().skip(skip).take(MAX_CANDIDATES) {
        let text = doc.normalized(heading);
        // "<%= current_page.data.title %>" shares "page" with "When to page", and
        // is no heading the author wrote.
        if text.is_empty()
            || heading.is_template()
            || only_a_checklist(doc, heading)
            || cx.required.iter().any(|other| {
                !std::ptr::eq(other, req) && other.matcher.matches_heading(doc, heading)
            })
        {
            continue;
        }
        shared.clear();
        matcher.shared_words(text, &mut shared);
        // A word another required section's names have too ("change" in "What
        // changed" and "Behavior change") tells the sections apart no better than
        // it tells "How was this change tested?" from either: it suggests nothing.
        shared.retain(|&w| {
            let word = matcher.word(w);
            !cx.required
                .iter()
                .any(|other| !std::ptr::eq(other, req) && other.matcher.has_word(word))
        });
        // The most significant words shared with one form; a near spelling of a
        // form only when the heading shares no word with any.
        let score = if shared.is_empty() {
            if forms.iter().any(|form| near_spelling(form, text)) {
                0.5
            } else {
                0.0
            }
        } else {
            // A form counts only when the heading has its first significant
            // word, the one that says what it is about: "Rollback plan" is not
            // close to "Test plan", nor "Escalation policy" to "Policy
            // lifecycle diagram" (the last word of such names is generic). A
            // verb after "to" counts only as a verb: "When to page" is not
            // close to "ES integration admin page".
            (0..forms.len())
                .map(|i| {
                    let words = matcher.form_words(i);
                    match words.first() {
                        Some(first)
                            if shared.contains(first)
                                && !forms.get(i).is_some_and(|f| {
                                    crate::markdown::verb_used_otherwise(f, text)
                                }) =>
                        {
                            shared.iter().filter(|w| words.contains(w)).count()
                        }
                        _ => 0,
                    }
                })
                .max()
                .unwrap_or(0) as f64
        };
        if score > 0.0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, heading));
        }
    }
    let (_, heading) = best?;
    Some((heading.text.to_string(), doc.line_of(heading.span.start)))
}

/// Whether what a heading heads (its subsections included) is a checklist and
/// nothing else: "## Release info Sub-libraries affected" over "- [ ]
/// posthog-node", … Ticking boxes answers no section's question, so it is no
/// heading to rename into one.
fn only_a_checklist(
    doc: &crate::markdown::Document<'_>,
    heading: &crate::markdown::Heading<'_>,
) -> bool {
    use crate::markdown::Document;
    let Some(section) = doc
        .sections
        .iter()
        .find(|s| doc.heading(s).span.start == heading.span.start)
    else {
        return false;
    };
    let items = Document::within(&doc.list_items, &section.body);
    let in_an_item = |at: usize| items.iter().any(|i| i.span.contains(&at));
    !items.is_empty()
        && items.iter().all(|i| i.task.is_some())
        && Document::within(&doc.paragraphs, &section.body)
            .iter()
            .all(|p| in_an_item(p.span.start))
        && Document::within(&doc.code_blocks, &section.body).is_empty()
}

/// How many headings a suggestion looks at: a near name is among the first
/// headings of a page, and a page with hundreds of headings would otherwise cost
/// as much as dozens of ordinary ones.
const MAX_CANDIDATES: usize = 60;

/// Whether `heading` is a near spelling of `form`: an edit distance within a fifth
/// of the longer.
fn near_spelling(form: &str, heading: &str) -> bool {
    let (a, b) = (form.len(), heading.len());
    let longest = a.max(b);
    // Lengths further apart than a fifth cannot be within the distance, and a
    // misspelling keeps its first letter: skip the quadratic edit distance
    // otherwise (a heading may be megabytes long; most runbooks get this finding).
    if longest < 4
        || a.abs_diff(b) * 5 > longest
        || form.as_bytes().first() != heading.as_bytes().first()
    {
        return false;
    }
    within_edits(form, heading, longest / 5)
}

/// Whether `a` and `b` are at most `k` edits apart (Levenshtein). Short ASCII text,
/// which every heading near a section name is, is compared on the stack and given
/// up as soon as no alignment can come within `k`.
fn within_edits(a: &str, b: &str, k: usize) -> bool {
    const MAX: usize = 96;
    if !a.is_ascii() || !b.is_ascii() || b.len() > MAX {
        return strsim::levenshtein(a, b) <= k;
    }
    // One row of the distance table: row[j] is the distance from a[..i] to b[..j].
    let mut row = [0usize; MAX + 1];
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, &ca) in a.as_bytes().iter().enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        let (mut diagonal, mut left, mut least) = (i, i + 1, i + 1);
        let Some(cells) = row.get_mut(1..=b.len()) else {
            return false;
        };
        for (cell, &cb) in cells.iter_mut().zip(b.as_bytes()) {
            let up = *cell;
            let d = (diagonal + usize::from(ca != cb)).min(left + 1).min(up + 1);
            diagonal = up;
            left = d;
            least = least.min(d);
            *cell = d;
        }
        if least > k {
            return false;
        }
    }
    row.get(b.len()).is_some_and(|&d| d <= k)
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
    fn a_heading_over_only_tick_boxes_is_a_checklist() {
        let doc = crate::markdown::Document::parse(
            "## Release info\n\n### Libraries affected\n\n<!-- mark them -->\n\n- [ ] posthog-node\n- [x] posthog-js\n\n## Release notes\n\nNone.\n\n- [ ] done\n",
        );
        assert!(only_a_checklist(&doc, &doc.headings[0]));
        assert!(!only_a_checklist(&doc, &doc.headings[2]), "prose too");
        let empty = crate::markdown::Document::parse("## Release notes\n\n## Why\n\nx\n");
        assert!(
            !only_a_checklist(&empty, &empty.headings[0]),
            "empty is no checklist"
        );
    }

    #[test]
    fn the_change_as_subject_is_its_own_voice_and_the_problem_is_not() {
        let re = own_voice().expect("the own-voice pattern compiles");
        for said in [
            "This PR merges `cargo remove` into cargo.",
            "Lines were skipped.\n\nThis change adds support for the marker.",
            "As discussions are on-going, this allows us to experiment.",
            "While doing this, I removed the previous syntax.",
            "It is a follow-up.  This turns those warnings into an error.",
            "We've added a retry around the upload.",
        ] {
            assert!(re.is_match(said), "{said:?} says what the change does");
        }
        for problem in [
            "This causes a panic in `cargo package`.",
            "This can lead to users working around the problem.",
            "The problem with deny(warnings) is it makes iteration harder.",
            "This PR is a follow-up to #11409.",
            "Thisadds nothing.",
        ] {
            assert!(
                !re.is_match(problem),
                "{problem:?} does not say what the change does"
            );
        }
    }

    #[test]
    fn the_bounded_edit_distance_agrees_with_levenshtein() {
        let words = [
            "",
            "a",
            "escalation",
            "escalaton",
            "escalations",
            "esclation",
            "monitoring",
            "signs this is getting worse",
            "signs its getting worse",
            "sign of worse",
            "rollback",
            "roll back",
            "rolback plan",
        ];
        for a in words {
            for b in words {
                let d = strsim::levenshtein(a, b);
                for k in 0..6 {
                    assert_eq!(within_edits(a, b, k), d <= k, "{a:?} {b:?} within {k}");
                }
            }
        }
    }

    #[test]
    fn near_spellings_keep_their_first_letter_and_length() {
        assert!(near_spelling("escalation", "escalaton"));
        assert!(!near_spelling("escalation", "monitoring"));
        assert!(!near_spelling("escalation", "scalation"));
    }
}
