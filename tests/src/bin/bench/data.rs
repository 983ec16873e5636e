//! The bench's data set, written straight into the stopped worker's local D1 file (SQLite):
//! the demo's three branches grown to a group of tens of thousands of employees, 12 months
//! of runs with a line per employee and type, claims and enrollment requests.

use rusqlite::{params, Connection};
use shebao_domain::ResidentId;

/// Each branch's share of the group: 北京 2, 上海 2, 深圳 1 (深圳 is the 10,000 of 50,000).
const BRANCHES: [(&str, &str, usize); 3] = [("br-beijing", "110105", 2), ("br-shanghai", "310101", 2), ("br-shenzhen", "440305", 1)];
const SURNAMES: &str = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文";
const GIVEN: &str = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰建国红梅海燕志鹏晨宇浩然子轩欣怡梓涵思远佳琪雨婷";
const DEPARTMENTS: [&str; 5] = ["研发部", "市场部", "财务部", "人事部", "运营部"];

pub fn open(app: &shebao_tests::TestApp) -> Connection {
    let db = Connection::open(app.d1_file()).expect("the local D1 file");
    db.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF;").expect("pragmas");
    db
}

fn name(n: usize) -> String {
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    let mut name = String::new();
    name.push(s[n % s.len()]);
    name.push(g[(n / s.len()) % g.len()]);
    if n % 3 != 0 {
        name.push(g[(n / 7) % g.len()]);
    }
    name
}

/// A valid ID number, different for every `n` (birth day from 1950, then a sequence).
fn resident_id(region: &str, n: usize) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).expect("date") + chrono::Days::new((n / 900) as u64);
    let first17 = format!("{region}{}{:03}", birth.format("%Y%m%d"), 100 + n % 900);
    let check = ResidentId::check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// Employees of the group, demo and bench.
pub fn employees(db: &Connection) -> usize {
    db.query_row("SELECT COUNT(*) FROM employees WHERE branch_id IN ('br-beijing', 'br-shanghai', 'br-shenzhen')", [], |r| r.get::<_, i64>(0))
        .expect("count") as usize
}

/// Adds bench employees until the group has `total`, each branch its share. Every new
/// employee copies the salary and hukou of a demo employee of their branch (its
/// `template`), so the lines copied from that employee's runs are theirs too.
pub fn grow(db: &mut Connection, total: usize) {
    let shares: usize = BRANCHES.iter().map(|b| b.2).sum();
    let tx = db.transaction().expect("tx");
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO employees (id, branch_id, name, resident_id, department, phone, email, hire_date, salary_fen, \
                 status, version, created_at, updated_at, hukou) \
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, '', ?7, t.salary_fen, 'active', 1, '2025-06-01T00:00:00Z', '2025-06-01T00:00:00Z', t.hukou \
                 FROM employees t WHERE t.id = ?8",
            )
            .expect("insert");
        for (branch, region, share) in BRANCHES {
            let templates: Vec<String> = {
                let mut q = tx.prepare("SELECT id FROM employees WHERE branch_id = ? AND id NOT LIKE 'bench-%' ORDER BY id").expect("templates");
                q.query_map([branch], |r| r.get(0)).expect("rows").map(|r| r.expect("id")).collect()
            };
            let have: usize = tx.query_row("SELECT COUNT(*) FROM employees WHERE branch_id = ?", [branch], |r| r.get::<_, i64>(0)).expect("n") as usize;
            let want = total * share / shares;
            let offset = match branch {
                "br-beijing" => 0,
                "br-shanghai" => 1_000_000,
                _ => 2_000_000,
            };
            for n in have..want {
                let g = offset + n;
                insert
                    .execute(params![
                        format!("bench-{branch}-{n:06}"),
                        branch,
                        name(g),
                        resident_id(region, g),
                        DEPARTMENTS[n % DEPARTMENTS.len()],
                        format!("139{:08}", g % 100_000_000),
                        format!("20{:02}-{:02}-01", 15 + n % 10, 1 + n % 12),
                        templates[n % templates.len()],
                    ])
                    .expect("employee");
            }
        }
    }
    tx.commit().expect("commit");
}

