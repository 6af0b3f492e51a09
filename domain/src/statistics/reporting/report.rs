//! A report: one organization's form for one period, as submitted (art. 5–9). It is drafted,
//! submitted by the unit's head, then accepted or returned with a reason by the level that
//! receives it; a returned report is corrected and submitted again. Once accepted, its figures
//! change only by a correction its head confirms (art. 9), which submits a new revision.

use crate::lifecycle::Step;
use crate::organization::OrganizationKind;
use crate::statistics::form::{RuleResult, Severity, Table};
use crate::vocabulary;

vocabulary! {
    /// Where a report stands.
    pub enum ReportStatus {
        Draft = "draft" { vi: "Đang lập", en: "Being prepared" },
        Submitted = "submitted" { vi: "Đã gửi, chờ tiếp nhận", en: "Submitted, awaiting acceptance" },
        Accepted = "accepted" { vi: "Đã tiếp nhận", en: "Accepted" },
        Returned = "returned" { vi: "Bị trả lại để hoàn thiện", en: "Returned for correction" },
    }
}

vocabulary! {
    /// The steps of a report's life.
    pub enum ReportStep {
        Submit = "submit" { vi: "Gửi báo cáo", en: "Submit" },
        Accept = "accept" { vi: "Tiếp nhận báo cáo", en: "Accept" },
        Return = "return" { vi: "Trả lại báo cáo", en: "Return" },
        Correct = "correct" { vi: "Đính chính số liệu đã gửi", en: "Correct submitted figures" },
        Confirm = "confirm" { vi: "Xác nhận đính chính", en: "Confirm the correction" },
    }
}

impl Step for ReportStep {
    type State = ReportStatus;

    /// Where the step leads from `from`, if it may be taken there. A correction is proposed
    /// on a report already submitted or accepted, and the head's confirmation submits it as
    /// a new revision (art. 9).
    fn target(self, from: ReportStatus) -> Option<ReportStatus> {
        use ReportStatus::*;
        match (self, from) {
            (Self::Submit, Draft | Returned) => Some(Submitted),
            (Self::Accept, Submitted) => Some(Accepted),
            (Self::Return, Submitted) => Some(Returned),
            (Self::Correct | Self::Confirm, Submitted | Accepted) => Some(Submitted),
            _ => None,
        }
    }
}

impl ReportStatus {
    /// The steps that may be taken from here, `correction_pending` when a correction waits
    /// for the head's confirmation: it is confirmed (or withdrawn by a return), and no other
    /// is proposed meanwhile.
    pub fn next_steps(self, correction_pending: bool) -> Vec<ReportStep> {
        crate::lifecycle::next_steps(self)
            .into_iter()
            .filter(|step| match step {
                ReportStep::Correct => !correction_pending,
                ReportStep::Confirm => correction_pending,
                _ => true,
            })
            .collect()
    }

    /// The figures of a draft or a returned report are still the unit's own to change; once
    /// submitted they change only by a correction (art. 9).
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// The report has reached the level above.
    pub fn is_received(self) -> bool {
        matches!(self, Self::Submitted | Self::Accepted)
    }
}

/// The revision of a report whose figures stand, of its last (`current`, 0 before any was
/// submitted) and its last accepted: the accepted one while there is one (a correction
/// waiting, or returned, does not stand until accepted; art. 9), else the last submitted.
pub fn standing_revision(current: i32, accepted: Option<i32>) -> i32 {
    accepted.unwrap_or(current)
}

vocabulary! {
    /// Where a report's figures come from.
    pub enum FiguresSource {
        Computed = "computed" { vi: "Tính từ dữ liệu trong hệ thống", en: "Computed from the records in the system" },
        Entered = "entered" { vi: "Nhập từ báo cáo của đơn vị", en: "Entered from the unit's own report" },
    }
}

/// Whether a unit of `kind` may report figures entered by hand rather than computed from the
/// records: clubs and participating organizations, which are not bound to keep their cases
/// in the system. State centres and their branches keep every case here (seed 000), and the
/// Department and the Agency report what the units below them keep or sent.
pub fn may_enter_figures(kind: OrganizationKind) -> bool {
    kind == OrganizationKind::Club || kind.is_participating()
}

/// Why a report may not be submitted as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmissionRefusal {
    /// Rules of severity error do not hold: the figures must be corrected.
    BrokenRules(Vec<RuleResult>),
    /// Rules of severity warning do not hold, and no explanation was written.
    UnexplainedWarnings(Vec<RuleResult>),
    /// Reports expected from units below are missing or not yet accepted (their ids), and no
    /// explanation was written.
    UnexplainedMissing(Vec<String>),
}

