//! Statistical forms as data, and the one engine that fills any of them.
//!
//! A form is a definition, not code: numbered columns, each counting one [`Measure`] of the
//! records (optionally only those with one value of a [`Dimension`]), sections of rows, each
//! section breaking the records down by one dimension, and the form's rules. Filling a form is
//! the same for every form: for each record, for each column it counts in, add one to the total
//! row and to its row in each section. A later circular's form is a new definition.

use crate::label::Label;
use crate::organization::OrganizationKind;
use crate::staff::MembershipRelation;

pub use super::dimension::Dimension;
use super::period::Period;

/// What a form counts (the unit printed under its title).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountUnit {
    /// Vụ việc.
    Cases,
    /// Lượt người: one per aided person per case.
    PersonTimes,
    /// Người.
    People,
    /// Tổ chức.
    Organizations,
}

impl CountUnit {
    pub fn label(self) -> Label {
        match self {
            Self::Cases => Label {
                vi: "vụ việc",
                en: "cases",
            },
            Self::PersonTimes => Label {
                vi: "lượt người",
                en: "person-times",
            },
            Self::People => Label {
                vi: "người",
                en: "people",
            },
            Self::Organizations => Label {
                vi: "tổ chức",
                en: "organizations",
            },
        }
    }
}

/// What one column counts of a record, in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Cases in hand during the period: accepted by its end and not ended before its start.
    CasesInHand,
    /// Cases accepted before the period and still open at its start (kỳ trước chuyển qua).
    CasesCarriedOver,
    /// Cases transferred in from another province's centre, accepted in the period.
    CasesTransferredIn,
    /// Cases newly accepted in the period, other than those transferred in.
    CasesNew,
    /// Cases accepted in the period, transferred in or not.
    CasesAccepted,
    /// Cases ended in the period other than by transfer: completed, discontinued, withdrawn.
    CasesFinished,
    /// Cases transferred out to another province's centre in the period.
    CasesTransferredOut,
    /// Cases still open at the period's end (chuyển sang kỳ sau).
    CasesCarriedForward,
    /// Requests for review sent in the period.
    ReviewsSent,
    /// Requests for review answered in the period.
    ReviewsAnswered,
    /// Person-times of the cases accepted in the period ([`super::PersonTimeRecord`]).
    PersonTimes,
    /// People or organizations present on the period's last day (forms 4–6).
    OnLastDay,
}

impl Measure {
    /// Whether the measure is a stock at the period's start, which no later entry for the
    /// period's days can change: such a figure is never estimated.
    pub fn is_opening_stock(self) -> bool {
        self == Self::CasesCarriedOver
    }
}

/// A record that a form can count.
pub trait Countable {
    /// Whether the record counts under `measure` in `period`.
    fn counts(&self, measure: Measure, period: &Period) -> bool;
    /// The record's value of `dimension` in `period` (an age is taken on its last day), as
    /// its code; `None` when it has none.
    fn value(&self, dimension: Dimension, period: &Period) -> Option<&'static str>;
    /// Whether the record holds `code` of `dimension`: its value, or for a dimension of many
    /// values per record ([`Dimension::ProvenCategories`]) one of them.
    fn has(&self, dimension: Dimension, code: &str, period: &Period) -> bool {
        self.value(dimension, period) == Some(code)
    }
    /// How many the record counts for under `measure` in `period`: one or none for a record,
    /// any number for a tally of records that share their values ([`super::tally`]).
    fn weight(&self, measure: Measure, period: &Period) -> u64 {
        u64::from(self.counts(measure, period))
    }
}

/// A condition a column puts on the records it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// The record holds this value of the dimension.
    Is(Dimension, &'static str),
    /// The record holds one of these values.
    AnyOf(Dimension, &'static [&'static str]),
    /// The record holds every one of these values (of a dimension of many values).
    AllOf(Dimension, &'static [&'static str]),
    /// The record has no value of the dimension (not recorded, not proven).
    Missing(Dimension),
    /// The inner condition does not hold.
    Not(&'static Filter),
}

impl Filter {
    /// Whether `record` meets the condition in `period`.
    pub fn admits<R: Countable>(&self, record: &R, period: &Period) -> bool {
        match *self {
            Self::Is(dimension, code) => record.has(dimension, code, period),
            Self::AnyOf(dimension, codes) => codes.iter().any(|c| record.has(dimension, c, period)),
            Self::AllOf(dimension, codes) => codes.iter().all(|c| record.has(dimension, c, period)),
            Self::Missing(dimension) => record.value(dimension, period).is_none(),
            Self::Not(inner) => !inner.admits(record, period),
        }
    }

