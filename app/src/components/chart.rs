//! Small SVG charts drawn in the app from a report's figures: horizontal bars, lines over
//! months, stacked bars. Each is drawn in a viewBox about as wide as a card on a 390 px
//! phone, so its text is legible there and the chart scales to its box elsewhere; colours
//! come from CSS (`.s0` … `.s8`, see style/reports.css), legends are HTML (they wrap), and
//! every mark has a `<title>` tooltip. The exact figures are in the table beside each.

use crate::i18n::{current_lang, Lang};
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use shebao_domain::money::format_yuan;

/// The viewBox width: a card's inner width at 390 px, so one unit is about one pixel there.
const W: f64 = 340.0;
/// Text size in viewBox units (style/reports.css sets the same on `.chart text`).
const FONT: f64 = 12.0;
/// Series colours there are classes for; more series reuse them.
const COLOURS: usize = 9;

/// One value of a series with its text (what the bar's end, the tooltip and the
/// segment show); `None` where there is nothing to draw (no claim paid that month).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub value: Option<f64>,
    pub text: String,
}

impl Point {
    pub fn new(value: f64, text: impl Into<String>) -> Point {
        Point {
            value: Some(value),
            text: text.into(),
        }
    }

    pub fn none() -> Point {
        Point {
            value: None,
            text: "—".into(),
        }
    }

    /// A count, shown as it is.
    pub fn count(n: impl Into<u64>) -> Point {
        let n = n.into();
        Point::new(n as f64, n.to_string())
    }

    /// An amount of money: drawn to scale (a float is fine for pixels), shown as "¥1,234.56".
    pub fn yuan(amount: Decimal) -> Point {
        Point::new(amount.to_f64().unwrap_or(0.0), format_yuan(amount))
    }
}

/// A named series: one point per category (bar rows, months).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<Point>,
}

impl Series {
    /// One series per name, the `i`th reading its point from each of `rows` with `point(row, i)`
    /// (rows that hold a figure per series: a month's count per cause, per group).
    pub fn each<R>(
        names: &[String],
        rows: &[R],
        point: impl Fn(&R, usize) -> Point,
    ) -> Vec<Series> {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| Series {
                name: name.clone(),
                points: rows.iter().map(|r| point(r, i)).collect(),
            })
            .collect()
    }
}

/// How a stacked chart stacks: per month in columns (the trend), or each category as one
/// bar split into its shares (per branch, or the whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stack {
    Months,
    Shares,
}

fn colour(i: usize) -> String {
    format!("s{}", i % COLOURS)
}

/// The width `s` takes at `size`: a CJK character is about one em, other characters about
/// 0.6 (good enough to keep labels apart).
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// Coordinates with one decimal: enough for the screen, and a smaller page.
fn n(v: f64) -> String {
    format!("{:.1}", v)
}

/// The axis' top and tick step: 1, 2 or 5 times a power of ten, about four ticks.
fn ticks(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 1.0);
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| s * 4.0 >= max)
        .unwrap_or(10.0 * magnitude)
        .max(1.0);
    (step * (max / step).ceil(), step)
}

/// A tick's label, short: "12万" / "120k" for large values.
fn tick_label(v: f64, lang: Lang) -> String {
    let trim = |x: f64| {
        let s = format!("{x:.1}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    match lang {
        Lang::Zh if v >= 1e8 => format!("{}亿", trim(v / 1e8)),
        Lang::Zh if v >= 1e4 => format!("{}万", trim(v / 1e4)),
        Lang::En if v >= 1e6 => format!("{}M", trim(v / 1e6)),
        Lang::En if v >= 1e4 => format!("{}k", trim(v / 1e3)),
        _ => trim(v),
    }
}

fn max_of<'a>(points: impl Iterator<Item = &'a Point>) -> f64 {
    points.filter_map(|p| p.value).fold(0.0, f64::max)
}

/// The legend under a chart, as HTML so that long names wrap on a phone.
fn legend(names: Vec<String>) -> impl IntoView {
    let items = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| view! { <li><span class=format!("swatch {}", colour(i)) aria-hidden="true"></span>{name}</li> })
        .collect_view();
    view! { <ul class="legend">{items}</ul> }
}

