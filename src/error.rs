//! Engine errors. Each problem names where it is (file, line, field) and what to do.

use std::fmt;

/// One thing wrong with a pack, an answers file or a command line; collected,
/// never thrown one at a time, so the user sees every problem at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `file:line:col`, `file: field`, or a short context like `answers`.
    pub location: String,
    pub message: String,
}

impl Problem {
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

/// A list of problems that stops the operation.
#[derive(Debug, Clone, thiserror::Error)]
pub struct Problems {
    pub context: String,
    pub problems: Vec<Problem>,
}

impl Problems {
    pub fn new(context: impl Into<String>, problems: Vec<Problem>) -> Self {
        Problems {
            context: context.into(),
            problems,
        }
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        if n > 1 {
            writeln!(f, "{} ({n} problems):", self.context)?;
        } else {
            writeln!(f, "{}:", self.context)?;
        }
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Problems(#[from] Problems),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

impl EngineError {
    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        EngineError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}
