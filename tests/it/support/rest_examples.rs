//! The response examples of GitHub's REST description
//! (`fixtures/github/rest-api/api.github.com.subset.json`, MIT, see its LICENSE),
//! for fakes built outside [`super::fake_github`]: the real shapes, with the
//! fields a test cares about replaced.

use std::sync::OnceLock;

use serde_json::Value;

use super::{fixtures, read};

/// `components.examples.<name>.value`; panics (failing the test) when the
/// description has no such example.
pub(crate) fn example(name: &str) -> Value {
    static EXAMPLES: OnceLock<Value> = OnceLock::new();
    let all = EXAMPLES.get_or_init(|| {
        let path = fixtures().join("github/rest-api/api.github.com.subset.json");
        let doc: Value = serde_json::from_str(&read(&path)).unwrap();
        doc["components"]["examples"].clone()
    });
    let v = all[name]["value"].clone();
    assert!(!v.is_null(), "no example {name} in the REST subset");
    v
}
