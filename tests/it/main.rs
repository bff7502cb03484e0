//! The one integration-test binary: modules share `support/`.
//! Each module owns its own fixtures; see the module headers.
// A panic in a test is a failing test, not a crash on user input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// The 80-line limit is for the product's functions (clippy.toml); a test reads
// top to bottom as one scenario.
#![allow(clippy::too_many_lines)]

mod changes;
mod cli;
mod config;
mod corpus;
mod docs;
mod e2e;
mod formats;
mod github;
mod layers;
mod packaging;
mod props;
mod queue;
mod queue_process;
mod redelivery;
mod rules;
mod schema;
mod server;
mod support;
