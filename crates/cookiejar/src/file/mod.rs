//! Cookie files: the `FileCookieJar` contract (save, load, revert; cookielib's `FileCookieJar`)
//! over pluggable formats, with atomic saves and loads that never half-apply.

use std::fmt::Debug;
use std::io::{self, BufWriter, Write};
use std::ops::Deref;
use std::path::{Path, PathBuf};

use crate::cookie::Cookie;
use crate::error::{Error, Result};
use crate::jar::CookieJar;

mod lwp;
mod mozilla;

pub use lwp::{LWPCookieJar, Lwp};
pub use mozilla::{Mozilla, MozillaCookieJar};

mod msie;
pub use msie::{MSIECookieJar, Msie};

mod sqlite;
pub use sqlite::{Durability, SqliteCookieJar};

mod firefox;
pub use firefox::{export_firefox, import_firefox};

/// A cookie file format: how cookies are written to, and read from, a file.
///
/// The formats of this crate are [`Mozilla`] (`cookies.txt`), [`Lwp`] (`Set-Cookie3`) and
/// [`Msie`] (Internet Explorer, read only). A format only converts; [`FileCookieJar`] does the
/// file handling (atomic saves, filtering session and expired cookies, error context).
pub trait CookieFormat: Debug + Default + Send + Sync {
    /// The format's name, for messages (`"Mozilla cookies.txt"`).
    fn name(&self) -> &'static str;

    /// Writes `cookies` (already filtered by the caller) in this format. Attributes the
    /// format cannot hold are dropped with a `tracing` WARN naming the cookies
    /// (see [`warn_dropped`]).
    fn write(&self, cookies: &[Cookie], out: &mut dyn Write) -> io::Result<()>;

    /// Parses a whole file's bytes. `path` is for error messages: a format error is an
    /// [`Error::Load`] with the line where it was found.
    fn read(&self, bytes: &[u8], path: &Path) -> Result<Vec<Cookie>>;

    /// Reads the cookies stored at `path`: by default the file's bytes through
    /// [`read`](Self::read). Formats stored as folders override this.
    fn read_path(&self, path: &Path) -> Result<Vec<Cookie>> {
        let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
        self.read(&bytes, path)
    }
}

/// Logs, at WARN, that `attribute` of these cookies cannot be written in `format` and was
/// dropped. Does nothing when no cookie is named.
pub fn warn_dropped<'a>(
    format: &str,
    attribute: &str,
    cookies: impl IntoIterator<Item = &'a Cookie>,
) {
    let names: Vec<String> = cookies
        .into_iter()
        .map(|c| format!("{}@{}{}", c.name(), c.domain(), c.path()))
        .collect();
    if !names.is_empty() {
        tracing::warn!(format, attribute, cookies = %names.join(", "), "attribute dropped: the format cannot hold it");
    }
}

/// The cookies a format can write; the others are left out with a WARN saying `why`.
pub fn writable_cookies<'a>(
    format: &str,
    cookies: &'a [Cookie],
    can_write: impl Fn(&Cookie) -> bool,
    why: &str,
) -> Vec<&'a Cookie> {
    let (writable, unwritable): (Vec<&Cookie>, Vec<&Cookie>) =
        cookies.iter().partition(|c| can_write(c));
    warn_dropped(format, why, unwritable.iter().copied());
    writable
}

