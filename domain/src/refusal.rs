//! How a rule refuses entered data: one field, a stable code, a message for people.
//!
//! Every rule in this crate that refuses a field of what a person or a machine entered answers
//! a typed error that implements [`Refusal`]; the API turns any of them into its 422 field
//! error the same way, so a message is written once, beside the rule it explains.

/// One field of entered data refused by a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRefusal {
    /// The field's path in the request, dotted for nested fields
    /// (`participation.valid_to`, `outcome.outcome_on`).
    pub field: String,
    /// Stable snake_case code for machines (`in_future`, `required`).
    pub code: &'static str,
    /// The message for people, in Vietnamese.
    pub vi: String,
    /// The same message in English.
    pub en: String,
}

impl FieldRefusal {
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code,
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The same refusal of another field: for a rule that several fields follow (a
    /// username and a service client's id, a password and a new password).
    pub fn at(self, field: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            ..self
        }
    }
}

/// A term whose last day, `field`, is not after its first (`valid_from`): contracts and
/// participation alike.
pub fn ends_before_start(field: &str) -> FieldRefusal {
    FieldRefusal::new(
        field,
        "before_start",
        "Ngày hết hiệu lực phải sau ngày có hiệu lực.",
        "valid_to must be after valid_from.",
    )
}

/// A date of birth before [`crate::time::EARLIEST_BIRTH`], of a recipient or a staff member.
pub fn born_too_early() -> FieldRefusal {
    FieldRefusal::new(
        "date_of_birth",
        "too_early",
        "Ngày sinh không thể trước năm 1900.",
        "The date of birth cannot be before 1900.",
    )
}

/// A typed refusal of a rule that names the field it refuses and says why.
pub trait Refusal {
    fn field_refusal(&self) -> FieldRefusal;
}

impl Refusal for FieldRefusal {
    fn field_refusal(&self) -> FieldRefusal {
        self.clone()
    }
}
