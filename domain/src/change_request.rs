//! Change requests (đề nghị sửa, xóa, gỡ trạng thái lưu hồ sơ; seed 000 §2d): once a case is
//! locked, its unit asks the Agency's data centre to edit it, delete it, or take it out of the
//! archive, and the data centre decides.

use crate::case::{CaseState, ChangeKind};
use crate::vocabulary;

vocabulary! {
    /// Where a change request is: pending until the data centre approves or rejects it.
    pub enum ChangeRequestStatus {
        Pending = "pending" { vi: "Chờ xử lý", en: "Pending" },
        Approved = "approved" { vi: "Đã chấp thuận", en: "Approved" },
        Rejected = "rejected" { vi: "Đã từ chối", en: "Rejected" },
    }
}

/// The data centre's decision on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

/// Why a decision was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionRefusal {
    /// The request is approved or rejected already.
    AlreadyDecided,
    /// Nobody approves their own request: a change to locked records takes two people.
    OwnRequest,
}

impl ChangeKind {
    /// Whether a case in `state` needs a request of this kind: edits and deletions are for
    /// locked cases (the unit changes open ones itself), taking out of the archive for
    /// archived ones.
    pub fn needed_for(self, state: CaseState) -> bool {
        match self {
            Self::Edit | Self::Delete => state.is_locked(),
            Self::Unarchive => state == CaseState::Archived,
        }
    }
}

/// The status a request in `status`, made by `requested_by`, moves to when `decider` takes
/// `decision` on it. Approving one's own request is refused whatever its status.
pub fn decide(
    status: ChangeRequestStatus,
    requested_by: &str,
    decider: &str,
    decision: Decision,
) -> Result<ChangeRequestStatus, DecisionRefusal> {
    if decision == Decision::Approve && requested_by == decider {
        return Err(DecisionRefusal::OwnRequest);
    }
    if status != ChangeRequestStatus::Pending {
        return Err(DecisionRefusal::AlreadyDecided);
    }
    Ok(match decision {
        Decision::Approve => ChangeRequestStatus::Approved,
        Decision::Reject => ChangeRequestStatus::Rejected,
    })
}

/// The state a case returns to when taken out of the archive: the one it was archived from,
/// as its history says (`archived_from`), or `completed` where the history does not say
/// (cases archived before their history was kept).
pub fn state_after_unarchive(archived_from: Option<CaseState>) -> CaseState {
    archived_from.unwrap_or(CaseState::Completed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Vocabulary;

    #[test]
    fn requests_are_for_what_the_unit_cannot_do_itself() {
        for state in CaseState::ALL {
            assert_eq!(ChangeKind::Edit.needed_for(*state), state.is_locked());
            assert_eq!(ChangeKind::Delete.needed_for(*state), state.is_locked());
            assert_eq!(
                ChangeKind::Unarchive.needed_for(*state),
                *state == CaseState::Archived
            );
        }
    }

    #[test]
    fn a_pending_request_is_decided_once_and_never_approved_by_its_requester() {
        use ChangeRequestStatus::*;
        assert_eq!(
            decide(Pending, "gd.hn", "ttdl.admin", Decision::Approve),
            Ok(Approved)
        );
        assert_eq!(
            decide(Pending, "gd.hn", "ttdl.admin", Decision::Reject),
            Ok(Rejected)
        );
        assert_eq!(
            decide(Pending, "ttdl.admin", "ttdl.admin", Decision::Approve),
            Err(DecisionRefusal::OwnRequest)
        );
        for decided in [Approved, Rejected] {
            for decision in [Decision::Approve, Decision::Reject] {
                assert_eq!(
                    decide(decided, "gd.hn", "ttdl.admin", decision),
                    Err(DecisionRefusal::AlreadyDecided)
                );
            }
        }
    }

    #[test]
    fn a_case_leaves_the_archive_for_the_state_it_entered_it_from() {
        assert_eq!(
            state_after_unarchive(Some(CaseState::Discontinued)),
            CaseState::Discontinued
        );
        assert_eq!(state_after_unarchive(None), CaseState::Completed);
    }
}
