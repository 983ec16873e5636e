//! Sessions and input through HTTP on the real stack: sign-in throttling, same-origin and
//! JSON-only state changes, the https session cookie, body limits and field errors,
//! idempotency keys bound to their request, the audited reveal of an ID number, the setup
//! secret, security headers, and the audit entries of sign-ins and settings.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shebao_domain::ids::today_in_china;
use shebao_domain::{Period, ResidentId};
use shebao_tests::{spawn_app, spawn_app_https, spawn_app_with, Options, TestApp, DEMO_PASSWORD, SETUP_SECRET};
use std::net::{IpAddr, Ipv4Addr};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Another client address, as the worker sees it (`CF-Connecting-IP`).
const ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

async fn sign_in(app: &TestApp, client: &Client, login: &str, password: &str) -> reqwest::Response {
    client.post(app.url("/api/session")).json(&json!({"login": login, "password": password})).send().await.unwrap()
}

fn employee(resident_id: &str) -> Value {
    json!({
        "name": "安全测试", "resident_id": resident_id, "branch_id": "br-beijing", "department": "研发部",
        "phone": "13800138000", "email": "", "hire_date": "2026-11-01", "salary": "15000"
    })
}

/// A draft enrollment for this month (valid, unless something else is wrong).
fn draft() -> Value {
    let month = Period::of(today_in_china()).to_string();
    json!({"kind": "enrollment", "employee_id": "emp-0003", "insurance_types": ["pension"],
        "base": "10000", "from_month": month, "to_month": month, "reason": ""})
}

fn valid_resident_id(seq: u32) -> String {
    let first17 = format!("11010519900307{seq:03}");
    format!("{first17}{}", ResidentId::check_char(&first17).unwrap())
}

/// The (field, code) pairs of a 422 answer.
async fn field_errors(resp: reqwest::Response) -> Vec<(String, String, String)> {
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("field"), s("code"), s("message"))
        })
        .collect()
}

