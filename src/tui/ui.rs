//! Drawing: the frame's header, body (the current screen) and footer, the
//! overlays on top, and the "terminal too small" message.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap,
};
use ratatui::Frame;

use super::action::Action;
use super::app::{App, ListCursor, MouseTargets, Phase};
use super::keymap::Context;
use super::screens;
use super::theme::Theme;
use crate::session::{Overlay, Screen};

/// Below this the layout cannot show a question with its choices.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn draw(f: &mut Frame, app: &mut App) {
    let area = f.area();
    app.mouse = Default::default();
    // A field borrow, not a clone: the render path allocates nothing for it.
    let th = &app.theme;
    f.render_widget(Block::new().style(th.text()), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        // Only quitting acts here, so its prompt is the one thing shown.
        let msg = if app.asking_quit {
            format!(
                "Quit now? {}\n\ny / Enter: quit\nany other key: stay",
                app.quit_consequence()
            )
        } else {
            format!(
                "Make the terminal at least {MIN_WIDTH}×{MIN_HEIGHT}\n(it is {}×{} now).\n\nNothing is lost: the app goes on\nwhen there is room. Ctrl-C quits.",
                area.width, area.height
            )
        };
        f.render_widget(
            Paragraph::new(msg)
                .style(th.warn())
                .wrap(Wrap { trim: true }),
            area,
        );
        app.guard.resized(area.width, area.height);
        let view = app.view();
        app.guard.drawn(view);
        return;
    }
    app.guard.resized(area.width, area.height);
    let ctx = app.context();
    let hints = footer_lines(footer_hints(app, ctx), area.width as usize);
    let hint_lines = hints.len() as u16;
    // A message takes up to three lines: errors say what to do, in full;
    // a longer one ends in `…`, so a cut never reads as the whole message.
    let message: Option<(Vec<String>, Style)> = footer_message(app).map(|(text, style)| {
        let mut lines = wrap(&text, area.width as usize, "  ");
        if lines.len() > 3 {
            lines.truncate(3);
            lines[2] = screens::question::truncate(&format!("{}…", lines[2]), area.width as usize);
        }
        (lines, style)
    });
    let message_h = message.as_ref().map_or(0, |(l, _)| l.len() as u16);
    let [header, body, msg_area, hint_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(message_h),
        Constraint::Length(hint_lines),
    ])
    .areas(area);
    draw_header(f, header, app, th);
    match &mut app.phase {
        Phase::Goal(g) => screens::goal::render(f, body, g, th),
        Phase::Resume(r) => screens::resume::render(f, body, r, th, &app.keymap),
        Phase::Journey(j) => {
            let page = match j.session.screen {
                Screen::Chain => screens::chain::render(f, body, j, th),
                Screen::Customize => screens::customize::render(f, body, j, th, &mut app.mouse),
                Screen::Question { .. } => {
                    screens::question::render(f, body, j, th, &mut app.mouse)
                }
                Screen::Review => screens::review::render(f, body, j, th, &mut app.mouse),
                Screen::Tree => screens::tree::render(f, body, j, th, &mut app.mouse),
                Screen::Report => {
                    screens::report::render(f, body, j, th, &app.keymap, &mut app.mouse)
                }
            };
            app.page = page.max(1);
        }
    }
    if let Some((lines, style)) = message {
        let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
        f.render_widget(Paragraph::new(lines), msg_area);
    }
    f.render_widget(Paragraph::new(hints), hint_area);
    draw_overlays(f, body, app, th, ctx);
    let view = app.view();
    app.guard.drawn(view);
}

fn draw_header(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let (where_, detail) = match &app.phase {
        Phase::Goal(_) => ("goal".to_string(), String::new()),
        Phase::Resume(r) => ("resume".to_string(), r.saved.pack.clone()),
        Phase::Journey(j) => {
            let s = &j.session;
            let screen = match s.screen {
                Screen::Chain => "chain",
                Screen::Customize => "customize",
                Screen::Question { .. } => "questions",
                Screen::Review => "review",
                Screen::Tree => "tree",
                Screen::Report => "report",
            };
            let bp = s
                .blueprint
                .as_deref()
                .map(|b| format!(" · blueprint {b}"))
                .unwrap_or_default();
            (screen.to_string(), format!("{}{bp}", s.pack().id()))
        }
    };
    let line = Line::from(vec![
        Span::styled(" skillchain ", th.selected()),
        Span::styled(format!(" {where_} "), th.title()),
        Span::styled(detail, th.dim()),
    ]);
    f.render_widget(Paragraph::new(line), area);
}

