//! The attributes each dump file has had since 2009, whether the import keeps them
//! or not: any other is unknown, ignored and counted in the summary (a newer dump
//! may add one; the import should say so rather than fail or stay silent).

/// The attributes `file` has had, or `None` for a file the import does not read.
fn known(file: &str) -> Option<&'static [&'static str]> {
    Some(match file {
        "Users.xml" => &[
            "Id",
            "Reputation",
            "CreationDate",
            "DisplayName",
            "EmailHash",
            "LastAccessDate",
            "WebsiteUrl",
            "Location",
            "Age",
            "AboutMe",
            "Views",
            "UpVotes",
            "DownVotes",
            "ProfileImageUrl",
            "AccountId",
        ],
        "Posts.xml" => &[
            "Id",
            "PostTypeId",
            "AcceptedAnswerId",
            "ParentId",
            "CreationDate",
            "DeletionDate",
            "Score",
            "ViewCount",
            "Body",
            "OwnerUserId",
            "OwnerDisplayName",
            "LastEditorUserId",
            "LastEditorDisplayName",
            "LastEditDate",
            "LastActivityDate",
            "Title",
            "Tags",
            "AnswerCount",
            "CommentCount",
            "FavoriteCount",
            "ClosedDate",
            "CommunityOwnedDate",
            "ContentLicense",
        ],
        "PostHistory.xml" => &[
            "Id",
            "PostHistoryTypeId",
            "PostId",
            "RevisionGUID",
            "CreationDate",
            "UserId",
            "UserDisplayName",
            "Comment",
            "Text",
            "CloseReasonId",
            "ContentLicense",
        ],
        "Comments.xml" => &[
            "Id",
            "PostId",
            "Score",
            "Text",
            "CreationDate",
            "DeletionDate",
            "UserDisplayName",
            "UserId",
            "ContentLicense",
        ],
        "Votes.xml" => &[
            "Id",
            "PostId",
            "VoteTypeId",
            "UserId",
            "CreationDate",
            "BountyAmount",
        ],
        "PostLinks.xml" => &[
            "Id",
            "CreationDate",
            "PostId",
            "RelatedPostId",
            "LinkTypeId",
        ],
        "Badges.xml" => &["Id", "UserId", "Name", "Date", "Class", "TagBased"],
        "Tags.xml" => &[
            "Id",
            "TagName",
            "Count",
            "ExcerptPostId",
            "WikiPostId",
            "IsModeratorOnly",
            "IsRequired",
        ],
        _ => return None,
    })
}

/// The attributes of `names` that `file` has never had.
pub(crate) fn unknown<'n>(
    file: &str,
    names: impl Iterator<Item = &'n str>,
) -> impl Iterator<Item = &'n str> {
    let known = known(file).unwrap_or(&[]);
    names.filter(move |name| !known.contains(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_attributes_a_file_never_had_are_unknown() {
        let names = ["Id", "ContentLicense", "FutureThing", "Title"];
        assert_eq!(
            unknown("Posts.xml", names.into_iter()).collect::<Vec<_>>(),
            ["FutureThing"]
        );
        assert_eq!(
            unknown("Votes.xml", names.into_iter()).collect::<Vec<_>>(),
            ["ContentLicense", "FutureThing", "Title"]
        );
        for file in crate::import::ORDER {
            assert!(known(file).is_some_and(|k| k.contains(&"Id")), "{file}");
        }
    }
}
