//! Reading the goal against packs: the analysis shared by every pack (terms
//! found, scopes), each skill's score (+10 primary, +5 secondary, 0 on an
//! exclusion, a missing `requires_any` or a negation) and the chain.

use std::collections::{BTreeSet, HashMap};

use super::blueprint::score_blueprints;
use super::chain::build_chain_with;
use super::index::{PackIndex, PRIMARY_POINTS, SECONDARY_POINTS};
use super::negation::{scopes, Scope, ScopeKind};
use super::normalise::How;
use super::phrases::{consume, find, Found};
use super::reading::{read, Reading};
use super::{names, Hit, NegatedSkill, PackDetection, Reason, ScopeNote, SkillScore};
use crate::pack::Pack;

/// The goal read once against a set of packs.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub goal: String,
    pub reading: Reading,
    /// Terms found after longer phrases (of any pack) consumed their words:
    /// the evidence packs are chosen on.
    pub found: Vec<Found>,
    /// Every term found, before consumption.
    pub all_found: Vec<Found>,
    pub scopes: Vec<Scope>,
    /// Per word: the scope (index into `scopes`) covering it, if any.
    pub scope_of: Vec<Option<usize>>,
    /// Per word: a cadence that describes or measures, not one asked for,
    /// and the words of what it describes.
    pub described: Vec<Option<super::described::Described>>,
}

impl Analysis {
    /// Whether a scope (a negation, a thing said to exist) covers word `i`.
    pub(super) fn in_scope(&self, i: usize) -> bool {
        self.scope_of.get(i).copied().flatten().is_some()
    }

    pub fn new(goal: &str, packs: &[&PackIndex]) -> Analysis {
        let reading = read(goal, packs);
        let mut all = Vec::new();
        for (i, p) in packs.iter().enumerate() {
            find(i, p, &reading, &mut all);
        }
        // A name's shape is read as a whole ("modelled table" for `fct_`):
        // its words on their own ("table", "model") are no one's keywords.
        let shapes = super::reading::shape_spans(&reading.tokens);
        all.retain(|f| {
            let span = (f.start, f.len);
            shapes.contains(&span)
                || !shapes
                    .iter()
                    .any(|&(s, l)| f.start < s + l && s < f.start + f.len)
        });
        let n = reading.tokens.len();
        let all_found = all.clone();
        let found = consume(all, n);
        let mut consumed = vec![false; n];
        for f in found.iter().filter(|f| f.len > 1) {
            for c in consumed.iter_mut().skip(f.start).take(f.len) {
                *c = true;
            }
        }
        let scopes = scopes(&reading.tokens, &consumed);
        // The words of a listed scope phrase ("needs a separate PR") are no
        // keywords: "PR" is no "pull" of an extract.
        let in_phrase = |f: &Found| {
            scopes
                .iter()
                .any(|s| s.phrase.start <= f.start && f.start + f.len <= s.phrase.end)
        };
        let all_found: Vec<Found> = all_found.into_iter().filter(|f| !in_phrase(f)).collect();
        let found: Vec<Found> = found.into_iter().filter(|f| !in_phrase(f)).collect();
        let mut scope_of = vec![None; n];
        for (i, s) in scopes.iter().enumerate() {
            for &w in &s.words {
                if let Some(slot) = scope_of.get_mut(w) {
                    *slot = Some(i);
                }
            }
        }
        let mut described = super::described::described(&reading.tokens);
        let researched = super::researched::researched(&reading.tokens);
        for (d, r) in described.iter_mut().zip(researched) {
            if r && d.is_none() {
                *d = Some(super::described::Described::Researched);
            }
        }
        Analysis {
            goal: goal.to_string(),
            reading,
            found,
            all_found,
            scopes,
            scope_of,
            described,
        }
    }

    /// The goal names a thing that runs already ("the nightly ledger
    /// sync", "when the SAP extract fails").
    pub fn names_running(&self) -> bool {
        self.described
            .contains(&Some(super::described::Described::Running))
    }

    /// Every word of the find describes what runs or measures a number.
    pub fn describes(&self, f: &Found) -> bool {
        (f.start..f.start + f.len).all(|w| self.described.get(w).copied().flatten().is_some())
    }

    /// The terms of pack `pos` playing `role` after the longer ones among
    /// them consumed their words: what skills (among skill keywords) and a
    /// blueprint (among its triggers) are scored on. Another pack's phrase
    /// vetoes a reading for the choice of pack only.
    pub fn found_in(&self, pos: usize, role: impl Fn(usize) -> bool) -> Vec<Found> {
        let mine: Vec<Found> = self
            .all_found
            .iter()
            .copied()
            .filter(|f| f.pack == pos && role(f.term))
            .collect();
        consume(mine, self.reading.tokens.len())
    }

    /// The scope covering a find: a term is one thing, so a scope that
    /// reaches any of its words ("power bi semantic model in a later PR"
    /// reaches "bi" of "power bi") covers it, unless a scope of the other
    /// kind holds some other word of it.
    pub fn scope(&self, f: &Found) -> Option<&Scope> {
        let of = |w: usize| self.scope_of.get(w).copied().flatten();
        let first = (f.start..f.start + f.len).find_map(of)?;
        let kind = self.scopes[first].kind;
        (f.start..f.start + f.len)
            .all(|w| of(w).is_none_or(|s| self.scopes[s].kind == kind))
            .then(|| &self.scopes[first])
    }

    /// The find names whose credential the goal is about ("the kafka SASL
    /// creds", "warehouse + snowflake passwords", "the snowflake
    /// service account key"): the system owns the secret, the goal does not
    /// work on the system itself.
    pub fn owns_a_secret(&self, f: &Found) -> bool {
        let toks = &self.reading.tokens;
        let other_system = |i: usize| {
            self.all_found
                .iter()
                .any(|o| o.start <= i && i < o.start + o.len && o.start != f.start)
        };
        // Other owners ("postgres + snowflake passwords") and the words that
        // qualify a secret ("SASL", "service account") stand between the
        // find and the secret.
        for i in f.start + f.len..f.start + f.len + 6 {
            let Some(t) = toks.get(i) else {
                return false;
            };
            // A comma ends the owner: "tuned queries, creds in vault" lists
            // two asks.
            if t.in_name || t.clause_start {
                return false;
            }
            // "spark and vault secrets": the secrets are the store's, not
            // the system's before it.
            if is_secret_store(&t.word) {
                return false;
            }
            if is_secret_noun(toks, i) {
                return true;
            }
            if !(is_secret_qualifier(&t.word)
                || other_system(i)
                || super::context::is_data_tool(&t.word))
            {
                return false;
            }
        }
        false
    }

    /// The word before a find narrows it to a variety ("self-hosted
    /// scheduler", "managed kafka", "a separate warehouse").
    pub fn is_modified(&self, f: &Found) -> bool {
        f.start
            .checked_sub(1)
            .and_then(|p| self.reading.tokens.get(p))
            .is_some_and(|t| {
                !t.in_name
                    && matches!(
                        t.word.as_str(),
                        "hosted"
                            | "managed"
                            | "prem"
                            | "premise"
                            | "premises"
                            | "custom"
                            | "separate"
                            | "extra"
                            | "second"
                            | "another"
                            | "paid"
                            | "enterprise"
                            | "homegrown"
                            | "standalone"
                            | "dedicated"
                    )
            })
    }

    pub fn is_negated(&self, f: &Found) -> bool {
        self.scope(f).is_some_and(|s| s.kind == ScopeKind::Negated)
    }

    /// How the words of a find matched its term.
    pub fn hit(&self, index: &PackIndex, f: &Found) -> Hit {
        let toks = &self.reading.tokens[f.start..f.start + f.len];
        let keyword = index.terms[f.term].text.clone();
        let mut typed: Vec<&str> = Vec::new();
        for t in toks {
            let w = match &t.how {
                How::Synonym { typed } => typed.as_str(),
                _ => t.typed.as_str(),
            };
            if typed.last() != Some(&w) {
                typed.push(w);
            }
        }
        let typed = typed.join(" ");
        let read: Vec<&str> = toks.iter().map(|t| t.word.as_str()).collect();
        let read = read.join(" ");
        let (how, note) = if toks.iter().any(|t| matches!(t.how, How::Synonym { .. })) {
            (
                "synonym",
                format!("matched '{keyword}' (synonym '{typed}')"),
            )
        } else if toks.iter().any(|t| matches!(t.how, How::Typo { .. })) {
            ("typo", format!("matched '{keyword}' (typed '{typed}')"))
        } else if read == squash(&keyword) {
            ("word", format!("matched '{keyword}'"))
        } else {
            ("stem", format!("matched '{keyword}' (as '{typed}')"))
        };
        Hit {
            keyword,
            typed,
            how: how.to_string(),
            note,
        }
    }
}

