//! The one redaction of case data: every representation that carries a case (a single case,
//! lists, the history, reports and their CSV, the quality sample, change requests and their
//! proposed changes) passes through [`Redaction`], which asks the domain
//! ([`tgpl_domain::privacy::case_detail`]) what the caller sees of each case and leaves out
//! the rest.

use std::sync::Arc;

use tgpl_domain::access::Target;
use tgpl_domain::hierarchy::Hierarchy;
use tgpl_domain::privacy::{self, CaseDetail, PersonalField};
use tgpl_persistence::cases::CaseRow;
use tgpl_persistence::DbConnection;

use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::routes::cases::CaseView;
use crate::scope;

/// What of cases one caller sees, decided on today's organization tree.
pub struct Redaction {
    caller: Caller,
    tree: Arc<Hierarchy>,
}

impl Redaction {
    pub fn of(conn: &mut DbConnection, caller: &Caller) -> Result<Self, ApiError> {
        Ok(Self {
            caller: caller.clone(),
            tree: scope::tree_today(conn, caller)?,
        })
    }

    /// How much the caller sees of a case handled by `org_id`.
    pub fn detail(&self, org_id: &str) -> CaseDetail {
        let ancestors = self.tree.ancestors(org_id);
        privacy::case_detail(
            &self.caller.policy(),
            &Target {
                org_id,
                ancestors: &ancestors,
            },
        )
    }

    /// A stored case without the requester's data if the caller may not see it, for what
    /// is made of a case other than its view (the report of successful cases, which names no
    /// aided person).
    pub fn case(&self, mut row: CaseRow) -> CaseRow {
        let detail = self.detail(&row.organization_id);
        if !detail.shows(PersonalField::RequesterName) {
            row.requester_name = None;
        }
        if !detail.shows(PersonalField::RequesterRelation) {
            row.requester_relation = None;
        }
        row
    }

    /// The case as the caller sees it: without what they may not see of it (the aided
    /// person's id among it), with the steps their role takes. Every view of a case is made
    /// here.
    pub fn view(&self, row: CaseRow) -> CaseView {
        let shows_recipient = self
            .detail(&row.organization_id)
            .shows(PersonalField::RecipientId);
        let mut view = CaseView::seen_by(self.case(row), self.caller.role);
        if !shows_recipient {
            view.recipient_id = None;
        }
        view
    }

    /// A JSON object about a case of `org_id` (proposed changes, the details of a step)
    /// without the fields the caller may not see.
    pub fn object(&self, org_id: &str, value: &mut serde_json::Value) {
        if let Some(object) = value.as_object_mut() {
            for field in self.detail(org_id).hidden_fields() {
                object.remove(field.code());
            }
        }
    }

    /// [`Self::object`] over stored JSON text; text that is not JSON is left out whole.
    pub fn stored_object(&self, org_id: &str, text: Option<String>) -> Option<String> {
        let mut value: serde_json::Value = serde_json::from_str(&text?).ok()?;
        self.object(org_id, &mut value);
        Some(value.to_string())
    }
}