/// Writes a file atomically: into a temporary file in the same folder (mode 0600 on Unix),
/// flushed and synced, then renamed over `path`. If anything fails, `path` is left as it was
/// and the temporary file is removed.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".cookiejar-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file for", path, e))?;
    {
        let mut out = BufWriter::new(tmp.as_file_mut());
        write(&mut out).map_err(|e| Error::io("write", path, e))?;
        out.flush().map_err(|e| Error::io("write", path, e))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io("sync", path, e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    // Make the rename itself durable where the platform allows opening a folder.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// A [`CookieJar`] tied to a cookie file: cookielib's `FileCookieJar`.
///
/// It derefs to its jar, so every jar method works on it. `save`, `load` and `revert` take
/// an optional file name (the default one otherwise) and cookielib's `ignore_discard` /
/// `ignore_expires` switches: session and expired cookies are neither saved nor loaded unless
/// asked. Saves are atomic ([`write_atomically`]); `load` adds to the jar (replacing cookies
/// with the same domain, path and name) and `revert` replaces its contents, and both parse the
/// whole file before touching the jar, so a failed load or revert leaves it exactly as it was.
///
/// ```
/// use cookiejar::file::{MozillaCookieJar, FileCookieJar};
/// use cookiejar::Cookie;
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("cookies.txt");
/// let jar = MozillaCookieJar::new().with_filename(&path);
/// let mut c = Cookie::new("sid", "42", ".example.com", "/");
/// c.set_expires(Some(4_102_444_800));
/// c.set_discard(false);
/// jar.set_cookie(c);
/// jar.save(None, false, false).unwrap();
///
/// let again = MozillaCookieJar::new();
/// again.load(Some(&path), false, false).unwrap();
/// assert_eq!(again.len(), 1);
/// ```
#[derive(Debug)]
pub struct FileCookieJar<F: CookieFormat> {
    jar: CookieJar,
    filename: Option<PathBuf>,
    delayload: bool,
    format: F,
}

impl<F: CookieFormat> Default for FileCookieJar<F> {
    fn default() -> Self {
        FileCookieJar::new()
    }
}

impl<F: CookieFormat> Deref for FileCookieJar<F> {
    type Target = CookieJar;
    fn deref(&self) -> &CookieJar {
        &self.jar
    }
}

impl<F: CookieFormat> FileCookieJar<F> {
    /// An empty jar (default policy) with no default file name.
    pub fn new() -> Self {
        FileCookieJar::with_jar(CookieJar::new())
    }

    /// Wraps an existing jar (keeping its policy, clock and cookies).
    pub fn with_jar(jar: CookieJar) -> Self {
        FileCookieJar {
            jar,
            filename: None,
            delayload: false,
            format: F::default(),
        }
    }

    /// Sets the default file name used when `save`, `load` or `revert` get none.
    pub fn with_filename(mut self, filename: impl AsRef<Path>) -> Self {
        self.filename = Some(filename.as_ref().to_path_buf());
        self
    }

    /// Sets cookielib's `delayload` hint: the caller prefers loading to wait until cookies
    /// are needed. Loading here always happens when `load` is called; the hint is kept for
    /// callers (and formats) that act on it.
    pub fn with_delayload(mut self, delayload: bool) -> Self {
        self.delayload = delayload;
        self
    }

    /// The default file name.
    pub fn filename(&self) -> Option<&Path> {
        self.filename.as_deref()
    }

    /// The `delayload` hint.
    pub fn delayload(&self) -> bool {
        self.delayload
    }

    /// The format.
    pub fn format(&self) -> &F {
        &self.format
    }

    /// The jar.
    pub fn jar(&self) -> &CookieJar {
        &self.jar
    }

    /// The jar, without the file.
    pub fn into_jar(self) -> CookieJar {
        self.jar
    }

    fn path<'a>(&'a self, filename: Option<&'a Path>) -> Result<&'a Path> {
        filename
            .or(self.filename.as_deref())
            .ok_or(Error::NoFilename)
    }

    fn keep(&self, ignore_discard: bool, ignore_expires: bool) -> impl Fn(&Cookie) -> bool {
        let now = self.jar.now();
        move |c: &Cookie| (ignore_discard || !c.discard()) && (ignore_expires || !c.is_expired(now))
    }

    /// Writes the jar's cookies to `filename` (or the default file), atomically.
    pub fn save(
        &self,
        filename: Option<&Path>,
        ignore_discard: bool,
        ignore_expires: bool,
    ) -> Result<()> {
        let path = self.path(filename)?;
        let keep = self.keep(ignore_discard, ignore_expires);
        let cookies: Vec<Cookie> = self.jar.iter().filter(|c| keep(c)).collect();
        write_atomically(path, |out| self.format.write(&cookies, out))
    }

    fn read(
        &self,
        filename: Option<&Path>,
        ignore_discard: bool,
        ignore_expires: bool,
    ) -> Result<Vec<Cookie>> {
        let path = self.path(filename)?;
        let keep = self.keep(ignore_discard, ignore_expires);
        let mut cookies = self.format.read_path(path)?;
        cookies.retain(|c| keep(c));
        Ok(cookies)
    }

    /// Adds the cookies stored in `filename` (or the default file) to the jar; loaded
    /// cookies replace those with the same domain, path and name.
    pub fn load(
        &self,
        filename: Option<&Path>,
        ignore_discard: bool,
        ignore_expires: bool,
    ) -> Result<()> {
        let cookies = self.read(filename, ignore_discard, ignore_expires)?;
        self.jar.set_cookies(cookies);
        Ok(())
    }

    /// Replaces the jar's contents with the cookies stored in `filename` (or the default
    /// file). On any error the jar is exactly as it was.
    pub fn revert(
        &self,
        filename: Option<&Path>,
        ignore_discard: bool,
        ignore_expires: bool,
    ) -> Result<()> {
        let cookies = self.read(filename, ignore_discard, ignore_expires)?;
        self.jar.replace_all(cookies);
        Ok(())
    }
}
