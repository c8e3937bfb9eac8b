//! A goal that asks for a blueprint's journey but rules a part of it out
//! ("new dim_warehouse, scd1, skip the review") gets the blueprint
//! withheld, yet the rest of the journey is what it asks: the dimension is
//! still modelled, built and tested. Generated over every goal of every
//! evaluation set that is offered a blueprint, each of that blueprint's
//! skills ruled out in three phrasings: when detection withholds the
//! blueprint for that part, the chain holds every other skill of the
//! blueprint the goal does not settle, and never the part. The contrast: a
//! goal whose named parts of the journey are all done ("the dbt side is
//! done") gets no journey added. Every sixth offered goal by default,
//! every one with `SKILLCHAIN_JOURNEY_ALL=1`.

mod common;

use common::evalgoals::{bundled, eval_goals};
use skillchain::detect::{detect, Reason};

fn phrasings(keyword: &str) -> [String; 3] {
    [
        format!(". skip the {keyword}"),
        format!(", no {keyword} needed"),
        format!(". the {keyword} is owned by another team"),
    ]
}

#[test]
fn the_rest_of_a_journey_with_a_part_ruled_out_is_asked() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    let every = if std::env::var_os("SKILLCHAIN_JOURNEY_ALL").is_some() {
        1
    } else {
        6
    };
    let mut offered = 0;
    for goal in eval_goals() {
        let Ok(d) = detect(bundled(), &goal) else {
            continue;
        };
        let Some(offer) = d.inner.offer.clone() else {
            continue;
        };
        let Some(pack) = bundled().get(&d.inner.pack) else {
            continue;
        };
        let Some(blueprint) = pack.blueprint(&offer) else {
            continue;
        };
        offered += 1;
        if offered % every != 0 {
            continue;
        }
        for part in &blueprint.skills {
            let Some(keyword) = pack
                .skill(part)
                .and_then(|s| s.keywords.primary.iter().find(|k| k.len() > 3))
            else {
                continue;
            };
            for tail in phrasings(keyword) {
                let g = format!("{goal}{tail}");
                let Ok(d) = detect(bundled(), &g) else {
                    continue;
                };
                let withheld_for_part = d.inner.pack == pack.id()
                    && d.inner.offer.is_none()
                    && !d.inner.ambiguous
                    && d.inner.blueprints.first().is_some_and(|b| {
                        b.id == offer && b.confidence >= 70 && b.parts_ruled_out.contains(part)
                    });
                if !withheld_for_part {
                    continue;
                }
                let named_open = d.inner.scores.iter().any(|s| {
                    s.score > 0 && blueprint.skills.contains(&s.id) && !d.inner.settles(&s.id)
                });
                if !named_open {
                    continue;
                }
                checked += 1;
                let chain: Vec<&str> = d.inner.chain.iter().map(|e| e.id.as_str()).collect();
                let missing: Vec<&String> = blueprint
                    .skills
                    .iter()
                    .filter(|s| !d.inner.settles(s) && !chain.contains(&s.as_str()))
                    .collect();
                if !missing.is_empty() || chain.contains(&part.as_str()) {
                    wrong.push(format!("{g:?}: chain {chain:?}, missing {missing:?}"));
                }
            }
        }
    }
    eprintln!("{checked} goals withheld a blueprint for a part");
    assert!(
        checked >= 100,
        "only {checked} goals withheld a blueprint for a part"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_journey_is_added_when_every_named_part_of_it_is_done() {
    let dims = ["dim_vehicle", "dim_store", "dim_customer", "dim_promo_code"];
    let asks = [
        "power bi semantic model: relationships for the new {d}, hide the surrogate keys, a DAX measure for avg fare. dbt side is done already",
        "DAX measures and relationships in the semantic model for the new {d}; the dbt side is done",
    ];
    let mut checked = 0;
    for d in dims {
        for ask in asks {
            let goal = ask.replace("{d}", d);
            let det = detect(bundled(), &goal).expect("matches");
            assert_eq!(det.inner.pack, "dbt-workflows", "{goal}");
            let from_blueprint: Vec<&str> = det
                .inner
                .chain
                .iter()
                .filter(|e| {
                    e.reasons
                        .iter()
                        .any(|r| matches!(r, Reason::Blueprint { .. }))
                })
                .map(|e| e.id.as_str())
                .collect();
            assert!(from_blueprint.is_empty(), "{goal}: {from_blueprint:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}
