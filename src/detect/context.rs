//! Words that place a goal in software work other than data engineering
//! (web and mobile front ends, infrastructure, machine-learning research,
//! office tasks). Such a goal often shares a word or two with the packs
//! ("optimize", "snapshot", "cron", "deployment", "kafka"); it matches a
//! pack only on much more evidence than a goal without them. Words data
//! work uses as often (`email` and `login` columns, `excel` files to load)
//! are not in the list.

/// Least weight of matched words (before sharing) when the goal names
/// another kind of software work: more than three primary keywords' worth.
pub const MIN_EVIDENCE_ELSEWHERE: f64 = 30.0;

/// Each further distinct word of other software work raises the minimum by
/// this much (a primary keyword): "GitHub Actions ... react app" needs more
/// than "... for the react app".
pub const MIN_EVIDENCE_PER_MORE_ELSEWHERE: f64 = 10.0;

/// The words of a goal that name software work other than data
/// engineering, read once per detection.
pub struct OtherWork {
    /// The word to name in a refusal (as typed), if any.
    pub first: Option<String>,
    /// How many distinct words name other work.
    pub count: usize,
}

/// The goal's words of other software work. Names (`fct_helm_releases`) do
/// not count, nor words the goal negates (`dbt models, no react front end`
/// is not front-end work): `scoped[i]` marks those.
pub fn other_work(tokens: &[super::normalise::Token], scoped: &[bool]) -> OtherWork {
    let apps = app_work(tokens, scoped);
    let tooling = tooling_work(tokens);
    let listed_word = |t: &super::normalise::Token| is_elsewhere(&t.typed) || is_elsewhere(&t.word);
    let found: Vec<&super::normalise::Token> = tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| !t.in_name && !scoped.get(*i).copied().unwrap_or(false))
        .map(|(_, t)| t)
        .filter(|t| listed_word(t) || (apps && is_app_object(t)) || (tooling && is_team_tooling(t)))
        .collect();
    let sales = sales_work(tokens, scoped);
    let mut seen: Vec<&str> = Vec::new();
    if let Some(t) = sales.as_ref().and_then(|(i, _)| tokens.get(*i)) {
        seen.push(&t.word);
    }
    for t in &found {
        if !seen.contains(&t.word.as_str()) {
            seen.push(&t.word);
        }
    }
    let first = found
        .iter()
        // A word of other work itself ("nginx") names it better than the
        // app, service or CI it is part of.
        .min_by_key(|t| !listed_word(t))
        .map(|t| t.typed.clone())
        .or_else(|| sales.map(|(_, text)| text));
    OtherWork {
        first,
        count: seen.len(),
    }
}

/// A method of application code the goal names ("PaymentService.refund()"):
/// a class in CamelCase, a dot, a method, an opening parenthesis. dbt's
/// macros (`ref()`, `is_incremental()`) have no class and do not count.
pub fn code_symbol(goal: &str) -> Option<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    goal.split(|c: char| !(is_ident(c) || c == '.' || c == '('))
        .find_map(|word| {
            let called = word.split_once('(');
            let call = called.map_or(word, |(c, _)| c);
            let (class, method) = call.rsplit_once('.')?;
            let class = class.rsplit('.').next().unwrap_or(class);
            let camel = class.starts_with(|c: char| c.is_ascii_uppercase())
                && class.chars().skip(1).any(|c| c.is_ascii_uppercase())
                && class.chars().any(|c| c.is_ascii_lowercase());
            // Without the parenthesis, a method in camelCase
            // ("UserService.updateEmail"): no table is named that way.
            let method_like = called.is_some()
                || (method.starts_with(|c: char| c.is_ascii_lowercase())
                    && method.chars().any(|c| c.is_ascii_uppercase()));
            (camel && method_like && !method.is_empty() && method.chars().all(is_ident))
                .then(|| format!("{class}.{method}()"))
        })
}

