//! Claiming imported accounts: an administrator sends the link to an address, the
//! owner chooses a password and keeps everything the account had; the owner can
//! ask for a new link by that address; bad addresses, other accounts' addresses,
//! used and forged links are refused with the form kept.

use crate::support::TestApp;
use axum::http::StatusCode;
use ponder_exchange::{ImportOptions, NoProgress, import_stackexchange};
use ponder_store::Role;

#[tokio::test]
async fn imported_accounts_are_claimed_by_mailed_link() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    crate::imported::dump(dir.path());
    crate::imported::write(
        dir.path(),
        "Users.xml",
        "users",
        &[
            r#"<row Id="67" Reputation="1234" CreationDate="2011-08-17T19:30:44.000" DisplayName="Zoé Asker" />"#,
            r#"<row Id="68" Reputation="5" CreationDate="2011-08-18T19:30:44.000" DisplayName="Yan" />"#,
            r#"<row Id="69" Reputation="7" CreationDate="2011-08-19T19:30:44.000" DisplayName="Max" />"#,
        ],
    );
    import_stackexchange(
        app.store.clone(),
        &ImportOptions::new(dir.path()),
        &NoProgress,
    )
    .await
    .unwrap();
    let root = app.account("root", "maple tree 1", Role::Admin).await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;

    // The imported profile says it waits for its owner; it cannot log in.
    let path = app.get("/users/67").await.location();
    let profile = app.get(&path).await;
    assert_eq!(profile.count(".imported-note"), 1);
    assert_eq!(profile.attrs(".imported-note a", "href"), ["/claim"]);

    // Only an administrator sends claim links.
    let member = app.client("10.7.0.1");
    member.log_in("ann", "maple tree 1").await;
    let csrf = member.csrf("/settings").await;
    let refused = member
        .post(
            "/admin/users/67/claim",
            &[("csrf", &csrf), ("email", "zoe@example.org")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let admin = app.client("10.7.0.2");
    admin.log_in("root", "maple tree 1").await;
    let users = admin.get("/admin/users").await;
    assert!(
        users.text("#user-67 .role").contains("imported, unclaimed"),
        "{}",
        users.text("#user-67")
    );
    assert!(
        !users
            .text(&format!("#user-{} .role", root.id))
            .contains("unclaimed")
    );
    assert_eq!(
        admin.get(&path).await.attrs(".imported-note a", "href"),
        ["/claim", "/admin/users/67/claim"]
    );
    let csrf = admin.csrf("/admin/users/67/claim").await;
    let bad = admin
        .post(
            "/admin/users/67/claim",
            &[("csrf", &csrf), ("email", "zoe at home")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.count("#email-error"), 1);
    assert_eq!(bad.attrs("#email", "value"), ["zoe at home"], "kept");
    let taken = admin
        .post(
            "/admin/users/67/claim",
            &[("csrf", &csrf), ("email", "ANN@example.org")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(
        taken.text("#email-error").contains("@ann"),
        "{}",
        taken.body
    );
    assert_eq!(app.mail.count_to("ANN@example.org"), 0);
    let site_own = admin
        .post(
            &format!("/admin/users/{}/claim", ann.id),
            &[("csrf", &csrf), ("email", "x@example.org")],
        )
        .await;
    assert_eq!(site_own.status, StatusCode::CONFLICT, "has a password");

    let sent = admin
        .post(
            "/admin/users/67/claim",
            &[("csrf", &csrf), ("email", "zoe@example.org")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let done = admin.get(&sent.location()).await;
    assert!(
        done.text(".flash.success")
            .contains("Sent a claim link for @"),
        "{}",
        done.body
    );
    let first = app.mail.last_link_to("zoe@example.org").await;
    assert!(first.starts_with("/claim/finish?token="), "{first}");
    assert_eq!(
        admin
            .get("/admin/users/67/claim")
            .await
            .attrs("#email", "value"),
        ["zoe@example.org"],
        "the address given is shown again"
    );

    // An owner whose account was given an address asks for a link by it (the
    // reset form sends one too); the answer is the same for an address no
    // account waits for.
    for (user, email) in [(68, "yan@example.org"), (69, "max@example.org")] {
        assert!(
            app.store
                .set_claim_email(ponder_core::UserId(user), email, 0)
                .await
                .unwrap()
        );
    }
    let owner = app.client("10.7.0.3");
    let csrf = owner.csrf("/claim").await;
    let asked = owner
        .post("/claim", &[("csrf", &csrf), ("email", "yan@example.org")])
        .await;
    let unknown = owner
        .post(
            "/claim",
            &[("csrf", &csrf), ("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(
        (asked.status, unknown.status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(
        asked.text(".flash.success").replace("yan@example.org", "X"),
        unknown
            .text(".flash.success")
            .replace("nobody@example.org", "X")
    );
    let bad = owner
        .post("/claim", &[("csrf", &csrf), ("email", "nope")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.count("#email-error"), 1);
    owner
        .post(
            "/reset-password",
            &[("csrf", &csrf), ("email", "max@example.org")],
        )
        .await;
    for email in ["yan@example.org", "max@example.org"] {
        let link = app.mail.last_link_to(email).await;
        assert!(
            link.starts_with("/claim/finish?token="),
            "an account without a password gets a claim link: {link}"
        );
    }
    assert_eq!(app.mail.count_to("nobody@example.org"), 0);

    // Claiming: a short password keeps the link; the right one logs in.
    let form = owner.get(&first).await;
    let token = form.attrs("input[name=token]", "value").remove(0);
    let short = owner
        .post(
            "/claim/finish",
            &[("csrf", &csrf), ("token", &token), ("password", "short")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.count("#password-error"), 1);
    assert_eq!(
        short.attrs("input[name=token]", "value"),
        std::slice::from_ref(&token)
    );
    let claimed = owner
        .post(
            "/claim/finish",
            &[
                ("csrf", &csrf),
                ("token", &token),
                ("password", "lyon river 7"),
            ],
        )
        .await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.body);
    assert_eq!(claimed.location(), "/settings?saved=claimed");
    let settings = owner.get("/settings?saved=claimed").await;
    assert_eq!(settings.status, StatusCode::OK, "logged in");
    assert!(
        settings
            .text(".flash.success")
            .contains("The account is yours")
    );

    // Everything the account had stays; the profile stops saying it waits.
    let profile = app.get(&path).await;
    assert_eq!(profile.count(".imported-note"), 0);
    assert_eq!(profile.text("#badges-heading"), "4 badges");
    assert!(profile.text(".profile-facts").contains("1,234"));

    // The link works once; a forged one never did.
    let csrf = owner.csrf("/settings").await;
    {
        let used = owner
            .post(
                "/claim/finish",
                &[
                    ("csrf", &csrf),
                    ("token", &token),
                    ("password", "lyon river 8"),
                ],
            )
            .await;
        assert_eq!(used.status, StatusCode::BAD_REQUEST);
        assert!(used.text(".flash.error").contains("Ask for a new one"));
    }
    let forged = owner
        .post(
            "/claim/finish",
            &[
                ("csrf", &csrf),
                ("token", "nonsense"),
                ("password", "lyon river 8"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    let again = admin
        .post(
            "/admin/users/67/claim",
            &[
                ("csrf", &admin.csrf("/admin/users").await),
                ("email", "zoe@example.org"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "claimed already");

    // The owner logs in with the address and the chosen password.
    app.client("10.7.0.4")
        .log_in("zoe@example.org", "lyon river 7")
        .await;
}
