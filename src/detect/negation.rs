//! Negation and scope. "no kafka", "without streaming", "don't touch the
//! query" remove what they name; "existing query", "the sql is already
//! written" say a thing exists, so the skill that would make it is not asked.
//! A cue covers the next few words of its clause (a comma or "just", "only",
//! "but" ends it); "X and Y stay as they are", "X remains unchanged" say
//! what is kept exists, like "already"; a cue that is part of a matched phrase ("no code changes")
//! is read as that phrase instead.

use super::normalise::{is_stopword, Token};
use super::reading::is_shape;

/// Content words a cue reaches at most.
const SCOPE_WORDS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Negated,
    Exists,
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub kind: ScopeKind,
    /// The words as typed, cue included ("no kafka", "existing query").
    pub text: String,
    /// Word positions the scope covers (the cue excluded).
    pub words: Vec<usize>,
    /// Word positions of a listed phrase ("needs a separate PR"): words of
    /// the cue, never keywords of the work.
    pub phrase: std::ops::Range<usize>,
}

fn ends_scope(t: &Token) -> bool {
    matches!(
        t.word.as_str(),
        "just"
            | "only"
            | "but"
            | "and"
            | "then"
            | "instead"
            | "rather"
            | "plus"
            | "so"
            | "we"
            | "i"
            | "it"
            | "use"
            | "using"
            | "with"
            | "in"
            | "on"
            | "leave"
            | "keep"
    )
}

/// Words for rows and values a load skips ("skip bad rows", "skip the
/// header"): a rule of the load, not a part of the work ruled out.
fn is_row_word(w: &str) -> bool {
    matches!(
        w,
        "bad"
            | "invalid"
            | "malformed"
            | "corrupt"
            | "corrupted"
            | "broken"
            | "empty"
            | "null"
            | "nulls"
            | "duplicate"
            | "duplicates"
            | "dupes"
            | "header"
            | "headers"
            | "first"
            | "row"
            | "rows"
            | "record"
            | "records"
            | "line"
            | "lines"
            | "weekend"
            | "weekends"
            | "holiday"
            | "holidays"
            | "missing"
            | "late"
    )
}

/// "no creds in git", "never commit keys into the repo", "no secrets in
/// plaintext": a rule about where a thing must not be kept, which asks for
/// keeping it properly, not a part ruled out.
fn keeps_out_of_place(toks: &[Token], i: usize) -> bool {
    if !matches!(toks[i].word.as_str(), "no" | "never" | "without") {
        return false;
    }
    let clause: Vec<&Token> = toks
        .iter()
        .skip(i + 1)
        .take(5)
        .take_while(|t| !t.clause_start)
        .collect();
    clause.windows(2).any(|w| {
        matches!(w[0].word.as_str(), "in" | "into" | "inside")
            && matches!(
                w[1].word.as_str(),
                "git"
                    | "code"
                    | "repo"
                    | "repos"
                    | "repository"
                    | "plaintext"
                    | "plain"
                    | "source"
                    | "logs"
                    | "notebooks"
                    | "slack"
                    | "github"
            )
    }) || clause.windows(3).any(|w| {
        matches!(w[0].word.as_str(), "in" | "into")
            && matches!(w[1].word.as_str(), "the" | "our" | "a")
            && matches!(
                w[2].word.as_str(),
                "repo" | "repository" | "code" | "codebase" | "logs"
            )
    })
}

fn negation_cue(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    if t.in_name {
        return None;
    }
    let w = t.word.as_str();
    let next = toks.get(i + 1).map(|t| t.word.as_str());
    if says_not_knowing(toks, i) || keeps_out_of_place(toks, i) {
        return None;
    }
    // "don't forget the tests", "never skip bigeye": the work is asked.
    let undone = |n: Option<&str>| {
        matches!(
            n,
            Some("forget" | "ignore" | "skip" | "omit" | "miss" | "neglect" | "overlook")
        )
    };
    if matches!(w, "dont" | "never" | "not") && undone(next)
        || w == "don" && next == Some("t") && undone(toks.get(i + 2).map(|t| t.word.as_str()))
    {
        return None;
    }
    match w {
        "no" | "not" | "without" | "never" | "dont" | "doesnt" | "didnt" | "wont" | "isnt"
        | "arent" | "shouldnt" | "except" | "excluding" | "exclude" | "avoid" | "cant"
        | "cannot" | "mustnt" => Some(1),
        "don" | "doesn" | "didn" | "won" if next == Some("t") => Some(2),
        // "skip monitoring", "omit the dag entry", but not a load's rule
        // about rows ("skip bad rows", "skip the header").
        "skip" | "skipping" | "omit" | "omitting" | "minus" => {
            let object = toks
                .iter()
                .skip(i + 1)
                .take_while(|t| !t.clause_start)
                .find(|t| !is_stopword(&t.word));
            (!object.is_some_and(|t| is_row_word(&t.word))).then_some(1)
        }
        "w" if next == Some("o") => Some(2),
        // "nothing about alerting yet", "nothing on the dashboards"
        "nothing" if matches!(next, Some("about" | "on" | "around" | "regarding")) => Some(2),
        // "nothing to tune there": no tuning.
        "nothing" if next == Some("to") => Some(2),
        // "nothing realtime", "nothing fancy": not "nothing else" (the
        // rest), "nothing gets built", "nothing written yet" (a state).
        "nothing"
            if toks.get(i + 1).is_some_and(|t| {
                !t.clause_start
                    && !t.in_name
                    && !is_participle(&t.word)
                    && !is_stopword(&t.word)
                    && !matches!(
                        t.word.as_str(),
                        "else"
                            | "more"
                            | "yet"
                            | "today"
                            | "exists"
                            | "exist"
                            | "gets"
                            | "get"
                            | "works"
                            | "runs"
                            | "happens"
                            | "changes"
                            | "lands"
                            | "loads"
                            | "arrives"
                            | "shows"
                            | "breaks"
                            | "fails"
                    )
            }) =>
        {
            Some(1)
        }
        // "reuse her numbers rather than re-reading them", "instead of
        // re-parsing run_results": work done again is not to be done.
        // "hourly instead of daily" only says what changes.
        "instead" | "rather"
            if next == Some(if w == "instead" { "of" } else { "than" })
                && toks.get(i + 2).is_some_and(|t| {
                    t.word == "re"
                        || (t.word.len() > 6 && t.word.starts_with("re") && t.word.ends_with("ing"))
                }) =>
        {
            Some(2)
        }
        "leave" if next == Some("out") => Some(2),
        "hold" if next == Some("off") => Some(2),
        // "before writing any sql", "before we deprecate it": later work,
        // not asked now (a time, "before 8am", is no cue).
        "before" if matches!(next, Some("anyone" | "someone" | "anybody" | "somebody")) => Some(2),
        "before"
            if next.is_some_and(|n| {
                (n.len() > 5 && n.ends_with("ing")) || matches!(n, "we" | "you" | "i" | "they")
            }) =>
        {
            Some(1)
        }
        _ => None,
    }
}

/// "I don't know the repo conventions", "not sure which dataset", "no idea
/// how": what the writer does not know is what they ask help with, not
/// work they rule out.
fn says_not_knowing(toks: &[Token], i: usize) -> bool {
    let at = |k: usize| toks.get(k).map(|t| t.word.as_str());
    let after = match (at(i), at(i + 1)) {
        (Some("don" | "doesn" | "didn"), Some("t")) => i + 2,
        (Some("no"), Some("idea" | "clue")) => return true,
        _ => i + 1,
    };
    matches!(
        at(after),
        Some(
            "know"
                | "knows"
                | "understand"
                | "understands"
                | "sure"
                | "familiar"
                | "certain"
                | "clear"
                | "remember"
        )
    )
}

/// Positions after `from` in the same clause, up to `SCOPE_WORDS` content words.
fn forward(toks: &[Token], from: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut content = 0;
    for (j, t) in toks.iter().enumerate().skip(from) {
        if (t.clause_start && j > from) || (ends_scope(t) && !out.is_empty()) {
            break;
        }
        out.push(j);
        // "query.sql" and `dim_customer` are one word each.
        let continues_name = t.in_name && !t.name_start && j > from && toks[j - 1].in_name;
        if !is_stopword(&t.word) && !continues_name {
            content += 1;
            if content == SCOPE_WORDS {
                break;
            }
        }
    }
    out
}

/// ", all working", ", all green", ", everything works fine" after a list:
/// the number of cue words at `i`, a clause of its own.
fn all_working(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    if !t.after_comma || !matches!(t.word.as_str(), "all" | "everything" | "both") {
        return None;
    }
    let mut n = 1;
    if toks
        .get(i + n)
        .is_some_and(|t| matches!(t.word.as_str(), "is" | "are"))
    {
        n += 1;
    }
    let state = toks.get(i + n)?;
    if state.clause_start
        || !matches!(
            state.word.as_str(),
            "working" | "works" | "work" | "green" | "fine" | "stable" | "running" | "healthy"
        )
    {
        return None;
    }
    n += 1;
    if toks
        .get(i + n)
        .is_some_and(|t| !t.clause_start && t.word == "fine")
    {
        n += 1;
    }
    toks.get(i + n).is_none_or(|t| t.clause_start).then_some(n)
}

/// "QA writes", "our DQ team owns", "the platform team handles": another
/// team takes on what follows. The number of cue words at `i` (the team
/// and its verb). "our team owns" is the user's own team.
fn handed_over(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    let verb = toks.get(i + 1)?;
    if t.in_name
        || verb.clause_start
        || !matches!(
            verb.word.as_str(),
            "write"
                | "writes"
                | "own"
                | "owns"
                | "handle"
                | "handles"
                | "maintain"
                | "maintains"
                | "cover"
                | "covers"
                | "run"
                | "runs"
                | "wire"
                | "wires"
                | "manage"
                | "manages"
                | "monitor"
                | "monitors"
                | "test"
                | "tests"
                | "review"
                | "reviews"
                | "schedule"
                | "schedules"
        )
    {
        return None;
    }
    // "that team monitors it": the verb is the work itself, handed over too.
    let n = if matches!(
        verb.word.as_str(),
        "monitor" | "monitors" | "test" | "tests" | "review" | "reviews" | "schedule" | "schedules"
    ) {
        1
    } else {
        2
    };
    let other = match t.word.as_str() {
        "qa" | "sre" | "sres" | "dba" | "dbas" | "devops" | "infosec" => true,
        // "client runs Monte Carlo": the client's own tooling.
        "client" | "clients" | "vendor" => true,
        "team" | "teams" | "squad" | "squads" => {
            i.checked_sub(1).and_then(|p| toks.get(p)).is_some_and(|p| {
                !t.clause_start && !matches!(p.word.as_str(), "our" | "my" | "the" | "a" | "we")
            })
        }
        _ => false,
    };
    other.then_some(n)
}

/// "owned by", "belongs to" another team at `i`: the number of cue words.
/// "owned by us", "belongs to my team" are the user's own.
fn owned_elsewhere(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    let link = toks.get(i + 1)?;
    let ok = match t.word.as_str() {
        "owned" | "maintained" | "handled" => link.word == "by",
        "belongs" | "belong" => link.word == "to",
        _ => false,
    };
    if !ok || t.in_name || t.clause_start || link.clause_start || i == 0 {
        return None;
    }
    let whose = toks.get(i + 2).filter(|w| !w.clause_start)?;
    let ours = matches!(
        whose.word.as_str(),
        "us" | "me" | "our" | "my" | "we" | "you" | "your"
    );
    (!ours).then_some(2)
}

/// Words between later work and when it comes ("tests come in a later
/// PR", "monitoring will be done in a follow-up").
fn is_coming_word(w: &str) -> bool {
    matches!(
        w,
        "come"
            | "comes"
            | "coming"
            | "go"
            | "goes"
            | "land"
            | "lands"
            | "ship"
            | "ships"
            | "happen"
            | "happens"
            | "be"
            | "is"
            | "are"
            | "done"
            | "added"
            | "handled"
            | "tackled"
            | "will"
            | "can"
            | "should"
    )
}

/// Words that point back at what was said ("that part", "it").
fn is_pointer(w: &str) -> bool {
    matches!(
        w,
        "that" | "this" | "it" | "part" | "bit" | "piece" | "step" | "one" | "those" | "these"
    )
}

/// The content words of the sentence before `i` (back to a clause that
/// starts without a comma).
fn sentence_before(toks: &[Token], i: usize) -> Vec<usize> {
    let start = (0..i)
        .rev()
        .find(|&k| toks[k].clause_start && !toks[k].after_comma)
        .unwrap_or(0);
    (start..i)
        .filter(|&k| !is_stopword(&toks[k].word) && !ends_scope(&toks[k]))
        .collect()
}

/// Units of work a change is split into ("a later PR", "the next sprint").
fn is_later_unit(w: &str) -> bool {
    matches!(
        w,
        "pr" | "prs"
            | "pull"
            | "ticket"
            | "tickets"
            | "issue"
            | "story"
            | "task"
            | "iteration"
            | "phase"
            | "sprint"
            | "changeset"
            | "commit"
            | "milestone"
            | "mr"
            | "plan"
            | "doc"
            | "one"
    )
}

/// Spans of the calendar a later piece of work is put off to.
fn is_time_unit(w: &str) -> bool {
    matches!(
        w,
        "week" | "month" | "quarter" | "year" | "release" | "cycle" | "round" | "pi"
    )
}

/// "Q3", "later", "future": when later work is to come.
fn is_later_time(w: &str) -> bool {
    matches!(w, "later" | "future" | "followup" | "v2")
        || (w.len() == 2 && w.starts_with('q') && w[1..].chars().all(|c| c.is_ascii_digit()))
}

