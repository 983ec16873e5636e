//! The API through HTTP against the real local stack: sessions, permissions, validation,
//! atomic audited changes, version guards and idempotency.

use reqwest::StatusCode;
use serde_json::{json, Value};
use shebao_domain::ResidentId;
use shebao_tests::{new_employee, resident_id, spawn_app, TestApp, DEMO_PASSWORD, SETUP_SECRET};

/// One page of the employee list; every page is one D1 round trip, the session's lookup in
/// the same batch (the session is known on the instance since sign-in).
async fn page(app: &TestApp, client: &reqwest::Client, query: &str) -> Value {
    let resp = client.get(app.url(&format!("/api/employees?{query}"))).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{query}");
    let round_trips = resp.headers().get("x-d1-round-trips").map(|v| v.to_str().unwrap().to_string());
    assert_eq!(round_trips.as_deref(), Some("1"), "{query}: the session with the page");
    resp.json().await.unwrap()
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

/// The list for `query` walked from the first page to the last with `after`, page by page.
async fn pages(app: &TestApp, client: &reqwest::Client, query: &str) -> Vec<Value> {
    let mut pages = vec![page(app, client, query).await];
    while let Some(next) = pages.last().unwrap()["next"].as_str().map(str::to_string) {
        pages.push(page(app, client, &format!("{query}&after={next}")).await);
    }
    pages
}

/// How many employees the list shows for `query`, over all its pages.
async fn total(app: &TestApp, client: &reqwest::Client, query: &str) -> usize {
    pages(app, client, &format!("per_page=100&{query}")).await.iter().map(|p| items(p).len()).sum()
}

/// (name, id) of each row, the list's order.
fn keys(pages: &[Value]) -> Vec<(String, String)> {
    pages
        .iter()
        .flat_map(items)
        .map(|e| (e["name"].as_str().unwrap().to_string(), e["id"].as_str().unwrap().to_string()))
        .collect()
}

async fn timeline(app: &TestApp, client: &reqwest::Client, id: &str) -> Vec<Value> {
    let resp = client.get(app.url(&format!("/api/audit?entity=employee&id={id}"))).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

#[tokio::test]
async fn sessions_set_a_strict_httponly_cookie_and_end_on_logout() {
    let app = spawn_app().await;
    let anonymous = reqwest::Client::new();
    assert_eq!(anonymous.get(app.url("/api/me")).send().await.unwrap().status(), 401);

    let client = app.client();
    let resp = client
        .post(app.url("/api/session"))
        .json(&json!({"login": "li.hr", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http must not mark the cookie Secure: {cookie}");

    let me: Value = client.get(app.url("/api/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["role"], "hr_specialist");
    assert_eq!(me["branch_name"], "北京分公司");

    assert_eq!(client.delete(app.url("/api/session")).send().await.unwrap().status(), 204);
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), 401);
}

#[tokio::test]
async fn repeated_failed_logins_lock_the_login() {
    let app = spawn_app().await;
    let client = app.client();
    let attempt = |password: &'static str| {
        client
            .post(app.url("/api/session"))
            .json(&json!({"login": "zhao.fin", "password": password}))
            .send()
    };
    for _ in 0..4 {
        let resp = attempt("wrong").await.unwrap();
        assert_eq!(resp.status(), 401);
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["error"]["message"], "用户名或密码错误");
    }
    let resp = attempt("wrong").await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(resp.headers()["retry-after"], "60", "the first delay is a minute");
    // Delayed: from this address even the right password is refused for now.
    let resp = attempt(DEMO_PASSWORD).await.unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.headers().contains_key("retry-after"));
    let body: Value = resp.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("登录失败次数过多"));
}

#[tokio::test]
async fn employees_see_only_themselves() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    assert_eq!(zhangsan.get(app.url("/api/employees")).send().await.unwrap().status(), 403);
    let me: Value = zhangsan.get(app.url("/api/me")).send().await.unwrap().json().await.unwrap();
    let own = me["employee_id"].as_str().unwrap();
    let resp = zhangsan.get(app.url(&format!("/api/employees/{own}"))).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let detail: Value = resp.json().await.unwrap();
    assert_eq!(detail["name"], "张三");
    assert!(detail["resident_id_masked"].as_str().unwrap().contains("********"));
    assert_eq!(zhangsan.get(app.url("/api/employees/emp-0002")).send().await.unwrap().status(), 403);
    let resp = zhangsan.post(app.url("/api/employees")).json(&new_employee(&resident_id("19900101", 11))).send().await.unwrap();
    assert_eq!(resp.status(), 403);
}

