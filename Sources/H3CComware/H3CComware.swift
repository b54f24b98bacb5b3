// H3CComware module.
