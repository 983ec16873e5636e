//! The help assistant (employees) and HR's tickets (`/help`); the FAQ editor (`/help/faq`).
//!
//! An employee asks on the phone: the answers from the FAQ best first, each naming the entry
//! it came from, or their own contributions when they ask about them; with nothing good 转人工
//! is offered, and the tickets they handed over are listed with HR's answers. The console
//! sees the tickets of its scope by state (kept in the URL, `?state=`) and answers them;
//! those who maintain the FAQ edit it, checked as typed with the domain's `FaqInput` rules.

use crate::api::{self, ApiFailure, ApiResult};
use crate::components::{china_time, field_message, state_query, state_tabs, Loaded};
use crate::i18n::{current_lang, ts, use_lang, Lang};
use crate::session::{use_session, Session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shebao_domain::api::{FaqPatch, FaqView, HelpAnswer, HelpMatch, HelpTicket, OwnStatus, TicketAnswer};
use shebao_domain::help::{self, FaqCategory, FaqInput, TicketState};
use shebao_domain::role::Role;
use shebao_domain::FieldError;
use std::collections::HashSet;

/// What employees often ask, offered as chips (the FAQ is in Chinese, so are they).
const SUGGESTED: [&str; 3] = ["社保延迟了怎么办？", "住院报销需要哪些材料？", "我的社保交了吗"];

/// The ticket queue's tabs; open first, the default.
const TABS: [&str; 3] = ["open", "answered", "all"];

/// The FAQ form's fields, as the domain's errors name them.
const FAQ_FIELDS: [&str; 4] = ["question", "answer", "keywords", "category"];

/// A failure in words; field messages in `lang`, read before the call.
fn failure_text(e: &ApiFailure, lang: Lang) -> String {
    match e {
        ApiFailure::Fields(errors) => errors.iter().map(|e| e.message_in(lang)).collect::<Vec<_>>().join(lang.pick("；", "; ")),
        e => e.to_string(),
    }
}

/// Someone changed it meanwhile (or answered it first): reloading shows what they did.
fn is_conflict(e: &ApiFailure) -> bool {
    matches!(e, ApiFailure::Message { status: 409, .. })
}

/// A ticket's state as a coloured badge.
fn ticket_badge(s: TicketState, testid: &'static str) -> impl IntoView {
    view! { <span class=format!("badge help-st-{}", s.code()) data-testid=testid>{move || s.label(current_lang())}</span> }
}

#[component]
pub fn HelpPage() -> impl IntoView {
    let role = use_session().user.get_untracked().map(|m| m.role);
    match role {
        Some(role) if role.uses_console() => view! { <HelpDesk role /> }.into_any(),
        _ => view! { <Assistant /> }.into_any(),
    }
}

// ---------------------------------------------------------------------------------------
// Asking
// ---------------------------------------------------------------------------------------

/// A question box's state: what is typed, and the answer to the last question asked.
#[derive(Clone, Copy)]
struct Asker {
    session: Session,
    text: RwSignal<String>,
    busy: RwSignal<bool>,
    /// The answer, or why there is none, in words.
    result: RwSignal<Option<Result<HelpAnswer, String>>>,
    /// Counts the questions: only the newest one's answer is shown.
    seq: StoredValue<u32>,
}

impl Asker {
    fn new(session: Session) -> Self {
        Asker {
            session,
            text: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
            result: RwSignal::new(None),
            seq: StoredValue::new(0),
        }
    }

    fn ask(self, raw: &str, lang: Lang) {
        self.text.set(raw.to_string());
        let n = self.seq.get_value().wrapping_add(1);
        self.seq.set_value(n);
        let q = match help::query(raw) {
            Ok(q) => q,
            Err(e) => {
                self.busy.set(false);
                self.result.set(Some(Err(e.message_in(lang).to_string())));
                return;
            }
        };
        self.busy.set(true);
        self.result.set(None);
        let session = self.session;
        spawn_local(async move {
            let result = session.check(api::ask(&q).await).map_err(|e| failure_text(&e, lang));
            if self.seq.try_get_value() != Some(n) {
                return; // a newer question, or the page is gone
            }
            self.busy.try_set(false);
            self.result.try_set(Some(result));
        });
    }
}

/// The question box: the input, 提问, and the suggested questions.
fn ask_form(asker: Asker, lang: RwSignal<Lang>, prefix: &'static str, suggest: bool) -> impl IntoView {
    view! {
        <form
            class="help-ask"
            novalidate
            data-testid=format!("{prefix}-form")
            on:submit=move |ev| {
                ev.prevent_default();
                asker.ask(&asker.text.get_untracked(), lang.get_untracked());
            }
        >
            <div class="help-ask-row">
                <input
                    type="text"
                    name="q"
                    autocomplete="off"
                    enterkeyhint="send"
                    maxlength="200"
                    aria-label=move || ts("help.ask")
                    placeholder=move || ts("help.placeholder")
                    data-testid=format!("{prefix}-q")
                    bind:value=asker.text
                />
                <button type="submit" class="primary" data-testid=format!("{prefix}-ask") disabled=move || asker.busy.get()>
                    {move || ts("help.ask")}
                </button>
            </div>
            {suggest.then(|| view! {
                <div class="help-chips" data-testid="help-suggested">
                    <span class="sub">{move || ts("help.suggested")}</span>
                    {SUGGESTED.into_iter().enumerate().map(|(i, q)| view! {
                        <button
                            type="button"
                            class="help-chip"
                            data-testid=format!("help-suggest-{i}")
                            disabled=move || asker.busy.get()
                            on:click=move |_| asker.ask(q, lang.get_untracked())
                        >
                            {q}
                        </button>
                    }).collect_view()}
                </div>
            })}
        </form>
    }
}

/// The employee's own month, as its own card.
fn own_status_card(s: OwnStatus) -> impl IntoView {
    let status = s.status;
    let period = s.period;
    view! {
        <section class=format!("card help-own cs-{}", status.code()) data-testid="help-own-status">
            <div class="section-head">
                <strong>{move || ts("help.own_title")}</strong>
                <span class=format!("badge cs-{}", status.code()) data-testid="help-own-badge">{move || status.label(current_lang())}</span>
            </div>
            <div class="sub" data-testid="help-own-period">{move || ts("help.own_period").replace("{}", &period)}</div>
            <p data-testid="help-own-text">{s.text}</p>
            <A href="/me" attr:class="help-more" attr:data-testid="help-own-record">{move || ts("help.own_record")}</A>
        </section>
    }
}

/// One FAQ answer, with the entry it came from and how well it matched.
fn answer_card(m: HelpMatch) -> impl IntoView {
    let category = m.category;
    let (id, score) = (m.entry_id, format!("{:.1}", m.score));
    view! {
        <li class="card help-answer" data-testid="help-answer">
            <div class="section-head">
                <strong data-testid="help-answer-question">{m.question}</strong>
                <span class="badge help-category">{move || category.label(current_lang())}</span>
            </div>
            <p class="help-answer-text" data-testid="help-answer-text">{m.answer}</p>
            <div class="sub help-source" data-testid="help-answer-source">
                {move || ts("help.source").replace("{id}", &id).replace("{score}", &score)}
            </div>
        </li>
    }
}

/// What the assistant found for a question: the own status, the answers best first, or
/// that it found nothing good.
fn answer_view(a: HelpAnswer) -> impl IntoView {
    let nothing = a.answers.is_empty() && a.own_status.is_none();
    let query = a.query.clone();
    view! {
        <p class="sub help-asked" data-testid="help-asked">{move || ts("help.you_asked")}{query.clone()}</p>
        {a.own_status.map(own_status_card)}
        {(!a.answers.is_empty()).then(|| view! {
            <ul class="help-answers" data-testid="help-answers">
                {a.answers.into_iter().map(answer_card).collect_view()}
            </ul>
        })}
        {nothing.then(|| view! { <p class="card empty help-nothing" data-testid="help-no-answer">{move || ts("help.no_answer")}</p> })}
    }
}

/// The spinner while asking, then the answer or why there is none.
fn result_view(asker: Asker) -> impl IntoView {
    view! {
        <div class="help-result" aria-live="polite" data-testid="help-result">
            {move || asker.busy.get().then(|| view! {
                <p class="loading" role="status" data-testid="help-asking"><span class="spinner"></span>{move || ts("help.asking")}</p>
            })}
            {move || asker.result.get().map(|r| match r {
                Ok(a) => answer_view(a).into_any(),
                Err(e) => view! { <div class="form-error" role="alert" data-testid="help-error">{e}</div> }.into_any(),
            })}
        </div>
    }
}

// ---------------------------------------------------------------------------------------
// The employee: 在线咨询, 转人工 and 我的提问
// ---------------------------------------------------------------------------------------

/// The 转人工 form's state.
#[derive(Clone, Copy)]
struct Handover {
    open: RwSignal<bool>,
    text: RwSignal<String>,
    touched: RwSignal<bool>,
    busy: RwSignal<bool>,
    failure: RwSignal<Option<String>>,
    done: RwSignal<bool>,
    /// One key per intention: a retry after a lost answer files one ticket.
    key: StoredValue<String>,
}

impl Handover {
    fn new() -> Self {
        Handover {
            open: RwSignal::new(false),
            text: RwSignal::new(String::new()),
            touched: RwSignal::new(false),
            busy: RwSignal::new(false),
            failure: RwSignal::new(None),
            done: RwSignal::new(false),
            key: StoredValue::new(api::idempotency_key()),
        }
    }

    /// Opens the form with `question`, or closes it; a new question forgets the last ticket.
    fn reset(self, question: Option<String>) {
        self.open.set(question.is_some());
        if let Some(q) = question {
            self.text.set(q);
        }
        self.touched.set(false);
        self.failure.set(None);
        self.done.set(false);
    }

    fn error(self) -> Option<String> {
        if !self.touched.get() {
            return None;
        }
        let lang = current_lang();
        self.text.with(|q| help::ticket_question(q).err().map(|e| e.message_in(lang).to_string()))
    }
}

fn handover_view(
    handover: Handover,
    session: Session,
    lang: RwSignal<Lang>,
    mine: LocalResource<ApiResult<Vec<HelpTicket>>>,
) -> impl IntoView {
    let submit = move || {
        handover.touched.set(true);
        let lang = lang.get_untracked();
        let Ok(question) = help::ticket_question(&handover.text.get_untracked()) else { return };
        let key = handover.key.get_value();
        handover.busy.set(true);
        handover.failure.set(None);
        spawn_local(async move {
            let result = session.check(api::create_ticket(question, key).await);
            if handover.busy.try_set(false).is_some() {
                return; // the page is gone
            }
            if !matches!(result, Err(ApiFailure::Network)) {
                handover.key.set_value(api::idempotency_key());
            }
            match result {
                Ok(_) => {
                    handover.open.set(false);
                    handover.done.set(true);
                    mine.refetch();
                }
                Err(e) => handover.failure.set(Some(failure_text(&e, lang))),
            }
        });
    };
    view! {
        {move || handover.done.get().then(|| view! {
            <p class="card help-done" role="status" data-testid="help-handover-done">{move || ts("help.handover_done")}</p>
        })}
        {move || handover.open.get().then(|| view! {
            <form class="card form help-handover" data-testid="help-handover" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <h2>{move || ts("help.handover_title")}</h2>
                <p class="hint">{move || ts("help.handover_hint")}</p>
                <label class="field" class:invalid=move || handover.error().is_some()>
                    <span>{move || ts("help.handover_question")}</span>
                    <textarea
                        rows="3"
                        maxlength="500"
                        data-testid="help-handover-question"
                        bind:value=handover.text
                        on:input=move |_| handover.touched.set(true)
                    ></textarea>
                    {field_message("help-handover-error".into(), move || handover.error())}
                </label>
                {move || handover.failure.get().map(|e| view! { <div class="form-error" role="alert" data-testid="help-handover-failure">{e}</div> })}
                <div class="help-actions">
                    <button type="button" data-testid="help-handover-cancel" on:click=move |_| handover.open.set(false)>
                        {move || ts("common.cancel")}
                    </button>
                    <button type="submit" class="primary" data-testid="help-handover-submit" disabled=move || handover.busy.get()>
                        {move || if handover.busy.get() { ts("help.sending") } else { ts("help.handover_submit") }}
                    </button>
                </div>
            </form>
        })}
    }
}

/// One of the employee's tickets, with HR's answer once there is one.
fn my_ticket(tk: HelpTicket) -> impl IntoView {
    let reply = tk.answer.map(|answer| {
        let who = tk.answered_by.unwrap_or_default();
        let when = tk.answered_at.as_deref().map(china_time).unwrap_or_default();
        view! {
            <div class="help-reply" data-testid="help-ticket-answer">
                <p>{answer}</p>
                <div class="sub">{move || ts("help.answered_by").replace("{name}", &who).replace("{time}", &when)}</div>
            </div>
        }
    });
    view! {
        <li class="card help-ticket" data-testid="help-ticket" data-id=tk.id>
            <div class="section-head">
                <strong data-testid="help-ticket-question">{tk.question}</strong>
                {ticket_badge(tk.state, "help-ticket-state")}
            </div>
            <div class="sub">{china_time(&tk.created_at)}</div>
            {reply}
        </li>
    }
}

/// 在线咨询 on the phone.
#[component]
fn Assistant() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let asker = Asker::new(session);
    let handover = Handover::new();
    let mine = LocalResource::new(move || async move { session.check(api::tickets("").await) });
    // Each answer opens 转人工 when it has nothing good, and forgets the last ticket.
    Effect::new(move |_| {
        let asking = asker.busy.get();
        let offer = asker.result.with(|r| match r {
            _ if asking => Some(None),
            Some(Ok(a)) if a.offer_handover => Some(Some(a.query.clone())),
            Some(_) => Some(None),
            None => None,
        });
        if let Some(question) = offer {
            untrack(|| handover.reset(question));
        }
    });
    // Under answers that did not help, the way to a person.
    let not_solved = move || {
        let answered = asker.result.with(|r| matches!(r, Some(Ok(a)) if !a.offer_handover));
        (answered && !handover.open.get() && !handover.done.get()).then(|| view! {
            <button
                type="button"
                class="link help-not-solved"
                data-testid="help-handover-open"
                on:click=move |_| {
                    let q = asker.result.with_untracked(|r| match r {
                        Some(Ok(a)) => a.query.clone(),
                        _ => String::new(),
                    });
                    handover.reset(Some(q));
                }
            >
                {move || ts("help.not_solved")}
            </button>
        })
    };
    view! {
        <div class="help-page" data-testid="help-page">
            <h1>{move || ts("help.title")}</h1>
            <section class="card help-box">
                <p class="hint">{move || ts("help.intro")}</p>
                {ask_form(asker, lang, "help", true)}
            </section>
            {result_view(asker)}
            {not_solved}
            {handover_view(handover, session, lang, mine)}
            <section class="help-mine" data-testid="help-my-tickets">
                <h2>{move || ts("help.mine")}</h2>
                <Loaded resource=mine let:list>
                    {if list.is_empty() {
                        view! { <p class="card empty" data-testid="help-tickets-empty">{ts("help.mine_empty")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="help-tickets">
                                <For each=move || list.clone() key=|tk| (tk.id.clone(), tk.version) let:tk>
                                    {my_ticket(tk)}
                                </For>
                            </ul>
                        }
                        .into_any()
                    }}
                </Loaded>
            </section>
        </div>
    }
}

// ---------------------------------------------------------------------------------------
// The console: 咨询工单
// ---------------------------------------------------------------------------------------

#[component]
fn HelpDesk(role: Role) -> impl IntoView {
    let state = state_query("open");
    let label = |code: &str| TicketState::from_code(code).map_or("?", |s| s.label(current_lang()));
    let faq_link = help::may_read_faq(role).then(|| {
        let key = if help::may_edit_faq(role) { "help.faq_manage" } else { "help.faq_view" };
        view! { <A href="/help/faq" attr:class="button" attr:data-testid="help-faq-link">{move || ts(key)}</A> }
    });
    let scoped = help::ticket_scope(role).is_some();
    let title = if scoped { "help.queue" } else { "nav.help" };
    let body = match help::ticket_scope(role) {
        Some(_) => view! {
            {state_tabs("/help", &TABS, label, state)}
            // A new tab is a new list: the spinner shows until its tickets arrive.
            {move || {
                let state = state.get();
                untrack(|| view! { <TicketQueue state /> })
            }}
        }
        .into_any(),
        None => {
            let edits = help::may_edit_faq(role);
            view! {
                <p class="card explain help-note" data-testid="help-console-note">
                    {move || ts("help.console_note")}
                    {edits.then(|| view! { " "{move || ts("help.console_note_faq")} })}
                </p>
            }
            .into_any()
        }
    };
    view! {
        <div class="list-page help-page help-desk" data-testid="help-desk">
            <div class="page-head">
                <h1>{move || ts(title)}</h1>
                {faq_link}
            </div>
            {body}
        </div>
    }
}

#[component]
fn TicketQueue(state: String) -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || {
        let state = state.clone();
        async move { session.check(api::tickets(&state).await) }
    });
    view! {
        <Loaded resource=list let:tickets>
            {if tickets.is_empty() {
                view! { <p class="empty card" data-testid="tickets-empty">{ts("help.queue_empty")}</p> }.into_any()
            } else {
                view! {
                    <ul class="help-queue" data-testid="ticket-list">
                        <For each=move || tickets.clone() key=|tk| (tk.id.clone(), tk.version) let:tk>
                            <TicketCard initial=tk list />
                        </For>
                    </ul>
                }
                .into_any()
            }}
        </Loaded>
    }
}

