//! Site settings: every key an administrator sets at `/admin/settings` or with
//! `ponder settings set`, the values each one takes, its built-in default, and
//! [`Settings`], the values in force: the one stored in the database, else the
//! one given at start (a flag or an environment variable), else the built-in one.
//!
//! Values are kept as text, checked and put in one spelling by
//! [`Setting::check`]; the typed views ([`Settings::reputation`],
//! [`Settings::privileges`], ...) read them back.

use crate::input::{Lines, check_characters};
use crate::markdown::{RenderOptions, highlight};
use crate::reputation::{ModerationRules, Privileges, ReputationRules};
use std::collections::BTreeMap;

/// The sections of the settings page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Name, texts and contact.
    Site,
    /// Who may sign up.
    Registration,
    /// Lower thresholds while a site is young.
    Launch,
    /// Points per event.
    Reputation,
    /// Reputation each privilege needs.
    Privileges,
    /// Community moderation.
    Moderation,
    /// How posts are rendered: math, code languages.
    Writing,
    /// Rate limits.
    Limits,
}

impl Group {
    /// Every group, in the page's order.
    pub const ALL: [Self; 8] = [
        Self::Site,
        Self::Registration,
        Self::Launch,
        Self::Reputation,
        Self::Privileges,
        Self::Moderation,
        Self::Writing,
        Self::Limits,
    ];

    /// Its name in forms and keys: the first part of its settings' keys.
    pub fn name(self) -> &'static str {
        match self {
            Self::Site => "site",
            Self::Registration => "registration",
            Self::Launch => "launch",
            Self::Reputation => "reputation",
            Self::Privileges => "privileges",
            Self::Moderation => "moderation",
            Self::Writing => "writing",
            Self::Limits => "limits",
        }
    }

    /// The group named `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.name() == name)
    }

    /// Its settings, in the page's order.
    pub fn settings(self) -> impl Iterator<Item = &'static Setting> {
        ALL.iter().filter(move |s| s.group == self)
    }

    /// The section's heading.
    pub fn title(self) -> &'static str {
        match self {
            Self::Site => "The site",
            Self::Registration => "Registration",
            Self::Launch => "Launch",
            Self::Reputation => "Reputation",
            Self::Privileges => "Privileges",
            Self::Moderation => "Moderation",
            Self::Writing => "Writing",
            Self::Limits => "Rate limits",
        }
    }
}

/// What values a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text, at most this many characters; `required` refuses empty.
    Line {
        /// The most characters.
        max: usize,
        /// Whether it may be empty.
        required: bool,
    },
    /// Markdown, at most this many characters.
    Markdown {
        /// The most characters.
        max: usize,
    },
    /// An email address, or nothing.
    Email,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Email domains (`example.org`), separated by commas or spaces; none means any.
    Domains,
    /// A whole number in this range.
    Number {
        /// The least.
        min: i64,
        /// The most.
        max: i64,
    },
    /// `on` or `off`.
    Switch,
    /// Lines `tag language`: the code language of questions with that tag (`none`
    /// for a tag that names no language); may be empty.
    TagLanguages,
    /// Lines of text, one item each.
    Lines {
        /// The most characters a line.
        max_each: usize,
        /// The most lines.
        max_lines: usize,
    },
}

/// One setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// Its key, e.g. `site.name`.
    pub key: &'static str,
    /// Its label on the settings page.
    pub label: &'static str,
    /// A sentence on what it does.
    pub help: &'static str,
    /// Its section.
    pub group: Group,
    /// What values it takes.
    pub kind: Kind,
    /// The built-in value.
    pub default: &'static str,
}

/// The registration modes.
pub const REGISTRATION_MODES: &[&str] = &["open", "invitation", "closed"];

/// The off-topic reasons a site starts with, one a line.
const DEFAULT_OFF_TOPIC_REASONS: &str = "it is not about the subjects this site covers\n\
     it asks for recommendations of books, tools or other resources\n\
     it is about a problem that can no longer be reproduced or is too local to help others";

/// A number setting's kind.
const fn number(min: i64, max: i64) -> Kind {
    Kind::Number { min, max }
}

/// Points a reputation event may be worth, either way.
const POINTS: Kind = number(-1_000, 1_000);
/// Reputation a privilege may need.
const THRESHOLD: Kind = number(1, 1_000_000);
/// A rate limit's allowance (large ones lift a limit, as benchmarks do).
const ALLOWANCE: Kind = number(1, 1_000_000_000);

/// A setting of `group` with `kind`.
const fn setting(
    group: Group,
    key: &'static str,
    label: &'static str,
    help: &'static str,
    kind: Kind,
    default: &'static str,
) -> Setting {
    Setting {
        key,
        label,
        help,
        group,
        kind,
        default,
    }
}

