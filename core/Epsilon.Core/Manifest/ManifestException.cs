namespace Epsilon.Core.Manifest;

/// <summary>A manifest that cannot be deployed, with every problem found in it.</summary>
public sealed class ManifestException : Exception
{
    /// <summary>Creates the exception from the problems found in <paramref name="fileName"/>.</summary>
    public ManifestException(string fileName, IReadOnlyList<ManifestError> errors)
        : base($"{fileName} is invalid: " + string.Join("; ", errors))
    {
        FileName = fileName;
        Errors = errors;
    }

    /// <summary>The manifest's file name.</summary>
    public string FileName { get; }

    /// <summary>The problems, in file order.</summary>
    public IReadOnlyList<ManifestError> Errors { get; }
}
