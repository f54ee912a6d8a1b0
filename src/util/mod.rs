//! Small helpers shared by every layer, one per file, below configuration and
//! content: any module may use them without reaching into another's internals.

pub mod date;
pub mod embedded;
pub mod files;
pub mod forge;
pub mod html;
pub mod number;
pub mod runtime;
pub mod url;
