//! `chorus report`'s period report: what a period's sharing achieved,
//! against the period before, per campaign and goal, network and post,
//! with the training and policy counts and, when hub.yaml sets rates, the
//! earned media value (docs/report.md).
//!
//! [`gather`] reads the figures from the tracker's store into a
//! [`model::Report`]; [`layout`] lays them out in the report's language for
//! [`markdown`] and [`html`]; [`text`] writes the same figures as a table
//! and CSV, and the model itself is the JSON.

pub mod facts;
pub mod gather;
pub mod html;
pub mod layout;
pub mod markdown;
pub mod model;
pub mod text;
pub mod words;

pub use gather::{gather, Facts};
pub use model::{Period, Report};
