"""deskui's shared server and its clients: one process owns the data, callers connect over a
Unix socket, and the kernel (SO_PEERCRED) says who they are.

Client-side modules (`wire`, `client`, `locate`, `cli_client`) import neither SQLAlchemy nor
Alembic nor the services, so a client starts like a bare Python program.
"""
