"""The one setup flow that every front end (wizard, `apply`, `demo`, `login`, `send-test`,
`write`) drives; the front ends only gather input, show progress and word the results.

- setting.py: the one construction of a RelaySetting (from a probed port, with the pin rule and
  a profile's binds; or from typed values, with the port/TLS defaults).
"""
