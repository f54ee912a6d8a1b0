//! chorus turns a git repository of Markdown into an employee-advocacy hub:
//! a static intranet site holding the social-media policy, training guides and
//! share campaigns.
//!
//! The data flows one way: [`config`] → [`content`] → [`markdown`] → [`share`] →
//! [`render`] → [`build`]. [`hub::Hub`] holds a loaded hub in memory. Below
//! them all, [`link`] holds what a short link is made of (networks, ids, safe
//! destinations), which the [`tracker`] takes from here and the link manifest
//! from [`share::links`].

pub mod build;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod hub;
pub mod link;
pub mod markdown;
pub mod render;
pub mod serve;
pub mod share;
pub mod source_file;
pub mod theme;
pub mod tracker;
pub mod util;
mod yaml;
