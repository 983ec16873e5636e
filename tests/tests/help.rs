//! The help assistant through HTTP on the real stack: answers from the seeded FAQ with the
//! matcher's own scores, an employee's question about their contributions answered from
//! their record, 转人工 offered when nothing answers, HR maintaining the FAQ (audited,
//! version-guarded, employees refused), and a question handed over to the branch's HR and
//! answered back, seen only by those it concerns.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shebao_domain::help::{starter_faq, Index, MIN_SCORE};
use shebao_domain::policy::{policy_for, City};
use shebao_tests::requests::{current, get, post};
use shebao_tests::{spawn_app, TestApp};

async fn ask(client: &Client, app: &TestApp, q: &str) -> (StatusCode, Value) {
    let resp = client.get(app.url("/api/help")).query(&[("q", q)]).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// A question the assistant answers (200).
async fn answered(client: &Client, app: &TestApp, q: &str) -> Value {
    let (status, answer) = ask(client, app, q).await;
    assert_eq!(status, 200, "{q}: {answer}");
    answer
}

fn answer_ids(answer: &Value) -> Vec<&str> {
    answer["answers"].as_array().unwrap().iter().map(|a| a["entry_id"].as_str().unwrap()).collect()
}

async fn send(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn patch(client: &Client, app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    send(client.patch(app.url(path)).json(&body)).await
}

/// A sign-in with the demo password (zhangsan's hash) for a role, a branch and a record.
fn sign_in_for(app: &TestApp, login: &str, role: &str, branch: &str, employee: Option<&str>) {
    let employee = employee.map_or("NULL".to_string(), |e| format!("'{e}'"));
    let out = app.d1_execute(&format!(
        "INSERT INTO users (id, login, display_name, role, branch_id, employee_id, password_hash, created_at) \
         SELECT 'usr-{login}', '{login}', '{login}', '{role}', '{branch}', {employee}, password_hash, created_at \
         FROM users WHERE login = 'zhangsan'"
    ));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn audit_actions(app: &TestApp, entity: &str, id: &str) -> Vec<String> {
    app.d1_rows(&format!("SELECT action FROM audit_log WHERE entity = '{entity}' AND entity_id = '{id}' ORDER BY id"))
        .iter()
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect()
}

fn faq_entry() -> Value {
    json!({
        "question": "年假期间社保怎么缴纳？",
        "answer": "年假属于带薪假期，劳动关系不变，单位照常为您缴纳社保，个人部分照常从工资中代扣。",
        "keywords": ["年假", "带薪假", "休假"],
        "category": "other"
    })
}

#[tokio::test]
async fn common_questions_get_the_seeded_entry_with_the_matchers_score() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    // The seeded FAQ is the starter one: the worker's scores are the domain's.
    let faq = starter_faq();
    let index = Index::new(&faq);
    for (q, id) in [("社保延迟了怎么办？", "faq-10"), ("住院报销需要哪些材料？", "faq-06")] {
        let answer = answered(&zhangsan, &app, q).await;
        let expected = &index.search(q, 3)[0];
        let top = &answer["answers"][0];
        assert_eq!((top["entry_id"].as_str(), expected.entry_id.as_str()), (Some(id), id), "{answer}");
        let score = top["score"].as_f64().unwrap();
        assert!((score - expected.score).abs() < 1e-9 && score >= MIN_SCORE, "{score} vs {}", expected.score);
        let entry = faq.iter().find(|e| e.id == id).unwrap();
        assert_eq!((top["question"].as_str(), top["answer"].as_str()), (Some(entry.question.as_str()), Some(entry.answer.as_str())));
        assert_eq!(top["category"], entry.category.code());
        // At most three, all good, best first.
        let scores: Vec<f64> = answer["answers"].as_array().unwrap().iter().map(|a| a["score"].as_f64().unwrap()).collect();
        assert!(scores.len() <= 3 && scores.iter().all(|s| *s >= MIN_SCORE), "{scores:?}");
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert_eq!((answer["query"].as_str(), &answer["own_status"], &answer["offer_handover"]), (Some(q), &Value::Null, &json!(false)));
    }

    // Nothing answers the weather: a person is offered.
    let weather = answered(&zhangsan, &app, "今天天气怎么样").await;
    assert!(answer_ids(&weather).is_empty(), "{weather}");
    assert_eq!((&weather["own_status"], &weather["offer_handover"]), (&Value::Null, &json!(true)));

    // An empty, blank, missing or over-long question is refused.
    for q in ["", "   ", &"问".repeat(201)] {
        let (status, body) = ask(&zhangsan, &app, q).await;
        assert_eq!(status, 422, "{q}: {body}");
        assert_eq!(body["errors"][0]["field"], "q");
    }
    let (status, _) = send(zhangsan.get(app.url("/api/help"))).await;
    assert_eq!(status, 422);
    assert_eq!(send(app.client().get(app.url("/api/help?q=住院"))).await.0, 401, "signed in only");
}

#[tokio::test]
async fn an_employee_asking_about_their_own_contributions_gets_their_record() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    let answer = answered(&zhangsan, &app, "我的社保交了吗").await;
    // 北京分公司's last month is confirmed but unpaid past its deadline: lapsed. This
    // month's, unpaid too, is the answer once its own deadline has passed.
    let this = current();
    let due = policy_for(City::Beijing, this).unwrap().due_date(this);
    let month = if shebao_domain::ids::today_in_china() > due { this } else { this.prev() };
    let own = &answer["own_status"];
    assert_eq!((own["period"].as_str(), own["status"].as_str()), (Some(month.to_string().as_str()), Some("lapsed")), "{answer}");
    let text = own["text"].as_str().unwrap();
    assert!(text.starts_with(&format!("您 {month} 的社保：断缴（截止日 ")) && text.contains("未缴纳"), "{text}");
    assert!(answer_ids(&answer).is_empty(), "the record answers, not the FAQ: {answer}");
    assert_eq!(answer["offer_handover"], false);

    // HR has no record of their own: no own status.
    let hr = app.client_as("li.hr").await;
    assert_eq!(answered(&hr, &app, "我的社保交了吗").await["own_status"], Value::Null);
}

#[tokio::test]
async fn hr_maintains_the_faq_and_employees_cannot() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    let hr = app.client_as("li.hr").await;

    // Employees and finance neither read nor write the FAQ; the director reads it only.
    for login in ["zhangsan", "zhao.fin"] {
        let client = app.client_as(login).await;
        assert_eq!(send(client.get(app.url("/api/faq"))).await.0, 403, "{login}");
    }
    let director = app.client_as("director").await;
    assert_eq!(send(director.get(app.url("/api/faq"))).await.0, 200);
    assert_eq!(post(&director, &app, "/api/faq", faq_entry()).await.0, 403);
    assert_eq!(post(&zhangsan, &app, "/api/faq", faq_entry()).await.0, 403);
    let (status, _) = patch(&zhangsan, &app, "/api/faq/faq-06", json!({"version": 1, "enabled": false})).await;
    assert_eq!(status, 403);
    let all = get(&hr, &app, "/api/faq").await;
    assert_eq!(all.as_array().unwrap().len(), 25);
    assert!(all.as_array().unwrap().iter().all(|e| e["enabled"] == true && e["version"] == 1 && e["updated_by"].is_null()));

    // The form is checked field by field.
    let (status, refused) = post(&hr, &app, "/api/faq", json!({"question": "社保", "answer": "太短", "keywords": [], "category": "x"})).await;
    assert_eq!(status, 422, "{refused}");
    let fields: Vec<&str> = refused["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["question", "answer", "category"]);

    // A new entry, once however often it is sent with its key, is found at once.
    let create = || hr.post(app.url("/api/faq")).header("Idempotency-Key", "faq-annual-leave").json(&faq_entry());
    let (status, created) = send(create()).await;
    assert_eq!(status, 201, "{created}");
    let (status, again) = send(create()).await;
    assert_eq!((status.as_u16(), &again["id"]), (201, &created["id"]));
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("faq-"), "{id}");
    assert_eq!((&created["version"], &created["enabled"], &created["updated_by"]), (&json!(1), &json!(true), &json!("李娜")));
    assert_eq!(app.d1_rows("SELECT COUNT(*) AS n FROM faq")[0]["n"], 26);
    assert_eq!(audit_actions(&app, "faq", id), ["faq.create"]);
    let found = answered(&zhangsan, &app, "休年假的时候社保还交吗").await;
    assert_eq!(answer_ids(&found).first(), Some(&id), "{found}");

    // Disabled, a seeded entry is never answered with again, but HR still sees it.
    let (status, disabled) = patch(&hr, &app, "/api/faq/faq-06", starter_patch("faq-06", 1, false)).await;
    assert_eq!(status, 200, "{disabled}");
    assert_eq!((&disabled["enabled"], &disabled["version"]), (&json!(false), &json!(2)));
    let hospital = answered(&zhangsan, &app, "住院报销需要哪些材料？").await;
    assert!(!answer_ids(&hospital).contains(&"faq-06"), "{hospital}");
    let listed = get(&hr, &app, "/api/faq").await;
    assert!(listed.as_array().unwrap().iter().any(|e| e["id"] == "faq-06" && e["enabled"] == false));
    let changes = &app.d1_rows("SELECT action, changes FROM audit_log WHERE entity = 'faq' AND entity_id = 'faq-06'")[0];
    assert_eq!(changes["action"], "faq.update");
    let changes: Value = serde_json::from_str(changes["changes"].as_str().unwrap()).unwrap();
    assert_eq!(changes, json!([{"field": "enabled", "label": "是否启用", "before": "启用", "after": "停用"}]));

    // An edit from a stale version is refused, and changes nothing.
    let (status, stale) = patch(&hr, &app, "/api/faq/faq-06", starter_patch("faq-06", 1, true)).await;
    assert_eq!(status, 409, "{stale}");
    assert_eq!(app.d1_rows("SELECT enabled FROM faq WHERE id = 'faq-06'")[0]["enabled"], 0);
    assert_eq!(audit_actions(&app, "faq", "faq-06"), ["faq.update"]);
    let (status, _) = patch(&hr, &app, "/api/faq/faq-99", starter_patch("faq-06", 1, true)).await;
    assert_eq!(status, 404);
}

