//! Cookie files chosen by extension (`.txt` Mozilla/curl, `.lwp` Set-Cookie3, `.sqlite`):
//! loaded before a command, saved atomically after it.