/// The one-line message above the key hints: a refusal, a change notice or
/// a note, in that order.
fn footer_message(app: &App) -> Option<(String, Style)> {
    let th = &app.theme;
    match &app.phase {
        Phase::Goal(g) => g.error.as_ref().map(|e| (format!("✗ {e}"), th.error())),
        Phase::Resume(_) => None,
        Phase::Journey(j) => {
            let inline = matches!(j.session.screen, Screen::Question { .. });
            if let Some(e) = j.session.error.as_ref().filter(|_| !inline) {
                return Some((format!("✗ {e}"), th.error()));
            }
            if !j.session.changes.is_empty() && !inline {
                let all: Vec<String> = j
                    .session
                    .changes
                    .iter()
                    .map(|c| j.session.describe_change(c))
                    .collect();
                return Some((
                    format!("⚠ Later answers changed: {}", all.join("; ")),
                    th.warn(),
                ));
            }
            j.notice.as_ref().map(|n| (format!("• {n}"), th.accent()))
        }
    }
}

/// Actions worth a reminder on each screen; their keys come from the keymap.
fn footer_actions(app: &App, ctx: Context) -> Vec<(Action, &'static str)> {
    use Action::*;
    let mut v: Vec<(Action, &'static str)> = match ctx {
        Context::Goal => vec![(Confirm, "show the chain")],
        // The pack picker takes every key while it is open.
        Context::Chain if app.journey().is_some_and(|j| j.packs.is_some()) => {
            vec![(Confirm, "switch to this pack"), (Packs, "close")]
        }
        Context::Chain => {
            let mut v = vec![
                (Confirm, "start"),
                (SkipAll, "all defaults"),
                (Customize, "customize"),
            ];
            if let Some(s) = app.session() {
                if s.detection.offer.is_some() {
                    if s.blueprint.is_some() {
                        v.push((DropBlueprint, "no blueprint"));
                    } else {
                        v.push((UseBlueprint, "use blueprint"));
                    }
                }
            }
            // Another pack is always one key away when there is one.
            if app.pack_count() > 1 {
                v.push((Packs, "pick pack"));
            }
            v.push((Back, "edit goal"));
            v
        }
        Context::Customize => vec![(Toggle, "add/remove"), (Confirm, "done")],
        Context::QuestionList | Context::QuestionText => {
            let mut v = vec![(Confirm, "answer")];
            if ctx == Context::QuestionList {
                let multi = app
                    .journey()
                    .is_some_and(|j| j.question.is_multi(&j.session));
                if multi {
                    v.push((Toggle, "pick"));
                }
            }
            v.extend([
                (Skip, "skip"),
                (SkipSkill, "skip skill"),
                (Back, "back"),
                (Status, "status"),
                (Done, "done"),
                (Restart, "restart"),
            ]);
            v
        }
        Context::Review => vec![
            (Confirm, "edit/resolve"),
            (Write, "preview & write"),
            (Back, "back"),
        ],
        Context::Tree => {
            // Only the keys that act on the row under the cursor.
            let tree = app.journey().and_then(|j| j.tree.as_ref());
            let file = tree.and_then(|t| t.current_file());
            let mut v = vec![(Write, "write")];
            match file.map(|f| f.status) {
                Some(crate::generate::FileStatus::Conflict) => {
                    v.extend([
                        (Overwrite, "overwrite"),
                        (Keep, "keep"),
                        (ToggleDiff, "diff"),
                    ]);
                }
                _ if tree.is_some_and(|t| t.on_folder()) => {
                    v.extend([(Confirm, "fold/open")]);
                }
                _ => {}
            }
            if file.is_some_and(|f| f.status != crate::generate::FileStatus::Skipped) {
                v.extend([(PreviewDown, "preview down"), (PreviewUp, "up")]);
            }
            v.push((Back, "back"));
            v
        }
        Context::Report => {
            let mut v = vec![(Details, "details"), (NextMaturity, "maturity")];
            if app
                .journey()
                .and_then(|j| j.report.as_ref())
                .is_some_and(|r| !r.remember_done)
            {
                v.push((Remember, "remember answers"));
            }
            let report = app.journey().and_then(|j| j.report.as_ref());
            // Generate acts on what the list shows, whatever the verdict.
            if report.is_some_and(|r| r.report.to_fix().next().is_some()) {
                v.push((GenerateMissing, "generate missing"));
            }
            if report.is_some_and(|r| !r.report.pass) {
                v.push((ContinueAnyway, "continue"));
            }
            v.push((Back, "tree"));
            v
        }
        _ => Vec::new(),
    };
    v.push((Help, "help"));
    v.push((Quit, "quit"));
    v
}

/// Each hint as its key and label spans.
fn footer_hints(app: &App, ctx: Context) -> Vec<[Span<'static>; 2]> {
    let th = &app.theme;
    footer_actions(app, ctx)
        .into_iter()
        .filter_map(|(action, label)| {
            let key = app.keymap.key_label(ctx, action)?;
            Some([
                Span::styled(format!(" {key}"), th.key()),
                Span::styled(format!(" {label} "), th.dim()),
            ])
        })
        .collect()
}

