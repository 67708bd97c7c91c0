"""A function's requirements.txt at image build time (Dockerfile.template). Standalone: copied alone into build
stages, standard library only.

    python3 deps.py collect FUNCTION_DIR OUT_DIR
        Copies requirements.txt and only the local files it names (-r/-c files, ./vendor/pkg paths, wheels, -f
        folders) into OUT_DIR at the same relative paths, with fixed timestamps. The next stage copies OUT_DIR: the
        same requirements give the same layer, so the install step stays cached when only code changes.

    python3 deps.py install FUNCTION_NAME REQUIREMENTS_DIR TARGET [EXTRA_CA_BUNDLE]
        pip install --target TARGET -r requirements.txt (from REQUIREMENTS_DIR, so relative paths resolve), trusting
        the system's CAs plus EXTRA_CA_BUNDLE (a TLS-intercepting proxy's), then compiles TARGET to .pyc (the
        function's root file system is read-only at run time). A failure ends with one line:
        epsilon: function '<name>': installing dependencies failed: <reason>
"""

import os
import shutil
import subprocess
import sys

REQUIREMENTS = "requirements.txt"
FIXED_MTIME = 315619200  # 1980-01-02: zip (wheels) cannot store earlier times
SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
_SKIP_NAMES = frozenset((".git", "__pycache__", ".venv", "venv", "node_modules", ".mypy_cache", ".pytest_cache"))
_FILE_OPTIONS = ("-r", "--requirement", "-c", "--constraint")
_PATH_OPTIONS = ("-e", "--editable", "-f", "--find-links")
_ARCHIVES = (".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar")
_UNREACHABLE = ("NewConnectionError", "Name or service not known", "Temporary failure in name resolution",
                "ConnectTimeoutError", "ProxyError", "SSLError", "CERTIFICATE_VERIFY_FAILED", "Connection refused",
                "Network is unreachable", "ReadTimeoutError")


def logical_lines(text):
    """Lines of a requirements file with continuations joined and comments dropped."""
    lines, current = [], ""
    for raw in text.splitlines():
        if raw.endswith("\\"):
            current += raw[:-1]
            continue
        line = current + raw
        current = ""
        if line.lstrip().startswith("#"):
            continue
        hash_at = line.find(" #")
        if hash_at >= 0:
            line = line[:hash_at]
        line = line.strip()
        if line:
            lines.append(line)
    if current.strip():
        lines.append(current.strip())
    return lines


def local_references(line):
    """(kind, path) pairs a requirements line names: ("requirements", f) for -r/-c files, ("path", p) for -e/-f
    values, ("requirement", r) for the requirement itself (a local path only if it looks like one, as pip decides)."""
    tokens = line.split()
    found = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        option, value = token, None
        if token.startswith("--") and "=" in token:
            option, value = token.split("=", 1)
        elif token.startswith("-") and not token.startswith("--") and len(token) > 2:
            option, value = token[:2], token[2:]
        if option in _FILE_OPTIONS or option in _PATH_OPTIONS:
            if value is None and i + 1 < len(tokens):
                i += 1
                value = tokens[i]
            if value is not None:
                found.append(("requirements" if option in _FILE_OPTIONS else "path", value))
        elif token.startswith("-"):
            pass  # --hash=..., --index-url ...: nothing local
        else:
            requirement = line[line.find(token):].split(";")[0].strip()
            if " @ " in requirement:
                requirement = requirement.split(" @ ", 1)[1].strip()
            found.append(("requirement", requirement.split()[0] if requirement else token))
            break
        i += 1
    return found


def looks_like_path(text):
    """As pip: a requirement is a local path when it has a slash, starts with a dot or names an archive."""
    return "/" in text or text.startswith(".") or text.endswith(_ARCHIVES)


def _strip_file_url(path):
    if path.startswith("file://"):
        return path[7:]
    if path.startswith("file:"):
        return path[5:]
    return path


