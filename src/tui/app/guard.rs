//! Which keys a person meant. A key acts only on a screen big enough to be
//! read; the irreversible ones (write, take every default, generate,
//! discard, leave, yes to a prompt) act only when they arrive on their own
//! and after their screen has been on view for a moment. Keys that arrive
//! together (a paste without bracketed paste, input typed ahead while the
//! app was busy) are text at most, never a decision.

use std::time::{Duration, Instant};

use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::ui::{MIN_HEIGHT, MIN_WIDTH};

/// How long a screen must have been drawn before an irreversible key on it
/// counts: below a person's reaction time to a new screen.
pub const SETTLE: Duration = Duration::from_millis(200);

/// What is on view: the screen's key context, the prompt or overlay on
/// top of it, and whether the terminal was too small to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub context: Context,
    pub layer: Layer,
    pub too_small: bool,
}

/// What covers the screen, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Screen,
    QuitPrompt,
    RestartPrompt,
    DiscardPrompt,
    Overlay,
    Remember,
}

/// The timing of input against what was drawn.
#[derive(Debug, Default)]
pub struct Guard {
    /// When the key being handled arrived, and whether it came with others.
    arrived: Option<(Instant, bool)>,
    /// The view last drawn and since when it has been on screen.
    shown: Option<(View, Instant)>,
    /// The terminal's size, from the last frame or resize.
    size: Option<(u16, u16)>,
    /// A fixed clock (tests drive time by hand).
    frozen: Option<Instant>,
}

impl Guard {
    pub fn now(&self) -> Instant {
        self.frozen.unwrap_or_else(Instant::now)
    }

    /// Tests set the clock; the app reads the real one.
    pub fn freeze(&mut self, at: Instant) {
        self.frozen = Some(at);
    }

    /// A key arrived now; `burst` when other keys arrived with it.
    pub fn key_arrived(&mut self, burst: bool) {
        self.arrived = Some((self.now(), burst));
    }

    /// Input that is not from the terminal (the app's own API) is
    /// deliberate by definition.
    pub fn not_from_terminal(&mut self) {
        self.arrived = None;
    }

    /// The key being handled came with others (a paste, typed-ahead).
    pub fn in_burst(&self) -> bool {
        self.arrived.is_some_and(|(_, b)| b)
    }

    pub fn resized(&mut self, width: u16, height: u16) {
        self.size = Some((width, height));
    }

    pub fn too_small(&self) -> bool {
        self.size
            .is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    /// A frame showing `view` was drawn.
    pub fn drawn(&mut self, view: View) {
        if self.shown.map(|(v, _)| v) != Some(view) {
            self.shown = Some((view, self.now()));
        }
    }

    /// True when the key being handled may take an irreversible step on
    /// `view`: it came alone, on that very view, drawn long enough ago.
    pub fn deliberate(&self, view: View) -> bool {
        let Some((at, burst)) = self.arrived else {
            return true;
        };
        match self.shown {
            Some((shown, since)) => {
                !burst && shown == view && at.saturating_duration_since(since) >= SETTLE
            }
            None => false,
        }
    }
}

/// Actions that cannot be taken back by a key on the next screen: they
/// need a deliberate key. (`w` on review only opens the tree.)
pub fn irreversible(action: Action, ctx: Context) -> bool {
    if action == Action::Write {
        return ctx == Context::Tree;
    }
    matches!(
        action,
        Action::SkipAll
            | Action::Done
            | Action::GenerateMissing
            | Action::ContinueAnyway
            | Action::Discard
            | Action::NewSession
            | Action::Remember
    )
}

/// The message for an irreversible key that did not count.
pub fn refused(action: Action, key: &str) -> String {
    format!(
        "`{key}` ({}) was ignored: it came with other keys or before this screen was on view. Press it again to {}",
        action.label(),
        action.describe()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(context: Context) -> View {
        View {
            context,
            layer: Layer::Screen,
            too_small: false,
        }
    }

    #[test]
    fn a_lone_key_after_the_screen_settled_is_deliberate_and_a_burst_is_not() {
        let t0 = Instant::now();
        let mut g = Guard::default();
        g.freeze(t0);
        g.drawn(view(Context::Tree));
        for (after_ms, burst, same_view, expected) in [
            (SETTLE.as_millis() as u64, false, true, true),
            (SETTLE.as_millis() as u64 - 1, false, true, false),
            (5_000, true, true, false),
            (5_000, false, false, false),
            (0, false, true, false),
        ] {
            g.freeze(t0 + Duration::from_millis(after_ms));
            g.key_arrived(burst);
            let v = if same_view {
                view(Context::Tree)
            } else {
                view(Context::Review)
            };
            assert_eq!(
                g.deliberate(v),
                expected,
                "{after_ms} ms, burst {burst}, same view {same_view}"
            );
        }
    }

    #[test]
    fn a_view_that_was_never_drawn_takes_no_irreversible_key() {
        let mut g = Guard::default();
        g.key_arrived(false);
        assert!(!g.deliberate(view(Context::Tree)));
    }

    #[test]
    fn redrawing_the_same_view_does_not_restart_its_clock() {
        let t0 = Instant::now();
        let mut g = Guard::default();
        g.freeze(t0);
        g.drawn(view(Context::Tree));
        g.freeze(t0 + SETTLE);
        g.drawn(view(Context::Tree));
        g.key_arrived(false);
        assert!(g.deliberate(view(Context::Tree)));
    }
}
