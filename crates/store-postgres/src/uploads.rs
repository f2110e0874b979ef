//! The record of uploaded images (see the shared source).

include!("../../store-sql/uploads.rs");
