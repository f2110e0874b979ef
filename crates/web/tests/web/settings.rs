//! The settings page and administration through the Router: profile, password,
//! account deletion, avatars, roles.

use crate::support::TestApp;
use axum::http::{StatusCode, header};
use ponder_store::Role;

#[tokio::test]
async fn members_give_a_location_and_a_website() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let browser = app.client("10.2.1.1");
    browser.log_in("ann", "maple tree 1").await;
    let csrf = browser.csrf("/settings").await;
    let profile_url = format!("/users/{}/ann", ann.id);
    let fresh = browser.get(&profile_url).await;
    let facts = |page: &crate::support::Page| page.texts(".profile-facts dt");
    assert_eq!(
        facts(&fresh),
        ["Reputation", "Member since"],
        "nothing given yet"
    );

    // A bad address comes back beside its field, with everything typed kept.
    let long_place = "x".repeat(101);
    let bad = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "Ann"),
                ("about", "kept"),
                ("location", &long_place),
                ("website", "javascript:alert(1)//x.org"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.text("#location-error"),
        "use at most 100 characters (this has 101)"
    );
    assert_eq!(
        bad.text("#website-error"),
        "use an address that starts with https:// or http://"
    );
    assert_eq!(
        bad.attrs("#website", "value"),
        ["javascript:alert(1)//x.org"]
    );
    assert_eq!(bad.attrs("#location", "value"), [long_place.as_str()]);
    assert_eq!(bad.text("#about"), "kept");
    assert_eq!(facts(&browser.get(&profile_url).await).len(), 2);

    let saved = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "Ann"),
                ("about", ""),
                ("location", "  Zürich <b>centre</b> "),
                ("website", "ann.example.org/me"),
            ],
        )
        .await;
    assert_eq!(saved.location(), "/settings?saved=profile");
    let settings = browser.get("/settings").await;
    assert_eq!(
        settings.attrs("#location", "value"),
        ["Zürich <b>centre</b>"]
    );
    assert_eq!(
        settings.attrs("#website", "value"),
        ["https://ann.example.org/me"]
    );
    let shown = app.client("10.2.1.2").get(&profile_url).await;
    assert_eq!(
        facts(&shown),
        ["Reputation", "Member since", "Location", "Website"]
    );
    assert_eq!(
        shown.texts(".profile-facts dd")[2..],
        ["Zürich <b>centre</b>", "https://ann.example.org/me"]
    );
    assert!(!shown.body.contains("<b>centre"), "the location is text");
    assert_eq!(
        shown.attrs(".profile-facts a", "href"),
        ["https://ann.example.org/me"]
    );
    assert_eq!(
        shown.attrs(".profile-facts a", "rel"),
        ["nofollow ugc noopener"]
    );
    let api: serde_json::Value = serde_json::from_str(
        &app.client("10.2.1.3")
            .get(&format!("/2.3/users/{}", ann.id))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        api["items"][0]["location"],
        "Zürich &lt;b&gt;centre&lt;/b&gt;"
    );
    assert_eq!(api["items"][0]["website_url"], "https://ann.example.org/me");

    // Emptied, they go from the profile and the API.
    let cleared = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "Ann"),
                ("location", " "),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(cleared.location(), "/settings?saved=profile");
    assert_eq!(
        facts(&app.client("10.2.1.4").get(&profile_url).await).len(),
        2
    );
    let api: serde_json::Value = serde_json::from_str(
        &app.client("10.2.1.5")
            .get(&format!("/2.3/users/{}", ann.id))
            .await
            .body,
    )
    .unwrap();
    assert!(api["items"][0].get("location").is_none(), "{api}");
    assert!(api["items"][0].get("website_url").is_none(), "{api}");
}

