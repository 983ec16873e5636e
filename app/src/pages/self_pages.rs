//! The employees' services, one lazily loaded chunk: the claims (`/claims`, `/claims/new`,
//! `/claims/:id`, see `ClaimPages`), 我的申请 (`/me/changes`), 缴费证明 (`/me/proof`) and its
//! public check (`/proof/:code`), HR's review of the requests (`/changes`), the help
//! assistant and HR's tickets (`/help`) and the FAQ editor (`/help/faq`).

use super::changes::{ChangeReview, MyChanges};
use super::claims::ClaimPages;
use super::help::{FaqEditor, HelpPage};
use super::proof::{MyProof, PublicProof};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The self-service and help pages' own styles, drawn with them (not in the first
/// download's stylesheet); the claim pages draw theirs.
const STYLE: &str = concat!(include_str!("../../../style/self.css"), include_str!("../../../style/help.css"));

#[derive(Clone, Copy, PartialEq)]
enum Page {
    Claims,
    MyChanges,
    MyProof,
    PublicProof,
    ChangeReview,
    Help,
    Faq,
}

impl Page {
    fn of(path: &str) -> Option<Page> {
        match path.trim_end_matches('/') {
            "/me/changes" => Some(Page::MyChanges),
            "/me/proof" => Some(Page::MyProof),
            "/changes" => Some(Page::ChangeReview),
            "/help" => Some(Page::Help),
            "/help/faq" => Some(Page::Faq),
            p if p.starts_with("/proof/") => Some(Page::PublicProof),
            p if p == "/claims" || p.starts_with("/claims/") => Some(Page::Claims),
            _ => None,
        }
    }
}

/// The page of the current path; redrawn only when the kind of page changes.
#[component]
pub fn ServicePages() -> impl IntoView {
    let location = use_location();
    let page = Memo::new(move |_| Page::of(&location.pathname.read()));
    view! {
        <style>{STYLE}</style>
        {move || match page.get() {
            Some(Page::Claims) => view! { <ClaimPages /> }.into_any(),
            Some(Page::MyChanges) => view! { <MyChanges /> }.into_any(),
            Some(Page::MyProof) => view! { <MyProof /> }.into_any(),
            Some(Page::PublicProof) => view! { <PublicProof /> }.into_any(),
            Some(Page::ChangeReview) => view! { <ChangeReview /> }.into_any(),
            Some(Page::Help) => view! { <HelpPage /> }.into_any(),
            Some(Page::Faq) => view! { <FaqEditor /> }.into_any(),
            None => view! { <super::not_found::NotFound /> }.into_any(),
        }}
    }
}
