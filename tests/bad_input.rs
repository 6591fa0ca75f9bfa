//! Hostile rule files, hostile letters, and `--fix` when writing goes wrong:
//! one test per row of the table in docs/reliability.md. Each asserts the exact
//! exit code and a message that names the file.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::{Duration, Instant};

use assert_cmd::prelude::*;
use assert_cmd::Command;
use predicates::prelude::*;

/// A guard against hangs, far above what any of these runs needs.
const TIMEOUT: Duration = Duration::from_secs(120);

const CLEAN: &str =
    "Dear Ms. Lee,\n\nThank you for inviting me to interview for the analyst role. \
I have decided to withdraw my application, as I have accepted another offer.\n\n\
I hope our paths cross again.\n\nBest regards,\nSam Rivera\n";

/// A letter with one safe fix (`the the`).
const FIXABLE: &str =
    "Dear Ms. Lee,\n\nThank you for inviting me to interview for the the analyst role. \
I have decided to withdraw my application, as I have accepted another offer.\n\n\
I hope our paths cross again.\n\nBest regards,\nSam Rivera\n";

/// The clean letter with `extra` added to its last body paragraph.
fn with_body(extra: &str) -> String {
    let last = "I hope our paths cross again.";
    CLEAN.replace(last, &format!("{last} {extra}"))
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("decline-lint").unwrap();
    c.env_remove("NO_COLOR").timeout(TIMEOUT);
    c
}

/// The run failed on bad input: exit code 2, and `message` on standard error.
trait FailsWith {
    fn fails_with(&mut self, message: impl AsRef<str>) -> assert_cmd::assert::Assert;
}

impl FailsWith for Command {
    fn fails_with(&mut self, message: impl AsRef<str>) -> assert_cmd::assert::Assert {
        failed(self.assert(), message.as_ref())
    }
}

impl FailsWith for StdCommand {
    fn fails_with(&mut self, message: impl AsRef<str>) -> assert_cmd::assert::Assert {
        failed(self.assert(), message.as_ref())
    }
}

fn failed(run: assert_cmd::assert::Assert, message: &str) -> assert_cmd::assert::Assert {
    run.code(2)
        .stderr(predicate::str::contains(message.to_string()))
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    p
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

// ---------------------------------------------------------------- rule files

/// Nine anchors, each a list of nine aliases of the one before: 9⁹ strings,
/// as the entries of a mapping (`map`) or of a list.
fn alias_bomb(map: bool) -> String {
    let entry = |c: char| {
        if map {
            format!("  {c}: ")
        } else {
            "  - ".to_string()
        }
    };
    let lol = ["\"lol\""; 9].join(",");
    let mut yaml = format!("{}&a [{lol}]\n", entry('a'));
    let mut prev = 'a';
    for c in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{}&{c} [{refs}]\n", entry(c)));
        prev = c;
    }
    yaml
}

#[test]
fn rule_file_alias_bomb_is_rejected_quickly() {
    // A native rule (`swap` is read as a free mapping), and a Vale rule (read
    // loosely first, as a YAML value).
    let native = format!(
        "extends: substitution\nmessage: m\nswap:\n{}",
        alias_bomb(true)
    );
    let vale = format!(
        "extends: existence\nmessage: m\nlevel: warning\nbomb:\n{}tokens: *i\n",
        alias_bomb(false)
    );
    for (name, yaml) in [("bomb.yaml", native), ("vale-bomb.yml", vale)] {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), name, yaml);
        let start = Instant::now();
        bin()
            .args(["--rules", &s(dir.path()), "-"])
            .write_stdin(CLEAN)
            .fails_with(s(&path))
            .stderr(predicate::str::contains("alias bomb"));
        eprintln!("{name} rejected in {:?}", start.elapsed());
    }
}

#[test]
fn rule_file_nested_too_deeply_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = format!(
        "extends: existence\nmessage: m\ntokens: [zzz]\nswap: {{a: {}{}}}\n",
        "[".repeat(500_000),
        "]".repeat(500_000)
    );
    let path = write(dir.path(), "deep.yaml", yaml);
    bin()
        .args(["--rules", &s(dir.path()), "-"])
        .write_stdin(CLEAN)
        .fails_with(s(&path))
        .stderr(predicate::str::contains("nests too deeply"));
}

