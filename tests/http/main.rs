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
mod hidden;
mod operations;
mod organizations;
mod privacy;
mod public;
mod recipients;
mod reference;
mod resources;
mod reviews_and_reports;
mod staff;
mod statistics;
mod statistics_cells;
mod statistics_editions;
mod statistics_people;
mod storage;
mod text_input;
