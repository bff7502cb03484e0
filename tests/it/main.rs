//! The one integration-test binary (STYLE 40): modules share `support/`.
//! Each module owns its own fixtures; see the module headers.

mod cli;
mod config;
mod corpus;
mod docs;
mod formats;
mod props;
mod rules;
mod support;
