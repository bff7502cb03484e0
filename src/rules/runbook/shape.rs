//! What kind of page a runbook is and where its diagnosis path starts, worked out
//! once per document and read by every runbook rule.
//!
//! Real runbooks open the diagnosis path in three ways, all accepted:
//! - a triage section first, named the way on-call people name it ("Start here");
//! - an alert runbook's layout: the alert's own context (Meaning, Impact, …) and
//!   then a diagnosis section (Diagnosis, Troubleshooting, …) before any fix;
//! - a first section that is a diagnosis path under the author's own name: a
//!   numbered list of checks, most of them with a command.
//!
//! A section index or a page that only points elsewhere is a stub: there is no
//! diagnosis path to ask for, so only its references are checked.

use crate::markdown::{Document, Heading, HeadingKind, HeadingMatcher, ListItem, Section};
use crate::rules::Common;
use crate::rules::text::has_code;

/// How the runbook opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opening {
    /// The diagnosis path is where a reader starts: the heading index of the
    /// section that holds it.
    Triage(usize),
    /// A fix section ("## Solution") that opens with a check, after only the
    /// problem's context ("## Symptom", "## Cause"): the reader starts at that
    /// check (heading index of the section), so `runbook/triage-first` asks
    /// nothing more; the rest of the section is the fix, so the step rules do
    /// not read it as a triage section (its fix's YAML would read as the
    /// check's command). See [`after_alert_context`].
    CheckOpensFix(usize),
    /// A triage section exists (heading index) but something else comes first.
    Late { triage: usize, first: usize },
    /// No triage section; the heading index of the first section.
    Missing { first: usize },
    /// The untitled text under the title, before the first section, points at
    /// where to look first ("You can find the error rates on this dashboard: …"):
    /// the reader starts there. Its byte range.
    Preamble { start: usize, end: usize },
    /// The runbook has no section under its title.
    NoSections,
    /// Not an incident runbook: nothing asks where its diagnosis starts.
    NotAsked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    /// A section index, redirect or page that only delegates.
    pub(crate) stub: bool,
    /// A page opened when something is wrong (an alert's or a service's runbook), as
    /// opposed to a procedure for planned work or a reference page: only these are
    /// asked to open with triage and to say when to escalate.
    pub(crate) incident: bool,
    pub(crate) opening: Opening,
}

impl Shape {
    /// Whether the runbook must open with triage and say when to escalate: an
    /// incident runbook that is not a stub.
    pub(crate) fn asks_for_triage_and_escalation(&self) -> bool {
        self.incident && !self.stub
    }

    /// The heading index of the section that starts the diagnosis path, if the
    /// runbook has one where a reader finds it.
    pub(crate) fn triage(&self) -> Option<usize> {
        match self.opening {
            Opening::Triage(h) => Some(h),
            _ => None,
        }
    }
}

/// At most this many words of a page's own (outside links, headings and front
/// matter) and it can still be a page that only points elsewhere.
const STUB_WORDS: usize = 30;

/// A stub is short: past this many bytes a page has content of its own.
const MAX_STUB_BYTES: usize = 8 * 1024;

/// A diagnosis section with fewer words than this ("TODO", "To be added.") is a
/// placeholder, not a diagnosis path.
const MIN_DIAGNOSIS_WORDS: usize = 4;

/// The shape of a page whose kind its front matter declares, or not at all.
fn shape_declared(
    doc: &Document<'_>,
    common: &Common<'_>,
    declared: Option<&str>,
    path: Option<&str>,
) -> Shape {
    // Most pages of a runbooks folder are procedures and reference pages, which no
    // rule asks to open with triage: their opening is not worked out.
    let incident = is_incident(doc, common, declared, path);
    Shape {
        stub: is_stub(doc, path),
        incident,
        opening: if incident {
            opening(doc, common)
        } else {
            Opening::NotAsked
        },
    }
}

/// The page's kind as its front matter states it (`runbook_kind: procedure`), if it
/// does: `alert` and `service` are incident runbooks; `procedure`, `reference` and
/// `stub` are not.
fn declared_kind<'d>(doc: &Document<'d>) -> Option<&'d str> {
    doc.front_matter_field("runbook_kind")
}

/// Words in a title that say the page is about something going wrong.
#[rustfmt::skip]
const PROBLEM_WORDS: &[&str] = &[
    "behind", "broken", "corruption", "crash", "crashing", "degraded", "down", "error", "errors",
    "fail", "failed", "failing", "fails", "failure", "failures", "flapping", "full", "high", "lag",
    "lagging", "latency", "mismatch", "missing", "not", "outage", "overdue", "problem", "saturated",
    "slow", "stuck", "throttling", "timeout", "timeouts", "unable", "unavailable", "unhealthy",
    "unreachable",
];

/// First words of a how-to's title: planned work, not something going wrong.
#[rustfmt::skip]
const TASK_VERBS: &[&str] = &[
    "add", "adding", "configure", "configuring", "create", "creating", "deploy", "deploying",
    "enable", "enabling", "expand", "expanding", "how", "install", "installing", "manage",
    "managing", "migrate", "migrating", "remove", "removing", "rename", "renaming", "retire",
    "retiring", "revoke", "revoking", "rotate", "rotating", "set", "setting", "setup",
    "update", "updating", "upgrade", "upgrading",
];

/// Nouns in a title that name planned work ("GKE Cluster Upgrade Procedure",
/// "Sidekiq queue migration", "GET Monitoring Setup").
#[rustfmt::skip]
const TASK_NOUNS: &[&str] = &[
    "deployment", "deployments", "development", "how-to", "howto", "installation", "migration",
    "migrations", "onboarding", "patching", "procedure", "procedures", "provisioning", "re-balancing",
    "rebalancing", "restoration", "rotation", "set-up", "setup", "tutorial", "upgrade",
    "upgrades", "workflow",
];

/// Words that, second in a title, make its first word a verb in the imperative:
/// "Modify a change note …", "Rotate the keys", "Add your app …". A title that
/// names a thing or a problem ("Sentry is down", "Gitaly queuing") has no
/// determiner there.
const DETERMINERS: &[&str] = &["a", "an", "its", "new", "our", "the", "their", "your"];

/// First words that investigate, in a heading that is itself a check ("Determine
/// if the outage is the vendor or us", "Identify what exactly is broken", "1.
/// Ensure that the file server is running") and in a title that is no how-to
/// ("Check the replicas", "Debug the …": diagnosis, not planned work).
#[rustfmt::skip]
const INVESTIGATING_VERBS: &[&str] = &[
    "analyse", "analyze", "check", "confirm", "debug", "detect", "determine", "diagnose", "ensure",
    "find", "identify", "inspect", "investigate", "triage", "troubleshoot", "verify",
];

/// Whether a title names planned work: it starts with a task ("Set up …",
/// "Renaming …", or any verb before a determiner: "Modify a change note …") or
/// holds a noun for one ("… Upgrade Procedure").
fn names_task(title: &str) -> bool {
    let title = title.trim().trim_matches(['"', '\'']);
    // "Cloudflare: Managing Traffic": the task follows the component's name.
    if let Some((_, task)) = title.split_once(": ")
        && names_task(task)
    {
        return true;
    }
    let mut words = title.split_whitespace();
    let (first, second) = (words.next(), words.next());
    // "How to Investigate PrometheusOutOfOrderTimestamps" is a diagnosis page.
    if first.is_some_and(|w| w.eq_ignore_ascii_case("how"))
        && second.is_some_and(|w| w.eq_ignore_ascii_case("to"))
    {
        return !words
            .next()
            .is_some_and(|w| is_one_of(INVESTIGATING_VERBS, w));
    }
    // "Deploy when GitHub is unavailable", "Communicate if Slack is down": work
    // to do in a known situation.
    let verb_then_situation = first
        .is_some_and(|w| w.chars().all(char::is_alphabetic) && !is_one_of(INVESTIGATING_VERBS, w))
        && second.is_some_and(|w| is_one_of(SITUATIONS, w));
    verb_then_situation
        || first.is_some_and(|w| is_one_of(TASK_VERBS, w) || names_task_by_gerund(w))
        || first.is_some_and(|w| {
            w.chars().all(char::is_alphabetic) && !is_one_of(INVESTIGATING_VERBS, w)
        }) && second.is_some_and(|w| is_one_of(DETERMINERS, w))
        // "Debugging long-running migrations": the first word says the page
        // investigates; a task noun after it is what goes wrong. So does a last
        // word of diagnosis: "Migration Assistant troubleshooting".
        || !first.is_some_and(investigates)
            && !title.split_whitespace().next_back().is_some_and(names_diagnosis_word)
            && title
                .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .any(|w| is_one_of(TASK_NOUNS, w))
}

/// Whether a word names a diagnosis by one of [`super::steps::INCIDENT_STEMS`]
/// ("troubleshooting", "debugging", "diagnostics").
fn names_diagnosis_word(word: &str) -> bool {
    super::steps::INCIDENT_STEMS.iter().any(|stem| {
        word.get(..stem.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(stem))
    })
}

/// Whether a word is a verb of [`INVESTIGATING_VERBS`] or its gerund ("Debugging").
fn investigates(word: &str) -> bool {
    is_one_of(INVESTIGATING_VERBS, word) || gerund_stem(word).is_some_and(investigates_by_stem)
}

/// Whether a title's first word is a gerund of work ("Loading … into BigQuery",
/// "Accessing private cluster endpoints", "Recycling all the nodes"): a how-to,
/// unless the verb investigates ("Debugging …", "Investigating …") or names
/// what goes wrong ("Missing Fields in Falco Logs", "Failing backups").
fn names_task_by_gerund(word: &str) -> bool {
    gerund_stem(word).is_some_and(|stem| !investigates_by_stem(stem))
        && !is_one_of(PROBLEM_WORDS, word)
}

/// The stem of a gerund: "debugging" → "debugg", "patching" → "patch".
fn gerund_stem(word: &str) -> Option<&str> {
    word.strip_suffix("ing")
        .filter(|s| s.len() >= 3 && s.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Whether `stem` is the stem of a gerund of [`INVESTIGATING_VERBS`]:
/// "debugging" → "debugg", "diagnosing" → "diagnos", "checking" → "check".
fn investigates_by_stem(stem: &str) -> bool {
    INVESTIGATING_VERBS.iter().any(|verb| {
        verb.eq_ignore_ascii_case(stem)
            || verb
                .strip_suffix('e')
                .is_some_and(|v| v.eq_ignore_ascii_case(stem))
            || stem.len() == verb.len() + 1
                && stem
                    .get(..verb.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(verb))
    })
}

/// Context headings that any page may have ("Summary", "Description",
/// "Overview", "Problem description"): they make a page an alert's runbook only as
/// its first section.
const GENERIC_CONTEXT: &[&str] = &["summary", "description", "overview", "problem", "issue"];

/// Whether a title says something is wrong ("Sentry is down", "Problem: git
/// processes … consume CPU").
fn names_problem(title: &str) -> bool {
    let title = &*without_template_tags(title);
    title
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| is_one_of(PROBLEM_WORDS, w))
        || labels_an_issue(title)
        || asks_why(title)
        || ends_in_trouble(title)
}

/// A title without a site generator's tags: "Monitor the {{< param
/// "FULL_PRODUCT_NAME" >}} component controller" names no problem ("full" is in
/// the tag, which the site replaces by the product's name).
fn without_template_tags(title: &str) -> std::borrow::Cow<'_, str> {
    if !title.contains("{{") && !title.contains("{%") {
        return std::borrow::Cow::Borrowed(title);
    }
    outside_template_tags(title).map_or(std::borrow::Cow::Borrowed(title), |(outside, _)| {
        std::borrow::Cow::Owned(outside)
    })
}

/// Whether a title's last word names its subject as trouble: "Common Issues",
/// "OpenSearch Storage Issues", "Resolving OpenSearch shard problems", or is
/// followed by the situation ("Common issues when running Dapr"). A title that
/// is only the word, or has it earlier ("Issue templates"), is about
/// something else; "Raise issues with Reliability Engineering" is a task.
fn ends_in_trouble(title: &str) -> bool {
    let mut words = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .peekable();
    // Not the first word ("Issues", "Issue templates").
    words.next();
    // "Common issues when running Dapr", "Known problems during upgrades": the
    // rest says in which situation.
    while let Some(word) = words.next() {
        if is_one_of(&["issues", "problems"], word)
            && words
                .peek()
                .is_none_or(|next| is_one_of(&["after", "during", "when", "while"], next))
        {
            return true;
        }
    }
    false
}

/// Whether a title asks why something happens ("Why is my `ScaledObject`
/// paused?"): a troubleshooting page's question, as a reader searches for it.
fn asks_why(title: &str) -> bool {
    let title = title.trim().trim_matches(['"', '\'']);
    title.ends_with('?')
        && title
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("why "))
}

/// Whether a title is labelled as one issue ("Issue - Users unable to import …",
/// "Known issue: pods stuck …"): the label and a separator, then the issue. A
/// title that only starts with the word ("Issue Labelling", "Issue templates")
/// is about issues, not one.
fn labels_an_issue(title: &str) -> bool {
    let title = title.trim_start();
    let rest = title
        .get(..6)
        .filter(|h| h.eq_ignore_ascii_case("known "))
        .map_or(title, |_| title.get(6..).unwrap_or(""));
    let Some(after) = rest
        .get(..5)
        .filter(|h| h.eq_ignore_ascii_case("issue"))
        .and_then(|_| rest.get(5..))
    else {
        return false;
    };
    let after = after.strip_prefix('s').unwrap_or(after).trim_start();
    after.starts_with([':', '-', '\u{2013}', '\u{2014}'])
}

/// The page's titles: its title heading (unless a template such as `<%=
/// current_page.data.title %>`) and its front matter's `title:`.
fn titles<'d>(doc: &'d Document<'_>) -> impl Iterator<Item = &'d str> {
    let heading = doc
        .headings
        .first()
        .filter(|h| h.level == 1 && !h.is_template() && title_headings(doc) == 1)
        .map(|h| h.text.as_ref());
    heading.into_iter().chain(front_title(doc))
}

/// The front matter's title (`title: …` in YAML, `title = "…"` in TOML).
fn front_title<'d>(doc: &'d Document<'_>) -> Option<&'d str> {
    doc.front_matter_field("title")
}

/// First words of a section that comes before a page's subject: "Table of
/// Contents", "Overview", "Prerequisites", getting access ("Accessing
/// jumpboxes", "Setup"), what the page applies to ("Applicable versions",
/// "Applies to", "Affected products and versions", "Scope").
const PREAMBLE: &[&str] = &[
    "about",
    "access",
    "accessing",
    "affected",
    "applicable",
    "applies",
    "architecture",
    "background",
    "contents",
    "glossary",
    "history",
    "introduction",
    "overview",
    "prerequisites",
    "requirements",
    "scope",
    "setup",
    "table",
    "toc",
];

/// Last words of a heading over things to look up, not checks to make: "Key
/// Configuration Parameters", "Command-line flags", "Environment variables".
const REFERENCE_PARTS: &[&str] = &[
    "flags",
    "options",
    "parameters",
    "reference",
    "settings",
    "variables",
];

/// Whether section `heading` is a reference to look things up in: its heading
/// names one (see [`REFERENCE_PARTS`]; not a problem with them: "Missing
/// settings") and it gives no block of code to run ("## Settings" over the
/// `argocd admin settings validate` examples is a tool's checks).
fn lists_what_to_look_up(doc: &Document<'_>, heading: usize) -> bool {
    let Some(h) = doc.headings.get(heading) else {
        return false;
    };
    let normalized = doc.normalized(h);
    is_one_of(REFERENCE_PARTS, normalized.rsplit(' ').next().unwrap_or(""))
        && !names_problem(normalized)
        && doc
            .sections
            .iter()
            .find(|s| s.heading == heading)
            .is_some_and(|s| Document::within(&doc.code_blocks, &s.body).is_empty())
}

/// Whether a normalised heading names a preamble (see [`PREAMBLE`]), or
/// prepares the reader ([`prepares`]).
pub(crate) fn is_preamble(normalized: &str) -> bool {
    is_one_of(PREAMBLE, normalized.split(' ').next().unwrap_or("")) || prepares(normalized)
}

