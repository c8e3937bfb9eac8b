//! One expression and template language for everything: conditions, smart
//! defaults, conflict rules, output paths and file templates are minijinja.
//!
//! Names visible to expressions and templates (documented in skillchains/README.md):
//! `goal`, `pack`, `maturity`, `chain`, `blueprint` (quick answers), `blueprint_id`,
//! `loaded` (content of path answers with `load:`), and one map per skill of
//! the pack named by its key (`streaming_data.platform`).

use minijinja::value::Value;
use minijinja::{Environment, State, UndefinedBehavior};
use std::collections::BTreeMap;

pub mod escape;

use crate::pack::{skill_key, Maturity, Pack};
use crate::text;
use crate::value::AnswerValue;

/// Top-level names every context has besides the skill maps.
pub const BUILTIN_NAMES: &[&str] = &[
    "goal",
    "pack",
    "maturity",
    "chain",
    "blueprint",
    "blueprint_id",
    "loaded",
];

/// Functions registered on every environment (filters: `snake`, `kebab`, `plural`).
pub const FUNCTION_NAMES: &[&str] = &["has_skill", "goal_has"];

/// The base environment: lenient undefined (an unanswered question is falsy),
/// the product's helper functions and filters, no HTML escaping.
pub fn base_env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    // Generated files are SQL, YAML, Python: never HTML- or JSON-escape them.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_fuel(Some(crate::generate::budget::FUEL));
    env.add_function("has_skill", has_skill);
    env.add_function("goal_has", goal_has);
    env.add_filter("snake", snake);
    env.add_filter("kebab", kebab);
    env.add_filter("plural", plural);
    escape::add_filters(&mut env);
    env
}

/// English plural of a name's last word (`category` → `categories`,
/// `order_item` → `order_items`), by the `pluralizer` rules; undefined or
/// empty stays empty so a condition over an unanswered question still works.
fn plural(value: Value) -> String {
    let text = value.as_str().map(str::to_string).unwrap_or_default();
    if text.is_empty() {
        return text;
    }
    // pluralizer inflects the whole string; inflect only the last word of a
    // snake_case name so `order_item` keeps its first part.
    match text.rsplit_once('_') {
        Some((head, last)) if !last.is_empty() => {
            format!("{head}_{}", pluralizer::pluralize(last, 2, false))
        }
        _ => pluralizer::pluralize(&text, 2, false),
    }
}

/// An environment holding every template of a pack, without escaping.
pub fn pack_env(pack: &Pack) -> Result<Environment<'static>, (String, minijinja::Error)> {
    let mut env = base_env();
    for (name, src) in &pack.templates {
        env.add_template_owned(name.clone(), src.clone())
            .map_err(|e| (name.clone(), e))?;
    }
    Ok(env)
}

/// The environment that renders generated files: every printed value is
/// escaped for the file it lands in ([`escape`]). A template is rendered
/// under the name of its output path, so the path's type picks the escaping;
/// a template it includes is escaped by its own name. Files under
/// `jinja_roots` (dbt projects) are Jinja templates themselves.
pub fn file_env(pack: &Pack, jinja_roots: Vec<String>) -> Environment<'static> {
    // Templates are compiled when a render includes or imports them, not
    // all up front: a plan renders each output once, by its path.
    let mut env = base_env();
    let templates = std::sync::Arc::new(pack.templates.clone());
    env.set_loader(move |name| Ok(templates.get(name).cloned()));
    let declared = jinja_globs(&pack.manifest.jinja_files);
    env.set_auto_escape_callback(move |name| {
        // An included template is escaped by its own name: it counts as
        // a Jinja file when its name without `.j2` matches too.
        let bare = name.strip_suffix(".j2").unwrap_or(name);
        let jinja = declared.is_match(name)
            || declared.is_match(bare)
            || jinja_roots
                .iter()
                .any(|root| escape::in_dbt_project(root, name));
        escape::Place::for_path(name, jinja).auto_escape()
    });
    env.set_formatter(escape::format_value);
    env
}

/// The pack's `jinja_files` globs; one that does not parse matches nothing
/// here (lint reports it).
fn jinja_globs(globs: &[String]) -> globset::GlobSet {
    let mut set = globset::GlobSetBuilder::new();
    for g in globs {
        if let Ok(glob) = globset::GlobBuilder::new(g).literal_separator(true).build() {
            set.add(glob);
        }
    }
    set.build().unwrap_or_else(|_| globset::GlobSet::empty())
}

/// The environment that renders output paths: a printed value must be one
/// file-name segment ([`escape::path_value`]).
pub fn path_env() -> Environment<'static> {
    let mut env = base_env();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Custom("sc:path"));
    env.set_formatter(escape::path_value);
    env
}

fn has_skill(state: &State, id: &str) -> bool {
    state
        .lookup("chain")
        .and_then(|c| {
            c.try_iter()
                .ok()
                .map(|mut it| it.any(|v| v.as_str() == Some(id)))
        })
        .unwrap_or(false)
}

fn goal_has(state: &State, phrase: &str) -> bool {
    let goal = state
        .lookup("goal")
        .and_then(|g| g.as_str().map(str::to_string))
        .unwrap_or_default();
    text::Phrase::new(phrase).is_in(&text::normalise(&goal))
}

fn snake(value: &str) -> String {
    separated(value, '_')
}

fn kebab(value: &str) -> String {
    separated(value, '-')
}

fn separated(value: &str, sep: char) -> String {
    let mut out = String::new();
    for c in value.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with(sep) {
            out.push(sep);
        }
    }
    while out.ends_with(sep) {
        out.pop();
    }
    out
}

