"""What an organisation hands out: profiles (profiles.py) and Mozilla autoconfig (autoconfig.py)."""
