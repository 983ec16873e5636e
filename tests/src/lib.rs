//! `spawn_app`: a fresh local stack per test. Each test gets its own copy of the migrated
//! and seeded D1 state and its own `wrangler dev` on a free port, stopped on drop.

pub mod requests;
pub mod runs;
pub mod xlsx;

use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const DEMO_PASSWORD: &str = "shebao-demo";
/// The setup secret the test stacks run with (`--var`; labelled, never a real one).
pub const SETUP_SECRET: &str = "test-only-setup-secret";

/// A valid ID number for a Beijing (110105) resident born on `birth` (YYYYMMDD).
pub fn resident_id(birth: &str, seq: u32) -> String {
    let first17 = format!("110105{birth}{seq:03}");
    let check = shebao_domain::ResidentId::check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// A valid `POST /api/employees` body for the Beijing branch, named 测试员工.
pub fn new_employee(resident_id: &str) -> serde_json::Value {
    serde_json::json!({
        "name": "测试员工", "resident_id": resident_id, "branch_id": "br-beijing", "department": "研发部",
        "phone": "13800138000", "email": "", "hire_date": "2026-11-01", "salary": "15000"
    })
}

pub struct TestApp {
    pub base: String,
    pub state: PathBuf,
    port: u16,
    options: Options,
    child: Child,
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create state dir");
    for entry in std::fs::read_dir(from).expect("read template state") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy state file");
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A wrangler command as the local stack runs it (no metrics, no account needed).
pub fn wrangler() -> Command {
    local_stack(Command::new(root().join("node_modules/.bin/wrangler")))
}

/// `cmd` run as the local stack runs wrangler: from the root, no metrics, no account needed.
fn local_stack(mut cmd: Command) -> Command {
    cmd.current_dir(root())
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_ACCOUNT_ID", "00000000000000000000000000000000")
        .env("CI", "true");
    cmd
}

/// How a test stack runs.
#[derive(Clone, Copy)]
pub struct Options {
    /// Serve https with wrangler's self-signed certificate (`--local-protocol https`).
    pub https: bool,
    /// `SETUP_SECRET` for `POST /api/setup`; `None`: not configured.
    pub setup_secret: Option<&'static str>,
    /// The worker's clock runs this far ahead of the real one (`CLOCK_OFFSET_MS`).
    pub clock_offset_ms: i64,
    /// Under `wrangler dev` with its DevTools inspector (the tests), or under wrangler's dev
    /// server without it (the bench: see tests/bench/serve.mjs).
    pub inspector: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { https: false, setup_secret: Some(SETUP_SECRET), clock_offset_ms: 0, inspector: true }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_https() -> TestApp {
    spawn_app_with(Options { https: true, ..Options::default() }).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let template = PathBuf::from(
        std::env::var("SHEBAO_TEST_STATE")
            .expect("SHEBAO_TEST_STATE is set by `cargo xtask test` (a migrated, seeded state dir)"),
    );
    // A free port can be taken by another test's workerd before ours binds it: then again
    // on another port.
    for attempt in 1..=3 {
        let port = free_port();
        let state = std::env::temp_dir().join(format!("shebao-test-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&state);
        copy_dir(&template, &state);
        let child = start_wrangler(port, &state, options);
        let scheme = if options.https { "https" } else { "http" };
        let app = TestApp { base: format!("{scheme}://127.0.0.1:{port}"), state, port, options, child };
        match app.ready().await {
            Ok(()) => return app,
            Err(log) if attempt < 3 && log.contains("Address already in use") => drop(app),
            Err(log) => panic!("wrangler dev did not become ready:\n{log}"),
        }
    }
    unreachable!("the last attempt returns or panics")
}

/// `wrangler dev` on `port` with the D1 state in `state`, in a process group of its own.
fn start_wrangler(port: u16, state: &Path, options: Options) -> Child {
    // Parallel instances would all want the default inspector port 9229.
    let inspector = free_port();
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(state.join("wrangler.log"))
        .expect("log file");
    if !options.inspector {
        return start_bench_stack(port, state, options, log);
    }
    let mut cmd = wrangler();
    cmd.args(["dev", "--local", "--ip", "127.0.0.1", "--port", &port.to_string()])
        .args(["--inspector-port", &inspector.to_string(), "--test-scheduled", "--persist-to"])
        .arg(state);
    if options.https {
        cmd.args(["--local-protocol", "https"]);
    }
    if let Some(secret) = options.setup_secret {
        cmd.args(["--var", &format!("SETUP_SECRET:{secret}")]);
    }
    if options.clock_offset_ms != 0 {
        cmd.args(["--var", &format!("CLOCK_OFFSET_MS:{}", options.clock_offset_ms)]);
    }
    cmd.stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .process_group(0)
        .spawn()
        .expect("start wrangler dev")
}

/// The bench's stack (tests/bench/serve.mjs): the same worker, bindings and state, without
/// wrangler's DevTools inspector.
fn start_bench_stack(port: u16, state: &Path, options: Options, log: std::fs::File) -> Child {
    let mut cmd = local_stack(Command::new("node"));
    cmd.arg("tests/bench/serve.mjs")
        .arg(port.to_string())
        .arg(state);
    if let Some(secret) = options.setup_secret {
        cmd.arg(format!("SETUP_SECRET={secret}"));
    }
    if options.clock_offset_ms != 0 {
        cmd.arg(format!("CLOCK_OFFSET_MS={}", options.clock_offset_ms));
    }
    cmd.stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .process_group(0)
        .spawn()
        .expect("start the bench stack")
}

use std::os::unix::process::CommandExt;

/// Milliseconds since the epoch, by this machine's clock.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

impl TestApp {
    async fn wait_ready(&self) {
        if let Err(log) = self.ready().await {
            panic!("wrangler dev did not become ready:\n{log}");
        }
    }

    /// Waits until the worker answers; its log if it does not within a minute (or its
    /// process ended).
    async fn ready(&self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let client = self.client();
        let log = || std::fs::read_to_string(self.state.join("wrangler.log")).unwrap_or_default();
        while Instant::now() < deadline {
            if let Ok(r) = client.get(format!("{}/api/health", self.base)).send().await {
                if r.status().is_success() {
                    return Ok(());
                }
            }
            if log().contains("Address already in use") {
                return Err(log());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(log())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client as the app's pages are one: its own cookie jar, and the app's `Origin` on
    /// every request, as browsers send it on state-changing requests.
    pub fn client(&self) -> reqwest::Client {
        self.client_builder().build().expect("client")
    }

    /// `client()`, connecting from another loopback address than 127.0.0.1 (any other of
    /// 127.0.0.0/8): the worker sees it as the client address, as it would another machine.
    /// (Not for 127.0.0.1 itself: sockets bound there would take ports that `free_port`
    /// hands out to the next stack.)
    pub fn client_from(&self, address: IpAddr) -> reqwest::Client {
        self.client_builder().local_address(address).build().expect("client")
    }

    fn client_builder(&self) -> reqwest::ClientBuilder {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::ORIGIN, self.base.parse().expect("origin header"));
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            // wrangler's self-signed certificate, for the https stack.
            .danger_accept_invalid_certs(true)
            // Below the 5 s after which wrangler's server closes an idle connection, so that
            // a request never goes out on one it is closing.
            .pool_idle_timeout(Duration::from_secs(2))
    }

    /// A client (see `client`) signed in as `login`.
    pub async fn client_as(&self, login: &str) -> reqwest::Client {
        let client = self.client();
        let resp = client
            .post(self.url("/api/session"))
            .json(&serde_json::json!({"login": login, "password": DEMO_PASSWORD}))
            .send()
            .await
            .expect("login request");
        assert_eq!(resp.status(), 200, "login as {login}: {}", resp.text().await.unwrap_or_default());
        client
    }

    /// Runs the cron trigger once (the executor and housekeeping), as Cloudflare would.
    pub async fn run_cron(&self) {
        let resp = self.client().get(self.url("/__scheduled?cron=*/10+*+*+*+*")).send().await.expect("cron request");
        assert!(resp.status().is_success(), "cron run: {}", resp.status());
    }

    /// Runs the 15-minute cron trigger (runs, escalation, messages) as Cloudflare would.
    pub async fn run_cron_15(&self) {
        let resp = self.client().get(self.url("/__scheduled?cron=*/15+*+*+*+*")).send().await.expect("cron request");
        assert!(resp.status().is_success(), "cron run: {}", resp.status());
    }

    /// Restarts the worker (as `kill_and_restart`) with its clock at `at_ms` (ms since the
    /// epoch), ticking on from there. Signed-in clients keep their sessions.
    pub async fn restart_at(&mut self, at_ms: i64) {
        self.options.clock_offset_ms = at_ms - now_ms();
        self.kill_and_restart().await;
    }

    /// `run_cron_15` on a worker whose clock is at `at_ms` (restarted if it is not).
    pub async fn run_cron_at(&mut self, at_ms: i64) {
        self.restart_at(at_ms).await;
        self.run_cron_15().await;
    }

    /// Runs SQL against this test's local D1 directly through wrangler, as an operator would.
    pub fn d1_execute(&self, sql: &str) -> std::process::Output {
        wrangler()
            .args(["d1", "execute", "DB", "--local", "--json", "--persist-to"])
            .arg(&self.state)
            .args(["--command", sql])
            .output()
            .expect("wrangler d1 execute")
    }

    /// The rows a query returns, read from this test's local D1 (see `d1_execute`).
    pub fn d1_rows(&self, sql: &str) -> Vec<serde_json::Value> {
        let out = self.d1_execute(sql);
        assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("wrangler --json output");
        answer[0]["results"].as_array().cloned().unwrap_or_default()
    }

    /// Kills the running worker at once (wrangler, node and workerd, with SIGKILL: nothing
    /// gets to finish), then starts it again on the same port and state, as a crashed
    /// instance is replaced. Signed-in clients keep their sessions.
    pub async fn kill_and_restart(&mut self) {
        self.stop("-KILL");
        self.child = start_wrangler(self.port, &self.state, self.options);
        self.wait_ready().await;
    }

    /// The local D1 database's SQLite file, for the bench to load its data set into while
    /// the worker is stopped (`restart_after`).
    pub fn d1_file(&self) -> PathBuf {
        let dir = self.state.join("v3/d1/miniflare-D1DatabaseObject");
        std::fs::read_dir(&dir)
            .expect("local D1 folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|x| x == "sqlite") && !p.ends_with("metadata.sqlite"))
            .expect("the local D1 database file")
    }

    /// Stops the worker cleanly, runs `change` on its stopped state, and starts it again.
    pub async fn restart_after(&mut self, change: impl FnOnce(&TestApp)) {
        self.stop("-TERM");
        change(self);
        self.child = start_wrangler(self.port, &self.state, self.options);
        self.wait_ready().await;
    }

    fn stop(&mut self, signal: &str) {
        // wrangler, node and workerd share the process group started above.
        let _ = Command::new("kill").args([signal, "--", &format!("-{}", self.child.id())]).status();
        let _ = self.child.wait();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop("-TERM");
        if std::thread::panicking() {
            // A failing test shows what the worker said.
            let log = std::fs::read_to_string(self.state.join("wrangler.log")).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(80).collect();
            eprintln!("---- wrangler.log (last lines) ----");
            tail.iter().rev().for_each(|l| eprintln!("{l}"));
        }
        let _ = std::fs::remove_dir_all(&self.state);
    }
}