/// A keyword written as the goal's words are read: lower case, single spaces.
fn squash(k: &str) -> String {
    k.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Scores every skill and blueprint of `pack` against `goal` and builds the
/// keyword-detected chain.
pub fn detect_in_pack(pack: &Pack, index: &PackIndex, goal: &str) -> PackDetection {
    let a = Analysis::new(goal, &[index]);
    detect_analysed(pack, index, &a, 0)
}

/// Detection within `pack`, which is `packs[pos]` of the analysis.
pub(super) fn detect_analysed(
    pack: &Pack,
    index: &PackIndex,
    a: &Analysis,
    pos: usize,
) -> PackDetection {
    // Skill keywords consume each other's words, not the pack's triggers'.
    let local = a.found_in(pos, |t| index.is_skill_term(t));
    let mine: Vec<&Found> = local.iter().collect();
    let name_part = super::reading::name_parts(&a.reading.tokens);
    let mut candidates: BTreeSet<usize> = BTreeSet::new();
    for f in &mine {
        candidates.extend(index.skills_of[f.term].iter().copied());
    }
    // The scope of a general word of skill `st`'s work ("no pipeline
    // yet"): what settles the skill when nothing else asks for it.
    let settled_scope = |st: &super::index::SkillTerms| {
        a.all_found
            .iter()
            .filter(|f| f.pack == pos && st.settled_by.contains(&f.term))
            .find_map(|f| a.scope(f))
    };
    // A skill settled by a general word of its work is scored, to be
    // left out.
    for (i, st) in index.skills.iter().enumerate() {
        if settled_scope(st).is_some() {
            candidates.insert(i);
        }
    }
    // A primary keyword the goal rules out somewhere ("Power BI can wait for
    // a follow-up ticket") is ruled out where the goal only mentions it too
    // ("dbt on DuckDB, Power BI on top").
    let ruled_out_terms: BTreeSet<usize> = mine
        .iter()
        .filter(|f| a.is_negated(f))
        .map(|f| f.term)
        .collect();
    // A negation that holds every word of a skill's multi-word primary
    // keyword in another order ("don't run dbt" of "dbt run") names that
    // skill's work.
    let negated_bags: Vec<(BTreeSet<&str>, &str)> = a
        .scopes
        .iter()
        .filter(|s| s.kind == ScopeKind::Negated)
        .map(|s| {
            let stems = s
                .words
                .iter()
                .filter_map(|&w| a.reading.tokens.get(w))
                .map(|t| t.stem.as_str())
                .collect();
            (stems, s.text.as_str())
        })
        .collect();
    let bag_negated = |st: &super::index::SkillTerms| -> Option<String> {
        negated_bags.iter().find_map(|(bag, text)| {
            st.primary
                .iter()
                .filter_map(|&t| index.terms.get(t))
                .any(|term| {
                    term.stems.len() > 1 && term.stems.iter().all(|s| bag.contains(s.as_str()))
                })
                .then(|| text.to_string())
        })
    };
    // A scope that holds a distinctive word of a skill's multi-word primary
    // keyword ("the analysis is done" of "impact analysis", "don't redesign"
    // of "schema design") names that skill's work without its keyword: the
    // skill is settled unless the goal names it elsewhere.
    let words_of_parts = std::cell::OnceCell::new();
    let part_scope = |i: usize| -> Option<(ScopeKind, String)> {
        let st = index.skills.get(i)?;
        if a.scopes.is_empty() {
            return None;
        }
        let pw = words_of_parts.get_or_init(|| PartWords::new(index));
        a.scopes.iter().find_map(|s| {
            // A word of a longer term ("schema" of "schema registry") is
            // that term's, not a part of its own.
            let stems: Vec<&str> = s
                .words
                .iter()
                .filter(|&&w| {
                    !a.all_found.iter().any(|f| {
                        f.pack == pos && f.len > 1 && (f.start..f.start + f.len).contains(&w)
                    })
                })
                .filter_map(|&w| a.reading.tokens.get(w))
                .filter(|t| !t.in_name)
                .map(|t| t.stem.as_str())
                .collect();
            let hit = st
                .primary
                .iter()
                .filter_map(|&t| index.terms.get(t))
                .filter(|term| term.stems.len() > 1)
                .any(|term| {
                    term.stems.iter().any(|ks| {
                        // The cheap test first: the pack may hold many terms.
                        stems
                            .iter()
                            .any(|&w| w == ks || w.strip_prefix("re").is_some_and(|r| r == ks))
                            && (pw.distinctive(ks) || pw.artifact_of(ks) == Some(i))
                    })
                });
            hit.then(|| (s.kind, s.text.clone()))
        })
    };
    let mut all_scores = Vec::new();
    let mut negated = Vec::new();
    let mut exists_skills: Vec<(String, String)> = Vec::new();
    let mut in_names_only: Vec<String> = Vec::new();
    // Skills met only by words that name whose credential it is.
    let mut owners_only: Vec<String> = Vec::new();
    // (word, skill) of each keyword a describing word kept from asking.
    let mut described_skills: Vec<(usize, String)> = Vec::new();
    // (first word, end, skill) of each place word that placed other work.
    let mut placed: Vec<(usize, usize, String)> = Vec::new();
    // Each place word that placed other work, read once: (skill, find,
    // lead). The words right after it ("on bronze raw files") are the rest
    // of the place's phrase, no work of their own.
    let toks = &a.reading.tokens;
    let mut place_leads: Vec<(usize, Found, usize)> = Vec::new();
    // "our retention table", "the daily revenue aggregate table": a known
    // thing called by what it holds; its words are its name, not work.
    let known_thing = super::makes::known_things(a, index);
    let mut place_tail = vec![false; toks.len()];
    for (i, skill) in pack.skills.iter().enumerate() {
        if skill.keywords.places.is_empty() {
            continue;
        }
        for f in a.all_found.iter().filter(|f| f.pack == pos) {
            // Work of a later tier (masking, retention, alerting) happens on
            // the layer, and so does the work the layer builds on (landing
            // the raw data in bronze); other work of the layer's own tier
            // there ("dq checks in silver") is part of building it.
            let happens_there = |k: usize| {
                pack.skills
                    .get(k)
                    .is_some_and(|o| o.tier > skill.tier || skill.dependencies.hard.contains(&o.id))
            };
            let Some(lead) = placed_at(a, index, f, i, &skill.keywords.places, happens_there)
            else {
                continue;
            };
            place_leads.push((i, *f, lead));
            for k in f.start + f.len..(f.start + f.len + 2).min(toks.len()) {
                if toks[k].clause_start || super::normalise::is_stopword(&toks[k].word) {
                    break;
                }
                place_tail[k] = true;
            }
        }
    }
    // Required skills whose tool or kind the goal rules out as a choice.
    let mut chosen_kinds: Vec<String> = Vec::new();
    for &i in &candidates {
        let (Some(skill), Some(st)) = (pack.skills.get(i), index.skills.get(i)) else {
            continue;
        };
        let mut primary: Vec<usize> = Vec::new();
        let mut secondary: Vec<usize> = Vec::new();
        let mut hits = Vec::new();
        let mut negated_by = None;
        let mut exists_by = None;
        // The keywords said to exist ("bronze & silver exist").
        let mut exists_terms: Vec<usize> = Vec::new();
        // Layers the goal names as the work, not as where data goes or
        // comes from ("into bronze").
        let mut layer_asked: Vec<usize> = Vec::new();
        let mut kept_side: Option<String> = None;
        let mut exists_tool: Option<String> = None;
        let mut kind_chosen = false;
        // A primary keyword of the skill lies in a negation.
        let mut negated_primary = false;
        // Where the last negated primary keyword ends, and where the
        // skill's other primary keywords stand.
        let mut negation_end: Option<usize> = None;
        let mut primary_at: Vec<usize> = Vec::new();
        let mut things_named = false;
        // Some word of the skill stands outside a table or code name.
        let mut outside_names = false;
        // Some word of the skill names more than a credential's owner.
        let mut beyond_owner = false;
        // Gates look at every word, inside a longer phrase or not.
        let present = |t: &usize| {
            a.all_found
                .iter()
                .any(|f| f.pack == pos && f.term == *t && !a.is_negated(f))
        };
        let excluded_by = st
            .exclusions
            .iter()
            .find(|t| present(t))
            .map(|&t| index.terms[t].text.clone());
        // A table the goal names (`search_clients_daily_v8`,
        // `telemetry.main`) is the "table" a gate asks for, when the goal
        // names the skill's work outside it too.
        let names_table = || {
            st.requires_any
                .iter()
                .filter_map(|&t| index.terms.get(t))
                .any(|t| t.text == "table")
                && super::names::names(&a.goal)
                    .iter()
                    .any(|n| super::names::looks_like_table(&n.text))
        };
        let mut has_required = st.requires_any.is_empty() || st.requires_any.iter().any(present);
        for f in &mine {
            // A cadence that describes a thing the goal names ("the nightly
            // load") or measures a number ("daily row count") asks for no
            // schedule. A gated skill keeps the word, so that its gate
            // still holds the word back from the pack's evidence.
            // A scope that holds the words says how the thing stands
            // ("the salesforce pull dies": it exists) and is read instead.
            if has_required && a.describes(f) && a.scope(f).is_none() {
                if st.primary.contains(&f.term) || st.secondary.contains(&f.term) {
                    described_skills.push((f.start, skill.id.clone()));
                }
                continue;
            }
            // "mask emails in silver", "retention on bronze": the layer is
            // where other work happens.
            if let Some(&(_, _, lead)) = place_leads.iter().find(|(k, p, _)| {
                *k == i && p.start == f.start && p.len == f.len && p.term == f.term
            }) {
                placed.push((lead, f.start + f.len, skill.id.clone()));
                continue;
            }
            if (f.start..f.start + f.len).all(|w| place_tail[w] || known_thing[w]) {
                continue;
            }
            // A word inside a table or code name ("aggregates" of
            // `active_users_aggregates_v3`) hints at the skill, it does not
            // name it: a primary keyword there counts as a secondary one.
            // A keyword that is the whole name (`run_results`, `manifest`)
            // is the thing named, not a side word of a table's name.
            let toks = &a.reading.tokens;
            let whole_name = toks.get(f.start).is_some_and(|t| t.name_start)
                && toks
                    .get(f.start + f.len)
                    .is_none_or(|t| !t.in_name || t.name_start);
            let named_in_name = !whole_name
                && name_part
                    .get(f.start..f.start + f.len)
                    .is_some_and(|ws| ws.iter().all(|&w| w));
            let is_p = st.primary.contains(&f.term) && !named_in_name;
            let is_s = st.secondary.contains(&f.term) || st.primary.contains(&f.term);
            let scope = a.scope(f);
            let elsewhere_negated = scope.is_none()
                && is_p
                && (ruled_out_terms.contains(&f.term)
                    || agent_of_negated(a, index, f, &ruled_out_terms));
            let kind = if elsewhere_negated {
                Some(ScopeKind::Negated)
            } else {
                scope.map(|s| s.kind)
            };
            // "GCP Workflows, not airflow", "no self-hosted scheduler",
            // "DuckDB locally, Snowflake later": a tool or a kind of the
            // thing a required skill sets up, ruled out, is a choice among
            // its kind; the goal still needs one, so the skill is asked (the
            // word ruled out counts for nothing).
            if kind == Some(ScopeKind::Negated)
                && skill.required
                && is_p
                && (is_tool_term(index, f.term) || a.is_modified(f))
            {
                kind_chosen = true;
                continue;
            }
            match kind {
                Some(ScopeKind::Negated) => {
                    negated_primary |= is_p;
                    if is_p {
                        negation_end = negation_end.max(Some(f.start + f.len));
                    }
                    if (is_p || is_s) && !elsewhere_negated {
                        negated_by.get_or_insert_with(|| {
                            scope.map(|s| s.text.clone()).unwrap_or_default()
                        });
                    }
                    continue;
                }
                Some(ScopeKind::Exists) => {
                    // Only a primary keyword says the goal names this skill's work.
                    if is_p && is_tool_term(index, f.term) {
                        // "fivetran already lands X": a platform that exists
                        // says the skill's work exists unless the goal asks
                        // for it by its own words ("the dbt transforms").
                        exists_tool.get_or_insert_with(|| {
                            scope.map(|s| s.text.clone()).unwrap_or_default()
                        });
                    } else if is_p {
                        exists_terms.push(f.term);
                        exists_by.get_or_insert_with(|| {
                            scope.map(|s| s.text.clone()).unwrap_or_default()
                        });
                    } else if is_s && !named_in_name {
                        // "flow code is fine": a thing the skill makes, said
                        // to be kept, when nothing but a platform names it.
                        kept_side.get_or_insert_with(|| {
                            scope.map(|s| s.text.clone()).unwrap_or_default()
                        });
                    }
                    continue;
                }
                None => {}
            }
            if (is_p || is_s) && !named_in_name {
                outside_names = true;
            }
            if (is_p || is_s) && !a.owns_a_secret(f) {
                beyond_owner = true;
            }
            if is_p {
                primary_at.push(f.start);
                // "gold tables only": the layer's things are named, the
                // layer is asked for.
                things_named |= toks.get(f.start + f.len).is_some_and(|n| {
                    !n.clause_start
                        && matches!(
                            n.word.as_str(),
                            "table"
                                | "tables"
                                | "layer"
                                | "layers"
                                | "model"
                                | "models"
                                | "mart"
                                | "marts"
                                | "view"
                                | "views"
                        )
                });
            }
            if is_p
                && skill.keywords.places.contains(&index.terms[f.term].text)
                && !f
                    .start
                    .checked_sub(1)
                    .and_then(|p| a.reading.tokens.get(p))
                    .is_some_and(|t| matches!(t.word.as_str(), "into" | "to" | "from"))
            {
                layer_asked.push(f.term);
            }
            if is_p && !primary.contains(&f.term) {
                primary.push(f.term);
                hits.push(a.hit(index, f));
            } else if is_s && !is_p && !secondary.contains(&f.term) {
                secondary.push(f.term);
                hits.push(a.hit(index, f));
            }
        }
        // "bronze & silver exist, we only need gold": the layers said to
        // exist are places; another layer asked outside is the work.
        let is_place = |t: usize| skill.keywords.places.contains(&index.terms[t].text);
        if exists_by.is_some()
            && exists_terms.iter().all(|&t| is_place(t))
            && layer_asked.iter().any(|t| !exists_terms.contains(t))
        {
            exists_by = None;
        }
        // Primary keywords outside that name the platform too ("prefect
        // flow" beside "we keep Prefect") do not ask for the work anew.
        // A required skill sets up the platform: one that exists is a
        // decision made ("dagster is decided"), whatever else is named.
        if exists_by.is_none()
            && (skill.required || primary.iter().all(|&t| names_tool_word(index, t)))
        {
            exists_by = exists_tool;
        }
        if kind_chosen && negated_by.is_none() {
            chosen_kinds.push(skill.id.clone());
        }
        if let Some(by) = bag_negated(st) {
            negated_by.get_or_insert(by);
            negated_primary = true;
        }
        // The goal says what this skill makes exists ("the query is already
        // written"): other words that point at it do not bring it back.
        // Likewise a goal that rules out one of the skill's words ("no
        // schema changes"): a side word ("postgres") does not bring it back,
        // only a primary keyword outside the negation does.
        // A negation that names the skill's own work ("no code changes to
        // the SQL") also outweighs primary keywords the skill shares with
        // others of the pack ("derived table" is the table each of them
        // works on); a keyword only this skill has ("kinesis" beside "no
        // kafka") still asks for it.
        let only_shared = primary
            .iter()
            .all(|&t| index.skills_of.get(t).is_some_and(|s| s.len() > 1));
        // A platform the work runs on ("in snowflake") is context: it does
        // not bring back work the goal rules out ("don't redesign the
        // schema").
        let only_tools = !primary.is_empty() && primary.iter().all(|&t| is_tool_term(index, t));
        // "stripe webhooks -> bronze … silver/gold can wait": the layer the
        // data lands in does not bring back the layers' work ruled out.
        let only_places = !primary.is_empty()
            && !things_named
            && primary
                .iter()
                .all(|&t| skill.keywords.places.contains(&index.terms[t].text));
        // "no pipeline yet", "the pipeline code is fine": a general word
        // of the skill's work, ruled out or said to exist.
        if negated_by.is_none() && exists_by.is_none() && !kind_chosen && primary.is_empty() {
            match settled_scope(st).map(|sc| (sc.kind, sc.text.clone())) {
                Some((ScopeKind::Negated, by)) => negated_by = Some(by),
                Some((ScopeKind::Exists, by)) => exists_by = Some(by),
                None => {}
            }
        }
        if negated_by.is_none()
            && exists_by.is_none()
            && !kind_chosen
            && (primary.is_empty() || only_tools)
        {
            match part_scope(i) {
                Some((ScopeKind::Negated, by)) => negated_by = Some(by),
                Some((ScopeKind::Exists, by)) => exists_by = Some(by),
                None if only_tools => exists_by = kept_side,
                None => {}
            }
        }
        // "NO bigeye on this one, we're over our monitor quota": the rest
        // of the sentence says why, it does not ask again.
        let explains = negated_primary
            && negation_end.is_some_and(|end| {
                primary_at
                    .iter()
                    .all(|&p| explains_negation(&a.reading.tokens, end, p))
            });
        if exists_by.is_some()
            || (negated_by.is_some()
                && (primary.is_empty()
                    || (negated_primary && only_shared)
                    || (negated_primary && only_places)
                    || only_tools
                    || explains))
        {
            primary.clear();
            secondary.clear();
            hits.clear();
        }
        has_required |= !primary.is_empty() && names_table();
        let raw = PRIMARY_POINTS * primary.len() as u32 + SECONDARY_POINTS * secondary.len() as u32;
        let score = if excluded_by.is_some() || !has_required {
            0
        } else {
            raw
        };
        if raw == 0 {
            if let Some(by) = &negated_by {
                negated.push(NegatedSkill {
                    skill: skill.id.clone(),
                    by: by.clone(),
                });
            } else if let Some(by) = &exists_by {
                exists_skills.push((skill.id.clone(), by.clone()));
            }
        }
        let text = |ids: &[usize]| {
            ids.iter()
                .map(|&t| index.terms[t].text.clone())
                .collect::<Vec<_>>()
        };
        if !outside_names && raw > 0 {
            in_names_only.push(skill.id.clone());
        }
        if !beyond_owner && raw > 0 {
            owners_only.push(skill.id.clone());
        }
        all_scores.push(SkillScore {
            id: skill.id.clone(),
            score,
            primary: text(&primary),
            secondary: text(&secondary),
            excluded_by,
            missing_requirement: !has_required,
            hits,
            negated_by: if raw == 0 { negated_by } else { None },
            exists_by: if raw == 0 { exists_by } else { None },
        });
    }
    // A skill the goal does not name but whose work it rules out ("don't
    // run dbt") is not asked either, required or not.
    for (i, skill) in pack.skills.iter().enumerate() {
        if candidates.contains(&i) {
            continue;
        }
        if let Some(by) = index.skills.get(i).and_then(bag_negated) {
            negated.push(NegatedSkill {
                skill: skill.id.clone(),
                by,
            });
        } else if let Some((kind, by)) = part_scope(i) {
            match kind {
                ScopeKind::Negated => negated.push(NegatedSkill {
                    skill: skill.id.clone(),
                    by,
                }),
                ScopeKind::Exists => exists_skills.push((skill.id.clone(), by)),
            }
        }
    }
    settle_sides(pack, a, &mut all_scores, &mut negated, &mut exists_skills);
    settle_rest(
        pack,
        index,
        a,
        pos,
        &mut all_scores,
        &mut negated,
        &mut exists_skills,
    );
    // A goal that only looks ("diagnose only", "just investigate") rules
    // out the skills whose own work is to change things (re-run, rebuild,
    // fix, plan the change), unless it asks for that change in their words.
    if let Some(cue) = super::negation::looking_only(&a.reading.tokens) {
        for skill in pack.skills.iter().filter(|k| !k.required) {
            let changes = skill.keywords.primary.iter().any(|k| names_change(k));
            // Named by words of changing ("write the rollback plan"), not by
            // a word of the thing looked at ("dbt build failed").
            let named = all_scores.iter().any(|s| {
                s.id == skill.id && s.score > 0 && s.primary.iter().any(|k| names_change(k))
            });
            if !changes || named || negated.iter().any(|n| n.skill == skill.id) {
                continue;
            }
            if let Some(s) = all_scores.iter_mut().find(|s| s.id == skill.id) {
                s.score = 0;
                s.secondary.clear();
                s.hits.clear();
                s.negated_by = Some(cue.clone());
            }
            negated.push(NegatedSkill {
                skill: skill.id.clone(),
                by: cue.clone(),
            });
        }
    }
    // A goal that rules out building ("don't build anything yet", "advise,
    // don't build") asks for the decisions (the pack's foundation skills)
    // and the skills it names whose work is not building; the rest is not
    // asked, required or not.
    let building_out = super::negation::building_ruled_out(&a.reading.tokens);
    if let Some(out) = &building_out {
        let cue = out.cue().to_string();
        for (i, skill) in pack.skills.iter().enumerate() {
            // A skill that writes only documents (findings, a plan, a
            // review) builds nothing: "no implementation" leaves it.
            if matches!(skill.tier, crate::pack::Tier::Foundation)
                || index.skills.get(i).is_some_and(|t| t.documents_only)
                || negated.iter().any(|n| n.skill == skill.id)
            {
                continue;
            }
            let named = all_scores
                .iter()
                .any(|s| s.id == skill.id && s.score > 0 && !s.primary.is_empty());
            // "before anyone writes sql" puts off the skill whose own word
            // the cue names; "before i write a line of code", all of them.
            let cue_names_it = matches!(out, super::negation::BuildingOut::PutOff(_))
                && cue.split(' ').any(|w| {
                    matches!(w, "code" | "anything")
                        || skill.keywords.primary.iter().any(|k| k == w)
                });
            let builds = cue_names_it || skill.keywords.primary.iter().any(|k| names_building(k));
            // Named by a keyword of checking work ("dbt test" beside "no
            // builds"): that work builds nothing, and is still asked.
            let checks = all_scores.iter().any(|s| {
                s.id == skill.id && s.score > 0 && s.primary.iter().any(|k| names_checking(k))
            });
            if named && (!builds || checks) {
                continue;
            }
            if let Some(s) = all_scores.iter_mut().find(|s| s.id == skill.id) {
                // Its words ask for nothing: an offered review blueprint
                // must not bring it back as a matched skill.
                s.score = 0;
                s.secondary.clear();
                s.hits.clear();
                s.negated_by = Some(cue.clone());
            }
            negated.push(NegatedSkill {
                skill: skill.id.clone(),
                by: cue.clone(),
            });
        }
    }
    let examined = examined_subject(pack, a, &mut all_scores);
    // Narrowness counts skills the goal names by a primary keyword.
    // Secondary words of a skill read only inside names (`fct_events`,
    // `crash_counts_daily_v1`), in a goal that names other skills by their
    // primary keywords, are context, not a request for that skill.
    let any_primary = all_scores
        .iter()
        .any(|s| s.score > 0 && !s.primary.is_empty());
    let name_context =
        |s: &SkillScore| any_primary && s.primary.is_empty() && in_names_only.contains(&s.id);
    let matched = all_scores
        .iter()
        .filter(|s| s.score >= PRIMARY_POINTS && !name_context(s))
        .count();
    let named: Vec<&str> = all_scores
        .iter()
        .filter(|s| s.score >= PRIMARY_POINTS && !name_context(s))
        .map(|s| s.id.as_str())
        .collect();
    // Work ruled out, or work said to exist ("extraction stays as is"); a
    // tool said to exist ("our existing airflow") is a choice made, and the
    // journey can still be built on it.
    // "the dbt side is done" names work on the tool, not the tool.
    let names_tool = |by: &str| {
        a.scopes.iter().any(|sc| {
            sc.text == by
                && !sc
                    .words
                    .iter()
                    .filter_map(|&i| a.reading.tokens.get(i))
                    .any(|t| is_side_word(&t.word))
                && sc
                    .words
                    .iter()
                    .filter_map(|&i| a.reading.tokens.get(i))
                    .any(|t| !t.in_name && super::context::is_data_tool(&t.word))
        })
    };
    let ruled_out: Vec<&str> = negated
        .iter()
        .map(|n| n.skill.as_str())
        .chain(
            exists_skills
                .iter()
                .filter(|(_, by)| !names_tool(by))
                .map(|(id, _)| id.as_str()),
        )
        .collect();
    // A part the goal works on as one that exists ("retries around the
    // sftp pull", "bronze and silver exist") says the pipeline runs
    // already: no journey is left to finish, only the work named. A
    // foundation said to exist is a decision made ("the orchestrator
    // question is settled"), on which the journey is still built.
    let part_exists = |b: &super::BlueprintScore| {
        b.parts_ruled_out.iter().any(|id| {
            pack.skill(id)
                .is_some_and(|k| k.tier != crate::pack::Tier::Foundation)
                && exists_skills
                    .iter()
                    .any(|(e, by)| e == id && !names_tool(by))
        })
    };
    let (mut blueprints, offer) = score_blueprints(
        pack,
        index,
        a,
        pos,
        &named,
        &ruled_out,
        building_out.is_some(),
    );
    // A blueprint that builds is not offered when the goal rules building
    // out; one whose skills build nothing (a review) still is.
    let offer = offer.filter(|id| {
        building_out.is_none()
            || pack
                .blueprint(id)
                .is_some_and(|b| !blueprint_builds(pack, b))
    });
    if offer.is_none() {
        for b in &mut blueprints {
            b.offered = false;
        }
    }
    // A goal that asks for a blueprint's journey (its own phrase, or two of
    // its skills) but rules parts of it out ("new fact table at order
    // grain, no review needed"): the blueprint is withheld, yet the rest of
    // its journey is asked.
    let journey: Vec<(String, String)> = blueprints
        .first()
        .filter(|b| {
            offer.is_none()
                && building_out.is_none()
                && b.confidence >= super::OFFER_THRESHOLD
                && !b.parts_ruled_out.is_empty()
                && !part_exists(b)
                && blueprints
                    .get(1)
                    .is_none_or(|next| next.confidence < b.confidence)
                && (b.own_phrase.is_some()
                    || b.skills_named.len() >= 2
                    || whole_but_parts(pack, index, a, pos, &named, &b.id))
        })
        .and_then(|b| pack.blueprint(&b.id))
        .map(|b| {
            b.skills
                .iter()
                .filter(|id| !ruled_out.contains(&id.as_str()))
                .map(|id| (id.clone(), b.id.clone()))
                .collect()
        })
        .unwrap_or_default();
    let narrow = matched > 0 && matched <= 2 && offer.is_none() && journey.is_empty();
    let offer_internal_none = offer.is_none() && journey.is_empty();
    let mut seeds: Vec<(String, Vec<Reason>)> = Vec::new();
    // A system named only as a credential's owner is context when the goal
    // names other work by its own words (the secret's move or rotation).
    let owner_context = |s: &SkillScore| {
        owners_only.contains(&s.id)
            && all_scores
                .iter()
                .any(|o| o.score > 0 && !o.primary.is_empty() && !owners_only.contains(&o.id))
    };
    for s in all_scores
        .iter()
        .filter(|s| s.score > 0 && !name_context(s) && !owner_context(s))
    {
        let mut keywords = s.primary.clone();
        keywords.extend(s.secondary.iter().cloned());
        seeds.push((
            s.id.clone(),
            vec![Reason::Matched {
                keywords,
                score: s.score,
            }],
        ));
    }
    for (id, blueprint) in &journey {
        seeds.push((
            id.clone(),
            vec![Reason::Blueprint {
                id: blueprint.clone(),
            }],
        ));
    }
    // A pack that makes things: a new one asked for, or all of it ("the
    // complete package").
    let everything = (!index.makes_skills.is_empty())
        .then(|| super::makes::asks_everything(a))
        .flatten();
    let new_one = everything
        .clone()
        .or_else(|| super::makes::asks_new(a, index, pos));
    if let Some(by) = &new_one {
        let ruled_out: Vec<&str> = negated.iter().map(|n| n.skill.as_str()).collect();
        let done: Vec<&str> = exists_skills.iter().map(|(s, _)| s.as_str()).collect();
        for id in super::makes::made_with(pack, index, everything.is_some(), &ruled_out, &done) {
            seeds.push((id.to_string(), vec![Reason::Makes { by: by.clone() }]));
        }
    }
    for skill in index.required.iter().filter_map(|&i| pack.skills.get(i)) {
        // Required skills are seeded even for a narrow goal (answers files,
        // `validate` and customize count on them); `split_assumed` then
        // keeps a narrow goal's out of the asked chain.
        seeds.push((skill.id.clone(), vec![Reason::Required]));
    }
    let score_of: HashMap<&str, u32> = all_scores
        .iter()
        .map(|s| (s.id.as_str(), s.score))
        .collect();
    // "The nightly ledger sync" names a pipeline that runs: what the asked
    // skills build on exists, as when the goal says so.
    let dependencies_exist =
        a.scopes.iter().any(|s| s.kind == ScopeKind::Exists) || a.names_running();
    let mut det = PackDetection {
        pack: pack.manifest.id.clone(),
        goal: a.goal.clone(),
        normalised: a.reading.words(),
        stems: a.reading.stems(),
        scores: Vec::new(),
        blueprints,
        offer,
        chain: Vec::new(),
        ambiguous: false,
        runner_ups: Vec::new(),
        scopes: a
            .scopes
            .iter()
            .map(|s| ScopeNote {
                kind: match s.kind {
                    ScopeKind::Negated => "negated".into(),
                    ScopeKind::Exists => "exists".into(),
                },
                text: s.text.clone(),
                skills: match s.kind {
                    ScopeKind::Negated => negated
                        .iter()
                        .filter(|n| n.by == s.text)
                        .map(|n| n.skill.clone())
                        .collect(),
                    ScopeKind::Exists => exists_skills
                        .iter()
                        .filter(|(_, by)| *by == s.text)
                        .map(|(id, _)| id.clone())
                        .collect(),
                },
            })
            .chain(described_notes(a, &described_skills))
            .chain(placed_notes(a, &placed, &all_scores))
            .chain(examined)
            .collect(),
        negated,
        dependencies_exist,
        narrow,
        focused: matched > 0 && offer_internal_none,
        assumed: Vec::new(),
        names: names::names(&a.goal),
    };
    let full = build_chain_with(pack, seeds, &score_of, &det.pull());
    // A narrow goal works on something that exists when it says it changes,
    // examines or names the thing (a table name it does not call new), and
    // nothing in it says it builds anew.
    // "clients_daily got a new col" tells what happened to a thing that
    // exists: "new" after a verb of having is no request to create.
    let toks = &a.reading.tokens;
    // "write unit test fixtures for X": the cue makes what a named skill
    // itself makes, a skill no other named skill builds on; what that
    // skill builds on (X's query) is not made anew.
    let makes_leaf = |i: usize| {
        a.found
            .iter()
            .filter(|f| f.pack == pos && f.start > i && f.start <= i + 3)
            // In the cue's own clause.
            .filter(|f| toks[i + 1..=f.start].iter().all(|t| !t.clause_start))
            .any(|f| {
                let skills = index
                    .skills_of
                    .get(f.term)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                !skills.is_empty()
                    && skills.iter().all(|&k| {
                        pack.skills.get(k).is_some_and(|sk| {
                            named.contains(&sk.id.as_str())
                                && !named.iter().any(|n| {
                                    pack.skill(n)
                                        .is_some_and(|o| o.dependencies.hard.contains(&sk.id))
                                })
                        })
                    })
            })
    };
    // "Need fenix_derived.attribution_clients_v1, one row per client":
    // a table asked for by its name is made.
    let needs_a_name = |i: usize| {
        matches!(toks[i].word.as_str(), "need" | "needs" | "want" | "wants")
            && !toks[i].in_name
            && toks[i + 1..]
                .iter()
                .find(|n| !super::reading::is_shape(n))
                .is_some_and(|n| n.in_name && n.name_start && !n.clause_start)
    };
    let creates = new_one.is_some()
        || toks.iter().enumerate().any(|(i, t)| {
            needs_a_name(i)
                || is_creation_cue(&t.word)
            // "no new infra": nothing new is made.
            && a.scope_of.get(i).copied().flatten().is_none()
            && !(t.word != "new" && makes_leaf(i))
            // "needs new owners", "a new column": something new in a thing
            // that exists.
            && !(t.word == "new" && toks.get(i + 1).is_some_and(|n| is_part_of_a_table(&n.word)))
            && !(t.word == "new"
                && toks[..i]
                    .iter()
                    .rev()
                    .find(|p| !matches!(p.word.as_str(), "a" | "an" | "the" | "some"))
                    .is_some_and(|p| {
                        matches!(
                            p.word.as_str(),
                            "got" | "gets" | "has" | "had" | "have" | "added" | "gained"
                        )
                    }))
        });
    // A change asked, or a fault named that asks for one ("scans
    // everything", "is slow").
    let changes = a
        .reading
        .tokens
        .iter()
        .any(|t| !t.in_name && (is_change_cue(&t.word) || is_fault_word(&t.word)));
    // "bigeye check on the fenix metrics tbl", "owners for the sessions
    // table", "the search revenue table needs …": a table the goal works
    // on, named in words.
    let on_a_table = toks.iter().enumerate().any(|(i, t)| {
        !t.in_name
            && matches!(t.word.as_str(), "table" | "tbl")
            && !t.clause_start
            && toks[(i.saturating_sub(6)..i)
                .rev()
                .find(|&k| toks[k].clause_start)
                .unwrap_or(i.saturating_sub(6))..i]
                .iter()
                .any(|p| {
                    matches!(
                        p.word.as_str(),
                        "on" | "to" | "of" | "in" | "for" | "the" | "this" | "that" | "our"
                    )
                })
    });
    let on_existing = !creates && (changes || !det.names.is_empty() || on_a_table);
    // A pipeline that runs: "our", "in prod", "the loaders we run", "load
    // test the …", "the nightly ledger sync".
    let runs = on_existing
        || (!creates && a.names_running())
        // "nothing else about the pipeline changes": it is there.
        || (!creates && super::negation::rest_settled(toks).is_some())
        || (!creates
            && toks.iter().enumerate().any(|(i, t)| {
                !t.in_name
                    && (matches!(
                        t.word.as_str(),
                        "our" | "existing" | "current" | "live" | "prod" | "production" | "running"
                    ) || (t.word == "we"
                        && toks
                            .get(i + 1)
                            .is_some_and(|n| matches!(n.word.as_str(), "run" | "have" | "already")))
                    // Only what runs can be load- or stress-tested.
                    || (matches!(t.word.as_str(), "load" | "stress")
                        && toks.get(i + 1).is_some_and(|n| n.stem == "test")))
            }));
    let adds_integration = runs
        && named.iter().any(|n| {
            pack.skill(n)
                .is_some_and(|s| s.tier == crate::pack::Tier::Integration)
        });
    // A goal that names systems only as the owners of the credentials it
    // moves, or adds integration work (secrets, metrics, load tests,
    // scaling) to a pipeline that runs, works on a running project: its
    // storage exists. Any other goal keeps the pack's whole frame.
    let builds = creates || (owners_only.is_empty() && !adds_integration);
    // Skills the goal rules out or says are done: not asked even when the
    // pack requires them (their defaults stay for the templates).
    let settled: BTreeSet<&str> = det
        .negated
        .iter()
        .map(|n| n.skill.as_str())
        .chain(exists_skills.iter().map(|(id, _)| id.as_str()))
        .collect();
    // "the existing prefect flow", "the nightly hubspot load": the
    // pipeline runs, so what the asked skills build on (its extraction, its
    // layers) is there; "airflow (existing infra)" says only the tool is.
    let pipeline_runs = a.names_running()
        || a.scopes.iter().any(|sc| {
            sc.kind == ScopeKind::Exists
                && sc
                    .words
                    .iter()
                    .filter_map(|&i| toks.get(i))
                    .any(|t| !t.in_name && is_pipeline_noun(&t.word))
        });
    let (chain, assumed) = split_assumed(
        pack,
        full,
        &Narrowing {
            focused: det.focused,
            assume_deps: (narrow && (on_existing || adds_integration))
                || (pipeline_runs && !creates),
            demote_secondary: narrow && on_existing && changes,
            builds,
            named: &named,
            settled: &settled,
            chosen_kinds: &chosen_kinds,
        },
    );
    det.chain = chain;
    det.assumed = assumed;
    det.scores = all_scores
        .into_iter()
        .filter(|s| {
            s.score > 0 || !s.hits.is_empty() || s.negated_by.is_some() || s.exists_by.is_some()
        })
        .collect();
    let journey_left = det.blueprints.first().is_none_or(|b| !part_exists(b));
    if let Some(journey) = super::chain::journey_without_parts(pack, &det).filter(|_| journey_left)
    {
        det.assumed
            .retain(|e| !journey.iter().any(|j| j.id == e.id));
        det.chain = journey;
    }
    det
}

/// The goal asks for blueprint `id` whole when its ruled-out parts are
/// left aside ("new dim_employee, SCD2, skip the review step").
fn whole_but_parts(
    pack: &Pack,
    index: &PackIndex,
    a: &Analysis,
    pos: usize,
    named: &[&str],
    id: &str,
) -> bool {
    score_blueprints(pack, index, a, pos, named, &[], false)
        .0
        .iter()
        .any(|b| b.id == id && b.whole)
}

/// "skip the code review, I'm the reviewer": a person named by a ruled-out
/// term's work ("reviewer" of "code review") is no ask for it.
fn agent_of_negated(
    a: &Analysis,
    index: &PackIndex,
    f: &Found,
    ruled_out: &BTreeSet<usize>,
) -> bool {
    let Some(t) = a.reading.tokens.get(f.start) else {
        return false;
    };
    let agent = f.len == 1
        && (t.typed.to_lowercase().ends_with("er") || t.typed.to_lowercase().ends_with("ers"));
    let Some(term) = index.terms.get(f.term) else {
        return false;
    };
    agent
        && ruled_out
            .iter()
            .filter_map(|&r| index.terms.get(r))
            .any(|neg| term.stems.iter().all(|s| neg.stems.contains(s)))
}

/// A term with a data tool's name among its words ("prefect flow",
/// "airflow dag", "snowflake").
fn names_tool_word(index: &PackIndex, t: usize) -> bool {
    index.terms.get(t).is_some_and(|term| {
        squash(&term.text)
            .split(' ')
            .any(super::context::is_data_tool)
    })
}

/// A single-word term that names a data tool ("snowflake", "spark").
fn is_tool_term(index: &PackIndex, t: usize) -> bool {
    index.terms.get(t).is_some_and(|term| {
        term.stems.len() == 1 && super::context::is_data_tool(&squash(&term.text))
    })
}

/// The pack's words that can name a part of the work on their own, built
/// once per goal that has a scope.
struct PartWords {
    /// Stems that are whole single-word skill keywords ("dbt", "model").
    singles: BTreeSet<String>,
    /// Per stem: the skill most of whose multi-word primary keywords hold
    /// it (at least two, more than any other skill).
    artifacts: HashMap<String, usize>,
}

impl PartWords {
    fn new(index: &PackIndex) -> PartWords {
        let singles = index
            .terms
            .iter()
            .enumerate()
            .filter(|(t, term)| index.is_skill_term(*t) && term.stems.len() == 1)
            .map(|(_, term)| term.stems[0].clone())
            .collect();
        // stem -> (best count, its skill, whether another skill ties it)
        let mut best: HashMap<String, (usize, usize, bool)> = HashMap::new();
        for (i, st) in index.skills.iter().enumerate() {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for term in st.primary.iter().filter_map(|&t| index.terms.get(t)) {
                if term.stems.len() > 1 {
                    let mut seen: Vec<&str> = Vec::new();
                    for stem in &term.stems {
                        if !seen.contains(&stem.as_str()) {
                            seen.push(stem.as_str());
                            *counts.entry(stem.as_str()).or_default() += 1;
                        }
                    }
                }
            }
            for (stem, n) in counts {
                let e = best.entry(stem.to_string()).or_insert((0, i, false));
                if n > e.0 {
                    *e = (n, i, false);
                } else if n == e.0 {
                    e.2 = true;
                }
            }
        }
        let artifacts = best
            .into_iter()
            .filter(|(stem, (n, _, tie))| *n >= 2 && !*tie && !is_core_generic(stem))
            .map(|(stem, (_, i, _))| (stem, i))
            .collect();
        PartWords { singles, artifacts }
    }

    /// A word of a multi-word keyword that names that keyword's work on its
    /// own: not a keyword by itself ("dbt", "model" are skills' own words),
    /// not a word every kind of work has ("change", "run", "data").
    fn distinctive(&self, stem: &str) -> bool {
        let generic = is_core_generic(stem)
            || matches!(
                stem,
                "chang"
                    | "change"
                    | "test"
                    | "tabl"
                    | "table"
                    | "pipelin"
                    | "pipeline"
                    | "job"
                    | "task"
                    | "work"
                    | "file"
                    | "code"
                    | "step"
                    | "sql"
                    | "query"
                    | "model"
                    | "layer"
                    | "time"
            );
        !generic && stem.len() > 3 && !self.singles.contains(stem)
    }

    /// The thing a skill makes, by the word most of its multi-word primary
    /// keywords share ("table" of "derived table", "new table", "aggregate
    /// table"; "query" of "slow query", "query plan"): "the tbl already
    /// exists" then says that skill's work is done.
    fn artifact_of(&self, stem: &str) -> Option<usize> {
        self.artifacts.get(stem).copied()
    }
}

/// Words every kind of work has ("the existing pipeline" is every skill's).
fn is_core_generic(stem: &str) -> bool {
    matches!(
        stem,
        "data"
            | "run"
            | "new"
            | "what"
            | "up"
            | "out"
            | "every"
            | "end"
            | "full"
            | "pipelin"
            | "pipeline"
    )
}

/// Settles skill `id` as ruled out or existing by `by`; true when it was
/// not settled before.
/// Rules out every skill of the pack but those `keep` names, by `cue`.
fn rule_out_all_but(
    pack: &Pack,
    keep: impl Fn(&str) -> bool,
    cue: &str,
    all_scores: &mut [SkillScore],
    negated: &mut Vec<NegatedSkill>,
    exists_skills: &mut Vec<(String, String)>,
) {
    for skill in pack.skills.iter().filter(|k| !keep(&k.id)) {
        settle(
            &skill.id,
            ScopeKind::Negated,
            cue,
            all_scores,
            negated,
            exists_skills,
        );
    }
}

fn settle(
    id: &str,
    kind: ScopeKind,
    by: &str,
    all_scores: &mut [SkillScore],
    negated: &mut Vec<NegatedSkill>,
    exists_skills: &mut Vec<(String, String)>,
) -> bool {
    if negated.iter().any(|n| n.skill == id) || exists_skills.iter().any(|(s, _)| s == id) {
        return false;
    }
    if let Some(s) = all_scores.iter_mut().find(|s| s.id == id) {
        s.score = 0;
        s.primary.clear();
        s.secondary.clear();
        s.hits.clear();
        match kind {
            ScopeKind::Negated => s.negated_by = Some(by.to_string()),
            ScopeKind::Exists => s.exists_by = Some(by.to_string()),
        }
    }
    match kind {
        ScopeKind::Negated => negated.push(NegatedSkill {
            skill: id.to_string(),
            by: by.to_string(),
        }),
        ScopeKind::Exists => exists_skills.push((id.to_string(), by.to_string())),
    }
    true
}

/// Words that make a tool's name a side of the work ("the dbt side", "no
/// dbt changes", "the batch part").
fn is_side_word(w: &str) -> bool {
    matches!(
        w,
        "side"
            | "sides"
            | "part"
            | "parts"
            | "end"
            | "change"
            | "changes"
            | "stuff"
            | "bits"
            | "work"
            | "layer"
    )
}

/// "the dbt side is done", "no dbt changes": a scope of a tool's word and a
/// side word rules out (or says done) every skill with that word in a
/// keyword ("dbt build", "dbt model"), when the goal asks for another skill
/// by its own keyword; a skill the goal names by a keyword with the tool's
/// word in it ("dbt build the marts") stays.
fn settle_sides(
    pack: &Pack,
    a: &Analysis,
    all_scores: &mut [SkillScore],
    negated: &mut Vec<NegatedSkill>,
    exists_skills: &mut Vec<(String, String)>,
) {
    for sc in &a.scopes {
        let content: Vec<&super::normalise::Token> = sc
            .words
            .iter()
            .filter_map(|&w| a.reading.tokens.get(w))
            .filter(|t| {
                !super::normalise::is_stopword(&t.word)
                    && !super::negation::is_cue_word(&t.word)
                    && !matches!(t.word.as_str(), "already" | "is" | "are")
                    && !super::negation::says_state(&t.word)
            })
            .collect();
        if content.len() != 2 || !content.iter().any(|t| is_side_word(&t.word)) {
            continue;
        }
        let Some(tool) = content
            .iter()
            .find(|t| !is_side_word(&t.word) && !t.in_name)
            .map(|t| t.word.as_str())
        else {
            continue;
        };
        let has_tool = |k: &str| {
            k.to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == tool)
        };
        let of_side: Vec<&str> = pack
            .skills
            .iter()
            .filter(|s| {
                s.keywords
                    .primary
                    .iter()
                    .chain(&s.keywords.secondary)
                    .any(|k| has_tool(k))
            })
            .map(|s| s.id.as_str())
            .collect();
        let asks_other = all_scores
            .iter()
            .any(|s| s.score > 0 && !s.primary.is_empty() && !of_side.contains(&s.id.as_str()));
        if of_side.is_empty() || !asks_other {
            continue;
        }
        for id in of_side {
            let named_by_tool = all_scores
                .iter()
                .any(|s| s.id == id && s.primary.iter().any(|k| has_tool(k)));
            if !named_by_tool {
                settle(id, sc.kind, &sc.text, all_scores, negated, exists_skills);
            }
        }
    }
}

