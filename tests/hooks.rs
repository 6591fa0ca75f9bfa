//! The wiring examples: the mutt sendmail wrapper, the Git hook and the pre-commit manifest.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("decline-lint")
}

const GOOD: &str = "From: Sam Rivera <sam@example.com>\nTo: Dana Lee <dana@example.com>\nSubject: Interview for the Data Analyst role\n\nDear Ms. Lee,\n\nThank you for inviting me to interview for the Data Analyst position. After careful thought, I have decided to withdraw from the process, as I have accepted an offer that fits my goals more closely.\n\nI hope our paths cross again in the future.\n\nBest regards,\nSam Rivera\n";
const BAD: &str = "From: Sam Rivera <sam@example.com>\nTo: Dana Lee <dana@example.com>\nSubject: Interview\n\nDear [Hiring Manager's Name],\n\nThank you for the invitation. I will not attend the interview, as I have accepted another offer.\n\nBest regards,\nSam Rivera\n";

fn send(message: &str, outbox: &Path) -> std::process::Output {
    // A stand-in for sendmail that files the message in `outbox`.
    let fake = outbox.with_extension("sendmail");
    std::fs::write(&fake, format!("#!/bin/sh\ncat > '{}'\n", outbox.display())).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = Command::new(root().join("examples/hooks/decline-lint-sendmail"))
        .args(["-oem", "-oi", "dana@example.com"])
        .env("DECLINE_LINT", binary())
        .env("DECLINE_LINT_SENDMAIL", &fake)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(message.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn sendmail_wrapper_sends_good_letters_and_holds_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("sent.eml");
    let out = send(GOOD, &outbox);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&outbox).unwrap(), GOOD);

    let held = dir.path().join("held.eml");
    let out = send(BAD, &held);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("unfilled-placeholder"), "{stderr}");
    assert!(stderr.contains("not sent"), "{stderr}");
    assert!(!held.exists(), "the bad letter was passed to sendmail");
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("DECLINE_LINT", binary())
        .output()
        .unwrap()
}

#[test]
fn git_hook_refuses_letters_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(git(d, &["init", "-q"]).status.success());
    std::fs::copy(
        root().join("examples/hooks/pre-commit"),
        d.join(".git/hooks/pre-commit"),
    )
    .unwrap();
    std::fs::write(d.join("good.eml"), GOOD).unwrap();
    git(d, &["add", "good.eml"]);
    let ok = git(d, &["commit", "-q", "-m", "good"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    std::fs::write(d.join("bad.eml"), BAD).unwrap();
    git(d, &["add", "bad.eml"]);
    let refused = git(d, &["commit", "-q", "-m", "bad"]);
    assert!(!refused.status.success());
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(
        all.contains("bad.eml:5:6: error[unfilled-placeholder]"),
        "{all}"
    );
    assert!(all.contains("commit refused"), "{all}");
}

#[test]
fn pre_commit_manifest_names_the_binary_and_letter_files() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<serde_yaml::Value> = serde_yaml::from_str(&text).unwrap();
    assert_eq!(hooks.len(), 1);
    let h = &hooks[0];
    assert_eq!(h["id"], "decline-lint");
    assert_eq!(h["entry"], "decline-lint");
    assert_eq!(h["language"], "rust");
    let files = regex::Regex::new(h["files"].as_str().unwrap()).unwrap();
    for name in ["a.txt", "b/c.eml", "d.md"] {
        assert!(files.is_match(name));
    }
    assert!(!files.is_match("notes.pdf"));
    // The entry with its arguments works as pre-commit would call it.
    let args: Vec<String> = h["args"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let out = Command::new(binary())
        .args(&args)
        .arg(root().join("examples/blunt.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[unfilled-placeholder]"));
}
