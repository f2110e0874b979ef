//! Dates as the dumps write them: `2011-08-17T20:18:56.507`, UTC, milliseconds;
//! and [`Millis`], the milliseconds of one row's times, kept beside the row.

use ponder_core::time::{DateTime, Timestamp};

/// Where each time of a row keeps its milliseconds in [`Millis`], by kind of row.
pub(crate) mod slot {
    /// Every row's first: CreationDate (Date for badges).
    pub(crate) const CREATED: u32 = 0;
    /// A post's LastActivityDate.
    pub(crate) const POST_ACTIVITY: u32 = 1;
    /// A post's LastEditDate.
    pub(crate) const POST_EDITED: u32 = 2;
    /// A post's ClosedDate.
    pub(crate) const POST_CLOSED: u32 = 3;
    /// A post's CommunityOwnedDate.
    pub(crate) const POST_COMMUNITY_OWNED: u32 = 4;
    /// A post's DeletionDate.
    pub(crate) const POST_DELETED: u32 = 5;
    /// A user's LastAccessDate.
    pub(crate) const USER_LAST_ACCESS: u32 = 1;
    /// A comment's DeletionDate.
    pub(crate) const COMMENT_DELETED: u32 = 1;
}

/// Bits each time's milliseconds take (0 to 999 fit in ten).
const BITS: u32 = 10;
/// Times one number holds: six, sixty bits of an `i64`.
const SLOTS: u32 = 6;

/// The milliseconds of one row's times. The site keeps whole seconds; an
/// imported row keeps its times' fractions in one number (ten bits a time, in
/// the [`slot`] order of its kind), which exports read back.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Millis(i64);

impl Millis {
    /// The fractions a store kept (`None`: all zero).
    pub(crate) fn from_stored(stored: Option<i64>) -> Self {
        Self(stored.unwrap_or(0))
    }

    /// What a store keeps: `None` when every fraction is zero, as for the site's
    /// own rows.
    pub(crate) fn stored(self) -> Option<i64> {
        (self.0 != 0).then_some(self.0)
    }

    /// Sets the milliseconds of the time in `slot` (at most 999 and slot 5 are
    /// taken; more is ignored).
    pub(crate) fn set(&mut self, slot: u32, millis: u16) {
        if slot >= SLOTS || millis > 999 {
            return;
        }
        let shift = slot * BITS;
        self.0 = (self.0 & !(0x3ff << shift)) | (i64::from(millis) << shift);
    }

    /// The milliseconds of the time in `slot`.
    pub(crate) fn get(self, slot: u32) -> u16 {
        if slot >= SLOTS {
            return 0;
        }
        let value = (self.0 >> (slot * BITS)) & 0x3ff;
        // A stored number from elsewhere may hold more than 999 in a slot.
        u16::try_from(value).map_or(0, |v| if v > 999 { 0 } else { v })
    }
}

/// Parses a dump date to whole seconds and its milliseconds (the first three
/// digits of the fraction; `.5` is 500); `None` as [`parse`] says.
pub(crate) fn parse_precise(raw: &str) -> Option<(Timestamp, u16)> {
    let seconds = parse(raw)?;
    let trimmed = raw.trim().trim_end_matches('Z');
    let fraction = trimmed
        .split_once('T')
        .and_then(|(_, time)| time.split_once('.'))
        .map_or("", |(_, fraction)| fraction);
    let mut millis = 0u16;
    let mut digits = 0;
    for c in fraction.chars().take(3) {
        let Some(digit) = c.to_digit(10) else { break };
        millis = millis * 10 + digit as u16;
        digits += 1;
    }
    for _ in digits..3 {
        millis *= 10;
    }
    Some((seconds, if digits == 0 { 0 } else { millis }))
}

/// Writes a timestamp with its milliseconds, the way the dumps do.
pub(crate) fn format_precise(ts: Timestamp, millis: u16) -> String {
    let d = DateTime::from_timestamp(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}",
        d.year,
        d.month,
        d.day,
        d.hour,
        d.minute,
        d.second,
        millis.min(999)
    )
}