#[test]
fn rule_with_a_huge_automaton_is_rejected_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "huge-regex.yaml",
        "extends: existence\nmessage: m\nraw: ['\\w{1000}\\w{1000}\\w{1000}']\n",
    );
    bin()
        .args(["--rules", &s(dir.path()), "-"])
        .write_stdin(CLEAN)
        .fails_with(s(&path))
        .stderr(predicate::str::contains("compiles to more than"));
}

#[test]
fn rule_file_of_ten_megabytes_is_refused_and_the_others_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = String::from("extends: existence\nmessage: m\ntokens: [zzz]\ndescription: |\n");
    while big.len() < 10 * 1024 * 1024 {
        big.push_str("  padding padding padding padding padding padding padding padding\n");
    }
    let path = write(dir.path(), "big.yaml", big);
    write(
        dir.path(),
        "small-rule.yaml",
        "extends: existence\nmessage: found quux\ntokens: [quux]\n",
    );
    bin()
        .args(["--rules", &s(dir.path()), "--format", "short", "-"])
        .write_stdin(with_body("quux"))
        .fails_with(s(&path))
        .stderr(predicate::str::contains("limited to 1048576 bytes"))
        .stdout(predicate::str::contains("[small-rule]"));
}

#[test]
fn ten_thousand_rules_load_and_run() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        write(
            dir.path(),
            &format!("rule-{i:05}.yaml"),
            format!("extends: existence\nmessage: found token {i}\ntokens: [zqx{i:05}]\n"),
        );
    }
    let start = Instant::now();
    bin()
        .args([
            "--rules",
            &s(dir.path()),
            "--deny-warnings",
            "--format",
            "short",
            "-",
        ])
        .write_stdin(with_body("zqx04242"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "warning[rule-04242]: found token 4242",
        ));
    eprintln!("10,000 rules loaded and run in {:?}", start.elapsed());
}

#[test]
fn tokens_with_regex_metacharacters_are_literal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "meta-tokens.yaml",
        "extends: existence\nmessage: 'found {match}'\n\
         tokens: ['a.b', '(c)', '$5*', 'x|y', '[z]', '^start', 'end$', '\\d+', 'a+?']\n",
    );
    let run = |letter: &str| {
        bin()
            .args(["--rules", &s(dir.path()), "--select", "meta-tokens"])
            .args(["--deny-warnings", "--format", "short", "-"])
            .write_stdin(letter.to_string())
            .assert()
    };
    // Text the tokens would match as regexes, but not literally.
    run(&with_body("axb c 5555 x y z start end 42 aaa")).code(0);
    for literal in [
        "a.b", "(c)", "$5*", "x|y", "[z]", "^start", "end$", "\\d+", "a+?",
    ] {
        run(&with_body(literal))
            .code(1)
            .stdout(predicate::str::contains(format!("found {literal}")));
    }
}

#[test]
fn rule_that_matches_empty_text_is_rejected() {
    for raw in ["x*", "(?-u:\\b)\\B", "\\b|q"] {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "empty-match.yaml",
            format!("extends: existence\nmessage: m\nraw: ['{raw}']\n"),
        );
        bin()
            .args(["--rules", &s(dir.path()), "-"])
            .write_stdin(CLEAN)
            .fails_with(s(&path))
            .stderr(predicate::str::contains("can match empty text"));
    }
}

#[test]
fn duplicate_ids_across_folders_later_wins_and_says_so() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let a = write(
        first.path(),
        "same-id.yaml",
        "extends: existence\nmessage: first\ntokens: [alpha]\n",
    );
    let b = write(
        second.path(),
        "same-id.yaml",
        "extends: existence\nmessage: second\ntokens: [beta]\n",
    );
    bin()
        .args(["--rules", &s(first.path()), "--rules", &s(second.path())])
        .args(["-v", "--select", "same-id", "--format", "short", "-"])
        .write_stdin(with_body("alpha beta"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains(format!(
            "rule `same-id` from {} replaces the one from {}",
            s(&b),
            s(&a)
        )))
        .stdout(predicate::str::contains("[same-id]: second"))
        .stdout(predicate::str::contains("[same-id]: first").not());
}

// ------------------------------------------------------------------- letters

