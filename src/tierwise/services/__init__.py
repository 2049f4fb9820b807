"""The services the facade hands out, one job each (see :class:`tierwise.Workspace`).

Each service is bound to the facade's actor: it checks the actor's role before it acts and
narrows every read to the actor's scope. Front ends never check roles themselves.
"""
