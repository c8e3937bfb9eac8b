//! Putting a frame on the terminal: ratatui's widgets render into the
//! terminal's buffer, and this module sends only the cells that changed
//! since the last frame, then places or hides the cursor and flushes.
//!
//! It does what `Terminal::draw` does, byte for byte, with a cheaper diff:
//! ratatui 0.29 measures the Unicode width of every cell's symbol three
//! times per frame (36,000 measurements at 200×60, half of what a frame
//! costs); here a single printable ASCII character, nearly every cell,
//! counts as width 1 without a measurement, and each symbol is measured at
//! most once.

use std::cell::Cell as StdCell;
use std::io;

use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect};
use ratatui::{Frame, Terminal};
use unicode_width::UnicodeWidthStr;

thread_local! {
    /// Where the frame being rendered wants the terminal's cursor: ratatui
    /// keeps it private to `Frame`, so the one widget that places it (a
    /// text field) also leaves it here through [`place_cursor`].
    static CURSOR: StdCell<Option<Position>> = const { StdCell::new(None) };
}

/// Shows the terminal's cursor at `at` after the frame being rendered.
pub fn place_cursor(f: &mut Frame, at: Position) {
    f.set_cursor_position(at);
    CURSOR.with(|c| c.set(Some(at)));
}

/// Draws frames on one terminal, remembering the last one.
pub struct Painter {
    /// The frame on the screen now (empty before the first).
    shown: Buffer,
    /// Indices of the cells to send, reused between frames.
    changed: Vec<usize>,
}

impl Default for Painter {
    fn default() -> Self {
        Painter::new()
    }
}

impl Painter {
    pub fn new() -> Painter {
        Painter {
            shown: Buffer::empty(Rect::ZERO),
            changed: Vec::new(),
        }
    }

    /// Renders a frame with `render` and sends what changed to the terminal.
    /// The screen must be blank before the first frame (`Terminal::clear`),
    /// as for `Terminal::draw`.
    pub fn draw<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        render: impl FnOnce(&mut Frame),
    ) -> io::Result<()> {
        // A new size clears the screen and both of ratatui's buffers.
        terminal.autoresize()?;
        terminal.current_buffer_mut().reset();
        CURSOR.with(|c| c.set(None));
        render(&mut terminal.get_frame());
        let cursor = CURSOR.with(StdCell::take);
        let previous = terminal.current_buffer_mut();
        if self.shown.area != previous.area {
            // First frame, or the screen was cleared for a new size.
            self.shown = Buffer::empty(previous.area);
        }
        // The new frame becomes the one shown; the terminal's buffer keeps
        // the old one, to be reset and rendered into next time.
        std::mem::swap(&mut self.shown, previous);
        self.changed.clear();
        diff(previous, &self.shown, &mut self.changed);
        let shown = &self.shown;
        terminal.backend_mut().draw(self.changed.iter().map(|&i| {
            let (x, y) = shown.pos_of(i);
            (x, y, &shown.content[i])
        }))?;
        match cursor {
            None => terminal.hide_cursor()?,
            Some(at) => {
                terminal.show_cursor()?;
                terminal.set_cursor_position(at)?;
            }
        }
        terminal.backend_mut().flush()
    }
}

/// The display width of a symbol, as ratatui measures it.
fn width(symbol: &str) -> usize {
    match symbol.as_bytes() {
        [b] if (0x20..0x7f).contains(b) => 1,
        _ => symbol.width(),
    }
}

/// `Cell`'s own equality, field by field, with a one-byte symbol compared
/// without a call to `memcmp`.
fn same(a: &Cell, a_symbol: &str, b: &Cell, b_symbol: &str) -> bool {
    let symbols = match (a_symbol.as_bytes(), b_symbol.as_bytes()) {
        ([x], [y]) => x == y,
        (x, y) => x == y,
    };
    symbols
        && a.fg == b.fg
        && a.bg == b.bg
        && a.underline_color == b.underline_color
        && a.modifier == b.modifier
        && a.skip == b.skip
}

