//! Ctrl-C during a flow: handled from the moment an [`Interrupt`] exists, so that the
//! authorization URL is never on screen while Ctrl-C would kill the process without a
//! word; a flow that is interrupted ends with exit code 130 and stores nothing.

use std::future::Future;

use crate::error::{Error, ErrorKind, Result};

pub struct Interrupt {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupt {
    pub fn new(rt: &tokio::runtime::Runtime) -> Result<Interrupt> {
        #[cfg(unix)]
        {
            let _guard = rt.enter();
            let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .map_err(|e| Error::internal(format!("cannot handle Ctrl-C: {e}")))?;
            Ok(Interrupt { signal })
        }
        #[cfg(not(unix))]
        {
            let _ = rt;
            Ok(Interrupt {})
        }
    }

    /// Resolves when Ctrl-C is pressed.
    pub async fn recv(&mut self) {
        #[cfg(unix)]
        {
            self.signal.recv().await;
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }

    /// Runs `fut` on `rt`; Ctrl-C ends it with [`interrupted`].
    pub fn run<T>(
        &mut self,
        rt: &tokio::runtime::Runtime,
        fut: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        rt.block_on(async {
            tokio::select! {
                r = fut => r,
                _ = self.recv() => Err(interrupted()),
            }
        })
    }
}

/// The error of a login ended by Ctrl-C (exit code 130).
pub fn interrupted() -> Error {
    Error::new(
        ErrorKind::Interrupted,
        "login cancelled (Ctrl-C); nothing was stored",
    )
}
