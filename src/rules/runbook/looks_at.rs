//! What a diagnostic step looks at (logs, a graph, the state of pods, the
//! network, a database, a setting, a console page), read from the nouns of its
//! first sentence: the step rules' help then names the kind of command or
//! reading that is missing ("the `kubectl logs …` or log search that shows those
//! logs") instead of asking for "a command" in general.

use super::steps::without_list_marker;
use super::steps::{Command, Step};
use crate::markdown::Document;
use crate::rules::text::word_value;

/// What a step looks at. [`Looks::Other`] when its first sentence names none of
/// these (the help is then the general one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Looks {
    /// A console or web page: "Navigate to the service in the console".
    Ui,
    /// Logs: "Check logs of Prometheus Operator pod".
    Logs,
    /// A graph, a metric or a dashboard: "Check metrics cardinality", "check
    /// cpu usage on the VM".
    Metrics,
    /// Reachability: "Check networking on the node", "Check firewall on the node".
    Network,
    /// A database: "You can query Redis to check …", "Check the replication in
    /// the database".
    Database,
    /// A setting or a file: "Check DaemonSet update strategy", "Check pod
    /// template parameters".
    Config,
    /// The state of running things: "Check the status of the pods", "Check how
    /// many replicas are there".
    Status,
    Other,
}

/// The words that name what a step looks at, each with its kind; sorted by
/// word, looked up by binary search.
#[rustfmt::skip]
const WORDS: &[(&str, Looks)] = &[
    ("annotation", Looks::Config),
    ("annotations", Looks::Config),
    ("browser", Looks::Ui),
    ("cardinality", Looks::Metrics),
    ("chart", Looks::Metrics),
    ("charts", Looks::Metrics),
    ("click", Looks::Ui),
    ("config", Looks::Config),
    ("configmap", Looks::Config),
    ("configuration", Looks::Config),
    ("connection", Looks::Network),
    ("connections", Looks::Network),
    ("connectivity", Looks::Network),
    ("conntrack", Looks::Network),
    ("console", Looks::Ui),
    ("container", Looks::Status),
    ("containers", Looks::Status),
    ("cpu", Looks::Metrics),
    ("daemonset", Looks::Status),
    ("dashboard", Looks::Metrics),
    ("dashboards", Looks::Metrics),
    ("database", Looks::Database),
    ("databases", Looks::Database),
    ("db", Looks::Database),
    ("deployment", Looks::Status),
    ("deployments", Looks::Status),
    ("dns", Looks::Network),
    ("events", Looks::Status),
    ("firewall", Looks::Network),
    ("flag", Looks::Config),
    ("flags", Looks::Config),
    ("grafana", Looks::Metrics),
    ("graph", Looks::Metrics),
    ("graphs", Looks::Metrics),
    ("health", Looks::Status),
    ("healthy", Looks::Status),
    ("journal", Looks::Logs),
    ("journalctl", Looks::Logs),
    ("journald", Looks::Logs),
    ("latency", Looks::Metrics),
    ("log", Looks::Logs),
    ("logs", Looks::Logs),
    ("memory", Looks::Metrics),
    ("metric", Looks::Metrics),
    ("metrics", Looks::Metrics),
    ("mysql", Looks::Database),
    ("navigate", Looks::Ui),
    ("network", Looks::Network),
    ("networking", Looks::Network),
    ("node", Looks::Status),
    ("nodes", Looks::Status),
    ("panel", Looks::Metrics),
    ("panels", Looks::Metrics),
    ("parameter", Looks::Config),
    ("parameters", Looks::Config),
    ("pod", Looks::Status),
    ("pods", Looks::Status),
    ("port", Looks::Network),
    ("portal", Looks::Ui),
    ("ports", Looks::Network),
    ("postgres", Looks::Database),
    ("postgresql", Looks::Database),
    ("reachable", Looks::Network),
    ("redis", Looks::Database),
    ("replicas", Looks::Status),
    ("rollout", Looks::Status),
    ("running", Looks::Status),
    ("setting", Looks::Config),
    ("settings", Looks::Config),
    ("sql", Looks::Database),
    ("state", Looks::Status),
    ("statefulset", Looks::Status),
    ("status", Looks::Status),
    ("stderr", Looks::Logs),
    ("stdout", Looks::Logs),
    ("strategy", Looks::Config),
    ("tab", Looks::Ui),
    ("table", Looks::Database),
    ("tables", Looks::Database),
    ("throughput", Looks::Metrics),
    ("ui", Looks::Ui),
    ("unreachable", Looks::Network),
    ("usage", Looks::Metrics),
    ("utilisation", Looks::Metrics),
    ("utilization", Looks::Metrics),
    ("variable", Looks::Config),
    ("variables", Looks::Config),
    ("version", Looks::Config),
    ("yaml", Looks::Config),
];

