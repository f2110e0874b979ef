//! Editing, rolling back, deleting and undeleting.
