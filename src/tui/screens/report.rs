//! The validation report: a line per deliverable, counts, a completeness
//! gauge and the verdict; details per deliverable; below the pass mark,
//! generate missing or continue anyway; the maturity can be switched.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;
use std::collections::BTreeSet;

use crate::generate::{self, build_plan, FileStatus, Plan};
use crate::pack::Maturity;
use crate::session::{Command, QKey};
use crate::store::{prefs, Locations};
use crate::tui::action::Action;
use crate::tui::app::{Journey, ListCursor, MouseTargets};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use crate::tui::ui::{draw_list_lines, panel, width, wrap};
use crate::validate::{Report, Status, PASS_MARK};
use crate::value::AnswerValue;

/// The offer to remember answers: every explicit answer, all picked at
/// first; Space unpicks, Enter keeps the picked ones, Esc keeps none.
pub struct RememberUi {
    pub items: Vec<(QKey, AnswerValue)>,
    pub picked: BTreeSet<usize>,
    pub cursor: ListCursor,
}

pub struct ReportUi {
    pub remember: Option<RememberUi>,
    /// The answers were remembered (or the offer declined) already.
    pub remember_done: bool,
    pub report: Report,
    /// What the write did, for the screen and the exit message.
    pub written_line: String,
    pub plan: Plan,
    pub cursor: ListCursor,
    pub details: bool,
    /// Details were asked for with their key (not only opened because the
    /// report is below the pass mark): on a short screen they then take
    /// the list's place rather than being left out.
    pub details_asked: bool,
}

pub enum Outcome {
    Changed(bool),
    Exit(u8),
}

impl ReportUi {
    pub fn new(report: Report, written_line: String, plan: Plan) -> ReportUi {
        let details = !report.pass;
        // The cursor starts on the first deliverable to fix, as the review
        // starts on the first open conflict and the tree on the first
        // conflicting file: on a short screen it is the row on view.
        let first = report
            .results
            .iter()
            .position(|d| matches!(d.status, Status::Missing | Status::Incomplete))
            .unwrap_or(0);
        ReportUi {
            remember: None,
            remember_done: false,
            report,
            written_line,
            plan,
            cursor: ListCursor {
                index: first,
                offset: 0,
            },
            details,
            details_asked: false,
        }
    }
}

fn next_maturity(m: Maturity) -> Maturity {
    match m {
        Maturity::Starter => Maturity::Intermediate,
        Maturity::Intermediate => Maturity::Advanced,
        Maturity::Advanced => Maturity::Starter,
    }
}

pub fn handle(j: &mut Journey, action: Action, page: usize) -> Outcome {
    let Some(r) = j.report.as_mut() else {
        return Outcome::Changed(false);
    };
    if let Some(rem) = r.remember.as_mut() {
        if let Some(note) = remember_action(rem, action, page, &j.session) {
            j.notice = Some(note);
            r.remember = None;
            r.remember_done = true;
        }
        return Outcome::Changed(true);
    }
    // A change notice belongs to the key that caused it (as in the
    // session): what the next key does is said instead.
    if !matches!(action, Action::Help | Action::Status) {
        j.session.changes.clear();
    }
    match action {
        Action::Remember => {
            let items: Vec<(QKey, AnswerValue)> = prefs::candidates(&j.session)
                .into_iter()
                .map(|(k, v, _)| (k, v))
                .collect();
            if items.is_empty() {
                j.notice =
                    Some("no answer of yours to remember: every value was a default".to_string());
            } else {
                r.remember = Some(RememberUi {
                    picked: (0..items.len()).collect(),
                    items,
                    cursor: ListCursor::default(),
                });
            }
            Outcome::Changed(true)
        }
        Action::Details | Action::Confirm => {
            r.details = !r.details;
            r.details_asked = r.details;
            Outcome::Changed(true)
        }
        Action::NextMaturity => {
            let m = next_maturity(r.report.maturity);
            let _ = j.session.apply(Command::SetMaturity(m));
            // The maturity can move dynamic defaults (a deploy target, load
            // tests), and with them which deliverables are required or
            // skipped and why: judge the tree again with the answers as
            // they are now, so no reason shown speaks of an old answer.
            r.report = generate::rejudge(&j.session, &r.plan.root)
                .unwrap_or_else(|_| r.report.with_maturity(m));
            j.notice = Some(format!("maturity {}: the report is recomputed", m.as_str()));
            Outcome::Changed(true)
        }
        Action::ContinueAnyway => Outcome::Exit(u8::from(!r.report.pass)),
        Action::GenerateMissing => {
            generate_missing(j);
            Outcome::Changed(true)
        }
        Action::Back => {
            j.tree = None;
            j.report = None;
            let _ = j.session.apply(Command::Back);
            Outcome::Changed(true)
        }
        other => Outcome::Changed(r.cursor.apply(other, r.report.results.len(), page)),
    }
}

