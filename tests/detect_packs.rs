//! Detection across every bundled pack: each pack's example goals (the ones
//! shown to a user whose goal matched nothing) must detect that pack, so no
//! pack's triggers shadow another's.

use skillchain::detect::detect;
use skillchain::pack::Registry;

#[test]
fn every_bundled_example_goal_detects_its_own_pack() {
    let registry = Registry::bundled_checked().expect("bundled packs load");
    let mut wrong = Vec::new();
    let mut checked = 0;
    for pack in &registry.packs {
        assert!(
            pack.manifest.examples.len() >= 5,
            "pack {} lists {} example goals; at least 5 are expected",
            pack.manifest.id,
            pack.manifest.examples.len()
        );
        for goal in &pack.manifest.examples {
            checked += 1;
            match detect(&registry, goal) {
                Ok(d) if d.inner.pack == pack.manifest.id => {
                    assert!(!d.inner.chain.is_empty(), "{goal:?} detects an empty chain");
                }
                Ok(d) => wrong.push(format!(
                    "{goal:?} (an example of {}) detects {}",
                    pack.manifest.id, d.inner.pack
                )),
                Err(_) => wrong.push(format!(
                    "{goal:?} (an example of {}) detects no pack",
                    pack.manifest.id
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 5);
}
