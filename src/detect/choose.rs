//! Choosing the pack from combined evidence. Each matched word gives a pack
//! its weight there (trigger weight or keyword points) times the pack's share
//! of that word over all packs, so a word every pack knows says little and a
//! word one pack claims says a lot. Below `MIN_EVIDENCE` nothing matches;
//! a runner-up within `AMBIGUOUS_RATIO` of the best makes the result
//! ambiguous. Ties are reported, never broken by name.

use std::collections::{BTreeMap, HashMap};

use super::index::PackIndex;
use super::score::{detect_analysed, Analysis};
use super::{Detection, NoMatch, PackScore, PackWord};
use crate::pack::Registry;

/// Least weight of matched words (before sharing them out between packs)
/// for the best pack to match at all: one primary keyword is 10, a
/// secondary 5, so a single secondary word or a generic one never matches.
pub const MIN_EVIDENCE: f64 = 8.0;
/// A runner-up with at least this share of the best pack's evidence makes
/// the result ambiguous.
pub const AMBIGUOUS_RATIO: f64 = 0.55;
/// ... and so does one less than this far behind (less than one distinctive
/// secondary keyword apart), however large both are.
pub const AMBIGUOUS_GAP: f64 = 6.0;

/// A runner-up with this share of the best evidence is a close call even
/// against a goal that orders the whole of an offered blueprint.
pub const CLOSE_RATIO: f64 = 0.8;

/// A goal of at most this many content words is short ...
pub const SHORT_GOAL_WORDS: usize = 5;
/// ... and any other pack whose own words weigh this much (one secondary
/// keyword) before sharing is its runner-up.
pub const SHORT_RUNNER_UP: f64 = 5.0;
/// A goal of one word more is brief: such a pack is a runner-up when it
/// reads a word the best pack does not read at all (a second reading of
/// the goal, not the best pack's words seen again: `data lake on s3 with
/// spark and vault secrets` is no close call with a pack that knows only
/// `s3`, `vault` and `secrets`).
pub const BRIEF_GOAL_WORDS: usize = 6;

/// A goal below the minimum with at least two packs reading this much
/// (a secondary keyword) each is vague data work: ambiguous between them.
pub const VAGUE_RUNNER_UP: f64 = 5.0;

/// A pack resting on one word needs at least this share (%) of the goal's
/// content words to be words some pack knows.
pub const LONE_WORD_KNOWN_SHARE: usize = 34;

/// "only "security" of 9 words is data work" when the best pack rests on one
/// single word, the goal names no data tool, and fewer than a third of its
/// content words are known to any pack (inside a phrase or not).
fn lone_word(a: &Analysis, best: &PackScore) -> Option<String> {
    let [word] = best.words.as_slice() else {
        return None;
    };
    // "deploy to staging": delivering software, no data named.
    if super::context::is_delivery_word(&word.keyword)
        && super::context::data_tool(&a.reading.tokens).is_none()
        && !a.reading.tokens.iter().any(|t| t.in_name)
    {
        return Some(format!(
            "only \"{}\" is read, a word of delivering any software",
            word.keyword
        ));
    }
    // A data tool or a modelled table the goal names ("dim_customer",
    // "stg_orders") is data work however few words surround it; a code
    // name ("parse_duration") is not.
    if word.keyword.contains(' ')
        || super::context::data_tool(&a.reading.tokens).is_some()
        || a.reading.tokens.iter().any(|t| {
            t.in_name
                && matches!(
                    t.typed.as_str(),
                    "fct" | "fact" | "dim" | "stg" | "int" | "mart" | "raw" | "src"
                )
        })
    {
        return None;
    }
    let content: Vec<usize> = a
        .reading
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            !super::normalise::is_stopword(&t.word) && !t.word.chars().all(|c| c.is_ascii_digit())
        })
        .map(|(i, _)| i)
        .collect();
    let known = content
        .iter()
        .filter(|&&i| {
            a.all_found
                .iter()
                .any(|f| f.start <= i && i < f.start + f.len)
        })
        .count();
    (known * 100 < LONE_WORD_KNOWN_SHARE * content.len()).then(|| {
        format!(
            "only \"{}\" of its {} words is data work",
            word.keyword,
            content.len()
        )
    })
}

