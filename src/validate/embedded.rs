//! The table of precompiled content-check DFAs: build.rs writes it (with
//! [`encode`], compiling this file with `#[path]`) for every pattern of the
//! bundled packs, the binary embeds it, and [`Table::find`] returns a
//! pattern's DFA bytes. Patterns are looked up by their text, so a pack from
//! disk that uses a bundled pattern gets its DFA too; any other pattern is
//! compiled at run time as before.
//!
//! Layout (integers little-endian `u32`):
//!
//! ```text
//! "SKCD" | version | count | CRC-32 of the index (entries and names)
//! count × entry: name offset, name length, DFA offset, DFA length, DFA CRC-32, flags
//! names (sorted by bytes) | DFAs, each at an 8-byte-aligned offset
//! ```
//!
//! Each DFA carries its own CRC, checked before it is deserialised, so a
//! damaged table costs only the damaged patterns' speed: they are then
//! compiled at run time.

use regex_automata::dfa::dense;

const MAGIC: &[u8; 4] = b"SKCD";
const VERSION: u32 = 1;
const HEADER: usize = 16;
const ENTRY: usize = 24;
/// Entry flag: the DFA stops at non-ASCII bytes (see `precompile.rs`).
#[allow(dead_code)]
pub const QUITS: u32 = 1;

/// One pattern and its DFA as build.rs hands them to [`encode`].
#[allow(dead_code)]
pub struct Item {
    pub pattern: String,
    pub dfa: Vec<u8>,
    pub flags: u32,
}

/// The table's bytes for `items`; a pattern listed twice is kept once, at
/// its first place. The DFAs are laid out in the order given (build.rs gives
/// them pack by pack, so a run's DFAs share pages); the index is sorted.
#[allow(dead_code)]
pub fn encode(items: Vec<Item>) -> Vec<u8> {
    let mut seen = std::collections::HashSet::new();
    let items: Vec<Item> = items
        .into_iter()
        .filter(|i| seen.insert(i.pattern.clone()))
        .collect();
    let mut dfa_offsets = Vec::with_capacity(items.len());
    let mut dfas: Vec<u8> = Vec::new();
    for item in &items {
        dfa_offsets.push(dfas.len());
        dfas.extend_from_slice(&item.dfa);
        dfas.resize(align8(dfas.len()), 0);
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[a].pattern.as_bytes().cmp(items[b].pattern.as_bytes()));
    let names_at = HEADER + ENTRY * items.len();
    let names_len: usize = items.iter().map(|i| i.pattern.len()).sum();
    let dfas_at = align8(names_at + names_len);
    let mut index = Vec::with_capacity(names_at - HEADER + names_len);
    let mut names = Vec::with_capacity(names_len);
    for &k in &order {
        let item = &items[k];
        let fields = [
            names_at + names.len(),
            item.pattern.len(),
            dfas_at + dfa_offsets[k],
            item.dfa.len(),
            crc32fast::hash(&item.dfa) as usize,
            item.flags as usize,
        ];
        for f in fields {
            index.extend_from_slice(&(f as u32).to_le_bytes());
        }
        names.extend_from_slice(item.pattern.as_bytes());
    }
    index.extend_from_slice(&names);
    let mut out = Vec::with_capacity(dfas_at + dfas.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(items.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&index).to_le_bytes());
    out.extend_from_slice(&index);
    out.resize(dfas_at, 0);
    out.extend_from_slice(&dfas);
    out
}

fn align8(n: usize) -> usize {
    n.div_ceil(8) * 8
}

/// A table as the binary embeds it, aligned as a DFA's transitions must be.
#[repr(C)]
pub struct Aligned<B: ?Sized> {
    pub _align: [u64; 0],
    pub bytes: B,
}

/// An embedded table with its index, checked once per process on first use.
pub struct Embedded {
    bytes: &'static Aligned<[u8]>,
    table: std::sync::OnceLock<Option<Table<'static>>>,
}

impl Embedded {
    pub const fn new(bytes: &'static Aligned<[u8]>) -> Embedded {
        Embedded {
            bytes,
            table: std::sync::OnceLock::new(),
        }
    }

