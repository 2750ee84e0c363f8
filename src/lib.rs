//! tuple-report checks Tuple team usage exports: the JSON usage report against the vendor's
//! schema and the report's own rules, with every finding located at its line and column.
//!
//! The flow: [`read`] the bytes → [`parse`] → [`schema`] and [`rules`] → [`diagnostic`]s,
//! located by [`locate`] → [`render`]ed in a format.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
mod checker;
pub mod config;
pub mod describe;
pub mod diagnostic;
pub mod formats;
#[cfg(feature = "generate")]
pub mod generate;
pub mod locate;
pub mod pairing;
pub mod parse;
pub mod read;
pub mod registry;
pub mod render;
pub mod rules;
pub mod schema;
pub mod text;

pub use check::{FileReport, Options, Outcome};
pub use checker::Checker;
pub use diagnostic::{Diagnostic, Severity};
pub use registry::Rule;
