//! A content check's regex as validation asks it: does it match anywhere in
//! a file's bytes? Every pattern of the bundled packs has a DFA compiled at
//! build time (`precompile.rs`, embedded by `embedded.rs`), which answers
//! exactly as `regex::bytes::Regex::is_match` without the cost of building
//! a `Regex` (about 0.4 M instructions a pattern: parser, NFAs, prefilters).
//! Any other pattern is a `Regex` compiled here, as before.

use std::sync::OnceLock;

use regex::bytes::Regex;
use regex_automata::dfa::{dense, Automaton};
use regex_automata::Input;

use super::embedded::{read_dfa, Aligned, Embedded, Table};

static BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/checks.bin")),
};
pub(crate) static EMBEDDED: Embedded = Embedded::new(BYTES);

/// A content check's compiled regex.
pub(crate) enum ContentRegex<'a> {
    Dfa {
        /// Boxed: the DFA's struct is many times the size of a `Regex`.
        dfa: Box<dense::DFA<&'a [u32]>>,
        pattern: String,
        /// Compiled only when the DFA stops at a non-ASCII byte it cannot
        /// decide (see `precompile.rs`).
        fallback: OnceLock<Option<Regex>>,
    },
    Regex(Regex),
}

impl ContentRegex<'static> {
    /// The embedded DFA of `pattern`, or the pattern compiled now. Errors
    /// are `Regex::new`'s: an embedded pattern is one it accepted.
    pub(crate) fn new(pattern: &str) -> Result<ContentRegex<'static>, regex::Error> {
        match EMBEDDED
            .table()
            .and_then(|t| ContentRegex::from_table(t, pattern))
        {
            Some(re) => Ok(re),
            None => Regex::new(pattern).map(ContentRegex::Regex),
        }
    }
}

impl<'a> ContentRegex<'a> {
    /// `pattern`'s DFA from `table`, or `None` when the table has none or
    /// its bytes do not deserialise (another byte order, a damaged table).
    pub(crate) fn from_table(table: &Table<'a>, pattern: &str) -> Option<ContentRegex<'a>> {
        let (dfa, _) = read_dfa(table, pattern)?;
        Some(ContentRegex::Dfa {
            dfa: Box::new(dfa),
            pattern: pattern.to_string(),
            fallback: OnceLock::new(),
        })
    }

    /// Whether the pattern matches anywhere in `haystack`: exactly
    /// `Regex::new(pattern)?.is_match(haystack)`.
    pub(crate) fn is_match(&self, haystack: &[u8]) -> bool {
        match self {
            ContentRegex::Regex(re) => re.is_match(haystack),
            ContentRegex::Dfa {
                dfa,
                pattern,
                fallback,
            } => match dfa.try_search_fwd(&Input::new(haystack).earliest(true)) {
                Ok(found) => found.is_some(),
                // A quit byte: the DFA cannot decide this haystack. The
                // pattern was accepted by `Regex::new` at build time, with
                // the same crate, so the fallback is always there.
                Err(_) => fallback
                    .get_or_init(|| Regex::new(pattern).ok())
                    .as_ref()
                    .is_some_and(|re| re.is_match(haystack)),
            },
        }
    }
}
