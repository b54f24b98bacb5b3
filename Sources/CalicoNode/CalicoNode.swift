// CalicoNode module.
