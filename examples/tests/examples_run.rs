//! Runs every example of this package (cargo builds them before the tests) and checks that
//! each ends by itself, successfully, within a minute: the examples assert what they show, so
//! none rots.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// The example names, read from this package's manifest.
fn examples() -> Vec<String> {
    let manifest = include_str!("../Cargo.toml");
    let mut names = Vec::new();
    let mut in_example = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_example = line == "[[example]]";
        } else if let Some(name) = line.strip_prefix("name = ").filter(|_| in_example) {
            names.push(name.trim_matches('"').to_owned());
        }
    }
    names
}

/// `target/<profile>/examples`, from this test's own path `target/<profile>/deps/<test>`.
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples"))
        .expect("target layout")
}

#[test]
fn every_example_runs_to_success() {
    let names = examples();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let path = examples_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        assert!(path.exists(), "{} not built", path.display());
        let mut child = Command::new(&path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start the example");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("example {name} did not end within a minute");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let output = child.wait_with_output().expect("output");
        assert!(
            status.success(),
            "example {name} failed: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
