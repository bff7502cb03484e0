//! Configuration: every invalid fixture's error text (with file:line:col) is
//! snapshotted; valid fixtures load; inheritance merges as SPEC says.

use lint_pr::config::{self, CompiledConfig, ConfigError, Pending, Scope, Source};
use lint_pr::rules::{Facts, Mode, Severity};

/// Load a fixture the way the CLI does: paths relative to the project root,
/// `extends: org` answered with `org` when given.
fn load_fixture(rel: &str, org: Option<&str>) -> Result<CompiledConfig, ConfigError> {
    let root = crate::support::root();
    let text = crate::support::read(&root.join(rel));
    let mut read = |p: &Pending| match p {
        Pending::Org => org.map(|o| crate::support::read(&root.join(o))),
        Pending::File(src) => std::fs::read_to_string(root.join(&src.path)).ok(),
    };
    config::load(Source::new(Scope::Local, rel), &text, &mut read)
}

#[test]
fn invalid_configs_name_file_line_and_column() {
    insta::glob!("../../fixtures/config/invalid", "*.yml", |path| {
        let rel = std::path::Path::new("fixtures/config/invalid").join(path.file_name().unwrap());
        let err = load_fixture(rel.to_str().unwrap(), None)
            .expect_err("an invalid fixture must not load");
        assert!(err.pos.line >= 1 && err.pos.column >= 1);
        insta::assert_snapshot!(err.to_string());
    });
}

#[test]
fn valid_configs_load() {
    insta::glob!("../../fixtures/config/valid", "*.yml", |path| {
        let rel = std::path::Path::new("fixtures/config/valid").join(path.file_name().unwrap());
        let org = Some("fixtures/config/valid/org.yml");
        if let Err(e) = load_fixture(rel.to_str().unwrap(), org) {
            panic!("{e}");
        }
    });
}

#[test]
fn reference_config_sets_what_it_says() {
    let c = load_fixture("fixtures/config/valid/reference.yml", None).unwrap();
    assert_eq!(c.mode, Mode::Enforcing);
    let names: Vec<&str> = c
        .description_sections
        .iter()
        .map(|s| s.matcher.name())
        .collect();
    assert_eq!(
        names,
        [
            "What this does",
            "Why",
            "If something seems wrong after this ships",
            "Ticket"
        ]
    );
    assert_eq!(
        c.rule("pr/unchecked-task").severity,
        Some(Severity::Warning)
    );
    assert_eq!(c.custom.len(), 4);
    assert!(c.is_runbook("docs/runbooks/db/failover.md"));
    assert!(!c.is_runbook("docs/guide.md"));
    // Conditions: broken-reference applies only when runbooks changed, never for bots.
    let runbooks = vec!["runbooks/a.md".to_string()];
    let src = vec!["src/a.rs".to_string()];
    let facts = |paths: &'static [String], author| Facts {
        changed_paths: Some(paths),
        author,
        labels: &[],
    };
    let runbooks: &'static [String] = Box::leak(runbooks.into_boxed_slice());
    let src: &'static [String] = Box::leak(src.into_boxed_slice());
    assert_eq!(
        c.severity_for("runbook/broken-reference", &facts(runbooks, Some("alice"))),
        Some(Severity::Error)
    );
    assert_eq!(
        c.severity_for("runbook/broken-reference", &facts(src, Some("alice"))),
        None
    );
    assert_eq!(
        c.severity_for(
            "runbook/broken-reference",
            &facts(runbooks, Some("dependabot[bot]"))
        ),
        None
    );
    let labels = vec!["skip-lint-pr".to_string()];
    let f = Facts {
        changed_paths: Some(runbooks),
        author: None,
        labels: &labels,
    };
    assert_eq!(c.severity_for("runbook/broken-reference", &f), None);
}

#[test]
fn repo_extends_org_extends_strict() {
    let c = load_fixture(
        "fixtures/config/valid/repo_extends_org.yml",
        Some("fixtures/config/valid/org.yml"),
    )
    .unwrap();
    assert_eq!(
        c.mode,
        Mode::Enforcing,
        "the repository's mode wins over the org's advisory"
    );
    assert_eq!(
        c.rule("pr/unchecked-task").severity,
        Some(Severity::Warning),
        "repo overrides strict's error"
    );
    let names: Vec<&str> = c
        .description_sections
        .iter()
        .map(|s| s.matcher.name())
        .collect();
    assert!(
        !names.contains(&"Ticket"),
        "enabled: false drops the org's section: {names:?}"
    );
    assert!(c.notes.is_empty());

    let org_only = load_fixture("fixtures/config/valid/org.yml", None).unwrap();
    assert_eq!(org_only.mode, Mode::Advisory);
    assert_eq!(
        org_only.rule("pr/unchecked-task").severity,
        Some(Severity::Error),
        "strict turns it on"
    );
    assert!(
        org_only
            .description_sections
            .iter()
            .any(|s| s.matcher.matches("Jira"))
    );
}

