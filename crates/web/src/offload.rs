//! CPU-heavy work (rendering Markdown, running a search) moved off the async
//! workers, a bounded number at a time.
//!
//! On the async workers such work holds up every other request they serve: two
//! slow previews once stalled every visitor's page. [`Turns`] runs it on tokio's
//! blocking pool, at most as many at once as it has turns; a request that cannot
//! get a turn within [`WAIT`] is told to try again shortly.

use crate::error::AppError;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long work waits for a turn before its request is refused as busy.
pub const WAIT: Duration = Duration::from_secs(5);

/// A bounded number of turns on the blocking pool.
pub struct Turns(Semaphore);

impl Turns {
    /// As many turns as the machine has cores.
    pub fn per_core() -> Self {
        Self(Semaphore::new(
            std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
        ))
    }

    /// Runs `work` on the blocking pool once a turn is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _turn = tokio::time::timeout(WAIT, self.0.acquire())
            .await
            .map_err(|_| AppError::Busy {
                retry_after_secs: 2,
            })?
            .map_err(|_| AppError::Internal("the turns were closed".into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::Internal(format!("offloaded work failed: {e}")))
    }
}
