"""`relay-setup check`: the setup, proved again from wherever the laptop is now.

- record.py: the last known good result, kept in the data folder (the source of truth for what
  was set up), and its fallback from the msmtp file of a setup made before the record existed.
- check.py: probe the relay again, compare with the record, log in, decide (CheckStatus).
- fix.py: move every mail program this program set up to the port that works, through the
  same safe writers as `write` (backup, journal, undo).
- notify.py: a desktop notification over D-Bus (org.freedesktop.Notifications).
- hooks.py: install or remove the systemd user units (and, as root, the NetworkManager
  dispatcher) that run `relay-setup check --quiet --notify` when the network changes.
"""
