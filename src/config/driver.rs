//! The one loop that reads configuration files and resolves their `extends` chain,
//! for both front ends: the CLI reads files on disk, the App reads them from GitHub.
//! Each passes a [`Fetcher`]; the loop, the code frames of errors and the four
//! outcomes ([`Loaded`]) are the same for both.
//!
//! The loop is `async` so the App can await GitHub; the CLI's fetcher answers at
//! once, and [`load_sync`] drives it without a runtime. Nothing here does IO.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::{Chain, CompiledConfig, ConfigError, Pending, Source};

/// Reads configuration files for [`load_with`].
pub trait Fetcher {
    /// Why a file that may exist could not be read (an IO or GitHub error).
    type Error;

    /// The text of `source`: `Ok(None)` when it does not exist. [`Source::org`] is
    /// the organisation's file, wherever the front end finds it.
    fn fetch(
        &mut self,
        source: &Source,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send;

    /// What to say when `extends: org` finds no organisation file; the chain adds
    /// "using the recommended preset in its place".
    fn org_unavailable(&self) -> String;
}

/// The outcome of reading the configuration, one case per thing a front end does
/// differently.
#[derive(Debug)]
pub enum Loaded<E> {
    /// None of the candidate files exists: the front end applies its default.
    Missing,
    /// A file could not be read; `source` names it.
    Unreadable { source: Source, error: E },
    /// A file is invalid: exit 2 (CLI) or a failing check run (App).
    Invalid(Invalid),
    /// Usable. `source` is the candidate it started from; notes (such as
    /// "cannot see the organisation's file") are in `config.notes`.
    Valid {
        config: CompiledConfig,
        source: Source,
    },
}

/// An invalid configuration and the text of the file the error is in (for the
/// code frame; `None` for a built-in preset's text or a file never read).
#[derive(Debug)]
pub struct Invalid {
    pub error: ConfigError,
    pub text: Option<String>,
}

/// Read the first of `candidates` that exists and resolve its `extends` chain.
pub async fn load_with<F: Fetcher>(candidates: &[Source], fetcher: &mut F) -> Loaded<F::Error> {
    let (first, text) = match first_existing(candidates, fetcher).await {
        Ok(Some(found)) => found,
        Ok(None) => return Loaded::Missing,
        Err(stop) => return stop.into_loaded(&[]),
    };
    let mut texts = vec![(first.display(), text.clone())];
    match resolve(first.clone(), &text, fetcher, &mut texts).await {
        Ok(config) => Loaded::Valid {
            config,
            source: first,
        },
        Err(stop) => stop.into_loaded(&texts),
    }
}

/// [`load_with`] for fetchers whose futures are ready at once (files on disk).
pub fn load_sync<F: Fetcher>(candidates: &[Source], fetcher: &mut F) -> Loaded<F::Error> {
    block_on(load_with(candidates, fetcher))
}

/// Resolve a chain from a text already read; `read` answers for the files it
/// extends (`None`: does not exist; for [`Pending::Org`], cannot be seen).
pub fn load(
    first: Source,
    text: &str,
    read: &mut dyn FnMut(&Pending) -> Option<String>,
) -> Result<CompiledConfig, ConfigError> {
    let mut fetcher = Callback(read);
    match block_on(resolve(first, text, &mut fetcher, &mut Vec::new())) {
        Ok(config) => Ok(config),
        Err(Stop::Invalid(error)) => Err(error),
        Err(Stop::Unreadable(_, never)) => match never {},
    }
}

/// Why resolving stopped early.
enum Stop<E> {
    Invalid(ConfigError),
    Unreadable(Source, E),
}

impl<E> From<ConfigError> for Stop<E> {
    fn from(error: ConfigError) -> Self {
        Stop::Invalid(error)
    }
}

impl<E> Stop<E> {
    /// `texts`: `(name errors use, text)` of every file read, for the code frame.
    fn into_loaded(self, texts: &[(String, String)]) -> Loaded<E> {
        match self {
            Stop::Unreadable(source, error) => Loaded::Unreadable { source, error },
            Stop::Invalid(error) => {
                let text = texts
                    .iter()
                    .find(|(name, _)| *name == error.pos.file)
                    .map(|(_, text)| text.clone());
                Loaded::Invalid(Invalid { error, text })
            }
        }
    }
}

async fn first_existing<F: Fetcher>(
    candidates: &[Source],
    fetcher: &mut F,
) -> Result<Option<(Source, String)>, Stop<F::Error>> {
    for source in candidates {
        match fetcher.fetch(source).await {
            Ok(Some(text)) => return Ok(Some((source.clone(), text))),
            Ok(None) => {}
            Err(error) => return Err(Stop::Unreadable(source.clone(), error)),
        }
    }
    Ok(None)
}

/// Follow `extends` from `first` to a built-in preset, reading each file the chain
/// asks for, then merge and compile. Every text read is added to `texts`.
async fn resolve<F: Fetcher>(
    first: Source,
    text: &str,
    fetcher: &mut F,
    texts: &mut Vec<(String, String)>,
) -> Result<CompiledConfig, Stop<F::Error>> {
    // Every input of the compile, for the memo: each file's name and text, and
    // what was said of the organisation's file when it could not be seen.
    // Sources with their scope: a local and a repository file display alike.
    let mut key = [format!("{first:?}").as_str(), "\0", text].concat();
    let mut chain = Chain::start(first, text)?;
    while let Some(pending) = chain.pending()? {
        let source = match &pending {
            Pending::Org => Source::org(),
            Pending::File(source) => source.clone(),
        };
        match fetcher.fetch(&source).await {
            Ok(Some(text)) => {
                for part in ["\0", &format!("{source:?}"), "\0", &text] {
                    key.push_str(part);
                }
                texts.push((source.display(), text.clone()));
                chain.push(source, &text)?;
            }
            Ok(None) if pending == Pending::Org => {
                let said = fetcher.org_unavailable();
                for part in ["\0(org unavailable)\0", &said] {
                    key.push_str(part);
                }
                chain.org_unavailable(&said)?;
            }
            Ok(None) => return Err(chain.missing(&source).into()),
            Err(error) => return Err(Stop::Unreadable(source, error)),
        }
    }
    Ok(super::memo::compiled(key, || chain.compile())?)
}

/// The fetcher of [`load`]: a synchronous callback that cannot fail.
struct Callback<'a>(&'a mut dyn FnMut(&Pending) -> Option<String>);

impl Fetcher for Callback<'_> {
    type Error = std::convert::Infallible;

    fn fetch(
        &mut self,
        source: &Source,
    ) -> impl Future<Output = Result<Option<String>, Self::Error>> + Send {
        let pending = if *source == Source::org() {
            Pending::Org
        } else {
            Pending::File(source.clone())
        };
        std::future::ready(Ok((self.0)(&pending)))
    }

    fn org_unavailable(&self) -> String {
        "cannot see the organisation's lint-pr.yml (`extends: org`)".into()
    }
}

/// Run `future` to completion on this thread, sleeping while it waits. Enough for
/// futures that need no runtime (such as the CLI's reads from disk).
fn block_on<T>(future: impl Future<Output = T>) -> T {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(value) => return value,
            Poll::Pending => std::thread::park(),
        }
    }
}
