//! Dates as the dumps write them: `2011-08-17T20:18:56.507`, UTC, milliseconds.

use ponder_core::time::{DateTime, Timestamp};

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

/// Writes a timestamp the way the dumps do.
pub(crate) fn format(ts: Timestamp) -> String {
    let d = DateTime::from_timestamp(ts);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000",
        d.year, d.month, d.day, d.hour, d.minute, d.second
    )
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
