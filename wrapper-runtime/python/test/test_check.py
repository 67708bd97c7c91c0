import unittest

import helpers


class CheckTests(unittest.TestCase):
    def test_ok_line(self):
        code, out, err = helpers.run_check("functions.py", "echo", EPSILON_TIMEOUT_MS=1200)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(out, "epsilon: function 'test-fn' ok (functions.py, export 'echo', style lambda, timeout 1200 ms)\n")

    def test_async_is_noted(self):
        code, out, _ = helpers.run_check("functions.py", "async_echo")
        self.assertEqual(code, 0)
        self.assertIn(", async)", out)

    def test_failures_are_one_epsilon_line_with_file_and_line(self):
        for handler_file, export, expected in (
                ("syntax_error.py", "handler", "syntax_error.py:2: SyntaxError: "),
                ("import_error.py", "handler", "import_error.py:4: RuntimeError: module refuses to load"),
                ("functions.py", "nope", "export 'nope' of 'functions.py' does not exist; it defines "),
                ("functions.py", "one_argument", "takes 1 positional argument"),
                ("missing.py", "handler", "handler file 'missing.py' (export 'handler') does not exist")):
            with self.subTest(handler_file=handler_file, export=export):
                code, out, err = helpers.run_check(handler_file, export)
                self.assertEqual(code, 1)
                self.assertEqual(out, "")
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertTrue(err.startswith("epsilon: function 'test-fn': "), err)
                self.assertIn(expected, err)

    def test_unknown_style_fails(self):
        code, _, err = helpers.run_check("functions.py", "echo", EPSILON_STYLE="workers")
        self.assertEqual(code, 1)
        self.assertEqual(err, "epsilon: function 'test-fn': style 'workers' is not supported by the python runtime; use lambda\n")


if __name__ == "__main__":
    unittest.main()
