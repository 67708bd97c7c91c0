using Epsilon.Core.Store;
using Epsilon.EndToEnd.Tests.Infrastructure;
using Epsilon.EndToEnd.Tests.Operations;

namespace Epsilon.EndToEnd.Tests.Faults;

/// <summary>What each fault test starts from: a platform of its own, running, serving one function that answers a text.</summary>
internal static class TextFunction
{
    /// <summary>Starts <paramref name="platform"/>'s services, deploys <paramref name="function"/> answering <paramref name="text"/> and calls it once.</summary>
    /// <returns>The function's repository, for a later commit.</returns>
    public static async Task<TestRepository> ServeAsync(ProcessPlatform platform, string function, string text, string extraConfig = "")
    {
        await platform.StartServicesAsync();
        var repository = TestRepository.Create(new Dictionary<string, string>
        {
            ["epsilon.yaml"] = $"runtime: node\nfunctions:\n  {function}:\n    handler: index.js:hello\n{extraConfig}",
            ["index.js"] = Functions.Text("hello", text),
        });
        await platform.DeployOkAsync(repository.Path);
        Assert.Equal((200, text), await platform.CallAsync(function));
        return repository;
    }
}