#[test]
fn extends_org_without_org_file_uses_recommended_and_says_so() {
    let c = load_fixture("fixtures/config/valid/repo_extends_org.yml", None).unwrap();
    assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
    assert!(c.notes[0].contains("organisation"), "{}", c.notes[0]);
    assert_eq!(
        c.rule("pr/unchecked-task").severity,
        Some(Severity::Warning)
    );
}

#[test]
fn chain_deeper_than_ten_is_an_error_naming_the_chain() {
    let mut read = |p: &Pending| match p {
        Pending::File(src) => {
            let n: u32 = src
                .path
                .trim_start_matches('f')
                .trim_end_matches(".yml")
                .parse()
                .unwrap();
            Some(format!("extends: f{}.yml\n", n + 1))
        }
        Pending::Org => None,
    };
    let err = config::load(
        Source::new(Scope::Local, "f0.yml"),
        "extends: f1.yml\n",
        &mut read,
    )
    .unwrap_err();
    assert!(
        err.message
            .starts_with("`extends` chain deeper than 10: f0.yml extends f1.yml"),
        "{err}"
    );
    assert!(err.message.ends_with("extends f10.yml"), "{err}");
}

#[test]
fn every_rule_is_in_recommended_and_every_preset_rule_exists() {
    let text = config::preset_text("recommended").unwrap();
    for rule in lint_pr::rules::RULES {
        let id = rule.meta().id;
        if id == "config/invalid" {
            continue;
        }
        assert!(
            text.contains(&format!("\n  {id}:")),
            "{id} is not listed (on or off) in rules/recommended.yml"
        );
        let sev = config::recommended()
            .rule(id)
            .severity
            .map_or("off", |s| s.as_str());
        assert_eq!(
            sev,
            rule.meta().default_severity.as_str(),
            "{id}: declared default differs from recommended.yml"
        );
    }
}

/// `drafts:` and `runbook.kinds` (issue 11): defaults, values, and merging by glob
/// with the first match winning and the later file's entries first.
#[test]
fn drafts_and_runbook_kinds() {
    use lint_pr::rules::runbook::RunbookKind;
    use lint_pr::types::Drafts;
    let load_str = |text: &str| {
        config::load(Source::new(Scope::Local, "lint-pr.yml"), text, &mut |_| {
            None
        })
        .unwrap()
    };
    let recommended = config::recommended();
    assert_eq!(recommended.drafts, Drafts::Neutral);
    assert_eq!(
        recommended.runbook_kind("docs/runbooks/procedures/rotate-keys.md"),
        Some(RunbookKind::Procedure),
        "a procedures folder is not asked for triage by default"
    );
    assert_eq!(recommended.runbook_kind("runbooks/disk-full.md"), None);
    // A troubleshooting folder inside a how-to folder (Diátaxis sites file
    // troubleshooting guides as how-tos) is judged by its pages' content.
    assert_eq!(
        recommended.runbook_kind("docs/howto/troubleshoot/prometheus.md"),
        None
    );
    assert_eq!(
        recommended.runbook_kind("docs/how-to/troubleshooting/logs/errors.md"),
        None
    );
    assert_eq!(
        recommended.runbook_kind("docs/howto/manage-alerts/index.md"),
        Some(RunbookKind::Procedure)
    );

    let c = load_str(
        "drafts: lint\nrunbook:\n  kinds:\n    \"runbooks/alerts/**\": alert\n    \"runbooks/**/procedures/**\": auto\n    \"runbooks/**\": reference\n",
    );
    assert_eq!(c.drafts, Drafts::Lint);
    assert_eq!(
        c.runbook_kind("runbooks/alerts/KubePodCrashLooping.md"),
        Some(RunbookKind::Alert)
    );
    assert_eq!(
        c.runbook_kind("runbooks/db/failover.md"),
        Some(RunbookKind::Reference)
    );
    // `auto` for a glob the preset names (or any) hands the page back to its content.
    assert_eq!(c.runbook_kind("runbooks/db/procedures/backup.md"), None);
    // Inherited globs stay after the file's own.
    assert_eq!(
        c.runbook_kind("docs/how-to/x.md"),
        Some(RunbookKind::Procedure)
    );
    let c = load_str("runbook:\n  kinds:\n    \"**/procedures/**\": auto\n");
    assert_eq!(
        c.runbook_kind("a/procedures/b.md"),
        None,
        "a repository can undo a preset's glob"
    );
}
