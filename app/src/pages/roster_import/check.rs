//! Every row of the file through the domain's `RosterCheck`, in slices: `pause` is awaited
//! between them, so the page can draw its progress bar and stay responsive.

use super::read::Table;
use chrono::NaiveDate;
use shebao_domain::roster::{
    row_form, ColumnNames, ImportRowIn, RosterCheck, RosterField, RowError,
};
use std::future::Future;

/// Rows checked between two pauses.
const SLICE: usize = 2_000;

/// The file checked: every row as the form the server gets, and the problems found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Checked {
    pub rows: Vec<ImportRowIn>,
    /// In row order.
    pub errors: Vec<RowError>,
    /// Rows with at least one error.
    pub bad_rows: u32,
}

impl Checked {
    pub fn total(&self) -> u32 {
        self.rows.len() as u32
    }

    pub fn valid(&self) -> u32 {
        self.total() - self.bad_rows
    }
}

pub async fn check_rows<P, F>(
    table: &Table,
    mapping: &[Option<RosterField>],
    branch_id: &str,
    today: NaiveDate,
    mut pause: P,
) -> Checked
where
    P: FnMut(f64) -> F,
    F: Future<Output = ()>,
{
    let columns = ColumnNames::of(&table.headers, mapping);
    let mut check = RosterCheck::new(today);
    let mut out = Checked {
        rows: Vec::with_capacity(table.rows.len()),
        ..Checked::default()
    };
    let total = table.rows.len().max(1) as f64;
    for (i, r) in table.rows.iter().enumerate() {
        let form = row_form(&r.cells, mapping, branch_id);
        let errors = check.check(r.row, &form, &columns);
        if !errors.is_empty() {
            out.bad_rows += 1;
            out.errors.extend(errors);
        }
        out.rows.push(ImportRowIn { row: r.row, form });
        if (i + 1).is_multiple_of(SLICE) {
            pause((i + 1) as f64 / total).await;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::read::DataRow;
    use super::*;
    use shebao_domain::roster::guess_mapping;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    fn run(table: &Table) -> (Checked, usize) {
        let mut pauses = 0;
        let mapping = guess_mapping(&table.headers);
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let checked = {
            let future = pin!(check_rows(table, &mapping, "br-bj", today, |_| {
                pauses += 1;
                std::future::ready(())
            }));
            match future.poll(&mut Context::from_waker(Waker::noop())) {
                Poll::Ready(c) => c,
                Poll::Pending => panic!("a ready pause never waits"),
            }
        };
        (checked, pauses)
    }

    fn row(row: u32, cells: &[&str]) -> DataRow {
        DataRow {
            row,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn three_bad_rows_are_found_with_their_rows_and_columns() {
        let table = Table {
            headers: ["姓名", "身份证号码", "入职日期", "月工资"]
                .map(String::from)
                .to_vec(),
            rows: vec![
                row(2, &["张三", "110105199003071239", "2026/3/1", "8,000"]),
                row(3, &["李四", "110105199003071230", "2026-03-01", "8000"]),
                row(4, &["", "110105198506150022", "46082", "8000"]),
                row(5, &["王五", "110101199001011237", "2026年3月1日", "abc"]),
            ],
        };
        let (checked, pauses) = run(&table);
        assert_eq!(pauses, 0);
        assert_eq!(
            (checked.total(), checked.valid(), checked.bad_rows),
            (4, 1, 3)
        );
        let found: Vec<(u32, &str, &str)> = checked
            .errors
            .iter()
            .map(|e| (e.row, e.field.as_str(), e.column.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (3, "resident_id", "身份证号码"),
                (4, "name", "姓名"),
                (5, "salary", "月工资")
            ]
        );
        assert_eq!(checked.rows[0].form.hire_date, "2026-03-01");
        assert_eq!(checked.rows[0].form.branch_id, "br-bj");
        assert_eq!(
            checked.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
            [2, 3, 4, 5]
        );
    }

    #[test]
    fn large_files_pause_every_slice() {
        let rows = (0..4_500)
            .map(|i| row(i + 2, &["员工", "", "", ""]))
            .collect();
        let table = Table {
            headers: ["姓名", "身份证号", "入职日期", "月工资"]
                .map(String::from)
                .to_vec(),
            rows,
        };
        let (checked, pauses) = run(&table);
        assert_eq!((checked.total(), checked.valid(), pauses), (4_500, 0, 2));
    }
}
