//! Rendering against the output recorded before template compilation and
//! the expression context changed: every bundled pack, under generated
//! sessions (seeded random goals, blueprints, customized chains and
//! answers; `session::generated`), must plan exactly the files, contents,
//! skip reasons and problems whose digests `plan_digests.txt` holds
//! (record again with `SKILLCHAIN_RECORD_DIGESTS=1` only when an output is
//! meant to change).

use super::*;
use crate::pack::Registry;
use crate::session::generated::{digest, generated_session};
use std::fmt::Write as _;
use std::sync::Arc;

const SEEDS: u64 = 10;
const TABLE: &str = "src/generate/plan_digests.txt";

#[test]
fn generated_sessions_render_as_recorded() {
    let root = std::path::Path::new("/nonexistent-skillchain-output");
    let mut table = String::new();
    for pack in Registry::bundled().expect("bundled packs load").packs {
        let pack = Arc::new(pack);
        for seed in 0..SEEDS {
            let session = generated_session(&pack, seed, &mut |_, _| {});
            let mut text = String::new();
            match build_plan(&session, root) {
                Ok(plan) => {
                    for f in &plan.files {
                        let _ = writeln!(
                            text,
                            "{} {} {} {:?} {:?}\n{}",
                            f.path, f.skill, f.template, f.status, f.reason, f.content
                        );
                    }
                }
                Err(p) => {
                    let _ = writeln!(text, "{p:?}");
                }
            }
            let files = text.lines().filter(|l| l.contains(" New ")).count();
            let _ = writeln!(table, "{} {seed} {files} {}", pack.id(), digest(&text));
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    if std::env::var_os("SKILLCHAIN_RECORD_DIGESTS").is_some() {
        std::fs::write(&path, &table).expect("digest table written");
        return;
    }
    let recorded = std::fs::read_to_string(&path).expect("digest table exists");
    for (got, want) in table.lines().zip(recorded.lines()) {
        assert_eq!(got, want, "a generated session rendered other files");
    }
    assert_eq!(table.lines().count(), recorded.lines().count());
}
