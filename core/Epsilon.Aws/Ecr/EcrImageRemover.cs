using Epsilon.Core.Contracts;
using Epsilon.Core.Registry;

namespace Epsilon.Aws.Ecr;

/// <summary>
/// Removes images from Amazon ECR with <c>BatchDeleteImage</c> (ECR's registry API refuses manifest deletes), one call
/// per repository and hundred tags. A tag already gone counts as removed.
/// </summary>
internal sealed class EcrImageRemover(EcrClient ecr) : IRegistryImageRemover
{
    private const int MaxPerCall = 100;

    public async Task<ImageRemoval> RemoveAsync(IReadOnlyList<string> images, CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        var failed = new List<string>();
        var parsed = images.Select(i => (Image: i, Reference: ImageReference.TryParse(i, out var r) ? r : null)).ToList();
        failed.AddRange(parsed.Where(p => p.Reference?.Tag is null).Select(p => $"{p.Image}: not a tagged image reference"));
        foreach (var repository in parsed.Where(p => p.Reference?.Tag is not null).GroupBy(p => p.Reference!.Repository, StringComparer.Ordinal))
        {
            foreach (var chunk in repository.Chunk(MaxPerCall))
            {
                var byTag = chunk.ToDictionary(p => p.Reference!.Tag!, p => p.Image, StringComparer.Ordinal);
                try
                {
                    var (deleted, failures) = await ecr.BatchDeleteImageAsync(repository.Key, [.. byTag.Keys], cancellationToken).ConfigureAwait(false);
                    removed.AddRange(deleted.Where(byTag.ContainsKey).Select(t => byTag[t]));
                    foreach (var (tag, code, reason) in failures.Where(f => byTag.ContainsKey(f.Tag)))
                    {
                        if (code == "ImageNotFound")
                        {
                            removed.Add(byTag[tag]);
                        }
                        else
                        {
                            failed.Add($"{byTag[tag]}: {code} {reason}".TrimEnd());
                        }
                    }
                }
                catch (AwsRequestException ex)
                {
                    failed.AddRange(byTag.Values.Select(i => $"{i}: {ex.Message}"));
                }
            }
        }

        return new ImageRemoval(removed, failed);
    }
}
