//! `ponder user create`: makes an account from the command line (the first
//! administrator, above all). The password is read from standard input, so it never
//! shows in the process list or the shell's history.
//!
//! `ponder user claim-addresses FILE`: gives imported accounts the addresses their
//! owners can claim them by at `/claim` (one `account,email` a line, the account
//! by id or handle), for a community that knows its members' addresses.

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ponder_core::accounts::{validate_email, validate_handle, validate_password};
use ponder_store::{NewUser, PostBody, Role, StoreError};
use std::io::BufRead;

/// `ponder user ...`.
#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input (one line).
    Create(CreateArgs),
    /// Give imported accounts the addresses their owners claim them by: a file of
    /// `account,email` lines (the account by id or handle; `#` starts a comment).
    ClaimAddresses {
        /// The file.
        file: std::path::PathBuf,
    },
}

/// Options of `ponder user create`.
#[derive(Args)]
pub struct CreateArgs {
    /// The handle (3 to 30 letters, digits, dots, dashes or underscores).
    #[arg(long)]
    pub(crate) handle: String,
    /// The email address.
    #[arg(long)]
    pub(crate) email: String,
    /// Make the account an administrator.
    #[arg(long)]
    pub(crate) admin: bool,
    /// Make the account a moderator.
    #[arg(long, conflicts_with = "admin")]
    pub(crate) moderator: bool,
}

/// Runs a `user` subcommand.
pub async fn run(site: &SiteArgs, command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Create(args) => {
            let password = read_password(std::io::stdin().lock())?;
            create(site, args, password).await
        }
        UserCommand::ClaimAddresses { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let store = open_store(site).await?;
            let report = claim_addresses(&*store, &text).await?;
            for problem in &report.problems {
                eprintln!("{}: {problem}", file.display());
            }
            println!(
                "gave {} imported {} the address to claim {} by",
                report.given,
                if report.given == 1 {
                    "account"
                } else {
                    "accounts"
                },
                if report.given == 1 { "it" } else { "them" },
            );
            Ok(())
        }
    }
}

/// What `claim-addresses` did: how many accounts got an address, and the lines
/// it skipped, each with why.
#[derive(Debug, Default)]
struct ClaimReport {
    given: usize,
    problems: Vec<String>,
}

/// Gives each account named in `text` (`account,email` lines) its address; a line
/// that names no unclaimed imported account, holds a bad address or one another
/// account uses is skipped and reported, and the rest go on.
async fn claim_addresses(store: &dyn ponder_store::Store, text: &str) -> Result<ClaimReport> {
    let mut report = ClaimReport::default();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let skip = |why: String| format!("line {}: {why}", number + 1);
        let Some((account, email)) = line.split_once(',') else {
            report
                .problems
                .push(skip("write the account, a comma, then the address".into()));
            continue;
        };
        let email = match validate_email(email) {
            Ok(email) => email,
            Err(message) => {
                report.problems.push(skip(message.to_string()));
                continue;
            }
        };
        let account = account.trim().trim_start_matches('@');
        let user = match account.parse::<i64>() {
            Ok(id) => store.user(ponder_core::UserId(id)).await?,
            Err(_) => store.login_record(account).await?.map(|r| r.user),
        }
        .filter(|u| {
            !u.deleted && (u.id.0.to_string() == account || u.handle.eq_ignore_ascii_case(account))
        });
        let Some(user) = user else {
            report.problems.push(skip(format!("no account {account}")));
            continue;
        };
        match store
            .set_claim_email(user.id, &email, ponder_core::time::now())
            .await
        {
            Ok(true) => report.given += 1,
            Ok(false) => report.problems.push(skip(format!(
                "@{} is not an unclaimed imported account",
                user.handle
            ))),
            Err(StoreError::Conflict { .. }) => report
                .problems
                .push(skip(format!("another account uses {email}"))),
            Err(other) => return Err(other).context("cannot give the address"),
        }
    }
    Ok(report)
}

/// The first line of `input`, without its line ending.
fn read_password(mut input: impl BufRead) -> Result<String> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!(
            "no password on standard input: pipe it in, e.g. `printf '%s' \"$PASSWORD\" | ponder user create ...`"
        );
    }
    Ok(password)
}

