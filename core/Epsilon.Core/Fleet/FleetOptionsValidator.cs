using Microsoft.Extensions.Options;

namespace Epsilon.Core.Fleet;

/// <summary>Checks <see cref="FleetOptions"/> at start.</summary>
internal sealed class FleetOptionsValidator : IValidateOptions<FleetOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetOptions options)
    {
        var failures = new List<string>();
        if (options.HeartbeatInterval <= TimeSpan.Zero)
        {
            failures.Add($"Epsilon:Fleet:HeartbeatInterval must be positive (was {options.HeartbeatInterval}).");
        }

        if (options.HeartbeatTimeout < options.HeartbeatInterval * 2)
        {
            // One late write must not throw a healthy gateway out.
            failures.Add($"Epsilon:Fleet:HeartbeatTimeout ({options.HeartbeatTimeout}) must be at least twice HeartbeatInterval ({options.HeartbeatInterval}).");
        }

        if (options.RolloutTimeout < TimeSpan.Zero)
        {
            failures.Add($"Epsilon:Fleet:RolloutTimeout must not be negative (was {options.RolloutTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
