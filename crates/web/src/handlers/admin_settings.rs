//! `/admin/settings`: every site setting, a form a section, each field showing
//! the value in force and where it comes from; a refused section comes back with
//! what was typed and the message beside each field.

use super::admin::require_admin;
use crate::AppState;
use crate::actions;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::CsrfForm;
use crate::views::{AdminSettingsPage, Head, SettingField, SettingGroup, render};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use ponder_core::settings::{Group, Kind, Setting, Settings, Source};
use ponder_core::text::{count, thousands};
use serde::Deserialize;
use std::collections::HashMap;

/// This page's address.
const HERE: &str = "/admin/settings";

/// What a refused section holds: its values as typed, and the messages by key.
struct Refused<'a> {
    group: Group,
    typed: &'a HashMap<String, String>,
    errors: &'a HashMap<&'static str, String>,
}

/// How the page says where `setting`'s value in force comes from.
fn source_note(setting: &Setting, in_force: &Settings, startup: &Settings) -> String {
    let default = startup.get(setting.key);
    let shown = |v: &str| {
        if v.is_empty() {
            "empty".to_owned()
        } else if v.chars().count() > 40 || v.contains('\n') {
            "the built-in text".to_owned()
        } else {
            format!("“{v}”")
        }
    };
    match in_force.source(setting.key) {
        Source::Stored => match startup.source(setting.key) {
            Source::Startup => format!("Set here; the flag's value is {}.", shown(default)),
            _ => format!("Set here; the default is {}.", shown(default)),
        },
        Source::Startup => "From a flag or environment variable.".to_owned(),
        Source::BuiltIn => "The built-in default.".to_owned(),
    }
}

/// The control for a setting's kind.
fn control(kind: Kind) -> (&'static str, Vec<&'static str>) {
    match kind {
        Kind::Line { .. } | Kind::Domains => ("line", Vec::new()),
        Kind::Email => ("email", Vec::new()),
        Kind::Number { .. } => ("number", Vec::new()),
        Kind::Markdown { .. } | Kind::Lines { .. } | Kind::TagLanguages => ("text", Vec::new()),
        Kind::Choice(choices) => ("choice", choices.to_vec()),
        Kind::Switch => ("choice", vec!["on", "off"]),
    }
}

/// The page, with a refused section's values and messages if there is one.
fn page(
    state: &AppState,
    ctx: &Ctx,
    refused: Option<Refused<'_>>,
    success: Option<String>,
) -> Response {
    let in_force = state.settings();
    let startup = state.defaults();
    let groups = Group::ALL
        .into_iter()
        .map(|group| {
            let typed = refused.as_ref().filter(|r| r.group == group);
            SettingGroup {
                name: group.name(),
                title: group.title(),
                note: (group == Group::Launch).then(|| launch_note(state)),
                fields: group
                    .settings()
                    .map(|setting| {
                        let (control, choices) = control(setting.kind);
                        SettingField {
                            key: setting.key,
                            id: setting.key.replace('.', "-"),
                            label: setting.label,
                            help: setting.help,
                            control,
                            value: typed
                                .and_then(|r| r.typed.get(setting.key))
                                .cloned()
                                .unwrap_or_else(|| in_force.settings.get(setting.key).to_owned()),
                            choices,
                            source: source_note(setting, &in_force.settings, &startup),
                            error: typed.and_then(|r| r.errors.get(setting.key)).cloned(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let problem = refused.map(|r| {
        format!(
            "Nothing in “{}” was saved: {} to correct.",
            r.group.title(),
            count(r.errors.len() as i64, "value", "values")
        )
    });
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = render(&AdminSettingsPage {
        head: Head::new(ctx, "Site settings", "The settings of this site."),
        groups,
        success,
        problem,
    });
    *response.status_mut() = status;
    response
}

/// Whether launch mode is in force, and until when.
fn launch_note(state: &AppState) -> String {
    let settings = state.settings();
    let until = thousands(settings.settings.number("launch.until_members"));
    let members = thousands(state.members());
    if state.in_launch() {
        format!("Launch mode is in force: the site has {members} members, and it ends at {until}.")
    } else if settings.settings.is_on("launch.mode") {
        format!(
            "Launch mode is on but has ended: the site has {members} members, and it ends at {until}."
        )
    } else {
        "Launch mode is off: the privileges need the reputation set below.".to_owned()
    }
}

/// `?saved=GROUP&changed=N` after a save.
#[derive(Debug, Default, Deserialize)]
pub struct SavedParams {
    saved: Option<String>,
    changed: Option<u32>,
}

/// `GET /admin/settings`.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    query: Result<Query<SavedParams>, QueryRejection>,
) -> Result<Response, AppError> {
    require_admin(&ctx, HERE)?;
    let params = query.map(|q| q.0).unwrap_or_default();
    let success = params
        .saved
        .as_deref()
        .and_then(Group::from_name)
        .map(|group| match params.changed.unwrap_or(0) {
            0 => format!("Nothing in “{}” changed.", group.title()),
            n => format!(
                "Saved “{}”: {} changed.",
                group.title(),
                count(i64::from(n), "value", "values")
            ),
        });
    Ok(page(&state, &ctx, None, success))
}

/// A section of the form as posted: its name and its fields by key.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    group: String,
    #[serde(flatten)]
    values: HashMap<String, String>,
}

crate::extract::has_csrf!(SettingsForm);

/// `POST /admin/settings`: saves one section.
pub async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    form: CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    let admin = require_admin(&ctx, HERE)?.clone();
    let form = form.checked()?;
    let group = Group::from_name(&form.group)
        .ok_or_else(|| AppError::BadRequest("Choose a section of the settings to save.".into()))?;
    let mut checked = Vec::new();
    let mut errors = HashMap::new();
    for setting in group.settings() {
        // A field the form did not send is left as it is.
        let Some(raw) = form.values.get(setting.key) else {
            continue;
        };
        match setting.check(raw) {
            Ok(value) => checked.push((setting.key, value)),
            Err(message) => {
                errors.insert(setting.key, message);
            }
        }
    }
    if !errors.is_empty() {
        let refused = Refused {
            group,
            typed: &form.values,
            errors: &errors,
        };
        return Ok(page(&state, &ctx, Some(refused), None));
    }
    let outcome = actions::settings::change_settings(&state, &admin, &checked).await?;
    let location = format!(
        "{HERE}?saved={}&changed={}#{}",
        group.name(),
        outcome.value.len(),
        group.name()
    );
    Ok(outcome.see_other(&location))
}
