using System.Formats.Tar;
using System.Text;

namespace Epsilon.Core.Docker;

/// <summary>Builds an image build context: a tar of the given files.</summary>
internal static class TarContext
{
    public static MemoryStream Create(params (string Path, string Content)[] files)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                });
            }
        }

        stream.Position = 0;
        return stream;
    }
}
