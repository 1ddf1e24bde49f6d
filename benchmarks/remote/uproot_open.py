"""How the uproot side of the remote benchmark opens a file or URL.

root:// goes through uproot's own `XRootDSource` (XRootD's Python bindings, the XrdCl that
Kaon uses too): uproot's default for root:// is fsspec-xrootd, whose releases require XRootD
≥ 6 bindings while Debian 12 ships 5.5. https:// and local paths use uproot's defaults
(fsspec + aiohttp for https). `uproot.iterate` is not used because it expands every path
through fsspec first, which has no root:// without fsspec-xrootd.
"""
import uproot
import uproot.source.xrootd


def open_tree(location, tree):
    options = {"handler": uproot.source.xrootd.XRootDSource} if location.startswith(("root://", "xroot://")) else {}
    return uproot.open(location, **options)[tree]
