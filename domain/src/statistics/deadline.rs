//! When each level sends its figures (Circular 02/2011/TT-BTP art. 7(2)).

use chrono::{Duration, NaiveDate};

use super::period::Period;
use crate::organization::OrganizationKind;
use crate::vocabulary;

vocabulary! {
    /// The levels that send statistics up the chain (art. 5, 7(2)).
    pub enum ReportingLevel {
        Club = "club" { vi: "Câu lạc bộ trợ giúp pháp lý", en: "Legal aid club" },
        Branch = "branch" { vi: "Chi nhánh trợ giúp pháp lý", en: "Legal aid branch" },
        Centre = "centre" { vi: "Trung tâm trợ giúp pháp lý tỉnh", en: "Provincial legal aid centre" },
        ParticipatingOrganization = "participating_organization" { vi: "Tổ chức tham gia trợ giúp pháp lý", en: "Participating organization" },
        Department = "department" { vi: "Sở Tư pháp", en: "Department of Justice" },
        Agency = "agency" { vi: "Cục Trợ giúp pháp lý", en: "Legal Aid Agency" },
    }
}

/// Days after the end of the period by which each level sends its figures, at the latest
/// (art. 7(2)(a)–(g)).
pub const DAYS_AFTER_PERIOD: [(ReportingLevel, i64); 6] = [
    (ReportingLevel::Club, 10),
    (ReportingLevel::Branch, 15),
    (ReportingLevel::Centre, 20),
    (ReportingLevel::ParticipatingOrganization, 20),
    (ReportingLevel::Department, 25),
    (ReportingLevel::Agency, 30),
];

impl ReportingLevel {
    /// The level an organization of `kind` reports at; `None` for the Ministry and the
    /// statistics offices, which receive figures and send none under the circular.
    pub fn of(kind: OrganizationKind) -> Option<Self> {
        use OrganizationKind::*;
        match kind {
            Club => Some(Self::Club),
            Branch => Some(Self::Branch),
            Center => Some(Self::Centre),
            LawOffice | LawFirm | CounsellingCenter => Some(Self::ParticipatingOrganization),
            Department => Some(Self::Department),
            Agency => Some(Self::Agency),
            Ministry | StatisticsOffice => None,
        }
    }

    /// Days after the period's last day by which this level sends its figures.
    pub fn days_after_period(self) -> i64 {
        DAYS_AFTER_PERIOD
            .iter()
            .find(|(level, _)| *level == self)
            .map_or(0, |(_, days)| *days)
    }
}

impl Period {
    /// The last day on which `level` may send its figures for this period: the period's last
    /// day plus the level's days (a Viet Nam date).
    pub fn due_date(&self, level: ReportingLevel) -> NaiveDate {
        self.to() + Duration::days(level.days_after_period())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::Vocabulary;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_level_has_its_days_after_the_period() {
        let three = Period::parse("2025-3M").unwrap();
        let due = |level| three.due_date(level);
        assert_eq!(due(ReportingLevel::Club), d(2025, 1, 10));
        assert_eq!(due(ReportingLevel::Branch), d(2025, 1, 15));
        assert_eq!(due(ReportingLevel::Centre), d(2025, 1, 20));
        assert_eq!(
            due(ReportingLevel::ParticipatingOrganization),
            d(2025, 1, 20)
        );
        assert_eq!(due(ReportingLevel::Department), d(2025, 1, 25));
        assert_eq!(due(ReportingLevel::Agency), d(2025, 1, 30));
        let year = Period::parse("2025-Y").unwrap();
        assert_eq!(year.due_date(ReportingLevel::Agency), d(2025, 10, 30));
        for level in ReportingLevel::ALL {
            assert!(level.days_after_period() > 0, "{level}");
        }
    }

    #[test]
    fn every_kind_of_the_chain_reports_at_one_level() {
        use OrganizationKind::*;
        assert_eq!(
            ReportingLevel::of(LawFirm),
            Some(ReportingLevel::ParticipatingOrganization)
        );
        assert_eq!(ReportingLevel::of(Center), Some(ReportingLevel::Centre));
        assert_eq!(ReportingLevel::of(Ministry), None);
        assert_eq!(ReportingLevel::of(StatisticsOffice), None);
        let reporting = OrganizationKind::ALL
            .iter()
            .filter_map(|&k| ReportingLevel::of(k))
            .collect::<std::collections::BTreeSet<_>>();
        assert_eq!(reporting.len(), ReportingLevel::ALL.len());
    }
}
