//! The generated tree before anything is written: folders that fold, each
//! file marked new / identical / conflict / skipped, a preview of the
//! content or of the diff against disk, a decision per conflict, and the
//! write itself.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, ListItem, Paragraph};
use ratatui::Frame;
use std::collections::{BTreeMap, BTreeSet};

use super::report::ReportUi;
use crate::generate::{self, build_plan, FileStatus, Plan};
use crate::session::Command;
use crate::tui::action::Action;
use crate::tui::app::{Journey, ListCursor, MouseTargets, Written};
use crate::tui::theme::Theme;
use crate::tui::ui::{centered, draw_list, panel, width, wrap};

pub struct TreeUi {
    pub plan: Plan,
    pub collapsed: BTreeSet<String>,
    pub cursor: ListCursor,
    /// Conflicting file → overwrite (true) or keep (false).
    pub decisions: BTreeMap<String, bool>,
    pub show_diff: bool,
    pub preview_scroll: u16,
    pub error: Option<String>,
    pub writing: bool,
    /// The visible rows, rebuilt only when a folder folds or opens.
    nodes: Vec<Node>,
    /// Diffs of the conflicting files, computed once.
    diffs: BTreeMap<String, String>,
}

/// One visible row of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub path: String,
    pub name: String,
    pub depth: usize,
    /// Index into the plan's files; None for a folder.
    pub file: Option<usize>,
}

impl TreeUi {
    pub fn new(plan: Plan) -> TreeUi {
        let diffs = plan
            .conflicts()
            .map(|f| {
                let d = generate::unified_diff(
                    &f.path,
                    f.existing.as_deref().unwrap_or(""),
                    &f.content,
                    3,
                );
                (f.path.clone(), d)
            })
            .collect();
        let mut t = TreeUi {
            nodes: Vec::new(),
            diffs,
            plan,
            collapsed: BTreeSet::new(),
            cursor: ListCursor::default(),
            decisions: BTreeMap::new(),
            show_diff: true,
            preview_scroll: 0,
            error: None,
            writing: false,
        };
        t.nodes = t.layout();
        // The first conflict is the first thing to decide.
        if let Some(i) = t.nodes.iter().position(|n| {
            n.file
                .is_some_and(|i| t.plan.files[i].status == FileStatus::Conflict)
        }) {
            t.cursor.index = i;
        }
        t
    }

    /// The file under the cursor, if the row is a file.
    pub fn current_file(&self) -> Option<&generate::PlannedFile> {
        self.visible()
            .get(self.cursor.index)
            .and_then(|n| n.file)
            .and_then(|i| self.plan.files.get(i))
    }

    /// True when the row under the cursor is a folder.
    pub fn on_folder(&self) -> bool {
        self.visible()
            .get(self.cursor.index)
            .is_some_and(|n| n.file.is_none())
    }

    /// The visible rows.
    pub fn visible(&self) -> &[Node] {
        &self.nodes
    }

    fn fold(&mut self, path: String, fold: bool) {
        if fold {
            self.collapsed.insert(path);
        } else {
            self.collapsed.remove(&path);
        }
        self.nodes = self.layout();
    }

    /// Folders and files in path order, without what folded folders hide.
    fn layout(&self) -> Vec<Node> {
        let mut order: Vec<(Vec<&str>, usize)> = self
            .plan
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.path.split('/').collect(), i))
            .collect();
        order.sort();
        let mut out = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (parts, i) in order {
            let mut hidden = false;
            for d in 0..parts.len() - 1 {
                let dir = parts[..=d].join("/");
                if hidden {
                    break;
                }
                if seen.insert(dir.clone()) {
                    out.push(Node {
                        name: format!("{}/", parts[d]),
                        path: dir.clone(),
                        depth: d,
                        file: None,
                    });
                }
                if self.collapsed.contains(&dir) {
                    hidden = true;
                }
            }
            if !hidden {
                out.push(Node {
                    path: parts.join("/"),
                    name: parts[parts.len() - 1].to_string(),
                    depth: parts.len() - 1,
                    file: Some(i),
                });
            }
        }
        out
    }

    pub fn click(&mut self, row: usize) {
        let n = self.visible().len();
        self.cursor.index = row.min(n.saturating_sub(1));
        self.preview_scroll = 0;
    }

    fn undecided(&self) -> usize {
        self.plan
            .conflicts()
            .filter(|f| !self.decisions.contains_key(&f.path))
            .count()
    }
}

/// Builds the plan for the tree screen; a plan that cannot be built sends
/// the user back to review with the reason.
pub fn enter(j: &mut Journey) {
    match build_plan(&j.session, &j.out) {
        Ok(plan) => j.tree = Some(TreeUi::new(plan)),
        Err(problems) => {
            let _ = j.session.apply(Command::Back);
            j.session.error = Some(format!("the files cannot be generated: {problems}"));
        }
    }
}

