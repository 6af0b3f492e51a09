//! Requests for review (kiến nghị; Law on Legal Aid 2017 art. 27, form 2 of Circular 02/2011):
//! drafted by the centre, sent to the competent agency by its leader, answered by that agency.

use chrono::NaiveDate;

use crate::case::{legal_aid_since, ReviewState};
use crate::lifecycle::Step;
use crate::time::day_in_range;
use crate::vocabulary;

vocabulary! {
    /// The steps of a request for review.
    pub enum ReviewStep {
        Send = "send" { vi: "Gửi kiến nghị", en: "Send" },
        Answer = "answer" { vi: "Ghi nhận trả lời", en: "Record the answer" },
    }
}

impl Step for ReviewStep {
    type State = ReviewState;

    /// Where the step leads from `from`, if it may be taken there.
    fn target(self, from: ReviewState) -> Option<ReviewState> {
        match (self, from) {
            (Self::Send, ReviewState::Draft) => Some(ReviewState::Sent),
            (Self::Answer, ReviewState::Sent) => Some(ReviewState::Answered),
            _ => None,
        }
    }
}

impl ReviewState {
    /// The steps that may be taken from here.
    pub fn next_steps(self) -> Vec<ReviewStep> {
        crate::lifecycle::next_steps(self)
    }

    /// Only a draft is edited or deleted: once sent, the request is the agency's record too.
    pub fn is_editable(self) -> bool {
        self == Self::Draft
    }
}

/// Why the day of a step of a request for review is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayOutOfRange;

/// Checks the day a request is sent: not in the future, not before state legal aid began,
/// and not before the case it concerns was received (`case_received_on`, when it concerns
/// one): what it asks about must have happened.
pub fn check_sent_on(
    on: NaiveDate,
    case_received_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), DayOutOfRange> {
    let first = case_received_on.map_or(legal_aid_since(), |r| r.max(legal_aid_since()));
    if day_in_range(on, Some(first), today) {
        Ok(())
    } else {
        Err(DayOutOfRange)
    }
}

/// Checks the day an answer came: not in the future, not before the request was sent.
pub fn check_answered_on(
    on: NaiveDate,
    sent_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), DayOutOfRange> {
    let first = sent_on.unwrap_or(legal_aid_since());
    if day_in_range(on, Some(first), today) {
        Ok(())
    } else {
        Err(DayOutOfRange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReviewState::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_request_is_sent_after_what_it_concerns_and_answered_after_it_was_sent() {
        let today = d(2026, 12, 1);
        assert_eq!(check_sent_on(today, None, today), Ok(()));
        for wrong in [d(1, 1, 1), d(1997, 9, 5), d(2026, 12, 2)] {
            assert_eq!(check_sent_on(wrong, None, today), Err(DayOutOfRange));
        }
        let received = Some(d(2026, 11, 1));
        assert_eq!(check_sent_on(d(2026, 11, 1), received, today), Ok(()));
        assert_eq!(
            check_sent_on(d(2026, 10, 1), received, today),
            Err(DayOutOfRange)
        );
        let sent = Some(d(2026, 11, 5));
        assert_eq!(check_answered_on(d(2026, 11, 5), sent, today), Ok(()));
        for wrong in [d(1900, 1, 1), d(2026, 11, 4), d(2026, 12, 2)] {
            assert_eq!(check_answered_on(wrong, sent, today), Err(DayOutOfRange));
        }
    }

    #[test]
    fn a_request_is_drafted_sent_and_answered_in_that_order() {
        assert_eq!(ReviewStep::Send.target(Draft), Some(Sent));
        assert_eq!(ReviewStep::Answer.target(Sent), Some(Answered));
        assert_eq!(ReviewStep::Answer.target(Draft), None);
        assert_eq!(ReviewStep::Send.target(Sent), None);
        assert_eq!(Draft.next_steps(), vec![ReviewStep::Send]);
        assert_eq!(Sent.next_steps(), vec![ReviewStep::Answer]);
        assert!(Answered.next_steps().is_empty());
        assert!(Draft.is_editable() && !Sent.is_editable() && !Answered.is_editable());
    }
}
