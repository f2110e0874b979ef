//! Personal access tokens: found by their hash while they work, listed for their
//! member, revoked by them alone.

use super::*;
use ponder_core::api_tokens::TokenScope;

fn new_token(user: UserId, hash: &str, scope: TokenScope, expires_at: i64) -> NewApiToken {
    NewApiToken {
        user,
        token_hash: hash.to_owned(),
        name: format!("token {hash}"),
        scope,
        created_at: at(0),
        expires_at,
    }
}

/// A token works until it expires or is revoked, and only its member revokes it.
pub async fn api_tokens_work_until_revoked_or_expired(store: Arc<dyn Store>) {
    let ann = user(&*store, "ann").await;
    let bob = user(&*store, "bob").await;
    let read = store
        .create_api_token(new_token(ann.id, "hash-read", TokenScope::Read, at(100)))
        .await
        .unwrap();
    let write = store
        .create_api_token(new_token(ann.id, "hash-write", TokenScope::Write, at(200)))
        .await
        .unwrap();
    let grant = store.api_token("hash-read", at(50)).await.unwrap().unwrap();
    assert_eq!(grant.token, read);
    assert_eq!(grant.user.id, ann.id);
    assert_eq!(grant.unread, 0);
    assert_eq!(
        store.api_token("hash-read", at(100)).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(store.api_token("nope", at(0)).await.unwrap(), None);
    let listed = store.api_tokens(ann.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(store.api_tokens(bob.id).await.unwrap().is_empty());

    store.touch_api_token(write.id, at(60)).await.unwrap();
    let used = store
        .api_token("hash-write", at(61))
        .await
        .unwrap()
        .unwrap()
        .token;
    assert_eq!(used.last_used_at, Some(at(60)));
    assert_eq!(used.scope, TokenScope::Write);

    assert!(
        !store
            .revoke_api_token(bob.id, write.id, at(70))
            .await
            .unwrap(),
        "not bob's"
    );
    assert!(
        store
            .api_token("hash-write", at(71))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .revoke_api_token(ann.id, write.id, at(72))
            .await
            .unwrap()
    );
    assert!(
        !store
            .revoke_api_token(ann.id, write.id, at(73))
            .await
            .unwrap(),
        "once"
    );
    assert_eq!(store.api_token("hash-write", at(74)).await.unwrap(), None);
    assert_eq!(store.api_tokens(ann.id).await.unwrap(), [read]);

    // A deleted account's tokens stop working.
    store
        .create_api_token(new_token(bob.id, "hash-bob", TokenScope::Read, at(1000)))
        .await
        .unwrap();
    store.delete_user(bob.id, at(80)).await.unwrap();
    assert_eq!(store.api_token("hash-bob", at(81)).await.unwrap(), None);
}
