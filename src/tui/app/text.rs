//! Text fields behave like text fields: the readline keys people's hands
//! know (Ctrl-A/E/U/K/W, Alt-B/F), a redraw for every cursor move, one line
//! where one line is asked, pastes as text, and the goal's size cap.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_textarea::{CursorMove, TextArea};

use super::{App, Phase};
use crate::session::Screen;

/// A goal is a few sentences; detection and the chain screen are made for
/// that, and a longer text would make every keystroke slower.
pub const GOAL_MAX_BYTES: usize = 2048;

/// The note shown when the goal would grow past its cap.
pub fn goal_cap_note() -> String {
    format!(
        "the goal is limited to {GOAL_MAX_BYTES} bytes (2 KB): describe what to build in a few sentences; the questions ask for the details"
    )
}

/// What a key did to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed.
    Changed,
    /// Only the cursor moved (the field must be drawn again).
    Moved,
    /// Nothing: the key is not for the field.
    Nothing,
}

/// Applies `key` to `input` with readline's meanings; a single-line field
/// never takes a line break or a tab.
pub fn edit(input: &mut TextArea<'static>, key: KeyEvent, multiline: bool) -> Edit {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let before = input.cursor();
    let changed = match (key.code, ctrl, alt) {
        (KeyCode::Char('a'), true, false) => {
            input.move_cursor(CursorMove::Head);
            false
        }
        (KeyCode::Char('e'), true, false) => {
            input.move_cursor(CursorMove::End);
            false
        }
        // Readline's Ctrl-U deletes to the start of the line (tui-textarea
        // would undo instead).
        (KeyCode::Char('u'), true, false) => input.delete_line_by_head(),
        (KeyCode::Char('k'), true, false) => input.delete_line_by_end(),
        (KeyCode::Char('w'), true, false) | (KeyCode::Backspace, false, true) => {
            input.delete_word()
        }
        (KeyCode::Char('d'), false, true) => input.delete_next_word(),
        (KeyCode::Char('b'), false, true) => {
            input.move_cursor(CursorMove::WordBack);
            false
        }
        (KeyCode::Char('f'), false, true) => {
            // Readline: to the end of this or the next word.
            let (row, col) = input.cursor();
            let line: Vec<char> = input.lines()[row].chars().collect();
            let word = |c: &char| c.is_alphanumeric() || *c == '_';
            let mut i = col;
            while i < line.len() && !word(&line[i]) {
                i += 1;
            }
            while i < line.len() && word(&line[i]) {
                i += 1;
            }
            input.move_cursor(CursorMove::Jump(row as u16, i as u16));
            false
        }
        (KeyCode::Char('z'), true, false) => input.undo(),
        (KeyCode::Char('j' | 'm'), true, false) | (KeyCode::Enter, _, _) if !multiline => false,
        (KeyCode::Tab | KeyCode::BackTab, _, _) if !multiline => false,
        // Line moves in a one-line field would jump to its ends.
        (KeyCode::Char('n' | 'p'), true, false) | (KeyCode::Up | KeyCode::Down, _, _)
            if !multiline =>
        {
            false
        }
        _ => input.input(key),
    };
    if changed {
        Edit::Changed
    } else if input.cursor() != before {
        Edit::Moved
    } else {
        Edit::Nothing
    }
}

/// Forgets how far a field had scrolled, keeping its cursor and text:
/// after the terminal grows, a line that now fits is drawn from its start
/// instead of staying scrolled sideways until the cursor moves. The next
/// draw scrolls only as far as the cursor needs at the new size.
pub fn realign(input: &mut TextArea<'static>) {
    let (row, col) = input.cursor();
    // Twice by the largest step: a step of i16::MIN cannot be negated, and
    // a scroll offset is a u16.
    for _ in 0..2 {
        input.scroll((-i16::MAX, -i16::MAX));
    }
    input.move_cursor(CursorMove::Jump(
        u16::try_from(row).unwrap_or(u16::MAX),
        u16::try_from(col).unwrap_or(u16::MAX),
    ));
}

/// Bytes of text in a field (lines joined by one separator).
fn len(input: &TextArea) -> usize {
    let lines = input.lines();
    lines.iter().map(String::len).sum::<usize>() + lines.len().saturating_sub(1)
}

