//! Pages of an imported Stack Exchange dump: the original ids in the URLs, the
//! sanitized bodies, the accepted answer, closing with its duplicate, placeholders for
//! absent users, and the imported user's profile with every badge award.

use crate::support::TestApp;
use ponder_exchange::{ImportOptions, NoProgress, import_stackexchange};
use std::path::Path;

pub(crate) fn write(dir: &Path, file: &str, root: &str, rows: &[&str]) {
    let mut text = format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<{root}>\r\n");
    for row in rows {
        text.push_str(&format!("  {row}\r\n"));
    }
    text.push_str(&format!("</{root}>"));
    std::fs::write(dir.join(file), text).unwrap();
}

/// A dump with a question (id 18) whose accepted answer (27) is by an absent user,
/// and a closed duplicate of it (id 20).
pub(crate) fn dump(dir: &Path) {
    write(
        dir,
        "Users.xml",
        "users",
        &[
            r#"<row Id="67" Reputation="1234" CreationDate="2011-08-17T19:30:44.000" DisplayName="Zoé Asker" WebsiteUrl="https://example.org/zo&quot;e" Location="Lyon &lt;France&gt;" AboutMe="&lt;p&gt;I ask &lt;script&gt;x()&lt;/script&gt;things.&lt;/p&gt;" />"#,
        ],
    );
    write(
        dir,
        "Tags.xml",
        "tags",
        &[r#"<row Id="1" TagName="discussion" Count="2" />"#],
    );
    write(
        dir,
        "Posts.xml",
        "posts",
        &[
            r#"<row Id="18" PostTypeId="1" AcceptedAnswerId="27" CreationDate="2011-08-17T21:29:08.500" Score="13" ViewCount="158" Body="&lt;p&gt;Should we &lt;em&gt;translate&lt;/em&gt;?&lt;/p&gt;&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;" OwnerUserId="67" LastActivityDate="2014-09-26T10:24:11.017" Title="Translating monolingual answers to &quot;important&quot; questions" Tags="&lt;discussion&gt;" AnswerCount="2" CommentCount="1" ContentLicense="CC BY-SA 3.0" />"#,
            r#"<row Id="26" PostTypeId="2" ParentId="18" CreationDate="2011-08-18T21:29:08.500" Score="1" Body="&lt;p&gt;No, never.&lt;/p&gt;" OwnerUserId="67" LastActivityDate="2011-08-18T21:29:08.500" ContentLicense="Some &lt;licence&gt;" />"#,
            r#"<row Id="27" PostTypeId="2" ParentId="18" CreationDate="2011-08-19T21:29:08.500" Score="7" Body="&lt;p&gt;Yes, when it helps.&lt;/p&gt;" OwnerUserId="404" OwnerDisplayName="Départ &lt;b&gt;" LastActivityDate="2011-08-19T21:29:08.500" />"#,
            r#"<row Id="20" PostTypeId="1" CreationDate="2011-08-20T21:29:08.500" Score="0" ViewCount="5" Body="&lt;p&gt;Same again.&lt;/p&gt;" OwnerUserId="67" LastActivityDate="2011-08-20T21:29:08.500" Title="Translating answers, again and again" Tags="&lt;discussion&gt;" ClosedDate="2011-08-21T21:29:08.500" />"#,
        ],
    );
    write(
        dir,
        "PostHistory.xml",
        "posthistory",
        &[
            r#"<row Id="1" PostHistoryTypeId="10" PostId="20" CreationDate="2011-08-21T21:29:08.500" Comment="101" />"#,
            r#"<row Id="2" PostHistoryTypeId="2" PostId="18" RevisionGUID="g-1" CreationDate="2011-08-17T21:29:08.500" UserId="67" Text="Should we translate?" />"#,
            r#"<row Id="3" PostHistoryTypeId="1" PostId="18" RevisionGUID="g-1" CreationDate="2011-08-17T21:29:08.500" UserId="67" Text="Translating answers" />"#,
            r#"<row Id="4" PostHistoryTypeId="3" PostId="18" RevisionGUID="g-1" CreationDate="2011-08-17T21:29:08.500" UserId="67" Text="&lt;discussion&gt;" />"#,
            r#"<row Id="5" PostHistoryTypeId="5" PostId="18" RevisionGUID="g-2" CreationDate="2011-08-19T08:00:00.000" UserId="404" Comment="emphasis" Text="Should we *translate*?" />"#,
            r#"<row Id="6" PostHistoryTypeId="4" PostId="18" RevisionGUID="g-2" CreationDate="2011-08-19T08:00:00.000" UserId="404" Comment="emphasis" Text="Translating monolingual answers to &quot;important&quot; questions" />"#,
        ],
    );
    write(
        dir,
        "PostLinks.xml",
        "postlinks",
        &[
            r#"<row Id="1" CreationDate="2011-08-21T21:29:08.500" PostId="20" RelatedPostId="18" LinkTypeId="3" />"#,
        ],
    );
    write(
        dir,
        "Comments.xml",
        "comments",
        &[
            r#"<row Id="5" PostId="18" Score="2" Text="Good *point*" CreationDate="2011-08-17T22:00:00.000" UserId="67" />"#,
        ],
    );
    write(dir, "Votes.xml", "votes", &[]);
    write(
        dir,
        "Badges.xml",
        "badges",
        &[
            r#"<row Id="1" UserId="67" Name="Nice Question" Date="2011-09-01T10:00:00.000" Class="3" TagBased="False" />"#,
            r#"<row Id="2" UserId="67" Name="discussion" Date="2011-09-02T10:00:00.000" Class="3" TagBased="True" />"#,
            r#"<row Id="3" UserId="67" Name="Nice Question" Date="2012-09-01T10:00:00.000" Class="3" TagBased="False" />"#,
            r#"<row Id="4" UserId="67" Name="Nice Question" Date="2013-09-01T10:00:00.000" Class="3" TagBased="False" />"#,
        ],
    );
}

#[tokio::test]
async fn imported_questions_render_at_their_original_ids() {
    let app = TestApp::new().await;
    let dir = tempfile::tempdir().unwrap();
    dump(dir.path());
    let options = ImportOptions {
        category: Some("French Language Meta".into()),
        ..ImportOptions::new(dir.path())
    };
    import_stackexchange(app.store.clone(), &options, &NoProgress)
        .await
        .unwrap();

    let moved = app.get("/questions/18").await;
    assert_eq!(moved.status, 301);
    let path = moved.location();
    assert!(
        path.starts_with("/questions/18/translating-monolingual-answers"),
        "{path}"
    );
    let page = app.get(&path).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.text("h1"),
        "Translating monolingual answers to \"important\" questions"
    );
    assert!(page.body.contains("Should we <em>translate</em>?"));
    assert!(
        !page.body.contains("evil.example"),
        "iframes are sanitized away"
    );
    assert_eq!(page.count("article.answer"), 2);
    assert_eq!(
        page.attrs("article.answer.accepted", "id"),
        ["answer-27"],
        "accepted, and first"
    );
    assert!(
        page.text("article.answer.accepted").contains("Départ <b>"),
        "an absent user's post shows the name the dump gave, escaped"
    );
    assert!(!page.body.contains("Départ <b>"), "escaped");
    assert!(page.body.contains("Good <em>point</em>"));
    assert!(page.text(".breadcrumb").contains("French Language Meta"));
    // Each imported post names the licence it came under; a known one links to
    // its terms, another is named as given (escaped), none is named where the
    // dump gave none.
    assert_eq!(
        page.attrs("#question .post-licence a[rel=license]", "href"),
        ["https://creativecommons.org/licenses/by-sa/3.0/"]
    );
    assert_eq!(
        page.text("#question .post-licence"),
        "Licence: CC BY-SA 3.0"
    );
    assert_eq!(
        page.text("#answer-26 .post-licence"),
        "Licence: Some <licence>"
    );
    assert!(!page.body.contains("Some <licence>"), "escaped");
    assert_eq!(page.count("#answer-27 .post-licence"), 0);

    let closed = app.get(&app.get("/questions/20").await.location()).await;
    let banner = closed.text(".banner.closed");
    assert!(banner.contains("Closed as duplicate"), "{banner}");
    assert_eq!(closed.attrs(".banner.closed a", "href"), ["/questions/18"]);

    let profile = app.get(&app.get("/users/67").await.location()).await;
    assert_eq!(profile.status, 200);
    assert!(profile.body.contains("Zoé Asker"));
    assert!(profile.body.contains("1,234") || profile.body.contains("1234"));
    assert!(!profile.body.contains("<script>x()"));
    // The profile fields the dump had: location, and the website as a link that
    // passes no ranking.
    let facts = profile.texts(".profile-facts div");
    assert!(
        facts.contains(&"LocationLyon <France>".to_owned()),
        "{facts:?}"
    );
    assert!(!profile.body.contains("Lyon <France>"), "escaped");
    assert_eq!(
        profile.attrs(".profile-facts a[rel~=nofollow]", "href"),
        Vec::<String>::new(),
        "an address with a quote in it is not linked"
    );

    // The original site's history, newest first, with editors and summaries.
    let history = app.get("/posts/18/revisions").await;
    assert_eq!(history.status, 200);
    assert_eq!(
        history.attrs("li.revision", "id"),
        ["revision-5", "revision-2"]
    );
    let heads = history.texts(".revision-head");
    assert!(
        heads[0].contains("emphasis") && heads[0].contains("user404"),
        "{heads:?}"
    );
    assert!(
        heads[1].contains("Original post") && heads[1].contains("Zoé Asker"),
        "{heads:?}"
    );
    assert!(
        history.body.contains("Translating answers"),
        "the first title"
    );

    // Every award counts; a badge earned three times is listed once, with "×3".
    assert_eq!(profile.text("#badges-heading"), "4 badges");
    let badges = profile.texts(".badge-item");
    assert_eq!(badges.len(), 2, "{badges:?}");
    assert!(
        badges[0].starts_with("Nice Question") && badges[0].ends_with("×3"),
        "{badges:?}"
    );
    assert!(!badges[1].contains('×'), "{badges:?}");
    let title = &profile.attrs(".badge-item", "title")[0];
    assert!(title.contains("Earned 3 times, first "), "{title}");
}
