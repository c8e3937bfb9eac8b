//! Converting an upstream skillchain registry (`_registry.yaml`,
//! `registry_version: 2.x`) into a pack: the same detection data (skill
//! keywords, blueprint triggers), one question per `questions.defaults`
//! entry (its kind inferred from the value), the blueprints with their
//! chains, and a `handoff-plan` skill whose output `plan.md` lists each
//! skill's invocation with the configured answers, so an AI agent runs the
//! chain exactly as configured. What cannot be converted is reported, never
//! silently dropped.

use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

/// The converted pack's files and the report of what was not converted.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub pack_id: String,
    /// Relative path → content.
    pub files: BTreeMap<String, String>,
    pub skills: usize,
    pub blueprints: usize,
    pub questions: usize,
    /// Each entry: where in the registry, and what became of it.
    pub not_converted: Vec<String>,
}

const HANDOFF: &str = "handoff-plan";

struct SkillIn {
    id: String,
    title: String,
    summary: String,
    category: String,
    priority: i64,
    primary: Vec<String>,
    secondary: Vec<String>,
    exclusions: Vec<String>,
    hard: Vec<String>,
    soft: Vec<String>,
    invocation: String,
    /// (question id, original key, value, kind)
    questions: Vec<(String, String, Value, &'static str)>,
}

/// Converts the registry text (`origin` names it in the report) into a
/// pack with id `pack_id`.
pub fn import_registry(text: &str, origin: &str, pack_id: &str) -> Result<ImportReport, String> {
    let doc: Value = serde_yaml::from_str(text).map_err(|e| {
        format!(
            "{origin}: not valid YAML ({}); check the registry file",
            crate::pack::describe_yaml_error(&e)
        )
    })?;
    let version = match doc.get("registry_version") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(format!(
                "{origin}: no `registry_version`; this is not an upstream skillchain registry (`_registry.yaml`, registry_version 2.x)"
            ))
        }
    };
    if version.split('.').next() != Some("2") {
        return Err(format!(
            "{origin}: registry_version {version} is not supported; this importer reads registry_version 2.x"
        ));
    }
    let mut report = ImportReport {
        pack_id: pack_id.to_string(),
        ..Default::default()
    };
    let mut lost = Vec::new();
    if let Some(map) = doc.as_mapping() {
        for key in map.keys() {
            let k = key.as_str().unwrap_or_default();
            if !matches!(
                k,
                "registry_version"
                    | "categories"
                    | "blueprints"
                    | "skills"
                    | "name"
                    | "title"
                    | "description"
                    | "version"
            ) {
                lost.push(format!("top-level `{k}`: not part of a pack; ignored"));
            }
        }
    }
    let categories = named_items(doc.get("categories"));
    let mut category_titles = BTreeMap::new();
    for (key, item) in &categories {
        let title = text_of(item, &["name", "title"]).unwrap_or_else(|| key.clone());
        category_titles.insert(key.clone(), title);
    }

    // Skills.
    let mut skills: Vec<SkillIn> = Vec::new();
    let mut id_map: BTreeMap<String, String> = BTreeMap::new();
    let raw_skills = named_items(doc.get("skills"));
    if raw_skills.is_empty() {
        return Err(format!(
            "{origin}: the registry lists no skills; nothing to convert"
        ));
    }
    for (key, item) in &raw_skills {
        let id = unique(kebab(key), &id_map.values().cloned().collect());
        if id != *key {
            lost.push(format!("skill `{key}`: id written as `{id}` (pack ids are lower-case letters, digits and dashes)"));
        }
        id_map.insert(key.clone(), id.clone());
        let mut s = SkillIn {
            id,
            title: text_of(item, &["title", "name"]).unwrap_or_else(|| titled(key)),
            summary: text_of(item, &["description", "summary"]).unwrap_or_default(),
            category: item
                .get("category")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            priority: item.get("priority").and_then(Value::as_i64).unwrap_or(50),
            primary: Vec::new(),
            secondary: Vec::new(),
            exclusions: Vec::new(),
            hard: Vec::new(),
            soft: Vec::new(),
            invocation: text_of(item, &["invocation"]).unwrap_or_default(),
            questions: Vec::new(),
        };
        if s.invocation.is_empty() {
            s.invocation = format!("use the `{key}` skill");
            lost.push(format!(
                "skill `{key}`: no `invocation`; the plan says \"{}\"",
                s.invocation
            ));
        }
        if let Some(kw) = item.get("keywords") {
            match kw {
                Value::Mapping(m) => {
                    for (k, v) in m {
                        let list = strings(v);
                        match k.as_str().unwrap_or_default() {
                            "primary" => s.primary = list,
                            "secondary" => s.secondary = list,
                            "exclusions" | "exclude" => s.exclusions = list,
                            other => lost.push(format!("skill `{key}`: keywords.{other}: no such keyword list in a pack; ignored")),
                        }
                    }
                }
                Value::Sequence(_) => s.primary = strings(kw),
                _ => lost.push(format!(
                    "skill `{key}`: keywords: not a map or list; ignored"
                )),
            }
        }
        match item.get("dependencies") {
            None | Some(Value::Null) => {}
            Some(v @ Value::Sequence(_)) => s.hard = strings(v),
            Some(Value::Mapping(m)) => {
                for (k, v) in m {
                    match k.as_str().unwrap_or_default() {
                        "required" | "hard" | "requires" => s.hard.extend(strings(v)),
                        "optional" | "soft" | "enhances" => s.soft.extend(strings(v)),
                        other => lost.push(format!("skill `{key}`: dependencies.{other}: not a dependency kind (required/optional); ignored")),
                    }
                }
            }
            Some(_) => lost.push(format!(
                "skill `{key}`: dependencies: not a list or map; ignored"
            )),
        }
        if let Some(q) = item.get("questions") {
            if let Some(m) = q.as_mapping() {
                for k in m.keys() {
                    let kk = k.as_str().unwrap_or_default();
                    if kk != "defaults" {
                        lost.push(format!("skill `{key}`: questions.{kk}: only `defaults` converts into questions; ignored"));
                    }
                }
            }
            if let Some(defaults) = q.get("defaults").and_then(Value::as_mapping) {
                let mut taken = BTreeSet::new();
                for (k, v) in defaults {
                    let name = match k {
                        Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    let qid = unique_snake(&name, &taken);
                    taken.insert(qid.clone());
                    match infer_kind(&name, v) {
                        Ok(kind) => {
                            if kind == "secret" && !v.is_null() {
                                lost.push(format!("skill `{key}`: default of `{name}` not kept: it looks like a secret, and secrets are asked, never stored"));
                            }
                            s.questions.push((qid, name, v.clone(), kind));
                        }
                        Err(why) => lost.push(format!("skill `{key}`: questions.defaults.{name}: {why}; not converted (add the question by hand)")),
                    }
                }
            }
        }
        if let Some(m) = item.as_mapping() {
            for k in m.keys() {
                let k = k.as_str().unwrap_or_default();
                if !matches!(
                    k,
                    "id" | "name"
                        | "title"
                        | "description"
                        | "summary"
                        | "category"
                        | "priority"
                        | "keywords"
                        | "dependencies"
                        | "questions"
                        | "invocation"
                ) {
                    lost.push(format!(
                        "skill `{key}`: `{k}`: no place for it in a pack; ignored"
                    ));
                }
            }
        }
        if !s.category.is_empty()
            && !category_titles.contains_key(&s.category)
            && !categories.is_empty()
        {
            lost.push(format!("skill `{key}`: category `{}` is not among the registry's categories; kept as written", s.category));
        }
        skills.push(s);
    }
    // Dependencies by converted id; unknown ones reported.
    for s in &mut skills {
        for list in [&mut s.hard, &mut s.soft] {
            let before = std::mem::take(list);
            for d in before {
                match id_map.get(&d) {
                    Some(id) if *id != s.id => list.push(id.clone()),
                    Some(_) => lost.push(format!("skill `{}`: depends on itself; dropped", s.id)),
                    None => lost.push(format!(
                        "skill `{}`: dependency `{d}` is not a skill of the registry; dropped",
                        s.id
                    )),
                }
            }
        }
    }
    let handoff = unique(HANDOFF.to_string(), &id_map.values().cloned().collect());

    // Blueprints.
    let mut blueprint_files = BTreeMap::new();
    let mut triggers: BTreeMap<String, u32> = BTreeMap::new();
    let mut examples = Vec::new();
    let mut blueprint_ids = BTreeSet::new();
    for (key, item) in named_items(doc.get("blueprints")) {
        let id = unique(kebab(&key), &blueprint_ids);
        blueprint_ids.insert(id.clone());
        let trig = weighted(item.get("triggers"));
        if trig.is_empty() {
            lost.push(format!(
                "blueprint `{key}`: no triggers, so it could never be offered; not converted"
            ));
            continue;
        }
        let mut chain = Vec::new();
        for s in strings(item.get("skill_chain").unwrap_or(&Value::Null)) {
            match id_map.get(&s) {
                Some(id) => chain.push(id.clone()),
                None => lost.push(format!("blueprint `{key}`: skill_chain names `{s}`, not a skill of the registry; dropped from the chain")),
            }
        }
        chain.push(handoff.clone());
        if let Some(m) = item.as_mapping() {
            for k in m.keys() {
                let k = k.as_str().unwrap_or_default();
                if !matches!(
                    k,
                    "id" | "name" | "title" | "description" | "triggers" | "skill_chain"
                ) {
                    lost.push(format!(
                        "blueprint `{key}`: `{k}`: no place for it in a pack; ignored"
                    ));
                }
            }
        }
        let top = trig.values().copied().max().unwrap_or(1);
        for (t, w) in &trig {
            let slot = triggers.entry(t.clone()).or_insert(0);
            *slot = (*slot).max(*w);
        }
        if let Some(first) = trig.keys().next() {
            examples.push(first.clone());
        }
        let mut b = Mapping::new();
        b.insert("id".into(), id.clone().into());
        b.insert(
            "title".into(),
            text_of(&item, &["title", "name"])
                .unwrap_or_else(|| titled(&key))
                .into(),
        );
        if let Some(d) = text_of(&item, &["description"]) {
            b.insert("description".into(), d.into());
        }
        b.insert("triggers".into(), to_value(&trig));
        // Upstream offers a blueprint when one of its triggers matches.
        b.insert("full_confidence".into(), Value::from(top));
        b.insert("skills".into(), to_value(&chain));
        let mut deliverable = Mapping::new();
        deliverable.insert("id".into(), "handoff-plan".into());
        deliverable.insert("name".into(), "Hand-off plan".into());
        deliverable.insert(
            "description".into(),
            "each skill's invocation with the configured answers".into(),
        );
        deliverable.insert("skill".into(), handoff.clone().into());
        deliverable.insert("files".into(), to_value(&["plan.md"]));
        b.insert(
            "deliverables".into(),
            Value::Sequence(vec![Value::Mapping(deliverable)]),
        );
        blueprint_files.insert(format!("blueprints/{id}.yaml"), yaml(&Value::Mapping(b))?);
    }
    if examples.is_empty() {
        if let Some(k) = skills.iter().find_map(|s| s.primary.first()) {
            examples.push(k.clone());
        }
    }

    // Files.
    let title = text_of(&doc, &["title", "name"]).unwrap_or_else(|| titled(pack_id));
    let mut manifest = Mapping::new();
    manifest.insert("id".into(), pack_id.into());
    manifest.insert("title".into(), title.into());
    manifest.insert(
        "description".into(),
        text_of(&doc, &["description"])
            .unwrap_or_else(|| format!("Imported from the upstream skillchain registry {origin}."))
            .into(),
    );
    manifest.insert(
        "version".into(),
        text_of(&doc, &["version"])
            .unwrap_or_else(|| format!("registry-{version}"))
            .into(),
    );
    manifest.insert("output_root".into(), pack_id.into());
    if !triggers.is_empty() {
        manifest.insert("triggers".into(), to_value(&triggers));
    }
    if !examples.is_empty() {
        manifest.insert("examples".into(), to_value(&examples));
    }
    report
        .files
        .insert("pack.yaml".into(), yaml(&Value::Mapping(manifest))?);
    for s in &skills {
        report.files.insert(
            format!("skills/{}.yaml", s.id),
            skill_yaml(s, &category_titles)?,
        );
        report.questions += s.questions.len();
    }
    report.skills = skills.len();
    report.blueprints = blueprint_files.len();
    report.files.extend(blueprint_files);
    report
        .files
        .insert(format!("skills/{handoff}.yaml"), handoff_yaml(&handoff)?);
    report.files.insert(
        "templates/plan.md.j2".into(),
        plan_template(&skills, origin),
    );
    report.not_converted = lost;
    report
        .files
        .insert("IMPORT.md".into(), import_notes(&report, origin));
    Ok(report)
}

