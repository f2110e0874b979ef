//! The API described: the OpenAPI 3.1 document, generated from the handlers' own
//! annotations and types (so it cannot drift from them), served at
//! `/api/v1/openapi.json`; and `/api/v1/docs`, a reference page made from that
//! same document on the server, with no outside requests.

use super::{reads, schema, writes};
use crate::AppState;
use crate::auth::Ctx;
use crate::views::{ApiDocsPage, ApiOperation, ApiParameter, ApiSchema, Head, render};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::LazyLock;
use utoipa::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

/// The document's description, shown at the top of the reference page.
const ABOUT: &str = "Ponder's JSON API: the same reads and writes as the site's pages \
and forms, with the same rules. Reads need no token; a visitor's reads are cached like \
pages and answer `ETag`/`304`. Writes need a personal access token (made in your \
settings, read or read-write) sent as `Authorization: Bearer ponder_pat_...`; each token \
is rate-limited on its own (429 with `Retry-After`). Errors are \
`{\"error\":{\"code\",\"message\"}}`. Lists come in pages: `page` from 1, `per_page` \
up to 100, with `total` and `has_more`.";

/// The API as OpenAPI describes it.
#[derive(OpenApi)]
#[openapi(
    info(title = "Ponder API", version = "1", description = "Ponder's JSON API. See /api/v1/docs."),
    paths(
        reads::list_questions,
        writes::ask,
        reads::question,
        writes::answer,
        writes::close,
        writes::reopen,
        reads::answer,
        writes::accept,
        writes::edit,
        reads::revisions,
        writes::comment,
        writes::vote,
        writes::flag,
        reads::search,
        reads::user,
        reads::user_questions,
        reads::user_answers,
        reads::tags,
        reads::tag,
        reads::categories,
        reads::me,
        reads::inbox,
        reads::following,
    ),
    components(schemas(schema::ErrorBody, schema::ErrorDetail)),
    modifiers(&BearerToken),
    tags(
        (name = "questions", description = "Questions: lists, threads, asking, closing"),
        (name = "answers", description = "Answers and accepting them"),
        (name = "posts", description = "What questions and answers share: comments, votes, edits, flags"),
        (name = "search", description = "Search in the query language of /search/help"),
        (name = "users", description = "Members and what they wrote"),
        (name = "tags", description = "Tags"),
        (name = "categories", description = "The category tree"),
        (name = "me", description = "The member a token belongs to"),
    )
)]
pub struct ApiDoc;

/// Adds the bearer-token security scheme the writes name.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// The document as JSON, made once.
static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        info.insert("description".into(), Value::String(ABOUT.into()));
        info.insert(
            "license".into(),
            serde_json::json!({ "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" }),
        );
    }
    doc
});

