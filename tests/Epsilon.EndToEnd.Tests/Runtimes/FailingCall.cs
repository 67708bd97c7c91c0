namespace Epsilon.EndToEnd.Tests.Runtimes;

/// <summary>
/// A call on which a function throws (or panics): the runtime answers 500 FunctionError with <paramref name="Message"/>
/// and its process serves the next call. The function answers JSON with <c>calls</c>, the calls its process served,
/// and the status <c>?status=</c> on any other path.
/// </summary>
internal sealed record FailingCall(RuntimeFunction Function, string Path, string Message);
