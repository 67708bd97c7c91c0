using System.Formats.Tar;
using System.Text;

namespace Epsilon.Builder.Images;

/// <summary>
/// A Docker build context as a tar file: <c>Dockerfile</c>, <c>extra-ca.crt</c>, the wrapper under <c>runtime/</c> and the
/// repository under <c>function/</c>. Symbolic links go in as links, never followed, so a repository cannot pull host files in.
/// </summary>
internal static class BuildContext
{
    public static async Task<Stream> CreateAsync(string dockerfile, string runtimeDirectory, string repositoryDirectory,
        string? extraCaBundle = null, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Path.GetTempPath(), $"epsilon-context-{Guid.NewGuid():N}.tar");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await using (var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
                var bundle = string.IsNullOrEmpty(extraCaBundle) ? [] : await File.ReadAllBytesAsync(extraCaBundle, cancellationToken).ConfigureAwait(false);
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "extra-ca.crt")
                {
                    DataStream = new MemoryStream(bundle),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                }, cancellationToken).ConfigureAwait(false);
                await AddDirectoryAsync(writer, runtimeDirectory, "runtime", cancellationToken).ConfigureAwait(false);
                await AddDirectoryAsync(writer, repositoryDirectory, "function", cancellationToken).ConfigureAwait(false);
            }

            file.Position = 0;
            return file;
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task AddDirectoryAsync(TarWriter writer, string directory, string prefix, CancellationToken cancellationToken)
    {
        await writer.WriteEntryAsync(directory, prefix + "/", cancellationToken).ConfigureAwait(false);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.Name == ".git")
            {
                continue;
            }

            var name = $"{prefix}/{entry.Name}";
            if (entry is DirectoryInfo { LinkTarget: null } subdirectory)
            {
                await AddDirectoryAsync(writer, subdirectory.FullName, name, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await writer.WriteEntryAsync(entry.FullName, name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
