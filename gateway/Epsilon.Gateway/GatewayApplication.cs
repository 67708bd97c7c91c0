using Epsilon.Gateway.Invocation;
using Microsoft.Extensions.Options;

namespace Epsilon.Gateway;

/// <summary>The gateway's web application, built the same way by Program and by tests.</summary>
public static class GatewayApplication
{
    private const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Builds the application from command-line arguments (e.g. <c>--urls</c>, <c>--Epsilon:Gateway:Id=...</c>).</summary>
    public static WebApplication Build(string[] args) => Build(args, ownProcess: false);

    /// <summary>
    /// Builds the application; <paramref name="ownProcess"/> when the process is the gateway's alone (Program), so the
    /// process-wide socket settings of <see cref="GatewayOptions.InlineScheduling"/> may be applied too. Tests that host
    /// the gateway beside their own code keep the runtime's defaults.
    /// </summary>
    internal static WebApplication Build(string[] args, bool ownProcess)
    {
        // Content root beside the binaries, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddEpsilonGateway();
        var inline = builder.Configuration.GetValue($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.InlineScheduling)}", true);
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = inline);
        // The slim builder leaves out Kestrel's https configuration: without it an https URL or Kestrel:Certificates fails.
        builder.WebHost.UseKestrelHttpsConfiguration();
        if (inline && ownProcess && Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
        {
            // The socket engine reads this once, when the process's first socket is made, which is after this point.
            Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
        }

        // The invocation handler logs timeouts and crashes itself; YARP would add a warning per cancelled call.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.Error);
        var app = builder.Build();
        TrustedProxies.Use(app, app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.TrustedProxies);

        app.MapGatewayApi();
        return app;
    }
}