/// "nothing else", "the rest of the pipeline is fine": every skill the
/// goal does not name by a keyword of its own work (a platform's name is
/// context) is settled, required or not.
fn settle_rest(
    pack: &Pack,
    index: &PackIndex,
    a: &Analysis,
    pos: usize,
    all_scores: &mut [SkillScore],
    negated: &mut Vec<NegatedSkill>,
    exists_skills: &mut Vec<(String, String)>,
) {
    if let Some((cue, part)) = super::negation::only_part(&a.reading.tokens) {
        // The skills the part names by any of their words.
        let mut in_part: Vec<&str> = Vec::new();
        // Every word of the part is a term of the pack ("Scope only", not
        // "fails some nights only").
        let covered = part.iter().all(|&w| {
            a.all_found
                .iter()
                .any(|f| f.pack == pos && (f.start..f.start + f.len).contains(&w))
        });
        for f in a.all_found.iter().filter(|f| f.pack == pos && covered) {
            if (f.start..f.start + f.len).any(|w| part.contains(&w)) {
                for &k in index.skills_of.get(f.term).into_iter().flatten() {
                    if let Some(s) = pack.skills.get(k) {
                        in_part.push(s.id.as_str());
                    }
                }
            }
        }
        if !in_part.is_empty() {
            let keep = |id: &str| in_part.contains(&id);
            rule_out_all_but(pack, keep, &cue, all_scores, negated, exists_skills);
            return;
        }
    }
    if let Some(cue) = super::requirements_first::requirements_first(&a.reading.tokens) {
        // The skills the pack's requirement word names: the ones that
        // gather requirements. The cue counts only when the goal asks one.
        let gatherers: Vec<&str> = index
            .gatherers
            .iter()
            .filter_map(|&k| pack.skills.get(k).map(|s| s.id.as_str()))
            .collect();
        let toks = &a.reading.tokens;
        let choice_word = |k: usize| {
            toks.get(k)
                .is_some_and(|t| matches!(t.word.as_str(), "or" | "vs" | "versus"))
        };
        // A choice the goal asks ("SCD1 or SCD2?", "airflow vs dagster")
        // is design work the deferral leaves asked.
        let mut chosen: Vec<&str> = Vec::new();
        for f in a.all_found.iter().filter(|f| f.pack == pos) {
            if (f.start > 0 && choice_word(f.start - 1)) || choice_word(f.start + f.len) {
                for &k in index.skills_of.get(f.term).into_iter().flatten() {
                    if let Some(s) = pack.skills.get(k) {
                        chosen.push(s.id.as_str());
                    }
                }
            }
        }
        // A cue that names the requirements asks them; one that only puts
        // the build off counts where the goal asks them in their words.
        let (cue, keep_too, asked) = match cue {
            super::requirements_first::Cue::Named(c) => (c, Vec::new(), !gatherers.is_empty()),
            super::requirements_first::Cue::Deferred(c) => {
                let asked = all_scores
                    .iter()
                    .any(|s| s.score > 0 && gatherers.contains(&s.id.as_str()));
                (c, chosen, asked)
            }
        };
        if asked {
            let keep = |id: &str| gatherers.contains(&id) || keep_too.contains(&id);
            rule_out_all_but(pack, keep, &cue, all_scores, negated, exists_skills);
            return;
        }
    }
    if let Some(cue) = super::negation::that_is_all(&a.reading.tokens) {
        let asked: Vec<String> = all_scores
            .iter()
            .filter(|s| s.score > 0)
            .map(|s| s.id.clone())
            .collect();
        if !asked.is_empty() {
            let keep = |id: &str| asked.iter().any(|n| n == id);
            rule_out_all_but(pack, keep, &cue, all_scores, negated, exists_skills);
            return;
        }
    }
    let Some(cue) = super::negation::rest_settled(&a.reading.tokens) else {
        return;
    };
    let tool = |k: &String| {
        let w = squash(k);
        !w.contains(' ') && super::context::is_data_tool(&w)
    };
    let named: Vec<String> = all_scores
        .iter()
        .filter(|s| s.score > 0 && s.primary.iter().any(|k| !tool(k)))
        .map(|s| s.id.clone())
        .collect();
    if named.is_empty() {
        return;
    }
    let keep = |id: &str| named.iter().any(|n| n == id);
    rule_out_all_but(pack, keep, &cue, all_scores, negated, exists_skills);
    let _ = index;
}

