//! Drafting a letter: the template page's letter, with the slots filled in and the reasons page's sentence for the chosen reason.

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::letter::Letter;
use crate::moves::MoveSet;

use super::{Guide, Page};

/// The page with one tactful sentence per reason.
pub const REASONS_PAGE: &str = "reasons";

/// The sentence `--alternative` adds, offering something instead of the interview.
pub const ALTERNATIVE_SENTENCE: &str =
    "I would also welcome a call in a few months' time to talk about other roles at [Company].";

/// The reasons `draft --reason` knows, each tied to a section of the reasons page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    OtherOffer,
    NotAFit,
    Culture,
    Location,
    NotInterested,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::OtherOffer,
        Reason::NotAFit,
        Reason::Culture,
        Reason::Location,
        Reason::NotInterested,
    ];

    /// The name used on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Reason::OtherOffer => "other-offer",
            Reason::NotAFit => "not-a-fit",
            Reason::Culture => "culture",
            Reason::Location => "location",
            Reason::NotInterested => "not-interested",
        }
    }

    /// The section of the reasons page it comes from.
    pub fn anchor(self) -> &'static str {
        match self {
            Reason::OtherOffer => "you-accepted-another-offer",
            Reason::NotAFit => "not-a-good-fit",
            Reason::Culture => "the-company-culture-does-not-match",
            Reason::Location => "location",
            Reason::NotInterested => "lack-of-interest",
        }
    }

    pub fn from_key(key: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.key() == key)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What to fill in. Anything left `None` stays a `[Placeholder]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftRequest {
    pub reason: Option<Reason>,
    /// Leave the reason out (a reason is optional); `reason` is then unused.
    pub omit_reason: bool,
    pub company: Option<String>,
    pub role: Option<String>,
    /// The reader, as the greeting names them ("Ms. Lee").
    pub to: Option<String>,
    /// The writer's name.
    pub from: Option<String>,
    /// Replaces the template's subject line.
    pub subject: Option<String>,
    /// Add a sentence offering an alternative.
    pub alternative: bool,
}

impl DraftRequest {
    /// A request with every field filled with a plausible sample value.
    pub fn sample(reason: Option<Reason>, alternative: bool) -> DraftRequest {
        DraftRequest {
            reason,
            omit_reason: false,
            company: Some(sample_value(Field::Company).into()),
            role: Some(sample_value(Field::Role).into()),
            to: Some(sample_value(Field::To).into()),
            from: Some(sample_value(Field::From).into()),
            subject: None,
            alternative,
        }
    }

    fn value(&self, field: Field) -> Option<&str> {
        match field {
            Field::Company => self.company.as_deref(),
            Field::Role => self.role.as_deref(),
            Field::To => self.to.as_deref(),
            Field::From => self.from.as_deref(),
            Field::Reason | Field::Other => None,
        }
        .map(str::trim)
        .filter(|v| !v.is_empty())
    }
}

/// What a template slot asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Company,
    Role,
    /// The reader's name.
    To,
    /// The writer's name.
    From,
    Reason,
    Other,
}

impl Field {
    /// The `draft` option that fills it.
    pub fn option(self) -> Option<&'static str> {
        match self {
            Field::Company => Some("--company"),
            Field::Role => Some("--role"),
            Field::To => Some("--to"),
            Field::From => Some("--from"),
            Field::Reason => Some("--reason"),
            Field::Other => None,
        }
    }
}

/// Classifies a slot by its name: `[Company]`, `[Job Title]`, `[Hiring Manager's Name]`, `[Your Name]`.
pub fn slot_field(name: &str) -> Field {
    let n = name.to_lowercase();
    let has = |w: &str| n.contains(w);
    if has("company") || has("organisation") || has("organization") || has("employer") {
        Field::Company
    } else if has("manager")
        || has("recipient")
        || has("interviewer")
        || has("recruiter")
        || has("their name")
    {
        Field::To
    } else if has("role") || has("position") || has("job") || has("title") {
        Field::Role
    } else if has("your name") || has("my name") || n == "name" || has("full name") {
        Field::From
    } else if has("reason") {
        Field::Reason
    } else {
        Field::Other
    }
}

/// A plausible value for a slot, for checking that the filled template lints clean.
pub fn sample_value(field: Field) -> &'static str {
    match field {
        Field::Company => "Acme",
        Field::Role => "Data Analyst",
        Field::To => "Ms. Lee",
        Field::From => "Sam Rivera",
        Field::Reason => "I have accepted another offer that fits my career goals more closely.",
        Field::Other => "Acme",
    }
}

