//! The command line as a user and a script see it: output, exit codes, bad input.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use predicates::prelude::*;

fn bin() -> Command {
    let mut c = Command::cargo_bin("decline-lint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c
}

/// Standard output of a run that reads `input` from standard input.
fn stdout_with_input(args: &[&str], input: &str) -> String {
    let out = bin().args(args).write_stdin(input).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let out = bin().args(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn clean_letter_exits_zero() {
    bin()
        .args(["examples/letter.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 file: 0 errors, 0 warnings"))
        .stderr("");
}

#[test]
fn faulty_letter_exits_one_with_diagnostics() {
    bin()
        .args(["examples/blunt.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[unfilled-placeholder]"))
        .stdout(predicate::str::contains("warning[blunt-reason]"))
        .stdout(predicate::str::contains(
            "see: decline-lint guide show tips#be-honest-but-tactful",
        ));
}

#[test]
fn warnings_pass_unless_denied() {
    bin().args(["examples/casual.txt"]).assert().code(0);
    bin()
        .args(["--deny-warnings", "examples/casual.txt"])
        .assert()
        .code(1);
}

/// A phrase wrapped onto the next line, as mail often is, is still found,
/// where it is in the file, and quoted on one line.
#[test]
fn wrapped_phrases_are_found() {
    let letter = "Dear Ms. Lee,\n\nThank you for the invitation. Sadly the commute would be\n\
                  a nightmare, so I must withdraw. Please tell the [Job\nTitle] team.\n\
                  I hope our paths cross again.\n\nBest regards,\nSam Rivera\n";
    let out = stdout_with_input(&["--format", "short", "-"], letter);
    assert!(
        out.contains("<stdin>:3:37: warning[blunt-reason]: \"the commute would be a nightmare\""),
        "{out}"
    );
    assert!(
        out.contains(
            "<stdin>:4:50: error[unfilled-placeholder]: The template slot \"[Job Title]\""
        ),
        "{out}"
    );
}

/// Running with no rules at all says so: such a gate passes every letter.
#[test]
fn no_active_rules_is_a_warning() {
    bin()
        .args(["--no-default-rules", "examples/casual.txt"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning: no rules are active"));
}

/// A count of one takes the singular: "only 1 word", not "only 1 words".
#[test]
fn messages_agree_with_their_numbers() {
    let short = |body: &str| {
        stdout_with_input(
            &["--format", "short", "--select", "curt-letter", "-"],
            &format!("Dear Ann,\n\n{body}\n\nBest,\nBo\n"),
        )
    };
    let one = short("No.");
    assert!(one.contains("The body has only 1 word, which"), "{one}");
    assert!(short("No, thank you.").contains("The body has only 3 words, which"));
}

/// Fixes are not applied to decoded mail, so its findings are not offered
/// as fixable.
#[test]
fn decoded_mail_is_not_called_fixable() {
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("m.eml");
    std::fs::write(
        &mail,
        "From: Sam <sam@x.example>\r\nTo: Dana Park <dana@y.example>\r\nSubject: Interview\r\n\r\n\
         Hey Dana,\r\n\r\nThx for inviting me. I have decided to withdraw my application, \
         as I accepted another offer. I hope our paths cross again.\r\n\r\nBest,\r\nSam\r\n",
    )
    .unwrap();
    let out = stdout_of(&["--color", "never", mail.to_str().unwrap()]);
    assert!(
        out.contains("suggestion: `Thank you` (make it by hand"),
        "{out}"
    );
    assert!(!out.contains("fixable"), "{out}");
    let txt = dir.path().join("m.txt");
    std::fs::write(&txt, "Hey Dana,\n\nThx for inviting me.\n").unwrap();
    let out = stdout_of(&["--color", "never", txt.to_str().unwrap()]);
    assert!(
        out.contains("(fixable with --fix)") && out.contains("fixable with `--fix`"),
        "{out}"
    );
}

#[test]
fn human_output_snapshots() {
    for name in ["letter", "blunt", "casual", "reply"] {
        let out = stdout_of(&["--color", "never", &format!("examples/{name}.txt")]);
        insta::assert_snapshot!(format!("human_{name}"), out);
    }
}

#[test]
fn short_output_snapshots() {
    for name in ["letter", "blunt", "casual", "reply"] {
        let out = stdout_of(&["--format", "short", &format!("examples/{name}.txt")]);
        insta::assert_snapshot!(format!("short_{name}"), out);
    }
}

#[test]
fn json_output_has_the_documented_shape() {
    let out = stdout_of(&[
        "--format",
        "json",
        "examples/blunt.txt",
        "examples/letter.txt",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], 1);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], "examples/blunt.txt");
    let text = std::fs::read_to_string("examples/blunt.txt").unwrap();
    let findings = files[0]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in [
            "rule", "severity", "message", "help", "guide", "span", "fix",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        let span = &f["span"];
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(start <= end && end <= text.len());
        let line = span["line"].as_u64().unwrap() as usize;
        let column = span["column"].as_u64().unwrap() as usize;
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        assert_eq!(
            text[line_start..start].chars().count() + 1,
            column,
            "column of {f}"
        );
        for key in ["end_line", "end_column"] {
            assert!(span[key].as_u64().is_some());
        }
        assert!(f["fix"].is_null() || f["fix"]["applicability"].is_string());
    }
    let placeholder = findings
        .iter()
        .find(|f| f["rule"] == "unfilled-placeholder")
        .unwrap();
    let s = &placeholder["span"];
    assert_eq!(
        &text[s["start"].as_u64().unwrap() as usize..s["end"].as_u64().unwrap() as usize],
        "[Company Name]"
    );
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["errors"], 1);
    assert!(files[1]["findings"].as_array().unwrap().is_empty());
}

#[test]
fn json_lines_is_one_object_per_finding() {
    let out = stdout_of(&["--format", "json-lines", "examples/casual.txt"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 3);
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["path"], "examples/casual.txt");
        assert!(v["rule"].is_string());
    }
}

#[test]
fn moves_format_tags_sentences() {
    let out = stdout_of(&["--format", "moves", "examples/letter.txt"]);
    assert!(out.contains("greeting"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("gratitude") && l.contains("Thank you for inviting me")),
        "{out}"
    );
    assert!(out
        .lines()
        .any(|l| l.contains("decline") && l.contains("withdraw")));
    assert!(out
        .lines()
        .any(|l| l.contains("door-open") && l.contains("paths cross")));
}

/// The moves format shows every move, also those no rule that runs reads
/// (no default rule reads well-wishes; `shouting` reads no move at all).
#[test]
fn moves_format_shows_moves_no_selected_rule_reads() {
    let text = "Dear Sam,\n\nThank you for the invitation. I wish you the best of luck with the search.\n\nBest,\nAlex\n";
    for select in [&[][..], &["--select", "shouting"][..]] {
        let out = bin()
            .args(["--format", "moves"])
            .args(select)
            .arg("-")
            .write_stdin(text)
            .output()
            .unwrap();
        let out = String::from_utf8(out.stdout).unwrap();
        assert!(
            out.lines()
                .any(|l| l.contains("gratitude") && l.contains("Thank you")),
            "{select:?}: {out}"
        );
        assert!(
            out.lines()
                .any(|l| l.contains("well-wishes") && l.contains("best of luck")),
            "{select:?}: {out}"
        );
    }
}

#[test]
fn stdin_uses_the_given_name() {
    let text = std::fs::read_to_string("examples/blunt.txt").unwrap();
    bin()
        .args(["--format", "short", "--stdin-filename", "draft.txt", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("draft.txt:3:"));
}

#[test]
fn a_directory_is_searched_for_letters() {
    let out = bin()
        .args(["--format", "short", "examples"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("examples/blunt.txt:"), "{stdout}");
    assert!(stdout.contains("examples/casual.txt:"));
    assert!(stdout.contains("4 files:"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_color_env_and_color_flag() {
    let out = bin()
        .env("NO_COLOR", "1")
        .args(["--color", "auto", "examples/blunt.txt"])
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b));
    let out = bin()
        .args(["--color", "always", "examples/blunt.txt"])
        .output()
        .unwrap();
    assert!(out.stdout.contains(&0x1b));
    let out = bin()
        .args(["--color", "never", "examples/blunt.txt"])
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b));
}

#[test]
fn quiet_drops_the_checklist() {
    let out = stdout_of(&["-q", "examples/blunt.txt"]);
    assert!(!out.contains("✗ gratitude"));
    let out = stdout_of(&["examples/blunt.txt"]);
    assert!(out.contains("examples/blunt.txt  ✗ gratitude"), "{out}");
}

#[test]
fn select_ignore_and_statistics() {
    let out = stdout_of(&[
        "--format",
        "short",
        "--select",
        "blunt-reason",
        "examples/blunt.txt",
    ]);
    assert!(out
        .lines()
        .filter(|l| l.contains('['))
        .all(|l| l.contains("[blunt-reason]")));
    let out = stdout_of(&[
        "--format",
        "short",
        "--ignore",
        "unfilled-placeholder",
        "examples/blunt.txt",
    ]);
    assert!(!out.contains("unfilled-placeholder"));
    bin()
        .args(["--ignore", "unfilled-placeholder", "examples/blunt.txt"])
        .assert()
        .code(0);
    bin()
        .args(["--select", "no-such-rule", "examples/blunt.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `no-such-rule`"));
    let out = stdout_of(&["--statistics", "--format", "short", "examples"]);
    assert!(
        out.lines().any(|l| l.trim_end().ends_with("blunt-reason")),
        "{out}"
    );
}

#[test]
fn min_severity_drops_lower_findings() {
    let out = stdout_of(&[
        "--format",
        "short",
        "--min-severity",
        "error",
        "examples/blunt.txt",
    ]);
    assert!(out.contains("error[unfilled-placeholder]"));
    assert!(!out.contains("warning["));
}

#[test]
fn missing_file_is_reported_and_others_still_linted() {
    bin()
        .args([
            "--format",
            "short",
            "no/such/letter.txt",
            "examples/blunt.txt",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("examples/blunt.txt:"))
        .stderr(predicate::str::contains("no/such/letter.txt: no such file"));
}

fn temp_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), bytes).unwrap();
    dir
}

