//! Black-box tests over HTTP. Each test starts the real server with a fresh database.

mod accounts;
mod attachments;
mod audit;
mod auth;
mod cases;
mod change_requests;
mod concurrency;
mod contract;
mod errors;
mod health;
mod operations;
mod organizations;
mod public;
mod recipients;
mod reference;
mod reviews_and_reports;
mod staff;
mod storage;