#[test]
fn fifty_megabyte_letter_is_refused_unless_the_limit_is_raised() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    bin()
        .arg(&huge)
        .fails_with(format!(
            "{}: the file is 52428800 bytes, more than the limit of 1048576 bytes (raise it with --max-bytes)",
            s(&huge)
        ));
    // The same on standard input, which is read no further than the limit.
    bin()
        .args(["--stdin-filename", "piped.txt", "-"])
        .write_stdin(CLEAN.repeat(3 * 1024 * 1024 / CLEAN.len()))
        .fails_with("piped.txt: the file is 1048577 bytes");
    // Raised, a large letter is read.
    let big = write(dir.path(), "big.txt", CLEAN.repeat(1_200_000 / CLEAN.len()));
    bin()
        .args(["--max-bytes", "2000000", "--format", "short"])
        .arg(&big)
        .assert()
        .stdout(predicate::str::contains("1 file:"));
}

#[test]
fn nul_bytes_mean_binary() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    bin().arg(&p).fails_with(format!(
        "{}: this looks like a binary file (a NUL byte at offset 8)",
        s(&p)
    ));
}

#[test]
fn invalid_utf8_names_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "latin1.txt",
        b"Dear Sam,\n\nMerci beaucoup, caf\xe9.\n",
    );
    bin().arg(&p).fails_with(format!(
        "{}:3: the text is not valid UTF-8 (bad byte at offset 30)",
        s(&p)
    ));
}

#[test]
fn a_fifo_is_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.txt");
    let made = StdCommand::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED: mkfifo is not available");
        return;
    }
    bin()
        .arg(&fifo)
        .fails_with(format!("{}: not a regular file", s(&fifo)));
    // In a folder, a FIFO is not a letter: it is passed over.
    write(dir.path(), "letter.txt", CLEAN);
    bin()
        .args(["--format", "short"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 file: 0 errors"));
}

#[test]
fn a_device_is_refused() {
    bin()
        .arg("/dev/zero")
        .fails_with("/dev/zero: not a regular file");
}

#[test]
fn a_symlink_loop_in_a_folder_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "letter.txt", CLEAN);
    std::os::unix::fs::symlink("loop-b.txt", dir.path().join("loop-a.txt")).unwrap();
    std::os::unix::fs::symlink("loop-a.txt", dir.path().join("loop-b.txt")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
    bin()
        .args(["--format", "short"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 file: 0 errors"));
    // Named on the command line, the loop is an error naming it.
    let a = dir.path().join("loop-a.txt");
    bin()
        .arg(&a)
        .fails_with(format!("{}: cannot read it", s(&a)));
}

#[test]
fn a_path_with_non_utf8_bytes_is_read_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join(OsStr::from_bytes(b"caf\xe9.txt"));
    std::fs::write(&good, CLEAN).unwrap();
    let bad = dir.path().join(OsStr::from_bytes(b"na\xefve.txt"));
    std::fs::write(&bad, b"a\0b").unwrap();
    bin()
        .args(["--format", "short"])
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("1 file: 0 errors"))
        .stderr(predicate::str::contains(format!(
            "{}: this looks like a binary file",
            s(&bad)
        )));
}

#[test]
fn a_file_gone_before_reading_is_reported_and_the_rest_linted() {
    let dir = tempfile::tempdir().unwrap();
    let here = write(dir.path(), "here.txt", CLEAN);
    let gone = dir.path().join("gone.txt");
    bin()
        .args(["--format", "short"])
        .arg(&here)
        .arg(&gone)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("1 file: 0 errors"))
        .stderr(predicate::str::contains(format!(
            "{}: no such file or folder",
            s(&gone)
        )));

    // The same race in the library: the walk finds a file, then it vanishes.
    let listed = decline_lint::input::expand(&[dir.path().to_path_buf()], "-");
    write(dir.path(), "later.txt", CLEAN);
    std::fs::remove_file(&here).unwrap();
    let errors: Vec<String> = listed
        .into_iter()
        .map(|src| {
            decline_lint::input::read_bytes(&src.unwrap(), 1 << 20)
                .unwrap_err()
                .to_string()
        })
        .collect();
    assert_eq!(
        errors,
        vec![format!("{}: no such file or folder", s(&here))]
    );
}

#[test]
fn an_unreadable_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "secret.txt", CLEAN);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let Some(mut cmd) = unprivileged(dir.path()) else {
        return;
    };
    cmd.arg(&p).fails_with(format!("{}: cannot read it", s(&p)));
}

