//! The guide: loading content/, rendering it to HTML and the terminal, and checking it against the rules.
