//! Review: every answer by skill with its provenance, the conflicts with
//! their named resolutions; Enter on an answer edits it, on a resolution
//! chooses it.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

use crate::pack::QuestionKind;
use crate::session::{Command, QKey, Session};
use crate::tui::action::Action;
use crate::tui::app::{Journey, MouseTargets};
use crate::tui::theme::Theme;
use crate::tui::ui::{draw_list_lines, panel, width, wrap};

pub enum Row {
    Step(String),
    Answer {
        key: QKey,
        prompt: String,
        value: String,
        provenance: String,
    },
    Blank,
    Conflict {
        title: String,
        message: String,
        chosen: Option<String>,
    },
    Resolution {
        conflict: String,
        id: String,
        label: String,
        chosen: bool,
    },
    Note(String),
}

impl Row {
    fn selectable(&self) -> bool {
        matches!(self, Row::Answer { .. } | Row::Resolution { .. })
    }
}

pub fn rows(s: &Session) -> Vec<Row> {
    let mut out = Vec::new();
    for step in s.steps() {
        let answers: Vec<Row> = s
            .resolved()
            .iter()
            .filter(|r| r.key.step == step.key && r.applicable)
            .filter_map(|r| {
                let q = s.question(&r.key)?;
                let value = match (&r.value, q.kind) {
                    (_, QuestionKind::Secret) => "(hidden)".to_string(),
                    (Some(v), _) if v.is_empty() => "(empty)".to_string(),
                    (Some(v), _) => v.to_string().replace('\n', " ⏎ "),
                    (None, _) => String::new(),
                };
                Some(Row::Answer {
                    key: r.key.clone(),
                    prompt: q.prompt.trim_end_matches('?').to_string(),
                    value,
                    provenance: r
                        .provenance
                        .as_ref()
                        .map(|p| s.describe(p))
                        .unwrap_or_default(),
                })
            })
            .collect();
        out.push(Row::Step(if s.writes_files(&step.key) {
            step.title.clone()
        } else {
            format!("{} (answers only: its files are not written)", step.title)
        }));
        if answers.is_empty() {
            out.push(Row::Note("no questions apply".to_string()));
        }
        out.extend(answers);
    }
    let conflicts = s.conflicts();
    if !conflicts.is_empty() {
        out.push(Row::Blank);
        out.push(Row::Step("Conflicts between skills".to_string()));
        for c in conflicts {
            out.push(Row::Conflict {
                title: c.title.clone(),
                message: c.message.clone(),
                chosen: c.chosen.clone(),
            });
            for (id, label) in &c.resolutions {
                out.push(Row::Resolution {
                    conflict: c.id.clone(),
                    id: id.clone(),
                    label: label.clone(),
                    chosen: c.chosen.as_deref() == Some(id),
                });
            }
        }
    }
    for e in s.eval_errors.iter() {
        out.push(Row::Note(format!("✗ {e}")));
    }
    for (k, e) in s.load_errors.iter() {
        out.push(Row::Note(format!("✗ {k}: {e}")));
    }
    out
}

/// Keeps the cursor on a selectable row: from `index`, the nearest one in
/// the direction of travel, else the nearest the other way. The list does
/// not wrap: at either end the cursor stays.
fn settle(rows: &[Row], index: usize, down: bool) -> usize {
    let n = rows.len();
    if n == 0 {
        return 0;
    }
    let i = index.min(n - 1);
    let forward = (i..n).find(|&k| rows[k].selectable());
    let backward = (0..=i).rev().find(|&k| rows[k].selectable());
    let found = if down {
        forward.or(backward)
    } else {
        backward.or(forward)
    };
    found.unwrap_or(0)
}

/// The first resolution row of the first unresolved conflict.
fn first_unresolved(rows: &[Row]) -> Option<usize> {
    let mut open = false;
    for (i, r) in rows.iter().enumerate() {
        match r {
            Row::Conflict { chosen, .. } => open = chosen.is_none(),
            Row::Resolution { .. } if open => return Some(i),
            _ => {}
        }
    }
    None
}

/// Where the cursor starts when review opens: on the first unresolved
/// conflict (the one thing that blocks writing), else the first answer.
pub fn enter(j: &mut Journey) {
    let rows = rows(&j.session);
    j.review.index = first_unresolved(&rows).unwrap_or_else(|| settle(&rows, j.review.index, true));
}

/// The titles of the conflicts still open.
fn unresolved_titles(s: &Session) -> Vec<String> {
    s.conflicts()
        .into_iter()
        .filter(|c| c.chosen.is_none())
        .map(|c| format!("“{}”", c.title))
        .collect()
}

