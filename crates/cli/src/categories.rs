//! `ponder category list|create|rename|describe|move|order|delete`: the category
//! tree of `/admin/categories`, for scripts. Each change goes through the same
//! actions as the pages (the same checks, the moderation log under the
//! administrator named by `--as`, the change feed that running servers and their
//! search indexes follow).

use crate::{SiteArgs, open_store};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use ponder_core::CategoryId;
use ponder_core::categories::{validate_description, validate_name, validate_slug};
use ponder_store::Category;
use ponder_web::actions::categories::{self as act, CategoryInput, CategoryText, Shift};
use ponder_web::{AppState, SiteConfig};
use std::sync::Arc;

/// `ponder category ...`.
#[derive(Subcommand)]
pub enum CategoryCommand {
    /// Every category, as id, path and name, depth first.
    List,
    /// Make a category, last among its siblings.
    Create {
        /// Its name.
        name: String,
        /// Its address segment (made from the name if left out).
        #[arg(long)]
        slug: Option<String>,
        /// The category it goes under, as a path (history/modern) or an id.
        #[arg(long)]
        parent: Option<String>,
        /// What belongs there (Markdown).
        #[arg(long, default_value = "")]
        description: String,
        #[command(flatten)]
        admin: AdminArg,
    },
    /// Rename a category (its old address answers 301 to the new one).
    Rename {
        /// The category, as a path or an id.
        category: String,
        /// Its new name.
        name: String,
        /// Its new address segment (kept if left out).
        #[arg(long)]
        slug: Option<String>,
        #[command(flatten)]
        admin: AdminArg,
    },
    /// Describe a category (Markdown, shown on its page).
    Describe {
        /// The category, as a path or an id.
        category: String,
        /// The description.
        description: String,
        #[command(flatten)]
        admin: AdminArg,
    },
    /// Move a category, with everything under it, under another (or to the top).
    Move {
        /// The category, as a path or an id.
        category: String,
        /// Its new parent, as a path or an id; left out, the top level.
        #[arg(long)]
        under: Option<String>,
        #[command(flatten)]
        admin: AdminArg,
    },
    /// Move a category one place up or down among its siblings.
    Order {
        /// The category, as a path or an id.
        category: String,
        /// `up` or `down`.
        #[arg(value_parser = ["up", "down"])]
        shift: String,
        #[command(flatten)]
        admin: AdminArg,
    },
    /// Delete an empty category, or merge one into another with its questions.
    Delete {
        /// The category, as a path or an id.
        category: String,
        /// Where its questions and subcategories go.
        #[arg(long)]
        into: Option<String>,
        #[command(flatten)]
        admin: AdminArg,
    },
}

/// The administrator a change is made as.
#[derive(Args)]
pub struct AdminArg {
    /// The administrator making the change (handle or email), for the moderation log.
    #[arg(long = "as", value_name = "HANDLE")]
    by: String,
}

/// Runs a `category` subcommand.
pub async fn run(site: &SiteArgs, command: CategoryCommand) -> Result<()> {
    let store = open_store(site).await?;
    let categories = store.categories().await?;
    let state = AppState::new(
        store.clone(),
        Arc::new(ponder_search::SearchIndex::in_memory().context("cannot make a scratch index")?),
        SiteConfig::default(),
    );
    let find = |raw: &str| find_category(&categories, raw);
    let message = match command {
        CategoryCommand::List => {
            let tree = ponder_web::tree::CategoryTree::new(categories.clone());
            depth_first(&tree, None, 0)
                .into_iter()
                .map(|c| format!("{}\t{}\t{}", c.id.0, tree.url(c.id), c.name))
                .collect::<Vec<_>>()
                .join("\n")
        }
        CategoryCommand::Create {
            name,
            slug,
            parent,
            description,
            admin,
        } => {
            let admin = crate::administrator(&*store, &admin.by).await?;
            let parent = parent.as_deref().map(find).transpose()?.map(|c| c.id);
            let text = CategoryText {
                slug: checked(
                    validate_slug(slug.as_deref().unwrap_or(""), &name),
                    "--slug",
                )?,
                name: checked(validate_name(&name), "name")?,
                description: checked(validate_description(&description), "--description")?,
            };
            let input = CategoryInput { parent, text };
            let made = act::create_category(&state, &admin, input).await?;
            format!("made category {} ({})", made.value.id.0, made.value.slug)
        }
        CategoryCommand::Rename {
            category,
            name,
            slug,
            admin,
        } => {
            let admin = crate::administrator(&*store, &admin.by).await?;
            let category = find(&category)?;
            let slug = match slug {
                Some(slug) => checked(validate_slug(&slug, &name), "--slug")?,
                None => category.slug.clone(),
            };
            let text = CategoryText {
                name: checked(validate_name(&name), "name")?,
                slug,
                description: category.description.clone(),
            };
            act::update_category(&state, &admin, category.id, text).await?;
            "renamed".to_owned()
        }
        CategoryCommand::Describe {
            category,
            description,
            admin,
        } => {
            let admin = crate::administrator(&*store, &admin.by).await?;
            let category = find(&category)?;
            let text = CategoryText {
                name: category.name.clone(),
                slug: category.slug.clone(),
                description: checked(validate_description(&description), "description")?,
            };
            act::update_category(&state, &admin, category.id, text).await?;
            "described".to_owned()
        }
        CategoryCommand::Move {
            category,
            under,
            admin,
        } => {
            let admin = crate::administrator(&*store, &admin.by).await?;
            let category = find(&category)?;
            let under = under.as_deref().map(find).transpose()?.map(|c| c.id);
            act::move_category(&state, &admin, category.id, under).await?;
            "moved".to_owned()
        }
        CategoryCommand::Order {
            category,
            shift,
            admin,
        } => {
            let admin = crate::administrator(&*store, &admin.by).await?;
            let category = find(&category)?;
            let shift = if shift == "up" {
                Shift::Up
            } else {
                Shift::Down
            };
            act::shift_category(&state, &admin, category.id, shift).await?;
            "reordered".to_owned()
        }
        CategoryCommand::Delete {
            category,
            into,
            admin,
        } => {
            let admin = crate::administrator(&*store, &admin.by).await?;
            let category = find(&category)?;
            let into = into.as_deref().map(find).transpose()?.map(|c| c.id);
            let moved = act::delete_category(&state, &admin, category.id, into).await?;
            match into {
                Some(_) => format!("merged; {} questions moved", moved.value.1),
                None => "deleted".to_owned(),
            }
        }
    };
    println!("{message}");
    Ok(())
}

