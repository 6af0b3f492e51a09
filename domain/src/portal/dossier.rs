//! A dossier (hồ sơ) filed on the portal, from receipt to its result: its statuses, the steps
//! between them, and its clock in working days.
//!
//! The clock runs from the day the dossier counts from ([`WorkingCalendar::counting_day`]) to
//! its promised return date; asking the applicant for more documents stops it, and the
//! working days it had left run again from the day the documents arrive (Decree 61/2018
//! art. 19(1)(b): the time to supplement is not counted).

use chrono::{DateTime, NaiveDate, Utc};

use super::calendar::WorkingCalendar;
use super::procedure::ProcedureKind;
use crate::case::CaseState;
use crate::refusal::{FieldRefusal, Refusal};
use crate::time::vietnam_date;
use crate::vocabulary;

vocabulary! {
    /// Where a dossier stands, in this system's words; the portal's own codes come from a
    /// mapping kept as data (`GET /api/v1/portal/status-codes`).
    pub enum DossierStatus {
        Received = "received" { vi: "Đã tiếp nhận", en: "Received" },
        AwaitingSupplement = "awaiting_supplement" { vi: "Chờ bổ sung hồ sơ", en: "Awaiting more documents" },
        InProgress = "in_progress" { vi: "Đang giải quyết", en: "Being handled" },
        Refused = "refused" { vi: "Từ chối giải quyết", en: "Refused" },
        Completed = "completed" { vi: "Đã có kết quả", en: "Completed with a result" },
    }
}

vocabulary! {
    /// What happened to a dossier: each is one progress entry.
    pub enum DossierStep {
        Submit = "submit" { vi: "Nộp hồ sơ trên Cổng Dịch vụ công", en: "Filed on the portal" },
        Accept = "accept" { vi: "Tiếp nhận giải quyết", en: "Accepted for handling" },
        RequestSupplement = "request_supplement" { vi: "Yêu cầu bổ sung hồ sơ", en: "More documents asked for" },
        ReceiveSupplement = "receive_supplement" { vi: "Nhận hồ sơ bổ sung", en: "More documents received" },
        Refuse = "refuse" { vi: "Từ chối giải quyết", en: "Refused" },
        Complete = "complete" { vi: "Trả kết quả", en: "Result returned" },
    }
}

impl DossierStatus {
    /// Whether nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Refused | Self::Completed)
    }

    /// The steps that can be taken from here by the handling organization or the portal.
    pub fn next_steps(self) -> &'static [DossierStep] {
        use DossierStep::*;
        match self {
            Self::Received => &[Accept, RequestSupplement, Refuse],
            Self::AwaitingSupplement => &[ReceiveSupplement, Refuse],
            Self::InProgress => &[RequestSupplement, Refuse, Complete],
            Self::Refused | Self::Completed => &[],
        }
    }
}

impl DossierStatus {
    /// The steps that may be taken next by the portal (`portal`), or by the handling
    /// organization ([`DossierStep::is_the_portals`]).
    pub fn next_steps_of(self, portal: bool) -> Vec<DossierStep> {
        self.next_steps()
            .iter()
            .copied()
            .filter(|s| s.is_the_portals() == portal)
            .collect()
    }
}

impl DossierStep {
    /// Whether the portal takes it (the applicant acting there) rather than the handling
    /// organization.
    pub fn is_the_portals(self) -> bool {
        matches!(self, Self::Submit | Self::ReceiveSupplement)
    }

    /// What the step must be given: a refusal its reasons, a request for documents what is
    /// missing, a completion its result.
    pub fn requires_note(self) -> bool {
        matches!(
            self,
            Self::Refuse | Self::RequestSupplement | Self::Complete
        )
    }
}