/// A blueprint with a working skill (not a foundation: the orchestrator's
/// "run everything" frames a review too) whose keywords name building or
/// running.
pub(super) fn blueprint_builds(pack: &Pack, b: &crate::pack::Blueprint) -> bool {
    b.skills.iter().any(|sk| {
        pack.skill(sk).is_some_and(|s| {
            s.tier != crate::pack::Tier::Foundation
                && s.keywords.primary.iter().any(|k| names_building(k))
        })
    })
}

/// A keyword with a word of changing things in it ("rollback plan").
fn names_change(keyword: &str) -> bool {
    keyword
        .split(|c: char| !c.is_alphanumeric())
        .any(is_change_work)
}

/// A keyword with a word of building or running things in it ("dbt build",
/// "incremental load", "transform").
fn names_building(keyword: &str) -> bool {
    keyword.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "build"
                | "run"
                | "rerun"
                | "load"
                | "ingest"
                | "ingestion"
                | "extract"
                | "extraction"
                | "transform"
                | "transformation"
                | "etl"
                | "elt"
                | "implement"
                | "deploy"
        )
    })
}

/// A keyword of checking work ("dbt test", "relationships test"): it runs
/// what exists and builds nothing.
fn names_checking(keyword: &str) -> bool {
    keyword.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "test" | "tests" | "check" | "checks" | "validate" | "validation" | "lint"
        )
    })
}

