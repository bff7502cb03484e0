//! The language of diagnostic steps: what tells the reader how to read a result
//! (an interpretation), what asks a question or states a precondition (not yet an
//! answer), and what instructs the reader to look at something (a step, whatever
//! its first word).
//!
//! Regexes are compiled over bytes with Unicode off ([`bytes_regex`]): `\b`, `\w`,
//! `\s` and `\d` are ASCII, and `[^.\n]` is one byte class. Runbook prose is mostly
//! ASCII; with Unicode classes the same patterns took three times as long to
//! compile and twice as long to search (their UTF-8 automata have many more
//! states), and a single `→` or `’` sent Unicode word boundaries from the lazy DFA
//! to a slower engine. Non-ASCII text still matches as bytes: `[^.\n]` and `\S`
//! take any byte of `’`, and a literal `→` is its UTF-8 bytes.

use std::sync::OnceLock;

use regex::bytes::Regex;

/// Words that say how to read a result: a condition and what follows ("if …",
/// "otherwise"), what normal looks like ("should", "normal", "healthy"), what it
/// means ("means", "indicates", "→ see …"), an example ("such as", "similar to",
/// "here is an example" or "here an example with network issues" above the output,
/// "you will see", "in this case we are missing slave3" under an example
/// output), what the output holds ("this will return the namespace", "you can
/// find the project in another shard"), what to look for ("check Sentry for
/// unusual errors", "error messages like `level=error`", "grep for `SIGSEGV`", "to find
/// large instances", "to see if there are any obvious problems"), the likely cause ("usually
/// it is a configuration error", "Some of the possible causes for this are:",
/// "Possible reasons for these errors are:" over a list of them), the state to confirm ("make sure that it returns
/// the right certificate", "verify the certs were recently created", "ensure the
/// logs do not display errors related to certificates", "its logs contain no
/// errors", "are free from certificate-related errors", "make sure it has the
/// `localhost` entries", "ensure you have permission to create ClusterRoles",
/// "ensure you can connect to the endpoint"), what to heed ("pay close attention to any log output
/// starting with "E"", "Pay particular attention to any lines that have a
/// logging level of `warning` or `error`"), a sample of the output and what it shows ("a sample event
/// about a rejected custom resource"), what
/// abnormal looks like ("a high number of errors", "a stuck collector query
/// shows up in `pg_stat_activity`"), a threshold ("above 500", "longer than
/// 50 seconds"). "e.g" counts
/// with or without its last dot ("(e.g "Reason: Error" or "Reason: OOMKilled")").
fn interpretation() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r"(\bif\b|\bunless\b|→|->|=>|\bsee\b|\bmeans?\b|\bmeaning\b|\bindicat|\bsuggests?\b|\bshould\b|\bexpect|\blook(ing)?[ \t\n]+for\b|\botherwise\b|\bnormal(ly)?\b|\b(un)?healthy\b|\bwhen (it|the|this|you)\b|\byou('ll| will) (see|find|get)\b|\byou (can )?find the\b|\bshows? (that|whether|if)\b|\bsuch as\b|\bfor example\b|\bhere('s|[ \t\n]+is|[ \t\n]+are)?[ \t\n]+(an?[ \t\n]+)?(examples?|samples?)\b|\bin this (case|example)\b|\be\.?g\.|\be\.g\b|\bshows?[ \t\n]+up[ \t\n]+(in|as|on)\b|\blooks? like\b|\bsimilar to\b|\b(check|search|grep|scan|inspect|review|examine)\b([^.\n]|\.\S)*\bfor[ \t\n]+(the|an?|any|([a-z0-9-]+[ \t\n]+){0,2}(errors?|warnings?|failures?|exceptions?|messages?|lines?|entries|values?|spikes?|timeouts?|crash(es)?|restarts?|problems?|issues?))\b|\b(grep|search)(ing)?[ \t\n]+for\b|\b(to|and)[ \t\n]+(find|identify|spot)[ \t\n]+(the[ \t\n]+)?(any|large|larger|largest|high|higher|highest|big|bigger|biggest|slow|slowest|top|most|heavy|offending|failing|stuck|which|who|whose)\b|\bcheck[ \t\n]+that\b|\b(there[ \t\n]+(are|is)|(has|have)[ \t\n]+(reported|logged|raised|shown))[ \t\n]+any[ \t\n]+([a-z-]+[ \t\n]+)?(errors?|problems?|issues?|failures?|warnings?|exceptions?)\b|\b(make sure|ensure|verify|confirm)[ \t\n]+((that[ \t\n]+)?(the|all|each|every|it|they|its|their|this|these|those)|that)[ \t\n]+([\w-]+[ \t\n]+){0,3}(is|are|was|were|has|have|returns?|shows?|match(es)?|equals?|exists?|contains?|includes?|works?|succeeds?)\b|\bpay[ \t\n]+((close|particular|special|careful)[ \t\n]+)?attention[ \t\n]+to\b|\b(sample|example)[ \t\n]+(events?|outputs?|logs?|lines?|entries|messages?|errors?)[ \t\n]+(about|of|for|showing|from|when)\b|\b(make sure|ensure|verify|confirm|check that)\b[^.\n]*?\b(do|does)[ \t\n]+not[ \t\n]+(display|show|contain|report|log|include|have)\b|\b(is|are)[ \t\n]+free[ \t\n]+(from|of)\b|\bcontains?[ \t\n]+no[ \t\n]+(errors?|warnings?|failures?|exceptions?)\b|\b(high|higher|elevated|increased|increasing|unusual|abnormal|excessive)[ \t\n]+([\w-]+[ \t\n]+)?(numbers?|rates?|counts?|errors?|latency|load|usage|values?)\b|\b(usually|typically|most likely|most often|commonly)[ \t\n]+(it('s| is| was)|this is|caused by|due to|because)\b|\b(possible|likely|common|probable)[ \t\n]+(causes?|reasons?)[ \t\n]+(for[ \t\n]+(this|these|that|those)[ \t\n]+([a-z-]+[ \t\n]+)?)?(are|is|include)\b|\b(possible|likely|common|probable)[ \t\n]+(causes|reasons)[ \t]*:|\b(is|are)[ \t\n]+(usually|typically|often|commonly)[ \t\n]+(caused|due)\b|\b(this|that|it|which|the output|the result|the command)[ \t\n]+(will[ \t\n]+|should[ \t\n]+)?(returns?|outputs?|shows?|lists?|prints?|displays?|gives?)\b|\bwill[ \t\n]+(return|output|show|list|print|display|give)\b|\b(above|below|over|under|(more|less|greater|fewer|longer|shorter|slower|faster|higher|lower|larger|bigger|smaller|older|newer)[ \t\n]+than|exceeds?|at least|at most|no more than|no less than)[ \t\n]+\d|\bexceed(s|ed|ing)?\b|\b(is|are|was|were)[ \t\n]+(much[ \t\n]+|far[ \t\n]+)?(higher|lower|greater|larger|smaller|bigger)[ \t\n]+than\b|\b(requires?|needs?|must[ \t\n]+(be|have|run)|has[ \t\n]+to[ \t\n]+be)[ \t\n]+at[ \t\n]+(least|most)\b)",
    )
}

/// Words that name people to hand over to or ask, as a regex alternation over
/// lowercase text: "the platform team", "the service owner", "your
/// administrator", "on-call", "someone". Shared by the escalation rule (who a
/// hand-over names) and the step rules ("Check with the service owner" asks a
/// person, it looks at nothing: [`asks_people`]).
pub(crate) const PEOPLE: &str = "teams?|on-?call|support|leads?|owners?|engineers?|sres?|developers?|devs|maintainers?|experts?|managers?|providers?|vendors?|someone|somebody";

/// Whether an instruction asks people rather than looks: its verb and "with",
/// or "ping", then people within a few words, before any code ("Check with the
/// service owner to see if …", "check with your administrator", "Ping people
/// that had been involved", "ping @stanhu"; "Check with `kubectl get pods`"
/// names a tool, "ping the host" looks).
pub(crate) fn asks_people(instruction: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        // Right after the verb, an administrator or a colleague is asked too (in
        // a sentence at large, "Administrator error" among causes hands nothing
        // over: the escalation rule's `PEOPLE` leaves them out).
        &format!(
            r"^\W*([a-z]+[ \t\n]+)?([a-z-]+[ \t\n]+with|ping)[ \t\n]+(@|([a-z0-9'-]+[ \t\n]+){{0,3}}(people|them|{PEOPLE}|admins?|administrators?|colleagues?)(?-u:\b))"
        ),
    )
    .is_some_and(|re| re.is_match(instruction.to_ascii_lowercase().as_bytes()))
}

/// The modal words before a verb that make it an instruction to the reader ("you
/// should check", "we need to look at", "you might want to check"), for
/// [`instruction`] and [`not_an_answer`].
const MODALS: &str = "should|can|could|may|might|must|need to|have to|want to|will need to|(may|might|would) want to";

/// A precondition of the reader's situation, not of the result: "if you have SSH
/// access", "if you need to", "unless you use `http01-edit-in-place`".
const PRECONDITION: &str =
    r"\b(if|when|unless) you (have|are|use|need|want|do not|don't|can't|cannot|can not)\b";

/// A qualifier of the action, not a condition on its result: "Investigate the
/// pod's details if needed", "if necessary", "if applicable".
const QUALIFIER: &str =
    r"\bif[ \t\n]+(needed|necessary|applicable|possible|required|appropriate|desired)\b";

/// A way out when the checks did not help, not a reading of this one's result:
/// "If none of the above steps yield useful insight, try following …", "If
/// nothing else helps, …", "if that doesn't help".
const FALLBACK: &str = r"\bif[ \t\n]+(none[ \t\n]+of[ \t\n]+the[ \t\n]+above|nothing[ \t\n]+else|(this|that|it|the[ \t\n]+above)[ \t\n]+(does[ \t\n]+not|doesn't|did[ \t\n]+not|didn't)[ \t\n]+(help|work))\b";

