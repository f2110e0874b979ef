//! The Stack Exchange-shaped API's lists (see the shared source).

include!("../../store-sql/exchange.rs");
