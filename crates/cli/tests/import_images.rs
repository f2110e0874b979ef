//! `ponder import stackexchange --fetch-images` (issue 25): the pictures imported
//! posts show from another host (here a server on 127.0.0.1 that the test starts)
//! are copied into the site's uploads and the posts show the copies; a picture
//! that cannot be copied keeps its address; the revisions keep the originals; a
//! second run copies nothing again.

use ponder_core::PostId;
use ponder_store::RenderedText;
use ponder_store::prelude::*;
use ponder_store_sqlite::SqliteStore;
use std::path::Path;
use std::process::Command;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A PNG of 3×2 red pixels.
const PNG: [u8; 73] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0,
    0, 0, 18, 22, 241, 77, 0, 0, 0, 16, 73, 68, 65, 84, 120, 156, 99, 56, 33, 39, 7, 65, 12, 112,
    22, 0, 65, 0, 6, 25, 60, 69, 65, 150, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// A host on 127.0.0.1 answering `/pic.png` with [`PNG`], `/notes.png` with text
/// and anything else 404; its address, and how many requests it answered.
async fn image_host() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let served = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&served);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = vec![0u8; 4096];
                let read = socket.read(&mut request).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&request[..read]).into_owned();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let (status, kind, body): (&str, &str, Vec<u8>) = match path.as_str() {
                    "/pic.png" => ("200 OK", "image/png", PNG.to_vec()),
                    "/notes.png" => ("200 OK", "image/png", b"not a picture".to_vec()),
                    _ => ("404 Not Found", "text/plain", b"gone".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (address, served)
}

fn write(dir: &Path, file: &str, root: &str, rows: &[String]) {
    let mut text = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<{root}>\r\n");
    for row in rows {
        text.push_str(&format!("  {row}\r\n"));
    }
    text.push_str(&format!("</{root}>"));
    std::fs::write(dir.join(file), text).expect("write the dump");
}

/// A dump whose question (1) shows the picture and a missing one, whose answer
/// (2) shows the picture again and text claiming to be one, and whose second
/// question (3) shows none.
fn dump(dir: &Path, host: &str) {
    let escaped = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let q_html = escaped(&format!(
        "<p>The chart: <img src=\"{host}/pic.png\" alt=\"chart\"> and <img src=\"{host}/missing.png\" alt=\"gone\"></p>"
    ));
    let q_markdown = escaped(&format!(
        "The chart: ![chart]({host}/pic.png) and ![gone]({host}/missing.png)"
    ));
    let a_html = escaped(&format!(
        "<p>Same <img src=\"{host}/pic.png\" alt=\"again\"> and <img src=\"{host}/notes.png\" alt=\"text\"></p>"
    ));
    write(
        dir,
        "Users.xml",
        "users",
        &[r#"<row Id="7" Reputation="10" CreationDate="2012-01-01T00:00:00.000" DisplayName="Painter" />"#.into()],
    );
    write(dir, "Posts.xml", "posts", &[
        format!(r#"<row Id="1" PostTypeId="1" CreationDate="2012-01-02T00:00:00.000" Score="1" Body="{q_html}" OwnerUserId="7" LastActivityDate="2012-01-02T00:00:00.000" Title="Why is my chart red?" Tags="&lt;charts&gt;" AnswerCount="1" />"#),
        format!(r#"<row Id="2" PostTypeId="2" ParentId="1" CreationDate="2012-01-03T00:00:00.000" Score="1" Body="{a_html}" OwnerUserId="7" LastActivityDate="2012-01-03T00:00:00.000" />"#),
        r#"<row Id="3" PostTypeId="1" CreationDate="2012-01-04T00:00:00.000" Score="0" Body="&lt;p&gt;No picture.&lt;/p&gt;" OwnerUserId="7" LastActivityDate="2012-01-04T00:00:00.000" Title="A question without a picture" Tags="&lt;charts&gt;" />"#.into(),
    ]);
    write(dir, "Comments.xml", "comments", &[]);
    write(dir, "Votes.xml", "votes", &[]);
    write(dir, "PostHistory.xml", "posthistory", &[
        format!(r#"<row Id="1" PostHistoryTypeId="2" PostId="1" RevisionGUID="g-1" CreationDate="2012-01-02T00:00:00.000" UserId="7" Text="{q_markdown}" />"#),
        r#"<row Id="2" PostHistoryTypeId="1" PostId="1" RevisionGUID="g-1" CreationDate="2012-01-02T00:00:00.000" UserId="7" Text="Why is my chart red?" />"#.into(),
    ]);
}

/// Runs `ponder import stackexchange` on `dump` into the site in `data`, with
/// `--fetch-images` and, if `reach_private`, `--images-reach-private`; its
/// standard output.
fn import(data: &Path, dump: &Path, reach_private: bool) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ponder"));
    command.args(["import", "stackexchange"]).arg(dump);
    if reach_private {
        command.arg("--images-reach-private");
    }
    let output = command
        .args(["--fetch-images", "--data"])
        .arg(data)
        .env_remove("PONDER_IMAGES_REACH_PRIVATE")
        .env_remove("PONDER_DATABASE_URL")
        .env_remove("PONDER_UPLOADS_URL")
        .output()
        .expect("ponder runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[tokio::test]
async fn imported_posts_pictures_are_copied_into_the_site() {
    let (host, served) = image_host().await;
    let dumps = tempfile::tempdir().expect("temp dir");
    let dir = dumps.path().join("charts.example.org");
    std::fs::create_dir(&dir).expect("dump folder");
    dump(&dir, &host);
    let data = tempfile::tempdir().expect("temp dir");

    let first = tokio::task::spawn_blocking({
        let (data, dir) = (data.path().to_owned(), dir.clone());
        move || import(&data, &dir, true)
    })
    .await
    .expect("the import ran");
    assert!(
        first.contains(
            "pictures from other hosts: 1 copied into the site, shown by 2 posts; \
             2 could not be copied and keep their address"
        ),
        "{first}"
    );
    assert!(
        first.contains(&format!("  {host}/missing.png: the host answered 404")),
        "{first}"
    );
    assert!(first.contains(&format!("  {host}/notes.png: ")), "{first}");
    // The picture shown by both posts was fetched once.
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 3);

    let store = SqliteStore::open(&data.path().join("ponder.db"))
        .await
        .expect("open");
    let texts = store
        .stored_texts_of(RenderedText::PostBody, vec![1, 2, 3])
        .await
        .expect("read");
    let (question, answer) = (&texts[0], &texts[1]);
    let local = question
        .html
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an image")
        .to_owned();
    assert!(
        local.starts_with("/uploads/") && local.ends_with(".png"),
        "{}",
        question.html
    );
    assert!(
        data.path()
            .join("uploads")
            .join(local.trim_start_matches("/uploads/"))
            .is_file()
    );
    assert!(
        question
            .html
            .contains(&format!("src=\"{host}/missing.png\"")),
        "{}",
        question.html
    );
    assert_eq!(
        question.markdown,
        format!("The chart: ![chart]({local}) and ![gone]({host}/missing.png)")
    );
    assert!(
        answer.html.contains(&format!("src=\"{local}\"")),
        "{}",
        answer.html
    );
    assert!(
        answer.html.contains(&format!("src=\"{host}/notes.png\"")),
        "{}",
        answer.html
    );
    assert_eq!(texts[2].html, "<p>No picture.</p>");
    let revisions = store.revisions(PostId(1)).await.expect("revisions");
    assert!(
        revisions[0]
            .body_markdown
            .contains(&format!("![chart]({host}/pic.png)")),
        "the revision keeps the original: {}",
        revisions[0].body_markdown
    );
    store.close().await;

    // A second run finds the copies in place and tries only what failed.
    let second = tokio::task::spawn_blocking({
        let (data, dir) = (data.path().to_owned(), dir.clone());
        move || import(&data, &dir, true)
    })
    .await
    .expect("the import ran");
    assert!(
        second.contains(
            "pictures from other hosts: 0 copied into the site, shown by 0 posts; 2 could not"
        ),
        "{second}"
    );
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 5);

    // Without leave, no loopback address is fetched.
    let guarded = tempfile::tempdir().expect("temp dir");
    let refused = tokio::task::spawn_blocking({
        let (data, dir) = (guarded.path().to_owned(), dir.clone());
        move || import(&data, &dir, false)
    })
    .await
    .expect("the import ran");
    assert!(
        refused.contains("0 copied into the site, shown by 0 posts; 3 could not be copied"),
        "{refused}"
    );
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 5);
}
