// Tests for CalicoNode.
