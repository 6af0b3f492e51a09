//! Slowing down password guessing. Attempts are counted per subject (a username or client
//! id, whether it exists or not); a success clears the count. Within a window, once the
//! limit of failures is reached, attempts are refused for a while, even with the right
//! password.
//!
//! An attempt is admitted before its password is checked, and the check is slow (Argon2):
//! parallel guesses must not all be admitted while the earlier ones are still being
//! verified. So an admitted attempt holds a reservation until its outcome is known: a
//! failure becomes a counted failure, a success clears the count. Reservations count
//! against the limit, but only failures block: when the limit is reached by reservations
//! still in flight, the attempt waits for them ([`Admission::Wait`]) and asks again, since
//! they may all turn out right. A correct password is therefore never counted as a failure,
//! nor refused because others were being checked at the same time. A reservation whose
//! outcome never came (a crashed server) stops counting after [`ThrottlePolicy::reservation`].

use chrono::{Duration, NaiveDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed in a window without a success.
    pub max_attempts: i32,
    pub window: Duration,
    pub block: Duration,
    /// How long an admitted attempt counts while its outcome is unknown: far longer than a
    /// password check, short enough that a server that died mid-check blocks nobody for long.
    pub reservation: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            window: Duration::minutes(15),
            block: Duration::minutes(15),
            reservation: Duration::seconds(60),
        }
    }
}

/// The failures recorded for one subject since its last success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptState {
    /// Failures in the window.
    pub attempts: i32,
    pub window_started_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Go on and check the password, holding a reservation until the outcome is known.
    Allowed,
    /// The limit is reached only by attempts still being checked: ask again shortly.
    Wait,
    /// Refuse until then, whatever the password.
    Blocked(NaiveDateTime),
}

impl ThrottlePolicy {
    /// Records whose window started before this instant are spent: [`Self::admit`] treats
    /// them as no record at all (a block ends at the latest `block` after its window's end),
    /// so they can be forgotten.
    pub fn spent_before(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - self.window - self.block
    }

    /// Reservations made before this instant no longer count.
    pub fn reservations_expired_before(&self, now: NaiveDateTime) -> NaiveDateTime {
        now - self.reservation
    }

    /// The failures that count at `now`: a block in force, or the current window's
    /// failures; a new, empty window once the previous one or its block is over.
    fn current(&self, previous: Option<AttemptState>, now: NaiveDateTime) -> AttemptState {
        match previous {
            Some(p) if p.blocked_until.is_some_and(|until| now < until) => p,
            Some(p) if p.blocked_until.is_none() && now < p.window_started_at + self.window => p,
            _ => AttemptState {
                attempts: 0,
                window_started_at: now,
                blocked_until: None,
            },
        }
    }

    /// Decides on an attempt at `now`, with `in_flight` reservations of others still
    /// unresolved: the state to store, and whether the attempt may go on.
    pub fn admit(
        &self,
        previous: Option<AttemptState>,
        in_flight: i32,
        now: NaiveDateTime,
    ) -> (AttemptState, Admission) {
        let state = self.current(previous, now);
        if let Some(until) = state.blocked_until {
            return (state, Admission::Blocked(until));
        }
        if state.attempts >= self.max_attempts {
            let until = now + self.block;
            let blocked = AttemptState {
                blocked_until: Some(until),
                ..state
            };
            return (blocked, Admission::Blocked(until));
        }
        if state.attempts + in_flight >= self.max_attempts {
            return (state, Admission::Wait);
        }
        (state, Admission::Allowed)
    }

