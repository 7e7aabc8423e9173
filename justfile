# Recipes for mechanize-rs. `just --list` shows them.

# Run the whole test suite (the command CI and the README use).
test:
    cargo test --workspace

# Formatting, lints and docs, as CI checks them.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

# Criterion benchmarks (cookie engine vs cookie_store); see docs/benchmarks.md.
bench:
    cargo bench -p mechanize-benches

# Conformance suites (http-state through both policies, public suffix vectors).
conformance:
    cargo run -p cookiejar --example conformance

# Start the embedded demo site on 127.0.0.1 and crawl it, telling what each processor does.
demo:
    cargo run --release -p mechanize-cli -- demo

# API documentation for every crate of the workspace.
doc:
    cargo doc --workspace --no-deps
