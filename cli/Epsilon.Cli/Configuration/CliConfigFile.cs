using System.Text.Json;

namespace Epsilon.Cli.Configuration;

/// <summary>
/// The saved profile: <c>$EPSILON_CONFIG</c>, else <c>$XDG_CONFIG_HOME/epsilon/config.json</c>, else
/// <c>~/.config/epsilon/config.json</c>. Written with mode 0600, since it may hold a token.
/// </summary>
internal static class CliConfigFile
{
    public static string Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("EPSILON_CONFIG") is { Length: > 0 } explicitPath)
            {
                return explicitPath;
            }

            var home = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
                ? xdg
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return System.IO.Path.Combine(home, "epsilon", "config.json");
        }
    }

    public static CliProfile Load()
    {
        var path = Path;
        if (!File.Exists(path))
        {
            return new CliProfile(null, null, null);
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.CliProfile) ?? new CliProfile(null, null, null);
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Usage, $"{path} is not a valid epsilon configuration ({ex.Message}); run 'epsilon login' again");
        }
    }

    public static void Save(CliProfile profile)
    {
        var path = Path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        // Created 0600 before the token is written, then moved over the old file in one step.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, profile, CliJsonContext.Default.CliProfile);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
