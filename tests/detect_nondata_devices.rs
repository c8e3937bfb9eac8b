//! Devices, robots and systems code: fleets of kiosks, drones and robots
//! are scheduled, rebooted and updated every night, and a Rust service
//! has latency; none of it is data work. The same devices as a source of
//! telemetry are (issue 12, non-data goals refused).

mod common;

use common::evalgoals::{bundled, matched};
use skillchain::detect::detect;

/// Device and systems work; `{x}` is the device.
const SAYINGS: &[&str] = &[
    "{x} reboot every night at 3am, how do we stop it",
    "schedule the maintenance window for {x} so only 10% of the fleet is down at once",
    "{x} drop off the network during the evening peak, is it the access points?",
    "the nightly update keeps rebooting {x} in the middle of a shift",
];

const DEVICES: &[&str] = &[
    "the lobby kiosks",
    "the delivery drones",
    "the warehouse robots",
    "our self-checkout kiosks",
];

/// The same devices as a source of data.
const DATA_SAYINGS: &[&str] = &[
    "ingest telemetry from {x} into bronze every 5 minutes and build a daily utilization table",
    "kafka stream of status events from {x} into snowflake with a dbt model per hour",
    "daily table in bigquery of errors per device for {x}, partitioned by date, with tests",
];

#[test]
fn device_and_fleet_work_matches_no_pack() {
    let matched = matched(
        SAYINGS
            .iter()
            .flat_map(|s| DEVICES.iter().map(move |d| s.replace("{x}", d))),
    );
    assert!(
        matched.is_empty(),
        "{} of 16 matched:\n{}",
        matched.len(),
        matched.join("\n")
    );
}

#[test]
fn systems_code_in_rust_matches_no_pack() {
    let goals = [
        "our rust service p99 latency spiked after the tokio upgrade, profile the hot path",
        "port the pricing engine from python to rust and keep the same unit tests",
        "the Rust bidder times out on 3% of requests, profile the scoring path",
    ];
    let matched = matched(goals.map(String::from));
    assert!(matched.is_empty(), "{}", matched.join("\n"));
}

#[test]
fn devices_as_a_source_of_data_are_data_work() {
    let mut refused = Vec::new();
    for saying in DATA_SAYINGS {
        for device in DEVICES {
            let goal = saying.replace("{x}", device);
            if detect(bundled(), &goal).is_err() {
                refused.push(goal);
            }
        }
    }
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}
