//! One expression and template language for everything: conditions, smart
//! defaults, conflict rules, output paths and file templates are minijinja.
//!
//! Names visible to expressions and templates (documented in skillchains/README.md):
//! `goal`, `pack`, `maturity`, `chain`, `blueprint` (quick answers), `blueprint_id`,
//! `loaded` (content of path answers with `load:`), and one map per skill of
//! the pack named by its key (`streaming_data.platform`).

use minijinja::value::Value;
use minijinja::{Environment, Expression, State, UndefinedBehavior};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

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
pub fn file_env(pack: &Arc<Pack>, jinja_roots: Vec<String>) -> Environment<'static> {
    // Templates are compiled when a render includes or imports them, not
    // all up front: a plan renders each output once, by its path. The
    // loader shares the pack's templates (copying them all was 180 KB).
    let mut env = base_env();
    let shared = Arc::clone(pack);
    env.set_loader(move |name| Ok(shared.templates.get(name).cloned()));
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
        root.insert(
            "loaded".into(),
            loaded_value(self.answers.keys(), &self.loaded),
        );
        root.insert(
            "blueprint_id".into(),
            Value::from(self.blueprint_id.clone().unwrap_or_default()),
        );
        Value::from(root)
    }
}

/// The base environment shared by every session's conditions: it holds no
/// state of its own, so building one per session only repeated the work.
pub fn shared_env() -> &'static Environment<'static> {
    static ENV: std::sync::OnceLock<Environment<'static>> = std::sync::OnceLock::new();
    ENV.get_or_init(base_env)
}

/// A condition compiled against [`shared_env`], or why it does not parse.
type CompiledCondition = Arc<Result<Expression<'static, 'static>, String>>;

/// Conditions compiled once each, keyed by their source: answer resolution
/// evaluates the same `when`s and smart defaults at every pass over the
/// questions. Clones share what was compiled.
#[derive(Clone, Default)]
pub struct Conditions {
    compiled: Arc<Mutex<HashMap<String, CompiledCondition>>>,
}

impl std::fmt::Debug for Conditions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.compiled.lock().map(|c| c.len()).unwrap_or(0);
        write!(f, "Conditions({n} compiled)")
    }
}

impl Conditions {
    fn compiled(&self, expr: &str) -> CompiledCondition {
        if let Ok(map) = self.compiled.lock() {
            if let Some(c) = map.get(expr) {
                return c.clone();
            }
        }
        let c = Arc::new(
            shared_env()
                .compile_expression_owned(expr.to_string())
                .map_err(|e| format!("cannot parse `{expr}`: {e}")),
        );
        if let Ok(mut map) = self.compiled.lock() {
            map.insert(expr.to_string(), c.clone());
        }
        c
    }

    /// [`eval_bool`] with [`shared_env`], compiling `expr` only the first time.
    pub fn eval_bool(&self, expr: &str, ctx: &Value) -> Result<bool, String> {
        match &*self.compiled(expr) {
            Ok(compiled) => compiled
                .eval(ctx)
                .map(|v| v.is_true())
                .map_err(|e| format!("cannot evaluate `{expr}`: {e}")),
            Err(e) => Err(e.clone()),
        }
    }
}

/// The expression context of a [`Scope`] kept as answers are set one by
/// one: [`Context::value`] is always what [`Scope::to_value`] gives for the
/// scope as it stands, but only the skill whose answer changed is converted
/// again, not every answer for every condition.
pub struct Context {
    /// Skill key → its answers as values, and the map built from them.
    answers: BTreeMap<String, (BTreeMap<String, Value>, Option<Value>)>,
    loaded: BTreeMap<String, BTreeMap<String, Value>>,
    loaded_value: Option<Value>,
    /// `goal`, `pack`, `maturity`, `chain`, `blueprint_id`.
    builtins: Vec<(String, Value)>,
    root: Option<Value>,
}

impl Context {
    pub fn new(scope: &Scope) -> Context {
        let answers = scope
            .answers
            .iter()
            .map(|(key, qs)| {
                let map = qs.iter().map(|(k, v)| (k.clone(), v.to_jinja())).collect();
                (key.clone(), (map, None))
            })
            .collect();
        let mut pack = BTreeMap::new();
        pack.insert("id", Value::from(scope.pack_id.as_str()));
        pack.insert("title", Value::from(scope.pack_title.as_str()));
        pack.insert("version", Value::from(scope.pack_version.as_str()));
        let builtins = vec![
            ("goal".to_string(), Value::from(scope.goal.as_str())),
            ("pack".to_string(), Value::from(pack)),
            (
                "maturity".to_string(),
                Value::from(scope.maturity.unwrap_or_default().as_str()),
            ),
            ("chain".to_string(), Value::from(scope.chain.clone())),
            (
                "blueprint_id".to_string(),
                Value::from(scope.blueprint_id.clone().unwrap_or_default()),
            ),
        ];
        Context {
            answers,
            loaded: scope.loaded.clone(),
            loaded_value: None,
            builtins,
            root: None,
        }
    }

    /// Mirrors [`Scope::set`].
    pub fn set(&mut self, key: &str, question: &str, value: &AnswerValue) {
        let entry = match self.answers.get_mut(key) {
            Some(e) => e,
            None => {
                // A new skill map also gets its (empty) `loaded` map.
                self.loaded_value = None;
                self.answers.entry(key.to_string()).or_default()
            }
        };
        entry.0.insert(question.to_string(), value.to_jinja());
        entry.1 = None;
        self.root = None;
    }

    /// Mirrors an insertion into [`Scope::loaded`].
    pub fn set_loaded(&mut self, key: &str, question: &str, content: Value) {
        self.loaded
            .entry(key.to_string())
            .or_default()
            .insert(question.to_string(), content);
        self.loaded_value = None;
        self.root = None;
    }

    /// The context, built as [`Scope::to_value`] builds it.
    pub fn value(&mut self) -> Value {
        if let Some(v) = &self.root {
            return v.clone();
        }
        let mut root: BTreeMap<String, Value> = BTreeMap::new();
        for (key, (map, built)) in &mut self.answers {
            let v = built.get_or_insert_with(|| Value::from(map.clone()));
            root.insert(key.clone(), v.clone());
        }
        let loaded = self
            .loaded_value
            .get_or_insert_with(|| loaded_value(self.answers.keys(), &self.loaded));
        for (name, v) in &self.builtins {
            root.insert(name.clone(), v.clone());
        }
        root.insert("loaded".into(), loaded.clone());
        let v = Value::from(root);
        self.root = Some(v.clone());
        v
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

/// The `loaded` map of a context: every skill has a (possibly empty) map, so
/// `loaded.<skill>.<q>` is merely undefined, never an error, when nothing
/// was loaded.
fn loaded_value<'a>(
    skills: impl Iterator<Item = &'a String>,
    loaded: &BTreeMap<String, BTreeMap<String, Value>>,
) -> Value {
    let mut map: BTreeMap<String, Value> = skills
        .map(|k| (k.clone(), Value::from(BTreeMap::<String, Value>::new())))
        .collect();
    for (key, qs) in loaded {
        map.insert(key.clone(), Value::from(qs.clone()));
    }
    Value::from(map)
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