/// What the goal asked for and the chain no longer delivers (the engine
/// says it; the report and the exit message show it).
pub fn asked_lines(s: &crate::session::Session) -> Vec<String> {
    s.asked_but_removed_lines()
}

/// Generates again the files of every deliverable the report shows as
/// missing or incomplete (whatever the verdict), then says what changed
/// and, for each one still not fulfilled, exactly why.
fn generate_missing(j: &mut Journey) {
    let Some(r) = j.report.as_mut() else { return };
    let shown: Vec<(String, String)> = r
        .report
        .to_fix()
        .map(|d| (d.name.clone(), d.skill.clone()))
        .collect();
    if shown.is_empty() {
        j.notice = Some("nothing to generate: no deliverable is missing or incomplete".to_string());
        return;
    }
    let skills: BTreeSet<String> = shown.iter().map(|(_, s)| s.clone()).collect();
    let mut kept_edited = Vec::new();
    let result = build_plan(&j.session, &r.plan.root)
        .map_err(|p| p.to_string())
        .and_then(|fresh| {
            let (overwrite, kept) = generate::missing_overwrites(&r.report, &r.plan, &fresh);
            kept_edited = kept;
            generate::write_and_validate(&j.session, &fresh, &overwrite)
                .map(|done| (fresh, done))
                .map_err(|e| e.to_string())
        });
    match result {
        Ok((fresh, done)) => {
            let (created, overwritten) = done.counts();
            let mut note = format!(
                "generated again: {created} new, {overwritten} overwritten files of {}",
                skills.iter().cloned().collect::<Vec<_>>().join(", ")
            );
            let still: Vec<String> = done
                .report
                .to_fix()
                .map(|d| format!("{}: {}", d.name, why_not(d, &fresh)))
                .collect();
            if !still.is_empty() {
                note.push_str(&format!("; still not fulfilled: {}", still.join("; ")));
            }
            if let Some(kept) = generate::kept_edited_note(&kept_edited) {
                note.push_str(&format!("; {kept}"));
            }
            r.written_line.push_str(&format!(
                " Then generated again: {created} new and {overwritten} overwritten files."
            ));
            if let Some(w) = j.written.as_mut() {
                w.files += created + overwritten;
                w.line = r.written_line.clone();
            }
            j.notice = Some(note);
            r.report = done.report;
            r.plan = fresh;
        }
        Err(e) => j.session.error = Some(format!("nothing was written: {e}")),
    }
}

/// Why generating again cannot fulfil `d`.
fn why_not(d: &crate::validate::DeliverableResult, plan: &Plan) -> String {
    if !d.in_chain {
        return format!(
            "its skill {} is not in the chain (Esc back to the review, then restart or customize to add it)",
            d.skill
        );
    }
    let skipped: Vec<String> = plan
        .files
        .iter()
        .filter(|f| f.skill == d.skill && f.status == FileStatus::Skipped)
        .map(|f| match &f.reason {
            Some(r) => format!("{} is skipped ({r})", f.path),
            None => format!("{} is skipped", f.path),
        })
        .collect();
    if !skipped.is_empty() {
        return skipped.join(", ");
    }
    if !d.failed_checks.is_empty() {
        let c = &d.failed_checks[0];
        return format!("check failed: {} ({}): {}", c.description, c.path, c.reason);
    }
    format!(
        "no file of {} with these answers matches {}",
        d.skill,
        d.missing.join(", ")
    )
}