/// Every setting, in the settings page's order.
pub const ALL: &[Setting] = &[
    setting(
        Group::Site,
        "site.name",
        "Site name",
        "Shown in the header and in every page's title.",
        Kind::Line {
            max: 60,
            required: true,
        },
        "Ponder",
    ),
    setting(
        Group::Site,
        "site.tagline",
        "Tagline",
        "One line under the name on the home page, and the description search engines show.",
        Kind::Line {
            max: 160,
            required: false,
        },
        "",
    ),
    setting(
        Group::Site,
        "site.welcome",
        "Welcome text",
        "Markdown shown at the top of the home page to visitors.",
        Kind::Markdown { max: 5_000 },
        "",
    ),
    setting(
        Group::Site,
        "site.about",
        "About page",
        "Markdown for /about: what the site is for and who runs it.",
        Kind::Markdown { max: 15_000 },
        "",
    ),
    setting(
        Group::Site,
        "site.rules",
        "Rules page",
        "Markdown for /rules: what is on topic and how members are expected to behave.",
        Kind::Markdown { max: 15_000 },
        "",
    ),
    setting(
        Group::Site,
        "site.contact",
        "Contact address",
        "An email address for the site's team, shown on the about page and in the footer.",
        Kind::Email,
        "",
    ),
    setting(
        Group::Registration,
        "registration.mode",
        "Registration",
        "open: anyone signs up; invitation: only with an invitation link; closed: nobody.",
        Kind::Choice(REGISTRATION_MODES),
        "open",
    ),
    setting(
        Group::Registration,
        "registration.email_domains",
        "Email domains",
        "Only addresses at these domains may sign up (commas or spaces between them); empty lets any.",
        Kind::Domains,
        "",
    ),
    setting(
        Group::Registration,
        "registration.invite_reputation",
        "Members who invite",
        "Members with at least this reputation may make invitation links; 0 leaves it to administrators.",
        number(0, 1_000_000),
        "0",
    ),
    setting(
        Group::Launch,
        "launch.mode",
        "Launch mode",
        "Lower privilege thresholds while the site is young, so that its first members can vote and comment.",
        Kind::Switch,
        "off",
    ),
    setting(
        Group::Launch,
        "launch.until_members",
        "Launch ends at",
        "Launch mode ends by itself once the site has this many members.",
        number(1, 10_000_000),
        "100",
    ),
    setting(
        Group::Reputation,
        "reputation.question_upvoted",
        "Question upvoted",
        "Points to a question's author per upvote.",
        POINTS,
        "10",
    ),
    setting(
        Group::Reputation,
        "reputation.answer_upvoted",
        "Answer upvoted",
        "Points to an answer's author per upvote.",
        POINTS,
        "10",
    ),
    setting(
        Group::Reputation,
        "reputation.downvoted",
        "Post downvoted",
        "Points to a post's author per downvote (negative).",
        POINTS,
        "-2",
    ),
    setting(
        Group::Reputation,
        "reputation.downvoting_answer",
        "Downvoting an answer",
        "Points to the voter per downvote on an answer (negative).",
        POINTS,
        "-1",
    ),
    setting(
        Group::Reputation,
        "reputation.answer_accepted",
        "Answer accepted",
        "Points to the author of an accepted answer.",
        POINTS,
        "15",
    ),
    setting(
        Group::Reputation,
        "reputation.accepting",
        "Accepting an answer",
        "Points to the asker who accepts an answer.",
        POINTS,
        "2",
    ),
    setting(
        Group::Reputation,
        "reputation.edit_approved",
        "Suggested edit approved",
        "Points to the author of an approved suggested edit.",
        POINTS,
        "2",
    ),
    setting(
        Group::Reputation,
        "reputation.daily_vote_cap",
        "Daily cap",
        "The most a member earns from upvotes in one UTC day.",
        number(0, 1_000_000),
        "200",
    ),
    setting(
        Group::Privileges,
        "privileges.vote_up",
        "Vote up",
        "Upvote posts and comments.",
        THRESHOLD,
        "15",
    ),
    setting(
        Group::Privileges,
        "privileges.flag",
        "Flag",
        "Flag posts and comments for moderators.",
        THRESHOLD,
        "15",
    ),
    setting(
        Group::Privileges,
        "privileges.comment_everywhere",
        "Comment everywhere",
        "Comment on anyone's post.",
        THRESHOLD,
        "50",
    ),
    setting(
        Group::Privileges,
        "privileges.vote_down",
        "Vote down",
        "Downvote posts.",
        THRESHOLD,
        "125",
    ),
    setting(
        Group::Privileges,
        "privileges.edit_others",
        "Edit others' posts",
        "Edit directly and review suggested edits and first posts.",
        THRESHOLD,
        "2000",
    ),
    setting(
        Group::Privileges,
        "privileges.vote_to_close",
        "Vote to close",
        "Vote to close and reopen questions.",
        THRESHOLD,
        "3000",
    ),
    setting(
        Group::Privileges,
        "privileges.answer_protected",
        "Answer protected questions",
        "Reputation earned on the site to answer a protected question.",
        THRESHOLD,
        "10",
    ),
    setting(
        Group::Moderation,
        "moderation.close_votes",
        "Close votes",
        "Votes that close or reopen a question (a moderator's one vote always does).",
        number(1, 100),
        "3",
    ),
    setting(
        Group::Moderation,
        "moderation.spam_flags",
        "Spam flags",
        "Spam or rude flags that hide a post or comment (a moderator's one flag always does).",
        number(1, 100),
        "6",
    ),
    setting(
        Group::Moderation,
        "moderation.spam_penalty",
        "Spam penalty",
        "Reputation a post's author loses when flags hide it.",
        number(0, 100_000),
        "100",
    ),
    setting(
        Group::Moderation,
        "moderation.off_topic_reasons",
        "Off-topic reasons",
        "The reasons a question can be closed as off-topic, one a line, each completing “This question is off-topic because …”.",
        Kind::Lines {
            max_each: 200,
            max_lines: 20,
        },
        DEFAULT_OFF_TOPIC_REASONS,
    ),
    setting(
        Group::Writing,
        "writing.math",
        "Math",
        "Set TeX between $…$, $$…$$, \\(…\\) and \\[…\\] as formulas (MathML). Off by default: $ is common in prose. Posts written before a change keep their rendering until edited or `ponder render` runs.",
        Kind::Switch,
        "off",
    ),
    setting(
        Group::Writing,
        "writing.code_languages",
        "Code languages of tags",
        "The language of code blocks that name none, by the question's tags: one “tag language” a line (e.g. “reactjs javascript”, or “go none” for a tag that is not a language). A tag that is itself a language's name (python, rust, c#) needs no line.",
        Kind::TagLanguages,
        "",
    ),
    setting(
        Group::Writing,
        "writing.upload_reputation",
        "Upload images",
        "Reputation earned on the site to upload images for posts.",
        THRESHOLD,
        "10",
    ),
    setting(
        Group::Writing,
        "writing.upload_quota_mb",
        "Upload quota",
        "Megabytes of images each member may upload in all.",
        number(1, 100_000),
        "50",
    ),
    setting(
        Group::Writing,
        "writing.followed_links",
        "Followed links",
        "Reputation an author needs for search engines to follow the links in what they write; below it, links are marked rel=\"nofollow ugc\". Takes effect as posts are written.",
        THRESHOLD,
        "1000",
    ),
    setting(
        Group::Limits,
        "limits.login_per_ip_per_minute",
        "Log-ins per address",
        "Log-in attempts a minute from one IP address.",
        ALLOWANCE,
        "20",
    ),
    setting(
        Group::Limits,
        "limits.login_per_account_per_minute",
        "Log-ins per account",
        "Log-in attempts a minute naming one account.",
        ALLOWANCE,
        "5",
    ),
    setting(
        Group::Limits,
        "limits.signups_per_ip_per_hour",
        "Sign-ups per address",
        "Sign-ups an hour from one IP address.",
        ALLOWANCE,
        "10",
    ),
    setting(
        Group::Limits,
        "limits.questions_per_user_per_hour",
        "Questions",
        "Questions an hour from one member.",
        ALLOWANCE,
        "10",
    ),
    setting(
        Group::Limits,
        "limits.answers_per_user_per_hour",
        "Answers",
        "Answers an hour from one member.",
        ALLOWANCE,
        "30",
    ),
    setting(
        Group::Limits,
        "limits.comments_per_user_per_minute",
        "Comments",
        "Comments a minute from one member.",
        ALLOWANCE,
        "6",
    ),
    setting(
        Group::Limits,
        "limits.previews_per_user_per_minute",
        "Previews",
        "Previews a minute from one member.",
        ALLOWANCE,
        "60",
    ),
    setting(
        Group::Limits,
        "limits.avatars_per_user_per_hour",
        "Avatar uploads",
        "Avatar uploads an hour from one member.",
        ALLOWANCE,
        "20",
    ),
    setting(
        Group::Limits,
        "limits.uploads_per_user_per_hour",
        "Image uploads",
        "Images uploaded for posts an hour from one member.",
        ALLOWANCE,
        "30",
    ),
    setting(
        Group::Limits,
        "limits.password_checks_per_user_per_minute",
        "Password checks",
        "Password checks in settings (change, account deletion) a minute from one member.",
        ALLOWANCE,
        "5",
    ),
    setting(
        Group::Limits,
        "limits.searches_per_ip_per_minute",
        "Searches",
        "Searches a minute from one client (pages served from the page cache are not counted).",
        ALLOWANCE,
        "120",
    ),
    setting(
        Group::Limits,
        "limits.api_requests_per_token_per_minute",
        "API requests",
        "Requests a minute with one API token; more are answered 429 with Retry-After.",
        ALLOWANCE,
        "600",
    ),
];

