//! The statistical forms: their definitions (`definitions`), any form filled from the
//! records for an organization's subtree and a period (`tables`), and the files it is
//! exported to (`export`).

mod cells;
mod definitions;
mod export;
mod litigation_notice;
mod quality_ranking;
mod records;
mod releases;
mod reports;
mod tables;

pub use cells::*;
pub use definitions::*;
pub use litigation_notice::*;
pub use quality_ranking::*;
pub use releases::*;
pub use reports::*;
pub use tables::*;

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tgpl_domain::access::Action;
use tgpl_domain::hierarchy::Hierarchy;
use tgpl_domain::statistics::form::{Form, RuleResult, RuleScope, Severity, Subject};
use tgpl_domain::statistics::regime::{DeadlineKind, Regime};
use tgpl_domain::statistics::{forms, Period};
use tgpl_persistence::organizations;
use utoipa::{IntoParams, ToSchema};

use super::reference::LabelView;
use crate::auth::Caller;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::scope::{self, today};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ColumnView {
    pub number: u8,
    pub header: LabelView,
}

impl ColumnView {
    /// The numbered columns of `form`, in order.
    pub fn of(form: &Form) -> Vec<Self> {
        form.columns
            .iter()
            .map(|c| Self {
                number: c.number,
                header: c.header.into(),
            })
            .collect()
    }
}

#[derive(Serialize, ToSchema)]
pub struct SectionView {
    /// `I`, `II`, …
    pub number: &'static str,
    pub title: LabelView,
    /// The codes and labels of its rows, in order; a row's code in a table is the section's
    /// number, a dot and this code (`I.criminal`).
    pub rows: Vec<RowDefinitionView>,
    /// The codes and labels each row is split by, in order, when it is: the split row's code
    /// is the row's code, a dot and this code (`I.criminal.litigation`).
    pub split_by: Vec<RowDefinitionView>,
}

/// The regime a form belongs to.
#[derive(Serialize, ToSchema)]
pub struct RegimeView {
    #[schema(example = "tt02-2011")]
    pub code: &'static str,
    pub instrument: LabelView,
    pub in_force_from: NaiveDate,
    /// The day it was replaced, if it was; its forms stay computable for any period.
    pub replaced_on: Option<NaiveDate>,
    /// `reporting_year` (cumulative periods from 1 October: `2025-9M`, `2025-Y`) or
    /// `calendar_editions` (`2025-H1`, `2025-CYE`, `2025-CY`); ad-hoc ranges under either.
    pub periods: &'static str,
    /// Who signs a form, in order.
    pub signatures: Vec<LabelView>,
}

impl From<&'static Regime> for RegimeView {
    fn from(r: &'static Regime) -> Self {
        use tgpl_domain::statistics::regime::Calendar;
        Self {
            code: r.code,
            instrument: r.instrument.into(),
            in_force_from: r.in_force_from,
            replaced_on: r.replaced_on,
            periods: match r.calendar {
                Calendar::ReportingYear => "reporting_year",
                Calendar::CalendarEditions => "calendar_editions",
            },
            signatures: r
                .signatures
                .iter()
                .map(|(title, _)| (*title).into())
                .collect(),
        }
    }
}

fn deadline_kind(kind: DeadlineKind) -> &'static str {
    match kind {
        DeadlineKind::SendBy => "send_by",
        DeadlineKind::ReceivedBy => "received_by",
    }
}

#[derive(Serialize, ToSchema)]
pub struct RowDefinitionView {
    pub code: &'static str,
    pub label: LabelView,
}

#[derive(Serialize, ToSchema)]
pub struct RuleView {
    #[schema(example = "tt02-2011-bm1.in")]
    pub id: &'static str,
    /// The columns added on the left, for a rule checked on every row.
    pub left: Vec<u8>,
    /// `=` or `<=`.
    pub operator: &'static str,
    /// The columns added on the right, for a rule checked on every row.
    pub right: Vec<u8>,
    /// `each_row`, `sections_add_up_to_total` (each section's rows add up to the total
    /// row, in every column), or `splits_add_up_to_row` (the split rows of a row add up to
    /// it, in every column).
    pub scope: &'static str,
    /// `error` or `warning`.
    pub severity: &'static str,
    pub message: LabelView,
}

/// A form's definition.
#[derive(Serialize, ToSchema)]
pub struct FormView {
    #[schema(example = "tt02-2011-bm1")]
    pub code: &'static str,
    pub number: LabelView,
    pub title: LabelView,
    /// What a figure counts (`vụ việc`, `lượt người`, …).
    pub unit: LabelView,
    /// The instrument and articles the definition comes from.
    pub source: &'static str,
    pub regime: RegimeView,
    pub columns: Vec<ColumnView>,
    pub sections: Vec<SectionView>,
    pub rules: Vec<RuleView>,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

impl From<&'static Form> for FormView {
    fn from(f: &'static Form) -> Self {
        Self {
            code: f.code,
            number: f.number.into(),
            title: f.title.into(),
            unit: f.unit.label().into(),
            source: f.source,
            regime: f.regime.into(),
            columns: ColumnView::of(f),
            sections: f
                .sections
                .iter()
                .map(|s| {
                    let mut rows: Vec<RowDefinitionView> = s
                        .dimension
                        .values()
                        .into_iter()
                        .map(|(code, label)| RowDefinitionView {
                            code,
                            label: label.into(),
                        })
                        .collect();
                    if let Some(label) = s.without_value {
                        rows.push(RowDefinitionView {
                            code: tgpl_domain::statistics::form::WITHOUT_VALUE,
                            label: label.into(),
                        });
                    }
                    SectionView {
                        number: s.number,
                        title: s.title.into(),
                        rows,
                        split_by: s
                            .split_values()
                            .into_iter()
                            .map(|(code, label)| RowDefinitionView {
                                code,
                                label: label.into(),
                            })
                            .collect(),
                    }
                })
                .collect(),
            rules: f
                .rules
                .iter()
                .map(|r| {
                    let (scope, left, right) = match r.scope {
                        RuleScope::EachRow { left, right } => {
                            ("each_row", left.to_vec(), right.to_vec())
                        }
                        RuleScope::SectionsAddUpToTotal => {
                            ("sections_add_up_to_total", Vec::new(), Vec::new())
                        }
                        RuleScope::SplitsAddUpToRow => {
                            ("splits_add_up_to_row", Vec::new(), Vec::new())
                        }
                    };
                    RuleView {
                        id: r.id,
                        left,
                        operator: r.comparison.symbol(),
                        right,
                        scope,
                        severity: severity(r.severity),
                        message: r.message.into(),
                    }
                })
                .collect(),
        }
    }
}
