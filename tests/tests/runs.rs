//! The monthly contribution run through HTTP on the real stack (wrangler dev, workerd, local
//! D1 and the generation queue): generation, the maker-checker flow with the budget, paying
//! and archiving, who sees what, the scheduled handler, escalation with a moved clock, and
//! messages sent exactly once.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shebao_domain::calendar::china_day_end_ms;
use shebao_domain::policy::{policy_for, City};
use rust_decimal::Decimal;
use shebao_tests::requests::{current, get, post, race};
use shebao_tests::runs::{run_lines, run_list, PAGE};
use shebao_tests::{new_employee, resident_id, spawn_app, TestApp};
use std::time::Duration;

const HOUR_MS: i64 = 60 * 60 * 1000;

fn run_of(branch: &str, period: impl std::fmt::Display) -> String {
    format!("run-{branch}-{period}")
}

/// The run once it is no longer generating (the queue works through it).
async fn generated(client: &Client, app: &TestApp, id: &str) -> Value {
    for _ in 0..300 {
        let detail = get(client, app, &format!("/api/runs/{id}")).await;
        if detail["run"]["state"] != "generating" {
            return detail;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("run {id} still generating");
}

async fn act(client: &Client, app: &TestApp, id: &str, action: &str, reason: Option<&str>) -> (StatusCode, Value) {
    let detail = get(client, app, &format!("/api/runs/{id}")).await;
    post(client, app, &format!("/api/runs/{id}/{action}"), json!({"version": detail["run"]["version"], "reason": reason})).await
}

fn count(app: &TestApp, sql: &str) -> i64 {
    app.d1_rows(sql)[0]["n"].as_i64().unwrap()
}

fn message(body: &Value) -> String {
    body["error"]["message"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn generation_is_idempotent_and_regeneration_shows_what_changed() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let next = current().next();
    let id = run_of("br-beijing", next);

    let (status, created) = post(&hr, &app, "/api/runs", json!({"branch_id": "br-beijing", "period": next.to_string()})).await;
    assert_eq!(status, 201, "{created}");
    let detail = generated(&hr, &app, &id).await;
    assert_eq!(detail["run"]["state"], "generated");
    let employees = count(&app, "SELECT COUNT(*) AS n FROM employees WHERE branch_id = 'br-beijing' AND status = 'active'");
    let lines = count(&app, &format!("SELECT COUNT(*) AS n FROM run_lines WHERE run_id = '{id}'"));
    let types = policy_for(City::Beijing, next).unwrap().lines.len() as i64;
    assert_eq!(detail["run"]["employees"], employees, "every employee hired by then is in it");
    assert_eq!(lines, employees * types, "one line per employee and type");
    // The totals are the lines' sums.
    let sums = &app.d1_rows(&format!(
        "SELECT SUM(employer_fen) AS employer, SUM(employee_fen) AS employee FROM run_lines WHERE run_id = '{id}'"
    ))[0];
    let total_fen = sums["employer"].as_i64().unwrap() + sums["employee"].as_i64().unwrap();
    assert_eq!(detail["run"]["total"].as_str().unwrap().replace('.', "").parse::<i64>().unwrap(), total_fen);

    // Generating the same branch and month again changes nothing.
    let (status, again) = post(&hr, &app, "/api/runs", json!({"branch_id": "br-beijing", "period": next.to_string()})).await;
    assert_eq!(status, 200, "{again}");
    generated(&hr, &app, &id).await;
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM run_lines WHERE run_id = '{id}'")), lines);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM runs WHERE branch_id = 'br-beijing'"), 14, "thirteen seeded and this one");

    // A new hire, then regeneration: the run shows the change since last month.
    let (status, hired) = post(&hr, &app, "/api/employees", new_employee(&resident_id("19900101", 123))).await;
    assert_eq!(status, 201, "{hired}");
    let (status, _) = post(&hr, &app, "/api/runs", json!({"branch_id": "br-beijing", "period": next.to_string()})).await;
    assert_eq!(status, 200);
    let regenerated = generated(&hr, &app, &id).await;
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM run_lines WHERE run_id = '{id}'")), lines + types);
    let changes = run_list(&hr, &app, &id, "changes").await;
    assert!(
        changes.iter().any(|c| c["employee_id"] == hired["id"] && c["kind"] == "added"),
        "{changes:?}"
    );
    // Its lines a page of employees at a time, each employee on one row with a line per
    // type: every line of the run, no employee twice.
    let first = regenerated["lines"]["items"].as_array().unwrap();
    assert_eq!(first.len(), PAGE, "21 employees: a full first page");
    assert!(first.iter().all(|e| e["lines"].as_array().unwrap().len() as i64 == types), "{first:?}");
    assert_eq!(run_list(&hr, &app, &id, "lines").await.len() as i64, employees + 1);
    let all = run_lines(&hr, &app, &id).await;
    assert_eq!(all.len() as i64, lines + types);
    let dec = |v: &Value| v.as_str().unwrap().parse::<Decimal>().unwrap();
    let employer: Decimal = all.iter().map(|l| dec(&l["employer_amount"])).sum();
    assert_eq!(employer, dec(&regenerated["run"]["employer_total"]), "the pages add up to the run");
}

/// The ids of the employees in the run's changes of kind `kind`.
async fn changed(client: &Client, app: &TestApp, id: &str, kind: &str) -> Vec<String> {
    generated(client, app, id).await;
    let changes = run_list(client, app, id, "changes").await;
    changes.iter().filter(|c| c["kind"] == kind).map(|c| c["employee_id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn regenerating_a_month_moves_the_changes_of_the_month_after() {
    let app = spawn_app().await;
    let manager = app.client_as("chen.mgr").await;
    let (this, next) = (current(), current().next());
    let (this_run, next_run) = (run_of("br-shenzhen", this), run_of("br-shenzhen", next));
    let (status, created) = post(&manager, &app, "/api/runs", json!({"branch_id": "br-shenzhen", "period": next.to_string()})).await;
    assert_eq!(status, 201, "{created}");
    generated(&manager, &app, &next_run).await;

    // A hire dated before this month, and this month's run (generated, not confirmed) again.
    let mut hire = new_employee(&resident_id("19900101", 321));
    hire["branch_id"] = json!("br-shenzhen");
    let (status, hired) = post(&manager, &app, "/api/employees", hire).await;
    assert_eq!(status, 201, "{hired}");
    let hired = hired["id"].as_str().unwrap().to_string();
    assert!(!changed(&manager, &app, &next_run, "stopped").await.contains(&hired));
    let (status, again) = post(&manager, &app, "/api/runs", json!({"branch_id": "br-shenzhen", "period": this.to_string()})).await;
    assert_eq!(status, 200, "{again}");
    assert!(changed(&manager, &app, &this_run, "added").await.contains(&hired), "this month: the hire is added");
    // Next month's run was generated before the hire: against this month, the hire stopped.
    assert!(changed(&manager, &app, &next_run, "stopped").await.contains(&hired), "next month: compared with the new this month");

    // Next month's again: the hire is in both months, so no change of theirs.
    let (status, _) = post(&manager, &app, "/api/runs", json!({"branch_id": "br-shenzhen", "period": next.to_string()})).await;
    assert_eq!(status, 200);
    generated(&manager, &app, &next_run).await;
    let changes = run_list(&manager, &app, &next_run, "changes").await;
    assert!(changes.iter().all(|c| c["employee_id"] != hired.as_str()), "{changes:?}");
}

#[tokio::test]
async fn finance_approves_only_what_hr_confirmed_and_never_its_own() {
    let app = spawn_app().await;
    let finance = app.client_as("zhao.fin").await;
    let shenzhen = run_of("br-shenzhen", current());

    let (status, refused) = act(&finance, &app, &shenzhen, "approve", Some("预算已批")).await;
    assert_eq!(status, 409, "{refused}");
    assert!(message(&refused).contains("人事尚未确认"), "{refused}");

    // Finance may keep the list, but then may not approve it.
    let (status, confirmed) = act(&finance, &app, &shenzhen, "confirm", None).await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["run"]["state"], "confirmed");
    let (status, own) = act(&finance, &app, &shenzhen, "approve", Some("预算已批")).await;
    assert_eq!(status, 403, "{own}");
    assert!(message(&own).contains("不能再审批"), "{own}");
    assert_eq!(get(&finance, &app, &format!("/api/runs/{shenzhen}")).await["run"]["state"], "confirmed");
}

#[tokio::test]
async fn a_branch_sees_its_runs_only() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let other = run_of("br-shenzhen", current());
    assert_eq!(hr.get(app.url(&format!("/api/runs/{other}"))).send().await.unwrap().status(), 403);
    assert_eq!(hr.get(app.url("/api/runs?branch=br-shenzhen")).send().await.unwrap().status(), 403);
    let (status, _) = post(&hr, &app, &format!("/api/runs/{other}/confirm"), json!({"version": 1})).await;
    assert_eq!(status, 403);
    let own: Vec<Value> = get(&hr, &app, "/api/runs").await.as_array().unwrap().clone();
    assert!(!own.is_empty() && own.iter().all(|r| r["branch_id"] == "br-beijing"));
    let board = get(&hr, &app, "/api/dashboard").await;
    assert_eq!(board["branches"].as_array().unwrap().len(), 1);
    let director = app.client_as("director").await;
    assert_eq!(get(&director, &app, "/api/dashboard").await["branches"].as_array().unwrap().len(), 3);
    let employee = app.client_as("zhangsan").await;
    assert_eq!(employee.get(app.url("/api/dashboard")).send().await.unwrap().status(), 403);
    assert_eq!(employee.get(app.url("/api/runs")).send().await.unwrap().status(), 403);
    // Nor another employee's contribution record.
    assert_eq!(employee.get(app.url("/api/employees/emp-0002/contributions")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn a_runs_lines_and_changes_come_a_page_at_a_time_in_one_round_trip_to_those_who_may_read_it() {
    let app = spawn_app().await;
    let director = app.client_as("director").await;
    let beijing = run_of("br-beijing", current());
    // More changes than three pages hold: every employee of the group, as the test's data.
    let written = app.d1_execute(&format!(
        "INSERT OR IGNORE INTO run_changes (run_id, employee_id, before_fen, after_fen) \
         SELECT '{beijing}', id, 1000000, 1200000 FROM employees"
    ));
    assert!(written.status.success(), "{written:?}");
    let stored = count(&app, &format!("SELECT COUNT(*) AS n FROM run_changes WHERE run_id = '{beijing}'"));
    assert!(stored > 2 * PAGE as i64, "{stored}");
    let changes = run_list(&director, &app, &beijing, "changes").await;
    assert_eq!(changes.len() as i64, stored, "every change, each once");
    let lines = run_list(&director, &app, &beijing, "lines").await;
    let employees = get(&director, &app, &format!("/api/runs/{beijing}")).await["run"]["employees"].as_i64().unwrap();
    assert_eq!(lines.len() as i64, employees);

    // The session is read with the run's page: one round trip each.
    let after = changes[PAGE - 1]["employee_id"].as_str().unwrap();
    for path in [format!("/api/runs/{beijing}"), format!("/api/runs/{beijing}/lines?after="), format!("/api/runs/{beijing}/changes?after={after}")] {
        let resp = director.get(app.url(&path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["x-d1-round-trips"], "1", "{path}");
    }

    // Another branch's run is refused page by page too; without a session, nothing; a run
    // that does not exist is not found.
    let hr = app.client_as("li.hr").await;
    let shenzhen = run_of("br-shenzhen", current());
    let anonymous = app.client();
    for list in ["lines", "changes"] {
        let path = format!("/api/runs/{shenzhen}/{list}?after=");
        assert_eq!(hr.get(app.url(&path)).send().await.unwrap().status(), 403, "{path}");
        assert_eq!(anonymous.get(app.url(&path)).send().await.unwrap().status(), 401, "{path}");
        let missing = format!("/api/runs/run-br-beijing-1999-01/{list}");
        assert_eq!(director.get(app.url(&missing)).send().await.unwrap().status(), 404, "{missing}");
    }
    assert_eq!(anonymous.get(app.url(&format!("/api/runs/{shenzhen}"))).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn over_budget_needs_a_reason_then_the_run_is_paid_archived_and_told() {
    let app = spawn_app().await;
    let finance = app.client_as("zhao.fin").await;
    let hr = app.client_as("li.hr").await;
    let beijing = run_of("br-beijing", current());
    let before = get(&finance, &app, &format!("/api/runs/{beijing}")).await;
    assert!(before["run"]["budget"]["over_by"].is_string(), "the seeded run is over budget: {before}");

    let (status, refused) = act(&finance, &app, &beijing, "approve", None).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["errors"][0]["code"], "run.over_budget_reason");
    let (status, approved) = act(&finance, &app, &beijing, "approve", Some("新员工入职，已与总部确认")).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["approval_reason"], "新员工入职，已与总部确认");

    // Racing submissions: one wins, the run is paid once.
    let version = approved["run"]["version"].clone();
    let url = app.url(&format!("/api/runs/{beijing}/submit"));
    let statuses = race((0..20).map(|_| finance.post(&url).json(&json!({"version": version})))).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    let paid = get(&finance, &app, &format!("/api/runs/{beijing}")).await;
    assert_eq!(paid["run"]["state"], "archived", "{paid}");
    let receipt = paid["run"]["receipt_no"].as_str().unwrap().to_string();
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM bureau_sim_payments WHERE run_id = '{beijing}'")), 1);
    let audit: Vec<Value> = get(&hr, &app, &format!("/api/audit?entity=run&id={beijing}")).await.as_array().unwrap().clone();
    let actions: Vec<&str> = audit.iter().map(|e| e["action"].as_str().unwrap()).collect();
    // After the seeded steps (opened, generated, confirmed by HR).
    assert_eq!(actions, ["run.create", "run.finish_generation", "run.confirm", "run.approve", "run.submit", "run.bureau_pays", "run.archive"], "{audit:?}");

    // 张三 sees the month with its receipt, and is told.
    let zhangsan = app.client_as("zhangsan").await;
    let record = get(&zhangsan, &app, "/api/employees/emp-0001/contributions").await;
    let month = &record[0];
    assert_eq!((month["period"].as_str(), month["receipt_no"].as_str()), (Some(current().to_string().as_str()), Some(receipt.as_str())));
    assert_eq!(month["status"], "normal");
    assert!(record.as_array().unwrap().len() >= 7, "a full history");
    let told = get(&zhangsan, &app, "/api/notifications").await;
    assert!(told["items"].as_array().unwrap().iter().any(|n| n["message"].as_str().unwrap().contains(&receipt)), "{told}");
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM message_outbox WHERE id LIKE 'run:{beijing}:paid:%'")), 20);
}

fn levels_of(app: &TestApp, item: &str) -> Vec<i64> {
    app.d1_rows(&format!("SELECT level FROM alerts WHERE item = '{item}' ORDER BY level"))
        .iter()
        .map(|r| r["level"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn an_unapproved_run_past_its_deadline_climbs_the_ladder_once_per_level() {
    let mut app = spawn_app().await;
    let beijing = run_of("br-beijing", current());
    let due = policy_for(City::Beijing, current()).unwrap().due_date(current());
    let late_from = china_day_end_ms(due) + 1;
    let item = format!("run:{beijing}:late");

    app.run_cron_at(late_from - HOUR_MS).await;
    assert_eq!(levels_of(&app, &item), Vec::<i64>::new(), "not late before the deadline ends");
    app.run_cron_at(late_from + HOUR_MS).await;
    app.run_cron_15().await;
    assert_eq!(levels_of(&app, &item), [1], "raised once however often the cron runs");
    let hr = app.client_as("li.hr").await;
    let alerts: Vec<Value> = get(&hr, &app, "/api/alerts").await.as_array().unwrap().clone();
    let level1 = alerts.iter().find(|a| a["id"] == format!("{item}:1")).expect("HR sees the alert");
    assert!(level1["message"].as_str().unwrap().contains("已逾期"), "{level1}");
    assert!(get(&hr, &app, "/api/notifications").await["items"].as_array().unwrap().iter().any(|n| n["link"] == format!("/runs/{beijing}")));

    // Each move of the clock restarts the worker: what was raised survives it.
    app.run_cron_at(late_from + 25 * HOUR_MS).await;
    assert_eq!(levels_of(&app, &item), [1, 2]);
    app.run_cron_at(late_from + 49 * HOUR_MS).await;
    app.run_cron_15().await;
    assert_eq!(levels_of(&app, &item), [1, 2, 3]);
    let director = app.client_as("director").await;
    let told = get(&director, &app, "/api/notifications").await;
    assert_eq!(
        told["items"].as_array().unwrap().iter().filter(|n| n["message"].as_str().unwrap().contains("三级")).filter(|n| n["link"] == format!("/runs/{beijing}")).count(),
        1
    );
    let manager = app.client_as("chen.mgr").await;
    let board = get(&manager, &app, "/api/alerts").await;
    let top = board.as_array().unwrap().iter().find(|a| a["id"] == format!("{item}:3")).unwrap().clone();

    // Acknowledged with a note (a note is required), then resolved by itself once paid.
    let (status, _) = post(&manager, &app, &format!("/api/alerts/{item}:3/acknowledge"), json!({"version": top["version"], "note": " "})).await;
    assert_eq!(status, 422);
    let (status, acked) =
        post(&manager, &app, &format!("/api/alerts/{item}:3/acknowledge"), json!({"version": top["version"], "note": "已催财务今天审批"})).await;
    assert_eq!(status, 200, "{acked}");
    assert_eq!(acked["note"], "已催财务今天审批");
    let finance = app.client_as("zhao.fin").await;
    let (status, _) = act(&finance, &app, &beijing, "approve", Some("逾期补批")).await;
    assert_eq!(status, 200);
    let (status, _) = act(&finance, &app, &beijing, "submit", None).await;
    assert_eq!(status, 200);
    app.run_cron_15().await;
    let open = count(&app, &format!("SELECT COUNT(*) AS n FROM alerts WHERE item = '{item}' AND resolved_at IS NULL"));
    assert_eq!(open, 0, "resolved when its cause is gone");
    assert_eq!(levels_of(&app, &item), [1, 2, 3], "and never raised again");
}

#[tokio::test]
async fn the_scheduled_handler_generates_the_months_runs() {
    let mut app = spawn_app().await;
    let next = current().next();
    // 00:30 on the first of next month, China time.
    let at = china_day_end_ms(next.first_day().pred_opt().unwrap()) + 1 + HOUR_MS / 2;
    app.run_cron_at(at).await;
    let director = app.client_as("director").await;
    for branch in ["br-beijing", "br-shanghai", "br-shenzhen"] {
        let id = run_of(branch, next);
        let detail = generated(&director, &app, &id).await;
        assert_eq!(detail["run"]["state"], "generated", "{detail}");
        assert!(detail["run"]["employees"].as_u64().unwrap() > 0);
    }
    app.run_cron_15().await;
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM runs WHERE period = '{next}'")), 3, "once per branch");
}

#[tokio::test]
async fn a_message_is_sent_once_even_when_the_provider_fails_once() {
    let mut app = spawn_app().await;
    assert!(app.d1_execute("UPDATE provider_config SET value = 1 WHERE key = 'fail_next'").status.success());
    let beijing = run_of("br-beijing", current());
    let due = policy_for(City::Beijing, current()).unwrap().due_date(current());
    let late_from = china_day_end_ms(due) + 1;
    // Level 1 for Beijing's late run emails 李娜 and 王强.
    app.run_cron_at(late_from + HOUR_MS).await;
    let id = format!("run:{beijing}:late:1:usr-li.hr:email");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM message_outbox WHERE attempts = 1 AND status = 'pending'"), 1, "one send failed");
    // The retry is due a minute later.
    app.run_cron_at(late_from + 2 * HOUR_MS).await;
    app.run_cron_15().await;
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM message_outbox WHERE status <> 'sent'"), 0);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM message_outbox WHERE attempts = 2"), 1, "the one that failed, retried once");
    let sent = count(&app, "SELECT COUNT(*) AS n FROM provider_sent");
    assert_eq!(sent, count(&app, "SELECT COUNT(*) AS n FROM message_outbox"), "each sent exactly once");
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM provider_sent WHERE message_id = '{id}'")), 1);
    let admin = app.client_as("admin").await;
    let sent = get(&admin, &app, "/api/messages").await;
    assert!(sent.as_array().unwrap().iter().any(|m| m["id"] == id && m["recipient"] == "li.hr@shebao.example"));
    let hr = app.client_as("li.hr").await;
    assert_eq!(hr.get(app.url("/api/messages")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn finance_sets_a_branchs_budget_and_open_runs_are_checked_against_it() {
    let app = spawn_app().await;
    let finance = app.client_as("zhao.fin").await;
    let hr = app.client_as("li.hr").await;
    let put = |client: &Client, budget: &str| {
        client.put(app.url("/api/branches/br-beijing/budget")).json(&json!({"budget": budget})).send()
    };
    assert_eq!(put(&hr, "1000000").await.unwrap().status(), 403, "HR does not set budgets");
    let bad = put(&finance, "0").await.unwrap();
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "budget.not_positive");

    let resp = put(&finance, "1,000,000").await.unwrap();
    assert_eq!(resp.status(), 200);
    let board: Value = resp.json().await.unwrap();
    let beijing = board["branches"].as_array().unwrap().iter().find(|b| b["branch_id"] == "br-beijing").unwrap().clone();
    assert_eq!(beijing["budget"], "1000000.00");
    // The run awaiting finance is within the new budget: no reason needed.
    let run = run_of("br-beijing", current());
    let detail = get(&finance, &app, &format!("/api/runs/{run}")).await;
    assert!(detail["run"]["budget"]["over_by"].is_null(), "{detail}");
    let (status, approved) = act(&finance, &app, &run, "approve", None).await;
    assert_eq!(status, 200, "{approved}");
    // A paid month keeps the budget it was approved against (last month's is unpaid).
    let archived = get(&finance, &app, &format!("/api/runs/{}", run_of("br-beijing", current().add_months(-2)))).await;
    assert_ne!(archived["run"]["budget"]["budget"], "1000000.00");
    let audit = app.d1_rows("SELECT changes FROM audit_log WHERE action = 'branch.budget' AND entity_id = 'br-beijing'");
    assert_eq!(audit.len(), 1);
    assert!(audit[0]["changes"].as_str().unwrap().contains("¥1,000,000.00"));
}
