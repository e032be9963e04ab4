"""GCM objective tracker: domain package (reference data, storage, services, queries, charts)."""
