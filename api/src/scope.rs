//! Applies the domain's access policy to stored organizations: loads what the policy needs
//! (the target's ancestors today, the caller's subtree) and turns its answers into HTTP
//! ones: hidden is 404, forbidden is 403.

use std::sync::Arc;

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

/// Today's organization tree, as the caller's request found it or newer.
pub fn tree_today(conn: &mut DbConnection, caller: &Caller) -> Result<Arc<Hierarchy>, ApiError> {
    Ok(caller.trees.get(conn, caller.hierarchy_version)?)
}

/// Loads organization `org_id` and checks that `caller` may do `action` to it.
pub fn authorize(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    org_id: &str,
) -> Result<OrganizationRow, ApiError> {
    let org = organizations::get(conn, org_id)?;
    check(conn, caller, action, org_id)?;
    Ok(org)
}

/// Checks that `caller` may do `action` to organization `org_id`, which is known to exist
/// (it was read from a stored row that refers to it).
pub fn check(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    org_id: &str,
) -> Result<(), ApiError> {
    check_on(&*tree_today(conn, caller)?, caller, action, org_id)
}

/// Checks that `caller` may read, by `action`, something that belongs to `org_id`. What the
/// caller may not read is hidden: it answers 404 exactly like an unknown id, never 403, which
/// would tell that it exists (the portal learns nothing of cases, nor oversight roles of
/// case files).
pub fn check_read(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
    org_id: &str,
) -> Result<(), ApiError> {
    check(conn, caller, action, org_id).map_err(hidden)
}

/// A refusal to read as the caller must see it: 404.
pub fn hidden(e: ApiError) -> ApiError {
    if e.status == actix_web::http::StatusCode::FORBIDDEN {
        ApiError::not_found()
    } else {
        e
    }
}

/// The other way round: a record the caller may read, on which an organization they
/// cannot see decides, answers 403, not 404 (the record exists for them).
pub fn refused(e: ApiError) -> ApiError {
    if e.status == actix_web::http::StatusCode::NOT_FOUND {
        ApiError::forbidden()
    } else {
        e
    }
}

/// [`check`] on a tree already at hand: for a decision over several organizations.
pub fn check_on(
    tree: &Hierarchy,
    caller: &Caller,
    action: Action,
    org_id: &str,
) -> Result<(), ApiError> {
    let ancestors = tree.ancestors(org_id);
    let target = Target {
        org_id,
        ancestors: &ancestors,
    };
    to_result(access::decide(&caller.policy(), action, &target))
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

/// Where a list of records for `action` may look: [`permitted`], refused with 403 when the
/// caller may do `action` nowhere (a role that never does it), so that every list answers
/// the same way. An empty page means "nothing there", never "not allowed".
pub fn listable(
    conn: &mut DbConnection,
    caller: &Caller,
    action: Action,
) -> Result<Permitted, ApiError> {
    let permitted = permitted(conn, caller, action)?;
    if permitted == Permitted::Only(Vec::new()) {
        return Err(ApiError::forbidden());
    }
    Ok(permitted)
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
    let tree = tree_today(conn, caller)?;
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