/// Whether a normalised heading is "Before you begin" or "Before you start":
/// what to have ready, as prerequisites are (Kubernetes-style docs open every
/// task page so), unless the section is only checks ([`only_checks`]).
fn prepares(normalized: &str) -> bool {
    normalized
        .strip_prefix("before you ")
        .is_some_and(|rest| matches!(rest, "begin" | "start"))
}

/// Whether a title says the page is for finding what is wrong: a word with a stem
/// of [`super::steps::INCIDENT_STEMS`] ("Cilium Troubleshooting", "Debugging AWS
/// Console read-only access issues", "How to diagnose …"), not as a task's purpose ("Increase logging to debug site
/// search" is a how-to), nor with the tool it is done with ("Troubleshooting
/// with Agent Skills", "Diagnosis with Kibana": a guide to that tool).
fn names_diagnosis(title: &str) -> bool {
    let title = without_template_tags(title);
    let title = title.trim().trim_matches(['"', '\'']);
    let mut before = "";
    let mut words = title.split_whitespace().enumerate().peekable();
    while let Some((n, word)) = words.next() {
        let with_tool = words.peek().is_some_and(|(_, next)| {
            ["with", "using", "via"]
                .iter()
                .any(|w| next.eq_ignore_ascii_case(w))
        });
        // "How to debug …" is a diagnosis page; "… to debug …" a task's purpose.
        let how_to = n == 2
            && title
                .get(..4)
                .is_some_and(|h| h.eq_ignore_ascii_case("how "));
        let purpose = before.eq_ignore_ascii_case("to") && !how_to;
        let stem = |s: &&str| {
            word.get(..s.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(s))
        };
        // "Debug logs" (a page's title) names a setting.
        let setting = words
            .peek()
            .is_some_and(|(_, next)| super::steps::names_debug_setting(word, next));
        if !purpose && !with_tool && !setting && super::steps::INCIDENT_STEMS.iter().any(stem) {
            return true;
        }
        before = word;
    }
    false
}

/// How many headings the page's title takes (0 or 1): a first heading of level 1,
/// or a first heading that opens a page with no level-1 heading and no title in
/// its front matter, names the problem or its diagnosis and has sections after
/// it ("## Problem: git processes … consume CPU", then "## Quick reference
/// commands"; "## Troubleshooting database degradation", then "### Check CPU
/// utilization").
pub(crate) fn title_headings(doc: &Document<'_>) -> usize {
    let Some(first) = doc.headings.first() else {
        return 0;
    };
    // A page with several level-1 headings ("# Troubleshooting", "# Failover and
    // Recovery procedures") uses them as its top sections: none is the title.
    // "# Table of Contents" under a front matter's title is the page's first
    // section (the site shows the front matter's title above it).
    if first.level == 1 && is_preamble(doc.normalized(first)) && front_title(doc).is_some() {
        return 0;
    }
    if first.level == 1 {
        return usize::from(
            doc.headings
                .iter()
                .skip(1)
                .all(|h| h.level > 1 || h.kind == HeadingKind::Bold)
                || names_the_page(doc),
        );
    }
    if front_title(doc).is_some() {
        return 0;
    }
    let body_start = doc.front_matter.as_ref().map_or(0, |fm| fm.end);
    // Nothing of the page's own before it (an HTML comment is not shown).
    let before = body_start..first.span.start.max(body_start);
    let opens_page = Document::within(&doc.code_blocks, &before).is_empty()
        && Document::within(&doc.links, &before).is_empty()
        && own_words(doc, &before, 1) == 0;
    usize::from(
        first.kind != HeadingKind::Bold
            && opens_page
            && doc.headings.len() > 1
            && doc.headings.iter().all(|h| h.level > 1)
            && (names_problem(&first.text) || names_diagnosis(&first.text)),
    )
}

/// Whether a page of several level-1 headings names itself in the first: "#
/// Datahopper Production Manual" over nothing or a line ("General information
/// about the service is available in the [README]"), then "# Alerts". The
/// heading has no section of its own to speak of (no subsection, no code, a
/// sentence at most) and names no preamble nor what is general ("# General"
/// over the service's background is its first section).
fn names_the_page(doc: &Document<'_>) -> bool {
    /// A sentence, as a pointer to the README or the design doc.
    const MAX_WORDS: usize = 30;
    let (Some(first), Some(next)) = (doc.headings.first(), doc.headings.get(1)) else {
        return false;
    };
    let Some(section) = doc.sections.first().filter(|s| s.heading == 0) else {
        return false;
    };
    next.level == 1
        && !first.is_template()
        && !is_preamble(doc.normalized(first))
        && !doc.normalized(first).starts_with("general")
        && !has_code(doc, &section.own_body)
        && own_words(doc, &section.own_body, MAX_WORDS + 1) <= MAX_WORDS
}

/// Words that open the situation a task is done in: "Deploy when GitHub is
/// unavailable".
const SITUATIONS: &[&str] = &["during", "if", "when", "while"];

/// The part of a how-to's title before its situation ("Deploy" of "Deploy when
/// GitHub is unavailable"): a problem named after it is the situation, not the
/// page's subject. A situation that opens the title ends at its comma, and the
/// subject follows ("During installation, fatal PDO error displays").
fn task_part(title: &str) -> &str {
    if title
        .split(' ')
        .next()
        .is_some_and(|w| is_one_of(SITUATIONS, w))
        && let Some((_, subject)) = title.split_once(", ")
    {
        return task_part(subject);
    }
    let mut at = 0;
    for word in title.split(' ') {
        if is_one_of(SITUATIONS, word) {
            return title.get(..at).unwrap_or(title);
        }
        at += word.len() + 1;
    }
    title
}

/// Whether a how-to's title names a problem only as the state of the thing
/// the task works on: a determiner before each problem word ("How to Re-run a
/// Failed BFD Pipeline Load", "Replace the broken disk"). The page is the
/// planned work on it; "How to Recover from `migrator` Failures" is about the
/// failures.
fn object_state(title: &str) -> bool {
    let title = task_part(title);
    let mut before = "";
    let mut problems = 0;
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if is_one_of(PROBLEM_WORDS, word) {
            if !is_one_of(DETERMINERS, before) {
                return false;
            }
            problems += 1;
        }
        before = word;
    }
    problems > 0 && !labels_an_issue(title) && !asks_why(title) && !ends_in_trouble(title)
}

/// Whether `word` is one of `list` (lowercase ASCII, sorted), in any case.
fn is_one_of(list: &[&str], word: &str) -> bool {
    crate::rules::text::is_word_in(list, word)
}

/// An incident runbook: one whose sections are those of a page opened when
/// something is wrong (triage, diagnosis, the alert's context, escalation), or whose
/// title names a problem ("Sentry is down"). Procedures for planned work and
/// reference pages have neither.
fn is_incident(
    doc: &Document<'_>,
    common: &Common<'_>,
    declared: Option<&str>,
    path: Option<&str>,
) -> bool {
    match declared {
        Some("alert" | "service") => return true,
        Some("procedure" | "reference" | "stub") => return false,
        _ => {}
    }
    let title = doc
        .headings
        .first()
        .filter(|h| h.level == 1 && title_headings(doc) == 1);
    let any_heading = |matchers: &[&HeadingMatcher]| {
        doc.headings
            .iter()
            .any(|h| matchers.iter().any(|m| m.matches_heading(doc, h)))
    };
    let front_title = front_title(doc);
    // A how-to ("Set up a YubiKey", "Renaming nodes", "GKE Cluster Upgrade
    // Procedure") may end with a troubleshooting section or say whom to call when
    // the procedure goes wrong; only the alert's context or a triage section make
    // it an incident page.
    // A level-1 heading that is a template ("<%= current_page.data.title %>")
    // shows the front matter's title.
    let title_text = title
        .filter(|t| !t.is_template())
        .map(|t| t.text.as_ref())
        .or(front_title);
    let how_to = title_text.is_some_and(|t| {
        names_task(t) && (!names_problem(task_part(t)) || object_state(t) || has_task_section(doc))
    }) || ((has_procedure_parts(doc) || opens_with_how_to(doc, common))
        && !titles(doc).any(|t| names_problem(t) || names_diagnosis(t)));
    // "Troubleshooting" makes a page an incident runbook; "Troubleshooting access
    // requests" at the end of a procedure does not.
    // So does a heading that starts with a word of diagnosis ("## Troubleshooting
    // steps") as the page's first section: the page opens with its diagnosis.
    // ("## Check if this change will involve BT" opens a procedure.)
    let diagnosis_heading = || {
        doc.headings
            .iter()
            .any(|h| common.diagnosis.matches_exactly(doc, h))
            // The cheap test over every heading first: most pages have none.
            || (doc.headings.iter().any(starts_with_diagnosis)
                && sections_after_title(doc, common.triage)
                    .next()
                    .is_some_and(|(_, h)| {
                        starts_with_diagnosis(h) && common.diagnosis.matches_heading(doc, h)
                    }))
    };
    let context_below = || alert_context_below(doc, common);
    let opens_with_context = || {
        opens_with_alert_context(doc, common, how_to, || {
            diagnosis_heading() || diagnosis_anywhere(doc, common)
        })
    };
    // A triage heading makes a page an incident page; in a how-to, only as one of
    // its top sections ("#### Where to start" among an upgrade's steps is where
    // that step starts).
    // (Read only for a how-to: any level counts on other pages.)
    let top_level = if how_to {
        sections_after_title(doc, common.triage)
            .next()
            .map_or(u8::MAX, |(_, h)| h.level)
    } else {
        u8::MAX
    };
    let triage_heading = || {
        doc.headings
            .iter()
            .any(|h| (!how_to || h.level <= top_level) && common.triage.matches_heading(doc, h))
    };
    let incident_heading = triage_heading()
        || opens_with_context()
        || (!how_to
            && (context_below()
                || any_heading(&[common.escalation])
                || diagnosis_heading()
                || (0..doc.headings.len()).any(|i| lists_alerts(doc, i))));
    // A page with no title of its own is shown under its file's name
    // (`target-is-down.md`). A first heading that itself names a problem ("## CI
    // Archiving Trace Failures") stands for the title: the file's name is not read.
    let heading_is_title = || doc.headings.first().is_some_and(|h| names_problem(&h.text));
    let file_title = || {
        path.filter(|_| title.is_none() && front_title.is_none() && !heading_is_title())
            .and_then(|p| p.rsplit('/').next())
            .and_then(|name| name.split('.').next())
            .is_some_and(names_problem)
    };
    // "## Problem: git processes … consume CPU" opening a page is its title.
    let problem_heading =
        || doc.headings.first().is_some_and(|h| h.level > 1) && title_headings(doc) == 1;
    // A how-to's title names its task: a problem in its situation ("Deploy when
    // GitHub is unavailable") is not the page's subject (`how_to` checked that).
    let title_names_problem =
        || !how_to && titles(doc).any(|t| names_problem(t) || names_diagnosis(t));
    // Cheapest first: each of these is read only when the ones before say no.
    (incident_heading || problem_heading() || title_names_problem() || file_title())
        && !reviews_an_incident(doc, title_text)
        && !reports_what_was_done(doc)
        && !title_text.is_some_and(|t| about_being_on_call(t) && !names_problem(t))
}

/// Whether a heading's first word is one of diagnosis ("## Troubleshooting
/// steps", "## Diagnosis steps").
fn starts_with_diagnosis(h: &Heading<'_>) -> bool {
    h.text
        .split_whitespace()
        .next()
        .is_some_and(names_diagnosis_word)
}

/// Whether any heading is a diagnosis section under a longer name that starts
/// with one ("## Diagnosis steps", "## Troubleshooting steps"): after the
/// alert's own summary, that is the alert layout's diagnosis.
fn diagnosis_anywhere(doc: &Document<'_>, common: &Common<'_>) -> bool {
    doc.headings
        .iter()
        .any(|h| starts_with_diagnosis(h) && common.diagnosis.matches_heading(doc, h))
}

/// Whether `s` is the page's own alert context ("Meaning", "Impact",
/// "Summary", …). A context heading over nothing but links ("## Alerts" over
/// each alert's runbook, under a folder's "# Playbooks") is an index of other
/// pages, not this page's own context.
/// Whether heading `h` is the problem's context: a configured context name
/// ("Meaning", "Symptoms", "Problem statement"), or the bare "Problem" or
/// "Issue" a knowledge base states its one problem under ("## Problem" over the
/// error as logged, then "## Resolution"; "## Issue", "## Cause", "##
/// Solution"). Only the whole heading: "Problem - Not able to connect" among
/// other problems is a catalogue's entry.
fn is_context(doc: &Document<'_>, common: &Common<'_>, h: &Heading<'_>) -> bool {
    common.context.matches_heading(doc, h) || names_bare_problem(doc.normalized(h))
}

/// Whether a normalised heading is the bare problem a knowledge base states
/// its one problem under: "Problem", "Issue" (with or without "The").
fn names_bare_problem(normalized: &str) -> bool {
    matches!(
        normalized,
        "problem" | "the problem" | "issue" | "the issue"
    )
}

fn own_context(doc: &Document<'_>, common: &Common<'_>, s: &crate::markdown::Section) -> bool {
    let heading = doc.heading(s);
    is_context(doc, common, heading)
        && !names_an_identifier(&heading.text)
        && !only_points_elsewhere(doc, &s.own_body)
        && !lists_other_alerts(doc, s)
}

/// Whether `s` is "## Alerts" over a list of the alerts a service page
/// defines ("1. **MastodonWebLatencyCritical** – `p99 > 1 s` for 10 m"), not
/// one alert's context nor each alert written out under it
/// ([`lists_alerts`]): the page describes its alerting, it is no alert's
/// runbook.
fn lists_other_alerts(doc: &Document<'_>, s: &crate::markdown::Section) -> bool {
    doc.normalized(doc.heading(s)) == "alerts" && !lists_alerts(doc, s.heading)
}

/// Whether a heading's first word is joined by a colon to what follows, with no
/// space: an identifier such as a finding type ("Impact:EC2/PortSweep",
/// GuardDuty's "Impact" tactic), not a section named "Impact" ("Impact: users
/// cannot log in" has its space).
fn names_an_identifier(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    first
        .split_once(':')
        .is_some_and(|(word, rest)| !word.is_empty() && rest.starts_with(char::is_alphanumeric))
}

/// Whether `s`'s heading is a context any page may have (see [`GENERIC_CONTEXT`]).
fn generic_context(doc: &Document<'_>, s: &crate::markdown::Section) -> bool {
    GENERIC_CONTEXT
        .iter()
        .any(|g| doc.normalized(doc.heading(s)).starts_with(g))
}

/// The alert's own context anywhere on the page: "Symptoms" says something is
/// wrong wherever it is; a "Summary" or "Description" below other sections is
/// a service page's, not an alert's.
fn alert_context_below(doc: &Document<'_>, common: &Common<'_>) -> bool {
    doc.sections
        .iter()
        .any(|s| own_context(doc, common, s) && !generic_context(doc, s))
}

/// Whether the page opens with the alert's context (Meaning, Impact, Summary,
/// …): only there does a context heading make a page an incident page (further
/// down it is a service page's "## Summary" among its Architecture and
/// Scalability, or the "### Summary" of a how-to's step 4). A first section
/// that only describes ("Description", "Summary", "Overview") opens an alert's
/// runbook when the page names another of its parts (its diagnosis, asked of
/// `diagnosis`; its escalation; a context of its own); alone, over "Command" and
/// "Parameters", it describes a command, a service or a proposal. "Problem
/// statement" first says something is wrong (a bare "Problem" describes: a
/// how-to may open with the problem it solves); a bare "Problem" or "Issue"
/// followed by a fix's section ("## Solution", "## Resolution", "##
/// Workaround") is a knowledge base's article about that problem, unless the
/// title names a task (`how_to`). What the article applies to ("## Affected
/// products and versions", "## Applicable versions") may come before it.
fn opens_with_alert_context(
    doc: &Document<'_>,
    common: &Common<'_>,
    how_to: bool,
    diagnosis: impl Fn() -> bool,
) -> bool {
    let mut sections = sections_after_title(doc, common.triage)
        .filter_map(|(i, _)| doc.sections.iter().find(|s| s.heading == i));
    let Some(mut first) = sections.next() else {
        return false;
    };
    // "## Affected products and versions" over "## Issue": what the article
    // applies to, then its problem (a knowledge base's template).
    if states_applicability(doc.normalized(doc.heading(first))) {
        match sections.next() {
            Some(next) if is_context(doc, common, doc.heading(next)) => first = next,
            _ => return false,
        }
    }
    let describes =
        generic_context(doc, first) && !doc.normalized(doc.heading(first)).starts_with("problem ");
    own_context(doc, common, first)
        && (!describes
            || diagnosis()
            || (!how_to && states_problem_then_fix(doc, first))
            || alert_context_below(doc, common)
            || doc
                .headings
                .iter()
                .any(|h| common.escalation.matches_heading(doc, h)))
}

