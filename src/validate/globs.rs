//! The deliverables' globs of the bundled packs as DFAs compiled at build
//! time (`precompile.rs`, `glob_dfa`), looked up by the glob's text as the
//! matcher normalises it. Building a `GlobSet` compiles a regex for every
//! glob that is not a plain literal, prefix or extension (1.25 M
//! instructions for a data-engineering run); a DFA answers as that regex
//! does (globset's `GlobMatcher`), for 0.1 M. Any other glob goes to a
//! `GlobSet`, as before.

use regex_automata::dfa::{dense, Automaton};
use regex_automata::Input;

use super::embedded::{read_dfa, Aligned, Embedded, Table};

static BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/globs.bin")),
};
pub(crate) static EMBEDDED: Embedded = Embedded::new(BYTES);

/// A glob (`*` inside one folder) as a DFA over a `/`-separated path.
pub(crate) struct GlobDfa<'a>(Box<dense::DFA<&'a [u32]>>);

impl GlobDfa<'static> {
    /// The embedded DFA of `glob`, if the bundled packs have it.
    pub(crate) fn find(glob: &str) -> Option<GlobDfa<'static>> {
        GlobDfa::from_table(EMBEDDED.table()?, glob)
    }
}

impl<'a> GlobDfa<'a> {
    pub(crate) fn from_table(table: &Table<'a>, glob: &str) -> Option<GlobDfa<'a>> {
        read_dfa(table, glob).map(|(dfa, _)| GlobDfa(Box::new(dfa)))
    }

    /// Whether `path` matches, as globset's `Candidate` of it would.
    pub(crate) fn is_match(&self, path: &str) -> bool {
        // globset turns a platform's other separators into `/`.
        let normal;
        let bytes = if cfg!(windows) && path.contains('\\') {
            normal = path.replace('\\', "/");
            normal.as_bytes()
        } else {
            path.as_bytes()
        };
        // A glob's DFA has no quit bytes (globs are byte-wise), so a search
        // always finishes.
        self.0
            .try_search_fwd(&Input::new(bytes).earliest(true))
            .is_ok_and(|m| m.is_some())
    }
}
