//! Background work: what a verified delivery means ([`Event`]), the durable queue
//! ([`Store`]) and the workers that lint PRs and post check runs ([`worker`]).
//!
//! Owns: classifying deliveries (one `match` in `event.rs`, one file per event in
//! `handle/`), durability, deduplication by delivery id, coalescing per PR, the lint
//! pipeline (`lint.rs`). Never does: answer HTTP (that is `server`) or build
//! GitHub requests itself (that is `github`).
//!
//! Start reading at `worker::run`, then `lint::lint_pr`.

pub mod event;
mod handle;
pub mod lint;
pub mod store;
pub mod worker;

pub use event::{Event, Filters, Job, LintJob};
pub use store::Store;
