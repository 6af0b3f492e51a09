//! Demo staff, providers, a contract and people aided, for one province. Seeded once per
//! centre: a centre that already has staff is left alone.

use chrono::NaiveDate;
use tgpl_domain::audit::AuditAction;
use tgpl_domain::organization::ParticipationScope;
use tgpl_domain::recipient::{name_key, ProofKind};
use tgpl_domain::reference::{
    AidForm, EthnicGroup, Field, Gender, ProviderKind, Qualification, RecipientCategory,
};
use tgpl_domain::staff::{CardStatus, MembershipRelation, OfficerRank, StaffStatus, Title};
use tgpl_persistence::accounts;
use tgpl_persistence::audit::Actor;
use tgpl_persistence::column::Code;
use tgpl_persistence::contracts::{self, ContractRow};
use tgpl_persistence::organizations::OrganizationRow;
use tgpl_persistence::page::PageRequest;
use tgpl_persistence::recipients::{self, ProofRow, RecipientRow};
use tgpl_persistence::staff::{self, CardRow, MembershipRow, StaffFilter, StaffRow};
use tgpl_persistence::versioned::Versioned;
use tgpl_persistence::DbConnection;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

struct Person {
    name: &'static str,
    gender: Gender,
    born: NaiveDate,
    ethnicity: EthnicGroup,
    provider: Option<ProviderKind>,
    title: Title,
    relation: MembershipRelation,
    rank: Option<OfficerRank>,
}

