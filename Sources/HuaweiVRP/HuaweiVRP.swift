// HuaweiVRP module.