/// Returns (changed, write requested).
pub fn handle(j: &mut Journey, action: Action, page: usize) -> (bool, bool) {
    let Some(t) = j.tree.as_mut() else {
        return (false, false);
    };
    let nodes_len = t.visible().len();
    let current = t.visible().get(t.cursor.index).cloned();
    let file = current
        .as_ref()
        .and_then(|n| n.file)
        .and_then(|i| t.plan.files.get(i));
    t.error = None;
    match action {
        Action::Back => {
            let _ = j.session.apply(Command::Back);
            (true, false)
        }
        Action::Write => {
            let left = t.undecided();
            if left > 0 {
                t.error = Some(format!(
                    "{left} file{} on disk differ{}: choose overwrite or keep for each first",
                    if left == 1 { "" } else { "s" },
                    if left == 1 { "s" } else { "" }
                ));
                return (true, false);
            }
            t.writing = true;
            (true, true)
        }
        Action::Overwrite | Action::Keep => match file {
            Some(f) if f.status == FileStatus::Conflict => {
                let path = f.path.clone();
                t.decisions.insert(path, action == Action::Overwrite);
                (true, false)
            }
            _ => {
                t.error = Some(
                    "only a conflicting file (exists with other content) needs a decision"
                        .to_string(),
                );
                (true, false)
            }
        },
        Action::ToggleDiff if file.is_none_or(|f| f.status != FileStatus::Conflict) => {
            t.error = Some(
                "a diff exists only for a conflicting file (on disk with other content)"
                    .to_string(),
            );
            (true, false)
        }
        Action::ToggleDiff => {
            t.show_diff = !t.show_diff;
            t.preview_scroll = 0;
            (true, false)
        }
        Action::Expand | Action::Collapse | Action::Confirm | Action::Toggle => {
            let Some(node) = current.filter(|n| n.file.is_none()) else {
                return (false, false);
            };
            let fold = match action {
                Action::Expand => false,
                Action::Collapse => true,
                _ => !t.collapsed.contains(&node.path),
            };
            t.fold(node.path, fold);
            (true, false)
        }
        Action::PreviewDown => {
            // Not past the last line.
            let max = preview_len(t).saturating_sub(1) as u16;
            let next = t.preview_scroll.saturating_add(5).min(max);
            let moved = next != t.preview_scroll;
            t.preview_scroll = next;
            (moved, false)
        }
        Action::PreviewUp => {
            t.preview_scroll = t.preview_scroll.saturating_sub(5);
            (true, false)
        }
        other => {
            let moved = t.cursor.apply(other, nodes_len, page);
            if moved {
                t.preview_scroll = 0;
            }
            (moved, false)
        }
    }
}

/// Writes the plan with the conflict decisions, then opens the report.
pub fn write(j: &mut Journey) {
    let Some(t) = j.tree.as_mut() else { return };
    t.writing = false;
    let overwrite: BTreeSet<String> = t
        .decisions
        .iter()
        .filter(|(_, o)| **o)
        .map(|(p, _)| p.clone())
        .collect();
    match generate::write_and_validate(&j.session, &t.plan, &overwrite) {
        Ok(done) => {
            let (created, overwritten) = done.counts();
            let kept = t.decisions.values().filter(|o| !**o).count();
            let line = format!(
                "Wrote {created} new and {overwritten} overwritten files to {} ({} unchanged, {kept} kept).",
                t.plan.root.display(),
                t.plan.count(FileStatus::Identical)
            );
            let plan = t.plan.clone();
            j.written = Some(Written {
                files: created + overwritten,
                line: line.clone(),
            });
            // The tree is written: the session is over.
            if let Some(mut saver) = j.saver.take() {
                if let Err(e) = saver.finish() {
                    j.notice = Some(format!("⚠ {e}"));
                }
            }
            let _ = j.session.apply(Command::ToReport);
            if let Some(r) = &done.written.recovered {
                j.notice = Some(format!("⚠ {r}"));
            }
            j.report = Some(ReportUi::new(done.report, line, plan));
            if j.notice.is_none() && !crate::store::prefs::candidates(&j.session).is_empty() {
                j.notice = Some(
                    "want these answers as defaults next time? see “remember answers” below"
                        .to_string(),
                );
            }
        }
        Err(e) => {
            t.error = Some(format!("nothing was written: {e}"));
        }
    }
}

