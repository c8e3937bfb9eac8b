//! Draws a text field (tui-textarea) and puts the terminal's own cursor
//! where the field drew its cursor, so the insertion point a person sees is
//! the real one, also after the field scrolled sideways.

use ratatui::layout::{Position, Rect};
use ratatui::Frame;
use tui_textarea::TextArea;

pub fn draw(f: &mut Frame, area: Rect, input: &TextArea) {
    f.render_widget(input, area);
    let inner = input.block().map_or(area, |b| b.inner(area));
    let cursor = input.cursor_style().add_modifier;
    if cursor.is_empty() {
        return;
    }
    // The field marks its cursor cell with the cursor style; find it in the
    // few cells of the field (one row for one-line fields).
    let buf = f.buffer_mut();
    for y in inner.top()..inner.bottom() {
        for x in inner.left()..inner.right() {
            if buf[(x, y)].modifier.contains(cursor) {
                crate::tui::paint::place_cursor(f, Position { x, y });
                return;
            }
        }
    }
}
