//! The allocator of the binary: the system's, plus one region for what a
//! start decodes once and keeps to the end (the bundled packs, `pack::blob`),
//! and a scratch region for short-lived work ([`scratch`]).
//!
//! Decoding the packs makes about 15,000 small allocations, and glibc's
//! malloc spent a quarter of a whole `detect` process on them. Inside
//! [`scope`], allocations of that thread are carved from a static region by
//! moving a pointer, and freeing them does nothing: the packs live until the
//! process ends anyway. Everything else, on every thread, and whatever does
//! not fit once the region is full, goes to the system allocator as before.
//! The region is zero-initialised static memory, so only the pages used are
//! ever resident; what is freed from it is not reused (a registry loaded
//! again, as tests do, falls back to the system allocator once it is full).

pub mod ahead;
mod scratch;
pub use scratch::{outside, scratch};

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, UnsafeCell};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Room for the bundled packs several times over (they take about 1 MiB).
const SIZE: usize = 8 << 20;

#[repr(C, align(4096))]
struct Region(UnsafeCell<[u8; SIZE]>);

// SAFETY: bytes of the region are handed out once each (`USED` only grows),
// so no two owners ever share them.
unsafe impl Sync for Region {}

static REGION: Region = Region(UnsafeCell::new([0; SIZE]));
/// Bytes of the region handed out so far.
static USED: AtomicUsize = AtomicUsize::new(0);
/// Threads inside [`scope`] now: while none is, an allocation costs one
/// load more than the system allocator's (parsing packs from YAML makes
/// millions of them).
static SCOPES: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// True while this thread is inside [`scope`].
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with this thread's allocations taken from the region; they are
/// never freed, so use it only for what lives until the process ends.
pub fn scope<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ACTIVE.with(|a| a.set(self.0));
            SCOPES.fetch_sub(1, Ordering::Relaxed);
        }
    }
    SCOPES.fetch_add(1, Ordering::Relaxed);
    let _restore = Restore(ACTIVE.with(|a| a.replace(true)));
    f()
}

fn base() -> usize {
    REGION.0.get() as usize
}

/// The first `len` bytes of the start-up region not yet handed out, as
/// (start, length), for [`ahead`].
fn startup_span(len: usize) -> (usize, usize) {
    let used = USED.load(Ordering::Relaxed).min(SIZE);
    (base() + used, len.min(SIZE - used))
}

/// The first `len` bytes of the scratch region, for [`ahead`].
fn scratch_span(len: usize) -> (usize, usize) {
    scratch::span(len)
}

#[inline]
fn in_region(ptr: *mut u8) -> bool {
    (ptr as usize).wrapping_sub(base()) < SIZE
}

/// Bytes a thread takes from the region at a time: allocations are carved
/// from the thread's own chunk, so two threads decoding at once do not
/// contend for one counter at every allocation.
const CHUNK: usize = 64 << 10;

