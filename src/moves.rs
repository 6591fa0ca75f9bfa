//! Move detectors: which rhetorical moves (gratitude, decline, …) each sentence makes.

use serde::Deserialize;

use crate::letter::Letter;
use crate::pattern::{Matcher, Scan};
use crate::rules::{Example, LazyExamples, RuleError, YamlFile};

/// Moves that come from the letter's structure rather than from a detector.
pub const STRUCTURAL: [&str; 3] = ["greeting", "signoff", "signature"];

/// The most moves a rule set may define (they are kept in a bit mask).
pub const MAX_MOVES: usize = 32;

/// A set of moves, as a bit mask over [`MoveSet::names`].
pub type MoveMask = u32;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectorFile {
    #[serde(rename = "move")]
    name: String,
    description: String,
    #[serde(default)]
    tokens: Vec<String>,
    #[serde(default)]
    raw: Vec<String>,
    #[serde(default)]
    exceptions: Vec<String>,
    #[serde(default)]
    ignorecase: Option<bool>,
    #[serde(default)]
    examples: DetectorExamples,
}

/// Sentences that must (`is`) and must not (`is_not`) get the move.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorExamples {
    #[serde(default)]
    pub is: Vec<Example>,
    #[serde(default)]
    pub is_not: Vec<Example>,
}

/// One move detector.
#[derive(Debug, Clone)]
pub struct Detector {
    pub name: String,
    pub description: String,
    pub matcher: Matcher,
    pub examples: LazyExamples<DetectorExamples>,
    /// Where it was loaded from.
    pub origin: String,
}

/// All moves known to a rule set: the structural ones first, then the detectors.
#[derive(Debug, Clone)]
pub struct MoveSet {
    names: Vec<String>,
    detectors: Vec<Detector>,
}

impl Default for MoveSet {
    fn default() -> Self {
        MoveSet {
            names: STRUCTURAL.iter().map(|s| s.to_string()).collect(),
            detectors: Vec::new(),
        }
    }
}

/// The moves found in one letter.
#[derive(Debug, Clone, Default)]
pub struct LetterMoves {
    /// One mask per entry of [`Letter::sentences`].
    pub sentences: Vec<MoveMask>,
    /// Moves the sign-off line makes ("Many thanks," is gratitude).
    pub signoff: MoveMask,
}

impl MoveSet {
    /// Move names; a move's bit is its index here.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// The pattern alternations (exceptions included) of the detectors of the
    /// moves in `wanted`.
    pub(crate) fn alternations_of(
        &self,
        wanted: MoveMask,
    ) -> impl Iterator<Item = &crate::pattern::Alternation> {
        self.detectors
            .iter()
            .enumerate()
            .filter(move |(i, _)| wanted & (1 << (i + STRUCTURAL.len())) != 0)
            .flat_map(|(_, d)| d.matcher.alternations())
    }

