use super::looks_at::looks_of;
use super::reading::{
    gets_access, interprets, looks_up, shows_nothing_to_read, uses_earlier_result,
};
use super::steps::{
    Command, QUESTION_VERBS, diagnostic_steps, first_code_line, lead_text, repeats_earlier,
};
use crate::rules::options::Headings;
use crate::rules::text::prose;
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every diagnostic step that gives a command also says how to read its
    /// result: "If …", "→ see …", "… means …", "should show …", "normal is …",
    /// a comparison with a number ("above 500", "is < 3% sustained", "at least
    /// 3", "queries longer than 50 seconds") or with another reading ("check whether the response size exceeds
    /// the outbound traffic", "is much higher than the p50"), a minimum the result must meet ("Linkerd requires at least version
    /// `1.13.0`. Verify your cluster version with:"),
    /// "otherwise …", "look for …", "this will return …", "similar to …", examples
    /// of the result ("(e.g "Reason: Error" or "Reason: OOMKilled")", with or
    /// without the last dot), what shows up where ("a stuck collector query
    /// shows up in `pg_stat_activity`"), "here is
    /// an example" above an example of the output, "check
    /// Sentry for unusual errors", "look for error messages like `level=error`",
    /// "… to see if there are any obvious problems with label cardinality", "…
    /// to see if kubelet has reported any problem", another way to a step that
    /// is read, right after it ("3. Alternatively, use Prometheus:" after a
    /// step whose comment says what to look for; after a step reported for its
    /// reading, "Or use kubectl describe for a more readable output:" is the
    /// same check, not reported again), "in this case …" under an example output, "you can find the
    /// project in a different shard", "make sure it has the `localhost` entries",
    /// "ensure the IP address matches the one you got above", what the output
    /// answers ("expand the JSON fields to identify which secret was accessed"),
    /// the state an option should be in ("verify the **Allow the default Docker
    /// socket to be used (requires password)** option is selected"), the state the step
    /// asks for ("Ensure ceph-mgr pod is Running", "verify that both of the
    /// following messages are present", "verify that these commands work",
    /// "ensure you have permission to create ClusterRoles", "ensure you can
    /// connect to the version check endpoint": what the command must answer; "make
    /// sure you have the following entry in `dashboard.yml`:" over the entry:
    /// what should be there; "make sure you have the SDK installed" is a
    /// prerequisite, no reading), what the subject must have ("Node certificates
    /// need to have both `serverAuth` and `clientAuth` set in the extended key
    /// usage field:"; "you need to have the CLI" is the reader's prerequisite),
    /// "ensure the logs do not display errors", a yes/no question about the
    /// result after the step's first sentence ("Look at the state of the
    /// containers in the pod. Are they all `Running`?"), the step right after it
    /// when that step gives nothing of its own to run, opens as a reading
    /// ("Verify that …", "Ensure …", "Make sure …", "Check that/if …", "Look at
    /// …"), says what the result should show and names a thing this step named
    /// ("Run the following command:" over `kubectl get nodes`, then "And verify
    /// that all of the nodes … are in the `Ready` state"; not when it looks
    /// somewhere this step does not show: "Make sure the logs of the pods …"),
    /// "pay close attention to any line
    /// starting with "E"" (or "particular attention"), the state a good result
    /// has ("A ready `Revision` should have the following condition in
    /// `status`:" over it), the likely causes of what it shows ("Some of the
    /// possible causes for this are:", "Possible reasons for these errors are:",
    /// "Common causes:"
    /// over a list of them), and a comment in the command's own code block that
    /// reads it (`# Look for interfaces with an mtu under 9000`, `-- should be
    /// under 10 seconds`, or a placeholder standing for the output:
    /// `<Output should be your credentials>`), and the value to find named in code after "check
    /// for" ("Flux CLI (check for `Ready=True` and `Suspend=False`)"), and a
    /// label naming the kind of trouble over a command that filters for it
    /// ("**Permission Issues**:" over `kubectl logs … | grep "permission
    /// denied"`: a matching line is that trouble; "**Recent logs**:" over a
    /// `grep` names none). Looking for errors in general ("Check the pod logs for error messages:",
    /// "Review system logs for network-related issues", "examine the logs … for any
    /// errors that could indicate the root cause") says what to look at, not
    /// which errors matter: no reading; nor is a "For example:" (or "For example,
    /// if the failing service was `cleanup-export`:") before the same command
    /// with its values filled in (how to run it, not how to read it). Code is ignored when looking for these words, and
    /// so are the step's own question ("Check if the pods are running" asks, it does
    /// not say how to read the answer), a precondition ("If you have SSH access", "unless you use `http01-edit-in-place`"), a
    /// qualifier of the action ("Investigate the pod's details if needed"), a way
    /// out when the checks did not help ("If none of the above steps yield useful
    /// insight, try following …", "If nothing else helps, …") and
    /// an instruction in the modal voice ("we should look for …"), and where in the
    /// output to look ("and see the VERSION column": where, not what it means),
    /// a path of arrows through a UI ("Navigation Menu -> `Monitoring` ->
    /// `Metrics Explorer`": where to click; one arrow out of a view or into one,
    /// "Web dashboard → Latency percentiles", "Sidekiq → Queue latency panel",
    /// is such a path, while "0 → see 'Queue stuck'" after a value reads), and the condition that sends the
    /// reader to a check, with or without its comma ("If any issue exists in PVC
    /// expansion you can check the logs of …"). A
    /// paragraph that leads into a result shown under it ("The happy output
    /// is:", "In our example, the port … is 6080:", "shows the following error
    /// message:", "A potential result might reveal:") belongs to the step
    /// before it, not a step of its own, and so
    /// do the messages a list under such a lead-in names ("The presence of the
    /// following errors in the log may explain …:" over `no org id`); so does
    /// an example's label ("Another example failure:", or a subheading that
    /// judges the block under it: "#### Bad configuration", "#### Good
    /// configuration"), a lead-in that only says
    /// what the values under it are ("The pod names are:" over the names); the
    /// links or addresses listed right under a check ("Look at the Grafana
    /// dashboards:" over "* Staging: https://…") are where that one step looks,
    /// read by what follows the list; and a fix's lead-in
    /// ("As an (unsafe) workaround to this, you may try:", "As a last resort,
    /// you can kill the pod:") ends the step. A
    /// following item "If …" counts as the step's interpretation; a following fix ("To
    /// restart the service: …") ends the step and is no reading of it. A step that only
    /// gets the reader to where the checks run ("Log into a rails console", "… to enter
    /// interactive mode", "this is how you instantiate a Ruby Redis client", "we'll
    /// get an interactive root shell") or whose command saves its output to a file for a later step
    /// (`> /tmp/x`, `COPY … TO '/tmp/x'`, `tcpdump … -w out.pcap`; a block that then pages the file, `$ less
    /// ./script_report`, shows it), opens a tunnel (`kubectl port-forward …`,
    /// `ssh -L …`), only sets shell variables (`export NS=monitoring`,
    /// `cluster="hs-mc-1"; work="addon-0"`, `export NAMESPACE="$(kubectl get
    /// kubevirt -A -o …)"`), only moves the shell to where the next commands run
    /// (`oc project openshift-monitoring`, `kubectl config use-context prod`,
    /// `kubens x`, `cd /var/log`) or asks a program for its usage
    /// (`velero debug --help`, `man iptables`) has nothing to read yet, nor has one that collects data to read
    /// elsewhere ("capture TCP packets with:", "now download the capture"), nor
    /// one that looks up a value for the steps after it ("find the pipeline … and
    /// remember its ID", "First, get the GUID of the app you want to
    /// investigate:", "check `attributes/default.rb` for location of the
    /// logs", or a line of code under "… you find the exact GCP Load balancer
    /// in use by Kas using the following command": what it prints is the thing
    /// looked up), nor one whose value the
    /// next step reads ("ensure the IP address matches the one you get above",
    /// "the hostname you got from the previous step"), nor one that only opens a
    /// page that the next step reads ("Visit the [Triage Dashboard](…)." then
    /// "Check the Gitaly p95 latency graph …"; not when the next step goes on
    /// elsewhere: "Navigate to network traffic"). A block
    /// that shows what the output looks like ("example of log entries … working
    /// correctly:", "will fail with the following error:", "The following is a sample
    /// event about a rejected resource:", "The status for each type should be
    /// False. For example:", "The principal that did the deploy can be found
    /// at:" over the field that holds it) is the reading of the step before, not
    /// a step; so is a
    /// transcript whose output lines carry comments
    /// saying what each value is (`1) (integer) 5100   # A unique progressive
    /// identifier for every slow log entry.` under `> slowlog get 10`). A step whose list asks the questions its result answers
    /// ("Open the [dashboard] and confirm:" then "- Is the request rate genuinely
    /// elevated, or a brief spike?") says what abnormal looks like; so does an example
    /// of the output right after the command (or after one line that leads into
    /// it: "Errors will be logged with the `level` key set to `error`:" over
    /// `{"level":"error",…}`) that shows the failure (a `Warning`
    /// event, "failed to change Route 53 record set"), and a result said to
    /// confirm something ("Members in `create-failed` status … confirm which zone
    /// is out of capacity"). An example of
    /// the output alone (a code block right after the command's) shows what the
    /// command prints, not what it means: the finding's help then points at it
    /// and asks which value in it is trouble. Nor does an example of the
    /// command with its values filled in ("`kubectl get pod -n <namespace>`",
    /// then "e.g., `kubectl get pod -n rook-ceph`"), or a value to put in it
    /// ("a pod using a label such as mon1: `kubectl logs -l …`"). A state named in code is
    /// a value to find ("check `monit` for anything in a `not monitored`
    /// state"). Which items are steps: see
    /// `runbook/step-without-command`.
    ///
    /// A step whose "command" is a place to look (a dashboard link, a console
    /// path) is told so: "gives a place to look but does not say what to look
    /// for there". The help says what a reading of what the step looks at
    /// says: for logs, which lines mean trouble; for pods or nodes, which state is
    /// healthy; for a query, which result means trouble; for a setting, which
    /// value is right; for a graph, what is normal.
    ///
    /// A label right after the step that shows its result as expected
    /// ("**Expected output:**" over the lines `curl … index.xml` prints) says what
    /// normal looks like: a reading. So is "Check:" right under the step's code
    /// block over the statements its output must bear out ("- OIDC issuer URL
    /// is correct").
    ///
    /// ## Why it matters at 3am
    /// A command without an interpretation leaves the engineer staring at output
    /// they have never seen, unable to tell normal from broken.
    ///
    /// ## Example
    /// ```markdown
    /// 1. Check the queue: `queuectl depth orders`
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// 1. Check the queue: `queuectl depth orders`
    ///    - If the depth is above 5,000: see "Scale workers".
    ///    - Otherwise the queue is not involved.
    /// ```
    ///
    /// ## Options
    /// `sections`: as for `runbook/step-without-command`.
    pub struct StepWithoutInterpretation {
        id: "runbook/step-without-interpretation",
        summary: "a diagnostic step gives a command but not how to read its result",
        default_severity: Error,
        applies_to: Runbook,
        options: [StepWithoutInterpretation::SECTIONS.0],
    }
}

