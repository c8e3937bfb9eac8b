//! The small benchmark harness both bench binaries share: warm-up, timed
//! iterations, min / median / max against a DESIGN §6 budget, and a smoke
//! mode (one run on small fixtures) when not started by `cargo bench`.
#![allow(dead_code)]

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Name, and a function that sets up its fixture and runs [`bench`].
pub type Case = (&'static str, fn(Mode) -> Measurement);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `cargo bench`: full-size fixtures, warm-up, timed iterations.
    Measure,
    /// Any other run: small fixtures, one iteration, no verdict.
    Smoke,
}

impl Mode {
    /// `full` at full size, a hundredth of it (at least 1) when smoking.
    pub fn scale(self, full: usize) -> usize {
        match self {
            Mode::Measure => full,
            Mode::Smoke => (full / 100).max(1),
        }
    }
}

pub struct Measurement {
    pub name: String,
    pub mode: Mode,
    pub min: Duration,
    pub median: Duration,
    /// The 99th percentile: the budget allows it twice the median's budget.
    pub p99: Duration,
    pub max: Duration,
    pub budget: Duration,
}

impl Measurement {
    pub fn within_budget(&self) -> bool {
        self.mode == Mode::Smoke || (self.median <= self.budget && self.p99 <= 2 * self.budget)
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` a few times untimed (caches, allocator, page cache), then
/// `iterations` timed runs; prints and returns the figures.
pub fn bench<T>(
    mode: Mode,
    name: &str,
    budget: Duration,
    iterations: usize,
    mut f: impl FnMut() -> T,
) -> Measurement {
    bench_timed(mode, name, budget, iterations, || {
        let start = Instant::now();
        black_box(f());
        start.elapsed()
    })
}

/// Like [`bench`], for cases that time the interesting part themselves
/// (set-up and tear-down of each iteration left out): `f` returns it.
pub fn bench_timed(
    mode: Mode,
    name: &str,
    budget: Duration,
    iterations: usize,
    mut f: impl FnMut() -> Duration,
) -> Measurement {
    let (warmup, iterations) = match mode {
        Mode::Measure => ((iterations / 5).max(1), iterations),
        Mode::Smoke => (0, 1),
    };
    for _ in 0..warmup {
        black_box(f());
    }
    let mut times: Vec<Duration> = (0..iterations.max(1)).map(|_| f()).collect();
    times.sort_unstable();
    let m = Measurement {
        name: name.to_string(),
        mode,
        min: times[0],
        median: times[times.len() / 2],
        p99: times[(times.len() * 99 / 100).min(times.len() - 1)],
        max: times[times.len() - 1],
        budget,
    };
    println!(
        "{:<48} min {:>8.3} ms  median {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms  budget median <= {} ms, p99 <= {} ms {}",
        m.name,
        ms(m.min),
        ms(m.median),
        ms(m.p99),
        ms(m.max),
        ms(m.budget),
        ms(2 * m.budget),
        match (mode, m.within_budget()) {
            (Mode::Smoke, _) => "(smoke run, not measured)",
            (Mode::Measure, true) => "PASS",
            (Mode::Measure, false) => "FAIL",
        }
    );
    m
}

/// Runs the cases `cargo bench --bench BENCH [FILTER]` selects.
pub fn run(bench_name: &str, cases: &[Case]) {
    // `cargo bench` passes `--bench`; anything else that is not a flag filters.
    let mode = if std::env::args().any(|a| a == "--bench") {
        Mode::Measure
    } else {
        Mode::Smoke
    };
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let results: Vec<Measurement> = cases
        .iter()
        .filter(|(name, _)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .map(|(_, case)| case(mode))
        .collect();
    let over: Vec<&str> = results
        .iter()
        .filter(|m| !m.within_budget())
        .map(|m| m.name.as_str())
        .collect();
    println!();
    if mode == Mode::Smoke {
        println!(
            "{} case(s) ran once on small fixtures; `cargo bench --bench {bench_name}` measures",
            results.len()
        );
    } else if over.is_empty() {
        println!("{} case(s), all within budget", results.len());
    } else {
        println!("over budget: {}", over.join(", "));
    }
}
