//! The validation report panel as plain text, for `skillchain validate` and
//! `run` on a terminal or in a log. Every status has a symbol; colour only
//! repeats what the symbol and the words already say.

use std::fmt::Write as _;

use super::{Report, Status};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const BOLD_GREEN: &str = "\x1b[1;32m";
const BOLD_RED: &str = "\x1b[1;31m";
const RESET: &str = "\x1b[0m";

/// Cells of the completeness gauge: one per 10%.
const GAUGE_CELLS: u32 = 10;

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

fn status_color(status: Status) -> &'static str {
    match status {
        Status::Fulfilled => GREEN,
        Status::Missing => RED,
        Status::Incomplete => YELLOW,
        Status::Skipped => DIM,
    }
}

/// `[████████░░]` for 80%: filled cells round down, so a full gauge means
/// everything is there.
pub fn gauge(percent: u32) -> String {
    let filled = (percent.min(100) * GAUGE_CELLS / 100) as usize;
    let empty = GAUGE_CELLS as usize - filled;
    format!("[{}{}]", "█".repeat(filled), "░".repeat(empty))
}

/// The report panel; `color` adds ANSI colours around the symbols and the
/// verdict (pass `false` for `--no-color`, `NO_COLOR` or a pipe).
pub fn render_text(report: &Report, color: bool) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored on purpose.
    let _ = writeln!(out, "VALIDATION REPORT");
    let _ = writeln!(out, "Root:       {}", report.root);
    let _ = writeln!(
        out,
        "Blueprint:  {}",
        report.blueprint.as_deref().unwrap_or("(skill outputs)")
    );
    let _ = writeln!(out, "Maturity:   {}", report.maturity.as_str());
    out.push('\n');

    if report.results.is_empty() {
        let _ = writeln!(out, "(no deliverables to check)");
    }
    for r in &report.results {
        let symbol = paint(r.status.symbol(), status_color(r.status), color);
        let _ = match r.status {
            Status::Fulfilled => match &r.reason {
                Some(reason) => writeln!(out, "{symbol} {} (required: {reason})", r.name),
                None => writeln!(out, "{symbol} {}", r.name),
            },
            Status::Missing => {
                writeln!(
                    out,
                    "{symbol} {} — missing: {}",
                    r.name,
                    r.missing.join(", ")
                )
            }
            Status::Incomplete => {
                let problems = r.missing.len() + r.failed_checks.len();
                let first = r.first_problem().unwrap_or_default();
                let more = if problems > 1 {
                    format!(" (+{} more)", problems - 1)
                } else {
                    String::new()
                };
                writeln!(out, "{symbol} {} — {first}{more}", r.name)
            }
            Status::Skipped if !r.in_chain => writeln!(
                out,
                "{symbol} {} (skill {} is not in the chain)",
                r.name, r.skill
            ),
            Status::Skipped => match &r.reason {
                Some(reason) => writeln!(out, "{symbol} {} (skipped: {reason})", r.name),
                None => writeln!(
                    out,
                    "{symbol} {} (not required at {})",
                    r.name,
                    report.maturity.as_str()
                ),
            },
        };
    }
    if !report.warnings.is_empty() {
        out.push('\n');
        for w in &report.warnings {
            let _ = writeln!(out, "{} {w}", paint("!", YELLOW, color));
        }
    }

    out.push('\n');
    let _ = writeln!(
        out,
        "Required: {}  Fulfilled: {}  Missing: {}  Incomplete: {}  Skipped: {}",
        report.required, report.fulfilled, report.missing, report.incomplete, report.skipped
    );
    let _ = writeln!(
        out,
        "Completeness: {}% {}",
        report.completeness,
        gauge(report.completeness)
    );
    if report.pass {
        let _ = writeln!(out, "{}", paint(report.verdict(), BOLD_GREEN, color));
    } else {
        let _ = writeln!(out, "{}", paint(report.verdict(), BOLD_RED, color));
        let fix: Vec<String> = report
            .to_fix()
            .map(|r| format!("{} ({})", r.name, r.skill))
            .collect();
        let _ = writeln!(out, "To fix: {}", fix.join(", "));
    }
    out
}
