"""Probing the relay: one port (port.py), the relay as a whole, all ports at once under one
deadline, and the recommendation (relay.py), TLS facts and trust (tls.py), and the guarded SMTP
connection that the probe and the login share (connection.py)."""