#[test]
fn an_unreadable_folder_inside_a_folder_is_reported_and_the_rest_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", CLEAN);
    write(dir.path(), "z.txt", CLEAN);
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    write(&locked, "inside.txt", CLEAN);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let Some(mut cmd) = unprivileged(dir.path()) else {
        return;
    };
    let out = cmd
        .args(["--format", "short"])
        .arg(dir.path())
        .output()
        .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("{}: cannot read it", s(&locked))),
        "{stderr}"
    );
    assert!(stdout.contains("2 files: 0 errors"), "{stdout}");
}

#[test]
fn ansi_escapes_in_a_letter_or_file_name_do_not_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "evil\x1b[2J.txt",
        "Dear Sam,\n\nThank you {\x1b]0;pwned\x07} \x1b[2J\x1b[31mfor the invite.\r\x1b[1A I decline.\n\nBest,\nSam\n",
    );
    let out = bin()
        .args(["--color", "always"])
        .arg(&p)
        .assert()
        .code(1)
        .get_output()
        .clone();
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        for raw in ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b[1A", "\x07"] {
            assert!(!text.contains(raw), "{raw:?} reached the terminal:\n{text}");
        }
    }
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("evil?[2J.txt"), "{text}");
    assert!(text.contains("{?]0;pwned?}"), "{text}");
}

// ------------------------------------------------------- never lose a letter

fn is_root() -> bool {
    let dir = tempfile::tempdir().unwrap();
    std::fs::metadata(dir.path()).unwrap().uid() == 0
}

/// The binary as a user without privileges: `nobody` when the tests run as
/// root (where permission bits do not stop writes), else the current user.
/// `None`, with a note, when that cannot be arranged.
fn unprivileged(dir: &Path) -> Option<StdCommand> {
    let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_decline-lint"));
    cmd.env_remove("NO_COLOR");
    if is_root() {
        use std::os::unix::process::CommandExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        cmd.uid(65534).gid(65534);
        let probe = StdCommand::new(env!("CARGO_BIN_EXE_decline-lint"))
            .uid(65534)
            .gid(65534)
            .arg("--version")
            .output();
        if !probe.is_ok_and(|o| o.status.success()) {
            eprintln!(
                "SKIPPED: running as root and the binary cannot run as `nobody`; \
                 permission bits would not stop root"
            );
            return None;
        }
    }
    Some(cmd)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn fix_leaves_a_read_only_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "letter.txt", FIXABLE);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    bin().arg("--fix").arg(&p).fails_with(format!(
        "{}: cannot write the fixed letter, it was left as it was: the file is read-only",
        s(&p)
    ));
    assert_eq!(std::fs::read_to_string(&p).unwrap(), FIXABLE);
    assert_eq!(entries(dir.path()), ["letter.txt"]);
}

#[test]
fn fix_in_a_read_only_folder_leaves_the_letter_alone() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("locked");
    std::fs::create_dir(&folder).unwrap();
    let p = write(&folder, "letter.txt", FIXABLE);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let Some(mut cmd) = unprivileged(dir.path()) else {
        return;
    };
    cmd.arg("--fix").arg(&p).fails_with(format!(
        "{}: cannot write the fixed letter, it was left as it was: Permission denied",
        s(&p)
    ));
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), FIXABLE);
    assert_eq!(entries(&folder), ["letter.txt"]);
}

/// A letter larger than the 1 KiB file-size limit set below.
fn long_fixable() -> String {
    let filler = "I enjoyed learning about the team and its plans for the coming year. ";
    FIXABLE.replace(
        "\n\nI hope",
        &format!("\n\n{}\n\nI hope", filler.repeat(40)),
    )
}

/// Runs `--fix` under `ulimit -f 1` (files may not grow past 1 KiB), with the
/// SIGXFSZ signal ignored (writes fail, as on a full disk) or not (the kernel
/// kills the process in the middle of writing).
fn fix_under_file_size_limit(path: &Path, ignore_signal: bool) -> std::process::Output {
    let trap = if ignore_signal { "trap '' XFSZ; " } else { "" };
    StdCommand::new("bash")
        .arg("-c")
        .arg(format!(
            "{trap}ulimit -c 0; ulimit -f 1; exec \"$0\" --fix \"$1\""
        ))
        .current_dir(path.parent().unwrap())
        .arg(env!("CARGO_BIN_EXE_decline-lint"))
        .arg(path)
        .output()
        .unwrap()
}

