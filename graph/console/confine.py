"""Operating-system limits for a console worker: the layer below the parser.

A console worker opens its generation read-only *first*, then locks itself in, in this
order, each step irreversible and each reported in :class:`Confinement`:

1. **no network**: a new, empty network namespace (``unshare(CLONE_NEWNET)``; as a
   non-root user inside a new user namespace), so not even loopback is reachable;
2. **no new privileges**: ``prctl(PR_SET_NO_NEW_PRIVS)``, so nothing it runs gains any;
3. **Landlock** (Linux 5.13+): the worker may read, and execute, only the Python
   installation its imports need; it may write, create, remove or truncate nothing
   anywhere, connect or bind no TCP port, reach no abstract Unix socket and signal no
   process outside itself. The generation it serves was opened before, so it reads it
   through that descriptor and cannot open any other file (``/etc/passwd``, the project,
   ``data/``, ``var/``, ``$HOME``, the temp folder);
4. **an unprivileged user**: a worker started as root drops to ``nobody`` (all groups
   and capabilities gone);
5. **resource limits**: address space (:data:`ADDRESS_SPACE`), no file may grow
   (``RLIMIT_FSIZE`` 0), no core dumps.

Landlock and the namespace are called through ``ctypes`` (a few system calls; the PyPI
``landlock`` package was a pre-release when this was written). What the kernel does not
offer is reported, not faked: ``Confinement`` says which layers hold.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ADDRESS_SPACE", "Confinement", "confine", "landlock_abi"]

#: Address space a console worker may map (the engine's buffer pool and database
#: mapping are sized to fit: see graph/console/sandbox.py).
ADDRESS_SPACE = 3 * 1024**3

_SYS_LANDLOCK_CREATE_RULESET = 444
_SYS_LANDLOCK_ADD_RULE = 445
_SYS_LANDLOCK_RESTRICT_SELF = 446
_LANDLOCK_CREATE_RULESET_VERSION = 1
_LANDLOCK_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000

# Landlock file-system rights, by the ABI version that introduced them.
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_RIGHTS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_CONNECT_AND_BIND = 0b11  # ABI 4
_SCOPE_UNIX_AND_SIGNAL = 0b11  # ABI 6


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True)


def _errno_text() -> str:
    return os.strerror(ctypes.get_errno())


def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0: not available)."""
    version = _libc.syscall(
        _SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), _LANDLOCK_CREATE_RULESET_VERSION
    )
    return max(0, int(version))


@dataclass
class Confinement:
    """Which layers hold in this process, and why a layer does not."""

    network: bool = False
    no_new_privs: bool = False
    landlock: int = 0  # the ABI version enforced (0: none)
    user: str = ""
    address_space: int = 0
    notes: list[str] = field(default_factory=list)


def _isolate_network(report: Confinement) -> None:
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    if _libc.unshare(flags) == 0:
        report.network = True
    else:
        report.notes.append(f"network namespace: {_errno_text()}")


def _no_new_privs(report: Confinement) -> None:
    if _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0:
        report.no_new_privs = True
    else:
        report.notes.append(f"no_new_privs: {_errno_text()}")


def _readable_code_paths() -> list[Path]:
    """Where Python finds modules it may still import lazily: read and execute only."""
    keys = ("stdlib", "platstdlib", "purelib", "platlib")
    paths = {Path(p) for k in keys if (p := sysconfig.get_paths().get(k))}
    paths.update(Path(p) for p in sys.path if p and Path(p).is_dir() and "site-packages" in p)
    return sorted(p for p in paths if p.exists())


def _landlock(report: Confinement) -> None:
    abi = landlock_abi()
    if abi < 1:
        report.notes.append("landlock: not offered by this kernel")
        return
    fs_rights = _FS_RIGHTS[max(v for v in _FS_RIGHTS if v <= abi)]
    attr = _RulesetAttr(
        handled_access_fs=fs_rights,
        handled_access_net=_NET_CONNECT_AND_BIND if abi >= 4 else 0,
        scoped=_SCOPE_UNIX_AND_SIGNAL if abi >= 6 else 0,
    )
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = _libc.syscall(
        _SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0
    )
    if ruleset < 0:
        report.notes.append(f"landlock ruleset: {_errno_text()}")
        return
    try:
        for path in _readable_code_paths():
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = _PathBeneathAttr(
                    allowed_access=_EXECUTE | _READ_FILE | _READ_DIR, parent_fd=fd
                )
                _libc.syscall(
                    _SYS_LANDLOCK_ADD_RULE,
                    ruleset,
                    _LANDLOCK_RULE_PATH_BENEATH,
                    ctypes.byref(rule),
                    0,
                )
            finally:
                os.close(fd)
        if _libc.syscall(_SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) == 0:
            report.landlock = abi
        else:
            report.notes.append(f"landlock restrict: {_errno_text()}")
    finally:
        os.close(ruleset)


def _drop_user(report: Confinement) -> None:
    if os.geteuid() != 0:
        report.user = str(os.geteuid())
        return
    try:
        os.setgroups([])
        os.setresgid(65534, 65534, 65534)
        os.setresuid(65534, 65534, 65534)
        report.user = "nobody"
    except OSError as exc:
        report.notes.append(f"drop to nobody: {exc.strerror}")
        report.user = "root"


def _limits(report: Confinement, address_space: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        report.address_space = address_space
    except (OSError, ValueError) as exc:
        report.notes.append(f"address space limit: {exc}")


def confine(address_space: int = ADDRESS_SPACE) -> Confinement:
    """Lock this process in (see the module docstring); returns what holds."""
    report = Confinement()
    _isolate_network(report)
    _no_new_privs(report)
    _landlock(report)
    _drop_user(report)
    _limits(report, address_space)
    return report
