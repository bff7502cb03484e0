use super::Opening;
use crate::rules::options::Headings;
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That the first section under the runbook's title is a triage section, named
    /// the way on-call people name it: "If you don't know what's wrong yet, start
    /// here", "If you're not sure what's wrong", "Start here", "Triage", "First
    /// steps" and the like. The title is the first heading when it is a level-1
    /// heading; YAML front matter is skipped. A bold line (`**Note:**`) is not a
    /// section unless it names the triage section (`**Start here**`). On a page of
    /// several level-1 headings, the first is its title when it has nothing of its
    /// own but a sentence ("# Datahopper Production Manual" over "General
    /// information is in the [README]", then "# Alerts"), unless it names a
    /// preamble or what is general ("# General" over the service's background is
    /// its first section). A first section of the page's alerts ("Alerts",
    /// "Alarms", "Alarm types and how to fix", "Types of alerts", "Alerts by
    /// priority") that writes each alert out in a subsection of its own (what it
    /// means, what to check: "## job_metrics") opens with diagnosis: the reader
    /// arrives from the alert at its section (one whose subsections only link
    /// elsewhere is an index); after "## Alarm Setup" and "## List of Alarms" it
    /// does not. A page whose first section starts with a word of diagnosis
    /// ("## Troubleshooting steps" under "Auto-instrumentation") is an incident
    /// page, opening with its diagnosis.
    ///
    /// Only incident runbooks are asked (an alert's or a service's). Procedures,
    /// a how-to named by its task ("Sidekiq queue migration") or laid out as one
    /// (two of "Prerequisites", "Steps", "Usage", "How to run", …, where two
    /// headings numbering tasks, "Step 1: Create a cluster", count as "Steps"; or a first
    /// section "How-to" / "How to scale ClickHouse vertically"), post-incident
    /// reviews, records of work done (a third of their list items, five or more,
    /// in the past tense: "Reviewed …", "Verified …"), pages about being on call ("On-call and escalation", "Engineer On
    /// Call (EOC)"), reference pages and stubs are not; front matter `runbook_kind:`
    /// (YAML, or `runbook_kind = "procedure"` in Hugo's TOML front matter) or
    /// `runbook.kinds` in the configuration says what a page is when its content
    /// does not. A page's title is its first level-1 heading or its front matter's
    /// `title`, in either form.
    ///
    /// ## Why it matters at 3am
    /// Runbooks are usually organised by component or by alert, but the person
    /// paged does not yet know which component is at fault. A triage section that
    /// comes first turns "something is wrong" into "go to section X" in a few
    /// commands, instead of reading the whole page.
    ///
    /// ## Example
    /// ```markdown
    /// # Checkout service
    /// ## Architecture
    /// ...
    /// ## Database failover
    /// ...
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// # Checkout service
    /// ## If you don't know what's wrong yet, start here
    /// 1. Check the error rate: `kubectl logs deploy/checkout | grep -c ERROR`
    ///    - If above 100 a minute: see "Database failover".
    /// ## Architecture
    /// ...
    /// ```
    ///
    /// An alert runbook in the Meaning / Impact / Diagnosis / Mitigation layout opens
    /// with its diagnosis: a diagnosis section that comes after only the alert's own
    /// context sections ("Meaning", "Impact", "Alert description", the Meaning asked
    /// as a question, "What does this alert mean?"; and before any fix) is its
    /// triage section, and so is the first section that numbers one of the
    /// causes or cases, in or after them ("## Case 1: the HTTP service doesn't
    /// respond", "### Root Cause 1: Misconfigured Firewall"
    /// under "## Symptoms": each cause comes with its check; a preamble that
    /// opens the page right before that context, "Applicable versions" over
    /// "Symptoms" as a knowledge base's template has it, counts as part of
    /// the context, while anywhere else a preamble holds the reader up). A
    /// one-problem page's "Cause" ("Root cause", "Reason") after its "Symptom"
    /// is part of that context too, and a section after them that opens with a
    /// check, whatever its heading, opens the diagnosis there: a fix section
    /// ("## Solution" over "Check whether `istio-proxy` is declared as
    /// **initContainer** or **container**.", then what to do either way; the
    /// step rules still read it as the fix it is), or any other ("### Steps"
    /// under "### Summary" of what an analysis tool found, over "Review the
    /// analysis data, which might help identify the issue."; the step rules
    /// read its checks). One that opens with the fix gives none. So is a first
    /// section that is a numbered list of checks, most with a command, or a list of
    /// checks and nothing else ("Before you start" over "- Make sure no network
    /// policies are blocking traffic": the step rules then ask each for its
    /// command), whatever its heading says (unless it names a preamble:
    /// "Prerequisites"), and one whose heading is itself a check ("Determine if the
    /// outage is the vendor or us", "1. Ensure that the file server is running",
    /// "Checking the Ingress", "Detecting which AZ is out of capacity")
    /// and that gives a command or a link, and a first section that only introduces
    /// a diagnosis subsection ("Quick reference commands", then "Diagnostic
    /// commands"). A page whose title says it diagnoses ("Cilium Troubleshooting",
    /// "Debug documents showing incorrectly in site search", "OCS Operator
    /// diagnosis", "Debugging long-running migrations", "Migration Assistant
    /// troubleshooting" (a task's name before it is what is diagnosed); not one that names the
    /// tool it is done with, "Troubleshooting with Agent Skills", "Diagnosis with
    /// Kibana": a guide to that tool; nor one named by a debug setting, "Debug
    /// logs", "Debug mode": how to turn more output on) is an incident page, and
    /// a diagnosis path from its first section on unless that section is a
    /// preamble ("Table of Contents", "Overview", "Prerequisites", "Before you
    /// begin" over the requirements to meet first, getting access:
    /// "Accessing jumpboxes", "Setup", what the page applies to: "Applicable
    /// versions", "Scope"; a "# Table of Contents" under a front
    /// matter's title is a section, not the title), the problem's context
    /// ("Symptoms"), a fix ("Resolution", "Workaround") or settings to look up
    /// with no command to run ("Key Configuration Parameters": flags and their
    /// defaults). A title that names a problem by negation ("Teleport Process State
    /// Is Not Okay", "Kube Pod Not Ready"), by failing ("Why does GKE 1.16 fail to
    /// fetch external metrics?", "Control plane is unable to communicate to
    /// Metric server?"), by what is missing or failing as its first word
    /// ("Missing Fields in Falco Logs": no task's gerund), by the question a reader asks in trouble ("Why is my
    /// `ScaledObject` paused?") or as one issue ("Issue - Users unable to import
    /// …", "Known issue: …"; not "Issue Labelling"), or by issues as its subject,
    /// its last word ("CSI Common Issues", "Resolving OpenSearch shard
    /// problems") or before the situation they come up in ("Common issues when
    /// running Dapr"; not "Raise issues with …"), makes an incident page too. Sections
    /// first that only send the reader on ("## Ceph Common Issues": "For common
    /// issues specific to Ceph, see the [Ceph Common Issues](…) page"; "### Block
    /// (RBD)": "See the sections below for RBD if …"; a few words, nothing to run,
    /// no preamble's name) open nothing: the page starts after them. A
    /// page that names
    /// none of an incident runbook's parts (no diagnosis, context or escalation
    /// heading: "Nginx is down" with one section per cause, "## Reproduce the
    /// plan" first) opens with its first section when that section gives a
    /// command or a link and is neither a preamble nor a fix ("Resolution
    /// Steps"): nothing on the page says its diagnosis starts later. A page whose untitled text under the title points at where to
    /// look first, with the link or command to follow ("You can find the router
    /// error rates on this dashboard:" and the dashboard's link; "Check the
    /// [error budget]"), opens there: its steps are read as the triage section's.
    /// So does a page with no section under its title whose text starts so ("If a
    /// ClickHouse node is unresponsive …, you can easily check the stacktraces …
    /// by running:" and the query, or a paragraph that opens with a check even with
    /// no place to look: "Diagnosis 1: Inspect the graphs to see if QPS has gone
    /// up", which the step rules then ask for one), whose text is a list whose first item is such
    /// a check ("1. Identify from OpenSearch which is the node with the
    /// [problem](…)"), or that announces its checks after the symptom
    /// ("Some things to check:" and a list naming them; the checks start there),
    /// and a page whose only heading opens it, whatever
    /// its level ("## ManifestWorkApplyFailed" over the alert's text): that heading
    /// is its title. A block that is only code (a path, a value) points nowhere,
    /// and neither does one that introduces the sections below ("Use the
    /// following troubleshooting steps to resolve issues with `securityadmin.sh`").
    /// Background there ("This alert fires when …") or a pointer to reading ("See
    /// the [HOWTO] for background") is not a place to start. A first "Problem description"
    /// or "Problem statement" is the alert's own context ("Problem - Not able to
    /// connect" among other problems is a catalogue's entry, not one alert's),
    /// and so is a bare "Problem" or "Issue" (a knowledge base's "## Problem"
    /// over the error as logged, then "## Resolution": the logged lines are no
    /// place to start; alone, as "Summary" does, it only describes: a how-to
    /// may open with the problem it solves; followed by a fix's section, "##
    /// Issue", "## Cause", "## Solution", maybe under "## Affected products and
    /// versions", it is a knowledge base's article, a page opened when that
    /// problem happens, unless its title names a task: "How to install
    /// lotus-wallet" over "## Problem:" and "## Resolution:"). Only incident pages are asked (see the README's "Which
    /// runbooks get which rules"): a service's page whose "Summary" sits among
    /// its Architecture and Scalability sections, or whose "## Alerts" lists the
    /// alerts it defines (a list, not a section per alert), a page that opens with a
    /// "Description" or "Summary" and has nothing else of an alert's runbook (its
    /// diagnosis, under any name that starts with one: "## Diagnosis steps"; its
    /// escalation; a context of its own) (a
    /// command's reference: "Description", "Command", "Parameters"; a design
    /// proposal), or a how-to titled "Loading …
    /// into BigQuery", "Deploy when GitHub is unavailable" or "How to Re-run a
    /// Failed Pipeline Load" (the failure is the state of what the task works
    /// on; a situation that opens the title ends at its comma: "During
    /// installation, fatal PDO error displays" names a problem), is not one (a
    /// triage heading makes a how-to an incident page only as one of its top
    /// sections: "#### Where to start" among an upgrade's steps does not), nor is a
    /// page whose "## Alerts" only lists links to each alert's runbook (an index of
    /// other pages, not this page's alert context). An alert
    /// runbook whose diagnosis section is empty or a placeholder ("TODO") is
    /// reported on that heading (a line that links the place to look or gives
    /// a command, "Use the [CloudNativePG Grafana Dashboard](…).", is short,
    /// not empty). When the page does have a diagnosis section
    /// further down ("## Debugging" after "## Background"), the finding names it
    /// and its line, and the help says to move it up. When the page goes from
    /// the problem's context straight to its fix ("## Issue", "## Cause",
    /// "## Solution"; "## Symptoms", then "## Mitigation"), the finding names
    /// both, and the help says to add the diagnosis right before the fix. A section index or a page that only points
    /// elsewhere (a redirect, a list of links; a link to Hugo's `{{< ref "…" >}}`
    /// counts, as the site renders it; a page with a command to run, even in
    /// inline code, is no such page) has no diagnosis path to ask for and is
    /// skipped, as is a folder's landing page (`README.md`, `index.md`,
    /// `_index.md`) with no section under its title, nothing to run and no
    /// check, whose text links on ("# Troubleshooting" over what the folder
    /// covers and where to ask for help), and a page whose text is only the site's template tags
    /// (`{{< cli-flags "check" >}}` under its headings: the site writes it;
    /// comments written as link definitions, `[//]: # 'Shared content'`, are
    /// not shown and do not count).
    ///
    /// ## Options
    /// `names`: the headings accepted as a triage section.
    /// `diagnosis`: an alert runbook's diagnosis sections (Diagnosis, Troubleshooting…).
    /// `context`: the alert's own context sections that may come first (Meaning,
    /// Impact, Summary, Symptoms…).
    pub struct TriageFirst {
        id: "runbook/triage-first",
        summary: "the runbook does not open with a \"start here\" triage section",
        default_severity: Error,
        applies_to: Runbook,
        options: [TriageFirst::NAMES.0, TriageFirst::DIAGNOSIS.0, TriageFirst::CONTEXT.0],
    }
}