/// What the steps read and change of a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    pub procedure: ProcedureKind,
    pub status: DossierStatus,
    /// The promised return date; moved when the clock restarts after a supplement.
    pub due_on: NaiveDate,
    /// While awaiting documents: the status to go back to, and the working days the clock
    /// had left when it stopped.
    pub paused: Option<Pause>,
    /// The Viet Nam day of the final step.
    pub finished_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub resume_to: DossierStatus,
    /// The working days the clock had left; negative when the dossier was already past its
    /// promised date, which then stays: a late dossier is not made timely by a supplement.
    pub days_left: i32,
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DossierRefusal {
    /// Not from this status.
    Illegal { from: DossierStatus },
    /// The step's note (reasons, missing documents, result) is missing.
    NoteRequired,
    /// A request for legal aid being handled is completed or refused by its case's decision.
    AnsweredByCase,
}

impl Refusal for DossierRefusal {
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::Illegal { from } => FieldRefusal::new(
                "status",
                "illegal_step",
                format!("Không thể thực hiện thao tác này khi hồ sơ ở trạng thái `{from}`."),
                format!("This cannot be done while the dossier is `{from}`."),
            ),
            Self::AnsweredByCase => FieldRefusal::new(
                "status",
                "answered_by_case",
                "Yêu cầu trợ giúp pháp lý được trả lời khi vụ việc được thụ lý hoặc từ chối thụ lý.",
                "A request for legal aid is answered when its case is accepted or refused.",
            ),
            Self::NoteRequired => FieldRefusal::new(
                "note",
                "required",
                "Cần ghi lý do, giấy tờ cần bổ sung hoặc kết quả giải quyết.",
                "Give the reasons, the documents missing or the result.",
            ),
        }
    }
}

impl Dossier {
    /// A dossier of `procedure` received at `received_at` under a limit of `limit` working
    /// days.
    pub fn received(
        procedure: ProcedureKind,
        calendar: &WorkingCalendar,
        received_at: DateTime<Utc>,
        limit: u32,
    ) -> Self {
        Self {
            procedure,
            status: DossierStatus::Received,
            due_on: calendar.due_on(received_at, limit),
            paused: None,
            finished_on: None,
        }
    }

    /// Takes `step` at `at`. `note` is the step's text where it needs one.
    pub fn take(
        &self,
        step: DossierStep,
        at: DateTime<Utc>,
        note: Option<&str>,
        calendar: &WorkingCalendar,
    ) -> Result<Self, DossierRefusal> {
        if !self.status.next_steps().contains(&step) {
            return Err(DossierRefusal::Illegal { from: self.status });
        }
        if step.requires_note() && note.is_none_or(|n| n.trim().is_empty()) {
            return Err(DossierRefusal::NoteRequired);
        }
        let today = vietnam_date(at);
        let mut after = self.clone();
        match step {
            DossierStep::Submit => unreachable!("no status leads to a new submission"),
            DossierStep::Accept => after.status = DossierStatus::InProgress,
            DossierStep::RequestSupplement => {
                let days_left = if today <= self.due_on {
                    to_i32(calendar.working_days_between(today, self.due_on))
                } else {
                    -to_i32(calendar.working_days_between(self.due_on, today)).max(1)
                };
                after.paused = Some(Pause {
                    resume_to: self.status,
                    days_left,
                });
                after.status = DossierStatus::AwaitingSupplement;
            }
            DossierStep::ReceiveSupplement => {
                let pause = self.paused.unwrap_or(Pause {
                    resume_to: DossierStatus::Received,
                    days_left: 0,
                });
                after.status = pause.resume_to;
                if let Ok(left) = u32::try_from(pause.days_left) {
                    after.due_on = calendar.add_working_days(calendar.counting_day(at), left);
                }
                after.paused = None;
            }
            DossierStep::Refuse | DossierStep::Complete => {
                after.status = if step == DossierStep::Refuse {
                    DossierStatus::Refused
                } else {
                    DossierStatus::Completed
                };
                after.paused = None;
                after.finished_on = Some(today);
            }
        }
        Ok(after)
    }

