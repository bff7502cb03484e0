use super::looks_at::looks_of;
use super::reading;
use super::steps::{Command, diagnostic_steps, lead_text, repeats_earlier};
use crate::rules::options::Headings;
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every diagnostic step gives a command to run, or for a step done in a
    /// UI the exact place to look. Diagnostic steps are the list items (numbered or
    /// bulleted, at any depth) and the paragraphs (not in a block quote, which
    /// is an aside: "> See also the gRPC settings of NGINX: https://…") of the triage section (with its
    /// subsections; for an alert runbook, its diagnosis section) and of sections
    /// such as "Diagnosis" or "Troubleshooting" (without theirs: under
    /// "Troubleshooting" each subsection is usually the fix for one problem; a
    /// section whose heading names checks, "Checks using Prometheus", or commands,
    /// "Debug Commands" over "##### 1. Describe a Specific Load Balancer", is
    /// read with its subsections); in an incident runbook, also sections whose heading holds
    /// such a name or starts with it, like "Possible checks" (in a procedure,
    /// "## Check upgrade eligibility" is one of its tasks: only the name itself,
    /// "## Troubleshooting", is read there); and sections whose heading starts with a word of
    /// investigation: "Analyze profiling data", "Profile the tests", "Finding where
    /// CPU time goes", "Troubleshoot …", "Debug …" (a how-to's own "Troubleshoot
    /// the banner" too: "Try clearing the memcache" there is a fix; not "Debug
    /// Logging" or "Debug Mode", a setting that "debug" qualifies); in an
    /// incident runbook also a
    /// heading that is itself a check, "Check Component Status", "Verify Teleport
    /// Components", "Identify the culprit" (not "Verify the fix", nor a check
    /// under a fix's section: "Resolution Steps" > "4. Check the plan, then
    /// merge"), and "What to do
    /// if <alert>", the alert's playbook; on any page, a "What to do" heading
    /// that names an alert arriving: "What to do for alerts on pod restarts",
    /// "What to do when you get paged", under a how-to titled "Manage alerts") that
    /// start with a checking verb: "Check", "Look at", "Verify", "Find", "Is …?".
    /// "Go to X, create Y" is the fix it goes on to, "Make sure you have X
    /// installed" a prerequisite ("Make sure that you have configured this
    /// endpoint correctly", "… you have sufficient space" ask about the system:
    /// checks), "ssh to the VM which you suspect" getting there,
    /// "Solution: See …" a fix, "See also [Investigating query evaluation
    /// issues](#…)" a pointer to another part of the page (under a heading that
    /// names checks too), "Review [Solving pg errors](…/documentation/…)"
    /// and "Read more about the MDS cache configuration [here](https://docs.…)"
    /// (or an item that ends in a link named only "link" or "here": "Watch the
    /// logs for meaningful information - [link](…)", the page linked says how)
    /// (or "See: https://opentelemetry.io/docs/…", an address written out, or
    /// no link at all: "Check your cloud provider's documentation to determine
    /// the minimum versions") reading to do in a manual, and "DO NOT USE the
    /// MONITOR command" a warning, and so is a paragraph marked as a callout
    /// (`{: .note }`, `{: .warning }` under it). A lead-in with nothing to run
    /// that asks for the statements listed after it ("Additionally, verify the
    /// following:" over "- The source cluster can write to the snapshot
    /// bucket.") only names them: each item is a step. What a setting lets the reader do ("This
    /// setting prints the token to the log file so that you can inspect and
    /// debug it") is no instruction.
    /// The triage section is read with its subsections, but not one named by a
    /// fix ("### Add the Missing Label", "### Restart the pods": its checks verify
    /// the fix). Items nested in a fix ("Now disable the integration" and its "Go to …"
    /// items) are parts of the fix, as are the items of a list that a fix's
    /// lead-in introduces ("To disable encryption, follow these steps:", "… to
    /// fix this:"), and so is what a bold label naming a fix
    /// heads, up to the next heading or bold label ("**Resolution:**" then "-
    /// **Check your configuration file** for invalid values"); a fix's verb done to look ("Expand the JSON
    /// fields to identify who …") is part of the step before. A block that
    /// gives a command without such a verb is a step too ("PromQL query is the
    /// following:" and a code block, "Logs of the operator: `kubectl logs x`" (not a one-word label, "Logs:", which
    /// as often labels output), a lead-in ending in
    /// ":" with the command nested under it), unless it starts with a fix
    /// ("Restart …", "To start …", after a purpose: "To use this, start Jaeger
    /// by running …", "Make sure to raise your ulimit", "Make adjustments as
    /// necessary:", one tried: "To expedite lookups, attempt to disable …") or its last sentence
    /// does ("The extension may be missing. To install it:"),
    /// labels an example or an aside ("Output:", "Note: …", "Note that …"; what
    /// follows a paragraph that is only "Examples:" or "For example:", up to the
    /// next heading, is examples of the step before it; "Note
    /// the `instance` label from the alert" is a step) or shows the result of the step before ("A
    /// normal output looks as follows:"; "Errors will be logged with the `level`
    /// key set to `error`:" over `{"level":"error",…}`; a code block whose first
    /// line is a logged line, `[2024-02-06T15:18:17.437Z] "GET / HTTP/1.1" 503 UF …`, or one whose
    /// fence marks it not to copy, ```` ```shell hideCopy ````, or names it as
    /// output, ```` ```log ````, ```` ```output ```` (not ```` ```text ````, which
    /// holds commands as often), is output
    /// too, as are the fields of a log format in code, `%REQ(:METHOD)%`; a step's
    /// own lead-in that instructs, "Check if the pods are running and healthy:",
    /// leads into its command, as "This metric will return …:" leads into its
    /// query); nor are the items of a list that such a
    /// label introduces ("Examples for log paths:" then "* Local folder:
    /// `./_artifacts`", "E.g.:" then "* `(.msg)` to only output the message"), or
    /// that says its items are what a check shows ("The presence of the
    /// following errors in the log may explain …:" over "- `no org id`"), or
    /// what a tool helps with ("It will help you:" over "+ Find performance
    /// issues and bottlenecks"):
    /// values for a step's command, other ways to write it, what to find, or
    /// what a tool is good for; nor
    /// is an item that starts with a verb used as a noun ("Use of an incorrect
    /// protocol/port combination", a possible cause); nor is an item that
    /// is only a file's path ("* `~/.kube/config`" among the places a client reads
    /// its settings from: a place named; a script's path alone still runs). In a
    /// section of an incident runbook that is not otherwise read (one named by
    /// the error it explains, "### `NoCredentialProviders: no valid providers in
    /// chain`", or by the problem, "## Velero is not publishing prometheus
    /// metrics"), a paragraph that announces checks ("Steps to troubleshoot:",
    /// "Here are some things to verify if you receive … errors:", "a few things to
    /// look out for:", "Ensure the following:", "Make sure to check the following:", "Check:",
    /// "Check the basics:",
    /// after a condition too:
    /// "If Ceph is not healthy, check the following health for more clues:", or
    /// at the end of a sentence that gives the situation first: "For each hop
    /// of telemetry through a Collector, it's important to verify the
    /// following:", over questions) makes each top-level
    /// item of the list right after it a step, a statement to make sure of
    /// included ("The `cloud-credentials` secret exists in the Velero server's
    /// namespace": how to check it is the missing command; a path in such a
    /// statement, "mounted … at `/credentials`", is a value, not a command), but
    /// not what to try ("For Ceph, try using a native Ceph account …"); the list
    /// goes on past a paragraph that only reads its last item ("Now, visiting
    /// …/metrics on a browser should show the metrics …") when more items follow
    /// it; and not
    /// in a preamble ("Before you begin" over "make sure:"), a section named by
    /// a fix ("### Resolution", "### Restore process") or a section under one. In such a section, a paragraph that asks to look, first or
    /// after its condition, with its code block right under it ("If there is an
    /// issue with PVC Create or Delete, check the logs of the `csi-provisioner`
    /// sidecar container." over `kubectl … logs …`; "Check the dmesg logs on the
    /// node …" over `dmesg`) is a check the author wrote: the section is read
    /// from there on ("Run the following Rake task to reprocess the data:" over
    /// its command is a fix, and opens nothing; under "### Restore process",
    /// "Check the logs of the restore:" verifies the fix). In an incident
    /// runbook, a section that numbers one of the page's causes ("### Cause 1: GKE
    /// Private Cluster", "### Root Cause 2: DNS Resolution Issues") or cases
    /// ("### Case 1: Shoot Stuck Due to Resources in kube-system") is a
    /// diagnostic section: each is a hypothesis, and its checks ("Check your firewall rules and ensure that inter-pod
    /// communication is not blocked.") are how the reader confirms it; the
    /// message it opens with ("Your shoot reports a message of the type:" over
    /// the error) is the situation, no step. Such a lead-in that names the action
    /// of the step right before it with the same verb, when that step has no
    /// command yet ("Review the logs for the pod …" then "You can review the logs
    /// for `alertmanager-main-1` by running the following command:"), or that
    /// ends by saying a step of making sure can be done ("Make sure the pool …
    /// exists" then "Suppose the pool is `replicapool`. It can be verified in the
    /// toolbox:"), is that step's command: one step. Lists of dashboards, of possible causes
    /// or of actions ("Restart the pod") are not steps; a check with nothing to
    /// run that ends in ":" over checks each an instruction of its own ("2. Check
    /// the health of the Kafka cluster:" over "- Verify broker health", "- Check
    /// for network issues") only names what they check together: they are the
    /// steps; an item starting with "If"
    /// or "Otherwise" belongs to the step before it, and when it goes on to a check
    /// of its own with a command ("If it is a genuine error, look at the pods: …")
    /// it is also a step, from after its condition; the first such item of a
    /// list with no step before it to read ("When you start Falco, watch the
    /// print statements.") says in what situation to look: a step. A paragraph that says to look
    /// at something only after its first words, and gives nothing to run ("This
    /// can occur when … are unable to connect. Check that all control plane nodes
    /// are powered on", "In the presence of errors, we should also look at the
    /// logs in Kibana"), or after a first action ("Log in to the Prometheus server
    /// and check the logs", "2. Send an event and see if it appears", a
    /// top-level item too), is a step from that sentence, which the finding
    /// points at and names; not when it introduces what follows (it ends in ":" or a code
    /// block follows), starts with a fix or a fix's label ("**Solution**: Delete
    /// the webhook configurations. When Kyverno recovers, check your Namespace
    /// exclusions": that check verifies the fix), or sends the reader to documentation or
    /// to people ("check with #releases", "For more information you can look at
    /// the [Azure Documentation](…)"). So is one that opens with a condition
    /// and then says to look at something with nothing to run ("If there are
    /// Kubernetes API connection errors, verify that the hosted cluster's API
    /// server is responding"), from after its condition, as a paragraph or a
    /// top-level list item ("1. If the realm is issuing codes via a third-party
    /// SMS provider, check the provider's logs …", or a condition that is a
    /// sentence of its own with the check on the next line: "If you see no error
    /// events … you can check the following." then "Check if you can see the
    /// `_acme_challenge` TXT record …"); it still reads the step
    /// before. A place first and the check after it ("From the logs and the alerts
    /// that are firing, determine which data is missing") is a step from its
    /// verb ("From the output above we can identify …" and "In the example above
    /// we can see that …" read the step before).
    /// A section whose only content points at another page of the repository
    /// ("See [Checking the logs](../common/logs.md)", "Check the following
    /// [recipe](./cilium.md)") delegates to it: no step (a link to a script,
    /// `[get-shards.sh](../scripts/get-shards.sh)`, is the command to run). A code
    /// block that a paragraph after the step's first block introduces as what
    /// can be seen or what it looks like ("the following errors can be seen in
    /// the operator:", "here's an example of how the process might look like:")
    /// is an example, not the step's command ("the following query will display
    /// …" still introduces one). An item that is only a command,
    /// nested in a step, is that step's command. A bullet that only names what
    /// the steps nested in it verify ("- Verify AWS SSM Parameter Store Access"
    /// over "- Evaluate permission: `aws sts get-caller-identity`") is no step
    /// of its own: its nested steps are read, each on its own line (a numbered
    /// item stays a step: the reader counts it). A step that gives a command or a
    /// place and ends with ":" ("Open the [dashboard] and confirm:") owns the list
    /// after it: items with no command of their own ("Is the rate still
    /// climbing?") say what to look for in its result, and are not steps; so does
    /// "Look for pods in `CrashLoopBackOff`" (or "Watch for", "Check for") right
    /// under the code block of the step before (or anywhere, when it says it
    /// looks in "the output"), with no command of its own (a numbered list's
    /// next item, "4. **Check for resource conflicts**: Look for any resource
    /// conflicts …" under item 3's `kubectl get opensearchclusters -A`, is the
    /// next step: it is asked for its command), or a check
    /// there that names a field of that output by its path ("Check the
    /// `metadata.labels` section for the `owned-by` label"). A
    /// lead-in with no command that announces places or things to look at ("there
    /// are a few places to look in for issues:", "Things to check:") and a
    /// numbered list after it: each numbered item is a step, even as a noun
    /// phrase ("1. The Graphile Worker database: …"), named by its number; with
    /// a bulleted list (as often possible causes) the lead-in and its list are one
    /// step, unless every bullet instructs a check ("Some things to check:" over
    /// "- Ensure the `keda-operator` deployment has the … annotation" and "- Check
    /// `kiam-server` logs, …"): then each bullet is one. Under a heading that
    /// ends in "checks" ("## Quick checks"), an item led by a short label that
    /// names what it looks at ("- Logs: Web logs (namespace) for slow
    /// endpoints", "- Grafana: Web dashboard → 5xx rate") is a step with no verb
    /// ("- `precheck`: make sure there is enough disk" names a function, not a
    /// look). A lead-in that offers
    /// things to run or look at while diagnosing ("Here are some common commands
    /// to troubleshoot a Ceph cluster:", "a few artifacts that are helpful to
    /// gather:", "there are a few useful resources:") makes each item of its list
    /// a step, a bare command or a noun phrase too ("- Plugin server logs");
    /// an item with nothing to run that groups items which each give one ("Logs
    /// for Rook pods") only names them, and a path named in a noun phrase ("-
    /// Sentry errors for `/e`") is a value, not a command. A
    /// subheading with a code block (or a link alone) right under it is a step named by the heading, reported on the
    /// command's line, when the heading says to look ("Get Sentinel machines",
    /// "Analyze memory usage") or, under a section named as checks, names what the
    /// command shows ("Replication status"); elsewhere a noun heading over a code
    /// block usually names a symptom and the error it prints. A section whose
    /// heading is the check ("### Check hostname") and whose text holds no step,
    /// no code, no link and no subsection ("By default, the script uses
    /// `localhost`. If your cluster runs elsewhere, pass `-h`.") is one step,
    /// named by its heading and reported on the text's first line. A block of output
    /// under a heading (```` ```text ````, or lines opening with a status mark:
    /// `× buoyant-cloud Namespace exists`) is what the reader will see, not the
    /// heading's command. "Update the CLI: `curl … | sh`" names a fix's action
    /// before its command: a fix, not a step. A paragraph or item right after
    /// a step with a command that has no reading yet, that opens as one
    /// ("Verify that …", "Ensure there's no pod in a failing state (eg.
    /// `Error`, `OOMKilled`)", "Look at the state of the containers in the pod.
    /// Are they all `Running`?") and names what that step showed (the nodes of
    /// `kubectl get nodes`, the dashboard it opened), is that step's reading, not
    /// a step (one that looks at logs, events, metrics, alerts or traces the step
    /// before did not name is a check of its own).
    ///
    /// A command is a code block (one written as a site generator's code shortcode
    /// too: Hugo's `{{< highlight bash >}}` … `{{< /highlight >}}`, istio.io's
    /// `{{< text bash >}}`, Jekyll's `{% highlight shell %}`), or inline code that reads as one: a program with
    /// arguments, a query (`rate(x[5m])`), an HTTP call, a path. An identifier, field
    /// name or value in backticks (`status.phase`, `NotReady`, a name with a variable
    /// in it: `bfd-${env}-migrator`), a message quoted whole (`"config has invalid
    /// keys credentialsFile"`), or a line a program
    /// prints (`etcdserver: no leader`, `ERROR: …`, or any line after words that
    /// lead into output: "successful provisioning of credentials looks like:
    /// `kube-system kiam-server … found role`"), is not a command
    /// unless the word before it says to run it ("Graph `node_load1`", "run the
    /// script `scripts/check-certs`", "Run `dmesg`"), and code in a link's text
    /// names a page. A step that says it repeats one above ("Count the processes
    /// again", "Same as … above") has that step's command. A UI step counts when it
    /// opens an address ("Browse https://…" among its first words, or after a
    /// colon in its first sentence: "Check the user authentication events
    /// dashboard: https://…"; GitHub renders a bare address as a link), names the
    /// chat channel to read ("Check #govuk-search-alerts for errors") or names where to
    /// click (`Console → Workloads → Pods`; "Go to **ElastiCache** and open
    /// **Events**", the labels in bold as consoles' own docs write them; or in
    /// its nested items, "4. Check if the label … is set on a Pod." over "1. In
    /// the **Workloads** section, choose **Pods**." and "2. Search for …": those
    /// clicks are the step's way to its place, not steps of their own), names a
    /// view by its title ("Click on the alert in the Network Health dashboard",
    /// two or more capitalised words: "the Grafana dashboard" names only the tool;
    /// or its label in bold: "Check the **Gitaly p95 latency** graph") or links
    /// the dashboard (or writes its address out where it says to look: "inspect
    /// their status dashboard at https://status.twilio.com"). A place in the infrastructure ("Inside the Workload
    /// Cluster verify that …", a node, a pod, a host) says where to run something,
    /// not what: no place to look. A step right after one that only opens a page
    /// ("1. Go to [the bot's dashboard](…)." then "2. Check that the repository
    /// is enabled.") looks at that page, and so do the steps after it until one
    /// gives a place of its own or goes somewhere else ("Go to the Elastic
    /// monitoring cluster …" names no place, and is reported). Findings name a
    /// numbered step by the number the reader sees, others by their first words
    /// (going on into the next line when the first stops mid-sentence: "You
    /// should check the logs to …").
    ///
    /// A page that writes its alerts out under "# Alerts" (or "## Alarm types and
    /// how to fix", "## Alerts by priority"; one section per alert,
    /// what it means and what to check: "## job_metrics") is read section by
    /// section as a triage section is: the reader arrives from the alert at its
    /// section. A paragraph whose instruction comes in a later sentence ("The [job
    /// metrics](…) goroutine has not updated … You should check the logs", "… Take
    /// a look at the queue", "… Look for which CLs …") is a step from that
    /// sentence, and gives what to look at from there on: a link before it is the
    /// situation's, unless the instruction points back at it ("Check whether the
    /// message appears there"). "Check with the service owner" and "Ping people
    /// that had been involved" ask people, "Open a new issue in …" files one
    /// ("ping the host", "open the dashboard" look), and
    /// "Investigate this by following [the section](#…)" hands the checks to
    /// the section linked: neither is a step. "To address this, run …", "Wipe
    /// the old registration …" are fixes.
    ///
    /// The help names the kind of command that is missing, for what the step's
    /// first sentence looks at: logs (a `kubectl logs` or `journalctl` command,
    /// or the log search's saved query), a graph or metric (the query, or a link
    /// to the panel), the state of pods or nodes (`kubectl get`, `systemctl
    /// status`), the network (a `curl` or `nc` and where to run it from), a
    /// database (the query and where to run it), a setting (the command or path
    /// that shows it), a console page (the exact place, not a command).
    ///
    /// Written in paragraphs of their own, a check and how to do it are one
    /// step ("Check whether the collector is rejecting the logs. This happens
    /// when …" then "Open the collector log on the data plane:" over the
    /// command), and so are a command and its reading ("Confirm that no
    /// unexpected process is listening on port `1514`" after `ss -ltnp | grep
    /// 1514`: a value the command looked for; "Verify the following log message
    /// is shown" after "Check Agent logs": the logs the step opened, not a path
    /// its command names). A check section whose text sends the reader to
    /// another page through the site generator's tag ("Read the topic
    /// [Troubleshooting Ingress resources]({{< ref "/nic/…" >}})") delegates, as
    /// one with a plain link does. "What to do next", after the checks, is not
    /// read (the fix's verification and the hand-over), nor is a "### Fix" under a
    /// check section read with its subsections. On an incident page, the text
    /// before its first heading is read as an unread section is: "If you don't
    /// see the new system …, or (some) metrics aren't being collected, please
    /// review the following:" makes each item of its list a step. A site's
    /// shortcode that shows a query or script file where it stands (`{{% sql
    /// "sql/list-queries-using-cpu.sql" %}}`) is the step's command. "Check:"
    /// right under a command's code block, over statements ("- OIDC issuer URL
    /// is correct"), says what to look for in its output: that command's
    /// reading, not steps.
    ///
    /// ## Why it matters at 3am
    /// "Check the database" costs a tired engineer ten minutes of finding out how;
    /// `psql -c 'select count(*) from pg_stat_activity'` costs ten seconds.
    ///
    /// ## Example
    /// ```markdown
    /// ## Start here
    /// 1. Check whether the workers are running.
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// ## Start here
    /// 1. Check whether the workers are running: `kubectl get deploy render-worker`
    ///    - If READY is 0/N: see "Workers down".
    /// ```
    ///
    /// ## Options
    /// `sections`: the headings (besides the triage section) whose steps are
    /// diagnostic steps.
    pub struct StepWithoutCommand {
        id: "runbook/step-without-command",
        summary: "a diagnostic step gives no command (inline code or code block)",
        default_severity: Error,
        applies_to: Runbook,
        options: [StepWithoutCommand::SECTIONS.0],
    }
}