    /// The bit index of a move by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Names of the moves in a mask, in definition order.
    pub fn mask_names(&self, mask: MoveMask) -> Vec<&str> {
        self.names
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, n)| n.as_str())
            .collect()
    }

    /// Loads a detector file and adds it, replacing one of the same name.
    pub fn load(&mut self, file: &YamlFile) -> Result<(), RuleError> {
        self.load_with(file, false)
    }

    /// Loads a detector file; a `trusted` one's patterns are not validated (the
    /// embedded detectors, which the tests validate) and compile on first use.
    pub(crate) fn load_with(&mut self, file: &YamlFile, trusted: bool) -> Result<(), RuleError> {
        let (mut parsed, examples): (DetectorFile, _) = if trusted {
            let (parsed, block) = file.parse_embedded()?;
            (parsed, block.map(LazyExamples::later))
        } else {
            (file.parse()?, None)
        };
        let examples =
            examples.unwrap_or_else(|| LazyExamples::ready(std::mem::take(&mut parsed.examples)));
        let stem = file.stem();
        if parsed.name != stem {
            return Err(file.error_at_key(
                "move",
                format!(
                    "the move is called `{}` but its file is `{stem}.yaml`",
                    parsed.name
                ),
                "must equal the file stem",
            ));
        }
        if STRUCTURAL.contains(&parsed.name.as_str()) {
            return Err(file.error_at_key(
                "move",
                format!(
                    "`{}` comes from the letter's structure and cannot be redefined",
                    parsed.name
                ),
                "a structural move",
            ));
        }
        if parsed.tokens.is_empty() && parsed.raw.is_empty() {
            return Err(file.error_at_key(
                "move",
                "a move detector needs `tokens` or `raw` patterns".to_string(),
                "nothing to detect",
            ));
        }
        let ignorecase = parsed.ignorecase.unwrap_or(true);
        let matcher = if trusted {
            Matcher::trusted(&parsed.tokens, &parsed.raw, &parsed.exceptions, ignorecase)
        } else {
            Matcher::new(&parsed.tokens, &parsed.raw, &parsed.exceptions, ignorecase)
                .map_err(|e| file.pattern_error(&e))?
        };
        let detector = Detector {
            name: parsed.name.clone(),
            description: parsed.description,
            matcher,
            examples,
            origin: file.path.clone(),
        };
        if let Some(existing) = self.detectors.iter_mut().find(|d| d.name == parsed.name) {
            *existing = detector;
        } else {
            if self.names.len() >= MAX_MOVES {
                return Err(file.error_at_key(
                    "move",
                    format!("a rule set can define at most {MAX_MOVES} moves"),
                    "one too many",
                ));
            }
            self.names.push(parsed.name);
            self.detectors.push(detector);
        }
        Ok(())
    }

    /// The moves one piece of text makes.
    pub fn tag(&self, text: &str) -> MoveMask {
        self.tag_in(&Scan::new(text), &(0..text.len()))
    }

    /// The moves the text at `span` makes.
    pub fn tag_in(&self, scan: &Scan<'_>, span: &std::ops::Range<usize>) -> MoveMask {
        let mut mask = 0;
        for (i, d) in self.detectors.iter().enumerate() {
            if d.matcher.is_match_in(scan, span) {
                mask |= 1 << (i + STRUCTURAL.len());
            }
        }
        mask
    }

    /// Tags every body sentence and the sign-off of a letter.
    pub fn tag_letter(&self, letter: &Letter) -> LetterMoves {
        self.tag_letter_in(letter, &Scan::new(&letter.flowed()))
    }

    /// [`MoveSet::tag_letter`] with the letter already scanned.
    pub fn tag_letter_in(&self, letter: &Letter, scan: &Scan<'_>) -> LetterMoves {
        self.tag_letters_in(&[(letter, scan)])
            .pop()
            .expect("moves for one letter")
    }

    /// [`MoveSet::tag_letter_in`] for several letters, each detector over all
    /// of them before the next (so that its patterns stay in the caches).
    pub fn tag_letters_in(&self, letters: &[(&Letter, &Scan<'_>)]) -> Vec<LetterMoves> {
        self.tag_letters_for(letters, MoveMask::MAX)
    }

    /// [`MoveSet::tag_letters_in`] with only the detectors of the moves in
    /// `wanted`: the other moves are never tagged.
    pub fn tag_letters_for(
        &self,
        letters: &[(&Letter, &Scan<'_>)],
        wanted: MoveMask,
    ) -> Vec<LetterMoves> {
        let mut tagged: Vec<LetterMoves> = letters
            .iter()
            .map(|(letter, _)| LetterMoves {
                sentences: vec![0; letter.sentences.len()],
                signoff: 0,
            })
            .collect();
        for (i, d) in self.detectors.iter().enumerate() {
            let bit: MoveMask = 1 << (i + STRUCTURAL.len());
            if wanted & bit == 0 {
                continue;
            }
            for ((letter, scan), moves) in letters.iter().zip(&mut tagged) {
                // A detector that cannot match anywhere in the letter is not
                // asked about each sentence, nor about sentences where none
                // of its literals start.
                if !d.matcher.may_match(scan) {
                    continue;
                }
                let starts = d.matcher.starts(scan);
                let holds = |span: &std::ops::Range<usize>| {
                    scan.may_hold(starts, span) && d.matcher.is_match_in(scan, span)
                };
                for (mask, span) in moves.sentences.iter_mut().zip(&letter.sentences) {
                    if holds(span) {
                        *mask |= bit;
                    }
                }
                if letter.signoff.as_ref().is_some_and(holds) {
                    moves.signoff |= bit;
                }
            }
        }
        tagged
    }
}
