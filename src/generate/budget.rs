//! The render budget of pack templates: a template is a program a pack
//! author (maybe a remote one) wrote, so each render gets a bounded amount
//! of work (minijinja's fuel, set on every environment by `expr::base_env`)
//! and of output, per file and per run. Real packs use a small fraction.

use std::io;

use minijinja::{Environment, ErrorKind, Value};

/// Steps of template work per render or expression (a bundled template
/// needs well under 1 % of it). Two nested `range(100000)` stop in well
/// under a second.
pub const FUEL: u64 = 5_000_000;
/// Bytes one generated file may have.
pub const MAX_FILE_BYTES: usize = 8 << 20;
/// Bytes all generated files of one run may have together.
pub const MAX_RUN_BYTES: usize = 64 << 20;

/// Output bytes rendered so far in one plan.
#[derive(Debug, Default)]
pub struct Budget {
    used: usize,
}

impl Budget {
    /// Renders `template`, stopping as soon as its output passes the per-file
    /// limit or the run's remaining budget; errors name the template and the
    /// limit.
    /// `name` is the output path (its type picks the escaping), `template`
    /// the pack template the source comes from.
    pub fn render(
        &mut self,
        env: &Environment<'_>,
        name: &str,
        template: &str,
        source: &str,
        ctx: &Value,
    ) -> Result<String, String> {
        let left = MAX_RUN_BYTES.saturating_sub(self.used);
        let limit = MAX_FILE_BYTES.min(left);
        // The output is allocated before the scratch scope, so it grows
        // with the system allocator and outlives the scope.
        let mut out = Capped {
            bytes: Vec::with_capacity(source.len().min(limit)),
            limit,
            hit: false,
        };
        // Compiling makes and drops a syntax tree of many small nodes: all
        // of it is scratch, taken back at once (`arena::scratch`); messages
        // that outlive it are made outside.
        crate::arena::scratch(|| render_into(env, name, template, source, ctx, &mut out))?;
        self.used += out.bytes.len();
        String::from_utf8(out.bytes)
            .map_err(|_| format!("template {template} produced text that is not UTF-8"))
    }
}

fn render_into(
    env: &Environment<'_>,
    name: &str,
    template: &str,
    source: &str,
    ctx: &Value,
    out: &mut Capped,
) -> Result<(), String> {
    use crate::arena::outside;
    use std::io::Write as _;
    let limit = out.limit;
    let rendered = if is_plain_text(source) {
        // No tag, comment or printed value: it renders as itself, with
        // nothing to compile.
        out.write_all(source.as_bytes())
            .map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string()))
    } else {
        let tpl = env
            .template_from_named_str(name, source)
            .map_err(|e| outside(|| format!("template {template} failed: {e:#}")))?;
        tpl.render_captured_to(ctx, &mut *out).map(|_| ())
    };
    match rendered {
        Ok(_) => Ok(()),
        Err(_) if out.hit && limit < MAX_FILE_BYTES => Err(outside(|| {
            format!(
            "template {template} stopped: the files of this run passed {}, the limit for one run; a loop in a template is probably unbounded",
            mib(MAX_RUN_BYTES)
        )
        })),
        Err(_) if out.hit => Err(outside(|| {
            format!(
            "template {template} stopped: its output passed {}, the limit for one generated file; a loop in it is probably unbounded",
            mib(MAX_FILE_BYTES)
        )
        })),
        Err(e) if e.kind() == ErrorKind::OutOfFuel => Err(outside(|| {
            format!(
            "template {template} stopped: it did more than {FUEL} steps of work, the limit for one template; a loop in it is probably unbounded"
        )
        })),
        Err(e) => Err(outside(|| format!("template {template} failed: {e:#}"))),
    }
}

/// True when `source` has no `{{`, `{%` or `{#`: minijinja emits such a
/// template byte for byte.
fn is_plain_text(source: &str) -> bool {
    !source
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'{' && matches!(w[1], b'{' | b'%' | b'#'))
}

