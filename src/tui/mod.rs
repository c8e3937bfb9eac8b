//! The full-screen app. One tokio loop reads crossterm's event stream and
//! redraws only after an event changed something, so an idle app uses no
//! CPU. The terminal is restored by a guard on every way out, and by the
//! panic hook when something goes wrong.

pub mod action;
pub mod app;
pub mod colours;
mod hangup;
pub mod keymap;
pub mod paint;
pub mod screens;
pub mod theme;
pub mod ui;

use futures_util::StreamExt;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    EventStream,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::path::PathBuf;
use std::sync::Arc;

pub use app::{App, Exit, Options};
pub use keymap::Keymap;
pub use theme::Theme;

use crate::pack::Registry;
use paint::Painter;

/// The user's config folder (`~/.config/skillchain` on Linux), where
/// `keymap.yaml`, `themes/`, `skillchains/` and preferences live.
pub fn config_dir() -> Option<PathBuf> {
    crate::store::Locations::from_os().ok().map(|l| l.config)
}

/// Raw mode, alternate screen, mouse and paste while alive; all undone on drop.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as the shell expects it; safe to call twice.
fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// How the app ended: the exit to report, and whether the terminal was
/// gone by then (closed window, lost connection), so there is no screen
/// left to print the goodbye on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ended {
    pub exit: Exit,
    pub terminal_gone: bool,
}

/// Runs the app until the user leaves; returns how it ended. `load` reads
/// the packs on another thread while the first frame is drawn.
pub fn run<F>(load: F, opts: Options, theme: Theme, keymap: Keymap) -> io::Result<Ended>
where
    F: FnOnce() -> Result<Registry, String> + Send + 'static,
{
    let app = App::starting(opts, theme, keymap);
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(load().map(Arc::new));
    });
    install_panic_hook();
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let ended = rt.block_on(event_loop(app, rx, &mut terminal, Painter::new()));
    // ratatui shows the cursor again when the terminal is dropped and
    // prints (with a panicking `eprintln!`) when that fails, as it does on a
    // terminal that is gone; the guard restores what can be restored.
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
    ended
}

async fn event_loop(
    mut app: App,
    mut packs: tokio::sync::oneshot::Receiver<Result<Arc<Registry>, String>>,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    mut painter: Painter,
) -> io::Result<Ended> {
    let mut loading = true;
    let mut events = EventStream::new();
    let mut closing = Closing::new()?;
    let mut hangup = hangup::watch();
    let mut watching = true;
    if painter.draw(terminal, |f| ui::draw(f, &mut app)).is_err() {
        return Ok(gone(&mut app));
    }
    loop {
        // Signals and the hang-up first: once the terminal is gone, reading
        // its events never returns, so it must not be polled again.
        let dirty = tokio::select! {
            biased;
            signal = closing.recv() => {
                app.flush_saves();
                return Ok(match signal {
                    Signal::HangUp => gone(&mut app),
                    Signal::Stop => Ended { exit: app.interrupted(), terminal_gone: false },
                });
            }
            seen = &mut hangup, if watching => {
                watching = false;
                if seen.is_ok() {
                    return Ok(gone(&mut app));
                }
                false
            }
            result = &mut packs, if loading => {
                loading = false;
                app.loaded(result.unwrap_or_else(|_| Err("the packs could not be loaded".to_string())));
                true
            }
            ev = events.next() => match ev {
                Some(Ok(e)) => {
                    // What the terminal already sent is read with it: keys
                    // that arrive together are a paste or typed-ahead input.
                    // (Polled once with this task's own waker: crossterm
                    // keeps the waker of a pending poll, so a throwaway one
                    // would leave the loop deaf.) A read error ends the batch;
                    // the next read reports the terminal gone.
                    let mut batch = vec![e];
                    while let Some(Some(Ok(more))) =
                        futures_util::future::poll_immediate(events.next()).await
                    {
                        batch.push(more);
                    }
                    app.handle_batch(batch)
                }
                // The terminal cannot be read any more: it is gone.
                Some(Err(_)) | None => return Ok(gone(&mut app)),
            },
        };
        if dirty {
            if painter.draw(terminal, |f| ui::draw(f, &mut app)).is_err() {
                return Ok(gone(&mut app));
            }
            // The answer was saved before the frame; now it reaches the disk.
            let _busy = hangup::Busy::enter();
            app.flush_saves();
        }
        if app.write_requested {
            {
                let _busy = hangup::Busy::enter();
                app.run_requested_write();
            }
            if painter.draw(terminal, |f| ui::draw(f, &mut app)).is_err() {
                return Ok(gone(&mut app));
            }
        }
        if let Some(exit) = app.exit.take() {
            return Ok(Ended {
                exit,
                terminal_gone: false,
            });
        }
    }
}

/// The terminal went away under the app: what is saved reaches the disk and
/// the app ends as if interrupted.
fn gone(app: &mut App) -> Ended {
    app.flush_saves();
    Ended {
        exit: app.interrupted(),
        terminal_gone: true,
    }
}

/// Why the app is asked to stop from outside.
enum Signal {
    /// SIGHUP: the terminal closed.
    HangUp,
    /// SIGTERM or SIGINT (`kill -INT` from another shell; Ctrl-C in the app
    /// is a key, since the terminal is raw).
    Stop,
}

/// The terminal closing under the app (SIGHUP) or a request to stop
/// (SIGTERM, SIGINT). The session is already saved; the loop just ends.
struct Closing {
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl Closing {
    fn new() -> io::Result<Closing> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Closing {
                hangup: signal(SignalKind::hangup())?,
                terminate: signal(SignalKind::terminate())?,
                interrupt: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Closing {})
    }

    async fn recv(&mut self) -> Signal {
        #[cfg(unix)]
        tokio::select! {
            _ = self.hangup.recv() => Signal::HangUp,
            _ = self.terminate.recv() => Signal::Stop,
            _ = self.interrupt.recv() => Signal::Stop,
        }
        #[cfg(not(unix))]
        std::future::pending::<Signal>().await
    }
}
