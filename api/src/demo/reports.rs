//! Demo statistical reports: the reporting year 2026 being collected, with reports in every
//! state in each demo province. Forms 1 and 3 for the nine months went up the whole chain in
//! Hà Nội and Đà Nẵng, were accepted by the Agency and released; in Hồ Chí Minh City the
//! Department's waits for the Agency. For the year, one branch's report waits for its centre,
//! one was returned, the law firms' entered figures are drafts, and the centres are preparing
//! theirs. Every step goes through `services::reporting`, as the routes take it.

use tgpl_domain::statistics::circular_02_2011::{FORM_1, FORM_3};
use tgpl_domain::statistics::reporting::figures;
use tgpl_domain::statistics::reporting::{FiguresSource, ReportStep};
use tgpl_domain::statistics::{reporting, Form, Period, ReportingLevel};
use tgpl_persistence::audit::Actor;
use tgpl_persistence::column::Json;
use tgpl_persistence::organizations::{self, OrganizationRow};
use tgpl_persistence::page::PageRequest;
use tgpl_persistence::statistics::reports::{self, ReportFilter, ReportRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;

use crate::scope::today;
use crate::services::{releases, reporting as service};

type Seeded<T> = Result<T, String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Whether any report exists: the demo seeds them once.
pub fn has_none(conn: &mut DbConnection) -> Seeded<bool> {
    let page = PageRequest { page: 1, size: 1 };
    Ok(reports::list(conn, &ReportFilter::default(), page)
        .map_err(err)?
        .total
        == 0)
}

fn org(conn: &mut DbConnection, code: &str) -> Seeded<OrganizationRow> {
    organizations::get_by_code(conn, code)
        .map_err(err)?
        .ok_or_else(|| format!("no demo organization {code}"))
}

/// Starts `unit`'s report of `form` for `period`, as the route does.
fn start(
    conn: &mut DbConnection,
    actor: &Actor,
    unit: &OrganizationRow,
    form: &'static Form,
    period: &Period,
    source: FiguresSource,
) -> Seeded<ReportRow> {
    let level = ReportingLevel::of(*unit.kind).ok_or("not a reporting unit")?;
    let parent = organizations::parents_on(conn, std::slice::from_ref(&unit.id), period.to())
        .map_err(err)?
        .into_iter()
        .next()
        .map(|(_, parent)| parent);
    let row = ReportRow::draft(
        unit.id.clone(),
        form.code,
        period.to_string(),
        parent,
        reporting::due_on(form.regime, period, level),
        source,
    );
    reports::insert(conn, actor, &row).map_err(err)?;
    Ok(row)
}

/// Submits `row` with the explanation of missing reports below, if any.
fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    row: ReportRow,
    form: &'static Form,
    period: &Period,
) -> Seeded<ReportRow> {
    let mut prepared = row.clone();
    prepared.missing_explanation =
        Some("Một số đơn vị chưa gửi báo cáo đúng hạn; đã đôn đốc.".to_owned());
    service::submit(conn, actor, &row, prepared, form, period, today())
        .map_err(err)?
        .map_err(err)
}

fn decide(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &ReportRow,
    step: ReportStep,
    reason: Option<&str>,
) -> Seeded<ReportRow> {
    let period = Period::parse(&row.period).map_err(err)?;
    service::decide(conn, actor, row, &period, step, reason.map(str::to_owned)).map_err(err)
}

/// The law firm's figures as it would enter them: what its own records say.
fn firm_figures(
    conn: &mut DbConnection,
    actor: &Actor,
    firm: &ReportRow,
    form: &'static Form,
    period: &Period,
) -> Seeded<ReportRow> {
    let mut computed = firm.clone();
    computed.source = tgpl_persistence::column::Code(FiguresSource::Computed);
    let table = service::compile(conn, &computed, form, period)
        .map_err(err)?
        .table;
    let mut entered = firm.clone();
    entered.entered_figures = Some(Json(figures::rows_of(&table)));
    entered.revise();
    reports::save(
        conn,
        actor,
        tgpl_domain::audit::AuditAction::ReportUpdate,
        firm,
        &entered,
        &[],
    )
    .map_err(err)?;
    Ok(entered)
}