#[test]
fn bad_input_each_gets_one_clear_error() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.txt", b"  \n\n", "the letter is empty"),
        ("binary.txt", b"Dear\0\x01\x02", "binary file"),
        (
            "latin1.txt",
            b"Dear Ms. Lee,\n\nMerci, caf\xe9.\n",
            "not valid UTF-8",
        ),
    ];
    for (name, bytes, message) in cases {
        let dir = temp_with(name, bytes);
        let path = dir.path().join(name);
        let out = bin()
            .args(["--format", "short"])
            .arg(&path)
            .arg("examples/letter.txt")
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&path.display().to_string()),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(message), "{name}: {stderr}");
        assert_eq!(stderr.matches("error").count(), 1, "{name}: {stderr}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.contains("1 file:"),
            "{name}: the other letter was not linted: {stdout}"
        );
    }
    let dir = temp_with("latin1.txt", b"ok\nline two \xe9\n");
    bin()
        .arg(dir.path().join("latin1.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("latin1.txt:2:"))
        .stderr(predicate::str::contains("offset 12"));
}

#[test]
fn a_folder_with_no_letters_is_an_error() {
    let dir = temp_with("notes.pdf", b"%PDF");
    bin()
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds no letters"));
}

#[test]
fn oversized_letter_is_refused() {
    let dir = temp_with("big.txt", &vec![b'a'; 2000]);
    bin()
        .args(["--max-bytes", "1000"])
        .arg(dir.path().join("big.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "more than the limit of 1000 bytes",
        ));
}

fn rules_dir(name: &str, yaml: &str) -> tempfile::TempDir {
    temp_with(&format!("{name}.yaml"), yaml.as_bytes())
}

#[test]
fn a_rule_with_an_invalid_regex_points_at_the_line() {
    let dir = rules_dir(
        "odd-phrase",
        "extends: existence\nseverity: warning\nmessage: odd\nraw:\n  - 'fine'\n  - '(broken'\n",
    );
    bin()
        .args(["--color", "never", "--rules"])
        .arg(dir.path())
        .arg("examples/letter.txt")
        .assert()
        .code(2)
        .stdout(predicate::str::contains("1 file: 0 errors"))
        .stderr(predicate::str::contains("odd-phrase.yaml:6:"))
        .stderr(predicate::str::contains("invalid pattern `(broken`"));
}

#[test]
fn a_rule_with_an_unknown_field_points_at_the_line() {
    let dir = rules_dir(
        "odd-phrase",
        "extends: existence\nmessage: odd\ntokens: [odd]\nlevle: warning\n",
    );
    bin()
        .args(["--color", "never", "--rules"])
        .arg(dir.path())
        .arg("examples/letter.txt")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("odd-phrase.yaml:4:"))
        .stderr(predicate::str::contains("unknown field `levle`"));
}

