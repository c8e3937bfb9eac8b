//! Goal normalisation and phrase matching, shared by detection and the
//! `goal_has()` expression function so both agree on what "in the goal" means.

/// Lower-cases, turns punctuation into spaces and reduces simple plurals, so
/// "Kafka topics, DAGs!" becomes `["kafka", "topic", "dag"]`.
pub fn normalise(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(|w| singular(&w.to_lowercase()))
        .collect()
}

/// Simple English plurals only: the goal vocabulary is technical nouns.
fn singular(word: &str) -> String {
    let n = word.chars().count();
    if n <= 3 || !word.is_ascii() {
        return word.to_string();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for tail in ["sses", "xes", "ches", "shes"] {
        if word.ends_with(tail) {
            return word[..word.len() - 2].to_string();
        }
    }
    if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !word.ends_with("is")
    {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

/// A keyword or phrase, normalised the same way as the goal.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub original: String,
    pub words: Vec<String>,
}

impl Phrase {
    pub fn new(text: &str) -> Phrase {
        Phrase {
            original: text.to_string(),
            words: normalise(text),
        }
    }

    /// True when the phrase's words stand consecutively in `goal`.
    pub fn is_in(&self, goal: &[String]) -> bool {
        contains_phrase(goal, &self.words)
    }
}

pub fn contains_phrase(goal: &[String], words: &[String]) -> bool {
    if words.is_empty() || words.len() > goal.len() {
        return false;
    }
    goal.windows(words.len()).any(|w| w == words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_lowercases_strips_punctuation_and_plurals() {
        assert_eq!(
            normalise("Kafka topics, DAGs! queries; indexes & process status (analysis)"),
            vec!["kafka", "topic", "dag", "query", "index", "process", "status", "analysis"]
        );
    }

    #[test]
    fn short_words_are_not_singularised() {
        assert_eq!(normalise("aws gcs dbt"), vec!["aws", "gcs", "dbt"]);
    }

    #[test]
    fn phrase_matches_only_consecutive_words() {
        let goal = normalise("build a data lake on S3");
        assert!(Phrase::new("data lake").is_in(&goal));
        assert!(Phrase::new("Data Lakes").is_in(&goal));
        assert!(!Phrase::new("lake data").is_in(&goal));
        assert!(!Phrase::new("").is_in(&goal));
    }
}
