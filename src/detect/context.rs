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

/// How many distinct words of the goal name other software work (the same
/// reading as [`elsewhere`]).
pub fn elsewhere_count(tokens: &[super::normalise::Token], scoped: &[bool]) -> usize {
    let mut seen: Vec<&str> = Vec::new();
    if let Some((i, _)) = sales_work(tokens, scoped) {
        if let Some(t) = tokens.get(i) {
            seen.push(&t.word);
        }
    }
    for (i, t) in tokens.iter().enumerate() {
        if t.in_name || scoped.get(i).copied().unwrap_or(false) {
            continue;
        }
        if (is_elsewhere(&t.typed) || is_elsewhere(&t.word)) && !seen.contains(&t.word.as_str()) {
            seen.push(&t.word);
        }
    }
    seen.len()
}

/// The first word of the goal (as typed) that names software work other
/// than data engineering, if any. Names (`fct_helm_releases`) do not count,
/// nor words the goal negates (`dbt models, no react front end` is not
/// front-end work): `scoped[i]` marks those.
pub fn elsewhere(tokens: &[super::normalise::Token], scoped: &[bool]) -> Option<String> {
    tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| !t.in_name && !scoped.get(*i).copied().unwrap_or(false))
        .map(|(_, t)| t)
        .find(|t| is_elsewhere(&t.typed) || is_elsewhere(&t.word))
        .map(|t| t.typed.clone())
        .or_else(|| sales_work(tokens, scoped).map(|(_, text)| text))
}

/// A method of application code the goal names ("PaymentService.refund()"):
/// a class in CamelCase, a dot, a method, an opening parenthesis. dbt's
/// macros (`ref()`, `is_incremental()`) have no class and do not count.
pub fn code_symbol(goal: &str) -> Option<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    goal.split(|c: char| !(is_ident(c) || c == '.' || c == '('))
        .find_map(|word| {
            let (call, _) = word.split_once('(')?;
            let (class, method) = call.rsplit_once('.')?;
            let class = class.rsplit('.').next().unwrap_or(class);
            let camel = class.starts_with(|c: char| c.is_ascii_uppercase())
                && class.chars().skip(1).any(|c| c.is_ascii_uppercase())
                && class.chars().any(|c| c.is_ascii_lowercase());
            (camel && !method.is_empty() && method.chars().all(is_ident))
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

fn is_elsewhere(w: &str) -> bool {
    let w = w.strip_suffix('s').filter(|s| s.len() > 3).unwrap_or(w);
    matches!(
        w,
        // web and mobile front ends
        "css" | "html" | "flexbox" | "react" | "vue" | "angular" | "svelte" | "nextjs"
            | "jsx" | "tsx" | "jest" | "cypres" | "frontend" | "button" | "navbar"
            | "website" | "webpage" | "image" | "signup" | "login" | "oauth" | "captcha"
            | "ios" | "android" | "swiftui" | "kotlin" | "flutter" | "xcode"
            // infrastructure and backend services
            | "helm" | "kubernete" | "k8s" | "nginx" | "apache2" | "terraform" | "dockerfile"
            | "ansible" | "jenkin" | "microservice" | "endpoint" | "tls"
            // web application frameworks
            | "django" | "rail" | "flask" | "laravel" | "graphql" | "celery"
            // source hosting and CI services
            | "github" | "gitlab" | "circleci" | "bitbucket" | "ci" | "cd" | "cicd"
            | "inference" | "quantize" | "quantise" | "quantization" | "quantisation"
            | "gpu" | "onnx"
            // machine-learning research
            | "llama" | "llm" | "gpt" | "pytorch" | "tensorflow" | "finetune" | "prompt"
            | "sklearn" | "scikit" | "hyperparameter" | "xgboost" | "keras"
            // team process and sales work
            | "sprint" | "backlog" | "retro" | "standup" | "jira" | "sdr"
            // office work
            | "meeting" | "slide" | "powerpoint" | "calendar"
            // web back ends and their load tests
            | "fastapi" | "middleware" | "redis" | "php" | "wordpress" | "k6" | "jmeter"
            | "locust" | "gatling" | "rps" | "5xx" | "http"
            // games, graphics and design
            | "game" | "multiplayer" | "unity" | "unreal" | "godot" | "blender" | "photoshop"
            | "figma" | "instagram" | "graphic" | "logo"
            // desktops and personal machines
            | "windows" | "ubuntu" | "macos" | "powershell" | "rsync" | "laptop"
            // model fine-tuning research
            | "lora"
            // model training and evaluation
            | "bert" | "distilbert" | "roberta" | "huggingface" | "optuna" | "lightgbm"
            | "catboost" | "auc" | "f1" | "epoch" | "a100" | "h100" | "cuda" | "vram"
            | "classifier" | "hyperparam" | "finetuning" | "tokenizer" | "embedding"
            // application code and its runtime
            | "pydantic" | "golang" | "goroutine" | "grpc" | "nodejs" | "handler" | "pod"
            | "websocket" | "cors" | "jwt"
            // release writing
            | "changelog"
            // front-end tooling and dependency bots
            | "renovate" | "dependabot" | "eslint" | "prettier" | "npm" | "yarn" | "webpack"
            | "typescript" | "javascript"
            // networks
            | "dns"
            // web hosting platforms
            | "vercel" | "netlify" | "heroku"
    ) || is_personal(w)
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
        elsewhere(&tokenise(&stemmer(), goal), &[])
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
        assert_eq!(elsewhere(&toks, &negated), None);
        assert_eq!(elsewhere(&toks, &[]).as_deref(), Some("react"));
        let more = tokenise(
            &stemmer(),
            "GitHub Actions lint for the React app, react again",
        );
        assert_eq!(elsewhere_count(&more, &[]), 2);
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