/// One ticket in the queue: open ones take the answer here.
#[component]
fn TicketCard(initial: HelpTicket, list: LocalResource<ApiResult<Vec<HelpTicket>>>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let id = initial.id.clone();
    let (name, question, created) = (initial.employee_name.clone(), initial.question.clone(), initial.created_at.clone());
    let shown = RwSignal::new(initial);
    let state = Memo::new(move |_| shown.with(|tk| tk.state));
    let text = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<(String, bool)>);
    // One key per intention: a retry after a lost answer answers once.
    let key = StoredValue::new(api::idempotency_key());
    let error = move || {
        if !touched.get() {
            return None;
        }
        let lang = current_lang();
        text.with(|a| help::ticket_answer(a).err().map(|e| e.message_in(lang).to_string()))
    };
    let send = move || {
        touched.set(true);
        let lang = lang.get_untracked();
        let Ok(answer) = help::ticket_answer(&text.get_untracked()) else { return };
        let (id, version) = shown.with_untracked(|tk| (tk.id.clone(), tk.version));
        let k = key.get_value();
        busy.set(true);
        failure.set(None);
        spawn_local(async move {
            let result = session.check(api::answer_ticket(id, TicketAnswer { version, answer }, k).await);
            if busy.try_set(false).is_some() {
                return; // the page is gone
            }
            if !matches!(result, Err(ApiFailure::Network)) {
                key.set_value(api::idempotency_key());
            }
            match result {
                Ok(tk) => shown.set(tk),
                Err(e) => failure.set(Some((failure_text(&e, lang), is_conflict(&e)))),
            }
        });
    };
    let answered = move || {
        shown.with(|tk| {
            tk.answer.clone().map(|answer| {
                let who = tk.answered_by.clone().unwrap_or_default();
                let when = tk.answered_at.as_deref().map(china_time).unwrap_or_default();
                view! {
                    <div class="help-reply" data-testid="ticket-answer">
                        <p>{answer}</p>
                        <div class="sub">{move || ts("help.answered_by").replace("{name}", &who).replace("{time}", &when)}</div>
                    </div>
                }
            })
        })
    };
    let form = move || {
        (state.get() == TicketState::Open).then(|| view! {
            <form class="help-answer-form" novalidate on:submit=move |ev| { ev.prevent_default(); send(); }>
                <label class="field" class:invalid=move || error().is_some()>
                    <span>{move || ts("help.answer_label")}</span>
                    <textarea
                        rows="3"
                        maxlength="1000"
                        data-testid="ticket-answer-input"
                        bind:value=text
                        on:input=move |_| touched.set(true)
                    ></textarea>
                    {field_message("ticket-answer-error".into(), error)}
                </label>
                {move || failure.get().map(|(e, stale)| view! {
                    <div class="form-error" role="alert" data-testid="ticket-answer-failure">
                        {e}
                        {stale.then(|| view! {
                            " "
                            <button type="button" class="link" data-testid="ticket-reload" on:click=move |_| list.refetch()>
                                {move || ts("common.reload")}
                            </button>
                        })}
                    </div>
                })}
                <div class="help-actions">
                    <button type="submit" class="primary" data-testid="ticket-answer-submit" disabled=move || busy.get()>
                        {move || if busy.get() { ts("help.sending") } else { ts("help.answer_submit") }}
                    </button>
                </div>
            </form>
        })
    };
    view! {
        <li class="card help-ticket" data-testid="ticket" data-id=id>
            <div class="section-head">
                <strong data-testid="ticket-employee">{name}</strong>
                {move || ticket_badge(state.get(), "ticket-state")}
            </div>
            <p class="help-question" data-testid="ticket-question">{question}</p>
            <div class="sub" data-testid="ticket-time">{move || ts("help.asked_at")}" "{china_time(&created)}</div>
            {answered}
            {form}
        </li>
    }
}