    /// The steps the handling organization may take now. A request for legal aid being
    /// handled is answered by its case ([`Self::answered_by_case`]), not by hand: its
    /// documents are asked for before it is accepted, while no case stands on it.
    pub fn handlers_steps(&self) -> Vec<DossierStep> {
        if self.awaits_its_case() {
            return Vec::new();
        }
        self.status.next_steps_of(false)
    }

    /// Checks that the handling organization may take `step` by hand now.
    pub fn check_handlers_step(&self, step: DossierStep) -> Result<(), DossierRefusal> {
        if self.handlers_steps().contains(&step) {
            return Ok(());
        }
        if self.awaits_its_case() && self.status.next_steps().contains(&step) {
            return Err(DossierRefusal::AnsweredByCase);
        }
        Err(DossierRefusal::Illegal { from: self.status })
    }

    /// For a request for legal aid being handled, the step that answers it once its case is
    /// decided (Law on Legal Aid 2017 art. 30: the centre accepts the request, or refuses it
    /// in writing with its reasons): `refuse` when the case is refused; `complete` when it is
    /// accepted (thụ lý), or ends otherwise before that (withdrawn, transferred to the centre
    /// of another province). `None` while the case is undecided, and for any other dossier.
    pub fn answered_by_case(&self, case: CaseState) -> Option<DossierStep> {
        if !self.awaits_its_case() {
            return None;
        }
        match case {
            CaseState::Received => None,
            CaseState::Refused => Some(DossierStep::Refuse),
            _ => Some(DossierStep::Complete),
        }
    }

    /// A request for legal aid accepted for handling, waiting on its case's decision.
    pub fn awaits_its_case(&self) -> bool {
        self.procedure == ProcedureKind::LegalAidRequest && self.status == DossierStatus::InProgress
    }

    /// Whether it is past its promised date on `today` with the clock running, was already
    /// past it when its clock stopped, or was answered after it.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        match self.status {
            DossierStatus::Received | DossierStatus::InProgress => today > self.due_on,
            DossierStatus::AwaitingSupplement => self.paused.is_some_and(|p| p.days_left < 0),
            DossierStatus::Refused | DossierStatus::Completed => {
                self.finished_on.is_some_and(|f| f > self.due_on)
            }
        }
    }
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The note that answers a request for legal aid when its case, coded `code`, is decided
/// ([`Dossier::answered_by_case`]): what the applicant reads on the portal. `reason` is a
/// refusal's grounds, which the law requires the answer to give (art. 30(2)).
pub fn case_answer_note(code: &str, case: CaseState, reason: Option<&str>) -> String {
    match case {
        CaseState::Refused => {
            format!("Từ chối thụ lý vụ việc {code}: {}", reason.unwrap_or_default())
        }
        CaseState::Withdrawn => {
            format!("Người yêu cầu đã rút yêu cầu trợ giúp pháp lý (vụ việc {code}).")
        }
        CaseState::TransferredOut => format!(
            "Yêu cầu được chuyển đến Trung tâm trợ giúp pháp lý nhà nước có thẩm quyền (vụ việc {code})."
        ),
        _ => format!("Đã thụ lý vụ việc {code}."),
    }
}

/// Whether a dossier finished on `finished_on` kept its promise of `due_on`.
pub fn on_time(finished_on: NaiveDate, due_on: NaiveDate) -> bool {
    finished_on <= due_on
}

#[cfg(test)]
mod tests {
    use super::super::calendar::tests::{at, calendar, d};
    use super::*;