/// Looking for errors in general ("Check the pod logs for error messages:",
/// "Look for errors in the logs of the latest job", "Review system logs for
/// network-related issues.", "examine the logs … for any errors that could
/// indicate the root cause"): what kind of thing to look at, not which of them
/// matters or what it means. Errors of some kind or at some time ("for unusual
/// errors", "for 5xx errors by backend", "for errors during the crawl") and
/// something named ("look for `OOMKilled`") still read the result.
const ANY_ERRORS: &str = r"\b(look(ing)?|check(ing)?|search(ing)?|scan(ning)?|review(ing)?|examin(e|ing)|inspect(ing)?)\b[^.\n`]*?\bfor[ \t\n]+(any[ \t\n]+)?([a-z0-9]+-related[ \t\n]+)?(errors?|error[ \t\n]+messages|warnings|failures|exceptions|issues|problems)([ \t\n]+(in|on|at|from|or)\b|[ \t\n]*([:.,;)]|$)|[ \t\n]+(that|which)[ \t\n]+(could|might|may|would|can)[ \t\n]+(indicate|explain|point[ \t\n]+to|reveal)\b)";

/// Things in the infrastructure that a command runs on or reads from: "for the
/// node" names whose output to read, "Inside the Workload Cluster" where to run
/// (no view to look at, `steps::names_place`). Sorted, lowercase.
#[rustfmt::skip]
pub(crate) const RESOURCES: &[&str] = &[
    "cluster", "clusters", "container", "containers", "daemonset", "daemonsets", "deployment",
    "deployments", "host", "hosts", "instance", "instances", "job", "jobs", "machine", "machines",
    "member", "members", "namespace", "namespaces", "node", "nodes", "operator", "operators",
    "pod", "pods", "replica", "replicas", "server", "servers", "service", "services",
    "statefulset", "statefulsets", "vm", "vms",
];

/// "for the node", "for this pod" ([`RESOURCES`]): whose logs or events to check
/// ("Check the machine for the node:", "Check the logs for the pod"), not what
/// to look for in them ("check the log for the string …" still is).
fn for_resource() -> String {
    format!(
        r"\bfor[ \t\n]+(the|an?|this|that|each|every|its|their)[ \t\n]+([\w-]+[ \t\n]+)?({})\b",
        RESOURCES.join("|")
    )
}

/// Errors, warnings or lines of a named kind: "error messages like
/// `level=error …`", "warnings related to slow metadata IOs", "lines containing
/// `OOMKilled`". Lower case, as [`interprets`] matches.
fn named_kind() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r"\b(errors?|messages?|warnings?|failures?|exceptions?|issues?|problems?|lines?|entries|events?)[ \t\n]+(like|related[ \t\n]+to|about|mentioning|matching|containing|such[ \t\n]+as|similar[ \t\n]+to|saying|with[ \t\n]+(the[ \t\n]+)?(text|string|message|code|status|reason))\b",
    )
}

/// What is not yet an answer, blanked before looking for an interpretation:
/// - the question a step asks ("Check if …", "see whether …", "to see …");
/// - where in the output to look, which says nothing of what it means ("and see
///   VERSION column");
/// - a precondition ("If you have SSH access", "if you need to") or a qualifier
///   of the action ("if needed");
/// - a way out when the checks did not help ([`FALLBACK`]: "If none of the
///   above steps yield useful insight, …");
/// - a path of arrows through a UI ([`ui_path`]);
/// - an instruction in the modal voice ("we should look for", "you can check"):
///   "should" and "look for" there tell the reader what to do, not what the result
///   means (our labels count "we should look for potential exhaustions in CPU and
///   memory" as no reading).
fn not_an_answer() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        &format!(
            r"\b(check|see|verify|confirm|determine|test|find out|ask|know|tell)[ \t\n]+(if|whether)\b|\bto see([ \t\n]+(if|whether))?\b|\bsee[ \t\n]+(the[ \t\n]+)?[\w-]+[ \t\n]+(column|field|row|tab)s?\b|{PRECONDITION}|{QUALIFIER}|{FALLBACK}|{ANY_ERRORS}|{for_resource}|\b(you|we)[ \t\n]+(will|{MODALS})[ \t\n]+(also[ \t\n]+)?(look|check|inspect|investigate|verify|examine|review|double-check)([ \t\n]+(at|for|into))?\b",
            for_resource = for_resource()
        ),
    )
}

/// A path of arrows through a UI ("Navigation Menu -> `Monitoring` -> `Metrics
/// Explorer`", "Dashboard → Tenant Settings → Advanced"): where to click, not
/// "→ see …" after a value. One arrow alone reads so, unless it leaves a view
/// ("Web dashboard → 5xx rate", "Mastodon Overview → Burn panels") or leads to
/// one ("Sidekiq → Queue latency panel"): a step into that view.
fn ui_path() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r"(?i)(\b(dashboards?|menu|page|console|tab|view|settings|overview)[ \t]*)?(->|→)([^.\n]{0,60}(->|→))+|\b(dashboards?|menu|page|console|tab|view|settings|overview)[ \t]*(->|→)|(->|→)[^.,;\n]{0,40}\b(panels?|tabs?|graphs?|charts?|dashboards?)\b",
    )
}

/// A block that opens with a precondition ("If you have SSH access to the nodes,
/// …"): a new step, not the reading of the step before.
pub(crate) fn opens_with_precondition(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    opens_with_any(text, &["if", "when", "unless"])
        && bytes_regex(&RE, &[r"(?i)^\W*", PRECONDITION].concat())
            .is_some_and(|re| re.is_match(text.as_bytes()))
}

/// A block that opens with what the reader must have before starting ("Make
/// sure you have the go SDK installed", "Ensure you are logged in"): a
/// prerequisite, not a check of the system.
pub(crate) fn opens_with_prerequisite(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    static STATE: OnceLock<Option<Regex>> = OnceLock::new();
    opens_with_any(text, &["make", "ensure"])
        && bytes_regex(
            &RE,
            r"(?i)^\W*(make[ \t]+sure|ensure)[ \t]+(that[ \t]+)?(you|your)\b",
        )
        .is_some_and(|re| re.is_match(text.as_bytes()))
        // "Make sure that you have configured this endpoint correctly in your
        // IdP", "… you have sufficient space": the state of the system, a check.
        && !bytes_regex(
            &STATE,
            r"(?i)^\W*(make[ \t]+sure|ensure)[ \t]+(that[ \t]+)?you[ \t]+have[ \t]+(configured|set|defined|specified|enabled|sufficient|enough)\b|^[^.:\n]*\b(correctly|properly)\b",
        )
        .is_some_and(|re| re.is_match(text.as_bytes()))
}

/// Whether `text`'s first word character (ASCII `\w`, as the regexes above read it
/// after their `^\W*`) starts one of `words` (lowercase), in any ASCII case. Every
/// block classified goes through these regexes and nearly none matches: this
/// tells without a regex call that one cannot.
fn opens_with_any(text: &str, words: &[&str]) -> bool {
    let start = text
        .bytes()
        .position(|b| b.is_ascii_alphanumeric() || b == b'_')
        .and_then(|at| text.as_bytes().get(at..))
        .unwrap_or_default();
    words.iter().any(|w| {
        start
            .get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes()))
    })
}

/// `pattern`, compiled once into `cell` over bytes with Unicode off (see the
/// module's documentation).
fn bytes_regex(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(&["(?-u)", pattern].concat()).ok())
        .as_ref()
}

/// Whether `prose` (a step's text, code blanked out) says how to read the result.
///
/// [`interpretation`] and [`not_an_answer`] are written in lower case and matched
/// against the ASCII-lowercased text: a case-insensitive pattern gives the regex
/// engine no literal to skip ahead to.
pub(crate) fn interprets(prose: &str) -> bool {
    let Some(re) = interpretation() else {
        return false;
    };
    let mut prose = prose.to_ascii_lowercase();
    blank_example_values(&mut prose);
    if result_confirms(&prose)
        || states_expected(&prose)
        || states_requirement(&prose)
        || compares_to_a_number(&prose)
    {
        return true;
    }
    let prose = prose.as_bytes();
    // "Look for error messages like `level=error`": errors of a named kind are
    // what to look for, before [`ANY_ERRORS`] blanks "look for error messages".
    if named_kind().is_some_and(|k| k.is_match(prose)) {
        return true;
    }
    // A path of arrows, blanked first: most prose has no arrow at all.
    let blanked;
    let prose = match ui_path() {
        Some(path)
            if (memchr::memmem::find(prose, b"->").is_some()
                || memchr::memmem::find(prose, "→".as_bytes()).is_some())
                && path.is_match(prose) =>
        {
            blanked = path.replace_all(prose, &b" "[..]).into_owned();
            &blanked[..]
        }
        _ => prose,
    };
    match not_an_answer() {
        // Most steps have no question or modal instruction: no copy then.
        Some(q) if q.is_match(prose) => re.is_match(&q.replace_all(prose, &b" "[..])),
        _ => re.is_match(prose),
    }
}

/// Blanks the "for example, if" of a value to put in the command, shown with
/// the command again ("For example, if the failing service was
/// `cleanup-export`:" over the same query with that value): an example of what
/// to run, not of what the result says. Only when that sentence ends in the
/// colon that leads into the code; the rest of it is still read ("For example,
/// if the export failed you will see:" shows the output). So for "such as"
/// and a value right before that colon ("or a pod using a label such as mon1:"
/// over `kubectl logs -l mon=a`); "errors such as:" over a block of them shows
/// the output. `prose` is lowercase.
fn blank_example_values(prose: &mut String) {
    const LEADS: [&str; 3] = ["for example, if ", "e.g. if ", "such as "];
    let mut from = 0;
    while let Some((at, words)) = LEADS
        .iter()
        .filter_map(|l| {
            let rest = prose.as_bytes().get(from..)?;
            memchr::memmem::find(rest, l.as_bytes()).map(|i| (from + i, *l))
        })
        .min()
    {
        let lead = words.len();
        let rest = prose.get(at + lead..).unwrap_or_default();
        let sentence = rest
            .find(['.', '\n'])
            .and_then(|end| rest.get(..end))
            .unwrap_or(rest);
        let value_first = words != "such as "
            || sentence
                .split(':')
                .next()
                .is_some_and(|v| v.split_whitespace().count() == 1);
        if sentence.trim_end().ends_with(':') && value_first {
            // ASCII, so the byte range is on character boundaries.
            prose.replace_range(at..at + lead, &" ".repeat(lead));
        }
        from = at + lead;
    }
}

