//! Medical reimbursement claims through HTTP on the real stack (wrangler dev, workerd, local
//! D1 and R2): a claim held on a lapsed month that resumes by itself once the month is paid,
//! documents recognised by content and read only by the claimant and the reviewers, the
//! review and payment flow with the bank simulator, and who sees which claims.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shebao_tests::requests::{current, get, post, race};
use shebao_tests::{spawn_app, TestApp};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0xFF, 0xD9];
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];

fn count(app: &TestApp, sql: &str) -> i64 {
    app.d1_rows(sql)[0]["n"].as_i64().unwrap()
}

/// A sign-in for another seeded employee, with the demo password (same hash format).
fn employee_login(app: &TestApp, login: &str, employee: &str) {
    let out = app.d1_execute(&format!(
        "INSERT INTO users (id, login, display_name, role, branch_id, employee_id, password_hash, created_at) \
         SELECT 'usr-{login}', '{login}', e.name, 'employee', e.branch_id, e.id, \
         (SELECT password_hash FROM users WHERE login = 'zhangsan'), '2026-01-01T00:00:00Z' FROM employees e WHERE e.id = '{employee}'"
    ));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn claim_form() -> Value {
    let today = shebao_domain::ids::today_in_china();
    let start = today - chrono::Days::new(20);
    json!({"kind": "inpatient", "amount": "8,650.40", "start_date": start.to_string(),
           "end_date": (start + chrono::Days::new(6)).to_string(), "hospital": "北京协和医院"})
}

async fn upload(client: &Client, app: &TestApp, id: &str, kind: &str, name: &str, content: &[u8], declared: &str) -> (StatusCode, Value) {
    let resp = client
        .post(app.url(&format!("/api/claims/{id}/documents?kind={kind}&name={name}")))
        .header("Content-Type", declared)
        .body(content.to_vec())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A draft with its three documents, uploaded at once (as a phone sends three photos).
async fn documented_claim(client: &Client, app: &TestApp) -> String {
    let (status, draft) = post(client, app, "/api/claims", claim_form()).await;
    assert_eq!(status, 201, "{draft}");
    assert_eq!(draft["claim"]["state"], "draft");
    let id = draft["claim"]["id"].as_str().unwrap().to_string();
    let (a, b, c) = tokio::join!(
        upload(client, app, &id, "certificate", "出院小结.pdf", PDF, "application/pdf"),
        upload(client, app, &id, "expense_list", "fee.jpg", JPEG, "image/jpeg"),
        upload(client, app, &id, "id_copy", "id.png", PNG, "image/png"),
    );
    for (status, detail) in [a, b, c] {
        assert_eq!(status, 201, "{detail}");
    }
    id
}

async fn claim_act(client: &Client, app: &TestApp, id: &str, route: &str, reason: Option<&str>) -> (StatusCode, Value) {
    let detail = get(client, app, &format!("/api/claims/{id}")).await;
    post(client, app, &format!("/api/claims/{id}/{route}"), json!({"version": detail["claim"]["version"], "reason": reason})).await
}

async fn run_act(client: &Client, app: &TestApp, id: &str, action: &str) -> StatusCode {
    let detail = get(client, app, &format!("/api/runs/{id}")).await;
    post(client, app, &format!("/api/runs/{id}/{action}"), json!({"version": detail["run"]["version"]})).await.0
}

fn notified(items: &Value, text: &str) -> bool {
    items["items"].as_array().unwrap().iter().any(|n| n["message"].as_str().unwrap_or_default().contains(text))
}

#[tokio::test]
async fn a_claim_held_on_a_lapsed_month_resumes_by_itself_once_it_is_paid_then_is_paid_once() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    let id = documented_claim(&zhangsan, &app).await;

    // 北京分公司's last month is confirmed but was never approved: lapsed.
    let last = current().prev();
    let (status, held) = claim_act(&zhangsan, &app, &id, "submit", None).await;
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["claim"]["state"], "held");
    let message = held["held_message"].as_str().unwrap();
    assert!(message.contains(&format!("{}年{}月", last.year(), last.month())) && message.contains("自动继续"), "{message}");
    let lapsed = held["months"].as_array().unwrap().iter().find(|m| m["period"] == last.to_string()).unwrap().clone();
    assert_eq!(lapsed["status"], "lapsed");
    assert_eq!(held["next"]["holder"], "单位人事与财务");
    assert!(notified(&get(&zhangsan, &app, "/api/notifications").await, "您的报销已暂停"));

    // HR is alerted at once, with the cause and the 24-hour deadline, and cannot push it on.
    let hr = app.client_as("li.hr").await;
    let alerts = get(&hr, &app, "/api/alerts").await;
    let alert = alerts.as_array().unwrap().iter().find(|a| a["id"] == format!("claim:{id}:held:1")).expect("HR's alert").clone();
    assert_eq!(alert["link"], format!("/claims/{id}"));
    let text = alert["message"].as_str().unwrap();
    assert!(text.contains("张三") && text.contains("前处理") && text.contains("财务未审批缴费清单"), "{text}");
    assert!(notified(&get(&hr, &app, "/api/notifications").await, "张三 的医疗报销"));
    let (status, _) = claim_act(&hr, &app, &id, "approve", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "a held claim waits for the month");
    // The cron finds nothing to resume while the month is unpaid.
    app.run_cron_15().await;
    assert_eq!(get(&zhangsan, &app, &format!("/api/claims/{id}")).await["claim"]["state"], "held");

    // Finance approves and submits last month's run: paid late, and the claim goes on by itself.
    let finance = app.client_as("zhao.fin").await;
    let run = format!("run-br-beijing-{last}");
    assert_eq!(run_act(&finance, &app, &run, "approve").await, 200);
    assert_eq!(run_act(&finance, &app, &run, "submit").await, 200);
    let resumed = get(&zhangsan, &app, &format!("/api/claims/{id}")).await;
    assert_eq!(resumed["claim"]["state"], "hr_review", "{resumed}");
    assert!(resumed["held_message"].is_null());
    let step = resumed["timeline"].as_array().unwrap().iter().find(|s| s["label"] == "社保已补缴，自动恢复").expect("resumed step").clone();
    assert_eq!(step["actor_name"], "系统（自动执行）");
    assert!(notified(&get(&zhangsan, &app, "/api/notifications").await, "已自动恢复"));
    assert!(notified(&get(&hr, &app, "/api/notifications").await, "已自动恢复"));
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM alerts WHERE item = 'claim:{id}:held' AND resolved_at IS NULL")), 0);

    // HR, then finance; the employee may do neither, HR may not pay.
    assert_eq!(claim_act(&zhangsan, &app, &id, "approve", None).await.0, StatusCode::FORBIDDEN);
    let (status, body) = claim_act(&hr, &app, &id, "approve", None).await;
    assert_eq!((status, body["claim"]["state"].as_str()), (StatusCode::OK, Some("finance_review")), "{body}");
    assert_eq!(claim_act(&hr, &app, &id, "approve", None).await.0, StatusCode::FORBIDDEN, "finance approves now");
    let (status, body) = claim_act(&finance, &app, &id, "approve", None).await;
    assert_eq!((status, body["claim"]["state"].as_str()), (StatusCode::OK, Some("approved")), "{body}");
    assert_eq!(claim_act(&hr, &app, &id, "pay", None).await.0, StatusCode::FORBIDDEN);

    // Twenty pays at once: one wins, the bank pays once.
    let version = get(&finance, &app, &format!("/api/claims/{id}")).await["claim"]["version"].clone();
    let url = app.url(&format!("/api/claims/{id}/pay"));
    let mut winners = 0;
    for status in race((0..20).map(|_| finance.post(&url).json(&json!({"version": version})))).await {
        assert!(status == 200 || status == 409, "{status}");
        winners += usize::from(status == 200);
    }
    assert_eq!(winners, 1);
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM bank_sim_payments WHERE claim_id = '{id}'")), 1);
    let paid = get(&zhangsan, &app, &format!("/api/claims/{id}")).await;
    assert_eq!(paid["claim"]["state"], "paid");
    let receipt = paid["receipt_no"].as_str().unwrap();
    assert!(receipt.starts_with("SIMBANK-"));
    assert!(paid["next"].is_null());
    let labels: Vec<&str> = paid["timeline"].as_array().unwrap().iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        ["创建报销申请", "上传材料", "上传材料", "上传材料", "提交申请（社保断缴，暂停）", "社保已补缴，自动恢复", "人事审核通过", "财务审批通过", "银行已打款"]
    );
    assert!(notified(&get(&zhangsan, &app, "/api/notifications").await, receipt));
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'claim' AND entity_id = '{id}' AND action = 'claim.pay'")), 1);
}