/// Every run of the demo's months gets a line per bench employee and type (their template's
/// lines) and their template's changes, and the runs' totals are summed again.
pub fn history(db: &mut Connection) {
    let tx = db.transaction().expect("tx");
    tx.execute_batch(
        "CREATE TEMP TABLE template AS \
           SELECT e.id AS employee_id, t.id AS template_id FROM employees e \
           JOIN (SELECT id, branch_id, ROW_NUMBER() OVER (PARTITION BY branch_id ORDER BY id) - 1 AS k, \
                        COUNT(*) OVER (PARTITION BY branch_id) AS n FROM employees WHERE id NOT LIKE 'bench-%') t \
             ON t.branch_id = e.branch_id AND t.k = CAST(substr(e.id, -6) AS INTEGER) % t.n \
           WHERE e.id LIKE 'bench-%' \
             AND NOT EXISTS (SELECT 1 FROM run_lines l WHERE l.employee_id = e.id); \
         INSERT INTO run_lines (run_id, employee_id, insurance_type, base_fen, employer_fen, employee_fen, generation) \
           SELECT l.run_id, m.employee_id, l.insurance_type, l.base_fen, l.employer_fen, l.employee_fen, l.generation \
           FROM template m JOIN run_lines l ON l.employee_id = m.template_id; \
         INSERT INTO run_changes (run_id, employee_id, before_fen, after_fen) \
           SELECT c.run_id, m.employee_id, c.before_fen, c.after_fen \
           FROM template m JOIN run_changes c ON c.employee_id = m.template_id; \
         UPDATE runs SET \
           employees = (SELECT COUNT(DISTINCT employee_id) FROM run_lines WHERE run_id = runs.id), \
           employer_fen = (SELECT COALESCE(SUM(employer_fen), 0) FROM run_lines WHERE run_id = runs.id), \
           employee_fen = (SELECT COALESCE(SUM(employee_fen), 0) FROM run_lines WHERE run_id = runs.id) \
           WHERE EXISTS (SELECT 1 FROM run_lines WHERE run_id = runs.id); \
         UPDATE runs SET employees_total = employees, employees_done = employees WHERE state <> 'generating'; \
         DROP TABLE template;",
    )
    .expect("history");
    tx.commit().expect("commit");
}

/// `count` copies of the template claim (made through the API), spread over the bench
/// employees and the last 12 months, most paid, some in review, held or rejected.
pub fn claims(db: &mut Connection, template: &str, count: usize, today: chrono::NaiveDate) {
    let tx = db.transaction().expect("tx");
    {
        let people = bench_people(&tx, count);
        let mut insert = tx
            .prepare(
                "INSERT INTO claims (id, employee_id, branch_id, kind, amount_fen, start_date, end_date, hospital, state, months, \
                 held_ms, submitted_at, reject_reason, receipt_no, paid_on, change_token, created_by, created_at, updated_at, version) \
                 SELECT ?1, ?2, ?3, kind, ?4, ?5, ?6, hospital, ?7, months, NULL, ?8, ?9, ?10, ?11, change_token, created_by, ?8, ?8, version \
                 FROM claims WHERE id = ?12",
            )
            .expect("insert");
        for (i, (employee, branch)) in people.iter().enumerate() {
            let start = today - chrono::Days::new(10 + (i % 360) as u64);
            let state = ["paid", "paid", "paid", "paid", "paid", "paid", "hr_review", "finance_review", "held", "rejected"][i % 10];
            let paid = state == "paid";
            insert
                .execute(params![
                    format!("bench-claim-{i:06}"),
                    employee,
                    branch,
                    50_000 + (i as i64 * 7_919) % 2_000_000,
                    start.to_string(),
                    (start + chrono::Days::new(1 + (i % 9) as u64)).to_string(),
                    state,
                    format!("{}T02:00:00Z", start + chrono::Days::new(8)),
                    (state == "rejected").then_some("材料不全"),
                    paid.then(|| format!("BK{i:08}")),
                    paid.then(|| (start + chrono::Days::new(15 + (i % 20) as u64)).to_string()),
                    template,
                ])
                .expect("claim");
        }
    }
    tx.commit().expect("commit");
}

