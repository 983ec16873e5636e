//! WebCrypto from Rust: randomness, SHA-256 and PBKDF2-SHA256 (the runtime's native
//! implementations, far faster than hashing in wasm).

use crate::error::{AppError, AppResult};
use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey, Pbkdf2Params, WorkerGlobalScope};

fn crypto() -> AppResult<Crypto> {
    js_sys::global()
        .unchecked_into::<WorkerGlobalScope>()
        .crypto()
        .map_err(|_| AppError::Internal("crypto unavailable".into()))
}

fn js_err(what: &str) -> impl Fn(wasm_bindgen::JsValue) -> AppError + '_ {
    move |e| AppError::Internal(format!("{what}: {e:?}"))
}

pub fn random_bytes(n: usize) -> AppResult<Vec<u8>> {
    let mut bytes = vec![0u8; n];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(js_err("getRandomValues"))?;
    Ok(bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A random identifier with a readable prefix, e.g. `emp-3f9a…`.
pub fn new_id(prefix: &str) -> AppResult<String> {
    Ok(format!("{prefix}-{}", hex(&random_bytes(10)?)))
}

async fn buffer(promise: js_sys::Promise, what: &str) -> AppResult<Vec<u8>> {
    let value = JsFuture::from(promise).await.map_err(js_err(what))?;
    Ok(Uint8Array::new(&value.unchecked_into::<ArrayBuffer>()).to_vec())
}

async fn sha256(data: &[u8]) -> AppResult<Vec<u8>> {
    let promise = crypto()?
        .subtle()
        .digest_with_str_and_u8_array("SHA-256", data)
        .map_err(js_err("digest"))?;
    buffer(promise, "digest").await
}

pub async fn sha256_hex(data: &[u8]) -> AppResult<String> {
    Ok(hex(&sha256(data).await?))
}

async fn pbkdf2(password: &str, salt: &[u8], rounds: u32) -> AppResult<Vec<u8>> {
    let subtle = crypto()?.subtle();
    let key_data = Uint8Array::from(password.as_bytes());
    let usages = Array::of1(&"deriveBits".into());
    let key: CryptoKey = JsFuture::from(
        subtle
            .import_key_with_str("raw", &key_data, "PBKDF2", false, &usages)
            .map_err(js_err("importKey"))?,
    )
    .await
    .map_err(js_err("importKey"))?
    .unchecked_into();
    let params = Pbkdf2Params::new("PBKDF2", &"SHA-256".into(), rounds, &Uint8Array::from(salt));
    let promise = subtle
        .derive_bits_with_object(&params, &key, 256)
        .map_err(js_err("deriveBits"))?;
    buffer(promise, "deriveBits").await
}

/// Production Workers refuse more PBKDF2 iterations than this.
pub const PBKDF2_ROUNDS: u32 = 100_000;

/// `pbkdf2-sha256$ROUNDS$SALT_HEX$HASH_HEX`
pub async fn hash_password(password: &str) -> AppResult<String> {
    let salt = random_bytes(16)?;
    let hash = pbkdf2(password, &salt, PBKDF2_ROUNDS).await?;
    Ok(format!("pbkdf2-sha256${PBKDF2_ROUNDS}${}${}", hex(&salt), hex(&hash)))
}

pub async fn verify_password(password: &str, stored: &str) -> AppResult<bool> {
    let parts: Vec<&str> = stored.split('$').collect();
    let (rounds, salt, expected) = match parts.as_slice() {
        ["pbkdf2-sha256", rounds, salt, hash] => (
            rounds.parse::<u32>().ok(),
            unhex(salt),
            unhex(hash),
        ),
        _ => (None, None, None),
    };
    let (Some(rounds), Some(salt), Some(expected)) = (rounds, salt, expected) else {
        return Err(AppError::Internal("malformed password hash".into()));
    };
    let actual = pbkdf2(password, &salt, rounds).await?;
    Ok(constant_time_eq(&actual, &expected))
}

/// Every byte is compared whatever the first difference, so the time taken tells nothing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `given` is `secret`, in constant time: digests of equal length are compared,
/// so not even the secret's length shows.
pub async fn same_secret(given: &str, secret: &str) -> AppResult<bool> {
    let (given, secret) = (sha256(given.as_bytes()).await?, sha256(secret.as_bytes()).await?);
    Ok(constant_time_eq(&given, &secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_odd_or_foreign_text() {
        let bytes = [0x00, 0x0f, 0xa5, 0xff];
        assert_eq!(hex(&bytes), "000fa5ff");
        assert_eq!(unhex("000fa5ff").as_deref(), Some(&bytes[..]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("é0"), None);
    }

    #[test]
    fn equal_only_with_equal_length_and_bytes() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret!"));
        assert!(constant_time_eq(b"", b""));
    }
}