/// Whether the step's command (its first code block, else its first inline code)
/// shows nothing to read: it saves its output to a file ("take a dump: `COPY … TO
/// '/tmp/q.csv'`" is read by a later step) or opens a tunnel (`kubectl
/// port-forward …`: what the reader opens through it is read).
fn first_command_shows_nothing(
    doc: &crate::markdown::Document<'_>,
    extent: &crate::markdown::Span,
) -> bool {
    let block = crate::markdown::Document::within(&doc.code_blocks, extent).first();
    let span = crate::markdown::Document::within(&doc.code_spans, extent).first();
    // A code block is the command; inline code before it usually names a file.
    let first = match (block, span) {
        (Some(b), _) => &b.span,
        (None, Some(s)) => &s.span,
        (None, None) => return false,
    };
    shows_nothing_to_read(doc.text(first))
}

impl StepWithoutInterpretation {
    const SECTIONS: Headings = Headings::new(
        "sections",
        "section names",
        "sections whose steps are diagnostic steps, besides the triage section",
    );
}

/// Whether the step's example output ([`example_output_block`]) shows what goes
/// wrong: an error, a warning or a failure in it ("Warning PresentError …
/// failed to change Route 53 record set") is what abnormal looks like, the
/// thing to look for.
fn shows_failure(doc: &crate::markdown::Document<'_>, extent: &crate::markdown::Span) -> bool {
    /// Words of a failure in program output, as programs write them.
    #[rustfmt::skip]
    const FAILURES: &[&str] = &[
        "CrashLoopBackOff", "ERROR", "Error", "Exception", "FAILED", "FATAL", "Failed",
        "OOMKilled", "WARN", "Warning", "denied", "error", "failed", "refused",
    ];
    example_output_block(doc, extent).is_some_and(|output| {
        doc.text(&output.span)
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| FAILURES.contains(&w))
    })
}

