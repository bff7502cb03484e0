//! `lint-pr rules` and `lint-pr explain RULE`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Result, bail};

use super::{ExitStatus, load, print};
use crate::config::CompiledConfig;
use crate::markdown::HeadingMatcher;
use crate::rules::options::OptionKind;
use crate::rules::{RULES, RuleMeta};
use crate::suggest::did_you_mean;

pub(crate) fn rules() -> Result<ExitStatus> {
    let width = RULES.iter().map(|r| r.meta().id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in RULES {
        let m = r.meta();
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            m.id,
            m.default_severity.as_str(),
            m.summary
        ));
    }
    print(&out)?;
    Ok(ExitStatus::Success)
}

/// The rule's documentation, then the headings it accepts under the configuration
/// in effect (`--config`, else the one `check` would find, else the recommended
/// preset).
pub(crate) fn explain(id: &str, config: Option<&Path>, org: Option<&Path>) -> Result<ExitStatus> {
    let Some(rule) = crate::rules::find(id) else {
        bail!("{}", unknown_rule(id));
    };
    let m = rule.meta();
    let mut out = format!(
        "# {}\n\n{}\n\nDefault severity: {}\n\n{}",
        m.id,
        m.summary,
        m.default_severity.as_str(),
        m.documentation()
    );
    let cwd = std::env::current_dir()?;
    let root = super::git::root(&cwd);
    let source = match config
        .map(Path::to_path_buf)
        .or_else(|| load::discover(&cwd, root.as_deref()))
    {
        Some(path) => format!("`{}`", path.strip_prefix(&cwd).unwrap_or(&path).display()),
        None => "the recommended preset (`rules/recommended.yml`; no `.github/lint-pr.yml` found)"
            .to_string(),
    };
    match load::load(config, org, &cwd, root.as_deref()) {
        Ok(Ok(config)) => out.push_str(&accepted_names(m, &config, source)),
        Ok(Err(invalid)) => {
            let _ = writeln!(
                out,
                "\n(The accepted headings are not listed: the configuration is invalid: {}.)",
                invalid.error
            );
        }
        Err(e) => {
            let _ = writeln!(out, "\n(The accepted headings are not listed: {e:#}.)");
        }
    }
    print(&out)?;
    Ok(ExitStatus::Success)
}

/// "unknown rule" with the nearest id: by edit distance on the whole id, else on
/// the part after the family (`triage-first` → `runbook/triage-first`).
pub(crate) fn unknown_rule(id: &str) -> String {
    let ids = RULES.iter().map(|r| r.meta().id);
    let close = did_you_mean(id, ids.clone()).or_else(|| {
        let wanted = id.rsplit('/').next().unwrap_or(id);
        let short = did_you_mean(
            wanted,
            ids.clone().map(|i| i.rsplit('/').next().unwrap_or(i)),
        )?;
        ids.clone().find(|i| i.ends_with(&format!("/{short}")))
    });
    match close {
        Some(c) => {
            format!("unknown rule \"{id}\"; did you mean \"{c}\"? (`lint-pr rules` lists them)")
        }
        None => format!("unknown rule \"{id}\"; `lint-pr rules` lists them"),
    }
}

/// `## Accepted names`: for each headings option of the rule, and for the required
/// sections a section rule checks, every name it accepts as configured.
pub(crate) fn accepted_names(meta: &RuleMeta, config: &CompiledConfig, source: String) -> String {
    let mut lists: Vec<(String, &HeadingMatcher)> = Vec::new();
    // The rules that check the configured required sections.
    let sections = match meta.id {
        "pr/required-section" | "pr/empty-section" => {
            Some(("description.sections", &config.description_sections))
        }
        "runbook/required-section" => Some(("runbook.sections", &config.runbook_sections)),
        _ => None,
    };
    if let Some((key, sections)) = sections {
        for s in sections {
            lists.push((
                format!("required section \"{}\" (`{key}`)", s.matcher.name()),
                &s.matcher,
            ));
        }
    }
    let options = &config.rule(meta.id).options;
    for decl in meta
        .options
        .iter()
        .filter(|d| d.kind == OptionKind::Headings)
    {
        let matcher = crate::rules::options::Headings(*decl).get(options);
        lists.push((format!("`{}`: {}", decl.name, decl.doc), matcher));
    }
    if lists.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "\n## Accepted names\nFrom {source}. Headings match at any level, ignoring case, punctuation and emoji, and when they begin with one of these names as whole words.\n"
    );
    for (what, matcher) in lists {
        let _ = writeln!(out, "\n{what}:");
        if matcher.written().is_empty() {
            out.push_str("  (none configured)\n");
        }
        for name in matcher.written() {
            let _ = writeln!(out, "  - {name}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_rules_suggest_the_nearest_id() {
        assert!(
            unknown_rule("runbook/triage-frist").contains("did you mean \"runbook/triage-first\"")
        );
        assert!(unknown_rule("triage-first").contains("did you mean \"runbook/triage-first\""));
        assert!(unknown_rule("pr/requried-section").contains("\"pr/required-section\""));
        assert!(!unknown_rule("zzzz").contains("did you mean"));
    }

    #[test]
    fn required_sections_and_headings_options_are_listed_with_their_aliases() {
        let config = crate::config::recommended();
        let rule = crate::rules::find("pr/required-section").unwrap();
        let text = accepted_names(rule.meta(), &config, "rules/recommended.yml".into());
        assert!(
            text.contains(
                "required section \"Why\" (`description.sections`):\n  - Why\n  - Motivation\n"
            ),
            "{text}"
        );
        assert!(text.contains("  - Rollback plan\n"), "{text}");
        let triage = crate::rules::find("runbook/triage-first").unwrap();
        let text = accepted_names(triage.meta(), &config, "x".into());
        assert!(text.contains("`names`:"), "{text}");
        assert!(
            text.contains("  - If you're not sure what's wrong, start here\n"),
            "{text}"
        );
        assert!(
            text.contains("`diagnosis`:") && text.contains("  - Troubleshooting\n"),
            "{text}"
        );
        let unchecked = crate::rules::find("pr/unchecked-task").unwrap();
        assert_eq!(accepted_names(unchecked.meta(), &config, "x".into()), "");
    }
}
