//! The precompiled content checks answer exactly as
//! `regex::bytes::Regex::is_match`: for generated patterns (the syntax the
//! packs use, seeded random) against generated haystacks, in both kinds of
//! DFA (`precompile.rs`), through the table's bytes as the binary reads
//! them; and for every bundled pack's patterns against the files the pack
//! generates. `SKILLCHAIN_REGEX_SWEEP=N` tries N patterns instead of the
//! default run's few hundred (README, Performance).

use regex::bytes::Regex;

use super::content::ContentRegex;
use super::embedded::{encode, Item, Table, QUITS};
use super::precompile::{dfa, precompile, FULL_LIMIT, QUIT_LIMIT};

/// splitmix64: small, seeded, good enough to draw test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Characters a literal may be: ASCII (with the letters Unicode case
/// folding ties to others: `s`/`ſ`, `k`/`K`), and non-ASCII ones.
const LITERALS: &[&str] = &[
    "a", "b", "e", "k", "K", "s", "S", "t", "x", "_", "0", "7", " ", ":", "=", "-", "#", "'", "\"",
    "`", "@", "/", ",", "ſ", "\u{212A}", "\u{A0}", "é", "É", "ß", "→", "—", "ǅ",
];
/// Metacharacters, escaped.
const ESCAPED: &[&str] = &[
    r"\.", r"\(", r"\)", r"\{", r"\}", r"\[", r"\]", r"\*", r"\+", r"\?", r"\|", r"\^", r"\$",
    r"\\", r"\n", r"\t", r"\-",
];
/// Classes, each with a few strings it matches (to seed haystacks).
const CLASSES: &[(&str, &[&str])] = &[
    (
        r"\s",
        &[" ", "\t", "\n", "\r", "\u{A0}", "\u{2028}", "\u{3000}"],
    ),
    (r"\S", &["x", "é", "_", "\u{212A}"]),
    (r"\w", &["a", "Z", "_", "9", "é", "ſ", "٣"]),
    (r"\W", &[" ", "-", "\n", "→"]),
    (r"\d", &["0", "9", "٣"]),
    (r"\D", &["a", " ", "é"]),
    (".", &["a", " ", "é", "→"]),
    ("[a-z]", &["a", "q", "z"]),
    ("[A-Za-z0-9_]", &["A", "m", "5", "_"]),
    ("[0-9]", &["0", "4"]),
    (r"[^\n]", &["a", " ", "é"]),
    (r"[^\s]", &["a", "é"]),
    ("[^a-z]", &["A", "1", "é", "\n"]),
    ("[sk_]", &["s", "k", "_", "ſ"]),
    (r"[\w-]", &["a", "-", "é"]),
    (r"(?-u:\w)", &["a", "_"]),
    (r"\p{Greek}", &["α", "Ω"]),
];
const ANCHORS: &[(&str, &str)] = &[
    ("^", ""),
    ("$", ""),
    (r"\b", ""),
    (r"\B", ""),
    (r"\A", ""),
    (r"\z", ""),
    (r"(?m:^)", "\n"),
    (r"(?m:$)", "\n"),
];
const FLAGS: &[&str] = &[
    "", "", "", "(?i)", "(?m)", "(?s)", "(?im)", "(?is)", "(?-u)",
];

/// One generated pattern and a string drawn from it (a haystack seed that
/// matches it, flags and anchors aside).
struct Drawn {
    pattern: String,
    sample: String,
}

