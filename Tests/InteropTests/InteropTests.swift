// Tests for Interop.