/// The setting with this key.
pub fn find(key: &str) -> Option<&'static Setting> {
    ALL.iter().find(|s| s.key == key)
}

/// A domain name as `registration.email_domains` takes it: labels of letters,
/// digits and inner dashes, at least two.
fn is_domain(domain: &str) -> bool {
    domain.len() <= 253
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

impl Setting {
    /// Checks `raw` as a value of this setting; answers it in its one spelling
    /// (trimmed, lines joined with `\n`, domains lowercase and comma-separated) or
    /// a message to show beside the field.
    pub fn check(&self, raw: &str) -> Result<String, String> {
        let raw = raw.replace("\r\n", "\n");
        match self.kind {
            Kind::Line { max, required } => {
                let line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
                check_characters(raw.trim(), Lines::One)?;
                if required && line.is_empty() {
                    return Err("this cannot be empty".into());
                }
                at_most(&line, max)?;
                Ok(line)
            }
            Kind::Markdown { max } => {
                let text = raw.trim().to_owned();
                check_characters(&text, Lines::Many)?;
                at_most(&text, max)?;
                Ok(text)
            }
            Kind::Email => {
                let email = raw.trim();
                if email.is_empty() {
                    return Ok(String::new());
                }
                crate::accounts::validate_email(email)
            }
            Kind::Choice(choices) => {
                let word = raw.trim().to_lowercase();
                if choices.contains(&word.as_str()) {
                    Ok(word)
                } else {
                    Err(format!("choose one of: {}", choices.join(", ")))
                }
            }
            Kind::Domains => {
                let mut domains: Vec<String> = Vec::new();
                for part in raw
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|p| !p.is_empty())
                {
                    let domain = part.trim_start_matches('@').to_lowercase();
                    if !is_domain(&domain) {
                        return Err(format!("“{part}” is not a domain like example.org"));
                    }
                    if !domains.contains(&domain) {
                        domains.push(domain);
                    }
                }
                if domains.len() > 100 {
                    return Err("list at most 100 domains".into());
                }
                Ok(domains.join(", "))
            }
            Kind::Number { min, max } => {
                let n: i64 = raw
                    .trim()
                    .parse()
                    .map_err(|_| format!("enter a whole number from {min} to {max}"))?;
                if n < min || n > max {
                    return Err(format!("enter a whole number from {min} to {max}"));
                }
                Ok(n.to_string())
            }
            Kind::Switch => match raw.trim().to_lowercase().as_str() {
                "on" | "true" | "yes" | "1" => Ok("on".into()),
                "off" | "false" | "no" | "0" => Ok("off".into()),
                _ => Err("choose on or off".into()),
            },
            Kind::Lines {
                max_each,
                max_lines,
            } => {
                check_characters(&raw, Lines::Many)?;
                let lines: Vec<String> = raw
                    .lines()
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|l| !l.is_empty())
                    .collect();
                if lines.is_empty() {
                    return Err("give at least one, one a line".into());
                }
                if lines.len() > max_lines {
                    return Err(format!("give at most {max_lines}, one a line"));
                }
                if let Some(long) = lines.iter().find(|l| l.chars().count() > max_each) {
                    let start: String = long.chars().take(30).collect();
                    return Err(format!(
                        "keep each line under {max_each} characters (“{start}…” is longer)"
                    ));
                }
                Ok(lines.join("\n"))
            }
            Kind::TagLanguages => {
                check_characters(&raw, Lines::Many)?;
                let mut lines: Vec<String> = Vec::new();
                for line in raw.lines().filter(|l| !l.trim().is_empty()) {
                    let words: Vec<&str> = line.split_whitespace().collect();
                    let [tag, language] = words[..] else {
                        return Err(format!(
                            "write one tag and one language a line (“{}” is not)",
                            line.trim()
                        ));
                    };
                    let known = language.eq_ignore_ascii_case("none")
                        || crate::markdown::highlight::language(language).is_some();
                    if !known {
                        return Err(format!("“{language}” is not a language we highlight"));
                    }
                    if tag.chars().count() > crate::posts::TAG_MAX_LEN {
                        return Err(format!("“{tag}” is longer than a tag can be"));
                    }
                    lines.push(format!(
                        "{} {}",
                        tag.to_lowercase(),
                        language.to_ascii_lowercase()
                    ));
                }
                if lines.len() > 500 {
                    return Err("give at most 500 tags".into());
                }
                Ok(lines.join("\n"))
            }
        }
    }
}

