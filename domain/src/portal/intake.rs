//! What a filing must carry, beyond the shape of its fields: what each procedure needs, and
//! a time of receipt the calendar can count from (Decree 61/2018 art. 19).

use chrono::{DateTime, Datelike, Utc};

use super::calendar::WorkingCalendar;
use super::procedure::ProcedureKind;
use crate::refusal::FieldRefusal;
use crate::time::vietnam_date;
use crate::vocabulary;

vocabulary! {
    /// Who files: a citizen, or an organization (a law firm registering to take part).
    pub enum ApplicantKind {
        Person = "person" { vi: "Cá nhân", en: "Person" },
        Organization = "organization" { vi: "Tổ chức", en: "Organization" },
    }
}

/// What an intake carries beyond its common fields, as far as the rules need to know.
#[derive(Debug, Clone, Copy, Default)]
pub struct IntakeShape {
    /// The person to be aided, their category and proof, and the matter.
    pub has_legal_aid_request: bool,
    pub has_case_code: bool,
    pub has_card_number: bool,
}

/// How far ahead of the server's clock a receipt time may be: the portal's clock may run a
/// little fast.
pub const CLOCK_SKEW_SECONDS: i64 = 300;

/// Refuses a time of receipt later than `now` (beyond the portal's clock skew), or in a year
/// the working-day calendar does not cover: its promised date could not be counted.
pub fn check_receipt_time(
    received_at: DateTime<Utc>,
    now: DateTime<Utc>,
    calendar: &WorkingCalendar,
) -> Option<FieldRefusal> {
    if received_at > now + chrono::Duration::seconds(CLOCK_SKEW_SECONDS) {
        return Some(FieldRefusal::new(
            "received_at",
            "in_future",
            "Thời điểm tiếp nhận không thể ở tương lai.",
            "The time of receipt cannot be in the future.",
        ));
    }
    let year = vietnam_date(received_at).year();
    (!calendar.covers(year)).then(|| {
        FieldRefusal::new(
            "received_at",
            "no_calendar",
            format!("Chưa có lịch ngày làm việc năm {year} để tính ngày hẹn trả."),
            format!("There is no working-day calendar for {year} to count the promised date on."),
        )
    })
}

/// Checks what a procedure needs of an intake: every field refused, not only the first.
pub fn check_intake(kind: ProcedureKind, shape: IntakeShape) -> Vec<FieldRefusal> {
    let mut refused = Vec::new();
    let is_request = kind == ProcedureKind::LegalAidRequest;
    if is_request != shape.has_legal_aid_request {
        refused.push(if is_request {
            FieldRefusal::new(
                "legal_aid",
                "required",
                "Yêu cầu trợ giúp pháp lý cần thông tin người được trợ giúp, diện và giấy tờ chứng minh, nội dung vụ việc.",
                "A request for legal aid needs the person to be aided, their category and its proof, and the matter.",
            )
        } else {
            FieldRefusal::new(
                "legal_aid",
                "not_for_procedure",
                "Chỉ thủ tục yêu cầu trợ giúp pháp lý mới có phần này.",
                "Only a request for legal aid has this part.",
            )
        });
    }
    if kind.concerns_a_case() && !shape.has_case_code {
        refused.push(FieldRefusal::new(
            "case_code",
            "required",
            "Thủ tục này cần mã vụ việc trợ giúp pháp lý liên quan.",
            "This procedure needs the code of the case it concerns.",
        ));
    }
    // A request opens its case rather than naming one; only the card procedures name a card.
    if !kind.concerns_a_case() && shape.has_case_code {
        refused.push(not_for_procedure("case_code"));
    }
    if kind.concerns_a_card() && !shape.has_card_number {
        refused.push(FieldRefusal::new(
            "card_number",
            "required",
            "Cần số thẻ cộng tác viên được đề nghị cấp lại.",
            "Give the number of the card to reissue.",
        ));
    }
    if !kind.concerns_a_card() && shape.has_card_number {
        refused.push(not_for_procedure("card_number"));
    }
    refused
}

fn not_for_procedure(field: &str) -> FieldRefusal {
    FieldRefusal::new(
        field,
        "not_for_procedure",
        "Thủ tục này không có trường này.",
        "This procedure has no such field.",
    )
}

#[cfg(test)]
mod tests {
    use super::super::calendar::tests::{at, calendar};
    use super::*;

    #[test]
    fn an_intake_has_what_its_procedure_needs() {
        let now = at(2026, 3, 2, 9, 0);
        let ok = IntakeShape {
            has_legal_aid_request: true,
            ..Default::default()
        };
        assert!(check_intake(ProcedureKind::LegalAidRequest, ok).is_empty());
        assert!(check_receipt_time(now + chrono::Duration::minutes(4), now, &calendar()).is_none());
        assert_eq!(
            check_receipt_time(now + chrono::Duration::hours(1), now, &calendar()).map(|r| r.code),
            Some("in_future")
        );
        let fields = |refused: Vec<FieldRefusal>| -> Vec<String> {
            refused
                .into_iter()
                .map(|r| format!("{}:{}", r.field, r.code))
                .collect()
        };
        assert_eq!(
            fields(check_intake(
                ProcedureKind::LegalAidRequest,
                IntakeShape::default()
            )),
            ["legal_aid:required"]
        );
        assert_eq!(
            fields(check_intake(ProcedureKind::ComplaintAtDepartment, ok,)),
            ["legal_aid:not_for_procedure", "case_code:required"]
        );
        assert_eq!(
            fields(check_intake(
                ProcedureKind::CardReissue,
                IntakeShape::default(),
            )),
            ["card_number:required"]
        );
        let named_everything = IntakeShape {
            has_legal_aid_request: true,
            has_case_code: true,
            has_card_number: true,
        };
        assert_eq!(
            fields(check_intake(
                ProcedureKind::LegalAidRequest,
                named_everything
            )),
            [
                "case_code:not_for_procedure",
                "card_number:not_for_procedure"
            ]
        );
    }

    #[test]
    fn a_receipt_counts_only_on_a_calendar_that_covers_its_year() {
        let now = at(2026, 3, 2, 9, 0);
        let refused = check_receipt_time(at(2024, 6, 3, 9, 0), now, &calendar());
        assert_eq!(refused.map(|r| r.code), Some("no_calendar"));
        assert!(check_receipt_time(at(2025, 6, 3, 9, 0), now, &calendar()).is_none());
    }
}