/// Words of a keyword that name changing things rather than looking at
/// them.
fn is_change_work(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "fix"
            | "rerun"
            | "re"
            | "rebuild"
            | "deploy"
            | "implement"
            | "implementation"
            | "plan"
            | "planning"
            | "migrate"
            | "migration"
            | "rollback"
            | "rollout"
            | "propose"
            | "recommend"
            | "recommendation"
            | "refactor"
            | "rewrite"
    )
}

/// A word that names a credential at `i` ("password", "creds", "token",
/// "API key", "service account key", "key-pair", "connection string").
fn is_secret_noun(toks: &[super::normalise::Token], i: usize) -> bool {
    let Some(t) = toks.get(i) else {
        return false;
    };
    let next = toks.get(i + 1).map(|n| n.word.as_str());
    let prev = i
        .checked_sub(1)
        .and_then(|p| toks.get(p))
        .map(|p| p.word.as_str());
    let either = |f: fn(&str) -> bool| f(&t.word) || f(&t.typed);
    either(|w| {
        matches!(
            w,
            "password"
                | "passwords"
                | "pw"
                | "pwd"
                | "pws"
                | "passwd"
                | "credential"
                | "credentials"
                | "cred"
                | "creds"
                | "secret"
                | "secrets"
                | "token"
                | "tokens"
                | "keypair"
                | "dsn"
        )
    }) || (matches!(t.word.as_str(), "key" | "keys")
        && (matches!(
            prev,
            Some("account" | "api" | "access" | "private" | "ssh" | "sas" | "master" | "signing")
        ) || next == Some("pair")))
        || (t.word == "connection" && matches!(next, Some("string" | "strings")))
}

