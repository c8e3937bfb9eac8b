//! A question: the chain sidebar, the step title, prompt and help, the
//! choices or a text field, the default with its provenance, inline errors
//! and the notice of later answers that changed.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{ListItem, Paragraph};
use ratatui::Frame;
use std::collections::BTreeSet;
use tui_textarea::{CursorMove, TextArea};

use crate::pack::{Question, QuestionKind};
use crate::session::{Command, QKey, Session, StatusView, StepState, TYPED_COMMANDS};
use crate::tui::action::Action;
use crate::tui::app::{Journey, ListCursor, MouseTargets};
use crate::tui::theme::Theme;
use crate::tui::ui::{draw_list, panel, width, wrap};
use crate::value::AnswerValue;

/// The widgets' state for the question on screen; reset whenever another
/// question comes up.
#[derive(Default)]
pub struct QuestionUi {
    pub key: Option<QKey>,
    pub cursor: ListCursor,
    /// Picked options of a multi-choice question (indices).
    pub picked: BTreeSet<usize>,
    pub input: TextArea<'static>,
    /// The whole placeholder of the text field; each draw fits it to the
    /// field's width then, so a shortened one grows back with the terminal.
    pub placeholder: String,
}

/// The rows of a list question: (value, label, help).
fn rows(q: &Question) -> Vec<(AnswerValue, String, String)> {
    match q.kind {
        QuestionKind::Bool => vec![
            (AnswerValue::Bool(true), "yes".to_string(), String::new()),
            (AnswerValue::Bool(false), "no".to_string(), String::new()),
        ],
        _ => q
            .options
            .iter()
            .map(|o| {
                (
                    AnswerValue::Text(o.value.clone()),
                    o.label().to_string(),
                    o.help.trim().to_string(),
                )
            })
            .collect(),
    }
}

fn is_list(q: &Question) -> bool {
    q.kind.has_options() || q.kind == QuestionKind::Bool
}

impl QuestionUi {
    pub fn is_text(&self, s: &Session) -> bool {
        s.current().is_some_and(|(_, q, _)| !is_list(q))
    }

    pub fn is_multiline(&self, s: &Session) -> bool {
        s.current()
            .is_some_and(|(_, q, _)| q.kind == QuestionKind::Multiline)
    }

    pub fn is_multi(&self, s: &Session) -> bool {
        s.current()
            .is_some_and(|(_, q, _)| q.kind == QuestionKind::MultiChoice)
    }

    /// Loads the current question's value into the widgets when the
    /// question on screen changed.
    pub fn sync(&mut self, s: &Session) {
        let Some((_, q, r)) = s.current() else {
            self.key = None;
            return;
        };
        if self.key.as_ref() == Some(&r.key) {
            return;
        }
        self.key = Some(r.key.clone());
        self.cursor = ListCursor::default();
        self.picked.clear();
        let value = r.value.clone();
        if is_list(q) {
            let options = rows(q);
            match &value {
                Some(AnswerValue::List(items)) => {
                    for (i, (v, _, _)) in options.iter().enumerate() {
                        if let AnswerValue::Text(t) = v {
                            if items.contains(t) {
                                self.picked.insert(i);
                            }
                        }
                    }
                    self.cursor.index = self.picked.first().copied().unwrap_or(0);
                }
                Some(v) => {
                    self.cursor.index = options.iter().position(|(o, _, _)| o == v).unwrap_or(0);
                }
                None => {}
            }
            return;
        }
        // A given answer is shown for editing; a default stays a
        // placeholder, so Enter keeps its provenance instead of "typed".
        let explicit = s.answer(&r.key).map(|a| a.value.to_string());
        let text = match (&explicit, q.kind) {
            (_, QuestionKind::Secret) | (None, _) => String::new(),
            (Some(t), _) => t.clone(),
        };
        let mut input = TextArea::new(text.split('\n').map(str::to_string).collect());
        input.move_cursor(CursorMove::Bottom);
        input.move_cursor(CursorMove::End);
        let default = match (&value, q.kind) {
            (_, QuestionKind::Secret) => "(hidden)".to_string(),
            (Some(v), _) if !v.is_empty() => v.to_string(),
            _ => "(empty)".to_string(),
        };
        self.placeholder = format!("Enter takes the default: {default}");
        input.set_placeholder_text(self.placeholder.clone());
        if q.kind == QuestionKind::Secret {
            input.set_mask_char('•');
        }
        self.input = input;
    }

