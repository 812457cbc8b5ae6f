"""The ARM service: the operations of each resource type with Azure's semantics (validation, what a
PUT keeps, long-running operation records, errors as ARM error bodies). Both front doors (`cli/`, and
the HTTPS `serve/`) call only this package and `vmss_cli.errors`; the contract is docs/service-api.md
(README "Architecture").

Every function takes the invocation context (service.context.Context) first and opens its own store
transaction: read-only for GET/list, one locked read-modify-write for everything else, committed only
when the call succeeds. Documents come back in ARM form; the CLI renders them in az's form.
"""
