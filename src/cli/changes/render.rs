//! The three outputs of `lint-pr changes`: `human` for a tired reader at a
//! terminal, `markdown` to paste into an incident channel, `json` as SPEC says.

use std::fmt::Write as _;
use std::io::IsTerminal;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::describe::Part;
use super::{Change, Listing, Source};

/// What the expected-behaviour section is called in marks and labels.
const EXPECTED: &str = "Expected behavior change";
const IF_WRONG: &str = "If something seems wrong after this ships";

/// How many summarised path groups a line shows.
const MAX_GROUPS_SHOWN: usize = 6;

/// `2026-12-02 21:14 UTC`.
pub(super) fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `2h 14m`, `3d 4h`, `45m`, `20s`: the two largest units.
pub(super) fn duration(secs: u64) -> String {
    let (d, h, m) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

fn short(sha: &str) -> &str {
    sha.get(..10).unwrap_or(sha)
}

/// Paths summarised by top folders: `services/payments/` for anything below
/// it, `src/` for a file in `src`, a top-level file as itself. Groups with more
/// files first. More than [`MAX_GROUPS_SHOWN`] groups are summarised one level up.
pub(super) fn summarize(paths: &[String]) -> Vec<(String, usize)> {
    let group = |depth: usize| {
        let mut groups: Vec<(String, usize)> = Vec::new();
        for p in paths {
            let parts: Vec<&str> = p.split('/').collect();
            let dirs = parts.len().saturating_sub(1).min(depth);
            let key = if dirs == 0 {
                p.clone()
            } else {
                format!("{}/", parts.get(..dirs).unwrap_or(&[]).join("/"))
            };
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => groups.push((key, 1)),
            }
        }
        groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        groups
    };
    let two = group(2);
    if two.len() <= MAX_GROUPS_SHOWN {
        two
    } else {
        group(1)
    }
}

