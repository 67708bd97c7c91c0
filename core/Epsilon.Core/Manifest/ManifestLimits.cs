namespace Epsilon.Core.Manifest;

/// <summary>
/// Bounds on reading a manifest, which comes from a repository anyone who may deploy controls. Without them a file of
/// nested <c>[</c> overflows the reader's stack (killing the whole builder), and a few anchors referring to each other
/// ("billion laughs") turn a small file into billions of nodes for anything that walks or hashes them.
/// </summary>
public sealed record ManifestLimits
{
    /// <summary>The limits a builder uses unless configured otherwise.</summary>
    public static ManifestLimits Default { get; } = new();

    /// <summary>The largest manifest file, in bytes; a real one is a few hundred.</summary>
    public long MaxBytes { get; init; } = 64 * 1024;

    /// <summary>How deep lists and mappings may nest; a real manifest nests three or four levels.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>
    /// How many nodes the manifest may hold, each alias counted as every node it stands for: anchors stay usable
    /// while their expansion stays bounded. Larger than any 64 KiB file holds without aliases.
    /// </summary>
    public long MaxNodes { get; init; } = 50_000;

    /// <summary>How long parsing may take.</summary>
    public TimeSpan MaxParseTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock <see cref="MaxParseTime"/> is measured with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Fails a manifest of <paramref name="bytes"/> bytes when that is more than <see cref="MaxBytes"/>.</summary>
    /// <exception cref="ManifestException">The file is too large.</exception>
    public void CheckSize(string fileName, long bytes)
    {
        if (bytes > MaxBytes)
        {
            throw new ManifestException(fileName,
                [new ManifestError("(size)", 0, $"the file is {bytes} bytes, more than the {MaxBytes} bytes a manifest may be")]);
        }
    }
}
