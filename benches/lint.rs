//! Lint throughput and scaling (issue 3): `cargo bench --bench lint`.
//!
//! - `corpus`: the 948 real runbooks of `fixtures/corpus/runbooks` (about 4 MB),
//!   linted with the recommended preset (`lint`), turned into the markdown model only
//!   (`model`), and run through pulldown-cmark alone with the same options
//!   (`parse_only`). Divan prints MB/s for each; before the divan table, `main`
//!   prints the lint / parse-only ratio (budget: within 10% of the 1.44–1.46 measured
//!   before issue #11, so at most 1.6), then where the time
//!   above the model goes: a run with no rule, and each runbook rule alone.
//! - `scaling`: generated documents of 1, 10 and 100 MB in four shapes (realistic
//!   runbook text, deep nesting, one huge line, many headings). Time per MB must not
//!   grow with size; `main` measures the curve once and fails the run if the
//!   100 MB time per byte is more than 3× the 1 MB one.
//!
//! Set `LINT_PR_BENCH_MAX_MB=10` to skip the 100 MB points (quick runs), and
//! `LINT_PR_BENCH_NO_ASSERT=1` to go on to divan's table despite a non-linear curve.
//! Divan's `scaling` group times the shapes that are linear today; `broken_refs`
//! is only in `main`'s check, which skips a size predicted to take over a minute.
// The 80-line limit is for the product's functions (clippy.toml); a benchmark
// reads top to bottom as one measurement.
#![allow(clippy::too_many_lines)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use divan::Bencher;
use divan::counter::BytesCount;
use lint_pr::config::{self, CompiledConfig};
use lint_pr::lint::{self, Inputs, RunbookInput};
use lint_pr::markdown::{Document, NoFiles, normalize};
use lint_pr::rules::Facts;
use pulldown_cmark::{Options, Parser};

const MB: usize = 1 << 20;

/// The longest one scaling point may take in `main`'s check.
const BUDGET: Duration = Duration::from_secs(60);

/// The same options as `src/markdown/parse.rs` (`parse::options()`, which is private).
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES
}

// ---------------------------------------------------------------------------
// Inputs

/// `(path, text)` of every corpus runbook, sorted by path.
fn corpus() -> &'static [(String, String)] {
    static CORPUS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus/runbooks");
        let mut files = Vec::new();
        walk(&dir, &mut files);
        files.sort();
        assert!(!files.is_empty(), "no runbooks under {}", dir.display());
        files
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                (
                    p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned(),
                    text,
                )
            })
            .collect()
    })
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

fn corpus_bytes() -> usize {
    corpus().iter().map(|(_, t)| t.len()).sum()
}

fn recommended() -> &'static CompiledConfig {
    static CONFIG: OnceLock<CompiledConfig> = OnceLock::new();
    CONFIG.get_or_init(config::recommended)
}

/// The document shapes of the scaling benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Corpus runbooks concatenated, over and over: realistic text in one big file.
    Runbooks,
    /// Blocks of 1,000 nested list levels, 1,000 nested quotes, and `- - - …` ladders.
    DeepNesting,
    /// One line, no line break: words, code spans, links, emphasis.
    OneLine,
    /// Headings of every level with anchor links between them (100,000 per ~2.5 MB).
    Headings,
    /// Headings, links to anchors that do not exist and `see "…"` to sections that do
    /// not exist: what makes `runbook/broken-reference` search for a suggestion.
    BrokenRefs,
    /// One line of `see "…"` to a section that does not exist and "ensure …": a
    /// finding every few bytes of one line (each finding once copied its whole
    /// line into the report: 4 MB took 72 s and a 1 MB step 24 GB).
    FindingsOnOneLine,
}

const SHAPES: [Shape; 6] = [
    Shape::Runbooks,
    Shape::DeepNesting,
    Shape::OneLine,
    Shape::Headings,
    Shape::BrokenRefs,
    Shape::FindingsOnOneLine,
];

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Shape::Runbooks => "runbooks",
            Shape::DeepNesting => "deep_nesting",
            Shape::OneLine => "one_line",
            Shape::Headings => "headings",
            Shape::BrokenRefs => "broken_refs",
            Shape::FindingsOnOneLine => "findings_line",
        })
    }
}

