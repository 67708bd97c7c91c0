namespace Epsilon.Gateway;

/// <summary>The gateway's web application, built the same way by Program and by tests.</summary>
public static class GatewayApplication
{
    /// <summary>Builds the application from command-line arguments (e.g. <c>--urls</c>, <c>--Epsilon:Gateway:Id=...</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        // Content root beside the binaries, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddEpsilonGateway();

        // The invocation handler logs timeouts and crashes itself; YARP would add a warning per cancelled call.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.Error);
        var app = builder.Build();
        app.MapGatewayApi();
        return app;
    }
}
