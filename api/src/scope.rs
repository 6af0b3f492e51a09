//! Applies the domain's access policy to stored organizations: loads what the policy needs
//! (the target's ancestors today, the caller's subtree) and turns its answers into HTTP
//! ones: hidden is 404, forbidden is 403.

use chrono::NaiveDate;
use tgpl_domain::access::{self, Action, Decision, Target};
use tgpl_domain::hierarchy::Hierarchy;
use tgpl_persistence::organizations::{self, OrganizationRow};
use tgpl_persistence::DbConnection;

use crate::auth::Caller;
use crate::http::error::ApiError;

/// Today in Viet Nam: the day whose hierarchy decides access.
pub fn today() -> NaiveDate {
    tgpl_domain::time::vietnam_date(chrono::Utc::now())
}

fn to_result(decision: Decision) -> Result<(), ApiError> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::Forbidden => Err(ApiError::forbidden()),
        Decision::Hidden => Err(ApiError::not_found()),
    }
}

/// Loads organization `org_id` and checks that `caller` may do `action` to it.
pub fn authorize(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    org_id: &str,
) -> Result<OrganizationRow, ApiError> {
    let org = organizations::get(conn, org_id)?;
    let ancestors = organizations::ancestors(conn, org_id, today())?;
    let target = Target {
        org_id,
        ancestors: &ancestors,
    };
    to_result(access::decide(&caller.policy(), action, &target))?;
    Ok(org)
}

/// Checks an action on the system as a whole.
pub fn authorize_system(caller: &Caller, action: access::SystemAction) -> Result<(), ApiError> {
    to_result(access::decide_system(&caller.policy(), action))
}

/// The organizations on which a caller may do something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permitted {
    Everywhere,
    Only(Vec<String>),
}

impl Permitted {
    /// As a list filter: `None` for no restriction.
    pub fn as_filter(&self) -> Option<Vec<String>> {
        match self {
            Self::Everywhere => None,
            Self::Only(ids) => Some(ids.clone()),
        }
    }

    pub fn contains(&self, org_id: &str) -> bool {
        match self {
            Self::Everywhere => true,
            Self::Only(ids) => ids.iter().any(|id| id == org_id),
        }
    }
}

/// Where `caller` may do `action` today, read from the policy itself: for national roles the
/// answer does not depend on the organization; for the others it is evaluated on each
/// organization of their subtree.
pub fn permitted(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
) -> Result<Permitted, ApiError> {
    let policy = caller.policy();
    if access::sees_whole_country(&policy) {
        let anywhere = Target {
            org_id: "",
            ancestors: &[],
        };
        return Ok(match access::decide(&policy, action, &anywhere) {
            Decision::Allow => Permitted::Everywhere,
            _ => Permitted::Only(Vec::new()),
        });
    }
    let tree = Hierarchy::on(today(), &organizations::links_on(conn, today())?);
    let ids = tree
        .subtree(&caller.org_id)
        .into_iter()
        .filter(|node| {
            let ancestors = tree.ancestors(&node.org_id);
            let target = Target {
                org_id: &node.org_id,
                ancestors: &ancestors,
            };
            access::decide(&policy, action, &target) == Decision::Allow
        })
        .map(|node| node.org_id)
        .collect();
    Ok(Permitted::Only(ids))
}