/// Whether a normalised heading says what a page applies to: "Affected products
/// and versions", "Applicable versions", "Applies to".
fn states_applicability(normalized: &str) -> bool {
    matches!(
        normalized.split(' ').next(),
        Some("affected" | "applicable" | "applies")
    )
}

/// Whether `first`, the page's first section, is the bare problem ("## Issue",
/// "## Problem") and a fix's section follows it ("## Solution", "## Resolution",
/// "## Workaround", after "## Cause" or "## Environment" or nothing): a
/// knowledge-base article, opened when that problem happens. A how-to may open
/// with the problem it solves too; the caller asks this only of a page whose
/// title names no task.
fn states_problem_then_fix(doc: &Document<'_>, first: &crate::markdown::Section) -> bool {
    names_bare_problem(doc.normalized(doc.heading(first)))
        && doc
            .headings
            .iter()
            .skip(first.heading + 1)
            .any(|h| super::steps::names_fix(doc.normalized(h)))
}

/// Whether a title names being on call ("Engineer On Call (EOC)", "On-call and
/// escalation", "Oncall rotation"): a page about the role, its rota, what to
/// watch and whom to escalate to, not one incident's runbook, even with
/// "## Escalation schedules" or "### Alerts" among its sections.
fn about_being_on_call(title: &str) -> bool {
    let mut previous = "";
    title
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .any(|w| {
            let on_call = w.eq_ignore_ascii_case("on-call")
                || w.eq_ignore_ascii_case("oncall")
                || (w.eq_ignore_ascii_case("call") && previous.eq_ignore_ascii_case("on"));
            previous = w;
            on_call
        })
}

/// Whether the first section under the title says it is a how-to: "#### How-to"
/// (a "Resize disk" page: the steps, then "#### Troubleshooting" for when the
/// resize fails), "## How to scale ClickHouse vertically". "How to investigate"
/// is diagnosis ([`names_task`] reads past it).
fn opens_with_how_to(doc: &Document<'_>, common: &Common<'_>) -> bool {
    sections_after_title(doc, common.triage)
        .next()
        .is_some_and(|(_, h)| {
            let text = h.text.trim();
            let how = text.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("how"));
            how && names_task(text)
        })
}

/// Whether a section under the title is named by work in progress ("## Disabling
/// errors", "## Running the script"): the steps of a how-to whose title's task
/// handles a problem ("Disabling sending errors to a project in Sentry").
fn has_task_section(doc: &Document<'_>) -> bool {
    doc.headings.iter().filter(|h| h.level > 1).any(|h| {
        h.text
            .split_whitespace()
            .next()
            .is_some_and(names_task_by_gerund)
    })
}

/// Sections a how-to is made of, as whole normalised headings (sorted).
const PROCEDURE_PARTS: &[&str] = &[
    "before you begin",
    "before you start",
    "how to run",
    "how to use",
    "instructions",
    "prerequisites",
    "procedure",
    "requirements",
    "steps",
    "usage",
];

/// Whether a page is laid out as a how-to, whatever its title: two sections of
/// [`PROCEDURE_PARTS`] ("Alertmanager Receivers Checker": Purpose, Prerequisites,
/// How to run, Troubleshooting; a tool's page with Prerequisites and Usage; two
/// headings numbering tasks, "Step 1: Create a cluster", count as "Steps"). One
/// alone is not enough: a service's runbook may list the access its checks need
/// under "Prerequisites".
fn has_procedure_parts(doc: &Document<'_>) -> bool {
    // "## Step 1: Create a Kubernetes Cluster", "## Step 2: Configure Helm
    // Repositories": a tutorial's numbered tasks are its "Steps" part.
    let numbered_tasks = doc
        .headings
        .iter()
        .filter(|h| h.level > 1 && numbers_a_task(&h.text))
        .take(2)
        .count();
    let mut seen: Option<&str> = (numbered_tasks == 2).then_some("steps");
    doc.headings.iter().filter(|h| h.level > 1).any(|h| {
        let normalized = doc.normalized(h);
        let part = PROCEDURE_PARTS
            .binary_search(&normalized)
            .ok()
            .and_then(|i| PROCEDURE_PARTS.get(i).copied());
        match (part, seen) {
            (Some(p), Some(first)) => p != first,
            (Some(p), None) => {
                seen = Some(p);
                false
            }
            (None, _) => false,
        }
    })
}

/// Whether a heading numbers a task as a step: "Step 1: Create a Kubernetes
/// Cluster", "Step 2 - Configure Helm". "Step 1: Check the logs" numbers a check.
fn numbers_a_task(text: &str) -> bool {
    let (step, verb) = step_heading(text);
    step && !verb.is_empty() && !investigates(verb)
}

/// How a post-incident review's title starts ("Incident on 2023-06-06 - User
/// services down", "Postmortem: …").
const REVIEW_TITLES: &[&str] = &[
    "incident on",
    "incident report",
    "incident review",
    "post-incident",
    "post incident",
    "postmortem",
    "post-mortem",
    "post mortem",
    "retrospective",
];

/// The fields of a post-incident review, as headings, bold labels or list items
/// ("- **Time to repair**: 0h 55m", "## Lessons learned"), in lower case.
fn review_fields() -> Option<&'static regex::Regex> {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(action items|contributing factors|key events|lessons learned|review actions|root cause|time to (detect|mitigate|recover|repair|resolve)|timeline|what went (well|wrong))(?-u:\b)",
        )
        .ok()
    })
    .as_ref()
}

/// A post-incident review (or a log of them) is a reference page, whatever its
/// title says went wrong ("Prometheus eks-live DOWN"): read after the incident,
/// not during one. Told by its title ("Incident on …", "Postmortem …") or by two
/// of the fields such reviews share ("Key events", "Time to repair", "Root
/// cause", "Lessons learned", …) each opening a line, so one "Root cause" heading
/// in a service's runbook does not make it one.
fn reviews_an_incident(doc: &Document<'_>, title: Option<&str>) -> bool {
    let title = title.map(|t| t.trim().trim_matches(['"', '\'']));
    let starts = |text: &str, prefix: &str| {
        text.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            && !text
                .as_bytes()
                .get(prefix.len())
                .is_some_and(u8::is_ascii_alphabetic)
    };
    if title.is_some_and(|t| REVIEW_TITLES.iter().any(|r| starts(t, r))) {
        return true;
    }
    let Some(re) = review_fields() else {
        return false;
    };
    // Matched in lower case ([`Document::lowercase`]).
    let text = doc.lowercase();
    let bytes = text.as_bytes();
    let opens_line = |at: usize| {
        bytes
            .get(..at)
            .unwrap_or_default()
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .all(|b| matches!(b, b' ' | b'\t' | b'-' | b'*' | b'+' | b'#' | b'>' | b'_'))
    };
    let mut seen: Option<&str> = None;
    for m in re.find_iter(text).filter(|m| opens_line(m.start())) {
        match seen {
            Some(first) if first != m.as_str() => return true,
            _ => seen = Some(m.as_str()),
        }
    }
    false
}

/// List items in the past tense that make a page a record of work done.
const DONE_ITEMS: usize = 5;

/// A record of what was done ("Reviewed the Terraform module", "Confirmed the
/// provider was v1.43.0", "Toggled off the migration", "Verified no new log
/// entries appeared") is a reference page, whatever its headings say
/// ("### Investigation", "### Resolution"): a resolution summary or an incident's
/// log, read afterwards. Told by its list items: at least [`DONE_ITEMS`], and at
/// least a third of them, open with the past tense of a step's verb ("Toggled"
/// is none: a verb the step rules know). A runbook says what to do ("Review",
/// "Confirm"); a post-incident review's timeline ("Identified …", "Created …") is
/// mostly other words, and is told by its fields.
fn reports_what_was_done(doc: &Document<'_>) -> bool {
    let items = doc.list_items.len();
    if items < DONE_ITEMS {
        return false;
    }
    // Needed: at least a third, and DONE_ITEMS. Most pages have none: stop as
    // soon as the items left cannot make up what is missing.
    let needed = items.div_ceil(3).max(DONE_ITEMS);
    let mut done = 0;
    for (n, item) in doc.list_items.iter().enumerate() {
        if done >= needed {
            return true;
        }
        if done + (items - n) < needed {
            return false;
        }
        if super::steps::reports_a_step_done(doc.text(&item.span)) {
            done += 1;
        }
    }
    done >= needed
}

/// The headings after the title (the first heading, when it is level 1), without
/// bold pseudo-headings unless they name the triage section.
fn sections_after_title<'d>(
    doc: &'d Document<'_>,
    triage: &HeadingMatcher,
) -> impl Iterator<Item = (usize, &'d Heading<'d>)> {
    let skip = title_headings(doc);
    // Sections that only send the reader on ("## Ceph Common Issues": "For common
    // issues specific to Ceph, see the [Ceph Common Issues](…) page"; "### Block
    // (RBD)": "See the sections below for RBD if …") open nothing: the page starts
    // after them, unless nothing else follows.
    let leading = doc
        .headings
        .iter()
        .enumerate()
        .skip(skip)
        .take_while(|(i, h)| h.kind != HeadingKind::Bold && only_sends_on(doc, *i))
        .count();
    let pointers = if skip + leading < doc.headings.len() {
        leading
    } else {
        0
    };
    doc.headings
        .iter()
        .enumerate()
        .skip(skip + pointers)
        .filter(move |(_, h)| h.kind != HeadingKind::Bold || triage.matches_heading(doc, h))
}

/// Whether the section of heading `at` only sends the reader elsewhere: a few
/// words, no code, "see" pointing at another page or at the sections below, and
/// a heading that names no preamble.
fn only_sends_on(doc: &Document<'_>, at: usize) -> bool {
    /// A pointer's section says a sentence or two.
    const MAX_WORDS: usize = 40;
    /// Forty words fit in far less: a longer section is read no further.
    const MAX_BYTES: usize = 600;
    /// How far after "see" its object may be.
    const NEAR: usize = 60;
    // One section per heading, in order.
    let Some(section) = doc.sections.get(at).filter(|s| s.heading == at) else {
        return false;
    };
    let body = &section.body;
    if body.len() > MAX_BYTES {
        return false;
    }
    // Cheapest first: most short sections say no "see".
    let text = doc.text(body);
    let bytes = text.as_bytes();
    // "ee " found fast, then its "s" or "S" and a word start before it.
    let sends = memchr::memmem::find_iter(bytes, b"ee ").any(|at| {
        let Some(i) = at.checked_sub(1) else {
            return false;
        };
        bytes.get(i).is_some_and(|b| b.eq_ignore_ascii_case(&b's'))
            && (i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_alphanumeric))
            && {
                let near = bytes
                    .get(i..(i + NEAR).min(bytes.len()))
                    .unwrap_or_default();
                near.contains(&b'[')
                    || [&b"below"[..], b"above", b" page", b"section"]
                        .iter()
                        .any(|w| near.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w)))
            }
    });
    // A preamble holds the reader up by its name ("## Overview" over "See [x]").
    sends
        && !is_preamble(doc.normalized(doc.heading(section)))
        && Document::within(&doc.code_blocks, body).is_empty()
        && !Document::within(&doc.code_spans, body)
            .iter()
            .any(|c| super::steps::reads_as_command(doc.text(&c.span).trim_matches('`').trim()))
        && crate::rules::text::word_count(text) <= MAX_WORDS
}

fn opening(doc: &Document<'_>, common: &Common<'_>) -> Opening {
    let mut sections = sections_after_title(doc, common.triage);
    let Some((first, first_heading)) = sections.next() else {
        // A page of text under its title that starts with a check ("If a node is
        // unresponsive, you can check the stack traces by running: …") is its
        // diagnosis path.
        return preamble_checks(doc, None).map_or(Opening::NoSections, |(start, end)| {
            Opening::Preamble { start, end }
        });
    };
    if common.triage.matches_heading(doc, first_heading) || lists_alerts(doc, first) {
        return Opening::Triage(first);
    }
    // "## Quick reference commands" / "### Diagnostic commands": a first section
    // that only introduces its subsections opens with the first of them.
    if let Some(child) = first_child_diagnosis(doc, common, first) {
        return Opening::Triage(child);
    }
    // A page whose title says it diagnoses ("Cilium Troubleshooting", "OCS Operator
    // diagnosis") is a diagnosis path from its first section on, unless that
    // section is a preamble (contents, an overview, prerequisites) or the
    // problem's context ("Symptoms": then the alert layout below decides).
    // Nor is it a fix ("Resolution") or a reference to look things up in ("Key
    // Configuration Parameters": the flags and their defaults).
    if titles(doc).any(names_diagnosis)
        && !is_preamble(doc.normalized(first_heading))
        && !super::steps::names_fix(doc.normalized(first_heading))
        && !lists_what_to_look_up(doc, first)
        && !is_context(doc, common, first_heading)
    {
        return Opening::Triage(first);
    }
    if let Some(diagnosis) = after_alert_context(doc, common) {
        return diagnosis;
    }
    if is_diagnosis_path(doc, first) {
        return Opening::Triage(first);
    }
    // A page's only heading, opening it ("## ManifestWorkApplyFailed" over an
    // alert's whole runbook), stands for its title: the text under it is read as
    // the untitled text of a page with no sections.
    let only = first == 0
        && doc
            .headings
            .iter()
            .skip(1)
            .all(|h| h.kind == HeadingKind::Bold);
    if let Some((start, end)) = preamble_checks(doc, (!only).then_some(first)) {
        return Opening::Preamble { start, end };
    }
    match sections.find(|(_, h)| common.triage.matches_heading(doc, h)) {
        Some((triage, _)) => Opening::Late { triage, first },
        // A page that names none of an incident runbook's parts ("## Invalid
        // configurations" under "Nginx is down", "## Reproduce the plan") opens
        // with its first section when that section gives something to run or look
        // at: nothing on the page says its diagnosis starts later. One that opens
        // with a preamble (an overview, contents, access) or a fix ("## Resolution
        // Steps") holds the reader up.
        None if !is_preamble(doc.normalized(first_heading))
            && !super::steps::names_fix(doc.normalized(first_heading))
            && gives_a_place(doc, first)
            && !names_incident_part(doc, common) =>
        {
            Opening::Triage(first)
        }
        None => Opening::Missing { first },
    }
}

/// Whether heading `at` is a page's alerts, each written out under it: "#
/// Alerts" over "## job_metrics" (what the alert means, what to check). The
/// reader arrives from the alert at its subsection, which is that alert's
/// runbook, so the section is a diagnosis path. A "## Alerts" whose
/// subsections only link elsewhere, or that has none, is an index of other
/// pages.
pub(crate) fn lists_alerts(doc: &Document<'_>, at: usize) -> bool {
    /// A sentence of the alert's own at least: what it means or what to do.
    const MIN_WORDS: usize = 5;
    let Some(heading) = doc.headings.get(at) else {
        return false;
    };
    if heading.kind == HeadingKind::Bold || !names_alerts(doc.normalized(heading)) {
        return false;
    }
    doc.headings
        .iter()
        .enumerate()
        .skip(at + 1)
        .take_while(|(_, h)| h.level > heading.level)
        .filter(|(_, h)| h.kind != HeadingKind::Bold)
        .any(|(i, _)| {
            doc.sections
                .get(i)
                .filter(|s| s.heading == i)
                .is_some_and(|s| own_words(doc, &s.own_body, MIN_WORDS) >= MIN_WORDS)
        })
}

