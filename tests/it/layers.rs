//! The layering ARCHITECTURE.md promises, checked on the source: `types` imports
//! nothing from the crate, and `rules` never imports `config` (the direction is
//! rule → options → config), so a rule's options live in the rule's own file.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(rel)
}

#[test]
fn rules_never_import_config() {
    let mut files = Vec::new();
    rust_files(&src("rules"), &mut files);
    assert!(files.len() > 10, "expected the rule files under src/rules");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            assert!(
                !line.contains("crate::config"),
                "{}:{}: src/rules/ may not import crate::config: {line}",
                file.display(),
                n + 1
            );
        }
    }
}

#[test]
fn types_import_nothing_from_the_crate() {
    let text = std::fs::read_to_string(src("types.rs")).unwrap();
    for (n, line) in text.lines().enumerate() {
        assert!(
            !line.contains("crate::") && !line.trim_start().starts_with("use super"),
            "src/types.rs:{}: the shared types may not depend on the crate: {line}",
            n + 1
        );
    }
}

#[test]
fn every_declared_option_is_documented_and_unique_per_rule() {
    for rule in lint_pr::rules::RULES {
        let meta = rule.meta();
        let mut names: Vec<&str> = meta.options.iter().map(|o| o.name).collect();
        for o in meta.options {
            assert!(
                !o.doc.is_empty(),
                "{}: option {} has no doc",
                meta.id,
                o.name
            );
            assert!(
                meta.documentation().contains(&format!("`{}`", o.name)),
                "{}: its `## Options` docs do not mention `{}`",
                meta.id,
                o.name
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            meta.options.len(),
            "{}: duplicate option",
            meta.id
        );
    }
}
