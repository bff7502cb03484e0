//! The labelled evaluation: lint-pr's recommended rules against what people who
//! read the files judged (`fixtures/eval/`, see its README for the labels).
//!
//!     cargo run --release --example eval            # the table
//!     cargo run --release --example eval -- --list  # and every disagreement
//!     EVAL_BATCH=outside2,outside3 cargo run --release --example eval  # some batches
//!     EVAL_BATCH=-outside5 cargo run --release --example eval  # all but one
//!
//! Prints per rule: findings, false alarms (findings the labels do not call for),
//! expected (problems the labels record) and misses (expected with no finding).

// `serde_json::Value`'s `[]` answers `Null` for a missing key and never panics; a
// label file that cannot be read is a broken checkout, reported with its path.
#![allow(clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use lint_pr::config;
use lint_pr::lint::{Inputs, RunbookInput, run};
use lint_pr::markdown::{FileLookup, Lookup};
use lint_pr::report::Located;
use lint_pr::types::Facts;
use serde_json::Value;

fn main() {
    let list = std::env::args().any(|a| a == "--list");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/eval");
    let mut score = Score::default();
    runbooks(&root.join("runbooks"), &mut score);
    pr_bodies(&root.join("pr-bodies"), &mut score);
    score.print(list);
    sampled(&root.join("sampled.tsv"), list);
}

/// Findings sampled from the whole corpus outside the labelled files and judged
/// one by one (`fixtures/eval/sampled.tsv`): per rule, how many of those judged
/// right are still reported (should stay all) and how many judged noise are
/// still reported (should fall). The file is linted from
/// `fixtures/corpus/runbooks`, where its links resolve.
fn sampled(tsv: &Path, list: bool) {
    let text = std::fs::read_to_string(tsv).unwrap_or_else(|e| panic!("{}: {e}", tsv.display()));
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/runbooks");
    let mut found: HashMap<String, Vec<Located>> = HashMap::new();
    // rule -> [right kept, right, noise kept, noise]
    let mut tally: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for (n, row) in text.lines().enumerate() {
        if row.starts_with('#') || row.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = row.split('\t').collect();
        let [rule, file, line, verdict, ..] = cols[..] else {
            panic!(
                "{}:{}: expected rule, file, line, verdict, why",
                tsv.display(),
                n + 1
            );
        };
        let line: u32 = line
            .parse()
            .unwrap_or_else(|e| panic!("{}:{}: line {line:?}: {e}", tsv.display(), n + 1));
        let located = found.entry(file.to_string()).or_insert_with(|| {
            let (repo, path) = file.split_once('/').unwrap_or(("", file));
            let root = corpus.join(repo);
            let text =
                std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{file}: {e}"));
            lint_runbook(&root, path, &text)
        });
        let kept = lines_of(located, rule).contains(&line);
        let t = tally.entry(rule.to_string()).or_default();
        let noise = match verdict {
            "right" => false,
            "noise" => true,
            v => panic!(
                "{}:{}: verdict {v:?}, expected right or noise",
                tsv.display(),
                n + 1
            ),
        };
        let at = if noise { 2 } else { 0 };
        t[at] += usize::from(kept);
        t[at + 1] += 1;
        if list && (kept == noise) {
            let what = if noise {
                "noise still reported"
            } else {
                "right finding lost"
            };
            println!("sampled {rule}: {what}: {file}:{line}");
        }
    }
    println!();
    println!(
        "sampled findings outside the labels ({}):",
        tsv.file_name().and_then(|n| n.to_str()).unwrap_or_default()
    );
    println!(
        "{:<40} {:>18} {:>18} {:>10}",
        "rule", "right, reported", "noise, reported", "noise %"
    );
    for (rule, [rk, r, nk, n]) in &tally {
        println!(
            "{rule:<40} {:>18} {:>18} {:>10}",
            format!("{rk}/{r}"),
            format!("{nk}/{n}"),
            pct(*nk, rk + nk)
        );
    }
}

#[derive(Default)]
struct Tally {
    findings: usize,
    false_alarms: usize,
    expected: usize,
    misses: usize,
}

#[derive(Default)]
struct Score {
    rules: BTreeMap<&'static str, Tally>,
    /// Disagreements, for `--list`.
    notes: Vec<String>,
}

