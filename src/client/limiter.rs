//! A throttle-aware gate for requests in flight: additive increase, multiplicative decrease
//! (AIMD, as TCP does with its congestion window). Each try on the wire holds a [`Permit`];
//! the number of permits out is never above the current limit, which starts at the maximum
//! (`--concurrency`), is halved (down to 1) when the service throttles (429 or 503) and grows by
//! one after a run of as many successes in a row as the limit is, never above the maximum.
//! Answers to requests sent before the last cut do not cut again: a burst of 503s answering
//! the same crowd of requests halves the limit once, not once per request. Tries waiting for a
//! slot get it in their order (a batch's index in the input), not as they came: a retried
//! batch goes before the later batches waiting behind it, so the output, written in input
//! order, is not held up by it. It knows nothing of HTTP; the client tells it what each try
//! met.

use std::collections::BTreeMap;
use std::sync::Mutex;
use tokio::sync::oneshot;

/// The gate. Share it (`Arc`) between the tasks sending requests.
#[derive(Debug)]
pub struct Limiter {
    max: usize,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    limit: usize,
    /// Slots free now; never while a try waits.
    free: usize,
    /// Slots to forget as they are released (the cut was deeper than the free slots).
    debt: usize,
    /// Tries waiting for a slot, by (order, arrival): the first gets the next slot.
    waiting: BTreeMap<(u64, u64), oneshot::Sender<()>>,
    arrivals: u64,
    /// Bumped at every cut; a permit remembers the epoch it was taken in.
    epoch: u64,
    /// Successes since the last change of the limit (or the last throttling answer).
    run: usize,
    lowest: usize,
    cuts: u64,
}

/// One slot, held for one try; released when dropped.
#[derive(Debug)]
pub struct Permit<'a> {
    limiter: &'a Limiter,
    epoch: u64,
}

/// The limiter as one request passes it: its order among the requests of the run.
#[derive(Debug, Clone, Copy)]
pub struct Gate<'a> {
    limiter: &'a Limiter,
    order: u64,
}

impl<'a> Gate<'a> {
    /// Waits for a slot (see [`Limiter::acquire`]).
    pub async fn acquire(self) -> Permit<'a> {
        self.limiter.acquire(self.order).await
    }
}

/// A change of the limit, for a trace line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Lowered { from: usize, to: usize },
    Raised { to: usize },
}

impl Limiter {
    /// A gate letting at most `max` (at least 1) requests through at once.
    pub fn new(max: usize) -> Self {
        let max = max.max(1);
        Limiter {
            max,
            state: Mutex::new(State {
                limit: max,
                free: max,
                debt: 0,
                waiting: BTreeMap::new(),
                arrivals: 0,
                epoch: 0,
                run: 0,
                lowest: max,
                cuts: 0,
            }),
        }
    }

    /// The limiter for the request of order `order` (lower goes first).
    pub fn gate(&self, order: u64) -> Gate<'_> {
        Gate {
            limiter: self,
            order,
        }
    }

    /// Waits for a slot. While slots are taken, the waiting tries get them lowest `order`
    /// first (the same order, first come first served). Dropping the future gives up the
    /// place, or the slot if it was already handed over.
    pub async fn acquire(&self, order: u64) -> Permit<'_> {
        let (key, rx) = {
            let mut st = self.state();
            if st.free > 0 {
                st.free -= 1;
                return Permit {
                    limiter: self,
                    epoch: st.epoch,
                };
            }
            let key = (order, st.arrivals);
            st.arrivals += 1;
            let (tx, rx) = oneshot::channel();
            st.waiting.insert(key, tx);
            (key, rx)
        };
        let mut place = Place {
            limiter: self,
            key,
            rx: Some(rx),
        };
        let rx = place.rx.as_mut().expect("set above");
        rx.await
            .expect("a waiting try is handed a slot or gives up its place itself");
        place.rx = None;
        Permit {
            limiter: self,
            epoch: self.state().epoch,
        }
    }

    pub fn max(&self) -> usize {
        self.max
    }

    /// The current limit of requests in flight.
    pub fn limit(&self) -> usize {
        self.state().limit
    }

    /// The lowest limit reached so far.
    pub fn lowest(&self) -> usize {
        self.state().lowest
    }

    /// How many times the limit was cut.
    pub fn cuts(&self) -> u64 {
        self.state().cuts
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("limiter lock")
    }

    /// Gives one slot back: pays one of the debt of a cut, or goes to the first waiting try,
    /// or is free.
    fn release(&self, st: &mut State) {
        if st.debt > 0 {
            st.debt -= 1;
            return;
        }
        while let Some((_, tx)) = st.waiting.pop_first() {
            if tx.send(()).is_ok() {
                return;
            }
        }
        st.free += 1;
    }
}

