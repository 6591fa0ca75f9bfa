//! Machine-readable outputs, configuration files, Vale rules, completions and the man page.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn bin() -> Command {
    let mut c = Command::cargo_bin("decline-lint").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c.env_remove("NO_COLOR");
    c
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.output().unwrap().stdout).unwrap()
}

#[test]
fn sarif_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/sarif/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    // The vendored schema carries one known erratum (an unbalanced `]` in the
    // pattern for `run.language`); use the corrected pattern of the final text.
    fn fix_erratum(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, x) in map.iter_mut() {
                    if k == "pattern" && x == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                        *x = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                    } else {
                        fix_erratum(x);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(fix_erratum),
            _ => {}
        }
    }
    let mut schema = schema;
    fix_erratum(&mut schema);
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let out = stdout(bin().args([
        "--format",
        "sarif",
        "examples/blunt.txt",
        "examples/casual.txt",
        "examples/letter.txt",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 26);
    assert!(rules.iter().all(|r| r["helpUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("decline-lint:guide/"))));
    let out = stdout(bin().args([
        "--format",
        "sarif",
        "--guide-url",
        "https://guide.example/decline/",
        "examples/blunt.txt",
    ]));
    let published: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(validator.is_valid(&published));
    assert!(published["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["helpUri"] == "https://guide.example/decline/tips.html#be-honest-but-tactful"));
    let results = run["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "unfilled-placeholder"
        && r["level"] == "error"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5));
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    // A document that breaks the schema is caught, so the check is real.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn github_annotations() {
    let out = stdout(bin().args(["--format", "github", "examples/blunt.txt"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.iter().all(|l| l.starts_with("::")), "{out}");
    assert!(lines.contains(
        &"::error file=examples/blunt.txt,line=5,col=48,endLine=5,endColumn=62,title=unfilled-placeholder::The template slot \"[Company Name]\" was left unfilled."
    ), "{out}");
    assert!(lines
        .iter()
        .any(|l| l.starts_with("::warning file=examples/blunt.txt,line=3,")));
}

#[test]
fn threads_do_not_change_the_output() {
    let corpus = "tests/corpus/letters";
    let one = stdout(bin().args(["--format", "json-lines", "--threads", "1", corpus]));
    let two = stdout(bin().args(["--format", "json-lines", "--threads", "2", corpus]));
    let four = stdout(bin().args(["--format", "short", "--threads", "4", corpus]));
    let one_short = stdout(bin().args(["--format", "short", "--threads", "1", corpus]));
    assert!(one.lines().count() > 100);
    assert_eq!(one, two);
    assert_eq!(four, one_short);
}

/// More letters than the threads are handed at a time (5,000; a chunk is
/// 4,096): the output still comes in the order of the files, the same with
/// one thread as with two.
#[test]
fn threads_keep_the_order_across_many_letters() {
    let dir = tempfile::tempdir().unwrap();
    let mut letters: Vec<(String, Vec<u8>)> = std::fs::read_dir("tests/corpus/letters")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    letters.sort();
    let copies = 5000usize.div_ceil(letters.len());
    let mut names = Vec::new();
    for k in 0..copies {
        for (stem, text) in &letters {
            let name = format!("{k:03}-{stem}.txt");
            std::fs::write(dir.path().join(&name), text).unwrap();
            names.push(name);
        }
    }
    names.sort();
    let corpus = dir.path().to_str().unwrap();
    let one = stdout(bin().args(["--format", "json-lines", "--threads", "1", corpus]));
    let two = stdout(bin().args(["--format", "json-lines", "--threads", "2", corpus]));
    assert_eq!(one, two);
    // Every letter with findings, in the order of the names.
    let mut seen: Vec<String> = Vec::new();
    for line in one.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = Path::new(value["path"].as_str().unwrap());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if seen.last() != Some(&name) {
            seen.push(name);
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        seen, sorted,
        "each letter's findings together, letters in order"
    );
    // Findings from letters all through the run (thousands of them).
    assert!(
        seen.len() > names.len() / 2,
        "{} letters with findings",
        seen.len()
    );
    assert_eq!(
        seen.last()
            .map(|n| n.starts_with(&format!("{:03}-", copies - 1))),
        Some(true)
    );
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = stdout(bin().args(["completions", shell]));
        assert!(out.contains("decline-lint"), "{shell}");
        assert!(out.contains("deny-warnings"), "{shell}");
    }
    let man = stdout(bin().arg("man"));
    assert!(man.starts_with(".ie") || man.contains(".TH"), "{man}");
    assert!(man.contains("deny\\-warnings"));
}

fn project(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".decline-lint.yaml"), config).unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::create_dir_all(dir.path().join("sent/2026")).unwrap();
    let template = "Dear [Hiring Manager's Name],\n\nThank you for the invitation to interview for the [Role] role. After some thought, I have decided to withdraw my application, as I have accepted another offer. I hope our paths cross again.\n\nBest regards,\n[Your Name]\n";
    std::fs::write(dir.path().join("templates/decline.txt"), template).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/casual.txt"),
        dir.path().join("sent/2026/casual.txt"),
    )
    .unwrap();
    dir
}

fn in_dir(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("decline-lint").unwrap();
    c.current_dir(dir);
    c
}

#[test]
fn config_is_found_upward_and_applies_overrides() {
    let dir = project(
        "ignore: [emoji]\nseverity:\n  slang: error\noverrides:\n  - files: 'templates/*.txt'\n    ignore: [unfilled-placeholder]\n",
    );
    // From a subfolder: the file one level up is found.
    let out = in_dir(&dir.path().join("sent"))
        .args(["--format", "short", "2026/casual.txt"])
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("error[slang]"), "{s}");
    assert!(!s.contains("emoji"), "{s}");
    assert_eq!(out.status.code(), Some(1));
    // The template folder's override silences placeholders there only.
    in_dir(dir.path())
        .args(["--format", "short", "templates/decline.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("unfilled-placeholder").not());
    let copy = dir.path().join("decline.txt");
    std::fs::copy(dir.path().join("templates/decline.txt"), &copy).unwrap();
    in_dir(dir.path())
        .args(["--format", "short", "decline.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("unfilled-placeholder"));
    // --isolated ignores the file.
    in_dir(&dir.path().join("sent"))
        .args(["--isolated", "--format", "short", "2026/casual.txt"])
        .assert()
        .stdout(predicate::str::contains("warning[slang]"))
        .stdout(predicate::str::contains("emoji"));
}

/// In one run, letters with an override and letters without are checked
/// together and reported in the order given, each under its own settings.
#[test]
fn overridden_and_plain_letters_in_one_run() {
    let dir =
        project("overrides:\n  - files: 'templates/*.txt'\n    ignore: [unfilled-placeholder]\n");
    std::fs::copy(
        dir.path().join("templates/decline.txt"),
        dir.path().join("decline.txt"),
    )
    .unwrap();
    let out = stdout(in_dir(dir.path()).args([
        "--format",
        "short",
        "decline.txt",
        "templates/decline.txt",
        "sent/2026/casual.txt",
        "decline.txt",
    ]));
    let files: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("unfilled-placeholder"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert!(!files.is_empty(), "{out}");
    assert!(files.iter().all(|f| *f == "decline.txt"), "{out}");
    let first = out.find("decline.txt:").unwrap();
    let casual = out.find("sent/2026/casual.txt:").expect("casual findings");
    let last = out.rfind("\ndecline.txt:").unwrap();
    assert!(first < casual && casual < last, "{out}");
}

#[test]
fn config_limits_and_context() {
    let dir = project("limits:\n  curt-letter:\n    min: 5\n  overlong-letter:\n    max: 20\ncontext:\n  company: Acme\n");
    let out = stdout(in_dir(dir.path()).args(["--format", "short", "templates/decline.txt"]));
    assert!(out.contains("overlong-letter"), "{out}");
    assert!(out.contains("mismatched-company"), "{out}");
    let out = stdout(in_dir(dir.path()).args([
        "--format",
        "short",
        "--set",
        "company=Initech",
        "templates/decline.txt",
    ]));
    assert!(out.contains("Initech"), "{out}");
}

#[test]
fn config_errors_point_into_the_file() {
    let dir = project("ignore: [emoji]\nwordlimit: 200\n");
    in_dir(dir.path())
        .args(["--color", "never", "templates/decline.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".decline-lint.yaml:2:1"))
        .stderr(predicate::str::contains("unknown field `wordlimit`"));
    let dir = project("ignore: [no-such-rule]\n");
    in_dir(dir.path())
        .arg("templates/decline.txt")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `no-such-rule`"))
        .stderr(predicate::str::contains(".decline-lint.yaml"));
}

#[test]
fn config_command_explains_where_values_come_from() {
    let dir = project("ignore: [emoji]\nmin-severity: warning\n");
    let out =
        stdout(in_dir(dir.path()).args(["config", "--deny-warnings", "--set", "role=Analyst"]));
    assert!(
        out.lines()
            .any(|l| l.starts_with("ignore: emoji") && l.contains(".decline-lint.yaml")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("deny-warnings: true") && l.contains("command line")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("min-severity: warning")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("max-bytes: 1048576") && l.contains("default")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("context.role: Analyst")),
        "{out}"
    );
}

#[test]
fn vale_rules_load_as_they_are() {
    let out = bin()
        .args([
            "--format",
            "short",
            "--rules",
            "tests/fixtures/vale",
            "--select",
        ])
        .arg("cliches,wordiness,too-many-commas")
        .arg("-")
        .write_stdin("I wanted to touch base. In order to be clear, I, um, well, yes, decline.\n")
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("warning[cliches]: Try to avoid using clichés like 'touch base'."),
        "{s}"
    );
    assert!(
        s.contains("info[wordiness]: Consider using 'To' instead of 'In order to'."),
        "{s}"
    );
    assert!(s.contains("error[too-many-commas]"), "{s}");
    bin()
        .args([
            "--color",
            "never",
            "--rules",
            "tests/fixtures/vale-unsupported",
            "examples/letter.txt",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Vale rules that extend `capitalization` are not supported",
        ))
        .stderr(predicate::str::contains("Headings.yaml:1:1"));
}

#[test]
fn decoded_mail_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("reply.eml");
    std::fs::write(
        &eml,
        "From: Sam <sam@example.com>\r\nTo: Dana Park <dana@example.com>\r\nSubject: Interview\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDear Dana,\r\n\r\nI will not attend.\r\n\r\nSam\r\n",
    )
    .unwrap();
    bin()
        .args(["--color", "never"])
        .arg(&eml)
        .assert()
        .stdout(predicate::str::contains("decoded from the MIME message"));
    let out = stdout(bin().args(["--format", "json"]).arg(&eml));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["files"][0]["decoded"], true);
}
