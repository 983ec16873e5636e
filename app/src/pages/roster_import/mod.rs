//! 导入花名册: HR chooses a branch and a file (.xlsx, .xls, .csv), which is read and every
//! row checked here in the browser, in slices with a progress bar; the columns are matched
//! to fields (guessed from the headers, changeable), and the errors listed by row. Then the
//! rows go to the server in chunks, which checks them again (and against the registry),
//! and the import is committed: every row, or only the valid ones.
//!
//! The import's id is kept in the URL (`?id=`): after a reload the page offers to go on,
//! asks for the same file again and sends the chunks the server has not got yet.

mod check;
mod read;
mod upload;

use crate::api::{self, ApiFailure};
use crate::i18n::{current_lang, tr};
use crate::session::use_session;
use check::{check_rows, Checked};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use read::{read_table, ReadError, Table};
use shebao_domain::api::Branch;
use shebao_domain::ids::today_in_china;
use shebao_domain::role::may_edit_employee;
use shebao_domain::roster::{
    check_mapping, guess_mapping, ImportStart, ImportState, ImportStatus, RosterField, RowError,
};
use std::sync::Arc;
use upload::{commit, next_tick, send_rows, Sent};

/// The page's own styles, drawn with it: out of the first download's stylesheet.
const STYLE: &str = include_str!("../../../../style/import.css");

/// Errors listed at most; the count says how many there are.
const ERRORS_SHOWN: usize = 300;

/// Larger files are refused before reading: 100,000 rows of a roster are far less.
const MAX_FILE_BYTES: f64 = 30.0 * 1024.0 * 1024.0;

/// What the progress bar is showing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Progress {
    /// Reading the file (the share read).
    Reading(f64),
    /// Checking the rows (the share checked).
    Checking(f64),
    /// Sending the rows: received by the server, of all.
    Uploading(u32, u32),
    /// The commit is on its way.
    Committing,
}

impl Progress {
    fn percent(self) -> u32 {
        let share = match self {
            Progress::Reading(s) | Progress::Checking(s) => s,
            Progress::Uploading(done, total) => f64::from(done) / f64::from(total.max(1)),
            Progress::Committing => 1.0,
        };
        (share.clamp(0.0, 1.0) * 100.0).round() as u32
    }

    fn text(self) -> String {
        match self {
            Progress::Reading(_) => tr("imp.reading").to_string(),
            Progress::Checking(_) => tr("imp.checking").to_string(),
            Progress::Uploading(done, total) => tr("imp.uploading")
                .replace("{done}", &done.to_string())
                .replace("{total}", &total.to_string()),
            Progress::Committing => tr("imp.committing").to_string(),
        }
    }
}

/// The file as read: its name and its table.
#[derive(Debug, PartialEq)]
struct Sheet {
    file_name: String,
    table: Table,
}

/// What the server said after the upload when HR asked for every row: it found errors of
/// its own (IDs already registered, …), so nothing was imported.
#[derive(Debug, Clone, PartialEq)]
struct Refused {
    status: ImportStatus,
    errors: Vec<RowError>,
}

#[component]
pub fn RosterImportPage() -> impl IntoView {
    let query = use_query_map();
    // The import this page started is put in the URL; that is no reason to start over.
    let started = StoredValue::new(None::<String>);
    let target = Memo::new(move |previous: Option<&Option<String>>| {
        let id = query.read().get("id").filter(|id| !id.is_empty());
        match previous {
            Some(previous) if id.is_some() && id == started.get_value() => previous.clone(),
            _ => id,
        }
    });
    view! {
        <div class="import-page" data-testid="import-page">
            <style>{STYLE}</style>
            {move || {
                let resume = target.get();
                untrack(|| view! { <ImportFlow resume started /> })
            }}
        </div>
    }
}

