//! Detection rules as classes, over generated input: ties are never decided
//! by name or registry order, a longer phrase vetoes the words inside it,
//! negation removes every keyword it names, typos of long keywords are read
//! as the keyword, and hostile text never panics.

use std::collections::BTreeMap;

use skillchain::detect::{detect, detect_in_pack, Detection};
use skillchain::pack::{parse_pack, Pack, PackFiles, Registry};

/// A tiny deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn pack(id: &str, triggers: &str, keywords: &str) -> Pack {
    let mut files = BTreeMap::new();
    files.insert(
        "pack.yaml".to_string(),
        format!(
            "id: {id}\ntitle: {id}\nversion: 1.0.0\noutput_root: out\ntriggers: {{ {triggers} }}\n"
        ),
    );
    files.insert(
        "skills/one.yaml".to_string(),
        format!("id: one\ntitle: One\ntier: component\nkeywords:\n  primary: [{keywords}]\n"),
    );
    parse_pack(&PackFiles {
        origin: id.to_string(),
        files,
        unreadable: Vec::new(),
    })
    .expect("test pack parses")
}

/// The bundled packs, loaded once for every test of this file.
fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled().expect("bundled packs load"))
}

#[test]
fn a_tie_is_reported_as_ambiguous_whatever_the_names_and_the_order() {
    // Same vocabulary under names that sort both ways, in both orders.
    for (a, b) in [("aaa", "zzz"), ("zzz", "aaa")] {
        let r = Registry {
            packs: vec![
                pack(a, "kafka: 5", "kafka, stream"),
                pack(b, "kafka: 5", "kafka, stream"),
            ],
            skipped: Vec::new(),
        };
        let d = detect(&r, "kafka stream").expect("matches");
        assert!(d.inner.ambiguous, "{a}/{b}: a tie must be ambiguous");
        let other = if d.inner.pack == a { b } else { a };
        assert_eq!(
            d.inner
                .runner_ups
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            [other]
        );
        assert_eq!(d.packs[0].evidence, d.packs[1].evidence);
        // No blueprint on a close call (these packs have none; the flag is
        // what the chain screen and run read).
        assert_eq!(d.inner.offer, None);
    }
}