/// Keys while the remember list is open; returns what happened once it
/// closes (saved, or nothing remembered).
fn remember_action(
    rem: &mut RememberUi,
    action: Action,
    page: usize,
    session: &crate::session::Session,
) -> Option<String> {
    match action {
        Action::Toggle => {
            let i = rem.cursor.index;
            if !rem.picked.remove(&i) {
                rem.picked.insert(i);
            }
            None
        }
        Action::Confirm => {
            let chosen: Vec<(QKey, AnswerValue)> = rem
                .items
                .iter()
                .enumerate()
                .filter(|(i, _)| rem.picked.contains(i))
                .map(|(_, kv)| kv.clone())
                .collect();
            if chosen.is_empty() {
                return Some("nothing remembered".to_string());
            }
            Some(
                match Locations::from_os()
                    .and_then(|loc| prefs::remember(&loc, session.pack().id(), &chosen))
                {
                    Ok(path) => format!(
                        "remembered {} answer{} for pack {} in {}: the next journey takes them as defaults",
                        chosen.len(),
                        if chosen.len() == 1 { "" } else { "s" },
                        session.pack().id(),
                        path.display()
                    ),
                    Err(e) => format!("⚠ {e}"),
                },
            )
        }
        Action::Back | Action::Quit => Some("nothing remembered".to_string()),
        other => {
            rem.cursor.apply(other, rem.items.len(), page);
            None
        }
    }
}