/// Sales work on a CRM: a pipeline of deals ("my Q4 sales pipeline", "the
/// deal pipeline") together with its leads, prospects or outreach: the
/// position of "pipeline" and the two words as typed. A "sales pipeline" alone may be a data pipeline
/// of sales data, and "HubSpot leads" alone a source to load.
fn sales_work(tokens: &[super::normalise::Token], scoped: &[bool]) -> Option<(usize, String)> {
    let free = |i: usize| {
        tokens
            .get(i)
            .is_some_and(|t| !t.in_name && !scoped.get(i).copied().unwrap_or(false))
    };
    let pipeline = tokens.windows(2).enumerate().find(|(i, w)| {
        free(*i)
            && matches!(w[0].word.as_str(), "sale" | "sales" | "deal" | "deals")
            && matches!(w[1].word.as_str(), "pipeline" | "funnel")
    })?;
    let crm = tokens.iter().enumerate().any(|(i, t)| {
        free(i)
            && matches!(
                t.word.as_str(),
                "lead"
                    | "leads"
                    | "prospect"
                    | "prospects"
                    | "prospecting"
                    | "outreach"
                    | "quota"
                    | "rep"
                    | "reps"
                    | "deal"
                    | "deals"
            )
    });
    let (i, w) = pipeline;
    crm.then(|| (i + 1, format!("{} {}", w[0].typed, w[1].typed)))
}

/// A keyword every kind of software work uses, all of whose words name
/// repairing, testing or changing code ("fix", "build failed", "unit
/// test", "retry"): in a goal of other work it says nothing of data work.
pub fn is_generic_software(keyword: &str) -> bool {
    keyword
        .split(' ')
        .all(|w| words().generic_software.contains(w))
}

/// Words of delivering software that every kind of software work uses
/// ("deploy to staging", "ship the release"): a pack resting on one of them
/// alone, with no data tool named, reads no data work.
pub fn is_delivery_word(keyword: &str) -> bool {
    matches!(
        keyword.to_ascii_lowercase().as_str(),
        "deployment" | "deploy" | "release" | "rollout" | "ship" | "staging" | "production"
    )
}

/// The first data tool the goal names (as typed), if any: infrastructure
/// work around a data tool ("helm chart for airflow on k8s", "terraform
/// for the snowflake warehouse") is data work a pack fits, so a word of
/// other software work does not raise the minimum then.
/// A tool written as a kind of thing ("kafka-style event bus", "airflow
/// like scheduler") is not named.
pub fn data_tool(tokens: &[super::normalise::Token]) -> Option<String> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.in_name && is_data_tool(&t.word))
        .find(|(i, _)| {
            !tokens
                .get(i + 1)
                .is_some_and(|n| matches!(n.word.as_str(), "style" | "like" | "esque" | "ish"))
        })
        .map(|(_, t)| t.typed.clone())
}

pub(super) fn is_data_tool(w: &str) -> bool {
    matches!(
        w,
        // orchestrators
        "airflow" | "dagster" | "prefect" | "mage" | "composer" | "luigi"
            // transformation and loading
            | "dbt" | "dlt" | "fivetran" | "airbyte" | "debezium" | "meltano" | "spark"
            | "flink" | "beam" | "dataflow"
            // streaming
            | "kafka" | "kinesis" | "pubsub" | "redpanda" | "pulsar"
            // warehouses, lakes and engines
            | "snowflake" | "bigquery" | "redshift" | "databricks" | "duckdb" | "trino"
            | "presto" | "clickhouse" | "iceberg" | "hudi"
            // data quality and monitoring
            | "bigeye" | "soda" | "monte"
    )
}

/// `other_work.yaml`: words of other software work by family, and the
/// things only data work makes.
#[derive(serde::Deserialize, Default)]
struct Vocabulary {
    other_work: std::collections::BTreeMap<String, Vec<String>>,
    data_objects: Vec<String>,
    app_objects: Vec<String>,
    #[serde(default)]
    team_tooling: Vec<String>,
    source_words: Vec<String>,
    #[serde(default)]
    generic_software: Vec<String>,
}

/// The word sets of `other_work.yaml`, read once.
struct Words {
    other_work: std::collections::HashSet<String>,
    data_objects: std::collections::HashSet<String>,
    app_objects: std::collections::HashSet<String>,
    team_tooling: std::collections::HashSet<String>,
    source_words: std::collections::HashSet<String>,
    generic_software: std::collections::HashSet<String>,
}

