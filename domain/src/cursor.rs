//! Keyset paging of long lists (employees by name, claims newest first): a page starts after
//! (or ends before) a row's place in the list's order, by a key and then id, so a page
//! costs the same at any depth and rows written meanwhile shift nothing.
//!
//! The place travels as an opaque token in the URL (`?after=` / `?before=`): the JSON pair
//! `[key, id]` in lowercase hex, which is URL-safe as it is and spells every name.

use std::fmt;

/// A row's place in a list ordered by (key, id). Built from a row (`at`) or from a token
/// the server gave out (`parse`); its `Display` is that token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCursor {
    key: String,
    id: String,
}

/// A token that no page gave out: made up, cut short or from another version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message_zh())]
pub struct CursorError;

impl CursorError {
    pub fn message_zh(self) -> &'static str {
        "翻页位置无效，请回到第一页重新查看"
    }
}

impl ListCursor {
    pub fn at(key: &str, id: &str) -> ListCursor {
        ListCursor { key: key.to_string(), id: id.to_string() }
    }

    pub fn parse(token: &str) -> Result<ListCursor, CursorError> {
        let digits = token.as_bytes();
        if !digits.len().is_multiple_of(2) {
            return Err(CursorError);
        }
        let bytes = digits
            .chunks(2)
            .map(|pair| Some((nibble(pair[0])? << 4) | nibble(pair[1])?))
            .collect::<Option<Vec<u8>>>()
            .ok_or(CursorError)?;
        let (key, id): (String, String) = serde_json::from_slice(&bytes).map_err(|_| CursorError)?;
        Ok(ListCursor { key, id })
    }

    /// What the list is ordered by first (an employee's name, a claim's creation time).
    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Where a page of the list starts: at the top, just after a place or just before one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageFrom {
    First,
    After(ListCursor),
    Before(ListCursor),
}

/// A page of rows in the list's order, with the places to page on from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// `PageFrom::Before` this for the page before; none on the first page.
    pub prev: Option<ListCursor>,
    /// `PageFrom::After` this for the page after; none on the last page.
    pub next: Option<ListCursor>,
}

impl<T> Page<T> {
    /// The page as the API sends it: each row made an item, the places as tokens.
    pub fn try_into_list<U, E>(self, item: impl FnMut(T) -> Result<U, E>) -> Result<crate::api::ListPage<U>, E> {
        Ok(crate::api::ListPage {
            items: self.rows.into_iter().map(item).collect::<Result<_, _>>()?,
            next: self.next.as_ref().map(ListCursor::to_string),
            prev: self.prev.as_ref().map(ListCursor::to_string),
        })
    }
}

impl PageFrom {
    /// From `?after=` and `?before=`, either of them, an empty one left out.
    pub fn parse(after: Option<&str>, before: Option<&str>) -> Result<PageFrom, CursorError> {
        match (after.filter(|a| !a.is_empty()), before.filter(|b| !b.is_empty())) {
            (None, None) => Ok(PageFrom::First),
            (Some(after), None) => ListCursor::parse(after).map(PageFrom::After),
            (None, Some(before)) => ListCursor::parse(before).map(PageFrom::Before),
            (Some(_), Some(_)) => Err(CursorError),
        }
    }

    /// Whether the rows are read backwards, from the cursor towards the top.
    pub fn backwards(&self) -> bool {
        matches!(self, PageFrom::Before(_))
    }

    /// The page in `rows`, read from here away from the cursor (backwards for `Before`)
    /// up to `per_page + 1` of them: the extra row, dropped, tells that more follow.
    pub fn page<T>(&self, mut rows: Vec<T>, per_page: usize, place: impl Fn(&T) -> ListCursor) -> Page<T> {
        let more = rows.len() > per_page;
        rows.truncate(per_page);
        if self.backwards() {
            rows.reverse();
        }
        let (first, last) = (rows.first().map(&place), rows.last().map(&place));
        let (prev, next) = match self {
            PageFrom::First => (None, last.filter(|_| more)),
            // Reached from the row before the cursor's page, or from the one after it.
            PageFrom::After(_) => (first, last.filter(|_| more)),
            PageFrom::Before(_) => (first.filter(|_| more), last),
        };
        Page { rows, prev, next }
    }
}