fn status_style(s: Status, th: &Theme) -> ratatui::style::Style {
    match s {
        Status::Fulfilled => th.ok(),
        Status::Missing => th.error(),
        Status::Incomplete => th.warn(),
        Status::Skipped => th.dim(),
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    j: &mut Journey,
    th: &Theme,
    keys: &Keymap,
    mouse: &mut MouseTargets,
) -> usize {
    let Some(r) = j.report.as_mut() else {
        return 1;
    };
    let rep = &r.report;
    let below = !rep.pass;
    let mut head_lines: Vec<Line> = wrap(&r.written_line, area.width as usize, "")
        .into_iter()
        .map(|l| Line::styled(l, th.text()))
        .collect();
    for line in asked_lines(&j.session) {
        head_lines.extend(
            wrap(&line, area.width as usize, "  ")
                .into_iter()
                .map(|l| Line::styled(l, th.warn())),
        );
    }
    head_lines.push(Line::from(vec![
        Span::styled("Blueprint ", th.dim()),
        Span::styled(
            rep.blueprint
                .clone()
                .unwrap_or_else(|| "none (skill outputs)".to_string()),
            th.accent(),
        ),
        Span::styled("   Maturity ", th.dim()),
        Span::styled(rep.maturity.as_str(), th.accent()),
    ]));
    head_lines.push(Line::from(vec![
        Span::styled(format!("✓ {} fulfilled  ", rep.fulfilled), th.ok()),
        Span::styled(format!("✗ {} missing  ", rep.missing), th.error()),
        Span::styled(format!("⚠ {} incomplete  ", rep.incomplete), th.warn()),
        Span::styled(format!("○ {} skipped", rep.skipped), th.dim()),
    ]));
    // The remedies of a report below the pass mark, wrapped to the width:
    // the panel is as tall as they need.
    let mut remedy_spans = vec![Span::styled(
        format!("Below the {PASS_MARK}% pass mark: "),
        th.warn(),
    )];
    for (a, label) in [
        (Action::GenerateMissing, "generate missing"),
        (Action::ContinueAnyway, "continue anyway"),
        (Action::Details, "details"),
    ] {
        if let Some(k) = keys.key_label(Context::Report, a) {
            remedy_spans.push(Span::styled(k, th.key()));
            remedy_spans.push(Span::styled(format!(" {label}  "), th.text()));
        }
    }
    let remedy_text: String = remedy_spans.iter().map(|s| s.content.as_ref()).collect();
    // On a short screen the verdict is one line without its frame and the
    // remedies are left to the footer (which names the same keys), so the
    // list keeps rows.
    let compact = area.height < 24;
    let remedy_h = if below && !compact {
        wrap(
            remedy_text.trim_end(),
            area.width.saturating_sub(2) as usize,
            "",
        )
        .len() as u16
            + 2
    } else {
        0
    };
    let [head, gauge_a, body, remedy] = Layout::vertical([
        Constraint::Length(head_lines.len() as u16),
        Constraint::Length(if compact { 1 } else { 3 }),
        Constraint::Min(4),
        Constraint::Length(remedy_h),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(head_lines), head);
    let verdict = format!(
        "{} {} {}% ({}/{}; pass at {PASS_MARK}%)",
        if rep.pass { "✓" } else { "⚠" },
        rep.verdict(),
        rep.completeness,
        rep.fulfilled,
        rep.required
    );
    f.render_widget(
        Gauge::default()
            .block(if compact {
                ratatui::widgets::Block::default()
            } else {
                panel("Completeness", th, false)
            })
            // The verdict keeps the gauge's own colours (dark on the filled
            // part, coloured on the rest), so it reads on both.
            .gauge_style({
                let base = if rep.pass { th.ok() } else { th.warn() };
                match th.gauge().bg {
                    Some(bg) => base.bg(bg),
                    None => base,
                }
            })
            .percent(rep.completeness.min(100) as u16)
            .label(Span::styled(
                verdict,
                ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
            )),
        gauge_a,
    );
    let (list_a, detail_a) = if r.details && body.width >= 90 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(body);
        (a, Some(b))
    } else if r.details && body.height >= 10 {
        // The list keeps at least a few rows; details take what is left.
        let list_h = (rep.results.len() as u16 + 2).clamp(5, body.height / 2 + 1);
        let [a, b] = Layout::vertical([Constraint::Length(list_h), Constraint::Min(3)]).areas(body);
        (a, Some(b))
    } else if r.details && r.details_asked {
        // Too short for both: the details asked for replace the list.
        (Rect { height: 0, ..body }, Some(body))
    } else {
        (body, None)
    };
    // Inside the borders and the cursor mark.
    let text_w = list_a.width.saturating_sub(4) as usize;
    let item_lines: Vec<Vec<Line>> = rep
        .results
        .iter()
        .map(|d| {
            let head = vec![
                Span::styled(
                    format!("{} ", d.status.symbol()),
                    status_style(d.status, th),
                ),
                Span::styled(d.name.clone(), th.text()),
                Span::styled(
                    format!("  {}", d.status.as_str()),
                    status_style(d.status, th),
                ),
            ];
            let mut notes = Vec::new();
            if let Some(p) = d
                .first_problem()
                .filter(|_| matches!(d.status, Status::Missing | Status::Incomplete))
            {
                notes.push(p);
            }
            // Why the answers made it required or skipped (issue 11, 9a).
            if let Some(why) = &d.reason {
                notes.push(format!("({why})"));
            }
            let one_line = Line::from(head.clone()).width()
                + notes.iter().map(|n| width(n) + 2).sum::<usize>();
            if one_line <= text_w {
                let mut spans = head;
                spans.extend(
                    notes
                        .into_iter()
                        .map(|n| Span::styled(format!("  {n}"), th.dim())),
                );
                return vec![Line::from(spans)];
            }
            // Too wide: the notes go below, wrapped at word boundaries.
            let mut lines = if Line::from(head.clone()).width() <= text_w {
                vec![Line::from(head)]
            } else {
                let text: String = head.iter().map(|s| s.content.as_ref()).collect();
                wrap(&text, text_w, "  ")
                    .into_iter()
                    .map(|l| Line::styled(l, status_style(d.status, th)))
                    .collect()
            };
            for n in notes {
                lines.extend(
                    wrap(&format!("  {n}"), text_w, "   ")
                        .into_iter()
                        .map(|l| Line::styled(l, th.dim())),
                );
            }
            lines
        })
        .collect();
    let block = panel("Deliverables", th, true);
    let inner = draw_list_lines(f, list_a, block, item_lines, &mut r.cursor, th, mouse);
    if let (Some(area), Some(d)) = (detail_a, rep.results.get(r.cursor.index)) {
        let mut lines = vec![
            Line::from(vec![
                Span::styled(
                    format!("{} ", d.status.symbol()),
                    status_style(d.status, th),
                ),
                Span::styled(d.name.clone(), th.title()),
            ]),
            Line::from(vec![
                Span::styled("primary skill ", th.dim()),
                Span::styled(d.skill.clone(), th.accent()),
            ]),
            Line::styled("expected", th.dim()),
        ];
        lines.extend(
            d.expected
                .iter()
                .map(|e| Line::styled(format!("  {e}"), th.text())),
        );
        if !d.found.is_empty() {
            lines.push(Line::styled("found", th.dim()));
            lines.extend(
                d.found
                    .iter()
                    .take(8)
                    .map(|e| Line::styled(format!("  ✓ {e}"), th.ok())),
            );
            if d.found.len() > 8 {
                lines.push(Line::styled(
                    format!("  … {} more", d.found.len() - 8),
                    th.dim(),
                ));
            }
        }
        for m in &d.missing {
            lines.push(Line::styled(format!("  ✗ missing {m}"), th.error()));
        }
        for c in &d.failed_checks {
            lines.push(Line::styled(
                format!(
                    "  ⚠ check failed: {} ({}): {}",
                    c.description, c.path, c.reason
                ),
                th.warn(),
            ));
        }
        if !d.in_chain {
            lines.push(Line::styled(
                "  ○ its skill is not in the chain, so nothing promised it",
                th.dim(),
            ));
        }
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(panel("Details", th, false)),
            area,
        );
    }
    if let Some(rem) = &mut r.remember {
        remember_popup(f, area, rem, th);
    }
    if remedy_h > 0 {
        f.render_widget(
            Paragraph::new(Line::from(remedy_spans))
                .wrap(Wrap { trim: false })
                .block(panel("Next", th, false)),
            remedy,
        );
    }
    inner.height as usize
}

