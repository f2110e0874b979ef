//! Site settings (see the shared source).

include!("../../store-sql/settings.rs");
