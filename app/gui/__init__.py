"""The desktop wizard: PySide6 only, a thin front end over app.core."""