/// Writes the converted pack into `dir` (which must not exist yet).
pub fn write_pack(report: &ImportReport, dir: &Path) -> Result<(), String> {
    if dir.exists() {
        return Err(format!(
            "{}: already exists; choose another folder with --out, or remove it",
            dir.display()
        ));
    }
    for (rel, text) in &report.files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn skill_yaml(s: &SkillIn, categories: &BTreeMap<String, String>) -> Result<String, String> {
    let mut m = Mapping::new();
    m.insert("id".into(), s.id.clone().into());
    m.insert("title".into(), s.title.clone().into());
    let mut summary = s.summary.trim().to_string();
    if !s.category.is_empty() {
        let cat = categories
            .get(&s.category)
            .cloned()
            .unwrap_or_else(|| s.category.clone());
        summary = format!(
            "{summary}{}Category: {cat}.",
            if summary.is_empty() { "" } else { " " }
        );
    }
    if !summary.is_empty() {
        m.insert("summary".into(), summary.into());
    }
    m.insert("tier".into(), "component".into());
    m.insert("priority".into(), Value::from(s.priority));
    let mut kw = Mapping::new();
    for (k, list) in [
        ("primary", &s.primary),
        ("secondary", &s.secondary),
        ("exclusions", &s.exclusions),
    ] {
        if !list.is_empty() {
            kw.insert(k.into(), to_value(list));
        }
    }
    if !kw.is_empty() {
        m.insert("keywords".into(), Value::Mapping(kw));
    }
    let mut deps = Mapping::new();
    if !s.hard.is_empty() {
        deps.insert("hard".into(), to_value(&s.hard));
    }
    if !s.soft.is_empty() {
        deps.insert("soft".into(), to_value(&s.soft));
    }
    if !deps.is_empty() {
        m.insert("dependencies".into(), Value::Mapping(deps));
    }
    let mut qs = Vec::new();
    for (qid, name, value, kind) in &s.questions {
        let mut q = Mapping::new();
        q.insert("id".into(), qid.clone().into());
        q.insert("prompt".into(), titled(name).into());
        q.insert(
            "help".into(),
            format!("`{name}` in the upstream registry; passed to the skill as configured.").into(),
        );
        q.insert("kind".into(), (*kind).into());
        match (*kind, value) {
            ("secret", _) => {}
            ("multi-choice", Value::Sequence(items)) => {
                let opts: Vec<Value> = items
                    .iter()
                    .map(|i| {
                        let mut o = Mapping::new();
                        o.insert("value".into(), scalar_text(i).into());
                        Value::Mapping(o)
                    })
                    .collect();
                q.insert("options".into(), Value::Sequence(opts));
                q.insert(
                    "default".into(),
                    Value::Sequence(items.iter().map(|i| scalar_text(i).into()).collect()),
                );
            }
            ("text", Value::Null) => {
                q.insert("default".into(), "".into());
            }
            (_, v) => {
                q.insert("default".into(), v.clone());
            }
        }
        qs.push(Value::Mapping(q));
    }
    if !qs.is_empty() {
        m.insert("questions".into(), Value::Sequence(qs));
    }
    yaml(&Value::Mapping(m))
}

fn handoff_yaml(id: &str) -> Result<String, String> {
    let text = format!(
        "id: {id}\ntitle: Hand-off plan\nsummary: Writes plan.md, each skill's invocation in chain order with the configured answers, for the AI agent that runs the chain.\ntier: assembly\npriority: 99\nrequired: true\noutputs:\n  - template: plan.md.j2\n    path: plan.md\nchecks:\n  - path: plan.md\n    pattern: '(?m)^## 1\\. '\n    description: the plan lists at least one skill\n"
    );
    // Round-trip through YAML so a bad id cannot produce a broken file.
    let v: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    yaml(&v)
}

/// The plan template: for each skill in chain order, its invocation and
/// answers. Invocations are printed with `{% raw %}` so their text is never
/// read as a template.
fn plan_template(skills: &[SkillIn], origin: &str) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "# Hand-off plan: {{{{ goal }}}}\n");
    let _ = writeln!(t, "Converted from the upstream registry `{}`. Run these skills in this order, each with exactly the answers listed.\n", span(origin));
    let _ = writeln!(t, "{{% set n = namespace(i=0) %}}");
    let _ = writeln!(t, "{{% for step in chain %}}");
    for s in skills {
        let key = crate::pack::skill_key(&s.id);
        let _ = writeln!(t, "{{% if step == '{}' %}}", s.id);
        let _ = writeln!(t, "{{% set n.i = n.i + 1 %}}");
        let _ = writeln!(t, "## {{{{ n.i }}}}. {}\n", span(&s.title));
        let _ = writeln!(t, "- Skill: `{}`", s.id);
        let _ = writeln!(t, "- Invocation: `{}`", span(&s.invocation));
        if s.questions.is_empty() {
            let _ = writeln!(t, "- Answers: none\n");
        } else {
            let _ = writeln!(t, "- Answers:");
            for (qid, name, _, kind) in &s.questions {
                let value = match *kind {
                    "secret" => "(a secret: supply it at run time, never in this file)".to_string(),
                    "multi-choice" => format!("{{{{ ({key}.{qid} or []) | join(', ') }}}}"),
                    // As the registry writes it, not as Python would.
                    "bool" => format!("{{% if {key}.{qid} %}}true{{% else %}}false{{% endif %}}"),
                    _ => format!("{{{{ {key}.{qid} }}}}"),
                };
                let _ = writeln!(t, "  - `{}`: {value}", span(name));
            }
            let _ = writeln!(t);
        }
        let _ = writeln!(t, "{{% endif %}}");
    }
    let _ = writeln!(t, "{{% endfor %}}");
    t
}

