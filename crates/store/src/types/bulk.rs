//! Bulk loads and exports (an import's batches), and stored texts rendered again.

use super::*;
use ponder_core::time::Timestamp;
use ponder_core::{CategoryId, CommentId, PostId, UserId};

/// A kind of text the store keeps as Markdown with its rendered HTML, for
/// rendering all of them again when the renderer changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderedText {
    /// Question and answer bodies (full Markdown).
    PostBody,
    /// Comments (inline Markdown).
    Comment,
    /// Users' "about me" texts (full Markdown).
    About,
}

impl RenderedText {
    /// Every kind, in the order a re-render goes through them.
    pub const ALL: [Self; 3] = [Self::PostBody, Self::Comment, Self::About];

    /// What it is called in messages, plural.
    pub fn label(self) -> &'static str {
        match self {
            Self::PostBody => "post bodies",
            Self::Comment => "comments",
            Self::About => "about-me texts",
        }
    }
}

/// One stored text and the HTML stored for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredText {
    /// The id of its post, comment or user.
    pub id: i64,
    /// The Markdown as written.
    pub markdown: String,
    /// The HTML stored for it.
    pub html: String,
}

/// A user to load in bulk, with its id.
#[derive(Debug, Clone)]
pub struct BulkUser {
    /// The id to keep.
    pub id: UserId,
    /// Unique handle.
    pub handle: String,
    /// Name shown.
    pub display_name: String,
    /// Reputation as given.
    pub reputation: i64,
    /// "About me".
    pub about: PostBody,
    /// When the account was made.
    pub created_at: Timestamp,
    /// When the user was last seen.
    pub last_seen_at: Option<Timestamp>,
    /// Set for a deleted account (or a placeholder for one).
    pub deleted_at: Option<Timestamp>,
    /// What a dump says of the account beyond the site's own fields.
    pub profile: Option<ImportedProfile>,
    /// The milliseconds of its imported times, packed as the importer packs
    /// them (`None` for the site's own and where all are zero).
    pub time_millis: Option<i64>,
}

/// Profile fields a dump has beyond the account's core: location and website
/// (kept on the account, which its owner edits), and what only a dump has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportedProfile {
    /// Where the member said they are.
    pub location: Option<String>,
    /// Their website, as given.
    pub website_url: Option<String>,
    /// Profile views on the original site.
    pub views: Option<i64>,
    /// Up votes they cast there.
    pub up_votes: Option<i64>,
    /// Down votes they cast there.
    pub down_votes: Option<i64>,
    /// Their picture's address there (not shown: pages show the site's own images).
    pub profile_image: Option<String>,
    /// Their network-wide account id there.
    pub account_id: Option<i64>,
}

/// A post to load in bulk, with its id and counters as given.
#[derive(Debug, Clone)]
pub struct BulkPost {
    /// The id to keep.
    pub id: PostId,
    /// Question or answer.
    pub kind: PostKind,
    /// The question, for an answer.
    pub parent_id: Option<PostId>,
    /// The category, for a question.
    pub category_id: Option<CategoryId>,
    /// Its author.
    pub author_id: UserId,
    /// The title (questions).
    pub title: String,
    /// The body.
    pub body: PostBody,
    /// Tags (questions).
    pub tags: Vec<String>,
    /// Score.
    pub score: i64,
    /// Answers (questions).
    pub answer_count: i64,
    /// Comments.
    pub comment_count: i64,
    /// Views (questions).
    pub view_count: i64,
    /// The accepted answer (questions).
    pub accepted_answer_id: Option<PostId>,
    /// When it was posted.
    pub created_at: Timestamp,
    /// When it last changed.
    pub last_activity_at: Timestamp,
    /// When it was last edited.
    pub edited_at: Option<Timestamp>,
    /// When it was deleted.
    pub deleted_at: Option<Timestamp>,
    /// When it was closed (questions).
    pub closed_at: Option<Timestamp>,
    /// Why it was closed.
    pub close_reason: String,
    /// The question it duplicates (closed questions; read back by exports, loaded
    /// through [`BulkBatch::duplicates`]).
    pub duplicate_of: Option<PostId>,
    /// The author's name as the dump gives it, when the dump does not have the
    /// account (shown instead of the placeholder's name).
    pub owner_name: Option<String>,
    /// The licence it came under on the site it was imported from.
    pub licence: Option<String>,
    /// How many had it among their favourites on the original site.
    pub favorite_count: Option<i64>,
    /// When it became community-owned there.
    pub community_owned_at: Option<Timestamp>,
    /// The milliseconds of its imported times, packed as the importer packs
    /// them (`None` for the site's own and where all are zero).
    pub time_millis: Option<i64>,
}

