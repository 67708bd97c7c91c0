namespace Epsilon.Builder.Deployments;

/// <summary>Why a deployment failed, which decides the HTTP status the API answers with.</summary>
internal enum DeploymentFailure
{
    /// <summary>It did not fail.</summary>
    None,

    /// <summary>The repository could not be fetched (422).</summary>
    RepositoryUnavailable,

    /// <summary>The manifest is missing or invalid (422).</summary>
    ManifestInvalid,

    /// <summary>A function name belongs to another repository (409).</summary>
    NameTaken,

    /// <summary>A function's image did not build or push (422).</summary>
    BuildFailed,

    /// <summary>The builder itself failed or stopped (500).</summary>
    Internal,
}