/// Registry text shown on one line of Markdown (in a heading or between
/// backticks): line breaks and other control characters become spaces and a
/// backtick a quote, so it cannot end its line or its code span early.
fn span(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    raw(&one_line)
}

/// Text placed in a template, kept literal: every `{` is printed by an
/// expression, so no part of it can open a tag, whatever it holds.
fn raw(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '{' {
            out.push_str("{{ '{' }}");
        } else {
            out.push(c);
        }
    }
    out
}

fn import_notes(report: &ImportReport, origin: &str) -> String {
    let mut md = format!(
        "# Imported from {origin}\n\n{} skills, {} blueprints, {} questions.\n\n",
        report.skills, report.blueprints, report.questions
    );
    if report.not_converted.is_empty() {
        md.push_str("Everything converted.\n");
    } else {
        md.push_str("## Not converted, or converted with a change\n\n");
        for l in &report.not_converted {
            let _ = writeln!(md, "- {l}");
        }
    }
    md
}

/// The kind of a question from its default value.
fn infer_kind(name: &str, v: &Value) -> Result<&'static str, String> {
    let lower = name.to_lowercase();
    if [
        "password",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return Ok("secret");
    }
    match v {
        Value::Bool(_) => Ok("bool"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok("integer"),
        Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => Ok("number"),
        Value::Number(_) => Err("not a finite number".to_string()),
        Value::String(s) if s.contains('\n') => Ok("multiline"),
        Value::String(_) | Value::Null => Ok("text"),
        Value::Sequence(items) => {
            if items.is_empty() {
                Err("an empty list gives no options to choose from".to_string())
            } else if items
                .iter()
                .all(|i| matches!(i, Value::String(_) | Value::Number(_) | Value::Bool(_)))
            {
                let texts: BTreeSet<String> = items.iter().map(scalar_text).collect();
                if texts.len() == items.len() {
                    Ok("multi-choice")
                } else {
                    Err("the list repeats a value".to_string())
                }
            } else {
                Err("a list of lists or maps has no question kind".to_string())
            }
        }
        Value::Mapping(_) => Err("a map of settings has no question kind".to_string()),
        Value::Tagged(_) => Err("a tagged value has no question kind".to_string()),
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Items of a map (key → item) or a list of items with `id`/`name`.
fn named_items(v: Option<&Value>) -> Vec<(String, Value)> {
    match v {
        Some(Value::Mapping(m)) => m.iter().map(|(k, v)| (scalar_text(k), v.clone())).collect(),
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|i| text_of(i, &["id", "name"]).map(|k| (k, i.clone())))
            .collect(),
        _ => Vec::new(),
    }
}

fn text_of(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match v.get(*k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items
            .iter()
            .map(scalar_text)
            .filter(|s| !s.trim().is_empty())
            .collect(),
        Value::String(s) if !s.trim().is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Triggers as phrase → weight: a list gets weight 5 each, a map keeps its
/// weights (numbers ≥ 1).
fn weighted(v: Option<&Value>) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    match v {
        Some(Value::Mapping(m)) => {
            for (k, w) in m {
                let w = w.as_u64().unwrap_or(5).clamp(1, 1000) as u32;
                out.insert(scalar_text(k).to_lowercase(), w);
            }
        }
        Some(v) => {
            for t in strings(v) {
                out.insert(t.to_lowercase(), 5);
            }
        }
        None => {}
    }
    out.retain(|k, _| !k.trim().is_empty());
    out
}

fn kebab(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    // Skill ids become names in expressions (`1abc` could not be one).
    if out.is_empty() {
        "skill".to_string()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("s-{out}")
    } else {
        out
    }
}

fn unique(base: String, taken: &BTreeSet<String>) -> String {
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}-{i}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(base)
}

fn unique_snake(name: &str, taken: &BTreeSet<String>) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let mut out = out.trim_matches('_').to_string();
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out = format!("q_{out}");
    }
    if !taken.contains(&out) {
        return out;
    }
    (2..)
        .map(|i| format!("{out}_{i}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(out)
}

fn titled(key: &str) -> String {
    let words: Vec<String> = key
        .split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut s = words.join(" ");
    if let Some(first) = s.get(..1) {
        s = format!("{}{}", first.to_uppercase(), &s[1..]);
    }
    s
}

fn to_value<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    serde_yaml::to_value(v).unwrap_or(Value::Null)
}

