namespace Epsilon.Core.Registry;

/// <summary>
/// What to do about the engine's refusal of a push or a pull, added to the daemon's own words: its messages for the two
/// set-up mistakes of a TLS registry with basic auth (an untrusted certificate, missing or wrong credentials) name
/// neither the setting nor the file that fixes them. The daemon never repeats the password, and neither does this.
/// </summary>
public static class RegistryErrors
{
    /// <summary>The daemon's message, with the fix appended when it is one of the refusals this knows.</summary>
    /// <param name="daemonMessage">The daemon's error, as in <c>x509: certificate signed by unknown authority</c>.</param>
    /// <param name="registry">The registry's host:port, as in the image reference.</param>
    public static string Explain(string daemonMessage, string? registry)
    {
        ArgumentNullException.ThrowIfNull(daemonMessage);
        if (daemonMessage.Contains("x509:", StringComparison.Ordinal))
        {
            return $"{daemonMessage} (this host's Docker engine does not trust the registry's certificate: put the CA that signed it in /etc/docker/certs.d/{registry}/ca.crt)";
        }

        if (daemonMessage.Contains("no basic auth credentials", StringComparison.Ordinal)
            || daemonMessage.Contains("unauthorized", StringComparison.OrdinalIgnoreCase))
        {
            return $"{daemonMessage} (the registry {registry} refused the credentials: set Epsilon:Registry:Username with Password or PasswordFile)";
        }

        return daemonMessage;
    }
}
