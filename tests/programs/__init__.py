"""Tests that drive the real mail programs, and their drivers (tmux.py: a terminal program under
tmux; headless.py: Thunderbird without a display)."""
