//! Pieces several pages share, one file per kind of piece.

mod fields;
mod labels;
mod load;
mod price;
mod time;
mod timeline;

pub use fields::field_error;
pub use labels::{badge, ins_label, kind_label, months_text, state_label, types_text};
pub use load::{route_employee, route_request, Loaded, Loading};
pub use price::price_table;
pub use time::{china_time, clock, minutes_left, parse_date, ticker};
pub use timeline::{changes_list, Timeline};
