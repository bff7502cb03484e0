//! The GitHub REST client: the ONLY module that imports octocrab, so its types and
//! its upgrades touch nothing else.
//!
//! Owns: App JWT → installation tokens (cached per installation until shortly before
//! they expire), the one retry layer (`retry.rs`), and narrow calls returning our own
//! structs: the PR ([`PullRequest`]), its changed files, file contents at a ref,
//! check runs (created, then updated in batches of 50 annotations), and the App's
//! webhook deliveries (listed, redelivered; App JWT). The CLI's
//! `lint-pr changes` reads PRs with a [`TokenClient`] (`GITHUB_TOKEN`).
//! Never does: decide what to lint or what a finding means (that is `jobs`).
//!
//! Start reading at [`GitHub::request`]: every call goes through it, so status
//! mapping, retries, token refresh and metrics live in one place.
//!
//! octocrab caveats handled here:
//! - its retry is compiled out (no `retry` feature), so [`retry`] is the only layer;
//! - App-auth requests to absolute URLs on a non-api.github.com host lose their
//!   `Authorization` header, so each installation gets its own client built with
//!   `.personal_token(installation_token)`, and next-page links are made relative
//!   (<https://github.com/XAMPPRocky/octocrab/issues/738>);
//! - webhook payload types are not used (private fields, no catch-all actions).

mod checks;
mod client;
mod contents;
mod deliveries;
mod error;
mod pulls;
pub mod retry;
mod token;

pub use checks::{CheckRunId, Publish, external_id_for_pr};
pub use client::{GitHub, Settings};
pub use contents::{Fetched, FileAt, Unreadable};
pub use deliveries::{DeliveryAttempt, DeliveryPage, PageCursor};
pub use error::Error;
pub use pulls::{ChangedFile, ChangedFiles, PullRequest};
pub use token::TokenClient;
