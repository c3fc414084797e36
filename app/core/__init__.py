"""The core: pure Python, never Qt, never a front end (app/gui, app/commands). Typed results and
errors; the front ends call it.

The ground floor: small modules that import nothing heavy (no smtplib, ssl, keyring,
cryptography or aiosmtpd when loaded), so the CLI can load them at start and any other module
can use them without a cycle:

- appdirs: the app's data folder (paths) and the private CA copied there
- atomicfile: which files may be read and replaced, and replacing one atomically
- cafile: the one check of a private CA (its heavy checks are imported when run)
- failures: why a run failed (Failure) and the login/send error kinds, with the table between
- localfiles: reading a named file without trusting it to be small and regular
- results: the probe's typed results (PortStatus, Verdict, ...)
- text: words for a person, marked for translation; the next step (Remedy) left to a front end
- values: the gate every host, user and path passes before a client's format sees it

tests/test_layers.py holds the same list and checks it, with the import graph of app/.
"""