/// Whether prose compares with a number in symbols: "Headroom (usable/available)
/// is < 3% sustained:", "> 200 restarts", "`>= 5`" (the words, "above 5", are
/// in [`interpretation`]). A `<` before a letter is a placeholder (`<pod>`), an
/// arrow (`->`, `=>`) is no comparison.
fn compares_to_a_number(prose: &str) -> bool {
    let bytes = prose.as_bytes();
    memchr::memchr2_iter(b'<', b'>', bytes).any(|at| {
        let before = at.checked_sub(1).and_then(|i| bytes.get(i));
        if matches!(before, Some(b'-' | b'=' | b'<' | b'>')) {
            return false;
        }
        let after = bytes.get(at + 1..).unwrap_or_default();
        let mut rest = after.strip_prefix(b"=").unwrap_or(after);
        while let Some((b' ' | b'\t' | b'~', tail)) = rest.split_first() {
            rest = tail;
        }
        // `<2 bytes>` closes: a placeholder that starts with a digit.
        let closes = || {
            bytes.get(at) == Some(&b'<')
                && after.first().is_some_and(u8::is_ascii_digit)
                && after
                    .iter()
                    .take(30)
                    .take_while(|&&b| b != b'\n' && b != b'<')
                    .any(|&b| b == b'>')
        };
        rest.first().is_some_and(u8::is_ascii_digit) && !closes()
    })
}

/// Whether a result is said to confirm something ("Members in `create-failed`
/// status in the same AZ confirm which zone is out of capacity", "A `200`
/// response confirms the site is live"): what a value means. After a subject,
/// not as the reader's instruction ("Confirm that …", "you can confirm …",
/// "and confirm …"). `prose` is lower case.
fn result_confirms(prose: &str) -> bool {
    /// Words before "confirm" that make it the reader's instruction.
    const INSTRUCTS: &[&str] = &[
        "", "also", "and", "can", "could", "first", "i", "must", "or", "please", "should", "then",
        "they", "to", "we", "will", "you",
    ];
    prose.match_indices("confirm").any(|(at, _)| {
        let before = prose.get(..at).unwrap_or("");
        let after = prose.get(at + "confirm".len()..).unwrap_or("");
        let after = after.strip_prefix('s').unwrap_or(after);
        let object = after.split_whitespace().next().unwrap_or("");
        let previous = before.split_whitespace().next_back().unwrap_or("");
        before.ends_with([' ', '\t', '\n'])
            && !previous.ends_with(['.', ',', ':', ';'])
            && !INSTRUCTS.contains(&previous)
            && after.starts_with([' ', '\t', '\n'])
            && matches!(object, "which" | "that" | "whether" | "the")
    })
}

/// Whether the step states the state it checks for ("Ensure ceph-mgr pod is
/// Running", "Verify that both of the following messages are present", "make
/// sure plugin pods are always running"): the expected state is how to read
/// the output, whatever the subject's first word. Not a question ("confirm
/// which pod holds the lease", "verify why pods are not running") nor the
/// reader's own prerequisite ("make sure you have the SDK"). `prose` is lower
/// case; the subject is at most five words, within one clause.
fn states_expected(prose: &str) -> bool {
    /// The verbs that ask for a state to hold.
    const ASK: &[&str] = &["ensure", "make sure", "verify", "confirm"];
    /// First words that make the clause a question or the reader's own state.
    const NOT_SUBJECT: &[&str] = &[
        "how", "i", "if", "what", "when", "where", "whether", "which", "who", "why", "you", "your",
        "we", "our",
    ];
    /// The states a setting is asked to be in.
    const SETTING_STATES: &[&str] = &[
        " is selected",
        " is checked",
        " is enabled",
        " is disabled",
        " is turned on",
        " is turned off",
        " are selected",
        " are enabled",
    ];
    /// The verbs of a stated state.
    const STATE: &[&str] = &[
        "are", "contain", "contains", "exist", "exists", "has", "have", "is", "match", "matches",
        "was", "were",
    ];
    ASK.iter().any(|ask| {
        // memmem's vectorised search: most steps say none of the four.
        memchr::memmem::find_iter(prose.as_bytes(), ask).any(|at| {
            let starts_word = prose
                .get(..at)
                .and_then(|before| before.bytes().next_back())
                .is_none_or(|b| !b.is_ascii_alphanumeric());
            let rest = prose.get(at + ask.len()..).unwrap_or("");
            if !starts_word || !rest.starts_with([' ', '\t', '\n']) {
                return false;
            }
            // The clause is read from at most this many bytes: a page-long line
            // of "ensure x ensure x …" costs one short read per occurrence.
            const CLAUSE_BYTES: usize = 160;
            let cap = (0..=CLAUSE_BYTES.min(rest.len()))
                .rev()
                .find(|&i| rest.is_char_boundary(i))
                .unwrap_or(0);
            let sentence = rest.get(..cap).unwrap_or("");
            let clause = sentence
                .split(['.', ',', ':', ';', '?', '!', '(', ')'])
                .next()
                .unwrap_or("");
            let mut words = clause.split_whitespace().peekable();
            words.next_if_eq(&"that");
            match words.peek() {
                Some(first) if !NOT_SUBJECT.contains(first) => {}
                // "Ensure you have permission to create ClusterRoles", "Ensure you
                // can connect to the version check endpoint": what the command
                // must answer (yes, a reply), not what to install first.
                Some(&"you") => return reader_can(words.skip(1)),
                _ => return false,
            }
            // "verify the **Allow the default Docker socket to be used (requires
            // password)** option is selected": a setting's state, however long
            // its name (and whatever it holds).
            let sentence_end = sentence.find(['.', '\n']).unwrap_or(sentence.len());
            words.take(6).skip(1).any(|w| STATE.contains(&w))
                || sentence
                    .get(..sentence_end)
                    .is_some_and(|s| SETTING_STATES.iter().any(|state| s.contains(state)))
        })
    })
}

/// Whether the step states what its subject must have ("Node certificates need
/// to have both `serverAuth` and `clientAuth` set in the extended key usage
/// field:", "the secret must contain a `token` key"): the requirement is how to
/// read the output. Not of the reader ("you need to have the CLI installed",
/// "we must have access"): that is a prerequisite. `prose` is lower case.
fn states_requirement(prose: &str) -> bool {
    /// What the subject must do for the requirement to be a state to see.
    const STATE: &[&str] = &["contain", "have", "include", "list", "match", "show"];
    /// Subjects that make it the reader's own prerequisite.
    const READER: &[&str] = &["i", "one", "they", "we", "you"];
    /// The words before " to " that make it a requirement.
    const MODALS: &[&str] = &["has", "have", "need", "needs"];
    static TO: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    static MUST: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let word_after = |at: usize| {
        prose
            .get(at..)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("")
    };
    // `before` ends right before the modal; its last word is the subject.
    let subject_is_not_reader = |before: &str| {
        before.ends_with([' ', '\n'])
            && before
                .split_whitespace()
                .next_back()
                .is_some_and(|subject| !READER.contains(&subject))
    };
    let to = TO.get_or_init(|| memchr::memmem::Finder::new(" to ").into_owned());
    let must = MUST.get_or_init(|| memchr::memmem::Finder::new("must ").into_owned());
    to.find_iter(prose.as_bytes()).any(|at| {
        let before = prose.get(..at).unwrap_or("");
        let (head, modal) = before.rsplit_once([' ', '\n']).unwrap_or(("", before));
        MODALS.contains(&modal)
            && STATE.contains(&word_after(at + 4))
            && subject_is_not_reader(prose.get(..head.len() + 1).unwrap_or(""))
    }) || must.find_iter(prose.as_bytes()).any(|at| {
        STATE.contains(&word_after(at + 5)) && subject_is_not_reader(prose.get(..at).unwrap_or(""))
    })
}

/// Whether a clause that asks the reader to ensure something of themselves asks
/// what a check answers: that they can do something ("you can connect to the
/// endpoint", "you are able to reach the API") or have the right to ("you have
/// permission to create ClusterRoles", "you have access to the bucket"), or have
/// what the block after shows ("you have the following entry in …:"). "You have
/// the SDK installed" is a prerequisite: nothing for a command to answer.
fn reader_can<'a>(mut words: impl Iterator<Item = &'a str>) -> bool {
    match (words.next(), words.next()) {
        (Some("can"), Some(_)) | (Some("are"), Some("able")) => true,
        // "Make sure you have the following entry in `opensearch_dashboards.yml`:",
        // "… you have set the following minimal configuration:": the block after
        // it is what should be there.
        (Some("have"), Some(what)) => {
            ["access", "permission", "permissions", "rights"].contains(&what)
                || (((what == "set" && words.next() == Some("the")) || what == "the")
                    && words.next() == Some("following"))
        }
        _ => false,
    }
}

