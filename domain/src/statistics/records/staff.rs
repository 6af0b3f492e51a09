//! The people of a centre and its collaborators, as forms 4 and 5 count them.

use chrono::NaiveDate;

use crate::label::Vocabulary;
use crate::reference::{EthnicGroup, Gender, Qualification};
use crate::staff::{Card, Membership, Title};
use crate::statistics::dimension::{AgeGroup, CollaboratingUnit, EthnicityGroup};
use crate::statistics::form::{Countable, Dimension, Measure};
use crate::statistics::period::Period;
use crate::time::age_on;

/// One membership of a person in a unit counted by the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub membership: Membership,
    pub title: Title,
    /// The kind of unit, for a collaborator.
    pub unit: Option<CollaboratingUnit>,
}

/// One person, with their memberships of the units a form covers and what forms 4 and 5
/// break people down by. Forms 4 and 5 count people (người), so a person with two
/// memberships on the same day (a centre and its branch) counts once, under the membership
/// that began first (of two that began the same day, the one of the organization whose id
/// sorts first, so that the answer never depends on the order rows are read in).
///
/// A person counts on a day when a membership holds that day and, for a collaborator, a card
/// of theirs is valid that day (Law on Legal Aid 2017 art. 24: a collaborator acts under the
/// card the Director of the Department issues).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRecord {
    /// In the order they began.
    pub posts: Vec<Post>,
    /// The person's cards, when the form counts only card holders; `None` when it does not.
    pub cards: Option<Vec<Card>>,
    pub gender: Option<Gender>,
    pub ethnicity: Option<EthnicGroup>,
    pub date_of_birth: Option<NaiveDate>,
    pub qualification: Option<Qualification>,
}

impl StaffRecord {
    /// The membership the person counts under on `day`, if they count.
    pub fn post_on(&self, day: NaiveDate) -> Option<&Post> {
        let carded = self
            .cards
            .as_ref()
            .is_none_or(|cards| cards.iter().any(|c| c.valid_on(day)));
        self.posts
            .iter()
            .filter(|p| carded && p.membership.holds_on(day))
            .min_by_key(|p| (p.membership.valid_from, &p.membership.organization_id))
    }
}

impl Countable for StaffRecord {
    fn counts(&self, measure: Measure, period: &Period) -> bool {
        measure == Measure::OnLastDay && self.post_on(period.to()).is_some()
    }

    fn value(&self, dimension: Dimension, period: &Period) -> Option<&'static str> {
        match dimension {
            Dimension::Title => self.post_on(period.to()).map(|p| p.title.code()),
            Dimension::Gender => self.gender.map(|g| g.code()),
            Dimension::Qualification => self.qualification.map(|q| q.code()),
            Dimension::EthnicityGroup => self.ethnicity.map(|e| {
                if e.is_minority() {
                    EthnicityGroup::Minority.code()
                } else {
                    EthnicityGroup::Kinh.code()
                }
            }),
            Dimension::AgeGroup => self
                .date_of_birth
                .map(|born| AgeGroup::of(age_on(born, period.to())).code()),
            Dimension::CollaboratingUnit => self
                .post_on(period.to())
                .and_then(|p| p.unit)
                .map(|u| u.code()),
            _ => None,
        }
    }
}
