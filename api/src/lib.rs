//! The HTTP API of the legal aid management system, and the pieces of the `tgpl` binary.

pub mod auth;
pub mod bench_data;
pub mod bootstrap;
pub mod config;
pub mod credentials;
pub mod demo;
pub mod http;
pub mod openapi;
pub mod redaction;
pub mod routes;
pub mod scope;
pub mod server;
pub mod services;
pub mod state;
pub mod storage;
pub mod webhooks;