/// Whether a step labelled by a kind of trouble ("**Constraint Violations**:",
/// "Permission Issues:") only filters for it (`… | grep "violates.*constraint"`):
/// the label is the reading, a matching line is that trouble. A label that
/// names no trouble ("**Recent logs**:") leaves the matches unread.
fn filters_for_named_trouble(
    doc: &crate::markdown::Document<'_>,
    lead: &str,
    extent: &crate::markdown::Span,
) -> bool {
    /// Nouns of a kind of trouble, as a label's last word. Sorted.
    #[rustfmt::skip]
    const TROUBLES: &[&str] = &[
        "conflicts", "errors", "failures", "issues", "mismatches", "problems", "timeouts",
        "violations",
    ];
    let label = lead
        .trim()
        .trim_end_matches(':')
        .trim_matches(['*', '_'])
        .trim_end_matches(':');
    let words = label.split_whitespace().count();
    let names_trouble = (1..=4).contains(&words)
        && label
            .rsplit(' ')
            .next()
            .is_some_and(|w| crate::rules::text::is_word_in(TROUBLES, &w.to_ascii_lowercase()));
    names_trouble
        && crate::markdown::Document::within(&doc.code_blocks, extent)
            .iter()
            .any(|c| {
                crate::rules::text::code_lines(doc.text(&c.span))
                    .any(|line| line.contains("| grep ") || line.trim_start().starts_with("grep "))
            })
}