/// The nine months of one province up the chain; accepted by the Agency when `accepted`.
fn nine_months(
    conn: &mut DbConnection,
    actor: &Actor,
    province: &str,
    form: &'static Form,
    accepted: bool,
) -> Seeded<()> {
    let period = Period::cumulative(2026, 9).map_err(err)?;
    let branch = org(conn, &format!("TTTGPL-{province}-CN1"))?;
    let center = org(conn, &format!("TTTGPL-{province}"))?;
    let firm = org(conn, &format!("CTL-{province}"))?;
    let department = org(conn, &format!("STP-{province}"))?;
    let r = start(conn, actor, &branch, form, &period, FiguresSource::Computed)?;
    let r = submit(conn, actor, r, form, &period)?;
    decide(conn, actor, &r, ReportStep::Accept, None)?;
    let r = start(conn, actor, &firm, form, &period, FiguresSource::Entered)?;
    let r = firm_figures(conn, actor, &r, form, &period)?;
    let r = submit(conn, actor, r, form, &period)?;
    decide(conn, actor, &r, ReportStep::Accept, None)?;
    let r = start(conn, actor, &center, form, &period, FiguresSource::Computed)?;
    let r = submit(conn, actor, r, form, &period)?;
    decide(conn, actor, &r, ReportStep::Accept, None)?;
    let r = start(
        conn,
        actor,
        &department,
        form,
        &period,
        FiguresSource::Computed,
    )?;
    let r = submit(conn, actor, r, form, &period)?;
    if accepted {
        decide(conn, actor, &r, ReportStep::Accept, None)?;
    }
    Ok(())
}

/// The year in progress in one province.
fn year(conn: &mut DbConnection, actor: &Actor, province: &str) -> Seeded<()> {
    let period = Period::cumulative(2026, 12).map_err(err)?;
    let branch = org(conn, &format!("TTTGPL-{province}-CN1"))?;
    let center = org(conn, &format!("TTTGPL-{province}"))?;
    let firm = org(conn, &format!("CTL-{province}"))?;
    let r = start(
        conn,
        actor,
        &branch,
        &FORM_1,
        &period,
        FiguresSource::Computed,
    )?;
    let r = submit(conn, actor, r, &FORM_1, &period)?;
    match province {
        "DN" => {
            decide(
                conn,
                actor,
                &r,
                ReportStep::Return,
                Some("Số vụ việc thụ lý mới (cột 4) chưa khớp sổ thụ lý của Chi nhánh; đề nghị rà soát."),
            )?;
        }
        "HCM" => {
            decide(conn, actor, &r, ReportStep::Accept, None)?;
        }
        _ => {}
    }
    start(
        conn,
        actor,
        &center,
        &FORM_1,
        &period,
        FiguresSource::Computed,
    )?;
    let r = start(conn, actor, &firm, &FORM_1, &period, FiguresSource::Entered)?;
    firm_figures(conn, actor, &r, &FORM_1, &period)?;
    Ok(())
}

/// Seeds the demo reports and the releases of the nine months.
pub fn seed(conn: &mut DbConnection, actor: &Actor) -> Seeded<()> {
    for form in [&FORM_1, &FORM_3] {
        for (province, accepted) in [("HN", true), ("DN", true), ("HCM", false)] {
            nine_months(conn, actor, province, form, accepted)?;
        }
        let period = Period::cumulative(2026, 9).map_err(err)?;
        releases::publish(
            conn,
            actor,
            form,
            &period,
            Some("Số liệu 9 tháng năm 2026 (Hà Nội, Đà Nẵng)".to_owned()),
        )
        .map_err(err)?;
    }
    for province in ["HN", "DN", "HCM"] {
        year(conn, actor, province)?;
    }
    Ok(())
}
