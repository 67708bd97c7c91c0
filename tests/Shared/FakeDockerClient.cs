using System.Collections.Concurrent;
using System.Reflection;
using Docker.DotNet;

namespace Epsilon.Testing;

/// <summary>
/// A Docker.DotNet client without a daemon, for the adapters' handling of what the daemon answers (a source file the
/// gateway's and the builder's tests share): each call (<c>Containers.StartContainerAsync</c>, ...) is answered by
/// <see cref="Answer"/> with the task the real client would return, and recorded in <see cref="Calls"/>.
/// </summary>
internal sealed class FakeDockerClient
{
    private FakeDockerClient()
    {
        Client = Proxy<IDockerClient>((name, _) => name switch
        {
            "get_Containers" => Proxy<IContainerOperations>(Record),
            "get_Images" => Proxy<IImageOperations>(Record),
            "get_Networks" => Proxy<INetworkOperations>(Record),
            "get_System" => Proxy<ISystemOperations>(Record),
            "Dispose" => null,
            _ => throw new NotSupportedException(name),
        });
    }

    public IDockerClient Client { get; }

    /// <summary>Answers a call by its method's name and arguments; the default answers nothing.</summary>
    public Func<string, object?[], object?> Answer { get; set; } = (name, _) => throw new NotSupportedException(name);

    public ConcurrentQueue<string> Calls { get; } = new();

    public static FakeDockerClient Create() => new();

    private object? Record(string name, object?[] arguments)
    {
        Calls.Enqueue(name);
        return Answer(name, arguments);
    }

    private static T Proxy<T>(Func<string, object?[], object?> answer)
        where T : class
    {
        var proxy = DispatchProxy.Create<T, Dispatcher>();
        ((Dispatcher)(object)proxy).Answer = answer;
        return proxy;
    }

    /// <summary>What <see cref="DispatchProxy"/> needs: a class it can derive the interface's proxy from.</summary>
    internal class Dispatcher : DispatchProxy
    {
        public Func<string, object?[], object?> Answer { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Answer(targetMethod!.Name, args ?? []);
    }
}