/// A comment to load in bulk, with its id.
#[derive(Debug, Clone)]
pub struct BulkComment {
    /// The id to keep.
    pub id: CommentId,
    /// The post it is under.
    pub post_id: PostId,
    /// Its author.
    pub author_id: UserId,
    /// The text.
    pub body: PostBody,
    /// Upvotes.
    pub score: i64,
    /// When.
    pub created_at: Timestamp,
    /// When it was deleted.
    pub deleted_at: Option<Timestamp>,
    /// The author's name as the dump gives it, when the dump does not have the
    /// account.
    pub owner_name: Option<String>,
    /// The licence it came under on the site it was imported from.
    pub licence: Option<String>,
    /// The milliseconds of its imported times, packed as the importer packs
    /// them (`None` for the site's own and where all are zero).
    pub time_millis: Option<i64>,
}

/// A tag to load in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkTag {
    /// The id to keep.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its short description.
    pub description: String,
    /// Questions carrying it (read back by exports; loading counts them itself).
    pub question_count: i64,
    /// Its wiki (read back by exports; loading sets wikis from `tag_wikis`).
    pub wiki: PostBody,
    /// Whether only moderators may put it on questions.
    pub moderator_only: bool,
}

/// A badge to load in bulk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkBadge {
    /// The id to keep.
    pub id: i64,
    /// Who earned it.
    pub user_id: UserId,
    /// Its name.
    pub name: String,
    /// "bronze", "silver" or "gold".
    pub class: String,
    /// The post that earned it, if one did.
    pub post_id: Option<PostId>,
    /// When.
    pub awarded_at: Timestamp,
    /// Whether it was earned in a tag (imported badges; the site has none).
    pub tag_based: bool,
    /// The milliseconds of its imported times, packed as the importer packs
    /// them (`None` for the site's own and where all are zero).
    pub time_millis: Option<i64>,
}

/// A vote as a dump has it: an imported one (which names no voter, except for
/// favourites and bounties) or, read back by exports, one of the site's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkVote {
    /// Its id.
    pub id: i64,
    /// The post voted on.
    pub post_id: PostId,
    /// The dump's vote type: 2 up, 3 down, 1 accepted answer, 5 favourite, 8 and 9
    /// bounty started and awarded, and so on.
    pub vote_type: i64,
    /// Who voted, where the dump names them.
    pub user_id: Option<UserId>,
    /// The bounty's amount (bounty votes).
    pub bounty: Option<i64>,
    /// When (dumps keep the day).
    pub created_at: Timestamp,
}

/// A vote on a post by a member the source names (another platform's database
/// keeps its voters, unlike a dump): loaded as the member's own vote, so that
/// they see it and can change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkCastVote {
    /// The post voted on.
    pub post_id: PostId,
    /// Who voted.
    pub user_id: UserId,
    /// 1 up, -1 down.
    pub value: i64,
    /// When.
    pub created_at: Timestamp,
}

/// An upvote on a comment by a member the source names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkCommentVote {
    /// The comment voted on.
    pub comment_id: CommentId,
    /// Who voted.
    pub user_id: UserId,
    /// When.
    pub created_at: Timestamp,
}

/// A revision of an imported post, from the dump's history: what the revision set
/// (a dump records a title, body or tags change as rows of its own, grouped by
/// revision); the store takes the rest from the post's revision before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRevision {
    /// The id to keep (the dump's first history row of the revision).
    pub id: i64,
    /// The post revised.
    pub post_id: PostId,
    /// Who made it.
    pub editor_id: UserId,
    /// The editor's name as the dump gives it, when the dump does not have the
    /// account (shown instead of the placeholder's name).
    pub editor_name: Option<String>,
    /// The title it set (questions).
    pub title: Option<String>,
    /// The Markdown source it set.
    pub body: Option<String>,
    /// The tags it set (questions).
    pub tags: Option<Vec<String>>,
    /// The editor's summary.
    pub summary: String,
    /// When.
    pub created_at: Timestamp,
    /// The dump's RevisionGUID, if it had one.
    pub guid: Option<String>,
    /// Whether it rolled the post back to an earlier revision.
    pub rollback: bool,
    /// Whether it came from a dump: its fields are then the rows the dump had
    /// (read back by exports; the site's own revisions have every field set).
    pub imported: bool,
    /// The ids of the dump's rows that set its title, body and tags, in that
    /// order, when it came from a dump and they were kept.
    pub row_ids: [Option<i64>; 3],
    /// The licence it came under on the site it was imported from.
    pub licence: Option<String>,
    /// The milliseconds of its imported times, packed as the importer packs
    /// them (`None` for the site's own and where all are zero).
    pub time_millis: Option<i64>,
}