/// The OpenAPI document, with this site's address as its server.
pub fn document(base_url: &str) -> Value {
    let mut doc = DOCUMENT.clone();
    if let Some(map) = doc.as_object_mut() {
        map.insert(
            "servers".into(),
            serde_json::json!([{ "url": base_url.trim_end_matches('/') }]),
        );
    }
    doc
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json(State(state): State<AppState>) -> Response {
    let body = document(&state.site.base_url).to_string();
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// `GET /api/v1/docs`: the reference page.
pub async fn reference(State(state): State<AppState>, ctx: Ctx) -> Response {
    let doc = document(&state.site.base_url);
    render(&ApiDocsPage {
        head: Head::new(
            &ctx,
            "API reference",
            "The JSON API of this site: every operation, its parameters and its answers.",
        ),
        about: ABOUT.to_owned(),
        operations: operations(&doc),
        schemas: schemas(&doc),
    })
}

/// A `$ref` or a schema, named the way a reader wants: `Paged_QuestionSummaryJson`
/// becomes "page of QuestionSummaryJson", an array "list of ...".
fn type_name(schema: &Value) -> String {
    if let Some(name) = schema.get("$ref").and_then(Value::as_str) {
        return name.rsplit('/').next().unwrap_or(name).to_owned();
    }
    if let Some(items) = schema.get("items") {
        return format!("list of {}", type_name(items));
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let names: Vec<String> = options
            .iter()
            .map(type_name)
            .filter(|n| n != "null")
            .collect();
        return format!("{} or null", names.join(" or "));
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return format!("one of: {}", names.join(", "));
    }
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "any".to_owned(),
    }
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// A fragment id from `text`: its words and numbers joined by dashes.
fn anchor(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Every operation, in the document's order.
fn operations(doc: &Value) -> Vec<ApiOperation> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|r| {
                    r.iter()
                        .map(|(status, response)| {
                            let body = response
                                .pointer("/content/application~1json/schema")
                                .map(type_name);
                            (status.clone(), text(response.get("description")), body)
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.push(ApiOperation {
                anchor: anchor(&format!("{method} {path}")),
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(op.get("summary")),
                description: text(op.get("description")),
                needs_token: op.get("security").is_some(),
                parameters: op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .map(|p| ApiParameter {
                                name: text(p.get("name")),
                                place: text(p.get("in")),
                                required: p.get("required").and_then(Value::as_bool) == Some(true),
                                kind: p.get("schema").map(type_name).unwrap_or_default(),
                                description: text(p.get("description")),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                body: op
                    .pointer("/requestBody/content/application~1json/schema")
                    .map(type_name),
                responses,
            });
        }
    }
    out
}

/// Every schema with its fields.
fn schemas(doc: &Value) -> Vec<ApiSchema> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    schemas
        .iter()
        .map(|(name, schema)| {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            ApiSchema {
                name: name.clone(),
                description: text(schema.get("description")),
                kind: if schema.get("properties").is_some() {
                    String::new()
                } else {
                    type_name(schema)
                },
                fields: schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .map(|props| {
                        props
                            .iter()
                            .map(|(field, s)| ApiParameter {
                                name: field.clone(),
                                place: String::new(),
                                required: required.contains(&field.as_str()),
                                kind: type_name(s),
                                description: text(s.get("description")),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_1_with_every_route_and_its_schemas() {
        let doc = document("https://q.example/");
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["servers"][0]["url"], "https://q.example");
        let paths = doc["paths"].as_object().expect("paths");
        for path in [
            "/api/v1/questions",
            "/api/v1/questions/{id}",
            "/api/v1/posts/{id}",
            "/api/v1/search",
            "/api/v1/me/inbox",
        ] {
            assert!(paths.contains_key(path), "{path} missing");
        }
        assert!(doc["paths"]["/api/v1/posts/{id}"]["patch"].is_object());
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for name in ["QuestionJson", "AskBody", "ErrorBody", "EditBody"] {
            assert!(schemas.contains_key(name), "{name} missing");
        }
        assert_eq!(
            doc["components"]["securitySchemes"]["token"]["scheme"],
            "bearer"
        );
    }

    #[test]
    fn the_reference_lists_operations_with_their_parameters_and_answers() {
        let doc = document("http://localhost");
        let ops = operations(&doc);
        let ask = ops
            .iter()
            .find(|o| o.method == "POST" && o.path == "/api/v1/questions")
            .expect("ask");
        assert!(ask.needs_token);
        assert_eq!(ask.body.as_deref(), Some("AskBody"));
        assert!(
            ask.responses
                .iter()
                .any(|(s, _, b)| s == "201" && b.as_deref() == Some("Created"))
        );
        let list = ops
            .iter()
            .find(|o| o.method == "GET" && o.path == "/api/v1/questions")
            .expect("list");
        assert!(!list.needs_token);
        assert!(
            list.parameters
                .iter()
                .any(|p| p.name == "per_page" && p.place == "query")
        );
        let schemas = schemas(&doc);
        let ask_body = schemas
            .iter()
            .find(|s| s.name == "AskBody")
            .expect("AskBody");
        let title = ask_body
            .fields
            .iter()
            .find(|f| f.name == "title")
            .expect("title");
        assert!(title.required);
        assert_eq!(title.kind, "string");
    }
}