/// "in a later PR", "for a follow-up ticket", "in another PR", "till next
/// quarter", "in a separate ticket": the number of cue words at `i`, a
/// preposition that puts what stands before it into later work.
fn deferred(toks: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(i + k).map(|t| t.word.as_str());
    if i == 0 || toks[i].in_name {
        return None;
    }
    let ends_after = |n: usize| {
        toks.get(i + n)
            .is_none_or(|t| t.clause_start || ends_scope(t) || is_stopword(&t.word))
    };
    // "tests next sprint", "implementation next quarter": the unit right
    // after the part, closing its clause.
    if w(0) == Some("next")
        && !toks[i].clause_start
        && !is_stopword(&toks[i - 1].word)
        && !matches!(toks[i - 1].word.as_str(), "in" | "for" | "the")
        && w(1).is_some_and(|u| is_later_unit(u) || is_time_unit(u))
    {
        // "next PR" reads as "next pull request".
        let n = if w(1) == Some("pull") && w(2) == Some("request") {
            3
        } else {
            2
        };
        if ends_after(n) {
            return Some(n);
        }
    }
    // "transforms are a Q3 thing", "perf is a later problem".
    if matches!(w(0), Some("is" | "are"))
        && matches!(w(1), Some("a" | "an"))
        && w(2).is_some_and(is_later_time)
        && matches!(w(3), Some("thing" | "problem" | "item" | "topic" | "job"))
        && ends_after(4)
    {
        return Some(4);
    }
    if !matches!(w(0)?, "in" | "for" | "is" | "are") {
        return None;
    }
    let mut k = 1;
    // "the query is next sprint", "tests are for a later PR".
    if matches!(w(0), Some("is" | "are")) && matches!(w(k), Some("in" | "for")) {
        k += 1;
    }
    if matches!(
        w(k),
        Some("a" | "an" | "the" | "our" | "my" | "her" | "his" | "their" | "your")
    ) {
        k += 1;
    }
    let later = match w(k)? {
        "another" | "later" | "separate" | "future" | "next" | "subsequent" | "second" => 1,
        "follow" | "folow" if matches!(w(k + 1), Some("up" | "ups")) => 2,
        "followup" | "followups" => 1,
        _ => return None,
    };
    // "in another PR" has no article; "in a later PR" no "another".
    let unit = i + k + later;
    // "in her follow-up": a follow-up is a unit of its own.
    let follow_up = matches!(w(k), Some("follow" | "folow" | "followup" | "followups"));
    if follow_up && toks.get(unit).is_none_or(|t| t.clause_start) {
        return Some(k + later);
    }
    let t = toks.get(unit)?;
    if t.clause_start || !is_later_unit(&t.word) {
        return None;
    }
    // "pull request" is one unit.
    let n = if t.word == "pull" && w(k + later + 1) == Some("request") {
        k + later + 2
    } else {
        k + later + 1
    };
    Some(n)
}

/// [`forward`] from `from`, continued over a list joined by "or"/"nor"
/// ("don't touch the Airflow DAGs or the secrets setup", "no kafka, spark
/// or flink"): every item is ruled out.
fn forward_listed(toks: &[Token], from: usize) -> Vec<usize> {
    // Each item gets a window of its own: a window stops at "or".
    let item = |start: usize| -> Vec<usize> {
        let mut w = forward(toks, start);
        if let Some(p) = w
            .iter()
            .position(|&k| k > start && matches!(toks[k].word.as_str(), "or" | "nor"))
        {
            w.truncate(p);
        }
        w
    };
    let mut words = item(from);
    while let Some(&last) = words.last() {
        // An item longer than the window ("don't touch the data quality
        // checks or ..."): its last words up to the "or" belong to it.
        let mut next = last + 1;
        let mut content = 0;
        while let Some(t) = toks.get(next) {
            if t.clause_start || ends_scope(t) || matches!(t.word.as_str(), "or" | "nor") {
                break;
            }
            if !is_stopword(&t.word) {
                content += 1;
            }
            next += 1;
        }
        let reaches_or = toks.get(next).is_some_and(|t| {
            matches!(t.word.as_str(), "or" | "nor") && (!t.clause_start || t.after_comma)
        });
        if reaches_or && content <= 2 {
            words.extend(last + 1..next);
        } else {
            next = last + 1;
        }
        let Some(t) = toks.get(next) else {
            break;
        };
        // "X, Y or Z": comma items before a closing "or".
        let comma_item = t.after_comma
            && !matches!(t.word.as_str(), "or" | "nor")
            && list_closes_with_or(toks, next);
        let or = matches!(t.word.as_str(), "or" | "nor") && (!t.clause_start || t.after_comma);
        if !or && !comma_item && t.word == "and" && !t.clause_start {
            // "skip streaming and vault": a short item after "and" that
            // closes the clause is ruled out too; "and set up vault" is a
            // new ask.
            let more = forward(toks, next + 1);
            if short_item(toks, next + 1, &more) {
                words.extend(next..next + 1);
                words.extend(more);
                continue;
            }
            break;
        }
        if or || comma_item {
            let start = if comma_item { next } else { next + 1 };
            let more = item(start);
            if more.is_empty() {
                break;
            }
            words.extend(next..start);
            words.extend(more);
        } else {
            break;
        }
    }
    words
}

/// The window `item` read from `at` is a short noun item that ends its
/// clause: one or two content words, no verb of a new ask first.
fn short_item(toks: &[Token], at: usize, item: &[usize]) -> bool {
    let Some(&last) = item.last() else {
        return false;
    };
    let content = item
        .iter()
        .filter(|&&k| !is_stopword(&toks[k].word))
        .count();
    let first = item.iter().find(|&&k| !is_stopword(&toks[k].word));
    let starts_ask = first.is_some_and(|&k| is_ask_verb(&toks[k].word));
    let ends = toks
        .get(last + 1)
        .is_none_or(|t| t.clause_start || ends_scope(t) || t.word == "for");
    at <= last && content <= 2 && !starts_ask && ends
}

/// Verbs that open a new ask after "and" ("and move the secrets").
fn is_ask_verb(w: &str) -> bool {
    matches!(
        w,
        "add"
            | "move"
            | "set"
            | "build"
            | "write"
            | "make"
            | "run"
            | "create"
            | "fix"
            | "tune"
            | "use"
            | "put"
            | "get"
            | "wire"
            | "rotate"
            | "deploy"
            | "load"
            | "need"
            | "want"
            | "do"
            | "rewrite"
            | "update"
            | "migrate"
            | "design"
            | "plan"
    )
}

/// The clause at `at` is an item of a list that an "or"/"nor" closes: a
/// short clause (two content words at most) that holds "or" or "nor", or
/// whose next clause is again such an item.
fn list_closes_with_or(toks: &[Token], at: usize) -> bool {
    let mut content = 0;
    for (j, t) in toks.iter().enumerate().skip(at) {
        if j > at && t.clause_start {
            return t.after_comma && content <= 2 && list_closes_with_or(toks, j);
        }
        if matches!(t.word.as_str(), "or" | "nor") {
            return content <= 2;
        }
        if !is_stopword(&t.word) {
            content += 1;
        }
        if content > 2 {
            return false;
        }
    }
    false
}

/// The words from the start of the clause up to the preposition at `prep`,
/// when they are a short phrase of plain words ("research", "the doc
/// research"), newest first; nothing otherwise.
fn opening_head(toks: &[Token], prep: usize) -> Vec<usize> {
    let Some(start) = (0..prep).rev().find(|&k| toks[k].clause_start) else {
        return Vec::new();
    };
    let head = start..prep;
    let plain = head.clone().all(|k| {
        let t = &toks[k];
        !t.in_name && !is_shape(t) && !is_participle(&t.word) && !is_done_cue(&t.word)
    });
    let content = head
        .clone()
        .filter(|&k| !is_stopword(&toks[k].word))
        .count();
    if !plain || content == 0 || head.len() > 3 {
        return Vec::new();
    }
    head.rev().collect()
}

/// Adds the preposition at `prep` and the [`opening_head`] before it to
/// `out` (newest first), when there is such a head.
fn push_opening_head(toks: &[Token], prep: usize, out: &mut Vec<usize>) {
    let head = opening_head(toks, prep);
    if !head.is_empty() {
        out.push(prep);
        out.extend(head);
    }
}

/// Positions before `at` in the same clause, up to `SCOPE_WORDS` content words.
fn backward(toks: &[Token], at: usize) -> Vec<usize> {
    let names = super::reading::name_parts(toks);
    let mut out = Vec::new();
    let mut content = 0;
    let mut j = at;
    while j > 0 {
        if toks[j].clause_start {
            break;
        }
        j -= 1;
        let t = &toks[j];
        // "the query for x_v1 already exists": a name is what the thing is
        // for; the thing stands before the preposition.
        let only_names = !out.is_empty()
            && out.iter().any(|&p: &usize| toks[p].in_name)
            && out.iter().all(|&p: &usize| {
                let w = toks[p].word.as_str();
                toks[p].in_name
                    || is_shape(&toks[p])
                    || is_stopword(w)
                    || is_participle(w)
                    || is_done_cue(w)
            });
        if only_names && matches!(t.word.as_str(), "for" | "of") && !t.clause_start {
            continue;
        }
        if ends_scope(t)
            || matches!(
                t.word.as_str(),
                "for" | "to" | "of" | "from" | "into" | "at"
            )
        {
            // "research on the replenishment pipeline is done": the thing
            // said done is the short phrase that opens the clause, what
            // follows the preposition is what it is about.
            if matches!(t.word.as_str(), "on" | "of" | "for" | "about") && !t.clause_start {
                push_opening_head(toks, j, &mut out);
            }
            break;
        }
        out.push(j);
        // A name counts once, at its first part; "written + reviewed" say
        // how the thing stands, not what it is.
        if !is_stopword(&t.word)
            && (!names[j] || t.name_start)
            && !is_shape(t)
            && (!says_state(&t.word) || matches!(t.word.as_str(), "got" | "set" | "put"))
        {
            content += 1;
            if content == SCOPE_WORDS {
                // "the analysis of last week's runs is done": the words
                // filled up right after the preposition; small words
                // ("the") may stand between.
                let mut p = j;
                while p > 0 && !toks[p].clause_start && j - p < 3 && {
                    let w = toks[p - 1].word.as_str();
                    is_stopword(w) && !matches!(w, "on" | "of" | "for" | "about")
                } {
                    p -= 1;
                }
                if let Some(p) = p.checked_sub(1).filter(|&p| {
                    !toks[p + 1].clause_start
                        && matches!(toks[p].word.as_str(), "on" | "of" | "for" | "about")
                }) {
                    push_opening_head(toks, p, &mut out);
                }
                break;
            }
        }
    }
    out.reverse();
    while out.first().is_some_and(|&p| is_stopword(&toks[p].word)) {
        out.remove(0);
    }
    out
}

pub(super) fn text_of(toks: &[Token], cue: std::ops::Range<usize>, words: &[usize]) -> String {
    let mut pos: Vec<usize> = cue.chain(words.iter().copied()).collect();
    pos.sort_unstable();
    pos.dedup();
    let typed: Vec<&str> = pos
        .iter()
        .filter_map(|&p| {
            toks.get(p)
                .filter(|t| !is_shape(t))
                .map(|t| t.typed.as_str())
        })
        .collect();
    let mut out: Vec<&str> = Vec::new();
    for w in typed {
        if out.last() != Some(&w) {
            out.push(w);
        }
    }
    out.join(" ")
        .replace("dont", "don't")
        .replace("don t", "don't")
}

/// "as is", "as it is", "as they are", "alone", "the same" closing a
/// clause: the number of cue words at `i`.
fn kept_phrase(toks: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(i + k).map(|t| t.word.as_str());
    let n = match (w(0)?, w(1), w(2)) {
        ("as", Some("is"), _) => 2,
        ("as", Some("it" | "they" | "that" | "those"), Some("is" | "are")) => 3,
        ("alone", _, _) if i > 0 => 1,
        ("the", Some("same"), _) if i > 0 && is_kept_cue_verb(&toks[i - 1].word) => 2,
        _ => return None,
    };
    // "stay as they are" is one cue, read at "stay".
    let after_kept = i > 0 && is_kept_cue(&toks[i - 1].word);
    if toks[i].in_name || after_kept || !closes(toks, i + n - 1) {
        return None;
    }
    Some(n)
}

/// "fine" at `i` says a thing works and is kept ("works fine", "the pipeline
/// itself is fine", "the query is fine, leave it alone"), not that a choice
/// will do ("type 1 is fine").
fn fine_keeps(toks: &[Token], i: usize) -> bool {
    let before = |k: usize| {
        i.checked_sub(k)
            .and_then(|p| toks.get(p))
            .map(|t| t.word.as_str())
    };
    let works = matches!(
        before(1),
        Some("works" | "work" | "working" | "runs" | "running")
    );
    let itself = matches!(before(1), Some("is" | "are"))
        && matches!(before(2), Some("itself" | "themselves"));
    let after: Vec<&str> = toks
        .iter()
        .skip(i + 1)
        .take(4)
        .map(|t| t.word.as_str())
        .collect();
    let left_alone = after.windows(2).any(|p| {
        matches!(
            p,
            ["leave", "it" | "them" | "that" | "as"] | ["touch", "it" | "them" | "that"]
        )
    });
    let but = toks.get(i + 1).is_some_and(|t| t.word == "but");
    !but && !asks_a_check(toks, i)
        && (works
            || itself
            || left_alone
            || definite_subject(toks, i)
            || made_subject(toks, i)
            || parts_subject(toks, i))
}

