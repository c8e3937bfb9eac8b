//! Flushing many files at once without waiting for each in turn: every
//! `fsync` of a batch is handed to the kernel together (Linux native AIO,
//! `IOCB_CMD_FSYNC`), which runs them side by side, so the disk serves their
//! cache flushes together, and the caller works meanwhile. Where that is
//! unavailable (another OS, a kernel before 4.18, a sandbox that forbids the
//! calls), the files are flushed one by one when the batch is waited for.

use std::fs::File;
use std::io;

/// A batch of flushes under way; [`Flushes::wait`] says how it ended.
pub struct Flushes {
    files: Vec<File>,
    /// Flushes still to do one by one in `wait` (indices into `files`).
    later: std::ops::Range<usize>,
    #[cfg(all(target_os = "linux", target_endian = "little"))]
    aio: Option<aio::Batch>,
}

impl Flushes {
    /// Starts flushing (`fsync`: data and metadata) every file in `files`.
    pub fn start(files: Vec<File>) -> Flushes {
        #[cfg(all(target_os = "linux", target_endian = "little"))]
        {
            let (aio, submitted) = aio::Batch::submit(&files);
            let later = submitted..files.len();
            Flushes { files, later, aio }
        }
        #[cfg(not(all(target_os = "linux", target_endian = "little")))]
        {
            let later = 0..files.len();
            Flushes { files, later }
        }
    }

    /// Waits until every flush ended; the first failure comes back with the
    /// index of its file.
    pub fn wait(mut self) -> Result<(), (usize, io::Error)> {
        let mut result = Ok(());
        #[cfg(all(target_os = "linux", target_endian = "little"))]
        if let Some(batch) = self.aio.take() {
            result = batch.wait();
        }
        for i in self.later.clone() {
            if let Err(e) = self.files[i].sync_all() {
                return result.and(Err((i, e)));
            }
        }
        result
    }
}

/// Flushes every file in `files` at once and waits for them.
pub fn sync_all_at_once(files: Vec<File>) -> Result<(), (usize, io::Error)> {
    Flushes::start(files).wait()
}

#[cfg(all(target_os = "linux", target_endian = "little"))]
mod aio {
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;

    const IOCB_CMD_FSYNC: u16 = 2;

    /// `struct iocb` of `<linux/aio_abi.h>` on a little-endian machine.
    #[repr(C)]
    #[derive(Default)]
    struct Iocb {
        aio_data: u64,
        aio_key: u32,
        aio_rw_flags: i32,
        aio_lio_opcode: u16,
        aio_reqprio: i16,
        aio_fildes: u32,
        aio_buf: u64,
        aio_nbytes: u64,
        aio_offset: i64,
        aio_reserved2: u64,
        aio_flags: u32,
        aio_resfd: u32,
    }

    /// `struct io_event`.
    #[repr(C)]
    #[derive(Default, Clone, Copy)]
    struct IoEvent {
        data: u64,
        obj: u64,
        res: i64,
        res2: i64,
    }

    /// An AIO context with `pending` flushes submitted to it.
    pub struct Batch {
        ctx: libc::c_ulong,
        pending: usize,
    }

    impl Batch {
        /// Submits an `fsync` of each file, in order, as far as the kernel
        /// takes them; returns the batch (if any was taken) and how many.
        pub fn submit(files: &[File]) -> (Option<Batch>, usize) {
            if files.is_empty() {
                return (None, 0);
            }
            let mut ctx: libc::c_ulong = 0;
            // SAFETY: `ctx` is a writable, zeroed context id, as io_setup requires.
            let rc = unsafe {
                libc::syscall(
                    libc::SYS_io_setup,
                    files.len() as libc::c_long,
                    &mut ctx as *mut libc::c_ulong,
                )
            };
            if rc != 0 {
                return (None, 0);
            }
            let iocbs: Vec<Iocb> = files
                .iter()
                .enumerate()
                .map(|(i, f)| Iocb {
                    aio_data: i as u64,
                    aio_lio_opcode: IOCB_CMD_FSYNC,
                    aio_fildes: f.as_raw_fd() as u32,
                    ..Iocb::default()
                })
                .collect();
            let mut pointers: Vec<*const Iocb> = iocbs.iter().map(|c| c as *const Iocb).collect();
            let mut batch = Batch { ctx, pending: 0 };
            while batch.pending < files.len() {
                let rest = &mut pointers[batch.pending..];
                // SAFETY: `rest` holds valid pointers to initialised iocbs,
                // which the kernel copies before io_submit returns.
                let n = unsafe {
                    libc::syscall(
                        libc::SYS_io_submit,
                        ctx,
                        rest.len() as libc::c_long,
                        rest.as_mut_ptr(),
                    )
                };
                if n <= 0 {
                    break; // the rest is flushed one by one
                }
                batch.pending += n as usize;
            }
            let taken = batch.pending;
            (Some(batch), taken)
        }

        /// Collects every submitted flush's end.
        pub fn wait(mut self) -> Result<(), (usize, io::Error)> {
            let mut result = Ok(());
            let mut events = vec![IoEvent::default(); self.pending.max(1)];
            while self.pending > 0 {
                // SAFETY: `events` has room for `pending` events.
                let n = unsafe {
                    libc::syscall(
                        libc::SYS_io_getevents,
                        self.ctx,
                        self.pending as libc::c_long,
                        self.pending as libc::c_long,
                        events.as_mut_ptr(),
                        std::ptr::null_mut::<libc::timespec>(),
                    )
                };
                if n < 0 {
                    let e = io::Error::last_os_error();
                    if e.kind() == io::ErrorKind::Interrupted {
                        continue;
                    }
                    // Dropping the context waits for what is still under way.
                    return result.and(Err((0, e)));
                }
                for ev in &events[..n as usize] {
                    if ev.res < 0 && result.is_ok() {
                        let errno = i32::try_from(-ev.res).unwrap_or(libc::EIO);
                        result = Err((ev.data as usize, io::Error::from_raw_os_error(errno)));
                    }
                }
                self.pending -= n as usize;
            }
            result
        }
    }

    impl Drop for Batch {
        fn drop(&mut self) {
            // SAFETY: `ctx` came from io_setup; io_destroy waits for any
            // flush still under way before it returns.
            unsafe {
                libc::syscall(libc::SYS_io_destroy, self.ctx);
            }
        }
    }
}