// ---------------------------------------------------------------------------------------
// The FAQ editor
// ---------------------------------------------------------------------------------------

/// The form as typed: keywords as one text, split on commas and 、.
#[derive(Debug, Clone, PartialEq)]
struct FaqForm {
    question: String,
    answer: String,
    keywords: String,
    category: String,
    enabled: bool,
}

impl FaqForm {
    fn blank(category: String) -> Self {
        FaqForm { question: String::new(), answer: String::new(), keywords: String::new(), category, enabled: true }
    }

    fn of(e: &FaqView) -> Self {
        FaqForm {
            question: e.question.clone(),
            answer: e.answer.clone(),
            keywords: e.keywords.join("、"),
            category: e.category.code().into(),
            enabled: e.enabled,
        }
    }

    fn input(&self) -> FaqInput {
        FaqInput {
            question: self.question.clone(),
            answer: self.answer.clone(),
            keywords: split_keywords(&self.keywords),
            category: self.category.clone(),
            enabled: self.enabled,
        }
    }
}

/// "住院、报销, 材料" → ["住院", "报销", "材料"]: commas (either width), 、 and semicolons.
fn split_keywords(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；', '\n']).map(str::trim).filter(|k| !k.is_empty()).map(str::to_owned).collect()
}

/// Which entry the form edits.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Entry { id: String, version: i64 },
}