/// "ingestion and the dag are fine", "ingestion, the dag and the schema
/// are fine": parts joined by "and", each a made thing or a thing named
/// with an article, so each is the user's own.
fn parts_subject(toks: &[Token], i: usize) -> bool {
    let Some(subject) = copula_subject(toks, i) else {
        return false;
    };
    if subject.len() > 8 || subject.iter().any(|t| ends_scope(t) && t.word != "and") {
        return false;
    }
    let parts: Vec<&[Token]> = subject.split(|t| t.word == "and").collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            let definite = p.len() >= 2
                && matches!(
                    p[0].word.as_str(),
                    "the" | "our" | "my" | "this" | "current"
                );
            let made = p.last().is_some_and(|t| is_made_thing(&t.word));
            !p.is_empty() && p.len() <= 3 && (definite || made)
        })
}

/// "X is fine", "X are fine": the clause's words before the "is"/"are"
/// that stands right before `i`.
fn copula_subject(toks: &[Token], i: usize) -> Option<&[Token]> {
    let verb = i.checked_sub(1)?;
    if !matches!(toks[verb].word.as_str(), "is" | "are") || toks[verb].clause_start {
        return None;
    }
    let start = (0..verb).rev().find(|&k| toks[k].clause_start)?;
    Some(&toks[start..verb])
}

/// "query is fine", "flow code is fine": a made thing named without an
/// article is still the user's own, and kept; "batch is fine", "type 1 is
/// fine" pick a kind of thing.
fn made_subject(toks: &[Token], i: usize) -> bool {
    let Some(subject) = copula_subject(toks, i) else {
        return false;
    };
    subject.len() <= 3
        && subject.iter().all(|t| !ends_scope(t) || t.word == "and")
        && subject.first().is_some_and(|t| t.word != "and")
        && subject.last().is_some_and(|t| is_made_thing(&t.word))
}

/// Things the work makes, which a goal keeps by saying they are fine.
fn is_made_thing(w: &str) -> bool {
    matches!(
        w,
        "query"
            | "queries"
            | "sql"
            | "code"
            | "logic"
            | "config"
            | "configs"
            | "dag"
            | "dags"
            | "flow"
            | "flows"
            | "schema"
            | "metadata"
            | "models"
            | "tests"
            | "fixtures"
            | "docs"
            | "ddl"
            | "transforms"
            | "ingestion"
            | "script"
            | "scripts"
            | "side"
            | "layer"
            | "layers"
            | "setup"
            | "stack"
            | "topic"
            | "topics"
            | "storage"
            | "mart"
            | "marts"
            | "tables"
    )
}

/// Verbs of changing a thing that exists ("don't touch it", "no changes to
/// it", "dont rebuild anything there").
fn is_touch_word(w: &str) -> bool {
    matches!(
        w,
        "touch"
            | "edit"
            | "edits"
            | "change"
            | "changes"
            | "modify"
            | "modifications"
            | "rewrite"
            | "rebuild"
            | "redo"
            | "rerun"
            | "alter"
            | "rework"
            | "refactor"
            | "reopen"
            | "reopening"
            | "revisit"
            | "revisiting"
    )
}

/// The clause at cue `i` is only a change ruled out of a thing pointed at
/// ("don't touch it", "no changes to it", "dont rebuild anything there",
/// "don't touch"): the thing is what the clause before named.
/// "don't touch anything", "no changes" say nothing of which thing: only
/// a pointer ("it", "them", "there") or a bare "don't touch" points back.
fn points_back(toks: &[Token], i: usize, n: usize) -> bool {
    pointed_verb(toks, i, n).is_some()
}

/// "we'll do it in the PR", "I'll handle that", "we will cover those": the
/// user takes on what was said before. The number of cue words at `i`.
fn doing_it_ourselves(toks: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(i + k).map(|t| t.word.as_str());
    if toks[i].in_name {
        return None;
    }
    // "we'll" and "I'll" read as "well" and "ill".
    let subject = match (w(0)?, w(1)) {
        ("well" | "ill", _) => 1,
        ("we" | "i", Some("will" | "can" | "ll")) => 2,
        _ => return None,
    };
    let verb = w(subject)?;
    let pointer = w(subject + 1)?;
    let ok = matches!(verb, "do" | "handle" | "cover" | "take" | "own")
        && matches!(pointer, "it" | "that" | "this" | "those" | "them")
        && toks[i + 1..=i + subject + 1]
            .iter()
            .all(|t| !t.clause_start);
    ok.then_some(subject + 2)
}

/// The kind of scope a pointer's change verb makes: a decision not to be
/// reopened stands, so the thing exists; a thing not to be touched is not
/// to be worked on.
fn pointed_kind(toks: &[Token], i: usize, n: usize) -> ScopeKind {
    match pointed_verb(toks, i, n) {
        Some("reopen" | "reopening" | "revisit" | "revisiting") => ScopeKind::Exists,
        _ => ScopeKind::Negated,
    }
}

/// The change verb of a clause that [`points_back`].
fn pointed_verb(toks: &[Token], i: usize, n: usize) -> Option<&str> {
    let mut verb = None;
    let mut pointer = false;
    let mut words = 0;
    for t in toks.iter().skip(i + n) {
        if t.clause_start {
            break;
        }
        if t.in_name {
            return None;
        }
        words += 1;
        let w = t.word.as_str();
        if is_touch_word(w) {
            verb = Some(w);
        } else if matches!(w, "it" | "them" | "that" | "those" | "this" | "there") {
            pointer = true;
        } else if !matches!(
            w,
            "to" | "anything" | "any" | "pls" | "please" | "at" | "of"
        ) {
            return None;
        }
    }
    verb.filter(|v| pointer || (words == 1 && *v == "touch"))
}

/// `words` when no scope read so far covers any of them: "the query is
/// fine, don't touch it" already says the query exists.
fn uncovered(out: &[Scope], words: Vec<usize>) -> Vec<usize> {
    if words
        .iter()
        .any(|w| out.iter().any(|s| s.words.contains(w)))
    {
        Vec::new()
    } else {
        words
    }
}

/// The content words a pointer at `i` points back at: those before the
/// cue in its own clause ("the query is merged so dont touch it"), else
/// those of the clause before ("query is correct, don't edit it").
fn clause_before(toks: &[Token], i: usize) -> Vec<usize> {
    let content = |range: std::ops::Range<usize>| -> Vec<usize> {
        range
            .filter(|&k| {
                !is_stopword(&toks[k].word)
                    && !ends_scope(&toks[k])
                    && !matches!(toks[k].word.as_str(), "pls" | "please" | "plz" | "kindly")
            })
            .collect()
    };
    let Some(cs) = (0..=i).rev().find(|&k| toks[k].clause_start) else {
        return Vec::new();
    };
    let own = content(cs..i);
    if !own.is_empty() || cs == 0 {
        return own;
    }
    let ps = (0..cs).rev().find(|&k| toks[k].clause_start).unwrap_or(0);
    content(ps..cs)
}

/// "the sql is fine", "our dag is fine": a thing the goal points at (by
/// "the", "our", "this") is said to be fine, so it exists; "type 1 is
/// fine" and "a daily load is fine" pick a kind of thing.
fn definite_subject(toks: &[Token], i: usize) -> bool {
    let Some(subject) = copula_subject(toks, i) else {
        return false;
    };
    // "the query and fixtures are fine": parts joined by "and".
    let joined = |t: &Token| !ends_scope(t) || t.word == "and";
    subject.len() >= 2
        && subject.len() <= 5
        && matches!(
            subject[0].word.as_str(),
            "the" | "our" | "my" | "this" | "these" | "those" | "current"
        )
        && subject.iter().skip(1).all(joined)
}

/// "keep X out", "leave X out": the position of "out" when `i` starts such a
/// phrase over one to three content words of its clause.
fn kept_out(toks: &[Token], i: usize) -> Option<usize> {
    if !matches!(toks[i].word.as_str(), "keep" | "leave") || toks[i].in_name {
        return None;
    }
    let mut content = 0;
    for (j, t) in toks.iter().enumerate().skip(i + 1).take(5) {
        if t.clause_start {
            return None;
        }
        if t.word == "out" {
            let pointer = toks[i + 1..j].iter().any(|t| is_pointer(&t.word));
            return (content > 0 || pointer).then_some(j);
        }
        if !is_stopword(&t.word) {
            content += 1;
        }
    }
    None
}

/// "retries to the hubspot extract task", "wrap the salesforce pull in
/// retries": work bolted onto a step the goal names as one it knows. The
/// step exists; the goal does not ask to build it. The cue's length and
/// the step's words.
fn step_worked_on(toks: &[Token], i: usize) -> Option<(usize, Vec<usize>)> {
    let t = toks.get(i)?;
    let wraps = t.word == "wrap";
    if t.in_name || !(wraps || matches!(t.word.as_str(), "to" | "around" | "onto")) {
        return None;
    }
    let det = toks.get(i + 1)?;
    if det.clause_start
        || !matches!(
            det.word.as_str(),
            "the"
                | "our"
                | "that"
                | "this"
                | "each"
                | "every"
                | "existing"
                | "its"
                | "their"
                | "my"
        )
    {
        return None;
    }
    let head = (i + 2..toks.len().min(i + 6))
        .take_while(|&k| !toks[k].clause_start)
        .find(|&k| is_step_noun(&toks[k].word))?;
    // "the hubspot extract task": the step's name ends at its last noun.
    let head = (head..toks.len())
        .take_while(|&k| k == head || (!toks[k].clause_start && is_step_noun(&toks[k].word)))
        .last()
        .unwrap_or(head);
    let words: Vec<usize> = (i + 2..=head).collect();
    // "to the new dagster job": a step still to be made.
    if words.iter().any(|&k| {
        matches!(
            toks[k].word.as_str(),
            "new" | "next" | "future" | "upcoming"
        )
    }) || words[..words.len() - 1]
        .iter()
        .any(|&k| is_stopword(&toks[k].word) || toks[k].word == "and")
    {
        return None;
    }
    // "move the table to the bqetl_ads dag": where a thing moves to is
    // the change asked, not a step worked on.
    let start = clause_start(toks, i);
    if toks[start..i].iter().any(|p| {
        matches!(
            p.word.as_str(),
            "move"
                | "moving"
                | "moved"
                | "migrate"
                | "migrating"
                | "port"
                | "porting"
                | "switch"
                | "switching"
                | "shift"
                | "transfer"
                | "promote"
                | "changes"
                | "change"
        )
    }) {
        return None;
    }
    // "wrap the X in retries": the step is the object of the wrapping.
    if wraps
        && toks
            .get(head + 1)
            .is_none_or(|n| !matches!(n.word.as_str(), "in" | "with"))
    {
        return None;
    }
    Some((1, words))
}

/// "the hubspot extract dies on 429s", "salesforce pull keeps failing":
/// a step that fails runs, so it exists. The cue's length (the failure
/// verb) and the step's words, when the step opens its clause.
fn step_that_fails(toks: &[Token], i: usize) -> Option<(usize, Vec<usize>)> {
    let t = toks.get(i)?;
    if t.in_name || t.clause_start || i == 0 || !is_step_noun(&toks[i - 1].word) {
        return None;
    }
    let n = match t.word.as_str() {
        "dies" | "died" | "fails" | "failed" | "breaks" | "broke" | "crashes" | "crashed"
        | "errors" | "errored" | "flakes" => 1,
        "keeps" | "kept"
            if toks.get(i + 1).is_some_and(|n| {
                matches!(
                    n.word.as_str(),
                    "failing" | "dying" | "breaking" | "crashing" | "erroring"
                )
            }) =>
        {
            2
        }
        "is" | "was" if toks.get(i + 1).is_some_and(|n| n.word == "flaky") => 2,
        _ => return None,
    };
    let start = clause_start(toks, i - 1);
    // "alert when the dag fails", "if any step breaks": a condition the
    // asked work reacts to, not a step the goal names as running.
    if toks[start.saturating_sub(1)..i].iter().any(|p| {
        matches!(
            p.word.as_str(),
            "when" | "whenever" | "if" | "once" | "until" | "unless" | "any" | "every" | "each"
        )
    }) {
        return None;
    }
    let words: Vec<usize> = (start..i)
        .filter(|&k| !is_stopword(&toks[k].word))
        .collect();
    // The step opens its clause, a few words long ("our nightly hubspot
    // extract"), and is no platform the goal may ask to fix ("the
    // airflow dag keeps dying").
    (words.len() <= 4
        && words.iter().all(|&k| {
            !is_participle(&toks[k].word) && !super::context::is_data_tool(&toks[k].word)
        }))
    .then_some((n, words))
}

fn is_step_noun(w: &str) -> bool {
    matches!(
        w,
        "task"
            | "tasks"
            | "job"
            | "jobs"
            | "step"
            | "steps"
            | "flow"
            | "flows"
            | "dag"
            | "dags"
            | "pipeline"
            | "pipelines"
            | "extract"
            | "extracts"
            | "pull"
            | "pulls"
            | "sync"
            | "syncs"
            | "load"
            | "loads"
            | "feed"
            | "feeds"
            | "download"
            | "downloads"
            | "import"
            | "imports"
            | "loader"
            | "extractor"
            | "connector"
    )
}

