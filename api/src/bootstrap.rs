//! First start on an empty database: the national organizations and the first
//! administrator of the Agency's data centre (`tgpl create-admin`).

use tgpl_domain::audit::AuditAction;
use tgpl_domain::credentials::{Password, Username};
use tgpl_domain::organization::OrganizationKind;
use tgpl_domain::role::Role;
use tgpl_persistence::accounts::{self, AccountRow};
use tgpl_persistence::audit::Actor;
use tgpl_persistence::organizations::{self, OrganizationRow};
use tgpl_persistence::DbConnection;

use crate::routes::accounts::new_account;

pub const MINISTRY_CODE: &str = "BTP";
pub const AGENCY_CODE: &str = "CUC-TGPL";

/// The first day the hierarchy is known from: the system went live in January 2019.
pub fn epoch() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or_default()
}

/// Returns the organization with `code`, creating it under `parent` if it is missing.
/// Refuses to let `loader` (the demo's or the benchmark's) load its data into a database
/// it did not load before and that is not new: that data comes with passwords printed in
/// the README, which a real database must never get. A database is new while it has no
/// account.
pub fn check_own_database(conn: &mut DbConnection, loader: &Actor) -> Result<(), String> {
    let err = |e: tgpl_persistence::StoreError| e.to_string();
    if !accounts::any(conn).map_err(err)?
        || tgpl_persistence::audit::written_by(conn, loader).map_err(err)?
    {
        return Ok(());
    }
    Err(format!(
        "this database holds accounts that {} did not create: its data, with public passwords, is loaded only into a new database or one it loaded before",
        loader.username.trim_start_matches("system:")
    ))
}

pub fn ensure_organization(
    conn: &mut DbConnection,
    actor: &Actor,
    template: OrganizationRow,
    parent: Option<&str>,
) -> Result<OrganizationRow, String> {
    if let Some(existing) =
        organizations::get_by_code(conn, &template.code).map_err(|e| e.to_string())?
    {
        return Ok(existing);
    }
    organizations::insert(conn, actor, &template, parent.map(|p| (p, epoch())))
        .map_err(|e| e.to_string())?;
    Ok(template)
}

/// The Ministry of Justice and, under it, the Legal Aid Agency; returns the Agency.
pub fn ensure_national(conn: &mut DbConnection, actor: &Actor) -> Result<OrganizationRow, String> {
    let ministry = ensure_organization(
        conn,
        actor,
        OrganizationRow::new(
            MINISTRY_CODE.into(),
            "Bộ Tư pháp".into(),
            OrganizationKind::Ministry,
            None,
        ),
        None,
    )?;
    let mut agency = OrganizationRow::new(
        AGENCY_CODE.into(),
        "Cục Trợ giúp pháp lý".into(),
        OrganizationKind::Agency,
        None,
    );
    agency.name_en = Some("Legal Aid Agency".into());
    ensure_organization(conn, actor, agency, Some(&ministry.id))
}

/// Creates an administrator of the data centre in the Agency.
pub fn create_admin(
    conn: &mut DbConnection,
    username: &str,
    display_name: &str,
    password: &str,
) -> Result<AccountRow, String> {
    let actor = Actor::system("create-admin");
    let username = Username::parse(username).map_err(|e| format!("invalid username: {e:?}"))?;
    if let Some(c) = tgpl_domain::text::first_control(display_name) {
        return Err(format!(
            "the display name holds the control character U+{:04X}",
            u32::from(c)
        ));
    }
    if tgpl_domain::text::name(display_name).is_empty() {
        return Err("the display name is empty".into());
    }
    let password = Password::parse(password, &username).map_err(|e| {
        format!("the password breaks the policy ({e:?}): 10 to 128 characters, letters and digits, not containing the username")
    })?;
    let agency = ensure_national(conn, &actor)?;
    if accounts::find_by_username(conn, username.as_str())
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!("the username `{}` is taken", username.as_str()));
    }
    let hash = crate::credentials::password::hash(password.expose()).map_err(|e| e.to_string())?;
    let row = new_account(
        &username,
        display_name,
        Role::DataCenterAdmin,
        &agency.id,
        hash,
    );
    accounts::insert(conn, &actor, AuditAction::AccountCreate, &row).map_err(|e| e.to_string())?;
    Ok(row)
}
