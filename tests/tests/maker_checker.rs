//! The maker-checker core made whole, through HTTP on the real stack: no maker ever checks,
//! what was approved is what is filed, a revocation needs a second person, and a filing
//! happens exactly once and is never lost (races, bureau refusals, outages, a killed
//! worker).

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shebao_tests::requests::{act, actions, current, executed, form, get, post, race, set_hold_minutes, submitted};
use shebao_tests::{spawn_app, TestApp};
use std::time::Duration;

const MAKER_CHECKS: &str = "您创建、修改或提交过此申请，不能审核它；请由另一位主管审核";

fn id_of(detail: &Value) -> String {
    detail["id"].as_str().unwrap().to_string()
}

async fn patch(client: &Client, app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    let resp = client.patch(app.url(path)).json(&body).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A maker's correction of a request's base.
async fn correct_base(client: &Client, app: &TestApp, detail: &Value, employee: &str, base: &str) -> Value {
    let mut body = form("enrollment", employee, current(), current());
    body["base"] = json!(base);
    body["version"] = detail["version"].clone();
    let (status, corrected) = patch(client, app, &format!("/api/enrollments/{}", id_of(detail)), body).await;
    assert_eq!(status, 200, "{corrected}");
    corrected
}

async fn simulator(app: &TestApp, settings: Value) {
    let admin = app.client_as("admin").await;
    let resp = admin.put(app.url("/api/bureau-simulator")).json(&settings).send().await.unwrap();
    assert_eq!(resp.status(), 200);
}

fn filings_of(app: &TestApp, request_id: &str) -> Vec<Value> {
    app.d1_rows(&format!(
        "SELECT receipt_no, name, resident_id, revoked_at FROM bureau_sim_filings WHERE request_id = '{request_id}'"
    ))
}

/// The user's notifications (a bureau refusal is one, linking to the request).
async fn alerts(client: &Client, app: &TestApp) -> Vec<Value> {
    get(client, app, "/api/notifications").await["items"].as_array().unwrap().clone()
}

fn about(notification: &Value, request: &Value) -> bool {
    notification["link"].as_str() == Some(&format!("/enrollments/{}", request["id"].as_str().unwrap()))
}

#[tokio::test]
async fn every_maker_is_excluded_from_checking() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let manager = app.client_as("chen.mgr").await;
    let lead = app.client_as("wang.lead").await;

    // A manager who corrects a specialist's submitted request is one of its makers.
    let submitted_one = submitted(&hr, &app, form("enrollment", "emp-0010", current(), current())).await;
    let corrected = correct_base(&manager, &app, &submitted_one, "emp-0010", "12000").await;
    let (status, body) = act(&manager, &app, &corrected, "approve", None).await;
    assert_eq!((status, body["error"]["message"].as_str()), (StatusCode::FORBIDDEN, Some(MAKER_CHECKS)));
    let seen = get(&manager, &app, &format!("/api/enrollments/{}", id_of(&corrected))).await;
    assert!(seen["actions"].as_array().unwrap().is_empty(), "{seen}");

    // The reviewer sees, on this first review, what was changed after submission.
    let seen = get(&lead, &app, &format!("/api/enrollments/{}", id_of(&corrected))).await;
    let base = seen["changes_since_review"].as_array().unwrap().iter().find(|c| c["field"] == "base").cloned();
    let base = base.unwrap_or_else(|| panic!("no base change shown: {seen}"));
    assert!(base["before"].as_str().unwrap().contains("10,000"), "{base}");
    assert!(base["after"].as_str().unwrap().contains("12,000"), "{base}");
    let (status, approved) = act(&lead, &app, &seen, "approve", None).await;
    assert_eq!(status, 200, "{approved}");
    // Nor may the maker take back the approval or send it now.
    for action in ["revoke", "execute"] {
        let (status, body) = act(&manager, &app, &approved, action, None).await;
        assert_eq!((status, body["error"]["message"].as_str()), (StatusCode::FORBIDDEN, Some(MAKER_CHECKS)), "{action}");
    }

    // A manager who approved, revoked and edited may not approve again.
    let other = submitted(&hr, &app, form("enrollment", "emp-0011", current(), current())).await;
    let (_, approved) = act(&manager, &app, &other, "approve", None).await;
    let (status, back) = act(&manager, &app, &approved, "revoke", None).await;
    assert_eq!(status, 200, "{back}");
    let edited = correct_base(&manager, &app, &back, "emp-0011", "11000").await;
    let (status, body) = act(&manager, &app, &edited, "approve", None).await;
    assert_eq!((status, body["error"]["message"].as_str()), (StatusCode::FORBIDDEN, Some(MAKER_CHECKS)));
    let (status, _) = act(&lead, &app, &edited, "approve", None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_losers_of_a_race_write_nothing() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0012", current(), current())).await;
    let id = id_of(&detail);
    let winners = |action: &'static str, version: Value| {
        let url = app.url(&format!("/api/enrollments/{id}/{action}"));
        let tries: Vec<_> = (0..20).map(|_| lead.post(&url).json(&json!({"version": version}))).collect();
        async move { race(tries).await.iter().filter(|s| **s == StatusCode::OK).count() }
    };
    let started_ms = now_ms();
    assert_eq!(winners("approve", detail["version"].clone()).await, 1);
    let rows = app.d1_rows(&format!("SELECT status, not_before FROM outbox WHERE request_id = '{id}'"));
    assert_eq!(rows.len(), 1, "exactly one filing queued: {rows:?}");
    let not_before = rows[0]["not_before"].as_i64().unwrap();
    assert!(not_before >= started_ms + 119 * 60_000, "the full two-hour hold: {rows:?}");
    assert_eq!(actions(&hr, &app, &id, "enrollment.approve").await, 1);

    // Twenty "send now"s: one filing, at the bureau once.
    let approved = get(&lead, &app, &format!("/api/enrollments/{id}")).await;
    assert_eq!(winners("execute", approved["version"].clone()).await, 1);
    let rows = app.d1_rows(&format!("SELECT status FROM outbox WHERE request_id = '{id}' AND status <> 'cancelled'"));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(filings_of(&app, &id).len(), 1);
    assert_eq!(get(&lead, &app, &format!("/api/enrollments/{id}")).await["state"], "executed");
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
}

