//! Background work: what a verified webhook delivery means ([`Event`]), the durable
//! queue ([`Store`]) and the workers that lint PRs and post check runs ([`worker`]).
//!
//! Owns: classifying deliveries (one `match` in `webhook_event/mod.rs`, one file
//! per event beside it), durability, deduplication by delivery id, coalescing per
//! PR, the App's lint pipeline (`pipeline.rs`), asking GitHub to redeliver
//! deliveries that never reached us (`redelivery.rs`), and deleting finished jobs
//! past their retention (`retention.rs`). Never does: answer HTTP (that is
//! `server`) or build GitHub requests itself (that is `github`).
//!
//! Start reading at `worker::run`, then `pipeline::lint_pr`.

pub mod pipeline;
pub mod redelivery;
pub mod retention;
pub mod store;
pub mod webhook_event;
pub mod worker;

pub use store::Store;
pub use webhook_event::{Event, Filters, Job, LintJob};

/// `work`, unless `shutdown` turns true (or its sender is dropped) first: then
/// `None`, and `work` is dropped where it stands. The background loops
/// (`redelivery::run`, `retention::run`) run each pass and each wait through it.
pub(crate) async fn unless_stopped<F: std::future::Future>(
    work: F,
    shutdown: &mut tokio::sync::watch::Receiver<bool>,
) -> Option<F::Output> {
    if *shutdown.borrow() {
        return None;
    }
    tokio::pin!(work);
    loop {
        tokio::select! {
            out = &mut work => return Some(out),
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    return None;
                }
            }
        }
    }
}
