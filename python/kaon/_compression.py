"""Compression settings for writing, with uproot's names: `kaon.ZLIB(level)`, `kaon.LZMA(level)`,
`kaon.LZ4(level)`, `kaon.ZSTD(level)`; `compression=None` stores objects uncompressed.

Kaon's library takes a setting as text (`zstd:5`, `none`); these classes only carry the
algorithm and level to it (the level range is checked there, with the message naming it).
uproot's own compression objects are accepted too, by their class name and `level`."""


class Compression:
    """An algorithm and a level (0 stores uncompressed)."""

    algorithm = None

    def __init__(self, level):
        self.level = int(level)

    def __repr__(self):
        return f"{type(self).__name__}({self.level})"

    def __eq__(self, other):
        return type(self) is type(other) and self.level == other.level

    def __hash__(self):
        return hash((type(self).__name__, self.level))


class ZLIB(Compression):
    """zlib (ROOT's algorithm 1); levels 1–9. uproot's and ROOT's default is ZLIB(1)."""

    algorithm = "zlib"


class LZMA(Compression):
    """LZMA (ROOT's algorithm 2); levels 1–9."""

    algorithm = "lzma"


class LZ4(Compression):
    """LZ4 (ROOT's algorithm 4); levels 1–9."""

    algorithm = "lz4"


class ZSTD(Compression):
    """Zstandard (ROOT's algorithm 5); levels 1–22."""

    algorithm = "zstd"


_BY_NAME = {cls.__name__: cls.algorithm for cls in (ZLIB, LZMA, LZ4, ZSTD)}


def setting_text(compression):
    """The text form Kaon's library parses (`zlib:1`, `none`) of a compression argument: None,
    one of these classes (or uproot's of the same names), or ROOT's integer code (`505`)."""
    if compression is None:
        return "none"
    if isinstance(compression, int) and not isinstance(compression, bool):
        return str(compression)
    algorithm = _BY_NAME.get(type(compression).__name__)
    if algorithm is None or not hasattr(compression, "level"):
        raise TypeError(f"compression={compression!r} is not None, kaon.ZLIB/LZMA/LZ4/ZSTD(level) or a ROOT code such as 505")
    return "none" if int(compression.level) == 0 else f"{algorithm}:{int(compression.level)}"