#[tokio::test]
async fn what_was_approved_is_what_is_filed() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let approved_one = submitted(&hr, &app, form("enrollment", "emp-0015", current(), current())).await;
    let (_, approved_one) = act(&lead, &app, &approved_one, "approve", None).await;
    let original = app.d1_rows("SELECT name, resident_id FROM employees WHERE id = 'emp-0015'")[0].clone();

    // The name cannot change under an approved request; the refusal names it.
    let employee = get(&hr, &app, "/api/employees/emp-0015").await;
    let (status, body) =
        patch(&hr, &app, "/api/employees/emp-0015", json!({"version": employee["version"], "name": "王改名"})).await;
    assert_eq!(status, 409, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains(&id_of(&approved_one)) && message.contains("撤回批准"), "{message}");
    assert_eq!(get(&hr, &app, "/api/employees/emp-0015").await["name"], employee["name"], "nothing written");
    // Other details may change.
    let (status, _) =
        patch(&hr, &app, "/api/employees/emp-0015", json!({"version": employee["version"], "phone": "13900139000"})).await;
    assert_eq!(status, 200);

    // A request still under review follows the corrected record and shows the change; the
    // manager who corrected the record made part of what is filed, so may not approve it.
    let manager = app.client_as("chen.mgr").await;
    let under_review = submitted(&hr, &app, form("enrollment", "emp-0016", current(), current())).await;
    let employee = get(&manager, &app, "/api/employees/emp-0016").await;
    let (status, _) =
        patch(&manager, &app, "/api/employees/emp-0016", json!({"version": employee["version"], "name": "赵更正"})).await;
    assert_eq!(status, 200);
    let seen = get(&manager, &app, &format!("/api/enrollments/{}", id_of(&under_review))).await;
    let (status, body) = act(&manager, &app, &seen, "approve", None).await;
    assert_eq!((status, body["error"]["message"].as_str()), (StatusCode::FORBIDDEN, Some(MAKER_CHECKS)));
    let seen = get(&lead, &app, &format!("/api/enrollments/{}", id_of(&under_review))).await;
    assert_eq!(seen["employee_name"], "赵更正");
    let name = seen["changes_since_review"].as_array().unwrap().iter().find(|c| c["field"] == "name").cloned();
    assert_eq!(name.map(|c| c["after"].clone()), Some(json!("赵更正")), "{seen}");
    let (_, approved_two) = act(&lead, &app, &seen, "approve", None).await;
    let (status, _) = act(&lead, &app, &approved_two, "execute", None).await;
    assert_eq!(status, 200);
    assert_eq!(filings_of(&app, &id_of(&under_review))[0]["name"], "赵更正");

    // Even when the record is changed behind the system's back, the approved copy is filed.
    let out = app.d1_execute("UPDATE employees SET name = '后台改名' WHERE id = 'emp-0015'");
    assert!(out.status.success());
    let approved_one = get(&lead, &app, &format!("/api/enrollments/{}", id_of(&approved_one))).await;
    let (status, executed) = act(&lead, &app, &approved_one, "execute", None).await;
    assert_eq!((status, executed["state"].as_str()), (StatusCode::OK, Some("executed")), "{executed}");
    let filed = &filings_of(&app, &id_of(&approved_one))[0];
    assert_eq!((&filed["name"], &filed["resident_id"]), (&original["name"], &original["resident_id"]));
}