/// Checks `table` before it is submitted: every error rule must hold; a warning that does not
/// hold needs `explanation`; reports still `missing` from below need `missing_explanation`.
/// Answers the warnings that do not hold, kept with the report.
pub fn check_submission(
    table: &Table,
    explanation: Option<&str>,
    missing: &[String],
    missing_explanation: Option<&str>,
) -> Result<Vec<RuleResult>, SubmissionRefusal> {
    let broken: Vec<RuleResult> = table.check().into_iter().filter(|r| !r.holds()).collect();
    let (errors, warnings): (Vec<RuleResult>, Vec<RuleResult>) = broken
        .into_iter()
        .partition(|r| r.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(SubmissionRefusal::BrokenRules(errors));
    }
    let written = |t: Option<&str>| t.is_some_and(|t| !t.trim().is_empty());
    if !warnings.is_empty() && !written(explanation) {
        return Err(SubmissionRefusal::UnexplainedWarnings(warnings));
    }
    if !missing.is_empty() && !written(missing_explanation) {
        return Err(SubmissionRefusal::UnexplainedMissing(missing.to_vec()));
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statistics::circular_02_2011;
    use crate::statistics::Period;
    use ReportStatus::*;

    #[test]
    fn the_figures_that_stand_are_the_last_accepted_else_the_last_submitted() {
        assert_eq!(standing_revision(0, None), 0);
        assert_eq!(
            standing_revision(1, None),
            1,
            "submitted, or returned, never accepted"
        );
        assert_eq!(
            standing_revision(3, Some(2)),
            2,
            "a correction waiting or returned"
        );
        assert_eq!(standing_revision(3, Some(3)), 3);
    }

    #[test]
    fn a_report_is_submitted_then_accepted_or_returned_and_corrected_once_sent() {
        assert_eq!(ReportStep::Submit.target(Draft), Some(Submitted));
        assert_eq!(ReportStep::Submit.target(Returned), Some(Submitted));
        assert_eq!(ReportStep::Submit.target(Submitted), None);
        assert_eq!(ReportStep::Accept.target(Submitted), Some(Accepted));
        assert_eq!(ReportStep::Return.target(Submitted), Some(Returned));
        assert_eq!(ReportStep::Return.target(Accepted), None);
        assert_eq!(ReportStep::Correct.target(Accepted), Some(Submitted));
        assert_eq!(ReportStep::Correct.target(Draft), None);
        assert_eq!(ReportStep::Correct.target(Returned), None);
        assert_eq!(Draft.next_steps(false), vec![ReportStep::Submit]);
        assert_eq!(
            Submitted.next_steps(false),
            vec![ReportStep::Accept, ReportStep::Return, ReportStep::Correct]
        );
        // A correction waiting: confirmed, not proposed again.
        assert_eq!(
            Submitted.next_steps(true),
            vec![ReportStep::Accept, ReportStep::Return, ReportStep::Confirm]
        );
        assert_eq!(Accepted.next_steps(true), vec![ReportStep::Confirm]);
        assert_eq!(Accepted.next_steps(false), vec![ReportStep::Correct]);
        assert!(Draft.is_editable() && Returned.is_editable());
        assert!(!Submitted.is_editable() && !Accepted.is_editable());
    }

    #[test]
    fn only_clubs_and_participating_organizations_enter_their_figures() {
        use OrganizationKind::*;
        assert!(may_enter_figures(Club) && may_enter_figures(LawFirm));
        assert!(!may_enter_figures(Center) && !may_enter_figures(Branch));
        assert!(!may_enter_figures(Department) && !may_enter_figures(Agency));
    }

    #[test]
    fn errors_block_warnings_and_missing_reports_need_a_reason() {
        let period = Period::parse("2026-3M").unwrap();
        let blank = circular_02_2011::FORM_1.blank(&period);
        assert_eq!(check_submission(&blank, None, &[], None), Ok(Vec::new()));
        let missing = vec!["club-1".to_owned()];
        assert_eq!(
            check_submission(&blank, None, &missing, Some("  ")),
            Err(SubmissionRefusal::UnexplainedMissing(missing.clone()))
        );
        assert!(check_submission(&blank, None, &missing, Some("Câu lạc bộ giải thể")).is_ok());
        // A total that its sections do not add up to breaks an error rule.
        let mut broken = blank.clone();
        broken.rows[0].cells[0] = 5;
        match check_submission(&broken, Some("vì sao"), &[], None) {
            Err(SubmissionRefusal::BrokenRules(rules)) => {
                assert!(rules.iter().all(|r| r.severity == Severity::Error));
                assert!(!rules.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }
}