/// How far into the step its object is looked for.
const MAX_WORDS: usize = 16;

/// What `step` looks at: read from the heading that names it, or from its own
/// text; a step that gives a console place and names nothing else looks at
/// that page.
pub(super) fn looks_of(doc: &Document<'_>, step: &Step) -> Looks {
    let text = match step.title.and_then(|h| doc.headings.get(h)) {
        Some(heading) => heading.text.as_ref(),
        None => doc.text(&(step.line.start..step.extent.end.max(step.line.end))),
    };
    match looks_at(text) {
        // A dashboard given as a place ("Look at the Grafana dashboards:" over
        // their links) is read where it is opened, as any place is.
        Looks::Other | Looks::Metrics if step.command == Command::Ui => Looks::Ui,
        looks => looks,
    }
}

/// What `text`, a step's own text from its first word, looks at: logs wherever
/// they are named in its first sentence ("Check prometheus logs and remote
/// storage …" reads logs), a console when the step clicks or navigates; else
/// the kind of the most specific noun, a graph or metric before the network, a
/// database, a setting, and last the state of running things ("Check DaemonSet
/// update strategy" looks at a setting of the DaemonSet; "Check storage used by
/// the pod" at the pod).
pub(super) fn looks_at(text: &str) -> Looks {
    // "2. Look at the error rate: …": the list marker is no sentence.
    let text = without_list_marker(text);
    let mut best = Looks::Other;
    for raw in text.split_whitespace().take(MAX_WORDS) {
        let word = raw.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        // "etcd's": the word before the apostrophe.
        let word = word.split(['\'', '\u{2019}']).next().unwrap_or(word);
        if let Some(&looks) = word_value(WORDS, word) {
            if looks == Looks::Logs {
                return looks;
            }
            if rank(looks) < rank(best) {
                best = looks;
            }
        }
        // Only the first sentence: what a later one names is another step's.
        if raw.ends_with('.') {
            break;
        }
    }
    best
}

/// The kinds, most specific first.
const KINDS: &[Looks] = &[
    Looks::Logs,
    Looks::Ui,
    Looks::Metrics,
    Looks::Network,
    Looks::Database,
    Looks::Config,
    Looks::Status,
];

/// Where `looks` comes in [`KINDS`]; [`Looks::Other`] last.
fn rank(looks: Looks) -> usize {
    KINDS
        .iter()
        .position(|l| *l == looks)
        .unwrap_or(KINDS.len())
}