/// Hints laid out in at most two lines, never split inside a hint; when
/// they do not fit, hints before the last two (help, quit) give way.
fn footer_lines(mut hints: Vec<[Span<'static>; 2]>, max: usize) -> Vec<Line<'static>> {
    loop {
        let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
        let mut used = 0;
        for [k, l] in hints.iter().cloned() {
            let w = k.width() + l.width();
            if used + w > max && used > 0 {
                lines.push(Vec::new());
                used = 0;
            }
            used += w;
            if let Some(last) = lines.last_mut() {
                last.push(k);
                last.push(l);
            }
        }
        if lines.len() <= 2 || hints.len() <= 2 {
            return lines.into_iter().map(Line::from).collect();
        }
        hints.remove(hints.len() - 3);
    }
}

fn draw_overlays(f: &mut Frame, body: Rect, app: &App, th: &Theme, ctx: Context) {
    if app.asking_quit {
        let msg = format!(
            "Quit now? {}\n\ny / Enter: quit    any other key: stay",
            app.quit_consequence()
        );
        popup(f, body, "Quit?", &msg, th, 60, 8);
        return;
    }
    if app.goal_help {
        screens::overlay::help(f, body, app, th, ctx);
        return;
    }
    let Some(j) = app.journey() else { return };
    if j.session.pending.is_some() {
        let msg = "Restart: every answer is cleared and you return to the chain with the same goal.\n\ny / Enter: restart    any other key: keep going";
        popup(f, body, "Restart?", msg, th, 64, 6);
        return;
    }
    match j.session.overlay {
        Some(Overlay::Help) => screens::overlay::help(f, body, app, th, ctx),
        Some(Overlay::Status) => screens::overlay::status(f, body, j, th),
        None => {}
    }
}

/// A bordered box centred in `area`, at most `w`×`h`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn popup(f: &mut Frame, area: Rect, title: &str, text: &str, th: &Theme, w: u16, h: u16) {
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(text.to_string())
            .style(th.text())
            .wrap(Wrap { trim: false })
            .block(panel(title, th, true)),
        r,
    );
}

/// The bordered panel every screen uses.
pub fn panel<'a>(title: &str, th: &Theme, focused: bool) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(th.border(focused))
        .title(Span::styled(format!(" {title} "), th.title()))
}

/// Draws a screen's main list: the cursor's row highlighted, the scroll
/// offset kept in `cursor`, and the row → item map a click needs.
/// Returns the list's inner area.
#[allow(clippy::too_many_arguments)]
pub fn draw_list<'a>(
    f: &mut Frame,
    area: Rect,
    block: Block<'a>,
    items: Vec<ListItem<'a>>,
    cursor: &mut ListCursor,
    th: &Theme,
    mouse: &mut MouseTargets,
) -> Rect {
    let heights: Vec<usize> = items.iter().map(ListItem::height).collect();
    let inner = block.inner(area);
    // A list that got shorter (a conflict resolved, a folder folded) is
    // scrolled back so it keeps no blank rows below its end.
    while cursor.offset > 0
        && heights[(cursor.offset - 1).min(heights.len())..]
            .iter()
            .sum::<usize>()
            <= inner.height as usize
    {
        cursor.offset -= 1;
    }
    let mut state = ListState::default()
        .with_selected(Some(cursor.index))
        .with_offset(cursor.offset);
    f.render_stateful_widget(
        List::new(items)
            .block(block)
            .highlight_style(th.selected())
            .highlight_symbol("› "),
        area,
        &mut state,
    );
    cursor.offset = state.offset();
    let shown = rows_to_items(&heights, cursor.offset, inner.height);
    // Below: every item not drawn whole (one cut at the bottom included).
    let mut used = 0usize;
    let whole = heights
        .iter()
        .skip(cursor.offset)
        .take_while(|h| {
            used += **h;
            used <= inner.height as usize
        })
        .count();
    let below = heights.len().saturating_sub(cursor.offset + whole);
    scroll_hint(f, area, cursor.offset, below, th);
    mouse.list = Some((inner, shown));
    inner
}