/// `[Slot Name]` in a template.
pub fn slot_re() -> &'static Regex {
    static CELL: OnceLock<Regex> = OnceLock::new();
    CELL.get_or_init(|| Regex::new(r"\[([^\]\[\n]{1,60})\]").expect("slot pattern compiles"))
}

/// Fills every slot with a sample value.
pub fn fill_with_samples(template: &str) -> String {
    slot_re()
        .replace_all(template, |c: &regex::Captures<'_>| {
            sample_value(slot_field(&c[1])).to_string()
        })
        .into_owned()
}

/// A slot left unfilled in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// As written, brackets included: `[Company]`.
    pub slot: String,
    pub field: Field,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field.option() {
            Some(opt) => write!(f, "`{}` is left as a placeholder: give {opt}", self.slot),
            None => write!(
                f,
                "`{}` is left as a placeholder: fill it in by hand",
                self.slot
            ),
        }
    }
}

/// A drafted letter and the slots it still has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    pub missing: Vec<Missing>,
}

/// Why no letter could be drafted from the guide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("the guide has no ```letter template``` block to draft from")]
    NoTemplate,
    #[error("the guide has no `{REASONS_PAGE}` page with a section `#{anchor}` for the reason `{reason}`")]
    NoReasonSection {
        reason: Reason,
        anchor: &'static str,
    },
    #[error("{path}: the section `#{anchor}` needs exactly one line `> Say it like this: \"...\"`, and has {count}")]
    ReasonSentence {
        path: String,
        anchor: &'static str,
        count: usize,
    },
    #[error("cannot tell which sentence of the template gives the reason: no move detector tags one as `reason`")]
    NoReasonInTemplate,
}

/// The `> Say it like this: "..."` lines of a section: their spans in the page
/// source and the quoted sentences.
pub fn say_it_lines(page: &Page, anchor: &str) -> Vec<(Range<usize>, String)> {
    let Some(section) = page.section_span(anchor) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut offset = section.start;
    for line in page.source[section.clone()].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(rest) = line.trim_start().strip_prefix('>') else {
            continue;
        };
        let rest = rest.trim();
        let Some(prefix) = rest.get(..17) else {
            continue;
        };
        if !prefix.eq_ignore_ascii_case("say it like this:") {
            continue;
        }
        let quoted = rest[17..].trim();
        let sentence = quoted
            .trim_start_matches(['"', '“', '*', '_'])
            .trim_end_matches(['"', '”', '*', '_'])
            .trim();
        out.push((start..start + line.trim_end().len(), sentence.to_string()));
    }
    out
}

/// The reasons page's sentence for a reason.
pub fn reason_sentence(guide: &Guide, reason: Reason) -> Result<String, DraftError> {
    let page = guide
        .page(REASONS_PAGE)
        .filter(|p| p.heading(reason.anchor()).is_some())
        .ok_or(DraftError::NoReasonSection {
            reason,
            anchor: reason.anchor(),
        })?;
    let mut lines = say_it_lines(page, reason.anchor());
    if lines.len() != 1 {
        return Err(DraftError::ReasonSentence {
            path: page.path.clone(),
            anchor: reason.anchor(),
            count: lines.len(),
        });
    }
    Ok(lines.remove(0).1)
}

/// Drafts a letter from the guide's template.
pub fn draft(guide: &Guide, moves: &MoveSet, req: &DraftRequest) -> Result<Draft, DraftError> {
    let (_, block) = guide.template().ok_or(DraftError::NoTemplate)?;
    let reason = match req.reason {
        _ if req.omit_reason => String::new(),
        Some(r) => reason_sentence(guide, r)?,
        None => "[Reason]".to_string(),
    };
    let text = assemble(&block.text, moves, &reason, req.alternative)?;
    let text = match &req.subject {
        Some(s) => set_subject(&text, s.trim()),
        None => text,
    };
    let mut missing: Vec<Missing> = Vec::new();
    let filled = slot_re().replace_all(&text, |c: &regex::Captures<'_>| {
        let field = slot_field(&c[1]);
        match req.value(field) {
            Some(v) => v.to_string(),
            None => {
                if !missing.iter().any(|m| m.slot == c[0]) {
                    missing.push(Missing {
                        slot: c[0].to_string(),
                        field,
                    });
                }
                c[0].to_string()
            }
        }
    });
    let mut text = filled.into_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(Draft { text, missing })
}

