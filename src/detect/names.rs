//! Names the goal mentions: snake_case identifiers, dotted `dataset.table`
//! names and the words after "from", "into", "called" or "named". They become
//! smart defaults with provenance "goal" for questions that ask for a name.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    /// The name as written ("events_daily", "telemetry.main").
    pub text: String,
    /// "source" (after from), "target" (after into / called / named, or the
    /// first new name), or "name".
    pub role: String,
}

fn is_name(w: &str) -> bool {
    let ok_chars = w
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    let first_ok = w.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    ok_chars
        && first_ok
        && w.len() >= 3
        && w.len() <= 128
        && !w.ends_with(['.', '_', '-'])
        && (w.contains('_') || (w.contains('.') && w.split('.').all(|p| p.len() >= 2)))
}

/// A name shaped like a warehouse table: `dataset.table` (two or three
/// dotted parts) or a snake_case name with a version suffix
/// (`clients_daily_v6`). A dbt model's prefix (`dim_orders`) names a
/// model, which the packs read by its shape instead.
pub fn looks_like_table(name: &str) -> bool {
    let parts = name.split('.').count();
    if (2..=3).contains(&parts) {
        return true;
    }
    let versioned = name
        .rsplit_once("_v")
        .is_some_and(|(_, v)| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()));
    versioned
}

/// The names in `goal`, in order of appearance, without repeats.
pub fn names(goal: &str) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    let words: Vec<&str> = goal
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '`' | '\''))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, raw) in words.iter().enumerate() {
        let w = raw.trim_end_matches([':', '.', '!', '?']);
        if !is_name(w) {
            continue;
        }
        // Files ("query.sql", "schema.yaml") are not tables.
        if w.rsplit('.').next().is_some_and(|ext| {
            matches!(
                ext,
                "sql" | "py" | "yaml" | "yml" | "json" | "csv" | "md" | "txt"
            )
        }) {
            continue;
        }
        let before = i
            .checked_sub(1)
            .and_then(|j| words.get(j))
            .map(|b| b.to_lowercase());
        let role = match before.as_deref() {
            Some("from") => "source",
            Some("into" | "called" | "named" | "to") => "target",
            _ => "name",
        };
        if !out.iter().any(|n| n.text == w) {
            out.push(Name {
                text: w.to_string(),
                role: role.to_string(),
            });
        }
    }
    out
}

/// A default for question `q` from the names the goal mentions, if the
/// question asks for a name the goal gives: `table` / `table_name` /
/// `target` / `model_name` take the new name, `sources` / `source` the
/// names after "from", `dataset` the dataset of a dotted new name. A name is
/// completed the way the question's own default is written (a `_v1` suffix,
/// the default's dataset before a bare source table); the caller validates.
pub fn default_for(names: &[Name], q: &crate::pack::Question) -> Option<String> {
    default_and_name(names, q).map(|(value, _)| value)
}

/// [`default_for`] with the name as the goal writes it (`dim_employees`
/// for the entity `employee`), for the answer's provenance.
pub fn default_and_name(names: &[Name], q: &crate::pack::Question) -> Option<(String, String)> {
    let default = q
        .default
        .as_ref()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let targets: Vec<&Name> = names.iter().filter(|n| n.role != "source").collect();
    let sources: Vec<&Name> = names.iter().filter(|n| n.role == "source").collect();
    match q.id.as_str() {
        "table" | "table_name" | "target" | "target_table" | "model_name" => {
            let n = targets.first()?;
            let last = n.text.rsplit('.').next()?.to_string();
            Some((like_default(&last, default.trim()), n.text.clone()))
        }
        // The project of a fully qualified `project.dataset.table` name.
        "project" | "project_id" | "gcp_project" => {
            let n = targets.iter().find(|n| n.text.split('.').count() == 3)?;
            n.text
                .split('.')
                .next()
                .map(|p| (p.to_string(), n.text.clone()))
        }
        "dataset" => {
            let n = targets.iter().find(|n| n.text.contains('.'))?;
            let parts: Vec<&str> = n.text.split('.').collect();
            parts
                .get(parts.len().checked_sub(2)?)
                .map(|d| (d.to_string(), n.text.clone()))
        }
        "sources" | "source" | "source_table" | "source_tables" => {
            if sources.is_empty() {
                return None;
            }
            // The dataset the default's first source lives in.
            let first = default.split(',').next().unwrap_or("").trim();
            let dataset = first.rsplit_once('.').map(|(d, _)| d);
            let list: Vec<String> = sources
                .iter()
                .map(|n| match dataset {
                    Some(d) if !n.text.contains('.') => format!("{d}.{}", n.text),
                    _ => n.text.clone(),
                })
                .collect();
            let written: Vec<&str> = sources.iter().map(|n| n.text.as_str()).collect();
            Some((list.join(", "), written.join(", ")))
        }
        // The entity of the dimension the goal names (`dim_employee`).
        "entity" => model_part(&targets, &["dim_"]),
        // The business process of the fact the goal names (`fct_shipments`).
        "process" => model_part(&targets, &["fct_", "fact_"]),
        // The model a failure names (`fct_trips`, `stg_events`).
        "failed_node" => names
            .iter()
            .map(|n| n.text.as_str())
            .find(|t| MODEL_PREFIXES.iter().any(|p| t.starts_with(p)))
            .map(|t| (t.to_string(), t.to_string())),
        _ => None,
    }
}

