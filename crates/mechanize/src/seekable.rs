//! The buffer behind seekable responses (mechanize's `seek_wrapper`): the chunks read so far
//! and a position in them. Sans I/O: the async and blocking responses feed it from the network.

use bytes::{Bytes, BytesMut};

/// Chunks of a body kept as they arrived, with a read position. Slices handed out share the
/// chunks' memory; nothing is copied until the whole body is asked for in one piece.
#[derive(Debug, Default)]
pub(crate) struct SeekBuffer {
    chunks: Vec<Bytes>,
    /// The offset of each chunk's first byte.
    starts: Vec<usize>,
    len: usize,
    pos: usize,
    complete: bool,
}

impl SeekBuffer {
    /// A buffer holding `data` as the whole body, at position 0.
    pub(crate) fn complete(data: Bytes) -> SeekBuffer {
        let mut b = SeekBuffer::default();
        b.push(data);
        b.complete = true;
        b
    }

    /// Appends a chunk that arrived.
    pub(crate) fn push(&mut self, chunk: Bytes) {
        if chunk.is_empty() {
            return;
        }
        self.starts.push(self.len);
        self.len += chunk.len();
        self.chunks.push(chunk);
    }

    /// Marks the body as complete: nothing more will arrive.
    pub(crate) fn finish(&mut self) {
        self.complete = true;
    }

    pub(crate) fn is_complete(&self) -> bool {
        self.complete
    }

    /// How many bytes are buffered.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Moves the position (past the buffered end is allowed, as in a file).
    pub(crate) fn set_position(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// The buffered bytes from the position to the end of the chunk holding it, and moves
    /// the position past them; `None` when the position is at or past the buffered end.
    pub(crate) fn read_buffered(&mut self) -> Option<Bytes> {
        let piece = self.slice_from(self.pos, usize::MAX)?;
        self.pos += piece.len();
        Some(piece)
    }

    /// Up to `max` buffered bytes from `from`, within one chunk.
    fn slice_from(&self, from: usize, max: usize) -> Option<Bytes> {
        if from >= self.len {
            return None;
        }
        // The last chunk starting at or before `from`.
        let i = self.starts.partition_point(|&s| s <= from) - 1;
        let offset = from - self.starts[i];
        let chunk = &self.chunks[i];
        let end = chunk.len().min(offset.saturating_add(max));
        Some(chunk.slice(offset..end))
    }

    /// The buffered bytes from the position, up to `n` of them, without moving it.
    pub(crate) fn peek(&self, n: usize) -> Bytes {
        let end = self.pos.saturating_add(n).min(self.len);
        if self.pos >= end {
            return Bytes::new();
        }
        match self.slice_from(self.pos, end - self.pos) {
            Some(piece) if piece.len() == end - self.pos => piece,
            _ => self.copy(self.pos, end),
        }
    }

    /// Everything buffered, in one piece (merging the chunks, once).
    pub(crate) fn all(&mut self) -> Bytes {
        if self.chunks.len() > 1 {
            let whole = self.copy(0, self.len);
            self.chunks = vec![whole];
            self.starts = vec![0];
        }
        self.chunks.first().cloned().unwrap_or_default()
    }

    fn copy(&self, from: usize, to: usize) -> Bytes {
        let mut out = BytesMut::with_capacity(to - from);
        let mut at = from;
        while at < to {
            let Some(piece) = self.slice_from(at, to - at) else {
                break;
            };
            at += piece.len();
            out.extend_from_slice(&piece);
        }
        out.freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buffer(chunks: &[&'static str]) -> SeekBuffer {
        let mut b = SeekBuffer::default();
        for c in chunks {
            b.push(Bytes::from_static(c.as_bytes()));
        }
        b
    }

    #[test]
    fn reads_peeks_and_seeks_across_chunks() {
        let mut b = buffer(&["abc", "", "defg", "h"]);
        assert_eq!(b.len(), 8);
        assert_eq!(b.peek(5), "abcde");
        assert_eq!(b.position(), 0);
        assert_eq!(b.read_buffered().unwrap(), "abc");
        assert_eq!(b.read_buffered().unwrap(), "defg");
        b.set_position(4);
        assert_eq!(b.peek(100), "efgh");
        assert_eq!(b.read_buffered().unwrap(), "efg");
        assert_eq!(b.read_buffered().unwrap(), "h");
        assert_eq!(b.read_buffered(), None);
        b.set_position(20);
        assert_eq!(b.read_buffered(), None);
        assert_eq!(b.peek(3), "");
        assert!(!b.is_complete());
        b.finish();
        assert_eq!(b.all(), "abcdefgh");
        b.set_position(2);
        assert_eq!(b.read_buffered().unwrap(), "cdefgh", "one chunk now");
    }

    #[test]
    fn a_complete_buffer() {
        let mut b = SeekBuffer::complete(Bytes::from_static(b"xyz"));
        assert!(b.is_complete());
        assert_eq!(b.all(), "xyz");
        assert_eq!(SeekBuffer::complete(Bytes::new()).len(), 0);
    }
}
