//! Votes on posts and comments, and accepting an answer.