/// A place secrets are kept ("vault", "kms"): what follows it is its own.
fn is_secret_store(w: &str) -> bool {
    matches!(
        w,
        "vault" | "kms" | "sops" | "doppler" | "infisical" | "keyvault"
    )
}

/// A word that qualifies a credential or joins its owners ("SASL",
/// "service account", "admin", "and").
fn is_secret_qualifier(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "or"
            | "sasl"
            | "service"
            | "svc"
            | "account"
            | "accounts"
            | "admin"
            | "root"
            | "prod"
            | "production"
            | "db"
            | "database"
            | "user"
            | "app"
            | "cloud"
            | "login"
            | "cluster"
            | "access"
            | "api"
            | "private"
            | "ssh"
            | "iam"
            | "oauth"
            | "jdbc"
    )
}

/// A skill met by one secondary keyword and nothing else.
/// Words that say the goal makes something new: its dependencies are new
/// work too, so a narrow goal still asks them.
/// What a table has that a goal can call new without building the table.
pub(super) fn is_part_of_a_table(w: &str) -> bool {
    let w = w.strip_suffix('s').unwrap_or(w);
    matches!(
        w,
        "owner"
            | "label"
            | "column"
            | "col"
            | "field"
            | "tag"
            | "description"
            | "check"
            | "test"
            | "alert"
            | "row"
            | "value"
            | "member"
            | "rule"
            | "threshold"
    )
}

