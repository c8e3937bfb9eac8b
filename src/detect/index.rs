//! A pack's detection vocabulary, normalised once (the pack keeps it in a
//! `OnceLock`): every keyword, trigger and blueprint trigger becomes a term
//! (a sequence of stems) with the roles it plays, plus the pack's synonyms
//! and a typo lookup bucketed by first letter and length.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use super::normalise::{stemmer, tokenise};
use crate::pack::Pack;

/// Points a primary keyword gives its skill.
pub const PRIMARY_POINTS: u32 = 10;
/// Points a secondary keyword gives its skill.
pub const SECONDARY_POINTS: u32 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Term {
    pub stems: Vec<String>,
    /// The keyword as the pack writes it (the first spelling seen).
    pub text: String,
}

/// Term ids of one skill's keyword lists.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SkillTerms {
    pub primary: Vec<usize>,
    pub secondary: Vec<usize>,
    pub exclusions: Vec<usize>,
    pub requires_any: Vec<usize>,
    /// Words whose negation or existence settles the skill.
    #[serde(default)]
    pub settled_by: Vec<usize>,
    /// Every output is a document (Markdown): the skill reports, plans or
    /// reviews, it builds nothing.
    #[serde(default)]
    pub documents_only: bool,
}

/// Built at build time for bundled packs (build.rs stores it with them).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackIndex {
    pub terms: Vec<Term>,
    by_stems: HashMap<Vec<String>, usize>,
    /// First stem → terms starting with it.
    pub(super) first: HashMap<String, Vec<usize>>,
    /// Every stem any term uses.
    pub(super) stems: std::collections::HashSet<String>,
    /// (first letter, length) → (word, stem) of every keyword word, for typos.
    pub(super) typo_buckets: HashMap<(char, usize), Vec<(String, String)>>,
    /// Lower-case word → the words it stands for.
    pub synonyms: HashMap<String, Vec<String>>,
    pub skills: Vec<SkillTerms>,
    pub triggers: Vec<(usize, u32)>,
    pub blueprints: Vec<Vec<(usize, u32)>>,
    /// Per term: how strongly this pack claims it (its largest trigger weight
    /// or keyword points). Evidence for the pack when the goal says it.
    pub weight: Vec<u32>,
    /// Per term: the skills that list it as a primary or secondary keyword.
    pub(super) skills_of: Vec<Vec<usize>>,
    /// Per term: (skill, points) for every skill listing it.
    pub(super) points: Vec<Vec<(usize, u32)>>,
    /// Per term: listed by some skill (any keyword list).
    pub(super) skill_term: Vec<bool>,
    /// Per term: its largest pack or blueprint trigger weight (0 if none).
    pub(super) trigger_weight: Vec<u32>,
    pub required: Vec<usize>,
    /// The skills whose keywords hold the word "requirement": the ones
    /// that gather requirements.
    pub(super) gatherers: Vec<usize>,
    /// Stems of the nouns of what the pack makes anew (`makes:`).
    pub(super) makes_nouns: Vec<String>,
    /// The skills a new one is made with.
    pub(super) makes_skills: Vec<usize>,
}

