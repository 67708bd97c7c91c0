import os
import sys
import unittest

import helpers  # noqa: F401  (sys.path)
from epsilon_runtime import loader


def settings(handler_file, export, function_dir=helpers.FIXTURES, **env):
    values = {"EPSILON_FUNCTION_DIR": function_dir, "EPSILON_DEPS_DIR": os.path.join(function_dir, "none"),
              "EPSILON_HANDLER_FILE": handler_file, "EPSILON_HANDLER_EXPORT": export, "EPSILON_FUNCTION_NAME": "fn"}
    values.update(env)
    return loader.read_settings(values)


class ReadSettingsTests(unittest.TestCase):
    def test_defaults(self):
        s = loader.read_settings({"EPSILON_HANDLER_FILE": "handler.py", "EPSILON_HANDLER_EXPORT": "handler"})
        self.assertEqual(s.function_dir, "/opt/epsilon/function")
        self.assertEqual(s.deps_dir, "/opt/epsilon/deps")
        self.assertEqual(s.function_name, "handler")
        self.assertEqual(s.timeout_ms, 15000)
        self.assertEqual(s.style, "lambda")

    def test_timeout_and_style(self):
        s = settings("functions.py", "echo", EPSILON_TIMEOUT_MS="2500", EPSILON_STYLE="lambda")
        self.assertEqual(s.timeout_ms, 2500)

    def test_invalid_values_name_the_function(self):
        for env, expected in (({"EPSILON_TIMEOUT_MS": "soon"}, "EPSILON_TIMEOUT_MS 'soon'"),
                              ({"EPSILON_TIMEOUT_MS": "0"}, "EPSILON_TIMEOUT_MS '0'"),
                              ({"EPSILON_STYLE": "spec"}, "style 'spec' is not supported by the python runtime"),
                              ({"EPSILON_HANDLER_FILE": ""}, "EPSILON_HANDLER_FILE is not set")):
            with self.subTest(env=env), self.assertRaises(loader.FunctionLoadError) as caught:
                settings("functions.py", "echo", **env)
            self.assertTrue(caught.exception.message.startswith("epsilon: function 'fn': "), caught.exception.message)
            self.assertIn(expected, caught.exception.message)


class LoadFunctionTests(unittest.TestCase):
    def setUp(self):
        self.path = list(sys.path)
        self.modules = set(sys.modules)

    def tearDown(self):
        sys.path[:] = self.path
        for name in set(sys.modules) - self.modules:
            del sys.modules[name]

    def load(self, handler_file, export, **kwargs):
        return loader.load_function(settings(handler_file, export, **kwargs))

    def error(self, handler_file, export, **kwargs):
        with self.assertRaises(loader.FunctionLoadError) as caught:
            self.load(handler_file, export, **kwargs)
        message = caught.exception.message
        self.assertNotIn("\n", message)
        self.assertTrue(message.startswith("epsilon: function 'fn': "), message)
        return message

    def test_loads_a_function_once_by_its_module_name(self):
        fn = self.load("functions.py", "echo")
        self.assertEqual((fn.name, fn.file, fn.export, fn.style, fn.is_async), ("fn", "functions.py", "echo", "lambda", False))
        self.assertIs(sys.modules["functions"], fn.module)
        self.assertEqual(sys.path[0], helpers.FIXTURES)

    def test_async_functions_are_detected(self):
        self.assertTrue(self.load("functions.py", "async_echo").is_async)
        self.assertFalse(self.load("functions.py", "returns_coroutine").is_async)

    def test_callables_of_other_kinds_are_accepted(self):
        for export in ("instance", "bound", "with_defaults", "Handler"):
            with self.subTest(export=export):
                self.assertTrue(callable(self.load("functions.py", export).handler))

    def test_lambda_handler_form(self):
        fn = self.load("lambda_function.py", "lambda_handler")
        self.assertEqual(fn.handler({}, None)["body"], "lambda form")

    def test_nested_package_module_with_relative_imports(self):
        fn = self.load("nested/pkg/app.py", "handler")
        self.assertEqual(fn.handler({}, None), {"message": "NESTED", "module": "nested.pkg.app"})
        self.assertEqual(sys.path[:2], [helpers.FIXTURES, os.path.join(helpers.FIXTURES, "nested", "pkg")])

    def test_a_file_named_like_a_loaded_standard_module_is_loaded_from_its_file(self):
        import json
        fn = self.load("json.py", "handler")
        self.assertEqual(fn.handler({}, None), {"from": "json.py"})
        self.assertIs(sys.modules["json"], json)

    def test_missing_file(self):
        self.assertEqual(self.error("nope.py", "handler"),
                         "epsilon: function 'fn': handler file 'nope.py' (export 'handler') does not exist")

    def test_syntax_error_names_file_and_line(self):
        message = self.error("syntax_error.py", "handler")
        self.assertRegex(message, r"^epsilon: function 'fn': cannot load 'syntax_error.py' \(export 'handler'\): "
                                  r"syntax_error.py:2: SyntaxError: ")

    def test_error_at_import_names_the_line_that_raised(self):
        self.assertEqual(self.error("import_error.py", "handler"),
                         "epsilon: function 'fn': cannot load 'import_error.py' (export 'handler'): "
                         "import_error.py:4: RuntimeError: module refuses to load")

    def test_error_in_an_imported_module_names_the_innermost_line(self):
        message = self.error("broken/entry.py", "handler")
        self.assertTrue(message.endswith("broken/inner.py:2: ZeroDivisionError: division by zero"), message)

    def test_missing_dependency_hints_at_requirements(self):
        message = self.error("missing_module.py", "handler")
        self.assertIn("missing_module.py:1: ModuleNotFoundError: No module named 'definitely_not_installed_anywhere'", message)
        self.assertIn("requirements.txt", message)

    def test_missing_export_lists_what_the_file_defines(self):
        message = self.error("lambda_function.py", "handler")
        self.assertEqual(message, "epsilon: function 'fn': export 'handler' of 'lambda_function.py' does not exist; "
                                  "it defines 'lambda_handler'")

    def test_not_callable(self):
        self.assertIn("export 'not_callable' of 'functions.py' is a dict; expected a function not_callable(event, context)",
                      self.error("functions.py", "not_callable"))

    def test_wrong_signatures(self):
        for export, problem in (("one_argument", "takes 1 positional argument"),
                                ("three_required", "requires 3 positional arguments"),
                                ("async_generator", "is an async generator")):
            with self.subTest(export=export):
                self.assertIn("export '%s' of 'functions.py' %s; expected %s(event, context)" % (export, problem, export),
                              self.error("functions.py", export))


if __name__ == "__main__":
    unittest.main()