/// A try's place among the waiting ones, until it has its slot.
struct Place<'a> {
    limiter: &'a Limiter,
    key: (u64, u64),
    /// `None` once the slot is taken.
    rx: Option<oneshot::Receiver<()>>,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        let Some(mut rx) = self.rx.take() else {
            return;
        };
        let l = self.limiter;
        let mut st = l.state();
        // Not in the queue any more: a slot was handed over (under this lock) and is not
        // going to be used.
        if st.waiting.remove(&self.key).is_none() && rx.try_recv().is_ok() {
            l.release(&mut st);
        }
    }
}

impl Permit<'_> {
    /// The try succeeded: one more in the run; a full run raises the limit by one.
    pub fn succeeded(self) -> Option<Change> {
        let l = self.limiter;
        let mut st = l.state();
        st.run += 1;
        if st.run < st.limit || st.limit >= l.max {
            return None;
        }
        st.limit += 1;
        st.run = 0;
        l.release(&mut st);
        // The permit itself is released by its drop, after the lock is let go.
        Some(Change::Raised { to: st.limit })
    }

    /// The service throttled this try (429 or 503): halve the limit, unless a cut already
    /// happened since this try was sent.
    pub fn throttled(self) -> Option<Change> {
        let l = self.limiter;
        let mut st = l.state();
        st.run = 0;
        if self.epoch != st.epoch || st.limit == 1 {
            return None;
        }
        let from = st.limit;
        let to = (from / 2).max(1);
        let cut = from - to;
        let forgotten = cut.min(st.free);
        st.free -= forgotten;
        st.debt += cut - forgotten;
        st.limit = to;
        st.lowest = st.lowest.min(to);
        st.epoch += 1;
        st.cuts += 1;
        Some(Change::Lowered { from, to })
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let l = self.limiter;
        let mut st = l.state();
        l.release(&mut st);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn throttling_halves_once_per_crowd_down_to_one() {
        let l = Limiter::new(8);
        // Eight tries in flight, all throttled: one cut, not eight.
        let crowd: Vec<Permit> = futures::future::join_all((0..8).map(|_| l.acquire(0))).await;
        let changes: Vec<_> = crowd.into_iter().map(Permit::throttled).collect();
        assert_eq!(changes[0], Some(Change::Lowered { from: 8, to: 4 }));
        assert!(changes[1..].iter().all(Option::is_none));
        assert_eq!(l.limit(), 4);
        // Tries sent after the cut may cut again: 4 -> 2 -> 1, and no lower.
        assert_eq!(
            l.acquire(0).await.throttled(),
            Some(Change::Lowered { from: 4, to: 2 })
        );
        assert_eq!(
            l.acquire(0).await.throttled(),
            Some(Change::Lowered { from: 2, to: 1 })
        );
        assert_eq!(l.acquire(0).await.throttled(), None);
        assert_eq!((l.limit(), l.lowest(), l.cuts()), (1, 1, 3));
        assert_eq!(l.state().free, 1);
    }

    #[tokio::test]
    async fn a_run_of_successes_as_long_as_the_limit_adds_one_up_to_the_max() {
        let l = Limiter::new(8);
        for _ in 0..3 {
            l.acquire(0).await.throttled();
        }
        assert_eq!(l.limit(), 1);
        let mut successes = 0;
        let mut seen = vec![];
        while l.limit() < 8 {
            successes += 1;
            if let Some(Change::Raised { to }) = l.acquire(0).await.succeeded() {
                seen.push(to);
            }
        }
        // 1 + 2 + ... + 7 successes bring it back from 1 to 8.
        assert_eq!(successes, 28);
        assert_eq!(seen, (2..=8).collect::<Vec<_>>());
        for _ in 0..100 {
            assert_eq!(l.acquire(0).await.succeeded(), None);
        }
        assert_eq!((l.limit(), l.state().free), (8, 8));
        // A throttling answer breaks the run.
        l.acquire(0).await.throttled();
        for _ in 0..3 {
            l.acquire(0).await.succeeded();
        }
        l.acquire(0).await.throttled();
        assert_eq!(l.limit(), 2);
        assert_eq!(l.acquire(0).await.succeeded(), None);
        assert_eq!(
            l.acquire(0).await.succeeded(),
            Some(Change::Raised { to: 3 })
        );
    }

    #[tokio::test]
    async fn a_cut_below_the_slots_held_is_paid_as_they_come_back() {
        let l = Limiter::new(6);
        let mut held: Vec<Permit> = Vec::new();
        for _ in 0..6 {
            held.push(l.acquire(0).await);
        }
        let first = held.pop().unwrap();
        assert_eq!(first.throttled(), Some(Change::Lowered { from: 6, to: 3 }));
        // 5 held, limit 3: nothing may start until 3 of them are back.
        for _ in 0..2 {
            drop(held.pop());
            assert_eq!(l.state().free, 0);
        }
        drop(held.pop());
        assert_eq!(l.state().free, 1);
        drop(held);
        assert_eq!(l.state().free, 3);
        // Raised while slots are still owed: the raise pays the debt instead of adding one.
        let l = Limiter::new(7);
        let held: Vec<Permit> = futures::future::join_all((0..7).map(|_| l.acquire(0))).await;
        let mut held = held.into_iter();
        let cut = held.next().unwrap().throttled();
        assert_eq!(cut, Some(Change::Lowered { from: 7, to: 3 }));
        assert_eq!(held.next().unwrap().succeeded(), None);
        assert_eq!(held.next().unwrap().succeeded(), None);
        assert_eq!(l.state().debt, 1);
        assert_eq!(
            held.next().unwrap().succeeded(),
            Some(Change::Raised { to: 4 })
        );
        assert_eq!(
            {
                let st = l.state();
                (st.debt, st.free)
            },
            (0, 1)
        );
        drop(held);
        assert_eq!(l.state().free, 4);
    }

    fn free_and_waiting(l: &Limiter) -> (usize, usize) {
        let st = l.state();
        (st.free, st.waiting.len())
    }

    #[tokio::test]
    async fn waiting_tries_get_slots_in_their_order() {
        let l = Arc::new(Limiter::new(1));
        let held = l.acquire(0).await;
        let got = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        // A retry of batch 3 comes after batches 7 and 5 are waiting: it goes first.
        for order in [7, 5, 3, 5] {
            let (l, got) = (l.clone(), got.clone());
            tasks.push(tokio::spawn(async move {
                let _p = l.acquire(order).await;
                got.lock().unwrap().push(order);
                tokio::task::yield_now().await;
            }));
            tokio::task::yield_now().await;
        }
        assert_eq!(l.state().waiting.len(), 4);
        drop(held);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*got.lock().unwrap(), [3, 5, 5, 7]);
        assert_eq!(free_and_waiting(&l), (1, 0));
    }

    #[tokio::test]
    async fn a_try_that_gives_up_waiting_loses_no_slot() {
        let l = Limiter::new(1);
        // Given up while waiting: its place goes, the slot comes back free.
        let held = l.acquire(0).await;
        let mut waiting = Box::pin(l.acquire(1));
        assert!(futures::poll!(waiting.as_mut()).is_pending());
        drop(waiting);
        drop(held);
        assert_eq!(free_and_waiting(&l), (1, 0));
        // Given up after the slot was handed over, before taking it: the slot comes back.
        let held = l.acquire(0).await;
        let mut waiting = Box::pin(l.acquire(1));
        assert!(futures::poll!(waiting.as_mut()).is_pending());
        drop(held);
        assert_eq!(free_and_waiting(&l), (0, 0));
        drop(waiting);
        assert_eq!(l.state().free, 1);
        // And a deadline that runs out while waiting (as `send` has) is giving up too.
        let held = l.acquire(0).await;
        let late = tokio::time::timeout(Duration::from_millis(20), l.acquire(1)).await;
        assert!(late.is_err());
        drop(held);
        assert_eq!(l.state().free, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn tries_in_flight_never_pass_the_limit() {
        let l = Arc::new(Limiter::new(8));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let over = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..400)
            .map(|i| {
                let (l, in_flight, over) = (l.clone(), in_flight.clone(), over.clone());
                tokio::spawn(async move {
                    let p = l.acquire(0).await;
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    // The limit may drop below the tries already out, never the other way.
                    if now > l.max() {
                        over.fetch_add(1, Ordering::SeqCst);
                    }
                    tokio::time::sleep(Duration::from_micros(fastrand::u64(0..500))).await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    if i % 9 == 0 {
                        p.throttled();
                    } else {
                        p.succeeded();
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(over.load(Ordering::SeqCst), 0);
        let limit = l.limit();
        assert_eq!(l.state().free, limit);
        assert_eq!(l.state().debt, 0);
        assert!(l.lowest() < 8 && l.cuts() > 0);
    }
}