/// A lowercase hex digit's value: one spelling per token.
fn nibble(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

impl fmt::Display for ListCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = serde_json::to_string(&(&self.key, &self.id)).map_err(|_| fmt::Error)?;
        json.bytes().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_token_is_url_safe_and_reads_back() {
        let cursor = ListCursor::at("王秀英", "emp-0042");
        let token = cursor.to_string();
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "{token}");
        assert_eq!(ListCursor::parse(&token), Ok(cursor.clone()));
        assert_eq!((cursor.key(), cursor.id()), ("王秀英", "emp-0042"));
    }

    #[test]
    fn made_up_tokens_are_refused() {
        let token = ListCursor::at("张三", "emp-0001").to_string();
        for bad in [
            "",
            "zz",
            "abc",
            &token[..token.len() - 2],
            &token.to_uppercase(),
            &format!("+{}", &token[1..]),
            // Valid hex and JSON, but not a (key, id) pair.
            "5b5d",
            "7b7d",
            "5b2261225d",
        ] {
            assert_eq!(ListCursor::parse(bad), Err(CursorError), "{bad:?}");
        }
        assert!(CursorError.to_string().contains("翻页"));
    }

    #[test]
    fn separators_and_quotes_in_names_survive() {
        for (name, id) in [("", ""), ("a\",\"b", "c"), ("\\", "\n"), ("O'Brien 李", "emp-1")] {
            let cursor = ListCursor::at(name, id);
            assert_eq!(ListCursor::parse(&cursor.to_string()), Ok(cursor));
        }
    }

    fn place(n: &u32) -> ListCursor {
        ListCursor::at(&format!("{n:03}"), "")
    }

    #[test]
    fn either_place_or_none_is_a_start() {
        let token = place(&7).to_string();
        assert_eq!(PageFrom::parse(None, Some("")), Ok(PageFrom::First));
        assert_eq!(PageFrom::parse(Some(&token), None), Ok(PageFrom::After(place(&7))));
        assert_eq!(PageFrom::parse(Some(""), Some(&token)), Ok(PageFrom::Before(place(&7))));
        assert_eq!(PageFrom::parse(Some(&token), Some(&token)), Err(CursorError));
        assert_eq!(PageFrom::parse(Some("x"), None), Err(CursorError));
    }

    /// Reads a page of 0..total as a keyset query would: away from the cursor, one extra.
    fn read(total: u32, per_page: usize, from: &PageFrom) -> Page<u32> {
        let key = |c: &ListCursor| c.key().parse::<u32>().unwrap();
        let rows: Vec<u32> = match from {
            PageFrom::First => (0..total).take(per_page + 1).collect(),
            PageFrom::After(c) => (key(c) + 1..total).take(per_page + 1).collect(),
            PageFrom::Before(c) => (0..key(c)).rev().take(per_page + 1).collect(),
        };
        from.page(rows, per_page, place)
    }

    #[test]
    fn paging_forward_then_back_covers_every_row_once_with_no_links_past_the_ends() {
        let first = read(10, 4, &PageFrom::First);
        assert_eq!((first.rows.clone(), first.prev.clone()), (vec![0, 1, 2, 3], None));
        let second = read(10, 4, &PageFrom::After(first.next.clone().unwrap()));
        assert_eq!((second.rows.clone(), second.prev.clone()), (vec![4, 5, 6, 7], Some(place(&4))));
        let last = read(10, 4, &PageFrom::After(second.next.clone().unwrap()));
        assert_eq!((last.rows.clone(), last.next.clone()), (vec![8, 9], None));
        let back = read(10, 4, &PageFrom::Before(last.prev.clone().unwrap()));
        assert_eq!(back, second);
        let top = read(10, 4, &PageFrom::Before(back.prev.unwrap()));
        assert_eq!((top.rows, top.prev, top.next), (vec![0, 1, 2, 3], None, Some(place(&3))));
        // Exactly a page: no next page to offer.
        assert_eq!(read(4, 4, &PageFrom::First).next, None);
        assert_eq!(read(0, 4, &PageFrom::First), Page { rows: vec![], prev: None, next: None });
    }

    proptest! {
        #[test]
        fn walking_forward_and_back_meets_every_row_once(total in 0u32..60, per_page in 1usize..9) {
            let mut pages = vec![read(total, per_page, &PageFrom::First)];
            while let Some(next) = pages.last().unwrap().next.clone() {
                pages.push(read(total, per_page, &PageFrom::After(next)));
            }
            let seen: Vec<u32> = pages.iter().flat_map(|p| p.rows.clone()).collect();
            prop_assert_eq!(seen, (0..total).collect::<Vec<_>>());
            let mut back = pages.pop().unwrap();
            while let Some(prev) = back.prev.clone() {
                back = read(total, per_page, &PageFrom::Before(prev));
                prop_assert_eq!(&back.rows, &pages.pop().unwrap().rows);
            }
            prop_assert!(pages.is_empty());
        }

        #[test]
        fn decode_of_encode_is_the_cursor(name in any::<String>(), id in any::<String>()) {
            let cursor = ListCursor::at(&name, &id);
            prop_assert_eq!(ListCursor::parse(&cursor.to_string()), Ok(cursor));
        }

        #[test]
        fn no_input_panics(token in "[0-9a-fA-F+-]{0,64}") {
            let _ = ListCursor::parse(&token);
        }
    }
}
