namespace Epsilon.Gateway;

/// <summary>The gateway's web application, built the same way by Program and by tests.</summary>
public static class GatewayApplication
{
    /// <summary>Builds the application from command-line arguments (e.g. <c>--urls</c>, <c>--Epsilon:Gateway:Id=...</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.AddEpsilonGateway();
        var app = builder.Build();
        app.MapGatewayApi();
        return app;
    }
}
