//! The precompiled globs answer exactly as a `GlobSet` of the glob does
//! (`*` inside one folder), for seeded random globs of the syntax packs use
//! against generated paths, and for every bundled glob against every path a
//! pack generates. `SKILLCHAIN_REGEX_SWEEP=N` tries N globs (README,
//! Performance).

use globset::{Candidate, GlobBuilder, GlobSetBuilder};

use super::embedded::{encode, normalise_glob, Item, Table};
use super::globs::GlobDfa;
use super::precompile::glob_dfa;

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
}

const GLOB_PARTS: &[&str] = &[
    "a",
    "b",
    "models",
    "x.sql",
    "dbt_project.yml",
    "*",
    "**",
    "?",
    "*.sql",
    "*.{yml,sql}",
    "{dags,flows}",
    "[ab]",
    "[!a]",
    "[a-c]*",
    "x?",
    "\\*",
    "é",
    "a b",
    ".env",
    "*fct_orders.sql",
    "k8s",
    "",
];
const PATH_PARTS: &[&str] = &[
    "a",
    "b",
    "c",
    "models",
    "x.sql",
    "y.yml",
    "dbt_project.yml",
    "dags",
    "flows",
    ".env",
    "é",
    "a b",
    "fct_orders.sql",
    "stg_fct_orders.sql",
    "k8s",
    "*",
    "a\nb",
    "a\\b",
    "x",
    "",
];

fn glob(rng: &mut Rng) -> String {
    let n = 1 + rng.below(4);
    let mut g = (0..n)
        .map(|_| *rng.pick(GLOB_PARTS))
        .collect::<Vec<_>>()
        .join("/");
    match rng.below(6) {
        0 => g = format!("./{g}"),
        1 => g.push('/'),
        2 => g = format!(" {g} "),
        _ => {}
    }
    g
}

fn path(rng: &mut Rng) -> String {
    let n = 1 + rng.below(4);
    (0..n)
        .map(|_| *rng.pick(PATH_PARTS))
        .collect::<Vec<_>>()
        .join("/")
}

/// A set of one glob, built as the matcher builds its set.
fn set_of(key: &str) -> Option<globset::GlobSet> {
    let glob = GlobBuilder::new(key).literal_separator(true).build().ok()?;
    GlobSetBuilder::new().add(glob).build().ok()
}

fn aligned(bytes: &[u8]) -> (Vec<u8>, usize) {
    let mut buf = vec![0u8; bytes.len() + 8];
    let at = buf.as_ptr().align_offset(8);
    buf[at..at + bytes.len()].copy_from_slice(bytes);
    (buf, at)
}

/// Asserts the DFA of `key`, read through a table, agrees with its set on
/// every path; false when there is no DFA (globset refuses the glob).
fn assert_same(key: &str, paths: &[String]) -> bool {
    let Some(set) = set_of(key) else {
        assert!(
            glob_dfa(key).is_none(),
            "{key:?} is refused by globset but precompiled"
        );
        return false;
    };
    let bytes = glob_dfa(key).unwrap_or_else(|| panic!("{key:?} has no DFA"));
    let table_bytes = encode(vec![Item {
        pattern: key.to_string(),
        dfa: bytes,
        flags: 0,
    }]);
    let (buf, at) = aligned(&table_bytes);
    let table = Table::new(&buf[at..at + table_bytes.len()]).expect("the table reads back");
    let dfa = GlobDfa::from_table(&table, key).expect("the DFA reads back");
    for p in paths {
        assert_eq!(
            dfa.is_match(p),
            set.is_match_candidate(&Candidate::new(p)),
            "glob {key:?} on path {p:?}"
        );
    }
    true
}

#[test]
fn generated_globs_match_exactly_as_globset_does() {
    let count: usize = std::env::var("SKILLCHAIN_REGEX_SWEEP")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let mut rng = Rng(0x61_0B5);
    let mut compiled = 0;
    for _ in 0..count {
        let raw = glob(&mut rng);
        let key = normalise_glob(&raw).to_string();
        // Paths drawn at random and from the glob itself.
        let mut paths: Vec<String> = (0..20).map(|_| path(&mut rng)).collect();
        let from_glob: String = key
            .chars()
            .map(|c| match c {
                '*' | '?' => 'a',
                '[' | ']' | '{' | '}' | '!' | '\\' => 'b',
                c => c,
            })
            .collect();
        paths.push(from_glob.replace(",", "/"));
        paths.push(from_glob);
        paths.push(String::new());
        if assert_same(&key, &paths) {
            compiled += 1;
        }
    }
    assert!(compiled * 2 > count, "{compiled} of {count}");
}

#[test]
fn bundled_globs_are_embedded_and_match_as_globset_on_the_generated_paths() {
    use crate::headless::{prepare, Request};
    let table = Table::new(super::globs::EMBEDDED.bytes()).expect("build.rs embedded globs");
    let registry = crate::pack::Registry::bundled().expect("bundled packs load");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut compared = 0;
    for pack in &registry.packs {
        let mut globs: Vec<String> = pack
            .skills
            .iter()
            .flat_map(|s| s.checks.iter().map(|c| c.path.clone()))
            .collect();
        let mut paths: Vec<String> = Vec::new();
        let mut blueprints: Vec<Option<String>> = Vec::new();
        for b in &pack.blueprints {
            blueprints.push(Some(b.id.clone()));
            for d in b.deliverables.iter() {
                globs.extend(d.files.iter().cloned());
                globs.extend(d.checks.iter().map(|c| c.path.clone()));
            }
        }
        blueprints.push(None);
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
            let Ok(session) = prepare(&registry, &req) else {
                continue;
            };
            let plan = crate::generate::build_plan(&session, dir.path()).expect("plan");
            for f in plan.files {
                // The file and each folder above it, as the walk sees them.
                let mut at = 0;
                while let Some(i) = f.path[at..].find('/') {
                    paths.push(f.path[..at + i].to_string());
                    at += i + 1;
                }
                paths.push(f.path);
            }
        }
        paths.sort();
        paths.dedup();
        for g in &globs {
            let key = normalise_glob(g);
            let found = table
                .find(key)
                .unwrap_or_else(|| panic!("{key:?} has no embedded DFA"));
            assert!(
                glob_dfa(key).is_some_and(|b| b == found.dfa),
                "{key:?} is stale"
            );
            // What `from_bytes_unchecked` is trusted with in embedded.rs.
            let (buf, at) = aligned(found.dfa);
            regex_automata::dfa::dense::DFA::from_bytes(&buf[at..at + found.dfa.len()])
                .unwrap_or_else(|e| panic!("the DFA of {key:?} does not read back: {e}"));
            assert!(assert_same(key, &paths));
            compared += paths.len();
        }
    }
    assert!(compared > 1000, "{compared}");
}
