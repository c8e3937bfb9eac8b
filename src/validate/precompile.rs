//! Compiles a content check's regex, or a deliverable's glob, into a
//! serialised forward DFA, at build time: build.rs compiles this file with
//! `#[path]` for every bundled pattern and glob, and the tests compile it
//! to compare the DFAs' answers with `regex::bytes::Regex::is_match` and
//! globset. The runtime only deserialises (`embedded.rs`) and searches
//! (`content.rs`, `globs.rs`).
//!
//! The DFA is built with exactly the configuration `regex::bytes::Regex::new`
//! gives its engines (regex-syntax defaults with Unicode on and `utf8(false)`,
//! a Thompson NFA with `utf8(false)`, leftmost-first, `\n` as the line
//! terminator), so a search that completes gives the same answer as
//! `Regex::is_match`. Only whether a match exists is asked, so the DFA has
//! only an unanchored start and no capture states.
//!
//! Unicode classes (`\w`, `\d`, `\S`, `.`) can make the full DFA large. A
//! pattern whose full DFA passes [`FULL_LIMIT`], or that has a Unicode
//! `\b` (which a DFA cannot decide beyond ASCII), gets a DFA that stops at
//! the first non-ASCII byte instead (regex-automata's "quit" bytes); the
//! runtime then asks a `Regex` compiled at that moment. A pattern whose
//! DFA would pass [`QUIT_LIMIT`] even then is not precompiled.

use regex_automata::dfa::{dense, StartKind};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::MatchKind;

/// Largest serialised DFA that decides every byte (non-ASCII included).
pub const FULL_LIMIT: usize = 64 * 1024;
/// Largest serialised DFA that quits on non-ASCII bytes.
pub const QUIT_LIMIT: usize = 256 * 1024;

/// A pattern's DFA as bytes in this machine's byte order.
pub struct Precompiled {
    pub bytes: Vec<u8>,
    /// The DFA stops at the first non-ASCII byte: a search that stops
    /// there must be answered by a `Regex`.
    pub quits: bool,
}

/// `None` when `Regex::new` refuses the pattern (its error is the
/// runtime's to report) or when no DFA of it fits the limits.
pub fn precompile(pattern: &str) -> Option<Precompiled> {
    // Exactly the patterns the runtime would accept, with the same limits.
    regex::bytes::Regex::new(pattern).ok()?;
    if let Some(bytes) = dfa(pattern, false, FULL_LIMIT) {
        return Some(Precompiled {
            bytes,
            quits: false,
        });
    }
    dfa(pattern, true, QUIT_LIMIT).map(|bytes| Precompiled { bytes, quits: true })
}

/// The serialised DFA of `pattern` (one that quits on non-ASCII bytes if
/// `quit_non_ascii`), or `None` when it does not build within `limit` bytes.
pub fn dfa(pattern: &str, quit_non_ascii: bool, limit: usize) -> Option<Vec<u8>> {
    serialise(build(pattern, REGEX_SYNTAX, quit_non_ascii, limit)?, limit)
}

/// A glob's DFA (see [`GLOB_SYNTAX`]): the glob as the validation's matcher
/// builds it (`*` stays inside one folder), or `None` when globset refuses
/// it or its DFA passes [`FULL_LIMIT`]. Glob regexes are byte-wise
/// (`(?-u)`), so the full DFA is small.
pub fn glob_dfa(glob: &str) -> Option<Vec<u8>> {
    let parsed = globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .ok()?;
    // globset's own build: the limits it compiles the regex with.
    globset::GlobSetBuilder::new()
        .add(parsed.clone())
        .build()
        .ok()?;
    serialise(
        build(parsed.regex(), GLOB_SYNTAX, false, FULL_LIMIT)?,
        FULL_LIMIT,
    )
}

/// `regex::bytes::Regex::new`'s syntax.
const REGEX_SYNTAX: fn() -> syntax::Config = || syntax::Config::new().utf8(false);
/// globset's (`new_regex` in globset 0.4): a glob's `**` spans lines.
const GLOB_SYNTAX: fn() -> syntax::Config =
    || syntax::Config::new().utf8(false).dot_matches_new_line(true);

fn serialise(dfa: dense::DFA<Vec<u32>>, limit: usize) -> Option<Vec<u8>> {
    let (bytes, pad) = dfa.to_bytes_native_endian();
    let bytes = bytes.get(pad..)?.to_vec();
    // The runtime reads these bytes without checking the transitions
    // (`content.rs`): they must pass the checked read here.
    (bytes.len() <= limit && reads_back(&bytes)).then_some(bytes)
}

fn build(
    pattern: &str,
    syntax: fn() -> syntax::Config,
    quit_non_ascii: bool,
    limit: usize,
) -> Option<dense::DFA<Vec<u32>>> {
    let mut config = dense::Config::new()
        .start_kind(StartKind::Unanchored)
        .match_kind(MatchKind::LeftmostFirst)
        // Two budgets: the finished DFA and the work to find its states.
        .dfa_size_limit(Some(limit * 2))
        .determinize_size_limit(Some(limit * 8));
    if quit_non_ascii {
        // Also what makes a Unicode `\b` buildable: it is then decided on
        // ASCII only, which is exact while no non-ASCII byte was seen.
        config = config.unicode_word_boundary(true);
        for b in 0x80..=0xFF {
            config = config.quit(b, true);
        }
    }
    dense::Builder::new()
        .syntax(syntax())
        .thompson(
            thompson::Config::new()
                .utf8(false)
                .which_captures(thompson::WhichCaptures::None),
        )
        .configure(config)
        .build(pattern)
        .ok()
}

/// Whether `bytes` pass `from_bytes`, which checks every transition.
fn reads_back(bytes: &[u8]) -> bool {
    let mut buf = vec![0u8; bytes.len() + 8];
    let at = buf.as_ptr().align_offset(8);
    let Some(slot) = buf.get_mut(at..at.saturating_add(bytes.len())) else {
        return false;
    };
    slot.copy_from_slice(bytes);
    dense::DFA::from_bytes(slot).is_ok()
}