/// Refuses `text` longer than `max` characters.
fn at_most(text: &str, max: usize) -> Result<(), String> {
    let len = text.chars().count();
    if len > max {
        return Err(format!("use at most {max} characters (this has {len})"));
    }
    Ok(())
}

/// Where the value in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Set by an administrator, kept in the database.
    Stored,
    /// Given at start, by a flag or an environment variable.
    Startup,
    /// The built-in default.
    BuiltIn,
}

/// A value given at start that is not a valid value of its setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {message}")]
pub struct StartupError {
    /// The setting's key, or the text that named none.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// The values given at start (flags and environment variables), by key, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Startup(BTreeMap<&'static str, String>);

impl Startup {
    /// No values given at start.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives `key` the value `raw` at start, checked.
    pub fn set(&mut self, key: &str, raw: &str) -> Result<(), StartupError> {
        let setting = find(key).ok_or_else(|| StartupError {
            key: key.to_owned(),
            message: "there is no such setting".into(),
        })?;
        let value = setting.check(raw).map_err(|message| StartupError {
            key: key.to_owned(),
            message,
        })?;
        self.0.insert(setting.key, value);
        Ok(())
    }

    /// Gives each `name=value` of a comma-separated `spec` (as `--privileges`
    /// takes them) at start, under `prefix` (`privileges.`).
    pub fn set_overrides(&mut self, prefix: &str, spec: &str) -> Result<(), StartupError> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').ok_or_else(|| StartupError {
                key: part.to_owned(),
                message: "write it as key=value".into(),
            })?;
            self.set(&format!("{prefix}{}", name.trim()), value)?;
        }
        Ok(())
    }
}

