//! CPU-heavy work (hashing passwords, rendering Markdown, running a search) moved
//! off the async workers, a bounded amount at a time.
//!
//! On the async workers such work holds up every other request they serve: two
//! slow previews once stalled every visitor's page. A [`WorkerPool`] runs it on
//! threads of its own, at most one a core, behind a bounded queue; when the queue is
//! full the request is told at once to try again shortly ([`Refused::Busy`], a 503),
//! and a job whose request has gone is dropped undone. Long-lived threads, rather
//! than tokio's blocking pool, keep the allocator's per-thread arenas few.

use crate::error::AppError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

/// Jobs waiting for a thread, per thread, before more are refused as busy: at tens
/// of milliseconds a password hash, a full queue is a second or so of work.
pub const QUEUE_PER_THREAD: usize = 32;

/// Why work given to a [`WorkerPool`] was not done.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    /// Every thread is busy and the queue is full: try again shortly.
    #[error("the work queue is full")]
    Busy,
    /// The work failed, or no thread could run it.
    #[error("{0}")]
    Failed(String),
}

impl From<Refused> for AppError {
    fn from(err: Refused) -> Self {
        match err {
            Refused::Busy => Self::Busy {
                retry_after_secs: 2,
            },
            Refused::Failed(cause) => Self::Internal(cause),
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// Threads of their own for one kind of work, fed from a bounded queue. One starts
/// with the pool; more start, up to the pool's size, only when jobs wait while
/// every thread is busy, so a quiet site keeps one thread (and what it holds: a
/// hashing thread keeps its argon2 memory, every thread its allocator arena) and a
/// busy one uses every core.
pub struct WorkerPool {
    queue: Option<SyncSender<Job>>,
    receiver: Arc<Mutex<Receiver<Job>>>,
    counts: Arc<Counts>,
    max_threads: usize,
    name: &'static str,
}

/// What the pool's threads are doing, to know when another would help.
#[derive(Default)]
struct Counts {
    /// Threads started.
    started: AtomicUsize,
    /// Jobs hashing now.
    busy: AtomicUsize,
    /// Jobs queued and not yet taken.
    waiting: AtomicUsize,
}

impl WorkerPool {
    /// Up to a thread a core, with [`QUEUE_PER_THREAD`] jobs a thread in the queue;
    /// threads are named `name-N`.
    pub fn per_core(name: &'static str) -> Self {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self::new(name, threads, threads * QUEUE_PER_THREAD)
    }

    /// Up to `threads` threads named `name-N`, with room for `waiting` jobs in
    /// their queue.
    pub fn new(name: &'static str, threads: usize, waiting: usize) -> Self {
        let (sender, receiver) = sync_channel::<Job>(waiting);
        let pool = Self {
            queue: Some(sender),
            receiver: Arc::new(Mutex::new(receiver)),
            counts: Arc::new(Counts::default()),
            max_threads: threads.max(1),
            name,
        };
        if !pool.start_thread() {
            return Self {
                queue: None,
                ..pool
            };
        }
        pool
    }

    /// Starts one more thread unless the pool has its size; whether one started.
    fn start_thread(&self) -> bool {
        let started = &self.counts.started;
        let mut now = started.load(Ordering::SeqCst);
        loop {
            if now >= self.max_threads {
                return false;
            }
            match started.compare_exchange(now, now + 1, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => break,
                Err(actual) => now = actual,
            }
        }
        let receiver = self.receiver.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("{}-{now}", self.name))
            .spawn(move || work_on(&receiver));
        if spawned.is_err() {
            started.fetch_sub(1, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// Runs `work` on one of the pool's threads; refuses at once when the queue is
    /// full.
    /// Work whose caller has gone away by its turn is dropped undone.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let Some(queue) = self.queue.as_ref() else {
            return Err(Refused::Failed("no worker thread could be started".into()));
        };
        let (done, result) = tokio::sync::oneshot::channel();
        let counts = self.counts.clone();
        let job: Job = Box::new(move || {
            counts.waiting.fetch_sub(1, Ordering::SeqCst);
            if done.is_closed() {
                return;
            }
            counts.busy.fetch_add(1, Ordering::SeqCst);
            let out = work();
            // Counted idle before the caller wakes, so that its next job does not
            // look as if it waited behind this one.
            counts.busy.fetch_sub(1, Ordering::SeqCst);
            let _ = done.send(out);
        });
        self.counts.waiting.fetch_add(1, Ordering::SeqCst);
        if let Err(e) = queue.try_send(job) {
            self.counts.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(match e {
                TrySendError::Full(_) => Refused::Busy,
                TrySendError::Disconnected(_) => {
                    Refused::Failed("the worker threads have stopped".into())
                }
            });
        }
        let counts = &self.counts;
        if counts.busy.load(Ordering::SeqCst) + counts.waiting.load(Ordering::SeqCst)
            > counts.started.load(Ordering::SeqCst)
        {
            self.start_thread();
        }
        result
            .await
            .map_err(|_| Refused::Failed("the work failed".into()))
    }

    /// Threads started so far.
    pub fn threads(&self) -> usize {
        self.counts.started.load(Ordering::SeqCst)
    }
}

/// A worker thread's loop: take a job, run it, until the queue closes.
fn work_on(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting, not while hashing.
        let job = match receiver.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives `pool` a job that runs until `release` is sent; returns once it runs.
    async fn occupy(
        pool: &Arc<WorkerPool>,
    ) -> (
        std::sync::mpsc::Sender<()>,
        tokio::task::JoinHandle<Result<(), Refused>>,
    ) {
        let (release, blocked) = std::sync::mpsc::channel::<()>();
        let (started, running) = tokio::sync::oneshot::channel::<()>();
        let pool = pool.clone();
        let busy = tokio::spawn(async move {
            pool.run(move || {
                let _ = started.send(());
                let _ = blocked.recv();
            })
            .await
        });
        running.await.unwrap();
        (release, busy)
    }

    #[tokio::test]
    async fn threads_start_only_when_hashes_wait() {
        let pool = Arc::new(WorkerPool::new("test", 2, 8));
        for _ in 0..3 {
            assert_eq!(pool.run(|| 1).await, Ok(1));
        }
        assert_eq!(pool.threads(), 1, "one after one: one thread");
        let (release, busy) = occupy(&pool).await;
        // The thread is busy: a second hash starts a second thread and is done
        // while the first still waits.
        assert_eq!(pool.run(|| 2).await, Ok(2));
        assert_eq!(pool.threads(), 2);
        release.send(()).unwrap();
        busy.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_at_once_and_abandoned_work_is_dropped() {
        let pool = Arc::new(WorkerPool::new("test", 1, 1));
        let (release, busy) = occupy(&pool).await;
        // The thread is busy; one job fits in the queue, the next does not.
        let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let queued = {
            let pool = pool.clone();
            let ran = ran.clone();
            tokio::spawn(async move {
                pool.run(move || ran.store(true, std::sync::atomic::Ordering::SeqCst))
                    .await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(pool.run(|| ()).await, Err(Refused::Busy));
        // The queued job's caller gives up; its work is not done.
        queued.abort();
        let _ = queued.await;
        release.send(()).unwrap();
        busy.await.unwrap().unwrap();
        // The thread takes the abandoned job off the queue, then has room again.
        let mut answer = Err(Refused::Busy);
        for _ in 0..100 {
            answer = pool.run(|| 7).await;
            if answer != Err(Refused::Busy) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(answer, Ok(7));
        assert!(!ran.load(std::sync::atomic::Ordering::SeqCst));
    }
}