#[test]
fn fix_on_a_full_disk_leaves_the_letter_alone() {
    let dir = tempfile::tempdir().unwrap();
    let letter = long_fixable();
    let p = write(dir.path(), "letter.txt", &letter);
    let out = fix_under_file_size_limit(&p, true);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: cannot write the fixed letter, it was left as it was: File too large",
            s(&p)
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), letter);
    assert_eq!(
        entries(dir.path()),
        ["letter.txt"],
        "the temporary file is removed"
    );
}

#[test]
fn fix_killed_mid_write_leaves_the_letter_alone() {
    let dir = tempfile::tempdir().unwrap();
    let letter = long_fixable();
    let p = write(dir.path(), "letter.txt", &letter);
    let out = fix_under_file_size_limit(&p, false);
    assert_eq!(
        out.status.code(),
        None,
        "the process was killed by a signal"
    );
    assert_eq!(std::fs::read_to_string(&p).unwrap(), letter);
    // The half-written temporary file stays behind (nothing runs after a
    // kill), beside the intact letter and under a name that is not a letter's.
    let names = entries(dir.path());
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names[0].starts_with(".letter.txt.decline-lint-") && names[0].ends_with(".tmp"),
        "{names:?}"
    );
    // A folder lint passes it over (a hidden name, and not *.txt).
    bin()
        .args(["--format", "short"])
        .arg(dir.path())
        .assert()
        .stdout(predicate::str::contains("1 file:"));
}

#[test]
fn atomic_write_keeps_the_original_when_no_temporary_file_can_be_made() {
    use decline_lint::lint::fix::write_atomic;
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "letter.txt", "original");
    // Every temporary name write_atomic may try is taken.
    for attempt in 0..=100 {
        std::fs::create_dir(dir.path().join(format!(
            ".letter.txt.decline-lint-{}-{attempt}.tmp",
            std::process::id()
        )))
        .unwrap();
    }
    let err = write_atomic(&p, b"replacement").unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "original");

    // A letter whose parent is a file cannot be written either; nothing appears.
    let odd = dir.path().join("letter.txt").join("inner.txt");
    assert!(write_atomic(&odd, b"x").is_err());
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "original");
}

#[test]
fn markup_in_a_rule_file_is_escaped_in_the_guide_site() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    write(
        &rules,
        "evil-rule.yaml",
        "extends: existence\n\
         message: \"<script>alert('message')</script> found {match}\"\n\
         help: \"<img src=x onerror=alert('help')>\"\n\
         description: \"</pre><script>alert('description')</script>\"\n\
         guide: \"tips#<script>\"\n\
         tokens: [zzz]\n\
         examples:\n  bad: [\"I said zzz <script>alert('example')</script>.\"]\n  good: [\"Nothing.\"]\n",
    );
    let site = dir.path().join("site");
    bin()
        .args(["guide", "build", "--out"])
        .arg(&site)
        .arg("--rules")
        .arg(&rules)
        .assert()
        .code(0);
    let mut seen = false;
    for entry in std::fs::read_dir(&site).unwrap() {
        let path = entry.unwrap().path();
        let Ok(html) = std::fs::read_to_string(&path) else {
            continue;
        };
        for raw in [
            "<script>alert",
            "<img src=x",
            "</pre><script>",
            "tips#<script>",
        ] {
            assert!(!html.contains(raw), "{raw} unescaped in {}", path.display());
        }
        seen |= html.contains("&lt;script&gt;alert('message')");
    }
    assert!(seen, "the rule's message is not on the site");
}

// ------------------------------------------------------- configuration files

#[test]
fn config_alias_bomb_and_deep_nesting_are_rejected() {
    let bomb = format!("anchors:\n{}ignore: *i\n", alias_bomb(false));
    let deep = format!("ignore: {}{}\n", "[".repeat(500_000), "]".repeat(500_000));
    for yaml in [bomb, deep] {
        let dir = tempfile::tempdir().unwrap();
        let config = write(dir.path(), ".decline-lint.yaml", yaml);
        write(dir.path(), "letter.txt", CLEAN);
        bin()
            .current_dir(dir.path())
            .arg("letter.txt")
            .fails_with(".decline-lint.yaml")
            .stderr(
                predicate::str::contains(s(&config))
                    .or(predicate::str::contains("./.decline-lint.yaml")),
            );
    }
}

