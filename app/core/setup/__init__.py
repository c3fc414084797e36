"""The one setup flow that every front end (wizard, `apply`, `demo`, `login`, `send-test`,
`write`) drives; the front ends only gather input, show progress and word the results.

- setting.py: every RelaySetting is made here: from a probed port (the pin rule, a profile's
  binds) or from typed values (the port and TLS defaults); `held_to` judges one port by a profile.
- steps.py: the steps (judge the probe, login, keyring, test message, one mail client), each a
  public function returning a StepReport or raising StepFailed; StepStatus.
- ca.py: the organisation's CA copied into the app's data folder (a file or a profile's PEM).
- clients.py: the mail programs for the wizard: survey (detect and plan each, reading only),
  write the chosen plans, undo; per client, one failing never stops the others.
- apply.py: the unattended run of a profile (`relay-setup apply`): the steps in order, stopping
  at the first failure, with an on_step callback for progress.
"""
