//! Integration tests: rules.