    /// Every dimension and value the condition names, to check a definition against its
    /// vocabularies.
    pub fn values(&self) -> Vec<(Dimension, &'static str)> {
        match *self {
            Self::Is(dimension, code) => vec![(dimension, code)],
            Self::AnyOf(dimension, codes) | Self::AllOf(dimension, codes) => {
                codes.iter().map(|c| (dimension, *c)).collect()
            }
            Self::Missing(_) => Vec::new(),
            Self::Not(inner) => inner.values(),
        }
    }
}

/// One numbered column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub number: u8,
    pub header: Label,
    pub measure: Measure,
    /// Counts only the records that meet every one of these conditions.
    pub only: &'static [Filter],
}

/// A section of rows (I, II, …): the records broken down by one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    pub number: &'static str,
    pub title: Label,
    pub dimension: Dimension,
    /// The row of the records that have no value of the dimension yet, so that every
    /// section adds up to the same total; `None` when every record has a value.
    pub without_value: Option<Label>,
    /// Each row split again by a second dimension, in rows under it (`I.criminal.litigation`);
    /// the split rows of a row add up to it.
    pub split_by: Option<Dimension>,
    /// The codes of the split rows in the order the form prints them, when it is not the
    /// vocabulary's; empty for the vocabulary's order.
    pub split_order: &'static [&'static str],
}

impl Section {
    /// The values each row is split by, in the order the form prints them; none when the rows
    /// are not split.
    pub fn split_values(&self) -> Vec<(&'static str, Label)> {
        let Some(split) = self.split_by else {
            return Vec::new();
        };
        let mut values = split.values();
        if !self.split_order.is_empty() {
            values.sort_by_key(|(code, _)| {
                self.split_order
                    .iter()
                    .position(|c| c == code)
                    .unwrap_or(usize::MAX)
            });
        }
        values
    }
}

/// How the two sides of a rule compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Equal,
    AtMost,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Equal => "=",
            Self::AtMost => "<=",
        }
    }

    fn holds(self, left: u64, right: u64) -> bool {
        match self {
            Self::Equal => left == right,
            Self::AtMost => left <= right,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a rule is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleScope {
    /// On every row: the sum of the `left` columns against the sum of the `right` ones.
    EachRow {
        left: &'static [u8],
        right: &'static [u8],
    },
    /// Every section's rows add up, in each column, to the total row.
    SectionsAddUpToTotal,
    /// The split rows of every row add up, in each column, to the row.
    SplitsAddUpToRow,
}

/// One rule of a form, as the form prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, for machines (`f1.columns_in`).
    pub id: &'static str,
    pub scope: RuleScope,
    pub comparison: Comparison,
    pub severity: Severity,
    pub message: Label,
}

/// The records a form counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// Cases ([`super::CaseRecord`]).
    Cases,
    /// Requests for review ([`super::ReviewRecord`]).
    ReviewRequests,
    /// Aided persons, one per case ([`super::PersonTimeRecord`]).
    PersonTimes,
    /// People, each with their memberships of the units counted ([`super::StaffRecord`]).
    People(PeopleCounted),
    /// Organizations taking part in legal aid ([`super::ParticipantRecord`]).
    Participants,
}

/// Whom a form of people counts: the members, by `relation`, of units of `kinds`
/// ([`Subject::People`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeopleCounted {
    pub kinds: &'static [OrganizationKind],
    pub relation: MembershipRelation,
    /// Only those holding a valid card count (collaborators; Law on Legal Aid 2017 art. 24).
    pub needs_card: bool,
}

/// A form of a statistical regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form {
    /// Stable code (`tt02-2011-bm1`).
    pub code: &'static str,
    /// The form's number as printed (`Biểu mẫu số 1`).
    pub number: Label,
    pub title: Label,
    pub unit: CountUnit,
    pub subject: Subject,
    pub columns: &'static [Column],
    pub sections: &'static [Section],
    pub rules: &'static [Rule],
    /// The source of the definition: the instrument and its articles.
    pub source: &'static str,
    /// The regime the form belongs to: its periods, deadlines and signatures.
    pub regime: &'static super::regime::Regime,
    /// The cumulative periods, in months, for which units report the form under a regime of
    /// reporting years (Circular 02/2011 art. 7(1): forms 1–3 every three months, forms 4–6
    /// at six and twelve); empty under a regime of editions, whose every edition is reported.
    pub reported_months: &'static [u32],
}

