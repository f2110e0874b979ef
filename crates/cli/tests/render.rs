//! `ponder render` on a site whose posts an older renderer stored: the text the
//! older one swallowed shows after it runs, and a second run changes nothing
//! (issue 16).

use ponder_core::markdown::SafeHtml;
use ponder_store::prelude::*;
use ponder_store::{NewCategory, NewQuestion, NewUser, PostBody, RenderedText, Role};
use ponder_store_sqlite::SqliteStore;
use std::path::Path;
use std::process::Command;

const SOURCE: &str = "Why does the <style> tag in my page head not apply?";

/// Runs `ponder` with `args` on the site in `data`; its standard output.
fn ponder(data: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_ponder"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env_remove("PONDER_DATABASE_URL")
        .output()
        .expect("ponder runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Stores a question whose HTML is what the renderer before issue 16 made of
/// [`SOURCE`]; its id.
async fn store_as_the_old_renderer_did(store: &SqliteStore) -> i64 {
    let author = store
        .create_user(NewUser {
            handle: "asker".into(),
            display_name: "Asker".into(),
            email: None,
            password_hash: None,
            role: Role::User,
            about: PostBody::from_markdown("Plain *text*."),
            created_at: 1,
        })
        .await
        .expect("user");
    let category = store
        .create_category(NewCategory {
            parent: None,
            slug: "web".into(),
            name: "Web".into(),
            description: String::new(),
            position: 0,
        })
        .await
        .expect("category");
    let question = store
        .create_question(NewQuestion {
            author: author.id,
            category: category.id,
            title: "A style tag that does nothing".into(),
            body: PostBody::from_markdown(SOURCE),
            tags: vec!["css".into()],
            created_at: 2,
        })
        .await
        .expect("question");
    let swallowed = SafeHtml::from_trusted_storage("<p>Why does the </p>\n".to_owned());
    assert!(
        store
            .replace_rendered_html(RenderedText::PostBody, question.0, SOURCE, &swallowed)
            .await
            .expect("old HTML stored")
    );
    question.0
}

async fn stored_html(data: &Path, id: i64) -> String {
    let store = SqliteStore::open(&data.join("ponder.db"))
        .await
        .expect("open");
    let texts = store
        .stored_texts(RenderedText::PostBody, id - 1, 1)
        .await
        .expect("read");
    texts[0].html.clone()
}

#[tokio::test]
async fn issue16_render_restores_text_an_older_renderer_swallowed() {
    let data = tempfile::tempdir().expect("temp dir");
    ponder(data.path(), &["migrate"]);
    let id = {
        let store = SqliteStore::open(&data.path().join("ponder.db"))
            .await
            .expect("open");
        store_as_the_old_renderer_did(&store).await
    };
    assert_eq!(stored_html(data.path(), id).await, "<p>Why does the </p>\n");

    let first = ponder(data.path(), &["render"]);
    assert!(
        first.contains("post bodies: 1 read, 1 rendered anew"),
        "{first}"
    );
    assert!(
        first.contains("about-me texts: 1 read, 0 rendered anew"),
        "{first}"
    );
    let html = stored_html(data.path(), id).await;
    assert!(html.contains("&lt;style&gt;"), "{html}");
    assert!(html.contains("tag in my page head not apply?"), "{html}");

    let second = ponder(data.path(), &["render"]);
    assert!(
        second.contains("post bodies: 1 read, 0 rendered anew"),
        "{second}"
    );
}

#[tokio::test]
async fn issue21_render_highlights_by_tags_and_sets_math_when_turned_on() {
    let data = tempfile::tempdir().expect("temp dir");
    ponder(data.path(), &["migrate"]);
    let source = "Area $\\pi r^2$ of\n\n```\nh1 { color: red; }\n```\n";
    let id = {
        let store = SqliteStore::open(&data.path().join("ponder.db"))
            .await
            .expect("open");
        let id = store_as_the_old_renderer_did(&store).await;
        let old = SafeHtml::from_trusted_storage("<p>old</p>".to_owned());
        let question = ponder_core::PostId(id);
        let thread = store.question_thread(question).await.expect("read");
        assert!(thread.is_some());
        let edit = ponder_store::PostEdit {
            post: question,
            editor: thread.map(|t| t.question.author.id).expect("author"),
            base_revision: store
                .editable_post(question)
                .await
                .expect("read")
                .map(|p| p.latest_revision)
                .expect("post"),
            title: "A style tag that does nothing".into(),
            body: PostBody::from_markdown(source),
            tags: vec!["css".into()],
            summary: String::new(),
            at: 3,
        };
        store.edit_post(edit).await.expect("edited");
        // The body as the renderer before issue 21 stored it.
        store
            .replace_rendered_html(RenderedText::PostBody, id, source, &old)
            .await
            .expect("old HTML stored");
        id
    };
    // Math is off: the tag `css` names the code's language.
    ponder(data.path(), &["render"]);
    let html = stored_html(data.path(), id).await;
    assert!(html.contains("<span class=\"hl-tag\">h1"), "{html}");
    assert!(html.contains("$\\pi r^2$"), "{html}");
    // The flag stands for the server's; a second run with it sets the formula.
    let with_math = ponder(data.path(), &["render", "--math"]);
    assert!(
        with_math.contains("post bodies: 1 read, 1 rendered anew"),
        "{with_math}"
    );
    let html = stored_html(data.path(), id).await;
    assert!(html.contains("<msup>"), "{html}");
    // The stored setting does the same, with no flag.
    ponder(
        data.path(),
        &["settings", "set", "writing.code_languages", "css none"],
    );
    ponder(data.path(), &["render"]);
    let html = stored_html(data.path(), id).await;
    assert!(!html.contains("hl-tag"), "{html}");
    assert!(!html.contains("<msup>"), "{html}");
}
