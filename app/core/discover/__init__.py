"""Find the relay from an email address (profile, drop-in, DNS SRV, autoconfig, MX, guesses),
and prove each answer live with the probe."""