pub(super) fn is_creation_cue(w: &str) -> bool {
    matches!(
        w,
        "new"
            | "create"
            | "creating"
            | "build"
            | "building"
            | "design"
            | "implement"
            | "implementing"
            | "write"
            | "writing"
            | "scratch"
            | "greenfield"
    )
}

/// A required skill that frames every goal of its pack (a root foundation
/// skill: the conventions and requirements everything reads; assembly: the
/// report that closes the work) stays asked even for a narrow goal; a required
/// component or integration skill does not.
fn frames(pack: &Pack, id: &str) -> bool {
    // A foundation skill that builds on another (the orchestrator on the
    // requirements) is a choice of its own, not the frame: only the roots
    // of the pack frame every goal.
    pack.skill(id).is_some_and(|s| match s.tier {
        crate::pack::Tier::Foundation => s.dependencies.hard.is_empty(),
        crate::pack::Tier::Assembly => true,
        _ => false,
    })
}

/// Whether a framing skill frames a goal that builds nothing new
/// ([`crate::pack::Skill::frames_every_goal`]).
fn frames_every_goal(pack: &Pack, id: &str) -> bool {
    pack.skill(id).is_none_or(|s| s.frames_every_goal)
}

/// The goal's describing phrases ("nightly ledger sync" runs already,
/// "daily row count" is a grain), each with the skills whose keywords in it
/// asked for nothing.
/// A goal that asks, by primary keywords, only skills that examine (a
/// review, a search of the documentation) and foundation skills, or only
/// foundation skills and says it only looks ("report only"): the other
/// skills it meets only by secondary words ("models/marts/*", "the dbt
/// repo", "prefect retries") name what is looked at, not work asked. Their
/// scores are zeroed; the note says which words were read so.
fn examined_subject(pack: &Pack, a: &Analysis, scores: &mut [SkillScore]) -> Option<ScopeNote> {
    let tier = |id: &str| pack.skill(id).map(|k| (k.tier, k.examines));
    // Only words that name what is reviewed ("the staging models", "our
    // dbt project"), no work of its own.
    let names_only = |s: &SkillScore| s.primary.iter().all(|k| names_made_thing(k));
    let asked: Vec<(crate::pack::Tier, bool)> = scores
        .iter()
        .filter(|s| s.score > 0 && !names_only(s))
        .filter_map(|s| tier(&s.id))
        .collect();
    // "report only", "review only": the goal says it only looks.
    let looks = asked.iter().any(|(_, e)| *e)
        || (!asked.is_empty() && super::negation::looking_only(&a.reading.tokens).is_some());
    let examines_only = looks
        && asked
            .iter()
            .all(|(t, e)| *e || *t == crate::pack::Tier::Foundation);
    // "add fct_order_lines … and review before merge" builds: its other
    // skills' words are work asked, whatever is reviewed after.
    // Asked as the user's own step: at a clause start or after "and",
    // "then", "pls", "can you"; "my PR that adds three models" describes
    // what is reviewed. "a new model" is asked; "the new models", reviewed.
    let toks = &a.reading.tokens;
    let builds = toks.iter().enumerate().any(|(i, t)| {
        let step = (is_making_word(&t.word) || is_making_word(&t.stem))
            && (t.clause_start || i == 0 || is_step_joiner(&toks[i - 1].word));
        let asks_new = t.word == "new"
            && !i
                .checked_sub(1)
                .is_some_and(|p| is_possessive_or_definite(&toks[p].word));
        !t.in_name && (step || asks_new) && !a.scopes.iter().any(|sc| sc.words.contains(&i))
    });
    if !examines_only || builds {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    let mut skills: Vec<String> = Vec::new();
    for s in scores.iter_mut() {
        let looked_at = s.score > 0
            && names_only(s)
            && tier(&s.id).is_some_and(|(t, e)| !e && t != crate::pack::Tier::Foundation);
        if !looked_at {
            continue;
        }
        s.score = 0;
        for w in &s.secondary {
            if !words.contains(w) {
                words.push(w.clone());
            }
        }
        skills.push(s.id.clone());
    }
    (!skills.is_empty()).then(|| ScopeNote {
        kind: "examined".into(),
        text: words.join(", "),
        skills,
    })
}

/// A word for a pipeline that runs as a whole ("flow", "nightly load").
fn is_pipeline_noun(w: &str) -> bool {
    matches!(
        w,
        "pipeline"
            | "pipelines"
            | "flow"
            | "flows"
            | "dataflow"
            | "dag"
            | "dags"
            | "job"
            | "jobs"
            | "load"
            | "loads"
            | "sync"
            | "extract"
            | "etl"
            | "elt"
            | "setup"
            | "refresh"
    )
}

/// "the", "my", "our": what follows is a thing that exists.
fn is_possessive_or_definite(w: &str) -> bool {
    matches!(
        w,
        "the" | "my" | "our" | "these" | "those" | "his" | "her" | "their" | "your"
    )
}

/// Words that join the user's next step ("… and build", "then add").
fn is_step_joiner(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "then"
            | "pls"
            | "please"
            | "also"
            | "to"
            | "first"
            | "you"
            | "we"
            | "i"
            | "lets"
            | "can"
            | "could"
            | "should"
            | "must"
            | "will"
    )
}

/// A keyword that only names a thing dbt work makes ("staging model",
/// "dbt project"), not the work.
fn names_made_thing(keyword: &str) -> bool {
    keyword.split(' ').all(|w| {
        matches!(
            w,
            "dbt" | "model" | "models" | "project" | "staging" | "mart" | "marts" | "repo"
        )
    })
}

/// A verb that asks for something to be made or changed.
fn is_making_word(w: &str) -> bool {
    matches!(
        w,
        "add"
            | "adding"
            | "create"
            | "creating"
            | "build"
            | "building"
            | "stage"
            | "implement"
            | "implementing"
            | "migrate"
            | "port"
            | "convert"
            | "rebuild"
    )
}

fn described_notes(a: &Analysis, skills: &[(usize, String)]) -> Vec<ScopeNote> {
    use super::described::Described;
    let mut out = Vec::new();
    let mut k = 0;
    while k < a.described.len() {
        let Some(kind) = a.described[k] else {
            k += 1;
            continue;
        };
        let end = (k..a.described.len())
            .find(|&e| a.described[e] != Some(kind))
            .unwrap_or(a.described.len());
        let mut ids: Vec<String> = Vec::new();
        for (_, id) in skills.iter().filter(|(w, _)| (k..end).contains(w)) {
            if !ids.contains(id) {
                ids.push(id.clone());
            }
        }
        // Only words that kept some skill from being asked need saying.
        if ids.is_empty() {
            k = end;
            continue;
        }
        out.push(ScopeNote {
            kind: match kind {
                Described::Running => "runs".into(),
                Described::Grain => "grain".into(),
                Described::Criterion => "criterion".into(),
                Described::Researched => "researched".into(),
                Described::Frequency => "frequency".into(),
            },
            text: {
                // A word typed once and read as two ("dq") is said once.
                let mut typed: Vec<&str> = a.reading.tokens[k..end]
                    .iter()
                    .map(|t| t.typed.as_str())
                    .collect();
                typed.dedup();
                typed.join(" ")
            },
            skills: ids,
        });
        k = end;
    }
    out
}

/// Word `p` stands after a negation that ends at `end`, in the same
/// sentence (commas only between), with nothing that asks again ("but",
/// "need", "just") in between: it says why the work is ruled out.
fn explains_negation(toks: &[super::normalise::Token], end: usize, p: usize) -> bool {
    let last = p.min(toks.len() - 1);
    // "…, can you set up the semantic model": a request, not a reason.
    let asks = (end..=last).any(|k| {
        matches!(toks[k].word.as_str(), "can" | "could")
            && toks
                .get(k + 1)
                .is_some_and(|n| matches!(n.word.as_str(), "you" | "u" | "someone"))
    });
    p >= end
        && !asks
        && toks[end..=last].iter().all(|t| {
            (t.after_comma || !t.clause_start)
                && !matches!(
                    t.word.as_str(),
                    "but"
                        | "though"
                        | "although"
                        | "however"
                        | "instead"
                        | "except"
                        | "only"
                        | "just"
                        | "still"
                        | "need"
                        | "needs"
                        | "want"
                        | "wants"
                        | "add"
                        | "set"
                        | "build"
                        | "create"
                        | "please"
                        | "pls"
                        | "and"
                        | "plus"
                )
        })
}

