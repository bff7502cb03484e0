//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The project's root (where Cargo.toml is).
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the project. Tests that need it fail loudly when it is absent.
pub(crate) fn shared() -> PathBuf {
    let p = root().join("..").join("shared");
    assert!(
        p.is_dir(),
        "../shared is missing beside the project ({}); CI provides it",
        p.display()
    );
    p
}

/// Read a file as text, with the path in the panic message.
pub(crate) fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

pub(crate) mod app;
pub(crate) mod fake_github;
pub(crate) mod repo;
