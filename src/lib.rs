//! lint-pr: lints pull-request descriptions and runbooks for the engineer who
//! debugs the change at 3am.
//!
//! # Layout
//! - [`types`]: the vocabulary every layer shares (findings, severities, modes);
//!   imports nothing from the crate.
//! - [`markdown`]: one parse of a document into headings, sections and blocks.
//! - [`rules`]: the built-in rules ([`rules::RULES`]) and YAML-declared ones.
//! - [`config`]: `.github/lint-pr.yml` and presets → [`config::CompiledConfig`].
//! - [`lint`]: [`lint::run`], the one entry point the CLI and the server share.
//! - [`report`]: positions and output formats (human, json, sarif, github).
//! - [`cli`]: the `lint-pr` command line, the IO shell around all of the above.
//! - [`server`]: `lint-pr serve`'s HTTP side (webhook, health, metrics).
//! - [`jobs`]: the durable queue and the workers that lint PRs for the App.
//! - [`github`]: the GitHub REST client (the only module that knows octocrab).
//! - [`telemetry`]: logging setup and the log field names.
//!
//! `markdown`, `rules`, `config`, `lint` and `report` do no IO. ARCHITECTURE.md
//! has the map.

pub mod cli;
pub mod config;
pub mod github;
mod gitignore;
pub mod jobs;
pub mod lint;
pub mod markdown;
pub mod report;
pub mod rules;
pub mod server;
mod suggest;
pub mod telemetry;
pub mod types;