/// Parses a dump date to whole seconds (the milliseconds are dropped, as Ponder
/// stores seconds); `None` when it is not a date in that form.
pub(crate) fn parse(raw: &str) -> Option<Timestamp> {
    let raw = raw.trim().trim_end_matches('Z');
    let (date, time) = raw.split_once('T').unwrap_or((raw, "00:00:00"));
    let time = time.split_once('.').map_or(time, |(whole, _)| whole);
    let mut d = date.splitn(3, '-');
    let mut t = time.splitn(3, ':');
    let field = |it: &mut std::str::SplitN<'_, char>| it.next()?.parse::<u32>().ok();
    let year = d.next()?.parse::<i64>().ok()?;
    let (month, day) = (field(&mut d)?, field(&mut d)?);
    let (hour, minute, second) = (field(&mut t)?, field(&mut t)?, field(&mut t)?);
    DateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
    }
    .to_timestamp()
}

/// Writes a timestamp the way the dumps do, in whole seconds.
pub(crate) fn format(ts: Timestamp) -> String {
    format_precise(ts, 0)
}

/// The day of a timestamp, at midnight: votes in the dumps carry only their day.
pub(crate) fn format_day(ts: Timestamp) -> String {
    format(ts - ts.rem_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_dates_round_trip_to_the_second() {
        let ts = parse("2011-08-17T20:18:56.507").unwrap();
        assert_eq!(format(ts), "2011-08-17T20:18:56.000");
        assert_eq!(parse("2011-08-17T20:18:56"), Some(ts));
        assert_eq!(parse("2011-08-17T20:18:56Z"), Some(ts));
        assert_eq!(format_day(ts), "2011-08-17T00:00:00.000");
        assert_eq!(parse("2011-08-17"), parse("2011-08-17T00:00:00.000"));
    }

    #[test]
    fn milliseconds_are_read_and_written() {
        let ts = parse("2011-08-17T20:18:56").unwrap();
        assert_eq!(parse_precise("2011-08-17T20:18:56.507"), Some((ts, 507)));
        assert_eq!(parse_precise("2011-08-17T20:18:56.5"), Some((ts, 500)));
        assert_eq!(parse_precise("2011-08-17T20:18:56.05Z"), Some((ts, 50)));
        assert_eq!(parse_precise("2011-08-17T20:18:56.0079"), Some((ts, 7)));
        assert_eq!(parse_precise("2011-08-17T20:18:56"), Some((ts, 0)));
        assert_eq!(parse_precise("2011-08-17"), Some((ts - 73_136, 0)));
        assert_eq!(parse_precise("2011-08-17T20:18:56.x"), Some((ts, 0)));
        assert_eq!(parse_precise("2011-13-17T20:18:56.507"), None);
        assert_eq!(format_precise(ts, 7), "2011-08-17T20:18:56.007");
        assert_eq!(format_precise(ts, 507), "2011-08-17T20:18:56.507");
        assert_eq!(format_precise(ts, 1500), "2011-08-17T20:18:56.999");
    }

    #[test]
    fn a_rows_milliseconds_share_one_number() {
        let mut m = Millis::default();
        assert_eq!(m.stored(), None);
        m.set(slot::CREATED, 507);
        m.set(slot::POST_DELETED, 999);
        m.set(slot::POST_EDITED, 1);
        assert_eq!(m.get(slot::CREATED), 507);
        assert_eq!(m.get(slot::POST_ACTIVITY), 0);
        assert_eq!(m.get(slot::POST_EDITED), 1);
        assert_eq!(m.get(slot::POST_DELETED), 999);
        let back = Millis::from_stored(m.stored());
        assert_eq!(back, m);
        // Setting again replaces; out of range is ignored.
        m.set(slot::CREATED, 3);
        m.set(slot::CREATED, 1000);
        m.set(6, 5);
        assert_eq!(m.get(slot::CREATED), 3);
        assert_eq!(m.get(6), 0);
        m.set(slot::CREATED, 0);
        m.set(slot::POST_EDITED, 0);
        m.set(slot::POST_DELETED, 0);
        assert_eq!(m.stored(), None);
        // A slot holding more than 999 (not written by us) reads as 0.
        assert_eq!(Millis::from_stored(Some(0x3ff)).get(slot::CREATED), 0);
        assert_eq!(Millis::from_stored(Some(-1)).get(slot::POST_EDITED), 0);
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in [
            "",
            "yesterday",
            "2011-13-01T00:00:00",
            "2011-02-30T00:00:00",
            "2011-08-17T25:00:00",
            "2011-08",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
