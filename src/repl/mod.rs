//! The interactive shell and saved query scripts.
