//! Tag wikis with revisions, renames and merges that leave synonyms, synonyms
//! read when asking, and the moderator-only mark.

use super::*;

fn details(found: Option<TagFound>) -> TagDetails {
    match found {
        Some(TagFound::Tag(details)) => *details,
        other => panic!("expected a tag, got {other:?}"),
    }
}

/// A wiki edit is stored with a revision; the page reads it back.
pub async fn tag_wikis_are_revisioned(store: Arc<dyn Store>) {
    let ([ann, bob], _, _) = Fixture::new(&*store)
        .question("A question about rust", &["rust"], 0)
        .build(["ann", "bob"])
        .await;
    let rust = details(store.find_tag("rust").await.unwrap());
    assert_eq!(rust.tag.question_count, 1);
    assert!(rust.wiki_markdown.is_empty());
    for (editor, text, at_) in [
        (ann.id, "A *language*.", 1),
        (bob.id, "A systems *language*.", 2),
    ] {
        store
            .edit_tag_wiki(TagWikiEdit {
                tag: rust.tag.id,
                editor,
                description: "The Rust language.".into(),
                wiki: PostBody::from_markdown(text),
                at: at(at_),
            })
            .await
            .unwrap();
    }
    let now = details(store.find_tag("rust").await.unwrap());
    assert_eq!(now.wiki_markdown, "A systems *language*.");
    assert!(now.wiki_html.as_str().contains("<em>language</em>"));
    assert_eq!(now.tag.description, "The Rust language.");
    let revisions = store.tag_revisions(rust.tag.id).await.unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[0].editor.id, bob.id);
    assert_eq!(revisions[1].wiki_markdown, "A *language*.");
    assert_eq!(store.find_tag("nope").await.unwrap(), None);
}

/// A rename keeps the old name as a synonym; a merge moves the questions (one
/// tag each), the synonyms and the name; synonyms resolve when asking.
pub async fn tags_are_renamed_merged_and_found_by_synonyms(store: Arc<dyn Store>) {
    let ([ann], category, q1) = Fixture::new(&*store)
        .question("A question tagged rustlang", &["rustlang", "cargo"], 0)
        .build(["ann"])
        .await;
    let q2 = ask(
        &*store,
        ann.id,
        category.id,
        "A question with both tags",
        &["rust-lang", "rustlang"],
        1,
    )
    .await;
    let rustlang = details(store.find_tag("rustlang").await.unwrap()).tag.id;
    store.rename_tag(rustlang, "rust", at(2)).await.unwrap();
    assert_eq!(
        store.find_tag("rustlang").await.unwrap(),
        Some(TagFound::SynonymOf("rust".into()))
    );
    let cargo = details(store.find_tag("cargo").await.unwrap()).tag.id;
    assert!(matches!(
        store.rename_tag(cargo, "rust", at(3)).await,
        Err(StoreError::Conflict { .. })
    ));
    let other = details(store.find_tag("rust-lang").await.unwrap()).tag.id;
    assert!(matches!(
        store.merge_tags(other, other, at(3)).await,
        Err(StoreError::Refused(Refusal::TagMergeIntoItself))
    ));
    let before = feed::changes_when_settled(&*store, 1).await.len();
    assert_eq!(store.merge_tags(other, rustlang, at(4)).await.unwrap(), 1);
    let rust = details(store.find_tag("rust").await.unwrap());
    assert_eq!(rust.tag.question_count, 2, "q2 keeps one rust tag");
    assert_eq!(rust.synonyms, ["rust-lang", "rustlang"]);
    assert_eq!(
        store.find_tag("rust-lang").await.unwrap(),
        Some(TagFound::SynonymOf("rust".into()))
    );
    let docs = store.search_documents(&[q2]).await.unwrap();
    assert_eq!(docs[0].tags, ["rust"]);
    let retagged: Vec<i64> = feed::changes_when_settled(&*store, before + 2)
        .await
        .into_iter()
        .filter(|c| c.kind == "question.retagged")
        .map(|c| c.entity_id)
        .collect();
    assert!(
        retagged.contains(&q1.0) && retagged.contains(&q2.0),
        "{retagged:?}"
    );

    // Synonyms by hand; a tag's own name is not one.
    store.add_tag_synonym("rs", rustlang, at(5)).await.unwrap();
    assert!(matches!(
        store.add_tag_synonym("cargo", rustlang, at(5)).await,
        Err(StoreError::Conflict { .. })
    ));
    assert!(matches!(
        store.add_tag_synonym("rs", cargo, at(5)).await,
        Err(StoreError::Conflict { .. })
    ));
    store.set_tag_moderator_only(cargo, true).await.unwrap();
    let resolved = store
        .resolve_tags(&["rs".into(), "cargo".into(), "brand-new".into()])
        .await
        .unwrap();
    let names: Vec<(&str, bool)> = resolved
        .iter()
        .map(|r| (r.name.as_str(), r.moderator_only))
        .collect();
    assert_eq!(
        names,
        [("rust", false), ("cargo", true), ("brand-new", false)]
    );
    assert!(store.remove_tag_synonym("rs").await.unwrap());
    assert!(!store.remove_tag_synonym("rs").await.unwrap());
    assert_eq!(
        store.resolve_tags(&["rs".into()]).await.unwrap()[0].name,
        "rs"
    );
    // Renamed to a former synonym, the synonym goes.
    store
        .rename_tag(rustlang, "rust-lang", at(6))
        .await
        .unwrap();
    let renamed = details(store.find_tag("rust-lang").await.unwrap());
    assert_eq!(renamed.synonyms, ["rust", "rustlang"]);
}