/// Words that put what follows in a place ("in silver", "between silver
/// and gold").
fn is_place_lead(w: &str) -> bool {
    // Not "into": "merge into silver", "features into gold" move data
    // into the layer, the layer's own work.
    matches!(
        w,
        "in" | "on" | "at" | "between" | "across" | "inside" | "within"
            // "audit log on who reads gold"
            | "reads" | "read" | "reading"
    )
}

/// Where find `f`, one of skill `skill`'s place words, stands after a
/// place lead in a clause that names work of a skill for which
/// `happens_there` holds ("mask emails in silver", "retention on the bronze
/// tables", "audit log on who reads gold"): the lead's position. `None`
/// when the word is work asked of the skill ("build features in gold",
/// "merge into silver", "dq checks in silver").
fn placed_at(
    a: &Analysis,
    index: &PackIndex,
    f: &Found,
    skill: usize,
    places: &[String],
    happens_there: impl Fn(usize) -> bool,
) -> Option<usize> {
    let is_place = |term: usize| {
        index
            .terms
            .get(term)
            .is_some_and(|t| places.contains(&t.text))
    };
    if !is_place(f.term) {
        return None;
    }
    let toks = &a.reading.tokens;
    let mut k = f.start;
    let lead = loop {
        if k == 0 || toks[k].clause_start {
            return None;
        }
        let prev = &toks[k - 1];
        if prev.in_name {
            return None;
        }
        if is_place_lead(&prev.word) {
            break k - 1;
        }
        // "the", "our": still the place's phrase; "silver and": a list
        // of places under one lead.
        let listed = matches!(prev.word.as_str(), "and" | "or")
            || a.all_found
                .iter()
                .any(|o| o.pack == f.pack && o.start + o.len == k && is_place(o.term));
        if !(matches!(prev.word.as_str(), "the" | "our" | "its" | "their") || listed) {
            return None;
        }
        k -= 1;
    };
    // The clause names the work that happens there: another skill's word.
    let mut start = (0..=lead)
        .rev()
        .find(|&w| toks[w].clause_start)
        .unwrap_or(0);
    // "PII: hash the SSNs in silver": a heading names the clause's work.
    if toks[start].after_colon && start > 0 {
        start = (0..start)
            .rev()
            .find(|&w| toks[w].clause_start)
            .unwrap_or(0);
    }
    let end = (f.start + 1..toks.len())
        .find(|&w| toks[w].clause_start)
        .unwrap_or(toks.len());
    let other_work = a.all_found.iter().any(|o| {
        o.pack == f.pack
            && o.start >= start
            && o.start + o.len <= end
            && index
                .skills_of
                .get(o.term)
                .is_some_and(|ks| ks.iter().any(|&k| k != skill && happens_there(k)))
    });
    other_work.then_some(lead)
}

/// The notes for place words that asked nothing ("“in silver” is where
/// the work happens"), for skills the goal then does not ask.
fn placed_notes(
    a: &Analysis,
    placed: &[(usize, usize, String)],
    scores: &[SkillScore],
) -> Vec<ScopeNote> {
    let mut out: Vec<ScopeNote> = Vec::new();
    for (lead, end, id) in placed {
        if scores.iter().any(|s| s.id == *id && s.score > 0) {
            continue;
        }
        let text = a.reading.tokens[*lead..*end]
            .iter()
            .map(|t| t.typed.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        // "in silver and gold" is one place phrase: its longest reading.
        let phrase = placed
            .iter()
            .filter(|(l, _, _)| l == lead)
            .map(|(_, e, _)| *e)
            .max()
            .unwrap_or(*end);
        if phrase != *end {
            continue;
        }
        match out.iter_mut().find(|n| n.skills == [id.clone()]) {
            Some(n) if !n.text.split(", ").any(|t| t == text) => {
                n.text = format!("{}, {text}", n.text);
            }
            Some(_) => {}
            None => out.push(ScopeNote {
                kind: "placed".into(),
                text,
                skills: vec![id.clone()],
            }),
        }
    }
    out
}

/// Words that name a fault of something that runs.
fn is_fault_word(w: &str) -> bool {
    matches!(
        w,
        "scans"
            | "scanning"
            | "slow"
            | "slower"
            | "crawling"
            | "expensive"
            | "flaky"
            | "missing"
            | "drifted"
            | "mismatches"
            | "outdated"
    )
}

/// Words that say the goal changes or examines something that exists.
fn is_change_cue(w: &str) -> bool {
    matches!(
        w,
        "add"
            | "adding"
            | "fix"
            | "fixing"
            | "update"
            | "updating"
            | "change"
            | "modify"
            | "extend"
            | "tune"
            | "improve"
            | "adjust"
            | "analyze"
            | "analyse"
            | "investigate"
            | "audit"
            | "review"
            | "debug"
            | "diagnose"
            | "fill"
            | "complete"
            | "rename"
            | "refactor"
            | "rewrite"
            | "correct"
            | "repair"
            | "patch"
            | "edit"
            | "move"
            | "alert"
            | "monitor"
    )
}

/// Splits the full chain into the skills the goal asks about and those whose
/// defaults will do ([`PackDetection::assumed`]): asked are the matched
/// skills, their hard dependencies unless the goal says they exist
/// (`Reason::Exists`) or `assume_deps` (a narrow goal that works on
/// something existing), and the required skills unless the goal is narrow and they
/// do not frame it ([`frames`]). Every
/// skill keeps its place in run order.
/// What decides which skills of the chain a goal asks about.
struct Narrowing<'a> {
    /// The goal names skills and no blueprint is offered: it asks for
    /// those skills, not for the pack's whole build, so required skills
    /// that do not frame it (components, integrations) are assumed.
    focused: bool,
    /// A narrow goal that works on something existing: hard dependencies
    /// are assumed.
    assume_deps: bool,
    /// A narrow goal that says it changes something existing ("move",
    /// "add", "fix"): a skill it meets only by secondary words ("daily" in
    /// a table name) that a named skill builds on is that existing thing,
    /// not asked.
    demote_secondary: bool,
    /// The goal makes something new ("build", "new", "design") or does not
    /// name systems only as the owners of a credential: a framing skill
    /// with `frames_every_goal: false` is asked.
    builds: bool,
    /// Skills named by a primary keyword (or two secondary ones).
    named: &'a [&'a str],
    /// Skills the goal rules out or says are done.
    settled: &'a BTreeSet<&'a str>,
    /// Required skills whose kind the goal chooses ("GCP Workflows, not
    /// airflow"): asked even for a focused goal.
    chosen_kinds: &'a [String],
}

fn split_assumed(
    pack: &Pack,
    full: Vec<super::ChainEntry>,
    n: &Narrowing,
) -> (Vec<super::ChainEntry>, Vec<super::ChainEntry>) {
    let assume_deps = n.assume_deps;
    // What the named skills build on, transitively.
    let mut beneath: BTreeSet<&str> = BTreeSet::new();
    if n.demote_secondary {
        let mut queue: Vec<&str> = n.named.to_vec();
        while let Some(id) = queue.pop() {
            for dep in pack.skill(id).iter().flat_map(|s| &s.dependencies.hard) {
                if beneath.insert(dep.as_str()) {
                    queue.push(dep.as_str());
                }
            }
        }
    }
    // Met only by secondary words beneath a named skill, in a goal that
    // changes what exists ("fct_sales on clickhouse scans everything"):
    // the words name that existing thing, which frames nothing new.
    let demoted = |e: &super::ChainEntry| {
        n.demote_secondary
            && beneath.contains(e.id.as_str())
            && !n.named.contains(&e.id.as_str())
            && e.reasons
                .iter()
                .any(|r| matches!(r, Reason::Matched { .. }))
    };
    let mut asked: BTreeSet<String> = full
        .iter()
        .filter(|e| !n.settled.contains(e.id.as_str()) && !demoted(e))
        .filter(|e| {
            e.reasons.iter().any(|r| {
                (matches!(r, Reason::Matched { .. })
                    && (n.named.contains(&e.id.as_str()) || !beneath.contains(e.id.as_str())))
                    || matches!(
                        r,
                        Reason::Blueprint { .. } | Reason::Chosen | Reason::Makes { .. }
                    )
                    || (matches!(r, Reason::Required)
                        && (!n.focused
                            || (frames(pack, &e.id)
                                && (n.builds || frames_every_goal(pack, &e.id)))
                            || n.chosen_kinds.contains(&e.id)))
            })
        })
        .map(|e| e.id.clone())
        .collect();
    // Per skill of the full chain: whether the goal says it exists.
    let in_full: HashMap<&str, bool> = full
        .iter()
        .map(|e| {
            let exists = e.reasons.iter().any(|r| matches!(r, Reason::Exists { .. }));
            (e.id.as_str(), exists)
        })
        .collect();
    if !assume_deps {
        // A required skill asked only because it frames a focused goal (the
        // findings report) does not bring its own dependencies' questions:
        // what they make is not asked for, and their defaults feed it.
        let frame_only = |id: &str| {
            n.focused
                && full.iter().find(|e| e.id == id).is_some_and(|e| {
                    e.reasons.iter().all(|r| {
                        !matches!(
                            r,
                            Reason::Matched { .. }
                                | Reason::Blueprint { .. }
                                | Reason::Makes { .. }
                                | Reason::Chosen
                                | Reason::DependencyOf { .. }
                        )
                    })
                })
        };
        let mut queue: Vec<String> = asked.iter().filter(|id| !frame_only(id)).cloned().collect();
        while let Some(id) = queue.pop() {
            let Some(skill) = pack.skill(&id) else {
                continue;
            };
            for dep in &skill.dependencies.hard {
                if in_full.get(dep.as_str()) == Some(&false)
                    && !n.settled.contains(dep.as_str())
                    && asked.insert(dep.clone())
                {
                    queue.push(dep.clone());
                }
            }
        }
    }
    if asked.is_empty() {
        return (full, Vec::new());
    }
    full.into_iter().partition(|e| asked.contains(&e.id))
}
