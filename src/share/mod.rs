//! The share engine: networks, and the posts each campaign snippet becomes.

pub mod network;

pub use network::Network;