#[tokio::test]
async fn documents_are_recognised_by_content_and_read_only_by_the_claimant_and_reviewers() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    let (status, draft) = post(&zhangsan, &app, "/api/claims", claim_form()).await;
    assert_eq!(status, 201);
    let id = draft["claim"]["id"].as_str().unwrap().to_string();

    // A Windows program renamed .pdf, declared as a PDF.
    let (status, refused) = upload(&zhangsan, &app, &id, "certificate", "report.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf").await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{refused}");
    assert!(refused["error"]["message"].as_str().unwrap().contains("PDF、JPEG 或 PNG"));
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    assert_eq!(upload(&zhangsan, &app, &id, "certificate", "big.pdf", &big, "application/pdf").await.0, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(upload(&zhangsan, &app, &id, "passport", "a.pdf", PDF, "application/pdf").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM claim_documents WHERE claim_id = '{id}'")), 0, "nothing half-written");

    // Submitting without every kind says what is missing.
    let (status, body) = claim_act(&zhangsan, &app, &id, "submit", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("材料不全"));

    let (status, detail) = upload(&zhangsan, &app, &id, "expense_list", "收费票据.png", PNG, "image/png").await;
    assert_eq!(status, 201, "{detail}");
    let doc = detail["documents"][0].clone();
    assert_eq!((doc["file_name"].as_str(), doc["content_type"].as_str()), (Some("收费票据.png"), Some("image/png")));
    let doc_id = doc["id"].as_str().unwrap();
    assert_eq!(doc_id.len(), "doc-".len() + 32, "128 random bits, never guessable");
    assert_eq!(detail["missing_documents"], json!(["certificate", "id_copy"]));
    let path = format!("/api/claims/{id}/documents/{doc_id}");

    for (who, expected) in [("zhangsan", 200), ("li.hr", 200), ("zhao.fin", 200), ("admin", 403)] {
        let resp = app.client_as(who).await.get(app.url(&path)).send().await.unwrap();
        assert_eq!(resp.status(), expected, "{who}");
        if expected == 200 {
            assert_eq!(resp.headers()["content-type"], "image/png");
            assert_eq!(resp.bytes().await.unwrap().as_ref(), PNG);
        }
    }
    // Another employee of the same branch reads neither the claim, nor its file, nor lists it.
    employee_login(&app, "wangfang", "emp-0002");
    let other = app.client_as("wangfang").await;
    assert_eq!(other.get(app.url(&format!("/api/claims/{id}"))).send().await.unwrap().status(), 403);
    assert_eq!(other.get(app.url(&path)).send().await.unwrap().status(), 403);
    assert!(get(&other, &app, "/api/claims").await["items"].as_array().unwrap().is_empty());
    assert_eq!(upload(&other, &app, &id, "id_copy", "id.png", PNG, "image/png").await.0, StatusCode::FORBIDDEN);
    assert_eq!(post(&other, &app, &format!("/api/claims/{id}/submit"), json!({"version": 1})).await.0, StatusCode::FORBIDDEN);
    // Ten documents at most.
    for n in 1..10 {
        assert_eq!(upload(&zhangsan, &app, &id, "id_copy", &format!("{n}.pdf"), PDF, "application/pdf").await.0, 201);
    }
    let (status, body) = upload(&zhangsan, &app, &id, "certificate", "11.pdf", PDF, "application/pdf").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("最多 10 个"));
}