fn draw(rng: &mut Rng, depth: usize) -> Drawn {
    let mut d = match rng.below(if depth > 2 { 4 } else { 7 }) {
        0 | 1 => {
            let lit = if rng.chance(25) {
                *rng.pick(ESCAPED)
            } else {
                *rng.pick(LITERALS)
            };
            let sample = match lit {
                r"\n" => "\n".to_string(),
                r"\t" => "\t".to_string(),
                l if l.starts_with('\\') => l[1..].to_string(),
                l => l.to_string(),
            };
            Drawn {
                pattern: lit.to_string(),
                sample,
            }
        }
        2 => {
            let (class, samples) = rng.pick(CLASSES);
            Drawn {
                pattern: class.to_string(),
                sample: rng.pick(samples).to_string(),
            }
        }
        3 => {
            let (anchor, sample) = rng.pick(ANCHORS);
            Drawn {
                pattern: anchor.to_string(),
                sample: sample.to_string(),
            }
        }
        4 | 5 => {
            // A concatenation, sometimes a word of the packs' kind.
            let n = 2 + rng.below(4);
            let mut pattern = String::new();
            let mut sample = String::new();
            if rng.chance(30) {
                let w = *rng.pick(&["create", "table", "delivery:", "ref", "schedule", "skip"]);
                pattern.push_str(w);
                sample.push_str(w);
            }
            for _ in 0..n {
                let part = draw(rng, depth + 1);
                pattern.push_str(&part.pattern);
                sample.push_str(&part.sample);
            }
            Drawn { pattern, sample }
        }
        _ => {
            // A group: alternation, flags, capturing or not.
            let n = 1 + rng.below(3);
            let parts: Vec<Drawn> = (0..n).map(|_| draw(rng, depth + 1)).collect();
            let open = *rng.pick(&["(", "(?:", "(?i:", "(?m:", "(?s:", "(?-i:"]);
            let alts: Vec<&str> = parts.iter().map(|p| p.pattern.as_str()).collect();
            let chosen = rng.below(n);
            Drawn {
                pattern: format!("{open}{})", alts.join("|")),
                sample: parts
                    .into_iter()
                    .nth(chosen)
                    .map(|p| p.sample)
                    .unwrap_or_default(),
            }
        }
    };
    if rng.chance(20) && !d.pattern.is_empty() {
        let (op, times) = *rng.pick(&[
            ("?", 1),
            ("*", 2),
            ("+", 1),
            ("{1,3}", 2),
            ("{2}", 2),
            ("*?", 0),
            ("??", 1),
        ]);
        // A repeated anchor or flag group is valid; wrap to keep it simple.
        d.pattern = format!("(?:{}){op}", d.pattern);
        d.sample = d.sample.repeat(times);
    }
    d
}

fn pattern(rng: &mut Rng) -> Drawn {
    let mut d = draw(rng, 0);
    if rng.chance(15) {
        // A flag in the middle, as `\{\{\s*ref\(|(?i)create\s+table`.
        let tail = draw(rng, 1);
        d.pattern = format!("{}|(?i){}", d.pattern, tail.pattern);
    }
    let flags = *rng.pick(FLAGS);
    d.pattern = format!("{flags}{}", d.pattern);
    d
}

/// Haystacks for `d`: its sample in context, mutated, and random bytes
/// (invalid UTF-8 included).
fn haystacks(rng: &mut Rng, d: &Drawn) -> Vec<Vec<u8>> {
    const NOISE: &[&[u8]] = &[
        b"a",
        b"S",
        b"k",
        b" ",
        b"\n",
        b"\r\n",
        b"\t",
        b"_",
        b"-",
        b":",
        b"x",
        b"0",
        "ſ".as_bytes(),
        "\u{212A}".as_bytes(),
        "\u{A0}".as_bytes(),
        "é".as_bytes(),
        "→".as_bytes(),
        "\u{2028}".as_bytes(),
        b"\xFF",
        b"\x80",
        b"\xC3",
        b"\xE2\x86",
        b"\xF0\x9F\x98",
        b"\x00",
    ];
    let noise = |rng: &mut Rng, n: usize| -> Vec<u8> {
        (0..n).flat_map(|_| rng.pick(NOISE).to_vec()).collect()
    };
    let sample = d.sample.as_bytes().to_vec();
    let mut out = vec![Vec::new(), sample.clone()];
    for _ in 0..6 {
        let n = rng.below(6);
        let mut h = noise(rng, n);
        h.extend_from_slice(&sample);
        let n = rng.below(6);
        let tail = noise(rng, n);
        h.extend(tail);
        out.push(h);
    }
    for _ in 0..6 {
        let mut h = sample.clone();
        match rng.below(5) {
            0 if !h.is_empty() => {
                let i = rng.below(h.len());
                h.remove(i);
            }
            1 if !h.is_empty() => {
                let i = rng.below(h.len());
                h[i] = *rng.pick(&[0xFF, 0x80, b'S', b'K', b'\n', b' ']);
            }
            2 => h = h.to_ascii_uppercase(),
            3 => {
                let i = rng.below(h.len() + 1);
                let n = 1 + rng.below(3);
                let ins = noise(rng, n);
                h.splice(i..i, ins);
            }
            _ => h = String::from_utf8_lossy(&h).to_uppercase().into_bytes(),
        }
        out.push(h);
    }
    for _ in 0..4 {
        let n = rng.below(24);
        out.push(noise(rng, n));
    }
    out
}

