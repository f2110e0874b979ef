//! Password hashing with argon2id: 7 MiB, five passes, one lane, the least memory of
//! the settings OWASP lists as equally strong (19 MiB with two passes is another).
//! Hashing is slow on purpose, so it never runs on the async workers. Allocated and
//! freed per hash, glibc's allocator soon serves such blocks from its heap, where
//! smaller allocations split them and the next hash takes fresh memory (the resident
//! size grew with every log-in). So hashing runs on a [`WorkerPool`] of its own (up
//! to a thread a core, started as hashes wait), each thread reusing one block of
//! memory for every hash it makes. Its queue is bounded: past it a request is told
//! to try again shortly rather than wait behind a flood of checks, and a check whose
//! caller has gone is dropped. Hashes made with other settings (older sites used the 19 MiB ones) still verify, growing the
//! kept block to their size until the server restarts (memory taken for one hash
//! alone stayed with glibc all the same), and are made again at the next log-in
//! ([`needs_rehash`]).

use crate::offload::{Refused, WorkerPool};
use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand_core::OsRng;
use std::cell::RefCell;
use std::sync::LazyLock;

/// Why a password could not be hashed or checked.
pub type HashError = Refused;

/// The pool every hash goes through: up to a thread a core, each keeping its argon2
/// memory.
static HASHERS: LazyLock<WorkerPool> = LazyLock::new(|| WorkerPool::per_core("ponder-hash"));

/// A hash of a password nobody has, verified when a log-in names no account, so that
/// an unknown account takes as long to refuse as a wrong password.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| hash_now("not a real password").ok());

/// The most memory a stored hash may ask for (in 1 KiB blocks): 256 MiB.
const MAX_BLOCKS: usize = 256 * 1024;

/// Memory of a new hash, in KiB.
const MEMORY_KIB: u32 = 7 * 1024;
/// Passes of a new hash over its memory.
const PASSES: u32 = 5;

/// The settings new hashes are made with.
fn current_params() -> Params {
    Params::new(MEMORY_KIB, PASSES, 1, None).unwrap_or_default()
}

thread_local! {
    /// This thread's argon2 working memory, kept between hashes.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// The output of argon2 with `algorithm`, `version` and `params` for `password` and
/// `salt`, `len` bytes long, computed in this thread's kept memory.
fn raw_hash(
    password: &[u8],
    salt: &Salt<'_>,
    (algorithm, version, params): (Algorithm, Version, Params),
    len: usize,
) -> Result<Output, String> {
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS {
        return Err(format!("a password hash asks for {blocks} KiB of memory"));
    }
    let mut salt_buffer = [0u8; 64];
    let salt = salt
        .decode_b64(&mut salt_buffer)
        .map_err(|e| format!("bad salt: {e}"))?;
    let argon2 = Argon2::new(algorithm, version, params);
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        Output::init_with(len, |out| {
            argon2
                .hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .map_err(|e| format!("password hashing failed: {e}"))
    })
}

/// Whether `hash` was made with other settings than new hashes are (or another
/// algorithm or version), so that it should be made again from the password that
/// just matched it. A string that is not a hash at all needs nothing: it matches
/// no password.
pub fn needs_rehash(hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let current = current_params();
    let same = Algorithm::try_from(parsed.algorithm).ok() == Some(Algorithm::Argon2id)
        && parsed.version == Some(Version::V0x13.into())
        && Params::try_from(&parsed).is_ok_and(|p| {
            (p.m_cost(), p.t_cost(), p.p_cost())
                == (current.m_cost(), current.t_cost(), current.p_cost())
        });
    !same
}

fn hash_now(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let params = current_params();
    let settings = (Algorithm::Argon2id, Version::V0x13, params.clone());
    let output = raw_hash(
        password.as_bytes(),
        &salt.as_salt(),
        settings,
        Params::DEFAULT_OUTPUT_LEN,
    )?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

fn verify_now(password: &str, hash: &str) -> bool {
    let check = || -> Result<bool, String> {
        let parsed = PasswordHash::new(hash).map_err(|e| e.to_string())?;
        let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| e.to_string())?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        let params = Params::try_from(&parsed).map_err(|e| e.to_string())?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Ok(false);
        };
        let computed = raw_hash(
            password.as_bytes(),
            &salt,
            (algorithm, version, params),
            expected.len(),
        )?;
        // Output compares in constant time.
        Ok(computed == expected)
    };
    check().unwrap_or(false)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$...`).
pub async fn hash(password: String) -> Result<String, HashError> {
    HASHERS
        .run(move || hash_now(&password))
        .await?
        .map_err(Refused::Failed)
}

/// Checks a password against a stored hash; with no hash (an unknown account, or one
/// that cannot log in) it spends the same time and answers false.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, HashError> {
    HASHERS
        .run(move || match hash {
            Some(hash) => verify_now(&password, &hash),
            None => {
                if let Some(dummy) = DUMMY_HASH.as_deref() {
                    verify_now(&password, dummy);
                }
                false
            }
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse".into()).await.unwrap();
        let b = hash("correct horse".into()).await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert_eq!(
            verify("correct horse".into(), Some(a.clone())).await,
            Ok(true)
        );
        assert_eq!(verify("correct horsE".into(), Some(a)).await, Ok(false));
        assert_eq!(verify("anything".into(), None).await, Ok(false));
        assert_eq!(
            verify("anything".into(), Some("not a hash".into())).await,
            Ok(false)
        );
    }

    #[test]
    fn hashes_agree_with_the_argon2_crates_own_hasher_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let ours = hash_now("tr0ub4dor&3").unwrap_or_default();
        let parsed = PasswordHash::new(&ours).expect("a PHC string");
        // The crate's verifier takes the settings from the string.
        assert!(
            Argon2::default()
                .verify_password(b"tr0ub4dor&3", &parsed)
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"tr0ub4dor&4", &parsed)
                .is_err()
        );
        assert!(!needs_rehash(&ours));
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"tr0ub4dor&3", &salt)
            .expect("hash")
            .to_string();
        // The crate's defaults (19 MiB, two passes): what older sites stored.
        assert!(verify_now("tr0ub4dor&3", &theirs));
        assert!(!verify_now("tr0ub4dor&", &theirs));
        assert!(needs_rehash(&theirs));
        assert!(!needs_rehash("not a hash"));
        // Other parameters, as an older site's hashes may carry.
        let params = Params::new(8 * 1024, 3, 1, None).expect("params");
        let older = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"pw", &salt)
            .expect("hash")
            .to_string();
        assert!(verify_now("pw", &older));
        assert!(!verify_now("pw", &older.replace("t=3", "t=2")));
    }
}
