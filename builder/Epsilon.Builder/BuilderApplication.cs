using Epsilon.Builder.Api;

namespace Epsilon.Builder;

/// <summary>The builder's web application, built the same way by Program and by tests.</summary>
public static class BuilderApplication
{
    /// <summary>Builds the application from command-line arguments (e.g. <c>--urls</c>, <c>--Epsilon:Store:Path=...</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddEpsilonBuilder();
        var app = builder.Build();
        app.MapGet("/_epsilon/health", () => TypedResults.Text("ok"));
        app.MapDeploymentsApi();
        app.MapFunctionsApi();
        return app;
    }
}
