//! What a writer does not know ("I don't know the repo conventions") is
//! not work they rule out; work they put off ("no build yet", "no tests
//! yet") or refuse ("don't add the tests") still is. Goals are generated over every primary keyword of
//! every bundled pack's skills.

mod common;

use common::evalgoals::bundled;
use skillchain::detect::detect;

/// `{}` is a skill's keyword.
const NOT_KNOWING: &[&str] = &[
    "I don't know the {} conventions here",
    "we do not know how the {} works",
    "not sure about the {}",
    "no idea how the {} is set up",
    "I don't understand the {}",
];
const REFUSED: &[&str] = &["don't add the {}", "skip the {}", "no {}"];

/// (pack, skill, keyword, ask) for the first two primary keywords of a
/// skill; the ask is a keyword of another skill of the same pack, so the
/// goal lands in that pack.
fn keywords() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for pack in &bundled().packs {
        for (i, s) in pack.skills.iter().enumerate() {
            let other = pack
                .skills
                .iter()
                .cycle()
                .skip(i + 1)
                .take(pack.skills.len() - 1);
            let Some(ask) = other.filter_map(|o| o.keywords.primary.first()).next() else {
                continue;
            };
            for k in s.keywords.primary.iter().take(2) {
                if k.split_whitespace().count() <= 2 {
                    out.push((
                        pack.manifest.id.clone(),
                        s.id.clone(),
                        k.clone(),
                        ask.clone(),
                    ));
                }
            }
        }
    }
    out
}

/// The skills the goal rules out, when it lands in `pack` (a skill of
/// another pack cannot be ruled out there).
fn negated(goal: &str, pack: &str) -> Option<Vec<String>> {
    detect(bundled(), goal)
        .ok()
        .filter(|d| d.inner.pack == pack)
        .map(|d| d.inner.negated.iter().map(|n| n.skill.clone()).collect())
}

#[test]
fn not_knowing_a_part_does_not_rule_it_out() {
    let mut checked = 0;
    for (i, (pack, skill, k, ask)) in keywords().iter().enumerate() {
        for form in [
            NOT_KNOWING[i % NOT_KNOWING.len()],
            NOT_KNOWING[(i + 2) % NOT_KNOWING.len()],
        ] {
            let goal = format!("{ask} for the orders table; {}", form.replace("{}", k));
            if let Some(neg) = negated(&goal, pack) {
                checked += 1;
                assert!(!neg.contains(skill), "{goal:?} rules out {skill}: {neg:?}");
            }
        }
    }
    assert!(
        checked >= 60,
        "only {checked} goals matched their keyword's pack"
    );
}

#[test]
fn refusing_a_part_still_rules_it_out() {
    // The contrast: the same keywords after a refusal are ruled out, so
    // the test above can fail.
    let mut ruled = 0;
    let mut checked = 0;
    for (i, (pack, skill, k, ask)) in keywords().iter().enumerate() {
        let goal = format!(
            "{ask} for the orders table; {}",
            REFUSED[i % REFUSED.len()].replace("{}", k)
        );
        if let Some(neg) = negated(&goal, pack) {
            checked += 1;
            ruled += usize::from(neg.contains(skill));
        }
    }
    assert!(
        checked >= 30,
        "only {checked} refusals matched their keyword's pack"
    );
    assert!(
        ruled * 10 >= checked * 9,
        "only {ruled} of {checked} refusals rule their part out"
    );
}

#[test]
fn work_put_off_is_still_put_off() {
    for goal in [
        "gather the freshness requirements for the orders data product, no build yet",
        "agree the refresh SLA with finance. no implementation yet",
        "scope the orders pipeline refresh, no code changes yet",
    ] {
        let d = detect(bundled(), goal).expect("detects");
        assert!(
            d.inner
                .scopes
                .iter()
                .any(|s| s.kind == "negated" && s.text.contains("yet")),
            "{goal}: {:?}",
            d.inner.scopes
        );
    }
}