/// Puts the reason sentence in place of the template's own (an empty one
/// takes its paragraph with it when the paragraph has nothing else), and
/// the alternative after the sentence that leaves the door open.
fn assemble(
    template: &str,
    moves: &MoveSet,
    reason: &str,
    alternative: bool,
) -> Result<String, DraftError> {
    let letter = Letter::parse("template", template);
    let bit = |name: &str| moves.index(name).map(|i| 1u32 << i);
    let reason_bit = bit("reason").ok_or(DraftError::NoReasonInTemplate)?;
    let decline_bit = bit("decline").unwrap_or(0);
    let open_bits = bit("door-open").unwrap_or(0) | bit("alternative").unwrap_or(0);
    let masks: Vec<u32> = letter
        .sentences
        .iter()
        .map(|s| moves.tag(letter.slice(s)))
        .collect();
    let reason_at = masks
        .iter()
        .position(|m| m & reason_bit != 0 && m & decline_bit == 0)
        .ok_or(DraftError::NoReasonInTemplate)?;
    let mut reason_span = letter.sentences[reason_at].clone();
    if reason.is_empty() {
        // The whole paragraph, blank lines after it included, when the
        // sentence is all it holds.
        let line_start = template[..reason_span.start]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let rest = &template[reason_span.end..];
        let line_end = reason_span.end + rest.find('\n').map_or(rest.len(), |i| i + 1);
        let alone = template[line_start..reason_span.start].trim().is_empty()
            && template[reason_span.end..line_end].trim().is_empty()
            && (line_start < 2 || &template[line_start - 2..line_start] == "\n\n");
        if alone {
            let blank =
                template[line_end..].len() - template[line_end..].trim_start_matches('\n').len();
            reason_span = line_start..line_end + blank;
        }
    }
    let mut edits: Vec<(Range<usize>, String)> = vec![(reason_span, reason.to_string())];
    if alternative {
        let at = masks
            .iter()
            .rposition(|m| m & open_bits != 0)
            .unwrap_or(reason_at);
        let end = letter.sentences[at].end;
        edits.push((end..end, format!(" {ALTERNATIVE_SENTENCE}")));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut text = template.to_string();
    for (range, replacement) in edits {
        text.replace_range(range, &replacement);
    }
    Ok(text)
}

/// Replaces the value of the `Subject:` line, or adds one at the top.
fn set_subject(text: &str, subject: &str) -> String {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(i) = trimmed.find(':') {
            if trimmed[..i].trim().eq_ignore_ascii_case("subject") {
                let mut out = String::with_capacity(text.len());
                out.push_str(&text[..offset]);
                out.push_str("Subject: ");
                out.push_str(subject);
                out.push_str(&text[offset + trimmed.len()..]);
                return out;
            }
        }
        if !trimmed.is_empty() && !trimmed.contains(':') {
            break;
        }
        offset += line.len();
    }
    format!("Subject: {subject}\n\n{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_classified() {
        assert_eq!(slot_field("Company"), Field::Company);
        assert_eq!(slot_field("Company Name"), Field::Company);
        assert_eq!(slot_field("Role"), Field::Role);
        assert_eq!(slot_field("Job Title"), Field::Role);
        assert_eq!(slot_field("Hiring Manager's Name"), Field::To);
        assert_eq!(slot_field("Your Name"), Field::From);
        assert_eq!(slot_field("Date"), Field::Other);
    }

    #[test]
    fn subject_is_replaced_or_added() {
        assert_eq!(
            set_subject("Subject: Old\n\nDear A,\n", "New"),
            "Subject: New\n\nDear A,\n"
        );
        assert_eq!(set_subject("Dear A,\n", "New"), "Subject: New\n\nDear A,\n");
    }

    #[test]
    fn reasons_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::from_key(r.key()), Some(r));
        }
    }
}
