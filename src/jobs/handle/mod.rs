//! One file per event (STYLE 27): from a payload to an [`super::Event`].
//! Routing is the one `match` in `Event::parse`.

pub(super) mod check_run;
pub(super) mod check_suite;
pub(super) mod installation;
pub(super) mod pull_request;