    /// The table, or `None` when its index is damaged.
    pub fn table(&'static self) -> Option<&'static Table<'static>> {
        self.table
            .get_or_init(|| Table::new(&self.bytes.bytes))
            .as_ref()
    }

    /// The raw bytes, for the tests.
    #[cfg(test)]
    pub fn bytes(&self) -> &'static [u8] {
        &self.bytes.bytes
    }
}

/// The DFA stored under `key`, or `None` when the table has none or its
/// bytes do not deserialise (another byte order, a damaged table).
pub fn read_dfa<'a>(table: &Table<'a>, key: &str) -> Option<(dense::DFA<&'a [u32]>, u32)> {
    let found = table.find(key)?;
    // SAFETY: `find` returns only bytes whose CRC-32 is the one build.rs
    // computed over `to_bytes_*` of a DFA it had just built and read back
    // with the checked `from_bytes` (`precompile.rs`; the same
    // regex-automata: one Cargo.lock entry, and the tests read every
    // embedded DFA with `from_bytes` in this crate). The checked read walks
    // every transition: 0.8 M of the 1 M instructions the 20 DFAs of a
    // data-engineering run cost.
    let (dfa, _) = unsafe { dense::DFA::from_bytes_unchecked(found.dfa) }.ok()?;
    Some((dfa, found.flags))
}

/// A checked view of a table's bytes.
pub struct Table<'a> {
    bytes: &'a [u8],
    count: usize,
}

/// A pattern's entry: its DFA's bytes (CRC checked) and flags.
pub struct Found<'a> {
    pub dfa: &'a [u8],
    /// The tests compare it with what `precompile` decides now.
    #[allow(dead_code)]
    pub flags: u32,
}

impl<'a> Table<'a> {
    /// `None` unless `bytes` is a table of this version whose index is
    /// intact (an empty table, from a build that compiled no pack, too).
    pub fn new(bytes: &'a [u8]) -> Option<Table<'a>> {
        let header = bytes.get(..HEADER)?;
        if &header[..4] != MAGIC || word(header, 4)? != VERSION as usize {
            return None;
        }
        let count = word(header, 8)?;
        let table = Table { bytes, count };
        let index_end = (0..count).try_fold(HEADER + ENTRY * count, |end, k| {
            let e = table.entry(k)?;
            Some(end.max(e[0].checked_add(e[1])?))
        })?;
        let index = bytes.get(HEADER..index_end)?;
        (crc32fast::hash(index) == word(header, 12)? as u32).then_some(table)
    }

    /// The DFA of `pattern`, or `None` when the table has none or its bytes
    /// are damaged.
    pub fn find(&self, pattern: &str) -> Option<Found<'a>> {
        let (mut lo, mut hi) = (0, self.count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let e = self.entry(mid)?;
            let name = self.bytes.get(e[0]..e[0] + e[1])?;
            match name.cmp(pattern.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let dfa = self.bytes.get(e[2]..e[2].checked_add(e[3])?)?;
                    return (crc32fast::hash(dfa) == e[4] as u32).then_some(Found {
                        dfa,
                        flags: e[5] as u32,
                    });
                }
            }
        }
        None
    }

    fn entry(&self, k: usize) -> Option<[usize; 6]> {
        let at = HEADER + ENTRY * k;
        let raw = self.bytes.get(at..at + ENTRY)?;
        let mut e = [0; 6];
        for (i, f) in e.iter_mut().enumerate() {
            *f = word(raw, 4 * i)?;
        }
        Some(e)
    }
}

fn word(bytes: &[u8], at: usize) -> Option<usize> {
    let w: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_le_bytes(w) as usize)
}

/// `./models/` and `models` mean the same folder to a pack author; globset
/// would not match the first against the path `models`. Also the key a
/// bundled glob's DFA is stored under.
pub fn normalise_glob(glob: &str) -> &str {
    let g = glob.trim();
    let g = g.strip_prefix("./").unwrap_or(g);
    match g.strip_suffix('/') {
        Some(stripped) if !stripped.is_empty() => stripped,
        _ => g,
    }
}
