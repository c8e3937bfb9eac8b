//! `.skillchain/plan.md`: the configured chain as a precise hand-off for a
//! person or an AI agent: what was decided, why, what to build, how to check.

use std::fmt::Write;

use crate::detect::Reason;
use crate::generate::{FileStatus, Plan};
use crate::pack::Deliverable;
use crate::session::Session;

pub fn render(session: &Session, plan: &Plan, deliverables: &[Deliverable]) -> String {
    let pack = session.pack();
    let mut md = String::new();
    let _ = writeln!(md, "# Plan: {}\n", session.goal);
    let _ = writeln!(
        md,
        "- Pack: `{}` {} ({})",
        pack.manifest.id, pack.manifest.version, pack.manifest.title
    );
    let _ = writeln!(
        md,
        "- Blueprint: {}",
        session
            .blueprint
            .as_deref()
            .map(|b| format!("`{b}`"))
            .unwrap_or_else(|| "none (each skill's outputs are its deliverables)".to_string())
    );
    let _ = writeln!(md, "- Maturity: {}", session.maturity.as_str());
    let _ = writeln!(
        md,
        "- Replay exactly: `skillchain run --answers .skillchain/answers.yaml --out <folder>`"
    );
    let _ = writeln!(md, "- Check: `skillchain validate <folder>`\n");

    let _ = writeln!(md, "## Chain, in run order\n");
    let mut n = 0;
    for step in session.steps() {
        n += 1;
        let why = session
            .chain
            .iter()
            .find(|e| e.id == step.key)
            .map(|e| {
                e.reasons
                    .iter()
                    .map(Reason::describe)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_else(|| "blueprint quick setup".to_string());
        let _ = writeln!(md, "{n}. **{}** (`{}`): {why}", step.title, step.key);
        if !session.writes_files(&step.key) {
            let _ = writeln!(
                md,
                "   Answers only: the goal does not ask for it, so its files are not written; its answers below are what the other skills assume."
            );
        }
        if let Some(skill) = pack.skill(&step.key) {
            if !skill.summary.is_empty() {
                let _ = writeln!(md, "   {}", skill.summary.trim());
            }
        }
        for r in session
            .resolved()
            .iter()
            .filter(|r| r.key.step == step.key && r.applicable)
        {
            let Some(q) = session.question(&r.key) else {
                continue;
            };
            let shown = if q.kind == crate::pack::QuestionKind::Secret {
                "(secret, not recorded)".to_string()
            } else {
                r.value
                    .as_ref()
                    .map(|v| format!("`{v}`"))
                    .unwrap_or_default()
            };
            let prov = r
                .provenance
                .as_ref()
                .map(|p| session.describe(p))
                .unwrap_or_default();
            let _ = writeln!(
                md,
                "   - {}: {shown} ({prov})",
                q.prompt.trim_end_matches('?')
            );
        }
    }

    let conflicts = session.conflicts();
    if !conflicts.is_empty() {
        let _ = writeln!(md, "\n## Conflicts\n");
        for c in conflicts {
            let chosen = c.chosen.as_deref().unwrap_or("unresolved");
            let _ = writeln!(
                md,
                "- **{}**: {} Resolution: `{chosen}`.",
                c.title, c.message
            );
        }
    }

    let _ = writeln!(md, "\n## Files\n");
    let _ = writeln!(md, "| file | skill | status |\n|---|---|---|");
    for f in &plan.files {
        let status = match f.status {
            FileStatus::Skipped => format!("skipped: {}", f.reason.as_deref().unwrap_or("")),
            s => s.as_str().to_string(),
        };
        let _ = writeln!(md, "| `{}` | {} | {status} |", f.path, f.skill);
    }

    let _ = writeln!(
        md,
        "\n## Deliverables to verify (at {})\n",
        session.maturity.as_str()
    );
    for d in deliverables {
        let required = if d.required_at(session.maturity) {
            ""
        } else {
            " (not required at this maturity)"
        };
        let files: Vec<String> = d.files.iter().map(|f| format!("`{f}`")).collect();
        let _ = writeln!(
            md,
            "- [ ] **{}** ({}){required}: {}",
            d.name,
            d.skill,
            files.join(", ")
        );
        for c in &d.checks {
            let what = if c.description.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.description)
            };
            let _ = writeln!(md, "  - `{}` must match `{}`{what}", c.path, c.pattern);
        }
    }
    md
}
