//! A data tool's name in its everyday sense, or as a product to buy. Kafka
//! wrote novels, snowflakes fall on holiday pages, air flows through server
//! rooms, and Power BI seats get renewed by procurement: a goal that uses a
//! tool's name like that is not data work, however heavily the packs weigh
//! the name. Such a goal matches a pack only on the evidence a goal naming
//! other software work needs ([`super::context::MIN_EVIDENCE_ELSEWHERE`]),
//! and the name does not count as a data tool that lifts that minimum.

use super::normalise::Token;

/// A tool name and the words around it that give it its everyday sense.
struct Sense {
    tool: &'static str,
    /// What the name is in that sense.
    is: &'static str,
    /// Words of that sense anywhere in the goal (as read).
    words: &'static [&'static str],
    /// Words right after the name that make it the tool after all
    /// ("airflow dag", "kafka topic", "snowflake warehouse").
    tool_next: &'static [&'static str],
}

const SENSES: &[Sense] = &[
    Sense {
        tool: "kafka",
        is: "the author",
        words: &[
            "metamorphosis",
            "novel",
            "novella",
            "literature",
            "franz",
            "book",
            "essay",
            "poem",
            "story",
            "chapter",
            "author",
            "kafkaesque",
        ],
        tool_next: &[
            "topic",
            "topics",
            "consumer",
            "consumers",
            "producer",
            "cluster",
            "connect",
            "stream",
            "streams",
            "broker",
            "brokers",
        ],
    },
    Sense {
        tool: "snowflake",
        is: "a snow crystal on a page",
        words: &[
            "animation",
            "animate",
            "animated",
            "css",
            "svg",
            "icon",
            "falling",
            "christmas",
            "ornament",
            "decoration",
            "draw",
            "drawing",
            "canvas",
            "emoji",
            "crochet",
            "glitter",
            // Twitter-style ids ("snowflake id generator in the go service")
            "id",
            "ids",
            "generator",
            "twitter",
            "uuid",
        ],
        tool_next: &[
            "warehouse",
            "warehouses",
            "table",
            "tables",
            "schema",
            "account",
            "credits",
            "query",
            "stage",
        ],
    },
    Sense {
        tool: "airflow",
        is: "air moving through a room or a machine",
        words: &[
            "rack",
            "racks",
            "fan",
            "fans",
            "laptop",
            "crac",
            "hvac",
            "vent",
            "vents",
            "duct",
            "ducts",
            "cooling",
            "thermal",
            "repaste",
            "dust",
            "heatsink",
            "ventilation",
            "cfm",
            "radiator",
            "facilities",
        ],
        tool_next: &[
            "dag",
            "dags",
            "task",
            "tasks",
            "scheduler",
            "worker",
            "workers",
            "operator",
            "sensor",
            "connection",
            "variable",
        ],
    },
    Sense {
        tool: "redshift",
        is: "the astronomer's shift of light",
        words: &[
            "galaxy",
            "galaxies",
            "telescope",
            "cosmology",
            "cosmological",
            "doppler",
            "quasar",
            "quasars",
            "spectrum",
            "spectra",
            "astronomy",
            "astrophysics",
            "hubble",
        ],
        tool_next: &[
            "cluster",
            "clusters",
            "table",
            "tables",
            "schema",
            "spectrum",
            "warehouse",
        ],
    },
    Sense {
        tool: "iceberg",
        is: "a floating block of ice, or a lettuce",
        words: &[
            "titanic",
            "arctic",
            "antarctic",
            "glacier",
            "ship",
            "lettuce",
            "salad",
            "polar",
            "melting",
        ],
        tool_next: &[
            "table",
            "tables",
            "catalog",
            "format",
            "metadata",
            "snapshot",
            "snapshots",
        ],
    },
    Sense {
        tool: "prefect",
        is: "a school prefect",
        words: &[
            "school",
            "pupil",
            "pupils",
            "student",
            "students",
            "headteacher",
            "assembly",
            "uniform",
            "badge",
            "election",
        ],
        tool_next: &[
            "flow",
            "flows",
            "deployment",
            "deployments",
            "task",
            "tasks",
            "worker",
            "workers",
            "cloud",
            "server",
            "agent",
        ],
    },
    Sense {
        tool: "spark",
        is: "a spark of something",
        words: &[
            "joy",
            "ignition",
            "creativity",
            "romance",
            "curiosity",
            "sparkle",
            "firework",
        ],
        tool_next: &[
            "job",
            "jobs",
            "cluster",
            "sql",
            "streaming",
            "submit",
            "executor",
            "executors",
            "session",
            "dataframe",
        ],
    },
    Sense {
        tool: "macro",
        is: "a spreadsheet or office macro",
        words: &[
            "excel",
            "vba",
            "spreadsheet",
            "spreadsheets",
            "sheet",
            "sheets",
            "workbook",
            "outlook",
            "powerpoint",
        ],
        tool_next: &["dbt", "jinja", "sql", "model", "models"],
    },
    Sense {
        tool: "salesforce",
        is: "the sales team's CRM at work",
        words: &[
            "opportunity",
            "opportunities",
            "deck",
            "quota",
            "quotas",
            "territory",
            "territories",
            "prospect",
            "prospects",
        ],
        tool_next: &[
            "api",
            "connector",
            "extract",
            "export",
            "objects",
            "object",
            "table",
            "tables",
            "data",
            "source",
        ],
    },
];