/// The PATCH body of a starter entry as seeded, from `version`, enabled or not.
fn starter_patch(id: &str, version: i64, enabled: bool) -> Value {
    let e = starter_faq().into_iter().find(|e| e.id == id).unwrap();
    json!({"version": version, "question": e.question, "answer": e.answer, "keywords": e.keywords,
           "category": e.category.code(), "enabled": enabled})
}

#[tokio::test]
async fn a_question_handed_over_reaches_the_branch_hr_and_its_answer_comes_back() {
    let app = spawn_app().await;
    sign_in_for(&app, "lisi", "employee", "br-beijing", Some("emp-0002"));
    sign_in_for(&app, "sh.hr", "hr_specialist", "br-shanghai", None);
    let zhangsan = app.client_as("zhangsan").await;
    let hr = app.client_as("li.hr").await;

    // Only someone with an employee record hands a question over, and says what it is.
    assert_eq!(post(&hr, &app, "/api/help/tickets", json!({"question": "我的离职证明应该找谁开？"})).await.0, 403);
    let (status, short) = post(&zhangsan, &app, "/api/help/tickets", json!({"question": "证明"})).await;
    assert_eq!((status.as_u16(), &short["errors"][0]["field"]), (422, &json!("question")));

    let question = "我的离职证明应该找谁开？";
    let ask_hr = || zhangsan.post(app.url("/api/help/tickets")).header("Idempotency-Key", "ticket-1").json(&json!({"question": question}));
    let (status, ticket) = send(ask_hr()).await;
    assert_eq!(status, 201, "{ticket}");
    let (_, again) = send(ask_hr()).await;
    assert_eq!(again["id"], ticket["id"], "the same key asks once");
    let id = ticket["id"].as_str().unwrap().to_string();
    assert_eq!((ticket["state"].as_str(), ticket["employee_name"].as_str()), (Some("open"), Some("张三")));
    assert_eq!(app.d1_rows("SELECT COUNT(*) AS n FROM help_tickets")[0]["n"], 1);

    // The branch's HR see it and are told of it, once; group HR see it; others do not.
    for login in ["li.hr", "wang.lead"] {
        let client = app.client_as(login).await;
        let notes = get(&client, &app, "/api/notifications").await;
        let told: Vec<&Value> = notes["items"].as_array().unwrap().iter().filter(|n| n["link"] == "/help/tickets").collect();
        assert_eq!(told.len(), 1, "{login}: {notes}");
        assert!(told[0]["message"].as_str().unwrap().contains(question), "{login}: {notes}");
    }
    for login in ["li.hr", "wang.lead", "chen.mgr", "director"] {
        let client = app.client_as(login).await;
        let open = get(&client, &app, "/api/help/tickets?state=open").await;
        assert!(open.as_array().unwrap().iter().any(|t| t["id"] == id.as_str()), "{login}: {open}");
    }
    let lisi = app.client_as("lisi").await;
    let shanghai_hr = app.client_as("sh.hr").await;
    for (login, client) in [("lisi", &lisi), ("sh.hr", &shanghai_hr)] {
        assert_eq!(get(client, &app, "/api/help/tickets").await, json!([]), "{login}");
        let (status, _) = post(client, &app, &format!("/api/help/tickets/{id}/answer"), json!({"version": 1, "answer": "请找人事"})).await;
        assert_eq!(status, 403, "{login}");
    }
    let (status, _) = send(hr.get(app.url("/api/help/tickets?state=nope"))).await;
    assert_eq!(status, 400);

    // HR answers once, from the version they saw; the employee is told the answer.
    let answer_text = "离职证明由原单位人事开具，请在离职手续办完后联系李娜领取。";
    let path = format!("/api/help/tickets/{id}/answer");
    assert_eq!(post(&hr, &app, &path, json!({"version": 1, "answer": "好"})).await.0, 422);
    assert_eq!(post(&hr, &app, &path, json!({"version": 0, "answer": answer_text})).await.0, 409);
    let (status, done) = post(&hr, &app, &path, json!({"version": 1, "answer": answer_text})).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!((done["state"].as_str(), done["answered_by"].as_str(), done["version"].as_i64()), (Some("answered"), Some("李娜"), Some(2)));
    let lead = app.client_as("wang.lead").await;
    let (status, twice) = post(&lead, &app, &path, json!({"version": 2, "answer": "另一个回复"})).await;
    assert_eq!(status, 409, "{twice}");

    let notes = get(&zhangsan, &app, "/api/notifications").await;
    let told: Vec<&Value> = notes["items"].as_array().unwrap().iter().filter(|n| n["link"] == "/help").collect();
    assert_eq!(told.len(), 1, "{notes}");
    assert!(told[0]["message"].as_str().unwrap().contains(answer_text), "{notes}");
    let mine = get(&zhangsan, &app, "/api/help/tickets").await;
    assert_eq!((mine[0]["id"].as_str(), mine[0]["answer"].as_str()), (Some(id.as_str()), Some(answer_text)), "{mine}");
    assert_eq!(get(&hr, &app, "/api/help/tickets?state=open").await, json!([]));
    assert_eq!(audit_actions(&app, "help_ticket", &id), ["help_ticket.create", "help_ticket.answer"]);
}