/// `bytes` copied to an 8-byte-aligned place, as the binary embeds them.
fn aligned(bytes: &[u8]) -> (Vec<u8>, usize) {
    let mut buf = vec![0u8; bytes.len() + 8];
    let at = buf.as_ptr().align_offset(8);
    buf[at..at + bytes.len()].copy_from_slice(bytes);
    (buf, at)
}

/// Asserts that the DFA `bytes` of `pattern`, read through a table as the
/// binary reads it, answers every haystack as `re` does.
fn assert_same(pattern: &str, bytes: Vec<u8>, re: &Regex, hays: &[Vec<u8>], what: &str) {
    let table_bytes = encode(vec![Item {
        pattern: pattern.to_string(),
        dfa: bytes,
        flags: 0,
    }]);
    let (buf, at) = aligned(&table_bytes);
    let table = Table::new(&buf[at..at + table_bytes.len()]).expect("the table reads back");
    let ours = ContentRegex::from_table(&table, pattern).expect("the DFA reads back");
    for h in hays {
        assert_eq!(
            ours.is_match(h),
            re.is_match(h),
            "{what} DFA of {pattern:?} on {:?}",
            String::from_utf8_lossy(h)
        );
    }
}

#[test]
fn generated_patterns_match_exactly_as_regex_does() {
    let count: usize = std::env::var("SKILLCHAIN_REGEX_SWEEP")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(150);
    let mut rng = Rng(0x5EED_C0DE);
    let (mut full, mut quits, mut haystacks_tried) = (0, 0, 0);
    for _ in 0..count {
        let d = pattern(&mut rng);
        let Ok(re) = Regex::new(&d.pattern) else {
            assert!(
                precompile(&d.pattern).is_none(),
                "{:?} is refused by Regex::new but precompiled",
                d.pattern
            );
            continue;
        };
        let hays = haystacks(&mut rng, &d);
        haystacks_tried += hays.len();
        // Both kinds, whatever `precompile` would choose for this pattern.
        if let Some(bytes) = dfa(&d.pattern, false, FULL_LIMIT) {
            full += 1;
            assert_same(&d.pattern, bytes, &re, &hays, "full");
        }
        if let Some(bytes) = dfa(&d.pattern, true, QUIT_LIMIT) {
            quits += 1;
            assert_same(&d.pattern, bytes, &re, &hays, "quitting");
        }
    }
    // The loop compared something: most patterns build both kinds.
    assert!(
        full * 2 > count && quits * 10 > count * 9,
        "{full} full, {quits} quitting of {count}"
    );
    assert!(haystacks_tried > count * 15);
}

/// Every content-check pattern of the bundled packs, by pack.
fn bundled_patterns() -> Vec<(crate::pack::Pack, Vec<String>)> {
    let registry = crate::pack::Registry::bundled().expect("bundled packs load");
    registry
        .packs
        .iter()
        .map(|p| {
            let mut pats: Vec<String> = p
                .skills
                .iter()
                .flat_map(|s| s.checks.iter().map(|c| c.pattern.clone()))
                .chain(p.blueprints.iter().flat_map(|b| {
                    b.deliverables
                        .iter()
                        .flat_map(|d| d.checks.iter().map(|c| c.pattern.clone()))
                        .collect::<Vec<_>>()
                }))
                .collect();
            pats.sort();
            pats.dedup();
            (p.clone(), pats)
        })
        .collect()
}

#[test]
fn every_bundled_pattern_is_embedded_and_passes_the_checked_read() {
    let table = Table::new(super::content::EMBEDDED.bytes()).expect("build.rs embedded a table");
    let mut embedded = 0;
    for (_, pats) in bundled_patterns() {
        for p in pats {
            let found = table
                .find(&p)
                .unwrap_or_else(|| panic!("{p:?} has no embedded DFA"));
            // What `from_bytes_unchecked` is trusted with in content.rs.
            let (buf, at) = aligned(found.dfa);
            regex_automata::dfa::dense::DFA::from_bytes(&buf[at..at + found.dfa.len()])
                .unwrap_or_else(|e| panic!("the DFA of {p:?} does not read back: {e}"));
            let kind = precompile(&p).expect("a bundled pattern precompiles");
            assert_eq!(found.flags & QUITS != 0, kind.quits, "{p:?}");
            assert!(kind.bytes == found.dfa, "{p:?}: the embedded DFA is stale");
            assert!(matches!(
                ContentRegex::new(&p),
                Ok(ContentRegex::Dfa { .. })
            ));
            embedded += 1;
        }
    }
    assert!(embedded > 100, "{embedded}");
}

