//! The Stack Exchange API's conventions: its query parameters (`page` from 1,
//! `pagesize` up to 100, `order`, `sort`, `min`, `max`, `fromdate`, `todate`,
//! `tagged`, `filter`; `site` and `key` accepted and ignored), its wrapper and
//! built-in filters, and its errors.

use crate::error::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The quota every answer reports: this site rate-limits instead of counting.
pub const QUOTA: i64 = 10_000;

/// The most items a page may hold, and ids a request may name.
pub const MAX_PAGE_SIZE: u32 = 100;

/// An error as the API answers it: `error_id` (the status), `error_name`,
/// `error_message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeError {
    /// The HTTP status, also the `error_id`.
    pub status: StatusCode,
    /// The API's name for the error.
    pub name: &'static str,
    /// What was wrong.
    pub message: String,
}

impl ExchangeError {
    /// A parameter that cannot be used (400 `bad_parameter`).
    pub fn bad_parameter(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            name: "bad_parameter",
            message: message.into(),
        }
    }

    /// A method this API does not have (404 `no_method`).
    pub fn no_method(path: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            name: "no_method",
            message: format!(
                "no method found with this name: {}",
                path.chars().take(100).collect::<String>()
            ),
        }
    }
}

impl From<AppError> for ExchangeError {
    fn from(err: AppError) -> Self {
        let (status, name) = match &err {
            AppError::BadRequest(_) | AppError::Unprocessable(_) | AppError::NotFound(_) => {
                (StatusCode::BAD_REQUEST, "bad_parameter")
            }
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "throttle_violation"),
            AppError::Busy { .. } | AppError::Unavailable { .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "temporarily_unavailable")
            }
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        };
        if let AppError::Internal(cause) = &err {
            tracing::error!(%cause, "Stack Exchange API request failed");
        }
        let message = match err {
            AppError::Internal(_) => "the server could not finish this request".to_owned(),
            AppError::Unavailable { .. } => crate::error::UNAVAILABLE_MESSAGE.to_owned(),
            other => other.to_string(),
        };
        Self {
            status,
            name,
            message,
        }
    }
}

impl From<ponder_store::StoreError> for ExchangeError {
    fn from(err: ponder_store::StoreError) -> Self {
        AppError::from(err).into()
    }
}

impl IntoResponse for ExchangeError {
    fn into_response(self) -> Response {
        let body = json!({
            "error_id": self.status.as_u16(),
            "error_message": self.message,
            "error_name": self.name,
        });
        (self.status, axum::Json(body)).into_response()
    }
}

/// The built-in filters; any other filter string is read as [`Filter::Default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// The items and the wrapper's usual fields.
    Default,
    /// As default, with the bodies of questions, answers and comments.
    WithBody,
    /// Nothing at all.
    None,
    /// Only the total.
    Total,
}

/// A page of items a method found, and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The items on the page.
    pub items: Vec<Value>,
    /// Items in all.
    pub total: i64,
    /// Whether a later page has more.
    pub has_more: bool,
}

impl Found {
    /// A list that is all there is.
    pub fn whole(items: Vec<Value>) -> Self {
        Self {
            total: items.len() as i64,
            items,
            has_more: false,
        }
    }
}

impl Filter {
    fn parse(raw: Option<&str>) -> Self {
        match raw.map(str::trim) {
            Some("withbody") => Self::WithBody,
            Some("none") => Self::None,
            Some("total") => Self::Total,
            _ => Self::Default,
        }
    }

    /// The answer's body: the wrapper as the filter shapes it.
    pub fn shape(self, found: Found) -> Value {
        match self {
            Self::None => json!({}),
            Self::Total => json!({ "total": found.total }),
            Self::Default | Self::WithBody => json!({
                "items": found.items,
                "has_more": found.has_more,
                "quota_max": QUOTA,
                "quota_remaining": QUOTA,
            }),
        }
    }