fn remember_popup(f: &mut Frame, area: Rect, rem: &mut RememberUi, th: &Theme) {
    let h = (rem.items.len() as u16 + 4).min(area.height);
    let r = crate::tui::ui::centered(area, 76, h);
    f.render_widget(ratatui::widgets::Clear, r);
    let [help, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)])
        .areas(panel("", th, true).inner(r));
    f.render_widget(
        panel("Remember answers as defaults for next time?", th, true),
        r,
    );
    f.render_widget(
        Paragraph::new("Space unpicks, Enter remembers the picked ones, Esc none").style(th.dim()),
        help,
    );
    let items: Vec<ListItem> = rem
        .items
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let mark = if rem.picked.contains(&i) {
                "[x] "
            } else {
                "[ ] "
            };
            ListItem::new(Line::from(vec![
                Span::styled(mark, th.accent()),
                Span::styled(format!("{k} = "), th.text()),
                Span::styled(v.to_string(), th.accent()),
            ]))
        })
        .collect();
    let mut state = ListState::default()
        .with_selected(Some(rem.cursor.index))
        .with_offset(rem.cursor.offset);
    f.render_stateful_widget(
        List::new(items)
            .highlight_style(th.selected())
            .highlight_symbol("› "),
        list,
        &mut state,
    );
    rem.cursor.offset = state.offset();
}
