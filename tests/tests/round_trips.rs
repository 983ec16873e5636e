//! Issue 12's budget on the real stack: every authenticated read costs at most two D1 round
//! trips, the session's lookup included, as the worker counts them on each answer
//! (`X-D1-Round-Trips`, bench/budgets.toml `max_round_trips`). Each demo login opens every
//! read it may, on real demo ids and on records made here for the purpose (a claim with a
//! document, an enrollment request, a change, a question, an import, a proof); the reads
//! it may not open stay refused, at the same cost.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shebao_tests::requests::{current, executed, form, get, post};
use shebao_tests::{spawn_app, TestApp};

/// The budget: the session's lookup, and one round trip for the read itself.
const MAX_ROUND_TRIPS: u32 = 2;

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R'];

/// A read as a login sends it: a GET, or a POST that changes nothing (the price preview).
enum Read {
    Get(String),
    Post(&'static str, Value),
}

impl Read {
    fn label(&self) -> String {
        match self {
            Read::Get(path) => format!("GET {path}"),
            Read::Post(path, body) => format!("POST {path} {body}"),
        }
    }
}

/// The status of a read and the round trips the worker reports for it (None: no header).
async fn measure(client: &Client, app: &TestApp, read: &Read) -> (StatusCode, Option<u32>) {
    let request = match read {
        Read::Get(path) => client.get(app.url(path)),
        Read::Post(path, body) => client.post(app.url(path)).json(body),
    };
    let resp = request.send().await.expect("request");
    let trips = resp.headers().get("X-D1-Round-Trips").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    (resp.status(), trips)
}

fn gets(paths: &[String]) -> Vec<Read> {
    paths.iter().cloned().map(Read::Get).collect()
}

/// The demo records the reads are about, made as their owners make them.
struct Demo {
    run: String,
    shanghai_run: String,
    claim: String,
    document: String,
    request: String,
    import: String,
    proof: String,
}

async fn demo(app: &TestApp) -> Demo {
    let zhangsan = app.client_as("zhangsan").await;
    let hr = app.client_as("li.hr").await;

    let today = shebao_domain::ids::today_in_china();
    let start = today - chrono::Days::new(20);
    let claim_form = json!({"kind": "inpatient", "amount": "8,650.40", "start_date": start.to_string(),
        "end_date": (start + chrono::Days::new(6)).to_string(), "hospital": "北京协和医院"});
    let (status, draft) = post(&zhangsan, app, "/api/claims", claim_form).await;
    assert_eq!(status, 201, "{draft}");
    let claim = draft["claim"]["id"].as_str().unwrap().to_string();
    let resp = zhangsan
        .post(app.url(&format!("/api/claims/{claim}/documents?kind=expense_list&name=fee.png")))
        .header("Content-Type", "image/png")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let documented: Value = resp.json().await.unwrap();
    let document = documented["documents"][0]["id"].as_str().unwrap().to_string();

    let (status, change) = post(&zhangsan, app, "/api/me/changes", json!({"kind": "contact", "phone": "13912345678"})).await;
    assert_eq!(status, 201, "{change}");
    // Approved, so that 张三 has a notification to read.
    let (status, decided) = post(
        &hr,
        app,
        &format!("/api/changes/{}/approve", change["id"].as_str().unwrap()),
        json!({"version": change["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    let (status, ticket) = post(&zhangsan, app, "/api/help/tickets", json!({"question": "我的离职证明应该找谁开？"})).await;
    assert_eq!(status, 201, "{ticket}");
    let (status, proof) = post(&zhangsan, app, "/api/me/proofs", json!({})).await;
    assert_eq!(status, 201, "{proof}");

    // Filed at the bureau, so that a base adjustment of it can be priced.
    let request = executed(&hr, &app.client_as("wang.lead").await, app, "emp-0010").await;
    let (status, import) =
        post(&hr, app, "/api/imports", json!({"file_name": "三月入职.xlsx", "branch_id": "br-beijing", "rows_total": 3})).await;
    assert_eq!(status, 201, "{import}");

    // The runs as the list shows them: this month's of 北京 and of 上海.
    let runs = get(&hr, app, "/api/runs").await;
    let run = runs[0]["id"].as_str().unwrap().to_string();
    let director = app.client_as("director").await;
    let all = get(&director, app, "/api/runs").await;
    let shanghai_run = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["branch_id"] == "br-shanghai")
        .and_then(|r| r["id"].as_str())
        .unwrap()
        .to_string();
    Demo {
        run,
        shanghai_run,
        claim,
        document,
        request: request["id"].as_str().unwrap().to_string(),
        import: import["id"].as_str().unwrap().to_string(),
        proof: proof["code"].as_str().unwrap().to_string(),
    }
}

/// Every read `login` may open, by what its role sees.
fn reads_of(login: &str, d: &Demo) -> Vec<Read> {
    let mut paths: Vec<String> = [
        "/api/me",
        "/api/branches",
        "/api/settings",
        "/api/notifications",
        "/api/help?q=住院",
        "/api/help?q=我的社保交了吗",
        "/api/help/tickets",
        "/api/imports",
        "/api/employees/emp-0001",
        "/api/employees/emp-0001/contributions",
    ]
    .map(String::from)
    .to_vec();
    let claim = [
        format!("/api/claims/{}", d.claim),
        format!("/api/claims/{}/documents/{}", d.claim, d.document),
        "/api/claims".into(),
    ];
    let reports = ["late-payments", "claim-times", "costs"]
        .into_iter()
        .flat_map(|r| [format!("/api/reports/{r}"), format!("/api/reports/{r}?format=xlsx")]);
    let console = [
        "/api/employees".to_string(),
        "/api/employees?per_page=5&q=王".into(),
        "/api/employees?format=xlsx".into(),
        "/api/alerts".into(),
        "/api/dashboard".into(),
        "/api/runs".into(),
        format!("/api/runs/{}", d.run),
        format!("/api/runs/{}/lines?after=emp-0005", d.run),
        format!("/api/runs/{}/changes?after=", d.run),
        "/api/enrollments".into(),
        "/api/enrollments?format=xlsx".into(),
        "/api/enrollments/counts".into(),
        format!("/api/enrollments/{}", d.request),
        "/api/audit?entity=employee&id=emp-0001".into(),
        format!("/api/audit?entity=enrollment&id={}", d.request),
        format!("/api/audit?entity=run&id={}", d.run),
    ];
    let import = [format!("/api/imports/{}", d.import), format!("/api/imports/{}/rejected", d.import)];
    match login {
        "zhangsan" => {
            paths.extend(claim);
            paths.extend(["/api/claims?format=xlsx".into(), "/api/me/changes".into()]);
        }
        "admin" => {
            paths.extend(console);
            paths.extend(import);
            paths.extend(["/api/faq", "/api/messages", "/api/bureau-simulator", "/api/audit?entity=settings&id=company"].map(String::from));
        }
        _ => {
            paths.extend(console);
            paths.extend(claim);
            paths.push("/api/claims?format=xlsx".into());
            paths.extend(reports);
            if login != "zhao.fin" {
                paths.push("/api/faq".into());
            }
            if ["li.hr", "wang.lead", "chen.mgr"].contains(&login) {
                paths.push("/api/changes".into());
            }
            if ["li.hr", "chen.mgr"].contains(&login) {
                paths.extend(import);
            }
            if login != "li.hr" && login != "wang.lead" {
                paths.push(format!("/api/runs/{}", d.shanghai_run));
                paths.push(format!("/api/runs/{}/lines?after=", d.shanghai_run));
                paths.push("/api/employees/emp-0041".into());
                paths.push("/api/reports/costs?branch=br-shanghai".into());
            }
        }
    }
    let mut reads = gets(&paths);
    // The price preview writes nothing: a read, for those who prepare requests.
    if ["li.hr", "chen.mgr"].contains(&login) {
        let (this, last) = (current(), current().prev());
        // A raise of the base the demo's request filed.
        let mut raise = form("base_adjustment", "emp-0010", this, this);
        (raise["base"], raise["reason"]) = (json!("12000"), json!("调薪"));
        for body in [form("enrollment", "emp-0004", this, this), form("back_payment", "emp-0007", last.prev().prev(), last), raise] {
            reads.push(Read::Post("/api/enrollments/preview", body));
        }
    }
    reads
}

/// Reads `login` may not open: refused as before, at the same cost.
fn refused_of(login: &str, d: &Demo) -> Vec<(String, StatusCode)> {
    let forbidden = StatusCode::FORBIDDEN;
    match login {
        "zhangsan" => vec![
            ("/api/employees/emp-0002".into(), forbidden),
            ("/api/employees/emp-0002/contributions".into(), forbidden),
            ("/api/audit?entity=employee&id=emp-0002".into(), forbidden),
            (format!("/api/enrollments/{}", d.request), forbidden),
            (format!("/api/imports/{}", d.import), StatusCode::NOT_FOUND),
            ("/api/reports/costs".into(), forbidden),
            ("/api/bureau-simulator".into(), forbidden),
        ],
        "li.hr" => vec![
            ("/api/employees/emp-0041".into(), forbidden),
            (format!("/api/runs/{}", d.shanghai_run), forbidden),
            (format!("/api/audit?entity=run&id={}", d.shanghai_run), forbidden),
            ("/api/reports/costs?branch=br-shanghai".into(), forbidden),
            ("/api/reports/late-payments?branch=br-nowhere".into(), StatusCode::UNPROCESSABLE_ENTITY),
            ("/api/claims/clm-nowhere".into(), StatusCode::NOT_FOUND),
        ],
        "wang.lead" => vec![(format!("/api/imports/{}", d.import), StatusCode::NOT_FOUND)],
        "admin" => vec![
            (format!("/api/claims/{}", d.claim), forbidden),
            (format!("/api/claims/{}/documents/{}", d.claim, d.document), forbidden),
            ("/api/reports/costs".into(), forbidden),
        ],
        _ => vec![],
    }
}

const LOGINS: [&str; 7] = ["zhangsan", "li.hr", "wang.lead", "zhao.fin", "chen.mgr", "director", "admin"];

#[tokio::test]
async fn every_authenticated_read_costs_at_most_two_d1_round_trips_the_session_included() {
    let app = spawn_app().await;
    let d = demo(&app).await;
    let mut over = Vec::new();
    let mut measured = 0;
    for login in LOGINS {
        let client = app.client_as(login).await;
        for read in reads_of(login, &d) {
            let (status, trips) = measure(&client, &app, &read).await;
            measured += 1;
            println!("{login:<10} {:>4} {:>2} round trips  {}", status.as_u16(), trips.map_or("-".into(), |t| t.to_string()), read.label());
            if status != StatusCode::OK || trips.is_none_or(|t| t > MAX_ROUND_TRIPS) {
                over.push(format!("{} as {login}: {status}, {trips:?} round trips", read.label()));
            }
        }
        for (path, expected) in refused_of(login, &d) {
            let read = Read::Get(path);
            let (status, trips) = measure(&client, &app, &read).await;
            println!("{login:<10} {:>4} {:>2} round trips  {} (refused)", status.as_u16(), trips.map_or("-".into(), |t| t.to_string()), read.label());
            if status != expected || trips.is_none_or(|t| t > MAX_ROUND_TRIPS) {
                over.push(format!("{} as {login}: {status} (expected {expected}), {trips:?} round trips", read.label()));
            }
        }
    }
    assert!(measured > 200, "every login's reads were measured: {measured}");
    assert!(over.is_empty(), "reads over {MAX_ROUND_TRIPS} D1 round trips or not answered 200:\n{}", over.join("\n"));

    // The session alone: one round trip; nothing at all before signing in.
    let me = measure(&app.client_as("li.hr").await, &app, &Read::Get("/api/me".into())).await;
    assert_eq!(me, (StatusCode::OK, Some(1)), "/api/me is the session's lookup only");
    let health = measure(&app.client(), &app, &Read::Get("/api/health".into())).await;
    assert_eq!(health, (StatusCode::OK, Some(0)), "/api/health reads nothing");
    // A proof is verified by its link alone, in one round trip.
    let proof = measure(&app.client(), &app, &Read::Get(format!("/api/proofs/{}", d.proof))).await;
    assert_eq!(proof, (StatusCode::OK, Some(1)), "a proof's verification");
}

/// The employee names of a page of `/api/employees`, and its round trips.
async fn employee_page(client: &Client, app: &TestApp) -> (StatusCode, Option<u32>, Vec<String>) {
    let resp = client.get(app.url("/api/employees?per_page=100")).send().await.unwrap();
    let (status, trips) = (resp.status(), resp.headers().get("X-D1-Round-Trips").and_then(|v| v.to_str().ok()?.parse().ok()));
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    let branches = body["items"].as_array().map(|i| i.iter().map(|e| e["branch_id"].as_str().unwrap().to_string()).collect());
    (status, trips, branches.unwrap_or_default())
}

#[tokio::test]
async fn a_read_built_for_who_a_session_was_last_seen_as_is_kept_only_while_it_still_is() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    // Signed in here, the session is known: the list goes with its read.
    let (status, trips, branches) = employee_page(&hr, &app).await;
    assert_eq!((status, trips), (StatusCode::OK, Some(1)));
    assert!(!branches.is_empty() && branches.iter().all(|b| b == "br-beijing"), "{branches:?}");
    for read in [Read::Get("/api/claims".into()), Read::Get("/api/dashboard".into()), Read::Post("/api/enrollments/preview", form("enrollment", "emp-0004", current(), current()))] {
        assert_eq!(measure(&hr, &app, &read).await, (StatusCode::OK, Some(1)), "{}", read.label());
    }

    // Moved to 深圳 behind the instance's back: the guess is wrong, read again for who the
    // session now is (two round trips), never 北京's list; then one again.
    let moved = app.d1_execute("UPDATE users SET branch_id = 'br-shenzhen' WHERE login = 'li.hr'");
    assert!(moved.status.success(), "{moved:?}");
    let (status, trips, branches) = employee_page(&hr, &app).await;
    assert_eq!((status, trips), (StatusCode::OK, Some(2)));
    assert!(!branches.is_empty() && branches.iter().all(|b| b == "br-shenzhen"), "{branches:?}");
    assert_eq!(employee_page(&hr, &app).await.1, Some(1));

    // Made an employee: what HR could list is refused at once.
    let demoted = app.d1_execute("UPDATE users SET role = 'employee', employee_id = 'emp-0002' WHERE login = 'li.hr'");
    assert!(demoted.status.success(), "{demoted:?}");
    assert_eq!(employee_page(&hr, &app).await.0, StatusCode::FORBIDDEN);
    assert_eq!(measure(&hr, &app, &Read::Get("/api/dashboard".into())).await.0, StatusCode::FORBIDDEN);

    // A session that ended is refused, whatever it was seen as.
    let ended = app.d1_execute("UPDATE sessions SET expires_at = 0");
    assert!(ended.status.success(), "{ended:?}");
    for read in [Read::Get("/api/employees".into()), Read::Get("/api/claims".into()), Read::Get("/api/dashboard".into())] {
        assert_eq!(measure(&hr, &app, &read).await.0, StatusCode::UNAUTHORIZED, "{}", read.label());
    }
}
