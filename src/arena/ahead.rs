//! Memory made present ahead of use, on the other core.
//!
//! The first write to a page of memory is a page fault: the kernel finds a
//! zeroed page and maps it, about 2 µs each on the machine measured, and a
//! `run` took about 450 of them on its own thread (the start-up region, the
//! heap, the scratch region). A helper thread asks the kernel to map the
//! pages a start is about to use (`MADV_POPULATE_WRITE`, which never
//! changes what a page holds) while the main thread parses the command
//! line and decodes the packs; the main thread then finds them mapped.
//! Where the kernel is older than 5.14 the request fails and the main
//! thread faults the pages in itself, as before.

/// Bytes of the start-up region a start decodes into (the bundled packs:
/// `detect` about 500 KiB, `run` about 560 KiB).
const STARTUP_AHEAD: usize = 576 << 10;
/// Bytes of heap a journey's session, plan and write use at their peak
/// (`run` of the largest pack: about 1 MiB).
const HEAP_AHEAD: usize = 1 << 20;
/// Of those, the bytes the session takes first, mapped before anything
/// else the helper does.
const HEAP_EARLY: usize = 256 << 10;
/// Bytes of the scratch region a plan reuses template after template.
const SCRATCH_AHEAD: usize = 128 << 10;

/// Maps the start-up region's first pages on a helper thread. Called once,
/// first thing in `main`.
pub fn startup() {
    on_helper(vec![super::startup_span(STARTUP_AHEAD)], || {}, Vec::new());
}

/// Maps the first pages of the heap a journey is about to grow into, runs
/// `then`, and maps the rest of that heap and the scratch region, on a
/// helper thread.
pub fn journey(then: impl FnOnce() + Send + 'static) {
    let scratch = super::scratch_span(SCRATCH_AHEAD);
    match grow_heap() {
        Some((start, len)) => {
            let early = len.min(HEAP_EARLY);
            on_helper(
                vec![(start, early)],
                then,
                vec![(start + early, len - early), scratch],
            );
        }
        None => on_helper(Vec::new(), then, vec![scratch]),
    }
}

/// The heap span the next allocations will be carved from, once the heap
/// has grown by [`HEAP_AHEAD`]; `None` where the settings are refused.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn grow_heap() -> Option<(usize, usize)> {
    let ahead = i32::try_from(HEAP_AHEAD).ok()?;
    // SAFETY: mallopt takes any value and says whether it took it; then a
    // malloc and free of one block of our own.
    unsafe {
        // Blocks up to 4 MiB come from the heap (and are reused there)
        // instead of a mapping of their own each, and the heap keeps up to
        // 8 MiB free at its top.
        if libc::mallopt(libc::M_MMAP_THRESHOLD, ahead.saturating_mul(4)) == 0
            || libc::mallopt(libc::M_TRIM_THRESHOLD, ahead.saturating_mul(8)) == 0
        {
            return None;
        }
        let p = libc::malloc(HEAP_AHEAD);
        if p.is_null() {
            return None;
        }
        // The block goes back to the heap's free top: the next
        // allocations are carved from it, in order.
        libc::free(p);
        Some((p as usize, HEAP_AHEAD))
    }
}

/// Other C libraries keep their own heap policy: nothing is mapped ahead.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn grow_heap() -> Option<(usize, usize)> {
    None
}

/// Starts a thread that maps the spans (start, length) of `before`, runs
/// `then`, and maps those of `after`. Nothing waits for it: the process may
/// end before it does.
fn on_helper(
    before: Vec<(usize, usize)>,
    then: impl FnOnce() + Send + 'static,
    after: Vec<(usize, usize)>,
) {
    let _ = std::thread::Builder::new()
        .name("ahead".into())
        .spawn(move || {
            for (start, len) in before {
                populate(start, len);
            }
            then();
            for (start, len) in after {
                populate(start, len);
            }
        });
}

/// Asks the kernel to map the pages of `[start, start + len)` writable;
/// false when it refused (an old kernel, memory not mapped).
#[cfg(target_os = "linux")]
fn populate(start: usize, len: usize) -> bool {
    let page = 4096;
    let first = start & !(page - 1);
    let end = start.saturating_add(len);
    if len == 0 || end <= first {
        return true;
    }
    // SAFETY: the span lies inside memory this process owns for as long as
    // it runs (a static region, or heap that malloc never gives back below
    // its trim threshold); MADV_POPULATE_WRITE only faults pages in and
    // never changes their contents. An error (an old kernel) is ignored.
    unsafe {
        libc::madvise(
            first as *mut libc::c_void,
            end - first,
            libc::MADV_POPULATE_WRITE,
        ) == 0
    }
}

/// Only Linux maps pages ahead on request.
#[cfg(not(target_os = "linux"))]
fn populate(_start: usize, _len: usize) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn populating_keeps_what_memory_holds() {
        // Spans starting and ending mid-page, one page, several, empty.
        let mut buf: Vec<u8> = (0..5 * 4096 + 123).map(|i| (i * 31 % 251) as u8).collect();
        let copy = buf.clone();
        let base = buf.as_mut_ptr() as usize;
        for (from, len) in [(0, 1), (7, 4096), (4095, 2), (100, 5 * 4096), (3, 0)] {
            assert!(populate(base + from, len), "{from} {len}");
            assert_eq!(buf, copy, "{from} {len}");
        }
    }

    #[test]
    fn the_grown_heap_is_mapped_and_allocations_still_work() {
        let (start, len) = grow_heap().expect("glibc takes the settings");
        assert_eq!(len, HEAP_AHEAD);
        assert!(populate(start, len));
        // Blocks around the old mmap threshold, written and read back.
        let blocks: Vec<Vec<u64>> = [10usize, 20_000, 200_000, 600_000]
            .iter()
            .map(|&n| (0..n as u64).collect())
            .collect();
        for (b, n) in blocks.iter().zip([10u64, 20_000, 200_000, 600_000]) {
            assert_eq!(b.iter().sum::<u64>(), n * (n - 1) / 2);
        }
        // The other spans are inside their regions.
        let (s, l) = crate::arena::scratch_span(SCRATCH_AHEAD);
        assert!(l <= SCRATCH_AHEAD && (l == 0 || crate::arena::scratch::contains(s as *mut u8)));
        let (s, l) = crate::arena::startup_span(STARTUP_AHEAD);
        assert!(l <= STARTUP_AHEAD && (l == 0 || crate::arena::in_region(s as *mut u8)));
    }
}
