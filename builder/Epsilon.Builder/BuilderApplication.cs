using Epsilon.Core.Auth;
using Epsilon.Builder.Api;
using Epsilon.Builder.Audit;
using Epsilon.Builder.Auth;

namespace Epsilon.Builder;

/// <summary>The builder's web application, built the same way by Program and by tests.</summary>
public static class BuilderApplication
{
    /// <summary>Builds the application from command-line arguments (e.g. <c>--urls</c>, <c>--Epsilon:Store:Path=...</c>).</summary>
    public static WebApplication Build(string[] args)
    {
        // Content root beside the binaries, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddEpsilonBuilder();
        builder.Services.AddBuilderApiDocumentation();
        // The slim builder leaves out Kestrel's https configuration: without it an https URL or Kestrel:Certificates fails.
        builder.WebHost.UseKestrelHttpsConfiguration();
        var app = builder.Build();
        // Outside authentication, so a refused call is recorded too.
        app.UseMiddleware<AuditMiddleware>();
        app.UseMiddleware<TokenAuthenticationMiddleware>();
        app.MapGet("/_epsilon/health", () => TypedResults.Text("ok")).AllowAnyCaller();
        app.MapDeploymentsApi();
        app.MapFunctionsApi();
        app.MapStaleApi();
        app.MapEserverlessApi();
        app.MapOpenApi("/openapi/{documentName}.json").RequireScope(TokenScope.Read);
        app.MapTokensApi();
        app.MapFunctionKeysApi();
        app.MapFunctionConfigApi();
        app.MapAuditApi();
        app.MapAliasesApi();
        app.MapMaintenanceApi();
        return app;
    }
}
