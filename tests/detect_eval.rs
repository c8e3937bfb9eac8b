//! Scores detection on the labelled goals of tests/fixtures/detect_eval/ and
//! fails below the floors reached. Prints the table; with
//! `SKILLCHAIN_EVAL_MISSES=1` it lists every miss too
//! (`SKILLCHAIN_EVAL_MISSES=1 cargo test --test detect_eval -- --nocapture`).
//! Each set (the tuning set and every held-out set) has its own floors, and
//! the blueprints offered where the label is `none` are counted and floored.

use serde::Deserialize;
use skillchain::detect::{blueprint_chain, detect};
use skillchain::pack::Registry;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    goal: String,
    #[serde(default)]
    pack: Option<String>,
    #[serde(default)]
    acceptable: Vec<String>,
    #[serde(default)]
    must: Vec<String>,
    #[serde(default)]
    must_not: Vec<String>,
    #[serde(default)]
    blueprint: Option<String>,
}

#[derive(Debug, Default)]
struct Score {
    pack_goals: usize,
    right_pack: usize,
    must_total: usize,
    must_found: usize,
    goals: usize,
    must_not_violations: usize,
    /// Must-not skills in the chain `run` generates from (`chain` of
    /// `detect --json`: the assumed skills included).
    must_not_generated: usize,
    none_goals: usize,
    none_refused: usize,
    ambiguous_goals: usize,
    ambiguous_flagged: usize,
    blueprint_goals: usize,
    blueprint_right: usize,
    clear_flagged_ambiguous: usize,
    /// Goals labelled `blueprint: none` (with the right pack) and how many
    /// of them were offered a blueprint anyway.
    blueprint_none_goals: usize,
    blueprint_none_offered: usize,
    misses: Vec<String>,
    /// Clear goals flagged ambiguous: not misses, listed to keep them few.
    flagged_clear: Vec<String>,
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

impl Score {
    fn right_pack_pct(&self) -> f64 {
        pct(self.right_pack, self.pack_goals)
    }
    fn must_pct(&self) -> f64 {
        pct(self.must_found, self.must_total)
    }
    fn must_not_per_100(&self) -> f64 {
        100.0 * self.must_not_violations as f64 / self.goals.max(1) as f64
    }
    fn must_not_written_per_100(&self) -> f64 {
        100.0 * self.must_not_generated as f64 / self.goals.max(1) as f64
    }
    fn refused_pct(&self) -> f64 {
        pct(self.none_refused, self.none_goals)
    }
    fn ambiguous_pct(&self) -> f64 {
        pct(self.ambiguous_flagged, self.ambiguous_goals)
    }
    fn blueprint_pct(&self) -> f64 {
        pct(self.blueprint_right, self.blueprint_goals)
    }

