"""The one API the desk calls: `DeskApi` (protocol.py), served in-process by `EmbeddedDeskApi`
(embedded.py) or over a connection through `codec.dispatch` / `codec.RemoteDeskApi`."""