impl Form {
    /// Whether units report this form for `period` (art. 7(1)); an ad-hoc range is reported
    /// by nobody, nor a period that ended before the form's regime came into force (Circular
    /// 03/2019's forms for 2018), though any form can be filled for any period.
    pub fn is_reported_for(&self, period: &super::period::Period) -> bool {
        use super::period::Period;
        if period.to() < self.regime.in_force_from {
            return false;
        }
        match period {
            Period::Range { .. } => false,
            Period::Cumulative { months, .. } => self.reported_months.contains(months),
            Period::Edition { .. } => true,
        }
    }
}

/// The code of the row of all records.
pub const TOTAL_ROW: &str = "total";

/// The code of a section's row of records without a value of its dimension.
pub const WITHOUT_VALUE: &str = "none";

/// One row of a filled form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `total`, or the section's number and the value's code: `I.criminal`, `IV.none`.
    pub code: String,
    /// The section's number; `None` for the total row.
    pub section: Option<&'static str>,
    /// The code of the row this one splits; `None` for a row of the section itself.
    pub parent: Option<String>,
    pub label: Label,
    /// One figure per column, in the order of the form's columns.
    pub cells: Vec<u64>,
}

/// A form filled for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub form: &'static Form,
    pub period: Period,
    /// The total row first, then each section's rows in order.
    pub rows: Vec<Row>,
}

/// The outcome of one rule on one row (or on the whole table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleResult {
    pub rule: &'static str,
    /// The row checked; for a rule over sections, the section's number and the column.
    pub row: String,
    pub left: u64,
    pub comparison: Comparison,
    pub right: u64,
    pub severity: Severity,
    pub message: Label,
}

impl RuleResult {
    pub fn holds(&self) -> bool {
        self.comparison.holds(self.left, self.right)
    }

    /// Left minus right.
    pub fn imbalance(&self) -> i128 {
        i128::from(self.left) - i128::from(self.right)
    }
}

/// Where one section's rows sit in a table: per value (`None` for the row without one) the
/// index of its row and the index of each split row under it.
type SectionIndex = Vec<(Option<&'static str>, usize, Vec<(&'static str, usize)>)>;

impl Form {
    /// Fills the form with `records` for `period`.
    pub fn fill<R: Countable>(&'static self, records: &[R], period: &Period) -> Table {
        let (mut table, section_rows) = self.layout(period);
        let rows = &mut table.rows;
        for record in records {
            for (c, column) in self.columns.iter().enumerate() {
                let selected = column.only.iter().all(|f| f.admits(record, period));
                let weight = record.weight(column.measure, period);
                if !selected || weight == 0 {
                    continue;
                }
                rows[0].cells[c] += weight;
                for (section, index) in self.sections.iter().zip(&section_rows) {
                    let value = record.value(section.dimension, period);
                    let Some((_, at, splits)) = index.iter().find(|(v, _, _)| *v == value) else {
                        continue;
                    };
                    rows[*at].cells[c] += weight;
                    if let Some(split) = section.split_by {
                        let sub = record.value(split, period);
                        if let Some((_, at)) = splits.iter().find(|(code, _)| Some(*code) == sub) {
                            rows[*at].cells[c] += weight;
                        }
                    }
                }
            }
        }
        table
    }

    /// The form for `period` with every figure zero: its rows in order, the layout that
    /// figures entered by hand or uploaded must follow.
    pub fn blank(&'static self, period: &Period) -> Table {
        self.layout(period).0
    }

