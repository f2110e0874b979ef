//! The API reference page, made from the OpenAPI document.

use super::*;
use askama::Template;

/// A parameter of an operation, or a field of a schema.
pub struct ApiParameter {
    /// Its name.
    pub name: String,
    /// Where it goes (`path`, `query`); empty for a field.
    pub place: String,
    /// Whether it must be given.
    pub required: bool,
    /// Its type, for a reader.
    pub kind: String,
    /// What it means.
    pub description: String,
}

/// One operation: a method on a path.
pub struct ApiOperation {
    /// The fragment that links to it.
    pub anchor: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, with `{id}`-style parameters.
    pub path: String,
    /// What it does, in a line.
    pub summary: String,
    /// More about it.
    pub description: String,
    /// Whether it needs a token (or a session).
    pub needs_token: bool,
    /// Its parameters.
    pub parameters: Vec<ApiParameter>,
    /// The type of its JSON body, if it takes one.
    pub body: Option<String>,
    /// Each answer: status, description, body type.
    pub responses: Vec<(String, String, Option<String>)>,
}

/// A schema and its fields.
pub struct ApiSchema {
    /// Its name, as operations refer to it.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Its type when it is not an object with fields (an enumeration).
    pub kind: String,
    /// Its fields.
    pub fields: Vec<ApiParameter>,
}

/// `/api/v1/docs`.
#[derive(Template)]
#[template(path = "help/api.html")]
pub struct ApiDocsPage {
    /// Head.
    pub head: Head,
    /// What the API is and how to use it.
    pub about: String,
    /// Every operation.
    pub operations: Vec<ApiOperation>,
    /// Every schema.
    pub schemas: Vec<ApiSchema>,
}
