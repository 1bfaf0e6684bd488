"""The queue feature of the desk."""
