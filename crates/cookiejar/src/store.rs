//! The jar's storage: cookies indexed by domain, then path, then name, so a lookup visits only
//! the domains a request host can match. Keeps cookielib's insertion order for iteration.

use std::collections::HashMap;

/// Domain keys come from servers; foldhash is fast on short keys and seeded per map.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Pushes with at most about a quarter spare capacity: a jar holds millions of cookies in
/// small vectors, where doubling would waste up to half of every slot array.
fn push_tight<T>(v: &mut Vec<T>, item: T) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.len() / 4).max(2));
    }
    v.push(item);
}
use std::sync::Arc;

use crate::cookie::{Cookie, Scope};
use crate::domain::registrable_domain;
use crate::listener::Change;

/// The cookies stored under one domain key, grouped by path in insertion order.
#[derive(Debug, Default)]
pub(crate) struct DomainEntry {
    /// Insertion order of the domain among all domains (cookielib iterates in that order).
    seq: u64,
    pub(crate) paths: Vec<PathEntry>,
}

/// The cookies stored under one domain and path, in insertion order.
#[derive(Debug)]
pub(crate) struct PathEntry {
    /// The domain and path every cookie here shares.
    pub(crate) scope: Arc<Scope>,
    pub(crate) cookies: Vec<Cookie>,
}

/// Cookies by domain, path and name.
///
/// Like cookielib's nested dicts, emptied path and domain entries stay in place until the
/// domain is cleared, so a cookie set again keeps its old position in the `Cookie` header.
#[derive(Debug, Default)]
pub(crate) struct Store {
    domains: Map<Arc<str>, DomainEntry>,
    /// Domain keys grouped by registrable domain (eTLD+1), for per-site limits and the
    /// browser policy's Secure-overwrite check.
    sites: Map<Box<str>, Vec<Arc<str>>>,
    next_domain_seq: u64,
    next_cookie_seq: u64,
    len: usize,
    /// The changes since the last [`take_journal`](Store::take_journal), when someone listens.
    journal: Option<Vec<Change>>,
}

fn removed(cookie: &Cookie) -> Change {
    Change::Removed {
        domain: cookie.domain().to_owned(),
        path: cookie.path().to_owned(),
        name: cookie.name().to_owned(),
    }
}

/// The registrable domain a domain key belongs to, or the key itself (IPs, public suffixes).
pub(crate) fn site_of(domain: &str) -> Box<str> {
    let undotted = domain.strip_prefix('.').unwrap_or(domain);
    registrable_domain(undotted).map_or_else(
        || Box::from(undotted.to_ascii_lowercase()),
        String::into_boxed_str,
    )
}

impl Store {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Starts recording changes for [`take_journal`](Store::take_journal).
    pub(crate) fn start_journal(&mut self) {
        self.journal.get_or_insert_with(Vec::new);
    }