#[tokio::test]
async fn a_revocation_at_the_bureau_needs_a_second_person() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let manager = app.client_as("chen.mgr").await;
    let executed_of = |employee| executed(&hr, &lead, &app, employee);
    let executed = executed_of("emp-0017").await;
    let id = id_of(&executed);
    let (status, asked) = act(&hr, &app, &executed, "request-revocation", Some("误报")).await;
    assert_eq!((status, asked["state"].as_str()), (StatusCode::OK, Some("revocation_requested")));
    assert!(filings_of(&app, &id)[0]["revoked_at"].is_null(), "nothing is sent before the second person decides");
    let (status, _) = act(&hr, &app, &asked, "approve-revocation", None).await;
    assert_eq!(status, 403, "a specialist never decides");

    // Rejected with a reason: back to executed, still filed.
    let (status, _) = act(&lead, &app, &asked, "reject-revocation", None).await;
    assert_eq!(status, 422, "a reason is required");
    let (status, kept) = act(&lead, &app, &asked, "reject-revocation", Some("报送内容无误")).await;
    assert_eq!((status, kept["state"].as_str()), (StatusCode::OK, Some("executed")));
    assert_eq!(kept["reject_reason"], "报送内容无误");

    // Asked again and approved by the supervisor: only now does the bureau hear of it.
    let (_, asked) = act(&hr, &app, &kept, "request-revocation", Some("确属误报")).await;
    let (status, revoked) = act(&lead, &app, &asked, "approve-revocation", None).await;
    assert_eq!((status, revoked["state"].as_str()), (StatusCode::OK, Some("revoked_at_bureau")), "{revoked}");
    assert!(filings_of(&app, &id)[0]["revoked_at"].is_i64());

    // Whoever asks cannot approve their own revocation request, even as a manager.
    let executed = executed_of("emp-0018").await;
    let (_, asked) = act(&manager, &app, &executed, "request-revocation", Some("误报")).await;
    let (status, body) = act(&manager, &app, &asked, "approve-revocation", None).await;
    assert_eq!((status, body["error"]["message"].as_str()), (StatusCode::FORBIDDEN, Some(MAKER_CHECKS)));
}

