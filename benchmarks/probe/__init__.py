"""The parts of the issue 17 probe (benchmarks/security_probe.py runs them): the server and its
database, a browser over HTTP, the world it logs in to, the races, the headers, the erasure and
the fuzzer, and the phases that run them against one database."""


class ProbeError(RuntimeError):
    """The probe itself could not go on (not a figure of the app)."""
