//! Online applications from the national public-services portal (Cổng Dịch vụ công quốc
//! gia; seed 001 §2): the procedures, the working-day calendar their limits run on, and the
//! dossiers with their steps and clock.

pub mod calendar;
pub mod dossier;
pub mod intake;
pub mod procedure;
pub mod report;
