//! Accounts: users, handles and emails, sessions, profiles, passwords, mailed
//! tokens and their allowance, sign-ups, avatars.
//!
//! Long on purpose: the account checks share the token and sign-up fixtures above.

use super::*;

/// A user created is read back the same; an unknown id is `None`.
pub async fn users_are_created_and_read(store: Arc<dyn Store>) {
    assert!(store.is_empty().await.unwrap());
    let ann = user(&*store, "ann").await;
    assert!(!store.is_empty().await.unwrap());
    assert_eq!(ann.handle, "ann");
    assert_eq!(ann.display_name, "Ann");
    assert_eq!(ann.reputation, 1);
    assert_eq!(ann.role, Role::User);
    assert!(!ann.deleted);
    assert_eq!(
        ann.about_html.as_str(),
        "<p>I am <strong>ann</strong>.</p>\n"
    );
    assert_eq!(store.user(ann.id).await.unwrap(), Some(ann.clone()));
    assert_eq!(store.user(UserId(ann.id.0 + 1000)).await.unwrap(), None);
}

/// `Ann` and `ann` are one handle; emails likewise.
pub async fn handles_and_emails_are_unique_without_regard_to_case(store: Arc<dyn Store>) {
    user(&*store, "ann").await;
    let mut dup = NewUser {
        handle: "ANN".into(),
        display_name: "Other".into(),
        email: Some("other@example.com".into()),
        password_hash: None,
        role: Role::User,
        about: PostBody::from_markdown(""),
        created_at: at(0),
    };
    match store.create_user(dup.clone()).await {
        Err(StoreError::Conflict { constraint }) => {
            assert!(constraint.contains("handle"), "{constraint}")
        }
        other => panic!("expected a handle conflict, got {other:?}"),
    }
    dup.handle = "other".into();
    dup.email = Some("ANN@Example.COM".into());
    match store.create_user(dup.clone()).await {
        Err(StoreError::Conflict { constraint }) => {
            assert!(constraint.contains("email"), "{constraint}")
        }
        other => panic!("expected an email conflict, got {other:?}"),
    }
    dup.email = None;
    store
        .create_user(dup)
        .await
        .expect("a free handle without email is fine");
}

/// A user's sessions, with their browsers and last use, newest use first; one
/// ended by its owner only (issue 16).
pub async fn sessions_are_listed_touched_and_ended_one_by_one(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    for (id, owner, expires) in [
        ("s1", ann.id, 100),
        ("s2", ann.id, 100),
        ("old", ann.id, 5),
        ("b1", bob.id, 100),
    ] {
        store
            .create_session(session(id, owner, at(expires)))
            .await
            .unwrap();
    }
    let long = NewSession {
        user_agent: "x".repeat(1_000),
        ..session("long", bob.id, at(100))
    };
    store.create_session(long).await.unwrap();
    store.touch_session("s2", at(20)).await.unwrap();
    let listed = store.user_sessions(ann.id, at(10)).await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|s| s.id_hash.as_str()).collect();
    assert_eq!(ids, ["s2", "s1"], "unexpired, last used first");
    assert_eq!(listed[0].user_agent, "Browser s2");
    assert_eq!(
        (listed[0].last_seen_at, listed[1].last_seen_at),
        (at(20), at(0))
    );
    assert_eq!(listed[0].created_at, at(0));
    assert_eq!(
        store
            .session("s2", at(30))
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        at(20)
    );
    let bobs = store.user_sessions(bob.id, at(10)).await.unwrap();
    let long = bobs.iter().find(|s| s.id_hash == "long").unwrap();
    assert_eq!(long.user_agent.chars().count(), USER_AGENT_MAX);

    assert!(
        !store.end_user_session(bob.id, "s1").await.unwrap(),
        "not bob's"
    );
    assert!(store.session("s1", at(30)).await.unwrap().is_some());
    assert!(store.end_user_session(ann.id, "s1").await.unwrap());
    assert_eq!(store.session("s1", at(30)).await.unwrap(), None);
    assert!(!store.end_user_session(ann.id, "s1").await.unwrap(), "once");
}