fn yaml(v: &Value) -> Result<String, String> {
    serde_yaml::to_string(v).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{parse_pack, PackFiles};

    /// Seeded random registries built from hostile pieces always convert
    /// into a pack that passes lint, with the plan template intact.
    #[test]
    fn random_registries_convert_into_packs_that_lint() {
        let names = [
            "a",
            "Foo Bar",
            "x-y",
            "1abc",
            "ünï",
            "{{x}}",
            "{% y %}",
            "'q'",
            "\"d\"",
            ":",
            "#c",
            "-",
            "_",
            "a.b",
            "{% endraw %}",
            "{#",
            "`tick`",
            "blueprint",
            "line\nbreak",
        ];
        let values = [
            "true",
            "3",
            "-2",
            "2.5",
            "text",
            "\"multi\\nline\"",
            "[a, b]",
            "[a, a]",
            "[]",
            "{k: v}",
            "null",
            "\"{{ evil }}\"",
            "'quoted'",
            "[1, 2.5, true]",
            ".nan",
            "[[x]]",
        ];
        let mut seed: u64 = 0xface_b00c;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        // JSON strings are YAML flow scalars, line breaks included.
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        // SKILLCHAIN_IMPORT_CASES=2000 for a longer sweep.
        let cases = std::env::var("SKILLCHAIN_IMPORT_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(40);
        for case in 0..cases {
            let mut text = "registry_version: '2.0'\nskills:\n".to_string();
            let skills = 1 + next(4);
            let mut keys = Vec::new();
            for i in 0..skills {
                let key = format!("{}{i}", names[next(names.len())]);
                keys.push(key.clone());
                text += &format!("  {}:\n    priority: {}\n", q(&key), next(9));
                text += &format!(
                    "    keywords: {{primary: [{}], exclusions: [{}]}}\n",
                    q(names[next(names.len())]),
                    q(names[next(names.len())])
                );
                text += &format!("    invocation: {}\n", q(names[next(names.len())]));
                if i > 0 {
                    text += &format!("    dependencies: [{}]\n", q(&keys[next(i)]));
                }
                text += "    questions:\n      defaults:\n";
                for j in 0..next(5) {
                    text += &format!(
                        "        {}: {}\n",
                        q(&format!("{}{j}", names[next(names.len())])),
                        values[next(values.len())]
                    );
                }
            }
            text += &format!(
                "blueprints:\n  {}:\n    triggers: [{}]\n    skill_chain: [{}]\n",
                q(names[next(names.len())]),
                q(names[next(names.len())]),
                keys.iter().map(|k| q(k)).collect::<Vec<_>>().join(", ")
            );
            let report = match import_registry(&text, "r.yaml", "imported") {
                Ok(r) => r,
                Err(e) => panic!("case {case}: {e}\n{text}"),
            };
            let pf = PackFiles {
                origin: format!("case{case}"),
                files: report.files.clone(),
                unreadable: Vec::new(),
            };
            if let Err(p) = parse_pack(&pf) {
                panic!("case {case}:\n{text}\n{p}\n{:#?}", report.files);
            }
        }
    }
}