/// "stay on", "stick with", "keep using", "continue with" before what the
/// goal keeps: the number of cue words at `i`.
fn staying_on(toks: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(i + k).map(|t| t.word.as_str());
    let n = match (w(0)?, w(1)) {
        (
            "stay" | "stays" | "staying" | "stick" | "sticking" | "remain" | "remains",
            Some("on" | "with" | "in"),
        ) => 2,
        ("keep" | "keeps" | "continue" | "continuing", Some("using" | "with")) => 2,
        // "we already decided on Prefect", "we settled on airflow"
        ("decided" | "settled" | "chose" | "chosen" | "picked", Some("on" | "for")) => 2,
        // "Keep Airflow.": one word kept, the clause ends there
        ("keep" | "keeping", Some(kept))
            if toks.get(i + 2).is_none_or(|t| t.clause_start)
                && !is_stopword(kept)
                && !kept.ends_with("ing") =>
        {
            1
        }
        _ => return None,
    };
    (!toks[i].in_name).then_some(n)
}

/// Words the scope reader takes as cues: read as typed, never as a typo of
/// a keyword ("staying on prefect" is no "staging").
pub fn is_cue_word(w: &str) -> bool {
    is_kept_cue(w)
        || is_done_cue(w)
        || is_not_ours_cue(w)
        || matches!(
            w,
            "staying"
                | "stay"
                | "stick"
                | "sticking"
                | "keeping"
                | "continue"
                | "continuing"
                | "decided"
                | "settled"
                | "chosen"
                | "picked"
                | "skipping"
                | "omitting"
                | "excluding"
                | "without"
                | "advise"
                | "advice"
                | "building"
        )
}

/// A word that says how a thing stands ("written", "reviewed", "final"),
/// not what the thing is.
pub fn says_state(w: &str) -> bool {
    is_participle(w)
        || is_done_cue(w)
        || is_kept_cue(w)
        || matches!(w, "fine" | "good" | "ok" | "okay")
}

/// A past participle after "already" ("already added", "already wrote").
fn is_participle(w: &str) -> bool {
    (w.len() > 4 && w.ends_with("ed"))
        || matches!(
            w,
            "written" | "wrote" | "built" | "done" | "made" | "set" | "got" | "shipped" | "put"
        )
}

/// Participles of making a thing ("already tuned", "already tested"): the
/// work they name is done. Not "already failed": a failure is no work done.
fn is_made_word(w: &str) -> bool {
    matches!(
        w,
        "tuned"
            | "scoped"
            | "researched"
            | "gathered"
            | "captured"
            | "optimized"
            | "optimised"
            | "built"
            | "tested"
            | "documented"
            | "modeled"
            | "modelled"
            | "deployed"
            | "scheduled"
            | "orchestrated"
            | "partitioned"
            | "clustered"
            | "indexed"
            | "validated"
            | "monitored"
            | "ingested"
            | "loaded"
            | "transformed"
            | "secured"
    )
}

/// Verbs before "the same" that say a thing is kept ("stays the same").
fn is_kept_cue_verb(w: &str) -> bool {
    matches!(w, "is" | "are" | "keep" | "kept")
}

/// Words saying something is kept as it is.
fn is_kept_cue(w: &str) -> bool {
    matches!(
        w,
        "stay" | "stays" | "remain" | "remains" | "unchanged" | "untouched" | "intact"
    )
}

/// Words saying something is finished or there ("query.sql is done", "query
/// and metadata are final", "the warehouse already exists"). They read so
/// only after what they describe: "the final mart" is still to build.
fn is_done_cue(w: &str) -> bool {
    matches!(
        w,
        "done"
            | "final"
            | "finalised"
            | "finalized"
            | "finished"
            | "ready"
            | "merged"
            | "shipped"
            | "exist"
            | "exists"
            // "monitoring is sorted" ("type 1 is fine" picks a kind, it
            // says nothing exists)
            | "sorted"
            | "handled"
            | "covered"
            // "query is correct", "dbt side is verified": said of a thing
            // that is there, after a copula only ("correct the query" asks).
            | "correct"
            | "verified"
            | "reviewed"
            | "approved"
            | "validated"
            // "dagster is decided", "the orchestrator question is settled"
            | "decided"
            | "settled"
    )
}

/// Done words that are also what an ask wants of a part ("secrets
/// handled", "edge cases covered" in a list of asks): they say the part
/// exists only after a copula ("monitoring is sorted", "secrets are
/// handled already").
fn is_state_cue(w: &str) -> bool {
    matches!(
        w,
        "sorted"
            | "handled"
            | "covered"
            | "correct"
            | "verified"
            | "reviewed"
            | "approved"
            | "validated"
            | "decided"
            | "settled"
    )
}

/// A copula (or "already") right before `i`: "is handled", "'s sorted",
/// "already covered".
fn after_copula(toks: &[Token], i: usize) -> bool {
    i > 0
        && matches!(
            toks[i - 1].word.as_str(),
            "is" | "are" | "s" | "was" | "were" | "been" | "be" | "already" | "all"
        )
}

/// Words closing a clause that say the user does or drops its work ("I'll
/// do the metadata myself", "monitoring later"): the work is not asked.
fn is_not_ours_cue(w: &str) -> bool {
    matches!(
        w,
        "myself"
            | "ourselves"
            | "themselves"
            | "yourself"
            | "manually"
            | "later"
            | "separately"
            | "elsewhere"
    )
}

/// Who does the work and the verb that says so ("i do", "we'll write",
/// "priya's doing"), before a cue like "myself" or "separately".
fn is_doer_word(w: &str) -> bool {
    matches!(
        w,
        "i" | "we"
            | "ill"
            | "well"
            | "will"
            | "ll"
            | "do"
            | "does"
            | "doing"
            | "handle"
            | "handles"
            | "handling"
            | "write"
            | "writes"
            | "writing"
            | "own"
            | "take"
            | "cover"
            | "add"
            | "adding"
            | "build"
            | "is"
            | "are"
            | "be"
            | "being"
            | "done"
            | "handled"
            | "written"
    )
}

/// "metadata + tests are on Priya", "bigconfig is on me": someone takes
/// on what stands before. The number of cue words at `i`.
fn on_someone(toks: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(i + k);
    let t = w(0)?;
    if t.in_name || t.clause_start || !matches!(t.word.as_str(), "is" | "are") {
        return None;
    }
    w(1).filter(|n| n.word == "on" && !n.clause_start)?;
    let who = w(2).filter(|n| !n.clause_start && !n.in_name)?;
    // "the tables are on bigquery": a platform, not a person.
    let person = !is_stopword(&who.word)
        && !super::context::is_data_tool(&who.word)
        && !matches!(
            who.word.as_str(),
            "hold"
                | "track"
                | "time"
                | "schedule"
                | "it"
                | "top"
                // "whoever is on call", "the pipeline is on prem"
                | "call"
                | "duty"
                | "shift"
                | "prem"
                | "site"
                | "board"
                | "fire"
                | "standby"
        );
    (person && closes(toks, i + 2)).then_some(3)
}

/// "not needed", "not required", "out of scope" closing a clause: the
/// number of cue words at `i`.
fn unwanted_phrase(toks: &[Token], i: usize) -> Option<usize> {
    let w = |k: usize| toks.get(i + k).map(|t| t.word.as_str());
    let n = match (w(0)?, w(1), w(2)) {
        ("not", Some("needed" | "required" | "necessary" | "wanted"), _) => 2,
        // "kafka isn't needed", "bigeye is not wanted"
        ("isnt" | "arent" | "wasnt", Some("needed" | "required" | "necessary" | "wanted"), _) => 2,
        ("is" | "are", Some("not"), Some("needed" | "required" | "necessary" | "wanted")) => 3,
        // "transforms are off limits"
        ("off", Some("limits" | "limit"), _) => 2,
        // "perf/scaling is phase 2": a later phase of the project.
        ("phase" | "v", Some("2" | "two" | "ii" | "3" | "three"), _) => 2,
        ("unnecessary" | "unneeded", _, _) => 1,
        ("out" | "not", Some("of" | "in"), Some("scope")) => 3,
        // "monitoring can come in a follow-up PR", "the tests can wait"
        ("can" | "will" | "should" | "could", Some("come" | "wait"), _) => {
            return (i > 0 && !toks[i].in_name).then_some(2);
        }
        // "X in a follow-up", not "draft the follow-up emails"
        ("follow" | "folow", Some("up" | "ups"), _) => {
            let a_later_one = i > 0
                && matches!(
                    toks[i - 1].word.as_str(),
                    "a" | "an" | "another" | "separate"
                );
            let ends = toks
                .get(i + 2)
                .is_none_or(|t| t.clause_start || is_later_unit(&t.word));
            return (a_later_one && ends && !toks[i].in_name).then_some(2);
        }
        // "alert routing is the platform team's job", not "our team's job":
        // the cue starts at "the", so the team's name ("DQ") is no part.
        ("the", _, _) => {
            let team = (i + 1..(i + 4).min(toks.len())).find(|&k| {
                matches!(toks[k].word.as_str(), "team" | "teams" | "squad" | "squads")
            })?;
            let owner = &toks[i + 1..team];
            let job = toks.get(team + 1).is_some_and(|t| {
                !t.clause_start
                    && matches!(
                        t.word.as_str(),
                        "job" | "problem" | "responsibility" | "call" | "area" | "domain" | "thing"
                    )
            });
            let ours = owner
                .iter()
                .any(|t| matches!(t.word.as_str(), "our" | "my" | "we" | "your"));
            let clean = owner.iter().all(|t| !t.clause_start && !t.in_name);
            return (i > 0 && job && clean && !ours && !owner.is_empty() && closes(toks, team + 1))
                .then_some(team + 2 - i);
        }
        // "the transformation layer is someone else's job"
        ("someone" | "somebody", Some("else" | "elses"), _)
        | ("another" | "other", Some("team" | "teams" | "teams'"), _) => {
            return (i > 0 && !toks[i].in_name).then_some(2);
        }
        _ => return None,
    };
    (i > 0 && !toks[i].in_name && closes(toks, i + n - 1)).then_some(n)
}

/// "done last sprint", "finished yesterday": a past time after a done word.
fn past_time_follows(toks: &[Token], i: usize) -> bool {
    toks.get(i + 1).is_some_and(|t| {
        !t.clause_start
            && matches!(
                t.word.as_str(),
                "last" | "yesterday" | "earlier" | "previously" | "already"
            )
    })
}

/// A done word closes what it describes: nothing but a clause break, a small
/// word or a scope end follows it.
fn closes(toks: &[Token], i: usize) -> bool {
    match toks.get(i + 1) {
        None => true,
        // "batch side is fine dont touch it": a cue of its own follows.
        Some(t) => {
            t.clause_start
                || is_stopword(&t.word)
                || ends_scope(t)
                || matches!(t.word.as_str(), "now" | "dont" | "don")
                // "recommendations aren't wanted here", "not needed atm":
                // when or where the ask stands, not what it is about.
                || (is_ask_time(&t.word) && toks.get(i + 2).is_none_or(|u| u.clause_start))
        }
    }
}

/// A word that says when or where an ask stands ("here", "atm").
fn is_ask_time(w: &str) -> bool {
    matches!(
        w,
        "here" | "atm" | "rn" | "anymore" | "either" | "though" | "tbh" | "today"
    )
}

/// [`backward`] from `at`, joined over "and" ("the transforms and the
/// warehouse already exist" covers both).
fn backward_joined(toks: &[Token], at: usize) -> Vec<usize> {
    let mut words = backward(toks, at);
    let mut joined = false;
    while let Some(&first) = words.first() {
        if toks[first].clause_start {
            break;
        }
        // Small words between the "and" and the part ("and the warehouse").
        let mut k = first;
        while k > 0 && toks[k - 1].word != "and" && is_stopword(&toks[k - 1].word) {
            if toks[k].clause_start {
                break;
            }
            k -= 1;
        }
        let Some(and) = k.checked_sub(1) else {
            break;
        };
        if toks[and].word != "and" || toks[k].clause_start {
            break;
        }
        let more = backward(toks, and);
        if more.is_empty() {
            break;
        }
        words = more
            .into_iter()
            .chain(std::iter::once(and))
            .chain(k..first)
            .chain(words)
            .collect();
        joined = true;
    }
    // "the query, metadata and tests are already merged": a list joined by
    // "and" reaches back over the short items before it, comma by comma.
    while let Some(&first) = words.first().filter(|_| joined) {
        if !toks[first].after_comma || first == 0 {
            break;
        }
        let start = (0..first)
            .rev()
            .find(|&k| toks[k].clause_start)
            .unwrap_or(0);
        let item: Vec<usize> = (start..first).collect();
        // A name ("query.sql", `dim_customer`) counts once, at its first part.
        let content = item
            .iter()
            .filter(|&&k| {
                let continues_name = toks[k].in_name && k > start && toks[k - 1].in_name;
                !is_stopword(&toks[k].word) && !continues_name
            })
            .count();
        // An item is a thing named, not a request ("add bigeye monitors",
        // "rewrite query.sql").
        let request = item.iter().any(|&k| {
            super::score::is_creation_cue(&toks[k].word)
                || matches!(
                    toks[k].word.as_str(),
                    "add"
                        | "rewrite"
                        | "fix"
                        | "update"
                        | "change"
                        | "set"
                        | "move"
                        | "run"
                        | "load"
                        | "generate"
                        | "remove"
                        | "drop"
                        | "make"
                        | "get"
                )
        });
        if content == 0 || content > 2 || request || item.iter().any(|&k| ends_scope(&toks[k])) {
            break;
        }
        words = item.into_iter().chain(words).collect();
    }
    words
}