/// Whether a step's text opens by offering another way to do the step before
/// it: "Alternatively, use Prometheus:", "Alternatively you can …", "Or use
/// kubectl describe for a more readable output:".
fn offers_an_alternative(lead: &str) -> bool {
    lead.trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("alternatively") || w.eq_ignore_ascii_case("or"))
}

/// A step's example of the output: a code block right after the step's first
/// code block, with nothing written between them (the command, then what it
/// prints), or only a line ending in ":" when the block is printed output by its
/// fence or its first line (`steps::shows_printed_output`).
fn example_output_block<'d>(
    doc: &'d crate::markdown::Document<'_>,
    extent: &crate::markdown::Span,
) -> Option<&'d crate::markdown::CodeBlock<'d>> {
    let blocks = crate::markdown::Document::within(&doc.code_blocks, extent);
    let [command, output, ..] = blocks else {
        return None;
    };
    let between = doc.text(&(command.span.end..output.span.start)).trim();
    // Or one line that leads into it, when it shows output ("Errors will be
    // logged with the `level` key set to `error`:" over a logged line).
    let leads_in = || {
        between.ends_with(':')
            && !between.contains('\n')
            && super::steps::shows_printed_output(doc, output)
    };
    (between.is_empty() || leads_in()).then_some(output)
}

/// The line of the step's example of the output ([`example_output_block`]).
fn example_output(
    doc: &crate::markdown::Document<'_>,
    extent: &crate::markdown::Span,
) -> Option<usize> {
    example_output_block(doc, extent).map(|output| doc.line_of(output.span.start))
}

impl Rule for StepWithoutInterpretation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let steps = diagnostic_steps(cx, Self::SECTIONS.get(cx.options));
        // The step before this one when it gave a command, read or reported.
        let mut command_before: Option<&super::steps::Step> = None;
        for (n, step) in steps.iter().enumerate() {
            // A step that repeats an earlier one ("Same as with CPU profiling
            // above") runs that step's command: its result needs reading too.
            let lead = lead_text(cx.doc.text(&step.line));
            if step.command == Command::None && !repeats_earlier(lead) {
                command_before = None;
                continue;
            }
            // Right after a step with a command, another way to the same result
            // ("3. Alternatively, use Prometheus:", "Or use kubectl describe for
            // a more readable output:") is read as that step is: read the same
            // way, or already reported there once.
            if command_before.is_some_and(|p| p.is_followed_by(step)) && offers_an_alternative(lead)
            {
                command_before = Some(step);
                continue;
            }
            command_before = Some(step);
            let read = gets_access(lead)
                || first_command_shows_nothing(cx.doc, &step.extent)
                || interprets(&reading_prose(cx.doc, &step.extent))
                || looks_up(&prose(cx.doc, &own_block(cx.doc, &step.extent)))
                || lead_in_looks_up(cx.doc, &step.extent)
                || asks_what_to_confirm(cx.doc, &step.extent)
                // "Check:" under the step's code block over what it must show.
                || crate::markdown::Document::within(&cx.doc.paragraphs, &step.extent)
                    .iter()
                    .any(|p| p.span.start > step.extent.start
                        && super::steps::checks_output_by_list(cx.doc, &p.span))
                || annotates_output(cx.doc, &step.extent)
                || shows_failure(cx.doc, &step.extent)
                || filters_for_named_trouble(cx.doc, lead, &step.extent)
                || a_code_comment_reads_it(cx.doc, &step.extent)
                || checks_for_a_value(cx.doc.text(&own_block(cx.doc, &step.extent)))
                || expected_result_follows(cx.doc, &step.extent)
                // "Go to [the dashboard](…)." and the next step looks at it:
                // this one only opens the page. (When the next one goes on
                // elsewhere, "Navigate to network traffic", nothing reads it.)
                || (super::steps::only_navigates(cx.doc, step)
                    && steps.get(n + 1).is_some_and(|next| {
                        step.is_followed_by(next) && !super::steps::goes_somewhere(cx.doc, next)
                    }))
                // The next step is this one's reading ("Run `kubectl get nodes`"
                // then "Verify that all of the nodes are in the `Ready` state").
                || steps
                    .get(n + 1)
                    .is_some_and(|next| super::steps::reads_result_of(cx.doc, step, next))
                // The next step reads what this one found ("ensure the IP
                // address matches the one you get above"): a lookup.
                || steps
                    .get(n + 1)
                    .is_some_and(|next| uses_earlier_result(&prose(cx.doc, &next.extent)))
                // Access said after the first line ("… This is how you\n
                // instantiate a Ruby Redis client"): last, as the dearest.
                || gets_access(&prose(cx.doc, &own_block(cx.doc, &step.extent)).replace('\n', " "));
            if read {
                continue;
            }
            // A dashboard or a console page is no command: the message says
            // what the step does give.
            let gives = if step.command == Command::Ui {
                " gives a place to look but does not say what to look for there"
            } else {
                " gives a command but does not say how to read its result"
            };
            let mut f = cx.finding(
                &Self::META,
                step.line.clone(),
                [&step.name(cx.doc), gives].concat(),
            );
            // What a reading of what the step looks at says (logs: which lines;
            // pods: which state), with an example of one.
            f.help = Some(match example_output(cx.doc, &step.extent) {
                Some(line) => format!(
                    "the example output (line {line}) shows what the command prints, not what it means: say which value in it is trouble and where to go then (\"- If above 2,000: see 'Render backlog'\")"
                )
                .into(),
                None => looks_of(cx.doc, step).reading_help().into(),
            });
            out.push(f);
        }
    }
}

