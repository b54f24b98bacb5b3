// Tests for the vendor personalities.
