//! Invitation links (see the shared source).

include!("../../store-sql/invitations.rs");
