//! Servers shared by several test files.

pub mod tls;
