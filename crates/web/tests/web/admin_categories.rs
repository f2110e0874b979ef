//! Categories made in the browser (issue 18): administrators only, at any depth,
//! with bad input and taken addresses refused beside their field.

use crate::support::{Client, TestApp};
use axum::http::StatusCode;
use ponder_store::Role;

async fn make(client: &Client, fields: &[(&str, &str)]) -> crate::support::Page {
    let csrf = client.csrf("/admin/categories").await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    client.post("/admin/categories", &all).await
}

#[tokio::test]
async fn administrators_make_a_category_tree_that_askers_can_use() {
    let app = TestApp::new().await;
    app.account("root", "maple tree 1", Role::Admin).await;
    let admin = app.client("10.31.0.1");
    admin.log_in("root", "maple tree 1").await;
    let empty = admin.get("/admin/categories").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text(".flash.notice").contains("no categories yet"));

    let top = make(
        &admin,
        &[
            ("name", "  Early   Modern "),
            ("slug", ""),
            ("parent", ""),
            ("description", "1500 to 1800"),
        ],
    )
    .await;
    assert_eq!(top.status, StatusCode::SEE_OTHER, "{}", top.body);
    let listed = admin.get(&top.location()).await;
    assert!(listed.text(".flash.success").contains("Early Modern"));
    let top_id = app.store.categories().await.unwrap()[0].id;
    assert_eq!(
        app.store.categories().await.unwrap()[0].slug,
        "early-modern"
    );

    let parent = top_id.0.to_string();
    let child = make(
        &admin,
        &[
            ("name", "Printing"),
            ("slug", "print"),
            ("parent", &parent),
            ("description", ""),
        ],
    )
    .await;
    assert_eq!(child.status, StatusCode::SEE_OTHER, "{}", child.body);
    let page = admin.get("/admin/categories").await;
    assert_eq!(
        page.texts(".admin-categories li > a[href^='/categories']"),
        ["Early Modern", "Early Modern › Printing"]
    );
    assert_eq!(
        app.get("/categories/early-modern/print").await.status,
        StatusCode::OK
    );
    // The ask form offers the new category.
    app.account("ann", "maple tree 1", Role::User).await;
    let ann = app.client("10.31.0.2");
    ann.log_in("ann", "maple tree 1").await;
    let ask = ann.get("/ask").await;
    assert_eq!(
        ask.texts("#category option").len(),
        3,
        "the prompt and two categories"
    );

    // Refused beside their field, with what was typed kept.
    let taken = make(
        &admin,
        &[
            ("name", "Printing again"),
            ("slug", "PRINT"),
            ("parent", &parent),
            ("description", ""),
        ],
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.text("#slug-error").contains("print"));
    assert_eq!(taken.attrs("#name", "value"), ["Printing again"]);
    // A sibling's name, even with another address, comes back beside the name.
    let twin = make(
        &admin,
        &[
            ("name", "printing"),
            ("slug", "printing-two"),
            ("parent", &parent),
            ("description", ""),
        ],
    )
    .await;
    assert_eq!(twin.status, StatusCode::CONFLICT);
    assert_eq!(twin.count("#name-error"), 1);
    assert_eq!(twin.attrs("#slug", "value"), ["printing-two"]);
    let elsewhere = make(
        &admin,
        &[
            ("name", "Printing"),
            ("slug", "print"),
            ("parent", ""),
            ("description", ""),
        ],
    )
    .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::SEE_OTHER,
        "the same address elsewhere is fine"
    );
    for (fields, field) in [
        (vec![("name", " "), ("parent", "")], "name"),
        (vec![("name", "日本"), ("slug", ""), ("parent", "")], "slug"),
        (vec![("name", "Ok"), ("parent", "999999")], "parent"),
        (vec![("name", "Ok"), ("parent", "x")], "parent"),
    ] {
        let refused = make(&admin, &fields).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}"
        );
        assert_eq!(refused.count(&format!("#{field}-error")), 1, "{fields:?}");
    }
    assert_eq!(app.store.categories().await.unwrap().len(), 3);
    let log = app.store.moderation_log(1).await.unwrap();
    assert_eq!(
        log.items
            .iter()
            .filter(|e| e.action == "category_create")
            .count(),
        3
    );
}

#[tokio::test]
async fn only_administrators_reach_the_categories_page() {
    let app = TestApp::new().await;
    let visitor = app.client("10.31.1.1");
    let page = visitor.get("/admin/categories").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=/admin/categories");
    for role in [Role::User, Role::Moderator] {
        let handle = format!("u{}", role.as_str());
        app.account(&handle, "maple tree 1", role).await;
        let client = app.client("10.31.1.2");
        client.log_in(&handle, "maple tree 1").await;
        assert_eq!(
            client.get("/admin/categories").await.status,
            StatusCode::FORBIDDEN
        );
        let csrf = client.csrf("/settings").await;
        let posted = client
            .post(
                "/admin/categories",
                &[("csrf", &csrf), ("name", "Mine"), ("parent", "")],
            )
            .await;
        assert_eq!(posted.status, StatusCode::FORBIDDEN);
    }
    assert!(app.store.categories().await.unwrap().is_empty());
}
