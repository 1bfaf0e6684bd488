"""The kpis feature of the desk."""
