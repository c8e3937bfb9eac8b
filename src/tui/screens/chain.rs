//! The detected chain: pack, blueprint offer, each skill in run order with
//! why it is there, time and question count.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::detect::Reason;
use crate::tui::app::Journey;
use crate::tui::theme::Theme;
use crate::tui::ui::{panel, wrap};

pub fn render(f: &mut Frame, area: Rect, j: &mut Journey, th: &Theme) -> usize {
    if j.packs.is_some() {
        return super::packs::render(f, area, j, th);
    }
    let s = &j.session;
    let pack = s.pack();
    let mut lines: Vec<Line> = vec![
        Line::from(vec![
            Span::styled("SKILL CHAIN DETECTED FOR: ", th.title()),
            Span::styled(format!("“{}”", s.goal), th.text()),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::styled("Pack       ", th.dim()),
            Span::styled(pack.id().to_string(), th.accent()),
            Span::styled(format!("  {}", pack.manifest.title), th.dim()),
        ]),
    ];
    lines.extend(super::packs::ambiguity_line(&j.det, th, true));
    match (&s.detection.offer, &s.blueprint) {
        (_, Some(b)) => {
            let conf = s
                .detection
                .blueprints
                .iter()
                .find(|x| &x.id == b)
                .map(|x| format!("{}% confidence", x.confidence))
                .unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled("Blueprint  ", th.dim()),
                Span::styled(b.clone(), th.accent()),
                Span::styled(format!("  {conf}  ✓ in use"), th.ok()),
            ]));
        }
        (Some(offer), None) => {
            lines.push(Line::from(vec![
                Span::styled("Blueprint  ", th.dim()),
                Span::styled(offer.clone(), th.accent()),
                Span::styled(
                    "  offered, not in use: the chain below is custom",
                    th.warn(),
                ),
            ]));
        }
        (None, None) => {
            let best = s.detection.blueprints.first();
            lines.push(Line::from(vec![
                Span::styled("Blueprint  ", th.dim()),
                Span::styled(
                    match best {
                        Some(b) => format!(
                            "none offered (best: {} at {}%, {})",
                            b.id,
                            b.confidence,
                            s.detection
                                .blueprint_withheld()
                                .unwrap_or_else(|| "not chosen".to_string())
                        ),
                        None => "none: each skill's outputs are the deliverables".to_string(),
                    },
                    th.dim(),
                ),
            ]));
        }
    }
    lines.push(Line::from(""));
    let status = s.status();
    // The id column fits the longest id, with a space before the counts.
    let id_width = s
        .chain
        .iter()
        .map(|e| e.id.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .max(26);
    for (i, e) in s.chain.iter().enumerate() {
        let (minutes, questions) = pack
            .skill(&e.id)
            .map(|k| {
                let q = status
                    .steps
                    .iter()
                    .find(|st| st.key == k.id)
                    .map_or(0, |st| st.questions);
                (k.estimated_minutes, q)
            })
            .unwrap_or((0, 0));
        let assumed = s.is_skipped(&e.id);
        let size = if assumed {
            format!("{:>2} defaults          ", questions)
        } else {
            format!("{:>2} questions  ~{:>2} min  ", questions, minutes)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:>3}. ", i + 1), th.dim()),
            Span::styled(format!("{:<id_width$}", e.id), th.text()),
            Span::styled(size, th.dim()),
            Span::styled(e.tier.as_str().to_string(), th.dim()),
        ]));
        let mut why: Vec<String> = e.reasons.iter().map(Reason::describe).collect();
        if !s.writes_files(&e.id) {
            why.insert(0, crate::detect::ANSWERS_ONLY_NOTE.to_string());
        } else if assumed {
            why.insert(0, crate::detect::ASSUMED_NOTE.to_string());
        }
        let text_w = area.width.saturating_sub(2) as usize;
        for part in wrap(&format!("       {}", why.join("; ")), text_w, "       ") {
            lines.push(Line::styled(part, th.accent()));
        }
    }
    if let Some(bp) = status.steps.iter().find(|st| st.key == "blueprint") {
        lines.push(Line::styled(
            format!(
                "     + {} ({} quick questions first)",
                bp.title, bp.questions
            ),
            th.dim(),
        ));
    }
    // What the goal rules out, as `detect` lists it: the user sees why a
    // skill they may expect is missing.
    let text_w = area.width.saturating_sub(2) as usize;
    for sc in &s.detection.scores {
        let Some(why) = sc.left_out_because() else {
            continue;
        };
        if s.chain.iter().any(|e| e.id == sc.id) {
            continue;
        }
        for part in wrap(&format!("  – {} ({why})", sc.id), text_w, "       ") {
            lines.push(Line::styled(part, th.dim()));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("Estimated ", th.dim()),
        Span::styled(format!("~{} min", s.estimated_minutes()), th.text()),
        Span::styled(" · ", th.dim()),
        Span::styled(format!("{} questions", s.question_count()), th.text()),
        Span::styled(" · every question has a default: Enter takes it", th.dim()),
    ]));
    let height = area.height.saturating_sub(2);
    let max_scroll = (lines.len() as u16).saturating_sub(height);
    j.chain_scroll = j.chain_scroll.min(max_scroll);
    let title = if max_scroll > 0 {
        "Chain (↑↓ scroll)"
    } else {
        "Chain"
    };
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((j.chain_scroll, 0))
            .block(panel(title, th, true)),
        area,
    );
    height as usize
}
