//! The rules a schema cannot express, grouped by what they check: the usage report
//! ([`usage_report`]), the user report ([`user_report`]), and the one against the other
//! ([`cross_check`]). Each group words all of its findings in its own `diags.rs`.

pub mod cross_check;
pub mod usage_report;
pub mod user_report;

pub use usage_report::{Activity, AsOf, MemberFacts, ReportRules, Roster, Stats};