    fn table(&self, name: &str) -> String {
        format!(
            "{name}: {} goals\n\
             | metric | score |\n|---|---|\n\
             | right pack | {:.1} % ({}/{}) |\n\
             | must-have skills in the chain | {:.1} % ({}/{}) |\n\
             | must-not-have violations per 100 goals | {:.1} ({}) |\n\
             | non-data goals refused | {:.1} % ({}/{}) |\n\
             | ambiguous goals flagged with a right runner-up | {:.1} % ({}/{}) |\n\
             | blueprint offer right | {:.1} % ({}/{}) |\n\
             | clear goals flagged ambiguous | {} |\n\
             | blueprint offered where the label is none | {} of {} |\n\
             | must-not-have skills in the chain `run` writes files for, per 100 goals | {:.1} ({}) |\n",
            self.goals,
            self.right_pack_pct(),
            self.right_pack,
            self.pack_goals,
            self.must_pct(),
            self.must_found,
            self.must_total,
            self.must_not_per_100(),
            self.must_not_violations,
            self.refused_pct(),
            self.none_refused,
            self.none_goals,
            self.ambiguous_pct(),
            self.ambiguous_flagged,
            self.ambiguous_goals,
            self.blueprint_pct(),
            self.blueprint_right,
            self.blueprint_goals,
            self.clear_flagged_ambiguous,
            self.blueprint_none_offered,
            self.blueprint_none_goals,
            self.must_not_written_per_100(),
            self.must_not_generated,
        )
    }
}

fn score(file: &str) -> Score {
    let path = if std::path::Path::new(file).is_absolute() {
        file.to_string()
    } else {
        format!(
            "{}/tests/fixtures/detect_eval/{file}",
            env!("CARGO_MANIFEST_DIR")
        )
    };
    let text = std::fs::read_to_string(&path).expect("eval file reads");
    let cases: Vec<Case> = serde_yaml::from_str(&text).expect("eval file parses");
    let registry = Registry::bundled_checked().expect("bundled packs load");
    let mut s = Score::default();
    for c in &cases {
        s.goals += 1;
        let got = detect(&registry, &c.goal);
        let goal = &c.goal;
        if !c.acceptable.is_empty() {
            s.ambiguous_goals += 1;
            let ok = match &got {
                Ok(d) => {
                    d.inner.ambiguous
                        && c.acceptable.contains(&d.inner.pack)
                        && d.inner
                            .runner_ups
                            .iter()
                            .any(|r| c.acceptable.contains(&r.id))
                }
                Err(_) => false,
            };
            if ok {
                s.ambiguous_flagged += 1;
            } else {
                s.misses.push(match &got {
                    Ok(d) => format!(
                        "AMBIGUOUS {goal:?}: got {} ambiguous={} runner-ups {:?} (acceptable {:?}) {:?}",
                        d.inner.pack,
                        d.inner.ambiguous,
                        d.inner.runner_ups.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
                        c.acceptable,
                        d.packs.iter().map(|p| format!("{} {} {:?}", p.id, p.evidence, p.words.iter().map(|w| format!("{}:{}", w.keyword, w.evidence)).collect::<Vec<_>>())).collect::<Vec<_>>()
                    ),
                    Err(_) => format!("AMBIGUOUS {goal:?}: matched nothing"),
                });
            }
            continue;
        }
        let expected = c.pack.as_deref().unwrap_or("none");
        if expected == "none" {
            s.none_goals += 1;
            match &got {
                Err(_) => s.none_refused += 1,
                Ok(d) => s
                    .misses
                    .push(format!("NONE {goal:?}: got {}", d.inner.pack)),
            }
            continue;
        }
        s.pack_goals += 1;
        s.must_total += c.must.len();
        let d = match got {
            Ok(d) => d,
            Err(_) => {
                s.misses.push(format!(
                    "PACK {goal:?}: matched nothing, expected {expected}"
                ));
                if c.blueprint.is_some() {
                    s.blueprint_goals += 1;
                }
                continue;
            }
        };
        if d.inner.pack != expected {
            s.misses.push(format!(
                "PACK {goal:?}: got {} ({:?}), expected {expected}",
                d.inner.pack,
                d.packs
                    .iter()
                    .map(|p| format!("{} {}", p.id, p.evidence))
                    .collect::<Vec<_>>()
            ));
            if c.blueprint.is_some() {
                s.blueprint_goals += 1;
            }
            continue;
        }
        s.right_pack += 1;
        if d.inner.ambiguous {
            s.clear_flagged_ambiguous += 1;
            s.flagged_clear.push(format!(
                "CLEAR-FLAGGED {goal:?}: {} or {:?}",
                d.inner.pack,
                d.inner
                    .runner_ups
                    .iter()
                    .map(|r| format!("{} {}", r.id, r.evidence))
                    .collect::<Vec<_>>()
            ));
        }
        let pack = registry
            .get(&d.inner.pack)
            .expect("detected pack is loaded");
        let chain = match d
            .inner
            .offer
            .as_deref()
            .and_then(|b| pack.blueprints.iter().find(|x| x.id == b))
        {
            // What the goal rules out or says exists is not asked of a
            // blueprint either (the session skips it and writes nothing).
            Some(b) => {
                let only = d.inner.blueprint_answers_only(pack, b);
                blueprint_chain(pack, &d.inner, b)
                    .into_iter()
                    .filter(|e| !only.contains(&e.id))
                    .collect()
            }
            None => d.inner.chain.clone(),
        };
        let ids: Vec<&str> = chain.iter().map(|e| e.id.as_str()).collect();
        for m in &c.must {
            if ids.contains(&m.as_str()) {
                s.must_found += 1;
            } else {
                s.misses
                    .push(format!("MUST {goal:?}: {m} missing from {ids:?}"));
            }
        }
        // The skills `run` writes files for (`chain` of `detect --json`):
        // the asked ones and what the pack requires; the rest only give
        // their answers.
        let generated: Vec<String> = if d.inner.offer.is_some() {
            chain.iter().map(|e| e.id.clone()).collect()
        } else {
            let only = d.inner.answers_only(pack);
            d.inner
                .full_chain(pack)
                .into_iter()
                .map(|e| e.id)
                .filter(|id| !only.contains(id))
                .collect()
        };
        for m in &c.must_not {
            if generated.contains(m) {
                s.must_not_generated += 1;
            }
            if ids.contains(&m.as_str()) {
                s.must_not_violations += 1;
                s.misses.push(format!("MUST-NOT {goal:?}: {m} in {ids:?}"));
            }
        }
        if let Some(b) = &c.blueprint {
            s.blueprint_goals += 1;
            if b == "none" {
                s.blueprint_none_goals += 1;
                if d.inner.offer.is_some() {
                    s.blueprint_none_offered += 1;
                }
            }
            let got = d.inner.offer.as_deref().unwrap_or("none");
            if got == b {
                s.blueprint_right += 1;
            } else {
                s.misses.push(format!(
                    "BLUEPRINT {goal:?}: got {got}, expected {b} ({:?})",
                    d.inner
                        .blueprints
                        .iter()
                        .map(|b| format!("{} {}%", b.id, b.confidence))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    s
}

fn report(name: &str, s: &Score) {
    println!("{}", s.table(name));
    if std::env::var_os("SKILLCHAIN_EVAL_MISSES").is_some() {
        for m in s.misses.iter().chain(&s.flagged_clear) {
            println!("  {m}");
        }
    }
}

/// The scores a set must reach: the floors reached when they were set.
/// Raise them as detection improves; never lower them to let a change
/// through.
struct Floors {
    right_pack: f64,
    must: f64,
    must_not_per_100: f64,
    refused: f64,
    ambiguous: f64,
    blueprint: f64,
    /// Most blueprints offered on goals labelled `blueprint: none`.
    blueprint_none_offered: usize,
    /// Must-not skills in the chain `run` writes files for, per 100 goals.
    must_not_written_per_100: f64,
}

fn assert_floors(name: &str, s: &Score, f: &Floors) {
    let checks = [
        ("right pack %", s.right_pack_pct(), f.right_pack, true),
        ("must-have %", s.must_pct(), f.must, true),
        (
            "must-not violations per 100",
            s.must_not_per_100(),
            f.must_not_per_100,
            false,
        ),
        (
            "must-not skills writing files per 100",
            s.must_not_written_per_100(),
            f.must_not_written_per_100,
            false,
        ),
        ("non-data refused %", s.refused_pct(), f.refused, true),
        ("ambiguous flagged %", s.ambiguous_pct(), f.ambiguous, true),
        ("blueprint right %", s.blueprint_pct(), f.blueprint, true),
    ];
    for (what, got, floor, higher_is_better) in checks {
        let ok = if higher_is_better {
            got >= floor
        } else {
            got <= floor
        };
        assert!(ok, "{name}: {what} {got:.1} against the floor {floor:.1}");
    }
    assert!(
        s.blueprint_none_offered <= f.blueprint_none_offered,
        "{name}: {} blueprints offered where the label is none, at most {} allowed",
        s.blueprint_none_offered,
        f.blueprint_none_offered
    );
}

#[test]
fn tuning_set_scores_at_or_above_the_floors() {
    let s = score("goals.yaml");
    report("tuning set (goals.yaml)", &s);
    assert!(s.goals >= 250 && s.none_goals >= 20 && s.ambiguous_goals >= 20);
    assert_floors(
        "goals.yaml",
        &s,
        &Floors {
            right_pack: 100.0,
            must: 99.6,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 97.1,
            blueprint: 97.0,
            blueprint_none_offered: 1,
            must_not_written_per_100: 0.1,
        },
    );
}

/// The held-out sets are scored on every run so that a change that makes
/// them worse fails; they are never tuned on (see the fixtures' README).
#[test]
fn heldout_set_scores_at_or_above_the_floors() {
    let s = score("heldout.yaml");
    report("held-out set (heldout.yaml)", &s);
    assert_floors(
        "heldout.yaml",
        &s,
        &Floors {
            right_pack: 100.0,
            must: 100.0,
            must_not_per_100: 0.0,
            refused: 100.0,
            ambiguous: 83.2,
            blueprint: 100.0,
            blueprint_none_offered: 0,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout2_set_scores_at_or_above_the_floors() {
    let s = score("heldout2.yaml");
    report("second held-out set (heldout2.yaml)", &s);
    assert_floors(
        "heldout2.yaml",
        &s,
        &Floors {
            right_pack: 98.2,
            must: 98.7,
            must_not_per_100: 0.0,
            refused: 100.0,
            ambiguous: 100.0,
            blueprint: 100.0,
            blueprint_none_offered: 0,
            must_not_written_per_100: 0.1,
        },
    );
}

/// Fresh set A (session 5), written by a colleague who had not seen the
/// detector; committed before detection was changed for it.
#[test]
fn heldout3_set_scores_at_or_above_the_floors() {
    let s = score("heldout3.yaml");
    report("third held-out set (heldout3.yaml)", &s);
    assert_floors(
        "heldout3.yaml",
        &s,
        &Floors {
            right_pack: 98.6,
            must: 97.2,
            must_not_per_100: 0.0,
            refused: 100.0,
            ambiguous: 95.4,
            blueprint: 95.9,
            blueprint_none_offered: 0,
            must_not_written_per_100: 0.1,
        },
    );
}

/// Committed unchanged and scored before any detection change for it: the
/// floors are its clean first score.
#[test]
fn heldout4_set_scores_at_or_above_the_floors() {
    let s = score("heldout4.yaml");
    report("fourth held-out set (heldout4.yaml)", &s);
    assert_floors(
        "heldout4.yaml",
        &s,
        &Floors {
            right_pack: 94.6,
            must: 94.0,
            must_not_per_100: 1.0,
            refused: 100.0,
            ambiguous: 81.8,
            blueprint: 90.6,
            blueprint_none_offered: 0,
            must_not_written_per_100: 1.0,
        },
    );
}

/// Committed unchanged and scored before any detection change for it: the
/// floors are its clean first score.
#[test]
fn heldout5_set_scores_at_or_above_the_floors() {
    let s = score("heldout5.yaml");
    report("fifth held-out set (heldout5.yaml)", &s);
    assert_floors(
        "heldout5.yaml",
        &s,
        &Floors {
            right_pack: 95.9,
            must: 95.4,
            must_not_per_100: 1.0,
            refused: 100.0,
            ambiguous: 90.9,
            blueprint: 90.6,
            blueprint_none_offered: 1,
            must_not_written_per_100: 1.0,
        },
    );
}

/// The session-7 development set: labelled before it was run, then used to
/// guide fixes (its first score is in the fixtures' README).
#[test]
fn heldout6_dev_set_scores_at_or_above_the_floors() {
    let s = score("heldout6_dev.yaml");
    report("sixth set, development (heldout6_dev.yaml)", &s);
    assert_floors(
        "heldout6_dev.yaml",
        &s,
        &Floors {
            right_pack: 100.0,
            must: 98.5,
            must_not_per_100: 0.1,
            refused: 99.9,
            ambiguous: 99.9,
            blueprint: 94.5,
            blueprint_none_offered: 0,
            must_not_written_per_100: 0.1,
        },
    );
}

/// The seventh and eighth sets (session 6): written by someone who read only
/// the seeds and the packs' ids and titles, kept outside the repository
/// while detection was worked on, and scored twice: before that work and
/// after it. The floors are the second, still clean, score.
#[test]
fn heldout7_set_scores_at_or_above_the_floors() {
    let s = score("heldout7.yaml");
    report("seventh held-out set (heldout7.yaml)", &s);
    assert_floors(
        "heldout7.yaml",
        &s,
        &Floors {
            right_pack: 95.9,
            must: 96.4,
            must_not_per_100: 0.1,
            refused: 99.9,
            ambiguous: 90.8,
            blueprint: 85.2,
            blueprint_none_offered: 3,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout8_set_scores_at_or_above_the_floors() {
    let s = score("heldout8.yaml");
    report("eighth held-out set (heldout8.yaml)", &s);
    assert_floors(
        "heldout8.yaml",
        &s,
        &Floors {
            right_pack: 98.6,
            must: 95.4,
            must_not_per_100: 0.1,
            refused: 92.3,
            ambiguous: 77.2,
            blueprint: 91.9,
            blueprint_none_offered: 1,
            must_not_written_per_100: 0.1,
        },
    );
}

/// The ninth and tenth sets (session 8): written from the seeds and the
/// catalogue of ids and titles only, kept outside the repository while
/// detection was changed, never read by anyone who changed it, and scored
/// once, on the merged result. The floors are that clean first score.
#[test]
fn heldout9_set_scores_at_or_above_the_floors() {
    let s = score("heldout9.yaml");
    report("ninth held-out set (heldout9.yaml)", &s);
    assert_floors(
        "heldout9.yaml",
        &s,
        &Floors {
            right_pack: 98.6,
            must: 99.1,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 86.3,
            blueprint: 97.0,
            blueprint_none_offered: 1,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout10_set_scores_at_or_above_the_floors() {
    let s = score("heldout10.yaml");
    report("tenth held-out set (heldout10.yaml)", &s);
    assert_floors(
        "heldout10.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 97.1,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 86.3,
            blueprint: 97.0,
            blueprint_none_offered: 0,
            must_not_written_per_100: 0.1,
        },
    );
}

/// Scores any set in this format without floors, e.g. one kept outside the
/// repository: `SKILLCHAIN_EVAL_FILE=/abs/set.yaml cargo test --test
/// detect_eval -- --ignored --nocapture any_set`.
#[test]
fn heldout11_set_scores_at_or_above_the_floors() {
    let s = score("heldout11.yaml");
    report("eleventh held-out set (heldout11.yaml)", &s);
    assert_floors(
        "heldout11.yaml",
        &s,
        &Floors {
            right_pack: 91.9,
            must: 93.5,
            must_not_per_100: 0.1,
            refused: 92.2,
            ambiguous: 77.2,
            blueprint: 89.2,
            blueprint_none_offered: 2,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout12_set_scores_at_or_above_the_floors() {
    let s = score("heldout12.yaml");
    report("twelfth held-out set (heldout12.yaml)", &s);
    assert_floors(
        "heldout12.yaml",
        &s,
        &Floors {
            right_pack: 94.6,
            must: 93.2,
            must_not_per_100: 1.9,
            refused: 99.9,
            ambiguous: 68.1,
            blueprint: 90.6,
            blueprint_none_offered: 1,
            must_not_written_per_100: 1.9,
        },
    );
}

#[test]
fn heldout13_set_scores_at_or_above_the_floors() {
    let s = score("heldout13.yaml");
    report("thirteenth held-out set (heldout13.yaml)", &s);
    assert_floors(
        "heldout13.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 97.9,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 81.7,
            blueprint: 89.2,
            blueprint_none_offered: 2,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn scope_set_scores_at_or_above_the_floors() {
    let s = score("scope.yaml");
    report("scope set (scope.yaml)", &s);
    assert_floors(
        "scope.yaml",
        &s,
        &Floors {
            right_pack: 93.9,
            must: 94.5,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 100.0,
            blueprint: 91.9,
            blueprint_none_offered: 1,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn nondata_set_scores_at_or_above_the_floors() {
    let s = score("nondata.yaml");
    report("non-data set (nondata.yaml)", &s);
    assert_floors(
        "nondata.yaml",
        &s,
        &Floors {
            right_pack: 97.4,
            must: 96.5,
            must_not_per_100: 0.1,
            refused: 99.9,
            ambiguous: 100.0,
            blueprint: 87.4,
            blueprint_none_offered: 2,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout14_set_scores_at_or_above_the_floors() {
    let s = score("heldout14.yaml");
    report("fourteenth held-out set (heldout14.yaml)", &s);
    assert_floors(
        "heldout14.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 95.8,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 81.7,
            blueprint: 94.6,
            blueprint_none_offered: 1,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout15_set_scores_at_or_above_the_floors() {
    let s = score("heldout15.yaml");
    report("fifteenth held-out set (heldout15.yaml)", &s);
    assert_floors(
        "heldout15.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 96.2,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 45.4,
            blueprint: 90.6,
            blueprint_none_offered: 4,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout16_set_scores_at_or_above_the_floors() {
    let s = score("heldout16.yaml");
    report("sixteenth held-out set (heldout16.yaml)", &s);
    assert_floors(
        "heldout16.yaml",
        &s,
        &Floors {
            right_pack: 98.6,
            must: 98.5,
            must_not_per_100: 1.0,
            refused: 100.0,
            ambiguous: 68.1,
            blueprint: 91.9,
            blueprint_none_offered: 1,
            must_not_written_per_100: 1.0,
        },
    );
}

#[test]
fn heldout17_set_scores_at_or_above_the_floors() {
    let s = score("heldout17.yaml");
    report("seventeenth held-out set (heldout17.yaml)", &s);
    assert_floors(
        "heldout17.yaml",
        &s,
        &Floors {
            right_pack: 95.9,
            must: 97.7,
            must_not_per_100: 1.0,
            refused: 100.0,
            ambiguous: 59.0,
            blueprint: 87.9,
            blueprint_none_offered: 1,
            must_not_written_per_100: 1.0,
        },
    );
}

#[test]
fn heldout18_set_scores_at_or_above_the_floors() {
    let s = score("heldout18.yaml");
    report("eighteenth held-out set (heldout18.yaml)", &s);
    assert_floors(
        "heldout18.yaml",
        &s,
        &Floors {
            right_pack: 95.9,
            must: 96.8,
            must_not_per_100: 0.1,
            refused: 84.5,
            ambiguous: 81.7,
            blueprint: 91.9,
            blueprint_none_offered: 1,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout19_set_scores_at_or_above_the_floors() {
    let s = score("heldout19.yaml");
    report("nineteenth held-out set (heldout19.yaml)", &s);
    assert_floors(
        "heldout19.yaml",
        &s,
        &Floors {
            right_pack: 95.9,
            must: 97.6,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 63.5,
            blueprint: 94.6,
            blueprint_none_offered: 1,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout20_set_scores_at_or_above_the_floors() {
    let s = score("heldout20.yaml");
    report("twentieth held-out set (heldout20.yaml)", &s);
    assert_floors(
        "heldout20.yaml",
        &s,
        &Floors {
            right_pack: 94.6,
            must: 95.8,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 63.6,
            blueprint: 89.2,
            blueprint_none_offered: 2,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout21_set_scores_at_or_above_the_floors() {
    let s = score("heldout21.yaml");
    report("twenty-first held-out set (heldout21.yaml)", &s);
    assert_floors(
        "heldout21.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 95.8,
            must_not_per_100: 0.1,
            refused: 99.9,
            ambiguous: 63.5,
            blueprint: 91.9,
            blueprint_none_offered: 3,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout22_set_scores_at_or_above_the_floors() {
    let s = score("heldout22.yaml");
    report("twenty-second held-out set (heldout22.yaml)", &s);
    assert_floors(
        "heldout22.yaml",
        &s,
        &Floors {
            right_pack: 95.9,
            must: 97.8,
            must_not_per_100: 1.9,
            refused: 92.2,
            ambiguous: 86.3,
            blueprint: 93.2,
            blueprint_none_offered: 0,
            must_not_written_per_100: 1.9,
        },
    );
}

#[test]
fn heldout23_set_scores_at_or_above_the_floors() {
    let s = score("heldout23.yaml");
    report("twenty-third held-out set (heldout23.yaml)", &s);
    assert_floors(
        "heldout23.yaml",
        &s,
        &Floors {
            right_pack: 93.2,
            must: 93.7,
            must_not_per_100: 1.0,
            refused: 100.0,
            ambiguous: 81.7,
            blueprint: 91.9,
            blueprint_none_offered: 1,
            must_not_written_per_100: 1.0,
        },
    );
}

#[test]
fn heldout24_set_scores_at_or_above_the_floors() {
    let s = score("heldout24.yaml");
    report("twenty-fourth held-out set (heldout24.yaml)", &s);
    assert_floors(
        "heldout24.yaml",
        &s,
        &Floors {
            right_pack: 93.2,
            must: 93.7,
            must_not_per_100: 1.0,
            refused: 92.2,
            ambiguous: 68.1,
            blueprint: 90.6,
            blueprint_none_offered: 1,
            must_not_written_per_100: 1.0,
        },
    );
}

#[test]
fn heldout25_set_scores_at_or_above_the_floors() {
    let s = score("heldout25.yaml");
    report("twenty-fifth held-out set (heldout25.yaml)", &s);
    assert_floors(
        "heldout25.yaml",
        &s,
        &Floors {
            right_pack: 95.9,
            must: 95.5,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 68.1,
            blueprint: 91.9,
            blueprint_none_offered: 1,
            must_not_written_per_100: 0.1,
        },
    );
}

#[test]
fn heldout26_set_scores_at_or_above_the_floors() {
    let s = score("heldout26.yaml");
    report("twenty-sixth held-out set (heldout26.yaml)", &s);
    assert_floors(
        "heldout26.yaml",
        &s,
        &Floors {
            right_pack: 98.6,
            must: 98.4,
            must_not_per_100: 1.0,
            refused: 100.0,
            ambiguous: 95.4,
            blueprint: 97.2,
            blueprint_none_offered: 1,
            must_not_written_per_100: 1.0,
        },
    );
}

#[test]
fn heldout27_set_scores_at_or_above_the_floors() {
    let s = score("heldout27.yaml");
    report("twenty-seventh held-out set (heldout27.yaml)", &s);
    assert_floors(
        "heldout27.yaml",
        &s,
        &Floors {
            right_pack: 98.6,
            must: 96.1,
            must_not_per_100: 2.8,
            refused: 100.0,
            ambiguous: 68.1,
            blueprint: 93.2,
            blueprint_none_offered: 2,
            must_not_written_per_100: 2.8,
        },
    );
}

#[test]
fn heldout28_set_scores_at_or_above_the_floors() {
    let s = score("heldout28.yaml");
    report("twenty-eighth held-out set (heldout28.yaml)", &s);
    assert_floors(
        "heldout28.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 94.9,
            must_not_per_100: 4.6,
            refused: 100.0,
            ambiguous: 77.2,
            blueprint: 91.6,
            blueprint_none_offered: 2,
            must_not_written_per_100: 4.6,
        },
    );
}

#[test]
fn heldout29_set_scores_at_or_above_the_floors() {
    let s = score("heldout29.yaml");
    report("twenty-ninth held-out set (heldout29.yaml)", &s);
    assert_floors(
        "heldout29.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 98.0,
            must_not_per_100: 1.0,
            refused: 100.0,
            ambiguous: 77.2,
            blueprint: 87.9,
            blueprint_none_offered: 3,
            must_not_written_per_100: 1.0,
        },
    );
}

/// Written in session 13 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on the session's final
/// build.
#[test]
fn heldout30_set_scores_at_or_above_the_floors() {
    let s = score("heldout30.yaml");
    report("thirtieth held-out set (heldout30.yaml)", &s);
    assert_floors(
        "heldout30.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 94.9,
            must_not_per_100: 3.7,
            refused: 99.9,
            ambiguous: 68.1,
            blueprint: 89.4,
            blueprint_none_offered: 0,
            must_not_written_per_100: 3.7,
        },
    );
}
/// Written in session 13 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on the session's final
/// build.
#[test]
fn heldout31_set_scores_at_or_above_the_floors() {
    let s = score("heldout31.yaml");
    report("thirty-first held-out set (heldout31.yaml)", &s);
    assert_floors(
        "heldout31.yaml",
        &s,
        &Floors {
            right_pack: 98.6,
            must: 96.9,
            must_not_per_100: 8.3,
            refused: 99.9,
            ambiguous: 59.0,
            blueprint: 90.6,
            blueprint_none_offered: 0,
            must_not_written_per_100: 8.3,
        },
    );
}
/// Written in session 13 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on the session's final
/// build.
#[test]
fn heldout32_set_scores_at_or_above_the_floors() {
    let s = score("heldout32.yaml");
    report("thirty-second held-out set (heldout32.yaml)", &s);
    assert_floors(
        "heldout32.yaml",
        &s,
        &Floors {
            right_pack: 91.9,
            must: 92.3,
            must_not_per_100: 0.1,
            refused: 100.0,
            ambiguous: 81.7,
            blueprint: 88.3,
            blueprint_none_offered: 0,
            must_not_written_per_100: 0.1,
        },
    );
}
/// Written in session 13 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on the session's final
/// build.
#[test]
fn heldout33_set_scores_at_or_above_the_floors() {
    let s = score("heldout33.yaml");
    report("thirty-third held-out set (heldout33.yaml)", &s);
    assert_floors(
        "heldout33.yaml",
        &s,
        &Floors {
            right_pack: 93.2,
            must: 87.1,
            must_not_per_100: 2.8,
            refused: 100.0,
            ambiguous: 68.1,
            blueprint: 71.9,
            blueprint_none_offered: 0,
            must_not_written_per_100: 3.7,
        },
    );
}
/// Written in session 13 by a colleague who saw only the catalogue of ids
/// and the seeds (clean, one goal read); floors are its score on the session's final
/// build.
#[test]
fn heldout34_set_scores_at_or_above_the_floors() {
    let s = score("heldout34.yaml");
    report("thirty-fourth held-out set (heldout34.yaml)", &s);
    assert_floors(
        "heldout34.yaml",
        &s,
        &Floors {
            right_pack: 90.6,
            must: 91.1,
            must_not_per_100: 4.6,
            refused: 84.5,
            ambiguous: 68.1,
            blueprint: 78.8,
            blueprint_none_offered: 2,
            must_not_written_per_100: 4.6,
        },
    );
}
/// Written in session 13 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on the session's final
/// build.
#[test]
fn heldout35_set_scores_at_or_above_the_floors() {
    let s = score("heldout35.yaml");
    report("thirty-fifth held-out set (heldout35.yaml)", &s);
    assert_floors(
        "heldout35.yaml",
        &s,
        &Floors {
            right_pack: 93.2,
            must: 92.3,
            must_not_per_100: 4.6,
            refused: 100.0,
            ambiguous: 59.0,
            blueprint: 91.0,
            blueprint_none_offered: 0,
            must_not_written_per_100: 4.6,
        },
    );
}

/// Written in session 14 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on the session's
/// final build (main before the session: see the README).
#[test]
fn heldout36_set_scores_at_or_above_the_floors() {
    let s = score("heldout36.yaml");
    report("thirty-sixth held-out set (heldout36.yaml)", &s);
    assert_floors(
        "heldout36.yaml",
        &s,
        &Floors {
            right_pack: 94.6,
            must: 86.9,
            must_not_per_100: 1.9,
            refused: 100.0,
            ambiguous: 63.5,
            blueprint: 79.1,
            blueprint_none_offered: 2,
            must_not_written_per_100: 1.9,
        },
    );
}
/// Written in session 14 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on the session's final
/// build (main before the session: see the README).
#[test]
fn heldout37_set_scores_at_or_above_the_floors() {
    let s = score("heldout37.yaml");
    report("thirty-seventh held-out set (heldout37.yaml)", &s);
    assert_floors(
        "heldout37.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 97.7,
            must_not_per_100: 3.7,
            refused: 84.5,
            ambiguous: 59.0,
            blueprint: 89.0,
            blueprint_none_offered: 0,
            must_not_written_per_100: 3.7,
        },
    );
}
/// Written in session 14 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on the session's
/// final build (main before the session: see the README).
#[test]
fn heldout38_set_scores_at_or_above_the_floors() {
    let s = score("heldout38.yaml");
    report("thirty-eighth held-out set (heldout38.yaml)", &s);
    assert_floors(
        "heldout38.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 95.8,
            must_not_per_100: 3.7,
            refused: 92.2,
            ambiguous: 63.5,
            blueprint: 90.4,
            blueprint_none_offered: 0,
            must_not_written_per_100: 3.7,
        },
    );
}
/// Written in session 14 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on the session's final
/// build (main before the session: see the README).
#[test]
fn heldout39_set_scores_at_or_above_the_floors() {
    let s = score("heldout39.yaml");
    report("thirty-ninth held-out set (heldout39.yaml)", &s);
    assert_floors(
        "heldout39.yaml",
        &s,
        &Floors {
            right_pack: 91.9,
            must: 87.5,
            must_not_per_100: 5.6,
            refused: 100.0,
            ambiguous: 90.8,
            blueprint: 83.2,
            blueprint_none_offered: 2,
            must_not_written_per_100: 5.6,
        },
    );
}
/// Written in session 15 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on the session's final
/// build (main before the session: see the README).
#[test]
fn heldout40_set_scores_at_or_above_the_floors() {
    let s = score("heldout40.yaml");
    report("fortieth held-out set (heldout40.yaml)", &s);
    assert_floors(
        "heldout40.yaml",
        &s,
        &Floors {
            right_pack: 90.6,
            must: 88.8,
            must_not_per_100: 7.4,
            refused: 84.5,
            ambiguous: 68.1,
            blueprint: 83.2,
            blueprint_none_offered: 1,
            must_not_written_per_100: 7.4,
        },
    );
}
/// Written in session 15 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on the session's final
/// build (main before the session: see the README).
#[test]
fn heldout41_set_scores_at_or_above_the_floors() {
    let s = score("heldout41.yaml");
    report("forty-first held-out set (heldout41.yaml)", &s);
    assert_floors(
        "heldout41.yaml",
        &s,
        &Floors {
            right_pack: 93.2,
            must: 91.1,
            must_not_per_100: 3.7,
            refused: 92.2,
            ambiguous: 81.7,
            blueprint: 86.2,
            blueprint_none_offered: 1,
            must_not_written_per_100: 3.7,
        },
    );
}
/// Written in session 15 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on the session's final
/// build (main before the session: see the README).
#[test]
fn heldout42_set_scores_at_or_above_the_floors() {
    let s = score("heldout42.yaml");
    report("forty-second held-out set (heldout42.yaml)", &s);
    assert_floors(
        "heldout42.yaml",
        &s,
        &Floors {
            right_pack: 91.9,
            must: 92.6,
            must_not_per_100: 7.4,
            refused: 84.5,
            ambiguous: 49.9,
            blueprint: 86.4,
            blueprint_none_offered: 0,
            must_not_written_per_100: 7.4,
        },
    );
}
/// Written in session 15 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on the session's final
/// build (main before the session: see the README).
#[test]
fn heldout43_set_scores_at_or_above_the_floors() {
    let s = score("heldout43.yaml");
    report("forty-third held-out set (heldout43.yaml)", &s);
    assert_floors(
        "heldout43.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 96.2,
            must_not_per_100: 12.8,
            refused: 92.2,
            ambiguous: 63.5,
            blueprint: 92.5,
            blueprint_none_offered: 0,
            must_not_written_per_100: 14.6,
        },
    );
}
/// Written in session 16 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on main before the
/// session's changes.
#[test]
fn heldout44_set_scores_at_or_above_the_floors() {
    let s = score("heldout44.yaml");
    report("forty-fourth held-out set (heldout44.yaml)", &s);
    assert_floors(
        "heldout44.yaml",
        &s,
        &Floors {
            right_pack: 93.2,
            must: 89.8,
            must_not_per_100: 5.6,
            refused: 76.8,
            ambiguous: 63.5,
            blueprint: 73.4,
            blueprint_none_offered: 0,
            must_not_written_per_100: 5.6,
        },
    );
}
/// Written in session 16 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on main before the
/// session's changes.
#[test]
fn heldout45_set_scores_at_or_above_the_floors() {
    let s = score("heldout45.yaml");
    report("forty-fifth held-out set (heldout45.yaml)", &s);
    assert_floors(
        "heldout45.yaml",
        &s,
        &Floors {
            right_pack: 94.6,
            must: 88.4,
            must_not_per_100: 2.8,
            refused: 99.9,
            ambiguous: 49.9,
            blueprint: 88.5,
            blueprint_none_offered: 0,
            must_not_written_per_100: 3.7,
        },
    );
}
/// Written in session 16 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on main before the
/// session's changes.
#[test]
fn heldout46_set_scores_at_or_above_the_floors() {
    let s = score("heldout46.yaml");
    report("forty-sixth held-out set (heldout46.yaml)", &s);
    assert_floors(
        "heldout46.yaml",
        &s,
        &Floors {
            right_pack: 98.6,
            must: 96.1,
            must_not_per_100: 3.7,
            refused: 99.9,
            ambiguous: 68.1,
            blueprint: 92.6,
            blueprint_none_offered: 1,
            must_not_written_per_100: 3.7,
        },
    );
}
/// Written in session 16 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on main before the
/// session's changes.
#[test]
fn heldout47_set_scores_at_or_above_the_floors() {
    let s = score("heldout47.yaml");
    report("forty-seventh held-out set (heldout47.yaml)", &s);
    assert_floors(
        "heldout47.yaml",
        &s,
        &Floors {
            right_pack: 91.9,
            must: 86.8,
            must_not_per_100: 7.4,
            refused: 92.2,
            ambiguous: 49.9,
            blueprint: 89.5,
            blueprint_none_offered: 1,
            must_not_written_per_100: 7.4,
        },
    );
}
/// Written in session 17 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on main before the
/// session's changes.
#[test]
fn heldout48_set_scores_at_or_above_the_floors() {
    let s = score("heldout48.yaml");
    report("forty-eighth held-out set (heldout48.yaml)", &s);
    assert_floors(
        "heldout48.yaml",
        &s,
        &Floors {
            right_pack: 91.9,
            must: 89.1,
            must_not_per_100: 5.6,
            refused: 76.8,
            ambiguous: 63.5,
            blueprint: 80.6,
            blueprint_none_offered: 2,
            must_not_written_per_100: 5.6,
        },
    );
}
/// Written in session 17 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on main before the
/// session's changes.
#[test]
fn heldout49_set_scores_at_or_above_the_floors() {
    let s = score("heldout49.yaml");
    report("forty-ninth held-out set (heldout49.yaml)", &s);
    assert_floors(
        "heldout49.yaml",
        &s,
        &Floors {
            right_pack: 95.9,
            must: 87.5,
            must_not_per_100: 4.6,
            refused: 84.5,
            ambiguous: 81.7,
            blueprint: 89.5,
            blueprint_none_offered: 0,
            must_not_written_per_100: 5.5,
        },
    );
}
/// Written in session 18 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on main before the
/// session's changes.
#[test]
fn heldout50_set_scores_at_or_above_the_floors() {
    let s = score("heldout50.yaml");
    report("fiftieth held-out set (heldout50.yaml)", &s);
    assert_floors(
        "heldout50.yaml",
        &s,
        &Floors {
            right_pack: 91.9,
            must: 86.2,
            must_not_per_100: 10.1,
            refused: 69.1,
            ambiguous: 40.8,
            blueprint: 72.4,
            blueprint_none_offered: 3,
            must_not_written_per_100: 10.1,
        },
    );
}
/// Written in session 18 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on main before the
/// session's changes.
#[test]
fn heldout51_set_scores_at_or_above_the_floors() {
    let s = score("heldout51.yaml");
    report("fifty-first held-out set (heldout51.yaml)", &s);
    assert_floors(
        "heldout51.yaml",
        &s,
        &Floors {
            right_pack: 94.6,
            must: 94.1,
            must_not_per_100: 1.0,
            refused: 84.5,
            ambiguous: 68.1,
            blueprint: 88.6,
            blueprint_none_offered: 0,
            must_not_written_per_100: 1.0,
        },
    );
}
/// Written in session 20 by a colleague who saw only the catalogue of ids
/// and the seeds (clean); floors are its score on main before the
/// session's changes.
#[test]
fn heldout52_set_scores_at_or_above_the_floors() {
    let s = score("heldout52.yaml");
    report("Fifty-second held-out set (heldout52.yaml)", &s);
    assert_floors(
        "heldout52.yaml",
        &s,
        &Floors {
            right_pack: 97.2,
            must: 97.6,
            must_not_per_100: 9.2,
            refused: 92.2,
            ambiguous: 68.1,
            blueprint: 86.2,
            blueprint_none_offered: 2,
            must_not_written_per_100: 9.2,
        },
    );
}
/// Written in session 20 by a colleague who saw only the catalogue of ids
/// and the seeds (development); floors are its score on main before the
/// session's changes.
#[test]
fn heldout53_set_scores_at_or_above_the_floors() {
    let s = score("heldout53.yaml");
    report("Fifty-third held-out set (heldout53.yaml)", &s);
    assert_floors(
        "heldout53.yaml",
        &s,
        &Floors {
            right_pack: 94.6,
            must: 93.1,
            must_not_per_100: 1.9,
            refused: 99.9,
            ambiguous: 49.9,
            blueprint: 81.9,
            blueprint_none_offered: 0,
            must_not_written_per_100: 1.9,
        },
    );
}
#[test]
#[ignore = "needs SKILLCHAIN_EVAL_FILE"]
fn any_set_scores() {
    let file = std::env::var("SKILLCHAIN_EVAL_FILE").expect("SKILLCHAIN_EVAL_FILE names a set");
    let s = score(&file);
    report(&file, &s);
    assert!(s.goals > 0, "{file} has no goals");
}