/// The settings in force, each with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    values: BTreeMap<&'static str, (String, Source)>,
}

impl Default for Settings {
    /// The built-in values.
    fn default() -> Self {
        Self::resolve(&Startup::new(), std::iter::empty())
    }
}

impl Settings {
    /// The values in force: each stored value that is still valid, else the one
    /// given at start, else the built-in one. Stored keys this version does not
    /// know, and stored values it no longer accepts, are passed over (a newer
    /// version may have written them).
    pub fn resolve<'a>(
        startup: &Startup,
        stored: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let mut values: BTreeMap<&'static str, (String, Source)> = ALL
            .iter()
            .map(|s| match startup.0.get(s.key) {
                Some(v) => (s.key, (v.clone(), Source::Startup)),
                None => (s.key, (s.default.to_owned(), Source::BuiltIn)),
            })
            .collect();
        for (key, raw) in stored {
            if let Some(setting) = find(key)
                && let Ok(value) = setting.check(raw)
            {
                values.insert(setting.key, (value, Source::Stored));
            }
        }
        Self { values }
    }

    /// The value in force of `key` (empty for a key that does not exist).
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map_or("", |(v, _)| v.as_str())
    }

    /// Where the value in force of `key` comes from.
    pub fn source(&self, key: &str) -> Source {
        self.values.get(key).map_or(Source::BuiltIn, |(_, s)| *s)
    }

    /// A number setting's value (0 if it is not one).
    pub fn number(&self, key: &str) -> i64 {
        self.get(key).parse().unwrap_or(0)
    }

    /// Whether a switch is on.
    pub fn is_on(&self, key: &str) -> bool {
        self.get(key) == "on"
    }

    /// The site's name.
    pub fn site_name(&self) -> &str {
        self.get("site.name")
    }

    /// Points per reputation event.
    pub fn reputation(&self) -> ReputationRules {
        let n = |name: &str| self.number(&format!("reputation.{name}"));
        ReputationRules {
            question_upvoted: n("question_upvoted"),
            answer_upvoted: n("answer_upvoted"),
            downvoted: n("downvoted"),
            downvoting_answer: n("downvoting_answer"),
            answer_accepted: n("answer_accepted"),
            accepting: n("accepting"),
            edit_approved: n("edit_approved"),
            daily_vote_cap: n("daily_vote_cap"),
        }
    }

    /// The privilege thresholds as set, whether or not launch mode lowers them.
    pub fn privileges(&self) -> Privileges {
        let n = |name: &str| self.number(&format!("privileges.{name}"));
        Privileges {
            vote_up: n("vote_up"),
            comment_everywhere: n("comment_everywhere"),
            vote_down: n("vote_down"),
            edit_others: n("edit_others"),
            flag: n("flag"),
            vote_to_close: n("vote_to_close"),
            answer_protected: n("answer_protected"),
        }
    }

    /// Whether launch mode is in force on a site with `members` members: switched
    /// on, and the site below the number that ends it.
    pub fn in_launch(&self, members: i64) -> bool {
        self.is_on("launch.mode") && members < self.number("launch.until_members")
    }

    /// The privilege thresholds in force on a site with `members` members: during
    /// launch, the lower of the set ones and the launch ones.
    pub fn privileges_in_force(&self, members: i64) -> Privileges {
        let set = self.privileges();
        if !self.in_launch(members) {
            return set;
        }
        let launch = LAUNCH_PRIVILEGES;
        Privileges {
            vote_up: set.vote_up.min(launch.vote_up),
            comment_everywhere: set.comment_everywhere.min(launch.comment_everywhere),
            vote_down: set.vote_down.min(launch.vote_down),
            edit_others: set.edit_others.min(launch.edit_others),
            flag: set.flag.min(launch.flag),
            vote_to_close: set.vote_to_close.min(launch.vote_to_close),
            answer_protected: set.answer_protected.min(launch.answer_protected),
        }
    }

    /// Thresholds of community moderation.
    pub fn moderation(&self) -> ModerationRules {
        let n = |name: &str| self.number(&format!("moderation.{name}"));
        ModerationRules {
            close_votes: n("close_votes"),
            spam_flags: n("spam_flags"),
            spam_penalty: n("spam_penalty"),
        }
    }

    /// How to render a post of a question tagged `tags` (an answer goes by its
    /// question's): math as the site says, and code blocks that name no language in
    /// that of the first tag that has one, by [`Kind::TagLanguages`] or by its name.
    pub fn render_options<S: AsRef<str>>(&self, tags: &[S]) -> RenderOptions {
        let map = self.get("writing.code_languages");
        let code_language = tags.iter().find_map(|tag| {
            let tag = tag.as_ref();
            let mapped = map
                .lines()
                .filter_map(|line| line.split_once(' '))
                .find(|(name, _)| *name == tag)
                .map(|(_, language)| language);
            match mapped {
                Some(language) => highlight::language(language),
                None => highlight::language(tag),
            }
        });
        RenderOptions {
            math: self.is_on("writing.math"),
            code_language,
            ..RenderOptions::default()
        }
    }

    /// Whether search engines may follow the links of an author with `reputation`.
    pub fn follows_links(&self, reputation: i64) -> bool {
        reputation >= self.number("writing.followed_links")
    }

    /// The off-topic reasons.
    pub fn off_topic_reasons(&self) -> Vec<String> {
        self.get("moderation.off_topic_reasons")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The registration mode: `open`, `invitation` or `closed`.
    pub fn registration(&self) -> &str {
        self.get("registration.mode")
    }

    /// Whether an address at `email` may sign up under the domain allow-list.
    pub fn email_allowed(&self, email: &str) -> bool {
        let domains = self.get("registration.email_domains");
        if domains.is_empty() {
            return true;
        }
        let Some((_, domain)) = email.rsplit_once('@') else {
            return false;
        };
        let domain = domain.to_lowercase();
        domains.split(", ").any(|d| d == domain)
    }
}

