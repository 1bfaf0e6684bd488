"""Use-cases: the only writers. Each call is one transaction, version-checked and audited."""
