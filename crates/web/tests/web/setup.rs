//! The first start through the Router: a site without an administrator says how
//! to get one, and a setup link makes the first, once (issue 18).

use crate::support::TestApp;
use axum::http::StatusCode;
use ponder_store::Role;
use ponder_web::handlers::setup::print_setup_link;

/// The path of a fresh setup link for `app`'s site.
async fn setup_link(app: &TestApp) -> Option<String> {
    print_setup_link(&*app.store, "https://ask.example.org")
        .await
        .unwrap()
        .map(|link| {
            link.trim_start_matches("https://ask.example.org")
                .to_owned()
        })
}

#[tokio::test]
async fn a_setup_link_makes_the_first_administrator_once() {
    let app = TestApp::new().await;
    let home = app.get("/").await;
    assert!(
        home.text(".flash.notice")
            .contains("This site has no administrator yet"),
        "{}",
        home.body
    );
    let link = setup_link(&app)
        .await
        .expect("a link while there is no administrator");
    assert!(link.starts_with("/setup?token="), "{link}");

    let browser = app.client("10.30.0.1");
    let form = browser.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.attrs("input[name=csrf]", "value").remove(0);
    let token = form.attrs("input[name=token]", "value").remove(0);
    let post = |fields: Vec<(&'static str, String)>| {
        let browser = &browser;
        let mut all = vec![("csrf", csrf.clone()), ("token", token.clone())];
        all.extend(fields);
        async move {
            let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
            browser.post("/setup", &pairs).await
        }
    };

    // Bad input comes back beside its field, with what was typed.
    let short = post(vec![
        ("handle", "root".into()),
        ("email", "root@example.org".into()),
        ("password", "short".into()),
    ])
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.count("#password-error"), 1);
    assert_eq!(short.attrs("#handle", "value"), ["root"]);
    app.account("taken", "maple tree 1", Role::User).await;
    let taken = post(vec![
        ("handle", "TAKEN".into()),
        ("email", "root@example.org".into()),
        ("password", "maple tree 9".into()),
    ])
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.count("#handle-error"), 1);

    let made = post(vec![
        ("handle", "root".into()),
        ("email", "root@example.org".into()),
        ("password", "maple tree 9".into()),
    ])
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(
        made.location(),
        "/admin/categories",
        "a site without categories leads its administrator to make them"
    );
    assert_eq!(browser.get("/admin/users").await.status, StatusCode::OK);
    let record = app.store.login_record("root").await.unwrap().unwrap();
    assert_eq!(record.user.role, Role::Admin);
    assert!(record.email_verified);
    assert_eq!(
        app.get("/").await.count(".flash.notice"),
        0,
        "the note goes"
    );
    // A new site starts in launch mode, so that its first members can vote.
    let stored = app.store.site_settings().await.unwrap();
    assert!(
        stored.iter().any(|s| s.key == "launch.mode"
            && s.value == "on"
            && s.updated_by == Some(record.user.id)),
        "{stored:?}"
    );
    assert!(
        browser
            .get("/privileges")
            .await
            .text(".flash.notice")
            .contains("lowered"),
    );

    // Every link is dead now, and no new one is printed.
    assert_eq!(browser.get(&link).await.status, StatusCode::NOT_FOUND);
    let other = app.client("10.30.0.3");
    let other_csrf = other.csrf("/login").await;
    let again = other
        .post(
            "/setup",
            &[
                ("csrf", other_csrf.as_str()),
                ("token", token.as_str()),
                ("handle", "root2"),
                ("email", "root2@example.org"),
                ("password", "maple tree 9"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(app.store.login_record("root2").await.unwrap(), None);
    assert_eq!(setup_link(&app).await, None);
}

#[tokio::test]
async fn setup_links_that_do_not_work_and_forged_forms_make_nothing() {
    let app = TestApp::new().await;
    let link = setup_link(&app).await.unwrap();
    let browser = app.client("10.30.0.2");
    for bad in [
        "/setup",
        "/setup?token=nonsense",
        &format!("/setup?token={}", "a".repeat(64)),
    ] {
        let page = browser.get(bad).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{bad}");
        assert_eq!(page.text("h1"), "This setup link does not work");
    }
    let token = link.trim_start_matches("/setup?token=");
    let forged = browser
        .post(
            "/setup",
            &[
                ("token", token),
                ("handle", "root"),
                ("email", "root@example.org"),
                ("password", "maple tree 9"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no CSRF token");
    assert!(!app.store.has_administrator().await.unwrap());
    // A site with an administrator made otherwise answers no link either.
    app.account("boss", "maple tree 1", Role::Admin).await;
    assert_eq!(browser.get(&link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/").await.count(".flash.notice"), 0);
}