/// Whether a normalised heading's subject is the page's alerts: "Alerts",
/// "Alarms", "Alarm types and how to fix", "Types of alerts", "Alerts by
/// priority". What follows the subject may only say what the section does with
/// them ("and how to handle them") or how they are ordered ("by priority"):
/// "Alerts that runners manager is down" and "Rails SQL Apdex alerts" name one
/// alert, "Dealing with GraphQL alerts" a task.
fn names_alerts(normalized: &str) -> bool {
    // Nearly every heading holds neither word: one byte search first.
    if memchr::memmem::find(normalized.as_bytes(), b"al").is_none() {
        return false;
    }
    let mut words = normalized.split(' ').peekable();
    if words
        .peek()
        .is_some_and(|w| matches!(*w, "types" | "kinds" | "list"))
        && words.clone().nth(1) == Some("of")
    {
        words.next();
        words.next();
        if !words
            .next()
            .is_some_and(|w| matches!(w, "alerts" | "alarms"))
        {
            return false;
        }
    } else {
        match words.next() {
            Some("alerts" | "alarms") => {}
            Some("alert" | "alarm")
                if words.next().is_some_and(|w| matches!(w, "types" | "kinds")) => {}
            _ => return false,
        }
    }
    words.next().is_none_or(|w| w == "and" || w == "by")
}

/// Whether the section of heading `heading` (its subsections included) gives
/// something to run or look at.
fn gives_a_place(doc: &Document<'_>, heading: usize) -> bool {
    doc.sections
        .iter()
        .find(|s| s.heading == heading)
        .is_some_and(|s| runs_or_links(doc, &s.body))
}

/// Whether `span` gives something to run or look at: code or a link.
fn runs_or_links(doc: &Document<'_>, span: &crate::markdown::Span) -> bool {
    has_code(doc, span) || !Document::within(&doc.links, span).is_empty()
}

/// Whether any heading names a part of an incident runbook: its diagnosis, the
/// alert's context or escalation.
fn names_incident_part(doc: &Document<'_>, common: &Common<'_>) -> bool {
    doc.headings.iter().any(|h| {
        common.diagnosis.matches_heading(doc, h)
            || is_context(doc, common, h)
            || common.escalation.matches_heading(doc, h)
    })
}

/// The untitled text between the page's title (or front matter) and heading
/// `first` (the page's end when it has no section), as a byte range, when it
/// points at where to look first: a block that is a check ("Check the [error
/// dashboard]", "Check the status of ManifestWork:") or offers one ("You can find
/// the router error rates on this dashboard:"), with the link or command to follow
/// in it or in what follows it before the next paragraph (the list or code block
/// right after it). On a page that is only untitled text (`first` is `None`), a
/// check first counts without a place ("Diagnosis 1: Inspect the graphs to see
/// if QPS has gone up"): the step rules then ask it for one. Background there
/// ("This alert fires when …") and pointers to reading ("See also: [how
/// healthchecks work](…)") do not count.
fn preamble_checks(doc: &Document<'_>, first: Option<usize>) -> Option<(usize, usize)> {
    let mut start = doc.front_matter.as_ref().map_or(0, |f| f.end);
    if title_headings(doc) == 1
        && let Some(title) = doc.headings.first()
    {
        start = start.max(title.span.end);
    }
    let end = match first {
        Some(first) => doc.headings.get(first)?.span.start,
        None => doc.source().len(),
    };
    let blocks = Document::within(&doc.paragraphs, &(start..end));
    let in_paragraphs = blocks.iter().enumerate().find_map(|(n, p)| {
        let text = doc.text(&p.span);
        let next = blocks.get(n + 1).map_or(end, |b| b.span.start);
        // "Some things to check:" and a list whose items name what to check
        // (`iam.amazonaws.com/role` annotations): the list is the diagnosis.
        let announces = super::steps::announces_checks(text);
        let place = has_code(doc, &p.span)
            || (announces && has_code(doc, &(p.span.end..next)))
            || !Document::within(&doc.code_blocks, &(p.span.end..next)).is_empty()
            || !Document::within(&doc.links, &(p.span.start..next)).is_empty();
        // A pointer to reading ("See the [HOWTO] for background") is no check
        // (`steps::is_check`), so no place to start.
        // A block that is only code (a path, a value) instructs nothing.
        let words = !text.trim_start().starts_with('`');
        // Announced, the checks start at their lead-in: the symptom above it (an
        // error message shown) is the problem's context, not a step.
        let from = if announces { p.span.start } else { start };
        // On a page that is all untitled text, a check first is where the reader
        // starts even when it names no place ("Diagnosis 1: Inspect the graphs
        // …"): the missing place is what the step rules report.
        let whole_page = first.is_none();
        ((place || whole_page)
            && words
            && (announces
                || (super::steps::is_check(text) && !points_at_what_follows(text))
                || offers_a_look(text)))
        .then_some((from, end))
    });
    in_paragraphs.or_else(|| first_item_checks(doc, &(start..end)))
}

/// Whether a block's first verb takes what comes after it on the page as its
/// object: "Use the following troubleshooting steps to resolve issues with
/// `securityadmin.sh`.", "Follow these steps …": it introduces the page's
/// sections, it is no place to start. (Ending in ":", "Check the following:"
/// leads into the list or code right below it, which is.)
fn points_at_what_follows(text: &str) -> bool {
    if text.trim_end().ends_with(':') {
        return false;
    }
    let object: Vec<&str> = super::steps::lead_text(text)
        .split_whitespace()
        .skip(1)
        .take(2)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    super::steps::object_follows(&object)
}

/// The range, when the first top-level list item in it is a check with something
/// to run or look at ("1. Identify from OpenSearch which is the node with the
/// [problem](…)", "1. Check the node: `kubectl get nodes`"): a page whose text
/// under its title is its numbered checks. A tight list holds no paragraphs, so
/// [`preamble_checks`] asks its first item here.
fn first_item_checks(doc: &Document<'_>, range: &crate::markdown::Span) -> Option<(usize, usize)> {
    let item = Document::within(&doc.list_items, range)
        .iter()
        .find(|i| i.depth == 0 && i.quote_depth == 0)?;
    let text = doc.text(&item.span);
    // An item that is only code ("- `/uploads/-/system/…?width=16`" under
    // "e.g.:") is an example, not an instruction.
    let words = !super::steps::lead_text(text).starts_with('`');
    (words && runs_or_links(doc, &item.span) && super::steps::is_check(text))
        .then_some((range.start, range.end))
}

/// Verbs of looking that follow "You can" in a pointer to where to look.
const LOOK_VERBS: &[&str] = &[
    "browse", "check", "find", "look", "monitor", "view", "visit",
];

/// Whether a block offers a place to look: "You can find the … on this
/// dashboard", "You can also view …", "You can visit the healthcheck endpoints".
fn offers_a_look(text: &str) -> bool {
    // "If a node is unresponsive and you don't know what is happening, you can
    // easily check …": the situation first, then the offer.
    let situation = text
        .split_whitespace()
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("if"));
    let text = super::reading::condition_end(text)
        .filter(|_| situation)
        .and_then(|end| text.get(end..))
        .map_or(text, str::trim_start);
    let mut words = text.split_whitespace();
    let (Some(you), Some(can)) = (words.next(), words.next()) else {
        return false;
    };
    // "you can also view", "you can easily check".
    let verb = words
        .find(|w| !(w.eq_ignore_ascii_case("also") || w.ends_with("ly")))
        .unwrap_or("");
    you.eq_ignore_ascii_case("you")
        && can.eq_ignore_ascii_case("can")
        && is_one_of(LOOK_VERBS, verb)
}

/// An alert runbook's diagnosis section ([`Opening::Triage`]): the first section
/// after only the alert's own context sections (and what they contain), when it
/// is a diagnosis section, or the first section that numbers a cause, in them or
/// after them; or, after only the problem's context, a section that opens with
/// a check: a fix section ([`Opening::CheckOpensFix`]) or any other, which is
/// the diagnosis ("### Steps" over "Review the analysis data …").
fn after_alert_context(doc: &Document<'_>, common: &Common<'_>) -> Option<Opening> {
    if common.diagnosis.is_empty() {
        return None;
    }
    let mut inside: Option<u8> = None;
    let mut preamble = false;
    let mut context = false;
    for (i, h) in sections_after_title(doc, common.triage) {
        let has_content = || {
            doc.sections
                .iter()
                .find(|s| s.heading == i)
                .is_some_and(|s| !placeholder(doc, s))
        };
        // "### Root Cause 1: Misconfigured Firewall" under "## Symptoms": the
        // causes the page goes through, each with its check, are its diagnosis.
        if super::steps::numbers_a_cause(doc.normalized(h)) && has_content() {
            return Some(Opening::Triage(i));
        }
        if inside.is_some_and(|level| h.level > level) {
            continue;
        }
        if is_context(doc, common, h) {
            inside = Some(h.level);
            preamble = false;
            context = true;
            continue;
        }
        // "## Cause" after "## Symptom": a one-problem page's explanation of
        // what the reader sees, still the problem's context.
        if context && names_the_cause(doc.normalized(h)) {
            inside = Some(h.level);
            continue;
        }
        // A preamble that opens the page right before the alert's context
        // ("Applicable versions" over "Symptoms", as a knowledge base's
        // template puts it) is part of that context; before anything else it
        // holds the reader up.
        if !context && !preamble && is_preamble(doc.normalized(h)) {
            inside = Some(h.level);
            preamble = true;
            continue;
        }
        if preamble {
            return None;
        }
        let has_content = has_content();
        // "Diagnosis", and a heading that holds a diagnosis name ("What to check").
        let named = (common.diagnosis.matches_heading(doc, h)
            || common.diagnosis.is_contained_after_start(doc, h))
            && has_content;
        // A knowledge base's "## Solution" (or "Remedy") that opens with a check
        // ("Check whether `istio-proxy` is declared as **initContainer** or
        // **container**.", then what to do either way) after only the
        // problem's context: the check is where the reader starts.
        if named || (i > first_section(doc) && is_diagnosis_path(doc, i)) {
            return Some(Opening::Triage(i));
        }
        if !context || !opens_with_check(doc, i) {
            return None;
        }
        // A fix that opens with its check is still the fix; any other section
        // that does ("### Steps" under "### Summary": "Review the OCI
        // credentials provided during DNS configuration.") is the diagnosis.
        return Some(if super::steps::heading_names_fix(doc, h) {
            Opening::CheckOpensFix(i)
        } else {
            Opening::Triage(i)
        });
    }
    None
}

/// The heading indexes of the problem's context and of the fix when a page goes
/// from the one straight to the other: "## Issue" (maybe under what the
/// article applies to, "## Affected products and versions"), then "## Cause"
/// or "## Environment" or nothing, then "## Solution". Nothing between them
/// checks that the reader's problem is this one, so the diagnosis belongs
/// right before the fix.
pub(crate) fn fix_after_problem(doc: &Document<'_>, common: &Common<'_>) -> Option<(usize, usize)> {
    let mut sections = sections_after_title(doc, common.triage).peekable();
    sections.next_if(|(_, h)| states_applicability(doc.normalized(h)));
    let (problem, first) = sections.next()?;
    if !is_context(doc, common, first) {
        return None;
    }
    let mut level = first.level;
    for (i, h) in sections {
        if h.level > level {
            continue;
        }
        let normalized = doc.normalized(h);
        if is_context(doc, common, h) || names_the_cause(normalized) || normalized == "environment"
        {
            level = h.level;
            continue;
        }
        return super::steps::heading_names_fix(doc, h).then_some((problem, i));
    }
    None
}

/// Whether a normalised heading names the one cause of the page's problem:
/// "Cause", "Root cause", "Reason", "Possible causes" (a heading of at most
/// three words that ends so; a numbered cause is [`super::steps::numbers_a_cause`]).
fn names_the_cause(normalized: &str) -> bool {
    /// "Root cause", "Probable root cause".
    const MAX_WORDS: usize = 3;
    normalized.split(' ').nth(MAX_WORDS).is_none()
        && normalized
            .rsplit(' ')
            .next()
            .is_some_and(|w| matches!(w, "cause" | "causes" | "reason" | "reasons"))
}

/// Whether the first block of section `heading`'s text (a paragraph or a list
/// item, its subsections' included) is a check, judged by its first words as a
/// step is.
fn opens_with_check(doc: &Document<'_>, heading: usize) -> bool {
    let Some(section) = doc.sections.iter().find(|s| s.heading == heading) else {
        return false;
    };
    let paragraph = Document::within(&doc.paragraphs, &section.body)
        .iter()
        .find(|p| !p.quoted)
        .map(|p| p.span.clone());
    let item = Document::within(&doc.list_items, &section.body)
        .first()
        .map(|i| i.span.clone());
    // A paragraph inside the first item starts after it: the item is first.
    [paragraph, item]
        .into_iter()
        .flatten()
        .min_by_key(|span| span.start)
        .is_some_and(|first| super::steps::is_check(doc.text(&first)))
}

/// The first subsection of section `first`, when it is a diagnosis or triage
/// section with content and `first` has at most a sentence of its own before it.
fn first_child_diagnosis(doc: &Document<'_>, common: &Common<'_>, first: usize) -> Option<usize> {
    /// "The walk-through gives more context, but for quick reference in a pinch:".
    const INTRO_WORDS: usize = 20;
    let section = doc.sections.iter().find(|s| s.heading == first)?;
    let parent = doc.headings.get(first)?;
    let child_at = first + 1;
    let child = doc
        .headings
        .get(child_at)
        .filter(|h| h.level > parent.level)?;
    let named = common.diagnosis.matches_heading(doc, child)
        || common.diagnosis.is_contained_after_start(doc, child)
        || common.triage.matches_heading(doc, child);
    let short_intro = !has_code(doc, &section.own_body)
        && own_words(doc, &section.own_body, INTRO_WORDS + 1) <= INTRO_WORDS;
    let has_content = doc
        .sections
        .iter()
        .find(|s| s.heading == child_at)
        .is_some_and(|s| !placeholder(doc, s));
    (named && short_intro && has_content).then_some(child_at)
}

/// The heading index of the first section after the title.
fn first_section(doc: &Document<'_>) -> usize {
    title_headings(doc)
}

/// Whether a heading starts (after a step number: "1.", "Step 2:") with a verb of
/// [`INVESTIGATING_VERBS`].
fn heading_checks(text: &str) -> bool {
    // "Checking the Ingress", "Detecting which AZ is out of capacity".
    investigates(step_heading(text).1)
}

/// A heading's first word after a step's number ("Step 1: Create …" → "Create",
/// "1. Ensure …" → "Ensure", "Checking the Ingress" → "Checking"), and whether
/// the heading opens with "Step" and a number.
fn step_heading(text: &str) -> (bool, &str) {
    let mut words = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let mut first = words.next().unwrap_or("");
    let step = first.eq_ignore_ascii_case("step");
    if step {
        first = words.next().unwrap_or("");
    }
    let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    let numbered = digits(first);
    if numbered {
        first = words.next().unwrap_or("");
        // "Step 1/3. Enable verbose logging", "Step 2 of 3: …": the count of steps.
        if first.eq_ignore_ascii_case("of") {
            first = words.next().unwrap_or("");
        }
        if step && digits(first) {
            first = words.next().unwrap_or("");
        }
    }
    (step && numbered, first)
}

/// A section that is a diagnosis path: its own text is a numbered list of checks,
/// most with a command, or a list of checks and nothing else ([`only_checks`]:
/// the step rules then ask each for its command); or its heading is a check ([`heading_checks`]) and the
/// section (its subsections included) gives something to run or look at: code
/// or a link.
fn is_diagnosis_path(doc: &Document<'_>, heading: usize) -> bool {
    let Some(section) = doc.sections.iter().find(|s| s.heading == heading) else {
        return false;
    };
    if doc
        .headings
        .get(heading)
        .is_some_and(|h| heading_checks(&h.text))
        && runs_or_links(doc, &section.body)
    {
        return true;
    }
    let items = Document::within(&doc.list_items, &section.own_body);
    if only_checks(doc, section, items) {
        return true;
    }
    let Some(depth) = items.iter().filter(|i| i.ordered).map(|i| i.depth).min() else {
        return false;
    };
    let top: Vec<_> = items
        .iter()
        .filter(|i| i.ordered && i.depth == depth && i.quote_depth == 0)
        .collect();
    let with_command = top.iter().filter(|i| has_code(doc, &i.span)).count();
    top.len() >= 2 && with_command * 2 > top.len()
}

