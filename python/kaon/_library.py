"""The KaonCAPI shared library (built by `pip install ./python`) loaded with ctypes, its
function signatures, and the calling convention every function shares: a status code as the
result and, on failure, a Swift-owned message that is copied and freed here."""

import ctypes
import json
import os

from ._errors import error_for

_PATH = os.environ.get("KAON_CAPI_LIBRARY") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "libKaonCAPI.so")
if not os.path.isfile(_PATH):
    raise ImportError(f"{_PATH} is missing: install the kaon package with `pip install ./python` from the Kaon repository")
lib = ctypes.CDLL(_PATH)

_handle = ctypes.c_void_p
_out_handle = ctypes.POINTER(ctypes.c_void_p)
_out_string = ctypes.POINTER(ctypes.c_void_p)  # char ** that Swift fills with a malloc'd string
_status = ctypes.c_int32


def _declare(name, argtypes, restype=_status):
    function = getattr(lib, name)
    function.argtypes = argtypes
    function.restype = restype


_declare("kaon_string_free", [ctypes.c_void_p], None)
_declare("kaon_file_open", [ctypes.c_char_p, _out_handle, _out_string])
_declare("kaon_file_close", [_handle], None)
_declare("kaon_file_keys", [_handle, _out_string, _out_string])
_declare("kaon_histogram_json", [_handle, ctypes.c_char_p, _out_string, _out_string])
_declare("kaon_tree_open", [_handle, ctypes.c_char_p, _out_handle, _out_string])
_declare("kaon_tree_free", [_handle], None)
_declare("kaon_tree_json", [_handle, _out_string, _out_string])
_declare("kaon_tree_read", [_handle, ctypes.POINTER(ctypes.c_char_p), ctypes.c_ssize_t, ctypes.c_int64, ctypes.c_int64,
                            ctypes.c_int32, ctypes.POINTER(ctypes.c_void_p), _out_string])
_declare("kaon_array_json", [_handle, _out_string, _out_string])
_declare("kaon_array_values", [_handle], ctypes.c_void_p)
_declare("kaon_array_offsets", [_handle, ctypes.c_ssize_t], ctypes.c_void_p)
_declare("kaon_array_free", [_handle], None)


def take_string(pointer):
    """The text of a string Swift handed out, which is then freed."""
    try:
        return ctypes.string_at(pointer.value).decode("utf-8", errors="replace")
    finally:
        lib.kaon_string_free(pointer)


def call(function, *arguments):
    """Calls a `kaon_*` function, raising the matching KaonError when it reports one."""
    message = ctypes.c_void_p()
    status = function(*arguments, ctypes.byref(message))
    if status != 0:
        text = take_string(message) if message.value else f"{function.__name__} failed (status {status})"
        raise error_for(status, text)


def call_json(function, *arguments):
    """Calls a `kaon_*` function whose result is a JSON document and returns it parsed."""
    document = ctypes.c_void_p()
    call(function, *arguments, ctypes.byref(document))
    return json.loads(take_string(document))


def encode(text):
    return text.encode("utf-8")