/// Log-in finds an account by handle or email, without regard to case.
pub async fn accounts_are_found_by_handle_or_email(store: Arc<dyn Store>) {
    let ann = user(&*store, "Ann").await;
    store
        .set_password_hash(ann.id, "$argon2id$fake")
        .await
        .unwrap();
    for login in ["ann", "ANN", " Ann ", "ann@example.com", "ANN@EXAMPLE.COM"] {
        let record = store
            .login_record(login)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{login}"));
        assert_eq!(record.user.id, ann.id);
        assert_eq!(record.password_hash.as_deref(), Some("$argon2id$fake"));
        assert_eq!(record.email.as_deref(), Some("Ann@example.com"));
        assert!(!record.email_verified);
    }
    assert_eq!(store.login_record("nobody").await.unwrap(), None);
    assert_eq!(store.login_record("").await.unwrap(), None);
    store.set_email_verified(ann.id, at(5)).await.unwrap();
    assert!(
        store
            .login_record_by_id(ann.id)
            .await
            .unwrap()
            .unwrap()
            .email_verified
    );
    let page = store.list_users(1).await.unwrap();
    assert_eq!((page.total, page.items.len()), (1, 1));
}

pub(crate) fn session(id_hash: &str, user: UserId, expires_at: i64) -> NewSession {
    NewSession {
        id_hash: id_hash.to_owned(),
        user,
        csrf_token: format!("csrf-{id_hash}"),
        created_at: at(0),
        expires_at,
        user_agent: format!("Browser {id_hash}"),
    }
}

/// A session works until it expires or is ended; ending all but one keeps that one.
pub async fn sessions_expire_and_end(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    store
        .create_session(session("a", ann.id, at(100)))
        .await
        .unwrap();
    store
        .create_session(session("b", ann.id, at(100)))
        .await
        .unwrap();
    store
        .create_session(session("c", ann.id, at(10)))
        .await
        .unwrap();
    let live = store
        .session("a", at(50))
        .await
        .unwrap()
        .expect("live session");
    assert_eq!(live.user.id, ann.id);
    assert_eq!(live.csrf_token, "csrf-a");
    assert_eq!(
        store.session("a", at(100)).await.unwrap(),
        None,
        "expired at its time"
    );
    assert_eq!(store.session("zzz", at(50)).await.unwrap(), None);
    assert_eq!(store.delete_expired_sessions(at(50)).await.unwrap(), 1);
    store.delete_session("b").await.unwrap();
    assert_eq!(store.session("b", at(50)).await.unwrap(), None);
    store
        .create_session(session("d", ann.id, at(100)))
        .await
        .unwrap();
    assert_eq!(
        store.delete_user_sessions(ann.id, Some("a")).await.unwrap(),
        1
    );
    assert!(store.session("a", at(50)).await.unwrap().is_some());
    let dup = store.create_session(session("a", ann.id, at(100))).await;
    assert!(matches!(dup, Err(StoreError::Conflict { .. })), "{dup:?}");
}

/// Profile, password and role changes land; an unknown user is NotFound.
pub async fn profiles_roles_and_passwords_change(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    store
        .update_profile(
            ann.id,
            ProfileEdit {
                display_name: "Ann Smith".into(),
                about: PostBody::from_markdown("Hi <script>x</script>*there*"),
                location: Some("Zürich".into()),
                website_url: Some("https://ann.example.org".into()),
            },
        )
        .await
        .unwrap();
    store.set_role(ann.id, Role::Moderator).await.unwrap();
    let read = store.user(ann.id).await.unwrap().unwrap();
    assert_eq!(read.display_name, "Ann Smith");
    assert_eq!(read.location.as_deref(), Some("Zürich"));
    assert_eq!(read.website_url.as_deref(), Some("https://ann.example.org"));
    // An export carries a member's location and website as a dump's.
    let exported = store.imported_profile(ann.id).await.unwrap().unwrap();
    assert_eq!(
        (exported.location.as_deref(), exported.views),
        (Some("Zürich"), None)
    );
    // The script shows as the text typed (issue 16); nothing of it runs.
    assert_eq!(
        read.about_html.as_str(),
        "<p>Hi &lt;script&gt;x&lt;/script&gt;<em>there</em></p>\n"
    );
    assert_eq!(read.role, Role::Moderator);
    let missing = UserId(ann.id.0 + 100);
    assert!(matches!(
        store.set_role(missing, Role::Admin).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.set_password_hash(missing, "x").await,
        Err(StoreError::NotFound { .. })
    ));
}

