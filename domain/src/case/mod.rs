//! Legal aid cases (vụ việc trợ giúp pháp lý): the case aggregate and its rules.
//!
//! - [`vocabulary`]: states and steps (the life cycle as a state machine), outcomes, grades.
//! - [`record`]: the facts of a case that its rules read ([`Case`]), how they must agree,
//!   and the counting predicates that reports and statistics share.
//! - [`step`]: taking a step, one pure function of the case, the step's input and the facts
//!   it needs ([`take_step`]), answering the changed case and what else to do, or a typed
//!   refusal.
//! - [`workers`]: which of its organization's cases a person works.

mod record;
mod step;
mod vocabulary;
mod workers;

pub use record::*;
pub use step::*;
pub use vocabulary::*;
pub use workers::*;

/// Mã vụ việc: `<organization code>-<year>-<sequence>`, e.g. `TTTGPL-HN-2026-000123`. The
/// sequence counts per organization and year and is never reused, deleted cases included.
pub fn case_code(organization_code: &str, year: i32, sequence: i64) -> String {
    format!("{organization_code}-{year}-{sequence:06}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_readable_and_padded() {
        assert_eq!(
            super::case_code("TTTGPL-HN", 2026, 123),
            "TTTGPL-HN-2026-000123"
        );
    }
}