    /// The blank table, and where each section's rows are in it.
    fn layout(&'static self, period: &Period) -> (Table, Vec<SectionIndex>) {
        let mut rows = vec![Row {
            code: TOTAL_ROW.to_owned(),
            section: None,
            parent: None,
            label: Label {
                vi: "Tổng số",
                en: "Total",
            },
            cells: vec![0; self.columns.len()],
        }];
        // Per section: the index of each row of a value (`None` for the row without one),
        // and the index of each split row under it.
        let mut section_rows = Vec::with_capacity(self.sections.len());
        for section in self.sections {
            let mut values = section
                .dimension
                .values()
                .into_iter()
                .map(|(code, label)| (Some(code), code, label))
                .collect::<Vec<_>>();
            if let Some(label) = section.without_value {
                values.push((None, WITHOUT_VALUE, label));
            }
            let mut index = Vec::new();
            for (value, code, label) in values {
                let row = self.empty_row(section, code, label, None);
                let parent = row.code.clone();
                let at = rows.len();
                rows.push(row);
                let mut splits = Vec::new();
                if section.split_by.is_some() {
                    for (sub, sub_label) in section.split_values() {
                        splits.push((sub, rows.len()));
                        rows.push(self.empty_row(
                            section,
                            &format!("{code}.{sub}"),
                            sub_label,
                            Some(parent.clone()),
                        ));
                    }
                }
                index.push((value, at, splits));
            }
            section_rows.push(index);
        }
        (
            Table {
                form: self,
                period: *period,
                rows,
            },
            section_rows,
        )
    }

    fn empty_row(
        &self,
        section: &Section,
        code: &str,
        label: Label,
        parent: Option<String>,
    ) -> Row {
        Row {
            code: format!("{}.{code}", section.number),
            section: Some(section.number),
            parent,
            label,
            cells: vec![0; self.columns.len()],
        }
    }

    /// The numbers of the columns whose figures hold an estimate in `period`: none unless
    /// the period has an estimated part, and then every column but the opening stocks.
    pub fn estimated_columns(&self, period: &Period) -> Vec<u8> {
        if period.estimated_from().is_none() {
            return Vec::new();
        }
        self.columns
            .iter()
            .filter(|c| !c.measure.is_opening_stock())
            .map(|c| c.number)
            .collect()
    }

    /// The index of column `number`.
    pub fn column_index(&self, number: u8) -> Option<usize> {
        self.columns.iter().position(|c| c.number == number)
    }
}

impl Table {
    /// Every rule of the form, on every row it applies to.
    pub fn check(&self) -> Vec<RuleResult> {
        let mut results = Vec::new();
        for rule in self.form.rules {
            match rule.scope {
                RuleScope::EachRow { left, right } => {
                    for row in &self.rows {
                        results.push(RuleResult {
                            rule: rule.id,
                            row: row.code.clone(),
                            left: self.sum(row, left),
                            comparison: rule.comparison,
                            right: self.sum(row, right),
                            severity: rule.severity,
                            message: rule.message,
                        });
                    }
                }
                RuleScope::SplitsAddUpToRow => self.splits_add_up(rule, &mut results),
                RuleScope::SectionsAddUpToTotal => {
                    let total = &self.rows[0];
                    for section in self.form.sections {
                        for (c, column) in self.form.columns.iter().enumerate() {
                            let sum = self
                                .rows
                                .iter()
                                .filter(|r| r.section == Some(section.number) && r.parent.is_none())
                                .map(|r| r.cells[c])
                                .sum();
                            results.push(RuleResult {
                                rule: rule.id,
                                row: format!("{}:{}", section.number, column.number),
                                left: sum,
                                comparison: rule.comparison,
                                right: total.cells[c],
                                severity: rule.severity,
                                message: rule.message,
                            });
                        }
                    }
                }
            }
        }
        results
    }

    /// The split rows of every row against the row, column by column.
    fn splits_add_up(&self, rule: &Rule, results: &mut Vec<RuleResult>) {
        for parent in self.rows.iter().filter(|r| r.parent.is_none()) {
            let splits: Vec<&Row> = self
                .rows
                .iter()
                .filter(|r| r.parent.as_deref() == Some(parent.code.as_str()))
                .collect();
            if splits.is_empty() {
                continue;
            }
            for (c, column) in self.form.columns.iter().enumerate() {
                results.push(RuleResult {
                    rule: rule.id,
                    row: format!("{}:{}", parent.code, column.number),
                    left: splits.iter().map(|r| r.cells[c]).sum(),
                    comparison: rule.comparison,
                    right: parent.cells[c],
                    severity: rule.severity,
                    message: rule.message,
                });
            }
        }
    }

    /// The figure of row `code` in column `number`.
    pub fn cell(&self, code: &str, number: u8) -> Option<u64> {
        let c = self.form.column_index(number)?;
        self.rows
            .iter()
            .find(|r| r.code == code)
            .map(|r| r.cells[c])
    }

    fn sum(&self, row: &Row, columns: &[u8]) -> u64 {
        columns
            .iter()
            .filter_map(|n| self.form.column_index(*n))
            .map(|c| row.cells[c])
            .sum()
    }
}
