"""The staff web desk at /desk: queues, a request's page, sign-in by one-time link."""
