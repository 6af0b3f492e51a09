//! Corrections of a case's proceedings, merged into what is recorded.

use super::*;
use crate::http::extract::present;

/// Changes to a case's proceedings, merged into them (as RFC 7396): a field left out keeps
/// its value and `null` clears it, so that correcting the stage keeps the charge and the
/// court's decision.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LitigationChanges {
    #[schema(schema_with = crate::http::schemas::or_null::litigation_role)]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<Option<LitigationRole>>,
    #[schema(schema_with = crate::http::schemas::or_null::proceeding_stage)]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub stage: Option<Option<ProceedingStage>>,
    /// The investigating agency, procuracy or court.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    #[serde(
        default,
        deserialize_with = "crate::http::text::present_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub procedural_agency: Option<Option<String>>,
    #[schema(value_type = Option<String>, min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    #[serde(
        default,
        deserialize_with = "crate::http::text::present_name",
        skip_serializing_if = "Option::is_none"
    )]
    pub charge: Option<Option<String>>,
    /// The penalty the procuracy proposed.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 300)]
    #[validate(length(min = 1, max = 300))]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub proposed_sentence: Option<Option<String>>,
    /// The decision of the proceedings.
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub outcome: Option<Option<String>>,
}

impl LitigationChanges {
    /// The proceedings after these changes; a case without any starts from none recorded.
    pub fn merged_into(&self, recorded: Option<Proceedings>) -> Proceedings {
        let mut p = recorded.unwrap_or_default();
        patch::set(&mut p.role, self.role);
        patch::set(&mut p.stage, self.stage);
        patch::set(&mut p.procedural_agency, self.procedural_agency.clone());
        patch::set(&mut p.charge, self.charge.clone());
        patch::set(&mut p.proposed_sentence, self.proposed_sentence.clone());
        patch::set(&mut p.outcome, self.outcome.clone());
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A change request stores its changes and applies them later: what was left out stays
    /// left out, and a `null` stays a `null`.
    #[test]
    fn stored_changes_keep_absent_apart_from_null() {
        let given = json!({"stage": "prosecution", "charge": null});
        let changes: LitigationChanges = serde_json::from_value(given.clone()).unwrap();
        assert_eq!(serde_json::to_value(&changes).unwrap(), given);
        let recorded = Proceedings {
            charge: Some("Trộm cắp tài sản".into()),
            outcome: Some("Án treo".into()),
            ..Proceedings::default()
        };
        let merged = changes.merged_into(Some(recorded));
        assert_eq!(merged.charge, None);
        assert_eq!(merged.outcome.as_deref(), Some("Án treo"));
        assert_eq!(merged.stage, Some(ProceedingStage::Prosecution));
    }
}