def collect(function_dir, out_dir):
    """Copies requirements.txt and the local files it names into out_dir; returns the relative paths copied."""
    function_dir = os.path.realpath(function_dir)
    os.makedirs(out_dir, exist_ok=True)
    copied = []
    pending = [(REQUIREMENTS, True)]
    seen = set()
    while pending:
        relative, is_requirements = pending.pop(0)
        source = os.path.realpath(os.path.join(function_dir, relative))
        if source in seen or not (source == function_dir or source.startswith(function_dir + os.sep)):
            continue  # outside the repository: pip reports it if it matters
        seen.add(source)
        if not os.path.exists(source):
            continue
        rel = os.path.relpath(source, function_dir)
        target = os.path.join(out_dir, rel)
        if os.path.isdir(source):
            if rel == ".":
                continue  # "." (the repository itself) would copy all the code in: not supported
            shutil.copytree(source, target, symlinks=False, dirs_exist_ok=True,
                            ignore=lambda _d, names: [n for n in names if n in _SKIP_NAMES or n.endswith(".pyc")])
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(source, target)
        copied.append(rel.replace(os.sep, "/"))
        if is_requirements:
            with open(source, encoding="utf-8-sig", errors="replace") as file:
                lines = logical_lines(file.read())
            base = os.path.dirname(rel)
            for line in lines:
                for kind, path in local_references(line):
                    path = _strip_file_url(path)
                    if "://" in path or not path:
                        continue
                    if kind == "requirement" and not looks_like_path(path):
                        continue
                    # -r/-c files are relative to the file naming them; other paths to the working directory.
                    joined = os.path.normpath(os.path.join(base, path)) if kind == "requirements" else os.path.normpath(path)
                    pending.append((joined, kind == "requirements"))
    _fix_times(out_dir)
    return copied


def _fix_times(root):
    for directory, dirs, files in os.walk(root):
        for name in files + dirs:
            try:
                os.utime(os.path.join(directory, name), (FIXED_MTIME, FIXED_MTIME), follow_symlinks=False)
            except OSError:
                pass
    os.utime(root, (FIXED_MTIME, FIXED_MTIME))


def has_requirements(path):
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as file:
            return bool(logical_lines(file.read()))
    except FileNotFoundError:
        return False


def ca_bundle(extra, out):
    """The system's CA bundle plus extra (if any) in one file; returns its path, or None without a system bundle."""
    parts = []
    for path in (SYSTEM_CA_BUNDLE, extra):
        if path and os.path.isfile(path):
            with open(path, "rb") as file:
                data = file.read().strip()
            if data:
                parts.append(data)
    if not parts:
        return None
    with open(out, "wb") as file:
        file.write(b"\n".join(parts) + b"\n")
    return out


def failure_reason(output):
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line[len("ERROR: "):] for line in lines if line.startswith("ERROR: ")]
    reason = errors[-1] if errors else (lines[-1] if lines else "pip failed without output")
    unreachable = next((marker for marker in _UNREACHABLE if marker in output), None)
    if unreachable:
        reason += " (the package index could not be reached: %s)" % unreachable
    return reason


def install(name, requirements_dir, target, extra_ca=None):
    label = "function '%s'" % name
    os.makedirs(target, exist_ok=True)
    if not has_requirements(os.path.join(requirements_dir, REQUIREMENTS)):
        print("[epsilon] %s: no requirements to install" % label, flush=True)
        return 0
    env = dict(os.environ)
    bundle = ca_bundle(extra_ca, "/tmp/epsilon-ca-bundle.pem")
    if bundle:
        env.update(PIP_CERT=bundle, REQUESTS_CA_BUNDLE=bundle, SSL_CERT_FILE=bundle)
    command = [sys.executable, "-m", "pip", "install", "--target", target, "--no-compile", "--no-input",
               "--no-warn-script-location", "--disable-pip-version-check", "--progress-bar", "off",
               "-r", REQUIREMENTS]
    print("[epsilon] %s: pip install -r requirements.txt" % label, flush=True)
    try:
        process = subprocess.Popen(command, cwd=requirements_dir, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as exc:
        print("epsilon: %s: installing dependencies failed: cannot run pip: %s" % (label, exc), flush=True)
        return 1
    captured = []
    for line in process.stdout:
        sys.stdout.write(line)
        captured.append(line)
    status = process.wait()
    sys.stdout.flush()
    if status != 0:
        reason = failure_reason("".join(captured)).replace("\n", " ")
        print("epsilon: %s: installing dependencies failed: %s" % (label, reason), flush=True)
        return 1
    import compileall
    import py_compile
    compileall.compile_dir(target, quiet=2, workers=0, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    installed = sorted(n[:-len(".dist-info")] for n in os.listdir(target) if n.endswith(".dist-info"))
    print("[epsilon] %s: installed %s" % (label, ", ".join(installed) if installed else "nothing"), flush=True)
    return 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "collect":
        copied = collect(argv[1], argv[2])
        print("[epsilon] requirements: %s" % (", ".join(copied) if copied else "none"), flush=True)
        return 0
    if len(argv) in (4, 5) and argv[0] == "install":
        return install(argv[1], argv[2], argv[3], argv[4] if len(argv) == 5 else None)
    sys.stderr.write("usage: deps.py collect FUNCTION_DIR OUT_DIR | install NAME REQUIREMENTS_DIR TARGET [EXTRA_CA]\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
