"""The callbacks feature of the desk."""
