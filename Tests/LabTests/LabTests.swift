// Tests for Lab.