fn person_row(p: &Person, lawyer_card: Option<String>) -> StaffRow {
    let now = tgpl_persistence::now();
    let mut row = StaffRow {
        id: tgpl_persistence::new_id(),
        full_name: p.name.to_owned(),
        search_text: String::new(),
        gender: Some(Code(p.gender)),
        date_of_birth: Some(p.born),
        ethnicity: Some(Code(p.ethnicity)),
        qualification: Some(Code(Qualification::LawDegreeOrHigher)),
        provider_kind: p.provider.map(Code),
        lawyer_card_number: lawyer_card,
        phone: Some("0900 000 000".into()),
        email: None,
        status: Code(StaffStatus::Active),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    row.refresh_search_text();
    row
}

fn membership(
    staff_id: &str,
    org: &str,
    title: Title,
    relation: MembershipRelation,
    rank: Option<OfficerRank>,
) -> MembershipRow {
    let now = tgpl_persistence::now();
    MembershipRow {
        id: tgpl_persistence::new_id(),
        staff_id: staff_id.to_owned(),
        organization_id: org.to_owned(),
        relation: Code(relation),
        title: Code(title),
        officer_rank: rank.map(Code),
        valid_from: d(2020, 1, 1),
        valid_to: None,
        end_reason: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn card(staff_id: &str, number: String, issued_by: &str, status: CardStatus) -> CardRow {
    let now = tgpl_persistence::now();
    let revoked = status == CardStatus::Revoked;
    CardRow {
        id: tgpl_persistence::new_id(),
        staff_id: staff_id.to_owned(),
        card_number: number,
        issued_by: issued_by.to_owned(),
        issued_on: d(2024, 1, 15),
        expires_on: d(2029, 1, 14),
        status: Code(status),
        ended_on: revoked.then(|| d(2025, 3, 1)),
        end_reason: revoked.then(|| "Vi phạm quy chế cộng tác viên".to_owned()),
        replaces_card_id: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// Links the demo account `username` to a staff record.
fn link(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    staff_id: &str,
) -> Result<(), String> {
    let Some(before) = accounts::find_by_username(conn, username).map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let mut after = before.clone();
    after.staff_id = Some(staff_id.to_owned());
    after.revise();
    accounts::save(conn, actor, AuditAction::AccountLinkStaff, &before, &after)
        .map_err(|e| e.to_string())
}

pub fn seed(
    conn: &mut DbConnection,
    actor: &Actor,
    id_prefix: &str,
    center: &OrganizationRow,
    firm: &OrganizationRow,
) -> Result<(), String> {
    let existing = staff::list(
        conn,
        &StaffFilter {
            organizations: Some(vec![center.id.clone()]),
            ..StaffFilter::default()
        },
        PageRequest { page: 1, size: 1 },
    )
    .map_err(|e| e.to_string())?;
    if existing.total > 0 {
        return Ok(());
    }
    let err = |e: tgpl_persistence::StoreError| e.to_string();
    let suffix = center
        .code
        .trim_start_matches("TTTGPL-")
        .to_ascii_lowercase();
    let department = center.province_code.clone().unwrap_or_default();
    let officers = [
        (
            Person {
                name: "Trần Thị Bình",
                gender: Gender::Female,
                born: d(1975, 4, 12),
                ethnicity: EthnicGroup::Kinh,
                provider: Some(ProviderKind::LegalAidOfficer),
                title: Title::Director,
                relation: MembershipRelation::Employee,
                rank: None,
            },
            Some("gd"),
        ),
        (
            Person {
                name: "Nguyễn Văn An",
                gender: Gender::Male,
                born: d(1988, 9, 3),
                ethnicity: EthnicGroup::Kinh,
                provider: Some(ProviderKind::LegalAidOfficer),
                title: Title::LegalAidOfficer,
                relation: MembershipRelation::Employee,
                rank: Some(OfficerRank::Grade2),
            },
            Some("tgv"),
        ),
        (
            Person {
                name: "Lò Thị Mai",
                gender: Gender::Female,
                born: d(1992, 2, 20),
                ethnicity: EthnicGroup::Thai,
                provider: Some(ProviderKind::LegalAidOfficer),
                title: Title::LegalAidOfficer,
                relation: MembershipRelation::Employee,
                rank: Some(OfficerRank::Grade3),
            },
            None,
        ),
        (
            Person {
                name: "Đỗ Thị Giang",
                gender: Gender::Female,
                born: d(1985, 11, 30),
                ethnicity: EthnicGroup::Kinh,
                provider: None,
                title: Title::OtherEmployee,
                relation: MembershipRelation::Employee,
                rank: None,
            },
            None,
        ),
    ];
    for (p, account) in officers {
        let row = person_row(&p, None);
        staff::insert(
            conn,
            actor,
            &row,
            &membership(&row.id, &center.id, p.title, p.relation, p.rank),
        )
        .map_err(err)?;
        if let Some(prefix) = account {
            link(conn, actor, &format!("{prefix}.{suffix}"), &row.id)?;
        }
    }
    // A lawyer of the law firm who also holds a contract with the centre.
    let lawyer = Person {
        name: "Lê Minh Cường",
        gender: Gender::Male,
        born: d(1980, 6, 1),
        ethnicity: EthnicGroup::Kinh,
        provider: Some(ProviderKind::Lawyer),
        title: Title::Lawyer,
        relation: MembershipRelation::Member,
        rank: None,
    };
    let row = person_row(
        &lawyer,
        Some(format!("LS-{}-1234", suffix.to_ascii_uppercase())),
    );
    staff::insert(
        conn,
        actor,
        &row,
        &membership(
            &row.id,
            &firm.id,
            Title::Lawyer,
            MembershipRelation::Member,
            None,
        ),
    )
    .map_err(err)?;
    staff::add_membership(
        conn,
        actor,
        &membership(
            &row.id,
            &center.id,
            Title::Lawyer,
            MembershipRelation::Contract,
            None,
        ),
        row.version,
    )
    .map_err(err)?;
    link(conn, actor, &format!("ls.{suffix}"), &row.id)?;
    // Collaborators: one with a valid card, one whose card was revoked.
    let issuer = department_of(conn, center)?;
    for (name, gender, status, n) in [
        ("Phạm Thị Dung", Gender::Female, CardStatus::Valid, 1),
        ("Hoàng Văn Em", Gender::Male, CardStatus::Revoked, 2),
    ] {
        let p = Person {
            name,
            gender,
            born: d(1970, 1, 1),
            ethnicity: EthnicGroup::Kinh,
            provider: Some(ProviderKind::Collaborator),
            title: Title::Collaborator,
            relation: MembershipRelation::Collaborator,
            rank: None,
        };
        let row = person_row(&p, None);
        staff::insert(
            conn,
            actor,
            &row,
            &membership(
                &row.id,
                &center.id,
                Title::Collaborator,
                MembershipRelation::Collaborator,
                None,
            ),
        )
        .map_err(err)?;
        let number = format!("CTV-{}-{:03}", suffix.to_ascii_uppercase(), n);
        staff::issue_card(
            conn,
            actor,
            &card(&row.id, number, &issuer, status),
            None,
            row.version,
        )
        .map_err(err)?;
    }
    let scope = ParticipationScope {
        forms: vec![AidForm::Litigation],
        fields: vec![Field::Criminal],
        beneficiaries: vec![RecipientCategory::PoorHousehold],
    };
    contracts::insert(
        conn,
        actor,
        &ContractRow::signed(
            firm.id.clone(),
            center.id.clone(),
            &format!("01/2024/HĐ-TGPL-{}", suffix.to_ascii_uppercase()),
            d(2024, 1, 2),
            scope,
            d(2024, 1, 2),
            Some(d(2027, 1, 1)),
        ),
    )
    .map_err(err)?;
    seed_recipients(conn, actor, id_prefix, center, &department)
}

fn department_of(conn: &mut DbConnection, center: &OrganizationRow) -> Result<String, String> {
    tgpl_persistence::organizations::link_on(conn, &center.id, crate::scope::today())
        .map_err(|e| e.to_string())?
        .map(|l| l.parent_id)
        .ok_or_else(|| format!("{} has no Department", center.code))
}

/// (name, gender, born, ethnicity, citizen id suffix after the province and century digits,
/// proofs as (category or hardship, provided on))
type Recipient = (
    &'static str,
    Gender,
    NaiveDate,
    EthnicGroup,
    &'static str,
    &'static [(Option<RecipientCategory>, NaiveDate)],
);

const RECIPIENTS: [Recipient; 3] = [
    (
        "Nguyễn Thị Hoa",
        Gender::Female,
        NaiveDate::from_ymd_opt(1950, 3, 8).unwrap(),
        EthnicGroup::Kinh,
        "012345",
        &[
            (
                Some(RecipientCategory::Elderly),
                NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            ),
            (None, NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()),
        ],
    ),
    (
        "Lò Văn Páo",
        Gender::Male,
        NaiveDate::from_ymd_opt(1985, 7, 19).unwrap(),
        EthnicGroup::Thai,
        "004321",
        &[(
            Some(RecipientCategory::EthnicMinorityHardshipArea),
            NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(),
        )],
    ),
    (
        "Trần Văn Bé",
        Gender::Male,
        NaiveDate::from_ymd_opt(2012, 12, 1).unwrap(),
        EthnicGroup::Kinh,
        "000777",
        &[
            (
                Some(RecipientCategory::Child),
                NaiveDate::from_ymd_opt(2026, 5, 10).unwrap(),
            ),
            (
                Some(RecipientCategory::PoorHousehold),
                NaiveDate::from_ymd_opt(2026, 5, 12).unwrap(),
            ),
        ],
    ),
];

fn seed_recipients(
    conn: &mut DbConnection,
    actor: &Actor,
    id_prefix: &str,
    center: &OrganizationRow,
    province: &str,
) -> Result<(), String> {
    use chrono::Datelike;
    let err = |e: tgpl_persistence::StoreError| e.to_string();
    for (name, gender, born, ethnicity, serial, proofs) in RECIPIENTS {
        let century_digit = match (born.year() >= 2000, gender) {
            (false, Gender::Male) => 0,
            (false, Gender::Female) => 1,
            (true, Gender::Male) => 2,
            (true, Gender::Female) => 3,
        };
        let row = RecipientRow {
            gender: Some(Code(gender)),
            date_of_birth: Some(born),
            ethnicity: Some(Code(ethnicity)),
            citizen_id: Some(format!(
                "{id_prefix}{century_digit}{:02}{serial}",
                born.year() % 100
            )),
            province_code: Some(province.to_owned()),
            commune: Some("Phường Trung tâm".into()),
            address: Some("Số 1, đường Chính".into()),
            ..RecipientRow::new(center.id.clone(), name.to_owned(), name_key(name))
        };
        recipients::insert(conn, actor, &row).map_err(err)?;
        for (seen, (category, provided_on)) in (row.version..).zip(proofs.iter()) {
            let proof = ProofRow {
                id: tgpl_persistence::new_id(),
                recipient_id: row.id.clone(),
                kind: Code(if category.is_some() {
                    ProofKind::Status
                } else {
                    ProofKind::FinancialHardship
                }),
                category: category.map(Code),
                document_kind: if category.is_some() {
                    "Giấy xác nhận diện người được trợ giúp pháp lý"
                } else {
                    "Giấy xác nhận hoàn cảnh khó khăn về tài chính"
                }
                .into(),
                document_number: None,
                issuer: Some("Ủy ban nhân dân xã".into()),
                issued_on: Some(*provided_on),
                provided_on: *provided_on,
                created_at: tgpl_persistence::now(),
            };
            recipients::add_proof(conn, actor, &proof, seen).map_err(err)?;
        }
    }
    Ok(())
}