fn audit_actions(app: &TestApp, entity_id: &str) -> Vec<String> {
    app.d1_rows(&format!("SELECT action FROM audit_log WHERE entity_id = '{entity_id}' ORDER BY id"))
        .iter()
        .map(|r| r["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn concurrent_wrong_passwords_are_all_counted() {
    let app = spawn_app().await;
    let attacker = app.client();
    let attempts = (0..20).map(|_| {
        let (client, url) = (attacker.clone(), app.url("/api/session"));
        tokio::spawn(async move {
            client.post(url).json(&json!({"login": "wang.lead", "password": "guess"})).send().await.unwrap().status()
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts.collect::<Vec<_>>() {
        statuses.push(attempt.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, refused), (4, 16), "only the attempts before the limit had their password checked: {statuses:?}");
    let actions = audit_actions(&app, "wang.lead");
    assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 4);
    assert_eq!(actions.iter().filter(|a| *a == "login.locked").count(), 1);
    assert_eq!(actions.iter().filter(|a| *a == "login.throttled").count(), 15);

    assert_eq!(sign_in(&app, &attacker, "wang.lead", DEMO_PASSWORD).await.status(), 429);
    // The supervisor, from another address, is not locked out.
    assert_eq!(sign_in(&app, &app.client_from(ELSEWHERE), "wang.lead", DEMO_PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn the_delay_grows_with_each_failure_but_stays_bounded() {
    let app = spawn_app().await;
    let client = app.client();
    for _ in 0..4 {
        assert_eq!(sign_in(&app, &client, "zhao.fin", "wrong").await.status(), 401);
    }
    let delay = |resp: reqwest::Response| resp.headers()["retry-after"].to_str().unwrap().parse::<i64>().unwrap();
    assert_eq!(delay(sign_in(&app, &client, "zhao.fin", "wrong").await), 60);
    // As if the delay had passed: one more try, and the next delay is twice as long.
    app.d1_execute("UPDATE login_throttle SET locked_until = 0");
    assert_eq!(delay(sign_in(&app, &client, "zhao.fin", "wrong").await), 120);
    // However many failures, never more than 15 minutes.
    app.d1_execute("UPDATE login_throttle SET locked_until = 0, failures = 500 WHERE login = 'zhao.fin'");
    assert_eq!(delay(sign_in(&app, &client, "zhao.fin", "wrong").await), 900);

    // When the delay is over the right password signs in, and clears this address's count.
    app.d1_execute("UPDATE login_throttle SET locked_until = 0");
    assert_eq!(sign_in(&app, &client, "zhao.fin", DEMO_PASSWORD).await.status(), 200);
    let left = app.d1_rows("SELECT login, failures FROM login_throttle WHERE login = 'zhao.fin'");
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(sign_in(&app, &client, "zhao.fin", "wrong").await.status(), 401, "counting starts again");
}

#[tokio::test]
async fn password_spraying_from_one_address_is_delayed() {
    let app = spawn_app().await;
    let sprayer = app.client();
    for i in 0..29 {
        assert_eq!(sign_in(&app, &sprayer, &format!("guess{i}"), "123456").await.status(), 401);
    }
    assert_eq!(sign_in(&app, &sprayer, "guess29", "123456").await.status(), 429, "30 failures from one address");
    assert_eq!(sign_in(&app, &sprayer, "li.hr", DEMO_PASSWORD).await.status(), 429, "any login, from that address");
    assert_eq!(sign_in(&app, &app.client_from(ELSEWHERE), "li.hr", DEMO_PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn a_login_over_64_characters_is_refused_before_anything_is_counted() {
    let app = spawn_app().await;
    let errors = field_errors(sign_in(&app, &app.client(), &"a".repeat(65), "whatever").await).await;
    assert_eq!(errors, [("login".into(), "login.too_long".into(), "用户名不能超过64个字符".into())]);
    assert!(app.d1_rows("SELECT * FROM login_throttle").is_empty());
}

#[tokio::test]
async fn state_changes_need_the_apps_own_origin_and_json() {
    let app = spawn_app().await;
    let login = json!({"login": "li.hr", "password": DEMO_PASSWORD});
    let bare = Client::new();
    let resp = bare.post(app.url("/api/session")).json(&login).send().await.unwrap();
    assert_eq!(resp.status(), 403, "no Origin");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["message"], "跨站请求被拒绝：请从本系统的页面操作");
    let forged = bare.post(app.url("/api/session")).header("Origin", "https://evil.example").json(&login);
    assert_eq!(forged.send().await.unwrap().status(), 403);
    let cross = bare.post(app.url("/api/session")).header("Sec-Fetch-Site", "cross-site").json(&login);
    assert_eq!(cross.send().await.unwrap().status(), 403);

    let hr = app.client_as("li.hr").await;
    let as_text = hr.post(app.url("/api/employees")).header("Content-Type", "text/plain").body(employee(&valid_resident_id(1)).to_string());
    assert_eq!(as_text.send().await.unwrap().status(), 415);
    let as_form = hr.put(app.url("/api/settings")).form(&[("execution_hold_minutes", "0")]);
    assert_eq!(as_form.send().await.unwrap().status(), 415);
    let with_charset = hr
        .post(app.url("/api/employees"))
        .header("Content-Type", "application/json; charset=utf-8")
        .body(employee(&valid_resident_id(1)).to_string());
    assert_eq!(with_charset.send().await.unwrap().status(), 201);

    // A session does not make a request without the app's origin acceptable.
    let no_origin = Client::builder().cookie_store(true).build().unwrap();
    let signed_in = no_origin.post(app.url("/api/session")).header("Sec-Fetch-Site", "same-origin").json(&login);
    assert_eq!(signed_in.send().await.unwrap().status(), 200);
    assert_eq!(no_origin.get(app.url("/api/me")).send().await.unwrap().status(), 200);
    let patch = no_origin.patch(app.url("/api/employees/emp-0002")).json(&json!({"version": 1, "phone": "13912345678"}));
    assert_eq!(patch.send().await.unwrap().status(), 403);
    assert_eq!(no_origin.delete(app.url("/api/session")).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn over_https_the_session_cookie_is_a_host_cookie() {
    let app = spawn_app_https().await;
    assert!(app.base.starts_with("https://"));
    let client = app.client();
    let resp = sign_in(&app, &client, "li.hr", DEMO_PASSWORD).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["strict-transport-security"], "max-age=63072000; includeSubDomains");
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("__Host-shebao_session="), "{cookie}");
    for part in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.split("; ").any(|p| p == part), "{part} in {cookie}");
    }
    assert!(!cookie.contains("Domain"), "{cookie}");
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), 200, "the browser sends it back");

    // Over https only the __Host- name is read.
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string();
    let with_cookie = |name: &str| {
        app.client().get(app.url("/api/me")).header("Cookie", format!("{name}={token}")).send()
    };
    assert_eq!(with_cookie("__Host-shebao_session").await.unwrap().status(), 200);
    let plain = with_cookie("shebao_session").await.unwrap();
    assert_eq!(plain.status(), 401);
    assert!(plain.headers().contains_key("strict-transport-security"), "error answers carry HSTS too");
}

#[tokio::test]
async fn api_answers_carry_security_headers() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let answers = [
        hr.get(app.url("/api/health")).send().await.unwrap(),
        hr.get(app.url("/api/employees/emp-0001")).send().await.unwrap(),
        hr.get(app.url("/api/nope")).send().await.unwrap(),
        Client::new().get(app.url("/api/me")).send().await.unwrap(),
        Client::new().post(app.url("/api/session")).send().await.unwrap(),
    ];
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses, [200, 200, 404, 401, 403]);
    for resp in &answers {
        let h = resp.headers();
        assert_eq!(h["content-security-policy"], "default-src 'none'; frame-ancestors 'none'", "{}", resp.url());
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert!(!h.contains_key("strict-transport-security"), "no HSTS over plain http");
    }
}

/// POSTs a JSON body of about `size` bytes with chunked transfer (no Content-Length), and
/// returns the status line's code.
async fn chunked_post(app: &TestApp, path: &str, size: usize) -> u16 {
    let host = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.base
    );
    let body = format!("{{\"pad\":\"{}\"}}", "x".repeat(size));
    let mut wire = head.into_bytes();
    for chunk in body.as_bytes().chunks(4096) {
        wire.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
        wire.extend(chunk);
        wire.extend(b"\r\n");
    }
    wire.extend(b"0\r\n\r\n");
    // The worker may answer before it has all of it.
    let _ = stream.write_all(&wire).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let status_line = String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_string();
    status_line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn bodies_over_64_kb_get_413_before_parsing() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let mut large = employee(&valid_resident_id(2));
    large["pad"] = json!("x".repeat(70 * 1024));
    let resp = hr.post(app.url("/api/employees")).json(&large).send().await.unwrap();
    assert_eq!(resp.status(), 413, "by its Content-Length");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["message"], "请求内容过大（上限 64 KB）");
    assert_eq!(chunked_post(&app, "/api/session", 70 * 1024).await, 413, "by what was read");
    assert_eq!(chunked_post(&app, "/api/session", 60 * 1024).await, 422, "under the limit it is read");

    let mut fits = employee(&valid_resident_id(2));
    fits["pad"] = json!("x".repeat(60 * 1024));
    assert_eq!(hr.post(app.url("/api/employees")).json(&fits).send().await.unwrap().status(), 201);
}

#[tokio::test]
async fn json_of_the_wrong_shape_gets_every_field_error_in_chinese() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    // An optional field may be left out.
    let mut no_department = employee(&valid_resident_id(3));
    no_department.as_object_mut().unwrap().remove("department");
    assert_eq!(hr.post(app.url("/api/employees")).json(&no_department).send().await.unwrap().status(), 201);

    let mut mistyped = employee(&valid_resident_id(4));
    mistyped["salary"] = json!(15000);
    mistyped["phone"] = json!(13800138000_i64);
    mistyped.as_object_mut().unwrap().remove("name");
    let errors = field_errors(hr.post(app.url("/api/employees")).json(&mistyped).send().await.unwrap()).await;
    let expected: Vec<(String, String, String)> = [
        ("phone", "field.type", "手机号的类型不正确"),
        ("salary", "field.type", "月工资的类型不正确"),
    ]
    .iter()
    .map(|(f, c, m)| (f.to_string(), c.to_string(), m.to_string()))
    .collect();
    assert_eq!(errors, expected);

    let admin = app.client_as("admin").await;
    let errors = field_errors(admin.put(app.url("/api/settings")).json(&json!({})).send().await.unwrap()).await;
    assert_eq!(
        errors,
        [("execution_hold_minutes".into(), "field.required".into(), "缺少批准后等待报送（分钟）".into())]
    );

    // A form flattened into its body: each of its fields is still named.
    let created: Value = hr.post(app.url("/api/enrollments")).json(&draft()).send().await.unwrap().json().await.unwrap();
    let id = created["id"].as_str().unwrap_or_else(|| panic!("{created}"));
    let patch = json!({"base": 10000, "insurance_types": "pension"});
    let errors = field_errors(hr.patch(app.url(&format!("/api/enrollments/{id}"))).json(&patch).send().await.unwrap()).await;
    let fields: Vec<(&str, &str)> = errors.iter().map(|(f, c, _)| (f.as_str(), c.as_str())).collect();
    assert_eq!(fields, [("base", "field.type"), ("insurance_types", "field.type"), ("version", "field.required")]);
    assert!(errors.iter().all(|(_, _, m)| m.chars().any(|c| c > '\u{4e00}')), "{errors:?}");

    let not_json = hr.post(app.url("/api/employees")).header("Content-Type", "application/json").body("{\"name\":");
    let resp = not_json.send().await.unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["message"], "请求内容不是有效的 JSON");
}