    /// The changes recorded since the last call (empty when not journaling).
    pub(crate) fn take_journal(&mut self) -> Vec<Change> {
        self.journal
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    fn record(&mut self, change: impl FnOnce() -> Change) {
        if let Some(j) = &mut self.journal {
            j.push(change());
        }
    }

    /// Stores `cookie`, replacing one with the same domain, path and name in place.
    /// Returns the replaced cookie. A new cookie gets the next sequence number.
    pub(crate) fn insert(&mut self, mut cookie: Cookie) -> Option<Cookie> {
        // One hash: the entry API takes the cookie's own domain Arc (no allocation).
        let (key, entry) = match self.domains.entry(Arc::clone(&cookie.scope().domain)) {
            std::collections::hash_map::Entry::Occupied(o) => {
                let key = Arc::clone(o.key());
                (key, o.into_mut())
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                let key = Arc::clone(v.key());
                self.sites
                    .entry(site_of(&key))
                    .or_default()
                    .push(Arc::clone(&key));
                self.next_domain_seq += 1;
                (
                    key,
                    v.insert(DomainEntry {
                        seq: self.next_domain_seq,
                        paths: Vec::new(),
                    }),
                )
            }
        };
        let path_entry = match entry
            .paths
            .iter()
            .position(|p| *p.scope.path == *cookie.path())
        {
            Some(i) => &mut entry.paths[i],
            None => {
                let scope = if Arc::ptr_eq(&cookie.scope().domain, &key) {
                    Arc::clone(cookie.scope())
                } else {
                    Scope::new(Arc::clone(&key), cookie.path())
                };
                push_tight(
                    &mut entry.paths,
                    PathEntry {
                        scope,
                        cookies: Vec::new(),
                    },
                );
                let last = entry.paths.len() - 1;
                &mut entry.paths[last]
            }
        };
        cookie.set_scope(Arc::clone(&path_entry.scope));
        if let Some(j) = &mut self.journal {
            j.push(Change::Stored(cookie.clone()));
        }
        match path_entry
            .cookies
            .iter_mut()
            .find(|c| c.name() == cookie.name())
        {
            Some(slot) => {
                cookie.seq = slot.seq;
                Some(std::mem::replace(slot, cookie))
            }
            None => {
                self.next_cookie_seq += 1;
                cookie.seq = self.next_cookie_seq;
                push_tight(&mut path_entry.cookies, cookie);
                self.len += 1;
                None
            }
        }
    }

    /// Looks up one cookie.
    pub(crate) fn get(&self, domain: &str, path: &str, name: &str) -> Option<&Cookie> {
        self.domains
            .get(domain)?
            .paths
            .iter()
            .find(|p| &*p.scope.path == path)?
            .cookies
            .iter()
            .find(|c| c.name() == name)
    }

    /// Removes one cookie, leaving its (possibly empty) domain and path entries in place.
    pub(crate) fn remove(&mut self, domain: &str, path: &str, name: &str) -> Option<Cookie> {
        let p = self
            .domains
            .get_mut(domain)?
            .paths
            .iter_mut()
            .find(|p| &*p.scope.path == path)?;
        let i = p.cookies.iter().position(|c| c.name() == name)?;
        let cookie = p.cookies.remove(i);
        self.len -= 1;
        self.record(|| removed(&cookie));
        Some(cookie)
    }

    /// Removes every cookie under `domain` and `path`; `false` if there was no such entry.
    pub(crate) fn remove_path(&mut self, domain: &str, path: &str) -> bool {
        let Some(entry) = self.domains.get_mut(domain) else {
            return false;
        };
        let Some(i) = entry.paths.iter().position(|p| &*p.scope.path == path) else {
            return false;
        };
        let gone = entry.paths.remove(i).cookies;
        self.len -= gone.len();
        for c in &gone {
            self.record(|| removed(c));
        }
        true
    }

    /// Removes a domain and all its cookies; `false` if there was no such entry.
    pub(crate) fn remove_domain(&mut self, domain: &str) -> bool {
        let Some((key, entry)) = self.domains.remove_entry(domain) else {
            return false;
        };
        self.len -= entry.paths.iter().map(|p| p.cookies.len()).sum::<usize>();
        for c in entry.paths.iter().flat_map(|p| p.cookies.iter()) {
            self.record(|| removed(c));
        }
        let site = site_of(&key);
        if let Some(keys) = self.sites.get_mut(&site) {
            keys.retain(|k| *k != key);
            if keys.is_empty() {
                self.sites.remove(&site);
            }
        }
        true
    }

    pub(crate) fn clear(&mut self) {
        let mut journal = self.journal.take();
        if let Some(j) = &mut journal {
            j.push(Change::Cleared);
        }
        *self = Store {
            next_domain_seq: self.next_domain_seq,
            next_cookie_seq: self.next_cookie_seq,
            journal,
            ..Store::default()
        };
    }

    /// Keeps only the cookies for which `keep` is true.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&Cookie) -> bool) {
        let mut count = 0;
        let journal = &mut self.journal;
        for entry in self.domains.values_mut() {
            for p in &mut entry.paths {
                p.cookies.retain(|c| {
                    let k = keep(c);
                    if !k {
                        count += 1;
                        if let Some(j) = journal.as_mut() {
                            j.push(removed(c));
                        }
                    }
                    k
                });
            }
        }
        self.len -= count;
    }

    /// Keeps only the cookies under `domain` for which `keep` is true.
    pub(crate) fn retain_in(&mut self, domain: &str, mut keep: impl FnMut(&Cookie) -> bool) {
        let Some(entry) = self.domains.get_mut(domain) else {
            return;
        };
        let journal = &mut self.journal;
        for p in &mut entry.paths {
            let before = p.cookies.len();
            p.cookies.retain(|c| {
                let k = keep(c);
                if let (false, Some(j)) = (k, journal.as_mut()) {
                    j.push(removed(c));
                }
                k
            });
            self.len -= before - p.cookies.len();
        }
    }

    /// The domain entries in insertion order.
    fn ordered(&self) -> Vec<(&Arc<str>, &DomainEntry)> {
        let mut all: Vec<_> = self.domains.iter().collect();
        all.sort_unstable_by_key(|(_, e)| e.seq);
        all
    }

    /// Every cookie, domains in insertion order (cookielib's iteration order).
    pub(crate) fn snapshot(&self) -> Vec<Cookie> {
        let mut out = Vec::with_capacity(self.len);
        for (_, entry) in self.ordered() {
            for p in &entry.paths {
                out.extend(p.cookies.iter().cloned());
            }
        }
        out
    }

