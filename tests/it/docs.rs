//! Generated documentation stays in step with the code: `docs/rules.md` and the
//! README's rule table come from each rule's doc comment. A stale file
//! is rewritten and the test fails, so `cargo test` twice locally fixes it and CI
//! (which never rewrites before comparing) catches a forgotten commit.

use lint_pr::rules::RULES;

fn rules_md() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rules' doc comments by tests/it/docs.rs; do not edit. -->\n\n",
    );
    out.push_str(&table());
    for rule in RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "\n## `{}`\n\n{}\n\nDefault severity (recommended preset): **{}**.\n\n",
            m.id,
            m.summary,
            m.default_severity.as_str()
        ));
        // Demote the rule's own `##` headings one level under its `##` title.
        for line in m.documentation().lines() {
            if line.starts_with("## ") {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn table() -> String {
    let mut t = String::from("| rule | default | fires when |\n| --- | --- | --- |\n");
    for rule in RULES {
        let m = rule.meta();
        t.push_str(&format!(
            "| `{}` | {} | {} |\n",
            m.id,
            m.default_severity.as_str(),
            m.summary.replace('|', "\\|")
        ));
    }
    t
}

/// Write `want` to `path` if it differs, and fail saying so.
fn ensure(path: &std::path::Path, want: &str) {
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have != want {
        std::fs::write(path, want).unwrap();
        panic!(
            "{} was stale and has been regenerated; review and commit it",
            path.display()
        );
    }
}

#[test]
fn rules_md_is_fresh() {
    ensure(&crate::support::root().join("docs/rules.md"), &rules_md());
}

#[test]
fn readme_rule_table_is_fresh() {
    let path = crate::support::root().join("README.md");
    let readme = crate::support::read(&path);
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md lacks the {start:?} … {end:?} markers");
    };
    let want = format!("{}{start}{}{}", &readme[..a], table(), &readme[b..]);
    ensure(&path, &want);
}

#[test]
fn readme_config_reference_is_the_tested_file() {
    let readme = crate::support::read(&crate::support::root().join("README.md"));
    let reference =
        crate::support::read(&crate::support::root().join("fixtures/config/valid/reference.yml"));
    assert!(
        readme.contains(&format!("```yaml\n{reference}```")),
        "README's configuration reference must be fixtures/config/valid/reference.yml verbatim (that file is tested to load)"
    );
}

/// Dogfood: our own PR template and runbook pass our recommended rules.
#[test]
fn own_template_and_runbook_pass_recommended() {
    use lint_pr::lint::{self, Inputs, RunbookInput};
    use lint_pr::markdown::NoFiles;
    use lint_pr::rules::Facts;
    let root = crate::support::root();
    let template = crate::support::read(&root.join(".github/pull_request_template.md"));
    let runbook = crate::support::read(&root.join("docs/runbook.md"));
    let changed = vec!["src/lib.rs".to_string()];
    let runbooks = [RunbookInput {
        path: "docs/runbook.md",
        text: &runbook,
    }];
    let inputs = Inputs {
        title: None,
        description: Some(&template),
        facts: Facts {
            changed_paths: Some(&changed),
            author: None,
            labels: &[],
        },
        runbooks: &runbooks,
        files: &NoFiles,
    };
    let report = lint::run(&inputs, &lint_pr::config::recommended());
    let text = lint_pr::report::render(&report, lint_pr::report::Format::Human, Default::default());
    assert!(report.findings().is_empty(), "{text}");
}
