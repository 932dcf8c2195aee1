//! Support for the openCypher TCK runner (`tests/tck.rs`): reading feature files, the TCK's
//! value notation, comparing results and counting side effects.
//!
//! None of it runs queries or prints; the runner does both.

pub mod compare;
pub mod effects;
pub mod feature;
pub mod value;