fn files(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

/// `services/payments/ (3 files), README.md (1 file), +2 more`.
fn touched(paths: &[String], quote: &str) -> String {
    let groups = summarize(paths);
    if groups.is_empty() {
        return "no files".into();
    }
    let mut parts: Vec<String> = groups
        .iter()
        .take(MAX_GROUPS_SHOWN)
        .map(|(g, n)| {
            if g.ends_with('/') {
                format!("{quote}{g}{quote} ({})", files(*n))
            } else {
                format!("{quote}{g}{quote}")
            }
        })
        .collect();
    if groups.len() > MAX_GROUPS_SHOWN {
        parts.push(format!("+{} more", groups.len() - MAX_GROUPS_SHOWN));
    }
    parts.join(", ")
}

/// The window and the branch, in one sentence.
fn heading(l: &Listing, code: &str) -> String {
    let repo = l
        .repo
        .as_deref()
        .map(|r| format!(" in {r}"))
        .unwrap_or_default();
    let count = match l.changes.len() {
        0 => "No changes".to_string(),
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    };
    let mut s = format!(
        "{count} merged into {code}{}{code}{repo} between {} and {}",
        l.branch,
        utc(l.since),
        utc(l.until)
    );
    if !l.changes.is_empty() {
        s.push_str(", newest first");
    }
    if !l.path_filter.is_empty() {
        let globs: Vec<String> = l
            .path_filter
            .iter()
            .map(|g| format!("{code}{g}{code}"))
            .collect();
        let _ = write!(s, " (only those touching {})", globs.join(", "));
    }
    s
}

/// Where the description came from, in words.
fn source_line(c: &Change) -> String {
    let why = c
        .source_note
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    match c.source {
        Source::GitHub => "description from GitHub".into(),
        Source::Commit => format!("description from the commit message{why}"),
        Source::None => format!("no description: the commit message has none{why}"),
    }
}

/// The plain mark for a section that is not there.
fn absent_mark(part: &Part, name: &str) -> Option<String> {
    match part {
        Part::Text(_) => None,
        Part::Missing => Some(format!("no {name} section: read the diff")),
        Part::Empty => Some(format!("the {name} section is empty: read the diff")),
        Part::NotRequired => Some(format!(
            "no {name} section (not required for the paths this change touched)"
        )),
    }
}

/// Terminal styles: bold headers and yellow marks on a colour terminal.
struct Style {
    color: bool,
}

impl Style {
    fn bold(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn warn(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1;33m⚠ {s}\x1b[0m")
        } else {
            format!("⚠ {s}")
        }
    }
}

pub(super) fn human(l: &Listing) -> String {
    let style = Style {
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = format!("{}\n", heading(l, ""));
    if l.changes.is_empty() {
        out.push_str("Nothing shipped in this window. Widen it with --since (e.g. --since 3d), or check --branch.\n");
    }
    for (i, c) in l.changes.iter().enumerate() {
        out.push('\n');
        human_change(&mut out, &style, l, i + 1, c);
    }
    out
}

fn human_change(out: &mut String, style: &Style, l: &Listing, n: usize, c: &Change) {
    let pr =
        c.pr.map_or_else(|| "direct push, no PR".to_string(), |p| format!("#{p}"));
    let _ = writeln!(out, "{}", style.bold(&format!("━━ {n}. {pr}  {}", c.title)));
    let ago = (l.now - c.merged_at).num_seconds().max(0).unsigned_abs();
    let _ = writeln!(
        out,
        "   merged   {} ago, {}, by {}",
        duration(ago),
        utc(c.merged_at),
        c.author
    );
    let _ = writeln!(
        out,
        "   commit   {}    $ git show {}",
        short(&c.sha),
        short(&c.sha)
    );
    let _ = writeln!(out, "   touched  {}", touched(&c.paths, ""));
    if let Some(what) = &c.sections.what {
        let _ = writeln!(out, "   what     {what}");
    }
    let _ = writeln!(out, "   {}", source_line(c));
    if let Part::Text(t) = &c.sections.expected {
        let _ = writeln!(out, "\n   {EXPECTED}:");
        indented(out, &shown(t));
    }
    if let Part::Text(t) = &c.sections.if_wrong {
        // Set off between rules, so the lines in between can be copied whole.
        let rule = "─".repeat(56);
        let _ = writeln!(out, "\n   {IF_WRONG}:\n   ┌{rule}");
        indented(out, &shown(t));
        let _ = writeln!(out, "   └{rule}");
    }
    let marks = [
        absent_mark(&c.sections.expected, "expected-behaviour"),
        absent_mark(&c.sections.if_wrong, "\"If something seems wrong\""),
    ];
    let marks: Vec<String> = marks.into_iter().flatten().collect();
    if !marks.is_empty() {
        out.push('\n');
    }
    for m in marks {
        let _ = writeln!(out, "   {}", style.warn(&m));
    }
}

/// Section text under a label, indented; blank lines stay empty.
fn indented(out: &mut String, lines: &[String]) {
    for line in lines {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "     {line}");
        }
    }
}

/// Section text for a terminal: fenced code blocks lose their fences and show
/// each command after a `$ ` prompt (output and comments as they are).
fn shown(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut fence: Option<(String, bool)> = None;
    let mut continued = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        match &fence {
            None if marker.len() >= 3 => {
                let info = trimmed
                    .get(marker.len()..)
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                fence = Some((marker, is_shell(&info)));
                continued = false;
            }
            Some((open, _)) if marker.len() >= open.len() && trimmed.trim_end() == marker => {
                fence = None;
            }
            Some((_, shell)) => {
                let plain = line.trim();
                let prompt = *shell
                    && !continued
                    && !plain.is_empty()
                    && !plain.starts_with('#')
                    && !plain.starts_with("$ ");
                lines.push(if prompt {
                    format!("  $ {plain}")
                } else {
                    format!("  {}", line.trim_end())
                });
                continued = plain.ends_with('\\');
            }
            None => lines.push(line.trim_end().to_string()),
        }
    }
    lines
}

/// A fence whose lines are commands to type: shell languages, or no language.
fn is_shell(info: &str) -> bool {
    let lang = info.split_whitespace().next().unwrap_or("");
    matches!(
        lang,
        "" | "sh" | "bash" | "shell" | "zsh" | "fish" | "console" | "shell-session"
    )
}

pub(super) fn markdown(l: &Listing) -> String {
    let mut out = format!("**{}**\n", heading(l, "`"));
    if l.changes.is_empty() {
        out.push_str("\nNothing shipped in this window.\n");
    }
    for (i, c) in l.changes.iter().enumerate() {
        out.push('\n');
        markdown_change(&mut out, l, i + 1, c);
    }
    out
}

