"""The desk's business calendar: a month view with the CLI's legend; supervisors and admins
mark days (holiday, working day, clear), everyone else reads."""
