// Tests for Calico.