impl PackIndex {
    pub fn new(pack: &Pack) -> PackIndex {
        let st = stemmer();
        let mut ix = PackIndex {
            terms: Vec::new(),
            by_stems: HashMap::new(),
            first: HashMap::new(),
            stems: Default::default(),
            typo_buckets: HashMap::new(),
            synonyms: HashMap::new(),
            skills: Vec::new(),
            triggers: Vec::new(),
            blueprints: Vec::new(),
            weight: Vec::new(),
            skills_of: Vec::new(),
            points: Vec::new(),
            skill_term: Vec::new(),
            trigger_weight: Vec::new(),
            required: Vec::new(),
            gatherers: Vec::new(),
            makes_nouns: Vec::new(),
            makes_skills: Vec::new(),
        };
        for (k, v) in &pack.manifest.synonyms {
            let key: String = k
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| *c != '\'')
                .collect();
            let words: Vec<String> = tokenise(&st, v).into_iter().map(|t| t.typed).collect();
            if !key.is_empty() && !words.is_empty() {
                ix.synonyms.insert(key, words);
            }
        }
        let term = |ix: &mut PackIndex, text: &str| -> Option<usize> {
            let mut stems = Vec::new();
            for t in tokenise(&st, text) {
                match ix.synonyms.get(&t.typed) {
                    Some(words) => {
                        for w in words.clone() {
                            stems.push(super::normalise::stem_word(&st, &w));
                            ix.add_typo_word(&w, &st);
                        }
                    }
                    None => {
                        ix.add_typo_word(&t.typed, &st);
                        stems.push(t.stem);
                    }
                }
            }
            if stems.is_empty() {
                return None;
            }
            if let Some(&id) = ix.by_stems.get(&stems) {
                return Some(id);
            }
            let id = ix.terms.len();
            for s in &stems {
                ix.stems.insert(s.clone());
            }
            ix.first.entry(stems[0].clone()).or_default().push(id);
            ix.by_stems.insert(stems.clone(), id);
            ix.terms.push(Term {
                stems,
                text: text.to_string(),
            });
            ix.weight.push(0);
            ix.skills_of.push(Vec::new());
            ix.points.push(Vec::new());
            ix.skill_term.push(false);
            ix.trigger_weight.push(0);
            Some(id)
        };
        for (i, s) in pack.skills.iter().enumerate() {
            let mut st_terms = SkillTerms::default();
            for (list, out, points) in [
                (&s.keywords.primary, &mut st_terms.primary, PRIMARY_POINTS),
                (
                    &s.keywords.secondary,
                    &mut st_terms.secondary,
                    SECONDARY_POINTS,
                ),
                (&s.keywords.exclusions, &mut st_terms.exclusions, 0),
                (&s.keywords.requires_any, &mut st_terms.requires_any, 0),
                (&s.keywords.settled_by, &mut st_terms.settled_by, 0),
            ] {
                for k in list {
                    if let Some(id) = term(&mut ix, k) {
                        ix.skill_term[id] = true;
                        if !out.contains(&id) {
                            out.push(id);
                        }
                        if points > 0 {
                            ix.weight[id] = ix.weight[id].max(points);
                            if !ix.skills_of[id].contains(&i) {
                                ix.skills_of[id].push(i);
                                ix.points[id].push((i, points));
                            }
                        }
                    }
                }
            }
            st_terms.documents_only = !s.outputs.is_empty()
                && s.outputs.iter().all(|o| o.path.trim_end().ends_with(".md"));
            ix.skills.push(st_terms);
            if s.required {
                ix.required.push(i);
            }
        }
        for (k, w) in &pack.manifest.triggers {
            if let Some(id) = term(&mut ix, k) {
                ix.weight[id] = ix.weight[id].max(*w);
                ix.trigger_weight[id] = ix.trigger_weight[id].max(*w);
                ix.triggers.push((id, *w));
            }
        }
        for b in &pack.blueprints {
            let mut list = Vec::new();
            for (k, w) in &b.triggers {
                if let Some(id) = term(&mut ix, k) {
                    ix.weight[id] = ix.weight[id].max(*w);
                    ix.trigger_weight[id] = ix.trigger_weight[id].max(*w);
                    list.push((id, *w));
                }
            }
            ix.blueprints.push(list);
        }
        ix.gatherers = ix
            .terms
            .iter()
            .enumerate()
            .filter(|(_, t)| t.stems.len() == 1 && t.stems[0] == "requir")
            .flat_map(|(t, _)| ix.skills_of.get(t).into_iter().flatten().copied())
            .collect();
        if let Some(m) = &pack.manifest.makes {
            ix.makes_nouns = m
                .nouns
                .iter()
                .map(|n| super::normalise::stem_word(&st, &n.trim().to_lowercase()))
                .collect();
            ix.makes_skills = m
                .skills
                .iter()
                .filter_map(|id| pack.skills.iter().position(|s| &s.id == id))
                .collect();
        }
        ix
    }

    fn add_typo_word(&mut self, word: &str, st: &rust_stemmers::Stemmer) {
        let n = word.chars().count();
        let Some(first) = word.chars().next() else {
            return;
        };
        if n < 5 {
            return;
        }
        let bucket = self.typo_buckets.entry((first, n)).or_default();
        if !bucket.iter().any(|(w, _)| w == word) {
            bucket.push((word.to_string(), super::normalise::stem_word(st, word)));
        }
    }

    /// The term with these stems, if the pack knows it.
    pub fn term_id(&self, stems: &[String]) -> Option<usize> {
        self.by_stems.get(stems).copied()
    }

    /// The pack's weight for term `t` when the skills in `gated` (excluded
    /// or missing a `requires_any` word for this goal) do not count.
    pub fn weight_without(&self, t: usize, gated: &[usize]) -> u32 {
        let skills = self.points[t]
            .iter()
            .filter(|(s, _)| !gated.contains(s))
            .map(|(_, p)| *p)
            .max()
            .unwrap_or(0);
        skills.max(self.trigger_weight[t])
    }

    /// True when term `t` is a keyword of some skill (any list).
    pub fn is_skill_term(&self, t: usize) -> bool {
        self.skill_term.get(t).copied().unwrap_or(false)
    }

    pub fn knows_stem(&self, stem: &str) -> bool {
        self.stems.contains(stem)
    }
}
