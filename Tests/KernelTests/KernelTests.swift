// Tests for Kernel.