#[tokio::test]
async fn lists_are_scoped_searched_and_paged() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let first = page(&app, &hr, "per_page=7").await;
    assert_eq!(items(&first).len(), 7);
    assert!(first["prev"].is_null() && first["next"].is_string());
    assert_eq!(total(&app, &hr, "").await, 20, "a Beijing specialist sees the Beijing branch only");
    assert!(items(&first).iter().all(|e| e["branch_id"] == "br-beijing"));
    assert_eq!(hr.get(app.url("/api/employees?branch=br-shanghai")).send().await.unwrap().status(), 403);

    let found = page(&app, &hr, "q=张三").await;
    assert_eq!((items(&found).len(), &found["next"]), (1, &Value::Null));
    assert_eq!(found["items"][0]["name"], "张三");
    let masked = found["items"][0]["resident_id_masked"].as_str().unwrap();
    assert_eq!(masked.len(), 18);
    assert_eq!(&masked[4..14], "**********");
    // The start of a name, not any part of it: a range of the name index, never a scan.
    assert!(items(&page(&app, &hr, "q=张").await).iter().any(|e| e["name"] == "张三"));
    assert!(items(&page(&app, &hr, "q=三").await).iter().all(|e| e["name"].as_str().unwrap().starts_with('三')), "张三 is not found by 三");

    let director = app.client_as("director").await;
    assert_eq!(total(&app, &director, "").await, 60);
    assert_eq!(total(&app, &director, "branch=br-shenzhen").await, 20);
    assert_eq!(total(&app, &director, "q=%25").await, 0, "LIKE wildcards are matched literally");
}

#[tokio::test]
async fn the_list_pages_forward_after_a_cursor_and_back_before_one() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    // Two people of one name: their order, and the page between them, goes by id.
    for seq in [301, 302] {
        let resp = hr.post(app.url("/api/employees")).json(&new_employee(&resident_id("19900307", seq))).send().await.unwrap();
        assert_eq!(resp.status(), 201);
    }
    let director = app.client_as("director").await;

    // Forward: the group's 62 in 9 pages of 7, by name and id, each row once.
    let forward = pages(&app, &director, "per_page=7").await;
    assert_eq!(forward.len(), 9);
    assert!(forward[0]["prev"].is_null(), "the first page has no page before it");
    assert!(forward[..8].iter().all(|p| items(p).len() == 7 && p["next"].is_string()));
    assert_eq!(items(&forward[8]).len(), 62 - 8 * 7);
    assert!(forward[8]["next"].is_null(), "the last page has no page after it");
    let walked = keys(&forward);
    let mut sorted = walked.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(walked, sorted, "in order, no row twice");
    let whole = page(&app, &director, "per_page=100").await;
    assert_eq!(walked, keys(&[whole]), "no row left out");
    let twins: Vec<_> = walked.iter().filter(|(name, _)| name == "测试员工").collect();
    assert_eq!(twins.len(), 2);

    // Back from the last page: the same pages, ending on the first with nothing before it.
    let mut back = forward[8].clone();
    for expected in forward[..8].iter().rev() {
        let before = back["prev"].as_str().expect("a page before").to_string();
        back = page(&app, &director, &format!("per_page=7&before={before}")).await;
        assert_eq!(back["items"], expected["items"]);
        assert_eq!(back["next"], expected["next"], "forward again from where it was");
    }
    assert!(back["prev"].is_null(), "back at the top: nothing before it");

    // A branch pages within the branch, whoever reads it; the cursor does not widen it.
    let shenzhen = pages(&app, &director, "per_page=6&branch=br-shenzhen").await;
    assert_eq!(shenzhen.len(), 4);
    assert!(shenzhen.iter().flat_map(items).all(|e| e["branch_id"] == "br-shenzhen"));
    let in_branch = keys(&shenzhen);
    assert!(in_branch.windows(2).all(|w| w[0] < w[1]) && in_branch.len() == 20);
    let beijing = pages(&app, &hr, "per_page=5").await;
    assert_eq!(keys(&beijing).len(), 22);
    assert!(beijing.iter().flat_map(items).all(|e| e["branch_id"] == "br-beijing"));
    let elsewhere = forward[3]["next"].as_str().unwrap();
    let from_group = page(&app, &hr, &format!("per_page=100&after={elsewhere}")).await;
    assert!(items(&from_group).iter().all(|e| e["branch_id"] == "br-beijing"));

    // A search pages too: by name…
    let found = pages(&app, &director, "per_page=1&q=测试员工").await;
    assert_eq!(keys(&found), twins.into_iter().cloned().collect::<Vec<_>>());
    assert_eq!((&found[0]["prev"], found[1]["prev"].is_string()), (&Value::Null, true));
    let again = page(&app, &director, &format!("per_page=1&q=测试员工&before={}", found[1]["prev"].as_str().unwrap())).await;
    assert_eq!((&again["items"], &again["prev"]), (&found[0]["items"], &Value::Null));
    // …and, for HR, by the start of the ID number.
    let by_id = pages(&app, &hr, "per_page=4&q=110105199003073").await;
    let hits: Vec<&Value> = by_id.iter().flat_map(items).collect();
    assert_eq!(hits.len(), 2, "the two entered above");
    assert!(hits.iter().all(|e| e["resident_id_masked"].as_str().unwrap().starts_with("1101")));

    // A cursor that no page gave out, or two at once, is refused in Chinese.
    let token = forward[0]["next"].as_str().unwrap();
    for query in ["after=not-a-cursor", "before=5b5d", &format!("after={token}&before={token}")] {
        let resp = director.get(app.url(&format!("/api/employees?{query}"))).send().await.unwrap();
        assert_eq!(resp.status(), 400, "{query}");
        let body: Value = resp.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains("翻页位置无效"), "{query}: {body}");
    }
}

