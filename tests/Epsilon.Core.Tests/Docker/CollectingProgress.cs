namespace Epsilon.Core.Docker;

/// <summary>Collects reports synchronously (<see cref="Progress{T}"/> posts them later, on the thread pool).</summary>
internal sealed class CollectingProgress<T> : IProgress<T>
{
    private readonly List<T> _items = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Report(T value)
    {
        lock (_items)
        {
            _items.Add(value);
        }
    }
}
