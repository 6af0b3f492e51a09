//! Synthetic data for the benchmark (`tgpl generate-bench-data`): one state legal aid centre
//! in each of the 34 provinces, providers, recipients and cases with their history. Loaded
//! in batches on the engine's own connection, in a few large transactions; one audit entry
//! records the load. For benchmark databases only.

use chrono::{Datelike, Duration, NaiveDate};
use diesel::RunQueryDsl;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::case::{
    case_code, take_step, Case, CaseState, OutcomeInput, ProviderChoice, StepFacts, StepInput,
    Transition,
};
use tgpl_domain::label::Vocabulary;
use tgpl_domain::organization::OrganizationKind;
use tgpl_domain::reference::{
    AidForm, AidPlace, EthnicGroup, Field, Gender, ProviderKind, Qualification, RecipientCategory,
};
use tgpl_domain::role::Role;
use tgpl_domain::staff::{MembershipRelation, Title};
use tgpl_persistence::audit::{self, Actor, Change};
use tgpl_persistence::cases::{CaseRow, EventRow};
use tgpl_persistence::column::Code;
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::recipients::RecipientRow;
use tgpl_persistence::schema::{
    case_events, case_sequences, cases, recipients, staff, staff_memberships,
};
use tgpl_persistence::staff::{MembershipRow, StaffRow};
use tgpl_persistence::{accounts, insert_in_batches, provinces, DbConnection};

use crate::bootstrap::ensure_organization;
use crate::routes::accounts::new_account;
use crate::scope::today;
use crate::services::case_steps;

/// The password of the generated accounts: centre leaders (`bench.<province>`) and Department
/// officers (`bench.stp.<province>`).
pub const BENCH_PASSWORD: &str = "Bench-2026-tgpl";

/// The steps that lead a generated case to `state`, each with its day counted from the
/// receipt.
fn path_to(state: CaseState) -> &'static [(Transition, i64)] {
    use Transition::*;
    const ACCEPTED: &[(Transition, i64)] = &[(Accept, 1)];
    const IN_PROGRESS: &[(Transition, i64)] = &[(Accept, 1), (AssignProvider, 2), (Start, 3)];
    const COMPLETED: &[(Transition, i64)] =
        &[(Accept, 1), (AssignProvider, 2), (Start, 3), (Complete, 30)];
    const ARCHIVED: &[(Transition, i64)] = &[
        (Accept, 1),
        (AssignProvider, 2),
        (Start, 3),
        (Complete, 30),
        (Archive, 31),
    ];
    match state {
        CaseState::Accepted => ACCEPTED,
        CaseState::InProgress => IN_PROGRESS,
        CaseState::Completed => COMPLETED,
        CaseState::Archived => ARCHIVED,
        _ => &[],
    }
}

/// A small, fast, seeded generator, so that runs are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FAMILY: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang"];
const GIVEN: [&str; 20] = [
    "An", "Bình", "Cường", "Dung", "Em", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai",
    "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Vy",
];