fn words() -> &'static Words {
    static WORDS: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        // Compiled in and checked by a test; a broken file reads as empty
        // rather than stopping detection.
        // The build embeds the file as MessagePack (build.rs); the YAML is
        // read only when that blob is missing.
        let blob: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/other_work.msgpack"));
        let v: Vocabulary = rmp_serde::from_slice(blob).unwrap_or_else(|_| {
            serde_yaml::from_str(include_str!("other_work.yaml")).unwrap_or_default()
        });
        let lower = |w: String| w.to_ascii_lowercase();
        Words {
            other_work: v.other_work.into_values().flatten().map(lower).collect(),
            data_objects: v.data_objects.into_iter().map(lower).collect(),
            app_objects: v.app_objects.into_iter().map(lower).collect(),
            team_tooling: v.team_tooling.into_iter().map(lower).collect(),
            source_words: v.source_words.into_iter().map(lower).collect(),
            generic_software: v.generic_software.into_iter().map(lower).collect(),
        }
    })
}

/// The word or its singular is in `set`.
fn listed(set: &std::collections::HashSet<String>, w: &str) -> bool {
    let singular = w.strip_suffix('s').filter(|s| s.len() > 3);
    set.contains(w) || singular.is_some_and(|s| set.contains(s))
}

/// The goal names a thing only data work makes or runs (a table, a topic,
/// a DAG), outside names and negations.
pub fn data_object(tokens: &[super::normalise::Token], scoped: &[bool]) -> bool {
    tokens.iter().enumerate().any(|(i, t)| {
        !t.in_name
            && !scoped.get(i).copied().unwrap_or(false)
            && (listed(&words().data_objects, &t.typed) || listed(&words().data_objects, &t.word))
    })
}

fn is_app_object(t: &super::normalise::Token) -> bool {
    listed(&words().app_objects, &t.typed) || listed(&words().app_objects, &t.word)
}

/// An API or an app counts as other work only where the goal names no
/// thing of data work, no data tool, no table-like name and no word that
/// makes the API a source.
fn app_work(tokens: &[super::normalise::Token], scoped: &[bool]) -> bool {
    !data_object(tokens, scoped)
        && data_tool(tokens).is_none()
        && !tokens.iter().enumerate().any(|(i, t)| {
            // A table-like name, not a version or a figure ("v2.3", "1.2s").
            (t.in_name && t.typed.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2)
                || listed(&words().source_words, &t.typed)
                || listed(&words().source_words, &t.word)
                // "the salesforce api pull", not a pull request.
                || (matches!(t.word.as_str(), "pull" | "pulls")
                    && !tokens
                        .get(i + 1)
                        .is_some_and(|n| matches!(n.word.as_str(), "request" | "requests")))
        })
}

/// CI counts as other work only where the goal names no data tool, no
/// dotted name other than a code file (`ads_derived.clicks_v1`,
/// `run_results.json`) and no versioned table (`clients_daily_v6`): an
/// application's names (`user_service`) and things ("the test database")
/// do not make its CI data work.
fn tooling_work(tokens: &[super::normalise::Token]) -> bool {
    let code = code_files(tokens);
    data_tool(tokens).is_none()
        && !tokens.iter().enumerate().any(|(i, t)| {
            (t.dotted && !code[i] && t.typed.chars().any(|c| c.is_ascii_alphabetic()))
                || (t.in_name && !t.name_start && is_version_part(&t.typed))
        })
}