#[tokio::test]
async fn an_idempotency_key_is_bound_to_its_request() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let post = |path: &str, body: &Value| hr.post(app.url(path)).header("Idempotency-Key", "k-7").json(body).send();
    let first = employee(&valid_resident_id(5));
    assert_eq!(post("/api/employees", &first).await.unwrap().status(), 201);

    let other = employee(&valid_resident_id(6));
    let resp = post("/api/employees", &other).await.unwrap();
    assert_eq!(resp.status(), 422, "the same key with another body");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "idempotency_key_reused");
    assert!(body["error"]["message"].as_str().unwrap().contains("Idempotency-Key 已用于另一个请求"));
    let resp = post("/api/enrollments", &draft()).await.unwrap();
    assert_eq!(resp.status(), 422, "the same key on another path");
    assert_eq!(resp.json::<Value>().await.unwrap()["error"]["code"], "idempotency_key_reused");

    let again = post("/api/employees", &first).await.unwrap();
    assert_eq!(again.status(), 201, "the same request is replayed");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let names: Vec<Value> = app.d1_rows(&format!(
        "SELECT id FROM employees WHERE resident_id IN ('{}', '{}')",
        valid_resident_id(5),
        valid_resident_id(6)
    ));
    assert_eq!(names.len(), 1, "one employee created, none by the refused requests");
}