/// What a block that shows a result says ("You should see output similar to
/// this:", "A normal output looks as follows:", "This will return the namespace",
/// "example of log entries on the primary working correctly:", "The following is a
/// sample event about a rejected custom resource:", "The status for each type
/// should be False. For example:", "The following message provides an
/// example:", "The happy output is:", "In our example, the port … is 6080:",
/// "shows the following error message:", "The presence of the following errors
/// in the log may explain …", "A ready `Revision` should have the following
/// condition in `status`:", "The principal that did the deploy can be found
/// at:" over the field of the log entry that holds it):
/// such a block is the reading of the step before, not a step of its own.
fn result() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r"(?i)\b((should|will|would|might|may|could)[ \t\n]+(see|show|return|output|list|print|display|look|reveal)|should[ \t\n]+(be|have|contain|include)|similar to|looks? (like|as follows)|means?|normal(ly)?|(un)?healthy|(this|that|it|which)[ \t\n]+(will[ \t\n]+|should[ \t\n]+)?(returns?|outputs?|shows?|lists?|prints?|displays?|gives?)|(the|an?|example|sample|expected)[ \t\n]+([a-z-]+[ \t\n]+)?output|in[ \t\n]+(our|this|the)[ \t\n]+example\b|(shows?|returns?|prints?|outputs?|displays?)[ \t\n]+(the[ \t\n]+)?following\b|(sample|example)[ \t\n]+(events?|logs?|lines?|entries|messages?|errors?)[ \t\n]+(about|of|for|showing|from|when)|(provides?|gives?|shows?)[ \t\n]+an[ \t\n]+example|examples?[ \t\n]+of[ \t\n]+(the[ \t\n]+)?(log|output)|(working|running)[ \t\n]+(correctly|normally|as[ \t\n]+expected)|(fails?|failing|errors?)[ \t\n]+with[ \t\n]+(the[ \t\n]+)?following|(can|will|may|might|should)[ \t\n]+be[ \t\n]+(seen|found[ \t\n]+(at|in))|the[ \t\n]+following[ \t\n]+(errors?|warnings?|(error|log)[ \t\n]+(messages?|lines?|entries))|(reports?|reported|throws?|raises?)[ \t\n]+(an?|the)[ \t\n]+([a-z-]+[ \t\n]+)?(message|error)|messages?[ \t\n]+of[ \t\n]+the[ \t\n]+(type|form))\b",
    )
}

/// Whether a block reads as the result of the step before (see [`result`]).
pub(crate) fn shows_result(prose: &str) -> bool {
    result().is_some_and(|re| re.is_match(prose.as_bytes()))
}

/// A line a program logged, by how loggers start one: a timestamp
/// (`2021-11-02T23:50:29.688Z    ERROR …`, `[2024-02-06T15:18:17.437Z] "GET / …"`,
/// `2020/07/14 06:29:40`, syslog's `Oct 19 11:11:37 host thanos[16770]: …`), klog's
/// level and date (`E0828 14:04:53.727973 …`), logfmt's `time="…"`, or a JSON
/// log's first key (`{"level":"warn",…`). No command starts so. (`level=error
/// msg="Throttling"` alone is as often what to search the logs for.)
fn log_line() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r#"^[ \t]*(\[?[0-9]{4}[-/][0-9]{2}[-/][0-9]{2}[T ][0-9]{2}:[0-9]{2}|[IWEF][0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} |(time|ts)="?[0-9]{4}-|\{"(level|ts|time|timestamp|severity|msg)":)"#,
    )
}

/// Whether `line` (a code block's first line) is a logged line ([`log_line`]):
/// the block shows what a program wrote, not what to run.
pub(crate) fn is_log_line(line: &str) -> bool {
    log_line().is_some_and(|re| re.is_match(line.as_bytes()))
}

/// An instruction to look at something, anywhere in a block: "we should look at the
/// logs", "you can check …", "you can easily check …", "you might want to check
/// that your AWS Security Groups allow …", "…. inspect the backup
/// job:", "If it is a genuine error, look at the pods:", "Send an event and see
/// if it appears on live
/// events". Imperatives at the start of a block are told by the
/// block's first words; this finds those written later.
fn instruction() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        &format!(
            r"(?i)\b(you|we)[ \t\n]+({MODALS})[ \t\n]+(also[ \t\n]+|[a-z]+ly[ \t\n]+)?(look|check|inspect|investigate|verify|examine|review|query|search|grep|study|double-check|open|exec|execute|run|use)\b|([.:;,][ \t\n]+(then[ \t\n]+)?)(look[ \t\n]+(at|for)|check|inspect|investigate|verify|examine|review|query|grep|study|take[ \t\n]+a[ \t\n]+((closer|quick)[ \t\n]+)?look)\b|[ \t\n]and[ \t\n]+(then[ \t\n]+)?(look at|check|see if|see whether|verify|confirm)\b"
        ),
    )
}

/// Getting to where the checks run: logging in, connecting, opening a console,
/// getting a client or a connection ("This is how you instantiate a Ruby Redis
/// client for a secondary:"). Such a step has nothing to read but the prompt.
fn access() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r"(?i)^\W*(\w+[ \t]+)?(log[ \t]?in(to)?|sign[ \t]+in(to)?|ssh`?[ \t]+(in)?to|connect[ \t]+to|access[ \t]+the|open[ \t]+(a|the)[ \t]+([\w-]+[ \t]+)?(console|shell|session)|start[ \t]+(a|the)[ \t]+([\w-]+[ \t]+)?(console|shell|session)|.*?\b(can|may)[ \t]+(also[ \t]+)?be[ \t]+accessed|.*?\bto[ \t]+(enter|open|start|get)[ \t]+(an?[ \t]+|the[ \t]+|into[ \t]+)?([\w-]+[ \t]+)?(mode|console|shell|session|prompt)|.*?\b(instantiate|open|get|start|provide|establish)[ \t]+(an?|the)[ \t]+([\w-]+[ \t]+){0,3}(client|connection|shell|console|session)([ \t]*([:.,;(]|$)|[ \t]+(for|to|with|on|in|inside|into|from|as)\b))",
    )
}

/// Whether a step's first words get the reader to where the checks run ("Log
/// into a rails console", "The database can also be accessed via …"). "Connect to
/// the database and query the queue table" goes on to a check: not only access.
pub(crate) fn gets_access(text: &str) -> bool {
    access().is_some_and(|re| re.is_match(text.as_bytes())) && !text.contains(" and ")
}

/// A step that looks something up for the steps after it: it keeps a value
/// ("find the pipeline … and remember its ID", "note down the pod's name", "note
/// its configured availability zone"), gets one ("First, get the GUID of the
/// app you want to investigate:") or
/// finds where something is ("check `attributes/default.rb` for location of the
/// logs", "you find the exact load balancer in use by Kas using …"). What it
/// prints is the thing looked up; the next step reads what matters.
fn lookup() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r"(?i)\b((remember|note([ \t\n]+down)?|write[ \t\n]+down|copy|keep)[ \t\n]+(its|their|the|this|that)[ \t\n]+([\w-]+[ \t\n]+){0,2}(ids?|names?|ips?|address(es)?|urls?|paths?|numbers?|values?|hostnames?|regions?|zones?)|for[ \t\n]+(the[ \t\n]+)?(location|path|name|address|hostname|url)s?[ \t\n]+of|find[ \t\n]+the[ \t\n]+exact[ \t\n]+([\w-]+[ \t\n]+){0,4}(in[ \t\n]+use|used|that)|(get|find|fetch|obtain|retrieve|grab)[ \t\n]+the[ \t\n]+(guid|uuid|id|ip|arn|hostname|name)s?[ \t\n]+of)\b",
    )
}

/// Whether a step looks a value up for a later step (see [`lookup`]).
pub(crate) fn looks_up(prose: &str) -> bool {
    lookup().is_some_and(|re| re.is_match(prose.as_bytes()))
}

/// A step that uses what an earlier one found: "ensure the IP address matches
/// the one you get above", "the hostname you got from the previous step", "the
/// private IP you obtained from step 1", "the domain name you found before".
fn earlier_result() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r"\b((you|we)[ \t\n]+(just[ \t\n]+)?(got|get|found|noted|saw|obtained|retrieved|copied)([ \t\n]+(above|earlier|before)\b|[ \t\n]+(in|from)[ \t\n]+(the[ \t\n]+)?(previous|last|above|preceding)[ \t\n]+(step|command)\b|[ \t\n]+(in|from)[ \t\n]+step[ \t\n]+\d)|from[ \t\n]+(the[ \t\n]+)?(previous|last|above|preceding)[ \t\n]+(step|command)s?\b)",
    )
}

/// Whether a yes/no question after the first sentence asks what the result
/// shows: "Look at the state of the containers in the pod. Are they all
/// `Running`? Have there been recent restarts?". (The first sentence, "Is the
/// pod running?", is the check itself; "Do you have access …?" asks about the
/// reader.)
pub(crate) fn asks_about_the_result(text: &str) -> bool {
    text.split_inclusive(['.', '?', '!'])
        .skip(1)
        .filter(|sentence| sentence.ends_with('?'))
        .any(|sentence| {
            let mut words = sentence
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
            let (Some(verb), Some(subject)) = (words.next(), words.next()) else {
                return false;
            };
            super::steps::QUESTION_VERBS
                .iter()
                .any(|q| q.eq_ignore_ascii_case(verb))
                && !["you", "we", "i", "your", "our"]
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(subject))
        })
}

/// Whether `prose` (the step after another) uses what the step before it found
/// ([`earlier_result`]): the step before looked a value up, and this one reads
/// it. Most steps say none of "above", "before", "earlier", "previous", "last",
/// "preceding" or "step": no regex call then.
pub(crate) fn uses_earlier_result(prose: &str) -> bool {
    // Lower case, as the other readings are matched ("Above", "From the
    // previous step").
    let lower = prose.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let hints: [&[u8]; 6] = [
        b"above",
        b"before",
        b"earlier",
        b"previous",
        b"last",
        b"step",
    ];
    hints
        .iter()
        .any(|h| memchr::memmem::find(bytes, h).is_some())
        && earlier_result().is_some_and(|re| re.is_match(bytes))
}