/// Whether the step's result is shown as expected right after it, under a label
/// of its own ("**Expected output:**" over the lines `curl … index.xml` should
/// print, "### Expected:"): what normal looks like, so a reading.
fn expected_result_follows(
    doc: &crate::markdown::Document<'_>,
    extent: &crate::markdown::Span,
) -> bool {
    let at = doc.headings.partition_point(|h| h.span.start < extent.end);
    doc.headings.get(at).is_some_and(|h| {
        doc.text(&(extent.end..h.span.start)).trim().is_empty() && {
            let text = h.text.trim_end_matches(':').to_ascii_lowercase();
            let mut words = text.split_whitespace();
            words.next() == Some("expected")
                && words
                    .next()
                    .is_none_or(|w| matches!(w, "output" | "result" | "results" | "response"))
        }
    })
}

/// Whether a step that is only a line of code is led into by the paragraph
/// right above it, and that paragraph looks something up: "… and you find the
/// exact GCP Load balancer in use by Kas using the following command" over
/// `` `gcloud … forwarding-rules list | grep …` ``. The lead-in carries the
/// step's words; what it finds is what the command prints.
fn lead_in_looks_up(doc: &crate::markdown::Document<'_>, extent: &crate::markdown::Span) -> bool {
    let at = doc
        .paragraphs
        .partition_point(|p| p.span.end <= extent.start);
    let Some(lead_in) = at.checked_sub(1).and_then(|i| doc.paragraphs.get(i)) else {
        return false;
    };
    let own = own_block(doc, extent);
    let only_code = prose(doc, &own).trim().is_empty();
    only_code
        && doc
            .text(&(lead_in.span.end..extent.start))
            .trim()
            .is_empty()
        && looks_up(&prose(doc, &lead_in.span).replace('\n', " "))
}

/// A step's own first block: from its start up to its first nested list item
/// (whose words are steps or readings of their own) or the first blank line.
fn own_block(
    doc: &crate::markdown::Document<'_>,
    extent: &crate::markdown::Span,
) -> crate::markdown::Span {
    let start = extent.start;
    let nested = crate::markdown::Document::within(&doc.list_items, extent)
        .iter()
        .map(|item| item.span.start)
        .find(|&at| at > start)
        .unwrap_or(extent.end);
    // Up to a blank line (`\r\n` too).
    let mut end = start;
    for (n, line) in doc.text(&(start..nested)).split_inclusive('\n').enumerate() {
        if n > 0 && line.trim().is_empty() {
            break;
        }
        end += line.len();
    }
    start..end
}

/// The step's prose ([`prose`]) without a "For example:" that introduces an
/// example of the step's command rather than of its output: "Check the operator
/// conditions:" and `oc get <CR> <CR_OBJECT> … -o jsonpath=…`, then "For
/// example:" and `oc get HyperConverged kubevirt-hyperconverged …`. Such an
/// example shows how to fill the command in, not how to read what it prints.
fn reading_prose(doc: &crate::markdown::Document<'_>, extent: &crate::markdown::Span) -> String {
    use crate::markdown::Document;
    let mut text = prose(doc, extent);
    let blocks = Document::within(&doc.code_blocks, extent);
    for p in Document::within(&doc.paragraphs, extent) {
        let label = doc.text(&p.span).trim().trim_end_matches(':').trim_end();
        let example = ["for example", "for instance", "e.g.", "example"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(label));
        if !example {
            continue;
        }
        let before = blocks.iter().rev().find(|b| b.span.end <= p.span.start);
        let after = blocks.iter().find(|b| b.span.start >= p.span.end);
        let same_program = before
            .zip(after)
            .and_then(|(b, a)| Some((program(doc.text(&b.span))?, program(doc.text(&a.span))?)))
            .is_some_and(|(b, a)| b == a);
        if !same_program {
            continue;
        }
        let start = p.span.start.saturating_sub(extent.start);
        let end = p.span.end.min(extent.end).saturating_sub(extent.start);
        if let Some(range) = text.get(start..end) {
            let blank = " ".repeat(range.len());
            text.replace_range(start..end, &blank);
        }
    }
    blank_inline_examples(doc, extent, &mut text);
    text
}

