import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import helpers
from epsilon_runtime import deps

REPO = os.path.join(helpers.FIXTURES, "vendorrepo")


class CollectTests(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp(prefix="epsilon-deps-test-")

    def tearDown(self):
        shutil.rmtree(self.out, ignore_errors=True)

    def files(self):
        found = []
        for directory, _, names in os.walk(self.out):
            for name in names:
                found.append(os.path.relpath(os.path.join(directory, name), self.out).replace(os.sep, "/"))
        return sorted(found)

    def test_copies_requirements_and_the_local_files_they_name_only(self):
        copied = deps.collect(REPO, os.path.join(self.out, "r"))
        self.assertEqual(copied, ["requirements.txt", "vendor/mylib", "reqs/more.txt", "reqs/constraints.txt"])
        self.out = os.path.join(self.out, "r")
        self.assertEqual(self.files(), ["reqs/constraints.txt", "reqs/more.txt", "requirements.txt",
                                        "vendor/mylib/mylib/__init__.py", "vendor/mylib/setup.py"])
        for directory, dirs, names in os.walk(self.out):
            for name in names + dirs:
                self.assertEqual(os.stat(os.path.join(directory, name)).st_mtime, deps.FIXED_MTIME)

    def test_no_requirements_gives_an_empty_folder(self):
        self.assertEqual(deps.collect(helpers.FIXTURES + "/nested", self.out), [])
        self.assertEqual(self.files(), [])

    def test_logical_lines_and_references(self):
        self.assertEqual(deps.logical_lines("# c\nrequests \\\n  ==2.0 # why\n\n-r x.txt\n"), ["requests   ==2.0", "-r x.txt"])
        self.assertEqual(deps.local_references("-e ./pkg"), [("path", "./pkg")])
        self.assertEqual(deps.local_references("--requirement=a/b.txt"), [("requirements", "a/b.txt")])
        self.assertEqual(deps.local_references("lib @ file:./vendor/lib ; python_version > '3'"),
                         [("requirement", "file:./vendor/lib")])
        self.assertTrue(deps.looks_like_path("dist/x-1.0-py3-none-any.whl"))
        self.assertTrue(deps.looks_like_path("x-1.0.tar.gz"))
        self.assertFalse(deps.looks_like_path("requests>=2"))


class InstallTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="epsilon-install-test-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_install(self, requirements):
        if requirements is not None:
            with open(os.path.join(self.dir, "requirements.txt"), "w", encoding="utf-8") as file:
                file.write(requirements)
        env = dict(os.environ, PIP_NO_INDEX="1", PIP_FIND_LINKS="")
        return subprocess.run([sys.executable, "-P", os.path.join(helpers.SRC, "epsilon_runtime", "deps.py"), "install",
                               "fn", self.dir, os.path.join(self.dir, "target")], capture_output=True, text=True,
                              timeout=120, env=env)

    def test_without_requirements_nothing_is_installed(self):
        for requirements in (None, "# only a comment\n\n"):
            with self.subTest(requirements=requirements):
                result = self.run_install(requirements)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertIn("no requirements to install", result.stdout)
                self.assertEqual(os.listdir(os.path.join(self.dir, "target")), [])

    def test_a_failing_install_ends_with_one_epsilon_line(self):
        result = self.run_install("./vendor/missing\n")
        self.assertEqual(result.returncode, 1)
        last = result.stdout.strip().splitlines()[-1]
        self.assertTrue(last.startswith("epsilon: function 'fn': installing dependencies failed: "), last)
        self.assertIn("vendor/missing", last)
        self.assertEqual(sum(line.startswith("epsilon: ") for line in result.stdout.splitlines()), 1)

    def test_failure_reason(self):
        output = ("Looking in indexes\nWARNING: Retrying (Retry(total=0)) after connection broken by "
                  "'NewConnectionError(...: Failed to establish a new connection: [Errno -2] Name or service not known')\n"
                  "ERROR: Could not find a version that satisfies the requirement six (from versions: none)\n"
                  "ERROR: No matching distribution found for six\n")
        self.assertEqual(deps.failure_reason(output), "No matching distribution found for six "
                                                      "(the package index could not be reached: NewConnectionError)")
        self.assertEqual(deps.failure_reason("something\nlast words\n"), "last words")

    def test_ca_bundle_adds_the_extra_certificates(self):
        extra = os.path.join(self.dir, "extra.crt")
        with open(extra, "w", encoding="ascii") as file:
            file.write("-----BEGIN CERTIFICATE-----\nEXTRA\n-----END CERTIFICATE-----\n")
        bundle = deps.ca_bundle(extra, os.path.join(self.dir, "bundle.pem"))
        with open(bundle, encoding="ascii", errors="replace") as file:
            text = file.read()
        self.assertTrue(text.rstrip().endswith("EXTRA\n-----END CERTIFICATE-----"))
        if os.path.exists(deps.SYSTEM_CA_BUNDLE):
            self.assertGreater(text.count("BEGIN CERTIFICATE"), 1)


if __name__ == "__main__":
    unittest.main()