// --------------------------------------------------------------- regressions

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions")
}

#[test]
fn regression_negative_max_does_not_panic() {
    let out = bin()
        .args(["--no-default-rules", "--rules"])
        .arg(regressions().join("negative-max"))
        .args(["--format", "short", "-"])
        .write_stdin("Thank you for the invite. I must decline.\n")
        .assert()
        .code(0)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // With a match, `max: -1` reads as `max: 0`.
    bin()
        .args(["--no-default-rules", "--deny-warnings", "--rules"])
        .arg(regressions().join("negative-max"))
        .args(["--format", "short", "-"])
        .write_stdin("Thank you for the invite, zzz. I must decline.\n\nBest,\nSam\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "[too-many-tokens]: 1 times, more than -1",
        ))
        .stdout(predicate::str::contains("[too-many-signatures]"));
}

/// Line and column of each finding, as `short` and `human` print them.
fn positions(letter: &Path) -> (Vec<String>, Vec<String>) {
    let short = bin()
        .args(["--format", "short"])
        .arg(letter)
        .output()
        .unwrap();
    let short: Vec<String> = String::from_utf8_lossy(&short.stdout)
        .lines()
        .filter_map(|l| l.split(": ").next())
        .filter(|p| p.matches(':').count() == 2)
        .map(|p| p.rsplitn(3, ':').take(2).collect::<Vec<_>>().join("<"))
        .collect();
    let human = bin()
        .args(["--color", "never"])
        .arg(letter)
        .output()
        .unwrap();
    let human: Vec<String> = String::from_utf8_lossy(&human.stdout)
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("┌─ "))
        .map(|p| p.rsplitn(3, ':').take(2).collect::<Vec<_>>().join("<"))
        .collect();
    (short, human)
}

#[test]
fn regression_lone_cr_lines_agree_between_formats() {
    let letter = regressions().join("letters/lone-cr.txt");
    let (short, human) = positions(&letter);
    assert!(!short.is_empty());
    assert_eq!(short, human);
    let out = bin()
        .args(["--color", "never"])
        .arg(&letter)
        .output()
        .unwrap();
    assert!(
        !out.stdout.contains(&b'\r'),
        "a raw CR reached the terminal"
    );
}

#[test]
fn regression_escapes_quoted_in_messages_are_made_visible() {
    let letter = regressions().join("letters/escapes.txt");
    for color in ["never", "always"] {
        let out = bin()
            .args(["--color", color])
            .arg(&letter)
            .assert()
            .code(1)
            .get_output()
            .clone();
        let text = String::from_utf8_lossy(&out.stdout);
        for raw in ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b[1A", "\x07", "\r"] {
            assert!(!text.contains(raw), "{raw:?} reached the terminal:\n{text}");
        }
        assert!(text.contains("{?]0;pwned?}"), "{text}");
    }
}

// ------------------------------------------- known problems outside these files

/// `--fix` writes to the path as displayed (lossy UTF-8), not the path read:
/// the fixed text of `a\xff.txt` lands on `a\u{fffd}.txt`. Needs the CLI to
/// keep the `PathBuf` of each source for `write_atomic`.
#[test]
fn fix_on_a_non_utf8_path_writes_that_path_only() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join(OsStr::from_bytes(b"a\xff.txt"));
    std::fs::write(&target, FIXABLE).unwrap();
    let bystander = dir.path().join("a\u{fffd}.txt");
    std::fs::write(&bystander, CLEAN).unwrap();
    bin().arg("--fix").arg(&target).assert().code(0);
    assert_eq!(std::fs::read_to_string(&bystander).unwrap(), CLEAN);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        FIXABLE.replace("the the", "the")
    );
}

/// The short format prints messages as they are, and a message may quote the
/// letter (`{match}`): escape sequences pass through. Needs `report::visible`
/// (or the human format's `defang`) in `report/mod.rs`.
#[test]
fn short_format_carries_no_escape_from_the_letter() {
    let out = bin()
        .args(["--format", "short", "-"])
        .write_stdin(with_body("Thank you {\x1b]0;pwned\x07}."))
        .assert()
        .code(1)
        .get_output()
        .clone();
    assert!(
        !out.stdout.contains(&0x1b),
        "{:?}",
        String::from_utf8_lossy(&out.stdout)
    );
}
