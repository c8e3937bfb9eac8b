//! The scratch region: allocations of short-lived work (compiling and
//! rendering one template) carved by moving a pointer, and the whole of it
//! taken back at once when the work is over.
//!
//! Compiling a template builds and drops a syntax tree of thousands of small
//! nodes; glibc's malloc and free were a third of that work. Inside
//! [`scratch`], the thread's allocations come from a static region; freeing
//! the newest one moves the pointer back, freeing any other only counts it.
//! When the scope ends and everything it allocated has been freed, the
//! pointer goes back to where the scope started, so the next scope reuses
//! the same pages. What outlives its scope (a cache some library fills on
//! first use) stays where it is, untouched: the scope then keeps its bytes
//! and the next one starts above them. One thread holds the region at a
//! time; another thread inside `scratch` then allocates as usual, and any
//! thread may free a scratch allocation.

use std::alloc::Layout;
use std::cell::{Cell, UnsafeCell};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// Room for compiling and rendering one large template several times over;
/// only the pages used are ever resident.
pub(super) const SIZE: usize = 4 << 20;

#[repr(C, align(4096))]
struct Region(UnsafeCell<[u8; SIZE]>);

// SAFETY: a byte range is handed out again only once nothing allocated in
// it is live (see `scratch`), so no two owners ever share bytes.
unsafe impl Sync for Region {}

static REGION: Region = Region(UnsafeCell::new([0; SIZE]));
/// Offset of the first free byte.
static TOP: AtomicUsize = AtomicUsize::new(0);
/// Where the current scope started (everything at or above it was
/// allocated by this scope) in the high bits, and how many of those
/// allocations are not yet freed in the low [`LIVE_BITS`]: one word, so a
/// free on another thread counts against the scope it belongs to.
static STATE: AtomicU64 = AtomicU64::new(0);
const LIVE_BITS: u32 = 40;
const LIVE_MASK: u64 = (1 << LIVE_BITS) - 1;

fn mark() -> usize {
    (STATE.load(Ordering::Acquire) >> LIVE_BITS) as usize
}
/// A thread is inside [`scratch`] and owns the region.
static HELD: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// True while this thread owns the region and allocates from it.
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
}

fn base() -> usize {
    REGION.0.get() as usize
}

#[inline]
pub(super) fn contains(ptr: *mut u8) -> bool {
    (ptr as usize).wrapping_sub(base()) < SIZE
}

/// The `len` bytes above the region's top now, as (start, length).
pub(super) fn span(len: usize) -> (usize, usize) {
    let top = TOP.load(Ordering::Relaxed).min(SIZE);
    (base() + top, len.min(SIZE - top))
}

/// True when this thread's allocations come from the region now.
#[inline]
pub(super) fn active() -> bool {
    HELD.load(Ordering::Relaxed) && ACTIVE.with(Cell::get)
}

/// `layout` bytes from the region, or `None` when it is full. Only the
/// owning thread calls this.
pub(super) fn alloc(layout: Layout) -> Option<*mut u8> {
    let base = base();
    let top = TOP.load(Ordering::Relaxed);
    let start = (base + top).checked_add(layout.align() - 1)? & !(layout.align() - 1);
    let end = start.checked_add(layout.size())?;
    if end > base + SIZE {
        return None;
    }
    TOP.store(end - base, Ordering::Relaxed);
    STATE.fetch_add(1, Ordering::AcqRel);
    Some(start as *mut u8)
}

/// Frees a pointer of the region (any thread).
pub(super) fn dealloc(ptr: *mut u8, layout: Layout) {
    let offset = ptr as usize - base();
    let counted = STATE.fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
        // Outlived an earlier scope: its bytes stay where they are.
        ((state >> LIVE_BITS) as usize <= offset && state & LIVE_MASK > 0).then(|| state - 1)
    });
    if counted.is_ok() && active() && offset + layout.size() == TOP.load(Ordering::Relaxed) {
        // The newest allocation: its bytes are free again at once.
        TOP.store(offset, Ordering::Relaxed);
    }
}

/// Grows or shrinks the newest allocation where it stands, when this
/// thread owns the region and there is room; `false` otherwise.
pub(super) fn resize_in_place(ptr: *mut u8, layout: Layout, new_size: usize) -> bool {
    if !active() {
        return false;
    }
    let offset = ptr as usize - base();
    let top = TOP.load(Ordering::Relaxed);
    if offset < mark() || offset + layout.size() != top {
        return false;
    }
    match offset.checked_add(new_size) {
        Some(end) if end <= SIZE => {
            TOP.store(end, Ordering::Relaxed);
            true
        }
        _ => false,
    }
}