#[tokio::test]
async fn a_filing_in_flight_cannot_be_revoked_and_is_recorded() {
    let app = spawn_app().await;
    set_hold_minutes(&app, 0).await;
    simulator(&app, json!({"fail_next": 0, "fail_percent": 0, "delay_ms": 3000})).await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0018", current(), current())).await;
    let (_, approved) = act(&lead, &app, &detail, "approve", None).await;
    let id = id_of(&approved);
    let revoke_while_filing = async {
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let seen = get(&lead, &app, &format!("/api/enrollments/{id}")).await;
        assert_eq!(seen["state"], "filing", "{seen}");
        assert!(seen["actions"].as_array().unwrap().is_empty());
        act(&lead, &app, &seen, "revoke", None).await
    };
    let ((), (status, body)) = tokio::join!(app.run_cron(), revoke_while_filing);
    assert_eq!(status, 409, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("正在报送社保局") && message.contains("申请社保局撤销"), "{message}");
    let done = get(&lead, &app, &format!("/api/enrollments/{id}")).await;
    assert_eq!(done["state"], "executed");
    assert_eq!(done["receipt_no"], filings_of(&app, &id)[0]["receipt_no"]);
}

#[tokio::test]
async fn a_revoke_racing_a_filing_ends_one_way_or_the_other() {
    let app = spawn_app().await;
    set_hold_minutes(&app, 0).await;
    simulator(&app, json!({"fail_next": 0, "fail_percent": 0, "delay_ms": 300})).await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let mut outcomes = Vec::new();
    for (employee, wait_ms) in [("emp-0002", 0), ("emp-0003", 15), ("emp-0004", 40), ("emp-0005", 100), ("emp-0006", 250), ("emp-0007", 600)] {
        let detail = submitted(&hr, &app, form("enrollment", employee, current(), current())).await;
        let (_, approved) = act(&lead, &app, &detail, "approve", None).await;
        let revoke = async {
            tokio::time::sleep(Duration::from_millis(wait_ms)).await;
            act(&lead, &app, &approved, "revoke", None).await.0
        };
        let ((), status) = tokio::join!(app.run_cron(), revoke);
        app.run_cron().await;
        let id = id_of(&approved);
        let end = get(&lead, &app, &format!("/api/enrollments/{id}")).await;
        let filings = filings_of(&app, &id);
        match status {
            StatusCode::OK => {
                assert_eq!(end["state"], "submitted", "revoked: {end}");
                assert!(filings.is_empty(), "revoked, yet filed: {filings:?}");
            }
            StatusCode::CONFLICT => {
                assert_eq!(end["state"], "executed", "not revoked: {end}");
                assert_eq!(filings.len(), 1);
                assert_eq!(end["receipt_no"], filings[0]["receipt_no"]);
            }
            other => panic!("revoke answered {other}"),
        }
        outcomes.push((wait_ms, end["state"].as_str().unwrap().to_string()));
    }
    println!("revoke vs filing, by delay: {outcomes:?}");
}

#[tokio::test]
async fn a_bureau_refusal_ends_in_its_own_state_and_alerts_the_makers() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0020", current(), current())).await;
    let (_, approved) = act(&lead, &app, &detail, "approve", None).await;
    // The bureau learns after our check that the person is still insured elsewhere.
    let out = app.d1_execute(
        "INSERT INTO bureau_sim_elsewhere (resident_id, employer) SELECT resident_id, '某科技有限公司' FROM employees WHERE id = 'emp-0020'",
    );
    assert!(out.status.success());
    let (status, refused) = act(&lead, &app, &approved, "execute", None).await;
    assert_eq!(status, 200);
    assert_eq!(refused["state"], "filing_refused");
    assert!(refused["bureau_answer"].as_str().unwrap().contains("某科技有限公司"), "{refused}");
    let told = alerts(&hr, &app).await;
    assert!(told.iter().any(|a| about(a, &refused) && a["message"].as_str().unwrap().contains("社保局退回")), "{told:?}");
    // The maker may correct it and submit again.
    let mine = get(&hr, &app, &format!("/api/enrollments/{}", id_of(&refused))).await;
    assert_eq!(mine["actions"], json!(["submit"]));
}

