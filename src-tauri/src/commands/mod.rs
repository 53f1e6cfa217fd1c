//! The commands the web UI may call. Each unpacks its arguments, calls one core function and
//! maps the error; [`crate::bindings`] lists them all once.

pub mod catalogue;
pub mod collection;
pub mod settings;
pub mod sync;