/// Ways of working that change nothing: "diagnose only", "just
/// investigate", "review only", "read-only".
fn is_looking(w: &str) -> bool {
    matches!(
        w,
        "diagnose"
            | "diagnosis"
            | "investigate"
            | "investigation"
            | "review"
            | "research"
            | "analysis"
            | "analyse"
            | "analyze"
            | "read"
            | "look"
            | "report"
            | "assessment"
            | "audit"
            // "just tell me which models errored": only with "just" before.
            | "tell"
    )
}

/// "diagnose only", "just investigate for now", "read-only": the goal asks
/// to look and change nothing. The cue as typed.
pub fn looking_only(toks: &[Token]) -> Option<String> {
    for (i, t) in toks.iter().enumerate() {
        if t.in_name || !is_looking(&t.word) {
            continue;
        }
        let next = toks.get(i + 1);
        let prev = i.checked_sub(1).and_then(|p| toks.get(p));
        let only_after = t.word != "tell"
            && next.is_some_and(|n| n.word == "only" && !n.clause_start)
            && closes(toks, i + 1);
        let just_before = prev
            .is_some_and(|p| matches!(p.word.as_str(), "just" | "only") && !t.clause_start)
            && (closes(toks, i)
                || toks
                    .get(i + 1..i + 3)
                    .is_some_and(|w| w[0].word == "for" && w[1].word == "now"));
        if only_after {
            return Some(format!("{} only", t.typed));
        }
        if just_before {
            return Some(format!(
                "{} {}",
                prev.map(|p| p.typed.as_str()).unwrap_or(""),
                t.typed
            ));
        }
    }
    None
}

/// How a goal keeps building out of the ask, with the cue as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildingOut {
    /// "don't build anything yet", "advise, don't build", "design only",
    /// "I'll build the rest myself": nothing is built in this ask.
    RuledOut(String),
    /// "before we build anything", "before anyone writes SQL": the ask comes
    /// first and the work the cue names comes after it.
    PutOff(String),
}

impl BuildingOut {
    pub fn cue(&self) -> &str {
        match self {
            BuildingOut::RuledOut(c) | BuildingOut::PutOff(c) => c,
        }
    }
}

/// "don't build anything yet", "no build yet", "advise, don't build", "dont
/// implement it yet", "before anyone writes SQL": the goal keeps building
/// itself out of the ask, whatever it is about.
pub fn building_ruled_out(toks: &[Token]) -> Option<BuildingOut> {
    if let Some(cue) = rest_built_elsewhere(toks)
        .or_else(|| nobody_builds(toks))
        .or_else(|| only_a_mode(toks))
    {
        return Some(BuildingOut::RuledOut(cue));
    }
    for i in 0..toks.len() {
        let Some(n) = negation_cue(toks, i) else {
            continue;
        };
        let mut verb = i + n;
        // "before we build anything", "before anyone implements it"
        if toks[i].word == "before"
            && toks.get(verb).is_some_and(|t| {
                matches!(
                    t.word.as_str(),
                    "we" | "you" | "i" | "they" | "anyone" | "someone" | "anybody" | "somebody"
                )
            })
        {
            verb += 1;
        }
        let Some(v) = toks.get(verb) else {
            continue;
        };
        // "before anyone writes SQL", "before writing a line of code": the
        // writing of the code is what comes after the ask.
        if toks[i].word == "before"
            && matches!(v.word.as_str(), "write" | "writes" | "writing")
            && !v.in_name
            && writes_code_only(toks, verb + 1)
        {
            let end = clause_end(toks, verb + 1);
            return Some(BuildingOut::PutOff(text_of(toks, i..end, &[])));
        }
        if v.in_name
            || (v.clause_start && verb > i)
            || !matches!(
                v.word.as_str(),
                "build"
                    | "builds"
                    | "building"
                    | "implement"
                    | "implements"
                    | "implementing"
                    | "implementation"
                    | "code"
            )
        {
            continue;
        }
        // "no code" is a negation of code, "no code changes" of changes.
        if v.word == "code" && !matches!(toks[i].word.as_str(), "no" | "without") {
            continue;
        }
        // Nothing but "anything", "it", "yet", "for now" up to the clause end:
        // "don't build the mart yet" rules out the mart, not building.
        let rest = toks
            .iter()
            .skip(verb + 1)
            .take_while(|t| !t.clause_start)
            .all(|t| {
                matches!(
                    t.word.as_str(),
                    "anything"
                        | "it"
                        | "them"
                        | "this"
                        | "that"
                        | "yet"
                        | "now"
                        | "for"
                        | "just"
                        | "any"
                        | "of"
                        | "out"
                        | "right"
                        | "away"
                        | "please"
                        | "in"
                        | "session"
                        | "time"
                        | "today"
                        | "round"
                        | "pass"
                        | "sprint"
                        | "iteration"
                )
            });
        if rest {
            let end = clause_end(toks, verb + 1);
            let cue = text_of(toks, i..end, &[]);
            return Some(if toks[i].word == "before" {
                BuildingOut::PutOff(cue)
            } else {
                BuildingOut::RuledOut(cue)
            });
        }
    }
    None
}

/// The words from `from` to the clause end name code in general ("any
/// SQL", "a line of code", "sql or yaml"), not one part ("the mart query").
fn writes_code_only(toks: &[Token], from: usize) -> bool {
    // "SQL for user_retention_weekly I want …": the object ends where
    // what it is for, or the next ask, begins.
    let words: Vec<&str> = toks[from..clause_end(toks, from)]
        .iter()
        .map(|t| t.word.as_str())
        .take_while(|w| {
            !matches!(
                *w,
                "for" | "on" | "in" | "i" | "we" | "pls" | "please" | "can" | "lets" | "let"
            )
        })
        .collect();
    words
        .iter()
        .any(|w| matches!(*w, "sql" | "code" | "anything" | "yaml"))
        && words.iter().all(|w| {
            matches!(
                *w,
                "sql"
                    | "code"
                    | "anything"
                    | "yaml"
                    | "any"
                    | "a"
                    | "line"
                    | "single"
                    | "of"
                    | "or"
                    | "and"
                    | "it"
                    | "files"
            )
        })
}

/// The start of the clause that holds word `i`.
pub(super) fn clause_start(toks: &[Token], i: usize) -> usize {
    (0..=i).rev().find(|&k| toks[k].clause_start).unwrap_or(0)
}

/// The position of the first clause start at or after `from`, or the end.
pub(super) fn clause_end(toks: &[Token], from: usize) -> usize {
    toks.iter()
        .enumerate()
        .skip(from)
        .find(|(_, t)| t.clause_start)
        .map_or(toks.len(), |(k, _)| k)
}

/// Forms of building or running things ("builds", "built", "executed").
fn is_build_or_run_form(w: &str) -> bool {
    matches!(
        w,
        "build"
            | "builds"
            | "built"
            | "building"
            | "rebuild"
            | "rebuilt"
            | "run"
            | "runs"
            | "ran"
            | "execute"
            | "executes"
            | "executed"
            | "deploy"
            | "deploys"
            | "deployed"
            | "implement"
            | "implements"
            | "implemented"
    )
}

/// "nobody builds anything yet", "no one runs it", "nothing executed
/// against prod", "nothing gets built": no one is to build or run.
fn nobody_builds(toks: &[Token]) -> Option<String> {
    let w = |k: usize| toks.get(k).map(|t| t.word.as_str());
    (0..toks.len()).find_map(|i| {
        if toks[i].in_name {
            return None;
        }
        let subject = match (w(i), w(i + 1)) {
            (Some("nobody" | "noone" | "nothing"), _) => 1,
            (Some("no"), Some("one")) => 2,
            _ => return None,
        };
        let mut v = i + subject;
        // "nothing gets built", "nothing should be run", "nothing is executed"
        while matches!(
            w(v),
            Some("gets" | "get" | "should" | "will" | "be" | "to" | "needs")
        ) {
            v += 1;
        }
        let verb = toks.get(v)?;
        // "nothing built yet", "nobody has built anything": a state.
        let state = matches!(w(i + subject), Some("is" | "has" | "have" | "been" | "was"))
            || (matches!(
                verb.word.as_str(),
                "built" | "rebuilt" | "executed" | "deployed" | "implemented" | "ran"
            ) && toks[v..]
                .iter()
                .take_while(|t| !t.clause_start || t.word == verb.word)
                .any(|t| matches!(t.word.as_str(), "yet" | "so")));
        (v > i && !state && !verb.in_name && !verb.clause_start && is_build_or_run_form(&verb.word))
            .then(|| {
                let end = clause_end(toks, v + 1);
                text_of(toks, i..end, &[])
            })
    })
}

/// "design only", "just the review", "only an assessment": a clause that
/// asks for a kind of work that builds nothing, and nothing else.
fn only_a_mode(toks: &[Token]) -> Option<String> {
    let mode = |t: &Token| {
        !t.in_name
            && matches!(
                t.word.as_str(),
                "design"
                    | "review"
                    | "assessment"
                    | "advice"
                    | "analysis"
                    | "research"
                    | "recommendation"
                    | "recommendations"
                    | "findings"
                    | "writeup"
                    | "docs"
            )
    };
    let filler = |t: &Token| {
        matches!(
            t.word.as_str(),
            "the"
                | "a"
                | "an"
                | "this"
                | "for"
                | "now"
                | "pls"
                | "please"
                | "call"
                | "review"
                | "doc"
                | "work"
        )
    };
    (0..toks.len()).find_map(|i| {
        let end = clause_end(toks, i + 1);
        let t = &toks[i];
        // "design only" closing a clause that is just the mode.
        let trailing = t.word == "only"
            && i > 0
            && mode(&toks[i - 1])
            && (toks[i - 1].clause_start
                || (i >= 2 && toks[i - 2].clause_start && filler(&toks[i - 2])))
            && toks[i + 1..end].iter().all(filler);
        // "just the review", "only a design" opening a clause of its own.
        let leading = matches!(t.word.as_str(), "just" | "only" | "purely") && t.clause_start && {
            let rest: Vec<&Token> = toks[i + 1..end]
                .iter()
                .filter(|t| !filler(t) || mode(t))
                .collect();
            !rest.is_empty() && rest.iter().all(|t| mode(t))
        };
        (trailing || leading).then(|| {
            let start = clause_start(toks, i);
            text_of(toks, start..end, &[])
        })
    })
}

/// "Scope only:", "SQL only, no infra changes", "just the secrets part",
/// "just the review": a clause that is one part and a word of "only"
/// asks for that part alone. One word: "additive measures only" and "only
/// the model change" say how a thing is, not which part is asked. The cue as typed and the part's positions.
pub fn only_part(toks: &[Token]) -> Option<(String, Vec<usize>)> {
    let w = |k: usize| toks.get(k).map(|t| t.word.as_str());
    let clause_end = |from: usize| {
        toks.iter()
            .enumerate()
            .skip(from)
            .find(|(_, t)| t.clause_start)
            .map_or(toks.len(), |(k, _)| k)
    };
    let idle = |k: usize| {
        matches!(
            w(k),
            Some(
                "this"
                    | "sprint"
                    | "now"
                    | "pls"
                    | "please"
                    | "today"
                    | "week"
                    | "for"
                    | "right"
                    | "yet"
                    | "part"
                    | "bit"
                    | "side"
                    | "the"
            )
        )
    };
    // "research only", "findings only", "batch only", "design only" say
    // how the work is done or handed over, not which part is asked.
    let mode = |k: &usize| {
        matches!(
            toks[*k].stem.as_str(),
            "research"
                | "find"
                | "finding"
                | "report"
                | "design"
                | "recommend"
                | "recommendation"
                | "batch"
                | "analysi"
                | "analysis"
                | "plan"
                | "doc"
                | "documentation"
                | "advic"
                | "advice"
                | "read"
                | "propos"
                | "propose"
                | "suggest"
                | "assess"
                | "assessment"
        )
    };
    for i in 0..toks.len() {
        if toks[i].in_name {
            continue;
        }
        let end = clause_end(i + 1);
        // "X only" closing its clause, X the clause's first one or two words.
        if w(i) == Some("only") && i > 0 && (i + 1..end).all(idle) {
            let start = (0..i).rev().find(|&k| toks[k].clause_start).unwrap_or(0);
            let part: Vec<usize> = (start..i)
                .filter(|&k| !is_stopword(&toks[k].word))
                .collect();
            if !part.is_empty() && part.len() == 1 && i - start <= 3 && !part.iter().any(mode) {
                return Some((text_of(toks, start..end, &[]), part));
            }
        }
        // "just the X part", "only the X" as a clause of its own.
        // "this is purely observability": the cue after "this is" opens it too.
        let opens = toks[i].clause_start
            || (i >= 2
                && matches!(w(i - 1), Some("is" | "s"))
                && matches!(w(i - 2), Some("this" | "it"))
                && toks[i - 2].clause_start);
        if matches!(
            w(i),
            Some("just" | "only" | "purely" | "strictly" | "solely")
        ) && opens
        {
            let part: Vec<usize> = (i + 1..end)
                .filter(|&k| !is_stopword(&toks[k].word) && !idle(k))
                .collect();
            let words = end - i - 1;
            if !part.is_empty() && part.len() == 1 && words <= 4 && !part.iter().any(mode) {
                return Some((text_of(toks, i..end, &[]), part));
            }
        }
    }
    None
}