    #[test]
    fn the_clock_stops_while_documents_are_awaited() {
        let c = calendar();
        // Complaint at the organization, received Monday 9 February 2026: due Thursday 12.
        let dossier = Dossier::received(
            ProcedureKind::ComplaintAtOrganization,
            &c,
            at(2026, 2, 9, 9, 0),
            3,
        );
        assert_eq!(dossier.due_on, d(2026, 2, 12));
        // Asked for documents on Tuesday 10: two working days left (11, 12).
        let waiting = dossier
            .take(
                DossierStep::RequestSupplement,
                at(2026, 2, 10, 10, 0),
                Some("Thiếu giấy ủy quyền"),
                &c,
            )
            .unwrap();
        assert_eq!(waiting.status, DossierStatus::AwaitingSupplement);
        assert!(
            !waiting.is_overdue(d(2026, 3, 1)),
            "no clock runs while waiting"
        );
        // They arrive on Friday 13 after hours, over Tết: counted from Monday 23, due 25.
        let resumed = waiting
            .take(
                DossierStep::ReceiveSupplement,
                at(2026, 2, 13, 18, 0),
                None,
                &c,
            )
            .unwrap();
        assert_eq!(resumed.status, DossierStatus::Received);
        assert_eq!(resumed.due_on, d(2026, 2, 25));
        assert!(resumed.is_overdue(d(2026, 2, 26)));
        assert!(!resumed.is_overdue(d(2026, 2, 25)));
    }

    #[test]
    fn steps_follow_the_status_and_need_their_note() {
        let c = calendar();
        let dossier = Dossier::received(ProcedureKind::ProviderChange, &c, at(2026, 3, 2, 9, 0), 0);
        assert_eq!(
            dossier.take(DossierStep::Complete, at(2026, 3, 2, 10, 0), Some("x"), &c),
            Err(DossierRefusal::Illegal {
                from: DossierStatus::Received
            })
        );
        assert_eq!(
            dossier.take(DossierStep::Refuse, at(2026, 3, 2, 10, 0), Some("  "), &c),
            Err(DossierRefusal::NoteRequired)
        );
        let accepted = dossier
            .take(DossierStep::Accept, at(2026, 3, 2, 10, 0), None, &c)
            .unwrap();
        assert_eq!(accepted.status, DossierStatus::InProgress);
        let done = accepted
            .take(
                DossierStep::Complete,
                at(2026, 3, 3, 10, 0),
                Some("Đã cử luật sư"),
                &c,
            )
            .unwrap();
        assert_eq!(done.finished_on, Some(d(2026, 3, 3)));
        assert!(
            done.is_overdue(d(2026, 3, 3)),
            "finished a day after a same-day limit"
        );
        assert!(!on_time(d(2026, 3, 3), done.due_on));
        assert!(done.status.next_steps().is_empty());
        assert_eq!(
            done.take(DossierStep::Refuse, at(2026, 3, 4, 9, 0), Some("x"), &c),
            Err(DossierRefusal::Illegal {
                from: DossierStatus::Completed
            })
        );
    }

    #[test]
    fn a_request_for_legal_aid_is_answered_by_its_cases_decision() {
        let c = calendar();
        let accepted =
            Dossier::received(ProcedureKind::LegalAidRequest, &c, at(2026, 3, 2, 9, 0), 0)
                .take(DossierStep::Accept, at(2026, 3, 2, 9, 5), None, &c)
                .unwrap();
        assert_eq!(accepted.status, DossierStatus::InProgress);
        assert!(accepted.handlers_steps().is_empty());
        for step in [
            DossierStep::Complete,
            DossierStep::Refuse,
            DossierStep::RequestSupplement,
        ] {
            assert_eq!(
                accepted.check_handlers_step(step),
                Err(DossierRefusal::AnsweredByCase)
            );
        }
        assert_eq!(accepted.answered_by_case(CaseState::Received), None);
        assert_eq!(
            accepted.answered_by_case(CaseState::Refused),
            Some(DossierStep::Refuse)
        );
        for state in [
            CaseState::Accepted,
            CaseState::Withdrawn,
            CaseState::TransferredOut,
        ] {
            assert_eq!(
                accepted.answered_by_case(state),
                Some(DossierStep::Complete)
            );
        }
        // Complete, it is accepted at once (art. 30(1)): the next day it is late.
        assert!(!accepted.is_overdue(d(2026, 3, 2)));
        assert!(accepted.is_overdue(d(2026, 3, 3)));
        let done = accepted
            .take(
                DossierStep::Complete,
                at(2026, 3, 2, 15, 0),
                Some("Đã thụ lý"),
                &c,
            )
            .unwrap();
        assert!(!done.is_overdue(d(2026, 6, 1)), "answered the day it came");
        assert_eq!(
            done.answered_by_case(CaseState::Refused),
            None,
            "answered once"
        );
        // Other procedures are completed by hand.
        let other = Dossier::received(ProcedureKind::ProviderChange, &c, at(2026, 3, 2, 9, 0), 3)
            .take(DossierStep::Accept, at(2026, 3, 2, 9, 5), None, &c)
            .unwrap();
        assert_eq!(other.answered_by_case(CaseState::Accepted), None);
        assert!(other.check_handlers_step(DossierStep::Complete).is_ok());
        assert!(case_answer_note(
            "TTTGPL-HN-2026-000001",
            CaseState::Refused,
            Some("Ngoài diện")
        )
        .ends_with(": Ngoài diện"));
    }

