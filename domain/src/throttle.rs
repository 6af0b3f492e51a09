//! Slowing down password guessing: after too many failed logins for one subject (a username
//! or client id, whether it exists or not) within a window, further attempts are refused
//! for a while, even with the right password.

use chrono::{Duration, NaiveDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub max_failures: i32,
    pub window: Duration,
    pub block: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            window: Duration::minutes(15),
            block: Duration::minutes(15),
        }
    }
}

/// The failures recorded for one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureState {
    pub failures: i32,
    pub window_started_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
}

impl ThrottlePolicy {
    /// The state after one more failure at `now`.
    pub fn after_failure(
        &self,
        previous: Option<FailureState>,
        now: NaiveDateTime,
    ) -> FailureState {
        let (failures, window_started_at) = match previous {
            Some(p) if now < p.window_started_at + self.window => {
                (p.failures + 1, p.window_started_at)
            }
            _ => (1, now),
        };
        let blocked_until = (failures >= self.max_failures).then(|| now + self.block);
        FailureState {
            failures,
            window_started_at,
            blocked_until,
        }
    }

    /// Until when attempts are refused, if they are at `now`.
    pub fn blocked_at(
        &self,
        state: Option<FailureState>,
        now: NaiveDateTime,
    ) -> Option<NaiveDateTime> {
        state
            .and_then(|s| s.blocked_until)
            .filter(|until| now < *until)
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
    fn the_fifth_failure_in_the_window_blocks() {
        let policy = ThrottlePolicy::default();
        let mut state = None;
        for minute in 0..4 {
            state = Some(policy.after_failure(state, at(minute)));
            assert_eq!(policy.blocked_at(state, at(minute)), None);
        }
        state = Some(policy.after_failure(state, at(4)));
        assert_eq!(policy.blocked_at(state, at(5)), Some(at(19)));
        assert_eq!(policy.blocked_at(state, at(19)), None);
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let policy = ThrottlePolicy::default();
        let mut state = None;
        for minute in [0, 1, 2, 3] {
            state = Some(policy.after_failure(state, at(minute)));
        }
        let state = policy.after_failure(state, at(20));
        assert_eq!(state.failures, 1);
        assert_eq!(state.blocked_until, None);
    }
}