/// Blanks in `text` (the prose of `extent`) an "e.g." or "for example" right
/// before inline code that runs the program an earlier command of the step
/// runs: "`kubectl get pod -n <cluster-namespace> -o wide`" then "e.g.,
/// `kubectl get pod -n rook-ceph -o wide`" fills the command in, it says
/// nothing of what it prints.
fn blank_inline_examples(
    doc: &crate::markdown::Document<'_>,
    extent: &crate::markdown::Span,
    text: &mut String,
) {
    use crate::markdown::Document;
    let spans = Document::within(&doc.code_spans, extent);
    if spans.len() < 2 {
        return;
    }
    let inline =
        |span: &crate::markdown::Span| doc.text(span).trim_matches('`').split_whitespace().next();
    let blocks = Document::within(&doc.code_blocks, extent);
    for (n, code) in spans.iter().enumerate() {
        let at = code.span.start.saturating_sub(extent.start);
        let Some(before) = text.get(..at) else {
            continue;
        };
        let lead = before.trim_end().trim_end_matches([',', ':']);
        let Some(start) = ["e.g.", "eg.", "for example"].iter().find_map(|w| {
            crate::rules::text::ends_with_folded(lead, w).then(|| lead.len() - w.len())
        }) else {
            continue;
        };
        let Some(this) = inline(&code.span) else {
            continue;
        };
        let earlier = spans
            .get(..n)
            .unwrap_or(&[])
            .iter()
            .filter_map(|c| inline(&c.span))
            .chain(
                blocks
                    .iter()
                    .filter(|b| b.span.end <= code.span.start)
                    .filter_map(|b| program(doc.text(&b.span))),
            )
            .any(|p| p == this);
        if earlier && let Some(words) = text.get(start..lead.len()) {
            let blank = " ".repeat(words.len());
            text.replace_range(start..lead.len(), &blank);
        }
    }
}

/// The program a code block runs: the first word of its first line after the
/// fence and a `$ ` prompt.
fn program(code: &str) -> Option<&str> {
    let first = first_code_line(code)?;
    let first = first.strip_prefix("$ ").unwrap_or(first);
    first.split_whitespace().next()
}

/// Whether a step's transcript explains its output line by line: a code block
/// whose first line is a prompted command (`$ `, `> `) and whose output lines
/// (the lines without a prompt) carry comments of a few words each
/// ("`1) (integer) 5100   # A unique progressive identifier for every slow log
/// entry.`"). That is an example output with what it means.
fn annotates_output(doc: &crate::markdown::Document<'_>, extent: &crate::markdown::Span) -> bool {
    let prompted = |line: &str| {
        let line = line.trim_start();
        line.starts_with("$ ") || line.starts_with("> ")
    };
    crate::markdown::Document::within(&doc.code_blocks, extent)
        .iter()
        .any(|block| {
            let mut lines = crate::rules::text::code_lines(doc.text(&block.span))
                .filter(|l| !l.trim().is_empty());
            if !lines.next().is_some_and(prompted) {
                return false;
            }
            let annotated = lines
                .filter(|l| !prompted(l))
                .filter(|l| {
                    l.split_once("  #").is_some_and(|(output, note)| {
                        !output.trim().is_empty() && note.split_whitespace().nth(2).is_some()
                    })
                })
                .count();
            annotated >= 2
        })
}

/// Whether the step's own text names the value to find in the result, in
/// code right after "check for": "Flux CLI (check for `Ready=True` and
/// `Suspend=False`)", as "look for `X`" does; or a state in code ("check
/// `monit` for anything in a `not monitored` state", "pods in `Pending`
/// status"). (Not "search for `mysql`": a search box is where to type it, not
/// what the result should show.)
fn checks_for_a_value(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["check for `", "checking for `"].iter().any(|p| {
        lower.match_indices(p).any(|(at, _)| {
            at.checked_sub(1)
                .and_then(|i| lower.as_bytes().get(i))
                .is_none_or(|b| !b.is_ascii_alphanumeric())
        })
    }) || names_a_state(&lower)
}

/// Whether lowercase `text` names a state in code: "in a `not monitored`
/// state", "in `Pending` status", "in the `InProgress` phase".
fn names_a_state(lower: &str) -> bool {
    lower.match_indices(" in ").any(|(at, _)| {
        let rest = lower.get(at + 4..).unwrap_or("");
        let rest = ["a ", "an ", "the "]
            .iter()
            .find_map(|a| rest.strip_prefix(a))
            .unwrap_or(rest);
        let Some(code) = rest.strip_prefix('`') else {
            return false;
        };
        code.split_once('`').is_some_and(|(value, after)| {
            value.len() <= 40
                && ["state", "status", "phase"]
                    .iter()
                    .any(|w| after.trim_start().starts_with(w))
        })
    })
}