/// A deleted account's posts stay under a placeholder; its handle and email are free
/// again, its profile fields gone; it cannot log in and its sessions end.
pub async fn deleting_an_account_keeps_what_they_wrote(store: Arc<dyn Store>) {
    let ([ann], _, q) = Fixture::new(&*store)
        .question("A question that outlives me", &[], 0)
        .build(["ann"])
        .await;
    let edit = ProfileEdit {
        display_name: "Ann".into(),
        about: PostBody::from_markdown("Me"),
        location: Some("Lyon".into()),
        website_url: Some("https://ann.example.org".into()),
    };
    store.update_profile(ann.id, edit).await.unwrap();
    store
        .create_session(session("s", ann.id, at(1000)))
        .await
        .unwrap();
    store.delete_user(ann.id, at(10)).await.unwrap();

    let thread = store
        .question_thread(q)
        .await
        .unwrap()
        .expect("the question stays");
    assert!(thread.question.author.deleted);
    assert_eq!(thread.question.author.id, ann.id);
    let gone = store.user(ann.id).await.unwrap().unwrap();
    assert!(gone.deleted);
    assert_ne!(gone.handle, "ann");
    assert_eq!((gone.location, gone.website_url), (None, None));
    assert_eq!(store.imported_profile(ann.id).await.unwrap(), None);
    assert_eq!(store.login_record("ann").await.unwrap(), None);
    assert_eq!(store.login_record_by_id(ann.id).await.unwrap(), None);
    assert_eq!(store.session("s", at(20)).await.unwrap(), None);
    user(&*store, "ann").await; // the handle and email are free again
    assert!(matches!(
        store.delete_user(ann.id, at(11)).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// A mailed token `hash` of `user` for `purpose`, sent to ann@example.com, made
/// at 0 and working until `expires_at`.
pub fn token(hash: &str, user: UserId, purpose: TokenPurpose, expires_at: i64) -> NewEmailToken {
    NewEmailToken {
        token_hash: hash.to_owned(),
        user,
        purpose,
        email: "ann@example.com".into(),
        created_at: at(0),
        expires_at,
    }
}

/// A mailed token works once, for its purpose only, until it expires.
pub async fn email_tokens_work_once_and_expire(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    store
        .create_email_token(token("t1", ann.id, TokenPurpose::VerifyEmail, at(100)))
        .await
        .unwrap();
    store
        .create_email_token(token("t2", ann.id, TokenPurpose::ResetPassword, at(100)))
        .await
        .unwrap();
    assert_eq!(
        store
            .use_email_token("t1", TokenPurpose::ResetPassword, at(1))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .use_email_token("t2", TokenPurpose::ResetPassword, at(100))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .use_email_token("t1", TokenPurpose::VerifyEmail, at(1))
            .await
            .unwrap(),
        Some((ann.id, "ann@example.com".to_owned()))
    );
    assert_eq!(
        store
            .use_email_token("t1", TokenPurpose::VerifyEmail, at(2))
            .await
            .unwrap(),
        None
    );

    store
        .create_email_token(token("t3", ann.id, TokenPurpose::ResetPassword, at(100)))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .use_email_token("t3", TokenPurpose::ResetPassword, at(5))
                .await
        }));
    }
    let mut uses = 0;
    for task in tasks {
        if task.await.unwrap().unwrap().is_some() {
            uses += 1;
        }
    }
    assert_eq!(uses, 1, "a token raced by eight requests works once");
}