    /// Whether items carry their bodies.
    pub fn with_body(self) -> bool {
        self == Self::WithBody
    }
}

/// The parameters a request gave, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// The page, from 1.
    pub page: u32,
    /// Items a page, 0 to 100 (30 when not given).
    pub pagesize: u32,
    /// `desc` (the default) or `asc`.
    pub descending: bool,
    /// The method's sort, lowercase; `None` for its default.
    pub sort: Option<String>,
    /// The least value of the sort's field.
    pub min: Option<i64>,
    /// The greatest value of the sort's field.
    pub max: Option<i64>,
    /// Created at or after (Unix seconds).
    pub fromdate: Option<i64>,
    /// Created before (Unix seconds).
    pub todate: Option<i64>,
    /// Tags, `;`-joined in the request.
    pub tagged: Vec<String>,
    /// The filter.
    pub filter: Filter,
    /// The other parameters a method may read (`intitle`, `q`, `title`, `inname`, ...).
    pub text: HashMap<String, String>,
}

/// The parameters a method reads as text, each bounded to 500 characters.
const TEXT_PARAMETERS: [&str; 6] = ["intitle", "q", "title", "inname", "body", "user"];

fn int(raw: &HashMap<String, String>, name: &str) -> Result<Option<i64>, ExchangeError> {
    match raw.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ExchangeError::bad_parameter(format!("{name} must be a whole number"))),
    }
}

impl Params {
    /// Reads and checks the query string's parameters.
    pub fn read(raw: &HashMap<String, String>) -> Result<Self, ExchangeError> {
        let page = match int(raw, "page")? {
            None => 1,
            Some(p) if (1..=i64::from(ponder_core::paging::MAX_PAGE)).contains(&p) => p as u32,
            Some(p) if p > 0 => {
                return Err(ExchangeError::bad_parameter(
                    ponder_core::paging::PagingError::TooDeep(p as u64).to_string(),
                ));
            }
            Some(_) => {
                return Err(ExchangeError::bad_parameter(format!(
                    "page must be from 1 to {}",
                    ponder_core::paging::MAX_PAGE
                )));
            }
        };
        let pagesize = match int(raw, "pagesize")? {
            None => 30,
            Some(n) if (0..=i64::from(MAX_PAGE_SIZE)).contains(&n) => n as u32,
            Some(_) => {
                return Err(ExchangeError::bad_parameter(
                    "pagesize must be from 0 to 100",
                ));
            }
        };
        let descending = match raw.get("order").map(|o| o.trim().to_lowercase()).as_deref() {
            None | Some("") | Some("desc") => true,
            Some("asc") => false,
            Some(_) => return Err(ExchangeError::bad_parameter("order must be desc or asc")),
        };
        let tagged: Vec<String> = raw
            .get("tagged")
            .map(|t| {
                t.split(';')
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if tagged.len() > 5 {
            return Err(ExchangeError::bad_parameter("tagged takes at most 5 tags"));
        }
        let text = TEXT_PARAMETERS
            .iter()
            .filter_map(|name| {
                raw.get(*name)
                    .map(|v| ((*name).to_owned(), v.chars().take(500).collect::<String>()))
            })
            .collect();
        Ok(Self {
            page,
            pagesize,
            descending,
            sort: raw
                .get("sort")
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty()),
            min: int(raw, "min")?,
            max: int(raw, "max")?,
            fromdate: int(raw, "fromdate")?,
            todate: int(raw, "todate")?,
            tagged,
            filter: Filter::parse(raw.get("filter").map(String::as_str)),
            text,
        })
    }

    /// A text parameter, trimmed; empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.text.get(name).map_or("", |v| v.trim())
    }

