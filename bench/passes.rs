//! One pass over the runbook corpus, repeated: `parse` (pulldown-cmark events with
//! offsets, the floor), `model` (normalise + `markdown::Document`), or `lint`
//! (`lint::run` with the recommended preset, as `benches/lint.rs` times it).
//!
//! ```text
//! cargo run --release --example passes -- lint 20    # prints the time per pass
//! bench/instructions.sh                              # instructions per pass, via callgrind
//! ```
//!
//! Time on a shared 2-core VM moves by ±5% from run to run; instruction counts do
//! not, so `instructions.sh` is how to tell whether a change to the model or a rule
//! helped. It is a proxy: the issue's target is time (`cargo bench --bench lint`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use lint_pr::lint::{self, Inputs, RunbookInput};
use lint_pr::markdown::{Document, NoFiles, normalize};
use lint_pr::rules::Facts;
use pulldown_cmark::{Options, Parser};

fn main() {
    let mut args = std::env::args().skip(1);
    let pass = args.next().unwrap_or_else(|| "lint".into());
    let repeat: u32 = args.next().map_or(10, |n| n.parse().expect("repeat count"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/runbooks");
    let mut paths = Vec::new();
    walk(&dir, &mut paths);
    paths.sort();
    let texts: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    let config = lint_pr::config::recommended();
    let start = Instant::now();
    let mut sink = 0usize;
    for _ in 0..repeat {
        sink = sink.wrapping_add(match pass.as_str() {
            "parse" => texts
                .iter()
                .map(|(_, t)| {
                    Parser::new_ext(t, options())
                        .into_offset_iter()
                        .map(|(_, r)| r.end)
                        .fold(0, usize::wrapping_add)
                })
                .fold(0, usize::wrapping_add),
            "model" => texts
                .iter()
                .map(|(_, t)| {
                    let t = normalize(t);
                    let doc = Document::parse(&t);
                    doc.headings.len() + doc.list_items.len()
                })
                .sum(),
            "lint" => {
                let runbooks: Vec<RunbookInput<'_>> = texts
                    .iter()
                    .map(|(p, t)| RunbookInput { path: p, text: t })
                    .collect();
                let inputs = Inputs {
                    title: None,
                    description: None,
                    facts: Facts::default(),
                    runbooks: &runbooks,
                    files: &NoFiles,
                };
                lint::run(&inputs, &config).findings().len()
            }
            other => panic!("unknown pass {other:?}: parse, model or lint"),
        });
    }
    let per = start.elapsed() / repeat.max(1);
    println!(
        "{pass}: {} files, {per:.2?} per pass (checksum {sink})",
        texts.len()
    );
}

/// The same options as `src/markdown/parse.rs`.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            walk(&p, out);
        } else if name.ends_with(".md") || name.ends_with(".md.erb") {
            out.push(p);
        }
    }
}
