//! Site settings: stored, changed in one transaction with their log entries, and
//! the member count that ends launch mode.

use super::*;

/// Settings are stored by key, replaced and removed; a change that leaves a value
/// as it was writes nothing; each change is in the moderation log and one
/// settings change in the change log.
pub async fn site_settings_are_stored_logged_and_followed(store: Arc<dyn Store>) {
    let admin = user(&*store, "admin").await;
    assert!(store.site_settings().await.unwrap().is_empty());
    let set = |key: &str, value: Option<&str>| SettingChange {
        key: key.to_owned(),
        value: value.map(str::to_owned),
    };
    // The account's own change, once PostgreSQL shows it.
    let before = feed::changes_when_settled(&*store, 1).await.len();
    let changed = store
        .change_site_settings(
            &[
                set("site.name", Some("Ask Rust")),
                set("privileges.vote_up", Some("5")),
                set("site.tagline", None),
            ],
            Some(admin.id),
            1_000,
        )
        .await
        .unwrap();
    assert_eq!(changed, ["site.name", "privileges.vote_up"]);
    let stored = store.site_settings().await.unwrap();
    assert_eq!(
        stored,
        [
            StoredSetting {
                key: "privileges.vote_up".into(),
                value: "5".into(),
                updated_at: 1_000,
                updated_by: Some(admin.id),
            },
            StoredSetting {
                key: "site.name".into(),
                value: "Ask Rust".into(),
                updated_at: 1_000,
                updated_by: Some(admin.id),
            },
        ]
    );
    let log = store.moderation_log(1).await.unwrap();
    assert_eq!(log.total, 2);
    let reasons: Vec<&str> = log.items.iter().map(|e| e.reason.as_str()).collect();
    assert!(
        reasons.contains(&"site.name: the default → “Ask Rust”"),
        "{reasons:?}"
    );
    assert!(log.items.iter().all(|e| e.action == "setting_change"
        && e.moderator.id == admin.id
        && e.created_at == 1_000));
    let changes = feed::changes_when_settled(&*store, before + 1).await;
    assert_eq!(changes.len(), before + 1);
    assert_eq!(changes[before].kind, "settings.changed");

    // The same values again change nothing and log nothing.
    let again = store
        .change_site_settings(&[set("site.name", Some("Ask Rust"))], Some(admin.id), 2_000)
        .await
        .unwrap();
    assert!(again.is_empty());
    assert_eq!(store.moderation_log(1).await.unwrap().total, 2);
    assert_eq!(store.changes_since(0, 100).await.unwrap().len(), before + 1);

    // Replaced, then removed; from the command line nothing is logged but the change.
    store
        .change_site_settings(&[set("site.name", Some("Ask Rust Now"))], None, 3_000)
        .await
        .unwrap();
    let stored = store.site_settings().await.unwrap();
    assert_eq!(stored[1].value, "Ask Rust Now");
    assert_eq!(stored[1].updated_by, None);
    assert_eq!(store.moderation_log(1).await.unwrap().total, 2);
    let removed = store
        .change_site_settings(&[set("privileges.vote_up", None)], Some(admin.id), 4_000)
        .await
        .unwrap();
    assert_eq!(removed, ["privileges.vote_up"]);
    let stored = store.site_settings().await.unwrap();
    assert_eq!(stored.len(), 1);
    let log = store.moderation_log(1).await.unwrap();
    assert_eq!(log.items[0].reason, "privileges.vote_up: “5” → the default");
}

/// Members are the accounts not deleted.
pub async fn members_are_counted_without_deleted_accounts(store: Arc<dyn Store>) {
    assert_eq!(store.member_count().await.unwrap(), 0);
    let ann = user(&*store, "ann").await;
    user(&*store, "bob").await;
    assert_eq!(store.member_count().await.unwrap(), 2);
    store.delete_user(ann.id, 10).await.unwrap();
    assert_eq!(store.member_count().await.unwrap(), 1);
}