/// Whether the step's code itself says how to read what it prints: a comment
/// that reads the output (`# Look for interfaces like eth0 … (exclude veth)`,
/// `-- should be 0`). (A query that compares with a number, PromQL's `… < 9000`,
/// was tried as a reading too: as often it scopes the query, SQL's `type > 1`,
/// or lists what is fine, `redis_master_repl_offset > 0` for the primaries.)
fn a_code_comment_reads_it(
    doc: &crate::markdown::Document<'_>,
    extent: &crate::markdown::Span,
) -> bool {
    crate::markdown::Document::within(&doc.code_blocks, extent)
        .iter()
        .any(|c| crate::rules::text::code_lines(doc.text(&c.span)).any(comment_interprets))
}

/// Whether a code line's comment (`# …`, `// …`, `-- …` opening the line, or
/// `  # …` after the code) reads the output: "Look for …", "should be 0"; or a
/// placeholder that stands for the output and says what it should be
/// (`<Output should be your credentials>`).
fn comment_interprets(line: &str) -> bool {
    let trimmed = line.trim_start();
    let comment = ["# ", "// ", "-- "]
        .iter()
        .find_map(|m| trimmed.strip_prefix(m))
        .or_else(|| line.split_once("  # ").map(|(_, c)| c))
        .or_else(|| trimmed.trim_end().strip_prefix('<')?.strip_suffix('>'));
    comment.is_some_and(interprets)
}

