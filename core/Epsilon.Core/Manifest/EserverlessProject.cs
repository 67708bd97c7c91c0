namespace Epsilon.Core.Manifest;

/// <summary>An eserveless repository read as an Epsilon manifest.</summary>
/// <param name="Project">eserveless's project name, <c>&lt;user&gt;-&lt;repo&gt;</c>; functions are <c>&lt;project&gt;-&lt;name&gt;</c>.</param>
/// <param name="Manifest">Its HTTP functions.</param>
/// <param name="Scheduled">Its cron functions: recorded, not run, until the platform has a scheduler.</param>
public sealed record EserverlessProject(string Project, EpsilonManifest Manifest, IReadOnlyList<ScheduledFunction> Scheduled);

/// <summary>A cron function from an eserveless manifest.</summary>
public sealed record ScheduledFunction(string Name, string Schedule);