    /// The sort, checked against the method's: its default when absent.
    pub fn sort_of<'a>(&self, allowed: &[&'a str]) -> Result<&'a str, ExchangeError> {
        match &self.sort {
            None => Ok(allowed[0]),
            Some(sort) => allowed
                .iter()
                .find(|a| **a == sort.as_str())
                .copied()
                .ok_or_else(|| {
                    ExchangeError::bad_parameter(format!(
                        "sort must be one of {}",
                        allowed.join(", ")
                    ))
                }),
        }
    }

    /// Whether a page of `total` items has more after this one.
    pub fn has_more(&self, total: i64) -> bool {
        i64::from(self.page) * i64::from(self.pagesize) < total
    }
}

/// Up to 100 `;`-joined numeric ids.
pub fn ids(raw: &str) -> Result<Vec<i64>, ExchangeError> {
    let parts: Vec<&str> = raw.split(';').filter(|s| !s.trim().is_empty()).collect();
    if parts.is_empty() {
        return Err(ExchangeError::bad_parameter("ids: name at least one id"));
    }
    if parts.len() > MAX_PAGE_SIZE as usize {
        return Err(ExchangeError::bad_parameter(
            "ids: at most 100 ids, joined by ;",
        ));
    }
    parts
        .iter()
        .map(|p| {
            p.trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| ExchangeError::bad_parameter("ids: each id is a whole number"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> Result<Params, ExchangeError> {
        let raw = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Params::read(&raw)
    }

    #[test]
    fn parameters_follow_the_api_and_refuse_what_it_refuses() {
        let p = read(&[("site", "x"), ("key", "y"), ("filter", "!9Z(-x")]).unwrap();
        assert_eq!((p.page, p.pagesize, p.descending), (1, 30, true));
        assert_eq!(p.filter, Filter::Default, "an unknown filter is default");
        let p = read(&[
            ("pagesize", "0"),
            ("order", "ASC"),
            ("tagged", "A;b;;c"),
            ("filter", "total"),
        ])
        .unwrap();
        assert_eq!((p.pagesize, p.descending), (0, false));
        assert_eq!(p.tagged, ["a", "b", "c"]);
        assert_eq!(p.filter, Filter::Total);
        for bad in [
            [("pagesize", "101")],
            [("page", "0")],
            [("page", "x")],
            [("order", "up")],
            [("min", "1.5")],
            [("tagged", "a;b;c;d;e;f")],
        ] {
            let err = read(&bad).unwrap_err();
            assert_eq!(
                (err.status, err.name),
                (StatusCode::BAD_REQUEST, "bad_parameter"),
                "{bad:?}"
            );
        }
        let p = read(&[("sort", "Votes")]).unwrap();
        assert_eq!(p.sort_of(&["activity", "votes"]), Ok("votes"));
        assert!(p.sort_of(&["activity", "creation"]).is_err());
        assert_eq!(read(&[]).unwrap().sort_of(&["activity"]), Ok("activity"));
    }

    #[test]
    fn ids_are_at_most_a_hundred_numbers() {
        assert_eq!(ids("1;2; 3;"), Ok(vec![1, 2, 3]));
        let hundred: Vec<String> = (1..=100).map(|i| i.to_string()).collect();
        assert_eq!(ids(&hundred.join(";")).unwrap().len(), 100);
        let more: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
        for bad in [
            more.join(";"),
            "1;x".into(),
            "0".into(),
            "".into(),
            "-2".into(),
        ] {
            assert_eq!(ids(&bad).unwrap_err().name, "bad_parameter", "{bad}");
        }
    }

    #[test]
    fn filters_shape_the_wrapper() {
        let found = || Found {
            items: vec![json!({"a": 1})],
            total: 7,
            has_more: true,
        };
        let full = Filter::Default.shape(found());
        assert_eq!(full["has_more"], true);
        assert_eq!(full["quota_max"], QUOTA);
        assert_eq!(full["items"][0]["a"], 1);
        assert_eq!(Filter::Total.shape(found()), json!({"total": 7}));
        assert_eq!(Filter::None.shape(found()), json!({}));
        assert!(Filter::WithBody.with_body() && !Filter::Default.with_body());
    }
}
