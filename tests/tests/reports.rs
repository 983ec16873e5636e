//! The reports through HTTP on the real stack: late payments counted by branch and by the
//! cause where each run stood at its deadline (the clock moved across it), claim times by
//! contribution status, costs by branch, department and month with new hires, back-payments
//! and late fees; each reader in its scope; the same figures in the .xlsx, read back.

use chrono::{NaiveDate, TimeZone};
use reqwest::{Client, StatusCode};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use shebao_domain::policy::{policy_for, City};
use shebao_domain::report::{growth_percent, Spread};
use shebao_domain::Period;
use shebao_tests::requests::{get, post};
use shebao_tests::runs::run_lines;
use shebao_tests::xlsx::{count, download, headers, sheet, yuan};
use shebao_tests::{new_employee, resident_id, spawn_app, TestApp};
use std::time::Duration;

/// 10:00 in China on `day`, in ms since the epoch.
fn china_morning(day: NaiveDate) -> i64 {
    chrono::FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&day.and_hms_opt(10, 0, 0).unwrap()).unwrap().timestamp_millis()
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("a decimal string, not {v}")).parse().unwrap()
}

async fn status(client: &Client, app: &TestApp, path: &str) -> StatusCode {
    client.get(app.url(path)).send().await.unwrap().status()
}

