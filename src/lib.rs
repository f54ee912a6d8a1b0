//! chorus turns a git repository of Markdown into an employee-advocacy hub:
//! a static intranet site holding the social-media policy, training guides and
//! share campaigns.
//!
//! The data flows one way: [`config`] → [`content`] → [`markdown`] → [`share`] →
//! [`render`] → [`build`], [`serve`] and [`digest`], with the commands ([`cmd`]) on top;
//! [`report`] (the period report) sits on the [`tracker`]'s store and the hub.
//! [`hub::Hub`] holds a loaded hub in memory. Below them all, [`util`] holds
//! small shared helpers and [`link`] what a short link is made of (networks,
//! short codes, ids, safe destinations, the tracker's paths, the link
//! manifest): the [`tracker`] takes only those from the builder.

pub mod build;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod digest;
pub mod hub;
pub mod link;
pub mod markdown;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod share;
pub mod source_file;
pub mod theme;
pub mod tracker;
pub mod util;
mod yaml;