/// [`draw_list`] for items of several lines each: when the next item does
/// not fit whole below the last one drawn, its first lines fill the rows
/// left, so the view never ends on blank rows while more follows.
pub fn draw_list_lines<'a>(
    f: &mut Frame,
    area: Rect,
    block: Block<'a>,
    item_lines: Vec<Vec<Line<'a>>>,
    cursor: &mut ListCursor,
    th: &Theme,
    mouse: &mut MouseTargets,
) -> Rect {
    let heights: Vec<usize> = item_lines.iter().map(Vec::len).collect();
    let items: Vec<ListItem> = item_lines.iter().cloned().map(ListItem::new).collect();
    let inner = draw_list(f, area, block, items, cursor, th, mouse);
    let mut used = 0usize;
    let mut next = cursor.offset;
    while next < heights.len() && used + heights[next] <= inner.height as usize {
        used += heights[next];
        next += 1;
    }
    let left = (inner.height as usize).saturating_sub(used);
    if left > 0 && next < item_lines.len() {
        // The list indents every item by the width of the cursor mark; an
        // item taller than the whole view (drawn by nobody else) carries
        // the mark itself when it is the cursor's.
        let indent = 2u16.min(inner.width);
        let mark = used == 0 && next == cursor.index;
        if mark {
            f.render_widget(
                Paragraph::new("› ").style(th.selected()),
                Rect {
                    width: indent,
                    height: 1,
                    ..inner
                },
            );
        }
        let r = Rect {
            x: inner.x + indent,
            y: inner.y + used as u16,
            width: inner.width - indent,
            height: left as u16,
        };
        let lines: Vec<Line> = item_lines[next].iter().take(left).cloned().collect();
        let para = Paragraph::new(lines);
        f.render_widget(
            if mark {
                para.style(th.selected())
            } else {
                para
            },
            r,
        );
    }
    inner
}

/// "↑ 3 above · ↓ 12 more below" on the bottom border of a list that does
/// not fit, so nothing sits below the fold unnoticed.
pub fn scroll_hint(f: &mut Frame, area: Rect, above: usize, below: usize, th: &Theme) {
    let mut parts = Vec::new();
    if above > 0 {
        parts.push(format!("↑ {above} above"));
    }
    if below > 0 {
        parts.push(format!("↓ {below} more below"));
    }
    if parts.is_empty() || area.height < 2 {
        return;
    }
    let text = format!(" {} ", parts.join(" · "));
    let w = width(&text) as u16;
    if w + 4 > area.width {
        return;
    }
    let r = Rect {
        x: area.right() - w - 2,
        y: area.bottom() - 1,
        width: w,
        height: 1,
    };
    f.render_widget(Paragraph::new(text).style(th.accent()), r);
}

/// Display width of a string in terminal columns.
pub fn width(s: &str) -> usize {
    Line::from(s).width()
}

/// `text` broken at spaces into lines of at most `max` columns; lines after
/// the first start with `indent`. A word longer than a line is cut.
pub fn wrap(text: &str, max: usize, indent: &str) -> Vec<String> {
    let max = max.max(width(indent) + 8);
    let mut lines = Vec::new();
    let body = text.trim_start_matches(' ');
    let mut line = text[..text.len() - body.len()].to_string();
    for word in body.split(' ') {
        let room = max.saturating_sub(width(&line));
        let sep = usize::from(!line.trim().is_empty());
        if !line.trim().is_empty() && width(word) + sep > room {
            lines.push(std::mem::take(&mut line));
            line.push_str(indent);
        } else if sep == 1 {
            line.push(' ');
        }
        let mut w = word.to_string();
        while width(&line) + width(&w) > max {
            let fit = max - width(&line);
            let head: String = take_columns(&w, fit);
            if head.is_empty() {
                break;
            }
            w = w[head.len()..].to_string();
            line.push_str(&head);
            lines.push(std::mem::take(&mut line));
            line.push_str(indent);
        }
        line.push_str(&w);
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn take_columns(s: &str, cols: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let mut probe = out.clone();
        probe.push(c);
        if width(&probe) > cols {
            break;
        }
        out = probe;
    }
    out
}

/// For a list of items of `heights` rows drawn from item `offset` in `rows`
/// rows: the item under each row (what a click there picks).
pub fn rows_to_items(heights: &[usize], offset: usize, rows: u16) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, h) in heights.iter().enumerate().skip(offset) {
        for _ in 0..*h {
            if out.len() >= rows as usize {
                return out;
            }
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_with_a_hanging_indent() {
        assert_eq!(
            wrap(
                "matched \"snowflake\" (score 10); required; dependency of x",
                24,
                "    "
            ),
            [
                "matched \"snowflake\"",
                "    (score 10);",
                "    required; dependency",
                "    of x"
            ]
        );
        assert_eq!(wrap("", 10, "  "), [""]);
        assert_eq!(wrap("   lead kept", 40, " "), ["   lead kept"]);
        assert_eq!(wrap("ストリーミング", 10, ""), ["ストリーミ", "ング"]);
    }

    #[test]
    fn each_row_of_a_list_maps_to_its_item() {
        assert_eq!(rows_to_items(&[1, 2, 1, 3], 1, 5), [1, 1, 2, 3, 3]);
    }
}