impl TriageFirst {
    /// The headings accepted as a triage section. The step rules read steps in this
    /// section too (through [`crate::rules::Common`]).
    pub(crate) const NAMES: Headings = Headings::new(
        "names",
        "heading names",
        "the headings accepted as a triage section",
    );
    /// An alert runbook's diagnosis sections: accepted as its triage section when
    /// only the alert's own context sections come before.
    pub(crate) const DIAGNOSIS: Headings = Headings::new(
        "diagnosis",
        "heading names",
        "an alert runbook's diagnosis sections, accepted as the triage section after only context sections",
    );
    /// The alert's own context sections, which may come before its diagnosis.
    pub(crate) const CONTEXT: Headings = Headings::new(
        "context",
        "heading names",
        "an alert's own context sections (Meaning, Impact, …), which may come before its diagnosis section",
    );
}

/// Name the heading to write: the first configured triage name.
fn help(names: &crate::markdown::HeadingMatcher) -> String {
    let name = if names.name().is_empty() {
        "Start here"
    } else {
        names.name()
    };
    [
        "open the runbook with \"## ",
        name,
        "\": numbered checks, each with a command and what its output means",
    ]
    .concat()
}

/// The message for a runbook whose first section (heading `first`) is no
/// triage section, and, when the diagnosis the author did write comes further
/// down ("## Debugging" after "## Background"), the help that moves it up.
fn missing(cx: &LintContext<'_>, first: usize) -> (String, Option<String>) {
    let headings = &cx.doc.headings;
    let text = |i: usize| headings.get(i).map_or("", |h| h.text.as_ref());
    let mut message = [
        "runbook does not open with a triage section; the first section is \"",
        text(first),
        "\"",
    ]
    .concat();
    let diagnosis = TriageFirst::DIAGNOSIS.get(cx.options);
    let Some((later, heading)) = headings
        .iter()
        .enumerate()
        .skip(first + 1)
        .find(|(_, h)| diagnosis.matches_heading(cx.doc, h))
    else {
        // "## Issue", "## Cause", "## Solution": the diagnosis goes right
        // before the fix.
        let Some((problem, fix)) = super::fix_after_problem(cx.doc, &cx.shared.common) else {
            return (message, None);
        };
        let message = [
            "runbook does not open with a triage section; it goes from the problem (\"",
            text(problem),
            "\") to its fix (\"",
            text(fix),
            "\") with no check that this is the reader's problem",
        ]
        .concat();
        let name = if diagnosis.name().is_empty() {
            "Diagnosis"
        } else {
            diagnosis.name()
        };
        let help = [
            "before \"",
            text(fix),
            "\", add \"## ",
            name,
            "\": the checks that confirm this is the problem, each with a command and what its output means",
        ]
        .concat();
        return (message, Some(help));
    };
    message.push_str(&format!(
        " and the diagnosis comes later, under \"{}\" (line {})",
        text(later),
        cx.doc.line_of(heading.span.start)
    ));
    let help = format!(
        "move \"{}\" up to be the runbook's first section, before \"{}\", or {}",
        text(later),
        text(first),
        help(TriageFirst::NAMES.get(cx.options))
    );
    (message, Some(help))
}

