//! Whether a second thread would run now: a run hands independent work
//! (compiling templates and the validation's regexes, waiting for a flush)
//! to another thread only while a core is idle. On a busy machine a new
//! thread waits its turn for a core, and the run would wait for it at the
//! join: measured on the 2-core VM at load 7, the threads made `run`'s
//! median 3–4 ms slower instead of faster.

use std::sync::OnceLock;

/// True when this process may use a second core: more than one core is
/// allowed and, at the first call, fewer tasks are running than cores
/// (this thread counts as one). Decided once per process.
pub fn spare_core() -> bool {
    static SPARE: OnceLock<bool> = OnceLock::new();
    *SPARE.get_or_init(|| {
        let cores = allowed_cores();
        cores > 1 && running_tasks().is_none_or(|running| running < cores)
    })
}

/// Cores this process may run on.
fn allowed_cores() -> usize {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `set` is a plain bit set the call fills in; its size is
        // passed along.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0 {
                return usize::try_from(libc::CPU_COUNT(&set)).unwrap_or(1);
            }
        }
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Tasks running or ready to run on the whole machine now (the fourth field
/// of `/proc/loadavg`, `running/total`); `None` where it cannot be read.
fn running_tasks() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    parse_running(&text)
}

fn parse_running(loadavg: &str) -> Option<usize> {
    let field = loadavg.split_whitespace().nth(3)?;
    field.split_once('/')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_count_is_the_fourth_fields_first_number() {
        assert_eq!(parse_running("7.00 7.12 7.14 9/136 8218\n"), Some(9));
        assert_eq!(parse_running("0.00 0.01 0.05 1/80 12"), Some(1));
        for bad in ["", "1 2 3", "1 2 3 x/80 1", "1 2 3 /80 1", "1 2 3 12 1"] {
            assert_eq!(parse_running(bad), None, "{bad:?}");
        }
    }
}