/// Whether a section's own text is a list of checks and nothing else ("## Before
/// you start" over "- Make sure no network policies are blocking traffic"):
/// every item at its top level starts as a check, and no paragraph stands
/// outside the list (code may). A preamble's list ("## Prerequisites") is no
/// diagnosis, whatever its items say. `items`: the list items of its own text.
fn only_checks(doc: &Document<'_>, section: &Section, items: &[ListItem]) -> bool {
    let Some(depth) = items.iter().map(|i| i.depth).min() else {
        return false;
    };
    let in_an_item = |p: &crate::markdown::Paragraph| {
        items
            .iter()
            .any(|i| i.span.start <= p.span.start && p.span.end <= i.span.end)
    };
    let heading = doc.normalized(doc.heading(section));
    (!is_preamble(heading) || prepares(heading))
        && Document::within(&doc.paragraphs, &section.own_body)
            .iter()
            .all(in_an_item)
        && items
            .iter()
            .filter(|i| i.depth == depth)
            .all(|i| i.quote_depth == 0 && super::steps::is_check(doc.text(&i.span)))
}

/// A section index (front matter and at most a title) or a page whose own words
/// are few and that links elsewhere (a redirect, a list of pointers, headings
/// that are each a link over a sentence about the linked page: [`caption`]). A
/// page that is only a title with nothing to point to is an empty runbook, not a
/// stub. Or a folder's landing page that only links on ([`introduces_folder`]).
fn is_stub(doc: &Document<'_>, path: Option<&str>) -> bool {
    points_elsewhere(doc) || introduces_folder(doc, path)
}

/// [`is_stub`] by the page's text alone.
fn points_elsewhere(doc: &Document<'_>) -> bool {
    if !doc.code_blocks.is_empty() {
        return false;
    }
    let start = doc.front_matter.as_ref().map_or(0, |f| f.end);
    let body = start..doc.source().len();
    // Thirty words of its own and some links fit in far less: a long page is a page.
    if body.len() > MAX_STUB_BYTES {
        return false;
    }
    // A section index: front matter, at most a title, and no words of its own.
    let index_page = doc.front_matter.is_some() && doc.headings.iter().all(|h| h.level <= 1);
    if index_page && own_words(doc, &body, 1) == 0 {
        return true;
    }
    // A page whose text is all template tags (`{{< cli-flags "check" >}}` under
    // its headings): the site writes its content, nothing here can be read.
    if only_template_tags(doc, &body) {
        return true;
    }
    // A page that only points elsewhere: every part links somewhere (most pages
    // fail this at their first paragraph), few words of its own, and nothing to
    // run ("Check the error rate: `kubectl logs … | grep -c ERROR`" then "ask in
    // [#ops-help](…)" is a short runbook, not a pointer).
    links_somewhere(doc, &body)
        && every_part_delegates(doc, &body)
        && (own_words(doc, &body, STUB_WORDS + 1) <= STUB_WORDS
            || words_besides_captions(doc, &body) <= STUB_WORDS)
        && !doc
            .code_spans
            .iter()
            .any(|c| super::steps::reads_as_command(doc.text(&c.span).trim_matches('`').trim()))
}

/// Whether a file's name is a folder's landing page as documentation sites
/// render it: `README.md`, `index.md`, Hugo's `_index.md` (any extension).
fn names_landing_page(path: Option<&str>) -> bool {
    path.and_then(|p| p.rsplit(['/', '\\']).next())
        .and_then(|name| name.split('.').next())
        .is_some_and(|stem| {
            stem.eq_ignore_ascii_case("readme")
                || stem.eq_ignore_ascii_case("index")
                || stem.eq_ignore_ascii_case("_index")
        })
}

/// A folder's landing page ([`names_landing_page`]) with no section under its
/// title, nothing to run and no check, whose text links elsewhere: it
/// introduces the folder's pages ("# Troubleshooting" over what the folder
/// covers, a link to the project's wiki and where to ask for help), whatever
/// its length. A page of any other name written so is a short runbook with
/// no diagnosis (it gets its findings).
fn introduces_folder(doc: &Document<'_>, path: Option<&str>) -> bool {
    if !names_landing_page(path) || !doc.code_blocks.is_empty() {
        return false;
    }
    let start = doc.front_matter.as_ref().map_or(0, |f| f.end);
    let body = start..doc.source().len();
    body.len() <= MAX_STUB_BYTES
        && doc.headings.len() <= 1
        && doc.headings.iter().all(|h| h.level <= 1)
        && links_somewhere(doc, &body)
        && !doc
            .code_spans
            .iter()
            .any(|c| super::steps::reads_as_command(doc.text(&c.span).trim_matches('`').trim()))
        && !doc
            .paragraphs
            .iter()
            .map(|p| &p.span)
            .chain(doc.list_items.iter().map(|i| &i.span))
            .any(|span| super::steps::is_check(doc.text(span)))
}

/// Whether every part of the page with words of its own (the text before the first
/// heading, each heading's own text) also links somewhere, or sits under a heading
/// that is a link ([`caption`]): a page that only points elsewhere, not a short
/// runbook with a placeholder ("Diagnosis: To be added").
fn every_part_delegates(doc: &Document<'_>, body: &crate::markdown::Span) -> bool {
    let preamble = preamble(doc, body);
    let delegates =
        |part: &crate::markdown::Span| own_words(doc, part, 1) == 0 || links_somewhere(doc, part);
    delegates(&preamble)
        && doc
            .sections
            .iter()
            .all(|s| delegates(&s.own_body) || caption(doc, s))
}

/// The page's text before its first heading (`body` starts after the front
/// matter).
fn preamble(doc: &Document<'_>, body: &crate::markdown::Span) -> crate::markdown::Span {
    body.start..doc.headings.first().map_or(body.end, |h| h.span.start)
}

/// At most this many words under a heading that is a link, and they describe the
/// page it links to ([`caption`]).
const CAPTION_WORDS: usize = 40;

/// Whether a section is an index's entry: its heading is nothing but a link
/// ("### [Troubleshooting Common Proxy Errors][2]") and its own text, a
/// sentence or two with nothing to run, says what the linked page covers ("A
/// guide on how to investigate common errors with Contour and Envoy.").
fn caption(doc: &Document<'_>, section: &Section) -> bool {
    let Some(heading) = doc.headings.get(section.heading) else {
        return false;
    };
    let link = match (
        Document::within(&doc.links, &heading.span),
        Document::within(&doc.templated_refs, &heading.span),
    ) {
        ([link], []) => &link.span,
        ([], [link]) => link,
        _ => return false,
    };
    let before = doc.text(&(heading.span.start..link.start));
    let after = doc.text(&(link.end..heading.span.end));
    heading.kind != HeadingKind::Bold
        && before.trim().trim_start_matches('#').trim().is_empty()
        && after.trim().trim_matches('#').trim().is_empty()
        && Document::within(&doc.code_blocks, &section.own_body).is_empty()
        && own_words(doc, &section.own_body, CAPTION_WORDS + 1) <= CAPTION_WORDS
}

/// Words of the page's own outside the captions of its index entries
/// ([`caption`]), counting up to [`STUB_WORDS`] + 1.
fn words_besides_captions(doc: &Document<'_>, body: &crate::markdown::Span) -> usize {
    let preamble = preamble(doc, body);
    let mut count = own_words(doc, &preamble, STUB_WORDS + 1);
    for section in &doc.sections {
        if count > STUB_WORDS {
            break;
        }
        if !caption(doc, section) {
            count += own_words(doc, &section.own_body, STUB_WORDS + 1);
        }
    }
    count
}

/// Whether `range` only points elsewhere: it links somewhere and has no words of
/// its own besides the links' text (a list of links to other runbooks).
fn only_points_elsewhere(doc: &Document<'_>, range: &crate::markdown::Span) -> bool {
    links_somewhere(doc, range) && own_words(doc, range, 1) == 0
}

/// Whether `range` holds a link, counting one whose target is a site generator's
/// shortcode: Hugo's `[Node RAID Degraded]({{< ref "./NodeRAIDDegraded.md" >}})`
/// is a link on the site, though CommonMark, seeing spaces in the target, reads
/// it as text.
fn links_somewhere(doc: &Document<'_>, range: &crate::markdown::Span) -> bool {
    if !Document::within(&doc.links, range).is_empty()
        || !Document::within(&doc.templated_refs, range).is_empty()
    {
        return true;
    }
    let text = doc.text(range).as_bytes();
    memchr::memmem::find(text, b"]({{<").is_some() || memchr::memmem::find(text, b"]({{%").is_some()
}

/// The first section named as a diagnosis section (`diagnosis`, matched exactly)
/// that is a [`placeholder`]: the heading's index.
pub(crate) fn placeholder_diagnosis(
    doc: &Document<'_>,
    diagnosis: &crate::markdown::HeadingMatcher,
) -> Option<usize> {
    doc.sections.iter().find_map(|s| {
        let h = doc.headings.get(s.heading)?;
        (diagnosis.matches_exactly(doc, h) && placeholder(doc, s)).then_some(s.heading)
    })
}

/// Whether a section holds fewer than [`MIN_DIAGNOSIS_WORDS`] words of its own
/// and nothing to open or run: empty, "TODO", "To be added" ("Use the
/// [CloudNativePG Grafana Dashboard](…)." gives the place to look).
fn placeholder(doc: &Document<'_>, section: &crate::markdown::Section) -> bool {
    own_words(doc, &section.body, MIN_DIAGNOSIS_WORDS) < MIN_DIAGNOSIS_WORDS
        && Document::within(&doc.links, &section.body).is_empty()
        && Document::within(&doc.code_blocks, &section.body).is_empty()
        && Document::within(&doc.code_spans, &section.body).is_empty()
}

/// Whether the text of `range`, outside its headings and comments, is nothing but
/// site template tags (Hugo's `{{< … >}}` and `{{% … %}}`, Liquid's `{% … %}`,
/// any `{{ … }}`): at least one, and no word besides.
fn only_template_tags(doc: &Document<'_>, range: &crate::markdown::Span) -> bool {
    let text = doc.text(range);
    if memchr::memmem::find(text.as_bytes(), b"{{").is_none()
        && memchr::memmem::find(text.as_bytes(), b"{%").is_none()
    {
        return false;
    }
    let mut rest = String::with_capacity(text.len());
    let mut at = range.start;
    let mut skips: Vec<&crate::markdown::Span> = Document::within(&doc.headings, range)
        .iter()
        .map(|h| &h.span)
        .chain(Document::within(&doc.html_comments, range))
        .chain(Document::within(&doc.definitions, range))
        .collect();
    skips.sort_by_key(|s| s.start);
    for skip in skips {
        if skip.start > at {
            rest.push_str(doc.text(&(at..skip.start)));
            rest.push('\n');
        }
        at = at.max(skip.end);
    }
    rest.push_str(doc.text(&(at..range.end.max(at))));
    let Some((outside, tags)) = outside_template_tags(&rest) else {
        return false;
    };
    tags > 0 && !outside.split_whitespace().any(is_own_word)
}

/// The text of `text` outside site template tags (Hugo's `{{< … >}}` and `{{% …
/// %}}`, Liquid's `{% … %}`, any `{{ … }}`; each tag leaves a space), and how
/// many tags there were. `None` when a tag is not closed.
pub(crate) fn outside_template_tags(text: &str) -> Option<(String, usize)> {
    let mut tags = 0;
    let mut text = text;
    let mut outside = String::with_capacity(text.len());
    while let Some(open) = text.find('{') {
        let close = match text.get(open + 1..open + 2) {
            Some("{") => "}}",
            Some("%") => "%}",
            _ => {
                outside.push_str(text.get(..=open).unwrap_or(""));
                text = text.get(open + 1..).unwrap_or("");
                continue;
            }
        };
        let end = text.get(open + 2..)?.find(close)?;
        outside.push_str(text.get(..open).unwrap_or(""));
        outside.push(' ');
        tags += 1;
        text = text.get(open + 2 + end + close.len()..).unwrap_or("");
    }
    outside.push_str(text);
    Some((outside, tags))
}

/// Words in `range` outside headings, links (and references to templated
/// definitions), HTML comments, definitions and bare URLs, counting up to `limit`
/// (enough to tell a page of its own from one that points elsewhere).
fn own_words(doc: &Document<'_>, range: &crate::markdown::Span, limit: usize) -> usize {
    // Headings, links and comments each come in document order: merged as they are
    // read, so a page past `limit` words stops early without collecting them all.
    let mut headings = Document::within(&doc.headings, range)
        .iter()
        .map(|h| &h.span)
        .peekable();
    let mut links = Document::within(&doc.links, range)
        .iter()
        .map(|l| &l.span)
        .peekable();
    let mut comments = Document::within(&doc.html_comments, range)
        .iter()
        .peekable();
    // `[//]: # 'Shared content for …'`: a definition the page does not show.
    let mut definitions = Document::within(&doc.definitions, range).iter().peekable();
    // `[Envoy Debug Logging][5]` with a templated `[5]:` (rare): a link on the site.
    let mut refs = Document::within(&doc.templated_refs, range)
        .iter()
        .peekable();
    let mut next_skip = || {
        let (h, l, c, d, r) = (
            headings.peek().map(|s| s.start),
            links.peek().map(|s| s.start),
            comments.peek().map(|s| s.start),
            definitions.peek().map(|s| s.start),
            refs.peek().map(|s| s.start),
        );
        let first = [h, l, c, d, r].into_iter().flatten().min()?;
        if h == Some(first) {
            headings.next()
        } else if l == Some(first) {
            links.next()
        } else if c == Some(first) {
            comments.next()
        } else if d == Some(first) {
            definitions.next()
        } else {
            refs.next()
        }
    };
    let mut count = 0;
    let mut at = range.start;
    let mut count_in = |text: &str| {
        for word in text.split_whitespace() {
            if !is_own_word(word) {
                continue;
            }
            count += 1;
            if count >= limit {
                return true;
            }
        }
        false
    };
    while let Some(s) = next_skip() {
        if s.start > at && count_in(doc.text(&(at..s.start.min(range.end)))) {
            return limit;
        }
        at = at.max(s.end);
    }
    if at < range.end && count_in(doc.text(&(at..range.end))) {
        return limit;
    }
    count
}

/// A word of the page's own: with a letter, not a URL, not `[ref]: url` or wiki
/// markup such as `[[_TOC_]]`. Every word of a short page is read: bytes first.
fn is_own_word(word: &str) -> bool {
    let b = word.as_bytes();
    if b.first() == Some(&b'[')
        || memchr::memchr(b':', b).is_some() && b.windows(3).any(|w| w == b"://")
    {
        return false;
    }
    b.iter().any(u8::is_ascii_alphabetic)
        || (!word.is_ascii() && word.chars().any(char::is_alphabetic))
}

// --- hooks for the configuration's `runbook.kinds` and JSON's `"skipped"` ---

/// The page's shape, with the kind the configuration gives this path (`runbook.kinds`),
/// which applies when the page's front matter names none: the page's own word
/// wins. A page of kind `stub` (either way) is a stub, whatever its content.
pub(crate) fn shape_with_kind(
    doc: &Document<'_>,
    common: &Common<'_>,
    configured: Option<super::RunbookKind>,
    path: Option<&str>,
) -> Shape {
    let written = declared_kind(doc);
    let declared = written.and_then(super::RunbookKind::parse);
    let Some(kind) = declared.or(configured) else {
        return shape_declared(doc, common, written, path);
    };
    let incident = kind.is_incident();
    Shape {
        stub: kind == super::RunbookKind::Stub || is_stub(doc, path),
        incident,
        opening: if incident {
            opening(doc, common)
        } else {
            Opening::NotAsked
        },
    }
}

