//! HTTP plumbing shared by every resource: errors as problems, languages, extractors,
//! paging and the middlewares.

pub mod body_deadline;
pub mod csv;
pub mod error;
pub mod extract;
pub mod files;
pub mod head;
pub mod lang;
pub mod page;
pub mod patch;
pub mod problem;
pub mod request_id;
pub mod routes_table;
pub mod schemas;
mod strict_json;
pub mod tabular;
pub mod text;
