//! The vocabulary of the app: every key, typed word, help line and test
//! speaks in [`Action`]s. Its names (kebab-case) are what a keymap file binds.

use serde::{Deserialize, Serialize};

/// Every action a key can trigger. The doc line of each variant is also its
/// help text (see [`Action::describe`]), so help cannot drift from the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Quit,
    Help,
    Status,
    Back,
    Confirm,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Toggle,
    Skip,
    SkipSkill,
    Done,
    Restart,
    SkipAll,
    Customize,
    UseBlueprint,
    DropBlueprint,
    Write,
    Overwrite,
    Keep,
    ToggleDiff,
    Expand,
    Collapse,
    PreviewDown,
    PreviewUp,
    GenerateMissing,
    ContinueAnyway,
    Details,
    NextMaturity,
    Newline,
    Discard,
    NewSession,
    Remember,
    Packs,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::Quit,
        Action::Help,
        Action::Status,
        Action::Back,
        Action::Confirm,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
        Action::Toggle,
        Action::Skip,
        Action::SkipSkill,
        Action::Done,
        Action::Restart,
        Action::SkipAll,
        Action::Customize,
        Action::UseBlueprint,
        Action::DropBlueprint,
        Action::Write,
        Action::Overwrite,
        Action::Keep,
        Action::ToggleDiff,
        Action::Expand,
        Action::Collapse,
        Action::PreviewDown,
        Action::PreviewUp,
        Action::GenerateMissing,
        Action::ContinueAnyway,
        Action::Details,
        Action::NextMaturity,
        Action::Newline,
        Action::Discard,
        Action::NewSession,
        Action::Remember,
        Action::Packs,
    ];

    /// The name a keymap file uses.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Status => "status",
            Action::Back => "back",
            Action::Confirm => "confirm",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page-up",
            Action::PageDown => "page-down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Toggle => "toggle",
            Action::Skip => "skip",
            Action::SkipSkill => "skip-skill",
            Action::Done => "done",
            Action::Restart => "restart",
            Action::SkipAll => "skip-all",
            Action::Customize => "customize",
            Action::UseBlueprint => "use-blueprint",
            Action::DropBlueprint => "drop-blueprint",
            Action::Write => "write",
            Action::Overwrite => "overwrite",
            Action::Keep => "keep",
            Action::ToggleDiff => "toggle-diff",
            Action::Expand => "expand",
            Action::Collapse => "collapse",
            Action::PreviewDown => "preview-down",
            Action::PreviewUp => "preview-up",
            Action::GenerateMissing => "generate-missing",
            Action::ContinueAnyway => "continue-anyway",
            Action::Details => "details",
            Action::NextMaturity => "next-maturity",
            Action::Newline => "newline",
            Action::Discard => "discard",
            Action::NewSession => "new-session",
            Action::Remember => "remember",
            Action::Packs => "packs",
        }
    }

    /// What the action does, for help and the footer.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit (asks first while answers would be lost)",
            Action::Help => "this help",
            Action::Status => "progress: step, skills done, questions left",
            Action::Back => "go back (the previous question keeps its answer)",
            Action::Confirm => "confirm / answer / open",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "first line",
            Action::Bottom => "last line",
            Action::Toggle => "select or unselect",
            Action::Skip => "skip: this question takes its default",
            Action::SkipSkill => "skip skill: its remaining questions take their defaults",
            Action::Done => "done: every remaining question takes its default; review",
            Action::Restart => "restart: back to the chain, answers cleared (asks first)",
            Action::SkipAll => "skip all questions: take every default, go to review",
            Action::Customize => "customize the chain: add or remove skills",
            Action::UseBlueprint => "use the offered blueprint",
            Action::DropBlueprint => "custom chain: drop the blueprint",
            Action::Write => "write the files",
            Action::Overwrite => "conflict: overwrite the file on disk",
            Action::Keep => "conflict: keep the file on disk",
            Action::ToggleDiff => "preview: content or diff against disk",
            Action::Expand => "expand folder",
            Action::Collapse => "collapse folder",
            Action::PreviewDown => "scroll the preview down",
            Action::PreviewUp => "scroll the preview up",
            Action::GenerateMissing => "generate the missing deliverables again",
            Action::ContinueAnyway => "continue anyway (leave with NEEDS ATTENTION)",
            Action::Details => "details of the selected deliverable",
            Action::NextMaturity => "switch maturity level; the report recomputes",
            Action::Newline => "new line in a multi-line answer",
            Action::Discard => "discard the saved session (asks first)",
            Action::NewSession => "start a new session instead of the saved one",
            Action::Remember => "remember answers as defaults for next time",
            Action::Packs => "pick the pack: every pack with its evidence",
        }
    }

    /// What the action does on the screen of `ctx`, where that differs
    /// from its general meaning (help on the chain never speaks of a
    /// previous question).
    pub fn describe_in(self, ctx: crate::tui::keymap::Context) -> &'static str {
        use crate::tui::keymap::Context as C;
        match (self, ctx) {
            (Action::Back, C::Chain) => "back to the goal, to edit it",
            (Action::Back, C::Customize) => "back to the chain with the skills as checked",
            (Action::Back, C::Review) => "back to the last question (answers are kept)",
            (Action::Back, C::Tree) => "back to the review; nothing is written",
            (Action::Back, C::Report) => "back to the tree",
            (Action::Back, C::Resume) => "back",
            (Action::Confirm, C::Chain) => "start the questions",
            (Action::Confirm, C::Tree) => "fold or open the folder under the cursor",
            (Action::Confirm, C::Review) => {
                "edit the answer under the cursor, or choose the resolution"
            }
            (Action::Quit, C::Report | C::Chain | C::Goal) => "quit",
            _ => self.describe(),
        }
    }

    /// Short label for the footer.
    pub fn label(self) -> &'static str {
        match self {
            Action::Confirm => "ok",
            Action::SkipSkill => "skip skill",
            Action::SkipAll => "skip all",
            Action::UseBlueprint => "blueprint",
            Action::DropBlueprint => "no blueprint",
            Action::ToggleDiff => "diff",
            Action::GenerateMissing => "generate missing",
            Action::ContinueAnyway => "continue",
            Action::NextMaturity => "maturity",
            other => other.name(),
        }
    }
}

impl std::str::FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Action, String> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                format!(
                    "unknown action `{s}`{}",
                    crate::suggest::hint(s, names.iter().copied())
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_name_parses_back_to_itself() {
        for a in Action::ALL {
            assert_eq!(a.name().parse::<Action>(), Ok(*a));
        }
        assert_eq!(Action::ALL.len(), 37);
    }

    #[test]
    fn an_unknown_action_name_suggests_the_nearest() {
        let e = "skip-skil".parse::<Action>().unwrap_err();
        assert!(e.starts_with("unknown action `skip-skil`"), "{e}");
        assert!(e.contains("skip-skill"), "{e}");
    }
}
