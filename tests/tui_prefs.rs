//! Remembering answers at the end of a journey. Alone in its test binary
//! because it points the config dir (an environment variable) elsewhere.

#[path = "tui/harness.rs"]
mod harness;

use harness::Ui;
use skillchain::tui::Keymap;

#[test]
fn the_report_offers_to_remember_answers_and_the_next_journey_takes_them_as_defaults() {
    let config = harness::short_tempdir();
    // The preferences live in the config dir; point it at a fresh one.
    std::env::set_var("XDG_CONFIG_HOME", config.path());
    let mut ui = Ui::mini("kafka pipeline with dbt");
    ui.keys("enter down enter down enter");
    ui.keys("ctrl-d w w");
    let s = ui.screen();
    assert!(
        s.contains("• want these answers as defaults next time? see"),
        "{s}"
    );
    assert!(s.contains(" r remember answers "), "{s}");
    ui.keys("r");
    let s = ui.screen();
    assert!(
        s.contains("Remember answers as defaults for next time?"),
        "{s}"
    );
    assert!(s.contains("› [x] base.cloud = gcp"), "{s}");
    assert!(
        !s.contains("blueprint.size"),
        "quick-setup answers are not kept:\n{s}"
    );
    ui.keys("enter");
    let prefs = config.path().join("skillchain/preferences/mini.yaml");
    let s = ui.screen();
    assert!(s.contains("• remembered 1 answer for pack mini in"), "{s}");
    assert!(prefs.is_file(), "{s}");
    assert!(!s.contains(" r remember answers "), "offered once:\n{s}");

    // The next journey, with preferences on, starts from them.
    let registry =
        skillchain::pack::Registry::load(&[harness::repo().join("tests/fixtures/packs/mini")])
            .unwrap();
    let opts = skillchain::tui::Options {
        goal: Some("kafka pipeline with dbt".into()),
        pack: Some("mini".into()),
        out: Some(ui.dir.path().join("second")),
        ..Default::default()
    };
    ui.app = skillchain::tui::App::new(
        std::sync::Arc::new(registry),
        opts,
        skillchain::tui::Theme::monochrome(),
        Keymap::default(),
    );
    assert_eq!(
        ui.value("base", "cloud"),
        ("gcp".into(), "saved preference".into())
    );
    assert!(ui
        .screen()
        .contains("• 1 remembered answer used as defaults (saved preference)"));
    std::env::remove_var("XDG_CONFIG_HOME");
}
