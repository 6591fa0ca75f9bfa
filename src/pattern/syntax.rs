//! Reading regex source (the `regex` crate's syntax) into a small syntax tree.
//!
//! Only what rule patterns use is read in detail; other classes become
//! [`Class::Other`], and syntax it cannot follow (`(?x)`, `\<`, look-around…)
//! makes [`parse`] give up. The tree feeds two consumers: the literal analysis
//! (which treats anything unknown as "any text") and the small matcher (which
//! refuses trees it cannot match exactly).

/// A parsed pattern.
#[derive(Debug, Clone)]
pub struct Tree {
    pub node: Node,
    /// Capture groups, not counting the whole match.
    pub captures: u32,
    /// False when something in it is read only roughly (a `\p` class under
    /// case folding, `(?-u)`, CRLF mode…): the matcher must not take it.
    pub exact: bool,
}

#[derive(Debug, Clone)]
pub enum Node {
    Empty,
    Lit {
        c: char,
        ci: bool,
    },
    /// A run of plain characters (no repetition on any of them).
    Str {
        s: String,
        ci: bool,
    },
    Class(Class),
    Look(Look),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
    /// A group; `Some(i)` for capture group `i` (from 1).
    Group {
        node: Box<Node>,
        capture: Option<u32>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perl {
    Word,
    Digit,
    Space,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prop {
    /// `\p{Lu}`
    Upper,
    /// `\p{Ll}`
    Lower,
    /// `\p{L}`
    Letter,
    /// `\p{N}`
    Number,
}

#[derive(Debug, Clone)]
pub enum Class {
    /// A bracketed set.
    Set {
        ranges: Vec<(char, char)>,
        perls: Vec<(Perl, bool)>,
        props: Vec<(Prop, bool)>,
        negated: bool,
        ci: bool,
    },
    /// `\w`, `\W` and the like (the flag: negated).
    Perl(Perl, bool),
    Prop(Prop, bool),
    /// `.` (the flag: it also matches `\n`).
    Dot(bool),
    /// A class read only as "some character".
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    WordBoundary,
    NotWordBoundary,
    Start,
    End,
    LineStart,
    LineEnd,
}

/// Parses a pattern; `None` when it uses syntax this reader does not follow.
pub fn parse(pattern: &str, ignorecase: bool) -> Option<Tree> {
    let mut p = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
        captures: 0,
        exact: true,
    };
    let flags = Flags {
        ci: ignorecase,
        ..Flags::default()
    };
    let node = p.parse_alt(flags).ok()?;
    (p.pos == p.chars.len()).then_some(Tree {
        node,
        captures: p.captures,
        exact: p.exact,
    })
}

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    ci: bool,
    multi_line: bool,
    dot_nl: bool,
    swap_greed: bool,
}

struct Unknown;

struct Parser {
    chars: Vec<char>,
    pos: usize,
    captures: u32,
    exact: bool,
}

/// The most a counted repetition may ask for here.
const MAX_COUNT: u32 = 1000;

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Result<char, Unknown> {
        let c = self.peek().ok_or(Unknown)?;
        self.pos += 1;
        Ok(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn parse_alt(&mut self, mut flags: Flags) -> Result<Node, Unknown> {
        let mut branches = vec![self.parse_concat(&mut flags)?];
        while self.eat('|') {
            branches.push(self.parse_concat(&mut flags)?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().expect("one branch")
        } else {
            Node::Alt(branches)
        })
    }

    /// A sequence; `(?flags)` in it changes `flags` for the rest of the group.
    fn parse_concat(&mut self, flags: &mut Flags) -> Result<Node, Unknown> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            // Plain characters not followed by a repetition gather into one string.
            let start = self.pos;
            while self.plain_at(self.pos) {
                self.pos += 1;
            }
            if self.pos > start {
                items.push(Node::Str {
                    s: self.chars[start..self.pos].iter().collect(),
                    ci: flags.ci,
                });
                continue;
            }
            let atom = self.parse_atom(flags)?;
            let atom = self.parse_repeats(atom, *flags)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().expect("one item"),
            _ => Node::Concat(items),
        })
    }

    /// A character that stands for itself and is not repeated.
    fn plain_at(&self, i: usize) -> bool {
        let Some(&c) = self.chars.get(i) else {
            return false;
        };
        !matches!(
            c,
            '(' | ')' | '|' | '[' | '\\' | '.' | '^' | '$' | '*' | '+' | '?' | '{'
        ) && !matches!(self.chars.get(i + 1), Some('*' | '+' | '?' | '{'))
    }

    fn parse_repeats(&mut self, mut atom: Node, flags: Flags) -> Result<Node, Unknown> {
        loop {
            let (min, max) = match self.peek() {
                Some('*') => {
                    self.pos += 1;
                    (0, None)
                }
                Some('+') => {
                    self.pos += 1;
                    (1, None)
                }
                Some('?') => {
                    self.pos += 1;
                    (0, Some(1))
                }
                Some('{') => {
                    self.pos += 1;
                    self.parse_counted()?
                }
                _ => return Ok(atom),
            };
            let lazy = self.eat('?');
            atom = Node::Repeat {
                node: Box::new(atom),
                min,
                max,
                greedy: lazy == flags.swap_greed,
            };
        }
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn parse_number(&mut self) -> Result<u32, Unknown> {
        self.skip_spaces();
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        self.skip_spaces();
        digits
            .parse()
            .ok()
            .filter(|&n| n <= MAX_COUNT)
            .ok_or(Unknown)
    }

    /// `{n}`, `{n,}` or `{n,m}`, after the `{`.
    fn parse_counted(&mut self) -> Result<(u32, Option<u32>), Unknown> {
        let min = self.parse_number()?;
        let max = if self.eat(',') {
            self.skip_spaces();
            if self.peek() == Some('}') {
                None
            } else {
                Some(self.parse_number()?)
            }
        } else {
            Some(min)
        };
        if !self.eat('}') || max.is_some_and(|m| m < min) {
            return Err(Unknown);
        }
        Ok((min, max))
    }

    fn parse_atom(&mut self, flags: &mut Flags) -> Result<Node, Unknown> {
        let c = self.bump()?;
        Ok(match c {
            '(' => self.parse_group(flags)?,
            '[' => Node::Class(self.parse_class(*flags)?),
            '\\' => self.parse_escape(*flags)?,
            '.' => Node::Class(Class::Dot(flags.dot_nl)),
            '^' => Node::Look(if flags.multi_line {
                Look::LineStart
            } else {
                Look::Start
            }),
            '$' => Node::Look(if flags.multi_line {
                Look::LineEnd
            } else {
                Look::End
            }),
            '*' | '+' | '?' | '{' => return Err(Unknown),
            c => Node::Lit { c, ci: flags.ci },
        })
    }

    /// Reads flags up to `:` (a group follows) or `)` (they apply from here).
    fn parse_flags(&mut self, flags: &mut Flags) -> Result<bool, Unknown> {
        let mut on = true;
        loop {
            match self.bump()? {
                ':' => return Ok(true),
                ')' => return Ok(false),
                '-' => on = false,
                'i' => flags.ci = on,
                'm' => flags.multi_line = on,
                's' => flags.dot_nl = on,
                'U' => flags.swap_greed = on,
                'u' => {
                    if !on {
                        self.exact = false;
                    }
                }
                'R' => self.exact = false,
                _ => return Err(Unknown),
            }
        }
    }

    /// After `(`.
    fn parse_group(&mut self, flags: &mut Flags) -> Result<Node, Unknown> {
        let mut inner = *flags;
        let mut capture = None;
        if self.eat('?') {
            if self.peek() == Some('P') && self.peek_at(1) == Some('<') {
                self.pos += 2;
                self.skip_name()?;
                self.captures += 1;
                capture = Some(self.captures);
            } else if self.peek() == Some('<') {
                self.pos += 1;
                self.skip_name()?;
                self.captures += 1;
                capture = Some(self.captures);
            } else if !self.parse_flags(&mut inner)? {
                // `(?i)`: for the rest of the enclosing group.
                *flags = inner;
                return Ok(Node::Empty);
            }
        } else {
            self.captures += 1;
            capture = Some(self.captures);
        }
        let node = self.parse_alt(inner)?;
        if !self.eat(')') {
            return Err(Unknown);
        }
        Ok(Node::Group {
            node: Box::new(node),
            capture,
        })
    }

    /// A capture name up to and including `>`.
    fn skip_name(&mut self) -> Result<(), Unknown> {
        loop {
            match self.bump()? {
                '>' => return Ok(()),
                c if c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']') => {}
                _ => return Err(Unknown),
            }
        }
    }

    /// A `\p{…}` name, after the `p` or `P`.
    fn parse_prop(&mut self) -> Result<Option<Prop>, Unknown> {
        let name: String = if self.eat('{') {
            let mut s = String::new();
            loop {
                match self.bump()? {
                    '}' => break,
                    c => s.push(c),
                }
            }
            s
        } else {
            self.bump()?.to_string()
        };
        Ok(match name.as_str() {
            "Lu" | "Uppercase_Letter" => Some(Prop::Upper),
            "Ll" | "Lowercase_Letter" => Some(Prop::Lower),
            "L" | "Letter" => Some(Prop::Letter),
            "N" | "Number" => Some(Prop::Number),
            _ => None,
        })
    }

    /// `\x7F`, `\x{…}`, `\u0041`, `\U0001F600`, after the letter.
    fn parse_hex(&mut self, kind: char) -> Result<char, Unknown> {
        let digits: String = if self.eat('{') {
            let mut s = String::new();
            loop {
                match self.bump()? {
                    '}' => break,
                    c => s.push(c),
                }
            }
            s
        } else {
            let n = match kind {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            (0..n).map(|_| self.bump()).collect::<Result<_, _>>()?
        };
        u32::from_str_radix(digits.trim(), 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or(Unknown)
    }

    /// After `\`, outside a class.
    fn parse_escape(&mut self, flags: Flags) -> Result<Node, Unknown> {
        let e = self.bump()?;
        let class = |c| Ok(Node::Class(c));
        match e {
            'd' => class(Class::Perl(Perl::Digit, false)),
            'D' => class(Class::Perl(Perl::Digit, true)),
            'w' => class(Class::Perl(Perl::Word, false)),
            'W' => class(Class::Perl(Perl::Word, true)),
            's' => class(Class::Perl(Perl::Space, false)),
            'S' => class(Class::Perl(Perl::Space, true)),
            'p' | 'P' => match self.parse_prop()? {
                Some(prop) => {
                    if flags.ci {
                        // Case folding widens these; only the analysis reads them.
                        self.exact = false;
                    }
                    class(Class::Prop(prop, e == 'P'))
                }
                None => class(Class::Other),
            },
            'b' | 'B' if self.peek() == Some('{') => Err(Unknown),
            'b' => Ok(Node::Look(Look::WordBoundary)),
            'B' => Ok(Node::Look(Look::NotWordBoundary)),
            'A' => Ok(Node::Look(Look::Start)),
            'z' => Ok(Node::Look(Look::End)),
            'n' => Ok(Node::Lit { c: '\n', ci: false }),
            't' => Ok(Node::Lit { c: '\t', ci: false }),
            'r' => Ok(Node::Lit { c: '\r', ci: false }),
            'f' => Ok(Node::Lit {
                c: '\x0C',
                ci: false,
            }),
            'v' => Ok(Node::Lit {
                c: '\x0B',
                ci: false,
            }),
            'a' => Ok(Node::Lit {
                c: '\x07',
                ci: false,
            }),
            'x' | 'u' | 'U' => Ok(Node::Lit {
                c: self.parse_hex(e)?,
                ci: flags.ci,
            }),
            c if c.is_ascii_punctuation() && c != '<' && c != '>' || c == ' ' => {
                Ok(Node::Lit { c, ci: flags.ci })
            }
            _ => Err(Unknown),
        }
    }

    /// A class item after `\`: a character, or a Perl or Unicode class.
    fn class_escape(&mut self) -> Result<ClassItem, Unknown> {
        let e = self.bump()?;
        Ok(match e {
            'd' => ClassItem::Perl(Perl::Digit, false),
            'D' => ClassItem::Perl(Perl::Digit, true),
            'w' => ClassItem::Perl(Perl::Word, false),
            'W' => ClassItem::Perl(Perl::Word, true),
            's' => ClassItem::Perl(Perl::Space, false),
            'S' => ClassItem::Perl(Perl::Space, true),
            'p' | 'P' => match self.parse_prop()? {
                Some(p) => ClassItem::Prop(p, e == 'P'),
                None => ClassItem::Other,
            },
            'n' => ClassItem::Char('\n'),
            't' => ClassItem::Char('\t'),
            'r' => ClassItem::Char('\r'),
            'f' => ClassItem::Char('\x0C'),
            'v' => ClassItem::Char('\x0B'),
            'a' => ClassItem::Char('\x07'),
            'x' | 'u' | 'U' => ClassItem::Char(self.parse_hex(e)?),
            c if c.is_ascii_punctuation() || c == ' ' => ClassItem::Char(c),
            _ => return Err(Unknown),
        })
    }

    /// After `[`.
    fn parse_class(&mut self, flags: Flags) -> Result<Class, Unknown> {
        let negated = self.eat('^');
        let mut other = false;
        let mut ranges = Vec::new();
        let mut perls = Vec::new();
        let mut props = Vec::new();
        let mut first = true;
        loop {
            let c = self.bump()?;
            if c == ']' && !first {
                break;
            }
            first = false;
            let item = match c {
                '[' => {
                    self.parse_class(flags)?;
                    other = true;
                    continue;
                }
                '&' | '-' | '~' if self.peek() == Some(c) => {
                    self.pos += 1;
                    other = true;
                    continue;
                }
                '\\' => self.class_escape()?,
                c => ClassItem::Char(c),
            };
            let ClassItem::Char(lo) = item else {
                match item {
                    ClassItem::Perl(p, neg) => perls.push((p, neg)),
                    ClassItem::Prop(p, neg) => props.push((p, neg)),
                    _ => other = true,
                }
                continue;
            };
            // A range `lo-hi`, unless the `-` closes the class.
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                self.pos += 1;
                let hi = match self.bump()? {
                    '\\' => match self.class_escape()? {
                        ClassItem::Char(h) => h,
                        _ => return Err(Unknown),
                    },
                    '[' => return Err(Unknown),
                    h => h,
                };
                if hi < lo {
                    return Err(Unknown);
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        if other {
            return Ok(Class::Other);
        }
        if flags.ci && !props.is_empty() {
            self.exact = false;
        }
        Ok(Class::Set {
            ranges,
            perls,
            props,
            negated,
            ci: flags.ci,
        })
    }
}

enum ClassItem {
    Char(char),
    Perl(Perl, bool),
    Prop(Prop, bool),
    Other,
}