#[tokio::test]
async fn a_bad_body_gets_422_with_field_errors_and_writes_nothing() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let before = total(&app, &hr, "").await;
    let mut body = new_employee("110105194912310021");
    body["name"] = json!("");
    body["phone"] = json!("12345");
    let resp = hr.post(app.url("/api/employees")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let errors: Value = resp.json().await.unwrap();
    let codes: Vec<(&str, &str)> = errors["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert!(codes.contains(&("resident_id", "id.checksum")), "{codes:?}");
    assert!(codes.contains(&("name", "name.required")), "{codes:?}");
    assert!(codes.contains(&("phone", "phone.invalid")), "{codes:?}");
    assert!(errors["errors"][0]["message"].as_str().unwrap().chars().any(|c| c > '\u{4e00}'));
    // …and in English beside it, for the English screen.
    assert!(errors["errors"].as_array().unwrap().iter().all(|e| e["message_en"].as_str().is_some_and(|m| !m.is_empty() && !m.chars().any(|c| c > '\u{4e00}'))));
    assert_eq!(total(&app, &hr, "").await, before, "nothing was written");

    let resp = hr
        .post(app.url("/api/employees"))
        .header("Content-Type", "application/json")
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(total(&app, &hr, "").await, before);
}

#[tokio::test]
async fn create_is_audited_idempotent_and_unique() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let id = resident_id("19900307", 123);
    let send = || {
        hr.post(app.url("/api/employees"))
            .header("Idempotency-Key", "create-once")
            .json(&new_employee(&id))
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), 201);
    let created: Value = first.json().await.unwrap();
    assert_eq!(created["birth_date"], "1990-03-07");
    assert_eq!(created["gender"], "male");
    assert_eq!(created["salary"], "15000.00");
    let again = send().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let replayed: Value = again.json().await.unwrap();
    assert_eq!(replayed["id"], created["id"], "the same key creates nothing new");
    assert_eq!(total(&app, &hr, "q=测试员工").await, 1);

    let entries = timeline(&app, &hr, created["id"].as_str().unwrap()).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["action"], "employee.create");
    assert_eq!(entries[0]["actor_name"], "李娜");
    let name_change = entries[0]["changes"].as_array().unwrap().iter().find(|c| c["field"] == "name").unwrap();
    assert_eq!(name_change["after"], "测试员工");
    assert!(name_change["before"].is_null());

    // Another create with the same ID number is refused with a field error.
    let dup = hr.post(app.url("/api/employees")).json(&new_employee(&id)).send().await.unwrap();
    assert_eq!(dup.status(), 422);
    let body: Value = dup.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "id.duplicate");
}

