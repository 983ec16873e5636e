//! Helpers for tests of monthly runs: a run's lists read the way the run page reads them.

use crate::requests::get;
use crate::TestApp;
use reqwest::Client;
use serde_json::Value;

/// Employees per page of a run's lines, and changes per page of its changes.
pub const PAGE: usize = 20;

/// Every item of run `id`'s `list` ("lines" or "changes"): its first page in the run itself,
/// then `/api/runs/{id}/{list}?after=` until a page says none follow. Each page is full but
/// the last, and follows the one before in employee order, no employee twice.
pub async fn run_list(client: &Client, app: &TestApp, id: &str, list: &str) -> Vec<Value> {
    let mut page = get(client, app, &format!("/api/runs/{id}")).await[list].clone();
    let mut items: Vec<Value> = Vec::new();
    loop {
        let got = page["items"].as_array().expect("items").clone();
        let last = items.last().map(|i| i["employee_id"].as_str().unwrap().to_string()).unwrap_or_default();
        assert!(got.iter().all(|i| i["employee_id"].as_str().unwrap() > last.as_str()), "{list} after {last}: {page}");
        assert!(got.windows(2).all(|w| w[0]["employee_id"].as_str() < w[1]["employee_id"].as_str()), "{page}");
        items.extend(got.iter().cloned());
        match page["next"].as_str() {
            Some(next) => {
                assert_eq!(got.len(), PAGE, "only the last page is short");
                assert_eq!(Some(next), got.last().and_then(|i| i["employee_id"].as_str()), "the cursor is the last shown");
                page = get(client, app, &format!("/api/runs/{id}/{list}?after={next}")).await;
            }
            None => return items,
        }
    }
}

/// Every line of run `id`, one per employee and insurance type, in employee order and each
/// employee's types in their usual order, with the employee's id and name on each.
pub async fn run_lines(client: &Client, app: &TestApp, id: &str) -> Vec<Value> {
    let employees = run_list(client, app, id, "lines").await;
    employees
        .iter()
        .flat_map(|e| {
            e["lines"].as_array().expect("lines").iter().map(move |l| {
                let mut line = l.clone();
                line["employee_id"] = e["employee_id"].clone();
                line["employee_name"] = e["employee_name"].clone();
                line
            })
        })
        .collect()
}
