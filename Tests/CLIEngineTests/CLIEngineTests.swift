// Tests for CLIEngine.