    #[test]
    fn a_supplement_asked_while_in_progress_returns_there() {
        let c = calendar();
        let accepted = Dossier::received(ProcedureKind::CardReissue, &c, at(2026, 3, 2, 9, 0), 7)
            .take(DossierStep::Accept, at(2026, 3, 2, 9, 5), None, &c)
            .unwrap();
        let back = accepted
            .take(
                DossierStep::RequestSupplement,
                at(2026, 3, 3, 9, 0),
                Some("Ảnh thẻ"),
                &c,
            )
            .unwrap()
            .take(
                DossierStep::ReceiveSupplement,
                at(2026, 3, 10, 9, 0),
                None,
                &c,
            )
            .unwrap();
        assert_eq!(back.status, DossierStatus::InProgress);
        // 11 March was due; on 3 March six working days were left: 10 + 6 = 18 March.
        assert_eq!(back.due_on, d(2026, 3, 18));
    }

    #[test]
    fn a_late_dossier_stays_late_through_a_supplement() {
        let c = calendar();
        // Due Thursday 5 March; documents asked for on Tuesday 10, two working days late.
        let dossier = Dossier::received(ProcedureKind::ProviderChange, &c, at(2026, 3, 2, 9, 0), 3);
        let waiting = dossier
            .take(
                DossierStep::RequestSupplement,
                at(2026, 3, 10, 9, 0),
                Some("Thiếu giấy tờ"),
                &c,
            )
            .unwrap();
        assert_eq!(waiting.paused.map(|p| p.days_left), Some(-3));
        assert!(
            waiting.is_overdue(d(2026, 3, 10)),
            "it was late before its clock stopped"
        );
        let back = waiting
            .take(
                DossierStep::ReceiveSupplement,
                at(2026, 3, 12, 9, 0),
                None,
                &c,
            )
            .unwrap();
        assert_eq!(
            back.due_on,
            d(2026, 3, 5),
            "the promise broken stays broken"
        );
        let done = back
            .take(DossierStep::Accept, at(2026, 3, 12, 10, 0), None, &c)
            .unwrap()
            .take(
                DossierStep::Complete,
                at(2026, 3, 12, 11, 0),
                Some("Xong"),
                &c,
            )
            .unwrap();
        assert!(!on_time(done.finished_on.unwrap(), done.due_on));
    }
}

vocabulary! {
    /// How the applicant filed: online on the portal, or at a one-stop counter or by post
    /// and then entered on the portal by its staff.
    pub enum Channel {
        Online = "online" { vi: "Trực tuyến", en: "Online" },
        Counter = "counter" { vi: "Trực tiếp tại Bộ phận một cửa", en: "In person at a one-stop counter" },
        Post = "post" { vi: "Qua dịch vụ bưu chính", en: "By post" },
    }
}