    /// Counts the failure of an admitted attempt, known at `now`.
    pub fn failed(&self, previous: Option<AttemptState>, now: NaiveDateTime) -> AttemptState {
        let state = self.current(previous, now);
        AttemptState {
            attempts: state.attempts + 1,
            ..state
        }
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

    /// One attempt admitted at `minute` with nothing else in flight, which then fails.
    fn fail(policy: &ThrottlePolicy, state: Option<AttemptState>, minute: u32) -> AttemptState {
        let (admitted, admission) = policy.admit(state, 0, at(minute));
        assert_eq!(admission, Admission::Allowed, "minute {minute}");
        policy.failed(Some(admitted), at(minute))
    }

    #[test]
    fn after_five_failures_the_next_attempt_is_refused_for_fifteen_minutes() {
        let policy = ThrottlePolicy::default();
        let mut state = None;
        for minute in 0..5 {
            state = Some(fail(&policy, state, minute));
        }
        let (blocked, admission) = policy.admit(state, 0, at(5));
        assert_eq!(admission, Admission::Blocked(at(20)));
        assert_eq!(
            policy.admit(Some(blocked), 0, at(19)).1,
            Admission::Blocked(at(20))
        );
        let (fresh, admission) = policy.admit(Some(blocked), 0, at(20));
        assert_eq!(
            (admission, fresh.attempts),
            (Admission::Allowed, 0),
            "a new window after the block"
        );
    }

    #[test]
    fn attempts_in_flight_make_others_wait_and_never_block() {
        let policy = ThrottlePolicy::default();
        // Five attempts being checked: a sixth waits rather than being refused.
        let (state, admission) = policy.admit(None, 5, at(0));
        assert_eq!(admission, Admission::Wait);
        assert_eq!(state.blocked_until, None);
        // Two have failed, three are still being checked: still waiting.
        let two = policy.failed(Some(policy.failed(None, at(0))), at(0));
        assert_eq!(policy.admit(Some(two), 3, at(0)).1, Admission::Wait);
        // One of those was right and cleared the count, the others are still out.
        assert_eq!(policy.admit(None, 2, at(0)).1, Admission::Allowed);
        // All five failed: refused.
        let mut five = None;
        for _ in 0..5 {
            five = Some(policy.failed(five, at(0)));
        }
        assert_eq!(policy.admit(five, 0, at(1)).1, Admission::Blocked(at(16)));
        // Four failed, one still out: wait for its outcome.
        let mut four = None;
        for _ in 0..4 {
            four = Some(policy.failed(four, at(0)));
        }
        assert_eq!(policy.admit(four, 1, at(0)).1, Admission::Wait);
        assert_eq!(policy.admit(four, 0, at(0)).1, Admission::Allowed);
    }

    #[test]
    fn a_spent_record_counts_as_none() {
        let policy = ThrottlePolicy::default();
        let mut state = None;
        for minute in 0..5 {
            state = Some(fail(&policy, state, minute));
        }
        let blocked = policy.admit(state, 0, at(5)).0;
        assert!(blocked.blocked_until.is_some());
        let now = at(30) + Duration::seconds(1);
        assert!(blocked.window_started_at < policy.spent_before(now));
        assert_eq!(
            policy.admit(Some(blocked), 0, now),
            policy.admit(None, 0, now)
        );

        // Blocked in the window's last minute, a record counts until near the bound.
        let mut late = None;
        for minute in [0, 1, 2, 3, 14] {
            late = Some(fail(&policy, late, minute));
        }
        let late = policy.admit(late, 0, at(14)).0;
        assert_eq!(late.blocked_until, Some(at(29)));
        assert!(late.window_started_at >= policy.spent_before(at(28)));
        assert_eq!(
            policy.admit(Some(late), 0, at(28)).1,
            Admission::Blocked(at(29))
        );
    }

    #[test]
    fn failures_outside_the_window_start_a_new_count() {
        let policy = ThrottlePolicy::default();
        let mut state = None;
        for minute in [0, 1, 2, 3, 4] {
            state = Some(fail(&policy, state, minute));
        }
        let (next, admission) = policy.admit(state, 0, at(16));
        assert_eq!((next.attempts, admission), (0, Admission::Allowed));
        assert_eq!(policy.failed(Some(next), at(16)).attempts, 1);
    }
}
