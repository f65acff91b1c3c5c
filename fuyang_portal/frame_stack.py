"""Each request served on one reserved stretch of the interpreter's frame stack.

CPython 3.11 keeps a thread's Python frames in chunks of 16 KiB and gives a chunk back to the system as soon as the
call that opened it returns (python/cpython#142183, fixed from 3.13 by keeping one spare chunk). A page whose template
rendering goes up and down across a chunk's edge maps and unmaps that chunk every time: the firm list did so 1,200
times a page, 9 ms of system time (page faults) out of 28.

A call whose frame is large makes the interpreter open one chunk big enough for it: a frame of 8,000 slots (64 KiB)
gets a chunk of 128 KiB, and the request's own frames fill the 64 KiB left after it. The chunk is mapped once per
request instead.
"""

RESERVED_SLOTS = 8000


def _call(function, *args):
    return function(*args)


# The same function with RESERVED_SLOTS more local variables, never used: only its frame's size changes.
_call.__code__ = _call.__code__.replace(
    co_varnames=_call.__code__.co_varnames + tuple(f"_reserved_{i}" for i in range(RESERVED_SLOTS)),
    co_nlocals=_call.__code__.co_nlocals + RESERVED_SLOTS,
)
call_on_reserved_stack = _call


def on_reserved_stack(application):
    """The WSGI ``application``, each request called on a reserved stretch of the frame stack."""

    def wsgi(environ, start_response):
        return call_on_reserved_stack(application, environ, start_response)

    return wsgi
