//! 发送记录 (administrators): the emails and text messages the outbox handed to the local
//! stand-in provider, which writes them down instead of sending them: labelled as such.

use crate::api;
use crate::components::{china_time, Loaded};
use crate::i18n::tr;
use crate::session::use_session;
use leptos::prelude::*;

/// The text key of a channel or a delivery status the page knows; others show as they came.
fn known_key(kind: &str, code: &str) -> Option<&'static str> {
    Some(match (kind, code) {
        ("channel", "email") => "msg.email",
        ("channel", "sms") => "msg.sms",
        ("status", "pending") => "msg.status.pending",
        ("status", "sent") => "msg.status.sent",
        ("status", "failed") => "msg.status.failed",
        _ => return None,
    })
}

fn label(kind: &'static str, code: String) -> impl IntoView {
    move || known_key(kind, &code).map_or_else(|| code.clone(), |key| tr(key).to_string())
}

#[component]
pub fn MessagesPage() -> impl IntoView {
    let session = use_session();
    let list = LocalResource::new(move || async move { session.check(api::messages().await) });
    view! {
        <div class="list-page messages-page" data-testid="messages-page">
            <h1>{move || tr("msg.title")}</h1>
            <p class="sim-banner" role="note" data-testid="simulated-provider">{move || tr("msg.banner")}</p>
            <Loaded resource=list let:messages>
                {if messages.is_empty() {
                    view! { <p class="empty card" data-testid="empty">{tr("msg.empty")}</p> }.into_any()
                } else {
                    view! {
                        <div class="card table-card">
                            <table class="table message-table" data-testid="message-table">
                                <thead>
                                    <tr>
                                        <th>{tr("msg.channel")}</th>
                                        <th>{tr("msg.recipient")}</th>
                                        <th>{tr("msg.body")}</th>
                                        <th>{tr("msg.status")}</th>
                                        <th class="num">{tr("msg.attempts")}</th>
                                        <th>{tr("msg.created")}</th>
                                        <th>{tr("msg.sent")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    <For each=move || messages.clone() key=|m| (m.id.clone(), m.status.clone(), m.attempts) let:m>
                                        // On a phone each row is a card, each value after its label.
                                        <tr data-testid="message-row">
                                            <td data-label=tr("msg.channel")>{label("channel", m.channel)}</td>
                                            <td data-label=tr("msg.recipient") class="mono">{m.recipient}</td>
                                            <td data-label=tr("msg.body") class="message-body">{m.body}</td>
                                            <td data-label=tr("msg.status")><span class=format!("badge ms-{}", m.status)>{label("status", m.status.clone())}</span></td>
                                            <td data-label=tr("msg.attempts") class="num">{m.attempts}</td>
                                            <td data-label=tr("msg.created")>{china_time(&m.created_at)}</td>
                                            <td data-label=tr("msg.sent")>{m.sent_at.as_deref().map_or_else(|| "—".to_string(), china_time)}</td>
                                        </tr>
                                    </For>
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }}
            </Loaded>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_and_statuses_the_page_knows_have_their_words_others_show_as_they_came() {
        assert_eq!(known_key("channel", "sms"), Some("msg.sms"));
        assert_eq!(known_key("status", "failed"), Some("msg.status.failed"));
        assert_eq!(known_key("channel", "fax"), None);
        assert_eq!(known_key("status", "email"), None);
    }
}