/// An imported account is unclaimed until its owner claims it, once: given an
/// address (not one another account uses), then claimed with a password and that
/// address, confirmed; its other claim links stop working, and the site's own
/// accounts can be neither given a claim address nor claimed.
pub async fn imported_accounts_are_claimed_once(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    assert!(!ann.unclaimed);
    let zoe = UserId(900);
    store
        .bulk_load(BulkBatch {
            users: vec![BulkUser {
                id: zoe,
                handle: "zoe".into(),
                display_name: "Zoé".into(),
                reputation: 1234,
                about: PostBody::from_markdown(""),
                created_at: at(0),
                last_seen_at: None,
                deleted_at: None,
                profile: None,
                time_millis: None,
            }],
            ..BulkBatch::default()
        })
        .await
        .unwrap();
    assert!(store.user(zoe).await.unwrap().unwrap().unclaimed);

    assert!(
        !store
            .set_claim_email(ann.id, "x@example.org", at(0))
            .await
            .unwrap()
    );
    assert!(
        matches!(
            store.set_claim_email(zoe, "ANN@example.com", at(0)).await,
            Err(StoreError::Conflict { .. })
        ),
        "another account's address"
    );
    // A link mailed to a mistyped address stops working once the address is
    // put right; one to the right address (in any case) goes on working.
    assert!(
        store
            .set_claim_email(zoe, "zoe@example.orq", at(0))
            .await
            .unwrap()
    );
    let mut mistyped = token("typo", zoe, TokenPurpose::ClaimAccount, at(100));
    mistyped.email = "zoe@example.orq".into();
    store.create_email_token(mistyped).await.unwrap();
    assert!(
        store
            .set_claim_email(zoe, "zoe@example.org", at(1))
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .use_email_token("typo", TokenPurpose::ClaimAccount, at(1))
            .await
            .unwrap(),
        None
    );
    let record = store
        .login_record("zoe@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.user.id, zoe);
    assert!(!record.email_verified && record.password_hash.is_none());

    for hash in ["c1", "c2"] {
        let mut link = token(hash, zoe, TokenPurpose::ClaimAccount, at(100));
        link.email = "zoe@example.org".into();
        store.create_email_token(link).await.unwrap();
    }
    assert!(
        store
            .set_claim_email(zoe, "Zoe@Example.org", at(1))
            .await
            .unwrap(),
        "the same address again"
    );
    assert_eq!(
        store
            .use_email_token("c1", TokenPurpose::ResetPassword, at(1))
            .await
            .unwrap(),
        None,
        "a claim link is not a reset link"
    );
    let (owner, email) = store
        .use_email_token("c1", TokenPurpose::ClaimAccount, at(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((owner, email.as_str()), (zoe, "zoe@example.org"));
    assert!(
        !store
            .claim_account(ann.id, "$argon2id$ann", "ann@example.com", at(2))
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_account(zoe, "$argon2id$zoe", &email, at(2))
            .await
            .unwrap()
    );
    let claimed = store.login_record_by_id(zoe).await.unwrap().unwrap();
    assert!(!claimed.user.unclaimed);
    assert_eq!(
        claimed.user.reputation, 1234,
        "the account keeps what it had"
    );
    assert_eq!(claimed.password_hash.as_deref(), Some("$argon2id$zoe"));
    assert!(claimed.email_verified);
    assert_eq!(
        store
            .use_email_token("c2", TokenPurpose::ClaimAccount, at(3))
            .await
            .unwrap(),
        None,
        "claiming ends the account's other claim links"
    );
    assert!(
        !store
            .claim_account(zoe, "$argon2id$again", &email, at(4))
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_claim_email(zoe, "other@example.org", at(5))
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .login_record_by_id(zoe)
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("$argon2id$zoe"),
        "a second claim changes nothing"
    );
}

/// A password chosen by a reset link or in settings ends every other reset link
/// of the account (issue 16); a verification link, another account's reset link and
/// the same password hashed anew end nothing.
pub async fn a_chosen_password_ends_every_reset_link(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    for (hash, owner, purpose) in [
        ("r1", ann.id, TokenPurpose::ResetPassword),
        ("r2", ann.id, TokenPurpose::ResetPassword),
        ("v1", ann.id, TokenPurpose::VerifyEmail),
        ("b1", bob.id, TokenPurpose::ResetPassword),
    ] {
        store
            .create_email_token(token(hash, owner, purpose, at(100)))
            .await
            .unwrap();
    }
    let used = store
        .use_email_token("r1", TokenPurpose::ResetPassword, at(1))
        .await
        .unwrap();
    assert_eq!(used.map(|(user, _)| user), Some(ann.id));
    store
        .change_password(ann.id, "$argon2id$new", at(2))
        .await
        .unwrap();
    let record = store.login_record_by_id(ann.id).await.unwrap().unwrap();
    assert_eq!(record.password_hash.as_deref(), Some("$argon2id$new"));
    let use_token = |hash: &'static str, purpose| {
        let store = store.clone();
        async move { store.use_email_token(hash, purpose, at(3)).await.unwrap() }
    };
    assert_eq!(use_token("r2", TokenPurpose::ResetPassword).await, None);
    assert!(use_token("v1", TokenPurpose::VerifyEmail).await.is_some());
    assert!(use_token("b1", TokenPurpose::ResetPassword).await.is_some());

    store
        .create_email_token(token("r3", ann.id, TokenPurpose::ResetPassword, at(100)))
        .await
        .unwrap();
    store
        .set_password_hash(ann.id, "$argon2id$rehashed")
        .await
        .unwrap();
    assert!(use_token("r3", TokenPurpose::ResetPassword).await.is_some());
    assert!(matches!(
        store.change_password(UserId(999_999), "x", at(4)).await,
        Err(StoreError::NotFound { .. })
    ));
}

/// Tokens made within an allowance: a pause after each, a cap a day, counted per
/// purpose, and eight racing requests store one (issue 16).
pub async fn the_mail_allowance_holds_against_racing_requests(store: Arc<dyn Store>) {
    use ponder_core::mail_allowance::{DAY, MailAllowance};
    let ann = user(&*store, "ann").await;
    let allowance = MailAllowance {
        cooldown_secs: 60,
        per_day: 2,
    };
    let made_at = |hash: &str, purpose, created: i64| NewEmailToken {
        created_at: created,
        ..token(hash, ann.id, purpose, created + 3_600)
    };
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let token = made_at(&format!("race{i}"), TokenPurpose::ResetPassword, at(0));
        tasks.push(tokio::spawn(async move {
            store.create_email_token_within(token, allowance).await
        }));
    }
    let mut stored = 0;
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Ok(()) => stored += 1,
            Err(wait) => assert_eq!(wait, 60),
        }
    }
    assert_eq!(stored, 1, "racing requests store one token");
    let within = |hash: &'static str, purpose, created| {
        let store = store.clone();
        let token = made_at(hash, purpose, created);
        async move {
            store
                .create_email_token_within(token, allowance)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        within("soon", TokenPurpose::ResetPassword, at(30)).await,
        Err(30)
    );
    assert_eq!(
        within("other", TokenPurpose::VerifyEmail, at(30)).await,
        Ok(())
    );
    assert_eq!(
        within("second", TokenPurpose::ResetPassword, at(60)).await,
        Ok(())
    );
    assert_eq!(
        within("third", TokenPurpose::ResetPassword, at(600)).await,
        Err(DAY - 600),
        "two a day"
    );
    assert_eq!(
        within("next-day", TokenPurpose::ResetPassword, at(DAY)).await,
        Ok(())
    );
    assert!(
        store
            .use_email_token("next-day", TokenPurpose::ResetPassword, at(DAY + 1))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store
            .use_email_token("third", TokenPurpose::ResetPassword, at(601))
            .await
            .unwrap(),
        None,
        "a refused token is not stored"
    );
}