#[derive(Clone, Copy)]
struct FaqFormState {
    form: RwSignal<FaqForm>,
    touched: RwSignal<HashSet<&'static str>>,
    server_errors: RwSignal<Vec<FieldError>>,
    checked: Memo<Result<(), Vec<FieldError>>>,
}

impl FaqFormState {
    fn new() -> Self {
        let form = RwSignal::new(FaqForm::blank(String::new()));
        FaqFormState {
            form,
            touched: RwSignal::new(HashSet::new()),
            server_errors: RwSignal::new(Vec::new()),
            checked: Memo::new(move |_| form.with(|f| f.input().parse("new").map(|_| ()))),
        }
    }

    fn load(self, form: FaqForm) {
        self.form.set(form);
        self.touched.set(HashSet::new());
        self.server_errors.set(Vec::new());
    }

    /// The server's message for the field, else the rule's once the field was touched.
    fn error(self, field: &'static str) -> Option<String> {
        let lang = current_lang();
        if let Some(e) = self.server_errors.read().iter().find(|e| e.field == field) {
            return Some(e.message_in(lang).to_string());
        }
        if !self.touched.read().contains(field) {
            return None;
        }
        self.checked.with(|c| c.as_ref().err()?.iter().find(|e| e.field == field).map(|e| e.message_in(lang).to_string()))
    }

