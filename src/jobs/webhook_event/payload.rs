//! How a delivery's body is read. The events that make work are read in one
//! pass into their own typed fields ([`typed`], through `classify`); when that
//! pass cannot decide (bodies GitHub does not send), and for every other event,
//! the body goes through [`Payload`]: the top level, read in one pass over the
//! raw body without building a tree: the `action`, and each top-level field some event reads,
//! kept as raw JSON (a slice of the body) until the event that needs it parses
//! it into its own small struct. Everything else (`sender`, the repository's
//! hundred fields, the PR's `_links` and `head.repo`...) is skipped, not
//! allocated. A `pull_request` delivery is ~24 KB, of which the job needs a few
//! hundred bytes; building a `serde_json::Value` of all of it (a `BTreeMap` and a
//! `String` per field) was most of the accept path's CPU after TCP.
//!
//! What is accepted and refused is what `serde_json::from_slice::<Value>` then
//! the events' structs accepted and refused, with the same messages: a body
//! that is not JSON, or not UTF-8, is refused with the error `Value` gives (we
//! ask it again on that rare path); a top level that is not an object reads as
//! one without fields (as `Value::get` did); a key given twice takes its last
//! value. The differences, in fields no event reads and in bodies GitHub does
//! not send: nesting deeper than 128 levels, a number beyond `f64`'s range and
//! a lone UTF-16 surrogate escape (`"\ud800"`) are skipped, where a `Value`
//! refused them (serde_json's skipping parser does not check them).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// A delivery's body, read at the top level only. Borrows the body.
#[derive(Debug, Default)]
pub struct Payload<'a> {
    /// `action` when it is a string; `""` otherwise (absent, `null`, a number).
    action: std::borrow::Cow<'a, str>,
    pub(super) installation: Option<&'a RawValue>,
    pub(super) repository: Option<&'a RawValue>,
    pub(super) number: Option<&'a RawValue>,
    pub(super) pull_request: Option<&'a RawValue>,
    pub(super) changes: Option<&'a RawValue>,
    pub(super) check_suite: Option<&'a RawValue>,
    pub(super) check_run: Option<&'a RawValue>,
}

impl<'a> Payload<'a> {
    /// Read `body`. `Err`: it is not JSON (the message is `serde_json`'s, as for
    /// a `Value`).
    pub fn from_slice(body: &'a [u8]) -> Result<Payload<'a>, serde_json::Error> {
        // Skipped strings are not checked for UTF-8 by the skipping parser, so
        // the whole body is, first (a few microseconds for 24 KB).
        let Ok(text) = std::str::from_utf8(body) else {
            return Err(value_error(body));
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let payload = match de
            .deserialize_any(TopLevel)
            .and_then(|p| de.end().map(|()| p))
        {
            Ok(p) => p,
            // Position and wording exactly as a `Value` parse reports them.
            Err(_) => return Err(value_error(body)),
        };
        Ok(payload)
    }

    /// The delivery's `action` (`""` when it has none).
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The top-level field `raw`, parsed as `T`; `None` when absent. Errors read
    /// as a `Value`-based deserialization's did: without a position, since
    /// one inside the field would not be the body's.
    pub(super) fn field<T: Deserialize<'a>>(
        raw: Option<&'a RawValue>,
    ) -> Result<Option<T>, serde_json::Error> {
        raw.map(|r| serde_json::from_str(r.get()).map_err(without_position))
            .transpose()
    }

    /// Like [`Payload::field`], for a field the event must carry.
    pub(super) fn required<T: Deserialize<'a>>(
        raw: Option<&'a RawValue>,
        name: &'static str,
    ) -> Result<T, serde_json::Error> {
        Self::field(raw)?.ok_or_else(|| de::Error::missing_field(name))
    }
}

/// The one-pass read of a delivery whose event is known (`classify`'s fast
/// path): `T` is the event's top-level fields, typed, so each is parsed where
/// it lies instead of being skipped into a slice and scanned again. `None`
/// when `T` cannot read the body (not UTF-8, not JSON, a field of another type,
/// a key given twice, ...): the caller then takes the two-pass path
/// ([`Payload::from_slice`] and the event's parser), which gives the verdicts
/// and messages it always gave. GitHub's deliveries never take that path.
pub(super) fn typed<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Option<T> {
    // Skipped strings are not checked for UTF-8 (see `Payload::from_slice`).
    let text = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let t = T::deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(t)
}

