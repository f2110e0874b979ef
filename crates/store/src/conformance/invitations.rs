//! Invitation links: made, listed, withdrawn, and used up by the sign-ups made
//! with them, never past their number, expiry or withdrawal.

use super::*;
use crate::conformance::accounts::signup;
use ponder_core::mail_allowance::MailAllowance;

fn invitation(token_hash: &str, by: UserId, max_uses: i64) -> NewInvitation {
    NewInvitation {
        token_hash: token_hash.into(),
        created_by: by,
        created_at: at(0),
        expires_at: at(7 * 86_400),
        max_uses,
        note: "for the lab".into(),
    }
}

/// A sign-up with `invitation`, by `handle`.
async fn signed_up(store: &dyn Store, token: &str, handle: &str, invitation: &str) {
    let mut new = signup(token, handle, &format!("{handle}@example.org"), at(1));
    new.invitation_hash = Some(invitation.into());
    assert_eq!(
        store
            .create_signup_within(new, MailAllowance::default())
            .await
            .unwrap(),
        Ok(())
    );
}

/// An invitation makes as many accounts as it allows, and none once withdrawn
/// or expired; a refused sign-up stays, to be finished with another invitation.
pub async fn invitations_make_as_many_accounts_as_they_allow(store: Arc<dyn Store>) {
    let root = user(&*store, "root").await;
    let made = store
        .create_invitation(invitation("i1", root.id, 2))
        .await
        .unwrap();
    assert_eq!(
        (made.uses, made.max_uses, made.created_by_handle.as_str()),
        (0, 2, "root")
    );
    assert!(made.works_at(at(1)));
    assert!(!made.works_at(at(7 * 86_400)));
    for (token, handle) in [("s1", "ann"), ("s2", "bob"), ("s3", "cy")] {
        signed_up(&*store, token, handle, "i1").await;
    }
    assert!(
        store
            .finish_signup("s1", "ann", at(2))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .finish_signup("s2", "bob", at(2))
            .await
            .unwrap()
            .is_some()
    );
    assert!(matches!(
        store.finish_signup("s3", "cy", at(2)).await,
        Err(StoreError::Refused(Refusal::InvitationNotValid))
    ));
    assert!(store.pending_signup("s3", at(2)).await.unwrap().is_some());
    assert_eq!(store.login_record("cy").await.unwrap(), None);
    let used = store.invitation("i1").await.unwrap().unwrap();
    assert_eq!(used.uses, 2);
    assert!(!used.works_at(at(2)));

    // Withdrawn, and expired.
    let other = store
        .create_invitation(invitation("i2", root.id, 5))
        .await
        .unwrap();
    signed_up(&*store, "s4", "dee", "i2").await;
    assert!(store.revoke_invitation(other.id, at(3)).await.unwrap());
    assert!(!store.revoke_invitation(other.id, at(4)).await.unwrap());
    assert!(matches!(
        store.finish_signup("s4", "dee", at(5)).await,
        Err(StoreError::Refused(Refusal::InvitationNotValid))
    ));
    let mut soon = invitation("i3", root.id, 5);
    soon.expires_at = at(2);
    store.create_invitation(soon).await.unwrap();
    signed_up(&*store, "s5", "eve", "i3").await;
    assert!(matches!(
        store.finish_signup("s5", "eve", at(3)).await,
        Err(StoreError::Refused(Refusal::InvitationNotValid))
    ));

    // Listed newest first, by maker.
    let ann = store.login_record("ann").await.unwrap().unwrap().user;
    store
        .create_invitation(invitation("i4", ann.id, 1))
        .await
        .unwrap();
    let all: Vec<i64> = store
        .invitations(None, 10)
        .await
        .unwrap()
        .iter()
        .map(|i| i.max_uses)
        .collect();
    assert_eq!(all, [1, 5, 5, 2]);
    assert_eq!(store.invitations(Some(ann.id), 10).await.unwrap().len(), 1);
    assert_eq!(store.invitations(None, 2).await.unwrap().len(), 2);
    assert_eq!(store.invitation("nope").await.unwrap(), None);
    assert!(matches!(
        store.create_invitation(invitation("i1", root.id, 1)).await,
        Err(StoreError::Conflict { .. })
    ));
}

/// Racing sign-ups with a one-use invitation make one account.
pub async fn racing_signups_use_an_invitation_once(store: Arc<dyn Store>) {
    let root = user(&*store, "root").await;
    store
        .create_invitation(invitation("once", root.id, 1))
        .await
        .unwrap();
    for n in 0..6 {
        signed_up(&*store, &format!("r{n}"), &format!("racer{n}"), "once").await;
    }
    let finishes = (0..6).map(|n| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .finish_signup(&format!("r{n}"), &format!("racer{n}"), at(2))
                .await
        })
    });
    let mut made = 0;
    for finish in finishes {
        match finish.await.unwrap() {
            Ok(Some(_)) => made += 1,
            Err(StoreError::Refused(Refusal::InvitationNotValid))
            | Err(StoreError::Contention(_)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(made, 1);
    assert_eq!(store.invitation("once").await.unwrap().unwrap().uses, 1);
}