pub(crate) fn signup(token_hash: &str, handle: &str, email: &str, created: i64) -> NewSignup {
    NewSignup {
        token_hash: token_hash.into(),
        handle: handle.into(),
        email: email.into(),
        password_hash: "$argon2id$signup".into(),
        next_path: "/questions".into(),
        created_at: created,
        expires_at: created + 3 * 86_400,
        invitation_hash: None,
    }
}

/// A sign-up makes no account until its link is opened; then one, verified, under
/// the handle given then, and the link works once, before it expires (issue 16).
pub async fn a_signup_link_makes_one_account(store: Arc<dyn Store>) {
    use ponder_core::mail_allowance::MailAllowance;
    let allowance = MailAllowance::default();
    let new = signup("t1", "ann", "Ann@Example.org", at(0));
    assert_eq!(
        store.create_signup_within(new, allowance).await.unwrap(),
        Ok(())
    );
    assert_eq!(store.login_record("ann@example.org").await.unwrap(), None);
    assert_eq!(
        store.pending_signup("t1", at(3 * 86_400)).await.unwrap(),
        None
    );
    assert_eq!(store.pending_signup("nope", at(1)).await.unwrap(), None);
    assert_eq!(
        store.pending_signup("t1", at(1)).await.unwrap(),
        Some(PendingSignup {
            handle: "ann".into(),
            email: "Ann@Example.org".into(),
            next_path: "/questions".into(),
            invited: false,
        })
    );
    // Opened after the handle was taken: refused, and the link still works.
    user(&*store, "bob").await;
    assert!(matches!(
        store.finish_signup("t1", "BOB", at(2)).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(store.pending_signup("t1", at(2)).await.unwrap().is_some());
    let made = store
        .finish_signup("t1", "annie", at(3))
        .await
        .unwrap()
        .expect("the account");
    assert_eq!(made.handle, "annie");
    assert_eq!(made.display_name, "annie");
    assert_eq!(made.role, Role::User);
    let record = store
        .login_record("ANN@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.user.id, made.id);
    assert!(record.email_verified);
    assert_eq!(record.password_hash.as_deref(), Some("$argon2id$signup"));
    assert_eq!(store.finish_signup("t1", "ann", at(4)).await.unwrap(), None);
    assert_eq!(store.pending_signup("t1", at(4)).await.unwrap(), None);

    // A second sign-up for the address, opened once it has an account: refused.
    let again = signup("t2", "ann2", "ann@example.ORG", at(100));
    assert_eq!(
        store.create_signup_within(again, allowance).await.unwrap(),
        Ok(())
    );
    assert!(matches!(
        store.finish_signup("t2", "ann2", at(101)).await,
        Err(StoreError::Conflict { .. })
    ));
    // An expired link makes nothing.
    let late = signup("t3", "cat", "cat@example.org", at(0));
    assert_eq!(
        store.create_signup_within(late, allowance).await.unwrap(),
        Ok(())
    );
    assert_eq!(
        store
            .finish_signup("t3", "cat", at(3 * 86_400))
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.login_record("cat").await.unwrap(), None);
    assert_eq!(store.list_users(1).await.unwrap().total, 2);
}

/// Sign-ups mailed to one address get a pause and a daily cap, whatever case the
/// address is typed in, and eight racing sign-ups store one (issue 16).
pub async fn the_signup_allowance_holds_per_address_against_racing_requests(store: Arc<dyn Store>) {
    use ponder_core::mail_allowance::{DAY, MailAllowance};
    let allowance = MailAllowance {
        cooldown_secs: 60,
        per_day: 2,
    };
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let new = signup(&format!("race{i}"), "ann", "ann@example.org", at(0));
        tasks.push(tokio::spawn(async move {
            store.create_signup_within(new, allowance).await
        }));
    }
    let mut stored = 0;
    for task in tasks {
        match task.await.unwrap().unwrap() {
            Ok(()) => stored += 1,
            Err(wait) => assert_eq!(wait, 60),
        }
    }
    assert_eq!(stored, 1, "racing sign-ups store one");
    let within = |hash: &str, email: &str, created: i64| {
        let store = store.clone();
        let new = signup(hash, "ann", email, created);
        async move { store.create_signup_within(new, allowance).await.unwrap() }
    };
    assert_eq!(within("soon", "ANN@example.org", at(59)).await, Err(1));
    assert_eq!(within("other", "bob@example.org", at(59)).await, Ok(()));
    assert_eq!(within("second", "Ann@Example.org", at(60)).await, Ok(()));
    assert_eq!(
        within("third", "ann@example.org", at(600)).await,
        Err(DAY - 600),
        "two a day"
    );
    assert_eq!(store.pending_signup("third", at(601)).await.unwrap(), None);
    assert_eq!(within("next-day", "ann@example.org", at(DAY)).await, Ok(()));
}

/// Avatars are stored, replaced, and gone with their account.
pub async fn avatars_are_stored_and_replaced(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    assert_eq!(store.avatar(ann.id).await.unwrap(), None);
    let png = Avatar {
        content_type: "image/png".into(),
        bytes: vec![0, 1, 2, 255],
        updated_at: at(1),
    };
    store.set_avatar(ann.id, png.clone()).await.unwrap();
    assert_eq!(store.avatar(ann.id).await.unwrap(), Some(png));
    let second = Avatar {
        content_type: "image/png".into(),
        bytes: vec![9; 1000],
        updated_at: at(2),
    };
    store.set_avatar(ann.id, second.clone()).await.unwrap();
    assert_eq!(store.avatar(ann.id).await.unwrap(), Some(second));
    store.delete_user(ann.id, at(3)).await.unwrap();
    assert_eq!(store.avatar(ann.id).await.unwrap(), None);
}

fn admin(handle: &str) -> NewUser {
    NewUser {
        handle: handle.into(),
        display_name: handle.into(),
        email: Some(format!("{handle}@example.com")),
        password_hash: Some("$argon2id$root".into()),
        role: Role::User,
        about: PostBody::from_markdown(""),
        created_at: at(0),
    }
}

/// A setup link makes the site's first administrator, verified, once: a taken
/// handle is refused and the link still works; of two racing claims one wins;
/// then every link is dead (issue 18).
pub async fn the_first_administrator_is_made_once_by_a_setup_link(store: Arc<dyn Store>) {
    assert!(!store.has_administrator().await.unwrap());
    store.create_setup_token("s1", at(1)).await.unwrap();
    store.create_setup_token("s2", at(2)).await.unwrap();
    assert!(store.setup_token_works("s1").await.unwrap());
    assert!(!store.setup_token_works("nope").await.unwrap());
    assert_eq!(
        store
            .claim_setup("nope", admin("root"), at(3))
            .await
            .unwrap(),
        None
    );
    user(&*store, "taken").await;
    assert!(matches!(
        store.claim_setup("s1", admin("TAKEN"), at(3)).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(
        store.setup_token_works("s1").await.unwrap(),
        "nothing used up"
    );

    let mut tasks = Vec::new();
    for (token, handle) in [("s1", "root1"), ("s2", "root2")] {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store.claim_setup(token, admin(handle), at(4)).await
        }));
    }
    let mut made = Vec::new();
    for task in tasks {
        if let Some(user) = task.await.unwrap().unwrap() {
            made.push(user);
        }
    }
    assert_eq!(made.len(), 1, "one administrator");
    assert_eq!(made[0].role, Role::Admin);
    let record = store.login_record(&made[0].handle).await.unwrap().unwrap();
    assert!(record.email_verified);
    assert!(store.has_administrator().await.unwrap());
    for token in ["s1", "s2"] {
        assert!(!store.setup_token_works(token).await.unwrap());
        assert_eq!(
            store
                .claim_setup(token, admin("late"), at(5))
                .await
                .unwrap(),
            None
        );
    }
    assert_eq!(store.login_record("late").await.unwrap(), None);
}

/// Administrators find users by handle, name, email or id, without regard to case;
/// `%` and `_` are matched as typed; deleted accounts are not found (issue 18).
pub async fn users_are_found_by_handle_name_email_or_id(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let joanne = user(&*store, "joanne").await;
    let gone = user(&*store, "annex").await;
    store.delete_user(gone.id, at(1)).await.unwrap();
    let handles = |page: Page<User>| page.items.into_iter().map(|u| u.handle).collect::<Vec<_>>();
    assert_eq!(
        handles(store.search_users("ANN", 1).await.unwrap()),
        ["joanne", "ann"],
        "newest first; the deleted annex is not found"
    );
    let by_email = store.search_users("@Example.COM", 1).await.unwrap();
    assert_eq!(by_email.total, 3);
    assert_eq!(
        handles(
            store
                .search_users(&format!("#{}", bob.id.0), 1)
                .await
                .unwrap()
        ),
        ["bob"]
    );
    assert_eq!(
        handles(store.search_users(&ann.id.0.to_string(), 1).await.unwrap()),
        ["ann"]
    );
    for literal in ["%", "_", "a%n", "\\"] {
        assert_eq!(
            store.search_users(literal, 1).await.unwrap().total,
            0,
            "{literal:?} is matched as typed"
        );
    }
    assert!(store.search_users("ann", 2).await.unwrap().items.is_empty());
    assert_eq!(joanne.role, Role::User);
}

/// Attempts counted for the site-wide limits: per scope, key and window, every
/// call counting one more; old windows forgotten.
pub async fn attempts_are_counted_per_scope_key_and_window(store: Arc<dyn Store>) {
    let s = &*store;
    assert_eq!(
        s.count_attempt("login_ip", "192.0.2.1", 600).await.unwrap(),
        1
    );
    assert_eq!(
        s.count_attempt("login_ip", "192.0.2.1", 600).await.unwrap(),
        2
    );
    assert_eq!(
        s.count_attempt("login_ip", "192.0.2.2", 600).await.unwrap(),
        1
    );
    assert_eq!(
        s.count_attempt("signup_ip", "192.0.2.1", 600)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        s.count_attempt("login_ip", "192.0.2.1", 660).await.unwrap(),
        1
    );
    // Two nodes at once: every attempt counted once.
    let (a, b) = tokio::join!(
        s.count_attempt("login_ip", "192.0.2.1", 600),
        s.count_attempt("login_ip", "192.0.2.1", 600)
    );
    let mut counts = [a.unwrap(), b.unwrap()];
    counts.sort_unstable();
    assert_eq!(counts, [3, 4]);
    assert_eq!(s.forget_attempts(660).await.unwrap(), 3);
    assert_eq!(
        s.count_attempt("login_ip", "192.0.2.1", 600).await.unwrap(),
        1
    );
    assert_eq!(
        s.count_attempt("login_ip", "192.0.2.1", 660).await.unwrap(),
        2
    );
}
