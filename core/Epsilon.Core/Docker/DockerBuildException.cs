namespace Epsilon.Core.Docker;

/// <summary>
/// An image build failed: the daemon reported an error in the build's output stream, or refused the build
/// outright (then <see cref="Exception.InnerException"/> is the <see cref="DockerApiException"/>).
/// </summary>
public sealed class DockerBuildException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The daemon's error (<c>The command '/bin/sh -c ...' returned a non-zero code: 1</c>).</param>
    /// <param name="buildLog">The build's output up to the error.</param>
    public DockerBuildException(string message, string buildLog)
        : base(message)
    {
        BuildLog = buildLog;
    }

    /// <summary>Creates the exception for a build the daemon refused outright (an unparsable or missing Dockerfile).</summary>
    /// <param name="message">The daemon's error.</param>
    /// <param name="buildLog">The build's output up to the error.</param>
    /// <param name="innerException">The daemon's error answer, a <see cref="DockerApiException"/> with its status.</param>
    public DockerBuildException(string message, string buildLog, Exception? innerException)
        : base(message, innerException)
    {
        BuildLog = buildLog;
    }

    /// <summary>The build's output up to the error (steps and the commands' output).</summary>
    public string BuildLog { get; }
}