#[test]
fn extra_rules_add_and_override() {
    let dir = rules_dir(
        "no-acme",
        "extends: existence\nseverity: error\nmessage: \"{match} is mentioned\"\nhelp: leave it out\ntokens: [Acme]\n",
    );
    std::fs::write(
        dir.path().join("slang.yaml"),
        "extends: existence\nseverity: info\nmessage: custom slang\nhelp: h\ntokens: [nope]\n",
    )
    .unwrap();
    let out = bin()
        .args(["--format", "short", "-v", "--rules"])
        .arg(dir.path())
        .arg("examples/letter.txt")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("error[no-acme]: Acme is mentioned"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("rule `slang`"), "{stderr}");
    let out = bin()
        .args(["--format", "short", "--no-default-rules", "--rules"])
        .arg(dir.path())
        .arg("examples/blunt.txt")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("blunt-reason"), "{stdout}");
}

#[test]
fn fix_applies_safe_fixes_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("casual.txt");
    std::fs::copy("examples/casual.txt", &path).unwrap();
    bin().arg("--fix").arg(&path).assert().code(0);
    let once = std::fs::read_to_string(&path).unwrap();
    assert!(once.starts_with("Hello Jordan,"), "{once}");
    assert!(once.contains("Thank you for the invite"));
    assert!(!once.contains("gonna"));
    bin().arg("--fix").arg(&path).assert().code(0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), once);
    bin().arg("--diff").arg(&path).assert().code(0).stdout("");
}

