//! Compiled configurations, kept by the texts they were compiled from.
//!
//! The App resolves a repository's configuration for every job, and compiling
//! it (regexes, globs) costs far more than linting a PR description: a
//! repository's configuration rarely changes between two pushes, and most
//! repositories have none (the recommended preset). The key is every input of
//! the compile (each file's name and text, in the order read, and what was said
//! about files that could not be seen), so a changed file is a new entry: nothing
//! is ever served stale. Invalid configurations are not kept.

use std::sync::Mutex;

use super::CompiledConfig;

/// Entries kept; the oldest goes first. Enough for the repositories of a busy
/// installation, a few KB each.
const CAPACITY: usize = 64;

static MEMO: Mutex<Vec<(String, CompiledConfig)>> = Mutex::new(Vec::new());

/// The configuration compiled from the inputs in `key`: kept, or built by
/// `compile` and kept when it is valid.
pub(super) fn compiled<E>(
    key: String,
    compile: impl FnOnce() -> Result<CompiledConfig, E>,
) -> Result<CompiledConfig, E> {
    if let Some(found) = lock().iter().find(|(k, _)| *k == key) {
        return Ok(found.1.clone());
    }
    // Compiled outside the lock: two jobs compiling the same text at once both
    // do the work, and neither waits for the other.
    let config = compile()?;
    let mut memo = lock();
    if !memo.iter().any(|(k, _)| *k == key) {
        if memo.len() == CAPACITY {
            memo.remove(0);
        }
        memo.push((key, config.clone()));
    }
    Ok(config)
}

/// The memo; a panic elsewhere while it was held leaves entries that are still
/// whole (each is pushed or removed in one call), so a poisoned lock is used as is.
fn lock() -> std::sync::MutexGuard<'static, Vec<(String, CompiledConfig)>> {
    MEMO.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_by_key_and_never_for_an_error() {
        let mut built = 0;
        let mut get = |key: &str| {
            compiled::<()>(key.to_string(), || {
                built += 1;
                Ok(CompiledConfig::empty())
            })
        };
        get("memo-test\0a").unwrap();
        get("memo-test\0a").unwrap();
        get("memo-test\0b").unwrap();
        assert_eq!(built, 2, "the same inputs compile once");
        let failed = compiled::<&str>("memo-test\0bad".into(), || Err("invalid"));
        assert_eq!(failed.unwrap_err(), "invalid");
        let mut again = 0;
        compiled::<()>("memo-test\0bad".into(), || {
            again += 1;
            Ok(CompiledConfig::empty())
        })
        .unwrap();
        assert_eq!(again, 1, "an error is not kept");
    }
}