fn status_span(t: &TreeUi, i: usize, th: &Theme) -> Span<'static> {
    let f = &t.plan.files[i];
    let text = match f.status {
        FileStatus::New => "new".to_string(),
        FileStatus::Identical => "identical".to_string(),
        FileStatus::Skipped => "skipped".to_string(),
        FileStatus::Conflict => match t.decisions.get(&f.path) {
            Some(true) => "conflict → overwrite".to_string(),
            Some(false) => "conflict → keep".to_string(),
            None => "conflict: decide".to_string(),
        },
    };
    Span::styled(format!("  {text}"), th.file_status(f.status))
}

/// `name` cut to `room` columns with "…" when longer.
pub fn ellipsize(name: &str, room: usize) -> String {
    if width(name) <= room {
        return name.to_string();
    }
    let mut out = String::new();
    for c in name.chars() {
        let mut probe = out.clone();
        probe.push(c);
        if width(&probe) + 1 > room {
            break;
        }
        out = probe;
    }
    out.push('…');
    out
}

fn symbol(status: FileStatus) -> &'static str {
    match status {
        FileStatus::New => "+",
        FileStatus::Identical => "=",
        FileStatus::Conflict => "!",
        FileStatus::Skipped => "-",
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    j: &mut Journey,
    th: &Theme,
    mouse: &mut MouseTargets,
) -> usize {
    let Some(t) = j.tree.as_mut() else {
        return 1;
    };
    let left_w = if area.width >= 110 {
        area.width * 2 / 5
    } else {
        area.width / 2
    };
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_w), Constraint::Min(20)]).areas(area);
    let [summary, list_area] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(left);
    let p = &t.plan;
    f.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled("Into ", th.dim()),
                Span::styled(format!("{}/", p.root.display()), th.accent()),
            ]),
            Line::from(
                [
                    (FileStatus::New, "+", "new"),
                    (FileStatus::Identical, "=", "identical"),
                    (FileStatus::Conflict, "!", "conflict"),
                    (FileStatus::Skipped, "-", "skipped"),
                ]
                .into_iter()
                .filter(|(st, _, _)| p.count(*st) > 0)
                .map(|(st, sym, word)| {
                    Span::styled(format!("{sym}{} {word}  ", p.count(st)), th.file_status(st))
                })
                .collect::<Vec<_>>(),
            ),
        ]),
        summary,
    );
    t.cursor.index = t.cursor.index.min(t.visible().len().saturating_sub(1));
    // Inside the border, after the highlight symbol.
    let row_w = list_area.width.saturating_sub(4) as usize;
    let items: Vec<ListItem> = t
        .visible()
        .iter()
        .map(|n| {
            let indent = "  ".repeat(n.depth);
            match n.file {
                None => {
                    let sym = if t.collapsed.contains(&n.path) {
                        "▸ "
                    } else {
                        "▾ "
                    };
                    ListItem::new(Line::from(vec![
                        Span::raw(indent),
                        Span::styled(sym, th.dim()),
                        Span::styled(n.name.clone(), th.title()),
                    ]))
                }
                Some(i) => {
                    let st = t.plan.files[i].status;
                    let status = status_span(t, i, th);
                    // The status column always shows; a long name gives way.
                    let room = row_w.saturating_sub(width(&indent) + 2 + width(&status.content));
                    ListItem::new(Line::from(vec![
                        Span::raw(indent),
                        Span::styled(format!("{} ", symbol(st)), th.file_status(st)),
                        Span::styled(
                            ellipsize(&n.name, room),
                            if st == FileStatus::Skipped {
                                th.dim()
                            } else {
                                th.text()
                            },
                        ),
                        status,
                    ]))
                }
            }
        })
        .collect();
    let block = panel("Pipeline tree", th, true);
    let inner = draw_list(f, list_area, block, items, &mut t.cursor, th, mouse);
    mouse.preview = Some(right);
    preview(f, right, t, t.visible().get(t.cursor.index), th);
    if let Some(e) = &t.error {
        let r = Rect {
            y: area.y + area.height.saturating_sub(1),
            height: 1,
            ..area
        };
        f.render_widget(Clear, r);
        f.render_widget(Paragraph::new(format!("✗ {e}")).style(th.error()), r);
    }
    if t.writing {
        let n = t
            .plan
            .files
            .iter()
            .filter(|f| f.status == FileStatus::New || t.decisions.get(&f.path) == Some(&true))
            .count();
        // Drawn before the write starts (it takes milliseconds and is
        // all-or-nothing, so there is no partial progress to show).
        let r = centered(area, 56, 3);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(format!("Writing {n} files to {}/ …", t.plan.root.display()))
                .style(th.text())
                .block(panel("Writing", th, true)),
            r,
        );
    }
    inner.height as usize
}

