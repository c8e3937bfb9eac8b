//! The bundled packs and the goals of the evaluation sets, for tests that
//! sweep every goal a writer wrote.
#![allow(dead_code)]

use skillchain::pack::Registry;

/// The pack a goal detects and the skills it asks for, in run order.
pub fn asked(goal: &str) -> (String, Vec<String>) {
    let d = skillchain::detect::detect(bundled(), goal)
        .unwrap_or_else(|e| panic!("{goal:?} matched nothing: {e}"));
    let ids = d.inner.chain.iter().map(|e| e.id.clone()).collect();
    (d.inner.pack, ids)
}

/// Like [`asked`], `None` when the goal matches no pack.
pub fn try_asked(goal: &str) -> Option<(String, Vec<String>)> {
    let d = skillchain::detect::detect(bundled(), goal).ok()?;
    let ids = d.inner.chain.iter().map(|e| e.id.clone()).collect();
    Some((d.inner.pack, ids))
}

/// `None` when `goal` lands in `pack` and asks `skill`; otherwise the
/// goal and where it went, for a list of misses.
pub fn lands_asking(goal: &str, pack: &str, skill: &str) -> Option<String> {
    match try_asked(goal) {
        Some((got, ids)) if got == pack && ids.iter().any(|id| id == skill) => None,
        Some((got, ids)) => Some(format!("{goal:?} -> {got} {ids:?}")),
        None => Some(format!("{goal:?} -> no pack")),
    }
}

/// `None` when `goal` lands in `pack`, asks every skill of `wanted` and
/// none of `never`; otherwise the goal and where it went, for a list of
/// misses.
pub fn miss_unless(goal: &str, pack: &str, wanted: &[&str], never: &[&str]) -> Option<String> {
    let Some((got, ids)) = try_asked(goal) else {
        return Some(format!("{goal:?} -> no pack"));
    };
    let has = |s: &&str| ids.iter().any(|id| id == s);
    (got != pack || !wanted.iter().all(has) || never.iter().any(has))
        .then(|| format!("{goal:?} -> {got} {ids:?}"))
}

/// Asserts that every goal of `goals` lands in `pack`, asks every skill of
/// `wanted` and none of `never`; the message lists each miss.
pub fn sweep(goals: &[String], pack: &str, wanted: &[&str], never: &[&str]) {
    let misses: Vec<String> = goals
        .iter()
        .filter_map(|g| miss_unless(g, pack, wanted, never))
        .collect();
    assert!(
        misses.is_empty(),
        "{} of {} goals:\n{}",
        misses.len(),
        goals.len(),
        misses.join("\n")
    );
}

/// Every `a` joined with every `b`, in order.
pub fn cross(a: &[&str], b: &[&str], join: impl Fn(&str, &str) -> String) -> Vec<String> {
    a.iter()
        .flat_map(|x| b.iter().map(|y| join(x, y)).collect::<Vec<_>>())
        .collect()
}

/// Every ask with `{t}` replaced by every thing, said where it lives
/// (`place`: unchanged when the goal already says it), then followed by
/// every tail.
pub fn asks_of(
    asks: &[&str],
    things: &[&str],
    place: impl Fn(String) -> String,
    tails: &[&str],
) -> Vec<String> {
    let asked: Vec<String> = asks
        .iter()
        .flat_map(|a| things.iter().map(move |t| a.replace("{t}", t)))
        .map(place)
        .collect();
    let asked: Vec<&str> = asked.iter().map(String::as_str).collect();
    cross(&asked, tails, |a, t| format!("{a}{t}"))
}

/// The goals of `goals` that match a pack, each with the pack.
pub fn matched(goals: impl IntoIterator<Item = String>) -> Vec<String> {
    goals
        .into_iter()
        .filter_map(|g| try_asked(&g).map(|(pack, _)| format!("{g:?} -> {pack}")))
        .collect()
}

/// Asserts that `goal` lands in `pack`, asks every skill of `wanted` and
/// none of `never`.
pub fn check_asked(goal: &str, pack: &str, wanted: &[&str], never: &[&str]) {
    let (got, ids) = asked(goal);
    assert_eq!(got, pack, "{goal:?}");
    for w in wanted {
        assert!(
            ids.iter().any(|id| id == w),
            "{goal:?}: {w} not asked: {ids:?}"
        );
    }
    for n in never {
        assert!(
            !ids.iter().any(|id| id == n),
            "{goal:?}: {n} asked although ruled out: {ids:?}"
        );
    }
}

/// The bundled packs, loaded and linted once per test binary.
pub fn bundled() -> &'static Registry {
    static R: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    R.get_or_init(|| Registry::bundled_checked().expect("bundled packs load"))
}

#[derive(serde::Deserialize)]
struct Case {
    goal: String,
}

/// Every goal of every set in tests/fixtures/detect_eval, in file order.
pub fn eval_goals() -> Vec<String> {
    let dir = super::repo().join("tests/fixtures/detect_eval");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("eval dir reads")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut goals = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("eval file reads");
        let cases: Vec<Case> = serde_yaml::from_str(&text).expect("eval file parses");
        goals.extend(cases.into_iter().map(|c| c.goal));
    }
    goals
}