/// A checked value, or an error naming the argument.
fn checked(result: Result<String, String>, what: &str) -> Result<String> {
    result.map_err(|message| anyhow::anyhow!("{what}: {message}"))
}

/// The categories under `parent`, depth first.
fn depth_first(
    tree: &ponder_web::tree::CategoryTree,
    parent: Option<CategoryId>,
    depth: usize,
) -> Vec<&Category> {
    if depth > 16 {
        return Vec::new();
    }
    tree.children(parent)
        .into_iter()
        .flat_map(|c| {
            let mut all = vec![c];
            all.extend(depth_first(tree, Some(c.id), depth + 1));
            all
        })
        .collect()
}

/// The category `raw` names: an id, or a path of segments (`history/modern`).
fn find_category<'a>(categories: &'a [Category], raw: &str) -> Result<&'a Category> {
    if let Ok(id) = raw.trim().parse::<i64>() {
        return categories
            .iter()
            .find(|c| c.id.0 == id)
            .with_context(|| format!("there is no category {id}"));
    }
    let tree = ponder_web::tree::CategoryTree::new(categories.to_vec());
    let segments: Vec<&str> = raw
        .trim()
        .trim_start_matches("/categories")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let id = tree
        .find_by_slugs(&segments)
        .map(|c| c.id)
        .with_context(|| {
            format!("there is no category {raw:?}; `ponder category list` shows them")
        })?;
    categories
        .iter()
        .find(|c| c.id == id)
        .with_context(|| format!("there is no category {raw:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn admin() -> AdminArg {
        AdminArg { by: "root".into() }
    }

    #[tokio::test]
    async fn scripts_make_and_change_the_category_tree_as_an_administrator() {
        let dir = tempfile::tempdir().unwrap();
        let site = SiteArgs {
            data: PathBuf::from(dir.path()),
            database_url: None,
        };
        let create = |name: &str, parent: Option<&str>| CategoryCommand::Create {
            name: name.into(),
            slug: None,
            parent: parent.map(str::to_owned),
            description: String::new(),
            admin: admin(),
        };
        // Only an administrator can.
        let nobody = run(&site, create("History", None)).await.unwrap_err();
        assert!(nobody.to_string().contains("no user"), "{nobody}");
        let account = crate::users::CreateArgs {
            handle: "root".into(),
            email: "root@example.org".into(),
            admin: true,
            moderator: false,
        };
        crate::users::create(&site, account, "maple tree 1".into())
            .await
            .unwrap();
        run(&site, create("History", None)).await.unwrap();
        run(&site, create("Modern", Some("history"))).await.unwrap();
        run(&site, create("Science", None)).await.unwrap();
        let twin = run(&site, create("modern", Some("/categories/history")))
            .await
            .unwrap_err();
        assert!(twin.to_string().contains("named"), "{twin}");
        assert!(run(&site, create("Lost", Some("nowhere"))).await.is_err());

        let rename = CategoryCommand::Rename {
            category: "history/modern".into(),
            name: "Recent".into(),
            slug: Some("recent".into()),
            admin: admin(),
        };
        run(&site, rename).await.unwrap();
        let cycle = CategoryCommand::Move {
            category: "history".into(),
            under: Some("history/recent".into()),
            admin: admin(),
        };
        assert!(
            run(&site, cycle)
                .await
                .unwrap_err()
                .to_string()
                .contains("itself")
        );
        let moved = CategoryCommand::Move {
            category: "history/recent".into(),
            under: Some("science".into()),
            admin: admin(),
        };
        run(&site, moved).await.unwrap();
        let describe = CategoryCommand::Describe {
            category: "science/recent".into(),
            description: "Since *1900*.".into(),
            admin: admin(),
        };
        run(&site, describe).await.unwrap();
        let not_empty = CategoryCommand::Delete {
            category: "science".into(),
            into: None,
            admin: admin(),
        };
        assert!(
            run(&site, not_empty)
                .await
                .unwrap_err()
                .to_string()
                .contains("merge")
        );
        let merge = CategoryCommand::Delete {
            category: "science".into(),
            into: Some("history".into()),
            admin: admin(),
        };
        run(&site, merge).await.unwrap();
        run(&site, CategoryCommand::List).await.unwrap();

        let store = open_store(&site).await.unwrap();
        let categories = store.categories().await.unwrap();
        let recent = categories.iter().find(|c| c.slug == "recent").unwrap();
        let history = categories.iter().find(|c| c.slug == "history").unwrap();
        assert_eq!(categories.len(), 2);
        assert_eq!(recent.parent_id, Some(history.id));
        assert_eq!(recent.description, "Since *1900*.");
        let log = store.moderation_log(1).await.unwrap();
        assert_eq!(
            log.total, 7,
            "three made, renamed, moved, described, merged"
        );
    }
}