/// "that's all", "thats it for now", "that section only" opening a
/// clause: the work the goal named, in any of its words, is the whole ask.
/// "that's all we know" is context and says nothing of the ask.
pub fn that_is_all(toks: &[Token]) -> Option<String> {
    let w = |k: usize| toks.get(k).filter(|t| !t.in_name).map(|t| t.word.as_str());
    (0..toks.len()).find_map(|i| {
        if !toks[i].clause_start || !matches!(w(i), Some("that" | "thats" | "this")) {
            return None;
        }
        let end = toks[i + 1..]
            .iter()
            .position(|t| t.clause_start)
            .map_or(toks.len(), |p| i + 1 + p);
        let tail = |k: usize| {
            k == end
                || matches!(
                    w(k),
                    Some("for" | "this" | "pls" | "please" | "thanks" | "thx" | "atm")
                )
        };
        let k = if w(i + 1) == Some("is") { i + 2 } else { i + 1 };
        let n = if matches!(w(k), Some("all" | "it")) && w(i) != Some("this") && tail(k + 1) {
            k + 1 - i
        } else if matches!(w(k), Some("section" | "part" | "bit" | "step" | "one"))
            && w(k + 1) == Some("only")
            && tail(k + 2)
        {
            k + 2 - i
        } else {
            return None;
        };
        Some(
            toks[i..i + n]
                .iter()
                .map(|t| t.typed.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        )
    })
}

/// "nothing else", "the rest of the pipeline is fine", "the pipeline
/// itself is fine", "everything else stays as it is": only what the goal
/// names is asked; the rest exists or is not wanted. The cue as typed.
pub fn rest_settled(toks: &[Token]) -> Option<String> {
    let w = |k: usize| toks.get(k).map(|t| t.word.as_str());
    let clause_end = |from: usize| {
        toks.iter()
            .enumerate()
            .skip(from)
            .find(|(_, t)| t.clause_start)
            .map_or(toks.len(), |(k, _)| k)
    };
    let state = |k: usize| {
        let mut k = k;
        while matches!(
            w(k),
            Some("is" | "are" | "s" | "all" | "already" | "stays" | "stay" | "remains")
        ) {
            k += 1;
        }
        matches!(
            w(k),
            Some(
                "fine"
                    | "done"
                    | "ok"
                    | "okay"
                    | "good"
                    | "untouched"
                    | "unchanged"
                    | "as"
                    | "same"
                    | "working"
                    | "green"
                    | "intact"
                    | "frozen"
                    | "put"
            )
        )
    };
    // "no other part of the stack moves": a change the rest does not see.
    let changes = |k: usize| {
        matches!(
            w(k),
            Some("moves" | "move" | "changes" | "change" | "touched" | "affected" | "modified")
        )
    };
    // "no other part", "all other layers": parts of the work, not "no
    // other team needs it".
    let part = |k: usize| {
        matches!(
            w(k),
            Some(
                "part"
                    | "parts"
                    | "component"
                    | "components"
                    | "layer"
                    | "layers"
                    | "piece"
                    | "pieces"
                    | "step"
                    | "steps"
                    | "stage"
                    | "stages"
                    | "bit"
                    | "bits"
                    | "thing"
                    | "things"
                    | "service"
                    | "services"
                    | "module"
                    | "modules"
            )
        )
    };
    for i in 0..toks.len() {
        if toks[i].in_name {
            continue;
        }
        let end = clause_end(i + 1);
        let found = match (w(i), w(i + 1)) {
            // "nothing else", "nothing else in scope": not "nothing else
            // works, so build it all".
            (Some("nothing"), Some("else")) => {
                let next = w(i + 2);
                !matches!(
                    next,
                    Some("works" | "work" | "worked" | "runs" | "is" | "does")
                )
            }
            (Some("everything"), Some("else")) => state(i + 2),
            // "no other part of the stack moves", "all other parts stay as
            // they are", "every other layer is untouched".
            // "no other changes", "no other pipeline changes in this
            // ticket": only the named change is made.
            (Some("no"), Some("other")) => {
                (part(i + 2) && (i + 3..end).any(changes))
                    || changes(i + 2)
                    || (i + 3 < end && changes(i + 3) && !toks[i + 2].clause_start)
            }
            (Some("all" | "every" | "any"), Some("other")) => {
                part(i + 2) && (i + 3..end).any(state)
            }
            // "the rest stays untouched" ("the rest of X" is below).
            (Some("rest"), next) if i > 0 && w(i - 1) == Some("the") && next != Some("of") => {
                state(i + 1)
            }
            // "leave everything else alone", "leave the rest as it is".
            (Some("leave"), Some("everything" | "the"))
                if matches!(w(i + 2), Some("else" | "rest")) =>
            {
                true
            }
            // "the rest of X stays", or "rest of X stays" opening a sentence.
            (Some("rest"), Some("of"))
                if (i > 0 && w(i - 1) == Some("the")) || i == 0 || toks[i].clause_start =>
            {
                (i + 2..end).any(|k| state(k) && matches!(w(k), Some("is" | "are" | "s" | "stays")))
            }
            // "the pipeline itself (airflow, s3 -> snowflake) is fine": the
            // state may follow a parenthesis.
            (Some("itself"), _) if i > 0 => {
                matches!(
                    w(i - 1),
                    Some("pipeline" | "stack" | "setup" | "project" | "platform")
                ) && (i + 1..(i + 12).min(toks.len())).any(|k| {
                    matches!(
                        w(k),
                        Some("is" | "are" | "s" | "stays" | "stay" | "remains" | "remain")
                    ) && state(k)
                })
            }
            _ => false,
        };
        if found {
            let start = if w(i) == Some("itself") { i - 1 } else { i };
            return Some(text_of(toks, start..end, &[]));
        }
    }
    None
}

/// "I'll build the rest myself", "we implement everything else later": the
/// goal keeps building for later or for the user. The cue as typed.
fn rest_built_elsewhere(toks: &[Token]) -> Option<String> {
    toks.windows(3).enumerate().find_map(|(i, w)| {
        let verb = matches!(
            w[0].word.as_str(),
            "build" | "implement" | "code" | "do" | "write" | "handle" | "wire"
        );
        let rest = matches!(
            (w[1].word.as_str(), w[2].word.as_str()),
            ("the", "rest") | ("everything", "else")
        );
        if !verb || !rest || w[1].clause_start || w[2].clause_start {
            return None;
        }
        let end = clause_end(toks, i + 3);
        toks[i + 3..end]
            .iter()
            .any(|t| is_not_ours_cue(&t.word))
            .then(|| text_of(toks, i..end, &[]))
    })
}

/// Adds a scope of `kind` read at `cue` when it covers any word.
fn push(
    out: &mut Vec<Scope>,
    toks: &[Token],
    kind: ScopeKind,
    cue: std::ops::Range<usize>,
    words: Vec<usize>,
) {
    if !words.is_empty() {
        out.push(Scope {
            kind,
            text: text_of(toks, cue, &words),
            words,
            phrase: 0..0,
        });
    }
}

/// "make sure the loader runs fine", "check whether the query is frozen":
/// the clause up to `i` asks for a check of the state it names.
fn asks_a_check(toks: &[Token], i: usize) -> bool {
    let start = clause_start(toks, i);
    toks[start..i].iter().any(|t| {
        matches!(
            t.word.as_str(),
            "check"
                | "verify"
                | "ensure"
                | "sure"
                | "confirm"
                | "whether"
                | "if"
                | "test"
                | "validate"
                | "assert"
                | "prove"
                | "why"
                | "how"
                | "until"
        )
    })
}

/// A phrase of `scope_cues.yaml` at `i` ("bigeye is pushed to Q4", "leave
/// those be", "ignore tuning"), with the words it rules out; `None` when no
/// phrase fits or it points at nothing.
fn listed_cue(toks: &[Token], i: usize) -> Option<(usize, Scope)> {
    if toks[i].in_name {
        return None;
    }
    let closes = |end: usize| {
        // "the marts are frozen this week": a time the state holds for.
        let this_time = toks.get(end).is_some_and(|t| t.word == "this")
            && toks.get(end + 1).is_some_and(|u| {
                !u.clause_start && (is_later_unit(&u.word) || is_time_unit(&u.word))
            })
            && toks.get(end + 2).is_none_or(|n| n.clause_start);
        this_time
            || toks.get(end).is_none_or(|t| {
                t.clause_start
                    || ends_scope(t)
                    || matches!(
                        t.word.as_str(),
                        "until"
                            | "till"
                            | "since"
                            | "because"
                            | "as"
                            | "now"
                            | "for"
                            | "after"
                            | "once"
                            | "when"
                            | "later"
                            | "last"
                            | "yesterday"
                            | "earlier"
                            | "already"
                            | "previously"
                            | "anyway"
                            | "pls"
                            | "please"
                            | "thanks"
                            | "thx"
                    )
            })
    };
    let points_at = |end: usize| {
        toks.get(end).is_some_and(|t| {
            !t.clause_start
                && !is_row_word(&t.word)
                && !matches!(
                    t.word.as_str(),
                    "null" | "nulls" | "case" | "errors" | "warnings"
                )
        })
    };
    let found = super::cues::found_at(toks, i, closes, points_at)?;
    // "don't forget the tests", "never ignore nulls": the work is asked.
    let undone = i > 0
        && matches!(
            toks[i - 1].word.as_str(),
            "dont" | "never" | "not" | "t" | "cant" | "shouldnt" | "mustnt"
        );
    if undone && found.points == super::cues::Points::OutAfter {
        return None;
    }
    let end = i + found.len;
    let words = match found.points {
        // Read by `heading_cue`, where a colon closes the phrase.
        super::cues::Points::OutHeading => return None,
        super::cues::Points::OutAfter => {
            // "don't ignore the tests" asks for them.
            let negated = i > 0
                && !toks[i].clause_start
                && matches!(
                    toks[i - 1].word.as_str(),
                    "dont" | "don" | "not" | "never" | "cant" | "doesnt" | "didnt" | "wont"
                );
            if negated {
                return None;
            }
            forward_listed(toks, end)
        }
        super::cues::Points::ExistsAround => {
            // "files already land in s3 from the erp": the landing is a
            // state, unless it is what is asked ("make sure it lands", "should
            // land", "needs to land").
            let asked = i > 0
                && !toks[i].clause_start
                && matches!(
                    toks[i - 1].word.as_str(),
                    "to" | "should"
                        | "must"
                        | "will"
                        | "would"
                        | "can"
                        | "could"
                        | "where"
                        | "that"
                        | "which"
                        | "so"
                );
            // "load when files land in s3": a trigger, not a state.
            let start = clause_start(toks, i);
            let trigger = toks[start..i].iter().any(|t| {
                matches!(
                    t.word.as_str(),
                    "when"
                        | "whenever"
                        | "once"
                        | "if"
                        | "after"
                        | "as"
                        | "until"
                        | "where"
                        | "trigger"
                        | "triggered"
                        | "on"
                        // "nothing lands since monday": a failure, not a state.
                        | "nothing" | "no" | "not" | "never" | "stopped" | "longer" | "dont" | "doesnt" | "didnt" | "hasnt" | "havent" | "isnt" | "arent" | "wont" | "cant"
                )
            });
            if asked || trigger || asks_a_check(toks, i) {
                return None;
            }
            let clause_end = (end..toks.len())
                .find(|&k| toks[k].clause_start)
                .unwrap_or(toks.len());
            let mut words = backward_joined(toks, i);
            if words.is_empty() {
                return None;
            }
            // The cadence is the schedule's and the layer the transforms',
            // not the landing's ("lands in bronze every hour").
            let mut k = end;
            while k < clause_end {
                let w = toks[k].word.as_str();
                if w == "every" {
                    k += 2;
                    continue;
                }
                let other = is_stopword(w)
                    || matches!(
                        w,
                        "hourly"
                            | "daily"
                            | "nightly"
                            | "weekly"
                            | "each"
                            | "per"
                            | "bronze"
                            | "silver"
                            | "gold"
                            | "raw"
                            | "landing"
                            | "staging"
                    );
                if !other {
                    words.push(k);
                }
                k += 1;
            }
            words
        }
        super::cues::Points::OutBefore | super::cues::Points::ExistsBefore => {
            if asks_a_check(toks, i) {
                return None;
            }
            // "…, leave that alone": the pointer names the clause before;
            // "perf tuning and the k8s stuff: not now": the cue is said of
            // the heading its colon closes.
            if found.pointer || (toks[i].clause_start && toks[i].after_colon) {
                clause_before(toks, i)
            } else {
                // "the semantic model we'll bolt on later": the doer is no
                // part of what is put off.
                let mut at = i;
                while at > 0
                    && !toks[at].clause_start
                    && matches!(
                        toks[at - 1].word.as_str(),
                        "well" | "we" | "ill" | "i" | "theyll" | "they" | "will" | "can" | "to"
                    )
                {
                    at -= 1;
                }
                backward_joined(toks, at)
            }
        }
    };
    if words.is_empty() {
        return None;
    }
    let kind = if matches!(
        found.points,
        super::cues::Points::ExistsBefore | super::cues::Points::ExistsAround
    ) {
        ScopeKind::Exists
    } else {
        ScopeKind::Negated
    };
    let text = text_of(toks, i..end, &words);
    Some((
        found.len,
        Scope {
            kind,
            text,
            words,
            phrase: i..end,
        },
    ))
}

/// A heading of `scope_cues.yaml` at `i` ("Out of scope:", "Non-goals:",
/// "Not this sprint:"): every word of the list that follows it is not
/// asked, up to the next heading or the next part of a pasted ticket.
fn heading_cue(toks: &[Token], i: usize) -> Option<(usize, Scope)> {
    if toks[i].in_name {
        return None;
    }
    let found = super::cues::found_at(toks, i, |_| false, |_| false)?;
    let end = i + found.len;
    // The next heading is a clause of at most three words that a colon
    // closes ("Acceptance criteria:", "DoD:").
    let next_heading = |k: usize| {
        toks[k].after_colon && {
            let start = clause_start(toks, k - 1);
            k - start <= 3 && toks[start].clause_start
        }
    };
    let stop = (end + 1..toks.len())
        .find(|&k| toks[k].new_section || next_heading(k))
        .unwrap_or(toks.len());
    let words: Vec<usize> = (end..stop)
        .filter(|&k| !is_stopword(&toks[k].word))
        .collect();
    if words.is_empty() {
        return None;
    }
    Some((
        found.len,
        Scope {
            kind: ScopeKind::Negated,
            text: text_of(toks, i..end, &words),
            words,
            phrase: i..end,
        },
    ))
}

/// The scopes of the goal; `consumed[i]` is true when word `i` belongs to a
/// matched multi-word term, which then is not read as a cue.
pub fn scopes(toks: &[Token], consumed: &[bool]) -> Vec<Scope> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let found_before = out.len();
        if toks[i].clause_start {
            if let Some((n, scope)) = heading_cue(toks, i) {
                out.push(scope);
                i += n;
                continue;
            }
        }
        if consumed.get(i).copied().unwrap_or(false) {
            // A phrase that starts with a cue ("no code changes", "no
            // implementation") is read as itself, and rules out what it is
            // said of: "no code changes to the SQL", "no implementation
            // plan yet".
            let mut end = i + 1;
            // Only "no …", "without …", "don't …" phrases: "before
            // merging" and "not null" are keywords of the work itself.
            let pointed = negation_cue(toks, i)
                .filter(|&n| points_back(toks, i, n))
                .map(|n| (n, uncovered(&out, clause_before(toks, i))))
                .filter(|(_, words)| !words.is_empty());
            if let Some((n, words)) = pointed {
                // "no changes to it": what the clause before names is not
                // to be changed.
                let end = (i + n..toks.len())
                    .find(|&k| toks[k].clause_start)
                    .unwrap_or(toks.len());
                push(&mut out, toks, pointed_kind(toks, i, n), i..end, words);
                i = end;
                continue;
            }
            if negation_cue(toks, i).is_some()
                && matches!(toks[i].word.as_str(), "no" | "without" | "dont" | "don")
            {
                while consumed.get(end).copied().unwrap_or(false) && !toks[end].clause_start {
                    end += 1;
                }
                let after = forward(toks, end);
                if !after.is_empty() && !toks[end].clause_start {
                    // The phrase's own words after the cue belong to what is
                    // ruled out ("implementation" of "implementation plan").
                    let cue = negation_cue(toks, i).unwrap_or(1);
                    let words: Vec<usize> = (i + cue..end).chain(after).collect();
                    out.push(Scope {
                        kind: ScopeKind::Negated,
                        text: text_of(toks, i..i + cue, &words),
                        words,
                        phrase: 0..0,
                    });
                }
            }
            i = end;
            continue;
        }
        // A listed phrase that starts with a negation and closes its clause
        // ("… isn't in this ticket", "… can't change") or waves what follows
        // away ("don't bother with …") is read whole, not as the negation
        // of the next words.
        let whole = negation_cue(toks, i)
            .filter(|&n| !points_back(toks, i, n))
            .and_then(|_| listed_cue(toks, i));
        if let Some((n, scope)) = whole {
            out.push(scope);
            i += n;
            continue;
        }
        if let Some(n) = deferred(toks, i) {
            // "QA writes the test fixtures in a later PR", "Power BI in a
            // follow-up ticket": what stands before is later work ("comes",
            // "will be done" say nothing of it).
            let mut at = i;
            while at > 0 && !toks[at].clause_start && is_coming_word(&toks[at - 1].word) {
                at -= 1;
            }
            let mut words = backward_joined(toks, at);
            // "they go in a separate plan": the plan is later work too.
            words.extend(i..i + n);
            push(&mut out, toks, ScopeKind::Negated, i..i + n, words);
            i += n;
            continue;
        }
        if toks[i].word == "no"
            && !toks[i].clause_start
            && !toks[i].in_name
            && toks.get(i + 1).is_none_or(|t| t.clause_start)
            && toks
                .get(i.wrapping_sub(1))
                .is_some_and(|p| !is_stopword(&p.word))
        {
            // "Tests yes, bigeye no.": what stands before is ruled out.
            let words = backward(toks, i);
            push(&mut out, toks, ScopeKind::Negated, i..i + 1, words);
            i += 1;
            continue;
        }
        if let Some(n) = unwanted_phrase(toks, i).or_else(|| {
            (is_not_ours_cue(&toks[i].word)
                && !toks[i].in_name
                && closes(toks, i)
                && toks.get(i + 1).is_none_or(|t| t.word != "than"))
            .then_some(1)
        }) {
            // "monitoring not needed", "I'll do the metadata myself": what
            // stands before is ruled out; "Out of scope for this epic:
            // secrets" opens its clause, and what follows is.
            let mut words = backward_joined(toks, i);
            // "query and metadata i do myself": the work stands before
            // who does it.
            if words.is_empty() && is_not_ours_cue(&toks[i].word) && !toks[i].clause_start {
                let mut k = i;
                while k > 0 && !toks[k].clause_start && i - k < 4 && is_doer_word(&toks[k - 1].word)
                {
                    k -= 1;
                }
                if k < i && !toks[k].clause_start {
                    words = backward_joined(toks, k);
                }
            }
            // "I'll patch and rerun it myself": the work stands before the
            // pointer.
            if words.is_empty()
                && i > 1
                && is_not_ours_cue(&toks[i].word)
                && matches!(toks[i - 1].word.as_str(), "it" | "them" | "that" | "this")
                && !toks[i - 1].clause_start
            {
                words = backward_joined(toks, i - 1);
            }
            if words.is_empty() && toks[i].clause_start {
                let next = (i + n..toks.len())
                    .find(|&k| toks[k].clause_start)
                    .filter(|&k| k - (i + n) <= 3 && !toks[k].after_comma);
                if let Some(k) = next {
                    words = forward_listed(toks, k);
                }
            }
            // The cue's own words ("scope" of "out of scope", "job" of "the
            // platform team's job") are no keywords of the work.
            if !words.is_empty() {
                out.push(Scope {
                    kind: ScopeKind::Negated,
                    text: text_of(toks, i..i + n, &words),
                    words,
                    phrase: i..i + n,
                });
            }
            i += n;
            continue;
        }
        if let Some(end) = kept_out(toks, i) {
            // "keep recommendations out of it", "leave the dag entry out";
            // "leave that out" points back at the sentence before.
            let mut words: Vec<usize> = (i + 1..end).collect();
            if words
                .iter()
                .all(|&w| is_pointer(&toks[w].word) || is_stopword(&toks[w].word))
            {
                words = sentence_before(toks, i);
            }
            push(&mut out, toks, ScopeKind::Negated, i..i + 1, words);
            i = end + 1;
            continue;
        }
        if let Some(n) = all_working(toks, i) {
            // "We have Snowflake, a dbt project and Airflow, all working":
            // the whole list before exists.
            let start = (0..i)
                .rev()
                .find(|&k| toks[k].clause_start && !toks[k].after_comma)
                .unwrap_or(0);
            let words: Vec<usize> = (start..i)
                .filter(|&k| !is_stopword(&toks[k].word))
                .collect();
            push(&mut out, toks, ScopeKind::Exists, i..i + n, words);
            i += n;
            continue;
        }
        if let Some(n) = on_someone(toks, i) {
            // "metadata + tests are on Priya": not asked here.
            let words = backward_joined(toks, i);
            push(&mut out, toks, ScopeKind::Negated, i..i + n, words);
            i += n;
            continue;
        }
        if let Some(n) = owned_elsewhere(toks, i) {
            // "Bigeye is owned by the DQ team": what stands before is
            // another team's, and the team's name asks for nothing.
            let mut words = backward_joined(toks, i);
            words.extend(forward(toks, i + n));
            push(&mut out, toks, ScopeKind::Negated, i..i + n, words);
            i += n;
            continue;
        }
        if let Some(n) = handed_over(toks, i) {
            // "our DQ team writes the bigconfig": someone else's work, and
            // the team's name ("DQ") asks for nothing either.
            let mut words: Vec<usize> = Vec::new();
            let mut k = i;
            while k > 0 && !toks[k].clause_start && !is_stopword(&toks[k - 1].word) {
                k -= 1;
                words.push(k);
            }
            words.reverse();
            words.extend(forward_listed(toks, i + n));
            push(&mut out, toks, ScopeKind::Negated, i..i + n, words);
            i += n;
            continue;
        }
        if let Some(n) = doing_it_ourselves(toks, i) {
            // "skip the review step, we'll do it in the PR": where the
            // user does the work is no ask for it.
            let end = (i + n..toks.len())
                .find(|&k| toks[k].clause_start)
                .unwrap_or(toks.len());
            let words: Vec<usize> = (i + n..end)
                .filter(|&k| !is_stopword(&toks[k].word))
                .collect();
            push(&mut out, toks, ScopeKind::Negated, i..i + n, words);
            i = end.max(i + n);
            continue;
        }
        // "query is correct, don't edit it", "flow code is fine, no
        // changes to it": what the clause before names is not to be
        // changed (unless a scope already says how it stands).
        let pointed = negation_cue(toks, i)
            .filter(|&n| points_back(toks, i, n))
            .map(|n| (n, uncovered(&out, clause_before(toks, i))))
            .filter(|(_, words)| !words.is_empty());
        if let Some((n, words)) = pointed {
            let end = (i + n..toks.len())
                .find(|&k| k > i && toks[k].clause_start)
                .unwrap_or(toks.len());
            push(&mut out, toks, pointed_kind(toks, i, n), i..end, words);
            i = end;
            continue;
        }
        if let Some(n) = negation_cue(toks, i) {
            let mut words = forward_listed(toks, i + n);
            if words.iter().all(|&w| is_pointer(&toks[w].word)) && !words.is_empty() {
                // "skip that part", "leave that out": what the sentence
                // said before.
                words = sentence_before(toks, i);
            }
            push(&mut out, toks, ScopeKind::Negated, i..i + n, words);
            i += n;
            continue;
        }
        let w = toks[i].word.as_str();
        let after_already = i > 0 && toks[i - 1].word == "already";
        // "nothing existing": there is nothing, so nothing exists.
        let nothing_before = i > 0
            && !toks[i].clause_start
            && matches!(toks[i - 1].word.as_str(), "nothing" | "no" | "none" | "not");
        if matches!(w, "existing" | "preexisting") && !toks[i].in_name && !nothing_before {
            // "our existing airflow should orchestrate …": the thing that
            // exists ends where what is asked of it begins.
            let mut words = forward(toks, i + 1);
            if let Some(k) = words.iter().position(|&p| {
                matches!(
                    toks[p].word.as_str(),
                    "should"
                        | "will"
                        | "would"
                        | "must"
                        | "can"
                        | "could"
                        | "is"
                        | "are"
                        | "was"
                        | "needs"
                        | "need"
                        | "has"
                        | "have"
                        | "to"
                )
            }) {
                words.truncate(k);
            }
            push(&mut out, toks, ScopeKind::Exists, i..i + 1, words);
        } else if w == "fine" && !toks[i].in_name && closes(toks, i) && fine_keeps(toks, i) {
            // "ingestion works fine", "the query is fine, leave it alone":
            // what is fine exists.
            let words = backward_joined(toks, i);
            push(&mut out, toks, ScopeKind::Exists, i..i + 1, words);
        } else if let Some((n, words)) = step_worked_on(toks, i)
            .or_else(|| step_that_fails(toks, i))
            .filter(|(_, w)| !uncovered(&out, w.clone()).is_empty())
        {
            push(&mut out, toks, ScopeKind::Exists, i..i + n, words);
            i += n;
            continue;
        } else if let Some(n) = staying_on(toks, i) {
            // "we stay on airflow", "keep using prefect": what the goal
            // keeps exists.
            let words = forward(toks, i + n);
            push(&mut out, toks, ScopeKind::Exists, i..i + n, words);
            i += n;
            continue;
        } else if let Some(n) = kept_phrase(toks, i) {
            // "leave the sql as it is", "query and schema are fine as they
            // are", "leave the DAG alone": what is kept exists.
            let words = backward_joined(toks, i);
            push(&mut out, toks, ScopeKind::Exists, i..i + n, words);
            i += n;
            continue;
        } else if !toks[i].in_name
            && !after_already
            && (is_kept_cue(w)
                || (is_done_cue(w)
                    && (closes(toks, i) || past_time_follows(toks, i))
                    && (!is_state_cue(w) || after_copula(toks, i))))
        {
            // "metadata and schema stay as they are", "query and metadata
            // are final": what is kept or done exists.
            let words = backward_joined(toks, i);
            push(&mut out, toks, ScopeKind::Exists, i..i + 1, words);
            // "stays unchanged" is one cue.
            while toks.get(i + 1).is_some_and(|t| is_kept_cue(&t.word)) {
                i += 1;
            }
        } else if matches!(w, "reuse" | "reusing" | "reuses") && !toks[i].in_name {
            // "reuse Tuesday's artifact analysis", "reuse the numbers from
            // last week's run artifacts": what is reused exists, to the end
            // of its phrase.
            let words: Vec<usize> = (i + 1..toks.len())
                .take_while(|&k| !toks[k].clause_start && !ends_scope(&toks[k]))
                .collect();
            push(&mut out, toks, ScopeKind::Exists, i..i + 1, words);
        } else if w == "already" {
            let next = toks.get(i + 1).map(|t| t.word.as_str());
            // "I've got the artifact analysis in my notes already": what
            // the clause says someone has.
            let had = closes(toks, i)
                .then(|| {
                    (0..i)
                        .rev()
                        .take_while(|&k| k + 1 == i || !toks[k + 1].clause_start)
                        .find(|&k| matches!(toks[k].word.as_str(), "got" | "have" | "has" | "had"))
                })
                .flatten()
                // "has been written … already": said of what stands before.
                .filter(|&h| {
                    toks.get(h + 1)
                        .is_some_and(|n| n.word != "been" && !is_participle(&n.word))
                })
                .map(|h| forward(toks, h + 1))
                .filter(|w| !w.is_empty());
            // "Priya already crunched the run artifacts": done work names
            // its object.
            let object = toks
                .get(i + 1)
                .filter(|t| {
                    !t.clause_start
                        && !t.in_name
                        && t.word != "failed"
                        && (is_participle(&t.word) || is_made_word(&t.word))
                })
                .and_then(|_| toks.get(i + 2))
                .filter(|o| {
                    !o.clause_start
                        && !matches!(
                            o.word.as_str(),
                            "in" | "to" | "by" | "for" | "on" | "at" | "with" | "and"
                        )
                })
                .map(|_| forward(toks, i + 2))
                .filter(|w| !w.is_empty());
            let words = if let Some(w) = had {
                w
            } else if matches!(next, Some("have" | "got" | "has")) {
                forward(toks, i + 2)
            } else if let Some(mut w) = object {
                let before = backward_joined(toks, i);
                w.splice(0..0, before);
                w
            } else {
                let before = backward_joined(toks, i);
                // "already added 3 cols to the query": nothing stands
                // before, the work done names the thing after.
                if before.is_empty() && next.is_some_and(is_participle) {
                    forward(toks, i + 2)
                } else {
                    before
                }
            };
            let mut words = words;
            // "creds already sit in vault": the platform the thing lives on
            // is part of what exists.
            if matches!(
                next,
                Some("sit" | "sits" | "live" | "lives" | "stored" | "kept")
            ) && toks
                .get(i + 2)
                .is_some_and(|t| !t.clause_start && t.word == "in")
            {
                let place = forward(toks, i + 3);
                let content: Vec<&Token> = place
                    .iter()
                    .map(|&k| &toks[k])
                    .filter(|t| !is_stopword(&t.word))
                    .collect();
                // One word names a platform ("vault"); "AWS Secrets
                // Manager" is a setup that may still be asked of.
                if content.len() == 1 && !content[0].in_name {
                    words.extend(place);
                }
            }
            // "queries are already tuned", "models are already built":
            // the work done is part of what exists.
            if let Some(t) = toks.get(i + 1) {
                if !t.clause_start
                    && !t.in_name
                    && is_made_word(&t.word)
                    && !words.contains(&(i + 1))
                {
                    words.push(i + 1);
                }
            }
            if !words.is_empty() {
                let mut cue = i..i + 1;
                if let Some(t) = toks.get(i + 1) {
                    if !t.clause_start && !is_stopword(&t.word) {
                        cue = i..i + 2;
                    }
                }
                out.push(Scope {
                    kind: ScopeKind::Exists,
                    text: text_of(toks, cue, &words),
                    words,
                    phrase: 0..0,
                });
            }
        }
        // The listed phrases come last: a reading above keeps its word.
        if out.len() == found_before {
            if let Some((n, scope)) = listed_cue(toks, i) {
                out.push(scope);
                i += n;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::normalise::{stemmer, tokenise};

    fn sc(goal: &str) -> Vec<(ScopeKind, String)> {
        let toks = tokenise(&stemmer(), goal);
        let consumed = vec![false; toks.len()];
        scopes(&toks, &consumed)
            .into_iter()
            .map(|s| (s.kind, s.text))
            .collect()
    }

    #[test]
    fn work_said_done_or_reused_exists() {
        assert_eq!(
            sc("Priya already crunched the run artifacts, reuse her numbers"),
            vec![
                (
                    ScopeKind::Exists,
                    "priya already crunched the run artifacts".into()
                ),
                (ScopeKind::Exists, "reuse her numbers".into())
            ]
        );
        assert_eq!(
            sc("I've got the artifact analysis in my notes already"),
            vec![(ScopeKind::Exists, "the artifact analysis already".into())]
        );
        assert_eq!(
            sc("reuse the old scope instead of re-parsing run_results"),
            vec![
                (ScopeKind::Exists, "reuse the old scope".into()),
                (ScopeKind::Negated, "instead of re parsing run".into())
            ]
        );
        // A failure is no work done: only the thing that failed exists.
        assert_eq!(
            sc("the load already failed the run twice"),
            vec![(ScopeKind::Exists, "load already failed".into())]
        );
    }

    #[test]
    fn negation_stops_at_the_clause() {
        assert_eq!(
            sc("no kafka, just batch ELT"),
            vec![(ScopeKind::Negated, "no kafka".into())]
        );
        assert_eq!(
            sc("pipeline without streaming but with dbt"),
            vec![(ScopeKind::Negated, "without streaming".into())]
        );
        assert_eq!(
            sc("the query is already written, don't touch it"),
            vec![
                (ScopeKind::Exists, "query is already written".into()),
                (ScopeKind::Negated, "don't touch".into())
            ]
        );
        assert_eq!(
            sc("tests for the existing query"),
            vec![(ScopeKind::Exists, "existing query".into())]
        );
        assert!(sc("not_null tests on dim_customer").is_empty());
        assert_eq!(
            sc("rewrite query.sql; metadata and schema stay as they are"),
            vec![(ScopeKind::Exists, "metadata and schema stay".into())]
        );
        assert_eq!(
            sc("new table, the dag stays unchanged"),
            vec![(ScopeKind::Exists, "dag stays".into())]
        );
    }

    #[test]
    fn done_words_after_a_part_say_it_exists() {
        assert_eq!(
            sc("query and metadata are final, only the tests"),
            vec![(ScopeKind::Exists, "query and metadata are final".into())]
        );
        assert_eq!(
            sc("I've got query.sql done for x, now schema.yaml"),
            vec![(ScopeKind::Exists, "got query sql done".into())]
        );
        assert_eq!(
            sc("the transforms and the warehouse already exist"),
            vec![(
                ScopeKind::Exists,
                "transforms and the warehouse already exist".into()
            )]
        );
        // Before a noun they describe what is still to build.
        assert!(sc("build the final revenue mart").is_empty());
        assert!(sc("a ready made table").is_empty());
    }

    /// Every part × every way of saying it is kept, said after it: the
    /// part's words are in an exists scope.
    #[test]
    fn kept_said_after_the_part_says_it_exists() {
        let parts = ["the sql", "query and schema", "the dag", "metadata yaml"];
        let forms = [
            ("leave {} as it is", "leave"),
            ("leave {} as is", "leave"),
            ("{} are fine as they are", ""),
            ("leave {} alone", "leave"),
            ("{} is the same", ""),
        ];
        for part in parts {
            for (form, _) in forms {
                let goal = format!("add bigeye monitors, {}", form.replace("{}", part));
                let toks = tokenise(&stemmer(), &goal);
                let consumed = vec![false; toks.len()];
                let got = scopes(&toks, &consumed);
                let covered: Vec<&str> = got
                    .iter()
                    .filter(|s| s.kind == ScopeKind::Exists)
                    .flat_map(|s| s.words.iter().map(|&w| toks[w].word.as_str()))
                    .collect();
                let last = part.split(' ').next_back().unwrap_or_default();
                assert!(covered.contains(&last), "{goal}: {got:?}");
                assert!(!covered.contains(&"bigeye"), "{goal}: {got:?}");
            }
        }
        // "as" elsewhere is no cue.
        assert!(sc("as soon as the load lands, run the tests").is_empty());
        assert!(sc("leave a note as a comment in the model").is_empty());
    }

    #[test]
    fn work_said_to_come_later_is_not_asked_now() {
        assert_eq!(
            sc("before writing any sql, pin down the grain"),
            vec![(ScopeKind::Negated, "before writing any sql".into())]
        );
        assert_eq!(
            sc("list what is downstream before we drop it"),
            vec![(ScopeKind::Negated, "before we drop".into())]
        );
        assert!(sc("load it before 8am every day").is_empty());
    }

    #[test]
    fn a_thing_for_a_name_that_exists_is_the_thing() {
        let toks = tokenise(
            &stemmer(),
            "the query for search_derived.engine_share_daily_v1 already exists",
        );
        let got = scopes(&toks, &vec![false; toks.len()]);
        let covered: Vec<&str> = got
            .iter()
            .flat_map(|s| s.words.iter().map(|&w| toks[w].word.as_str()))
            .collect();
        assert!(covered.contains(&"query"), "{got:?}");
    }

    fn covered(goal: &str, kind: ScopeKind) -> Vec<String> {
        let toks = tokenise(&stemmer(), goal);
        let consumed = vec![false; toks.len()];
        scopes(&toks, &consumed)
            .iter()
            .filter(|s| s.kind == kind)
            .flat_map(|s| s.words.iter().map(|&w| toks[w].word.clone()))
            .collect()
    }

    /// Every part × every way of ruling it out, before or after it: the
    /// part is in a negated scope, the work asked for in the other clause
    /// is not.
    #[test]
    fn every_way_of_ruling_work_out_reaches_the_part_and_stops_at_the_clause() {
        let parts = [
            ("the bigconfig", "bigconfig"),
            ("monitoring", "monitoring"),
            ("the dag entry", "entry"),
            ("query.sql", "query"),
            ("dim_customer tests", "tests"),
            ("the transformation layer", "layer"),
        ];
        let forms = [
            "skip {}",
            "skipping {} for now",
            "omit {}",
            "leave out {}",
            "hold off on {}",
            "w/o {}",
            "{} later",
            "I'll do {} myself",
            "we write {} manually",
            "{} not needed",
            "{} is not required",
            "{} is out of scope",
            "{} is someone else's job",
            "{} is another team's job",
            "before anyone touches {}",
            "{} can come in a follow-up",
            "{} can wait",
            "keep {} out of it",
        ];
        for (part, word) in parts {
            for form in forms {
                for goal in [
                    format!("add metadata yaml; {}", form.replace("{}", part)),
                    format!("{}, add metadata yaml", form.replace("{}", part)),
                ] {
                    let neg = covered(&goal, ScopeKind::Negated);
                    assert!(neg.iter().any(|w| w == word), "{goal}: {neg:?}");
                    assert!(!neg.iter().any(|w| w == "metadata"), "{goal}: {neg:?}");
                }
            }
        }
    }

    #[test]
    fn what_the_goal_keeps_or_already_changed_exists() {
        for form in [
            "we stay on {}",
            "stick with {}",
            "keep using {}",
            "we remain on {}",
            "continue with {}",
            "already added two columns to {}",
            "we already decided on {}",
            "our existing {} should",
            "keep {}.",
        ] {
            let goal = format!("add retries, {}", form.replace("{}", "airflow"));
            let ex = covered(&goal, ScopeKind::Exists);
            assert!(ex.iter().any(|w| w == "airflow"), "{goal}: {ex:?}");
            assert!(!ex.iter().any(|w| w == "retries"), "{goal}: {ex:?}");
        }
    }

    #[test]
    fn what_works_fine_exists_and_a_choice_that_will_do_does_not() {
        for form in [
            "the {} works fine",
            "the {} itself is fine",
            "the {} is fine, leave it alone",
            "the {} is fine leave it alone",
            "the {} is fine, don't touch it",
        ] {
            for part in ["query", "ingestion", "pipeline"] {
                let goal = format!("add bigeye checks; {}", form.replace("{}", part));
                let ex = covered(&goal, ScopeKind::Exists);
                assert!(ex.iter().any(|w| w == part), "{goal}: {ex:?}");
                assert!(!ex.iter().any(|w| w == "bigeye"), "{goal}: {ex:?}");
            }
        }
        for goal in [
            "type 1 is fine, no history",
            "weekly full refresh is fine for the reference data",
            "a daily load is fine",
        ] {
            assert!(covered(goal, ScopeKind::Exists).is_empty(), "{goal}");
        }
    }

    #[test]
    fn an_existing_thing_ends_where_what_is_asked_of_it_begins() {
        for goal in [
            "our existing airflow should orchestrate the nightly load",
            "the existing dag needs retries",
            "existing warehouse is slow, tune it",
        ] {
            let ex = covered(goal, ScopeKind::Exists);
            for w in ["orchestrate", "retries", "slow", "nightly"] {
                assert!(!ex.iter().any(|x| x == w), "{goal}: {ex:?}");
            }
            assert_eq!(ex.len(), 1, "{goal}: {ex:?}");
        }
    }

    #[test]
    fn rules_of_a_load_and_times_are_no_cue() {
        for goal in [
            "skip bad rows and log them",
            "skip the header line of each csv",
            "skip weekends in the schedule",
            "the dag runs later than usual",
            "the dag runs keep timing out",
            "type 1 is fine, no history needed for it",
            "load it manually triggered? no",
        ] {
            let toks = tokenise(&stemmer(), goal);
            let got = scopes(&toks, &vec![false; toks.len()]);
            let negated: Vec<&str> = got
                .iter()
                .filter(|s| s.kind == ScopeKind::Negated)
                .flat_map(|s| s.words.iter().map(|&w| toks[w].word.as_str()))
                .collect();
            for w in ["bad", "header", "weekends", "dag", "type"] {
                assert!(!negated.contains(&w), "{goal}: {got:?}");
            }
        }
    }
}