#[tokio::test]
async fn a_filing_that_keeps_failing_stops_and_asks_for_a_person() {
    let app = spawn_app().await;
    set_hold_minutes(&app, 0).await;
    simulator(&app, json!({"fail_next": 100, "fail_percent": 0})).await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let admin = app.client_as("admin").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0003", current(), current())).await;
    let (_, approved) = act(&lead, &app, &detail, "approve", None).await;
    let id = id_of(&approved);
    for _ in 0..8 {
        app.run_cron().await;
        // Time passes: the backoff is over.
        assert!(app.d1_execute(&format!("UPDATE outbox SET not_before = 0 WHERE request_id = '{id}'")).status.success());
    }
    let failed = get(&lead, &app, &format!("/api/enrollments/{id}")).await;
    assert_eq!(failed["state"], "filing_failed", "{failed}");
    assert!(failed["bureau_answer"].as_str().unwrap().contains("报送失败，需人工处理"));
    assert_eq!(get(&admin, &app, "/api/bureau-simulator").await["calls"], 6, "bounded attempts, then it stops");
    for person in [&hr, &lead] {
        let told = alerts(person, &app).await;
        assert!(told.iter().any(|a| a["message"].as_str().unwrap().contains("报送失败，需人工处理")), "{told:?}");
    }
    // The supervisor sends it again once the bureau is back.
    simulator(&app, json!({"fail_next": 0, "fail_percent": 0})).await;
    assert_eq!(failed["actions"], json!(["execute"]));
    let (status, executed) = act(&lead, &app, &failed, "execute", None).await;
    assert_eq!((status, executed["state"].as_str()), (StatusCode::OK, Some("executed")), "{executed}");
}

#[tokio::test]
async fn one_failing_row_does_not_hold_up_the_others() {
    let app = spawn_app().await;
    set_hold_minutes(&app, 0).await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let mut ids = Vec::new();
    for employee in ["emp-0004", "emp-0005"] {
        let detail = submitted(&hr, &app, form("enrollment", employee, current(), current())).await;
        let (_, approved) = act(&lead, &app, &detail, "approve", None).await;
        ids.push(id_of(&approved));
    }
    simulator(&app, json!({"fail_next": 1, "fail_percent": 0})).await;
    app.run_cron().await;
    let first = get(&lead, &app, &format!("/api/enrollments/{}", ids[0])).await;
    let second = get(&lead, &app, &format!("/api/enrollments/{}", ids[1])).await;
    assert_eq!((first["state"].as_str(), second["state"].as_str()), (Some("filing"), Some("executed")));
}