    pub fn click(&mut self, row: usize, s: &Session) {
        if let Some((_, q, _)) = s.current() {
            if is_list(q) {
                self.cursor.index = row.min(rows(q).len().saturating_sub(1));
            }
        }
    }

    pub fn handle(&mut self, s: &mut Session, action: Action, page: usize) -> bool {
        let Some((_, q, _)) = s.current() else {
            return false;
        };
        let q = q.clone();
        let cmd = match action {
            Action::Confirm => {
                let cmd = self.answer(&q);
                // A typed command word is spent once run: the field must not
                // still hold `status` when the overlay closes.
                if let Command::Answer(text) = &cmd {
                    if crate::session::command_in_answer(&q, text).is_some() {
                        self.input = TextArea::default();
                        self.key = None;
                    }
                }
                Some(cmd)
            }
            Action::Toggle if q.kind == QuestionKind::MultiChoice => {
                let i = self.cursor.index;
                if !self.picked.remove(&i) {
                    self.picked.insert(i);
                }
                None
            }
            Action::Newline if q.kind == QuestionKind::Multiline => {
                self.input.insert_newline();
                None
            }
            Action::Skip => Some(Command::Skip),
            Action::SkipSkill => Some(Command::SkipSkill),
            Action::Back => Some(Command::Back),
            Action::Done => Some(Command::Done),
            Action::Restart => Some(Command::Restart),
            Action::Status => Some(Command::Status),
            other if is_list(&q) => {
                return self.cursor.apply(other, rows(&q).len(), page);
            }
            _ => return false,
        };
        if let Some(cmd) = cmd {
            let _ = s.apply(cmd);
        }
        true
    }

