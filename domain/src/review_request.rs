//! Requests for review (kiến nghị; Law on Legal Aid 2017 art. 27, form 2 of Circular 02/2011):
//! drafted by the centre, sent to the competent agency by its leader, answered by that agency.

use crate::lifecycle::Step;

use crate::case::ReviewState;
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

#[cfg(test)]
mod tests {
    use super::*;
    use ReviewState::*;

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