/// A table's version suffix (`v6` of `clients_daily_v6`).
fn is_version_part(w: &str) -> bool {
    w.strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn is_team_tooling(t: &super::normalise::Token) -> bool {
    listed(&words().team_tooling, &t.typed) || listed(&words().team_tooling, &t.word)
}

/// The parts of each name that ends in an extension of application code
/// ("test_checkout.py", "UserService.java"): a file, not a table.
fn code_files(tokens: &[super::normalise::Token]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    let mut start = 0;
    for i in 0..tokens.len() {
        if !tokens[i].in_name || tokens[i].name_start || i == 0 || !tokens[i - 1].in_name {
            start = i;
        }
        let last = tokens.get(i + 1).is_none_or(|n| !n.in_name || n.name_start);
        if tokens[i].in_name && last && i > start && is_code_extension(&tokens[i].typed) {
            out[start..=i].iter_mut().for_each(|c| *c = true);
        }
    }
    out
}

fn is_code_extension(w: &str) -> bool {
    matches!(
        w,
        "py" | "go"
            | "js"
            | "ts"
            | "tsx"
            | "jsx"
            | "java"
            | "rb"
            | "kt"
            | "swift"
            | "cs"
            | "cpp"
            | "php"
            | "rs"
            | "vue"
    )
}

fn is_elsewhere(w: &str) -> bool {
    listed(&words().other_work, w) || is_personal(w)
}

/// Words of tasks about a person or a household rather than a system (a
/// CV, a talk at a meetup, a car): such a goal is never data work, whatever
/// data tools it names ("a CV that highlights Airflow and dbt").
fn is_personal(w: &str) -> bool {
    matches!(
        w,
        "cv" | "linkedin"
            | "meetup"
            | "offsite"
            | "wedding"
            | "recipe"
            | "bakery"
            | "honda"
            | "toyota"
            | "couch"
    )
}

/// Words before "resume" that make it the document ("my resume"), not the
/// verb ("resume the backfill").
fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "my" | "a" | "the" | "your" | "our" | "his" | "her" | "their"
    )
}

