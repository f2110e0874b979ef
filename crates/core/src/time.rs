//! Timestamps. Ponder stores every time as whole seconds since the Unix epoch in
//! UTC; this module turns them into calendar dates without a time-zone database.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, UTC.
pub type Timestamp = i64;

/// The current time as a [`Timestamp`].
pub fn now() -> Timestamp {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// How long to wait before the next try after `attempts` failures (from 0):
/// `first` seconds, twice as long after each further failure, at most `longest`.
pub fn backoff(first: i64, attempts: i64, longest: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    first.max(1).saturating_mul(1_i64 << doublings).min(longest)
}

/// A calendar date and time of day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// Year, e.g. 2026.
    pub year: i64,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
    /// Hour, 0 to 23.
    pub hour: u32,
    /// Minute, 0 to 59.
    pub minute: u32,
    /// Second, 0 to 59.
    pub second: u32,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl DateTime {
    /// The calendar form of a timestamp (proleptic Gregorian, UTC).
    pub fn from_timestamp(ts: Timestamp) -> Self {
        let days = ts.div_euclid(86_400);
        let secs = ts.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs % 3600 / 60) as u32,
            second: (secs % 60) as u32,
        }
    }

    /// RFC 3339 form, as `<time datetime>` and feeds want: `2026-11-26T23:07:52Z`.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// A short human form: `Nov 26, 2026 at 23:07`.
    pub fn human(&self) -> String {
        let month = MONTHS[(self.month as usize).saturating_sub(1).min(11)];
        format!(
            "{month} {}, {} at {:02}:{:02}",
            self.day, self.year, self.hour, self.minute
        )
    }

    /// A short date: `Nov 26, 2026`.
    pub fn date(&self) -> String {
        let month = MONTHS[(self.month as usize).saturating_sub(1).min(11)];
        format!("{month} {}, {}", self.day, self.year)
    }
}

impl DateTime {
    /// The timestamp of this calendar time; `None` when a field is out of range.
    pub fn to_timestamp(&self) -> Option<Timestamp> {
        let valid = (1..=12).contains(&self.month)
            && (1..=days_in_month(self.year, self.month)).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60;
        valid.then(|| {
            days_from_civil(self.year, self.month, self.day) * 86_400
                + i64::from(self.hour * 3600 + self.minute * 60 + self.second)
        })
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 from year, month and day (the inverse of `civil_from_days`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = i64::from(if month > 2 { month - 3 } else { month + 9 });
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month and day from days since 1970-01-01 (Howard Hinnant's civil algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_longest_wait() {
        assert_eq!(backoff(60, 0, 3600), 60);
        assert_eq!(backoff(60, 1, 3600), 120);
        assert_eq!(backoff(60, 3, 3600), 480);
        assert_eq!(backoff(60, 10, 3600), 3600);
        assert_eq!(backoff(60, 500, 3600), 3600);
        assert_eq!(backoff(0, 0, 3600), 1);
        assert_eq!(backoff(60, -3, 3600), 60);
    }

    #[test]
    fn known_dates() {
        assert_eq!(
            DateTime::from_timestamp(0).rfc3339(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            DateTime::from_timestamp(1_795_734_472).rfc3339(),
            "2026-11-26T23:07:52Z"
        );
        assert_eq!(
            DateTime::from_timestamp(951_782_400).rfc3339(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            DateTime::from_timestamp(-1).rfc3339(),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(
            DateTime::from_timestamp(1_795_734_472).human(),
            "Nov 26, 2026 at 23:07"
        );
    }

    #[test]
    fn calendar_times_round_trip() {
        for ts in [
            0,
            -1,
            951_782_400,
            1_795_734_472,
            1_313_612_336,
            -86_400 * 800,
        ] {
            assert_eq!(DateTime::from_timestamp(ts).to_timestamp(), Some(ts));
        }
        let bad = DateTime {
            year: 2023,
            month: 2,
            day: 29,
            hour: 0,
            minute: 0,
            second: 0,
        };
        assert_eq!(bad.to_timestamp(), None);
        assert_eq!(DateTime { month: 13, ..bad }.to_timestamp(), None);
        assert_eq!(
            DateTime { year: 2024, ..bad }.to_timestamp(),
            Some(1_709_164_800)
        );
    }
}