#[tokio::test]
async fn settings_change_the_profile_and_the_password() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let anonymous = app.client("10.2.0.1");
    let redirect = anonymous.get("/settings").await;
    assert_eq!(redirect.status, StatusCode::SEE_OTHER);
    assert_eq!(redirect.location(), "/login?next=/settings");

    let browser = app.client("10.2.0.2");
    browser.log_in("ann", "maple tree 1").await;
    let laptop = app.client("10.2.0.3");
    laptop.log_in("ann", "maple tree 1").await;
    let csrf = browser.csrf("/settings").await;

    let bad = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "   "),
                ("about", "kept *text*"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.count("#display_name-error"), 1);
    assert_eq!(bad.text("#about"), "kept *text*");
    let saved = browser
        .post(
            "/settings/profile",
            &[
                ("csrf", &csrf),
                ("display_name", "Ann Smith"),
                ("about", "Hi <script>alert(1)</script>**there**"),
            ],
        )
        .await;
    assert_eq!(saved.location(), "/settings?saved=profile");
    assert_eq!(
        browser.get(&saved.location()).await.text(".flash.success"),
        "Your profile was saved."
    );
    let profile = browser.get(&format!("/users/{}/ann-smith", ann.id)).await;
    assert_eq!(profile.text("h1"), "Ann Smith");
    assert!(
        profile.body.contains("<strong>there</strong>") && !profile.body.contains("<script>alert")
    );

    let wrong = browser
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf),
                ("current_password", "nope-nope"),
                ("new_password", "maple tree 2"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.count("#current_password-error"), 1);
    let short = browser
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf),
                ("current_password", "maple tree 1"),
                ("new_password", "short"),
            ],
        )
        .await;
    assert_eq!(short.count("#new_password-error"), 1);
    let changed = browser
        .post(
            "/settings/password",
            &[
                ("csrf", &csrf),
                ("current_password", "maple tree 1"),
                ("new_password", "maple tree 2"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        browser.get("/").await.text(".viewer"),
        "Ann Smith",
        "this session stays"
    );
    assert!(
        laptop.get("/").await.texts(".viewer").is_empty(),
        "other sessions end"
    );
    laptop.log_in("ann", "maple tree 2").await;
}

#[tokio::test]
async fn deleting_an_account_keeps_posts_under_a_placeholder() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let cat = ponder_store::conformance::category(&*app.store, None, "general").await;
    let q = ponder_store::conformance::ask(
        &*app.store,
        ann.id,
        cat.id,
        "A question that stays behind",
        &[],
        0,
    )
    .await;
    let browser = app.client("10.3.0.1");
    browser.log_in("ann", "maple tree 1").await;
    let csrf = browser.csrf("/settings").await;
    let unconfirmed = browser
        .post(
            "/settings/delete",
            &[("csrf", &csrf), ("password", "maple tree 1")],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unconfirmed.count("#confirm-error"), 1);
    let wrong = browser
        .post(
            "/settings/delete",
            &[("csrf", &csrf), ("password", "nope"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(wrong.count("#password-error"), 1);
    assert_eq!(
        wrong.attrs("input[name=confirm][checked]", "value"),
        ["yes"],
        "the tick stays"
    );
    let deleted = browser
        .post(
            "/settings/delete",
            &[
                ("csrf", &csrf),
                ("password", "maple tree 1"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(browser.get("/").await.texts(".viewer").is_empty());
    let page = browser
        .get(&format!("/questions/{q}/a-question-that-stays-behind"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("#question .user-name"), format!("user{}", ann.id));
    assert!(
        page.attrs("#question .user-name", "href").is_empty(),
        "no link to a deleted profile"
    );
    assert_eq!(
        browser.get(&format!("/users/{}/ann", ann.id)).await.status,
        StatusCode::NOT_FOUND
    );
    let again = app.client("10.3.0.2");
    let csrf = again.csrf("/login").await;
    let refused = again
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("login", "ann"),
                ("password", "maple tree 1"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn avatars_upload_and_liars_are_refused() {
    let app = TestApp::new().await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let browser = app.client("10.4.0.1");
    let before = browser.get(&format!("/users/{}/avatar", ann.id)).await;
    assert_eq!(
        before.header(header::CONTENT_TYPE),
        "image/svg+xml",
        "the identicon by default"
    );
    browser.log_in("ann", "maple tree 1").await;
    let csrf = browser.csrf("/settings").await;
    let same_origin = [("sec-fetch-site", "same-origin")];

    let (ct, body) = multipart(&csrf, "me.png", "image/png", &png(512, 512));
    let ok = browser
        .post_raw("/settings/avatar", &ct, body, &same_origin)
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let served = browser.get(&format!("/users/{}/avatar", ann.id)).await;
    assert_eq!(served.header(header::CONTENT_TYPE), "image/png");
    let stored = app.store.avatar(ann.id).await.unwrap().unwrap();
    let decoded = image::load_from_memory(&stored.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (256, 256));

    for (name, ct_part, bytes, words) in [
        (
            "liar.png",
            "image/png",
            b"<svg onload=alert(1)>".to_vec(),
            "not a PNG",
        ),
        ("me.gif", "image/gif", png(10, 10), "does not match"),
        ("empty.png", "image/png", Vec::new(), "choose a picture"),
    ] {
        let (ct, body) = multipart(&csrf, name, ct_part, &bytes);
        let page = browser
            .post_raw("/settings/avatar", &ct, body, &same_origin)
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            page.text("#avatar-error").contains(words),
            "{name}: {}",
            page.text("#avatar-error")
        );
    }
    let (ct, body) = multipart(&csrf, "big.png", "image/png", &vec![7u8; 3 * 1024 * 1024]);
    let big = browser
        .post_raw("/settings/avatar", &ct, body, &same_origin)
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    let (ct, body) = multipart("forged", "me.png", "image/png", &png(8, 8));
    let forged = browser
        .post_raw("/settings/avatar", &ct, body, &same_origin)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn administrators_manage_roles() {
    let app = TestApp::new().await;
    app.account("root", "maple tree 1", Role::Admin).await;
    let bob = app.account("bob", "maple tree 1", Role::User).await;
    let other_admin = app.account("chief", "maple tree 1", Role::Admin).await;

    let anonymous = app.client("10.5.0.1");
    assert_eq!(
        anonymous.get("/admin/users").await.status,
        StatusCode::SEE_OTHER
    );
    let user = app.client("10.5.0.2");
    user.log_in("bob", "maple tree 1").await;
    assert_eq!(user.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    let csrf = user.csrf("/settings").await;
    let forged = user
        .post(
            &format!("/admin/users/{}/role", bob.id),
            &[("csrf", &csrf), ("role", "moderator")],
        )
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "a user cannot promote themself"
    );
    assert_eq!(
        app.store.user(bob.id).await.unwrap().unwrap().role,
        Role::User
    );

    let admin = app.client("10.5.0.3");
    admin.log_in("root", "maple tree 1").await;
    let list = admin.get("/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.text(".total"), "3 users");
    let csrf = admin.csrf("/admin/users").await;
    let promoted = admin
        .post(
            &format!("/admin/users/{}/role", bob.id),
            &[("csrf", &csrf), ("role", "moderator")],
        )
        .await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(bob.id).await.unwrap().unwrap().role,
        Role::Moderator
    );
    assert_eq!(
        admin
            .get("/admin/users")
            .await
            .text(&format!("#user-{} .role", bob.id)),
        "moderator"
    );
    let bogus = admin
        .post(
            &format!("/admin/users/{}/role", bob.id),
            &[("csrf", &csrf), ("role", "emperor")],
        )
        .await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST);
    // Another administrator can step down while one remains.
    let demote_admin = admin
        .post(
            &format!("/admin/users/{}/role", other_admin.id),
            &[("csrf", &csrf), ("role", "user")],
        )
        .await;
    assert_eq!(demote_admin.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(other_admin.id).await.unwrap().unwrap().role,
        Role::User
    );
    let missing = admin
        .post(
            "/admin/users/99999/role",
            &[("csrf", &csrf), ("role", "user")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let demoted = admin
        .post(
            &format!("/admin/users/{}/role", bob.id),
            &[("csrf", &csrf), ("role", "user")],
        )
        .await;
    assert_eq!(demoted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.user(bob.id).await.unwrap().unwrap().role,
        Role::User
    );
}

pub fn multipart(
    csrf: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    multipart_field(csrf, "avatar", filename, content_type, bytes)
}

/// A multipart body with `csrf` and the file `field`.
pub fn multipart_field(
    csrf: &str,
    field: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "XBOUNDARYX";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// Administrators find users by handle, name, email or id; the search stays in
/// the box and in the pager's links; a search too long is refused (issue 18).
#[tokio::test]
async fn administrators_find_users() {
    let app = TestApp::new().await;
    app.account("root", "maple tree 1", Role::Admin).await;
    let bea = app.account("beatrice", "maple tree 1", Role::User).await;
    app.account("carl", "maple tree 1", Role::User).await;
    let admin = app.client("10.32.0.1");
    admin.log_in("root", "maple tree 1").await;
    let found = admin.get("/admin/users?q=BEAT").await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.texts("td:nth-child(2)"), ["@beatrice"]);
    assert_eq!(found.attrs("#q", "value"), ["BEAT"]);
    assert!(found.text(".total").contains("found for"));
    let by_email = admin.get("/admin/users?q=carl%40example.org").await;
    assert_eq!(by_email.texts("td:nth-child(2)"), ["@carl"]);
    let by_id = admin.get(&format!("/admin/users?q=%23{}", bea.id.0)).await;
    assert_eq!(by_id.texts("td:nth-child(2)"), ["@beatrice"]);
    let nobody = admin.get("/admin/users?q=%25").await;
    assert_eq!(nobody.count("tbody tr"), 0);
    assert_eq!(nobody.text(".total"), "0 users found for “%”");
    let everyone = admin.get("/admin/users?q=").await;
    assert_eq!(everyone.count("tbody tr"), 3);
    let long = "x".repeat(101);
    assert_eq!(
        admin.get(&format!("/admin/users?q={long}")).await.status,
        StatusCode::BAD_REQUEST
    );
}
