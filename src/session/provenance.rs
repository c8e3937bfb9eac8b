//! Where an answer came from, and the precedence between sources. The
//! words a person reads are `Session::describe` (`describe.rs`): the detail
//! here holds ids and expressions for tools.

use serde::{Deserialize, Serialize};

/// Sources of an answer, strongest first: typed, then answers file or command
/// line, then saved session, then saved preference, then blueprint, then smart default (goal
/// keyword, earlier answer), then skill default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Typed,
    AnswersFile,
    CommandLine,
    ConflictResolution,
    /// An answer of a saved session, offered as a default after "restart
    /// this chain with the saved answers".
    SavedSession,
    SavedPreference,
    Blueprint,
    GoalKeyword,
    EarlierAnswer,
    Default,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Typed => "typed",
            Source::AnswersFile => "answers file",
            Source::CommandLine => "command line",
            Source::ConflictResolution => "conflict resolution",
            Source::SavedSession => "saved session",
            Source::SavedPreference => "saved preference",
            Source::Blueprint => "blueprint",
            Source::GoalKeyword => "goal keyword",
            Source::EarlierAnswer => "earlier answer",
            Source::Default => "skill default",
        }
    }

    /// Explicit answers are kept as given; the others are recomputed whenever
    /// an earlier answer changes.
    pub fn is_explicit(self) -> bool {
        matches!(
            self,
            Source::Typed | Source::AnswersFile | Source::CommandLine | Source::ConflictResolution
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: Source,
    /// The keyword, the expression, the blueprint or the conflict behind it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Provenance {
    pub fn new(source: Source) -> Self {
        Provenance {
            source,
            detail: None,
        }
    }

    pub fn with(source: Source, detail: impl Into<String>) -> Self {
        Provenance {
            source,
            detail: Some(detail.into()),
        }
    }
}