#[tokio::test]
async fn a_claim_with_every_month_paid_goes_to_hr_and_stays_in_its_branch() {
    let app = spawn_app().await;
    // 上海分公司 paid every month, three months back late with its fee: paid, so not held.
    employee_login(&app, "shanghai.worker", "emp-0021");
    let worker = app.client_as("shanghai.worker").await;
    let id = documented_claim(&worker, &app).await;
    let (status, submitted) = claim_act(&worker, &app, &id, "submit", None).await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["claim"]["state"], "hr_review");
    let statuses: Vec<&str> = submitted["months"].as_array().unwrap().iter().map(|m| m["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["late", "normal", "normal"]);
    assert_eq!(count(&app, &format!("SELECT COUNT(*) AS n FROM alerts WHERE item LIKE 'claim:{id}:%'")), 0);

    // 北京分公司's HR neither sees nor reviews it; the group's finance sees it.
    let beijing_hr = app.client_as("li.hr").await;
    assert_eq!(beijing_hr.get(app.url(&format!("/api/claims/{id}"))).send().await.unwrap().status(), 403);
    assert!(!get(&beijing_hr, &app, "/api/claims").await["items"].as_array().unwrap().iter().any(|c| c["id"] == id.as_str()));
    assert_eq!(claim_act(&worker, &app, &id, "approve", None).await.0, StatusCode::FORBIDDEN);
    let finance = app.client_as("zhao.fin").await;
    let waiting = get(&finance, &app, "/api/claims?state=hr_review").await;
    assert!(waiting["items"].as_array().unwrap().iter().any(|c| c["id"] == id.as_str()));
    assert!(get(&finance, &app, "/api/claims?state=paid").await["items"].as_array().unwrap().iter().all(|c| c["state"] == "paid"));
    assert_eq!(finance.get(app.url("/api/claims?state=nonsense")).send().await.unwrap().status(), 400);
    // Rejecting needs a reason; finance cannot reject at HR's step.
    assert_eq!(claim_act(&finance, &app, &id, "reject", Some("材料不清楚")).await.0, StatusCode::FORBIDDEN);
    let manager = app.client_as("chen.mgr").await;
    assert_eq!(claim_act(&manager, &app, &id, "reject", None).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, rejected) = claim_act(&manager, &app, &id, "reject", Some("发票与费用清单金额不一致，请重新申请")).await;
    assert_eq!((status, rejected["claim"]["state"].as_str()), (StatusCode::OK, Some("rejected")));
    assert!(notified(&get(&worker, &app, "/api/notifications").await, "金额不一致"));
}

#[tokio::test]
async fn a_bad_claim_form_is_refused_field_by_field_and_only_employees_claim() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    let (status, body) = post(
        &zhangsan,
        &app,
        "/api/claims",
        json!({"kind": "dental", "amount": "12.345", "start_date": "2099-01-01", "end_date": "x", "hospital": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["kind", "amount", "start_date", "end_date", "hospital"]);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM claims"), 0);
    let hr = app.client_as("li.hr").await;
    assert_eq!(post(&hr, &app, "/api/claims", claim_form()).await.0, StatusCode::FORBIDDEN);
    // The same key twice: one draft, the same answer.
    let send = || zhangsan.post(app.url("/api/claims")).header("Idempotency-Key", "claim-once").json(&claim_form()).send();
    let (first, second) = (send().await.unwrap(), send().await.unwrap());
    assert_eq!((first.status(), second.status()), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM claims"), 1);
}

fn claim_ids(page: &Value) -> Vec<String> {
    page["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_claim_list_pages_newest_first_and_back() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    for _ in 0..5 {
        assert_eq!(post(&zhangsan, &app, "/api/claims", claim_form()).await.0, StatusCode::CREATED);
    }
    let newest_first: Vec<String> = app
        .d1_rows("SELECT id FROM claims ORDER BY created_at DESC, id DESC")
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(claim_ids(&get(&zhangsan, &app, "/api/claims").await), newest_first);

    // Two at a time: every claim once, in order, to a last page that says so.
    let mut pages = vec![get(&zhangsan, &app, "/api/claims?per_page=2").await];
    while let Some(next) = pages.last().unwrap()["next"].as_str().map(str::to_string) {
        pages.push(get(&zhangsan, &app, &format!("/api/claims?per_page=2&after={next}")).await);
    }
    assert_eq!(pages.len(), 3);
    assert_eq!(pages.iter().flat_map(claim_ids).collect::<Vec<_>>(), newest_first);
    assert!(pages[0]["prev"].is_null());
    // And back from the last page to the one before it.
    let before = pages[2]["prev"].as_str().unwrap();
    let back = get(&zhangsan, &app, &format!("/api/claims?per_page=2&before={before}")).await;
    assert_eq!(claim_ids(&back), claim_ids(&pages[1]));
    assert_eq!(back["next"], pages[1]["next"]);
    // A place no page gave out.
    assert_eq!(zhangsan.get(app.url("/api/claims?after=zz")).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
}
