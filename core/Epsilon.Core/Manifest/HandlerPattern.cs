using System.Text.RegularExpressions;

namespace Epsilon.Core.Manifest;

/// <summary>One accepted handler form: a regex with <c>file</c> and <c>export</c> groups, and a suffix added to the file (Lambda's <c>index.handler</c> means <c>index.js</c>).</summary>
public sealed record HandlerPattern(Regex Regex, string FileSuffix = "");