/// Why a page whose shape is a stub gets no findings but broken references, for
/// JSON's `"skipped"` and the human format's one line.
pub(crate) fn stub_reason(
    doc: &Document<'_>,
    configured: Option<super::RunbookKind>,
    path: Option<&str>,
) -> &'static str {
    let declared = declared_kind(doc).and_then(super::RunbookKind::parse);
    if declared == Some(super::RunbookKind::Stub) {
        return "its front matter says `runbook_kind: stub`";
    }
    if declared.is_none() && configured == Some(super::RunbookKind::Stub) {
        return "`runbook.kinds` in the configuration makes it a stub";
    }
    let body = doc.front_matter.as_ref().map_or(0, |f| f.end)..doc.source().len();
    if doc.front_matter.is_some() && own_words(doc, &body, 1) == 0 {
        "a section index: front matter and at most a title"
    } else if only_template_tags(doc, &body) {
        "its content is written by the site's template tags ({{< … >}}), which lint-pr cannot read"
    } else if !points_elsewhere(doc) && introduces_folder(doc, path) {
        "a folder's landing page: no section, nothing to run or check, only links to read on"
    } else {
        "it only points to other pages"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common_matchers() -> (HeadingMatcher, HeadingMatcher, HeadingMatcher) {
        (
            HeadingMatcher::new("Start here", ["Triage"]),
            HeadingMatcher::new("Diagnosis", ["Troubleshooting", "Checks"]),
            HeadingMatcher::new("Meaning", ["Impact", "Symptoms", "Summary"]),
        )
    }

    fn shape_of(md: &str) -> Shape {
        shape_at(md, None)
    }

    #[test]
    fn a_solution_that_opens_with_a_check_after_the_symptom_and_its_cause() {
        let page = |solution: &str| {
            format!(
                "# Jobs can't finish\n## Symptom\nPods stay NotReady.\n## Cause\nThe proxy runs as a regular container.\n## Solution\n{solution}\n"
            )
        };
        let checks = shape_of(&page(
            "Check whether `istio-proxy` is declared as **initContainer** or **container**.\n\n- If it is a container, switch to a native sidecar.",
        ));
        assert_eq!(checks.opening, Opening::CheckOpensFix(3), "{checks:?}");
        // The reader starts there, but the step rules do not read the fix as a
        // triage section.
        assert_eq!(checks.triage(), None);
        // A Solution that starts with the fix gives no diagnosis.
        let fixes = shape_of(&page(
            "Disable locality load balancing in the DestinationRule.",
        ));
        assert!(
            matches!(fixes.opening, Opening::Missing { .. }),
            "{fixes:?}"
        );
        // A cause alone is no context: it must follow the symptom.
        let no_symptom = shape_of(
            "# Jobs can't finish\n## Cause\nThe proxy runs as a container.\n## Solution\nCheck whether `istio-proxy` is an init container.\n",
        );
        assert_ne!(no_symptom.opening, Opening::Triage(2), "{no_symptom:?}");
        assert!(
            names_the_cause("cause")
                && names_the_cause("root cause")
                && names_the_cause("possible reasons")
        );
        assert!(
            !names_the_cause("causes of slow queries in the primary")
                && !names_the_cause("because")
        );
    }

    #[test]
    fn a_folder_s_landing_page_that_only_links_on_is_a_stub() {
        let landing = "# Troubleshooting\n\nThe troubleshooting section aims to identify the most common recurring problems the users face when they use the Istio module, as well as the most suitable solutions to these problems. See also [Troubleshooting Istio](https://github.com/istio/istio/wiki/Troubleshooting-Istio).\n\nIf you can't find a solution, look for open issues in the [Istio GitHub repository](https://github.com/kyma-project/istio/issues). You can also reach out to our [Slack channel](https://kyma-community.slack.com/) to get direct support from the community.\n";
        let at = |path: &str| shape_at(landing, Some(path));
        assert!(at("docs/user/troubleshooting/README.md").stub);
        assert!(at("content/troubleshooting/_index.md").stub);
        // Under any other name, the same text is a short page with no
        // diagnosis, and gets its findings.
        assert!(!at("docs/user/troubleshooting/overview.md").stub);
        // A landing page with a section, a command or a check is read.
        let section = format!("{landing}\n## Known issues\nx\n");
        assert!(!shape_at(&section, Some("docs/README.md")).stub);
        let check = format!("{landing}\nCheck the [status page](https://status.example.com).\n");
        assert!(!shape_at(&check, Some("docs/README.md")).stub);
        let run = format!("{landing}\nRun `kubectl get pods -n istio-system`.\n");
        assert!(!shape_at(&run, Some("docs/README.md")).stub);
        let doc = Document::parse(landing);
        assert!(stub_reason(&doc, None, Some("docs/README.md")).contains("landing page"));
    }

    #[test]
    fn a_list_of_the_alerts_a_page_defines_is_no_alerts_context() {
        // "Alert" is a context name, as in the recommended preset: "Alerts"
        // matches it by its plural.
        let context = HeadingMatcher::new("Meaning", ["Alert", "Summary"]);
        let shape = |md: &str| shape_with_context(md, None, &context);
        let listed = "# Mastodon Web\n## Key metrics\nx\n## Alerts\n1. **WebLatencyCritical** – p99 above 1 s for 10 m.\n2. **WebLatencyWarning** – APDEX below 0.85.\n## Notes\ny\n";
        assert!(!shape(listed).incident);
        // One alert's own context still makes the page an alert's runbook.
        let own = "# KubePodCrashLooping\n## Alert\nA pod restarts more than 3 times in 10 minutes.\n## Diagnosis\nCheck the events.\n";
        assert!(shape(own).incident);
    }

    /// The shape of `md` stored at `path` (no `runbook.kinds` configured).
    fn shape_at(md: &str, path: Option<&str>) -> Shape {
        let (_, _, context) = common_matchers();
        shape_with_context(md, path, &context)
    }

    /// [`shape_at`] with the alert's context sections named by `context`.
    fn shape_with_context(md: &str, path: Option<&str>, context: &HeadingMatcher) -> Shape {
        let (triage, diagnosis, _) = common_matchers();
        let escalation = HeadingMatcher::new("Escalation", ["When to escalate"]);
        let common = Common {
            triage: &triage,
            diagnosis: &diagnosis,
            context,
            escalation: &escalation,
        };
        shape_with_kind(&Document::parse(md), &common, None, path)
    }

    #[test]
    fn an_alert_layout_opens_with_its_diagnosis() {
        let s = shape_of(
            "# A\n## Meaning\nx\n### More\ny\n## Impact\nz\n## Diagnosis\n1. Check the pods are running\n## Mitigation\n",
        );
        assert_eq!(s.opening, Opening::Triage(4));
        let s = shape_of("# A\n## Meaning\nx\n## Mitigation\nfix\n## Diagnosis\n1. Check\n");
        assert_eq!(s.opening, Opening::Missing { first: 1 });
        let s = shape_of("# A\n## Background\nx\n## Diagnosis\n1. Check\n");
        assert_eq!(s.opening, Opening::Missing { first: 1 });
    }

    #[test]
    fn a_page_of_alerts_written_out_opens_with_them() {
        let alerts = "# Alerts\n\n## job_metrics\n\nThe job metrics goroutine has not updated its cache.\n\nYou should check the logs.\n";
        // A first level-1 heading over nothing, or a line, names the page.
        let s = shape_of(&format!("# Datahopper Production Manual\n\n{alerts}"));
        assert_eq!(s.opening, Opening::Triage(1));
        let s = shape_of(&format!(
            "# CDN Production Manual\n\nGeneral information is in the [README](./README.md).\n\n{alerts}"
        ));
        assert_eq!(s.opening, Opening::Triage(1));
        // "# General" over background is the first section.
        let s = shape_of(&format!(
            "# General\n\nproberk runs in Kubernetes with no frontend.\n\n{alerts}"
        ));
        assert_eq!(s.opening, Opening::Missing { first: 0 });
        // Alerts that only link elsewhere are an index, not a diagnosis path.
        let doc = Document::parse("# X\n\n# Alerts\n\n## A\n\n[A](a.md)\n");
        assert!(!lists_alerts(&doc, 1));
        let page = format!("# X\n\n{alerts}");
        let doc = Document::parse(&page);
        assert!(lists_alerts(&doc, 1));
        assert!(!lists_alerts(&doc, 2));
        // A first level-1 heading with a section of its own is no title.
        let doc =
            Document::parse("# Troubleshooting\n\n```\nkubectl get pods\n```\n\n# Recovery\n");
        assert_eq!(title_headings(&doc), 0);
    }

    #[test]
    fn a_section_of_alerts_is_named_by_them_or_by_their_types() {
        for heading in [
            "alerts",
            "alarms",
            "alarm types and how to fix",
            "alert types and how to handle them",
            "types of alerts",
            "alerts by priority",
        ] {
            assert!(names_alerts(heading), "{heading}");
        }
        for heading in [
            "alerts that runners manager is down",
            "rails sql apdex alerts",
            "dealing with graphql alerts",
            "alert",
            "alerting",
            "types of pages",
            "alarm setup",
        ] {
            assert!(!names_alerts(heading), "{heading}");
        }
        // GovWifi's CloudWatch alarms: a paragraph of checks per alarm.
        let doc = Document::parse(
            "# CloudWatch Alarms\n## Alarm Setup\nThe alarms notify Slack.\n## Alarm types and how to fix.\n### DB CPU High\nIndicates high load on the database, investigate CloudWatch logs.\n",
        );
        assert!(lists_alerts(&doc, 2));
        assert!(shape_of(
            "# CloudWatch Alarms\n## Alarm Setup\nThe alarms notify Slack.\n## Alarm types and how to fix.\n### DB CPU High\nIndicates high load on the database, investigate CloudWatch logs.\n"
        )
        .incident);
    }

    #[test]
    fn a_first_section_named_for_troubleshooting_makes_an_incident_page() {
        // The OpenTelemetry Operator's auto-instrumentation page.
        let page = "# Auto-instrumentation\nIf you're not seeing any traces, follow these steps.\n## Troubleshooting steps\n### Check installation status\nRun `kubectl get otelinst`.\n";
        assert!(shape_of(page).incident);
        // Only first: a procedure may end with its own troubleshooting steps.
        let how_to = "# Set up the exporter\n## Install the chart\nRun `helm install x`.\n## Troubleshooting steps\nCheck the pods.\n";
        assert!(!shape_of(how_to).incident);
        // A check of a procedure first is no word of diagnosis.
        let procedure = "# Changes to nameserver records\n## Check if this change will involve BT\nIf the domain is in the portal, this involves BT.\n## Scheduling changes\nTell the teams.\n";
        assert!(!shape_of(procedure).incident);
    }

    #[test]
    fn word_lists_are_sorted_for_their_binary_search() {
        for list in [
            PROBLEM_WORDS,
            TASK_VERBS,
            TASK_NOUNS,
            DETERMINERS,
            INVESTIGATING_VERBS,
            SITUATIONS,
            LOOK_VERBS,
            PREAMBLE,
        ] {
            assert!(crate::rules::text::sorted_lowercase(list), "{list:?}");
        }
        assert!(is_one_of(PROBLEM_WORDS, "Down") && !is_one_of(PROBLEM_WORDS, "dow"));
    }

    #[test]
    fn a_title_that_says_the_page_diagnoses_makes_it_an_incident_page() {
        assert!(names_diagnosis("\"Cilium Troubleshooting\""));
        // A site generator's tag is no word of the title.
        assert!(!names_problem(
            "Monitor the {{< param \"FULL_PRODUCT_NAME\" >}} component controller"
        ));
        assert!(names_problem("The disk is full {{< badge >}}"));
        assert!(!names_diagnosis(
            "Profile {{% param \"DEBUG_NAME\" %}} resource use"
        ));
        assert!(names_diagnosis("Troubleshooting GitHub"));
        assert!(names_diagnosis(
            "Debugging AWS Console read-only access issues"
        ));
        assert!(names_diagnosis("How to debug a stuck queue"));
        assert!(!names_diagnosis("Increase logging to debug site search"));
        assert!(!names_diagnosis("Rotating the keys"));
        // With the tool it is done with: a guide to that tool.
        assert!(!names_diagnosis("Troubleshooting with Agent Skills"));
        assert!(!names_diagnosis("Diagnosis with Kibana"));
        assert!(names_diagnosis(
            "Debugging slow queries with pg_stat_statements"
        ));
        assert!(shape_of("# Cilium Troubleshooting\n## Check status\nx\n").incident);
        assert!(
            shape_of("---\ntitle: Teleport Process State Is Not Okay\n---\n## Overview\nx\n")
                .incident
        );
        assert!(!shape_of("# Cilium setup\n## Steps\nx\n").incident);
    }

    #[test]
    fn a_diagnosis_page_opens_with_its_first_section_unless_a_preamble() {
        let s = shape_of("# Audit Logs Troubleshooting\n## Gather all logs\nx\n## Using Loki\ny\n");
        assert_eq!(s.opening, Opening::Triage(1));
        // "# Table of Contents" under a front matter's title is a section, not the title.
        let s = shape_of(
            "---\ntitle: Cilium Troubleshooting\n---\n# Table of Contents\n1. [a](#a)\n## Command Line Tool\nx\n",
        );
        assert!(s.incident && s.triage().is_none(), "{s:?}");
        // The problem's context first: the alert layout decides.
        let s = shape_of("# Chef troubleshooting\n## Symptoms\nx\n## Fix\ny\n");
        assert_ne!(s.opening, Opening::Triage(1));
        // Causes numbered under the symptoms, each with its check, are the
        // diagnosis the symptoms lead to.
        let s = shape_of(
            "# Webhook refused\n## Symptoms\nx\n### Root Cause 1: Firewall\nCheck your firewall rules and ensure the control plane reaches the workers.\n### Root Cause 2: DNS\ny\n## Mitigation\nz\n",
        );
        assert_eq!(s.opening, Opening::Triage(2), "{s:?}");
        // An empty one is no diagnosis.
        let s = shape_of(
            "# Webhook refused\n## Symptoms\nx\n### Root Cause 1: Firewall\n## Mitigation\nz\n",
        );
        assert_ne!(s.opening, Opening::Triage(2), "{s:?}");
        // Which versions the page applies to, or its scope, is a preamble too: a
        // knowledge-base page's "Applicable versions" is no diagnosis.
        for first in ["Applicable versions", "Applies to", "Scope"] {
            let s = shape_of(&format!(
                "---\ntitle: \"Troubleshooting: RWX volume fails to expand\"\n---\n## {first}\nv1.8.0\n## Root Cause\nx\n## Mitigation\ny\n"
            ));
            assert!(s.incident && s.triage().is_none(), "{first}: {s:?}");
        }
        // Right before the symptoms, it belongs to the problem's context: the
        // numbered causes after them still open the page.
        let s = shape_of(
            "# Webhook refused
## Applicable versions
v1.5.0
## Symptoms
x
### Root Cause 1: Firewall
Check your firewall rules and ensure the control plane reaches the workers.
## Mitigation
z
",
        );
        assert_eq!(s.opening, Opening::Triage(3), "{s:?}");
        // After the symptoms, a preamble ("Background") is no part of them.
        let s = shape_of(
            "# Queue too large
## Symptoms
x
## Background
y
## Overview
z
### Root Cause 1: Firewall
Check your firewall rules and ensure the control plane reaches the workers.
",
        );
        assert_ne!(s.opening, Opening::Triage(4), "{s:?}");
    }

    #[test]
    fn a_preamble_that_points_at_where_to_look_opens_the_page() {
        let md = "# Errors too high\n\nYou can find the error rates on this dashboard:\n\n- [5xx](https://g.example/d)\n\n## Description\nx\n";
        let s = shape_of(md);
        assert!(matches!(s.opening, Opening::Preamble { .. }), "{s:?}");
        // Background, a pointer to reading, or a look with no place to go: no.
        for md in [
            "# Errors too high\n\nThis alert fires when errors pass 1 in 10.\n\n## Description\nx\n",
            "# Errors too high\n\n_See the [HOWTO](h.md) for background._\n\n## Description\nx\n",
            "# Errors too high\n\nYou can find the error rates on the dashboard.\n\n## Description\nx\n",
        ] {
            assert_eq!(shape_of(md).opening, Opening::Missing { first: 1 }, "{md}");
        }
    }

    #[test]
    fn a_page_of_text_or_under_its_only_heading_opens_where_it_checks() {
        // No section under the title: the text starting with a check and its
        // command is the diagnosis path (PostHog's debug-hanging page).
        let md = "# Node not responding\n\nIf a node is unresponsive, you can easily check the stacks by running:\n\n```sql\nSELECT * FROM system.stack_trace\n```\n";
        assert!(
            matches!(shape_of(md).opening, Opening::Preamble { .. }),
            "{md}"
        );
        // The only heading opens the page: it is the title, whatever its level.
        let md = "---\nrunbook_kind: alert\n---\n## ApplyFailed\n\nThere are 3 kinds of work.\n\nCheck the status of the work:\n\n```bash\noc get manifestwork x -o yaml\n```\n";
        assert!(
            matches!(shape_of(md).opening, Opening::Preamble { .. }),
            "{md}"
        );
        // A page that is all untitled text and opens with a check: the reader
        // starts there, with or without a place (the step rules ask for one).
        let md = "---\ntitle: Elevated query latency\n---\n## Elevated query latency\n\nDiagnosis 1: Inspect the graphs to see if QPS has gone up.\n\nAction: Inform the engineer.\n";
        assert!(
            matches!(shape_of(md).opening, Opening::Preamble { .. }),
            "{md}"
        );
        // Text that only describes, or a block that is only a value: no place to start.
        for md in [
            "# Node not responding\n\nThis happens when a merge holds a lock.\n",
            "# State lock error\n\nThe value will be:\n\n`bucket/env/terraform.tfstate-md5`\n",
        ] {
            assert_eq!(shape_of(md).opening, Opening::NoSections, "{md}");
        }
    }

    #[test]
    fn a_page_whose_text_is_its_numbered_checks_opens_with_them() {
        // A tight list under the title: no paragraphs, its first item checks.
        for md in [
            "# Node is down\n\n1. Check the node: `kubectl get nodes`\n2. SSM into the node.\n",
            "# Node is down\n\n1. Identify from OpenSearch which node has the [problem](https://o.example/d).\n2. SSM into the node.\n",
        ] {
            assert!(
                matches!(shape_of(md).opening, Opening::Preamble { .. }),
                "{md}"
            );
        }
        // Its first item a fix, or a check with nothing to run or look at: no.
        for md in [
            "# Node is down\n\n1. Restart the node: `systemctl restart kubelet`\n2. Check it.\n",
            "# Node is down\n\n1. Check the node.\n2. SSM into the node: `aws ssm start-session`\n",
            "# Node is down\n\nPaths, e.g.:\n\n- `/uploads/a.png?width=16`\n- `/uploads/b.png`\n",
        ] {
            assert_eq!(shape_of(md).opening, Opening::NoSections, "{md}");
        }
    }

    #[test]
    fn a_first_section_of_numbered_commands_is_the_triage_section() {
        let s = shape_of(
            "# Checkout is down\n## When checkout fails\n1. `kubectl get pods`\n2. `curl -s x/health`\n3. Ask\n",
        );
        assert_eq!(s.opening, Opening::Triage(1));
        let s = shape_of("# Checkout is down\n## Architecture\n1. The web tier\n2. The database\n");
        assert_eq!(s.opening, Opening::Missing { first: 1 });
        let s = shape_of("# Set up a YubiKey\n## Steps\n1. Plug it in\n");
        assert_eq!(
            s.opening,
            Opening::NotAsked,
            "a procedure is not asked for triage"
        );
    }

    #[test]
    fn a_page_that_names_none_of_its_parts_opens_with_its_first_section() {
        // Incident by its title alone, one section per cause: the first is where
        // its diagnosis starts.
        let md = "# Nginx is down\n## Invalid configuration\nRun `nginx -t`.\n## Port in use\nx\n";
        assert_eq!(shape_of(md).opening, Opening::Triage(1));
        for md in [
            // A preamble first holds the reader up.
            "# Nginx is down\n## Overview\nSee [x](https://x).\n## Invalid configuration\ny\n",
            // As does a fix.
            "# Nginx is down\n## Resolution steps\nRun `nginx -t`.\n",
            // A page that names its diagnosis elsewhere is asked to open with it.
            "# Nginx is down\n## Invalid configuration\nRun `nginx -t`.\n## Troubleshooting\ny\n",
            // As is one that names the alert's context or escalation.
            "# Nginx is down\n## Invalid configuration\nRun `nginx -t`.\n## Escalation\ny\n",
            // And a first section with nothing to run or look at.
            "# Nginx is down\n## Reason\nA bad deploy.\n## Port in use\nRun `ss -ltnp`.\n",
        ] {
            assert_eq!(shape_of(md).opening, Opening::Missing { first: 1 }, "{md}");
        }
    }

    #[test]
    fn a_heading_that_holds_a_diagnosis_name_follows_the_context() {
        let s = shape_of(
            "# Prometheus high memory\n## Symptoms\nx\n## Possible checks\n1. Check the heap size now\n## Resolution\n",
        );
        assert_eq!(s.opening, Opening::Triage(2));
    }

    #[test]
    fn an_untitled_page_is_known_by_its_file_name() {
        let md = "## What to check\n1. Reachability of the target\n";
        assert!(shape_at(md, Some("docs/monitoring/target-is-down.md")).incident);
        assert!(!shape_at(md, Some("docs/monitoring/target-setup.md")).incident);
        // A first heading that names a problem stands for the title: the file's
        // name is not read.
        let md = "## Remove broken runners\nx\n";
        assert!(!shape_at(md, Some("docs/x-is-down.md")).incident);
    }

    #[test]
    fn a_placeholder_diagnosis_is_no_diagnosis() {
        let s = shape_of("# A\n## Meaning\nx\n## Diagnosis\nTo be added.\n## Mitigation\n");
        assert_eq!(s.opening, Opening::Missing { first: 1 });
        // A line that links the place to look, or gives a command, is short, not
        // empty.
        let linked = "# A\n## Meaning\nx\n## Diagnosis\nUse the [dashboard](https://g.example/d).\n## Mitigation\n";
        assert_eq!(shape_of(linked).opening, Opening::Triage(2));
        let command = "# A\n## Meaning\nx\n## Diagnosis\nRun `kubectl get pods`.\n## Mitigation\n";
        assert_eq!(shape_of(command).opening, Opening::Triage(2));
    }

    #[test]
    fn a_finding_type_named_like_a_context_is_no_context() {
        let generated = "Impact:EC2/PortSweep\n--------------------\n\n### An EC2 instance is probing a port.\n\nThis finding informs you …\n";
        assert!(!shape_of(generated).incident);
        assert!(!names_an_identifier("Impact: users cannot log in"));
        assert!(!names_an_identifier("Impact"));
        assert!(names_an_identifier("Impact:S3/AnomalousBehavior.Delete"));
        assert!(shape_of("# Disk full\n## Impact\nx\n## Diagnosis\ny\n").incident);
    }

    #[test]
    fn procedures_and_reference_pages_are_not_incident_runbooks() {
        assert!(shape_of("# Sentry is down\n## Overview\nx\n").incident);
        assert!(shape_of("# Checkout\n## Overview\nx\n## Escalation\ny\n").incident);
        assert!(!shape_of("# Set up a YubiKey\n## Prerequisites\nx\n").incident);
        assert!(!shape_of("# Renaming nodes\n## Steps\nx\n## Troubleshooting\ny\n").incident);
        assert!(shape_of("# Grafana\n## Layout\nx\n## Troubleshooting\ny\n").incident);
        assert!(
            !shape_of("---\nruntime: x\nrunbook_kind: procedure\n---\n# Down\n## Triage\n")
                .incident
        );
    }

    #[test]
    fn a_first_section_headed_by_a_check_with_something_to_look_at_is_the_diagnosis() {
        let opens = |md: &str| matches!(shape_of(md).opening, Opening::Triage(_));
        assert!(opens(
            "# LB outage\n## Determine if the outage is the vendor or us\nCheck the [status page](https://s).\n"
        ));
        assert!(opens(
            "# Gitaly down\n## Symptoms\nx\n## 1. Ensure that the server is running\n- `ping host`\n"
        ));
        // Nothing to run or look at, or a heading that is no check.
        assert!(!opens("# LB outage\n## Determine the cause\nThink hard.\n"));
        assert!(!opens(
            "# LB outage\n## Architecture\nSee [docs](https://d).\n"
        ));
        assert!(heading_checks("Step 2: Identify the Redis master"));
        assert!(!heading_checks("Checklist"));
    }

    #[test]
    fn gerunds_situations_and_templates_in_titles() {
        // A gerund of work is a how-to; a gerund that investigates is not.
        assert!(
            !shape_of(
                "# Loading archives into BigQuery
## Steps
x
## Troubleshooting
y
"
            )
            .incident
        );
        assert!(
            shape_of(
                "# Debugging gitaly
## Steps
x
## Troubleshooting
y
"
            )
            .incident
        );
        assert!(names_task_by_gerund("Accessing"));
        // A development guide names planned work too.
        assert!(
            !shape_of("# Local frontend development\n## Running apps\nx\n## Troubleshooting\ny\n")
                .incident
        );
        for investigating in [
            "Troubleshooting",
            "Diagnosing",
            "Debugging",
            "Triaging",
            "Checking",
        ] {
            assert!(!names_task_by_gerund(investigating), "{investigating}");
        }
        assert!(!names_task_by_gerund("Thing"));
        // Work in a known situation: the outage is not the page's subject.
        assert_eq!(task_part("Deploy when GitHub is unavailable"), "Deploy ");
        assert_eq!(task_part("Rotate the keys"), "Rotate the keys");
        assert!(
            !shape_of("---\ntitle: Deploy when GitHub is unavailable\n---\n## Mirror\nx\n")
                .incident
        );
        assert!(shape_of("# GitHub is unavailable\n## Mirror\nx\n").incident);
        // "How to investigate …" diagnoses; "How to rotate …" is a how-to.
        assert!(!names_task(
            "How to Investigate PrometheusOutOfOrderTimestamps"
        ));
        assert!(names_task("How to rotate the keys"));
        // A template heading shows the front matter's title.
        assert!(
            !shape_of(
                "---\ntitle: Accessing private endpoints\n---\n# <%= current_page.data.title %>\n## Overview\nx\n## Troubleshooting\ny\n"
            )
            .incident
        );
    }

    #[test]
    fn a_task_title_over_sections_named_by_work_is_a_how_to() {
        // The task handles a problem ("errors"): its steps' section, named by
        // work in progress, says the page is the how-to.
        let how_to = "# Disabling sending errors to a project in Sentry\n## Overview\nx\n## Disabling errors\n1. Navigate to the project\n";
        assert!(!shape_of(how_to).incident);
        // Without such a section the problem in the title still makes an
        // incident page ("Restoring data corruption …" with "## Symptoms").
        assert!(shape_of("# Restoring data corruption\n## Symptoms\nx\n## Steps\ny\n").incident);
        // A section named by investigating ("## Checking the logs") is no work.
        assert!(shape_of("# Handling failed deploys\n## Checking the logs\nx\n").incident);
    }

    #[test]
    fn a_first_section_that_only_lists_checks_opens_the_diagnosis() {
        let page = |first: &str, body: &str| {
            format!(
                "# Why is the metrics server unreachable?\nx\n## {first}\n{body}\n## Check the status\n```sh\nkubectl get apiservice\n```\n"
            )
        };
        let checks = "- Make sure no network policies are blocking traffic\n- Verify the pods run";
        assert_eq!(
            shape_of(&page("Before you start", checks)).opening,
            Opening::Triage(1)
        );
        // A preamble's list, an item that is no check, or a paragraph beside the
        // list: the reader is held up before the diagnosis.
        let late = |md: &str| shape_of(md).opening != Opening::Triage(1);
        assert!(late(&page("Prerequisites", checks)));
        assert!(late(&page(
            "Before you start",
            "- Make sure no network policies block traffic\n- Install jq"
        )));
        assert!(late(&page(
            "Before you start",
            "Some background first.\n\n- Verify the pods run"
        )));
        assert!(late(&page("Before you start", "Nothing listed.")));
        // On a page titled as troubleshooting, "Before you begin" and its
        // requirements prepare the reader, as "Prerequisites" does.
        let titled = |first: &str| {
            format!(
                "# Troubleshooting Provisioning Request\nx\n## {first}\nBefore you begin, make sure your cluster meets these requirements:\n- Kueue's version is `v0.5.3` or newer.\n## Identifying the request\n```sh\nkubectl describe workload W\n```\n"
            )
        };
        assert_eq!(
            shape_of(&titled("Before you begin")).opening,
            Opening::Missing { first: 1 }
        );
        assert_eq!(shape_of(&titled("Networking")).opening, Opening::Triage(1));
        assert!(prepares("before you start") && prepares("before you begin"));
        assert!(!prepares("before you restart the pods"));
    }

    #[test]
    fn sections_that_only_send_the_reader_on_do_not_open_the_page() {
        let md = "# Rook cluster is unhealthy\n\n## Ceph Common Issues\n\nFor common issues specific to Ceph, see the [Ceph Common Issues](c.md) page.\n\n## Block (RBD)\n\nSee the sections below for RBD if you are having block volume issues.\n\n## Troubleshooting Techniques\n\nCheck the pods: `kubectl get pods`\n";
        assert_eq!(shape_of(md).opening, Opening::Triage(3));
        // A section that says more, or runs something, is a section.
        let md = "# Rook cluster is unhealthy\n\n## Background\n\nSee the [design](d.md) page. Then `kubectl get pods` to list them.\n\n## Troubleshooting\n\nCheck the pods: `kubectl get pods`\n";
        assert!(!only_sends_on(&Document::parse(md), 1));
        // Only pointers: none is skipped, the page starts with its first.
        let md = "# Rook cluster is unhealthy\n\n## Ceph\n\nSee the [Ceph](c.md) page.\n";
        assert_eq!(shape_of(md).opening, Opening::Triage(1));
    }

    #[test]
    fn a_title_labelled_as_one_issue_or_saying_something_fails_names_a_problem() {
        assert!(names_problem("Issue - Users unable to import via the App"));
        assert!(names_problem("Known issue: pods stuck in Terminating"));
        // Issues as the title's subject, its last word.
        assert!(names_problem("CSI Common Issues"));
        assert!(names_problem("Resolving OpenSearch shard problems"));
        // Or followed by the situation they come up in.
        assert!(names_problem("Common issues when running Dapr"));
        assert!(names_problem("Known problems during upgrades"));
        assert!(!names_problem("Issues"));
        assert!(!names_problem("Raise issues with Reliability Engineering"));
        assert!(!names_problem("Issue templates"));
        assert!(names_problem(
            "Issues \u{2013} the extension opens on a shortcut"
        ));
        assert!(names_problem(
            "Why does GKE 1.16 fail to fetch external metrics?"
        ));
        // The question a reader asks when something is wrong, and "unable".
        assert!(names_problem("Why is my `ScaledObject` paused?"));
        assert!(names_problem("\"Why is my ScaledObject paused?\""));
        assert!(names_problem(
            "Control plane is unable to reach the metrics server"
        ));
        // "Why" that asks no question, or a question that asks no why.
        assert!(!names_problem("Why we use Kafka"));
        assert!(!names_problem("How do I rotate the keys?"));
        assert!(!names_problem("Whyte notes?"));
        // About issues, not one: a tracker's labels, its templates.
        assert!(!names_problem("Issue Labelling"));
        assert!(!names_problem("Issue templates"));
        assert!(!names_problem("Tissue samples: storage"));
        assert!(
            REFERENCE_PARTS.is_sorted(),
            "binary search needs them sorted"
        );
    }

    #[test]
    fn a_check_whose_object_is_what_follows_is_no_place_to_start() {
        assert!(points_at_what_follows(
            "Use the following troubleshooting steps to resolve issues with `x.sh`."
        ));
        assert!(points_at_what_follows(
            "Follow these steps when the node is down."
        ));
        assert!(!points_at_what_follows(
            "Use the `status` command: `x.sh status`."
        ));
        assert!(!points_at_what_follows("Check the following dashboards:"));
        let page = "# x.sh troubleshooting\n\nUse the following steps to resolve issues with `x.sh`, see [docs](https://x).\n\n## Overview\n\nText.\n\n## Check the port\n\nRun `curl localhost`.\n";
        assert!(!matches!(shape_of(page).opening, Opening::Preamble { .. }));
        let page = page.replace(
            "Use the following steps to resolve issues with",
            "Use `x.sh status` to check",
        );
        assert!(matches!(shape_of(&page).opening, Opening::Preamble { .. }));
    }

    #[test]
    fn a_title_that_starts_by_investigating_names_no_task() {
        // "migrations" is what goes wrong, not the work the page does.
        assert!(!names_task("Debugging long-running migrations"));
        assert!(shape_of("# Debugging long-running migrations\nKill the queries.\n").incident);
        // A task noun after any other first word is still the page's work, and
        // "Debugging a …" is still a how-to (a debugger on a local instance).
        assert!(names_task("Sidekiq queue migration"));
        assert!(names_task("Debugging a local instance"));
        // A last word of diagnosis says what the page does with the task noun.
        assert!(!names_task("Migration Assistant troubleshooting"));
        assert!(!names_task("Database migration debugging"));
        // A first word that names what goes wrong is no task's gerund.
        assert!(!names_task("Missing Fields in Falco Logs"));
        assert!(!names_task("Failing backups"));
        assert!(names_task("Loading data into BigQuery"));
        assert!(
            shape_of("# Missing fields in agent logs\n\n## Sockets\n\nCheck the sockets.\n")
                .incident
        );
        assert!(
            shape_of("# Migration Assistant troubleshooting\n\n## Pods\n\nCheck the pods.\n")
                .incident
        );
    }

    #[test]
    fn a_diagnosis_page_whose_first_section_is_a_fix_or_a_reference_opens_without_diagnosis() {
        let reference = "# Troubleshooting throttling\n## Key Configuration Parameters\n* `--qps` (default 20)\n## Additional troubleshooting\nx\n";
        assert_eq!(shape_of(reference).opening, Opening::Missing { first: 1 });
        let fix = "# Troubleshooting throttling\n## Resolution\nRaise `--qps`.\n";
        assert_eq!(shape_of(fix).opening, Opening::Missing { first: 1 });
        // Settings with commands to run are a tool's checks: the page opens there.
        let tool = "# Troubleshooting Tools\n## Settings\nValidate them:\n```\nargocd admin settings validate\n```\n";
        assert_eq!(shape_of(tool).opening, Opening::Triage(1));
        // "Missing settings" is a problem to diagnose, not a reference.
        let problem = "# Troubleshooting throttling\n## Missing settings\nx\n";
        assert_eq!(shape_of(problem).opening, Opening::Triage(1));
    }

    #[test]
    fn a_tutorials_numbered_tasks_are_its_steps() {
        assert!(numbers_a_task("Step 1: Create a Kubernetes Cluster"));
        assert!(numbers_a_task("Step 2 - Configure Helm Repositories"));
        assert!(!numbers_a_task("Step 1: Check the logs"));
        assert!(!numbers_a_task("Steps"));
        // The count of steps is no verb.
        assert!(numbers_a_task("Step 1/3. Enable verbose logging"));
        assert!(numbers_a_task("Step 2 of 3: Generate a debug dump"));
        assert!(!numbers_a_task("Step 1/3. Check the logs"));
        let tutorial = "# Microservices mode\n## Prerequisites\nx\n## Step 1: Create a cluster\ny\n## Step 2: Deploy Cortex\nz\n## Troubleshooting\nw\n";
        assert!(!shape_of(tutorial).incident);
        // Numbered checks are a diagnosis, not a tutorial.
        let checks = "# Ingest lag\n## Prerequisites\nx\n## Step 1: Check the queue\ny\n## Step 2: Verify the consumers\nz\n## Troubleshooting\nw\n";
        assert!(shape_of(checks).incident);
    }

    #[test]
    fn a_page_laid_out_as_a_how_to_is_one_whatever_its_title() {
        assert!(
            PROCEDURE_PARTS.is_sorted(),
            "binary search needs them sorted"
        );
        // Two parts of a how-to: Troubleshooting at its end is the how-to's own.
        assert!(
            !shape_of(
                "# Receivers Checker\n## Prerequisites\nx\n## How to run\ny\n## Troubleshooting\nz\n"
            )
            .incident
        );
        // One alone is the access a service's checks need.
        assert!(shape_of("# Grafana\n## Prerequisites\nx\n## Troubleshooting\ny\n").incident);
        // The same part twice is still one.
        assert!(shape_of("# Grafana\n## Steps\nx\n## Troubleshooting\ny\n## Steps\nz\n").incident);
        // A title that names a problem keeps the page an incident runbook.
        assert!(
            shape_of("# Redis is down\n## Prerequisites\nx\n## Steps\ny\n## Troubleshooting\nz\n")
                .incident
        );
    }

    #[test]
    fn what_takes_the_title() {
        let title = |md: &str| title_headings(&Document::parse(md));
        assert_eq!(title("# Redis\n## Troubleshooting\n"), 1);
        // Several level-1 headings are the page's top sections.
        assert_eq!(title("# Troubleshooting\n## a\n# Recovery\n"), 0);
        // A problem opening a page with no level-1 heading is its title, when
        // sections follow; not after text, nor under a front-matter title.
        assert_eq!(
            title("<!-- x -->\n## Problem: git uses CPU\n## Commands\n"),
            1
        );
        assert_eq!(title("## Problem: git uses CPU\n"), 0);
        // So is one that names its diagnosis (patroni's performance page).
        let degradation = "## Troubleshooting database degradation\n\nTo search for the root cause, check the metrics.\n\n### Check CPU utilization\nx\n";
        assert_eq!(title(degradation), 1);
        assert!(shape_of(degradation).incident);
        assert_eq!(
            title("Intro.\n\n## Problem: git uses CPU\n## Commands\n"),
            0
        );
        assert_eq!(
            title("---\ntitle: x\n---\n## High-level overview\n## Types\n"),
            0
        );
        // A "Summary" below other sections is a service page's.
        assert!(
            !shape_of("# Jaeger Service\n## Logging\nx\n## Summary\ny\n## Architecture\nz\n")
                .incident
        );
        // First, a generic context opens an alert's runbook only beside another
        // of its parts: alone it describes a service, a command ("##
        // Description" over "## Command" and "## Parameters") or a proposal.
        assert!(!shape_of("# Jaeger\n## Summary\ny\n## Architecture\nz\n").incident);
        assert!(
            !shape_of("# MoveTables\n## Description\ny\n## Command\nz\n## Parameters\nw\n")
                .incident
        );
        assert!(shape_of("# Jaeger\n## Summary\ny\n## Troubleshooting\nz\n").incident);
        // The diagnosis under a longer name that starts with one.
        assert!(
            shape_of("# Runbook: WebLatency\n## Summary\ny\n## Quick checks\nz\n## Diagnosis steps\n1) Compare\n")
                .incident
        );
        assert!(!shape_of("# Jaeger\n## Summary\ny\n## Checking out the code\nz\n").incident);
        assert!(shape_of("# Jaeger\n## Summary\ny\n## Escalation\nz\n").incident);
        assert!(shape_of("# Jaeger\n## Summary\ny\n## Impact\nz\n").incident);
        assert!(shape_of("# Jaeger\n## Meaning\ny\n## Architecture\nz\n").incident);
        assert!(shape_of("# Jaeger\n## Logging\nx\n## Symptoms\ny\n").incident);
    }

    #[test]
    fn how_tos_named_by_a_task_noun_or_front_matter_title_are_procedures() {
        // A troubleshooting section, or whom to call, does not make a procedure an
        // incident runbook, whether its title starts with the task or names it.
        assert!(
            !shape_of("# Sidekiq queue migration\n## Steps\nx\n## Troubleshooting\ny\n").incident
        );
        assert!(
            !shape_of("# GKE Cluster Upgrade Procedure\n## Steps\nx\n## Escalation\ny\n").incident
        );
        assert!(
            !shape_of(
                "---\ntitle: Rotating RDS credentials\n---\n## Steps\nx\n## Troubleshooting\ny\n"
            )
            .incident
        );
        // Any verb before a determiner is a task ("Reindex an Elasticsearch
        // index", "Modify a change note …"); a check is not.
        assert!(
            !shape_of(
                "---\ntitle: \"Reindex an Elasticsearch index\"\n---\n## When to reindex\nx\n## Troubleshooting\ny\n"
            )
            .incident
        );
        assert!(shape_of("# Check the replicas\n## Troubleshooting\nx\n").incident);
        // "Component: task", and a "Summary" deep in a how-to's steps.
        assert!(
            !shape_of("# Cloudflare: Managing Traffic\n## General\nx\n## Escalation\ny\n").incident
        );
        assert!(
            !shape_of("# GKE Cluster Upgrade Procedure\n## Steps\nx\n### Summary\ny\n").incident
        );
        assert!(shape_of("# Thanos compact\n## Problems\nx\n### Symptoms\ny\n").incident);
        assert!(shape_of("# Gitaly queuing\n## Troubleshooting\nx\n").incident);
        // A title that names a problem, an alert's context or a triage section
        // still make it one.
        assert!(shape_of("# Upgrade failed\n## Troubleshooting\nx\n").incident);
        assert!(shape_of("# GKE upgrade\n## Symptoms\nx\n").incident);
        assert!(shape_of("# Sidekiq queue migration\n## Start here\nx\n").incident);
    }

    #[test]
    fn pages_about_being_on_call_are_no_incident_runbooks() {
        let policy = "---\ntitle: On-call and escalation\n---\nx\n## Escalation schedules\ny\n";
        assert!(!shape_of(policy).incident);
        assert!(!shape_of("# Engineer On Call (EOC)\n## Going on call\n### Alerts\nx\n").incident);
        // The same sections under a service's title are an incident page's, and a
        // title that names a problem keeps the page one.
        assert!(shape_of("# Sentry\n## Escalation schedules\ny\n").incident);
        assert!(shape_of("# On-call: Sentry is down\n## Escalation\ny\n").incident);
        assert!(about_being_on_call("Oncall rotation"));
        assert!(!about_being_on_call("Call the vendor"));
    }

    #[test]
    fn a_how_to_first_section_makes_a_how_to() {
        let resize = "---\ntitle: Resize disk\n---\n#### How-to\n1. Run a `helm upgrade`\n#### Troubleshooting\nIf it failed, check the operator's logs.\n";
        assert!(!shape_of(resize).incident);
        // "How to investigate" is diagnosis, and a troubleshooting section first
        // still makes an incident page.
        let investigate =
            "---\ntitle: Resize disk\n---\n## How to investigate\nx\n## Troubleshooting\ny\n";
        assert!(shape_of(investigate).incident);
        let troubleshooting = "---\ntitle: Resize disk\n---\n## Troubleshooting\nx\n## How-to\ny\n";
        assert!(shape_of(troubleshooting).incident);
    }

    #[test]
    fn a_record_of_what_was_done_is_a_reference_page() {
        let record = "# Sentry is down\n## Investigation\n- Reviewed the logs\n- Checked the \
                      queue\n- Confirmed `v1.43`\n- Verified the fix\n- Stopped the job\n- \
                      Navigated to the console\n- A note\n";
        assert!(!shape_of(record).incident);
        // The same page saying what to do is an incident runbook: four past
        // tenses are too few.
        let runbook = record
            .replace("Reviewed", "Review")
            .replace("Checked", "Check");
        assert!(shape_of(&runbook).incident);
        // Six past tenses among nineteen items are under a third.
        let long = format!("{record}{}", "- Look at the graph\n".repeat(12));
        assert!(shape_of(&long).incident);
    }

    #[test]
    fn post_incident_reviews_are_reference_pages() {
        // By title, though it names a problem.
        assert!(
            !shape_of(
                "# Incident on 2023-06-06 - User services down

x
"
            )
            .incident
        );
        assert!(!shape_of("---\ntitle: \"Postmortem: API down\"\n---\nx\n").incident);
        // By two of a review's fields.
        let review = "# Prometheus DOWN\n\n- **Key events**\n  - detected 10:26\n\n- **Time to repair**: 0h 55m\n";
        assert!(!shape_of(review).incident);
        // One "Root cause" section in a service's runbook is no review, nor is the
        // same field twice, nor a word that only starts like one ("Timelines").
        assert!(shape_of("# Sentry is down\n## Root cause\nx\n## Root cause\ny\n").incident);
        assert!(shape_of("# Sentry is down\n## Timelines\n## Key eventsx\n").incident);
        // A title that only mentions an incident is not a review's.
        assert!(shape_of("# Incident response when Sentry is down\nx\n").incident);
    }

    #[test]
    fn a_page_of_template_tags_is_a_stub() {
        let tags = "---\ntitle: check\n---\n{{< cli-description \"check\" >}}\n\n## Flags\n\n{{% cli-flags \"check\" %}}\n<!-- generated -->\n";
        assert!(shape_of(tags).stub);
        // A word of its own beside the tags is content.
        let prose = "# Check\n\n{{< cli-description \"check\" >}}\n\nRun it first.\n";
        assert!(!shape_of(prose).stub);
        // An unclosed tag is text, not a tag.
        assert!(!shape_of("# Check\n\n{{< cli-description\n").stub);
    }

    #[test]
    fn stubs_are_index_pages_and_pointers() {
        assert!(shape_of("---\ntitle: node\n---\n").stub);
        assert!(shape_of("Moved into the [backups runbook](backups.md).\n").stub);
        assert!(
            !shape_of("# Empty runbook\n").stub,
            "a bare title is an empty runbook"
        );
        assert!(
            !shape_of("# A\n## Meaning\nPrometheus is not ingesting.\n## Diagnosis\nTODO\n").stub
        );
        assert!(!shape_of("# A\nSee [x](y.md).\n```sh\nkubectl get pods\n```\n").stub);
        assert!(
            !shape_of("# A\n## Meaning\nScheduler is down.\n## Diagnosis\nTo be added.\n## Mitigation\nSee [docs](x.md)\n").stub,
            "a short alert runbook with a placeholder is not a pointer"
        );
    }

    #[test]
    fn a_failure_named_as_the_state_of_the_tasks_object_is_no_incident() {
        assert!(object_state("How to Re-run a Failed BFD Pipeline Load"));
        assert!(object_state("Replace the broken disk"));
        assert!(!object_state("How to Recover from `migrator` Failures"));
        assert!(!object_state("Restart the workers when the queue is stuck"));
        assert!(!object_state("How to restart the pods"));
        let steps = "\n\n1. Stop the importer: `systemctl stop importer`.\n2. Start it: `systemctl start importer`.\n";
        assert!(!shape_of(&format!("# How to Re-run a Failed Import{steps}")).incident);
        assert!(shape_of(&format!("# How to Recover from Import Failures{steps}")).incident);
    }

    #[test]
    fn an_index_of_linked_headings_is_a_stub() {
        let entry =
            |n: usize| format!("### [Guide {n}][{n}]\nWhat the guide covers, in a sentence.\n\n");
        let defs = "[1]: /docs/{{< param version >}}/one/\n[2]: /docs/{{< param version >}}/two/\n[3]: /docs/{{< param version >}}/three/\n";
        let page = format!(
            "## Troubleshooting\n\nStart from the guide that matches, or [ask][4].\n\n{}{}{}{defs}[4]: {{{{< param chat >}}}}\n",
            entry(1),
            entry(2),
            entry(3)
        );
        assert!(shape_of(&page).stub, "{page}");
        // Plain links in the headings read the same.
        let plain = page
            .replace("][1]", "](one.md)")
            .replace("][2]", "](two.md)")
            .replace("][3]", "](three.md)");
        assert!(shape_of(&plain).stub);
        // An entry with a diagnosis of its own under its link is content.
        let long = format!(
            "{page}\n### [Guide 4](four.md)\n{}\n",
            "Look at the access log and find the upstream it chose. ".repeat(6)
        );
        assert!(!shape_of(&long).stub);
        // A heading that is text around a link is no index entry.
        let text = page.replace("### [Guide 2][2]", "### Read [Guide 2][2] first");
        assert!(!shape_of(&text).stub);
    }
}
