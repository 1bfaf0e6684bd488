"""The ticket feature of the desk."""
