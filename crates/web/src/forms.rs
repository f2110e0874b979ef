//! Form state for re-rendering: what the user typed in each field and the message
//! beside it. A refused form comes back with its values, never emptied (passwords
//! excepted: they are never written back into a page).

/// Values and messages by field name.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: Vec<(&'static str, String)>,
    errors: Vec<(&'static str, String)>,
    /// A message about the whole form (a wrong password, say).
    pub general: Option<String>,
    /// A message that something worked.
    pub success: Option<String>,
}

impl FormState {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a field's value; a control character the rule refuses shows as U+FFFD
    /// (the page cannot carry it, and the message beside the field says which).
    pub fn set(&mut self, field: &'static str, value: impl Into<String>) {
        let mut value = value.into();
        if let std::borrow::Cow::Owned(shown) =
            ponder_core::input::shown_safely(&value, ponder_core::input::Lines::Many)
        {
            value = shown;
        }
        match self.values.iter_mut().find(|(f, _)| *f == field) {
            Some(slot) => slot.1 = value,
            None => self.values.push((field, value)),
        }
    }

    /// The same form with a field's value set.
    pub fn with(mut self, field: &'static str, value: impl Into<String>) -> Self {
        self.set(field, value);
        self
    }

    /// Adds a message beside a field (the first one stays).
    pub fn error(&mut self, field: &'static str, message: impl Into<String>) {
        if self.error_for(field).is_none() {
            self.errors.push((field, message.into()));
        }
    }

    /// A field's value, or empty.
    pub fn value(&self, field: &str) -> &str {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether a value was set for the field (typed, even empty, or filled in).
    pub fn has(&self, field: &str) -> bool {
        self.values.iter().any(|(f, _)| *f == field)
    }

    /// The message beside a field, if any.
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether any field, or the form, has a message.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.general.is_some()
    }
}

/// Percent-encodes a value for a URL query string.
pub fn query_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_errors() {
        let mut form = FormState::new().with("handle", "ann");
        form.set("handle", "bob");
        form.error("handle", "taken");
        form.error("handle", "second message is dropped");
        assert_eq!(form.value("handle"), "bob");
        assert_eq!(form.value("email"), "");
        assert_eq!(form.error_for("handle"), Some("taken"));
        assert!(form.has_errors());
        form.set("about", "a\0b\u{1b}c\nd");
        assert_eq!(form.value("about"), "a\u{fffd}b\u{fffd}c\nd");
    }

    #[test]
    fn query_encoding() {
        assert_eq!(
            query_encode("/questions/1/x#answer-2"),
            "/questions/1/x%23answer-2"
        );
        assert_eq!(query_encode("a b&c"), "a%20b%26c");
    }
}
