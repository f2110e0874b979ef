//! `ponder user create`: makes an account from the command line (the first
//! administrator, above all). The password is read from standard input, so it never
//! shows in the process list or the shell's history.

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
    }
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
}