/// A repeating unit of `shape`; documents are units repeated up to a size.
fn unit(shape: Shape) -> String {
    match shape {
        Shape::Runbooks => corpus()
            .iter()
            .map(|(_, t)| t.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
        Shape::DeepNesting => {
            let mut s = String::new();
            for depth in 0..1_000 {
                s.push_str(&" ".repeat(depth * 2));
                s.push_str("- step `kubectl get pods`, if it shows `CrashLoop` see \"Triage\"\n");
            }
            s.push('\n');
            s.push_str(&">".repeat(1_000));
            s.push_str(" quoted **Why:**\n\n");
            s.push_str(&"- ".repeat(1_000));
            s.push_str("ladder\n\n");
            s.push_str(&"> - 1. ".repeat(300));
            s.push_str("mixed\n\n");
            s
        }
        Shape::OneLine => {
            "run `kubectl get pods -n app` and [the docs](https://x.io/a) **now** _or_ é日 5% "
                .into()
        }
        Shape::Headings => {
            let mut s = String::new();
            for i in 0..100_000 {
                s.push_str(&"#".repeat(i % 6 + 1));
                s.push_str(&format!(" Usage {}\n[x](#usage-{})\n", i % 13, i % 13));
            }
            s
        }
        Shape::FindingsOnOneLine => "if it fails see \"Nowhere\", ensure the pod is up ".into(),
        Shape::BrokenRefs => {
            let mut s = String::new();
            for i in 0..50 {
                s.push_str(&format!(
                    "## Step {i}\n\nIf it fails, see \"Nowhere {i}\". [x](#nope-{i})\n\n"
                ));
            }
            s
        }
    }
}

/// Generated documents by shape and size, leaked: they live as long as the process.
type DocCache = std::sync::Mutex<Vec<((Shape, usize), &'static str)>>;

/// A document of about `mb` MiB in `shape`, built once per (shape, size).
fn document(shape: Shape, kb: usize) -> &'static str {
    static CACHE: OnceLock<DocCache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap();
    if let Some((_, s)) = cache.iter().find(|(k, _)| *k == (shape, kb)) {
        return s;
    }
    let unit = unit(shape);
    let size = kb << 10;
    let mut s = String::with_capacity(size + unit.len());
    while s.len() < size {
        s.push_str(&unit);
        if !matches!(shape, Shape::OneLine | Shape::FindingsOnOneLine) {
            s.push('\n');
        }
    }
    // Cut at a char boundary so that sizes are exact (a unit can be bigger than the
    // smallest size: the whole corpus is 4 MB).
    let mut end = size.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    let s: &'static str = Box::leak(s.into_boxed_str());
    cache.push(((shape, kb), s));
    s
}

// ---------------------------------------------------------------------------
// What is timed

/// Lint `runbooks` as the CLI's `lint-pr runbook` does (minus IO).
fn lint_runbooks(runbooks: &[RunbookInput<'_>]) -> usize {
    lint_with(runbooks, recommended())
}

fn lint_with(runbooks: &[RunbookInput<'_>], config: &CompiledConfig) -> usize {
    let inputs = Inputs {
        title: None,
        description: None,
        facts: Facts::default(),
        runbooks,
        files: &NoFiles,
    };
    lint::run(&inputs, config).findings().len()
}

fn lint_one(text: &str) -> usize {
    lint_runbooks(&[RunbookInput {
        path: "runbooks/big.md",
        text,
    }])
}

/// pulldown-cmark's event stream with offsets, consumed: the floor for any linter
/// built on it.
fn parse_only(text: &str) -> usize {
    Parser::new_ext(text, options())
        .into_offset_iter()
        .map(|(_, r)| r.end)
        .fold(0, usize::wrapping_add)
}

/// The markdown model alone (normalise + parse into headings, sections, blocks).
fn model_only(text: &str) -> usize {
    let text = normalize(text);
    let doc = Document::parse(&text);
    doc.headings.len() + doc.list_items.len() + doc.sections.len()
}

fn corpus_inputs() -> Vec<RunbookInput<'static>> {
    corpus()
        .iter()
        .map(|(p, t)| RunbookInput { path: p, text: t })
        .collect()
}

// ---------------------------------------------------------------------------
// Divan benchmarks

#[divan::bench_group(sample_count = 20)]
mod corpus_runbooks {
    use super::*;

    #[divan::bench]
    fn lint(b: Bencher<'_, '_>) {
        let inputs = corpus_inputs();
        b.counter(BytesCount::new(corpus_bytes()))
            .bench(|| lint_runbooks(black_box(&inputs)));
    }

    #[divan::bench]
    fn model(b: Bencher<'_, '_>) {
        b.counter(BytesCount::new(corpus_bytes())).bench(|| {
            corpus()
                .iter()
                .map(|(_, t)| model_only(black_box(t)))
                .sum::<usize>()
        });
    }

    #[divan::bench]
    fn parse_only(b: Bencher<'_, '_>) {
        b.counter(BytesCount::new(corpus_bytes())).bench(|| {
            corpus()
                .iter()
                .map(|(_, t)| super::parse_only(black_box(t)))
                .sum::<usize>()
        });
    }
}

fn sizes() -> Vec<usize> {
    let max = std::env::var("LINT_PR_BENCH_MAX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    [1, 10, 100].into_iter().filter(|&mb| mb <= max).collect()
}

#[divan::bench_group(sample_count = 2, sample_size = 1)]
mod scaling {
    use super::*;

    fn bench(b: Bencher<'_, '_>, shape: Shape, mb: usize, f: fn(&str) -> usize) {
        let doc = document(shape, mb << 10);
        b.counter(BytesCount::new(doc.len()))
            .bench(|| f(black_box(doc)));
    }

    #[divan::bench(args = sizes())]
    fn lint_runbooks(b: Bencher<'_, '_>, mb: usize) {
        bench(b, Shape::Runbooks, mb, lint_one);
    }

    #[divan::bench(args = sizes())]
    fn lint_deep_nesting(b: Bencher<'_, '_>, mb: usize) {
        bench(b, Shape::DeepNesting, mb, lint_one);
    }

    #[divan::bench(args = sizes())]
    fn lint_one_line(b: Bencher<'_, '_>, mb: usize) {
        bench(b, Shape::OneLine, mb, lint_one);
    }

    #[divan::bench(args = sizes())]
    fn lint_headings(b: Bencher<'_, '_>, mb: usize) {
        bench(b, Shape::Headings, mb, lint_one);
    }

    #[divan::bench(args = sizes())]
    fn parse_only_runbooks(b: Bencher<'_, '_>, mb: usize) {
        bench(b, Shape::Runbooks, mb, super::parse_only);
    }
}

// ---------------------------------------------------------------------------
// The numbers the issue asks for, measured directly and checked.

/// Best of `n` runs of `f`.
fn best_of(n: usize, mut f: impl FnMut() -> usize) -> Duration {
    (0..n)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / MB as f64 / d.as_secs_f64().max(1e-9)
}

/// Skipped when divan is only listing benchmarks or running a filtered subset.
fn report_and_check() {
    // Divan's options that take a value; anything else not starting with `-` is a filter.
    const VALUED: &[&str] = &[
        "--sample-count",
        "--sample-size",
        "--min-time",
        "--max-time",
        "--timer",
        "--color",
        "--bytes-format",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filtered = args
        .iter()
        .enumerate()
        .any(|(i, a)| !a.starts_with('-') && (i == 0 || !VALUED.contains(&args[i - 1].as_str())));
    if filtered || args.iter().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let inputs = corpus_inputs();
    let bytes = corpus_bytes();
    // Interleaved rounds, best of each: a machine that speeds up or slows down
    // during the measurement (a shared VM does) moves all three alike, so the
    // ratio does not depend on which pass happened to run in the quiet moment.
    // 40 rounds (about 2.5 s): with 15, one pass's best sometimes still came from a
    // busy moment on this 2-core VM, and the ratio read from 1.44 to 1.51 for the
    // same build; each best converges on the pass's quiet-machine time.
    let (mut lint, mut model, mut parse) = (Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..40 {
        lint = lint.min(best_of(1, || lint_runbooks(&inputs)));
        model = model.min(best_of(1, || {
            corpus().iter().map(|(_, t)| model_only(t)).sum()
        }));
        parse = parse.min(best_of(1, || {
            corpus().iter().map(|(_, t)| parse_only(t)).sum()
        }));
    }
    let ratio = lint.as_secs_f64() / parse.as_secs_f64();
    println!(
        "corpus: {} runbooks, {:.2} MB",
        inputs.len(),
        bytes as f64 / MB as f64
    );
    println!(
        "  lint        {:>8.2?}  {:>7.1} MB/s",
        lint,
        mb_per_s(bytes, lint)
    );
    println!(
        "  model only  {:>8.2?}  {:>7.1} MB/s",
        model,
        mb_per_s(bytes, model)
    );
    println!(
        "  parse only  {:>8.2?}  {:>7.1} MB/s",
        parse,
        mb_per_s(bytes, parse)
    );
    println!("  lint / parse-only = {ratio:.2} (budget <= 1.6)");
    // Where the time above the model goes: each runbook rule alone, minus a run with
    // no rule at all (normalise, model, report).
    let none = recommended().clone().only_rule("config/invalid");
    let floor = best_of(10, || lint_with(&inputs, &none));
    println!("  no rules    {floor:>8.2?}  (model + report)");
    for rule in lint_pr::rules::RULES {
        let meta = rule.meta();
        if meta.applies_to != lint_pr::rules::AppliesTo::Runbook {
            continue;
        }
        let only = recommended().clone().only_rule(meta.id);
        let t = best_of(10, || lint_with(&inputs, &only));
        println!("    + {:<36} {:>6.2?}", meta.id, t.saturating_sub(floor));
    }

    println!("scaling (lint, best of 2; time per MB must stay flat):");
    let mut failures = Vec::new();
    for shape in SHAPES {
        let mut per_byte: Vec<f64> = Vec::new();
        let mut last = Duration::ZERO;
        let kbs: Vec<usize> = sizes().iter().map(|mb| mb << 10).collect();
        for kb in kbs {
            let size = if kb >= 1024 {
                format!("{:>4} MB", kb >> 10)
            } else {
                format!("{kb:>4} KB")
            };
            let doc = document(shape, kb);
            // A size predicted (linearly, from the last one) to take over a minute
            // is skipped: the curve is already non-linear.
            if last * 10 > BUDGET {
                println!("  {shape:<13} {size}  skipped: over {BUDGET:?} at the rate so far");
                failures.push(format!("{shape}: too slow to try {size}"));
                break;
            }
            last = best_of(if kb >= 100 << 10 { 1 } else { 2 }, || lint_one(doc));
            let rate = mb_per_s(doc.len(), last);
            println!("  {shape:<13} {size}  {last:>10.2?}  {rate:>7.1} MB/s");
            per_byte.push(last.as_secs_f64() / doc.len() as f64);
        }
        if let (Some(first), Some(worst)) =
            (per_byte.first(), per_byte.iter().copied().reduce(f64::max))
            && worst > first * 3.0
        {
            failures.push(format!(
                "{shape}: {:.1}x slower per byte at a larger size",
                worst / first
            ));
        }
    }
    let strict = std::env::var_os("LINT_PR_BENCH_NO_ASSERT").is_none();
    if !failures.is_empty() {
        println!("NOT LINEAR: {failures:?}");
        assert!(
            !strict,
            "time is not linear in input size: {failures:?} (LINT_PR_BENCH_NO_ASSERT=1 to go on)"
        );
    }
}

fn main() {
    report_and_check();
    divan::main();
}
