"""Background tasks for certificates; each one calls a service and holds no logic of its own."""
