"""Kaon's exceptions: the Swift side's error kind (a status code of the C ABI) picks the class,
and the Swift message (file, object, what went wrong) is the exception's text."""


class KaonError(Exception):
    """Any error Kaon's library reports; `kind` is the Swift `KaonError.Kind` name."""

    kind = "error"

    def __init__(self, message, kind=None):
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind

    def __str__(self):
        return self.message


class DamagedFileError(KaonError):
    """The file's bytes are truncated, malformed or fail to decompress."""


class UnsupportedError(KaonError, NotImplementedError):
    """Kaon cannot interpret (or cannot yet hand to Python) this class, type or compression."""


class KeyInFileError(KaonError, KeyError):
    """An object, directory or branch that was asked for does not exist (a KeyError, as in uproot)."""


class KaonFileNotFoundError(KaonError, FileNotFoundError):
    """A local file that does not exist (a FileNotFoundError, as in uproot)."""


class KaonOSError(KaonError, OSError):
    """The operating system or the network refused an operation (open, read)."""


class UsageError(KaonError, ValueError):
    """Something inconsistent was asked for (an object that is not a tree, a bad range)."""


# The C ABI's status codes (Sources/KaonCAPI/Boundary.swift, `statusCode`).
_BY_STATUS = {
    1: ("truncated", DamagedFileError),
    2: ("malformed", DamagedFileError),
    3: ("corruptCompression", DamagedFileError),
    4: ("unsupportedCompression", UnsupportedError),
    5: ("unsupported", UnsupportedError),
    6: ("notFound", KeyInFileError),
    7: ("missingBranch", KeyInFileError),
    8: ("system", KaonOSError),
    9: ("usage", UsageError),
}


def error_for(status, message):
    """The exception for a status code and the Swift message."""
    kind, cls = _BY_STATUS.get(status, ("error", KaonError))
    return cls(message, kind)