/// The cells of `next` that must be sent over `previous`, as indices, in
/// the order and by the rules of ratatui's `Buffer::diff`: a changed cell,
/// or any cell a wide character covered before, unless a wide character
/// of this frame covers it or it is marked to skip.
fn diff(previous: &Buffer, next: &Buffer, out: &mut Vec<usize>) {
    let mut invalidated: usize = 0;
    let mut to_skip: usize = 0;
    for (i, (current, before)) in next.content.iter().zip(&previous.content).enumerate() {
        let (now_symbol, was_symbol) = (current.symbol(), before.symbol());
        let unchanged = same(current, now_symbol, before, was_symbol);
        if !current.skip && (!unchanged || invalidated > 0) && to_skip == 0 {
            out.push(i);
        }
        let now = width(now_symbol);
        let was = if unchanged { now } else { width(was_symbol) };
        to_skip = now.saturating_sub(1);
        invalidated = now.max(was).max(invalidated).saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::CrosstermBackend;
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::{TerminalOptions, Viewport};

    /// Symbols of every width class: ASCII, control, combining, wide,
    /// emoji with and without a joiner, empty.
    const SYMBOLS: &[&str] = &[
        " ",
        "a",
        "Z",
        "~",
        "\t",
        "\u{7f}",
        "é",
        "e\u{301}",
        "—",
        "界",
        "🦀",
        "👩\u{200d}💻",
        "",
        "\u{200b}",
        "ｱ",
        "x",
    ];

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// A buffer whose cells are mostly blank, with runs of random symbols
    /// and styles, some wide characters and some cells marked to skip;
    /// `base` (when given) is copied first and changed in a few places, as
    /// consecutive frames are.
    fn random_buffer(rng: &mut Rng, area: Rect, base: Option<&Buffer>) -> Buffer {
        let mut buf = base.cloned().unwrap_or_else(|| Buffer::empty(area));
        let edits = if base.is_some() {
            rng.below(8)
        } else {
            area.area() as usize
        };
        for _ in 0..edits {
            let i = rng.below(buf.content.len());
            let run = 1 + rng.below(12);
            for j in i..(i + run).min(buf.content.len()) {
                let cell = &mut buf.content[j];
                cell.set_symbol(SYMBOLS[rng.below(SYMBOLS.len())]);
                cell.set_style(
                    Style::new()
                        .fg(Color::Indexed(rng.below(4) as u8))
                        .bg(Color::Indexed(rng.below(3) as u8))
                        .underline_color(Color::Indexed(rng.below(2) as u8))
                        .add_modifier(if rng.below(5) == 0 {
                            Modifier::BOLD
                        } else {
                            Modifier::empty()
                        }),
                );
                cell.skip = rng.below(40) == 0;
            }
        }
        buf
    }

    #[test]
    fn the_cells_sent_are_those_ratatui_would_send_for_generated_frames() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..300 {
            let area = Rect::new(0, 0, 1 + rng.below(30) as u16, 1 + rng.below(6) as u16);
            let before = random_buffer(&mut rng, area, None);
            let after = if round % 3 == 0 {
                random_buffer(&mut rng, area, None)
            } else {
                random_buffer(&mut rng, area, Some(&before))
            };
            let expected: Vec<(u16, u16)> = before
                .diff(&after)
                .into_iter()
                .map(|(x, y, _)| (x, y))
                .collect();
            let mut got = Vec::new();
            diff(&before, &after, &mut got);
            let got: Vec<(u16, u16)> = got.into_iter().map(|i| after.pos_of(i)).collect();
            assert_eq!(got, expected, "round {round}");
        }
    }

    /// What a terminal was sent, readable while the terminal holds it.
    #[derive(Clone, Default)]
    struct Sent(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl std::io::Write for Sent {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Sent {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.borrow()).into_owned()
        }
    }

    fn terminal(area: Rect, sent: &Sent) -> Terminal<CrosstermBackend<Sent>> {
        Terminal::with_options(
            CrosstermBackend::new(sent.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(area),
            },
        )
        .expect("terminal")
    }

    #[test]
    fn a_sequence_of_frames_writes_the_same_bytes_as_ratatuis_draw() {
        let mut rng = Rng(42);
        let area = Rect::new(0, 0, 24, 5);
        let (their_bytes, our_bytes) = (Sent::default(), Sent::default());
        let mut theirs = terminal(area, &their_bytes);
        let mut ours = terminal(area, &our_bytes);
        let mut painter = Painter::new();
        let mut frame = random_buffer(&mut rng, area, None);
        for n in 0..200 {
            frame = if n % 10 == 0 {
                random_buffer(&mut rng, area, None)
            } else {
                random_buffer(&mut rng, area, Some(&frame))
            };
            let cursor = (n % 4 == 1).then(|| Position::new(rng.below(24) as u16, 2));
            let render = |f: &mut Frame| {
                f.buffer_mut().merge(&frame);
                if let Some(at) = cursor {
                    place_cursor(f, at);
                }
            };
            theirs.draw(render).expect("ratatui draws");
            painter.draw(&mut ours, render).expect("painter draws");
            assert_eq!(our_bytes.text(), their_bytes.text(), "frame {n}");
        }
    }
}