/// Runs `f` with this thread's allocations taken from the scratch region,
/// and takes the region back when `f` freed everything it allocated there.
/// Use it for work whose results are copied out or allocated [`outside`].
pub fn scratch<R>(f: impl FnOnce() -> R) -> R {
    if ACTIVE.with(Cell::get)
        || HELD
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
    {
        // Nested, or another thread holds it: allocate as usual.
        return f();
    }
    struct Release;
    impl Drop for Release {
        fn drop(&mut self) {
            ACTIVE.with(|a| a.set(false));
            let state = STATE.load(Ordering::Acquire);
            if state & LIVE_MASK == 0 {
                // Nothing allocated at or above the mark is live.
                TOP.store((state >> LIVE_BITS) as usize, Ordering::Relaxed);
            }
            HELD.store(false, Ordering::Release);
        }
    }
    // Everything below the top was allocated before this scope.
    STATE.store(
        (TOP.load(Ordering::Relaxed) as u64) << LIVE_BITS,
        Ordering::Release,
    );
    ACTIVE.with(|a| a.set(true));
    let _release = Release;
    f()
}

/// Runs `f` with this thread's allocations going to the system allocator,
/// for results that must outlive the [`scratch`] scope around it.
pub fn outside<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ACTIVE.with(|a| a.set(self.0));
        }
    }
    let _restore = Restore(ACTIVE.with(|a| a.replace(false)));
    f()
}

/// Bytes of the region in use now (tests check it is taken back).
#[cfg(test)]
pub(crate) fn used() -> usize {
    TOP.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` in a scratch scope that holds the region (other tests may
    /// hold it for a moment; they let go quickly).
    fn held<R>(f: impl Fn() -> R) -> R {
        loop {
            let got = scratch(|| active().then(&f));
            if let Some(r) = got {
                return r;
            }
            std::thread::yield_now();
        }
    }

    #[test]
    fn a_scope_that_frees_everything_gives_the_region_back() {
        let outside_value = Box::new([1u8; 10]);
        let (start, inside, end) = held(|| {
            let start = used();
            let v: Vec<String> = (0..300).map(|i| format!("node {i} é")).collect();
            let from_region = contains(v.as_ptr() as *mut u8);
            let kept = outside(|| vec![7u8; 64]);
            assert!(!contains(kept.as_ptr() as *mut u8));
            let sum: usize = v.iter().map(|s| s.len()).sum();
            (start, from_region && sum > 0, used())
        });
        assert!(inside, "allocations in the scope come from the region");
        assert!(end > start);
        assert!(!contains(outside_value.as_ptr() as *mut u8));
    }

    #[test]
    fn what_outlives_its_scope_is_kept_and_the_next_scope_starts_above_it() {
        let survivor = held(|| {
            let s: Vec<u64> = (0..1000).collect();
            // Growing the newest allocation in place and moving another.
            let mut grown = Vec::with_capacity(1);
            grown.extend(0..5000u32);
            let mut moved = vec![9u8; 16];
            let _other = Box::new([0u8; 32]);
            moved.extend_from_slice(&[3; 100]);
            assert_eq!(
                grown.iter().map(|&x| x as u64).sum::<u64>(),
                4999 * 5000 / 2
            );
            assert_eq!(moved.len(), 116);
            s
        });
        let next = held(|| {
            let v = vec![0xAAu8; 4096];
            let zeroed = vec![0u64; 512];
            assert!(zeroed.iter().all(|&x| x == 0), "zeroed memory after reuse");
            (v.as_ptr() as usize, v.iter().all(|&b| b == 0xAA))
        });
        if contains(survivor.as_ptr() as *mut u8) {
            assert!(next.0 > survivor.as_ptr() as usize || !contains(next.0 as *mut u8));
        }
        assert!(next.1);
        assert_eq!(survivor, (0..1000).collect::<Vec<u64>>());
        drop(survivor);
    }

    #[test]
    fn another_thread_inside_scratch_allocates_as_usual_and_may_free() {
        let (from_other, handed) = held(|| {
            let other = std::thread::spawn(|| scratch(|| vec![5u8; 100]))
                .join()
                .expect("thread");
            let handed = vec![1u32; 50];
            (contains(other.as_ptr() as *mut u8), handed)
        });
        assert!(!from_other);
        // Freed on another thread after the scope.
        std::thread::spawn(move || assert_eq!(handed.len(), 50))
            .join()
            .expect("thread");
    }
}