#[tokio::test]
async fn revealing_an_id_is_checked_and_audited_every_time_and_never_stored() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let reveal = || {
        hr.post(app.url("/api/employees/emp-0001/reveal-id")).header("Idempotency-Key", "reveal-1").json(&json!({})).send()
    };
    let first = reveal().await.unwrap();
    assert_eq!(first.status(), 200);
    let full = first.json::<Value>().await.unwrap()["resident_id"].as_str().unwrap().to_string();
    let second = reveal().await.unwrap();
    assert_eq!(second.status(), 200);
    assert!(!second.headers().contains_key("idempotent-replayed"), "a retry is a new reveal");
    let reveals = audit_actions(&app, "emp-0001").into_iter().filter(|a| a == "employee.reveal_id").count();
    assert_eq!(reveals, 2);
    let stored = app.d1_rows("SELECT body FROM idempotency");
    assert!(stored.iter().all(|r| !r["body"].as_str().unwrap().contains(&full)), "{stored:?}");
}

#[tokio::test]
async fn setup_needs_the_setup_secret_first() {
    let app = spawn_app().await;
    let setup = |secret: Option<&str>, body: &str| {
        let mut req = app.client().post(app.url("/api/setup")).header("Content-Type", "application/json");
        if let Some(secret) = secret {
            req = req.header("X-Setup-Secret", secret);
        }
        req.body(body.to_string()).send()
    };
    let admin = json!({"login": "root", "password": "a-long-enough-password"}).to_string();
    let resp = setup(None, &admin).await.unwrap();
    assert_eq!(resp.status(), 403);
    let resp = setup(Some("guessed"), &admin).await.unwrap();
    assert_eq!(resp.status(), 403);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["message"], "初始化密钥不正确");
    assert_eq!(setup(Some("guessed"), "not json").await.unwrap().status(), 403, "checked before the body is read");
    assert_eq!(setup(Some(SETUP_SECRET), &admin).await.unwrap().status(), 409, "with the secret: already set up");

    let unconfigured = spawn_app_with(Options { setup_secret: None, ..Options::default() }).await;
    let resp = unconfigured
        .client()
        .post(unconfigured.url("/api/setup"))
        .header("X-Setup-Secret", SETUP_SECRET)
        .json(&json!({"login": "root", "password": "a-long-enough-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let body: Value = resp.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("未配置初始化密钥"));
}

#[tokio::test]
async fn sign_ins_and_simulator_changes_are_audited() {
    let app = spawn_app().await;
    let client = app.client();
    assert_eq!(sign_in(&app, &client, "li.hr", DEMO_PASSWORD).await.status(), 200);
    assert_eq!(sign_in(&app, &client, "No.Such.User ", "secret-typed-by-someone").await.status(), 401);
    let rows = app.d1_rows("SELECT actor_id, actor_name, action, entity, entity_id, changes FROM audit_log WHERE entity = 'login' ORDER BY id");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!((&rows[0]["action"], &rows[0]["entity_id"], &rows[0]["actor_name"]), (&json!("login.succeeded"), &json!("li.hr"), &json!("李娜")));
    assert_eq!((&rows[1]["action"], &rows[1]["entity_id"]), (&json!("login.failed"), &json!("no.such.user")));
    assert!(rows[1]["actor_id"].is_null());
    assert!(rows[1]["changes"].as_str().unwrap().contains("127.0.0.1"), "the client address is recorded");
    let everything = app.d1_rows("SELECT * FROM audit_log");
    assert!(!format!("{everything:?}").contains("secret-typed-by-someone"), "never the password");

    let admin = app.client_as("admin").await;
    let resp = admin.put(app.url("/api/bureau-simulator")).json(&json!({"fail_next": 2, "fail_percent": 0})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let rows = app.d1_rows("SELECT actor_name, changes FROM audit_log WHERE action = 'bureau_simulator.update'");
    assert_eq!(rows.len(), 1);
    let changes: Value = serde_json::from_str(rows[0]["changes"].as_str().unwrap()).unwrap();
    assert_eq!(changes, json!([{"field": "fail_next", "label": "接下来失败的调用次数", "before": "0", "after": "2"}]));

    let resp = admin.put(app.url("/api/settings")).json(&json!({"execution_hold_minutes": 30})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(app.d1_rows("SELECT id FROM audit_log WHERE action = 'settings.update'").len(), 1);
}
