//! Turning an [`Outcome`] into text, one [`Report`] per output format.
//!
//! Renderers return strings and print nothing; the binary decides where they go.

mod human;
mod json;

use crate::check::Outcome;

pub use human::Human;
pub use json::Json;

/// An output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code frames and a summary, for people.
    #[default]
    Human,
    /// One deterministic JSON document, for programs.
    Json,
}

/// What a renderer may vary.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours (human output only).
    pub color: bool,
}

pub trait Report {
    fn render(&self, outcome: &Outcome) -> String;
}

/// The renderer for `format`.
pub fn renderer(format: Format, options: RenderOptions) -> Box<dyn Report> {
    match format {
        Format::Human => Box::new(Human {
            color: options.color,
        }),
        Format::Json => Box::new(Json),
    }
}