pub(crate) async fn create(site: &SiteArgs, args: CreateArgs, password: String) -> Result<()> {
    let handle = validate_handle(&args.handle).map_err(|m| anyhow::anyhow!("--handle: {m}"))?;
    let email = validate_email(&args.email).map_err(|m| anyhow::anyhow!("--email: {m}"))?;
    validate_password(&password).map_err(|m| anyhow::anyhow!("password: {m}"))?;
    let role = if args.admin {
        Role::Admin
    } else if args.moderator {
        Role::Moderator
    } else {
        Role::User
    };
    let hash = ponder_web::auth::password::hash(password).await?;
    let store = open_store(site).await?;
    let user = store
        .create_user(NewUser {
            display_name: handle.clone(),
            handle,
            email: Some(email),
            password_hash: Some(hash),
            role,
            about: PostBody::from_markdown(""),
            created_at: ponder_core::time::now(),
        })
        .await
        .map_err(|err| match err {
            StoreError::Conflict { constraint } if constraint.contains("email") => {
                anyhow::anyhow!("an account with that email exists already")
            }
            StoreError::Conflict { .. } => anyhow::anyhow!("that handle is taken"),
            other => anyhow::Error::new(other).context("cannot create the user"),
        })?;
    println!(
        "created {} @{} (id {}) as {}",
        user.display_name, user.handle, user.id, user.role
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn passwords_come_from_the_first_line() {
        assert_eq!(
            read_password("s3cret pass\nrest".as_bytes()).unwrap(),
            "s3cret pass"
        );
        assert_eq!(read_password("windows\r\n".as_bytes()).unwrap(), "windows");
        assert!(
            read_password("".as_bytes())
                .unwrap_err()
                .to_string()
                .contains("no password")
        );
    }

    #[tokio::test]
    async fn creates_an_admin_who_can_log_in_and_refuses_bad_input() {
        let dir = tempfile::tempdir().unwrap();
        let site = SiteArgs {
            data: PathBuf::from(dir.path()),
            database_url: None,
        };
        let args = |handle: &str, email: &str| CreateArgs {
            handle: handle.into(),
            email: email.into(),
            admin: true,
            moderator: false,
        };
        create(
            &site,
            args("root", "root@example.org"),
            "correct horse".into(),
        )
        .await
        .unwrap();
        let store = open_store(&site).await.unwrap();
        let record = store.login_record("root").await.unwrap().expect("created");
        assert_eq!(record.user.role, Role::Admin);
        assert!(
            ponder_web::auth::password::verify("correct horse".into(), record.password_hash)
                .await
                .unwrap()
        );

        let dup = create(
            &site,
            args("ROOT", "other@example.org"),
            "correct horse".into(),
        )
        .await;
        assert_eq!(dup.unwrap_err().to_string(), "that handle is taken");
        let short = create(&site, args("other", "o@example.org"), "short".into()).await;
        assert_eq!(
            short.unwrap_err().to_string(),
            "password: use at least 8 characters"
        );
        let bad = create(&site, args("x", "o@example.org"), "long enough".into()).await;
        assert!(bad.unwrap_err().to_string().starts_with("--handle:"));
    }

    #[tokio::test]
    async fn claim_addresses_are_given_to_imported_accounts_line_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let site = SiteArgs {
            data: PathBuf::from(dir.path()),
            database_url: None,
        };
        create(
            &site,
            CreateArgs {
                handle: "root".into(),
                email: "root@example.org".into(),
                admin: true,
                moderator: false,
            },
            "correct horse".into(),
        )
        .await
        .unwrap();
        let store = open_store(&site).await.unwrap();
        let imported = |id: i64, handle: &str| ponder_store::BulkUser {
            id: ponder_core::UserId(id),
            handle: handle.into(),
            display_name: handle.into(),
            reputation: 10,
            about: PostBody::from_markdown(""),
            created_at: 0,
            last_seen_at: None,
            deleted_at: None,
            profile: None,
            time_millis: None,
        };
        store
            .bulk_load(ponder_store::BulkBatch {
                users: vec![
                    imported(500, "zoe"),
                    imported(501, "yan"),
                    imported(502, "max"),
                ],
                ..Default::default()
            })
            .await
            .unwrap();
        let text = "# account,email\n\
                    500,zoe@example.org\n\
                    \n\
                    @Yan, yan@example.org \n\
                    502,not an address\n\
                    502 max@example.org\n\
                    999,nobody@example.org\n\
                    root,root2@example.org\n\
                    502,ROOT@example.org\n";
        let report = claim_addresses(&*store, text).await.unwrap();
        assert_eq!(report.given, 2);
        assert_eq!(report.problems.len(), 5, "{:?}", report.problems);
        for (problem, expected) in report.problems.iter().zip([
            "line 5: ",
            "line 6: write the account, a comma",
            "line 7: no account 999",
            "line 8: @root is not an unclaimed imported account",
            "line 9: another account uses ROOT@example.org",
        ]) {
            assert!(problem.starts_with(expected), "{problem}");
        }
        let found = |login: &'static str| {
            let store = store.clone();
            async move {
                store
                    .login_record(login)
                    .await
                    .unwrap()
                    .map(|r| r.user.id.0)
            }
        };
        assert_eq!(found("zoe@example.org").await, Some(500));
        assert_eq!(found("yan@example.org").await, Some(501));
        assert_eq!(found("root2@example.org").await, None);
    }
}
