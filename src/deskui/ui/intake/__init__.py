"""The intake feature of the desk."""
