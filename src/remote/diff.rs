//! What changed between an installed pack and its update, in the terms a
//! user of answers files cares about: version, skills, questions added,
//! removed or renamed, options and defaults, blueprints and templates.

use std::collections::{BTreeMap, BTreeSet};

use crate::pack::{Pack, Question, Skill};

/// The change, one line per fact, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackDiff {
    pub id: String,
    pub old_version: String,
    pub new_version: String,
    pub changes: Vec<String>,
}

/// Compares the installed pack (None when its files no longer load) with
/// the new one.
pub fn diff_packs(old: Option<&Pack>, old_version: &str, new: &Pack) -> PackDiff {
    let mut changes = Vec::new();
    match old {
        None => changes.push(
            "the installed version no longer loads, so every file is taken as changed".to_string(),
        ),
        Some(old) => compare(old, new, &mut changes),
    }
    PackDiff {
        id: new.id().to_string(),
        old_version: old_version.to_string(),
        new_version: new.manifest.version.clone(),
        changes,
    }
}

fn compare(old: &Pack, new: &Pack, out: &mut Vec<String>) {
    let old_skills: BTreeMap<&str, &Skill> =
        old.skills.iter().map(|s| (s.id.as_str(), s)).collect();
    let new_skills: BTreeMap<&str, &Skill> =
        new.skills.iter().map(|s| (s.id.as_str(), s)).collect();
    for id in old_skills.keys().filter(|k| !new_skills.contains_key(*k)) {
        out.push(format!("skill `{id}` removed"));
    }
    for id in new_skills.keys().filter(|k| !old_skills.contains_key(*k)) {
        out.push(format!("skill `{id}` added"));
    }
    for (id, o) in &old_skills {
        if let Some(n) = new_skills.get(id) {
            compare_questions(id, &o.questions, &n.questions, out);
            if o.keywords.primary != n.keywords.primary
                || o.keywords.secondary != n.keywords.secondary
                || o.keywords.exclusions != n.keywords.exclusions
            {
                out.push(format!(
                    "skill `{id}`: keywords changed (detection may pick it differently)"
                ));
            }
        }
    }
    let ob: BTreeSet<&str> = old.blueprints.iter().map(|b| b.id.as_str()).collect();
    let nb: BTreeSet<&str> = new.blueprints.iter().map(|b| b.id.as_str()).collect();
    for id in ob.difference(&nb) {
        out.push(format!("blueprint `{id}` removed"));
    }
    for id in nb.difference(&ob) {
        out.push(format!("blueprint `{id}` added"));
    }
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut changed = Vec::new();
    for (name, text) in &old.templates {
        match new.templates.get(name) {
            None => removed.push(name.as_str()),
            Some(t) if t != text => changed.push(name.as_str()),
            Some(_) => {}
        }
    }
    for name in new.templates.keys() {
        if !old.templates.contains_key(name) {
            added.push(name.as_str());
        }
    }
    for (what, list) in [("changed", changed), ("added", added), ("removed", removed)] {
        if !list.is_empty() {
            out.push(format!("templates {what}: {}", list.join(", ")));
        }
    }
}

fn compare_questions(skill: &str, old: &[Question], new: &[Question], out: &mut Vec<String>) {
    let new_ids: BTreeSet<&str> = new.iter().map(|q| q.id.as_str()).collect();
    let old_ids: BTreeSet<&str> = old.iter().map(|q| q.id.as_str()).collect();
    let mut gone: Vec<&Question> = old
        .iter()
        .filter(|q| !new_ids.contains(q.id.as_str()))
        .collect();
    let mut fresh: Vec<&Question> = new
        .iter()
        .filter(|q| !old_ids.contains(q.id.as_str()))
        .collect();
    // A removed and an added question with the same prompt, or the same
    // kind, options and default (choices only: a bare text or yes/no
    // question is too common a shape to call it the same), is a rename:
    // answers files need the new id.
    let mut pairs: Vec<(&Question, &Question)> = Vec::new();
    gone.retain(|g| {
        let hit = fresh
            .iter()
            .position(|f| f.prompt == g.prompt)
            .or_else(|| fresh.iter().position(|f| same_shape(g, f)));
        match hit {
            Some(i) => {
                let f = fresh.remove(i);
                out.push(format!(
                    "skill `{skill}`: question `{}` renamed to `{}` (answers files naming `{}` need `{}`)",
                    g.id, f.id, g.id, f.id
                ));
                pairs.push((g, f));
                false
            }
            None => true,
        }
    });
    for q in gone {
        out.push(format!("skill `{skill}`: question `{}` removed", q.id));
    }
    for q in fresh {
        out.push(format!(
            "skill `{skill}`: question `{}` added ({}: {})",
            q.id,
            q.kind.as_str(),
            q.prompt
        ));
    }
    for o in old {
        if let Some(n) = new.iter().find(|n| n.id == o.id) {
            pairs.push((o, n));
        }
    }
    for (o, n) in pairs {
        let at = format!("skill `{skill}`: question `{}`", n.id);
        if o.kind != n.kind {
            out.push(format!(
                "{at}: kind {} → {}",
                o.kind.as_str(),
                n.kind.as_str()
            ));
        }
        if o.prompt != n.prompt {
            out.push(format!("{at}: prompt now \"{}\"", n.prompt));
        }
        let ov: Vec<&str> = o.options.iter().map(|c| c.value.as_str()).collect();
        let nv: Vec<&str> = n.options.iter().map(|c| c.value.as_str()).collect();
        let added: Vec<&str> = nv.iter().filter(|v| !ov.contains(v)).copied().collect();
        let removed: Vec<&str> = ov.iter().filter(|v| !nv.contains(v)).copied().collect();
        if !added.is_empty() {
            out.push(format!("{at}: options added: {}", added.join(", ")));
        }
        if !removed.is_empty() {
            out.push(format!("{at}: options removed: {}", removed.join(", ")));
        }
        let show = |d: &Option<crate::value::AnswerValue>| {
            d.as_ref()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "(none)".to_string())
        };
        if show(&o.default) != show(&n.default) {
            out.push(format!(
                "{at}: default {} → {}",
                show(&o.default),
                show(&n.default)
            ));
        }
        if o.when != n.when {
            out.push(format!("{at}: condition changed"));
        }
    }
}