/// The privilege thresholds of launch mode: what Stack Exchange's private betas
/// ask, so that a young site's first members can vote, comment and flag at once.
pub const LAUNCH_PRIVILEGES: Privileges = Privileges {
    vote_up: 1,
    comment_everywhere: 1,
    vote_down: 1,
    edit_others: 500,
    flag: 1,
    vote_to_close: 500,
    answer_protected: 1,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_values_are_the_rules_defaults_and_pass_their_own_check() {
        let settings = Settings::default();
        assert_eq!(settings.reputation(), ReputationRules::default());
        assert_eq!(settings.privileges(), Privileges::default());
        assert_eq!(settings.moderation(), ModerationRules::default());
        assert_eq!(settings.off_topic_reasons().len(), 3);
        assert_eq!(settings.site_name(), "Ponder");
        assert_eq!(settings.registration(), "open");
        for setting in ALL {
            assert_eq!(
                setting.check(setting.default).as_deref(),
                Ok(setting.default),
                "{}",
                setting.key
            );
            assert_eq!(settings.source(setting.key), Source::BuiltIn);
        }
    }

    #[test]
    fn tag_languages_are_checked_and_spelled_one_way() {
        assert_eq!(check("writing.code_languages", ""), Ok(String::new()));
        assert_eq!(
            check(
                "writing.code_languages",
                " ReactJS  JavaScript \r\n\n go none\nnode-js JS"
            ),
            Ok("reactjs javascript\ngo none\nnode-js js".into())
        );
        for bad in ["reactjs", "a b c", "x klingon", "x\u{1b}y js"] {
            assert!(check("writing.code_languages", bad).is_err(), "{bad}");
        }
        let long_tag = format!("{} js", "t".repeat(crate::posts::TAG_MAX_LEN + 1));
        assert!(check("writing.code_languages", &long_tag).is_err());
        let at_limit = format!("{} js", "t".repeat(crate::posts::TAG_MAX_LEN));
        assert!(check("writing.code_languages", &at_limit).is_ok());
        let many = "t js\n".repeat(501);
        assert!(check("writing.code_languages", &many).is_err());
        assert!(check("writing.code_languages", &"t js\n".repeat(500)).is_ok());
    }

    #[test]
    fn posts_render_with_the_sites_math_and_their_tags_language() {
        let settings =
            |pairs: &[(&str, &str)]| Settings::resolve(&Startup::new(), pairs.iter().copied());
        let plain = settings(&[]);
        let none: [&str; 0] = [];
        assert_eq!(plain.render_options(&none), RenderOptions::default());
        let name = |options: RenderOptions| options.code_language.map(|l| l.name());
        assert_eq!(
            name(plain.render_options(&["homework", "python"])),
            Some("Python")
        );
        assert_eq!(name(plain.render_options(&["homework"])), None);
        let mapped = settings(&[
            ("writing.math", "on"),
            ("writing.code_languages", "reactjs javascript\npython none"),
        ]);
        let options = mapped.render_options(&["python", "reactjs", "rust"]);
        assert!(options.math);
        assert_eq!(name(options), Some("JavaScript"));
        assert_eq!(name(mapped.render_options(&["python"])), None);
        assert!(!plain.render_options(&["rust"]).math);
        assert!(!plain.follows_links(999));
        assert!(plain.follows_links(1_000));
        assert!(settings(&[("writing.followed_links", "5")]).follows_links(5));
    }

    #[test]
    fn every_group_has_its_own_heading() {
        let titles: Vec<&str> = Group::ALL.iter().map(|g| g.title()).collect();
        assert_eq!(
            titles,
            [
                "The site",
                "Registration",
                "Launch",
                "Reputation",
                "Privileges",
                "Moderation",
                "Writing",
                "Rate limits"
            ]
        );
    }

    #[test]
    fn stored_rules_reach_their_typed_forms() {
        let settings = Settings::resolve(
            &Startup::new(),
            [
                ("reputation.answer_accepted", "25"),
                ("reputation.daily_vote_cap", "300"),
                ("moderation.close_votes", "5"),
                ("moderation.spam_penalty", "0"),
            ],
        );
        let rules = settings.reputation();
        assert_eq!((rules.answer_accepted, rules.daily_vote_cap), (25, 300));
        assert_eq!(rules.question_upvoted, 10);
        let moderation = settings.moderation();
        assert_eq!((moderation.close_votes, moderation.spam_penalty), (5, 0));
        assert_eq!(moderation.spam_flags, 6);
    }

    #[test]
    fn keys_are_unique_and_named_by_their_group() {
        let mut keys: Vec<&str> = ALL.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ALL.len());
        for setting in ALL {
            let prefix = setting.key.split('.').next().unwrap_or_default();
            assert_eq!(prefix, setting.group.name(), "{}", setting.key);
            assert_eq!(Group::from_name(prefix), Some(setting.group));
        }
        let names: Vec<&str> = Group::ALL.iter().map(|g| g.name()).collect();
        assert_eq!(
            names,
            [
                "site",
                "registration",
                "launch",
                "reputation",
                "privileges",
                "moderation",
                "writing",
                "limits"
            ]
        );
        assert_eq!(Group::from_name("sites"), None);
        assert_eq!(Group::Launch.settings().count(), 2);
        assert_eq!(
            Group::ALL
                .iter()
                .map(|g| g.settings().count())
                .sum::<usize>(),
            ALL.len()
        );
        assert!(find("site.name").is_some());
        assert!(find("site.nam").is_none());
    }

    fn check(key: &str, raw: &str) -> Result<String, String> {
        find(key).map_or_else(|| Err("no such key".into()), |s| s.check(raw))
    }

    #[test]
    fn lines_are_folded_bounded_and_required_where_they_must_be() {
        assert_eq!(check("site.name", "  Ask   Rust "), Ok("Ask Rust".into()));
        assert!(check("site.name", "   ").is_err());
        assert!(check("site.name", "a\u{0}b").is_err());
        assert!(check("site.name", "one\ntwo").is_err());
        assert!(check("site.name", &"x".repeat(60)).is_ok());
        assert!(check("site.name", &"x".repeat(61)).is_err());
        assert_eq!(check("site.tagline", ""), Ok(String::new()));
        assert!(check("site.tagline", &"é".repeat(161)).is_err());
    }

    #[test]
    fn markdown_keeps_lines_and_refuses_control_characters() {
        assert_eq!(
            check("site.welcome", " Hello\r\n\n**you**\t \n"),
            Ok("Hello\n\n**you**".into())
        );
        assert!(check("site.welcome", "a\u{1b}[31m").is_err());
        assert!(check("site.welcome", &"x".repeat(5_000)).is_ok());
        assert!(check("site.welcome", &"x".repeat(5_001)).is_err());
    }

    #[test]
    fn emails_may_be_empty_but_not_malformed() {
        assert_eq!(check("site.contact", "  "), Ok(String::new()));
        assert_eq!(
            check("site.contact", " team@example.org "),
            Ok("team@example.org".into())
        );
        assert!(check("site.contact", "team at example").is_err());
    }

    #[test]
    fn choices_and_switches_take_their_words_only() {
        assert_eq!(check("registration.mode", " Closed "), Ok("closed".into()));
        assert!(check("registration.mode", "sometimes").is_err());
        assert!(check("registration.mode", "").is_err());
        for on in ["on", "ON", "true", "yes", "1"] {
            assert_eq!(check("launch.mode", on), Ok("on".into()));
        }
        for off in ["off", "false", "no", "0"] {
            assert_eq!(check("launch.mode", off), Ok("off".into()));
        }
        assert!(check("launch.mode", "maybe").is_err());
    }

    #[test]
    fn numbers_keep_to_their_range() {
        assert_eq!(check("privileges.vote_up", " 20 "), Ok("20".into()));
        assert!(check("privileges.vote_up", "0").is_err());
        assert!(check("privileges.vote_up", "1").is_ok());
        assert!(check("privileges.vote_up", "1000000").is_ok());
        assert!(check("privileges.vote_up", "1000001").is_err());
        assert!(check("privileges.vote_up", "ten").is_err());
        assert!(check("privileges.vote_up", "1.5").is_err());
        assert_eq!(check("reputation.downvoted", "-3"), Ok("-3".into()));
        assert!(check("reputation.downvoted", "-1001").is_err());
        assert!(check("moderation.close_votes", "0").is_err());
        assert!(check("limits.questions_per_user_per_hour", "1000000000").is_ok());
        assert!(check("limits.questions_per_user_per_hour", "1000000001").is_err());
        assert!(check("limits.questions_per_user_per_hour", "99999999999999999999").is_err());
    }

    #[test]
    fn domains_are_lowercased_deduplicated_and_checked() {
        assert_eq!(
            check(
                "registration.email_domains",
                "Example.org, @corp.example.com example.org"
            ),
            Ok("example.org, corp.example.com".into())
        );
        assert_eq!(check("registration.email_domains", " "), Ok(String::new()));
        for bad in ["localhost", "exa mple", "-a.org", "a..org", "a.org/x"] {
            assert!(check("registration.email_domains", bad).is_err(), "{bad}");
        }
        let hundred: Vec<String> = (0..100).map(|i| format!("d{i}.org")).collect();
        assert!(check("registration.email_domains", &hundred.join(",")).is_ok());
        let many: Vec<String> = (0..101).map(|i| format!("d{i}.org")).collect();
        assert!(check("registration.email_domains", &many.join(",")).is_err());
    }

    #[test]
    fn lines_settings_need_one_line_and_bound_each() {
        assert_eq!(
            check(
                "moderation.off_topic_reasons",
                "  about pets \n\n asks  for advice\n"
            ),
            Ok("about pets\nasks for advice".into())
        );
        assert!(check("moderation.off_topic_reasons", "\n \n").is_err());
        assert!(check("moderation.off_topic_reasons", &"x".repeat(200)).is_ok());
        assert!(check("moderation.off_topic_reasons", &"x".repeat(201)).is_err());
        let twenty = vec!["reason"; 20].join("\n");
        assert!(check("moderation.off_topic_reasons", &twenty).is_ok());
        let many = vec!["reason"; 21].join("\n");
        assert!(check("moderation.off_topic_reasons", &many).is_err());
    }

    #[test]
    fn stored_values_win_over_startup_ones_which_win_over_built_in_ones() {
        let mut startup = Startup::new();
        startup.set("site.name", "From Flag").unwrap();
        startup
            .set_overrides("privileges.", "vote_up=20, flag=30")
            .unwrap();
        let settings = Settings::resolve(
            &startup,
            [
                ("privileges.vote_up", "25"),
                ("site.tagline", "Stored"),
                ("no.such.key", "x"),
                ("privileges.flag", "not a number"),
            ],
        );
        assert_eq!(settings.get("privileges.vote_up"), "25");
        assert_eq!(settings.source("privileges.vote_up"), Source::Stored);
        assert_eq!(settings.get("privileges.flag"), "30");
        assert_eq!(settings.source("privileges.flag"), Source::Startup);
        assert_eq!(settings.site_name(), "From Flag");
        assert_eq!(settings.source("site.name"), Source::Startup);
        assert_eq!(settings.get("site.tagline"), "Stored");
        assert_eq!(settings.get("no.such.key"), "");
        assert_eq!(settings.privileges().vote_down, 125);
        assert_eq!(settings.source("privileges.vote_down"), Source::BuiltIn);
    }

    #[test]
    fn startup_values_are_checked() {
        let mut startup = Startup::new();
        assert!(startup.set("site.nope", "x").is_err());
        assert!(startup.set("privileges.vote_up", "-5").is_err());
        assert!(startup.set_overrides("privileges.", "vote_up").is_err());
        assert!(startup.set_overrides("privileges.", "teleport=5").is_err());
        assert_eq!(startup, Startup::new());
    }

    #[test]
    fn launch_mode_lowers_thresholds_until_the_site_has_enough_members() {
        let settings = Settings::resolve(
            &Startup::new(),
            [("launch.mode", "on"), ("launch.until_members", "10")],
        );
        assert!(settings.in_launch(9));
        assert!(!settings.in_launch(10));
        let young = settings.privileges_in_force(9);
        assert_eq!(young.vote_up, 1);
        assert_eq!(young.edit_others, 500);
        assert_eq!(settings.privileges_in_force(10), Privileges::default());
        // A threshold set lower than launch's stays lower.
        let low = Settings::resolve(
            &Startup::new(),
            [("launch.mode", "on"), ("privileges.edit_others", "100")],
        );
        assert_eq!(low.privileges_in_force(0).edit_others, 100);
        assert_eq!(
            Settings::default().privileges_in_force(0),
            Privileges::default()
        );
    }

    #[test]
    fn the_domain_allow_list_matches_whole_domains_without_case() {
        let open = Settings::default();
        assert!(open.email_allowed("ann@anything.example"));
        let company = Settings::resolve(
            &Startup::new(),
            [("registration.email_domains", "corp.example, lab.example")],
        );
        assert!(company.email_allowed("ann@corp.example"));
        assert!(company.email_allowed("ann@LAB.example"));
        assert!(!company.email_allowed("ann@evilcorp.example"));
        assert!(!company.email_allowed("ann@corp.example.evil"));
        assert!(!company.email_allowed("no-at-sign"));
    }
}