/// The run of `branch` for `period`, created and generated (the queue works through it).
async fn generated_run(client: &Client, app: &TestApp, branch: &str, period: &str) -> String {
    let (status, created) = post(client, app, "/api/runs", json!({"branch_id": branch, "period": period})).await;
    assert!(status.is_success(), "{created}");
    let id = created["run"]["id"].as_str().unwrap().to_string();
    for _ in 0..300 {
        if get(client, app, &format!("/api/runs/{id}")).await["run"]["state"] != "generating" {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("run {id} still generating");
}

async fn step(client: &Client, app: &TestApp, id: &str, action: &str) -> Value {
    let detail = get(client, app, &format!("/api/runs/{id}")).await;
    let reason = matches!(action, "reject" | "approve").then_some("报表测试：核对后处理");
    let (status, after) = post(client, app, &format!("/api/runs/{id}/{action}"), json!({"version": detail["run"]["version"], "reason": reason})).await;
    assert_eq!(status, 200, "{action} {id}: {after}");
    after
}

#[tokio::test]
async fn late_payments_are_counted_by_branch_and_by_where_each_run_stood_at_its_deadline() {
    let mut app = spawn_app().await;
    // Next month, which the seeded data has no runs of, from its 5th: every deadline ahead.
    let month = Period::of(shebao_domain::ids::today_in_china()).next();
    let due = |city| policy_for(city, month).unwrap().due_date(month);
    let last_due = [City::Beijing, City::Shanghai, City::Shenzhen].into_iter().map(due).max().unwrap();
    app.restart_at(china_morning(month.first_day() + chrono::Days::new(4))).await;
    let (manager, finance) = (app.client_as("chen.mgr").await, app.client_as("zhao.fin").await);
    let m = month.to_string();
    let beijing = generated_run(&manager, &app, "br-beijing", &m).await;
    let shanghai = generated_run(&manager, &app, "br-shanghai", &m).await;
    let shenzhen = generated_run(&manager, &app, "br-shenzhen", &m).await;
    // Shanghai pays on time; Beijing waits for finance past its deadline; Shenzhen's list is
    // sent back for corrections and never confirmed again.
    for action in ["confirm", "approve", "submit"] {
        step(if action == "confirm" { &manager } else { &finance }, &app, &shanghai, action).await;
    }
    step(&manager, &app, &beijing, "confirm").await;
    step(&manager, &app, &shenzhen, "confirm").await;
    step(&finance, &app, &shenzhen, "reject").await;
    // Three days after the last deadline, finance approves Beijing's and it is paid late.
    app.restart_at(china_morning(last_due + chrono::Days::new(3))).await;
    let finance = app.client_as("zhao.fin").await; // the sessions of weeks ago have expired
    step(&finance, &app, &beijing, "approve").await;
    let paid = step(&finance, &app, &beijing, "submit").await;
    assert_eq!(paid["run"]["state"], "archived", "{paid}");
    let fee = dec(&paid["run"]["late_fee"]);
    assert!(fee > Decimal::ZERO, "paid after the deadline: a late fee");

    let director = app.client_as("director").await;
    let query = format!("?from={m}&to={m}");
    let report = get(&director, &app, &format!("/api/reports/late-payments{query}")).await;
    let causes: Vec<&str> = report["causes"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(causes, ["awaiting_hr", "missing_data", "awaiting_finance", "awaiting_submission", "bureau"]);
    let total = &report["total"];
    assert_eq!((total["runs"].as_u64(), total["late"].as_u64()), (Some(3), Some(2)), "{report}");
    assert_eq!(total["by_cause"], json!([0, 1, 1, 0, 0]));
    assert_eq!(dec(&total["late_fees"]), fee);
    let branch = |id: &str| report["by_branch"].as_array().unwrap().iter().find(|b| b["key"] == id).unwrap().clone();
    assert_eq!(branch("br-beijing")["by_cause"], json!([0, 0, 1, 0, 0]), "confirmed, waiting for finance at its deadline");
    assert_eq!(branch("br-shenzhen")["by_cause"], json!([0, 1, 0, 0, 0]), "sent back for missing data");
    assert_eq!(branch("br-shanghai")["late"], 0);
    assert_eq!(report["by_month"].as_array().unwrap().len(), 1);
    let runs = report["runs"].as_array().unwrap();
    let late_beijing = runs.iter().find(|r| r["run_id"] == beijing.as_str()).unwrap();
    assert_eq!(late_beijing["days_late"], (last_due - due(City::Beijing)).num_days() + 3);
    assert_eq!(late_beijing["cause_label"], "待财务审批");
    let late_shenzhen = runs.iter().find(|r| r["run_id"] == shenzhen.as_str()).unwrap();
    assert!(late_shenzhen["paid_on"].is_null());

    // The same figures in the file.
    let bytes = download(&director, &app, &format!("/api/reports/late-payments{query}&format=xlsx")).await;
    let by_branch = sheet(&bytes, "按分公司");
    assert_eq!(headers(&by_branch[0])[..3], ["分公司", "应缴月数", "逾期月数"]);
    assert_eq!(by_branch.len(), 1 + 3 + 1, "a row per branch and the total");
    let total_row = by_branch.last().unwrap();
    assert_eq!((total_row[0].to_string(), count(&total_row[2])), ("合计".to_string(), 2));
    assert_eq!(yuan(total_row.last().unwrap()), fee);
    let detail = sheet(&bytes, "逾期明细");
    assert_eq!(detail.len(), 3);
    assert!(detail[1..].iter().any(|r| r[5] == "员工资料缺失待补正" && r[3] == "未缴"));

    // Each reader in its scope.
    let hr = app.client_as("li.hr").await;
    let own = get(&hr, &app, &format!("/api/reports/late-payments{query}")).await;
    assert_eq!(own["header"]["branch_id"], "br-beijing");
    assert_eq!(own["header"]["branches"].as_array().unwrap().len(), 1);
    assert_eq!((own["total"]["runs"].as_u64(), own["total"]["late"].as_u64()), (Some(1), Some(1)));
    assert_eq!(status(&hr, &app, &format!("/api/reports/late-payments{query}&branch=br-shanghai")).await, StatusCode::FORBIDDEN);
    assert_eq!(status(&hr, &app, &format!("/api/reports/costs{query}&branch=br-shanghai&format=xlsx")).await, StatusCode::FORBIDDEN);
    for login in ["zhangsan", "admin"] {
        let client = app.client_as(login).await;
        assert_eq!(status(&client, &app, "/api/reports/claim-times").await, StatusCode::FORBIDDEN, "{login}");
    }
    let resp = director.get(app.url("/api/reports/late-payments?from=2026-13&to=2026-01")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "from");
    assert_eq!(status(&director, &app, "/api/reports/late-payments?branch=br-nowhere").await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(&director, &app, "/api/reports/headcount").await, StatusCode::NOT_FOUND);
}

/// Inserts a submitted claim of 张三's (Beijing) as the test's data: submitted at
/// `submitted` (ISO), paid on `paid_on`, held at submission when `held`.
fn claim(app: &TestApp, id: &str, submitted: &str, paid_on: Option<&str>, state: &str, held: bool) {
    let paid = paid_on.map_or("NULL".to_string(), |d| format!("'{d}'"));
    let mut sql = format!(
        "INSERT INTO claims (id, employee_id, branch_id, kind, amount_fen, start_date, end_date, hospital, state, submitted_at, paid_on, \
         change_token, created_by, created_at, updated_at) VALUES ('{id}', 'emp-0001', 'br-beijing', 'outpatient', 10000, '2024-02-01', \
         '2024-02-02', '测试医院', '{state}', '{submitted}', {paid}, 'tok-{id}', 'usr-zhangsan', '{submitted}', '{submitted}');"
    );
    let action = if held { "claim.submit_held" } else { "claim.submit" };
    sql += &format!(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, changes) VALUES ('{submitted}', 'usr-zhangsan', '张三', '{action}', 'claim', '{id}', '[]');"
    );
    let out = app.d1_execute(&sql);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn claim_times_are_the_median_and_p90_days_of_normal_and_held_claims() {
    let app = spawn_app().await;
    // March and April 2024: months the seeded data has no claims in. The first claim is
    // submitted at 16:30 on 29 February in UTC, 00:30 on 1 March in China: it is March's.
    claim(&app, "clm-r1", "2024-02-29T16:30:00Z", Some("2024-03-04"), "paid", false);
    claim(&app, "clm-r2", "2024-03-05T02:00:00Z", Some("2024-03-07"), "paid", false);
    claim(&app, "clm-r3", "2024-03-06T02:00:00Z", Some("2024-03-26"), "paid", false);
    claim(&app, "clm-r4", "2024-03-10T02:00:00Z", Some("2024-04-19"), "paid", true);
    claim(&app, "clm-r5", "2024-04-02T02:00:00Z", None, "held", true);
    claim(&app, "clm-r6", "2024-04-03T02:00:00Z", None, "rejected", false);
    claim(&app, "clm-r7", "2024-04-04T02:00:00Z", None, "hr_review", false);
    claim(&app, "clm-r8", "2024-02-29T15:00:00Z", Some("2024-03-01"), "paid", false);

    let finance = app.client_as("zhao.fin").await;
    let report = get(&finance, &app, "/api/reports/claim-times?from=2024-03&to=2024-04").await;
    let groups = report["groups"].as_array().unwrap();
    assert_eq!((groups[0]["key"].as_str(), groups[1]["key"].as_str()), (Some("normal"), Some("held")));
    // Normal: 3, 2 and 20 days; the February claim (23:00 China time) is not in the range.
    let spread = |g: &Value| serde_json::from_value::<Spread>(g["spread"].clone()).unwrap();
    assert_eq!(spread(&groups[0]), Spread { count: 3, median: Some(3), p90: Some(20) }, "{report}");
    assert_eq!(dec(&groups[0]["paid_amount"]), Decimal::from(300));
    assert_eq!(groups[0]["waiting"], 1, "the one in HR's review; the rejected one waits for nothing");
    assert_eq!(spread(&groups[1]), Spread { count: 1, median: Some(40), p90: Some(40) });
    assert_eq!(groups[1]["waiting"], 1);
    let months = report["by_month"].as_array().unwrap();
    assert_eq!(months.len(), 2);
    assert_eq!(months[0]["groups"][0]["count"], 3);
    assert_eq!(months[1]["groups"][0]["count"], 0, "April's claims are not paid yet");

    let bytes = download(&finance, &app, "/api/reports/claim-times?from=2024-03&to=2024-04&format=xlsx").await;
    let rows = sheet(&bytes, "按缴费状态");
    assert_eq!(headers(&rows[0]), ["缴费状态", "已支付笔数", "中位天数", "90分位天数", "已支付金额", "处理中"]);
    assert_eq!((rows[1][0].to_string(), count(&rows[1][1]), count(&rows[1][2]), count(&rows[1][3])), ("缴费正常".to_string(), 3, 3, 20));
    assert_eq!((count(&rows[2][2]), yuan(&rows[2][4])), (40, Decimal::from(100)));
    // Shanghai's HR sees none of Beijing's claims.
    let hr = app.client_as("li.hr").await;
    let own = get(&hr, &app, "/api/reports/claim-times?from=2024-03&to=2024-04").await;
    assert_eq!(own["groups"][0]["spread"]["count"], 3, "Beijing's HR sees Beijing's");
}

#[tokio::test]
async fn costs_are_summed_by_branch_department_and_month_with_new_hires_and_what_mistakes_cost() {
    let app = spawn_app().await;
    let month = Period::of(shebao_domain::ids::today_in_china()).next();
    let hr = app.client_as("li.hr").await;
    // A new hire of next month in a department of their own.
    let mut body = new_employee(&resident_id("19900101", 901));
    body["department"] = json!("报表测试部");
    body["hire_date"] = json!(month.first_day().to_string());
    let (status, hired) = post(&hr, &app, "/api/employees", body).await;
    assert_eq!(status, 201, "{hired}");
    let hire_id = hired["id"].as_str().unwrap().to_string();
    let run = generated_run(&hr, &app, "br-beijing", &month.to_string()).await;
    let detail = get(&hr, &app, &format!("/api/runs/{run}")).await;
    let (employer, employee) = (dec(&detail["run"]["employer_total"]), dec(&detail["run"]["employee_total"]));
    let lines = run_lines(&hr, &app, &run).await;
    let hire_cost: Decimal = lines.iter().filter(|l| l["employee_id"] == hire_id.as_str()).map(|l| dec(&l["employer_amount"])).sum();
    assert!(hire_cost > Decimal::ZERO);
    // A back-payment the bureau filed in that month, with its late fee, and a late fee on
    // the run (the test's data, written as the executor and the bureau's receipt would).
    let filed_ms = china_morning(month.first_day() + chrono::Days::new(9));
    let sql = format!(
        "INSERT INTO enrollment_requests (id, kind, state, employee_id, branch_id, employee_name, resident_id, insurance_types, base_fen, \
         from_month, to_month, price, total_fen, created_by, executed_at, created_at, updated_at) VALUES ('req-report', 'back_payment', \
         'executed', 'emp-0001', 'br-beijing', '张三', 'x', '[\"pension\"]', 1000000, '2024-01', '2024-01', \
         '{{\"late_fee_total\":\"12.34\"}}', 123456, 'usr-li.hr', {filed_ms}, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');\
         UPDATE runs SET late_fee_fen = 567 WHERE id = '{run}';"
    );
    let out = app.d1_execute(&sql);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let manager = app.client_as("chen.mgr").await;
    let prev = month.prev();
    let query = format!("?from={prev}&to={month}&branch=br-beijing");
    let report = get(&manager, &app, &format!("/api/reports/costs{query}")).await;
    let branches = report["by_branch"].as_array().unwrap();
    assert_eq!(branches.len(), 1);
    let next_month = report["by_month"].as_array().unwrap().iter().find(|m| m["period"] == month.to_string().as_str()).unwrap().clone();
    assert_eq!((dec(&next_month["employer"]), dec(&next_month["employee"])), (employer, employee), "the run's totals");
    assert_eq!(next_month["new_hires"], 1);
    assert_eq!(dec(&next_month["new_hire_cost"]), hire_cost);
    let before = &report["by_month"][0];
    let expected = growth_percent(dec(&before["new_hire_cost"]), hire_cost);
    assert_eq!(next_month["new_hire_growth"].as_str().map(|s| s.parse::<Decimal>().unwrap()), expected);
    assert_eq!(dec(&next_month["back_payments"]), Decimal::new(123456, 2));
    assert_eq!(dec(&next_month["back_payment_fees"]), Decimal::new(1234, 2));
    assert_eq!(dec(&next_month["late_fees"]), Decimal::new(567, 2));
    let mistakes = &report["mistakes"];
    assert_eq!(dec(&mistakes["fees"]), dec(&mistakes["back_payment_fees"]) + dec(&mistakes["late_fees"]));
    assert!(dec(&mistakes["back_payments"]) >= Decimal::new(123456, 2));
    let department = report["by_department"].as_array().unwrap().iter().find(|d| d["label"] == "北京分公司 · 报表测试部").unwrap().clone();
    assert_eq!(dec(&department["employer"]), hire_cost, "only the new hire is in that department");
    let shares: Decimal = report["by_department"].as_array().unwrap().iter().map(|d| dec(&d["share_percent"])).sum();
    assert!((shares - Decimal::ONE_HUNDRED).abs() <= Decimal::new(5, 1) * Decimal::from(report["by_department"].as_array().unwrap().len()), "shares add up to about 100 %");

    let bytes = download(&manager, &app, &format!("/api/reports/costs{query}&format=xlsx")).await;
    let months = sheet(&bytes, "按月份");
    let row = months.iter().find(|r| r[0].to_string() == month.to_string()).unwrap();
    assert_eq!((yuan(&row[1]), count(&row[3]), yuan(&row[4]), yuan(&row[6]), yuan(&row[8])), (employer, 1, hire_cost, Decimal::new(123456, 2), Decimal::new(567, 2)));
    let departments = sheet(&bytes, "按部门");
    let row = departments.iter().find(|r| r[0] == "北京分公司 · 报表测试部").unwrap();
    assert_eq!(yuan(&row[1]), hire_cost);
    let totals = sheet(&bytes, "差错成本");
    assert_eq!((totals[4][0].to_string(), yuan(&totals[4][1])), ("罚金合计".to_string(), dec(&mistakes["fees"])));
}