    /// The domain keys a request to `host` (and its effective name `erhn`) could match, in
    /// insertion order: every suffix of `.host` that starts at a dot, with and without that
    /// dot, and the empty domain.
    pub(crate) fn candidate_domains(&self, host: &str, erhn: &str) -> Vec<Arc<str>> {
        let mut found: Vec<(u64, &Arc<str>)> = Vec::new();
        let mut probe = |key: &str| {
            if let Some((k, e)) = self.domains.get_key_value(key) {
                if !found.iter().any(|(_, f)| Arc::ptr_eq(f, k)) {
                    found.push((e.seq, k));
                }
            }
        };
        probe("");
        for name in [host, erhn] {
            let dotted = format!(".{name}");
            for (i, _) in dotted.match_indices('.') {
                probe(&dotted[i..]);
                probe(&dotted[i + 1..]);
            }
            if host == erhn {
                break;
            }
        }
        found.sort_unstable_by_key(|(seq, _)| *seq);
        found.into_iter().map(|(_, k)| Arc::clone(k)).collect()
    }

    pub(crate) fn domain(&self, domain: &str) -> Option<&DomainEntry> {
        self.domains.get(domain)
    }

    pub(crate) fn domain_mut(&mut self, domain: &str) -> Option<&mut DomainEntry> {
        self.domains.get_mut(domain)
    }

    /// The domain keys that share a registrable domain with `domain`.
    pub(crate) fn same_site_domains(&self, domain: &str) -> Vec<Arc<str>> {
        self.sites
            .get(&site_of(domain))
            .cloned()
            .unwrap_or_default()
    }

    /// Calls `f` on every cookie stored under any of `domains`.
    pub(crate) fn cookies_in<'a>(
        &'a self,
        domains: &'a [Arc<str>],
    ) -> impl Iterator<Item = &'a Cookie> + 'a {
        domains
            .iter()
            .filter_map(|d| self.domains.get(&**d))
            .flat_map(|e| e.paths.iter())
            .flat_map(|p| p.cookies.iter())
    }

    /// Every cookie, in no particular order.
    pub(crate) fn all(&self) -> impl Iterator<Item = &Cookie> {
        self.domains
            .values()
            .flat_map(|e| e.paths.iter())
            .flat_map(|p| p.cookies.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(domain: &str, path: &str, name: &str) -> Cookie {
        Cookie::new(name, "v", domain, path)
    }

    #[test]
    fn replace_keeps_position_and_len() {
        let mut s = Store::default();
        assert!(s.insert(c(".a.com", "/", "x")).is_none());
        assert!(s.insert(c(".a.com", "/", "y")).is_none());
        let mut x2 = c(".a.com", "/", "x");
        x2.set_value(Some("2"));
        assert!(s.insert(x2).is_some());
        assert_eq!(s.len(), 2);
        let names: Vec<_> = s
            .snapshot()
            .iter()
            .map(|c| (c.name().to_owned(), c.value().map(str::to_owned)))
            .collect();
        assert_eq!(
            names,
            vec![
                ("x".into(), Some("2".into())),
                ("y".into(), Some("v".into()))
            ]
        );
    }

    #[test]
    fn candidates_cover_dotted_and_host_only_keys() {
        let mut s = Store::default();
        for d in [
            ".a.com",
            "www.a.com",
            ".www.a.com",
            "a.com",
            ".com",
            "other.com",
            "",
        ] {
            s.insert(c(d, "/", "n"));
        }
        let got: Vec<String> = s
            .candidate_domains("www.a.com", "www.a.com")
            .iter()
            .map(|k| k.to_string())
            .collect();
        assert_eq!(
            got,
            vec![".a.com", "www.a.com", ".www.a.com", "a.com", ".com", ""]
        );
        let got = s.candidate_domains("localhost", "localhost.local");
        assert!(got.iter().all(|k| k.is_empty()));
    }

    #[test]
    fn removal_and_sites() {
        let mut s = Store::default();
        s.insert(c(".a.com", "/", "x"));
        s.insert(c("www.a.com", "/p", "y"));
        assert_eq!(s.same_site_domains("b.a.com").len(), 2);
        assert!(s.remove(".a.com", "/", "x").is_some());
        assert!(s.remove(".a.com", "/", "x").is_none());
        assert!(!s.remove_path("www.a.com", "/q"));
        assert!(s.remove_path("www.a.com", "/p"));
        assert_eq!(s.len(), 0);
        assert!(s.remove_domain(".a.com"));
        assert_eq!(s.same_site_domains("a.com").len(), 1);
        assert!(s.get("www.a.com", "/p", "y").is_none());
    }
}
