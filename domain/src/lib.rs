//! The domain of the legal aid management system (Hệ thống quản lý tổ chức và hoạt động
//! trợ giúp pháp lý): its vocabulary, rules and decisions, as pure Rust.
//!
//! Nothing here performs I/O or knows about HTTP or SQL; CI checks that this crate never
//! depends on diesel, actix or utoipa. Values are parsed once at the edge
//! ([`credentials::Username::parse`], [`organization::OrgCode::parse`], ...) and are valid
//! afterwards.

pub mod access;
pub mod account;
pub mod attachment;
pub mod audit;
pub mod case;
pub mod change_request;
pub mod contract;
pub mod credentials;
pub mod hierarchy;
pub mod label;
pub mod lifecycle;
pub mod organization;
pub mod participation;
pub mod portal;
pub mod privacy;
pub mod recipient;
pub mod reference;
pub mod refusal;
pub mod review_request;
pub mod role;
pub mod sampling;
pub mod staff;
pub mod statistics;
pub mod text;
pub mod throttle;
pub mod time;