fn markdown_change(out: &mut String, l: &Listing, n: usize, c: &Change) {
    let pr = match (c.pr, &l.repo) {
        (Some(p), Some(repo)) => format!("[#{p}]({}/{repo}/pull/{p}) ", l.web_url),
        (Some(p), None) => format!("#{p} "),
        (None, _) => "direct push: ".into(),
    };
    // Two trailing spaces: a line break inside the paragraph.
    let _ = writeln!(out, "**{n}. {pr}{}**  ", c.title.replace('*', "\\*"));
    let _ = writeln!(
        out,
        "merged {} by {} · `{}` · touched {}  ",
        utc(c.merged_at),
        c.author,
        short(&c.sha),
        touched(&c.paths, "`")
    );
    if let Some(what) = &c.sections.what {
        let _ = writeln!(out, "**What:** {what}  ");
    }
    let _ = writeln!(out, "_{}_", capitalised(&source_line(c)));
    for (name, part) in [
        (EXPECTED, &c.sections.expected),
        (IF_WRONG, &c.sections.if_wrong),
    ] {
        if let Part::Text(t) = part {
            let _ = writeln!(out, "\n**{name}:**");
            for line in t.lines() {
                let line = line.trim_end();
                let _ = writeln!(
                    out,
                    "{}",
                    if line.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {line}")
                    }
                );
            }
        }
    }
    let marks = [
        absent_mark(&c.sections.expected, "expected-behaviour"),
        absent_mark(&c.sections.if_wrong, "\"If something seems wrong\""),
    ];
    for m in marks.into_iter().flatten() {
        let _ = writeln!(out, "\n⚠️ **{}**", capitalised(&m));
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// SPEC's JSON, field for field (`"version": 1`).
#[derive(Serialize)]
struct JsonListing<'a> {
    version: u32,
    repo: Option<&'a str>,
    branch: &'a str,
    since: String,
    until: String,
    changes: Vec<JsonChange<'a>>,
    warnings: &'a [String],
}

#[derive(Serialize)]
struct JsonChange<'a> {
    pr: Option<u64>,
    sha: &'a str,
    title: &'a str,
    author: &'a str,
    merged_at: String,
    /// Summarised by top folders, as in the other formats.
    paths: Vec<String>,
    what: Option<&'a str>,
    expected_behavior_change: Option<&'a str>,
    if_something_seems_wrong: Option<&'a str>,
    source: &'static str,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(super) fn json(l: &Listing) -> Result<String> {
    let doc = JsonListing {
        version: 1,
        repo: l.repo.as_deref(),
        branch: &l.branch,
        since: rfc3339(l.since),
        until: rfc3339(l.until),
        changes: l
            .changes
            .iter()
            .map(|c| JsonChange {
                pr: c.pr,
                sha: &c.sha,
                title: &c.title,
                author: &c.author,
                merged_at: rfc3339(c.merged_at),
                paths: summarize(&c.paths).into_iter().map(|(g, _)| g).collect(),
                what: c.sections.what.as_deref(),
                expected_behavior_change: c.sections.expected.text(),
                if_something_seems_wrong: c.sections.if_wrong.text(),
                source: c.source.as_str(),
            })
            .collect(),
        warnings: &l.warnings,
    };
    let mut s = serde_json::to_string_pretty(&doc)?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration(20), "20s");
        assert_eq!(duration(45 * 60), "45m");
        assert_eq!(duration(2 * 3600 + 14 * 60), "2h 14m");
        assert_eq!(duration(3 * 86_400 + 4 * 3600 + 59), "3d 4h");
    }

    #[test]
    fn paths_by_top_folders() {
        let paths: Vec<String> = [
            "services/payments/src/db.rs",
            "services/payments/src/pool.rs",
            "services/payments/Cargo.toml",
            "config/prod.yml",
            "README.md",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            summarize(&paths),
            [
                ("services/payments/".to_string(), 3),
                ("README.md".to_string(), 1),
                ("config/".to_string(), 1)
            ]
        );
        let many: Vec<String> = (0..10).map(|i| format!("svc/s{i}/x.rs")).collect();
        assert_eq!(summarize(&many), [("svc/".to_string(), 10)]);
    }

    #[test]
    fn commands_are_shown_as_commands() {
        let text = "Roll back:\n\n```sh\n# the pool\nkubectl set env deploy/api \\\n  POOL=20\n```\n```sql\nselect 1;\n```";
        assert_eq!(
            shown(text),
            [
                "Roll back:",
                "",
                "  # the pool",
                "  $ kubectl set env deploy/api \\",
                "    POOL=20",
                "  select 1;",
            ]
        );
    }
}