    fn edit(self, field: &'static str, set: impl FnOnce(&mut FaqForm)) {
        self.form.update(set);
        self.touched.update(|t| {
            t.insert(field);
        });
        self.server_errors.update(|errs| errs.retain(|e| e.field != field));
    }
}

/// A text field of the FAQ form (a textarea for the answer) with its message.
fn faq_text(
    state: FaqFormState,
    field: &'static str,
    label: &'static str,
    value: fn(&FaqForm) -> String,
    set: fn(&mut FaqForm, String),
) -> impl IntoView {
    let testid = format!("faq-{field}");
    let input = if field == "answer" {
        view! {
            <textarea
                rows="6"
                maxlength="1000"
                data-testid=testid
                prop:value=move || state.form.with(value)
                on:input=move |ev| state.edit(field, |f| set(f, event_target_value(&ev)))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                type="text"
                autocomplete="off"
                data-testid=testid
                prop:value=move || state.form.with(value)
                on:input=move |ev| state.edit(field, |f| set(f, event_target_value(&ev)))
                on:blur=move |_| state.touched.update(|t| { t.insert(field); })
            />
        }
        .into_any()
    };
    view! {
        <label class="field" class:invalid=move || state.error(field).is_some()>
            <span>{move || ts(label)}</span>
            {input}
            {(field == "keywords").then(|| view! { <small class="hint">{move || ts("help.faq_keywords_hint")}</small> })}
            {field_message(format!("faq-error-{field}"), move || state.error(field))}
        </label>
    }
}