#[tokio::test]
async fn updates_are_version_guarded_and_show_before_and_after() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let emp = "emp-0002";
    let detail: Value = hr.get(app.url(&format!("/api/employees/{emp}"))).send().await.unwrap().json().await.unwrap();
    let version = detail["version"].as_i64().unwrap();
    let old_phone = detail["phone"].as_str().unwrap().to_string();

    let resp = hr
        .patch(app.url(&format!("/api/employees/{emp}")))
        .json(&json!({"version": version, "phone": "13912345678", "salary": "20000.50"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let updated: Value = resp.json().await.unwrap();
    assert_eq!(updated["version"], version + 1);
    assert_eq!(updated["phone"], "13912345678");

    let stale = hr
        .patch(app.url(&format!("/api/employees/{emp}")))
        .json(&json!({"version": version, "phone": "13700000000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);

    let bad = hr
        .patch(app.url(&format!("/api/employees/{emp}")))
        .json(&json!({"version": version + 1, "hire_date": "2026-02-30"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);

    let entries = timeline(&app, &hr, emp).await;
    assert_eq!(entries.len(), 1, "only the successful update is in the log");
    let changes = entries[0]["changes"].as_array().unwrap();
    let phone = changes.iter().find(|c| c["field"] == "phone").unwrap();
    assert_eq!(phone["label"], "手机号");
    assert_eq!(phone["before"], old_phone.as_str());
    assert_eq!(phone["after"], "13912345678");
    let salary = changes.iter().find(|c| c["field"] == "salary").unwrap();
    assert_eq!(salary["after"], "¥20,000.50");
    assert_eq!(changes.len(), 2);
}

#[tokio::test]
async fn only_editors_change_records_and_only_in_their_branch() {
    let app = spawn_app().await;
    let supervisor = app.client_as("wang.lead").await;
    let resp = supervisor.post(app.url("/api/employees")).json(&new_employee(&resident_id("19850512", 22))).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    let resp = supervisor.patch(app.url("/api/employees/emp-0002")).json(&json!({"version": 1, "phone": "13912345678"})).send().await.unwrap();
    assert_eq!(resp.status(), 403);

    let hr = app.client_as("li.hr").await;
    let mut shanghai = new_employee(&resident_id("19850512", 22));
    shanghai["branch_id"] = json!("br-shanghai");
    assert_eq!(hr.post(app.url("/api/employees")).json(&shanghai).send().await.unwrap().status(), 403);
    assert_eq!(hr.get(app.url("/api/employees/emp-0021")).send().await.unwrap().status(), 403);

    let manager = app.client_as("chen.mgr").await;
    assert_eq!(manager.post(app.url("/api/employees")).json(&shanghai).send().await.unwrap().status(), 201);
}

#[tokio::test]
async fn revealing_an_id_number_is_audited() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let resp = hr.post(app.url("/api/employees/emp-0001/reveal-id")).json(&json!({})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let revealed: Value = resp.json().await.unwrap();
    let full = revealed["resident_id"].as_str().unwrap();
    assert!(ResidentId::parse(full).is_ok(), "{full}");
    let entries = timeline(&app, &hr, "emp-0001").await;
    assert_eq!(entries.last().unwrap()["action"], "employee.reveal_id");

    let supervisor = app.client_as("wang.lead").await;
    let resp = supervisor.post(app.url("/api/employees/emp-0001/reveal-id")).json(&json!({})).send().await.unwrap();
    assert_eq!(resp.status(), 403);
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let resp = hr.post(app.url("/api/employees")).json(&new_employee(&resident_id("19920220", 44))).send().await.unwrap();
    assert_eq!(resp.status(), 201);
    assert_one_entry_for_the_new_employee(&app, &hr).await;

    let update = app.d1_execute("UPDATE audit_log SET actor_name = 'someone else'");
    assert!(!update.status.success(), "UPDATE on audit_log must fail");
    assert!(String::from_utf8_lossy(&update.stdout).contains("append-only")
        || String::from_utf8_lossy(&update.stderr).contains("append-only"));
    let delete = app.d1_execute("DELETE FROM audit_log");
    assert!(!delete.status.success(), "DELETE on audit_log must fail");
    // Both entries are still there: li.hr's sign-in and the creation.
    let insert_ok = app.d1_execute("SELECT COUNT(*) AS n FROM audit_log");
    assert!(insert_ok.status.success());
    assert!(String::from_utf8_lossy(&insert_ok.stdout).contains("\"n\": 2"));
}

async fn assert_one_entry_for_the_new_employee(app: &TestApp, client: &reqwest::Client) {
    let page: Value = client.get(app.url("/api/employees?q=测试员工")).send().await.unwrap().json().await.unwrap();
    let id = page["items"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(timeline(app, client, &id).await.len(), 1);
}

#[tokio::test]
async fn setup_refuses_a_second_first_admin() {
    let app = spawn_app().await;
    let resp = app
        .client()
        .post(app.url("/api/setup"))
        .header("X-Setup-Secret", SETUP_SECRET)
        .json(&json!({"login": "root", "password": "a-long-enough-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_not_the_app() {
    let app = spawn_app().await;
    let resp = reqwest::get(app.url("/api/nope")).await.unwrap();
    assert_eq!(resp.status(), 401, "without a session no route is revealed");
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("json"));
    let hr = app.client_as("li.hr").await;
    let resp = hr.get(app.url("/api/nope")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("json"));
    let page = reqwest::get(app.url("/employees/emp-0001")).await.unwrap();
    assert_eq!(page.status(), 200, "deep links get the SPA");
    assert!(page.text().await.unwrap().contains("<div id=\"app\""));
}

#[tokio::test]
async fn hukou_is_stored_returned_audited_and_checked() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    // Left out, it is local: older clients keep working.
    let local: Value = hr
        .post(app.url("/api/employees"))
        .json(&new_employee(&resident_id("19920101", 456)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(local["hukou"], "local");

    let mut body = new_employee(&resident_id("19900307", 123));
    body["hukou"] = json!("non_local");
    let resp = hr.post(app.url("/api/employees")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    assert_eq!(created["hukou"], "non_local");
    let id = created["id"].as_str().unwrap();
    let read: Value = hr.get(app.url(&format!("/api/employees/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(read["hukou"], "non_local");
    let entries = timeline(&app, &hr, id).await;
    let hukou = entries[0]["changes"].as_array().unwrap().iter().find(|c| c["field"] == "hukou").unwrap();
    assert_eq!((hukou["label"].as_str(), hukou["after"].as_str()), (Some("户籍"), Some("非本地户籍")));

    let bad = hr
        .patch(app.url(&format!("/api/employees/{id}")))
        .json(&json!({"version": created["version"], "hukou": "elsewhere"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let errors: Value = bad.json().await.unwrap();
    assert_eq!((errors["errors"][0]["field"].as_str(), errors["errors"][0]["code"].as_str()), (Some("hukou"), Some("hukou.invalid")));

    let resp = hr
        .patch(app.url(&format!("/api/employees/{id}")))
        .json(&json!({"version": created["version"], "hukou": "local"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let updated: Value = resp.json().await.unwrap();
    assert_eq!(updated["hukou"], "local");
    let entries = timeline(&app, &hr, id).await;
    let last = entries.last().unwrap();
    let changes = last["changes"].as_array().unwrap();
    assert_eq!((entries.len(), last["action"].as_str()), (2, Some("employee.update")));
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0]["before"].as_str(), changes[0]["after"].as_str()), (Some("非本地户籍"), Some("本地户籍")));

    // The demo seed has non-local employees in Shenzhen.
    let director = app.client_as("director").await;
    let seeded: Value = director.get(app.url("/api/employees/emp-0043")).send().await.unwrap().json().await.unwrap();
    assert_eq!((seeded["city"].as_str(), seeded["hukou"].as_str()), (Some("shenzhen"), Some("non_local")));
}