/// The ids an export of history rows must stay clear of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RevisionIds {
    /// The largest revision id (0 when there is none).
    pub largest: i64,
    /// The largest id of an imported revision (0 when there is none): the site's
    /// own revisions have larger ids, so a kept dump row id up to it is no
    /// other row's.
    pub largest_imported: i64,
    /// How many posts have no revision (loaded without their history).
    pub posts_without_history: i64,
}

/// The dump's vote type of an up vote.
pub const UP_VOTE_TYPE: i64 = 2;
/// The dump's vote type of a down vote.
pub const DOWN_VOTE_TYPE: i64 = 3;

/// Rows to load in one transaction, in this order: users, tags, posts, comments,
/// badges, votes, members' votes, revisions, then the updates. Rows whose id is already taken are left as they are, so
/// loading a batch twice changes nothing.
#[derive(Debug, Clone, Default)]
pub struct BulkBatch {
    /// Users.
    pub users: Vec<BulkUser>,
    /// Tags.
    pub tags: Vec<BulkTag>,
    /// Posts, each question before its answers.
    pub posts: Vec<BulkPost>,
    /// Comments.
    pub comments: Vec<BulkComment>,
    /// Badges.
    pub badges: Vec<BulkBadge>,
    /// Imported votes.
    pub votes: Vec<BulkVote>,
    /// Votes on posts by named members (a member's second vote on a post is
    /// skipped).
    pub cast_votes: Vec<BulkCastVote>,
    /// Upvotes on comments by named members (a second one is skipped).
    pub comment_votes: Vec<BulkCommentVote>,
    /// Revisions of posts loaded in this batch or earlier, oldest first.
    pub revisions: Vec<BulkRevision>,
    /// Markdown sources for posts loaded earlier (their HTML stays as loaded).
    pub sources: Vec<(PostId, String)>,
    /// Why questions loaded earlier as closed were closed.
    pub close_reasons: Vec<(PostId, String)>,
    /// Tag descriptions by tag name.
    pub tag_descriptions: Vec<(String, String)>,
    /// Tag wikis by tag name.
    pub tag_wikis: Vec<(String, PostBody)>,
    /// Accepted answers: (question, answer); ignored unless the answer is the
    /// question's.
    pub accepted: Vec<(PostId, PostId)>,
    /// Duplicates: (question, original); ignored unless both are questions.
    pub duplicates: Vec<(PostId, PostId)>,
    /// Linked questions: (post, the question it links to); ignored unless the
    /// second is a question.
    pub linked: Vec<(PostId, PostId)>,
}

/// What a bulk load wrote: rows new to the site, and updates that found their row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkLoaded {
    /// Users added.
    pub users: u64,
    /// Tags added.
    pub tags: u64,
    /// Posts added.
    pub posts: u64,
    /// Comments added.
    pub comments: u64,
    /// Badges added.
    pub badges: u64,
    /// Imported votes added.
    pub votes: u64,
    /// Members' votes on posts added.
    pub cast_votes: u64,
    /// Members' votes on comments added.
    pub comment_votes: u64,
    /// Revisions added.
    pub revisions: u64,
    /// Markdown sources set.
    pub sources: u64,
    /// Close reasons set.
    pub close_reasons: u64,
    /// Tag descriptions set.
    pub tag_descriptions: u64,
    /// Tag wikis set.
    pub tag_wikis: u64,
    /// Accepted answers set.
    pub accepted: u64,
    /// Duplicate links set.
    pub duplicates: u64,
    /// Question links added.
    pub linked: u64,
}

/// A record of an import into this site, by source name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRun {
    /// What was imported (the dump's folder name).
    pub source: String,
    /// When the first run started.
    pub started_at: Timestamp,
    /// When a run last finished, if one did.
    pub finished_at: Option<Timestamp>,
}
