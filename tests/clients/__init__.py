"""Helpers that drive the real mail clients (Alpine under tmux, Thunderbird headless) in tests."""
