//! One module per screen of the journey: its view state, how its actions
//! become session commands, and how it draws.

pub mod chain;
pub mod customize;
pub mod field;
pub mod goal;
pub mod overlay;
pub mod packs;
pub mod question;
pub mod report;
pub mod resume;
pub mod review;
pub mod tree;