/// A word read inside a name counts this fraction of its weight (rounded,
/// at least 1): `clients_daily` hints at a daily table, it does not ask
/// for one.
pub const NAME_PART_DIVISOR: u32 = 4;

fn name_part_weight(w: u32, in_name: bool) -> u32 {
    if in_name && w > 0 {
        ((w + NAME_PART_DIVISOR / 2) / NAME_PART_DIVISOR).max(1)
    } else {
        w
    }
}

pub fn detect(registry: &Registry, goal: &str) -> Result<Detection, NoMatch> {
    detect_with(registry, goal, None)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Like [`detect`], limited to one pack when `only` names it.
pub fn detect_with(
    registry: &Registry,
    goal: &str,
    only: Option<&str>,
) -> Result<Detection, NoMatch> {
    let packs: Vec<(usize, &crate::pack::Pack)> = registry
        .packs
        .iter()
        .enumerate()
        .filter(|(_, p)| only.is_none_or(|id| id == p.manifest.id))
        .collect();
    let indexes: Vec<&PackIndex> = packs.iter().map(|(_, p)| p.detect_index()).collect();
    let a = Analysis::new(goal, &indexes);
    let mut dets: HashMap<usize, super::PackDetection> = HashMap::new();
    let mut gated: Vec<Vec<usize>> = Vec::new();
    for (pos, (_, pack)) in packs.iter().enumerate() {
        let det = detect_analysed(pack, indexes[pos], &a, pos);
        // Skills an exclusion or a missing `requires_any` word rules out
        // give the pack no evidence either.
        gated.push(
            det.scores
                .iter()
                .filter(|s| s.excluded_by.is_some() || s.missing_requirement)
                .filter_map(|s| pack.skills.iter().position(|k| k.id == s.id))
                .collect(),
        );
        dets.insert(pos, det);
    }
    // Words found at one place, by every pack that knows them.
    let mut groups: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    for f in a.found.iter().filter(|f| !a.is_negated(f)) {
        groups
            .entry((f.start, f.len))
            .or_default()
            .push((f.pack, f.term));
    }
    let mut evidence = vec![0.0f64; packs.len()];
    let mut raw = vec![0u32; packs.len()];
    let mut words: Vec<Vec<PackWord>> = vec![Vec::new(); packs.len()];
    let mut counted: Vec<Vec<usize>> = vec![Vec::new(); packs.len()];
    // Where each pack's counted words stand, for a shared reading.
    let mut reads: Vec<Vec<super::shared::Read>> = vec![Vec::new(); packs.len()];

    let name_part = super::reading::name_parts(&a.reading.tokens);
    let in_name = |start: usize, len: usize| {
        name_part
            .get(start..start + len)
            .is_some_and(|ws| ws.iter().all(|&w| w))
    };
    for (&(start, len), members) in &groups {
        // Words inside a name ("warehouse" of `dim_warehouse`) are weak
        // context: the name's shape speaks for it instead.
        let in_name = in_name(start, len);
        // How many packs know the word (with a weight, after gates).
        let df = members
            .iter()
            .filter(|&&(p, t)| indexes[p].weight_without(t, &gated[p]) > 0)
            .map(|&(p, _)| p)
            .collect::<std::collections::BTreeSet<usize>>()
            .len();
        if df == 0 {
            continue;
        }
        for &(p, t) in members {
            if counted[p].contains(&t) {
                continue;
            }
            counted[p].push(t);
            let w = name_part_weight(indexes[p].weight_without(t, &gated[p]), in_name);
            if w == 0 {
                continue;
            }
            let share = 1.0 / df as f64;
            let ev = f64::from(w) * share;
            evidence[p] += ev;
            raw[p] += w;
            reads[p].push(super::shared::Read {
                start,
                len,
                keyword: indexes[p].terms[t].text.clone(),
                weight: w,
                alone: df == 1,
            });

            words[p].push(PackWord {
                keyword: indexes[p].terms[t].text.clone(),
                weight: w,
                share: (share * 100.0).round() / 100.0,
                evidence: round1(ev),
            });
        }
    }
    let mut scores: Vec<(usize, PackScore)> = Vec::new();
    for (pos, (_, pack)) in packs.iter().enumerate() {
        let ix = indexes[pos];
        let Some(det) = dets.get(&pos) else {
            continue;
        };
        let mut triggers = Vec::new();
        let mut trigger_weight = 0;
        for f in a.found.iter().filter(|f| f.pack == pos && !a.is_negated(f)) {
            if let Some((_, w)) = ix.triggers.iter().find(|(t, _)| *t == f.term) {
                let text = ix.terms[f.term].text.clone();
                if !triggers.contains(&text) {
                    trigger_weight += w;
                    triggers.push(text);
                }
            }
        }
        let skill_score = det.scores.iter().map(|s| s.score).sum();
        // The pack's words read with its own vocabulary alone: another
        // pack's longer phrase ("airflow dag") does not take them.
        let mut own_words: Vec<String> = Vec::new();
        let mut own_raw = 0;
        for f in a
            .found_in(pos, |t| ix.weight_without(t, &gated[pos]) > 0)
            .iter()
            .filter(|f| !a.is_negated(f))
        {
            let text = &ix.terms[f.term].text;
            if !own_words.contains(text) {
                own_raw += name_part_weight(
                    ix.weight_without(f.term, &gated[pos]),
                    in_name(f.start, f.len),
                );
                own_words.push(text.clone());
            }
        }
        scores.push((
            pos,
            PackScore {
                id: pack.manifest.id.clone(),
                trigger_weight,
                triggers,
                skill_score,
                evidence: round1(evidence[pos]),
                raw_evidence: raw[pos],
                words: std::mem::take(&mut words[pos]),
                own_raw,
                own_words,
                source: pack.source.describe(),
                close_call: None,
            },
        ));
    }
    // Best first; equal evidence keeps registry order (and is ambiguous).
    scores.sort_by(|(pa, a), (pb, b)| {
        b.evidence
            .total_cmp(&a.evidence)
            .then(b.skill_score.cmp(&a.skill_score))
            .then(b.trigger_weight.cmp(&a.trigger_weight))
            .then(pa.cmp(pb))
    });
    let scoped: Vec<bool> = a
        .scope_of
        .iter()
        .map(|s| s.is_some_and(|i| a.scopes[i].kind == super::negation::ScopeKind::Negated))
        .collect();
    let personal = super::context::personal(&a.reading.tokens, &scoped);
    // "book club notes on Kafka's The Metamorphosis": the tool's name in
    // its everyday sense, or a product to buy, is other work.
    let everyday = super::everyday::sense(&a.goal, &a.reading.tokens, &scoped);
    let other_work = super::context::other_work(&a.reading.tokens, &scoped);
    let elsewhere = personal
        .clone()
        .or(other_work.first)
        .or_else(|| super::context::code_symbol(&a.goal));
    // Infrastructure around a data tool is data work: the tool lifts the
    // raised minimum ("helm chart for airflow on k8s"); a resume naming
    // Airflow is still a resume.
    let elsewhere = elsewhere.filter(|_| {
        personal.is_some()
            || everyday.is_some()
            || super::context::data_tool(&a.reading.tokens).is_none()
    });
    let minimum = if personal.is_some() {
        f64::INFINITY
    } else if elsewhere.is_some() || everyday.is_some() {
        // "k8s manifests + HPA for the stream consumers": further words of
        // other work around a thing only data work runs are its setting.
        let more = if super::context::data_object(&a.reading.tokens, &scoped) {
            0
        } else {
            other_work.count.saturating_sub(1)
        };
        super::context::MIN_EVIDENCE_ELSEWHERE
            + super::context::MIN_EVIDENCE_PER_MORE_ELSEWHERE * more as f64
    } else {
        MIN_EVIDENCE
    };
    // In a goal of other software work, the words every kind of software
    // work uses ("fix the broken CI, tests fail since the merge") say
    // nothing of data work: only the rest counts toward the raised minimum.
    let raised = elsewhere.is_some() || everyday.is_some();
    let counted = |s: &PackScore| {
        let generic: u32 = if raised {
            s.words
                .iter()
                .filter(|w| super::context::is_generic_software(&w.keyword))
                .map(|w| w.weight)
                .sum()
        } else {
            0
        };
        f64::from(s.raw_evidence.saturating_sub(generic))
    };
    // A goal whose only data word is one word among many others is about
    // something else that happens to use the word ("sanitize input and add
    // a Content-Security-Policy header" knows "security").
    let thin = scores.first().and_then(|(_, s)| lone_word(&a, s));
    let everyday_refusal = everyday
        .clone()
        .filter(|_| scores.first().is_none_or(|(_, s)| counted(s) < minimum));
    // A vague data goal ("why is fct_orders so slow?") reaches no pack's
    // minimum but gives two or more packs a secondary keyword's worth each:
    // it is a close call between them, not a refusal.
    let vague = elsewhere.is_none()
        && everyday.is_none()
        && thin.is_none()
        && scores
            .iter()
            .filter(|(_, s)| f64::from(s.raw_evidence) >= VAGUE_RUNNER_UP)
            .count()
            >= 2;
    let Some((best_pos, best)) = scores
        .first()
        .cloned()
        .filter(|(_, s)| (counted(s) >= minimum || vague) && thin.is_none())
    else {
        return Err(NoMatch {
            goal: goal.to_string(),
            thin: everyday_refusal.or(thin),
            elsewhere: elsewhere.filter(|_| everyday.is_none()),
            packs: registry
                .packs
                .iter()
                .map(|p| {
                    (
                        p.manifest.id.clone(),
                        p.manifest.title.clone(),
                        p.manifest.examples.clone(),
                    )
                })
                .collect(),
        });
    };
    // A short goal says too little to rule a pack out: any other pack with a
    // secondary keyword's worth of its own words is a runner-up.
    // A goal whose words make up one of the best pack's blueprints is
    // specific however short it is, unless the other pack reads every word
    // the blueprint was offered on ("fact table" is a word of both).
    let short = a.reading.content_words() <= SHORT_GOAL_WORDS;
    let offer_hits: Option<&Vec<String>> = dets.get(&best_pos).and_then(|d| {
        d.offer
            .as_ref()
            .and_then(|o| d.blueprints.iter().find(|b| &b.id == o))
            .map(|b| &b.hits)
    });
    // A goal that asks for the whole of an offered blueprint by naming
    // several of its skills is not a close call with a pack that does not
    // read every word the blueprint was offered on. A question ("what
    // happened?", "which orchestrator fits?") asks, it does not order.
    let whole_request = !goal.contains('?')
        && dets.get(&best_pos).is_some_and(|d| {
            d.offer
                .as_ref()
                .and_then(|o| d.blueprints.iter().find(|b| &b.id == o))
                .is_some_and(|b| b.skills_named.len() >= 2)
        });
    let specific_against = |s: &PackScore| {
        offer_hits.is_some_and(|hits| hits.iter().any(|h| !s.own_words.contains(h)))
    };
    let below = counted(&best) < minimum;
    let brief = a.reading.content_words() <= BRIEF_GOAL_WORDS;
    let reads_apart = |s: &PackScore| {
        s.own_words
            .iter()
            .any(|w| !best.own_words.contains(w) && !best.words.iter().any(|b| &b.keyword == w))
    };
    let offered = dets.get(&best_pos).is_some_and(|d| d.offer.is_some());
    let questions = super::close::question_readers(&a, &indexes, &gated, best_pos);
    let wider = super::wider::readers(&a, &indexes, &gated, (best_pos, &best.id));
    // The one word the best pack weighs above all its others is what the
    // goal mainly asks for: in a brief goal, another pack that reads it too
    // offers that as well ("great expectations suite for the silver orders
    // table"). Several words of equal weight name no single ask.
    let heaviest = best.words.iter().map(|w| w.weight).max().unwrap_or(0);
    let main_words: Vec<&String> = best
        .words
        .iter()
        .filter(|w| w.weight == heaviest)
        .map(|w| &w.keyword)
        .collect();
    let main_word = match main_words.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let reads_main = |s: &PackScore| main_word.filter(|w| s.own_words.contains(w));
    // Only work several packs offer ("DQ checks on the orders table"): each
    // of them is a runner-up, unless another pack reads a word of its own
    // way of working ("bigeye"), or the goal rules out a trigger that is
    // more the runner-up's own than any other pack's ("not on bigquery"
    // rules out bigquery-etl, not data-engineering, which knows bigquery as
    // one engine among several).
    let own_elsewhere: Vec<&str> = reads
        .iter()
        .enumerate()
        .filter(|(p, _)| *p != best_pos)
        .flat_map(|(_, rs)| rs.iter())
        .filter(|r| r.alone && r.weight >= super::index::PRIMARY_POINTS)
        .map(|r| r.keyword.as_str())
        .collect();
    let shared_ask = super::capabilities::shared_ask(&best.id, &best.words, &own_elsewhere);
    let weight = |p: usize, t: usize| indexes[p].weight_without(t, &gated[p]);
    let ruled_out = |pos: usize| {
        a.found.iter().any(|f| {
            f.pack == pos
                && a.is_negated(f)
                && indexes[pos].triggers.iter().any(|(t, _)| *t == f.term)
                && a.found
                    .iter()
                    .filter(|g| g.start == f.start && g.len == f.len && g.pack != pos)
                    .all(|g| weight(g.pack, g.term) < weight(pos, f.term))
        })
    };
    let runner_ups: Vec<PackScore> = scores
        .iter()
        .skip(1)
        .filter_map(|(pos, s)| {
            let reason = if below && f64::from(s.raw_evidence) >= VAGUE_RUNNER_UP {
                Some(format!(
                    "no pack reaches the minimum ({minimum}) and this one's words weigh {} as well: vague data work",
                    s.raw_evidence
                ))
            } else if f64::from(s.raw_evidence) >= MIN_EVIDENCE / 2.0
                && (s.evidence >= best.evidence * AMBIGUOUS_RATIO
                    || best.evidence - s.evidence < AMBIGUOUS_GAP)
                && !(whole_request
                    && specific_against(s)
                    && s.evidence < best.evidence * CLOSE_RATIO)
            {
                Some(format!(
                    "evidence {} is within the margin of the best {} (at least {:.0} % of it, or less than {AMBIGUOUS_GAP} behind)",
                    s.evidence,
                    best.evidence,
                    AMBIGUOUS_RATIO * 100.0
                ))
            } else if (short || (brief && reads_apart(s)))
                && f64::from(s.own_raw) >= SHORT_RUNNER_UP
                && !specific_against(s)
            {
                Some(format!(
                    "a goal of {} words says too little to rule out a pack whose own words weigh {}",
                    a.reading.content_words(),
                    s.own_raw
                ))
            } else if let Some(main) = reads_main(s).filter(|_| {
                brief && !offered && f64::from(s.own_raw) >= SHORT_RUNNER_UP
            }) {
                Some(format!(
                    "a goal of {} words that mainly asks for \"{main}\", which this pack reads too",
                    a.reading.content_words()
                ))
            } else if let Some(q) = questions.get(*pos).cloned().flatten() {
                Some(q)
            } else if let Some(w) = wider.get(*pos).cloned().flatten() {
                Some(w)
            } else if let Some(c) = dets.get(pos).and_then(|d| {
                super::close::own_capability(&a, &indexes, (best_pos, *pos), offered, &best, s, d)
            }) {
                Some(c)
            } else {
                super::shared::shared_reading(&best.id, &reads[best_pos], &reads[*pos]).or_else(
                    || {
                        shared_ask
                            .as_ref()
                            .filter(|_| !ruled_out(*pos))
                            .and_then(|ask| ask.reason_for(&s.id))
                    },
                )
            };
            reason.map(|r| PackScore {
                close_call: Some(r),
                ..s.clone()
            })
        })
        .collect();
    let runner_ups = super::shared::also_matching(runner_ups, &scores, minimum);
    let Some(mut inner) = dets.remove(&best_pos) else {
        return Err(NoMatch {
            goal: goal.to_string(),
            thin: None,
            elsewhere: None,
            packs: Vec::new(),
        });
    };
    if !runner_ups.is_empty() {
        inner.ambiguous = true;
        inner.runner_ups = runner_ups;
        // A close call between packs is no ground for a blueprint.
        inner.offer = None;
        for b in &mut inner.blueprints {
            b.offered = false;
        }
    }
    Ok(Detection {
        packs: scores.into_iter().map(|(_, s)| s).collect(),
        inner,
    })
}
