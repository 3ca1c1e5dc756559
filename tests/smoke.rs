#![allow(clippy::unwrap_used, clippy::expect_used)]
mod support;

#[test]
fn version_and_help() {
    let env = support::Env::new();
    env.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicates::str::contains(env!("CARGO_PKG_VERSION")));
}
