//! The workflow commands: every transition the session knows, and the words
//! a person can type into an answer to run one.

use super::QKey;
use crate::pack::{Maturity, Question};
use crate::value::AnswerValue;

/// Every transition the session knows. The app's keys and typed words map
/// onto these; tests drive them directly.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Chain screen: start the questions.
    Confirm,
    /// Chain screen: every question takes its default; go to review.
    SkipAll,
    Customize,
    /// Use (true) or drop (false) the offered blueprint.
    UseBlueprint(bool),
    ToggleSkill(String),
    FinishCustomize,
    /// Text as typed; a workflow word (`back`, `skip`, …) runs that command.
    /// Text that parses to the value shown is accepting it.
    Answer(String),
    /// A value picked from a list. Picking the value already shown is
    /// accepting it ([`Command::Accept`]); only another value is "typed".
    AnswerValue(AnswerValue),
    /// Accept the value shown (Enter on the highlighted default, Enter on an
    /// empty text field in `--plain`): an answer of one's own stays as it is,
    /// a default keeps following its source (recomputed when earlier answers
    /// change) with its provenance. Go on.
    Accept,
    /// This question takes its default, also when it holds an answer of
    /// one's own (the way back to the default); go on.
    Skip,
    /// Every unanswered question left in this skill takes its default;
    /// answers given (also the one on screen) are kept. Go on.
    SkipSkill,
    Back,
    Status,
    Done,
    Restart,
    Help,
    CloseOverlay,
    ConfirmYes,
    ConfirmNo,
    Edit(QKey),
    Resolve {
        conflict: String,
        resolution: String,
    },
    /// Review → tree; refused while a conflict is unresolved.
    Proceed,
    ToReport,
    SetMaturity(Maturity),
}

impl Command {
    /// The command in the words a person uses (`skip skill`, `an answer`),
    /// for messages; never the program's spelling of it.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Confirm => "confirm",
            Command::SkipAll => "skip all",
            Command::Customize => "customize",
            Command::UseBlueprint(true) => "use the blueprint",
            Command::UseBlueprint(false) => "drop the blueprint",
            Command::ToggleSkill(_) => "adding or removing a skill",
            Command::FinishCustomize => "finishing the customizing",
            Command::Answer(_) | Command::AnswerValue(_) => "an answer",
            Command::Accept => "Enter (keep the value shown)",
            Command::Skip => "skip",
            Command::SkipSkill => "skip skill",
            Command::Back => "back",
            Command::Status => "status",
            Command::Done => "done",
            Command::Restart => "restart",
            Command::Help => "help",
            Command::CloseOverlay => "closing the overlay",
            Command::ConfirmYes => "yes",
            Command::ConfirmNo => "no",
            Command::Edit(_) => "edit",
            Command::Resolve { .. } => "resolve",
            Command::Proceed => "write",
            Command::ToReport => "report",
            Command::SetMaturity(_) => "changing the maturity",
        }
    }
}

/// Words a person can type into any answer to run a command.
pub const TYPED_COMMANDS: &[(&str, &str)] = &[
    ("skip", "this question takes its default; go on"),
    (
        "skip skill",
        "unanswered questions left in this skill take their defaults",
    ),
    ("back", "previous question (answers are kept)"),
    ("status", "show progress"),
    (
        "done",
        "every remaining question takes its default; go to review",
    ),
    (
        "restart",
        "back to the chain with the same goal; answers are cleared",
    ),
    ("help", "list commands and keys"),
];

/// The command a typed word stands for (`back`, `skip skill`, …), if any.
pub(super) fn typed_command(input: &str) -> Option<Command> {
    let words: Vec<&str> = input.split_whitespace().collect();
    let w = words.join(" ").to_ascii_lowercase();
    Some(match w.as_str() {
        "skip" => Command::Skip,
        "skip skill" => Command::SkipSkill,
        "back" => Command::Back,
        "status" => Command::Status,
        "done" => Command::Done,
        "restart" => Command::Restart,
        "help" => Command::Help,
        _ => return None,
    })
}

/// The workflow command a text answer to `q` stands for: a typed word, unless
/// the question has an option of that name (then it is the answer).
pub fn command_in_answer(q: &Question, text: &str) -> Option<Command> {
    let is_option = q
        .options
        .iter()
        .any(|o| o.value.eq_ignore_ascii_case(text.trim()));
    if is_option {
        None
    } else {
        typed_command(text)
    }
}