/// Everything an expression or template can see.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub goal: String,
    pub pack_id: String,
    pub pack_title: String,
    pub pack_version: String,
    pub maturity: Option<Maturity>,
    pub chain: Vec<String>,
    pub blueprint_id: Option<String>,
    /// Skill key (or `blueprint`) → question id → value.
    pub answers: BTreeMap<String, BTreeMap<String, AnswerValue>>,
    /// Skill key → question id → parsed content of a `load:` path answer.
    pub loaded: BTreeMap<String, BTreeMap<String, Value>>,
}

impl Scope {
    pub fn for_pack(pack: &Pack, goal: &str) -> Scope {
        let mut answers = BTreeMap::new();
        for s in &pack.skills {
            answers.insert(skill_key(&s.id), BTreeMap::new());
        }
        answers.insert("blueprint".to_string(), BTreeMap::new());
        Scope {
            goal: goal.to_string(),
            pack_id: pack.manifest.id.clone(),
            pack_title: pack.manifest.title.clone(),
            pack_version: pack.manifest.version.clone(),
            maturity: None,
            chain: Vec::new(),
            blueprint_id: None,
            answers,
            loaded: BTreeMap::new(),
        }
    }

    pub fn set(&mut self, key: &str, question: &str, value: AnswerValue) {
        self.answers
            .entry(key.to_string())
            .or_default()
            .insert(question.to_string(), value);
    }

    pub fn to_value(&self) -> Value {
        let mut root: BTreeMap<String, Value> = BTreeMap::new();
        for (key, qs) in &self.answers {
            let map: BTreeMap<String, Value> =
                qs.iter().map(|(k, v)| (k.clone(), v.to_jinja())).collect();
            root.insert(key.clone(), Value::from(map));
        }
        root.insert("goal".into(), Value::from(self.goal.as_str()));
        let mut pack = BTreeMap::new();
        pack.insert("id", Value::from(self.pack_id.as_str()));
        pack.insert("title", Value::from(self.pack_title.as_str()));
        pack.insert("version", Value::from(self.pack_version.as_str()));
        root.insert("pack".into(), Value::from(pack));
        root.insert(
            "maturity".into(),
            Value::from(self.maturity.unwrap_or_default().as_str()),
        );
        root.insert("chain".into(), Value::from(self.chain.clone()));
        // Every skill has a (possibly empty) map, so `loaded.<skill>.<q>` is
        // merely undefined, never an error, when nothing was loaded.
        let mut loaded: BTreeMap<String, Value> = self
            .answers
            .keys()
            .map(|k| (k.clone(), Value::from(BTreeMap::<String, Value>::new())))
            .collect();
        for (key, qs) in &self.loaded {
            loaded.insert(key.clone(), Value::from(qs.clone()));
        }
        root.insert("loaded".into(), Value::from(loaded));
        root.insert(
            "blueprint_id".into(),
            Value::from(self.blueprint_id.clone().unwrap_or_default()),
        );
        Value::from(root)
    }
}

/// Evaluates a condition; an expression that fails to evaluate is an error
/// naming the expression (lint catches most of these before a run).
pub fn eval_bool(env: &Environment<'_>, expr: &str, ctx: &Value) -> Result<bool, String> {
    let compiled = env
        .compile_expression(expr)
        .map_err(|e| format!("cannot parse `{expr}`: {e}"))?;
    compiled
        .eval(ctx)
        .map(|v| v.is_true())
        .map_err(|e| format!("cannot evaluate `{expr}`: {e}"))
}

pub fn render_str(env: &Environment<'_>, source: &str, ctx: &Value) -> Result<String, String> {
    env.render_str(source, ctx).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_templates_print_values_unescaped() {
        let mut env = base_env();
        for name in [
            "profiles.yml.j2",
            "dashboard.json.j2",
            "page.html.j2",
            "topics.yaml",
        ] {
            env.add_template_owned(name.to_string(), "name: {{ v }}".to_string())
                .expect("template parses");
        }
        let ctx = minijinja::context! { v => "a<b" };
        for name in [
            "profiles.yml.j2",
            "dashboard.json.j2",
            "page.html.j2",
            "topics.yaml",
        ] {
            let out = env
                .get_template(name)
                .and_then(|t| t.render(&ctx))
                .expect("renders");
            assert_eq!(out, "name: a<b", "{name}");
        }
    }

    #[test]
    fn filters_make_identifiers() {
        assert_eq!(snake("Orders Pipeline-v2!"), "orders_pipeline_v2");
        assert_eq!(kebab("Orders Pipeline_v2"), "orders-pipeline-v2");
    }

    #[test]
    fn functions_see_chain_and_goal() {
        let env = base_env();
        let mut scope = Scope {
            goal: "Kafka streams into Snowflake".into(),
            chain: vec!["streaming-data".into()],
            ..Scope::default()
        };
        scope.set(
            "streaming_data",
            "platform",
            AnswerValue::Text("kafka".into()),
        );
        let ctx = scope.to_value();
        assert_eq!(
            eval_bool(&env, "has_skill('streaming-data')", &ctx),
            Ok(true)
        );
        assert_eq!(
            eval_bool(&env, "has_skill('optimizing-sql')", &ctx),
            Ok(false)
        );
        assert_eq!(eval_bool(&env, "goal_has('kafka stream')", &ctx), Ok(true));
        assert_eq!(
            eval_bool(&env, "streaming_data.platform == 'kafka'", &ctx),
            Ok(true)
        );
        assert_eq!(
            eval_bool(&env, "streaming_data.missing == 'x'", &ctx),
            Ok(false)
        );
    }
}