thread_local! {
    /// This thread's chunk of the region: offsets of its next free byte and
    /// of its end.
    static OWN: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

/// `layout` bytes from the region, or `None` when it is full.
fn bump(layout: Layout) -> Option<*mut u8> {
    let base = base();
    let (next, end) = OWN.with(Cell::get);
    let start = (base + next).checked_add(layout.align() - 1)? & !(layout.align() - 1);
    let stop = start.checked_add(layout.size())?;
    if stop <= base + end {
        OWN.with(|o| o.set((stop - base, end)));
        return Some(start as *mut u8);
    }
    // A new chunk, or one of its own for a large block.
    let want = layout.size().checked_add(layout.align())?.max(CHUNK);
    let from = claim(want)?;
    let start = (base + from).checked_add(layout.align() - 1)? & !(layout.align() - 1);
    let stop = start.checked_add(layout.size())?;
    OWN.with(|o| o.set((stop - base, from + want)));
    Some(start as *mut u8)
}

/// Offset of `len` bytes of the region taken for one thread, or `None`
/// when the region has no such room left.
fn claim(len: usize) -> Option<usize> {
    let mut used = USED.load(Ordering::Relaxed);
    loop {
        let end = used.checked_add(len)?;
        if end > SIZE {
            return None;
        }
        match USED.compare_exchange_weak(used, end, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return Some(used),
            Err(now) => used = now,
        }
    }
}

#[inline]
fn active() -> bool {
    SCOPES.load(Ordering::Relaxed) != 0 && ACTIVE.with(Cell::get)
}

/// The system allocator, with [`scope`]'s region.
pub struct StartupAlloc;

// SAFETY: region memory is handed out once, aligned and sized as asked, and
// never given back to the system allocator; every other pointer is the
// system allocator's, passed back to it unchanged.
unsafe impl GlobalAlloc for StartupAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if active() {
            if let Some(p) = bump(layout) {
                return p;
            }
        }
        if scratch::active() {
            if let Some(p) = scratch::alloc(layout) {
                return p;
            }
        }
        System.alloc(layout)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if active() {
            // The region starts zeroed and no byte of it is handed out twice.
            if let Some(p) = bump(layout) {
                return p;
            }
        }
        if scratch::active() {
            if let Some(p) = scratch::alloc(layout) {
                // Scratch bytes are reused: zero them.
                std::ptr::write_bytes(p, 0, layout.size());
                return p;
            }
        }
        System.alloc_zeroed(layout)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if scratch::contains(ptr) {
            scratch::dealloc(ptr, layout);
        } else if !in_region(ptr) {
            System.dealloc(ptr, layout);
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if scratch::contains(ptr) {
            if scratch::resize_in_place(ptr, layout, new_size) {
                return ptr;
            }
            // SAFETY: the caller guarantees a valid size for this alignment.
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                scratch::dealloc(ptr, layout);
            }
            return new;
        }
        if !in_region(ptr) {
            return System.realloc(ptr, layout, new_size);
        }
        // SAFETY: the caller guarantees a valid size for this alignment.
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let new = self.alloc(new_layout);
        if !new.is_null() {
            std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lib's tests run with this allocator (see `lib.rs`).
    #[test]
    fn scoped_allocations_come_from_the_region_and_others_do_not() {
        let outside = vec![1u8; 100];
        assert!(!in_region(outside.as_ptr() as *mut u8));
        let (inside, nested_outside) = scope(|| {
            let v: Vec<String> = (0..500).map(|i| format!("stem {i} ü")).collect();
            // Another thread inside the scope allocates as usual.
            let other = std::thread::spawn(|| vec![7u64; 10])
                .join()
                .expect("thread");
            (v, other)
        });
        // The region may be full after other tests: then nothing comes from it.
        if USED.load(Ordering::Relaxed) + 4096 < SIZE {
            assert!(in_region(inside.as_ptr() as *mut u8));
        }
        assert!(!in_region(nested_outside.as_ptr() as *mut u8));
        assert!(!active(), "the scope ends with the closure");
        for (i, s) in inside.iter().enumerate() {
            assert_eq!(s, &format!("stem {i} ü"));
        }
        // Growing and freeing region memory outside the scope moves it to
        // the system allocator and keeps the contents.
        let mut grown = inside;
        grown.extend((500..3000).map(|i| format!("stem {i} ü")));
        assert!(!in_region(grown.as_ptr() as *mut u8));
        for (i, s) in grown.iter().enumerate() {
            assert_eq!(s, &format!("stem {i} ü"));
        }
        drop(grown);
        drop(outside);
    }

    #[test]
    fn alignments_and_zeroed_memory_are_as_asked() {
        scope(|| {
            for (size, align) in [(1, 1), (3, 2), (24, 8), (100, 64), (5000, 4096), (1, 16)] {
                let layout = Layout::from_size_align(size, align).expect("layout");
                // SAFETY: non-zero sizes; each pointer is freed with its layout.
                unsafe {
                    let p = StartupAlloc.alloc_zeroed(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "{size} {align}");
                    assert!(std::slice::from_raw_parts(p, size).iter().all(|b| *b == 0));
                    StartupAlloc.dealloc(p, layout);
                }
            }
        });
    }

    #[test]
    fn a_full_region_falls_back_to_the_system_allocator() {
        let layout = Layout::from_size_align(SIZE + 1, 8).expect("layout");
        scope(|| {
            assert!(bump(layout).is_none());
            // SAFETY: a valid layout, freed with it.
            unsafe {
                let p = StartupAlloc.alloc(layout);
                assert!(!p.is_null());
                assert!(!in_region(p));
                StartupAlloc.dealloc(p, layout);
            }
        });
    }
}
