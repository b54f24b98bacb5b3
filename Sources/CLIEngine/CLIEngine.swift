// CLIEngine module: see the module map in README.md.