/// The error `serde_json::from_slice::<Value>` gives for `body` (which it refuses).
fn value_error(body: &[u8]) -> serde_json::Error {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Err(e) => e,
        // Unreachable for a body the fast path refused; stay total anyway.
        Ok(_) => de::Error::custom("malformed JSON"),
    }
}

/// `e` without " at line L column C" (a position within a field's slice).
fn without_position(e: serde_json::Error) -> serde_json::Error {
    if e.line() == 0 {
        return e;
    }
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    de::Error::custom(text.strip_suffix(&suffix).unwrap_or(&text))
}

/// The top-level fields we keep; every other key's value is skipped.
enum Key {
    Action,
    Installation,
    Repository,
    Number,
    PullRequest,
    Changes,
    CheckSuite,
    CheckRun,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, k: &str) -> Result<Key, E> {
                Ok(match k {
                    "action" => Key::Action,
                    "installation" => Key::Installation,
                    "repository" => Key::Repository,
                    "number" => Key::Number,
                    "pull_request" => Key::PullRequest,
                    "changes" => Key::Changes,
                    "check_suite" => Key::CheckSuite,
                    "check_run" => Key::CheckRun,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Reads any JSON value at the top level: an object's fields, or (like
/// `Value::get` on a non-object) nothing.
struct TopLevel;

impl<'de> Visitor<'de> for TopLevel {
    type Value = Payload<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Payload<'de>, A::Error> {
        let mut p = Payload::default();
        while let Some(key) = map.next_key::<Key>()? {
            // A key given twice takes its last value, as in a `Value`.
            let slot = match key {
                Key::Action => {
                    let raw: &'de RawValue = map.next_value()?;
                    p.action = action(raw);
                    continue;
                }
                Key::Installation => &mut p.installation,
                Key::Repository => &mut p.repository,
                Key::Number => &mut p.number,
                Key::PullRequest => &mut p.pull_request,
                Key::Changes => &mut p.changes,
                Key::CheckSuite => &mut p.check_suite,
                Key::CheckRun => &mut p.check_run,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(p)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Payload<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Payload::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Payload<'de>, E> {
        Ok(Payload::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Payload<'de>, E> {
        Ok(Payload::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Payload<'de>, E> {
        Ok(Payload::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Payload<'de>, E> {
        Ok(Payload::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Payload<'de>, E> {
        Ok(Payload::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Payload<'de>, E> {
        Ok(Payload::default())
    }
}

/// `action`'s text if it is a string (borrowed unless it has escapes), else `""`.
fn action(raw: &RawValue) -> std::borrow::Cow<'_, str> {
    if let Ok(s) = serde_json::from_str::<&str>(raw.get()) {
        return s.into();
    }
    serde_json::from_str::<String>(raw.get()).map_or_else(|_| "".into(), Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the handler did before: a `Value`, and its `action`.
    fn as_value(body: &[u8]) -> Result<String, String> {
        serde_json::from_slice::<serde_json::Value>(body)
            .map(|v| {
                v.get("action")
                    .and_then(|a| a.as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .map_err(|e| e.to_string())
    }

    fn as_payload(body: &[u8]) -> Result<String, String> {
        Payload::from_slice(body)
            .map(|p| p.action().to_string())
            .map_err(|e| e.to_string())
    }

    /// Accepted and refused like a `Value` parse, with the same messages.
    #[test]
    fn same_verdicts_and_messages_as_a_value() {
        let bodies: &[&[u8]] = &[
            br#"{"action":"opened"}"#,
            br#"{"action":"op\u0065ned","x":[1,{"y":null}]}"#,
            br#"{"action":5}"#,
            br#"{"action":"a","action":"b"}"#,
            br#"[1,2,{"action":"x"}]"#,
            br#""just a string""#,
            b"42",
            b"null",
            b"{\"action\": \"opened\",",
            b"{not json",
            b"",
            br#"{"action":"opened"} trailing"#,
            b"{\"a\":\"\xff\xfe\"}",
            br#"{"a":"\x"}"#,
            br#"{"a":tru}"#,
        ];
        for body in bodies {
            assert_eq!(
                as_payload(body),
                as_value(body),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn a_field_error_reads_as_a_value_error() {
        let body = br#"{"number": "2"}"#;
        let p = Payload::from_slice(body).unwrap();
        let e = Payload::required::<u64>(p.number, "number").unwrap_err();
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        let from_value = u64::deserialize(&v["number"]).unwrap_err();
        assert_eq!(e.to_string(), from_value.to_string());
        let missing = Payload::required::<u64>(None, "number").unwrap_err();
        assert_eq!(missing.to_string(), "missing field `number`");
    }
}
