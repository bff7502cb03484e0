//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The project's root (where Cargo.toml is).
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The test data the repository carries: `fixtures/` (`examples/`, `corpus/`,
/// `github/`), copied from the steering repository's `shared/` with their licences
/// (see each folder's README), so a clone with nothing beside it passes.
pub(crate) fn fixtures() -> PathBuf {
    root().join("fixtures")
}

/// Read a file as text, with the path in the panic message.
pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

pub(crate) mod app;
pub(crate) mod fake_deliveries;
pub(crate) mod fake_github;
pub(crate) mod postgres;
pub(crate) mod process;
pub(crate) mod repo;
pub(crate) mod rest_examples;
