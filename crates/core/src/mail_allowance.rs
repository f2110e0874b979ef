//! How often a link (email verification, password reset) may be mailed to one
//! account: a pause after each mail and a cap a day, so that the forms that send
//! them cannot be used to bomb an inbox.

/// Seconds in the window the daily cap counts over.
pub const DAY: i64 = 86_400;

/// The allowance of one kind of mailed link for one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailAllowance {
    /// Seconds after a mail before the next may go.
    pub cooldown_secs: i64,
    /// Most mails in any 24 hours.
    pub per_day: u32,
}

impl Default for MailAllowance {
    fn default() -> Self {
        Self {
            cooldown_secs: 60,
            per_day: 5,
        }
    }
}

/// The mails of one kind an account was sent in the last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MailsSent {
    /// How many.
    pub count: u32,
    /// When the first of them went.
    pub first_at: Option<i64>,
    /// When the last of them went.
    pub last_at: Option<i64>,
}

impl MailAllowance {
    /// Whether another mail may go at `now` after `sent` (the mails of the day
    /// before `now`); if not, the seconds until one may.
    pub fn check(&self, sent: MailsSent, now: i64) -> Result<(), i64> {
        if let Some(last) = sent.last_at {
            let ready = last + self.cooldown_secs;
            if now < ready {
                return Err(ready - now);
            }
        }
        if sent.count >= self.per_day {
            let ready = sent.first_at.map_or(now + DAY, |first| first + DAY);
            return Err((ready - now).max(1));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(count: u32, first_at: i64, last_at: i64) -> MailsSent {
        MailsSent {
            count,
            first_at: Some(first_at),
            last_at: Some(last_at),
        }
    }

    #[test]
    fn a_mail_waits_out_the_pause_after_the_last() {
        let allowance = MailAllowance::default();
        assert_eq!(allowance.check(MailsSent::default(), 1_000), Ok(()));
        assert_eq!(allowance.check(sent(1, 1_000, 1_000), 1_000), Err(60));
        assert_eq!(allowance.check(sent(1, 1_000, 1_000), 1_059), Err(1));
        assert_eq!(allowance.check(sent(1, 1_000, 1_000), 1_060), Ok(()));
    }

    #[test]
    fn the_daily_cap_holds_until_the_first_mail_of_the_day_is_a_day_old() {
        let allowance = MailAllowance {
            cooldown_secs: 10,
            per_day: 3,
        };
        assert_eq!(allowance.check(sent(2, 0, 100), 200), Ok(()));
        assert_eq!(allowance.check(sent(3, 0, 100), 200), Err(DAY - 200));
        assert_eq!(allowance.check(sent(3, 0, 100), DAY - 1), Err(1));
        // A cap of none refuses every mail.
        let none = MailAllowance {
            cooldown_secs: 0,
            per_day: 0,
        };
        assert_eq!(none.check(MailsSent::default(), 5), Err(DAY));
    }
}