/// The frame every chart shares: a figure with the SVG (an image with `label` for screen
/// readers, whose figures are in the table beside) and the legend when there is one.
fn figure(
    testid: &'static str,
    label: String,
    height: f64,
    marks: AnyView,
    names: Option<Vec<String>>,
) -> AnyView {
    view! {
        <figure class="chart" data-testid=testid>
            <svg viewBox=format!("0 0 {W} {}", n(height)) role="img" aria-label=label preserveAspectRatio="xMinYMin meet">
                {marks}
            </svg>
            {names.map(legend)}
        </figure>
    }
    .into_any()
}

/// Horizontal bars, one group per category (its label above), one bar per series, each
/// with its text at its end. A legend when there are several series.
pub fn bar_chart(
    testid: &'static str,
    label: String,
    categories: Vec<String>,
    series: Vec<Series>,
) -> AnyView {
    const BAR: f64 = 14.0;
    const LABEL: f64 = 17.0;
    let max = max_of(series.iter().flat_map(|s| &s.points)).max(f64::MIN_POSITIVE);
    let text_room = series
        .iter()
        .flat_map(|s| &s.points)
        .map(|p| text_width(&p.text, FONT))
        .fold(0.0, f64::max)
        + 6.0;
    let length = (W - text_room).max(W / 3.0);
    let group = LABEL + series.len() as f64 * (BAR + 3.0) + 8.0;
    let rows = categories
        .iter()
        .enumerate()
        .map(|(row, category)| {
            let top = row as f64 * group;
            let bars = series
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let p = s.points.get(row).cloned().unwrap_or_else(Point::none);
                    // A sliver for a zero, so that its colour still names its series.
                    let width = p.value.map_or(0.0, |v| (v / max * length).max(2.0));
                    let y = top + LABEL + i as f64 * (BAR + 3.0);
                    let tip = format!("{category} · {}：{}", s.name, p.text);
                    view! {
                        <rect class=colour(i) x="0" y=n(y) width=n(width) height=n(BAR) rx="2"><title>{tip}</title></rect>
                        <text class="value" x=n(width + 4.0) y=n(y + BAR - 3.0)>{p.text}</text>
                    }
                })
                .collect_view();
            view! {
                <g>
                    <text class="label" x="0" y=n(top + FONT)>{category.clone()}</text>
                    {bars}
                </g>
            }
        })
        .collect_view();
    let height = (categories.len() as f64 * group).max(group);
    let names = (series.len() > 1).then(|| series.iter().map(|s| s.name.clone()).collect());
    figure(testid, label, height, rows.into_any(), names)
}

/// The x axis of a chart over months: the band of each month and the labels, thinned to
/// what fits (every 2nd, 3rd … when there are many).
struct MonthAxis {
    left: f64,
    band: f64,
    step: usize,
}

impl MonthAxis {
    fn new(left: f64, months: &[String]) -> MonthAxis {
        let band = (W - left - 6.0) / months.len().max(1) as f64;
        let widest = months
            .iter()
            .map(|m| text_width(m, FONT))
            .fold(0.0, f64::max)
            + 8.0;
        let step = ((widest / band).ceil() as usize).max(1);
        MonthAxis { left, band, step }
    }

    fn centre(&self, i: usize) -> f64 {
        self.left + (i as f64 + 0.5) * self.band
    }

    /// The month labels at `y`, and under them `notes` (the growth, say) at the same months.
    fn labels(&self, months: &[String], notes: &[String], y: f64) -> AnyView {
        months
            .iter()
            .enumerate()
            // Counted from the last month, which is always named.
            .filter(|(i, _)| (months.len() - 1 - i).is_multiple_of(self.step))
            .map(|(i, m)| {
                let half = text_width(m, FONT) / 2.0;
                let x = self.centre(i).clamp(half, W - half);
                let note = notes.get(i).filter(|s| !s.is_empty()).cloned();
                view! {
                    <text class="tick" x=n(x) y=n(y) text-anchor="middle">{m.clone()}</text>
                    {note.map(|note| view! { <text class="note" x=n(x) y=n(y + FONT + 3.0) text-anchor="middle">{note}</text> })}
                }
            })
            .collect_view()
            .into_any()
    }
}