#[test]
fn registry_order_never_changes_the_evidence_or_a_clear_choice() {
    let registry = bundled();
    let goals = [
        "streaming pipeline from kafka to snowflake with dbt tests",
        "new bigquery table user_retention_daily from events_daily",
        "add a new dimension for drivers with scd type 2 history",
        "add retries with exponential backoff to the airflow dag tasks",
        "analyze the execution history of the finance pipeline, no code changes",
        "airflow dag for a daily etl job",
    ];
    let mut rng = Rng(0x5eed);
    for _ in 0..8 {
        let mut packs = registry.packs.clone();
        for i in (1..packs.len()).rev() {
            packs.swap(i, rng.below(i + 1));
        }
        let shuffled = Registry {
            packs,
            skipped: Vec::new(),
        };
        for g in goals {
            let a = detect(registry, g).expect("matches");
            let b = detect(&shuffled, g).expect("matches");
            let ev = |d: &Detection| {
                let mut v: Vec<(String, String)> = d
                    .packs
                    .iter()
                    .map(|p| (p.id.clone(), format!("{}", p.evidence)))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(ev(&a), ev(&b), "{g}");
            assert_eq!(a.inner.ambiguous, b.inner.ambiguous, "{g}");
            if !a.inner.ambiguous {
                assert_eq!(a.inner.pack, b.inner.pack, "{g}");
            }
        }
    }
}

#[test]
fn a_longer_phrase_vetoes_the_single_word_inside_it() {
    let d = detect(bundled(), "EXPLAIN ANALYZE shows seq scans on orders").expect("matches");
    assert_eq!(d.inner.pack, "data-engineering");
    let analysis = d
        .packs
        .iter()
        .find(|p| p.id == "pipeline-analysis")
        .expect("scored");
    assert!(
        analysis.words.iter().all(|w| w.keyword != "analyze"),
        "{:?}",
        analysis.words
    );
    // A phrase and its words are one blueprint hit.
    let d = detect(bundled(), "dbt build failed").expect("matches");
    let b = d
        .inner
        .blueprints
        .iter()
        .find(|b| b.id == "debug-failure")
        .expect("scored");
    assert_eq!(b.hits, ["build failed"]);
}

#[test]
fn negation_removes_every_keyword_it_names_in_every_pack() {
    let registry = bundled();
    let mut checked = 0;
    for p in &registry.packs {
        let Some(example) = p.manifest.examples.first() else {
            continue;
        };
        for s in &p.skills {
            for k in s.keywords.primary.iter().filter(|k| {
                !k.contains(' ') && k.len() >= 4 && !example.to_lowercase().contains(k.as_str())
            }) {
                let goal = format!("{example}, without {k}");
                let Ok(d) = detect(registry, &goal) else {
                    continue;
                };
                checked += 1;
                for sc in &d.inner.scores {
                    assert!(
                        sc.hits.iter().all(|h| h.typed != k.as_str()),
                        "{goal:?}: '{k}' still counts for {}",
                        sc.id
                    );
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} goals checked");
}

#[test]
fn no_kafka_rules_streaming_out_of_the_chain_and_the_blueprint() {
    let registry = bundled();
    let d = detect(
        registry,
        "end-to-end data pipeline, no kafka, just batch ELT from postgres into snowflake with dbt",
    )
    .expect("matches");
    assert_eq!(d.inner.pack, "data-engineering");
    assert!(d.inner.chain.iter().all(|e| e.id != "streaming-data"));
    assert_eq!(d.inner.negated.len(), 1);
    assert_eq!(d.inner.negated[0].skill, "streaming-data");
    assert_eq!(d.inner.negated[0].by, "no kafka");
    if let Some(b) = d.inner.offer.as_deref() {
        let pack = registry.get("data-engineering").expect("pack");
        let bp = pack.blueprint(b).expect("blueprint");
        let chain = skillchain::detect::blueprint_chain(pack, &d.inner, bp);
        assert!(chain.iter().all(|e| e.id != "streaming-data"));
    }
}

#[test]
fn typos_of_long_keywords_are_read_as_the_keyword() {
    let registry = bundled();
    let mut rng = Rng(42);
    let mut checked = 0;
    for p in &registry.packs {
        for s in &p.skills {
            for k in s
                .keywords
                .primary
                .iter()
                .filter(|k| k.len() >= 8 && k.chars().all(|c| c.is_ascii_lowercase()))
            {
                // Drop one interior letter, or swap two interior neighbours.
                let c: Vec<char> = k.chars().collect();
                let i = 1 + rng.below(c.len() - 3);
                let mut t = c.clone();
                if rng.below(2) == 0 {
                    t.remove(i);
                } else {
                    t.swap(i, i + 1);
                }
                let typed: String = t.into_iter().collect();
                if typed == *k {
                    continue;
                }
                // Within the keyword's own pack (a gated keyword alone
                // may match no pack, which is right).
                let d = detect_in_pack(p, p.detect_index(), &typed);
                checked += 1;
                // Read as the keyword: by the typo bound, or because the typo
                // has the keyword's stem already ("deployent" → "deploy").
                let read = d
                    .scores
                    .iter()
                    .flat_map(|s| s.hits.iter())
                    .any(|h| h.typed == typed && (h.how == "typo" || h.how == "stem"));
                assert!(
                    read,
                    "{typed:?} (typo of {k:?}) not read as a typo: {:?}",
                    d.normalised
                );
            }
        }
    }
    assert!(checked > 30, "only {checked} typos checked");
}

#[test]
fn hostile_goals_never_panic_and_read_consistently() {
    let registry = bundled();
    let alphabet: Vec<char> =
        "ab_.-' ’,;:!?()\n\t0123456789ñüßæ漢字🙂\u{202e}\u{301}\u{0}kafkadbtbigquery"
            .chars()
            .collect();
    let mut rng = Rng(7);
    for n in 0..300 {
        let len = rng.below(80) + n % 3;
        let goal: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        let a = detect(registry, &goal);
        let b = detect(registry, &goal);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.inner.pack, b.inner.pack);
                assert_eq!(a.inner.normalised.len(), a.inner.stems.len(), "{goal:?}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("{goal:?} detects differently twice"),
        }
    }
    // A very long goal is still read (no quadratic blow-up to fear here: one pass per word).
    let long = "kafka streaming into snowflake ".repeat(2000);
    assert_eq!(
        detect(registry, &long).expect("matches").inner.pack,
        "data-engineering"
    );
}