/// Generates `total` cases (and about 0.7 recipients per case) over the 34 provinces.
pub fn generate(conn: &mut DbConnection, total: usize, seed: u64) -> Result<String, String> {
    let actor = Actor::system("generate-bench-data");
    crate::bootstrap::check_own_database(conn, &actor)?;
    let agency = crate::bootstrap::ensure_national(conn, &actor)?;
    let provinces = provinces::list(conn, false).map_err(|e| e.to_string())?;
    let mut rng = Rng(seed | 1);
    let hash = crate::credentials::password::hash(BENCH_PASSWORD).map_err(|e| e.to_string())?;
    let mut centers = Vec::new();
    for p in &provinces {
        let tag = p.code.replace('_', "-").to_ascii_uppercase();
        let department = ensure_organization(
            conn,
            &actor,
            OrganizationRow::new(
                format!("B-STP-{tag}"),
                format!("Sở Tư pháp {}", p.name_vi),
                OrganizationKind::Department,
                Some(p.code.clone()),
            ),
            Some(&agency.id),
        )?;
        let center = ensure_organization(
            conn,
            &actor,
            OrganizationRow::new(
                format!("B-TT-{tag}"),
                format!("Trung tâm Trợ giúp pháp lý nhà nước {}", p.name_vi),
                OrganizationKind::Center,
                Some(p.code.clone()),
            ),
            Some(&department.id),
        )?;
        // A centre leader (`bench.<province>`) and a Department officer
        // (`bench.stp.<province>`), who send and receive the benchmark's reports.
        let tag = p.code.replace('_', "-");
        for (username, name, role, org) in [
            (
                format!("bench.{tag}"),
                "Lãnh đạo Trung tâm (benchmark)",
                Role::CenterLeader,
                &center.id,
            ),
            (
                format!("bench.stp.{tag}"),
                "Cán bộ Sở Tư pháp (benchmark)",
                Role::DepartmentOfficer,
                &department.id,
            ),
        ] {
            if accounts::find_by_username(conn, &username)
                .map_err(|e| e.to_string())?
                .is_some()
            {
                continue;
            }
            let parsed = tgpl_domain::credentials::Username::parse(&username)
                .map_err(|e| format!("{e:?}"))?;
            let row = new_account(&parsed, name, role, org, hash.clone());
            accounts::insert(conn, &actor, AuditAction::AccountCreate, &row)
                .map_err(|e| e.to_string())?;
        }
        centers.push(center);
    }
    let now = tgpl_persistence::now();
    let start = NaiveDate::from_ymd_opt(2019, 1, 1).ok_or("date")?;
    let today = today();
    let per_center = total.div_ceil(centers.len());
    let mut written = 0usize;
    for center in &centers {
        let count = per_center.min(total - written);
        // Providers: twenty legal aid officers per centre.
        let mut people = Vec::new();
        let mut memberships = Vec::new();
        for _ in 0..20 {
            let name = format!(
                "{} {} {}",
                rng.pick(&FAMILY),
                rng.pick(&MIDDLE),
                rng.pick(&GIVEN)
            );
            let mut row = StaffRow {
                id: tgpl_persistence::new_id(),
                full_name: name,
                search_text: String::new(),
                gender: Some(Code(if rng.below(2) == 0 {
                    Gender::Male
                } else {
                    Gender::Female
                })),
                date_of_birth: start
                    .checked_sub_signed(Duration::days(365 * 30 + rng.below(9000) as i64)),
                ethnicity: Some(Code(EthnicGroup::Kinh)),
                qualification: Some(Code(Qualification::LawDegreeOrHigher)),
                provider_kind: Some(Code(ProviderKind::LegalAidOfficer)),
                lawyer_card_number: None,
                phone: None,
                email: None,
                status: Code(tgpl_domain::staff::StaffStatus::Active),
                version: 1,
                created_at: now,
                updated_at: now,
            };
            row.refresh_search_text();
            memberships.push(MembershipRow {
                id: tgpl_persistence::new_id(),
                staff_id: row.id.clone(),
                organization_id: center.id.clone(),
                relation: Code(MembershipRelation::Employee),
                title: Code(Title::LegalAidOfficer),
                officer_rank: None,
                valid_from: start,
                valid_to: None,
                end_reason: None,
                version: 1,
                created_at: now,
                updated_at: now,
            });
            people.push(row);
        }
        let mut case_rows = Vec::with_capacity(count);
        let mut recipient_rows = Vec::with_capacity(count);
        let mut events = Vec::with_capacity(count * 3);
        let mut last_by_year = std::collections::BTreeMap::new();
        for _ in 0..count {
            // About three cases in ten are a further case of a person already aided.
            let recipient = if recipient_rows.is_empty() || rng.below(10) >= 3 {
                let name = format!(
                    "{} {} {}",
                    rng.pick(&FAMILY),
                    rng.pick(&MIDDLE),
                    rng.pick(&GIVEN)
                );
                let key = tgpl_domain::recipient::name_key(&name);
                let row = RecipientRow {
                    gender: Some(Code(if rng.below(2) == 0 {
                        Gender::Male
                    } else {
                        Gender::Female
                    })),
                    date_of_birth: NaiveDate::from_ymd_opt(
                        1940 + rng.below(70) as i32,
                        1 + rng.below(12) as u32,
                        1 + rng.below(28) as u32,
                    ),
                    ethnicity: Some(Code(EthnicGroup::Kinh)),
                    province_code: center.province_code.clone(),
                    statistical_category: Some(Code(*rng.pick(&[
                        RecipientCategory::PoorHousehold,
                        RecipientCategory::Child,
                        RecipientCategory::Meritorious,
                        RecipientCategory::EthnicMinorityHardshipArea,
                    ]))),
                    ..RecipientRow::new(center.id.clone(), name, key)
                };
                recipient_rows.push(row);
                recipient_rows.len() - 1
            } else {
                rng.below(recipient_rows.len())
            };
            let received_on = start + Duration::days(rng.below(2500) as i64);
            let sequence = last_by_year.entry(received_on.year()).or_insert(0i64);
            *sequence += 1;
            let code = case_code(&center.code, received_on.year(), *sequence);
            let form = *rng.pick(AidForm::ALL);
            let field = *rng.pick(&Field::ALL[..6]);
            let summary = format!("{} về {}", form.label().vi, field.label().vi.to_lowercase());
            let state = *rng.pick(&[
                CaseState::Received,
                CaseState::Accepted,
                CaseState::InProgress,
                CaseState::Completed,
                CaseState::Completed,
                CaseState::Archived,
            ]);
            let provider = rng.pick(&people);
            let mut row = CaseRow {
                id: tgpl_persistence::new_id(),
                search_text: case_steps::search_text(&code, &summary),
                code,
                group_ref: None,
                organization_id: center.id.clone(),
                recipient_id: recipient_rows[recipient].id.clone(),
                recipient_organization_id: recipient_rows[recipient].organization_id.clone(),
                requester_name: None,
                requester_relation: None,
                received_on,
                accepted_on: None,
                field: Code(field),
                form: Code(form),
                place: Code(*rng.pick(AidPlace::ALL)),
                provider_id: None,
                provider_kind: None,
                summary,
                litigation: None,
                outcome_on: None,
                defence_accepted: None,
                success_kind: None,
                state: Code(CaseState::Received),
                closed_on: None,
                closing_grounds: None,
                transferred_from_case_id: None,
                transferred_to_org_id: None,
                quality: None,
                deleted_at: None,
                version: 1,
                created_at: now,
                updated_at: now,
                closed_recorded_at: None,
            };
            // The steps go through the domain's rules as anyone's do; each provider is an
            // officer of the centre from the start, so their eligibility is known.
            let mut case = Case::received(field, form, received_on, None, today)
                .map_err(|e| format!("bench case: {e:?}"))?;
            let mut stepped = Vec::new();
            let mut day = received_on;
            for &(step, after_days) in path_to(state) {
                let on = received_on + Duration::days(after_days);
                let mut input = StepInput::on(on);
                if step == Transition::AssignProvider {
                    input.provider = Some(ProviderChoice {
                        id: provider.id.clone(),
                        eligibility: Ok(ProviderKind::LegalAidOfficer),
                        roles_in_same_proceedings: Vec::new(),
                    });
                }
                if step == Transition::Complete && form == AidForm::Litigation {
                    input.outcome = Some(OutcomeInput {
                        defence_accepted: Some(false),
                        ..OutcomeInput::default()
                    });
                }
                let facts = StepFacts {
                    today,
                    last_step_on: day,
                    role: None,
                    actor: &actor.username,
                };
                let taken = take_step(&case, step, input, facts)
                    .map_err(|e| format!("bench step {step}: {e:?}"))?;
                stepped.push((step, taken.from, taken.case.state, on));
                case = taken.case;
                day = on;
            }
            row.set_case(&case);
            let mut receipt = EventRow::new(&row, &actor, "receive", None, received_on, None, None);
            receipt.to_state = Code(CaseState::Received);
            events.push(receipt);
            for (step, from, to, on) in stepped {
                let mut event =
                    EventRow::new(&row, &actor, step.code(), Some(from), on, None, None);
                event.to_state = Code(to);
                events.push(event);
            }
            case_rows.push(row);
        }
        write(
            conn,
            &people,
            &memberships,
            &recipient_rows,
            &case_rows,
            &events,
        )?;
        for (year, last) in last_by_year {
            match &mut *conn {
                DbConnection::Sqlite(c) => diesel::insert_into(case_sequences::table)
                    .values((
                        case_sequences::organization_id.eq(&center.id),
                        case_sequences::year.eq(year),
                        case_sequences::last_value.eq(last),
                    ))
                    .execute(c),
                DbConnection::Pg(c) => diesel::insert_into(case_sequences::table)
                    .values((
                        case_sequences::organization_id.eq(&center.id),
                        case_sequences::year.eq(year),
                        case_sequences::last_value.eq(last),
                    ))
                    .execute(c),
            }
            .map_err(|e| e.to_string())?;
        }
        written += count;
        log::info!("{}: {count} cases", center.code);
    }
    let summary = serde_json::json!({ "cases": written, "centers": centers.len(), "seed": seed });
    audit::record(
        conn,
        &actor,
        Change::<(), _> {
            action: AuditAction::CaseCreate,
            resource_type: "bench_load",
            resource_id: "generate-bench-data",
            before: None,
            after: Some(&summary),
        },
    )
    .map_err(|e| e.to_string())?;
    // The cases were written around the statistics' tallies: count them in now.
    let started = std::time::Instant::now();
    tgpl_persistence::statistics::tally::rebuild(conn).map_err(|e| e.to_string())?;
    Ok(format!(
        "generated {written} cases in {} centres; counted into the statistics' tallies in {} s",
        centers.len(),
        started.elapsed().as_secs()
    ))
}

use diesel::ExpressionMethods;

fn write(
    conn: &mut DbConnection,
    people: &[StaffRow],
    memberships: &[MembershipRow],
    recipient_rows: &[RecipientRow],
    case_rows: &[CaseRow],
    events: &[EventRow],
) -> Result<(), String> {
    tgpl_persistence::db::write_transaction(conn, |conn| {
        insert_in_batches!(&mut *conn, staff::table, people, 500)?;
        insert_in_batches!(&mut *conn, staff_memberships::table, memberships, 500)?;
        insert_in_batches!(&mut *conn, recipients::table, recipient_rows, 1000)?;
        insert_in_batches!(&mut *conn, cases::table, case_rows, 800)?;
        insert_in_batches!(&mut *conn, case_events::table, events, 2500)?;
        Ok::<_, tgpl_persistence::StoreError>(())
    })
    .map_err(|e| e.to_string())
}