    fn answer(&self, q: &Question) -> Command {
        if is_list(q) {
            let options = rows(q);
            if q.kind == QuestionKind::MultiChoice {
                let picked = options
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| self.picked.contains(i))
                    .filter_map(|(_, (v, _, _))| match v {
                        AnswerValue::Text(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect();
                return Command::AnswerValue(AnswerValue::List(picked));
            }
            return match options.get(self.cursor.index) {
                Some((v, _, _)) => Command::AnswerValue(v.clone()),
                None => Command::Skip,
            };
        }
        let text = self.input.lines().join("\n");
        if text.trim().is_empty() {
            Command::Skip
        } else {
            Command::Answer(text)
        }
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    j: &mut Journey,
    th: &Theme,
    mouse: &mut MouseTargets,
) -> usize {
    let sidebar_w = if area.width >= 100 { 32 } else { 24 };
    let [side, main] =
        Layout::horizontal([Constraint::Length(sidebar_w), Constraint::Min(30)]).areas(area);
    let status = j.session.status();
    sidebar(f, side, &status, th);
    let main = Rect {
        x: main.x + 1,
        width: main.width.saturating_sub(1),
        ..main
    };
    let s = &j.session;
    let Some((step, q, r)) = s.current() else {
        return 1;
    };
    let (k, n) = status.question_of_step();
    let w = main.width as usize;
    let lines_of = |text: &str, style: ratatui::style::Style, indent: &str| -> Vec<Line<'static>> {
        text.lines()
            .flat_map(|l| wrap(l, w, indent))
            .map(|l| Line::styled(l, style))
            .collect()
    };
    let mut top = vec![
        Line::from(vec![
            Span::styled(
                format!("STEP {}/{}: {}", status.step, status.total, step.title),
                th.title(),
            ),
            Span::styled(format!("   question {k}/{n}"), th.dim()),
        ]),
        Line::from(""),
    ];
    top.extend(lines_of(
        &q.prompt,
        th.text().add_modifier(ratatui::style::Modifier::BOLD),
        "",
    ));
    let help = q.help.trim();
    let help_start = top.len();
    if !help.is_empty() {
        let mut h = lines_of(help, th.dim(), "");
        h.truncate(6);
        top.extend(h);
    }
    let help_end = top.len();
    top.push(Line::from(""));
    let list = is_list(q);
    let options = rows(q);
    let value = r.value.clone();
    let ui = &mut j.question;
    let multi = q.kind == QuestionKind::MultiChoice;
    // Each option: its mark and label (wrapped); the highlighted option's
    // help goes under the list, so long help never truncates a label.
    let option_items: Vec<Vec<Line>> = options
        .iter()
        .enumerate()
        .map(|(i, (v, label, _))| {
            let mark = if multi {
                if ui.picked.contains(&i) {
                    "[x] "
                } else {
                    "[ ] "
                }
            } else if value.as_ref() == Some(v) {
                "(•) "
            } else {
                "( ) "
            };
            let text = match v {
                AnswerValue::Text(t) if t != label => format!("{mark}{label} [{t}]"),
                _ => format!("{mark}{label}"),
            };
            wrap(&text, w.saturating_sub(4), "    ")
                .into_iter()
                .map(|l| Line::styled(l, th.text()))
                .collect()
        })
        .collect();
    let option_help = options
        .get(ui.cursor.index)
        .map(|(_, _, h)| h.clone())
        .unwrap_or_default();
    let mut below: Vec<Line> = Vec::new();
    if list && !option_help.is_empty() {
        let mut h = lines_of(&option_help, th.dim(), "");
        h.truncate(3);
        below.extend(h);
    }
    let shown = match (&value, q.kind) {
        (_, QuestionKind::Secret) => "(hidden)".to_string(),
        (Some(v), _) if v.is_empty() => "(empty)".to_string(),
        (Some(v), _) => v.to_string(),
        (None, _) => String::new(),
    };
    let label = if s.answer(&r.key).is_some() {
        "Current"
    } else {
        "Default"
    };
    let prov = r
        .provenance
        .as_ref()
        .map(|p| s.describe(p))
        .unwrap_or_default();
    below.extend(lines_of(
        &format!("{label}: {shown}  ({prov})"),
        th.accent(),
        "  ",
    ));
    if let Some(e) = &s.error {
        below.push(Line::from(""));
        below.extend(lines_of(&format!("✗ {e}"), th.error(), "  "));
    }
    // The typed-command hint comes last and only whole: on a short screen
    // it gives way (the footer names the same commands by key).
    let hint: Vec<Line> = if list {
        Vec::new()
    } else {
        let words: Vec<&str> = TYPED_COMMANDS.iter().map(|(w, _)| *w).collect();
        lines_of(
            &format!("Or type {} and Enter", words.join(", ")),
            th.dim(),
            "",
        )
    };
    // Inside the panel's borders: wrapped two columns narrower, at spaces.
    let change_lines: Vec<Line> = s
        .changes
        .iter()
        .flat_map(|c| {
            wrap(
                &format!("⚠ {}", s.describe_change(c)),
                w.saturating_sub(2),
                "  ",
            )
        })
        .map(|l| Line::styled(l, th.warn()))
        .collect();
    let changes_h = if change_lines.is_empty() {
        0
    } else {
        (change_lines.len() as u16 + 2).min(8)
    };
    let item_rows: usize = option_items.iter().map(Vec::len).sum();
    let fixed = top.len() as u16 + below.len() as u16 + changes_h;
    let room = main.height.saturating_sub(fixed).max(3);
    let input_h: u16 = if list {
        (item_rows as u16 + 2).min(room)
    } else if q.kind == QuestionKind::Multiline {
        6.min(room)
    } else {
        3
    };
    // On a short screen the help gives way first (the prompt, the field,
    // the default and an error never do), ending on "…" when cut.
    let need = top.len() as u16 + input_h + below.len() as u16 + changes_h;
    let over = need.saturating_sub(main.height) as usize;
    if over > 0 && help_end > help_start {
        let cut = over.min(help_end - help_start);
        top.drain(help_end - cut..help_end);
        if help_end - cut > help_start {
            if let Some(last) = top.get_mut(help_end - cut - 1) {
                last.spans.push(Span::styled(" …", th.dim()));
            }
        }
    }
    if top.len() as u16 + input_h + (below.len() + hint.len()) as u16 + changes_h <= main.height {
        below.extend(hint);
    }
    let [top_a, input_a, below_a, changes_a, _rest] = Layout::vertical([
        Constraint::Length(top.len() as u16),
        Constraint::Length(input_h),
        Constraint::Length(below.len() as u16),
        Constraint::Length(changes_h),
        Constraint::Min(0),
    ])
    .areas(main);
    f.render_widget(Paragraph::new(top), top_a);
    if list {
        let items: Vec<ListItem> = option_items.into_iter().map(ListItem::new).collect();
        let block = panel(
            if multi {
                "Pick any (Space), then Enter"
            } else {
                "Choose one"
            },
            th,
            true,
        );
        draw_list(f, input_a, block, items, &mut ui.cursor, th, mouse);
    } else {
        let kind = match q.kind {
            QuestionKind::Secret => "secret: hidden, never saved".to_string(),
            QuestionKind::Multiline => {
                "several lines: Alt-Enter or Ctrl-N for a new line".to_string()
            }
            other => other.as_str().to_string(),
        };
        ui.input.set_block(panel(&kind, th, true));
        ui.input.set_style(th.text());
        ui.input.set_cursor_line_style(th.text());
        ui.input.set_placeholder_style(th.dim());
        // A placeholder wider than the field says less rather than being
        // cut mid-word (the default is on the line below the field).
        let room = input_a.width.saturating_sub(2) as usize;
        let short = "Enter takes the default";
        let text = if width(&ui.placeholder) <= room {
            ui.placeholder.as_str()
        } else if width(short) <= room {
            short
        } else {
            ""
        };
        if ui.input.placeholder_text() != text {
            ui.input.set_placeholder_text(text.to_string());
        }
        super::field::draw(f, input_a, &ui.input);
    }
    f.render_widget(Paragraph::new(below), below_a);
    if changes_h > 0 {
        f.render_widget(
            Paragraph::new(change_lines).block(panel("Your change moved later answers", th, false)),
            changes_a,
        );
    }
    input_h.saturating_sub(2) as usize
}

/// The chain with ✓ done, ◆ current (k/n), ○ pending, – skipped.
pub fn sidebar(f: &mut Frame, area: Rect, status: &StatusView, th: &Theme) {
    let inner_w = area.width.saturating_sub(4) as usize;
    let lines: Vec<Line> = status
        .steps
        .iter()
        .map(|st| {
            let (sym, style, note) = match st.state {
                StepState::Done => ("✓", th.ok(), String::new()),
                StepState::Current { index, count } => {
                    ("◆", th.accent(), format!(" {index}/{count}"))
                }
                StepState::Partial { answered, count } => {
                    ("◐", th.dim(), format!(" {answered}/{count}"))
                }
                StepState::Pending => ("○", th.dim(), String::new()),
                StepState::Skipped => ("–", th.dim(), String::new()),
            };
            let room = inner_w.saturating_sub(note.chars().count() + 2);
            let title: String = if st.key == "blueprint" {
                "quick setup".to_string()
            } else {
                st.key.clone()
            };
            let title = truncate(&title, room);
            let text_style = if matches!(st.state, StepState::Current { .. }) {
                th.text().add_modifier(ratatui::style::Modifier::BOLD)
            } else {
                th.text()
            };
            Line::from(vec![
                Span::styled(format!("{sym} "), style),
                Span::styled(title, text_style),
                Span::styled(note, th.dim()),
            ])
        })
        .collect();
    let mut all = lines;
    all.push(Line::from(""));
    // The same counts as the status overlay and `--plain`, defaults taken
    // unseen (skip skill, done) among them, wrapped to the panel.
    // A count is never split from its words: counts share a line while
    // they fit.
    let inner_w = area.width.saturating_sub(2) as usize;
    let mut counts = vec![format!("{} answered", status.answered)];
    if status.defaulted > 0 {
        counts.push(format!("{} took defaults unseen", status.defaulted));
    }
    counts.push(format!("{} to go", status.remaining));
    let mut line = String::new();
    for c in counts {
        let joined = if line.is_empty() {
            c.clone()
        } else {
            format!("{line} · {c}")
        };
        if crate::tui::ui::width(&joined) <= inner_w || line.is_empty() {
            line = joined;
        } else {
            all.extend(
                crate::tui::ui::wrap(&std::mem::take(&mut line), inner_w, "")
                    .into_iter()
                    .map(|l| Line::styled(l, th.dim())),
            );
            line = c;
        }
    }
    all.extend(
        crate::tui::ui::wrap(&line, inner_w, "")
            .into_iter()
            .map(|l| Line::styled(l, th.dim())),
    );
    f.render_widget(Paragraph::new(all).block(panel("Chain", th, false)), area);
}

/// Cuts `s` to `max` columns with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if crate::tui::ui::width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if crate::tui::ui::width(&out) + 2 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}
