-- A small Firefox cookies.sqlite, schema version 17 (COOKIES_SCHEMA_VERSION in
-- netwerk/cookie/CookiePersistentStorage.cpp): expiry in milliseconds, lastAccessed,
-- creationTime and updateTime in microseconds, sameSite per nsICookie.idl
-- (0 None, 1 Lax, 2 Strict, 256 unset), no rawSameSite column (dropped in schema 15).
-- Rebuild with: rm -f cookies.sqlite && sqlite3 cookies.sqlite < cookies.sql
PRAGMA user_version = 17;

CREATE TABLE moz_cookies (
    id INTEGER PRIMARY KEY,
    originAttributes TEXT NOT NULL DEFAULT '',
    name TEXT,
    value TEXT,
    host TEXT,
    path TEXT,
    expiry INTEGER,
    lastAccessed INTEGER,
    creationTime INTEGER,
    isSecure INTEGER,
    isHttpOnly INTEGER,
    inBrowserElement INTEGER DEFAULT 0,
    sameSite INTEGER DEFAULT 0,
    schemeMap INTEGER DEFAULT 0,
    isPartitionedAttributeSet INTEGER DEFAULT 0,
    updateTime INTEGER,
    CONSTRAINT moz_uniqueid UNIQUE (name, host, path, originAttributes)
);

INSERT INTO moz_cookies (id, originAttributes, name, value, host, path, expiry, lastAccessed,
    creationTime, isSecure, isHttpOnly, inBrowserElement, sameSite, schemeMap,
    isPartitionedAttributeSet, updateTime) VALUES
-- A domain cookie (leading dot), Secure, HttpOnly, SameSite=Lax.
(1, '', 'sid', 'abc123', '.example.com', '/', 4102444800000, 1700000100000000,
    1700000000000000, 1, 1, 0, 1, 2, 0, 1700000100000000),
-- A host-only cookie (no dot), no SameSite attribute, set over http.
(2, '', 'theme', 'dark', 'www.example.com', '/app', 4102444800000, 1700000200500000,
    1700000200000000, 0, 0, 0, 256, 1, 0, 1700000200500000),
-- SameSite=Strict, a value with a space and UTF-8.
(3, '', 'cart', '3 cafés', 'shop.example.org', '/', 4102444800123, 1700000300000000,
    1700000300000000, 1, 0, 0, 2, 2, 0, 1700000300000000),
-- SameSite=None.
(4, '', 'track', 'x', '.example.net', '/', 4102444800000, 1700000400000000,
    1700000400000000, 1, 0, 0, 0, 2, 0, 1700000400000000),
-- A nameless cookie (`Set-Cookie: bare`): empty name.
(5, '', '', 'bare', 'nameless.example.com', '/', 4102444800000, 1700000500000000,
    1700000500000000, 0, 0, 0, 256, 1, 0, 1700000500000000),
-- The Partitioned attribute in the default context.
(6, '', '__Host-p', '1', 'chips.example.com', '/', 4102444800000, 1700000600000000,
    1700000600000000, 1, 1, 0, 0, 2, 1, 1700000600000000),
-- A container (userContextId=1) cookie: not the default context, skipped on import.
(7, '^userContextId=1', 'sid', 'container', '.example.com', '/', 4102444800000,
    1700000700000000, 1700000700000000, 1, 1, 0, 1, 2, 0, 1700000700000000),
-- A third-party partitioned cookie (Total Cookie Protection): skipped on import.
(8, '^partitionKey=%28https%2Cexample.org%29', 'embed', 'w', '.widgets.example', '/',
    4102444800000, 1700000800000000, 1700000800000000, 1, 0, 0, 0, 2, 1, 1700000800000000),
-- Already expired (2001-09-09): import returns it; the jar decides.
(9, '', 'old', 'gone', '.example.com', '/', 1000000000000, 999999000000000,
    999999000000000, 0, 0, 0, 256, 1, 0, 999999000000000);