impl Score {
    fn rule(&mut self, id: &'static str) -> &mut Tally {
        self.rules.entry(id).or_default()
    }

    fn false_alarm(&mut self, id: &'static str, what: String) {
        self.rule(id).false_alarms += 1;
        self.notes.push(format!("false alarm {id}: {what}"));
    }

    fn miss(&mut self, id: &'static str, what: String) {
        self.rule(id).misses += 1;
        self.notes.push(format!("miss {id}: {what}"));
    }

    fn print(&self, list: bool) {
        if list {
            for n in &self.notes {
                println!("{n}");
            }
            println!();
        }
        println!(
            "{:<40} {:>8} {:>14} {:>9} {:>12}",
            "rule", "findings", "false alarms", "expected", "misses"
        );
        for (id, t) in &self.rules {
            println!(
                "{:<40} {:>8} {:>8} {:>5} {:>9} {:>6} {:>5}",
                id,
                t.findings,
                t.false_alarms,
                pct(t.false_alarms, t.findings),
                t.expected,
                t.misses,
                pct(t.misses, t.expected)
            );
        }
    }
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * a as f64 / b as f64)
    }
}

/// The label files of `dir`; `EVAL_BATCH=outside3` keeps only those whose name
/// holds that text (several separated by commas), to score one batch, and
/// `EVAL_BATCH=-outside5` leaves out those whose name holds it (to compare with a
/// table from before that batch existed).
fn labels(dir: &Path) -> Vec<Value> {
    let batch = std::env::var("EVAL_BATCH").unwrap_or_default();
    let (left_out, kept): (Vec<&str>, Vec<&str>) = batch
        .split(',')
        .filter(|b| !b.is_empty())
        .partition(|b| b.starts_with('-'));
    let wanted = |name: &str| {
        (kept.is_empty() || kept.iter().any(|b| name.contains(b)))
            && !left_out.iter().any(|b| name.contains(&b[1..]))
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("labels-") && n.ends_with(".json") && wanted(n))
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        out.extend(v.as_array().cloned().unwrap_or_default());
    }
    out
}

/// Files of the evaluation copy are found; files the original repository had (its
/// MANIFEST.tsv) but that were not copied are unknown; anything else is missing.
struct EvalFiles {
    root: PathBuf,
    manifest: BTreeSet<String>,
}

impl FileLookup for EvalFiles {
    fn lookup(&self, path: &str) -> Lookup {
        if let Ok(text) = std::fs::read_to_string(self.root.join(path)) {
            return Lookup::Found(text);
        }
        if self.manifest.contains(path) {
            Lookup::Unknown
        } else {
            Lookup::Missing
        }
    }
}