#[test]
fn bundled_checks_answer_as_regex_on_the_generated_files() {
    use crate::headless::{prepare, Request};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut compared = 0;
    for (pack, pats) in bundled_patterns() {
        let mut blueprints: Vec<Option<String>> =
            pack.blueprints.iter().map(|b| Some(b.id.clone())).collect();
        blueprints.push(None);
        let mut files: Vec<Vec<u8>> = Vec::new();
        for blueprint in blueprints {
            let req = Request {
                goal: pack.manifest.examples.first().cloned(),
                pack: Some(pack.id().to_string()),
                no_blueprint: blueprint.is_none(),
                skills: blueprint
                    .is_none()
                    .then(|| pack.skills.iter().map(|s| s.id.clone()).collect()),
                blueprint,
                defaults: true,
                ..Request::default()
            };
            let registry = crate::pack::Registry::bundled().expect("bundled packs load");
            let Ok(session) = prepare(&registry, &req) else {
                continue;
            };
            let plan = crate::generate::build_plan(&session, dir.path()).expect("plan");
            files.extend(plan.files.into_iter().map(|f| f.content.into_bytes()));
        }
        // The same files as a user might have edited them: non-ASCII ahead
        // of every match (where a quitting DFA hands over to a `Regex`),
        // Unicode spaces and case-folded letters, a cut UTF-8 sequence.
        let edited: Vec<Vec<u8>> = files
            .iter()
            .flat_map(|f| {
                let text = String::from_utf8_lossy(f);
                let mut cut = "→ ".as_bytes().to_vec();
                cut.extend_from_slice(f);
                cut.extend_from_slice(&"é".as_bytes()[..1]);
                [
                    cut,
                    text.replace(' ', "\u{A0}").into_bytes(),
                    text.replace('s', "ſ").replace('k', "\u{212A}").into_bytes(),
                ]
            })
            .collect();
        files.extend(edited);
        assert!(!files.is_empty(), "{} generated nothing", pack.id());
        for p in &pats {
            let ours = ContentRegex::new(p).expect("embedded");
            let re = Regex::new(p).expect("valid");
            for f in &files {
                assert_eq!(ours.is_match(f), re.is_match(f), "{p:?} in {}", pack.id());
                compared += 1;
            }
        }
    }
    assert!(compared > 1000, "{compared}");
}

#[test]
fn a_damaged_table_never_yields_other_bytes() {
    let items = || {
        ["b(c)", "a", "zz", "é\\s"]
            .iter()
            .enumerate()
            .map(|(k, p)| Item {
                pattern: p.to_string(),
                dfa: (0..(5 + 7 * k) as u8).map(|b| b.wrapping_mul(31)).collect(),
                flags: k as u32 % 2,
            })
            .collect::<Vec<_>>()
    };
    let good = encode(items());
    let expected = items();
    let read = |bytes: &[u8]| -> Vec<Option<(Vec<u8>, u32)>> {
        let Some(table) = Table::new(bytes) else {
            return vec![None; expected.len()];
        };
        expected
            .iter()
            .map(|i| table.find(&i.pattern).map(|f| (f.dfa.to_vec(), f.flags)))
            .collect()
    };
    let whole: Vec<_> = expected
        .iter()
        .map(|i| Some((i.dfa.clone(), i.flags)))
        .collect();
    assert_eq!(read(&good), whole);
    assert!(Table::new(&good).is_some_and(|t| t.find("b").is_none() && t.find("").is_none()));
    let (mut refused, mut kept) = (0, 0);
    for at in 0..good.len() {
        for flip in [0x01, 0x80, 0xFF] {
            let mut bad = good.clone();
            bad[at] ^= flip;
            for (got, want) in read(&bad).into_iter().zip(&whole) {
                match got {
                    None => refused += 1,
                    Some(g) => {
                        assert_eq!(Some(&g), want.as_ref(), "byte {at} ^ {flip:#x}");
                        kept += 1;
                    }
                }
            }
        }
    }
    // Padding bytes change nothing; every other byte is caught.
    assert!(refused > 0 && kept > 0, "{refused} refused, {kept} kept");
    for cut in 0..good.len() {
        for (got, want) in read(&good[..cut]).into_iter().zip(&whole) {
            assert!(
                got.is_none() || got.as_ref() == want.as_ref(),
                "cut at {cut}"
            );
        }
    }
}