/// A command that saves its output for a later step to read: a shell redirect
/// to a path or a file name (`> /tmp/jobs.txt`, `> out.csv`, `>& /tmp/strace.txt`,
/// `2> err.log`; a query's `> 0.5`
/// compares), `--output-file`, `tee`, SQL's `COPY … TO '…'`, a packet
/// capture's `-w file` (`tcpdump … -w output.pcap`). (`-o` is left out:
/// kubectl's `-o json` prints; so is `-w` elsewhere: `kubectl get pods -w`
/// watches.)
fn saves() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    bytes_regex(
        &RE,
        r"(?i)(\s([12]?>>?|&>>?|>&)[ \t]*(/|~/|\$|\.\.?/|[\w-]+\.[a-z]{2,4}\b)|\s--output-file[ \t=]+[\w/~.$'-]|\|[ \t]*tee[ \t]|\bto[ \t]+'[\w/~.]|\binto[ \t]+outfile\b|\b(tcpdump|tshark|dumpcap)\b[^\n|]*[ \t]-w[ \t]+[^-\s])",
    )
}

/// Whether a command shows nothing to read yet: it saves its output to a file
/// (its reading belongs to the step that reads the file), opens a tunnel
/// (what the reader opens through it is read), only sets variables, or asks
/// for a program's usage (`velero debug --help`: documentation, not a result).
pub(crate) fn shows_nothing_to_read(code: &str) -> bool {
    (saves_output(code) && !shows_saved_output(code))
        || opens_tunnel(code)
        || only_assigns(code)
        || asks_for_help(code)
        || only_switches_context(code)
}

/// Whether every statement of `code` only moves the shell to where the next
/// commands run: `oc project openshift-monitoring`, `kubectl config use-context
/// prod`, `kubectl config set-context --current --namespace=x`, `kubens x`,
/// `kubectx x`, `gcloud config set project x`, `cd /var/log`. Like setting a
/// variable, it prints nothing worth reading; the command after it is the check.
fn only_switches_context(code: &str) -> bool {
    let mut statements = statements(code).peekable();
    statements.peek().is_some()
        && statements.all(|s| {
            let words: Vec<&str> = s.split_whitespace().collect();
            matches!(
                words.as_slice(),
                ["cd" | "kubens" | "kubectx", _]
                    | ["oc", "project", _]
                    | [
                        "kubectl" | "oc",
                        "config",
                        "use-context" | "set-context",
                        ..
                    ]
                    | ["gcloud", "config", "set", ..]
            )
        })
}

/// Whether every line of `code` asks a program for its usage: `velero debug
/// --help`, `kubectl logs -h`, `man iptables`, `help set`.
fn asks_for_help(code: &str) -> bool {
    let mut lines = command_lines(code).peekable();
    lines.peek().is_some()
        && lines.all(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let first = words.first().copied().unwrap_or("");
            let last = words.last().copied().unwrap_or("");
            // `git help` and `make help`, not `… | grep help`.
            matches!(last, "--help" | "-h")
                || (last == "help" && words.len() <= 3 && !l.contains('|'))
                || (matches!(first, "man" | "help") && words.len() > 1)
        })
}

/// Whether a block that saves output goes on to show it: a later line pages or
/// prints a file (`… > ./script_report` then `$ less ./script_report`).
fn shows_saved_output(code: &str) -> bool {
    /// Programs that show a file's contents.
    const PAGERS: &[&str] = &["cat", "head", "less", "more", "tail", "view"];
    let mut saved = false;
    for line in command_lines(code) {
        if saved
            && line
                .split_whitespace()
                .next()
                .is_some_and(|program| PAGERS.contains(&program))
        {
            return true;
        }
        saved = saved || saves_output(line);
    }
    false
}

/// Whether an assignment's value is all of its statement: `"hs-mc-1"`, `gitlab-pre`,
/// not `'$' envsubst < INSTRUCTIONS.md` (a variable set for the command after it).
fn value_alone(value: &str) -> bool {
    let value = value.trim_end();
    if substitution_alone(value) {
        return true;
    }
    match value.strip_prefix(['"', '\'']) {
        Some(quoted) => {
            let quote = value.chars().next().unwrap_or('"');
            quoted
                .split_once(quote)
                .is_some_and(|(_, after)| after.is_empty())
        }
        None => !value.contains(char::is_whitespace),
    }
}

/// Whether a value is one command substitution, quoted or not:
/// `"$(kubectl get kubevirt -A -o custom-columns="":.metadata.namespace)"`. Its
/// output goes into the variable; nothing is shown.
fn substitution_alone(value: &str) -> bool {
    let inner = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    let Some(body) = inner.strip_prefix("$(") else {
        return false;
    };
    // The `$(` closes at the very end: depth 0 is first reached on the last byte.
    let mut depth = 1usize;
    for (at, b) in body.bytes().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return at + 1 == body.len();
                }
            }
            _ => {}
        }
    }
    false
}

/// The command lines of a code block, or inline code's one line: each trimmed,
/// without its shell prompt (`$ `), empty ones left out. The readings of what a
/// command shows ([`only_assigns`], [`asks_for_help`], [`shows_saved_output`])
/// all read its lines so.
fn command_lines(code: &str) -> impl Iterator<Item = &str> {
    let code = code.trim();
    let fenced = code.starts_with("```") || code.starts_with("~~~");
    let inline = (!fenced).then(|| code.trim_matches('`'));
    crate::rules::text::code_lines(code)
        .filter(move |_| fenced)
        .chain(inline)
        .map(|line| {
            let line = line.trim();
            line.strip_prefix("$ ").unwrap_or(line).trim_start()
        })
        .filter(|line| !line.is_empty())
}

/// The shell statements of `code`: its command lines split at `;` and `&&`
/// (`cd /var/log && kubens x` is two), trimmed, empty ones left out.
fn statements(code: &str) -> impl Iterator<Item = &str> {
    command_lines(code)
        .flat_map(|line| line.split(';'))
        .flat_map(|statement| statement.split("&&"))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Whether `code` only sets shell variables (`` `cluster="hs-mc-1"; work="addon-0"` ``,
/// `export NS=monitoring`): it prints nothing; the command that uses them is
/// the one to read.
fn only_assigns(code: &str) -> bool {
    let mut statements = statements(code).peekable();
    statements.peek().is_some()
        && statements.all(|s| {
            let s = s.strip_prefix("export ").unwrap_or(s).trim_start();
            s.split_once('=').is_some_and(|(name, value)| {
                name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && value_alone(value)
            })
        })
}

/// Whether `code` saves its output to a file instead of showing it.
fn saves_output(code: &str) -> bool {
    // `> /dev/null` throws output away (`curl -v x > /dev/null` shows headers).
    let Some(re) = saves() else { return false };
    if code.contains("/dev/null") {
        re.is_match(code.replace("/dev/null", "").as_bytes())
    } else {
        re.is_match(code.as_bytes())
    }
}

/// Whether `code` opens a tunnel to reach something (`kubectl port-forward
/// svc/x 9400:80`, `ssh -L 5432:db:5432 bastion`, `gcloud … start-iap-tunnel`):
/// it prints only that it listens, and what the reader opens through it is what
/// they read.
fn opens_tunnel(code: &str) -> bool {
    code.contains("port-forward")
        || code.contains("start-iap-tunnel")
        // The pairs of words are walked only in code that holds an `ssh` at all:
        // most code blocks do not, and some are long transcripts.
        || (memchr::memmem::find(code.as_bytes(), b"ssh").is_some() && code
            .split_whitespace()
            .zip(code.split_whitespace().skip(1))
            .any(|(ssh, flag)| {
                ssh.ends_with("ssh") && (flag.starts_with("-L") || flag.starts_with("-D"))
            }))
}

/// Whether `text` instructs the reader to look at or check something.
pub(crate) fn instructs(text: &str) -> bool {
    first_instruction(text).is_some()
}

/// Words that, right after "check" or "review", make it a noun: "When enabled,
/// check will be executed once every minute", "…, review is done by the
/// owner". Sorted.
#[rustfmt::skip]
const AUXILIARIES: &[&str] = &[
    "are", "can", "could", "did", "does", "fails", "has", "have", "is", "may", "might", "must",
    "passes", "runs", "should", "was", "were", "will", "would",
];

/// The first match of [`instruction`] in `text` whose verb is one: not a noun
/// followed by an auxiliary ("check will be executed").
fn first_instruction(text: &str) -> Option<regex::bytes::Match<'_>> {
    let re = instruction()?;
    // Most blocks hold no instruction: the cheaper question first.
    if !re.is_match(text.as_bytes()) {
        return None;
    }
    re.find_iter(text.as_bytes()).find(|m| {
        let next = text
            .get(m.end()..)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("");
        !crate::rules::text::is_word_in(AUXILIARIES, next)
            && !in_purpose_clause(
                text.get(..m.start()).unwrap_or(""),
                text.get(m.range()).unwrap_or(""),
            )
    })
}

/// Whether an instruction found at `found` (after `before`) only says what
/// something is for: "This setting prints the SAML response to the log file so
/// that you can inspect and debug it", "… so you can check it later". What a
/// setting or a tool makes possible is no step of its own.
fn in_purpose_clause(before: &str, found: &str) -> bool {
    let is = |word: Option<&str>, w: &str| word.is_some_and(|word| word.eq_ignore_ascii_case(w));
    // The last two words before the instruction, read from the end.
    let mut words = before.split_whitespace().rev();
    let (last, previous) = (words.next(), words.next());
    let modal = found.split_whitespace().nth(1);
    (is(previous, "so") && is(last, "that"))
        || (is(last, "so") && (is(modal, "can") || is(modal, "could")))
}

/// Where an instruction to look at something stands in a block ([`instruction_at`]).
pub(crate) struct Instruction {
    /// The start of its sentence: the byte after the last `.`, `!`, `?` or `:` and
    /// a space before it, or 0 ("The pod logs live in Loki. You should first look
    /// at …").
    pub(crate) sentence: usize,
    /// The start of its verb: "check" in "For more details, check the [docs](…)",
    /// "look" in "…, look at the pods".
    pub(crate) verb: usize,
}

/// The first instruction to look at something in `text`, from one search.
pub(crate) fn instruction_at(text: &str) -> Option<Instruction> {
    let found = first_instruction(text)?;
    // The verb ends the match ("look at": the verb is "look").
    let head = text.get(..found.end())?;
    // "look at", "look\n  for": the verb is the word before the preposition.
    let head = ["at", "for"]
        .iter()
        .find_map(|p| {
            head.strip_suffix(p)
                .filter(|h| h.ends_with(char::is_whitespace))
                .map(str::trim_end)
        })
        .unwrap_or(head);
    let verb = head
        .rfind(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
        .map_or(0, |i| i + 1);
    // The instruction's own words: past a leading ". " the second form matches.
    let words = text
        .get(found.start()..)?
        .find(|c: char| c.is_ascii_alphabetic())
        .map_or(found.start(), |i| found.start() + i);
    let before = text.get(..words)?;
    let start = before
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?' | ':')
                && before
                    .get(i + 1..)
                    .is_some_and(|rest| rest.starts_with(char::is_whitespace))
        })
        .map_or(0, |(i, _)| i + 1);
    let skip = text.get(start..)?.len() - text.get(start..)?.trim_start().len();
    Some(Instruction {
        sentence: start + skip,
        verb,
    })
}