impl Looks {
    /// The help of a step that gives nothing to run or look at: the kind of
    /// command it needs, with an example of one.
    pub(super) fn command_help(self) -> &'static str {
        match self {
            Looks::Ui => {
                "name the exact place to look in the UI (`Console → Workloads → Pods`, the menu path and tab) or link the page itself"
            }
            Looks::Logs => {
                "add the exact command or search that shows those logs (`kubectl logs -n <namespace> <pod> --since=1h`, `journalctl -u <unit> --since \"1 hour ago\"`, or the log search's saved query) or a link to that log view"
            }
            Looks::Metrics => {
                "add the exact query that shows it (PromQL such as `sum by (pod) (rate(container_cpu_usage_seconds_total[5m]))`) or a link to the dashboard panel"
            }
            Looks::Network => {
                "add the exact command that tests it and where to run it from (`curl -sv https://<host>:<port>/healthz` from the pod, `nc -zv <host> <port>`, `dig <name>`)"
            }
            Looks::Database => {
                "add the exact query and where to run it (`psql -h <host> -d <db> -c \"SELECT …\"`, `redis-cli -h <host> info replication`)"
            }
            Looks::Config => {
                "add the exact command or path that shows the setting (`kubectl get <kind> <name> -n <namespace> -o yaml`, `cat /etc/<service>/<file>`)"
            }
            Looks::Status => {
                "add the exact command that shows it (`kubectl get pods -n <namespace> -o wide`, `kubectl describe <kind> <name>`, `systemctl status <unit>`), or for a console the exact place (`Console → Workloads → Pods`)"
            }
            Looks::Other => {
                "add the exact command or query, in backticks or a code block, or for a step done in a UI the exact place to look (`Console → Workloads → Pods`, or a link to the dashboard)"
            }
        }
    }

    /// The help of a step whose result is not read: what a reading of this kind
    /// says, with an example of one.
    pub(super) fn reading_help(self) -> &'static str {
        match self {
            Looks::Logs => {
                "say which lines, or how many of them, mean trouble and where to go then (\"- More than 10 `gateway timeout` lines a minute: see 'Upstream'\")"
            }
            Looks::Network => {
                "say what a working answer looks like and where to go when it fails (\"- `Connection refused`: the service is down, see 'Restart'\")"
            }
            Looks::Status => {
                "say which state is healthy and where to go for any other (\"- A pod not `Running`, or restarting: see 'Crash loops'\")"
            }
            Looks::Database => {
                "say which result means trouble and where to go then (\"- Any row older than 1 hour: see 'Stuck jobs'\")"
            }
            Looks::Config => {
                "say which value is right and what to do when it differs (\"- If `replicas` is below 3: see 'Scale up'\")"
            }
            Looks::Ui => {
                "say what to look for there: which value or state is trouble, and where to go then (\"- If above 2,000: see 'Render backlog'\")"
            }
            Looks::Metrics => {
                "say which values are normal, which mean trouble, and where to go then (\"- If above 2,000: see 'Render backlog'\")"
            }
            Looks::Other => {
                "say how to read the output: what is normal, and where to go when it is not (\"- If above 2,000: see 'Render backlog'\")"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_named_anywhere_in_the_first_sentence_win() {
        // Steps as prometheus-operator/runbooks and skia-buildbot write them.
        for step in [
            "Check logs of Prometheus Operator pod",
            "Check prometheus logs and remote storage logs",
            "You should check the logs to try to diagnose what's failing.",
            "Check kube-state-metric container logs",
            "Investigate kube proxy logs",
        ] {
            assert_eq!(looks_at(step), Looks::Logs, "{step}");
        }
        // A numbered item's marker is no sentence.
        assert_eq!(
            looks_at("2. Look at the error rate: `kubectl logs deploy/checkout | grep -c x`"),
            Looks::Logs
        );
        assert_eq!(looks_at("- Check the pods"), Looks::Status);
        // Only the first sentence: logs named later are another step's.
        assert_eq!(
            looks_at("Check the status of the pods. Then read their logs."),
            Looks::Status
        );
    }

    #[test]
    fn the_first_noun_of_a_kind_names_what_is_looked_at() {
        for (step, looks) in [
            ("Check metrics cardinality", Looks::Metrics),
            ("check cpu usage on the VM", Looks::Metrics),
            ("Inspect the per-table latency graphs.", Looks::Metrics),
            ("Check networking on the node", Looks::Network),
            ("Check firewall on the node", Looks::Network),
            ("Check current conntrack value on the node", Looks::Network),
            ("You can query Redis to check the keys", Looks::Database),
            ("Check DaemonSet update strategy", Looks::Config),
            ("Check pod template parameters such as", Looks::Config),
            ("Check the status of the pods …", Looks::Status),
            ("Check how many replicas are there", Looks::Status),
            ("Check storage used by the pod", Looks::Status),
            ("Navigate to one of its pods", Looks::Ui),
            ("Navigate to the \"Logs\" tab, the …", Looks::Logs),
            ("Check if application is performing normally", Looks::Other),
        ] {
            assert_eq!(looks_at(step), looks, "{step}");
        }
    }

    #[test]
    fn words_not_in_the_table_name_nothing() {
        assert_eq!(
            looks_at("Überprüfen Sie die Konfigurationsdateien"),
            Looks::Other
        );
        assert_eq!(looks_at(""), Looks::Other);
        assert_eq!(looks_at("Check etcd's status"), Looks::Status);
    }

    #[test]
    fn every_kind_has_its_own_help() {
        let kinds = [
            Looks::Ui,
            Looks::Logs,
            Looks::Metrics,
            Looks::Network,
            Looks::Database,
            Looks::Config,
            Looks::Status,
            Looks::Other,
        ];
        let helps: std::collections::BTreeSet<_> = kinds.iter().map(|k| k.command_help()).collect();
        assert_eq!(helps.len(), kinds.len());
        assert!(Looks::Logs.command_help().contains("kubectl logs"));
        assert!(Looks::Ui.command_help().contains("place to look in the UI"));
        assert!(!Looks::Ui.command_help().contains("command"));
        assert!(Looks::Status.reading_help().contains("healthy"));
        // A graph has values, not an output; so has every kind its own reading.
        let readings: std::collections::BTreeSet<_> =
            kinds.iter().map(|k| k.reading_help()).collect();
        assert_eq!(readings.len(), kinds.len());
        assert!(!Looks::Metrics.reading_help().contains("output"));
    }

    #[test]
    fn the_words_are_sorted_lowercase_and_each_once() {
        let words: Vec<&str> = WORDS.iter().map(|(w, _)| *w).collect();
        assert!(crate::rules::text::sorted_lowercase(&words), "{words:?}");
        assert!(words.windows(2).all(|p| p[0] < p[1]));
    }
}
