//! Writes a deterministic corpus of decline letters for benchmarks.
//!
//! ```text
//! cargo run --release --example gen-corpus -- N DIR [--seed S]
//! cargo run --release --example gen-corpus -- --long BYTES FILE [--seed S]
//! ```
//!
//! The first form writes `N` letters (`DIR/letter-000001.txt` …), about 1.1 KB
//! each on average: most are sound, many carry one or two faults (slang, a blunt
//! reason, shouting, unfilled slots, no greeting, …), some have mail headers,
//! CRLF line ends, curly quotes or a quoted reply below. The second form writes
//! one long letter of at least `BYTES` bytes. The same arguments always give the
//! same bytes: the letters come from fixed sentence pools picked by a seeded PRNG.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        pool[self.below(pool.len())]
    }
}

const FIRST: &[&str] = &[
    "Dana", "Priya", "Amir", "Jordan", "Sam", "Lena", "Tomás", "Mei", "Kofi", "Ingrid", "Rafael",
    "Aisha", "Noah", "Yuki", "Carmen", "Olu", "Hannah", "Mateo", "Sofia", "Ravi", "Elif", "Jonas",
];
const LAST: &[&str] = &[
    "Park",
    "Lee",
    "Haddad",
    "Rivera",
    "Okafor",
    "Novak",
    "Schmidt",
    "Tanaka",
    "García",
    "Mensah",
    "Lindqvist",
    "Costa",
    "Brennan",
    "Kowalski",
    "Nguyen",
    "Fischer",
    "Adeyemi",
    "Moreau",
];
const TITLES: &[&str] = &["Ms.", "Mr.", "Dr.", "Mx."];
const COMPANIES: &[&str] = &[
    "Northwind",
    "Acme",
    "Bluefin Labs",
    "Harbor Analytics",
    "Cobalt Health",
    "Juniper Studio",
    "Meridian Bank",
    "Tidewater Logistics",
    "Quillon",
    "Sparrow & Finch",
    "Orchid Robotics",
];
const ROLES: &[&str] = &[
    "Data Analyst",
    "Product Designer",
    "Backend Engineer",
    "Marketing Lead",
    "Nurse Practitioner",
    "Project Coordinator",
    "Sales Associate",
    "UX Researcher",
    "Financial Controller",
    "Site Reliability Engineer",
    "Content Strategist",
    "Lab Technician",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const SUBJECTS: &[&str] = &[
    "Interview for the {role} role",
    "Re: Interview invitation – {role}",
    "Withdrawing my application",
    "{role} interview on {day}",
    "Re: Next steps",
    "Thank you for the invitation",
];

const GREETINGS: &[&str] = &[
    "Dear {title} {last},",
    "Dear {first} {last},",
    "Hello {first},",
    "Hi {first},",
    "Dear Hiring Team,",
    "Good morning {first},",
    "Dear {first},",
];
const BAD_GREETINGS: &[&str] = &["Hey {first}!", "Hiya,", "Yo {first},", "Hey there,"];

const GRATITUDE: &[&str] = &[
    "Thank you for inviting me to interview for the {role} position at {company}.",
    "Thank you very much for the invitation to interview for the {role} role.",
    "Many thanks for considering my application and for the time you have already given it.",
    "I am grateful for the invitation to meet the team on {day}.",
    "I appreciate the time you and your colleagues spent reading my application.",
    "Thanks so much for getting back to me so quickly about the {role} opening.",
    "I really enjoyed our first conversation, and I appreciate the invitation to the next round.",
    "Thank you for the thoughtful feedback on my portfolio and for the invitation to interview.",
];

const DECLINES: &[&str] = &[
    "After careful thought, I have decided to withdraw from the process.",
    "I must respectfully decline the invitation to interview.",
    "I have decided not to move forward with my application.",
    "I would like to withdraw my application for the {role} position.",
    "Unfortunately, I will not be able to attend the interview on {day}.",
    "Please remove me from consideration for this role.",
    "I am writing to let you know that I will be withdrawing my candidacy.",
    "I have decided to decline the interview.",
    "With some regret, I need to step back from the hiring process.",
];

const REASONS: &[&str] = &[
    "I have accepted an offer that fits my current career goals more closely.",
    "I recently accepted a position elsewhere that is closer to home.",
    "My current employer has offered me a new role, and I have chosen to stay.",
    "The timing is not right for me, as I have a family matter that needs my attention.",
    "After reflecting on the role, I realised it is not quite what I am looking for at this stage.",
    "I have decided to focus on completing my degree this year.",
    "A change in my personal circumstances means I cannot relocate at the moment.",
    "I have a prior commitment during the weeks the team would need me to start.",
];

const EXTRA_REASONS: &[&str] = &[
    "The commute would also have been difficult to manage with my schedule.",
    "I also want to stay with my current team until our project ships in the spring.",
    "In addition, the on-site requirements would be hard for me to meet because of my family.",
    "My partner has also just started a new job in another city.",
];

const DOOR_OPEN: &[&str] = &[
    "I hope our paths cross again in the future.",
    "I would welcome the chance to reconnect if a suitable opening comes up later.",
    "Please keep my details on file for future opportunities.",
    "I would be glad to stay in touch and hope we can speak again down the road.",
    "If another role opens up next year, I would be happy to hear about it.",
    "I hope we have the chance to work together in the future.",
];

const ALTERNATIVES: &[&str] = &[
    "If it helps, I would be happy to recommend a former colleague who may be a great fit.",
    "I would be glad to chat later in the year about other openings on the team.",
    "Please do consider me for similar roles in the future.",
    "I am happy to refer a friend who is looking for a role like this one.",
];

const WELL_WISHES: &[&str] = &[
    "I wish you and the team every success with the search.",
    "Best of luck in finding the right person for the role.",
    "I wish {company} all the best with the new product launch.",
    "I hope the rest of your hiring goes smoothly.",
];

const PRAISE: &[&str] = &[
    "I have a great deal of respect for the work {company} does.",
    "Everyone I spoke with was welcoming, and the team's projects sound exciting.",
    "I was impressed by how clearly the role was described in the job posting.",
    "It was a pleasure to learn more about the team's plans for the coming year.",
    "The conversation with {first} gave me a clear picture of the team's day-to-day work.",
];

const CONTEXT: &[&str] = &[
    "I know how much work goes into arranging interviews, and I did not want to keep a place on the schedule that another candidate could use.",
    "I wanted to tell you as soon as I had made up my mind, so that the panel can plan the rest of the week without me.",
    "Over the past few weeks I have been weighing two very different directions, and it took longer than I expected to settle on one.",
    "The conversations I had with the team were some of the most thoughtful I have had during this search, which made the decision harder.",
    "I have read a good deal about the projects the team has shipped this year, and I can see why people enjoy working there.",
    "When we spoke on {day}, you mentioned that the team would be growing again next spring, which I was glad to hear.",
];

const SIGNOFFS: &[&str] = &[
    "Best regards,",
    "Kind regards,",
    "Sincerely,",
    "Warm regards,",
    "With thanks,",
    "All the best,",
    "Best wishes,",
    "Thank you again,",
];

/// Faulty sentences, each meant to trip one rule.
const FAULTS: &[&str] = &[
    // slang
    "I'm gonna have to pass on the interview, thx for understanding.",
    "Btw, I took a job somewhere else last week lol.",
    // blunt reason
    "The salary you offer is too low, and the commute would be a nightmare.",
    "Honestly, the reviews on Glassdoor were awful.",
    // excessive apology
    "I am so sorry for the trouble. I apologise again for any inconvenience. Sorry once more for the short notice.",
    // excessive exclamation
    "Thanks again for everything!! It really means a lot!",
    // hedged decline
    "I think I might have to decline, but I am not sure yet.",
    // hostile language
    "Frankly the whole process was a joke and a waste of my time.",
    // negative tone
    "Unfortunately the process was disappointing and far too slow.",
    // shouting
    "I am NOT INTERESTED in the role ANYMORE.",
    // unfilled placeholder
    "Please pass my thanks on to everyone at [Company Name].",
    "I enjoyed speaking with [Interviewer Name] last week.",
    // emoji
    "It was a tough choice 😅",
    // repeated word
    "I have decided to take the the other offer.",
    // overexplained reason
    "The pay is lower than I expected. The office is far from my home. My family needs me nearby. The role is also more junior than I hoped.",
    // long sentence
    "I have spent a long time thinking about whether this role and this team and this particular moment in my working life are the right combination for me and my family, and after talking it through with the people I trust most I came to the view that it would not be fair to you to continue.",
];

const QUOTES: &[&str] = &[
    "We loved your portfolio and would like to invite you to an interview\n> next {day} at 10 a.m. with the {role} team. Let us know if that works,\n> and whether you need anything from us before then!",
    "Thanks for applying to the {role} role. We'd like to set up a call\n> with the hiring manager this week. The call takes about 45 minutes\n> and covers your recent projects and what you are looking for next.",
    "Following our chat last week, the panel would like to meet you in person\n> on {day}. Please reply with two or three times that suit you and we\n> will send a calendar invitation with directions to the office.",
];

struct Names {
    first: &'static str,
    last: &'static str,
    title: &'static str,
    company: &'static str,
    role: &'static str,
    day: &'static str,
    me_first: &'static str,
    me_last: &'static str,
}

impl Names {
    fn fill(&self, s: &str) -> String {
        s.replace("{first}", self.first)
            .replace("{last}", self.last)
            .replace("{title}", self.title)
            .replace("{company}", self.company)
            .replace("{role}", self.role)
            .replace("{day}", self.day)
    }
}

/// One letter. Most are sound; about 45% carry one or two faults.
fn letter(rng: &mut Rng) -> String {
    let n = Names {
        first: rng.pick(FIRST),
        last: rng.pick(LAST),
        title: rng.pick(TITLES),
        company: rng.pick(COMPANIES),
        role: rng.pick(ROLES),
        day: rng.pick(DAYS),
        me_first: rng.pick(FIRST),
        me_last: rng.pick(LAST),
    };
    let faulty = rng.chance(45);
    let mut out = String::new();

    // Headers.
    if rng.chance(12) {
        let _ = writeln!(
            out,
            "To: {} {} <{}@{}.example>",
            n.first,
            n.last,
            n.first.to_lowercase(),
            n.company.split(' ').next().unwrap_or("mail").to_lowercase()
        );
        let _ = writeln!(out, "From: {} {} <me@example.org>", n.me_first, n.me_last);
        if !(faulty && rng.chance(30)) {
            let _ = writeln!(out, "Subject: {}", n.fill(rng.pick(SUBJECTS)));
        }
        out.push('\n');
    } else if rng.chance(55) {
        let _ = writeln!(out, "Subject: {}\n", n.fill(rng.pick(SUBJECTS)));
    }

    // Greeting.
    if faulty && rng.chance(15) {
        let _ = writeln!(out, "{}\n", n.fill(rng.pick(BAD_GREETINGS)));
    } else if !(faulty && rng.chance(10)) {
        let _ = writeln!(out, "{}\n", n.fill(rng.pick(GREETINGS)));
    }

    // Body: gratitude and decline, a reason, then warmth.
    let mut paras: Vec<Vec<String>> = Vec::new();
    let mut p1 = vec![n.fill(rng.pick(GRATITUDE))];
    if rng.chance(70) {
        p1.push(n.fill(rng.pick(PRAISE)));
    }
    if rng.chance(65) {
        p1.push(n.fill(rng.pick(CONTEXT)));
    }
    paras.push(p1);
    let mut p2 = Vec::new();
    if !(faulty && rng.chance(12)) {
        p2.push(n.fill(rng.pick(DECLINES)));
    }
    p2.push(n.fill(rng.pick(REASONS)));
    if rng.chance(55) {
        p2.push(n.fill(rng.pick(EXTRA_REASONS)));
    }
    paras.push(p2);
    if rng.chance(60) {
        let a = rng.below(CONTEXT.len());
        let b = (a + 1 + rng.below(CONTEXT.len() - 1)) % CONTEXT.len();
        paras.push(vec![n.fill(CONTEXT[a]), n.fill(CONTEXT[b])]);
    }
    let mut p3 = vec![n.fill(rng.pick(DOOR_OPEN))];
    if rng.chance(40) {
        p3.push(n.fill(rng.pick(ALTERNATIVES)));
    }
    if rng.chance(80) {
        p3.push(n.fill(rng.pick(WELL_WISHES)));
    }
    if rng.chance(40) {
        p3.push(n.fill(rng.pick(PRAISE)));
    }
    paras.push(p3);
    if rng.chance(35) {
        paras.push(vec![n.fill(rng.pick(CONTEXT)), n.fill(rng.pick(PRAISE))]);
    }
    if faulty {
        for _ in 0..1 + rng.below(2) {
            let fault = n.fill(rng.pick(FAULTS));
            let p = rng.below(paras.len());
            let at = rng.below(paras[p].len() + 1);
            paras[p].insert(at, fault);
        }
    }
    for p in &paras {
        let _ = writeln!(out, "{}\n", p.join(" "));
    }

    // Sign-off and name.
    if !(faulty && rng.chance(10)) {
        let _ = writeln!(out, "{}", rng.pick(SIGNOFFS));
    }
    if rng.chance(50) {
        let _ = writeln!(out, "{} {}", n.me_first, n.me_last);
    } else {
        let _ = writeln!(out, "{}", n.me_first);
    }

    // A quoted reply below.
    if rng.chance(40) {
        let _ = write!(
            out,
            "\nOn {}, {} {} <{}@example.com> wrote:\n> Hi {},\n>\n> {}\n>\n> Best,\n> {}\n> {} | {}\n",
            n.day,
            n.first,
            n.last,
            n.first.to_lowercase(),
            n.me_first,
            n.fill(rng.pick(QUOTES)),
            n.first,
            n.fill("Talent Acquisition"),
            n.company
        );
    }

    // Typography and line ends as real mail clients produce them.
    if rng.chance(25) {
        out = out.replace('\'', "’");
    }
    if rng.chance(10) {
        out = out.replace('\n', "\r\n");
    }
    out
}

/// One long letter: a normal opening and closing around many body paragraphs.
fn long_letter(rng: &mut Rng, bytes: usize) -> String {
    let mut body = String::new();
    let pools: [&[&str]; 6] = [
        GRATITUDE,
        PRAISE,
        REASONS,
        EXTRA_REASONS,
        DOOR_OPEN,
        WELL_WISHES,
    ];
    let n = Names {
        first: "Dana",
        last: "Park",
        title: "Ms.",
        company: "Northwind",
        role: "Data Analyst",
        day: "Tuesday",
        me_first: "Sam",
        me_last: "Rivera",
    };
    while body.len() < bytes {
        let mut para = Vec::new();
        for _ in 0..3 + rng.below(4) {
            let pool = pools[rng.below(pools.len())];
            para.push(n.fill(rng.pick(pool)));
        }
        if rng.chance(10) {
            para.push(n.fill(rng.pick(FAULTS)));
        }
        let _ = writeln!(body, "{}\n", para.join(" "));
    }
    format!(
        "Subject: Withdrawing my application\n\nDear Ms. Park,\n\n{}\n\n{body}Best regards,\nSam Rivera\n",
        n.fill(DECLINES[0])
    )
}

fn usage() -> ExitCode {
    eprintln!("usage: gen-corpus N DIR [--seed S]\n       gen-corpus --long BYTES FILE [--seed S]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut seed = 0x5EED_u64;
    if let Some(i) = args.iter().position(|a| a == "--seed") {
        let Some(s) = args.get(i + 1).and_then(|s| s.parse().ok()) else {
            return usage();
        };
        seed = s;
        args.drain(i..i + 2);
    }
    let mut rng = Rng(seed);
    let result = match args.as_slice() {
        [flag, bytes, file] if flag == "--long" => {
            let Ok(bytes) = bytes.parse::<usize>() else {
                return usage();
            };
            std::fs::write(file, long_letter(&mut rng, bytes))
        }
        [n, dir] => {
            let Ok(n) = n.parse::<usize>() else {
                return usage();
            };
            write_corpus(&mut rng, n, Path::new(dir))
        }
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-corpus: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write_corpus(rng: &mut Rng, n: usize, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut total = 0usize;
    for i in 1..=n {
        let text = letter(rng);
        total += text.len();
        std::fs::write(dir.join(format!("letter-{i:06}.txt")), text)?;
    }
    eprintln!(
        "wrote {n} letters, {total} bytes ({:.0} bytes each on average) to {}",
        total as f64 / n.max(1) as f64,
        dir.display()
    );
    Ok(())
}
