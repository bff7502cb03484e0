//! What kind of page a runbook is, as its author or the configuration states it:
//! front matter `runbook_kind:` (YAML, or `runbook_kind = …` in TOML; read in
//! `shape.rs`) or `runbook.kinds` path globs in the configuration (compiled in
//! `config::compiled`, handed to the rules per document through
//! [`crate::rules::Shared::with_kind`]). The page's own front matter wins over the
//! configuration; with neither, `shape.rs` judges by content.

/// A runbook's kind. Incident runbooks (opened when something is wrong) must open
/// with triage and say when to escalate; the others are not asked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunbookKind {
    /// One runbook per alert (Meaning / Impact / Diagnosis / Mitigation).
    Alert,
    /// A service's runbook: what to do when it misbehaves.
    Service,
    /// Any page opened when something is wrong (alert or service).
    Incident,
    /// A how-to for planned work ("Rotate the TLS certificates").
    Procedure,
    /// Background and reference material.
    Reference,
    /// A section index or a page that only points elsewhere: only its references
    /// are checked, and JSON output lists it under `"skipped"`.
    Stub,
}

impl RunbookKind {
    /// Every name, as written in front matter and configuration.
    pub const NAMES: &'static [&'static str] = &[
        "alert",
        "service",
        "incident",
        "procedure",
        "reference",
        "stub",
    ];

    /// The kind named `name` (as in [`RunbookKind::NAMES`]), if any.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "alert" => RunbookKind::Alert,
            "service" => RunbookKind::Service,
            "incident" => RunbookKind::Incident,
            "procedure" => RunbookKind::Procedure,
            "reference" => RunbookKind::Reference,
            "stub" => RunbookKind::Stub,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RunbookKind::Alert => "alert",
            RunbookKind::Service => "service",
            RunbookKind::Incident => "incident",
            RunbookKind::Procedure => "procedure",
            RunbookKind::Reference => "reference",
            RunbookKind::Stub => "stub",
        }
    }

    /// Whether pages of this kind are incident runbooks.
    pub fn is_incident(self) -> bool {
        matches!(
            self,
            RunbookKind::Alert | RunbookKind::Service | RunbookKind::Incident
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in RunbookKind::NAMES {
            assert_eq!(
                RunbookKind::parse(name).map(RunbookKind::as_str),
                Some(*name)
            );
        }
        assert_eq!(RunbookKind::parse("Procedure"), None);
        assert!(RunbookKind::Alert.is_incident() && !RunbookKind::Stub.is_incident());
    }
}