#[tokio::test]
async fn a_worker_killed_after_the_bureau_accepted_ends_executed_after_the_next_cron() {
    let mut app = spawn_app().await;
    set_hold_minutes(&app, 0).await;
    // Long enough that the answer cannot arrive before the worker is killed.
    simulator(&app, json!({"fail_next": 0, "fail_percent": 0, "delay_ms": 20000})).await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let admin = app.client_as("admin").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0006", current(), current())).await;
    let (_, approved) = act(&lead, &app, &detail, "approve", None).await;
    let id = id_of(&approved);
    let cron = tokio::spawn(reqwest::get(app.url("/__scheduled?cron=*/10+*+*+*+*")));
    let mut at_bureau = 0;
    for _ in 0..100 {
        at_bureau = get(&admin, &app, "/api/bureau-simulator").await["filings"].as_i64().unwrap();
        if at_bureau > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(at_bureau, 1, "the bureau accepted the filing");
    let accepted = filings_of(&app, &id);
    // The worker dies before the bureau's answer reaches it.
    app.kill_and_restart().await;
    let _ = cron.await;
    let stuck = get(&lead, &app, &format!("/api/enrollments/{id}")).await;
    assert_eq!(stuck["state"], "filing", "{stuck}");

    // The claim goes stale; the next cron run asks the bureau again and records its answer.
    // The bureau answers a filing it holds with its receipt, even when it would refuse a new one.
    simulator(&app, json!({"fail_next": 0, "fail_percent": 0, "delay_ms": 0, "refuse_next": 1})).await;
    let aged = app.d1_execute(&format!("UPDATE outbox SET updated_at = updated_at - 120000 WHERE request_id = '{id}'"));
    assert!(aged.status.success());
    app.run_cron().await;
    let done = get(&lead, &app, &format!("/api/enrollments/{id}")).await;
    assert_eq!(done["state"], "executed", "{done}");
    assert_eq!(done["receipt_no"], accepted[0]["receipt_no"]);
    assert_eq!(filings_of(&app, &id).len(), 1, "filed once");
    assert_eq!(actions(&hr, &app, &id, "enrollment.bureau_files").await, 1);
    // And nothing is left to do.
    let (status, _) = post(&lead, &app, &format!("/api/enrollments/{id}/revoke"), json!({"version": done["version"]})).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn an_employee_edit_that_lost_its_race_changes_no_request() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0017", current(), current())).await;
    let employee = get(&hr, &app, "/api/employees/emp-0017").await;
    let url = app.url("/api/employees/emp-0017");
    // Ten phone changes and ten name changes from the same version: one of them wins.
    let tries = race((0..20).map(|i| {
        let body = if i % 2 == 0 {
            json!({"version": employee["version"], "phone": format!("139001390{i:02}")})
        } else {
            json!({"version": employee["version"], "name": format!("改名{i}")})
        };
        hr.patch(&url).json(&body)
    }));
    assert_eq!(tries.await.iter().filter(|s| **s == StatusCode::OK).count(), 1);
    let name = get(&hr, &app, "/api/employees/emp-0017").await["name"].clone();
    let request = get(&hr, &app, &format!("/api/enrollments/{}", id_of(&detail))).await;
    assert_eq!(request["employee_name"], name, "the request carries the record's name, not a loser's");
    let filed_name = app.d1_rows(&format!("SELECT employee_name FROM enrollment_requests WHERE id = '{}'", id_of(&detail)));
    assert_eq!(filed_name[0]["employee_name"], name);
}

#[tokio::test]
async fn a_revocation_the_bureau_never_answers_goes_back_to_the_checker() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let executed = executed(&hr, &lead, &app, "emp-0018").await;
    let id = id_of(&executed);
    let (_, asked) = act(&hr, &app, &executed, "request-revocation", Some("误报")).await;
    simulator(&app, json!({"fail_next": 100, "fail_percent": 0})).await;
    let (status, sent) = act(&lead, &app, &asked, "approve-revocation", None).await;
    assert_eq!((status, sent["state"].as_str()), (StatusCode::OK, Some("revocation_sent")));
    for _ in 0..6 {
        assert!(app.d1_execute(&format!("UPDATE outbox SET not_before = 0 WHERE request_id = '{id}'")).status.success());
        app.run_cron().await;
    }
    let back = get(&lead, &app, &format!("/api/enrollments/{id}")).await;
    assert_eq!(back["state"], "revocation_requested", "{back}");
    assert!(back["bureau_answer"].as_str().unwrap().contains("报送失败，需人工处理"));
    assert!(alerts(&lead, &app).await.iter().any(|a| about(a, &back)));
    simulator(&app, json!({"fail_next": 0, "fail_percent": 0})).await;
    let (status, revoked) = act(&lead, &app, &back, "approve-revocation", None).await;
    assert_eq!((status, revoked["state"].as_str()), (StatusCode::OK, Some("revoked_at_bureau")), "{revoked}");
}
