//! YAML → a tree of nodes that each know their line and column.
//!
//! We decode configuration by hand from this tree (in `raw.rs`) rather than with
//! derived serde structs, so every error — unknown key, wrong type, bad regex —
//! can name the exact line and column and suggest the key that was meant.
//!
//! Parsing uses serde-saphyr with its default budgets (events, aliases, depth), which
//! turn an alias-expansion bomb into an error instead of gigabytes.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::error::{ConfigError, Pos};

/// Configuration files larger than this are rejected before parsing.
pub(crate) const MAX_CONFIG_BYTES: usize = 1 << 20;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub(crate) name: String,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

impl Node {
    pub(crate) fn pos(&self, file: &str) -> Pos {
        Pos {
            file: file.into(),
            line: self.line,
            column: self.column,
        }
    }

    /// A short name of this node's type, for "expected X, found Y".
    pub(crate) fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Key {
    pub(crate) fn pos(&self, file: &str) -> Pos {
        Pos {
            file: file.into(),
            line: self.line,
            column: self.column,
        }
    }
}

/// Parse `text` (the contents of `file`) into a node tree.
pub(crate) fn parse(text: &str, file: &str) -> Result<Node, ConfigError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(ConfigError::new(
            Pos {
                file: file.into(),
                line: 1,
                column: 1,
            },
            format!(
                "configuration is {} bytes; expected at most {MAX_CONFIG_BYTES}",
                text.len()
            ),
        ));
    }
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Map(Vec::new()),
            line: 1,
            column: 1,
        });
    }
    let options = serde_saphyr::options! { with_snippet: false };
    match serde_saphyr::from_str_with_options::<SpannedNode>(text, options) {
        Ok(SpannedNode(node)) => Ok(node),
        Err(err) => {
            let (line, column) = err.location().map_or((1, 1), |l| {
                (clamp(l.line()).max(1), clamp(l.column()).max(1))
            });
            Err(ConfigError::new(
                Pos {
                    file: file.into(),
                    line,
                    column,
                },
                yaml_message(&err.to_string()),
            ))
        }
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// serde-saphyr prefixes messages with "error: line L column C: "; we print the
/// position ourselves, in `file:line:col` form.
fn yaml_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw);
    let msg = first.strip_prefix("error: ").unwrap_or(first);
    let msg = match msg.split_once(": ") {
        Some((pos, rest)) if pos.starts_with("line ") && pos.contains(" column ") => rest,
        _ => msg,
    };
    if msg.contains("budget breached") {
        return "invalid YAML: the document expands to too many nodes (anchors and aliases); expected a small configuration file".into();
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return format!("invalid YAML: duplicate key \"{key}\"; each key may appear once");
    }
    // Some messages repeat the position at the end ("… at line 2, column 22").
    let msg = match msg.rfind(" at line ") {
        Some(i) if msg.get(i..).is_some_and(|t| t.contains(", column ")) => {
            msg.get(..i).unwrap_or(msg)
        }
        _ => msg,
    };
    format!("invalid YAML: {msg}")
}

/// Deserialisation glue: a node is a `Spanned` value whose content recurses.
struct SpannedNode(Node);

impl<'de> Deserialize<'de> for SpannedNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<ValueDe>::deserialize(d)?;
        Ok(SpannedNode(Node {
            value: spanned.value.0,
            line: clamp(spanned.referenced.line()),
            column: clamp(spanned.referenced.column()),
        }))
    }
}

struct ValueDe(Value);

impl<'de> Deserialize<'de> for ValueDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(ValueDe)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(SpannedNode(n)) = seq.next_element()? {
            out.push(n);
        }
        Ok(Value::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some((k, SpannedNode(v))) = map.next_entry::<Spanned<KeyDe>, SpannedNode>()? {
            out.push((
                Key {
                    name: k.value.0,
                    line: clamp(k.referenced.line()),
                    column: clamp(k.referenced.column()),
                },
                v,
            ));
        }
        Ok(Value::Map(out))
    }
}

/// Keys are strings; a number or boolean used as a key is kept as its text.
struct KeyDe(String);

impl<'de> Deserialize<'de> for KeyDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = d.deserialize_any(ValueVisitor)?;
        Ok(KeyDe(match v {
            Value::Str(s) => s,
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".into(),
            Value::Seq(_) | Value::Map(_) => "<complex key>".into(),
        }))
    }
}
