"""The repairs feature of the desk."""
