using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Epsilon.Runtime.Dotnet;

/// <summary>What the image and the platform say about the function (environment variables).</summary>
internal sealed record FunctionSettings(string Name, string HandlerFile, string HandlerExport, string Style, int TimeoutMs, int Port)
{
    public const int DefaultTimeoutMs = 15000;

    public static FunctionSettings FromEnvironment()
    {
        static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
        var timeout = int.TryParse(Environment.GetEnvironmentVariable("EPSILON_TIMEOUT_MS"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? ms
            : DefaultTimeoutMs;
        var port = int.TryParse(Environment.GetEnvironmentVariable("PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
            ? p
            : 8080;
        return new FunctionSettings(
            Env("EPSILON_FUNCTION_NAME", "function"),
            Env("EPSILON_HANDLER_FILE", ""),
            Env("EPSILON_HANDLER_EXPORT", ""),
            Env("EPSILON_STYLE", ""),
            timeout,
            port);
    }
}

/// <summary>The function cannot be loaded; the message is for the user (it ends up in the deploy's error).</summary>
internal sealed class FunctionLoadException(string message) : Exception(message);

/// <summary>The handler found: its method, the instance it is called on (null when static) and its style.</summary>
internal sealed class HandlerMethod
{
    private readonly PropertyInfo? _taskResult;
    private readonly MethodInfo? _valueTaskAsTask;

    public HandlerMethod(MethodInfo method, object? target, string style)
    {
        Method = method;
        Target = target;
        Style = style;
        var returnType = method.ReturnType;
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            _taskResult = returnType.GetProperty(nameof(Task<int>.Result));
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            _valueTaskAsTask = returnType.GetMethod(nameof(ValueTask<int>.AsTask));
            _taskResult = typeof(Task<>).MakeGenericType(returnType.GetGenericArguments()[0]).GetProperty(nameof(Task<int>.Result));
        }
    }

    public MethodInfo Method { get; }

    public object? Target { get; }

    public string Style { get; }

    public Type[] Parameters => Method.GetParameters().Select(p => p.ParameterType).ToArray();

    public string Description => $"{Method.DeclaringType!.FullName}::{Method.Name}, {(Method.IsStatic ? "static" : "instance")}, style {Style}";

    /// <summary>Calls the handler and awaits what it returns; the value (null for Task, ValueTask and void).</summary>
    public async Task<object?> InvokeAsync(object?[] arguments)
    {
        var returned = Method.Invoke(Target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        switch (returned)
        {
            case null:
                return null;
            case Task task:
                await task.ConfigureAwait(false);
                return _taskResult?.GetValue(task);
            case ValueTask valueTask:
                await valueTask.ConfigureAwait(false);
                return null;
            default:
                if (_valueTaskAsTask is not null)
                {
                    var asTask = (Task)_valueTaskAsTask.Invoke(returned, null)!;
                    await asTask.ConfigureAwait(false);
                    return _taskResult!.GetValue(asTask);
                }

                return returned;
        }
    }
}

/// <summary>
/// Finds the handler the manifest names, <c>Namespace.Type</c> (method HandleAsync) or <c>Namespace.Type::Method</c>, in
/// the function's assembly, and works out its style from its signature when the manifest gives none:
/// aspnet: <c>Task&lt;IResult&gt; M(HttpContext)</c> (also IResult, ValueTask&lt;IResult&gt;, Task, ValueTask);
/// lambda: <c>M(TEvent event[, TContext context])</c> returning anything (awaited when a task).
/// An instance method is called on one instance made at start-up (public parameterless constructor).
/// </summary>
internal static class FunctionLoader
{
    public const string DefaultMethod = "HandleAsync";
    public const string FunctionRoot = "/src/function/";

    public static HandlerMethod Load(FunctionSettings settings)
    {
        var export = settings.HandlerExport;
        if (export.Length == 0)
        {
            throw new FunctionLoadException("no handler (EPSILON_HANDLER_EXPORT is empty)");
        }

        var separator = export.IndexOf("::", StringComparison.Ordinal);
        var typeName = separator < 0 ? export : export[..separator];
        var methodName = separator < 0 ? DefaultMethod : export[(separator + 2)..];
        if (settings.Style is not ("" or "aspnet" or "lambda"))
        {
            throw new FunctionLoadException($"unknown style '{settings.Style}': use aspnet or lambda (or leave it out to detect it from the handler)");
        }

        var assembly = LoadFunctionAssembly(settings);
        var type = assembly.GetType(typeName, throwOnError: false, ignoreCase: false)
            ?? throw new FunctionLoadException($"type '{typeName}' not found in {settings.HandlerFile} (assembly {assembly.GetName().Name})"
                + Suggest(assembly, typeName, methodName));

        var all = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy)
            .Where(m => m.Name == methodName && m.DeclaringType != typeof(object))
            .ToList();
        var methods = all.Where(m => m.IsPublic).ToList();
        if (methods.Count == 0)
        {
            throw new FunctionLoadException(all.Count > 0
                ? $"method '{methodName}' of '{typeName}' is not public"
                : $"type '{typeName}' has no method '{methodName}'{PublicMethods(type)}");
        }

        var candidates = new List<(MethodInfo Method, string Style)>();
        var rejected = new List<string>();
        var styleMismatch = 0;
        foreach (var method in methods)
        {
            var style = StyleOf(method, out var reason);
            if (style is null)
            {
                rejected.Add($"{Signature(method)}: {reason}");
            }
            else if (settings.Style.Length == 0 || settings.Style == style)
            {
                candidates.Add((method, style));
            }
            else
            {
                styleMismatch++;
                rejected.Add($"{Signature(method)} is a{(style == "aspnet" ? "n" : "")} {style} handler, but the manifest says style: {settings.Style}");
            }
        }

        if (candidates.Count == 0)
        {
            var expected = styleMismatch == rejected.Count
                ? ""
                : $". Expected static or instance Task<IResult> {methodName}(HttpContext) (style aspnet) or {methodName}(TEvent event, TContext context) (style lambda)";
            throw new FunctionLoadException($"'{typeName}::{methodName}' is not a handler: {string.Join("; ", rejected)}{expected}");
        }

        if (candidates.Count > 1)
        {
            throw new FunctionLoadException($"'{typeName}' has {candidates.Count} '{methodName}' handlers ({string.Join(", ", candidates.Select(c => Signature(c.Method)))}); "
                + "keep one, or name another method (Type::Method) or set style");
        }

        var (chosen, chosenStyle) = candidates[0];
        object? target = null;
        if (!chosen.IsStatic)
        {
            if (type.IsAbstract || (!type.IsValueType && type.GetConstructor(Type.EmptyTypes) is null))
            {
                throw new FunctionLoadException($"'{typeName}::{methodName}' is an instance method, but '{typeName}' has no public parameterless constructor "
                    + "(make the method static, or add one)");
            }

            try
            {
                target = Activator.CreateInstance(type);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw new FunctionLoadException($"the constructor of '{typeName}' threw {Describe(ex.InnerException)}");
            }
        }
        else
        {
            try
            {
                System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(type.TypeHandle);
            }
            catch (TypeInitializationException ex) when (ex.InnerException is not null)
            {
                throw new FunctionLoadException($"the static constructor of '{typeName}' threw {Describe(ex.InnerException)}");
            }
        }

        var handler = new HandlerMethod(chosen, target, chosenStyle);
        if (chosenStyle == "lambda")
        {
            LambdaStyle.Validate(handler, settings);
        }

        return handler;
    }

    private static Assembly LoadFunctionAssembly(FunctionSettings settings)
    {
        var name = typeof(FunctionLoader).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "EpsilonFunctionAssembly")?.Value;
        if (string.IsNullOrEmpty(name))
        {
            name = Path.GetFileNameWithoutExtension(settings.HandlerFile);
        }

        try
        {
            return Assembly.Load(new AssemblyName(name));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new FunctionLoadException($"cannot load the assembly '{name}' of {settings.HandlerFile}: {ex.Message}");
        }
    }

    /// <summary>The style a method's signature is, or null with the reason.</summary>
    internal static string? StyleOf(MethodInfo method, out string reason)
    {
        reason = "";
        var parameters = method.GetParameters();
        if (method.ContainsGenericParameters)
        {
            reason = "a generic method cannot be a handler";
            return null;
        }

        if (parameters.Any(p => p.ParameterType.IsByRef || p.ParameterType.IsPointer))
        {
            reason = "ref, out and pointer parameters are not supported";
            return null;
        }

        if (parameters.Length >= 1 && parameters[0].ParameterType == typeof(HttpContext))
        {
            if (parameters.Length != 1)
            {
                reason = "an aspnet handler takes only the HttpContext";
                return null;
            }

            var returns = method.ReturnType;
            var awaited = AwaitedType(returns);
            if (typeof(IResult).IsAssignableFrom(returns) || awaited == typeof(void) || (awaited is not null && typeof(IResult).IsAssignableFrom(awaited)))
            {
                return "aspnet";
            }

            reason = $"it returns {Pretty(returns)}; an aspnet handler returns Task<IResult>";
            return null;
        }

        if (parameters.Length is 1 or 2)
        {
            if (method.ReturnType.IsByRef || method.ReturnType.IsPointer || method.ReturnType.IsByRefLike)
            {
                reason = "a lambda handler cannot return a ref, pointer or ref struct";
                return null;
            }

            return "lambda";
        }

        reason = parameters.Length == 0
            ? "it takes no parameters"
            : "it takes more than two parameters";
        return null;
    }

    /// <summary>typeof(void) for Task and ValueTask, T for Task&lt;T&gt; and ValueTask&lt;T&gt;, null when not a task.</summary>
    internal static Type? AwaitedType(Type type)
    {
        if (type == typeof(Task) || type == typeof(ValueTask))
        {
            return typeof(void);
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return type.GetGenericArguments()[0];
        }

        return null;
    }

    internal static string Signature(MethodInfo method) =>
        $"{(method.IsStatic ? "static " : "")}{Pretty(method.ReturnType)} {method.Name}({string.Join(", ", method.GetParameters().Select(p => Pretty(p.ParameterType)))})";

    internal static string Pretty(Type type)
    {
        if (type == typeof(void))
        {
            return "void";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name;
        var tick = name.IndexOf('`');
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(", ", type.GetGenericArguments().Select(Pretty))}>";
    }

    /// <summary>"InvalidOperationException at Echo.cs:12: the message" (where the function's own code threw, when known).</summary>
    internal static string Describe(Exception ex)
    {
        var text = new StringBuilder(ex.GetType().Name);
        var frame = new StackTrace(ex, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName() is not null);
        if (frame is not null)
        {
            var file = frame.GetFileName()!;
            text.Append(" at ").Append(file.StartsWith(FunctionRoot, StringComparison.Ordinal) ? file[FunctionRoot.Length..] : file)
                .Append(':').Append(frame.GetFileLineNumber().ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(": ").Append(ex.Message).ToString();
    }

    private static string Suggest(Assembly assembly, string typeName, string methodName)
    {
        Type?[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types;
        }

        var withMethod = types.OfType<Type>()
            .Where(t => t.FullName is not null && !t.IsNested && t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance).Any(m => m.Name == methodName))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .Take(5)
            .ToList();
        if (withMethod.Count > 0)
        {
            return $"; types with a '{methodName}' method: {string.Join(", ", withMethod.Select(t => $"'{t}'"))}";
        }

        var sameName = types.OfType<Type>().Where(t => t.Name == typeName[(typeName.LastIndexOf('.') + 1)..] && t.FullName is not null).Select(t => t.FullName!).Take(3).ToList();
        return sameName.Count > 0 ? $"; did you mean {string.Join(", ", sameName.Select(t => $"'{t}'"))}?" : "";
    }

    private static string PublicMethods(Type type)
    {
        var names = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName)
            .Select(m => m.Name)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Take(8)
            .ToList();
        return names.Count > 0 ? $"; it has {string.Join(", ", names.Select(n => $"'{n}'"))}" : "";
    }
}