fn lint_runbook(repo_root: &Path, path: &str, text: &str) -> Vec<Located> {
    let manifest = std::fs::read_to_string(repo_root.join("MANIFEST.tsv"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .collect();
    let files = EvalFiles {
        root: repo_root.to_path_buf(),
        manifest,
    };
    let runbooks = [RunbookInput { path, text }];
    let inputs = Inputs {
        title: None,
        description: None,
        facts: Facts::default(),
        runbooks: &runbooks,
        files: &files,
    };
    run(&inputs, &config::recommended()).findings().to_vec()
}

fn lines_of(found: &[Located], rule: &str) -> BTreeSet<u32> {
    found
        .iter()
        .filter(|l| l.finding.rule == rule)
        .map(|l| l.start.line)
        .collect()
}

fn runbooks(dir: &Path, score: &mut Score) {
    for label in labels(dir) {
        let full = label["path"].as_str().unwrap_or_default().to_string();
        let (repo, path) = full.split_once('/').unwrap_or(("", &full));
        let repo_root = dir.join(repo);
        let text =
            std::fs::read_to_string(repo_root.join(path)).unwrap_or_else(|e| panic!("{full}: {e}"));
        let found = lint_runbook(&repo_root, path, &text);
        let kind = label["kind"].as_str().unwrap_or_default();
        let incident = kind == "alert" || kind == "service";

        let per_file = |score: &mut Score, id: &'static str, fired: bool, expected: bool| {
            let t = score.rule(id);
            t.findings += usize::from(fired);
            t.expected += usize::from(expected);
            if fired && !expected {
                score.false_alarm(id, format!("{full} ({kind})"));
            }
            if expected && !fired {
                score.miss(id, format!("{full} ({kind})"));
            }
        };
        let fired = |id: &str| found.iter().any(|l| l.finding.rule == id);
        // Escalation said only in passing ("5. **Contact support**: If issues
        // persist, … seek assistance from your operations team" in a fix list)
        // is the page's escalation for the rules: `escalation-without-threshold`
        // reports it and asks for a heading of its own, and `required-section`
        // stays quiet (docs/rules.md). The labels only know sections: on a page
        // labelled with no escalation section, that finding is the one telling
        // the author the section is missing, so it is scored as
        // `required-section`'s.
        let no_section = label["escalation"].is_null();
        let in_passing = no_section
            && found.iter().any(|l| {
                l.finding.rule == "runbook/escalation-without-threshold"
                    && l.finding.message.contains("only in passing")
            });
        per_file(
            score,
            "runbook/triage-first",
            fired("runbook/triage-first"),
            incident && label["opens_with_diagnosis"] == Value::Bool(false),
        );
        per_file(
            score,
            "runbook/required-section",
            fired("runbook/required-section") || (incident && in_passing),
            incident && no_section,
        );
        per_file(
            score,
            "runbook/escalation-without-threshold",
            fired("runbook/escalation-without-threshold") && !(incident && in_passing),
            label["escalation"]["has_threshold"] == Value::Bool(false),
        );

        let steps = label["steps"].as_array().cloned().unwrap_or_default();
        let line = |s: &Value| s["line"].as_u64().unwrap_or(0) as u32;
        let no_command: BTreeSet<u32> = steps
            .iter()
            .filter(|s| s["has_command"] == Value::Bool(false))
            .map(line)
            .collect();
        let no_reading: BTreeSet<u32> = steps
            .iter()
            .filter(|s| {
                s["has_command"] == Value::Bool(true)
                    && s["has_interpretation"] == Value::Bool(false)
            })
            .map(line)
            .collect();
        let refs: BTreeSet<u32> = label["broken_references"]
            .as_array()
            .into_iter()
            .flatten()
            .map(line)
            .collect();
        for (id, expected) in [
            ("runbook/step-without-command", no_command),
            ("runbook/step-without-interpretation", no_reading),
            ("runbook/broken-reference", refs),
        ] {
            let fired = same_block_as_label(&text, &lines_of(&found, id), &expected);
            per_line(score, id, &full, &fired, &expected);
        }
    }
}

/// `fired` with each line moved to the labelled line of the same block or list
/// item: a label marks a step by its block's first line ("This alert's signal
/// closely matches … \nLook for these commonly co-firing alerts …"), and the
/// tool reports on the instruction's own line in that block, a line or two
/// further; a label marks a list item's step by the item's first line ("1.
/// **Check cluster health**:"), and the tool may report the nested item that
/// holds its command ("   - In the Dev Tools console, run:"). Same block: the
/// labelled line comes first and every line after it, up to the finding's,
/// continues it (not blank, not a new list item, heading or fence). Same item:
/// the labelled line opens a list item and every line after it, up to the
/// finding's, is blank or indented under that item's text.
fn same_block_as_label(
    text: &str,
    fired: &BTreeSet<u32>,
    expected: &BTreeSet<u32>,
) -> BTreeSet<u32> {
    let lines: Vec<&str> = text.lines().collect();
    let line = |n: u32| lines.get((n as usize).wrapping_sub(1)).copied();
    let continues = |n: u32| {
        line(n).is_some_and(|l| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with(['#', '`', '~']) && list_marker(t).is_none()
        })
    };
    // Same item: line `n` is blank or indented under the text of the list item
    // labelled line `e` opens ("1. **Check" → column 3).
    let inside_item = |e: u32, n: u32| {
        let Some((l, marker)) = line(e).and_then(|l| Some((l, list_marker(l.trim_start())?)))
        else {
            return false;
        };
        let column = l.len() - l.trim_start().len() + marker;
        line(n).is_some_and(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= column)
    };
    fired
        .iter()
        .map(|&l| {
            expected
                .range(..=l)
                .next_back()
                .copied()
                .filter(|&e| {
                    !fired.contains(&e)
                        && ((e + 1..=l).all(continues) || (e + 1..=l).all(|n| inside_item(e, n)))
                })
                .unwrap_or(l)
        })
        .collect()
}

