//! Pieces several pages share, one file per kind of piece.

mod bell;
mod chart;
mod fields;
mod labels;
mod load;
mod pager;
mod price;
mod tabs;
mod time;
mod timeline;

pub use bell::{bell, BellRefresh};
pub use chart::{bar_chart, line_chart, stacked_bar, Point, Series, Stack};
pub use fields::{field_error, field_message};
pub use labels::{
    alert_badge, badge, claim_badge, ins_label, kind_label, months_text, run_badge, span_text, state_label, types_text, urgency_class,
};
pub use load::{route_claim, route_employee, route_request, route_run, Loaded, Loading};
pub use pager::pager;
pub use price::price_table;
pub use tabs::{state_query, state_tabs};
pub use time::{china_time, clock, minutes_left, parse_date, ticker};
pub use timeline::{changes_list, Timeline};