impl StepWithoutCommand {
    const SECTIONS: Headings = Headings::new(
        "sections",
        "section names",
        "sections whose steps are diagnostic steps, besides the triage section",
    );
}

impl Rule for StepWithoutCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        let steps = diagnostic_steps(cx, Self::SECTIONS.get(cx.options));
        for (n, step) in steps.iter().enumerate() {
            let lead = lead_text(cx.doc.text(&step.line));
            // "ssh to the VM which you suspect": getting there, the checks follow.
            if step.command != Command::None || repeats_earlier(lead) || reading::gets_access(lead)
            {
                continue;
            }
            // "1. Go to [the dashboard](…)." then "2. Check that the repository is
            // enabled.": the place is the page the step before opened.
            if super::steps::on_page_opened_before(cx.doc, &steps, n) {
                continue;
            }
            // "Run `kubectl get nodes`" then "Verify that all of the nodes are in
            // the `Ready` state": the reading of the step before, not a check.
            if n.checked_sub(1)
                .and_then(|b| steps.get(b))
                .is_some_and(|before| super::steps::reads_result_of(cx.doc, before, step))
            {
                continue;
            }
            // "Check whether the collector is rejecting the logs." and then "Open
            // the collector log:" over the command: one check in two paragraphs.
            if steps
                .get(n + 1)
                .is_some_and(|next| super::steps::check_done_in_next(cx.doc, step, next))
            {
                continue;
            }
            // "Check the database:" and then "- Navigate to the [GCP page](…)": the
            // line announces the step after it, which says where to look.
            let announces = cx.doc.text(&step.line).trim_end().ends_with(':');
            if announces
                && steps
                    .get(n + 1)
                    .is_some_and(|next| step.is_followed_by(next) && next.command != Command::None)
            {
                continue;
            }
            let mut f = cx.finding(
                &Self::META,
                step.line.clone(),
                [
                    &step.name(cx.doc),
                    " gives no command to run or place to look",
                ]
                .concat(),
            );
            // The kind of command that is missing, for what the step looks at.
            f.help = Some(looks_of(cx.doc, step).command_help().into());
            out.push(f);
        }
    }
}