/// Words of data work: a goal with any of them uses the tool's name as
/// the tool ("the salesforce opportunities table into the warehouse").
const DATA_WORDS: &[&str] = &[
    "table",
    "tables",
    "warehouse",
    "ingest",
    "ingestion",
    "load",
    "loads",
    "pipeline",
    "pipelines",
    "dataset",
    "schema",
    "query",
    "queries",
    "etl",
    "elt",
    "dag",
    "dags",
    "sync",
];

/// Words that ask to buy, renew or approve something ...
const BUYING: &[&str] = &[
    "renew",
    "renewing",
    "renewal",
    "procurement",
    "purchase",
    "purchasing",
    "buy",
    "buying",
    "quote",
    "invoice",
    "approve",
    "pricing",
];
/// ... counted in seats or licences.
const UNITS: &[&str] = &[
    "seat", "seats", "license", "licenses", "licence", "licences",
];
/// A unit stands at most this many words after the product it counts.
const UNIT_REACH: usize = 3;

/// Why the goal uses a data tool's name in another sense, naming the word as
/// typed, or `None`. `scoped[i]` marks words the goal negates.
pub fn sense(goal: &str, tokens: &[Token], scoped: &[bool]) -> Option<String> {
    let free = |i: usize| !scoped.get(i).copied().unwrap_or(false);
    let words: Vec<&str> = tokens.iter().map(|t| t.word.as_str()).collect();
    for s in SENSES {
        let Some(i) = tokens
            .iter()
            .enumerate()
            .position(|(i, t)| free(i) && !t.in_name && t.word == s.tool)
        else {
            continue;
        };
        let as_tool = words.get(i + 1).is_some_and(|n| s.tool_next.contains(n))
            || words.iter().enumerate().any(|(j, w)| {
                j != i && *w == s.tool && words.get(j + 1).is_some_and(|n| s.tool_next.contains(n))
            });
        let cue = words.iter().find(|w| s.words.contains(w));
        // Two words of the everyday sense outweigh the word after the name
        // ("airflow sensor in server room B reads 0 CFM, ticket for
        // facilities").
        let mut cues: Vec<&&str> = words.iter().filter(|w| s.words.contains(w)).collect();
        cues.sort();
        cues.dedup();
        let as_tool = (as_tool && cues.len() < 2) || words.iter().any(|w| DATA_WORDS.contains(w));
        if let (false, Some(cue)) = (as_tool, cue) {
            return Some(format!(
                "\"{}\" is {} here (with \"{cue}\"), not the data tool",
                tokens[i].typed, s.is
            ));
        }
    }
    purchase(goal, tokens, &free)
}

/// "renew our Power BI Pro seats": a product counted in seats or licences,
/// in a goal that asks to buy, renew or approve.
fn purchase(goal: &str, tokens: &[Token], free: &impl Fn(usize) -> bool) -> Option<String> {
    let buying = tokens.iter().any(|t| BUYING.contains(&t.word.as_str()));
    if !buying {
        return None;
    }
    let Some(unit) = tokens
        .iter()
        .enumerate()
        .find(|(i, t)| free(*i) && UNITS.contains(&t.word.as_str()))
    else {
        return vendor_talk(tokens, free);
    };
    // The product is what stands just before the unit ("Looker seats",
    // "20 dbt Cloud licences"), not a number.
    let start = unit.0.saturating_sub(UNIT_REACH);
    let product: Vec<&str> = tokens[start..unit.0]
        .iter()
        .filter(|t| {
            !t.word.chars().all(|c| c.is_ascii_digit())
                && !super::normalise::is_stopword(&t.word)
                && !BUYING.contains(&t.word.as_str())
                && t.word != "more"
        })
        .map(|t| t.typed.as_str())
        .collect();
    if product.is_empty() || goal.trim().is_empty() {
        return None;
    }
    Some(format!(
        "it asks to buy or renew \"{}\" ({}), a product to buy, not data work",
        product.join(" "),
        unit.1.typed
    ))
}

/// Words of talking to a vendor: a call, a meeting, its account rep.
const TALK: &[&str] = &["call", "meeting", "rep", "reps", "demo", "contract"];

/// "a call with the Snowflake account rep about renewal pricing": a data
/// tool's vendor, met to buy or renew, is no data work. Needs a word of
/// buying (checked by the caller), a word of talking, a data tool named,
/// and no word of data work.
fn vendor_talk(tokens: &[Token], free: &impl Fn(usize) -> bool) -> Option<String> {
    let words: Vec<&str> = tokens.iter().map(|t| t.word.as_str()).collect();
    if words.iter().any(|w| DATA_WORDS.contains(w)) {
        return None;
    }
    let talk = tokens
        .iter()
        .enumerate()
        .find(|(i, t)| free(*i) && TALK.contains(&t.word.as_str()))?;
    let tool = tokens
        .iter()
        .enumerate()
        .find(|(i, t)| free(*i) && !t.in_name && super::context::is_data_tool(&t.word))?;
    Some(format!(
        "it asks to talk with the vendor of \"{}\" about buying (\"{}\"), not data work",
        tool.1.typed, talk.1.typed
    ))
}
