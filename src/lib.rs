//! tuple-report checks Tuple team usage exports: the JSON usage report against the vendor's
//! schema and the report's own rules, with every finding located at its line and column.
//!
//! The front door is [`Checker`]: it reads and checks files (or bytes), and gives an
//! [`Outcome`], which renders in every output [`Format`].
//!
//! Inside, the flow is: `read` the bytes → `parse` → `schema` and `rules` → `diagnostic`s,
//! located by `locate` → `render`ed in a format.
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod check;
mod checker;
pub mod config;
mod describe;
mod diagnostic;
mod formats;
#[cfg(feature = "generate")]
pub mod generate;
mod locate;
mod pairing;
mod parse;
mod read;
mod registry;
mod render;
mod rules;
mod schema;
mod text;

pub use check::{CrossChecked, FileReport, Outcome};
pub use checker::{Batch, Checker, Output, UsageError};
pub use diagnostic::{Anchor, Diagnostic, Excerpt, Location, Position, Related, Severity};
pub use read::gather::Skipped;
pub use read::{FileKind, ReadError};
pub use registry::Rule;
pub use render::{Format, RenderOptions};
pub use rules::Stats;
pub use text::escape;

/// The vendor's JSON Schema of the usage report, as embedded (`tuple-report schema`).
pub const SCHEMA: &str = schema::SOURCE;

/// What the crate's own tests and tools reach below the front door; no part of the API.
#[doc(hidden)]
pub mod internals {
    pub use crate::parse::csv::{read_records, CsvProblem, Record};
    pub use crate::read::{encoding, Encoding};
    pub use crate::registry::{markdown_table, Stage};
    pub use crate::text::must_be_escaped;
}