/// Where a block's leading condition ends ("If it's a genuine error, " in "If it's
/// a genuine error, look at the pods:"): the byte after the first comma or colon
/// of its first line, if there is one.
pub(crate) fn condition_end(text: &str) -> Option<usize> {
    let first_line = text.lines().next().unwrap_or("");
    first_line.find([',', ':']).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_setting_lets_you_do_is_no_instruction() {
        assert!(!instructs(
            "This setting prints the SAML response to the log file so that you can inspect and debug it."
        ));
        assert!(!instructs("Keep the dump, so you can check it later."));
        // "so" as "therefore" still instructs.
        assert!(instructs(
            "The queue is shared, so you should check the consumers first."
        ));
        assert!(instructs(
            "This can take a while. You can check the progress with `kubectl get jobs`."
        ));
    }

    #[test]
    fn the_expected_entry_or_requirement_is_the_reading() {
        assert!(interprets(
            "make sure you have the following entry in the configuration file:"
        ));
        assert!(interprets(
            "check the file and make sure you have set the following minimal configuration:"
        ));
        assert!(interprets(
            "node certificates need to have both serverauth and clientauth set in the extended key usage field:"
        ));
        assert!(interprets("the secret must contain a token key:"));
        assert!(interprets(
            "run the commands:\n\ncommon causes:\n\n- a missing secret."
        ));
        // The state an option should be in, however long its name.
        assert!(interprets(
            "in docker desktop, verify the **allow the default socket to be used (requires password)** option is selected."
        ));
        // Not when the step asks it.
        assert!(!interprets("verify whether the option is enabled."));
        // A way out when the checks did not help reads nothing.
        assert!(!interprets(
            "- check the status page.\n- if none of the above steps yield useful insight, try the guide."
        ));
        assert!(!interprets(
            "if nothing else helps, get the last command from the logs:"
        ));
        assert!(interprets(
            "- check the status page.\n- if it shows an outage, wait for it."
        ));
        // Errors in general, even with a line break after them.
        assert!(!interprets("inspect the output of for errors\n"));
        // The reader's own prerequisite is no reading of the output.
        assert!(!interprets("make sure you have the cli installed:"));
        assert!(!interprets("you need to have the cli installed to run:"));
        assert!(!interprets("we must have access to the bucket:"));
    }

    #[test]
    fn a_yes_no_question_after_the_first_sentence_asks_about_the_result() {
        assert!(asks_about_the_result(
            "Look at the state of the containers in the pod. Are they all `Running`? Have there been recent restarts?"
        ));
        // The check itself, and a question about the reader.
        assert!(!asks_about_the_result(
            "Is the pod running? Run `kubectl get pods`."
        ));
        assert!(!asks_about_the_result(
            "Run `kubectl get pods`. Do you have access to the cluster?"
        ));
        assert!(!asks_about_the_result(
            "Run `kubectl get pods`. Which pods restarted?"
        ));
    }

    #[test]
    fn a_comparison_with_another_quantity_reads_the_result() {
        assert!(interprets(
            "to verify the cause, check whether the response size exceeds the outbound traffic"
        ));
        assert!(interprets(
            "the p99 latency is much higher than the p50 one"
        ));
        assert!(!interprets("run the query on more than one node"));
    }

    #[test]
    fn eg_without_its_first_dot_lists_values_as_e_g_does() {
        assert!(interprets(
            "ensure there's no pod in a failing state (eg. error, oomkilled)"
        ));
        // Nor without its last one.
        assert!(interprets(
            "`kubectl describe <pod>` can also give information about the pod (e.g \"Reason: Error\" or \"Reason: OOMKilled\")."
        ));
        // With neither dot it is a word like any other.
        assert!(!interprets("Open the eg console and list the rules."));
    }

    #[test]
    fn what_shows_up_where_reads_the_result() {
        assert!(interprets(
            "The exporter runs SQL on the instance. A stuck collector query shows up in `pg_stat_activity`:"
        ));
        assert!(interprets(
            "Failed requests show up as 502s in the load balancer's log."
        ));
        // Showing a page up is no result.
        assert!(!interprets("Run `make docs` to show the page."));
    }

    #[test]
    fn every_pattern_compiles_over_bytes_without_unicode() {
        // A pattern that fails to compile is `None`, and its rule goes quiet.
        for (name, re) in [
            ("interpretation", interpretation()),
            ("named_kind", named_kind()),
            ("not_an_answer", not_an_answer()),
            ("result", result()),
            ("instruction", instruction()),
            ("access", access()),
            ("saves", saves()),
            ("lookup", lookup()),
            ("earlier_result", earlier_result()),
            ("ui_path", ui_path()),
        ] {
            assert!(re.is_some(), "{name} does not compile");
        }
        assert!(opens_with_precondition("If you have SSH access, run"));
        assert!(opens_with_prerequisite("Make sure you have the SDK"));
        // An example of what the output looks like when something is wrong.
        assert!(interprets(
            "Verify if there is an error in the logs.\nHere an example with network issues.\n"
        ));
        assert!(interprets("Get the stack. Here is an example stack trace:"));
        // Non-ASCII text still matches as bytes.
        assert!(interprets("Check the count → above 500 is bad"));
        assert!(interprets("Check it: the pod’s status should be Running"));
        // A threshold as a comparative: what the output is read against.
        assert!(interprets(
            "Examine the slow query log for queries longer than 50 seconds:"
        ));
        assert!(interprets("List the jobs older than 2 hours:"));
        assert!(!interprets("Examine the slow query log for long queries:"));
    }

    #[test]
    fn values_for_the_command_are_no_reading() {
        // "For example, if …:" over the command again, with the value filled in.
        let step = "To begin triage, locate the logs for the service using the Logs Explorer:\n\n\nFor example, if the failing service was   :\n";
        assert!(!interprets(step));
        assert!(!interprets("Run the query, e.g. if the region is   :"));
        // "such as" and a value right before the colon that leads into the
        // command: the value to put in it.
        assert!(!interprets(
            "Logs for a pod using a label such as mon1:                    "
        ));
        // A list of what to find after "such as:", or several words: output.
        assert!(interprets("Look for errors such as:"));
        assert!(interprets("Look for messages such as connection refused:"));
        // An example of the output, or a condition that ends a sentence, reads it.
        assert!(interprets(
            "Locate the logs.\nFor example, if the export failed you will see:"
        ));
        assert!(interprets(
            "Locate the logs. For example, if the export failed. Then page."
        ));
        assert!(interprets(
            "Locate the logs. If the export failed, retry it:"
        ));
    }

    #[test]
    fn questions_preconditions_and_instructions_are_not_answers() {
        assert!(!interprets("1. Check if the pod is running: "));
        assert!(!interprets("1. Run this to see whether the queue drains: "));
        // Where to look in the output is not what it means.
        assert!(!interprets(
            "- Check existing kubernetes versions via  and see\n  VERSION column"
        ));
        assert!(interprets(
            "- Check the versions; if they differ, see \"Upgrade\"."
        ));
        assert!(!interprets(
            "If you have SSH access to the nodes, access the logs:"
        ));
        // Which tool the reader uses is their situation too.
        assert!(!interprets(
            "use `kubectl describe ingress` to check the solver ingress. (unless you use edit-in-place, then check the same ingress as your domain)"
        ));
        assert!(interprets(
            "If you use Helm, check the release: if it shows `failed`, see \"Rollback\"."
        ));
        assert!(!interprets(
            "In (3), we should look for exhaustions in CPU and memory."
        ));
        assert!(interprets(
            "1. Check if the pod is running: \n   - If not, see \"Pod down\"."
        ));
        assert!(interprets(
            "1. Check the depth: above 2,000 means the workers lag."
        ));
        // What to look for in the logs is how to read them.
        assert!(interprets(
            "Check the mirror sync job: review [LogIt](https://dashboard.logit.io) for errors during the crawl."
        ));
        assert!(interprets(
            "If you can still reach the API server, there may be a network issue."
        ));
        assert!(interprets("You should see output similar to this:"));
        assert!(interprets("If it is up, check the log for errors."));
        // Errors in general are no reading; errors of a named kind are.
        assert!(!interprets("3. Check the pod logs for error messages:"));
        assert!(!interprets(
            "Review system logs for network-related issues."
        ));
        assert!(!interprets("Inspect the pod logs for any errors:"));
        assert!(!interprets(
            "Examine the logs for any errors that could indicate the root cause of the issue:"
        ));
        // What the errors mean is still a reading.
        assert!(interprets(
            "Errors in the proxy log indicate an expired certificate."
        ));
        // "for the node": whose output, not what to look for in it.
        assert!(!interprets("* Check the machine for the node:"));
        assert!(interprets(
            "Check the log for the string `connection refused`."
        ));
        assert!(interprets(
            "Look for error messages like level=error ... msg=\"failed to forward metrics\"."
        ));
        assert!(interprets(
            "Look for any warnings related to slow metadata IOs or MDS health issues."
        ));
        assert!(interprets(
            "This will return the namespace and name of the configmap."
        ));
        // A minimum is the expected state (linkerd's `linkerd check` pages).
        assert!(interprets(
            "Linkerd requires at least version 1.13.0. Verify your cluster version with:"
        ));
        assert!(interprets("The count should stay at most 3 per node."));
        assert!(interprets(
            "Healthy clusters have at least 3 ready replicas:"
        ));
        assert!(!interprets("Run the check at least once:"));
        // The state to confirm: the commands work.
        assert!(interprets("Also verify that these command works:"));
        assert!(interprets("Make sure this works before going on:"));
    }

    #[test]
    fn results_are_told_from_examples_in_passing() {
        assert!(shows_result("A normal output looks as follows:"));
        // The situation's message, shown: what the reader already sees.
        assert!(shows_result("Your shoot reports a message of the type:"));
        assert!(shows_result("The controller throws an error like this:"));
        assert!(!shows_result("Report the problem in #infra:"));
        assert!(shows_result("You should see output similar to this:"));
        // What the result may hold, shown after the check.
        assert!(shows_result("A potential result might reveal:"));
        assert!(shows_result("The logs may show something like:"));
        assert!(shows_result(
            "The status for each type should be False. For example:"
        ));
        assert!(shows_result(
            "`backup-push` on the primary: example of log entries on the primary working correctly:"
        ));
        assert!(!shows_result("For example, count per key pattern:"));
        // What an alert's message looks like, shown after the text that says so.
        assert!(shows_result(
            "The alert message contains the job name. The following message provides an example:"
        ));
        assert!(shows_result(
            "Any subsequent ILM attempts will fail with the following error message:"
        ));
        assert!(!shows_result(
            "To start one of the services that is down (e.g. sentry-web):"
        ));
        // A word between "the" and "output", an example the text walks
        // through, and a result led into without its subject (cert-manager's
        // webhook troubleshooting).
        assert!(shows_result("The happy output is:"));
        assert!(shows_result("The kubectl output is:"));
        assert!(shows_result(
            "In our example, the port that the kubelet will try to hit is 6080:"
        ));
        assert!(shows_result("shows the following error message:"));
        assert!(shows_result(
            "the presence of the following errors in the log may explain issues with querying traces:"
        ));
        assert!(!shows_result("check the following logs:"));
        // The state a good result has, over it.
        assert!(shows_result(
            "a ready `revision` should have the following condition in `status`:"
        ));
        assert!(!shows_result("Run the following command:"));
        assert!(!shows_result("Show the pods with:"));
        assert!(!shows_result("Output the logs of the webhook:"));
        // Where in the result the answer is, over the field that holds it.
        assert!(shows_result(
            "The principal that did the breakglass deploy can be found at:"
        ));
        assert!(shows_result("The failing index can be found in:"));
        assert!(!shows_result("Find the logs of the ingestor:"));
    }

    #[test]
    fn instructions_are_found_after_the_first_words() {
        assert!(instructs(
            "To diagnose this you should look at the container logs"
        ));
        assert!(instructs("A backup may fail. inspect the backup job:"));
        assert!(instructs("If it's a genuine error, look at the pods:"));
        // A hedge before the verb.
        assert!(instructs(
            "Assuming the default port, you might want to check that your security groups allow it."
        ));
        assert!(!instructs("The web tier talks to the database."));
        assert!(!instructs("Restart the pod."));
        // "check" as a noun, the subject of what follows.
        assert!(!instructs(
            "When enabled using `--compact-hash-check` flag, check will be executed once every minute."
        ));
        assert!(instructs(
            "When enabled, check will run; if it fails, check the leader's logs."
        ));
        assert!(AUXILIARIES.is_sorted(), "binary search needs them sorted");
        let text =
            "The agent runs in `x`. If the status differs, you should look at the agent's log.";
        let at = instruction_at(text).expect("an instruction").sentence;
        assert_eq!(
            text.get(at..),
            Some("If the status differs, you should look at the agent's log.")
        );
        assert_eq!(
            instruction_at("The web tier talks to the database.").map(|i| i.sentence),
            None
        );
        let look = "Slow disks are common. Look at the [disk guide](https://x).";
        assert_eq!(
            look.get(instruction_at(look).map_or(0, |i| i.verb)..),
            Some("Look at the [disk guide](https://x).")
        );
        let docs = "For more details, check the [docs](https://x).";
        assert_eq!(
            docs.get(instruction_at(docs).map_or(0, |i| i.verb)..),
            Some("check the [docs](https://x).")
        );
    }

    #[test]
    fn the_systems_state_asked_of_you_is_no_prerequisite() {
        // The system's state, asked of "you": a check.
        assert!(!opens_with_prerequisite(
            "Make sure that you have configured this endpoint correctly in your IdP."
        ));
        assert!(!opens_with_prerequisite(
            "Make sure that you have sufficient space to complete an index migration."
        ));
        assert!(opens_with_prerequisite(
            "Ensure you have access to the GitHub organization."
        ));
    }

    #[test]
    fn access_prerequisites_and_saved_output_need_no_reading() {
        // A tunnel prints only that it listens (licensing.html.md's Feeds UI).
        assert!(opens_tunnel(
            "kubectl -n licensify port-forward svc/licensify-feed 9400:80"
        ));
        assert!(opens_tunnel("ssh -L 5432:db.internal:5432 bastion"));
        assert!(opens_tunnel(
            "gcloud compute start-iap-tunnel vm 22 --local-host-port=:2222"
        ));
        assert!(!opens_tunnel("ssh bastion 'df -h'"));
        assert!(!opens_tunnel("kubectl -n licensify get pods"));
        // Setting variables prints nothing (gke-runner's step 2; stolostron's
        // ManifestWork names); a variable set for a command still runs it.
        assert!(only_assigns(
            "```\nexport GITLAB_ENDPOINT=pre.gitlab.com\nexport GITLAB_PROJECT=gitlab-pre\n```"
        ));
        assert!(only_assigns(
            "`managed_cluster_name=\"hs-mc-h7nia4tig\"; manifestwork_name=\"addon-0\"`"
        ));
        assert!(!only_assigns(
            "```\nDOLLAR='$' envsubst < INSTRUCTIONS.md\n```"
        ));
        assert!(!only_assigns("`kubectl get pods`"));
        assert!(!only_assigns("`NS=monitoring kubectl get pods -n $NS`"));
        assert!(!only_assigns("``"));
        // Moving the shell to where the checks run prints nothing to read.
        assert!(shows_nothing_to_read(
            "```\noc project openshift-monitoring\n```"
        ));
        assert!(shows_nothing_to_read("`kubectl config use-context prod`"));
        assert!(shows_nothing_to_read(
            "```\n$ cd /var/log && kubens monitoring\n```"
        ));
        assert!(!shows_nothing_to_read("```\noc project\n```"));
        assert!(!shows_nothing_to_read(
            "```\ncd /var/log\ngrep -i error syslog\n```"
        ));
        assert!(!shows_nothing_to_read("`kubectl config view`"));
        assert!(gets_access("Log into a rails console"));
        assert!(gets_access(
            "The database can also be accessed via the `postgres` user:"
        ));
        assert!(gets_access(
            "Run `go tool pprof cpu.bin` to enter interactive mode."
        ));
        assert!(!gets_access(
            "[Connect to the Praefect database](x.md) and query the queue table:"
        ));
        assert!(!gets_access("Check the connection pool saturation graph."));
        // A client for the checks to come (redis.md's Rails console section).
        assert!(gets_access(
            "You probably want to use a Redis secondary to do this. This is how you instantiate a Ruby Redis client for a secondary:"
        ));
        assert!(!gets_access("Count the open connections per client:"));
        assert!(!gets_access("Open the connection pool dashboard."));
        // Getting a shell or a connection, said after the first words
        // (cloud.gov's BOSH troubleshooting).
        assert!(gets_access("Next, we'll get an interactive root shell."));
        assert!(gets_access(
            "We can now have Bosh provide an ssh connection inside the VM."
        ));
        assert!(!gets_access("Get the session count from the dashboard:"));
        // The command in backticks: "`bosh ssh` to an ingestor node".
        assert!(gets_access("`bosh ssh` to an ingestor node"));
        assert!(opens_with_prerequisite(
            "Make sure you have the go SDK installed."
        ));
        assert!(!opens_with_prerequisite("Make sure the pod is running."));
        assert!(saves_output(
            "sudo gitlab-rails runner /tmp/sq.rb show > /tmp/jobs.txt"
        ));
        assert!(saves_output(
            "COPY (SELECT * FROM pg_stat_activity) TO '/tmp/q.csv' With CSV;"
        ));
        assert!(!saves_output("curl -v https://pages.gitlab.io > /dev/null"));
        assert!(!saves_output("kubectl get pods -o jsonpath='{.items}'"));
        assert!(saves_output(
            "tcpdump -i any 'tcp[tcpflags] & (tcp-rst) == (tcp-rst)' -s 65535 -w output.pcap"
        ));
        assert!(!saves_output("kubectl get pods -w"));
        assert!(!saves_output("tcpdump -i any -w - | tshark -r -"));
        assert!(!saves_output("up{job=\"a\"} > 0"));
        assert!(!saves_output("rate(errors[5m]) > 0.5"));
        assert!(saves_output("kubectl logs x > pod.log"));
        assert!(saves_output(
            "sudo strace -f -p `pidof gitlab-pages` >& /tmp/gitlab-pages-debug.txt"
        ));
        assert!(saves_output("journalctl -u x 2> /tmp/err.log"));
        assert!(!saves_output("kubectl logs x 2>&1 | grep error"));
    }

    #[test]
    fn what_to_look_for_the_likely_cause_and_the_state_to_confirm_are_readings() {
        // Seen on the corpus outside the labels (fixtures/eval/sampled.tsv).
        for reading in [
            "- Check [Sentry](x) for unusual errors",
            "- Check [Kibana](x) for increased error rates",
            "- Check the [triage overview](x) dashboard for 5xx errors by backend.",
            "  - grep for   or   in  ",
            "1. Look at the scrape metrics to find large instances.  ",
            "- Check the **Gitaly p95 latency** graph and identify the offending server or servers.",
            // What the output answers: which one, who.
            "Expand the JSON fields to identify which secret(s) were accessed and which human(s) performed the access.",
            "Actions can be taken after logs investigating. Usually it is configuration error or IO/space problems.",
            "Running out of inodes is often caused by many small files",
            "Make sure that   is returning the right certificate by running the script  ",
            "1. Verify the certs were recently created.",
            "- Run   (or the host that's down) and ensure the IP address matches the one you get above.",
            "Check the [dashboard][link] to see if it's serving a high number of errors.",
            // What to look for, asked as a question: as "check … for any errors".
            "Look at the metrics output of the target (ex.  ) to see if there are any obvious problems with label cardinality.",
            // Or whether a component has reported any: a problem reported is the sign.
            "1. Check the master conditions to see if kubelet has reported any problem",
            // What the output may show, then what to do for each case.
            "You can find the project name present in a different shard and/or under a different namespace.",
            // Under an example output: what it shows in this case.
            "In this case we are missing slave3 since we have 4 slaves.",
            "In this example,   is empty, so the ServiceMonitor may select more services than intended.",
        ] {
            assert!(interprets(reading), "{reading}");
        }
        for none in [
            "Verify why pods are not running.",
            "You can then also find corresponding events. This is an issue that the team are trying to find the source for.",
            "Check the [dashboard](x) to see if the problem is specific to one shard.",
        ] {
            assert!(!interprets(none), "{none}");
        }
    }

    #[test]
    fn a_step_that_reads_what_the_one_before_found_is_told() {
        for later in [
            "Run `dig encv.org` and ensure the IP address matches the one you get above.",
            "start a `psql` session where `HOSTNAME` is the hostname you got from the previous step:",
            "Change the canonical name to the CloudFront domain name you found before",
            "look for the private IP you obtained from step 1",
            "Using the stored variables from the previous steps:",
            "Compare it with the IP From the Previous Step.",
        ] {
            assert!(uses_earlier_result(later), "{later}");
        }
        for none in [
            "Check the IP address assigned by the load balancer.",
            "As described above, restart the pod.",
            "See the previous section for the dashboard.",
            "Before you start, get the kubeconfig.",
        ] {
            assert!(!uses_earlier_result(none), "{none}");
        }
    }

    #[test]
    fn the_state_a_step_asks_for_is_its_reading() {
        for reading in [
            "1. Ensure ceph-mgr pod is Running",
            "Verify that both of the following messages are present in the operator logs:",
            "In the toolbox, make sure that no slow ops are present",
            "Make sure plugin pods are always running",
            // What the command answers about the reader: yes, or a reply.
            "Also ensure you have permission to create ClusterRoles:",
            "Ensure you can connect to the Linkerd version check endpoint:",
            "Verify that you are able to reach the API server:",
            "Make sure you have access to the bucket:",
        ] {
            assert!(interprets(reading), "{reading}");
        }
        for none in [
            "Confirm which service is firing the alert by looking at the alert name.",
            "Make sure you are logged in to the cluster:",
            "Make sure you have the SDK installed:",
            "Make sure you have kubectl installed:",
            "Ensure, before anything else, that the pods restart",
            "Verify the restart: `kubectl get pods`",
            "To reassure the customer, check the pods",
        ] {
            assert!(!interprets(none), "{none}");
        }
    }

    #[test]
    fn what_a_command_will_return_is_a_reading() {
        assert!(interprets(
            "`BambooService.find(1).project` will return the project"
        ));
    }

    #[test]
    fn preconditions_open_steps() {
        assert!(opens_with_precondition(
            "If you have SSH access to the nodes, access the logs:"
        ));
        assert!(!opens_with_precondition("If the count is 0, stop here"));
    }

    #[test]
    fn logged_lines_start_as_loggers_write_them() {
        for line in [
            "2021-11-02T23:50:29.688Z    ERROR    controller    Reconciler error",
            "[2024-02-06T15:18:17.437Z] \"GET / HTTP/1.1\" 503 UF 0 91",
            "E0828 14:04:53.727973       1 sync.go:190] \"cert-manager/challenges\"",
            "Oct 19 11:11:37 thanos-compact-01 thanos[16770]: {\"caller\":\"compact.go\"}",
            "time=\"2024-01-02T10:00:00Z\" level=error msg=\"failed\"",
            "{\"level\":\"warn\",\"time\":\"2020-11-26T09:44:47.943+1100\"}",
            "2020/07/14 06:29:40 starting",
        ] {
            assert!(is_log_line(line), "{line}");
        }
        for line in [
            "kubectl logs -n rook-ceph -l app=rook-ceph-operator",
            "$ journalctl -u kubelet",
            "SELECT count(*) FROM jobs WHERE state = 'queued';",
            "2 * 1024",
        ] {
            assert!(!is_log_line(line), "{line}");
        }
    }

    #[test]
    fn the_possible_causes_of_what_a_check_shows_read_it() {
        assert!(interprets("Some of the possible causes for this are:"));
        assert!(interprets("Likely reasons include a full disk."));
        assert!(interprets("Possible reasons for these errors are:"));
        assert!(interprets(
            "pay particular attention to any lines that have a logging level of warning or error."
        ));
        // Causes named as a topic, not given.
        assert!(!interprets("Investigate the possible causes."));
    }

    #[test]
    fn a_path_of_arrows_through_a_ui_is_no_reading() {
        assert!(!interprets(
            "Next, on Cloud Console you can click on the Navigation Menu -> Monitoring -> Metrics Explorer."
        ));
        assert!(!interprets(
            "Open Dashboard → Tenant Settings → Advanced → Migrations"
        ));
        // One arrow after a value still says where to go.
        assert!(interprets("Count the jobs. 0 → see 'Queue stuck'"));
        // One arrow out of a view, or into one, is a step along a UI path.
        assert!(!interprets(
            "Grafana: Web dashboard → Latency percentiles, SQL/Redis/Queue breakdown, APDEX, 5xx rate."
        ));
        assert!(!interprets("Grafana: Sidekiq → Queue latency panel."));
        assert!(interprets("Check the dashboard: above 500 → see 'Backlog'"));
    }

    #[test]
    fn a_leading_condition_ends_at_its_comma() {
        let text = "If it's a genuine error, look at the pods:";
        assert_eq!(
            condition_end(text).and_then(|i| text.get(i..)),
            Some(" look at the pods:")
        );
        assert_eq!(condition_end("If so stop"), None);
    }

    #[test]
    fn a_result_that_confirms_reads_it() {
        assert!(interprets(
            "Members in `create-failed` status in the same AZ confirm which zone is out of capacity."
        ));
        assert!(interprets("A `200` response confirms the site is live."));
        assert!(!interprets("Confirm which pod holds the lease:"));
        assert!(!interprets("You can confirm the pods by running"));
        assert!(!interprets("Log in and confirm the deployment"));
    }

    #[test]
    fn a_comparison_in_symbols_reads_the_result() {
        for text in [
            "Headroom (usable/available) is < 3% sustained:",
            "Restarts > 5 in an hour mean the pod is crash looping",
            "a latency >= 200 ms",
        ] {
            assert!(interprets(text), "{text}");
        }
        for text in [
            "Describe the pod: <pod> in <namespace>",
            "Open Console -> 5 nodes view",
            "Check the <2 bytes> header",
        ] {
            assert!(!compares_to_a_number(&text.to_ascii_lowercase()), "{text}");
        }
    }

    #[test]
    fn a_variable_set_from_a_command_shows_nothing() {
        assert!(shows_nothing_to_read(
            "```bash\n$ export NAMESPACE=\"$(kubectl get kubevirt -A -o custom-columns=\"\":.metadata.namespace)\"\n```"
        ));
        assert!(shows_nothing_to_read(
            "`POD=$(kubectl get pods -o name | head -1)`"
        ));
        // The substitution is not all of the value, or the line runs a command.
        assert!(!shows_nothing_to_read("`X=$(date) ls`"));
        assert!(!shows_nothing_to_read("`echo $(kubectl get pods)`"));
        assert!(!shows_nothing_to_read("`X=$(a) $(b)`"));
    }

    #[test]
    fn usage_is_nothing_to_read() {
        for code in [
            "`velero debug --help`",
            "`kubectl logs -h`",
            "`man iptables`",
            "```shell\n$ velero backup --help\n$ velero restore -h\n```",
        ] {
            assert!(shows_nothing_to_read(code), "{code}");
        }
        for code in [
            "`velero debug`",
            "`kubectl logs deploy/x | grep help`",
            "```shell\n$ velero --help\nUsage:\n  velero [command]\n```",
            "```shell\nvelero backup --help\nvelero backup describe x\n```",
        ] {
            assert!(!shows_nothing_to_read(code), "{code}");
        }
    }

    #[test]
    fn output_saved_then_paged_is_shown() {
        let paged = "```shell\n$ find . -name '*.06379' | sort -nr > ./script_report\n$ less ./script_report\n70334 command: setex\n```";
        assert!(!shows_nothing_to_read(paged));
        assert!(shows_nothing_to_read(
            "```shell\nkubectl get pods -A > /tmp/pods.txt\n```"
        ));
    }

    #[test]
    fn a_step_that_keeps_a_value_for_later_looks_it_up() {
        for text in [
            "In `gitlab-restore` find the pipeline that is subject to investigation and remember its ID.",
            "check `./gitlab-fluentd/attributes/default.rb` for location of the logs",
            "you find the exact GCP Load balancer in use by Kas using the following command",
            "Note down the pod name for the next step",
            "First, get the GUID of the app you want to investigate:",
            "Find the IP of the node that runs the pod",
        ] {
            assert!(looks_up(text), "{text}");
        }
        for text in [
            "Check the pod logs for errors",
            "Find the pods that are not Running",
            "Get the status of the pods",
            "Get the logs of the failing pod",
            "Note that the queue may be empty",
        ] {
            assert!(!looks_up(text), "{text}");
        }
    }
}
