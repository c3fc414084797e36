"""The core: pure Python, never Qt. Typed results and errors; the front ends call it."""
