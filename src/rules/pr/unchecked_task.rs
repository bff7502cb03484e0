use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That no task-list item in the description is left unchecked (`- [ ]`).
    /// Off in the recommended preset; on (error) in `strict`.
    ///
    /// ## Why it matters at 3am
    /// A checklist item such as "- [ ] Added an alert for the new queue" that was
    /// never ticked may mean the alert does not exist. An unchecked box in a merged
    /// PR is a question nobody answered.
    ///
    /// ## Example
    /// ```markdown
    /// - [x] Tests added
    /// - [ ] Dashboard updated
    /// ```
    ///
    /// ## Use instead
    /// ```markdown
    /// - [x] Tests added
    /// - [x] Dashboard updated
    /// ```
    /// Or delete the items that do not apply.
    ///
    /// ## Options
    /// None beyond severity and conditions.
    pub struct UncheckedTask {
        id: "pr/unchecked-task",
        summary: "a task-list item `- [ ]` is left unchecked",
        default_severity: Off,
        applies_to: Description,
    }
}

impl Rule for UncheckedTask {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        for item in &cx.doc.list_items {
            let (Some(false), Some(marker)) = (item.task, &item.task_marker) else {
                continue;
            };
            let line_end = cx
                .doc
                .source()
                .get(marker.start..item.span.end)
                .and_then(|s| s.find('\n'));
            let end = line_end.map_or(item.span.end, |i| marker.start + i);
            let text = cx.doc.text(&(marker.end..end)).trim();
            let mut f = cx.finding(
                &Self::META,
                marker.start..end,
                format!("unchecked task \"{text}\""),
            );
            f.help = Some("check it if it is done, or delete it if it does not apply".into());
            out.push(f);
        }
    }
}