/// One import: a new one, or the one named by `resume`.
#[component]
fn ImportFlow(resume: Option<String>, started: StoredValue<Option<String>>) -> impl IntoView {
    let session = use_session();
    // Kept in the reactive system so the handlers that use it stay `Copy`.
    let navigate = StoredValue::new_local(use_navigate());
    let me = session.user.get_untracked();

    let branches = LocalResource::new(move || async move { session.check(api::branches().await) });
    // The branches whose employees the user may edit.
    let editable = Memo::new(move |_| -> Vec<Branch> {
        let (role, own) = me
            .as_ref()
            .map_or((None, None), |m| (Some(m.role), m.branch_id.clone()));
        branches
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|b| role.is_some_and(|r| may_edit_employee(r, own.as_deref(), &b.id)))
            .collect()
    });
    let own_branch = session
        .user
        .get_untracked()
        .and_then(|m| m.branch_id)
        .unwrap_or_default();
    let branch = RwSignal::new(own_branch);

    // The import on the server: the resumed one, or the one started here.
    let current = RwSignal::new(None::<ImportStatus>);
    let resume_failure = RwSignal::new(None::<ApiFailure>);
    let unfinished = RwSignal::new(Vec::<ImportStatus>::new());
    if let Some(id) = resume.clone() {
        spawn_local(async move {
            match session.check(api::import(&id).await) {
                Ok(status) => {
                    branch.try_set(status.branch_id.clone());
                    current.try_set(Some(status));
                }
                Err(e) => {
                    resume_failure.try_set(Some(e));
                }
            }
        });
    } else {
        spawn_local(async move {
            if let Ok(list) = session.check(api::imports().await) {
                unfinished.try_set(list);
            }
        });
    }
    let resuming = resume.is_some();

    let sheet = RwSignal::new(None::<Arc<Sheet>>);
    let read_error = RwSignal::new(None::<&'static str>);
    let mapping = RwSignal::new(Vec::<Option<RosterField>>::new());
    let checked = RwSignal::new(None::<Arc<Checked>>);
    let progress = RwSignal::new(None::<Progress>);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiFailure>);
    let refused = RwSignal::new(None::<Refused>);
    let done = RwSignal::new(None::<ImportStatus>);
    // Each read or check has a number; one that is no longer the latest drops its result.
    let run = StoredValue::new(0u32);
    let next_run = move || {
        let n = run.get_value() + 1;
        run.set_value(n);
        n
    };
    let latest = move |n: u32| run.try_get_value() == Some(n);

    // Every row checked again, after a new file, mapping or branch.
    let validate = move || {
        checked.set(None);
        refused.set(None);
        progress.set(None);
        let Some(sheet) = sheet.get_untracked() else {
            return;
        };
        let map = mapping.get_untracked();
        if check_mapping(&map).is_err() {
            return;
        }
        let n = next_run();
        let branch_id = branch.get_untracked();
        progress.set(Some(Progress::Checking(0.0)));
        spawn_local(async move {
            let result = check_rows(&sheet.table, &map, &branch_id, today_in_china(), |share| {
                if latest(n) {
                    progress.try_set(Some(Progress::Checking(share)));
                }
                next_tick()
            })
            .await;
            if latest(n) {
                progress.try_set(None);
                checked.try_set(Some(Arc::new(result)));
            }
        });
    };

    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let n = next_run();
        sheet.set(None);
        checked.set(None);
        refused.set(None);
        failure.set(None);
        read_error.set(None);
        if file.size() > MAX_FILE_BYTES {
            read_error.set(Some("imp.err.too_big"));
            return;
        }
        progress.set(Some(Progress::Reading(0.0)));
        spawn_local(async move {
            let table = match upload::file_bytes(&file).await {
                Some(bytes) => {
                    read_table(bytes, |share| {
                        if latest(n) {
                            progress.try_set(Some(Progress::Reading(share)));
                        }
                        next_tick()
                    })
                    .await
                }
                None => Err(ReadError::Unreadable),
            };
            if !latest(n) {
                return;
            }
            match table {
                Ok(table) => {
                    mapping.try_set(guess_mapping(&table.headers));
                    sheet.try_set(Some(Arc::new(Sheet {
                        file_name: file.name(),
                        table,
                    })));
                    validate();
                }
                Err(e) => {
                    progress.try_set(None);
                    read_error.try_set(Some(e.text_key()));
                }
            }
        });
    };

    // The end of an upload or commit, shown.
    let finish = move |outcome: Result<Option<ImportStatus>, ApiFailure>| {
        progress.try_set(None);
        busy.try_set(false);
        match outcome {
            Ok(Some(status)) => {
                done.try_set(Some(status));
            }
            Ok(None) => {}
            Err(e) => {
                if e == ApiFailure::Unauthorized {
                    session.user.set(None);
                }
                failure.try_set(Some(e));
                // A stale version or a lost answer: know the import as it now stands.
                if let Some(id) = current.try_get_untracked().flatten().map(|s| s.id) {
                    spawn_local(async move {
                        if let Ok(status) = api::import(&id).await {
                            if status.state == ImportState::Imported {
                                done.try_set(Some(status.clone()));
                            }
                            current.try_set(Some(status));
                        }
                    });
                }
            }
        }
    };
    let start_key = StoredValue::new(api::idempotency_key());
    let import = move |only_valid: bool| {
        let (Some(sheet), Some(rows)) = (sheet.get_untracked(), checked.get_untracked()) else {
            return;
        };
        busy.set(true);
        failure.set(None);
        let existing = current.get_untracked();
        let start = ImportStart {
            file_name: sheet.file_name.clone(),
            branch_id: branch.get_untracked(),
            rows_total: rows.total(),
        };
        let key = start_key.get_value();
        spawn_local(async move {
            let status = match existing {
                Some(status) => Ok(status),
                None => {
                    let result = session.check(api::start_import(start, key).await);
                    if !matches!(result, Err(ApiFailure::Network)) {
                        start_key.try_set_value(api::idempotency_key());
                    }
                    if let Ok(status) = &result {
                        current.try_set(Some(status.clone()));
                        started.try_set_value(Some(status.id.clone()));
                        let url = format!(
                            "/employees/import?id={}",
                            js_sys::encode_uri_component(&status.id)
                        );
                        navigate.try_with_value(|go| {
                            go(
                                &url,
                                NavigateOptions {
                                    replace: true,
                                    scroll: false,
                                    ..Default::default()
                                },
                            )
                        });
                    }
                    result
                }
            };
            let sent = match status {
                Ok(status) => {
                    send_rows(status, &rows.rows, |received, total| {
                        progress.try_set(Some(Progress::Uploading(received, total)));
                    })
                    .await
                }
                Err(e) => Err(e),
            };
            let outcome = match sent {
                Ok(Sent { status, errors }) => {
                    current.try_set(Some(status.clone()));
                    if status.rejected > 0 && !only_valid {
                        refused.try_set(Some(Refused { status, errors }));
                        Ok(None)
                    } else {
                        progress.try_set(Some(Progress::Committing));
                        commit(&status, only_valid).await.map(Some)
                    }
                }
                Err(e) => Err(e),
            };
            finish(outcome);
        });
    };
    // After the server's refusal: import the rows it found valid.
    let import_refused_valid = move || {
        let Some(status) = refused.get_untracked().map(|r| r.status) else {
            return;
        };
        busy.set(true);
        failure.set(None);
        progress.set(Some(Progress::Committing));
        spawn_local(async move { finish(commit(&status, true).await.map(Some)) });
    };

    // A resumed import already committed (a reload after the end) shows its end.
    Effect::new(move |_| {
        if let Some(status) = current.get().filter(|s| s.state == ImportState::Imported) {
            done.set(Some(status));
        }
    });

    // A user of the whole group has no branch of their own: the first they may import into.
    Effect::new(move |_| {
        let list = editable.get();
        if !resuming && !list.iter().any(|b| b.id == branch.get_untracked()) {
            if let Some(first) = list.first() {
                branch.set(first.id.clone());
                validate();
            }
        }
    });
    let on_branch = move |ev: leptos::ev::Event| {
        branch.set(event_target_value(&ev));
        validate();
    };
    let on_map = move |column: usize, code: String| {
        mapping.update(|m| {
            if let Some(slot) = m.get_mut(column) {
                *slot = RosterField::from_code(&code);
            }
        });
        validate();
    };

    view! {
        <div class="page-head">
            <h1>{move || tr("imp.title")}</h1>
            <A href="/employees" attr:class="button">{move || tr("imp.back")}</A>
        </div>
        {move || resume_failure.get().map(|e| view! {
            <div class="error-box" role="alert" data-testid="import-failure">{e.to_string()}</div>
        })}
        {move || (!resuming).then(|| unfinished_list(unfinished.get()))}
        {move || done.get().map(done_view)}
        <Show when=move || done.read().is_none()>
            {move || current.get().filter(|_| resuming).map(|s| {
                let text = tr("imp.resume_note")
                    .replace("{file}", &s.file_name)
                    .replace("{done}", &s.rows_received.to_string())
                    .replace("{total}", &s.rows_total.to_string());
                view! { <p class="card resume-note" data-testid="resume-note">{text}</p> }
            })}
            <section class="card import-choose">
                <label class="field">
                    <span>{move || tr("imp.branch")}</span>
                    <select
                        data-testid="import-branch"
                        prop:value=move || branch.get()
                        disabled=move || resuming || busy.get()
                        on:change=on_branch
                    >
                        {move || {
                            let list = editable.get();
                            // The resumed import's branch, even before the list has arrived.
                            let fixed = current.get().filter(|_| resuming);
                            let mut options: Vec<(String, String)> = list.into_iter().map(|b| (b.id, b.name)).collect();
                            if let Some(s) = fixed.filter(|s| !options.iter().any(|(id, _)| *id == s.branch_id)) {
                                options.push((s.branch_id, s.branch_name));
                            }
                            options.into_iter()
                                .map(|(id, name)| view! { <option value=id.clone() selected=id == branch.get_untracked()>{name}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <label class="field">
                    <span>{move || tr("imp.file")}</span>
                    <input
                        type="file"
                        accept=".xlsx,.xls,.csv"
                        data-testid="import-file"
                        disabled=move || busy.get()
                        on:change=on_file
                    />
                </label>
                <p class="hint">{move || tr("imp.file_hint")}</p>
                {move || (branches.get().is_some_and(|r| r.is_ok()) && editable.read().is_empty() && !resuming).then(|| view! {
                    <p class="form-error" role="alert" data-testid="no-branch">{tr("imp.no_branch")}</p>
                })}
            </section>
            {move || read_error.get().map(|key| view! {
                <div class="form-error" role="alert" data-testid="read-error">{tr(key)}</div>
            })}
            {move || progress.get().map(progress_bar)}
            {move || sheet.get().map(|s| mapping_view(s, mapping, busy, on_map))}
            {move || checked.get().zip(sheet.get()).map(|(c, s)| {
                let mismatch = current.get().filter(|st| resuming && st.rows_total != c.total());
                // Once the server has refused the file, its answer says what can be done.
                let import = (refused.read().is_none()).then_some(import);
                result_view(c, s, mismatch, busy, import)
            })}
            {move || refused.get().zip(sheet.get()).map(|(r, s)| refused_view(r, s, busy, import_refused_valid))}
            {move || failure.get().map(|e| view! {
                <div class="form-error" role="alert" data-testid="import-error-message">{e.to_string()}</div>
            })}
        </Show>
    }
}

/// "继续上次的导入" for each unfinished import of the user.
fn unfinished_list(list: Vec<ImportStatus>) -> impl IntoView {
    (!list.is_empty()).then(|| {
        view! {
            <section class="card unfinished" data-testid="unfinished-imports">
                {list.into_iter().map(|s| {
                    let text = tr("imp.resume_list")
                        .replace("{file}", &s.file_name)
                        .replace("{done}", &s.rows_received.to_string())
                        .replace("{total}", &s.rows_total.to_string());
                    let href = format!("/employees/import?id={}", js_sys::encode_uri_component(&s.id));
                    view! {
                        <p class="unfinished-row">
                            <span>{text}" · "{s.branch_name}</span>
                            <A href=href attr:class="button" attr:data-testid="resume-import">{tr("imp.resume")}</A>
                        </p>
                    }
                }).collect_view()}
            </section>
        }
    })
}

fn progress_bar(p: Progress) -> impl IntoView {
    let percent = p.percent();
    view! {
        <section class="card import-progress-card">
            <p role="status">{p.text()}</p>
            <div
                class="import-progress"
                role="progressbar"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent.to_string()
                data-testid="import-progress"
            >
                <div class="import-progress-bar" style=format!("width: {percent}%")></div>
            </div>
        </section>
    }
}

/// The columns of the file, a few of their values and the field each one fills.
fn mapping_view(
    sheet: Arc<Sheet>,
    mapping: RwSignal<Vec<Option<RosterField>>>,
    busy: RwSignal<bool>,
    on_map: impl Fn(usize, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = current_lang();
    let columns = sheet.table.headers.iter().enumerate().map(|(i, header)| {
        let samples: Vec<String> = sheet.table.rows.iter()
            .map(|r| r.cells[i].clone())
            .filter(|v| !v.is_empty())
            .take(3)
            .collect();
        let header = if header.is_empty() { tr("imp.col_n").replace("{}", &(i + 1).to_string()) } else { header.clone() };
        let options = RosterField::ALL.into_iter().map(|f| {
            let label = if f.required() { format!("{}{}", f.label(lang), tr("imp.required")) } else { f.label(lang).to_string() };
            view! { <option value=f.code() prop:selected=move || mapping.read().get(i).copied().flatten() == Some(f)>{label}</option> }
        }).collect_view();
        view! {
            <tr>
                <td class="map-header" data-testid="map-header">{header}</td>
                <td class="map-samples">{samples.into_iter().map(|v| view! { <span class="sample">{v}</span> }).collect_view()}</td>
                <td>
                    <select
                        data-testid=format!("map-{i}")
                        disabled=move || busy.get()
                        on:change=move |ev| on_map(i, event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || mapping.read().get(i).copied().flatten().is_none()>{tr("imp.skip")}</option>
                        {options}
                    </select>
                </td>
            </tr>
        }
    }).collect_view();
    view! {
        <section class="card import-mapping" data-testid="import-mapping">
            <h2>{tr("imp.mapping")}" · "<span class="file-name">{sheet.file_name.clone()}</span></h2>
            <p class="hint">{tr("imp.mapping_hint")}</p>
            <div class="table-scroll">
                <table class="table compact map-table">
                    <thead><tr><th>{tr("imp.col")}</th><th>{tr("imp.samples")}</th><th>{tr("imp.field")}</th></tr></thead>
                    <tbody>{columns}</tbody>
                </table>
            </div>
            {move || check_mapping(&mapping.read()).err().map(|errors| view! {
                <ul class="form-error" role="alert" data-testid="mapping-errors">
                    {errors.into_iter().map(|e| view! { <li>{e.message_in(current_lang()).to_string()}</li> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// "共 N 行，有效 M 行，错误 K 行", the errors and the way on.
fn result_view(
    checked: Arc<Checked>,
    sheet: Arc<Sheet>,
    mismatch: Option<ImportStatus>,
    busy: RwSignal<bool>,
    import: Option<impl Fn(bool) + Copy + Send + Sync + 'static>,
) -> impl IntoView {
    let (total, valid, bad) = (checked.total(), checked.valid(), checked.bad_rows);
    let summary = tr("imp.summary")
        .replace("{n}", &total.to_string())
        .replace("{m}", &valid.to_string())
        .replace("{k}", &bad.to_string());
    let action = if let Some(status) = mismatch {
        let text = tr("imp.resume_mismatch")
            .replace("{n}", &total.to_string())
            .replace("{total}", &status.rows_total.to_string());
        view! { <p class="form-error" role="alert" data-testid="resume-mismatch">{text}</p> }
            .into_any()
    } else if valid == 0 {
        view! { <p class="form-error" data-testid="none-valid">{tr("imp.none_valid")}</p> }
            .into_any()
    } else if let Some(import) = import.filter(|_| bad == 0) {
        view! {
            <button class="primary" data-testid="import-all" disabled=move || busy.get() on:click=move |_| import(false)>
                {tr("imp.import_all").replace("{}", &valid.to_string())}
            </button>
        }
        .into_any()
    } else if let Some(import) = import.filter(|_| bad > 0) {
        view! {
            <button class="primary" data-testid="import-valid" disabled=move || busy.get() on:click=move |_| import(true)>
                {tr("imp.import_valid").replace("{}", &valid.to_string())}
            </button>
        }
        .into_any()
    } else {
        ().into_any()
    };
    view! {
        <section class="card import-result" data-testid="import-result">
            <p class="import-summary" class:has-errors={bad > 0} data-testid="import-summary">{summary}</p>
            {(bad > 0).then(|| error_table(Arc::new(checked.errors.clone()), sheet))}
            <div class="action-bar">{action}</div>
        </section>
    }
}

/// The server found errors the browser could not (IDs already registered): nothing was
/// imported; HR may import the rows it found valid.
fn refused_view(
    refused: Refused,
    sheet: Arc<Sheet>,
    busy: RwSignal<bool>,
    import_valid: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let s = &refused.status;
    let text = tr("imp.server_errors").replace("{}", &s.rejected.to_string());
    let valid = s.valid_rows();
    view! {
        <section class="card import-refused" data-testid="server-errors">
            <p class="import-summary has-errors" role="alert">{text}</p>
            {error_table(Arc::new(refused.errors), sheet)}
            {(valid > 0).then(|| view! {
                <div class="action-bar">
                    <button class="primary" data-testid="import-valid" disabled=move || busy.get() on:click=move |_| import_valid()>
                        {tr("imp.import_valid").replace("{}", &valid.to_string())}
                    </button>
                </div>
            })}
        </section>
    }
}

/// The errors by row, column and message, with the row's values; the first few hundred.
fn error_table(errors: Arc<Vec<RowError>>, sheet: Arc<Sheet>) -> impl IntoView {
    let shown = errors.len().min(ERRORS_SHOWN);
    let capped = (errors.len() > shown).then(|| {
        tr("imp.errors_capped")
            .replace("{shown}", &shown.to_string())
            .replace("{total}", &errors.len().to_string())
    });
    let list = errors.clone();
    view! {
        <h2>{tr("imp.errors")}</h2>
        <div class="table-scroll">
            <table class="table compact import-errors" data-testid="import-errors">
                <thead><tr>
                    <th>{tr("imp.row")}</th>
                    <th>{tr("imp.column")}</th>
                    <th>{tr("imp.error")}</th>
                    <th>{tr("imp.values")}</th>
                </tr></thead>
                <tbody>
                    <For
                        each={move || list.iter().take(ERRORS_SHOWN).cloned().enumerate().collect::<Vec<_>>()}
                        key=|(i, e)| (*i, e.row, e.field.clone())
                        let:item
                    >
                        {error_row(&item.1, &sheet)}
                    </For>
                </tbody>
            </table>
        </div>
        {capped.map(|text| view! { <p class="hint" data-testid="errors-capped">{text}</p> })}
    }
}

fn error_row(e: &RowError, sheet: &Sheet) -> impl IntoView {
    let rows = &sheet.table.rows;
    let values = rows
        .binary_search_by_key(&e.row, |r| r.row)
        .ok()
        .map(|i| {
            rows[i]
                .cells
                .iter()
                .filter(|c| !c.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default();
    view! {
        <tr data-testid="import-error">
            <td class="mono" data-testid="error-row">{e.row}</td>
            <td data-testid="error-column">{e.column.clone()}</td>
            <td class="error-message" data-testid="error-message">{e.message.clone()}</td>
            <td class="row-values">{values}</td>
        </tr>
    }
}

/// "已导入 M 行", the way to the list, and the rejected rows' file when there are any.
fn done_view(status: ImportStatus) -> impl IntoView {
    let text = tr("imp.done").replace("{}", &status.imported.to_string());
    let rejected = (status.rejected > 0).then(|| {
        let label = tr("imp.rejected").replace("{}", &status.rejected.to_string());
        view! { <a class="button" download data-testid="import-rejected" href=api::rejected_rows_url(&status.id)>{label}</a> }
    });
    view! {
        <section class="card import-done-card">
            <p class="import-done" role="status" data-testid="import-done">{text}</p>
            <p class="hint">{status.file_name.clone()}" · "{status.branch_name.clone()}</p>
            <div class="action-bar">
                <A href="/employees" attr:class="button primary" attr:data-testid="import-to-list">{tr("imp.to_list")}</A>
                {rejected}
            </div>
        </section>
    }
}
