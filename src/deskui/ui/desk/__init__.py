"""The desk feature of the desk."""