/// The first word of the goal (as typed) naming a task about a person or a
/// household, outside names and negations, if any; "cover letter" and
/// "spark plugs" count as such words.
pub fn personal(tokens: &[super::normalise::Token], scoped: &[bool]) -> Option<String> {
    tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| !t.in_name && !scoped.get(*i).copied().unwrap_or(false))
        .find(|(i, t)| {
            is_personal(&t.word)
                || (t.word == "resume"
                    && i.checked_sub(1)
                        .and_then(|p| tokens.get(p))
                        .is_some_and(|p| is_determiner(&p.word)))
                || matches!(
                    (t.word.as_str(), tokens.get(i + 1).map(|n| n.word.as_str())),
                    ("cover", Some("letter" | "letters")) | ("spark", Some("plug" | "plugs"))
                )
        })
        .map(|(_, t)| t.typed.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::normalise::{stemmer, tokenise};

    fn el(goal: &str) -> Option<String> {
        other_work(&tokenise(&stemmer(), goal), &[]).first
    }

    fn count(goal: &str) -> usize {
        other_work(&tokenise(&stemmer(), goal), &[]).count
    }

    #[test]
    fn counts_each_distinct_word_of_other_work_once() {
        assert_eq!(count("daily orders table in bigquery"), 0);
        assert_eq!(count("helm values for redis"), 2);
        assert_eq!(count("helm chart, helm values and helm tests"), 1);
        // The sales pipeline and its leads are one thing of sales work.
        assert_eq!(count("grow my Q4 sales pipeline with more leads"), 1);
        assert_eq!(count("react navbar and css for the login page"), 4);
    }

    #[test]
    fn generic_software_keywords_are_made_only_of_generic_words() {
        assert!(is_generic_software("fix"));
        assert!(is_generic_software("unit test"));
        assert!(is_generic_software("build failed"));
        assert!(!is_generic_software("dbt test"));
        assert!(!is_generic_software("failed partition"));
        assert!(!is_generic_software(""));
    }

    #[test]
    fn the_embedded_other_work_blob_reads_as_the_yaml_does() {
        let blob: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/other_work.msgpack"));
        let from_blob: Vocabulary = rmp_serde::from_slice(blob).expect("the blob decodes");
        let from_yaml: Vocabulary =
            serde_yaml::from_str(include_str!("other_work.yaml")).expect("other_work.yaml reads");
        assert_eq!(from_blob.other_work, from_yaml.other_work);
        assert_eq!(from_blob.data_objects, from_yaml.data_objects);
        assert_eq!(from_blob.app_objects, from_yaml.app_objects);
        assert_eq!(from_blob.team_tooling, from_yaml.team_tooling);
        assert_eq!(from_blob.source_words, from_yaml.source_words);
        assert_eq!(from_blob.generic_software, from_yaml.generic_software);
    }

    #[test]
    fn the_other_work_vocabulary_reads_as_lower_case_words() {
        let file: Vocabulary =
            serde_yaml::from_str(include_str!("other_work.yaml")).expect("other_work.yaml reads");
        assert!(
            file.other_work.len() >= 10,
            "families: {:?}",
            file.other_work.keys()
        );
        assert!(file.data_objects.len() >= 10);
        let lists = [
            ("data objects", &file.data_objects),
            ("app objects", &file.app_objects),
            ("source words", &file.source_words),
            ("team tooling", &file.team_tooling),
            ("generic software", &file.generic_software),
        ];
        for (family, words) in file
            .other_work
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .chain(lists)
        {
            for w in words {
                assert!(
                    !w.is_empty()
                        && w.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                    "{family}: {w:?} is not one lower-case word as goals are read"
                );
                assert!(
                    [
                        is_elsewhere(w),
                        listed(&super::words().data_objects, w),
                        listed(&super::words().app_objects, w),
                        listed(&super::words().source_words, w),
                        listed(&super::words().team_tooling, w),
                        super::words().generic_software.contains(w.as_str())
                    ]
                    .iter()
                    .filter(|&&b| b)
                    .count()
                        == 1,
                    "{family}: {w} is in exactly one list"
                );
            }
        }
    }

    #[test]
    fn names_other_software_work_but_not_inside_a_name() {
        assert_eq!(el("helm values for redis").as_deref(), Some("helm"));
        assert_eq!(el("Jest tests for the table").as_deref(), Some("jest"));
        assert_eq!(el("optimize the images").as_deref(), Some("images"));
        assert_eq!(el("fct_helm_releases daily counts"), None);
        assert_eq!(el("daily orders table in bigquery"), None);
        let toks = tokenise(&stemmer(), "dbt models, no react front end");
        let react = toks.iter().position(|t| t.word == "react").expect("read");
        let mut negated = vec![false; toks.len()];
        negated[react] = true;
        assert_eq!(other_work(&toks, &negated).first, None);
        assert_eq!(other_work(&toks, &[]).first.as_deref(), Some("react"));
        let more = tokenise(
            &stemmer(),
            "GitHub Actions lint for the React app, react again",
        );
        // GitHub, React and the app (no data object named): three words.
        assert_eq!(other_work(&more, &[]).count, 3);
    }

    #[test]
    fn an_api_or_app_is_other_work_only_without_data_around_it() {
        assert_eq!(
            el("reduce the latency of the checkout API").as_deref(),
            Some("api")
        );
        assert_eq!(
            el("release notes for the mobile app").as_deref(),
            Some("app")
        );
        assert_eq!(el("pull the hubspot API into the bronze table"), None);
        assert_eq!(el("upstream api timeouts keep killing the ingest"), None);
        assert_eq!(
            el("call the Glean API before writing mozdata.glean_inventory"),
            None
        );
        assert_eq!(el("retry the partner api in airflow"), None);
        assert_eq!(
            el("release notes for v2.3 of the app").as_deref(),
            Some("app")
        );
    }

    #[test]
    fn a_class_method_call_is_application_code_and_a_dbt_macro_is_not() {
        assert_eq!(
            code_symbol("unit tests for PaymentService.refund() pls").as_deref(),
            Some("PaymentService.refund()")
        );
        assert_eq!(
            code_symbol("mock app.billing.InvoiceClient.send(x) in tests").as_deref(),
            Some("InvoiceClient.send()")
        );
        assert_eq!(
            code_symbol("use {{ ref('stg_orders') }} and is_incremental()"),
            None
        );
        assert_eq!(code_symbol("dataset.table_v1 (daily)"), None);
        assert_eq!(code_symbol("Orders.csv (raw)"), None);
    }

    #[test]
    fn names_a_data_tool_but_not_inside_a_name() {
        let tool = |g: &str| data_tool(&tokenise(&stemmer(), g));
        assert_eq!(
            tool("helm chart for Airflow on k8s").as_deref(),
            Some("airflow")
        );
        assert_eq!(tool("terraform the vpc and subnets"), None);
        assert_eq!(tool("helm values for fct_kafka_lag"), None);
        assert_eq!(tool("kafka-style event bus in Go"), None);
        assert_eq!(
            tool("a kafka-like bus, then kafka").as_deref(),
            Some("kafka")
        );
    }
}
