//! Slowing down password guessing. Every attempt for one subject (a username or client id,
//! whether it exists or not) is counted before the password is checked, and a success
//! clears the count. Within a window, attempts beyond the limit are refused for a while,
//! even with the right password. Counting before checking means parallel guesses cannot
//! slip past the limit while earlier ones are still being verified.

use chrono::{Duration, NaiveDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Attempts allowed in a window without a success.
    pub max_attempts: i32,
    pub window: Duration,
    pub block: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            window: Duration::minutes(15),
            block: Duration::minutes(15),
        }
    }
}

/// The attempts recorded for one subject since its last success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptState {
    pub attempts: i32,
    pub window_started_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Go on and check the password.
    Allowed,
    /// Refuse until then, whatever the password.
    Blocked(NaiveDateTime),
}

impl ThrottlePolicy {
    /// Counts one attempt at `now`: the state to store, and whether the attempt may go on.
    /// Records whose window started before this instant are spent: [`Self::admit`] treats
    /// them as no record at all (a block ends at the latest `block` after its window's end),
    /// so they can be forgotten.
    pub fn spent_before(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - self.window - self.block
    }

    pub fn admit(
        &self,
        previous: Option<AttemptState>,
        now: NaiveDateTime,
    ) -> (AttemptState, Admission) {
        if let Some(p) = previous {
            if let Some(until) = p.blocked_until.filter(|until| now < *until) {
                return (p, Admission::Blocked(until));
            }
        }
        let (attempts, window_started_at) = match previous {
            Some(p) if p.blocked_until.is_none() && now < p.window_started_at + self.window => {
                (p.attempts + 1, p.window_started_at)
            }
            _ => (1, now),
        };
        if attempts > self.max_attempts {
            let until = now + self.block;
            let state = AttemptState {
                attempts,
                window_started_at,
                blocked_until: Some(until),
            };
            return (state, Admission::Blocked(until));
        }
        let state = AttemptState {
            attempts,
            window_started_at,
            blocked_until: None,
        };
        (state, Admission::Allowed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(8, minute, 0)
            .unwrap()
    }

    #[test]
    fn the_sixth_attempt_in_the_window_is_refused_for_fifteen_minutes() {
        let policy = ThrottlePolicy::default();
        let mut state = None;
        for minute in 0..5 {
            let (next, admission) = policy.admit(state, at(minute));
            assert_eq!(admission, Admission::Allowed, "attempt {}", minute + 1);
            state = Some(next);
        }
        let (blocked, admission) = policy.admit(state, at(5));
        assert_eq!(admission, Admission::Blocked(at(20)));
        assert_eq!(
            policy.admit(Some(blocked), at(19)).1,
            Admission::Blocked(at(20))
        );
        let (fresh, admission) = policy.admit(Some(blocked), at(20));
        assert_eq!(
            (admission, fresh.attempts),
            (Admission::Allowed, 1),
            "a new window after the block"
        );
    }

    #[test]
    fn a_spent_record_counts_as_none() {
        let policy = ThrottlePolicy::default();
        let mut state = None;
        for minute in 0..6 {
            state = Some(policy.admit(state, at(minute)).0);
        }
        let blocked = state.unwrap();
        assert!(blocked.blocked_until.is_some());
        let now = at(30) + Duration::seconds(1);
        assert!(blocked.window_started_at < policy.spent_before(now));
        assert_eq!(policy.admit(Some(blocked), now), policy.admit(None, now));

        // Blocked in the window's last minute, a record counts until near the bound.
        let mut late = None;
        for minute in [0, 1, 2, 3, 14, 14] {
            late = Some(policy.admit(late, at(minute)).0);
        }
        let late = late.unwrap();
        assert_eq!(late.blocked_until, Some(at(29)));
        assert!(late.window_started_at >= policy.spent_before(at(28)));
        assert_eq!(
            policy.admit(Some(late), at(28)).1,
            Admission::Blocked(at(29))
        );
    }

    #[test]
    fn attempts_outside_the_window_start_a_new_count() {
        let policy = ThrottlePolicy::default();
        let mut state = None;
        for minute in [0, 1, 2, 3, 4] {
            state = Some(policy.admit(state, at(minute)).0);
        }
        let (next, admission) = policy.admit(state, at(16));
        assert_eq!((next.attempts, admission), (1, Admission::Allowed));
    }
}
