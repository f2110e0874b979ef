//! Following, the inbox and reputation history (see the shared source).

include!("../../store-sql/notices.rs");
