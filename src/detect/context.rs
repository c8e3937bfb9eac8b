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
}

fn is_elsewhere(w: &str) -> bool {
    let w = w.strip_suffix('s').filter(|s| s.len() > 3).unwrap_or(w);
    matches!(
        w,
        // web and mobile front ends
        "css" | "html" | "flexbox" | "react" | "vue" | "angular" | "svelte" | "nextjs"
            | "jsx" | "tsx" | "jest" | "cypres" | "frontend" | "button" | "navbar"
            | "website" | "webpage" | "image" | "signup" | "oauth" | "captcha"
            | "ios" | "android" | "swiftui" | "kotlin" | "flutter" | "xcode"
            // infrastructure and backend services
            | "helm" | "kubernete" | "k8s" | "nginx" | "apache2" | "terraform" | "dockerfile"
            | "ansible" | "jenkin" | "microservice" | "endpoint" | "tls"
            // machine-learning research
            | "llama" | "llm" | "gpt" | "pytorch" | "tensorflow" | "finetune" | "prompt"
            // office work
            | "meeting" | "slide" | "powerpoint" | "calendar"
    )
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
    }
}
