using Epsilon.Gateway;

await GatewayApplication.Build(args).RunAsync();