/// Prefixes of a dbt project's model names.
const MODEL_PREFIXES: [&str; 7] = ["stg_", "int_", "fct_", "fact_", "dim_", "mart_", "agg_"];

/// The singular rest of the first name with one of `prefixes`
/// (`dim_customers` → `customer`).
fn model_part(names: &[&Name], prefixes: &[&str]) -> Option<(String, String)> {
    let (rest, n) = names.iter().find_map(|n| {
        prefixes
            .iter()
            .find_map(|p| n.text.strip_prefix(p).map(|r| (r, n)))
    })?;
    if rest.contains('.') || rest.is_empty() {
        return None;
    }
    Some((singular(rest), n.text.clone()))
}

/// "shipments" → "shipment", "categories" → "category"; words that end in
/// "ss", "us" or "is" ("status", "analysis") stay as they are.
fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() >= 2) {
        return format!("{stem}y");
    }
    let keeps = ["ss", "us", "is"].iter().any(|e| word.ends_with(e));
    match word.strip_suffix('s') {
        Some(stem) if !keeps && stem.len() >= 3 => stem.to_string(),
        _ => word.to_string(),
    }
}

/// `name` with the version suffix the default carries (`_v1`), if it has none.
fn like_default(name: &str, default: &str) -> String {
    let versioned = |s: &str| {
        s.rsplit_once("_v")
            .is_some_and(|(_, v)| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
    };
    if versioned(default) && !versioned(name) {
        format!("{name}_v1")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, default: &str) -> crate::pack::Question {
        serde_yaml::from_str(&format!(
            "id: {id}\nprompt: p\nkind: text\ndefault: \"{default}\"\n"
        ))
        .expect("question")
    }

    #[test]
    fn a_named_model_gives_its_entity_process_and_failed_node() {
        let cases = [
            ("customer", "customers"),
            ("employee", "employee"),
            ("category", "categories"),
            ("status", "status"),
            ("sales_territory", "sales_territories"),
        ];
        for (want, written) in cases {
            for goal in [
                format!("new dim_{written} with scd2"),
                format!("build dim_{written} from stg_{written}"),
            ] {
                let n = names(&goal);
                assert_eq!(
                    default_for(&n, &q("entity", "driver")).as_deref(),
                    Some(want),
                    "{goal}"
                );
                assert_eq!(default_for(&n, &q("process", "trip")), None, "{goal}");
            }
            for prefix in ["fct_", "fact_"] {
                let goal = format!("add {prefix}{written} at line grain");
                let n = names(&goal);
                assert_eq!(
                    default_for(&n, &q("process", "trip")).as_deref(),
                    Some(want),
                    "{goal}"
                );
                assert_eq!(default_for(&n, &q("entity", "driver")), None, "{goal}");
            }
        }
        let n = names("dbt build failed on fct_trips after the stg_events change");
        assert_eq!(
            default_for(&n, &q("failed_node", "")).as_deref(),
            Some("fct_trips")
        );
        // A source is no dimension the goal makes.
        let n = names("copy rows from dim_legacy into analytics");
        assert_eq!(default_for(&n, &q("entity", "driver")), None);
        assert_eq!(
            default_for(&names("parse_user_agent is slow"), &q("failed_node", "")),
            None
        );
    }

    #[test]
    fn names_become_defaults_shaped_like_the_question_default() {
        let n =
            names("new bigquery table user_retention_daily with 7-day retention from events_daily");
        assert_eq!(
            default_for(&n, &q("table", "user_activity_daily_v1")).as_deref(),
            Some("user_retention_daily_v1")
        );
        assert_eq!(
            default_for(&n, &q("sources", "analytics_stable.events_v1, x.y")).as_deref(),
            Some("analytics_stable.events_daily")
        );
        assert_eq!(default_for(&n, &q("dataset", "analytics_derived")), None);
        assert_eq!(default_for(&n, &q("grain", "day")), None);
        assert_eq!(default_for(&n, &q("project", "acme-data-prod")), None);
        let n = names("build moz.telemetry_derived.search_v2 from telemetry.main_v5");
        assert_eq!(
            default_for(&n, &q("dataset", "analytics_derived")).as_deref(),
            Some("telemetry_derived")
        );
        assert_eq!(
            default_for(&n, &q("project", "acme-data-prod")).as_deref(),
            Some("moz")
        );
        // A two-part name says no project; a source's project is not the
        // table's.
        for goal in [
            "tests for telemetry_derived.search_v2",
            "new table from moz-fx-data-shared-prod.telemetry.main_v5",
        ] {
            assert_eq!(
                default_for(&names(goal), &q("project", "p")),
                None,
                "{goal}"
            );
        }
        assert_eq!(
            default_for(&n, &q("sources", "a.b")).as_deref(),
            Some("telemetry.main_v5")
        );
        let n = names("fixtures for the existing query in moz-fx-data-shared-prod.telemetry_derived.clients_daily_v6");
        assert_eq!(
            default_for(&n, &q("project", "acme-data-prod")).as_deref(),
            Some("moz-fx-data-shared-prod")
        );
    }

    #[test]
    fn names_with_roles() {
        let n = names("new bigquery table user_retention_daily (7-day) from events_daily into moz.telemetry_derived.x; query.sql");
        let got: Vec<(&str, &str)> = n
            .iter()
            .map(|n| (n.text.as_str(), n.role.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("user_retention_daily", "name"),
                ("events_daily", "source"),
                ("moz.telemetry_derived.x", "target")
            ]
        );
        assert!(names("fix the css, e.g. this").is_empty());
    }
}