fn preview(f: &mut Frame, area: Rect, t: &TreeUi, node: Option<&Node>, th: &Theme) {
    let Some(node) = node else {
        f.render_widget(panel("Preview", th, false), area);
        return;
    };
    let Some(i) = node.file else {
        let under: Vec<&generate::PlannedFile> = t
            .plan
            .files
            .iter()
            .filter(|f| f.path.starts_with(&format!("{}/", node.path)))
            .collect();
        let count = |s: FileStatus| under.iter().filter(|f| f.status == s).count();
        let text = format!(
            "{} file{}: {} new, {} identical, {} conflict, {} skipped\n\n{} folds or opens it.",
            under.len(),
            if under.len() == 1 { "" } else { "s" },
            count(FileStatus::New),
            count(FileStatus::Identical),
            count(FileStatus::Conflict),
            count(FileStatus::Skipped),
            "Enter"
        );
        f.render_widget(
            Paragraph::new(text)
                .style(th.text())
                .wrap(ratatui::widgets::Wrap { trim: false })
                .block(panel(
                    &cut(&node.path, (area.width as usize).saturating_sub(4)),
                    th,
                    false,
                )),
            area,
        );
        return;
    };
    let file = &t.plan.files[i];
    let rows = area.height.saturating_sub(2) as usize;
    let total = match file.status {
        FileStatus::Skipped => 0,
        FileStatus::Conflict if t.show_diff => {
            t.diffs.get(&file.path).map_or(0, |d| d.lines().count())
        }
        _ => file.content.lines().count(),
    };
    // Only the rows that show are built: a long file costs no more than a
    // short one. A line wider than the pane ends in `…`, so a cut line
    // never passes for a whole one.
    let inner_w = area.width.saturating_sub(2) as usize;
    let window = |text: &str| -> Vec<String> {
        text.lines()
            .skip(t.preview_scroll as usize)
            .take(area.height as usize)
            .map(|l| cut(&l.replace('\t', "    "), inner_w))
            .collect()
    };
    let (title, lines): (String, Vec<Line>) = match file.status {
        FileStatus::Skipped => (
            format!("{} (skipped)", file.path),
            // The reason is one long line: wrapped, not cut.
            wrap(
                file.reason
                    .as_deref()
                    .unwrap_or("its condition does not hold"),
                inner_w,
                "",
            )
            .into_iter()
            .map(|l| Line::styled(l, th.dim()))
            .collect(),
        ),
        FileStatus::Conflict if t.show_diff => {
            let diff = t.diffs.get(&file.path).map(String::as_str).unwrap_or("");
            (
                format!("{}: diff, disk → generated", file.path),
                window(diff)
                    .into_iter()
                    .map(|l| {
                        let style = if l.starts_with("+++") || l.starts_with("---") {
                            th.dim()
                        } else if l.starts_with('+') {
                            th.diff_add()
                        } else if l.starts_with('-') {
                            th.diff_remove()
                        } else if l.starts_with("@@") {
                            th.accent()
                        } else {
                            th.text()
                        };
                        Line::styled(l, style)
                    })
                    .collect(),
            )
        }
        status => (
            // A file of an answers-only skill says which writing skill
            // needs it ("ingestion needs it").
            match file.reason.as_deref().and_then(|r| r.rsplit_once(": ")) {
                Some((_, why)) => format!("{} ({}, {why})", file.path, status.as_str()),
                None => format!("{} ({})", file.path, status.as_str()),
            },
            window(&file.content)
                .into_iter()
                .map(|l| Line::styled(l, th.text()))
                .collect(),
        ),
    };
    f.render_widget(
        Paragraph::new(lines).block(panel(&cut(&title, inner_w.saturating_sub(2)), th, false)),
        area,
    );
    if total > 0 {
        let first = (t.preview_scroll as usize + 1).min(total);
        let last = (t.preview_scroll as usize + rows).min(total);
        let text = format!(" lines {first}-{last} of {total} ");
        let w = width(&text) as u16;
        if w + 4 < area.width && area.height >= 2 {
            let r = Rect {
                x: area.right() - w - 2,
                y: area.bottom() - 1,
                width: w,
                height: 1,
            };
            f.render_widget(Paragraph::new(text).style(th.dim()), r);
        }
    }
}

/// `line` in at most `max` columns, ending in `…` when it had to be cut;
/// linear in the line, so a minified file's one huge line stays cheap.
fn cut(line: &str, max: usize) -> String {
    if width(line) <= max {
        return line.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in line.chars() {
        let w = width(c.encode_utf8(&mut buf));
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Lines of what the preview shows for the row under the cursor.
fn preview_len(t: &TreeUi) -> usize {
    match t.current_file() {
        Some(f) if f.status == FileStatus::Conflict && t.show_diff => {
            t.diffs.get(&f.path).map_or(0, |d| d.lines().count())
        }
        Some(f) if f.status != FileStatus::Skipped => f.content.lines().count(),
        _ => 0,
    }
}
