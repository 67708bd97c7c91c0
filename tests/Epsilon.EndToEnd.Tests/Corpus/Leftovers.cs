using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Epsilon.EndToEnd.Tests.Infrastructure;

namespace Epsilon.EndToEnd.Tests.Corpus;

/// <summary>
/// What a refused input may not leave behind, checked against a snapshot taken before it: no new container of the
/// platform's gateway, no deployment left building, no function name
/// reserved, nothing in the builder's work directory.
/// </summary>
internal sealed class Leftovers
{
    private readonly PlatformFixture _platform;
    private readonly HashSet<string> _containers;

    private Leftovers(PlatformFixture platform, HashSet<string> containers) => (_platform, _containers) = (platform, containers);

    public static async Task<Leftovers> SnapshotAsync(PlatformFixture platform) =>
        new(platform, [.. (await platform.ContainersAsync(platform.GatewayId)).Select(c => c.ID)]);

    /// <param name="deployment">Where the refused deployment is (its answer's Location), when one was made.</param>
    /// <param name="functions">Names the input declared: none may exist now.</param>
    public async Task AssertNoneAsync(string? deployment, IEnumerable<string> functions)
    {
        var started = (await _platform.ContainersAsync(_platform.GatewayId)).Where(c => !_containers.Contains(c.ID))
            .Select(c => c.Labels is { } labels && labels.TryGetValue("epsilon.function", out var function) ? function : c.ID).ToList();
        Assert.True(started.Count == 0, "containers left: " + string.Join(", ", started));

        if (deployment is not null)
        {
            var status = await _platform.Builder.GetFromJsonAsync<JsonElement>(deployment);
            Assert.Equal("failed", status.GetProperty("status").GetString());
        }

        foreach (var function in functions)
        {
            using var answer = await _platform.Builder.GetAsync($"/functions/{Uri.EscapeDataString(function)}");
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"function '{function}' is {answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }

        var work = Directory.Exists(_platform.WorkDirectory) ? Directory.GetFileSystemEntries(_platform.WorkDirectory) : [];
        Assert.True(work.Length == 0, "left in the builder's work directory: " + string.Join(", ", work));
    }
}
