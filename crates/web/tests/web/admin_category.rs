//! One category changed in the browser (issue 18): renamed and described (the
//! old address answers 301), moved (never under itself), reordered, deleted only
//! when empty, or merged into another with its questions; each refusal beside
//! its field with nothing changed, and every change in the moderation log.

use crate::support::{Client, Page, TestApp};
use axum::http::StatusCode;
use ponder_core::CategoryId;
use ponder_store::Role;
use ponder_store::conformance as fx;

async fn send(client: &Client, uri: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = client.csrf("/settings").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post(uri, &all).await
}

async fn slugs_under(app: &TestApp, parent: Option<CategoryId>) -> Vec<String> {
    app.store
        .categories()
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.parent_id == parent)
        .map(|c| c.slug)
        .collect()
}

async fn categories_change_and_old_addresses_lead_on(engine: &str) {
    let Some(app) = TestApp::on(engine, TestApp::open_privileges()).await else {
        return;
    };
    app.account("root", "maple tree 1", Role::Admin).await;
    let admin = app.client("10.41.0.1");
    admin.log_in("root", "maple tree 1").await;
    let ann = app.account("ann", "maple tree 1", Role::User).await;
    let history = fx::category(&*app.store, None, "history").await;
    let modern = fx::category(&*app.store, Some(history.id), "modern").await;
    let wars = fx::category(&*app.store, Some(modern.id), "wars").await;
    let ancient = fx::category(&*app.store, Some(history.id), "ancient").await;
    let science = fx::category(&*app.store, None, "science").await;
    fx::ask(
        &*app.store,
        ann.id,
        modern.id,
        "Why did the wall fall",
        &["x"],
        1,
    )
    .await;
    fx::ask(
        &*app.store,
        ann.id,
        wars.id,
        "How did the war end",
        &["x"],
        2,
    )
    .await;

    // Rename and describe: the old address, and those below it, answer 301.
    let edit = admin
        .get(&format!("/admin/categories/{}", modern.id.0))
        .await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(edit.attrs("#slug", "value"), ["modern"]);
    let uri = format!("/admin/categories/{}", modern.id.0);
    let renamed = send(
        &admin,
        &uri,
        &[
            ("name", "Recent history"),
            ("slug", "recent"),
            ("description", "Since *1900*."),
        ],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    assert!(
        admin
            .get(&renamed.location())
            .await
            .text(".flash.success")
            .contains("Saved")
    );
    let old = app.get("/categories/history/modern").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), "/categories/history/recent");
    let below = app.get("/categories/history/modern/wars").await;
    assert_eq!(below.location(), "/categories/history/recent/wars");
    let page = app.get("/categories/history/recent").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Since <em>1900</em>."));
    assert_eq!(
        app.get("/categories/history/nowhere").await.status,
        StatusCode::NOT_FOUND
    );

    // A sibling's name or address is refused beside its field, nothing changed.
    for (name, slug, field, status) in [
        ("Ancient", "recent", "name", StatusCode::CONFLICT),
        ("Something else", "ancient", "slug", StatusCode::CONFLICT),
        (" ", "x", "name", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let refused = send(
            &admin,
            &uri,
            &[("name", name), ("slug", slug), ("description", "")],
        )
        .await;
        assert_eq!(refused.status, status, "{name} {slug}");
        assert_eq!(
            refused.count(&format!("#{field}-error")),
            1,
            "{name} {slug}"
        );
        assert_eq!(refused.attrs("#name", "value"), [name]);
    }
    assert_eq!(
        slugs_under(&app, Some(history.id)).await,
        ["recent", "ancient"]
    );

    // A move under itself or below itself is refused; a move elsewhere takes
    // everything under it, and the old address follows.
    for bad in [modern.id, wars.id] {
        let refused = send(
            &admin,
            &format!("{uri}/move"),
            &[("parent", &bad.0.to_string())],
        )
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .text("#parent-error")
                .contains("cannot go under itself")
        );
    }
    let moved = send(
        &admin,
        &format!("{uri}/move"),
        &[("parent", &science.id.0.to_string())],
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(
        app.get("/categories/science/recent/wars").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/categories/history/recent").await.location(),
        "/categories/science/recent"
    );
    let science_page = app.get("/categories/science").await;
    assert_eq!(
        science_page.count(".question-row"),
        2,
        "{}",
        science_page.body
    );
    assert_eq!(
        app.get("/categories/history").await.count(".question-row"),
        0
    );
    app.follow().await;

    // Order among siblings.
    // Made in the form, a category goes last among its siblings.
    let arts = send(
        &admin,
        "/admin/categories",
        &[("name", "Arts"), ("parent", "")],
    )
    .await;
    assert_eq!(arts.status, StatusCode::SEE_OTHER);
    assert_eq!(
        slugs_under(&app, None).await,
        ["history", "science", "arts"]
    );
    let up = send(
        &admin,
        &format!("/admin/categories/{}/order", science.id.0),
        &[("shift", "up")],
    )
    .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER);
    assert_eq!(
        slugs_under(&app, None).await,
        ["science", "history", "arts"]
    );
    let first = send(
        &admin,
        &format!("/admin/categories/{}/order", science.id.0),
        &[("shift", "up")],
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "the first stays first");
    assert_eq!(
        slugs_under(&app, None).await,
        ["science", "history", "arts"]
    );
    let bad = send(
        &admin,
        &format!("/admin/categories/{}/order", science.id.0),
        &[("shift", "sideways")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Delete: refused while it holds questions, unless merged; an empty one goes.
    let delete = format!("{uri}/delete");
    let refused = send(&admin, &delete, &[("into", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text("#into-error")
            .contains("1 question and 1 category"),
        "{}",
        refused.text("#into-error")
    );
    let into_itself = send(&admin, &delete, &[("into", &wars.id.0.to_string())]).await;
    assert_eq!(into_itself.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        into_itself.attrs("#into option[selected]", "value"),
        [wars.id.0.to_string()]
    );
    let merged = send(&admin, &delete, &[("into", &ancient.id.0.to_string())]).await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    assert!(
        admin
            .get(&merged.location())
            .await
            .text(".flash.success")
            .contains("1 question moved")
    );
    assert_eq!(
        app.store.category_question_count(ancient.id).await.unwrap(),
        1
    );
    assert_eq!(
        app.get("/categories/history/ancient")
            .await
            .count(".question-row"),
        2
    );
    assert_eq!(
        app.get("/categories/history/ancient/wars").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/categories/science/recent").await.location(),
        "/categories/history/ancient"
    );
    assert_eq!(
        app.get(&format!("/admin/categories/{}", modern.id.0))
            .await
            .status,
        StatusCode::SEE_OTHER,
        "a visitor is sent to log in"
    );
    assert_eq!(
        admin
            .get(&format!("/admin/categories/{}", modern.id.0))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let arts = app
        .store
        .categories()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.slug == "arts")
        .unwrap();
    let gone = send(
        &admin,
        &format!("/admin/categories/{}/delete", arts.id.0),
        &[("into", "")],
    )
    .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(slugs_under(&app, None).await, ["science", "history"]);
    app.follow().await;

    let log = app.store.moderation_log(1).await.unwrap();
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "category_update",
        "category_move",
        "category_order",
        "category_merge",
        "category_delete",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn only_administrators_change_a_category() {
    let app = TestApp::new().await;
    let history = fx::category(&*app.store, None, "history").await;
    app.account("mod", "maple tree 1", Role::Moderator).await;
    let moderator = app.client("10.41.0.2");
    moderator.log_in("mod", "maple tree 1").await;
    let base = format!("/admin/categories/{}", history.id.0);
    assert_eq!(moderator.get(&base).await.status, StatusCode::FORBIDDEN);
    for (uri, fields) in [
        (
            base.clone(),
            vec![("name", "Taken"), ("slug", "taken"), ("description", "")],
        ),
        (format!("{base}/move"), vec![("parent", "")]),
        (format!("{base}/delete"), vec![("into", "")]),
        (format!("{base}/order"), vec![("shift", "up")]),
    ] {
        assert_eq!(
            send(&moderator, &uri, &fields).await.status,
            StatusCode::FORBIDDEN,
            "{uri}"
        );
    }
    assert_eq!(slugs_under(&app, None).await, ["history"]);
    assert_eq!(
        app.get("/admin/categories/x").await.status,
        StatusCode::NOT_FOUND
    );
}

on_both_databases!(categories_change_and_old_addresses_lead_on);