impl Rule for TriageFirst {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let shape = cx.shared.shape(cx.doc);
        if !shape.asks_for_triage_and_escalation() {
            return;
        }
        let headings = &cx.doc.headings;
        let text = |i: usize| headings.get(i).map_or("", |h| h.text.as_ref());
        let span = |i: usize| headings.get(i).map_or(0..0, |h| h.span.clone());
        let mut fill_in = None;
        let (span, message) = match shape.opening {
            Opening::Triage(_)
            | Opening::CheckOpensFix(_)
            | Opening::Preamble { .. }
            | Opening::NotAsked => return,
            Opening::NoSections => (
                span(0),
                "runbook has no sections; it should open with a triage section".to_string(),
            ),
            Opening::Late { triage, first } => (
                span(triage),
                [
                    "triage section \"",
                    text(triage),
                    "\" is not the first section; it comes after \"",
                    text(first),
                    "\"",
                ]
                .concat(),
            ),
            // "## Diagnosis" with nothing, or "TODO", under it: the fix is to
            // fill it in, on its line.
            Opening::Missing { .. }
                if let Some(empty) = super::shape::placeholder_diagnosis(
                    cx.doc,
                    Self::DIAGNOSIS.get(cx.options),
                ) =>
            {
                fill_in = Some(
                    [
                        "write the diagnosis under \"",
                        text(empty),
                        "\": numbered checks, each with a command and what its output means",
                    ]
                    .concat(),
                );
                (
                    span(empty),
                    [
                        "runbook does not open with a triage section; its diagnosis section \"",
                        text(empty),
                        "\" is empty",
                    ]
                    .concat(),
                )
            }
            Opening::Missing { first } => {
                let (message, move_up) = missing(cx, first);
                fill_in = fill_in.or(move_up);
                (span(first), message)
            }
        };
        let mut f = cx.finding(&Self::META, span, message);
        f.help = Some(
            fill_in
                .unwrap_or_else(|| help(Self::NAMES.get(cx.options)))
                .into(),
        );
        out.push(f);
    }
}