/// The y axis: grid lines and tick labels from 0 to `top`, over the plot `top_y`..`bottom`.
fn y_grid(top: f64, step: f64, left: f64, top_y: f64, bottom: f64, lang: Lang) -> AnyView {
    let count = (top / step).round() as usize;
    (0..=count)
        .map(|k| {
            let v = k as f64 * step;
            let y = bottom - v / top * (bottom - top_y);
            view! {
                <line class="grid" x1=n(left) x2=n(W) y1=n(y) y2=n(y)></line>
                <text class="tick" x=n(left - 4.0) y=n(y + 4.0) text-anchor="end">{tick_label(v, lang)}</text>
            }
        })
        .collect_view()
        .into_any()
}

/// The room the y axis' labels need.
fn y_room(top: f64, step: f64, lang: Lang) -> f64 {
    let count = (top / step).round() as usize;
    (0..=count)
        .map(|k| text_width(&tick_label(k as f64 * step, lang), FONT))
        .fold(0.0, f64::max)
        + 8.0
}

const PLOT_TOP: f64 = 10.0;
const PLOT_HEIGHT: f64 = 150.0;

/// Lines over `months`, one per series (one or two), a point with its tooltip at each
/// month that has a value; `notes` are written under the month labels (the growth).
pub fn line_chart(
    testid: &'static str,
    label: String,
    months: Vec<String>,
    series: Vec<Series>,
    notes: Vec<String>,
) -> AnyView {
    let lang = current_lang();
    let (top, step) = ticks(max_of(series.iter().flat_map(|s| &s.points)));
    let axis = MonthAxis::new(y_room(top, step, lang), &months);
    let bottom = PLOT_TOP + PLOT_HEIGHT;
    let y_of = |v: f64| bottom - v / top * PLOT_HEIGHT;
    let lines = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // A month without a value breaks the line.
            let mut d = String::new();
            let mut pen_down = false;
            for (m, p) in s.points.iter().enumerate() {
                match p.value {
                    Some(v) => {
                        d.push_str(&format!("{}{} {} ", if pen_down { "L" } else { "M" }, n(axis.centre(m)), n(y_of(v))));
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            let dots = s
                .points
                .iter()
                .enumerate()
                .filter_map(|(m, p)| p.value.map(|v| (m, v, p.text.clone())))
                .map(|(m, v, text)| {
                    let tip = format!("{} · {}：{text}", months.get(m).cloned().unwrap_or_default(), s.name);
                    view! { <circle class=colour(i) cx=n(axis.centre(m)) cy=n(y_of(v)) r="3.5"><title>{tip}</title></circle> }
                })
                .collect_view();
            view! {
                <path class=format!("line {}", colour(i)) d=d></path>
                {dots}
            }
        })
        .collect_view();
    let has_notes = notes.iter().any(|s| !s.is_empty());
    let height = bottom + FONT + 10.0 + if has_notes { FONT + 4.0 } else { 0.0 };
    let marks = view! {
        {y_grid(top, step, axis.left, PLOT_TOP, bottom, lang)}
        {lines}
        {axis.labels(&months, &notes, bottom + FONT + 6.0)}
    };
    let names = (series.len() > 1).then(|| series.iter().map(|s| s.name.clone()).collect());
    figure(testid, label, height, marks.into_any(), names)
}

/// Stacked bars with a legend: per month in columns from the bottom (`Stack::Months`, the
/// column's total on top), or each category one full-width bar split into its shares with
/// the point's text in its segment where it fits (`Stack::Shares`).
pub fn stacked_bar(
    testid: &'static str,
    label: String,
    categories: Vec<String>,
    series: Vec<Series>,
    stack: Stack,
) -> AnyView {
    let value = |s: &Series, c: usize| {
        s.points
            .get(c)
            .and_then(|p| p.value)
            .unwrap_or(0.0)
            .max(0.0)
    };
    let totals: Vec<f64> = (0..categories.len())
        .map(|c| series.iter().map(|s| value(s, c)).sum())
        .collect();
    let names = Some(series.iter().map(|s| s.name.clone()).collect());
    match stack {
        Stack::Months => {
            let lang = current_lang();
            let (top, step) = ticks(totals.iter().copied().fold(0.0, f64::max));
            let axis = MonthAxis::new(y_room(top, step, lang), &categories);
            let bottom = PLOT_TOP + 8.0 + PLOT_HEIGHT;
            let scale = PLOT_HEIGHT / top;
            let width = (axis.band * 0.62).min(28.0);
            let columns = categories
                .iter()
                .enumerate()
                .map(|(c, month)| {
                    let x = axis.centre(c) - width / 2.0;
                    let mut y = bottom;
                    let segments = series
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| value(s, c) > 0.0)
                        .map(|(i, s)| {
                            let h = value(s, c) * scale;
                            y -= h;
                            let tip = format!("{month} · {}：{}", s.name, s.points[c].text);
                            view! { <rect class=colour(i) x=n(x) y=n(y) width=n(width) height=n(h)><title>{tip}</title></rect> }
                        })
                        .collect_view();
                    let total = totals[c];
                    let text = format!("{total}");
                    let sum = (total > 0.0 && text_width(&text, FONT) <= axis.band).then(|| {
                        view! { <text class="value" x=n(axis.centre(c)) y=n(bottom - total * scale - 3.0) text-anchor="middle">{text}</text> }
                    });
                    view! { <g>{segments}{sum}</g> }
                })
                .collect_view();
            let marks = view! {
                {y_grid(top, step, axis.left, PLOT_TOP + 8.0, bottom, lang)}
                {columns}
                {axis.labels(&categories, &[], bottom + FONT + 6.0)}
            };
            figure(testid, label, bottom + FONT + 10.0, marks.into_any(), names)
        }
        Stack::Shares => {
            const BAR: f64 = 26.0;
            const LABEL: f64 = 17.0;
            let group = LABEL + BAR + 10.0;
            let rows = categories
                .iter()
                .enumerate()
                .map(|(c, category)| {
                    let top = c as f64 * group;
                    let whole = totals[c].max(f64::MIN_POSITIVE);
                    let mut x = 0.0;
                    let segments = series
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| value(s, c) > 0.0)
                        .map(|(i, s)| {
                            let w = value(s, c) / whole * W;
                            let text = s.points[c].text.clone();
                            let tip = format!("{category} · {}：{text}", s.name);
                            let fits = text_width(&text, FONT) + 6.0 <= w;
                            let view = view! {
                                <rect class=colour(i) x=n(x) y=n(top + LABEL) width=n(w) height=n(BAR)><title>{tip}</title></rect>
                                {fits.then(|| view! {
                                    <text class="inside" x=n(x + w / 2.0) y=n(top + LABEL + BAR / 2.0 + 4.0) text-anchor="middle">{text}</text>
                                })}
                            };
                            x += w;
                            view
                        })
                        .collect_view();
                    view! { <g><text class="label" x="0" y=n(top + FONT)>{category.clone()}</text>{segments}</g> }
                })
                .collect_view();
            let height = (categories.len() as f64 * group).max(group);
            figure(testid, label, height, rows.into_any(), names)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_largest_value() {
        assert_eq!(ticks(0.0), (1.0, 1.0));
        assert_eq!(ticks(3.0), (3.0, 1.0));
        assert_eq!(ticks(17.0), (20.0, 5.0));
        assert_eq!(ticks(123_456.0), (150_000.0, 50_000.0));
        assert_eq!(tick_label(150_000.0, Lang::Zh), "15万");
        assert_eq!(tick_label(25_000.0, Lang::En), "25k");
        assert_eq!(tick_label(7.0, Lang::Zh), "7");
    }

    #[test]
    fn month_labels_are_thinned_to_what_fits() {
        let months = |k: usize| {
            (0..k)
                .map(|i| format!("2026-{:02}", i % 12 + 1))
                .collect::<Vec<_>>()
        };
        assert_eq!(MonthAxis::new(30.0, &months(3)).step, 1);
        let twelve = MonthAxis::new(30.0, &months(12));
        assert!(
            twelve.step >= 2 && twelve.band * twelve.step as f64 >= text_width("2026-01", FONT),
            "no overlap"
        );
        assert!(MonthAxis::new(30.0, &months(36)).step >= 6);
    }
}