/// The longest prefix of `text` that fits in `room` bytes.
fn fit(text: &str, room: usize) -> &str {
    if text.len() <= room {
        return text;
    }
    let mut end = room;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl App {
    /// A key no binding claims: text for the field that has focus.
    pub(super) fn type_key(&mut self, key: KeyEvent) -> bool {
        match &mut self.phase {
            Phase::Goal(g) => {
                let grows = matches!(key.code, KeyCode::Char(_))
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                if grows && len(&g.input) + 1 > GOAL_MAX_BYTES {
                    g.error = Some(goal_cap_note());
                    return true;
                }
                match edit(&mut g.input, key, false) {
                    Edit::Changed => {
                        if len(&g.input) > GOAL_MAX_BYTES {
                            // A yank of deleted text that does not fit.
                            g.input.undo();
                            g.error = Some(goal_cap_note());
                            return true;
                        }
                        // A burst is detected once, after its last key.
                        if !self.guard.in_burst() {
                            if let Some(r) = &self.registry {
                                g.detect(r, self.opts.pack.as_deref());
                            }
                        }
                        true
                    }
                    Edit::Moved => true,
                    Edit::Nothing => false,
                }
            }
            Phase::Resume(_) => false,
            Phase::Journey(j) => {
                if !matches!(j.session.screen, Screen::Question { .. })
                    || !j.question.is_text(&j.session)
                {
                    return false;
                }
                let multiline = j.question.is_multiline(&j.session);
                match edit(&mut j.question.input, key, multiline) {
                    Edit::Changed => {
                        j.session.error = None;
                        true
                    }
                    Edit::Moved => true,
                    Edit::Nothing => false,
                }
            }
        }
    }

    /// Enter that came inside a burst of keys: a line break in the text
    /// being typed (a space where one line is asked), nothing elsewhere.
    pub(super) fn burst_enter(&mut self) -> bool {
        match &mut self.phase {
            Phase::Goal(g) => {
                let ends_blank = g.text().ends_with(' ') || g.text().is_empty();
                if ends_blank {
                    return false;
                }
                if len(&g.input) + 1 > GOAL_MAX_BYTES {
                    g.error = Some(goal_cap_note());
                    return true;
                }
                g.input.insert_char(' ');
                true
            }
            Phase::Journey(j)
                if matches!(j.session.screen, Screen::Question { .. })
                    && j.question.is_text(&j.session) =>
            {
                if j.question.is_multiline(&j.session) {
                    j.question.input.insert_newline();
                } else {
                    j.question.input.insert_char(' ');
                }
                true
            }
            _ => false,
        }
    }

    /// Detection of the goal as it is now (after a burst of keys).
    pub(super) fn detect_goal(&mut self) {
        if let (Phase::Goal(g), Some(r)) = (&mut self.phase, &self.registry) {
            g.detect(r, self.opts.pack.as_deref());
        }
    }

    /// Bracketed paste: always text, in the field that has focus.
    pub(super) fn on_paste(&mut self, text: &str) -> bool {
        let flat = |t: &str| t.replace(['\r', '\n', '\t'], " ");
        match &mut self.phase {
            Phase::Goal(g) => {
                let text = flat(text);
                let room = GOAL_MAX_BYTES.saturating_sub(len(&g.input));
                let part = fit(&text, room);
                g.input.insert_str(part);
                if let Some(r) = &self.registry {
                    g.detect(r, self.opts.pack.as_deref());
                }
                if part.len() < text.len() {
                    g.error = Some(goal_cap_note());
                }
                true
            }
            Phase::Journey(j)
                if matches!(j.session.screen, Screen::Question { .. })
                    && j.question.is_text(&j.session) =>
            {
                if j.question.is_multiline(&j.session) {
                    j.question.input.insert_str(text);
                } else {
                    j.question.input.insert_str(flat(text));
                }
                j.session.error = None;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> TextArea<'static> {
        let mut t = TextArea::new(vec![text.to_string()]);
        t.move_cursor(CursorMove::End);
        t
    }

    fn key(spec: &str) -> KeyEvent {
        let c: crate::tui::keymap::Chord = spec.parse().expect("a key");
        KeyEvent::new(c.code, c.mods)
    }

    /// The first row of a drawn field, as text.
    fn drawn(t: &TextArea<'static>, width: u16) -> String {
        use ratatui::widgets::Widget;
        let area = ratatui::layout::Rect::new(0, 0, width, 1);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        t.render(area, &mut buf);
        (0..width).map(|x| buf[(x, 0)].symbol()).collect()
    }

    #[test]
    fn a_field_scrolled_at_a_narrow_width_shows_its_start_once_it_fits() {
        let goal = "rollback plan for switching fct_orders to incremental";
        for cursor in [0, 7, goal.len()] {
            let mut t = field(goal);
            t.move_cursor(CursorMove::Jump(0, u16::try_from(cursor).expect("short")));
            // Narrow: the field scrolls to keep the cursor in view.
            let narrow = drawn(&t, 20);
            realign(&mut t);
            assert_eq!(t.cursor(), (0, cursor), "the cursor stays put");
            assert_eq!(t.lines(), [goal.to_string()], "the text stays put");
            let wide = drawn(&t, 80);
            assert!(
                wide.starts_with(goal),
                "{cursor}: {wide:?} (narrow {narrow:?})"
            );
            // Narrow again: the cursor is still in view.
            realign(&mut t);
            let again = drawn(&t, 20);
            let before = &goal[cursor.saturating_sub(19)..cursor];
            assert!(
                again.contains(before),
                "{cursor}: {again:?} lacks {before:?}"
            );
        }
    }

    #[test]
    fn readline_keys_edit_a_field_as_a_shell_would() {
        // (keys, text after, cursor column after)
        let cases: &[(&str, &str, usize)] = &[
            ("ctrl-a", "kafka to snowflake", 0),
            ("ctrl-a ctrl-e", "kafka to snowflake", 18),
            ("ctrl-u", "", 0),
            ("alt-b alt-b ctrl-u", "to snowflake", 0),
            ("alt-b alt-b ctrl-k", "kafka ", 6),
            ("ctrl-w", "kafka to ", 9),
            ("ctrl-a alt-f", "kafka to snowflake", 5),
            ("ctrl-a alt-f alt-f", "kafka to snowflake", 8),
            ("alt-f", "kafka to snowflake", 18),
            ("home", "kafka to snowflake", 0),
            ("home right x", "kxafka to snowflake", 2),
            ("left left ctrl-u", "ke", 0),
        ];
        for (keys, text, col) in cases {
            let mut t = field("kafka to snowflake");
            for k in keys.split(' ') {
                edit(&mut t, key(k), false);
            }
            assert_eq!(t.lines(), [text.to_string()], "{keys}");
            assert_eq!(t.cursor(), (0, *col), "{keys}");
        }
    }

    #[test]
    fn a_one_line_field_takes_no_line_break_or_tab() {
        for k in ["ctrl-j", "ctrl-m", "enter", "tab", "up", "down", "ctrl-n"] {
            let mut t = field("abc");
            assert_eq!(edit(&mut t, key(k), false), Edit::Nothing, "{k}");
            assert_eq!(t.lines(), ["abc".to_string()], "{k}");
        }
        let mut t = field("abc");
        assert_eq!(edit(&mut t, key("enter"), true), Edit::Changed);
        assert_eq!(t.lines().len(), 2);
    }

    #[test]
    fn a_cursor_move_is_reported_so_the_field_is_drawn_again() {
        let mut t = field("abc");
        assert_eq!(edit(&mut t, key("left"), false), Edit::Moved);
        assert_eq!(edit(&mut t, key("home"), false), Edit::Moved);
        assert_eq!(edit(&mut t, key("home"), false), Edit::Nothing);
        assert_eq!(edit(&mut t, key("x"), false), Edit::Changed);
    }

    #[test]
    fn fit_cuts_at_a_character_boundary() {
        assert_eq!(fit("abc", 5), "abc");
        assert_eq!(fit("aéb", 2), "a");
        assert_eq!(fit("aéb", 3), "aé");
    }
}
