//! `lint-pr rules` and `lint-pr explain RULE`.

use anyhow::{Result, bail};

use super::{ExitStatus, print};
use crate::rules::RULES;

pub(crate) fn rules() -> Result<ExitStatus> {
    let width = RULES.iter().map(|r| r.meta().id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in RULES {
        let m = r.meta();
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            m.id,
            m.default_severity.as_str(),
            m.summary
        ));
    }
    print(&out)?;
    Ok(ExitStatus::Success)
}

pub(crate) fn explain(id: &str) -> Result<ExitStatus> {
    let Some(rule) = crate::rules::find(id) else {
        let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
        let close = ids
            .iter()
            .find(|i| i.ends_with(id) || id.ends_with(*i) || i.contains(id));
        match close {
            Some(c) => {
                bail!("unknown rule \"{id}\"; did you mean \"{c}\"? (`lint-pr rules` lists them)")
            }
            None => bail!("unknown rule \"{id}\"; `lint-pr rules` lists them"),
        }
    };
    let m = rule.meta();
    print(&format!(
        "# {}\n\n{}\n\nDefault severity: {}\n\n{}",
        m.id,
        m.summary,
        m.default_severity.as_str(),
        m.documentation()
    ))?;
    Ok(ExitStatus::Success)
}