/// The width of the list marker that opens `t` (a line without its indent),
/// the space after it included: "- " → 2, "12. " → 4; `None` if no item opens.
fn list_marker(t: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| t.starts_with(m)) {
        return Some(2);
    }
    let numbered = t.trim_start_matches(|c: char| c.is_ascii_digit());
    (numbered.len() < t.len() && numbered.starts_with(['.', ')']))
        .then(|| t.len() - numbered.len() + 2)
}

fn per_line(
    score: &mut Score,
    id: &'static str,
    file: &str,
    fired: &BTreeSet<u32>,
    expected: &BTreeSet<u32>,
) {
    let t = score.rule(id);
    t.findings += fired.len();
    t.expected += expected.len();
    for l in fired.difference(expected) {
        score.false_alarm(id, format!("{file}:{l}"));
    }
    for l in expected.difference(fired) {
        score.miss(id, format!("{file}:{l}"));
    }
}

/// The recommended preset's section names, by the labels' keys.
const SECTIONS: [(&str, &str); 4] = [
    ("what", "What this does"),
    ("why", "Why"),
    ("expected", "Expected behavior change"),
    ("wrong", "If something seems wrong after this ships"),
];

fn pr_bodies(dir: &Path, score: &mut Score) {
    for label in labels(dir) {
        let file = label["file"].as_str().unwrap_or_default().to_string();
        let body =
            std::fs::read_to_string(dir.join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let inputs = Inputs {
            title: None,
            description: Some(&body),
            facts: Facts::default(),
            runbooks: &[],
            files: &lint_pr::markdown::NoFiles,
        };
        let found = run(&inputs, &config::recommended()).findings().to_vec();
        // Which labelled section each finding is about: by the name in a missing
        // section's message, else by the line of the section's heading.
        let heading_line: HashMap<&str, u64> = SECTIONS
            .iter()
            .filter_map(|(k, _)| Some((*k, label["sections"][k]["line"].as_u64()?)))
            .collect();
        let mut named: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
        for l in &found {
            let rule: &'static str = match l.finding.rule.as_ref() {
                "pr/required-section" => "pr/required-section",
                "pr/empty-section" => "pr/empty-section",
                "pr/nothing-to-check" => "pr/nothing-to-check",
                _ => continue,
            };
            score.rule(rule).findings += 1;
            let key = SECTIONS.iter().find_map(|(k, name)| {
                let by_name = l.finding.missing_section.as_deref() == Some(*name)
                    || l.finding.message.contains(&format!("\"{name}\""));
                // A missing section has no line of its own (it points at line 1).
                let by_line = rule != "pr/required-section"
                    && heading_line.get(k) == Some(&u64::from(l.start.line));
                (by_name || by_line).then_some(*k)
            });
            match key {
                Some(k) => named.entry(k).or_default().push(rule),
                None => score.false_alarm(
                    rule,
                    format!("{file}:{} (no labelled section)", l.start.line),
                ),
            }
        }
        for (key, _) in SECTIONS {
            let s = &label["sections"][key];
            let status = s["status"].as_str().unwrap_or("absent");
            let rules = named.get(key).cloned().unwrap_or_default();
            let unanswered = key == "wrong" && s["checkable"] == Value::Bool(false);
            for rule in &rules {
                let wrong = match (*rule, status) {
                    (_, "prose") => false,
                    ("pr/nothing-to-check", _) => !unanswered,
                    (_, "heading") => true,
                    _ => false,
                };
                if wrong {
                    score.false_alarm(rule, format!("{file} {key} ({status})"));
                }
            }
            let expect = |score: &mut Score, rule: &'static str, hit: bool| {
                score.rule(rule).expected += 1;
                if !hit {
                    score.miss(rule, format!("{file} {key} ({status})"));
                }
            };
            match status {
                "absent" => expect(score, "pr/required-section", !rules.is_empty()),
                "empty" => expect(score, "pr/empty-section", !rules.is_empty()),
                _ => {}
            }
            if status == "heading" && unanswered {
                expect(
                    score,
                    "pr/nothing-to-check",
                    rules.contains(&"pr/nothing-to-check"),
                );
            }
        }
    }
}
