//! Votes, acceptances, the reputation ledger and badges (see the shared source).

include!("../../store-sql/reputation.rs");