/// `count` copies of the template request (made through the API), each for a bench
/// employee (their name and ID number copied onto it, as a filing does), most executed.
pub fn requests(db: &mut Connection, template: &str, count: usize, today: chrono::NaiveDate) {
    let tx = db.transaction().expect("tx");
    {
        let people = bench_people(&tx, count);
        let mut insert = tx
            .prepare(
                "INSERT INTO enrollment_requests (id, kind, state, employee_id, branch_id, employee_name, resident_id, insurance_types, \
                 base_fen, from_month, to_month, reason, price, total_fen, created_by, submitted_by, reject_reason, execute_after, \
                 approved_version, executed_at, receipt_no, change_token, version, created_at, updated_at) \
                 SELECT ?1, r.kind, ?2, e.id, e.branch_id, e.name, e.resident_id, r.insurance_types, r.base_fen, r.from_month, r.to_month, \
                 r.reason, r.price, r.total_fen, r.created_by, r.submitted_by, ?3, NULL, ?4, ?5, ?6, r.change_token, r.version, ?7, ?7 \
                 FROM enrollment_requests r, employees e WHERE r.id = ?8 AND e.id = ?9",
            )
            .expect("insert");
        for (i, (employee, _)) in people.iter().enumerate() {
            let state = ["executed", "executed", "executed", "executed", "executed", "executed", "executed", "submitted", "approved", "rejected"][i % 10];
            let executed = state == "executed";
            let at = today - chrono::Days::new((i % 365) as u64);
            insert
                .execute(params![
                    format!("bench-req-{i:06}"),
                    state,
                    (state == "rejected").then_some("基数有误"),
                    (state != "submitted" && state != "rejected").then_some(1),
                    executed.then(|| at.and_hms_opt(3, 0, 0).map_or(0, |t| t.and_utc().timestamp_millis())),
                    executed.then(|| format!("SB{i:08}")),
                    format!("{at}T01:00:00Z"),
                    template,
                    employee,
                ])
                .expect("request");
        }
    }
    tx.commit().expect("commit");
}

/// `count` bench employees and their branches, spread over the group.
fn bench_people(db: &Connection, count: usize) -> Vec<(String, String)> {
    let total = employees(db).max(1);
    let step = (total / count.max(1)).max(1);
    let mut q = db
        .prepare("SELECT id, branch_id FROM employees WHERE id LIKE 'bench-%' ORDER BY id")
        .expect("people");
    let all: Vec<(String, String)> = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("rows").map(|r| r.expect("row")).collect();
    (0..count).map(|i| all[(i * step) % all.len()].clone()).collect()
}

/// The group's list as the director sees it, by (name, id): the employee at `position`.
pub fn group_row_at(db: &Connection, position: usize) -> (String, String) {
    db.query_row("SELECT name, id FROM employees ORDER BY name, id LIMIT 1 OFFSET ?", [position as i64], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("row at position")
}

/// The same within one branch.
pub fn branch_row_at(db: &Connection, branch: &str, position: usize) -> (String, String) {
    db.query_row(
        "SELECT name, id FROM employees WHERE branch_id = ? ORDER BY name, id LIMIT 1 OFFSET ?",
        params![branch, position as i64],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("row at position")
}

/// A branch of `employees` bench employees in Beijing, for the generation benches.
pub fn branch(db: &mut Connection, id: &str, credit: &str, employees: usize) {
    let tx = db.transaction().expect("tx");
    tx.execute(
        "INSERT INTO branches (id, name, city, credit_code, created_at) VALUES (?1, '压测分公司 ' || ?1, 'beijing', ?2, '2026-01-01T00:00:00Z')",
        params![id, credit],
    )
    .expect("branch");
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO employees (id, branch_id, name, resident_id, hire_date, salary_fen, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, '2020-01-01', ?5, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            )
            .expect("insert");
        let offset = if id.ends_with('a') { 3_000_000 } else { 3_500_000 };
        for n in 0..employees {
            insert
                .execute(params![format!("{id}-{n:05}"), id, name(offset + n), resident_id("110108", offset + n), ((8_000 + n % 20_000) * 100) as i64])
                .expect("employee");
        }
    }
    tx.commit().expect("commit");
}