fn mib(bytes: usize) -> String {
    format!("{} MiB", bytes >> 20)
}

/// A writer that refuses to grow past `limit`.
struct Capped {
    bytes: Vec<u8>,
    limit: usize,
    hit: bool,
}

impl io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > self.limit {
            self.hit = true;
            return Err(io::Error::other("output limit reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Environment<'static> {
        crate::expr::base_env()
    }

    /// Generated texts without a tag: single braces, closers, percent
    /// signs, blank lines, CRLF, tabs, Unicode.
    #[test]
    fn plain_text_renders_as_minijinja_renders_it() {
        let pieces = [
            "a", "{", "}", "}}", "%}", "#}", "%", "#", " ", "\t", "\n", "\r\n", "  \n", "é", "名",
            "{ {", "x}", "-", "$", "\\",
        ];
        let e = env();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let mut checked = 0;
        for _ in 0..2000 {
            let n = (next() % 30) as usize;
            let text: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            if !is_plain_text(&text) {
                continue;
            }
            checked += 1;
            for name in ["out.txt", "out.yml", "dbt/models/x.sql"] {
                let direct = e
                    .template_from_named_str(name, &text)
                    .and_then(|t| t.render(Value::UNDEFINED))
                    .expect("plain text compiles");
                let budgeted = Budget::default()
                    .render(&e, name, "t.j2", &text, &Value::UNDEFINED)
                    .expect("renders");
                assert_eq!(budgeted, direct, "{text:?}");
                assert_eq!(budgeted, text);
            }
        }
        assert!(checked > 500, "{checked}");
        for tagged in ["{{ x }}", "a{%- if 1 %}b{% endif %}", "{# c #}", "{{"] {
            assert!(!is_plain_text(tagged));
        }
    }

    #[test]
    fn plain_text_over_the_run_limit_stops_like_a_template() {
        let seven = "x".repeat(7 << 20);
        let mut budget = Budget::default();
        let e = env();
        let results: Vec<_> = (0..10)
            .map(|_| budget.render(&e, "out.txt", "t.j2", &seven, &Value::UNDEFINED))
            .collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 9);
        assert_eq!(results[9].as_ref().unwrap_err(), "template t.j2 stopped: the files of this run passed 64 MiB, the limit for one run; a loop in a template is probably unbounded");
        let nine = "x".repeat(9 << 20);
        assert_eq!(
            Budget::default()
                .render(&e, "out.txt", "t.j2", &nine, &Value::UNDEFINED)
                .unwrap_err(),
            "template t.j2 stopped: its output passed 8 MiB, the limit for one generated file; a loop in it is probably unbounded"
        );
    }

    #[test]
    fn unbounded_loops_stop_with_the_template_named() {
        let started = std::time::Instant::now();
        let err = Budget::default()
            .render(
                &env(),
                "out.txt",
                "t.j2",
                "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
                &Value::UNDEFINED,
            )
            .unwrap_err();
        assert!(err.starts_with("template t.j2 stopped: "), "{err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn a_huge_output_stops_at_the_file_limit_and_the_run_limit() {
        let big = "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}";
        let err = Budget::default()
            .render(&env(), "out.txt", "t.j2", big, &Value::UNDEFINED)
            .unwrap_err();
        assert_eq!(err, "template t.j2 stopped: its output passed 8 MiB, the limit for one generated file; a loop in it is probably unbounded");
        // Many files just under the file limit exhaust the run's budget.
        let seven = "{{ 'x' * 7340032 }}";
        let mut budget = Budget::default();
        let e = env();
        let results: Vec<_> = (0..10)
            .map(|_| budget.render(&e, "out.txt", "t.j2", seven, &Value::UNDEFINED))
            .collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 9);
        assert_eq!(results[9].as_ref().unwrap_err(), "template t.j2 stopped: the files of this run passed 64 MiB, the limit for one run; a loop in a template is probably unbounded");
    }
}