fn faq_form(
    state: FaqFormState,
    editing: RwSignal<Option<Editing>>,
    busy: RwSignal<bool>,
    failure: RwSignal<Option<(String, bool)>>,
    list: LocalResource<ApiResult<Vec<FaqView>>>,
    save: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let title = move || match editing.get() {
        Some(Editing::Entry { id, .. }) => ts("help.faq_edit_title").replace("{}", &id),
        _ => ts("help.faq_new_title").to_string(),
    };
    view! {
        <form class="card form faq-form" data-testid="faq-form" novalidate on:submit=move |ev| { ev.prevent_default(); save(); }>
            <h2 data-testid="faq-form-title">{title}</h2>
            {faq_text(state, "question", "help.faq_question", |f| f.question.clone(), |f, v| f.question = v)}
            {faq_text(state, "answer", "help.faq_answer", |f| f.answer.clone(), |f, v| f.answer = v)}
            {faq_text(state, "keywords", "help.faq_keywords", |f| f.keywords.clone(), |f, v| f.keywords = v)}
            <label class="field" class:invalid=move || state.error("category").is_some()>
                <span>{move || ts("help.faq_category")}</span>
                <select data-testid="faq-category" on:change=move |ev| state.edit("category", |f| f.category = event_target_value(&ev))>
                    <option value="" prop:selected=move || state.form.with(|f| f.category.is_empty())>{move || ts("help.faq_category_pick")}</option>
                    {FaqCategory::ALL.map(|c| view! {
                        <option value=c.code() prop:selected=move || state.form.with(|f| f.category == c.code())>
                            {move || c.label(current_lang())}
                        </option>
                    })}
                </select>
                {field_message("faq-error-category".into(), move || state.error("category"))}
            </label>
            <label class="check faq-enabled">
                <input
                    type="checkbox"
                    data-testid="faq-enabled"
                    prop:checked=move || state.form.with(|f| f.enabled)
                    on:change=move |ev| state.edit("enabled", |f| f.enabled = event_target_checked(&ev))
                />
                <span>{move || ts("help.faq_enabled")}</span>
            </label>
            {move || failure.get().map(|(e, stale)| view! {
                <div class="form-error" role="alert" data-testid="faq-failure">
                    {e}
                    {stale.then(|| view! {
                        " "
                        <button type="button" class="link" data-testid="faq-reload" on:click=move |_| list.refetch()>
                            {move || ts("common.reload")}
                        </button>
                    })}
                </div>
            })}
            <div class="help-actions">
                <button type="button" data-testid="faq-cancel" on:click=move |_| editing.set(None)>{move || ts("common.cancel")}</button>
                <button type="submit" class="primary" data-testid="faq-save" disabled=move || busy.get()>
                    {move || if busy.get() { ts("common.saving") } else { ts("help.faq_save") }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn FaqBoard(initial: Vec<FaqView>, may_edit: bool, list: LocalResource<ApiResult<Vec<FaqView>>>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let entries = RwSignal::new(initial);
    let filter = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<Editing>);
    let state = FaqFormState::new();
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<(String, bool)>);
    let saved = RwSignal::new(None::<String>);
    // One key per intention: a retry after a lost answer creates one entry.
    let key = StoredValue::new(api::idempotency_key());

    let start = move |what: Editing, form: FaqForm| {
        state.load(form);
        failure.set(None);
        saved.set(None);
        editing.set(Some(what));
    };
    let save = move || {
        state.touched.set(FAQ_FIELDS.into_iter().collect());
        if state.checked.with_untracked(Result::is_err) {
            return;
        }
        let Some(what) = editing.get_untracked() else { return };
        let input = state.form.with_untracked(FaqForm::input);
        let (lang, k) = (lang.get_untracked(), key.get_value());
        busy.set(true);
        failure.set(None);
        saved.set(None);
        spawn_local(async move {
            let result = match what {
                Editing::New => api::create_faq(input, k).await,
                Editing::Entry { id, version } => api::update_faq(id, FaqPatch { version, input }).await,
            };
            let result = session.check(result);
            if busy.try_set(false).is_some() {
                return; // the page is gone
            }
            if !matches!(result, Err(ApiFailure::Network)) {
                key.set_value(api::idempotency_key());
            }
            match result {
                Ok(view) => {
                    saved.set(Some(view.question.clone()));
                    entries.update(|list| match list.iter_mut().find(|e| e.id == view.id) {
                        Some(e) => *e = view,
                        None => list.insert(0, view),
                    });
                    editing.set(None);
                }
                Err(ApiFailure::Fields(errors)) => {
                    let other: Vec<&str> =
                        errors.iter().filter(|e| !FAQ_FIELDS.contains(&e.field.as_str())).map(|e| e.message_in(lang)).collect();
                    if !other.is_empty() {
                        failure.set(Some((other.join(lang.pick("；", "; ")), false)));
                    }
                    state.server_errors.set(errors);
                }
                Err(e) => failure.set(Some((failure_text(&e, lang), is_conflict(&e)))),
            }
        });
    };

    let shown = move || {
        let f = filter.get();
        entries.with(|list| list.iter().filter(|e| f.is_empty() || e.category.code() == f).cloned().collect::<Vec<_>>())
    };
    let count = move || entries.with(|list| list.iter().filter(|e| filter.with(|f| f.is_empty() || e.category.code() == f)).count());
    let row = move |e: FaqView| {
        let category = e.category;
        let edit_entry = e.clone();
        let who = e.updated_by.clone();
        view! {
            <tr data-testid="faq-row" data-id=e.id.clone() class:faq-off=!e.enabled>
                <td class="faq-q">
                    <span class="sub mono">{e.id.clone()}</span>
                    <div data-testid="faq-row-question">{e.question.clone()}</div>
                </td>
                <td>{move || category.label(current_lang())}</td>
                <td>
                    <span class=if e.enabled { "badge faq-on" } else { "badge faq-off-badge" } data-testid="faq-row-enabled">
                        {move || if e.enabled { ts("help.faq_on") } else { ts("help.faq_off") }}
                    </span>
                </td>
                <td class="opt sub">
                    {china_time(&e.updated_at)}
                    <br />
                    {move || who.clone().unwrap_or_else(|| ts("help.faq_starter").to_string())}
                </td>
                <td>
                    {may_edit.then(|| view! {
                        <button
                            type="button"
                            class="link"
                            data-testid="faq-edit"
                            on:click=move |_| start(Editing::Entry { id: edit_entry.id.clone(), version: edit_entry.version }, FaqForm::of(&edit_entry))
                        >
                            {move || ts("common.edit")}
                        </button>
                    })}
                </td>
            </tr>
        }
    };

    view! {
        <div class="filters faq-toolbar">
            <select data-testid="faq-filter" aria-label=move || ts("help.faq_category") on:change=move |ev| filter.set(event_target_value(&ev))>
                <option value="">{move || ts("help.faq_all")}</option>
                {FaqCategory::ALL.map(|c| view! { <option value=c.code()>{move || c.label(current_lang())}</option> })}
            </select>
            <span class="muted faq-count" data-testid="faq-count">{move || ts("help.faq_count").replace("{}", &count().to_string())}</span>
            {may_edit.then(|| view! {
                <button type="button" class="primary" data-testid="faq-new" on:click=move |_| start(Editing::New, FaqForm::blank(filter.get_untracked()))>
                    {move || ts("help.faq_new")}
                </button>
            })}
        </div>
        {(!may_edit).then(|| view! { <p class="explain faq-note" data-testid="faq-readonly">{move || ts("help.faq_readonly")}</p> })}
        {move || saved.get().map(|q| view! {
            <p class="card faq-saved" role="status" data-testid="faq-saved">{move || ts("help.faq_saved").replace("{}", &q)}</p>
        })}
        <div class="faq-layout" class:editing=move || editing.with(Option::is_some)>
            {move || editing.with(Option::is_some).then(|| faq_form(state, editing, busy, failure, list, save))}
            <div class="card table-card">
                {move || if count() == 0 {
                    view! { <p class="empty" data-testid="faq-empty">{ts("help.faq_empty")}</p> }.into_any()
                } else {
                    view! {
                        <table class="table faq-table" data-testid="faq-list">
                            <thead>
                                <tr>
                                    <th>{move || ts("help.faq_question")}</th>
                                    <th>{move || ts("help.faq_category")}</th>
                                    <th>{move || ts("help.faq_state")}</th>
                                    <th class="opt">{move || ts("help.faq_updated")}</th>
                                    <th></th>
                                </tr>
                            </thead>
                            <tbody>
                                <For each=shown key=|e| (e.id.clone(), e.version) let:e>
                                    {row(e)}
                                </For>
                            </tbody>
                        </table>
                    }
                    .into_any()
                }}
            </div>
        </div>
    }
}

/// 试一试: what an employee asking this would get.
#[component]
fn TryBox() -> impl IntoView {
    let asker = Asker::new(use_session());
    let lang = use_lang();
    view! {
        <section class="card faq-try" data-testid="faq-try">
            <h2>{move || ts("help.faq_try")}</h2>
            {ask_form(asker, lang, "faq-try", false)}
            {result_view(asker)}
        </section>
    }
}

#[component]
pub fn FaqEditor() -> impl IntoView {
    let session = use_session();
    let role = session.user.get_untracked().map(|m| m.role);
    let may_edit = role.is_some_and(help::may_edit_faq);
    let console = role.is_some_and(Role::uses_console);
    let list = LocalResource::new(move || async move { session.check(api::faq().await) });
    view! {
        <div class="list-page faq-page" data-testid="faq-page">
            <A href="/help" attr:class="back">{move || format!("← {}", ts("common.back"))}</A>
            <h1>{move || ts("help.faq_title")}</h1>
            <Loaded resource=list let:entries>
                <FaqBoard initial=entries may_edit list />
            </Loaded>
            {console.then(|| view! { <TryBox /> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_split_on_commas_and_enumeration_marks() {
        assert_eq!(split_keywords("住院、报销, 材料，发票;证明"), ["住院", "报销", "材料", "发票", "证明"]);
        assert!(split_keywords(" 、 ,").is_empty());
    }

    #[test]
    fn the_form_reads_back_an_entry() {
        let form = FaqForm {
            question: "年假期间社保怎么缴？".into(),
            answer: "年假期间劳动关系不变，单位照常为您缴纳社保。".into(),
            keywords: "年假、休假".into(),
            category: "other".into(),
            enabled: true,
        };
        let entry = form.input().parse("new");
        assert_eq!(entry.map(|e| e.keywords), Ok(vec!["年假".to_string(), "休假".to_string()]));
        let short = FaqForm { question: "社保".into(), ..form };
        let codes: Vec<String> = short.input().parse("new").err().unwrap_or_default().into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["help.question_length"]);
    }
}