fn same_shape(a: &Question, b: &Question) -> bool {
    !a.options.is_empty()
        && a.kind == b.kind
        && a.options
            .iter()
            .map(|c| &c.value)
            .eq(b.options.iter().map(|c| &c.value))
        && a.default.as_ref().map(|v| v.to_string()) == b.default.as_ref().map(|v| v.to_string())
}

#[cfg(test)]
mod tests_support {
    use crate::pack::{parse_pack, Pack, PackFiles};

    pub fn pack(version: &str, skill: &str, extra: &[(&str, &str)]) -> Pack {
        let mut files = std::collections::BTreeMap::new();
        files.insert(
            "pack.yaml".to_string(),
            format!("id: p\ntitle: P\nversion: {version}\noutput_root: p\n"),
        );
        files.insert("skills/s.yaml".to_string(), skill.to_string());
        files.insert("templates/a.j2".to_string(), "a".to_string());
        for (k, v) in extra {
            files.insert(k.to_string(), v.to_string());
        }
        parse_pack(&PackFiles {
            origin: "t".to_string(),
            files,
            unreadable: Vec::new(),
        })
        .expect("pack parses")
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::pack;
    use super::*;

    const HEAD: &str = "id: s\ntitle: S\ntier: foundation\nquestions:\n";

    #[test]
    fn each_kind_of_change_is_one_line() {
        let old = pack(
            "1",
            &format!("{HEAD}  - {{id: mode, prompt: Mode, kind: choice, options: [{{value: a}}, {{value: b}}], default: a}}\n  - {{id: n, prompt: Count, kind: integer, default: 1}}\n  - {{id: gone, prompt: Old, kind: text}}\n  - {{id: flag, prompt: Flag, kind: bool, default: false}}\n"),
            &[("templates/b.j2", "b"), ("templates/c.j2", "c")],
        );
        let new = pack(
            "2",
            &format!("{HEAD}  - {{id: mode, prompt: Mode, kind: choice, options: [{{value: a}}, {{value: c}}], default: c}}\n  - {{id: count, prompt: Count, kind: integer, default: 1}}\n  - {{id: switch, prompt: Switch it, kind: bool, default: false}}\n  - {{id: fresh, prompt: New one, kind: text}}\n"),
            &[("templates/b.j2", "B"), ("templates/d.j2", "d")],
        );
        let d = diff_packs(Some(&old), "1", &new);
        assert_eq!((d.old_version.as_str(), d.new_version.as_str()), ("1", "2"));
        assert_eq!(
            d.changes,
            vec![
                "skill `s`: question `n` renamed to `count` (answers files naming `n` need `count`)",
                "skill `s`: question `gone` removed",
                "skill `s`: question `flag` removed",
                "skill `s`: question `switch` added (bool: Switch it)",
                "skill `s`: question `fresh` added (text: New one)",
                "skill `s`: question `mode`: options added: c",
                "skill `s`: question `mode`: options removed: b",
                "skill `s`: question `mode`: default a → c",
                "templates changed: b.j2",
                "templates added: d.j2",
                "templates removed: c.j2",
            ]
        );
        assert!(diff_packs(Some(&old), "1", &old).changes.is_empty());
        assert_eq!(diff_packs(None, "1", &new).changes.len(), 1);
    }
}

#[cfg(test)]
mod rename_tests {
    use super::tests_support::pack;

    #[test]
    fn a_choice_with_the_same_options_and_default_is_a_rename() {
        let q = |id: &str, prompt: &str| {
            format!("id: s\ntitle: S\ntier: foundation\nquestions:\n  - {{id: {id}, prompt: {prompt}, kind: choice, options: [{{value: x}}, {{value: y}}], default: x}}\n")
        };
        let d = super::diff_packs(
            Some(&pack("1", &q("engine", "Engine"), &[])),
            "1",
            &pack("1", &q("db", "Database"), &[]),
        );
        assert_eq!(
            d.changes,
            vec![
                "skill `s`: question `engine` renamed to `db` (answers files naming `engine` need `db`)",
                "skill `s`: question `db`: prompt now \"Database\"",
            ]
        );
    }
}