/// Whether a step lists the questions its result answers ("Open the [dashboard]
/// and confirm:" then "- Is the request rate genuinely elevated, or a brief
/// spike?", "- Are error rates rising with it?"): each names what abnormal looks
/// like, which is how to read it.
fn asks_what_to_confirm(
    doc: &crate::markdown::Document<'_>,
    extent: &crate::markdown::Span,
) -> bool {
    crate::markdown::Document::within(&doc.list_items, extent)
        .iter()
        .filter(|item| item.span.start > extent.start)
        .any(|item| {
            let text = doc.text(&item.span).trim_end();
            let lead = lead_text(text);
            text.lines().count() == 1
                && lead.ends_with('?')
                && lead
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| QUESTION_VERBS.iter().any(|q| q.eq_ignore_ascii_case(w)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_that_fills_the_command_in_is_no_reading() {
        let md = "* Pod status: `kubectl get pods -n <namespace>`\n    * e.g., `kubectl get pods -n queue`\n* Errors: `kubectl logs x`, e.g. `OOMKilled`\n";
        let doc = crate::markdown::Document::parse(md);
        let item = |n: usize| doc.list_items[n].span.clone();
        // The same program again, values filled in: blanked.
        assert!(!interprets(&reading_prose(&doc, &item(0))));
        // A value to look for after "e.g.": still a reading.
        assert!(interprets(&reading_prose(&doc, &item(2))));
    }

    #[test]
    fn a_logged_line_after_a_one_line_lead_in_is_the_example_output() {
        let whole = |md: &str| {
            let doc = crate::markdown::Document::parse(md);
            shows_failure(&doc, &(0..md.len()))
        };
        let command = "```bash\nkubectl logs -n osm-system deploy/osm-controller\n```\n\n";
        let log = "```console\n{\"level\":\"error\",\"message\":\"...\"}\n```\n";
        // Right after the command, as before.
        assert!(whole(&format!("{command}{log}")));
        // Led into by one line that ends in a colon.
        assert!(whole(&format!(
            "{command}Errors will be logged with the `level` key set to `error`:\n{log}"
        )));
        // Not by a paragraph that does not lead into it.
        assert!(!whole(&format!(
            "{command}Errors will be logged with the `level` key set to `error`.\n\n{log}"
        )));
        // Nor when the block led into is a command, not output.
        assert!(!whole(&format!(
            "{command}Then fix the error with:\n```bash\nkubectl rollout restart deploy/x\n```\n"
        )));
    }

    #[test]
    fn an_alternative_opens_with_its_word() {
        assert!(offers_an_alternative("Alternatively, use Prometheus:"));
        assert!(offers_an_alternative(
            "**Alternatively** you can query the API"
        ));
        assert!(!offers_an_alternative("Use Prometheus, alternatively:"));
        assert!(!offers_an_alternative("Alternative storage classes:"));
        assert!(offers_an_alternative(
            "Or use kubectl describe for a more readable output:"
        ));
        assert!(!offers_an_alternative("Orphaned volumes are listed by:"));
    }

    #[test]
    fn a_filter_labelled_by_its_trouble_is_read_by_the_label() {
        let md = "1. **Permission Issues**:\n   ```bash\n   kubectl logs x | grep \"permission denied\"\n   ```\n2. **Recent logs**:\n   ```bash\n   kubectl logs x | grep -i error\n   ```\n3. **Data Type Mismatches**:\n   ```bash\n   kubectl logs x --tail=100\n   ```\n";
        let doc = crate::markdown::Document::parse(md);
        let read = |n: usize| {
            let item = &doc.list_items[n].span;
            let lead = lead_text(doc.text(item));
            let lead = lead.lines().next().unwrap_or("");
            filters_for_named_trouble(&doc, lead, item)
        };
        assert!(read(0));
        // A label that names no trouble.
        assert!(!read(1));
        // Trouble named, but the command filters for nothing.
        assert!(!read(2));
    }

    #[test]
    fn a_line_of_code_under_a_lead_in_that_looks_up_is_read_by_it() {
        let md = "GCP Ingress objects are load balancers, and you find the exact GCP Load balancer in use by Kas using the following command\n\n`gcloud compute forwarding-rules list | grep kas`\n\nTo see the forwarding rule use\n\n`gcloud compute url-maps list | grep kas`\n";
        let doc = crate::markdown::Document::parse(md);
        let code = |n: usize| {
            let span = &doc.code_spans[n].span;
            span.start..span.end
        };
        assert!(lead_in_looks_up(&doc, &code(0)));
        // "To see …" is the step's purpose, not a lookup.
        assert!(!lead_in_looks_up(&doc, &code(1)));
    }

    #[test]
    fn a_comment_that_reads_the_output() {
        assert!(comment_interprets(
            "# Look for interfaces with an mtu under 9000"
        ));
        assert!(comment_interprets("  -- should be under 10 seconds"));
        assert!(comment_interprets("ip link show  # look for state DOWN"));
        // A comment that says what the command does, a root prompt, a shebang,
        // and a flag are no reading.
        assert!(!comment_interprets("# Get the pods"));
        assert!(!comment_interprets("# kubectl get pods -n monitoring"));
        assert!(!comment_interprets("#!/bin/bash"));
        // A placeholder for the output that says what it should be; one that only
        // names a value to fill in reads nothing.
        assert!(comment_interprets("<Output should be your credentials>"));
        assert!(!comment_interprets("<your AWS access key ID>"));
        assert!(!comment_interprets("kubectl get pods --all-namespaces"));
    }

    #[test]
    fn a_value_to_check_for() {
        assert!(checks_for_a_value(
            "Flux CLI (check for `Ready=True` and `Suspend=False`)"
        ));
        assert!(checks_for_a_value("`kubectl` (Check for `Ready=True`)"));
        assert!(!checks_for_a_value("Search for `mysql` and click on it"));
        assert!(!checks_for_a_value(
            "Check for errors with `kubectl logs x`"
        ));
        assert!(!checks_for_a_value("Recheck for `x`"));
        // A state named in code is the value to find.
        assert!(checks_for_a_value(
            "check `monit` for anything in a `not monitored` state"
        ));
        assert!(checks_for_a_value("Look for pods in `Pending` status."));
        assert!(checks_for_a_value("backups in the `InProgress` phase"));
        assert!(!checks_for_a_value("Run it in `bash` to see the state"));
        assert!(!checks_for_a_value("Set it in the `values.yaml` file"));
    }

    #[test]
    fn the_program_of_a_code_block() {
        assert_eq!(program("```bash\noc get <CR> -n ns\n```"), Some("oc"));
        assert_eq!(
            program("```console\n$ kubectl get pods\n```"),
            Some("kubectl")
        );
        assert_eq!(program("```\n\n```"), None);
    }

    #[test]
    fn an_example_of_the_command_is_no_reading() {
        let md = "# X down\n\n## Diagnosis\n\nCheck the operator conditions:\n\n```bash\noc get <CR> -o yaml\n```\n\nFor example:\n\n```bash\noc get HyperConverged hco -o yaml\n```\n";
        let doc = crate::markdown::Document::parse(md);
        let all = 0..md.len();
        assert!(
            !reading_prose(&doc, &all)
                .to_lowercase()
                .contains("for example")
        );
        // An example of the output is still one.
        let output = md.replace("oc get HyperConverged hco -o yaml", "status: Degraded");
        let doc = crate::markdown::Document::parse(&output);
        assert!(reading_prose(&doc, &(0..output.len())).contains("For example"));
    }

    #[test]
    fn an_output_block_right_after_the_command_is_its_example() {
        let md = "1. Find the events:

   ```
   kubectl get events
   ```

   ```
   LAST SEEN   TYPE
   13m         Warning
   ```
";
        let doc = crate::markdown::Document::parse(md);
        assert_eq!(example_output(&doc, &(0..md.len())), Some(7));
        // With words between them, the second block is another command.
        let two = md.replace(
            "   ```
   LAST",
            "   Then the pods:

   ```
   LAST",
        );
        let doc = crate::markdown::Document::parse(&two);
        assert_eq!(example_output(&doc, &(0..two.len())), None);
    }
}
