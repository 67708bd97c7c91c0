namespace Epsilon.Builder.Deployments;

/// <summary>
/// Paths inside a fetched repository, resolved as the kernel would but confined to it: a symbolic link is followed only
/// while it stays inside, so a handler that is a link to <c>/etc/passwd</c>, to a folder outside, or into a loop does
/// not exist as far as a deploy is concerned.
/// </summary>
internal static class RepositoryPath
{
    // Linux gives up after 40 links (ELOOP); a loop inside the repository ends here the same way.
    private const int MaxLinks = 40;

    /// <summary>Whether <paramref name="relative"/> names a file (or a folder) inside <paramref name="root"/> through no link that leaves it.</summary>
    public static bool Exists(string root, string relative, bool directory)
    {
        var resolved = Resolve(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)), relative);
        return resolved is not null && (directory ? Directory.Exists(resolved) : File.Exists(resolved));
    }

    /// <summary>The real path of <paramref name="relative"/>; null where it leaves <paramref name="root"/> or loops.</summary>
    private static string? Resolve(string root, string relative)
    {
        var pending = new Stack<string>(relative.Split('/').Reverse());
        var current = root;
        var links = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (current == root)
                {
                    return null;
                }

                current = Path.GetDirectoryName(current)!;
                continue;
            }

            var next = Path.Combine(current, segment);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                if (target != root && !target.StartsWith(root + "/", StringComparison.Ordinal))
                {
                    return null;
                }

                target = target[root.Length..];
                current = root;
            }

            foreach (var part in target.Split('/').Reverse())
            {
                pending.Push(part);
            }
        }

        return current;
    }
}