pub fn handle(j: &mut Journey, action: Action, page: usize) -> bool {
    let rows = rows(&j.session);
    match action {
        Action::Confirm => {
            let cmd = match rows.get(j.review.index) {
                Some(Row::Answer { key, .. }) => Command::Edit(key.clone()),
                Some(Row::Resolution { conflict, id, .. }) => Command::Resolve {
                    conflict: conflict.clone(),
                    resolution: id.clone(),
                },
                _ => return false,
            };
            let _ = j.session.apply(cmd);
            true
        }
        Action::Write => {
            let open = unresolved_titles(&j.session);
            if !open.is_empty() {
                // Said by title, with the cursor on the first one.
                j.session.error = Some(format!(
                    "resolve or accept the conflict{} first: {} (Enter on a resolution chooses it)",
                    if open.len() == 1 { "" } else { "s" },
                    open.join(", ")
                ));
                if let Some(i) = first_unresolved(&rows) {
                    j.review.index = i;
                }
                return true;
            }
            let _ = j.session.apply(Command::Proceed);
            true
        }
        Action::Back => {
            let _ = j.session.apply(Command::Back);
            true
        }
        Action::Status => {
            let _ = j.session.apply(Command::Status);
            true
        }
        Action::Restart => {
            let _ = j.session.apply(Command::Restart);
            true
        }
        other => {
            let before = j.review.index;
            let (target, down) = match other {
                Action::Up => (before.saturating_sub(1), false),
                Action::Down => (before + 1, true),
                Action::PageUp => (before.saturating_sub(page.max(1)), false),
                Action::PageDown => (before + page.max(1), true),
                Action::Top => (0, true),
                Action::Bottom => (rows.len().saturating_sub(1), false),
                _ => return false,
            };
            let target = target.min(rows.len().saturating_sub(1));
            let mut next = settle(&rows, target, down);
            // Up/Down that find nothing further that way stay put.
            let step = !matches!(other, Action::Top | Action::Bottom);
            if step && ((down && next < before) || (!down && next > before)) {
                next = before;
            }
            j.review.index = next;
            next != before
        }
    }
}

pub fn click(j: &mut Journey, row: usize) {
    let rows = rows(&j.session);
    if rows.get(row).is_some_and(Row::selectable) {
        j.review.index = row;
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    j: &mut Journey,
    th: &Theme,
    mouse: &mut MouseTargets,
) -> usize {
    let rows = rows(&j.session);
    j.review.index = settle(&rows, j.review.index, true);
    // On the first answer, the group titles above it are shown too: the
    // top of the list is the top of the view.
    if !rows[..j.review.index.min(rows.len())]
        .iter()
        .any(Row::selectable)
    {
        j.review.offset = 0;
    }
    let text_w = area.width.saturating_sub(4) as usize;
    let wrapped = |text: String, style, indent: &str| -> Vec<Line<'static>> {
        wrap(&text, text_w, indent)
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect()
    };
    let item_lines: Vec<Vec<Line>> = rows
        .iter()
        .map(|r| match r {
            Row::Step(t) => vec![Line::styled(t.clone(), th.title())],
            Row::Answer {
                prompt,
                value,
                provenance,
                ..
            } => {
                let head = format!("  {prompt}: ");
                if width(&head) + width(value) + width(provenance) + 4 <= text_w {
                    vec![Line::from(vec![
                        Span::styled(head, th.text()),
                        Span::styled(value.clone(), th.accent()),
                        Span::styled(format!("  ({provenance})"), th.dim()),
                    ])]
                } else {
                    let mut v = wrapped(format!("{head}{value}"), th.text(), "      ");
                    v.extend(wrapped(format!("      ({provenance})"), th.dim(), "      "));
                    v
                }
            }
            Row::Blank => vec![Line::from("")],
            Row::Conflict {
                title,
                message,
                chosen,
            } => {
                let state = match chosen {
                    Some(c) => format!("✓ resolved: {c}"),
                    None => "✗ unresolved".to_string(),
                };
                let mut v = wrapped(format!("  ⚠ {title}: {state}"), th.warn(), "    ");
                v.extend(wrapped(format!("    {message}"), th.dim(), "    "));
                v
            }
            Row::Resolution { label, chosen, .. } => wrapped(
                format!("      {} {label}", if *chosen { "(•)" } else { "( )" }),
                th.text(),
                "          ",
            ),
            Row::Note(n) => wrapped(format!("  {n}"), th.dim(), "    "),
        })
        .collect();
    let title = format!(
        "Review: {} answers, grouped by skill",
        rows.iter()
            .filter(|r| matches!(r, Row::Answer { .. }))
            .count()
    );
    let block = panel(&title, th, true);
    let inner = draw_list_lines(f, area, block, item_lines, &mut j.review, th, mouse);
    // An open conflict below the fold is said on the frame itself.
    let last_shown = mouse
        .list
        .as_ref()
        .and_then(|(_, shown)| shown.last().copied());
    let open_below = rows.iter().enumerate().any(|(i, r)| {
        matches!(r, Row::Conflict { chosen: None, .. }) && last_shown.is_some_and(|l| i > l)
    });
    if open_below {
        let text = " ⚠ unresolved conflict below: w goes to it ";
        let w = width(text) as u16;
        if w + 4 < area.width {
            let r = Rect {
                x: area.right() - w - 2,
                y: area.y,
                width: w,
                height: 1,
            };
            f.render_widget(ratatui::widgets::Paragraph::new(text).style(th.warn()), r);
        }
    }
    inner.height as usize
}
