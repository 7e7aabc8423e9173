//! Benchmarks for the workspace live in `benches/benches/`.