#[test]
fn diff_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("casual.txt");
    std::fs::copy("examples/casual.txt", &path).unwrap();
    bin()
        .arg("--diff")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-Hey Jordan,"))
        .stdout(predicate::str::contains("+Hello Jordan,"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read("examples/casual.txt").unwrap()
    );
}

#[test]
fn stdin_fix_prints_the_fixed_letter() {
    bin()
        .args(["--fix", "-"])
        .write_stdin("Hey Sam,\n\nThx, but I must decline.\n\nBest,\nAna\n")
        .assert()
        .stdout(predicate::str::starts_with(
            "Hello Sam,\n\nThank you, but I must decline.",
        ));
}

#[test]
fn stdin_fix_prints_an_unchanged_letter_too() {
    let text = std::fs::read_to_string("examples/letter.txt").unwrap();
    bin()
        .args(["--fix", "-"])
        .write_stdin(text.clone())
        .assert()
        .code(0)
        .stdout(text);
}

#[test]
fn rules_list_explain_and_test() {
    let out = stdout_of(&["rules", "list"]);
    assert!(out
        .lines()
        .any(|l| l.starts_with("missing-gratitude") && l.contains("warning")));
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&["rules", "list", "--format", "json"])).unwrap();
    assert!(v.as_array().unwrap().len() >= 26);
    let out = stdout_of(&["rules", "explain", "slang"]);
    assert!(out.contains("# slang (warning)"));
    assert!(out.contains("Bad examples"));
    bin().args(["rules", "explain", "nope"]).assert().code(2);
    bin()
        .args(["rules", "test"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 failed"));
    let dir = rules_dir(
        "says-banana",
        "extends: existence\nmessage: m\nhelp: h\ntokens: [banana]\nexamples:\n  bad: ['I like apples.']\n  good: ['I like a banana.']\n",
    );
    bin()
        .args(["rules", "test"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "a bad example does not fire the rule",
        ))
        .stderr(predicate::str::contains("a good example fires the rule"));
}

#[test]
fn no_arguments_is_a_usage_error() {
    bin()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no letters given"));
    bin().arg("--no-such-flag").assert().code(2);
    bin().arg("--help").assert().code(0);
}

#[test]
fn broken_pipe_is_not_an_error() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/letters");
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("decline-lint"))
        .args(["--color", "never"])
        .arg(&corpus)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!first.is_empty());
    assert_ne!(out.status.code(), Some(2));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::io::stdout().flush();
}
